// Wire types of the Prisma Management API, as plain structs.
//
// They follow the response bodies of `@prisma/management-api-sdk@1.80.0` (dist/index.d.ts,
// interface `operations`). Only what the console reads is kept; unknown fields are ignored.
// Deprecated fields are read only as a fallback (see decoding.cpp). Times are UTC QDateTime.
// A connection string (it holds a password) is present only in the replies of
// POST /v1/databases/{id}/connections, POST /v1/projects (its default database) and
// POST /v1/connections/{id}/rotate; everywhere else `Endpoint::connectionString` is empty (list
// replies are stripped as they are decoded: stripConnectionStrings()).
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QUrl>

#include <initializer_list>
#include <optional>
#include <type_traits>
#include <vector>

// The kinds of resource the console shows, in the API's terms (its `type` constants), used by the
// tree, the dialogs and the workflows alike. `Placeholder` is a tree row that stands for no
// resource (a level that is loading, empty or failed) and what an invalid tree index reports.
enum class ResourceKind : quint8 { Workspace, Project, Database, Connection, Placeholder };

// A reference to a parent resource, as embedded in a child ({id, url, name}; its url is not kept).
struct ResourceRef
{
    QString id;
    QString name;
};

struct Workspace
{
    QString id; // "wksp_..."
    QString url;
    QString name;
    QDateTime createdAt;
};

// GET /v1/regions/postgres
struct Region
{
    QString id; // e.g. "eu-central-1"
    QString name; // e.g. "Europe (Frankfurt)"
    bool available = false; // status "available"; "unavailable" or any unknown status: false
    QString statusText; // as sent
};

// One way to reach a database: host and port, and the full URL only right after create/rotate.
struct Endpoint
{
    QString host;
    int port = 0;
    QString connectionString; // secret; empty unless the reply carried it
};

struct Connection
{
    QString id; // "con_..."
    QString name;
    QString kind; // "postgres" or "accelerate"
    QDateTime createdAt;
    std::optional<Endpoint> direct;
    std::optional<Endpoint> pooled;
    std::optional<Endpoint> accelerate;
    ResourceRef database;

    bool carriesConnectionString() const
    {
        return (direct && !direct->connectionString.isEmpty()) || (pooled && !pooled->connectionString.isEmpty())
            || (accelerate && !accelerate->connectionString.isEmpty());
    }
};

// Where a database's data comes from (its `source`, and the `source` of a create request):
// an empty database, a backup of a database (`databaseId`, `backupId`) or a copy of another
// database as it is (`databaseId`). A type this client does not know is kept as text.
struct DataSource
{
    enum class Type { Empty, Backup, Database, Unknown };

    Type type = Type::Empty;
    QString typeText = QStringLiteral("empty"); // as sent
    QString databaseId; // Backup: the database the backup belongs to; Database: the one to clone
    QString backupId; // Backup only

    static DataSource backup(const QString &databaseId, const QString &backupId)
    {
        return { Type::Backup, QStringLiteral("backup"), databaseId, backupId };
    }
    static DataSource database(const QString &databaseId)
    {
        return { Type::Database, QStringLiteral("database"), databaseId, {} };
    }
};

struct Database
{
    enum class Status { Provisioning, Ready, Failure, Recovering, Unknown };

    QString id; // "db_..."
    QString name;
    Status status = Status::Unknown;
    QString statusText; // as sent, so an unknown status can still be shown
    QDateTime createdAt;
    bool isDefault = false;
    QString defaultConnectionId;
    std::vector<Connection> connections;
    ResourceRef project;
    std::optional<ResourceRef> region; // {id, name}
    std::optional<DataSource> source; // where its data came from; absent when the reply had none

    static Status statusFromString(const QString &s);
};

struct Project
{
    QString id; // "proj_..."
    QString name;
    QString logicalId; // may be empty
    QDateTime createdAt;
    QString defaultRegion; // region id, may be empty
    ResourceRef workspace;
    std::optional<Database> database; // only in the reply of POST /v1/projects
    // POST /v1/projects only: the reply was lost and the project was found by its logicalId
    // instead. `database` is then absent: its connection string cannot be recovered.
    bool recovered = false;
};

// GET /v1/workspaces/{id}/subscription: the workspace's plan. While `usageBlocked`, its
// databases refuse queries until the plan changes (upgradeUrl says where).
struct Subscription
{
    QString planName;
    bool usageBlocked = false;
    QUrl upgradeUrl;

    friend bool operator==(const Subscription &, const Subscription &) = default;
};

// One service token of a workspace (GET/POST /v1/workspaces/{workspaceId}/service-tokens).
// `value` is the token itself, a secret: only the 201 answer of the POST carries it, and the
// console puts it straight into the keychain (never on screen, in a log or in a settings file).
struct ServiceToken
{
    QString id;
    QString name;
    QString valueHint; // a non-secret hint of the value, as the service sends it
    QDateTime createdAt;
    QDateTime expiresAt; // invalid: does not expire
    QByteArray value; // only from createServiceToken(); cleared in lists
};

// Clears every connection string (a secret) that `r` holds: a Connection's endpoints, a
// Database's connections, a Project's default database (a Workspace holds none); and a
// ServiceToken's value. The one function
// that does so: every list reply passes through it as it is decoded (Decode::*Page), so no list
// carries a secret; ResourceTreeModel passes what other replies give it (create, GET) through it too.
template <class T> void stripConnectionStrings(T &r)
{
    if constexpr (std::is_same_v<T, Connection>) {
        for (std::optional<Endpoint> *e : { &r.direct, &r.pooled, &r.accelerate })
            if (*e)
                (*e)->connectionString.clear();
    } else if constexpr (std::is_same_v<T, Database>) {
        for (Connection &c : r.connections)
            stripConnectionStrings(c);
    } else if constexpr (std::is_same_v<T, Project>) {
        if (r.database)
            stripConnectionStrings(*r.database);
    } else if constexpr (std::is_same_v<T, ServiceToken>) {
        r.value.clear();
    } else {
        static_assert(std::is_same_v<T, Workspace>, "a resource of resources.h");
    }
}

// GET /v1/me
struct Me
{
    struct User
    {
        QString id;
        QString email;
        QString name;
    };
    struct Credential
    {
        QString type;
        QString id;
        QString name;
    }; // type: oauth, service_token, ...
    std::optional<User> user;
    std::optional<ResourceRef> workspace; // {id, name}
    Credential credential;
};

// GET /v1/databases/{id}/usage
struct Usage
{
    QDateTime periodStart;
    QDateTime periodEnd;
    double operations = 0; // unit "ops"
    double storageGiB = 0; // unit "GiB"
    QDateTime generatedAt;
};

// GET /v1/databases/{id}/backups: one backup of a database. Unknown enum values are kept as text.
struct Backup
{
    enum class Type { Full, Incremental, Differential, Unknown };
    enum class Status { Running, Completed, Failed, Unknown };

    QString id;
    Type type = Type::Unknown; // "backupType"
    QString typeText; // as sent
    Status status = Status::Unknown;
    QString statusText; // as sent ("unknown" is a value of the API, too)
    QDateTime createdAt;
    std::optional<double> size; // bytes, when the service reports it
};

// The reply of GET /v1/databases/{id}/backups: `{data, meta {backupRetentionDays}, pagination
// {hasMore, limit}}`. Not cursor-paged: ask for a larger `limit` to see more.
struct BackupList
{
    std::vector<Backup> items;
    int retentionDays = 0; // meta.backupRetentionDays
    bool hasMore = false;
    int limit = 0; // as echoed by the service; 0 when null
};

// One page of a list: `{"data": [...], "pagination": {"nextCursor", "hasMore"}}`.
template <class T> struct Page
{
    std::vector<T> items;
    QString nextCursor; // opaque; empty when there is none
    bool hasMore = false;
};

// Request bodies.
struct CreateProjectRequest
{
    QString name;
    QString region; // empty: the service's default
    bool createDatabase = true;
    QString workspaceId; // empty: the token's workspace
    QString logicalId; // empty: ApiClient sets a fresh one so a retry cannot duplicate
};

struct CreateDatabaseRequest
{
    QString name;
    QString region; // empty or "inherit": same as the project
    bool isDefault = false;
    // Empty: an empty database. Backup or Database: the new database is "provisioning" until the
    // service has copied the data in.
    DataSource source;
};

#pragma once
// Plain rows of the sandbox's state database (see StateStore), and what the store's mutations
// give back. Times are milliseconds since the Unix epoch, UTC. A "seeded" row is metadata only:
// it has no real PostgreSQL objects. Rows are filled by column name (see rowreader.h), so the
// order of their members is free.

#include "result.h"

#include <QString>
#include <QStringList>

#include <optional>

// Why a store mutation failed, as the API answers it: {"error": {"code", "message", "hint"}}.
struct StoreError
{
    int status = 500; // HTTP status the API answers with
    QString code = QStringLiteral("internal_error");
    QString message = QStringLiteral("Internal error");
    QString hint;
};

// A store mutation's outcome: its value (Done when it has none) or the StoreError to answer.
template <typename T = Done> using StoreResult = Result<T, StoreError>;

struct Credential
{
    QString id;
    QString kind; // "service_token" or "oauth"
    QString name;
    QStringList workspaceIds;
    QString workspaceCsv() const { return workspaceIds.join(QLatin1Char(',')); }
};

// A service token as GET /v1/workspaces/{id}/service-tokens lists it: never its value (only its
// SHA-256 is stored), a hint of it instead.
struct ServiceTokenRow
{
    qint64 seq = 0;
    QString id; // "tok_...", the id GET /v1/me names
    QString name;
    QString valueHint; // "…" and the value's last 4 characters ("…" alone for a value under 16)
    qint64 createdMs = 0;
};

// A service token as created: the only time its value is known.
struct IssuedServiceToken
{
    ServiceTokenRow row;
    QString value;
};

struct WorkspaceRow
{
    qint64 seq = 0;
    QString id;
    QString name;
    qint64 createdMs = 0;
};

// A workspace's plan (GET /v1/workspaces/{id}/subscription). While `usageBlocked`, every
// connection role of the workspace's databases is NOLOGIN: its databases refuse new sessions.
struct SubscriptionRow
{
    QString workspaceId;
    QString planName = QStringLiteral("Free");
    bool usageBlocked = false;
};

struct ProjectRow
{
    qint64 seq = 0;
    QString id;
    QString workspaceId;
    QString workspaceName;
    QString name;
    QString logicalId; // null QString when absent
    QString region; // null QString when absent
    qint64 createdMs = 0;
    bool seeded = false;
};

struct DatabaseRow
{
    qint64 seq = 0;
    QString id;
    QString projectId;
    QString projectName;
    QString name;
    QString region;
    bool isDefault = false;
    QString defaultConnectionId;
    QString pgName; // real database name; null for seeded rows
    QString ownerRole; // NOLOGIN owner role; null for seeded rows
    qint64 createdMs = 0;
    bool seeded = false;
    // Stored while data moves in ("provisioning": a database made from a backup or another
    // database; "recovering": a restore in place) or after that failed ("failure"); null otherwise.
    QString status;
    // Where its data came from (the API's `source`): null or "empty", "backup" (sourceDatabaseId,
    // sourceBackupId) or "database" (sourceDatabaseId). A restore in place sets "backup".
    QString sourceType;
    QString sourceDatabaseId;
    QString sourceBackupId;

    // The status the API reports at `nowMs`: the stored one, else "provisioning" for
    // `provisioningMs` after creation (a seeded database is always ready), then "ready".
    QString statusAt(qint64 nowMs, int provisioningMs) const
    {
        if (!status.isNull())
            return status;
        return !seeded && nowMs - createdMs < provisioningMs ? QStringLiteral("provisioning") : QStringLiteral("ready");
    }
};

// Where a new database's data comes from (the API's `source`): `type` null or "empty" for an empty
// database, "backup" (databaseId, backupId) or "database" (databaseId, a clone).
struct DatabaseSource
{
    QString type;
    QString databaseId;
    QString backupId;
    bool carriesData() const { return type == QLatin1String("backup") || type == QLatin1String("database"); }
};

// A backup of a real database: a pg_dump archive (custom format) in the sandbox's backup folder.
// `status` is "running", "completed" or "failed"; `sizeBytes` is the archive's size once
// completed (0 before). `changeMark` is the database's inserted + updated + deleted tuples when it
// was taken (pg_stat_database), which says whether the database changed since.
struct BackupRow
{
    qint64 seq = 0;
    QString id; // "bkp_..."
    QString databaseId;
    QString backupType = QStringLiteral("full");
    QString status;
    qint64 sizeBytes = 0;
    qint64 createdMs = 0;
    qint64 changeMark = 0;
};

struct ConnectionRow
{
    qint64 seq = 0;
    QString id;
    QString databaseId;
    QString databaseName;
    QString name;
    QString roleName; // LOGIN role; null for seeded rows
    qint64 createdMs = 0;
    bool seeded = false;
};

// A connection as returned by create/rotate: the only time its password is known.
struct IssuedConnection
{
    ConnectionRow row;
    QString password;
};

// A database as returned by create, with its first (default) connection.
struct IssuedDatabase
{
    DatabaseRow row;
    IssuedConnection connection;
};

// A project as returned by create; `database` when one was created with it.
struct IssuedProject
{
    ProjectRow row;
    std::optional<IssuedDatabase> database;
};

// GET /v1/databases/{id}/usage: the real database's size and its committed plus rolled back
// transactions (zero for a seeded database, which has no real one).
struct DatabaseUsage
{
    qint64 bytes = 0;
    qint64 operations = 0;
};

#pragma once
// ResourceJson: the JSON of each resource the API returns, as the SDK's types have it
// (`@prisma/management-api-sdk`, deprecated fields included), with Qt's QJsonObject.
//
// Each resource is a copy of its shape's prototype (made once: the members every resource of the
// shape has, with the values they share) with its own values filled in; a page formats a shared
// creation time once and builds a shared parent reference ({"id", "name", "url"}) once.
// Times are ISO 8601 UTC with milliseconds; URLs are absolute (the server's base URL + /v1/...).
// A database's status is DatabaseRow::statusAt(): stored while data moves in, else
// "provisioning" for provisioningMs after its creation, then "ready" (a seeded one is always
// ready). Its `source` says where its data came from (empty, a backup, another database). Only the create and rotate
// forms carry a password or a connection string. Not thread-safe (the caches are mutable): one per server, on its
// thread.

#include "records.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>

#include <optional>

class ResourceJson
{
public:
    struct Settings
    {
        QString baseUrl; // "http://host:port", the prefix of every "url"
        QString publicHost; // where connection strings and endpoints point
        int publicPort = 5432;
        int provisioningMs = 1000;
    };

    // Which members a connection carries: Listed - no secret. Issued (create, rotate) -
    // connectionString, directConnection, endpoints with the connection string, and the
    // deprecated host/pass/user. IssuedInDatabase (a created database's connections[]) - Issued
    // without connectionString and host/pass/user. ApiKey (a created database's deprecated
    // apiKeys[]) - connectionString and directConnection, endpoints without the connection
    // string, no database.
    enum class ConnectionForm { Listed, Issued, IssuedInDatabase, ApiKey };

    explicit ResourceJson(const Settings &settings);

    QJsonObject workspace(const WorkspaceRow &r) const;
    // `database`, when not undefined, is the value of a "database" member (POST /v1/projects).
    QJsonObject project(const ProjectRow &p, const QJsonValue &database = QJsonValue::Undefined) const;
    // A database with its connections (lists, gets), or as created with its first connection
    // (`issued`), then with the deprecated apiKeys/connectionString/directConnection when
    // `deprecatedFields` (POST /v1/projects and /v1/projects/{id}/databases, not POST
    // /v1/databases).
    QJsonObject database(const DatabaseRow &d, const QList<ConnectionRow> &connections,
        const IssuedConnection *issued = nullptr, bool deprecatedFields = false) const;
    // `d` needs only its id and name, or also pgName for the issued forms (the connection string).
    QJsonObject connection(
        const ConnectionRow &c, const DatabaseRow &d, ConnectionForm form, const QString &password = {}) const;

    // GET /v1/me: {"user", "workspace", "credential"}; an OAuth credential is a user, a service
    // token names its (first) workspace.
    static QJsonObject me(const Credential &cred, const std::optional<WorkspaceRow> &workspace);
    // A service token as GET /v1/workspaces/{id}/service-tokens lists it: {"id", "type":
    // "serviceToken", "name", "valueHint", "createdAt", "expiresAt": null}; with "value" too when
    // `value` is not null (the create answer, the only one that carries it).
    QJsonObject serviceToken(const ServiceTokenRow &t, const QString &value = {}) const;
    // GET /v1/workspaces/{id}/subscription (and the control route that sets it):
    // {"planName", "usageBlocked", "upgradeUrl"}; upgradeUrl is the workspace's billing page on
    // the Console, https://console.prisma.io/<workspace id>/settings/billing.
    static QJsonObject subscription(const SubscriptionRow &s);
    // GET /v1/regions/postgres: the regions, each {"id", "type", "name", "status"}.
    static QJsonArray regions();
    // GET /v1/databases/{id}/usage, with no data envelope: {"period", "metrics", "generatedAt"};
    // storage in GiB, operations in ops.
    static QJsonObject usage(
        const QDateTime &start, const QDateTime &end, const QDateTime &generatedAt, const DatabaseUsage &usage);
    // The status the API reports for `d` now (DatabaseRow::statusAt with provisioningMs).
    QString status(const DatabaseRow &d) const;
    // One backup as GET /v1/databases/{id}/backups lists it: {"id", "type", "backupType",
    // "createdAt", "status"} and "size" (bytes) once completed.
    QJsonObject backup(const BackupRow &b) const;
    // GET /v1/databases/{id}/backups: up to `limit` of `rows` (newest first; one more says there
    // are more), {"data", "meta": {"backupRetentionDays"}, "pagination": {"hasMore", "limit"}}.
    QJsonObject backups(QList<BackupRow> rows, int limit, int retentionDays) const;

private:
    enum class Parent { Workspace, Project, Database };
    QString url(QStringView collection, const QString &id) const;
    QJsonObject ref(Parent kind, const QString &id, const QString &name) const;
    QString hostPort() const; // "publicHost:publicPort"
    QJsonValue time(qint64 ms) const; // ISO 8601 UTC with milliseconds, as a JSON string
    QJsonObject directConnection(const ConnectionRow &c, const QString &password) const;
    QString connectionString(const ConnectionRow &c, const DatabaseRow &d, const QString &password) const;

    Settings m_settings;
    // Each shape's prototype (its members, with the values every resource of the shape has and
    // null where each has its own; see fill() in resourcejson.cpp) and a database's statuses.
    struct Prototypes
    {
        QJsonObject ref, workspace, project, database, connection;
        QJsonValue ready, provisioning;
    } m_json;
    mutable qint64 m_lastTimeMs = 0;
    mutable QJsonValue m_lastTime; // time(m_lastTimeMs); null until the first time()
    struct LastRef
    {
        QString id;
        QString name;
        QJsonObject json;
    };
    mutable LastRef m_lastRef[3]; // ref()'s last answer for each Parent
};

#pragma once
// ApiServer: the Prisma Management API (the subset in shared/CONTRACT.md) over HTTP with Qt
// HttpServer, backed by StateStore. Every answer uses the API's envelopes: {"data": ...},
// lists {"data": [...], "pagination": {"nextCursor", "hasMore"}}, errors
// {"error": {"code", "message", "hint"}} with stable codes (unauthorized, not_found, forbidden,
// conflict, validation_error, bad_request, payload_too_large, route_not_found,
// method_not_allowed, rate_limited, internal_error).
// Runs on the thread that owns the StateStore (the main thread). Faults apply under /v1 only.
// Database status is `provisioning` for provisioningMs after creation, then `ready`.

#include "faults.h"
#include "records.h"

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QObject>
#include <QPair>

#include <memory>

class QHttpServer;
class QHttpServerRequest;
class QHttpServerResponder;
class StateStore;

class ApiServer : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        QHostAddress address = QHostAddress::LocalHost;
        QString host = QStringLiteral("127.0.0.1");
        quint16 port = 0;
        int provisioningMs = 1000;
        bool logRequests = false;  // one stderr line per request: method, path, status (never tokens or bodies)
    };

    ApiServer(StateStore *store, Faults *faults, const Options &options, QObject *parent = nullptr);
    ~ApiServer() override;

    bool listen(QString *error);   // binds; port() is the real port afterwards
    // Graceful stop: no new connections or requests; answers already written are delivered
    // (runs the event loop for at most timeoutMs), then every connection is closed.
    void closeConnections(int timeoutMs);
    quint16 port() const { return m_port; }
    QString baseUrl() const;

    struct Reply
    {
        int status = 200;
        QByteArray body;           // JSON; empty for 204
        QList<QPair<QByteArray, QByteArray>> headers;
    };

private:
    enum class Route {
        Me, Workspaces, Workspace, Regions, Projects, Project, ProjectDatabases, Databases, Database,
        DatabaseConnections, DatabaseUsage, DatabaseBackups, Connections, Connection, ConnectionRotate, Faults
    };

    void addRoute(const QString &pattern, Route route);
    void dispatch(Route route, const QString &arg, const QHttpServerRequest &request, QHttpServerResponder &&responder);
    Reply handle(Route route, const QString &arg, const QHttpServerRequest &request);
    void send(QHttpServerResponder &&responder, const Reply &reply, const Faults::Decision &decision);

    Reply me(const Credential &cred);
    Reply listWorkspaces(const Credential &cred, const QHttpServerRequest &request);
    Reply getWorkspace(const Credential &cred, const QString &id);
    Reply regions();
    Reply listProjects(const Credential &cred, const QHttpServerRequest &request);
    Reply createProject(const Credential &cred, const QHttpServerRequest &request);
    Reply project(const Credential &cred, const QString &id, const QHttpServerRequest &request);
    Reply listDatabases(const Credential &cred, const QHttpServerRequest &request, const QString &projectId);
    Reply createDatabase(const Credential &cred, const QString &projectId, const QHttpServerRequest &request,
                         bool deprecatedFields = true);
    Reply createDatabaseTop(const Credential &cred, const QHttpServerRequest &request);
    Reply createConnectionTop(const Credential &cred, const QHttpServerRequest &request);
    Reply database(const Credential &cred, const QString &id, const QHttpServerRequest &request);
    Reply listConnections(const Credential &cred, const QHttpServerRequest &request, const QString &databaseId);
    Reply createConnection(const Credential &cred, const QString &databaseId, const QHttpServerRequest &request);
    Reply connection(const Credential &cred, const QString &id, const QHttpServerRequest &request);
    Reply rotate(const Credential &cred, const QString &id);
    Reply usage(const Credential &cred, const QString &id, const QHttpServerRequest &request);
    Reply backups(const Credential &cred, const QString &id, const QHttpServerRequest &request);
    Reply faultsRoute(const QHttpServerRequest &request);

    enum class ConnectionForm { Listed, Issued, IssuedInDatabase, ApiKey };   // see connectionJson()
    void makeSharedJson();
    QString url(QStringView collection, const QString &id) const;
    enum class Parent { Workspace, Project, Database };
    QJsonObject ref(Parent kind, const QString &id, const QString &name) const;
    QString hostPort() const;   // "publicHost:publicPort"
    QJsonValue time(qint64 ms) const;   // ISO 8601 UTC with milliseconds, as a JSON string
    QJsonObject directConnection(const ConnectionRow &c, const QString &password) const;
    QJsonObject workspaceJson(const WorkspaceRow &r) const;
    // `database`, when not undefined, is the value of a "database" member (POST /v1/projects).
    QJsonObject projectJson(const ProjectRow &p, const QJsonValue &database = QJsonValue::Undefined) const;
    QJsonObject databaseJson(const DatabaseRow &d, const QList<ConnectionRow> &connections,
                             const IssuedConnection *issued = nullptr, bool deprecatedFields = false) const;
    QJsonObject connectionJson(const ConnectionRow &c, const DatabaseRow &d, ConnectionForm form,
                               const QString &password = {}) const;
    QHash<QString, QList<ConnectionRow>> connectionsByDatabase(const QList<DatabaseRow> &rows) const;
    Reply databaseReply(const DatabaseRow &d) const;
    QString connectionString(const ConnectionRow &c, const DatabaseRow &d, const QString &password) const;

    std::unique_ptr<QHttpServer> m_http;
    StateStore *m_store;
    Faults *m_faults;
    Options m_options;
    quint16 m_port = 0;
    QString m_baseUrl;   // baseUrl(), once listening
    // JSON that answers share, made when listening (a connection's endpoints name the store's
    // target): each shape's prototype (its members, with the values every resource of the shape
    // has and null where each has its own; see fill() in apiserver.cpp) and a database's statuses.
    struct SharedJson
    {
        QJsonObject ref, workspace, project, database, connection;
        QJsonValue ready, provisioning;
    } m_json;
    mutable qint64 m_lastTimeMs = 0;
    mutable QJsonValue m_lastTime;   // time(m_lastTimeMs); null until the first time()
    struct LastRef
    {
        QString id;
        QString name;
        QJsonObject json;
    };
    mutable LastRef m_lastRef[3];   // ref()'s last answer for each Parent
};

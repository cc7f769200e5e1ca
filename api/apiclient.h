// ApiClient: typed, asynchronous calls to the Prisma Management API (docs/MANAGEMENT-API.md), one per route.
//
// One client belongs to one session (profile): it holds that profile's token and base URL.
// Destroying the client, or cancelAll(), ends its outstanding calls; a destroyed client delivers
// nothing more, so no reply of one account can reach another's views.
// Every call returns its ApiCall (for cancel and activity lists) and later invokes `done` exactly
// once on `context`'s thread, unless `context` was destroyed first. Errors are ApiError (apierror.h).
// Security: HTTPS only, except loopback hosts (the local sandbox); TLS errors are never ignored;
// redirects stay on the same origin; the token is sent only as `Authorization: Bearer`, added in
// one place (newRequest); `User-Agent: ppg-console/<version>`. A call the client refuses to send
// (a base URL that fails validateBaseUrl(), an empty id, a token with control characters) still
// ends in an ApiError, delivered from the event loop like any other.
// Pagination: every list call returns one Page; Page::nextCursor is opaque and goes back as
// PageRequest::cursor. pagewalker.h walks all pages (delivering each one as it arrives).
#pragma once

#include "apicall.h"
#include "resources.h"
#include "result.h"

#include <QObject>
#include <QUrl>

#include <chrono>
#include <functional>

class QNetworkAccessManager;
class QNetworkRequest;

// Which page of a list to fetch: an opaque cursor from the previous page (empty for the first)
// and a page size (0: the server's default, 100).
struct PageRequest
{
    QString cursor;
    int limit = 0;
};

class ApiClient : public QObject
{
    Q_OBJECT
public:
    template <class T> using Callback = std::function<void(Result<T>)>;

    struct Options
    {
        int maxAttempts = 4; // per call, first try included
        std::chrono::milliseconds baseBackoff { 250 }; // first retry waits up to this (full jitter)
        std::chrono::milliseconds maxBackoff { 8000 };
        std::chrono::milliseconds transferTimeout { 20000 }; // no byte for this long: the attempt fails
        std::chrono::milliseconds deadline { 60000 }; // the whole call, retries included
        std::chrono::milliseconds maxRetryAfter { 30000 }; // a longer Retry-After ends the call
    };

    // `token` is taken over; it is wiped from memory when the client is destroyed.
    ApiClient(const QUrl &baseUrl, QByteArray token, QObject *parent = nullptr);
    ~ApiClient() override;

    // Empty when `url` may be used as an API base URL, else a sentence saying why not.
    static QString validateBaseUrl(const QUrl &url);

    QUrl baseUrl() const { return m_baseUrl; }
    const Options &options() const { return m_options; }
    void setOptions(const Options &options) { m_options = options; }
    // Ends every outstanding call as Cancelled.
    void cancelAll();
    int pendingCalls() const;

    // GET /v1/me
    ApiCall *me(QObject *context, Callback<Me> done);
    // GET /v1/workspaces
    ApiCall *listWorkspaces(const PageRequest &page, QObject *context, Callback<Page<Workspace>> done);
    // GET /v1/workspaces/{id} (404 when the token cannot see it)
    ApiCall *getWorkspace(const QString &id, QObject *context, Callback<Workspace> done);
    // GET /v1/workspaces/{id}/subscription: the plan and whether usage is blocked (404).
    ApiCall *subscription(const QString &workspaceId, QObject *context, Callback<Subscription> done);
    // GET /v1/workspaces/{workspaceId}/service-tokens: newest first, no values (an empty list for
    // a workspace the token cannot see).
    ApiCall *listServiceTokens(
        const QString &workspaceId, const PageRequest &page, QObject *context, Callback<Page<ServiceToken>> done);
    // POST /v1/workspaces/{workspaceId}/service-tokens {name} (201): the token with its value,
    // which this answer alone carries (404, 422). Not retried; a lost reply reports
    // mayHaveBeenApplied (the value is then lost: revoke the token).
    ApiCall *createServiceToken(
        const QString &workspaceId, const QString &name, QObject *context, Callback<ServiceToken> done);
    // DELETE /v1/workspaces/{workspaceId}/service-tokens/{id} (204; 404): revokes the token.
    ApiCall *deleteServiceToken(const QString &workspaceId, const QString &id, QObject *context, Callback<Done> done);
    // GET /v1/regions/postgres
    ApiCall *listRegions(QObject *context, Callback<std::vector<Region>> done);
    // GET /v1/projects
    ApiCall *listProjects(const PageRequest &page, QObject *context, Callback<Page<Project>> done);
    // GET /v1/projects?logicalId=: the projects carrying this logicalId (at most one per workspace).
    ApiCall *listProjects(
        const PageRequest &page, const QString &logicalId, QObject *context, Callback<Page<Project>> done);
    // GET /v1/projects/{id}
    ApiCall *getProject(const QString &id, QObject *context, Callback<Project> done);
    // POST /v1/projects (201). Sets a fresh logicalId if none is given, so that a retry after a lost
    // reply finds the project instead of creating a second one.
    ApiCall *createProject(CreateProjectRequest request, QObject *context, Callback<Project> done);
    // PATCH /v1/projects/{id} {name}: the renamed project (404, 422 for a refused name). Not retried;
    // a lost reply reports mayHaveBeenApplied.
    ApiCall *renameProject(const QString &id, const QString &name, QObject *context, Callback<Project> done);
    // POST /v1/projects/{id}/transfer {recipientAccessToken} (204): the project, its databases
    // and connections move to the workspace of `recipientToken` (401 for a refused token, 404,
    // 409 when it cannot move now). Not retried. The token goes into the body only, never a log.
    ApiCall *transferProject(
        const QString &id, const QByteArray &recipientToken, QObject *context, Callback<Done> done);
    // DELETE /v1/projects/{id} (204; 400 while it holds other databases)
    ApiCall *deleteProject(const QString &id, QObject *context, Callback<Done> done);
    // GET /v1/projects/{projectId}/databases
    ApiCall *listDatabases(
        const QString &projectId, const PageRequest &page, QObject *context, Callback<Page<Database>> done);
    // GET /v1/databases[?projectId=]: every database the token sees, across projects.
    ApiCall *listAllDatabases(const PageRequest &page, QObject *context, Callback<Page<Database>> done);
    // GET /v1/databases?projectId=: as above, only the databases of `projectId` (all when empty).
    ApiCall *listAllDatabases(
        const PageRequest &page, const QString &projectId, QObject *context, Callback<Page<Database>> done);
    // GET /v1/databases/{id}
    ApiCall *getDatabase(const QString &id, QObject *context, Callback<Database> done);
    // POST /v1/projects/{projectId}/databases (201). With a `source` (a backup, or another database
    // to clone) the database answers "provisioning" until its data is in; 400 for a source the
    // service refuses, 404 for an unknown source database or backup.
    ApiCall *createDatabase(
        const QString &projectId, const CreateDatabaseRequest &request, QObject *context, Callback<Database> done);
    // POST /v1/databases/{targetId}/restore {source: {type: "backup", databaseId, backupId}}:
    // destructive, the target's data is replaced by the backup's (its connections and their
    // credentials stay). 200 with the database "recovering" until the data is back; 404 (target,
    // source database or backup), 409 (the target is provisioning or recovering), 422 (a backup
    // that cannot be used). Not retried; a lost reply reports mayHaveBeenApplied.
    ApiCall *restoreDatabase(const QString &targetId, const QString &sourceDatabaseId, const QString &backupId,
        QObject *context, Callback<Database> done);
    // PATCH /v1/databases/{id} {name}: the renamed database (404, 409, 413). Not retried.
    ApiCall *renameDatabase(const QString &id, const QString &name, QObject *context, Callback<Database> done);
    // DELETE /v1/databases/{id} (204; 403 for the default database)
    ApiCall *deleteDatabase(const QString &id, QObject *context, Callback<Done> done);
    // GET /v1/databases/{databaseId}/connections
    ApiCall *listConnections(
        const QString &databaseId, const PageRequest &page, QObject *context, Callback<Page<Connection>> done);
    // GET /v1/connections[?databaseId=]: every connection the token sees (host and port only),
    // or those of one database when `databaseId` is not empty.
    ApiCall *listAllConnections(
        const PageRequest &page, const QString &databaseId, QObject *context, Callback<Page<Connection>> done);
    // GET /v1/connections/{id} (host and port only; 404)
    ApiCall *getConnection(const QString &id, QObject *context, Callback<Connection> done);
    // POST /v1/databases/{databaseId}/connections (200): the reply carries the connection strings.
    ApiCall *createConnection(
        const QString &databaseId, const QString &name, QObject *context, Callback<Connection> done);
    // DELETE /v1/connections/{id} (204)
    ApiCall *deleteConnection(const QString &id, QObject *context, Callback<Done> done);
    // POST /v1/connections/{id}/rotate: new credentials, new connection strings.
    ApiCall *rotateConnection(const QString &id, QObject *context, Callback<Connection> done);
    // GET /v1/databases/{id}/usage
    ApiCall *usage(const QString &databaseId, QObject *context, Callback<Usage> done);
    // GET /v1/databases/{id}/backups[?limit=]: backups and the retention period (404, 422).
    // `limit` 0: the service's default.
    ApiCall *listBackups(const QString &databaseId, int limit, QObject *context, Callback<BackupList> done);

Q_SIGNALS:
    // Any call was answered 401: the profile's token is wrong or revoked.
    void unauthorized();

private:
    friend class ApiCall;
    QNetworkRequest newRequest(const ApiCall::Request &request) const;
    QNetworkReply *send(const ApiCall::Request &request);

    template <class T, class Decoder>
    ApiCall *call(ApiCall::Request request, QObject *context, Callback<T> done, Decoder decode);
    // Why `request` must not be sent (empty when it may).
    QString refusal(const ApiCall::Request &request) const;

    QUrl m_baseUrl;
    QByteArray m_token;
    Options m_options;
    QNetworkAccessManager *m_network;
};

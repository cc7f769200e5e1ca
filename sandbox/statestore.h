#pragma once
// StateStore: the sandbox's records (workspaces, tokens, projects, databases, connections) in the
// state database, read and changed through a SqlSession, with the real PostgreSQL objects behind
// them (PgObjects) made and dropped in step. The route handlers' only way to the state.
//
// Reads: lists use keyset pagination on `seq` and return up to limit+1 rows after `afterSeq`
// (the extra one says a next page exists); only the credential's workspaces are visible (a get
// of another workspace's row finds nothing). A failed read is logged and finds nothing.
// Mutations return a StoreResult: the rows made, or the StoreError whose status and code the API
// answers with (500 internal_error for database failures; 404, 409, 400 for the caller's).
// Consistency: role DDL and rows change in one transaction; CREATE/DROP DATABASE cannot run in
// a transaction, so they run first and are undone (compensated) when the rows cannot change;
// schema::reconcile() at start drops real objects that no row refers to.
// Threading: the SqlSession's (the main thread).

#include "pgobjects.h"
#include "records.h"
#include "sqlsession.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

class StateStore
{
public:
    explicit StateStore(SqlSession &sql) : m_sql(sql), m_pg(sql) { }

    // Where connection strings point (PostgresTarget::publicHost, publicPort).
    const PostgresTarget &target() const { return m_sql.target(); }

    // Tokens are stored as SHA-256 hex with a hint of their value; workspaces are created by name
    // when missing. `kind` is "service_token" or "oauth".
    SqlResult<> upsertToken(const QString &token, const QString &kind, const QStringList &workspaceNames);

    // GET /v1/workspaces/{id}/service-tokens: the workspace's service tokens, newest first, up to
    // limit+1 with a seq below `beforeSeq` (0: from the newest). The caller checks membership.
    QList<ServiceTokenRow> serviceTokens(const QString &workspaceId, qint64 beforeSeq, int limit);
    // POST /v1/workspaces/{id}/service-tokens: a new random token of the workspace (its SHA-256
    // stored, its value returned once); it authenticates at once. 404 for an unknown workspace.
    StoreResult<IssuedServiceToken> createServiceToken(const QString &workspaceId, const QString &name);
    // DELETE /v1/workspaces/{id}/service-tokens/{tokenId}: revokes it (its next request gets
    // 401). 404 when the workspace has no such service token.
    StoreResult<> deleteServiceToken(const QString &workspaceId, const QString &tokenId);
    // The credential of a bearer token, with its workspaces; nullopt for an unknown token.
    std::optional<Credential> authenticate(const QByteArray &token);

    QList<WorkspaceRow> workspaces(const Credential &cred, qint64 afterSeq, int limit);
    std::optional<WorkspaceRow> workspace(const Credential &cred, const QString &id);

    // GET /v1/workspaces/{id}/subscription: the plan of a workspace the credential sees;
    // nullopt for one it does not see (404).
    std::optional<SubscriptionRow> subscription(const Credential &cred, const QString &workspaceId);
    // POST /_sandbox/workspaces/{id}/subscription: sets the plan's name (unless null) and its
    // usage block (unless nullopt). Blocking makes every connection role of the workspace NOLOGIN
    // and ends their sessions (after the change is committed); unblocking gives them LOGIN back.
    // 404 for an unknown workspace.
    StoreResult<SubscriptionRow> setSubscription(
        const QString &workspaceId, const QString &planName, std::optional<bool> usageBlocked);

    QList<ProjectRow> projects(const Credential &cred, qint64 afterSeq, int limit, const QString &logicalId = {});
    std::optional<ProjectRow> project(const Credential &cred, const QString &id);

    QList<DatabaseRow> databases(const Credential &cred, qint64 afterSeq, int limit, const QString &projectId = {});
    std::optional<DatabaseRow> database(const Credential &cred, const QString &id);
    // Any workspace's database (the /_sandbox control routes and background work have no credential).
    std::optional<DatabaseRow> databaseById(const QString &id);

    QList<ConnectionRow> connections(
        const Credential &cred, qint64 afterSeq, int limit, const QString &databaseId = {});
    // The connections of these databases (a page of databases() rows), in creation order.
    QList<ConnectionRow> connectionsOf(const QList<DatabaseRow> &databases);
    std::optional<ConnectionRow> connection(const Credential &cred, const QString &id);

    // POST /v1/projects: the project and, when `createDatabase`, its default database with a
    // real database and its first connection. 404 for an unknown workspace, 409 when the
    // workspace already has a project with `logicalId` (null: none).
    StoreResult<IssuedProject> createProject(const QString &workspaceId, const QString &name, const QString &logicalId,
        const QString &region, bool createDatabase);
    StoreResult<> renameProject(const QString &projectId, const QString &name);
    // POST /v1/projects/{id}/transfer: the project, with its databases and connections, now
    // belongs to workspace `workspaceId`; the real databases and roles stay as they are (every
    // connection string keeps working), their LOGIN follows the new workspace's usage block.
    // 409 while a database of the project is provisioning or recovering (`statusOf` says a
    // database's status as the API reports it) and when the workspace already has a project with
    // the same logicalId; 404 for an unknown workspace.
    StoreResult<> transferProject(const ProjectRow &project, const QString &workspaceId,
        const std::function<QString(const DatabaseRow &)> &statusOf);
    // DELETE /v1/projects/{id}: 400 while it has databases other than its default one, which
    // goes with it.
    StoreResult<> deleteProject(const ProjectRow &project);

    // POST /v1/projects/{id}/databases, POST /v1/databases: a real database plus its default
    // connection; the project's default database when `isDefault` or when it has none. A source
    // that carries data is recorded and leaves the database "provisioning" (Backups fills it).
    StoreResult<IssuedDatabase> createDatabase(const ProjectRow &project, const QString &name, const QString &region,
        bool isDefault, const DatabaseSource &source = {});
    StoreResult<> renameDatabase(const QString &databaseId, const QString &name);
    StoreResult<> deleteDatabase(const DatabaseRow &db); // with its connections and roles

    // POST /v1/databases/{id}/connections, POST /v1/connections: a LOGIN role (NOLOGIN while the
    // workspace's usage is blocked) and its record.
    StoreResult<IssuedConnection> createConnection(const DatabaseRow &db, const QString &name);
    // POST /v1/connections/{id}/rotate: a new password (the old one's sessions are ended).
    StoreResult<IssuedConnection> rotateConnection(const ConnectionRow &con);
    StoreResult<> deleteConnection(const ConnectionRow &con, const DatabaseRow &db);

    // GET /v1/databases/{id}/usage; nullopt when it cannot be read.
    std::optional<DatabaseUsage> usage(const DatabaseRow &db);

    // ---- backups and restores (Backups runs the tools; these keep the records) ----
    // A database's stored status (a null QString clears it: the status follows its age again).
    StoreResult<> setDatabaseStatus(const QString &databaseId, const QString &status);
    // A restore in place begins: "recovering", its source the backup. 409 when data is already
    // moving in (a stored provisioning or recovering status).
    StoreResult<> beginRestore(const DatabaseRow &target, const DatabaseSource &source);
    // The login roles of a database's connections (what a restore in place must keep working).
    QStringList loginRoles(const QString &databaseId);
    // Drops the scratch database a failed restore in place leaves (IF EXISTS, sessions ended).
    SqlResult<> dropScratchDatabase(const QString &pgName);

    SqlResult<> insertBackup(BackupRow &backup); // sets its seq
    StoreResult<> finishBackup(const QString &backupId, bool completed, qint64 sizeBytes);
    // Newest first, up to limit+1 (the extra one says there are more).
    QList<BackupRow> backups(const QString &databaseId, int limit);
    std::optional<BackupRow> backup(const QString &databaseId, const QString &backupId);
    QStringList backupIds(); // every backup's id (the folder is swept of files without one)
    // Backups older than `cutoffMs`, deleted; their (database id, backup id) pairs.
    QList<QPair<QString, QString>> deleteBackupsBefore(qint64 cutoffMs);
    // Real databases with no stored status, made before `createdBeforeMs`, with no backup running
    // and none taken since `backupSinceMs`, each with its last completed backup's change mark
    // (-1: none).
    QList<QPair<DatabaseRow, qint64>> databasesDueForBackup(qint64 createdBeforeMs, qint64 backupSinceMs);
    // Inserted + updated + deleted tuples of every real database (pg_stat_database), by pg name.
    QHash<QString, qint64> changeMarks();
    // After a restart: running backups become failed (their ids returned), and databases left
    // provisioning or recovering become failure.
    QStringList failInterruptedWork();

private:
    SqlResult<QString> workspaceIdByName(const QString &name);
    StoreResult<> rename(const char *table, const QString &id, const QString &name);
    SqlResult<qint64> insertReturningSeq(const QString &sql, const QVariantList &binds);
    SqlResult<> insertDatabaseTx(DatabaseRow &db);
    SqlResult<IssuedConnection> insertConnectionTx(const DatabaseRow &db, const QString &name);
    std::optional<SubscriptionRow> subscriptionRow(const QString &workspaceId);
    // The connection roles of a workspace's databases (`column` "p.workspace_id") or of a
    // project's ("p.id").
    SqlResult<QStringList> connectionRoles(const char *column, const QString &id);

    SqlSession &m_sql;
    PgObjects m_pg;
};

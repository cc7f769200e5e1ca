#pragma once
// StateStore: the sandbox's state (workspaces, tokens, projects, databases, connections) kept
// in the PostgreSQL database `ppg_sandbox` through one QtSql (QPSQL) admin connection, plus the
// real PostgreSQL objects behind it: one database owned by a NOLOGIN owner role per sandbox
// database, one LOGIN role (member of that owner) per connection.
//
// Threading: use from one thread only (the main thread): QSqlDatabase is per thread.
// Statements with bound values are prepared once per connection and kept (see run()); every
// reader consumes its rows before it returns, so no kept statement is ever shared mid-read.
// Planner statistics: open() analyzes tables whose statistics are missing or stale, seed()
// analyzes what it inserted (a large account is read through its indexes from the first page).
// Consistency: role DDL and state rows change in one transaction; CREATE/DROP DATABASE cannot
// run in a transaction, so they run first and are undone (compensated) when the state change
// fails; reconcile() at start drops real objects that no row refers to.
// Errors: mutating methods return false and fill a StoreError whose status/code the API sends
// (500 internal_error for database failures, 404/409/400/403 for the caller's mistakes).
// Lists use keyset pagination on `seq`: they return up to limit+1 rows after `afterSeq`.

#include "records.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QVariant>

#include <memory>
#include <optional>
#include <unordered_map>

class StateStore
{
public:
    struct Target
    {
        QString host;      // a unix socket directory or a host name
        int port = 5432;
        QString user;
        QString password;
        QString dbname = QStringLiteral("ppg_sandbox");
        QString publicHost = QStringLiteral("127.0.0.1"); // host put into connection strings
        int publicPort = 5432;
    };

    StateStore();
    ~StateStore();

    bool open(const Target &target, QString *error);
    void close();
    QString adminConnInfo() const;  // libpq keywords, no password
    bool reconcile(QString *error);

    const Target &target() const { return m_target; }

    // Tokens are stored as SHA-256 hex; workspaces are created by name when missing.
    bool upsertToken(const QString &token, const QString &kind, const QStringList &workspaceNames, QString *error);
    std::optional<Credential> authenticate(const QByteArray &token);

    QList<WorkspaceRow> workspaces(const Credential &cred, qint64 afterSeq, int limit);
    std::optional<WorkspaceRow> workspace(const Credential &cred, const QString &id);

    QList<ProjectRow> projects(const Credential &cred, qint64 afterSeq, int limit, const QString &logicalId = {});
    std::optional<ProjectRow> project(const Credential &cred, const QString &id);

    QList<DatabaseRow> databases(const Credential &cred, qint64 afterSeq, int limit, const QString &projectId = {});
    std::optional<DatabaseRow> database(const Credential &cred, const QString &id);

    QList<ConnectionRow> connections(const Credential &cred, qint64 afterSeq, int limit, const QString &databaseId = {});
    // The connections of these databases (a page of databases() rows), in creation order.
    QList<ConnectionRow> connectionsOf(const QList<DatabaseRow> &databases);
    std::optional<ConnectionRow> connection(const Credential &cred, const QString &id);

    // POST /v1/projects. `createdDb`/`createdCon` are filled when createDatabase is true.
    bool createProject(const QString &workspaceId, const QString &name, const QString &logicalId,
                       const QString &region, bool createDatabase, ProjectRow *project,
                       std::optional<DatabaseRow> *createdDb, std::optional<IssuedConnection> *createdCon,
                       StoreError *err);
    bool renameProject(const QString &projectId, const QString &name, StoreError *err);
    bool deleteProject(const ProjectRow &project, StoreError *err);

    // POST /v1/projects/{id}/databases: a real database plus its default connection.
    bool createDatabase(const ProjectRow &project, const QString &name, const QString &region, bool isDefault,
                        DatabaseRow *db, IssuedConnection *con, StoreError *err);
    bool renameDatabase(const QString &databaseId, const QString &name, StoreError *err);
    bool deleteDatabase(const DatabaseRow &db, StoreError *err);

    bool createConnection(const DatabaseRow &db, const QString &name, IssuedConnection *con, StoreError *err);
    bool rotateConnection(const ConnectionRow &con, QString *newPassword, StoreError *err);
    bool deleteConnection(const ConnectionRow &con, const DatabaseRow &db, StoreError *err);

    // GET /v1/databases/{id}/usage: size in bytes and committed+rolled back transactions.
    bool usage(const DatabaseRow &db, qint64 *bytes, qint64 *operations);

    // Metadata-only rows ("(seeded)" names, no real objects), batch inserted. Idempotent in
    // the number of seeded projects per workspace.
    bool seed(const QString &workspaceId, int projects, int databasesPerProject, int connectionsPerDatabase,
              QString *error);

    static QString newId(const QString &prefix);     // prefix + 20 random [a-z0-9]
    static QString newPassword();                    // 32 random [A-Za-z0-9], CSPRNG

private:
    template<typename Row>
    struct Resource;   // what a list or get of one kind of row reads (statestore.cpp)
    static const Resource<WorkspaceRow> kWorkspaces;
    static const Resource<ProjectRow> kProjects;
    static const Resource<DatabaseRow> kDatabases;
    static const Resource<ConnectionRow> kConnections;

    QSqlDatabase db() const;
    bool exec(const QString &sql, const QVariantList &binds = {}, QString *error = nullptr);
    // Executes `sql` (constant text with `?` placeholders) with `binds` through the statement
    // kept for that text, preparing it on first use; nullptr with *error on failure.
    QSqlQuery *run(const QString &sql, const QVariantList &binds, QString *error);
    template<typename Row>
    QList<Row> select(const QString &sql, const QVariantList &binds, Row (*from)(const QSqlQuery &),
                      QString *error = nullptr);
    template<typename Row>
    QList<Row> list(const Resource<Row> &resource, const Credential &cred, qint64 afterSeq, int limit,
                    const char *filterColumn = nullptr, const QString &filter = {});
    template<typename Row>
    std::optional<Row> get(const Resource<Row> &resource, const Credential &cred, const QString &id);
    bool endTransaction(bool ok, QString *error);
    void analyzeStaleTables();
    bool rename(const char *table, const QString &id, const QString &name, StoreError *err);
    bool createRealDatabase(const QString &pgName, const QString &ownerRole, QString *error);
    void dropRealDatabase(const QString &pgName, const QString &ownerRole);
    bool insertReturningSeq(const QString &sql, const QVariantList &binds, qint64 *seq, QString *error);
    bool insertDatabaseTx(DatabaseRow &dbRow, QString *error);
    bool insertConnectionTx(const DatabaseRow &db, const QString &name, IssuedConnection *con, QString *error);
    bool runInDatabase(const QString &pgName, const QStringList &statements, QString *error);
    QString workspaceIdByName(const QString &name, QString *error);

    QString m_connName;
    Target m_target;
    std::unordered_map<QString, std::unique_ptr<QSqlQuery>> m_prepared;   // by SQL text
};

#pragma once
// PgObjects: the real PostgreSQL objects behind the sandbox's records, made and dropped through
// the SqlSession's admin connection (a superuser's). Each sandbox database is a real database
// owned by a NOLOGIN role `<db id>_owner`; each connection is a LOGIN role named after the
// connection id, member of that owner, whose sessions run as the owner (`ALTER ROLE ... SET
// role`), so all connections of a database share its tables. Also reads a database's usage.
//
// CREATE/DROP DATABASE cannot run inside a transaction; role statements can, and run in the
// caller's transaction when there is one (StateStore changes roles and rows together).
// Errors: SqlResult with PostgreSQL's text; the best-effort methods log theirs and go on.

#include "records.h"
#include "sqlsession.h"

#include <QString>
#include <QStringList>

#include <optional>

class PgObjects
{
public:
    explicit PgObjects(SqlSession &sql) : m_sql(sql) { }

    // The NOLOGIN owner role, then the database it owns, which only its roles may connect to.
    // Nothing is left behind when it fails.
    SqlResult<> createDatabase(const QString &pgName, const QString &ownerRole);
    // Undoes createDatabase(), best effort.
    void dropDatabaseAndOwner(const QString &pgName, const QString &ownerRole);
    SqlResult<> dropDatabase(const QString &pgName); // its sessions are ended (WITH (FORCE))
    // An empty database again under a record whose deletion failed after its database was dropped.
    SqlResult<> restoreDatabase(const QString &pgName, const QString &ownerRole);

    // A connection's role: member of `ownerRole`, acting as it inside `pgName`; LOGIN unless
    // `canLogin` is false (its workspace's usage is blocked).
    SqlResult<> createLoginRole(const QString &role, const QString &password, const QString &ownerRole,
        const QString &pgName, bool canLogin = true);
    SqlResult<> setPassword(const QString &role, const QString &password);
    // ALTER ROLE ... LOGIN or NOLOGIN: a connection role of a blocked workspace may not log in
    // (PostgreSQL answers a new session with: role "<role>" is not permitted to log in).
    SqlResult<> setLogin(const QString &role, bool canLogin);
    // Inside `pgName`: what `role` owns goes to `ownerRole`, then its remaining privileges go.
    SqlResult<> releaseOwned(const QString &pgName, const QString &role, const QString &ownerRole);
    SqlResult<> dropRole(const QString &role);
    void terminateSessions(const QString &role); // best effort: ends the role's open sessions
    // Best effort: ends the open sessions of these roles, waiting up to 5 s for each to be gone.
    void terminateSessions(const QStringList &roles);

    // GET /v1/databases/{id}/usage: size in bytes and committed + rolled back transactions;
    // nullopt when they cannot be read.
    std::optional<DatabaseUsage> usage(const QString &pgName);

private:
    // Runs `statements` over a connection of their own to database `pgName`, stopping at the
    // first that fails.
    SqlResult<> runInDatabase(const QString &pgName, const QStringList &statements);

    SqlSession &m_sql;
};

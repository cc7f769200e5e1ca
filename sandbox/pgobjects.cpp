#include "pgobjects.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

#include <tuple>

SqlResult<> PgObjects::createDatabase(const QString &pgName, const QString &ownerRole)
{
    if (SqlResult<> r = m_sql.exec(QStringLiteral("CREATE ROLE %1 NOLOGIN").arg(quoteIdent(ownerRole))); !r)
        return r;
    if (SqlResult<> r
        = m_sql.exec(QStringLiteral("CREATE DATABASE %1 OWNER %2").arg(quoteIdent(pgName), quoteIdent(ownerRole)));
        !r) {
        std::ignore = dropRole(ownerRole);
        return r;
    }
    // Only this database's roles may connect to it.
    std::ignore
        = m_sql.exec(QStringLiteral("REVOKE CONNECT, TEMPORARY ON DATABASE %1 FROM PUBLIC").arg(quoteIdent(pgName)));
    return Done {};
}

void PgObjects::dropDatabaseAndOwner(const QString &pgName, const QString &ownerRole)
{
    if (const SqlResult<> r = dropDatabase(pgName); !r)
        qWarning("ppg-sandbox: cannot drop database %s: %s", qPrintable(pgName), qPrintable(r.error()));
    if (const SqlResult<> r = dropRole(ownerRole); !r)
        qWarning("ppg-sandbox: cannot drop role %s: %s", qPrintable(ownerRole), qPrintable(r.error()));
}

SqlResult<> PgObjects::dropDatabase(const QString &pgName)
{
    return m_sql.exec(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(quoteIdent(pgName)));
}

SqlResult<> PgObjects::restoreDatabase(const QString &pgName, const QString &ownerRole)
{
    return m_sql.exec(QStringLiteral("CREATE DATABASE %1 OWNER %2").arg(quoteIdent(pgName), quoteIdent(ownerRole)));
}

SqlResult<> PgObjects::createLoginRole(
    const QString &role, const QString &password, const QString &ownerRole, const QString &pgName, bool canLogin)
{
    if (SqlResult<> r
        = m_sql.exec(QStringLiteral("CREATE ROLE %1 %2 INHERIT PASSWORD %3 IN ROLE %4")
                         .arg(quoteIdent(role), canLogin ? QStringLiteral("LOGIN") : QStringLiteral("NOLOGIN"),
                             quoteLiteral(password), quoteIdent(ownerRole)));
        !r)
        return r;
    // Every connection of a database acts as its owner, so the tables one connection
    // creates are usable (and droppable) through all the others, as on the real service.
    return m_sql.exec(QStringLiteral("ALTER ROLE %1 IN DATABASE %2 SET role = %3")
                          .arg(quoteIdent(role), quoteIdent(pgName), quoteLiteral(ownerRole)));
}

SqlResult<> PgObjects::setPassword(const QString &role, const QString &password)
{
    return m_sql.exec(QStringLiteral("ALTER ROLE %1 PASSWORD %2").arg(quoteIdent(role), quoteLiteral(password)));
}

SqlResult<> PgObjects::setLogin(const QString &role, bool canLogin)
{
    return m_sql.exec(QStringLiteral("ALTER ROLE %1 %2")
                          .arg(quoteIdent(role), canLogin ? QStringLiteral("LOGIN") : QStringLiteral("NOLOGIN")));
}

SqlResult<> PgObjects::releaseOwned(const QString &pgName, const QString &role, const QString &ownerRole)
{
    return runInDatabase(pgName,
        { QStringLiteral("REASSIGN OWNED BY %1 TO %2").arg(quoteIdent(role), quoteIdent(ownerRole)),
            QStringLiteral("DROP OWNED BY %1").arg(quoteIdent(role)) });
}

SqlResult<> PgObjects::dropRole(const QString &role)
{
    return m_sql.exec(QStringLiteral("DROP ROLE IF EXISTS %1").arg(quoteIdent(role)));
}

void PgObjects::terminateSessions(const QString &role)
{
    std::ignore = m_sql.exec(
        QStringLiteral("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = ?"), { role });
}

void PgObjects::terminateSessions(const QStringList &roles)
{
    if (roles.isEmpty())
        return;
    // The timeout makes pg_terminate_backend wait until each session is gone (PostgreSQL 14+), so
    // an answer that says a workspace is blocked comes after its sessions ended.
    if (const SqlResult<> r = m_sql.exec(QStringLiteral("SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity "
                                                        "WHERE usename = ANY(string_to_array(?, ','))"),
            { roles.join(QLatin1Char(',')) });
        !r)
        qWarning("ppg-sandbox: cannot end the sessions of %lld role(s): %s", static_cast<long long>(roles.size()),
            qPrintable(r.error()));
}

std::optional<DatabaseUsage> PgObjects::usage(const QString &pgName)
{
    static const Columns<DatabaseUsage> columns {
        { "bytes", field<&DatabaseUsage::bytes> },
        { "operations", field<&DatabaseUsage::operations> },
    };
    const auto rows
        = m_sql.select(QStringLiteral("SELECT pg_database_size(d.datname) AS bytes, "
                                      "COALESCE(s.xact_commit + s.xact_rollback, 0) AS operations "
                                      "FROM pg_database d LEFT JOIN pg_stat_database s ON s.datname = d.datname "
                                      "WHERE d.datname = ?"),
            { pgName }, columns);
    if (!rows || rows->isEmpty())
        return std::nullopt;
    return rows->first();
}

SqlResult<> PgObjects::runInDatabase(const QString &pgName, const QStringList &statements)
{
    return withShortConnection(m_sql.target(), m_sql.connectionName() + QStringLiteral("_target"), pgName,
        [&](QSqlDatabase &t) -> SqlResult<> {
            QSqlQuery(t).exec(QStringLiteral("SET client_min_messages TO warning"));
            for (const QString &s : statements) {
                QSqlQuery q(t);
                if (!q.exec(s))
                    return fail(q.lastError().text());
            }
            return Done {};
        });
}

#include "sqlsession.h"

#include <QSqlError>
#include <QUuid>

#include <tuple>

QString quoteIdent(const QString &name)
{
    QString q = name;
    q.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + q + QLatin1Char('"');
}

QString quoteLiteral(const QString &value)
{
    QString q = value;
    q.replace(QLatin1Char('\''), QStringLiteral("''"));
    return QLatin1Char('\'') + q + QLatin1Char('\'');
}

QSqlDatabase addTargetConnection(const PostgresTarget &target, const QString &connName, const QString &dbname)
{
    QSqlDatabase d = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), connName);
    d.setHostName(target.host);
    d.setPort(target.port);
    d.setUserName(target.user);
    d.setPassword(target.password);
    d.setDatabaseName(dbname);
    return d;
}

SqlResult<> withShortConnection(const PostgresTarget &target, const QString &connName, const QString &dbname,
    const std::function<SqlResult<>(QSqlDatabase &)> &work)
{
    SqlResult<> outcome = Done {};
    {
        QSqlDatabase d = addTargetConnection(target, connName, dbname);
        if (!d.open()) {
            outcome = fail(QStringLiteral("cannot connect to PostgreSQL: %1").arg(d.lastError().text()));
        } else {
            outcome = work(d);
            d.close();
        }
    }
    QSqlDatabase::removeDatabase(connName);
    return outcome;
}

namespace {
// Creates the target's database when missing, through the maintenance database.
SqlResult<> createDatabaseIfMissing(const PostgresTarget &target, const QString &connName)
{
    return withShortConnection(
        target, connName + QStringLiteral("_boot"), QStringLiteral("postgres"), [&](QSqlDatabase &boot) -> SqlResult<> {
            QSqlQuery q(boot);
            q.prepare(QStringLiteral("SELECT 1 FROM pg_database WHERE datname = ?"));
            q.addBindValue(target.dbname);
            if (q.exec() && !q.next()) {
                QSqlQuery c(boot);
                if (!c.exec(QStringLiteral("CREATE DATABASE %1").arg(quoteIdent(target.dbname))))
                    return fail(QStringLiteral("cannot create the state database: %1").arg(c.lastError().text()));
            }
            return Done {};
        });
}
} // namespace

SqlSession::SqlSession() : m_connName(QStringLiteral("ppg_admin_") + QUuid::createUuid().toString(QUuid::Id128)) { }

SqlSession::~SqlSession()
{
    close();
}

QSqlDatabase SqlSession::database() const
{
    return QSqlDatabase::database(m_connName, false);
}

SqlResult<> SqlSession::open(const PostgresTarget &target)
{
    m_target = target;
    if (const SqlResult<> created = createDatabaseIfMissing(target, m_connName); !created)
        return created;
    QSqlDatabase d = addTargetConnection(target, m_connName, target.dbname);
    if (!d.open())
        return fail(QStringLiteral("cannot open the state database: %1").arg(d.lastError().text()));
    std::ignore = exec(QStringLiteral("SET client_min_messages TO warning"));
    return Done {};
}

void SqlSession::close()
{
    m_prepared.clear(); // DEALLOCATE while the connection is still open
    if (QSqlDatabase::contains(m_connName)) {
        {
            QSqlDatabase d = database();
            d.close();
        }
        QSqlDatabase::removeDatabase(m_connName);
    }
}

QString SqlSession::adminConnInfo() const
{
    return QStringLiteral("host=%1 port=%2 user=%3 dbname=%4")
        .arg(m_target.host)
        .arg(m_target.port)
        .arg(m_target.user, m_target.dbname);
}

// QPSQL turns every QSqlQuery::prepare() into a PREPARE and its destruction into a DEALLOCATE,
// and PostgreSQL plans each new statement: keeping one prepared statement per text saves two
// round trips and the planning on every call. Only constant texts come with binds (values are
// bound), so the map stays as small as the set of statements the sandbox has.
SqlResult<> SqlSession::query(
    const QString &sql, const QVariantList &binds, const std::function<SqlResult<>(QSqlQuery &)> &read)
{
    if (binds.isEmpty()) {
        QSqlQuery q(database());
        if (!q.exec(sql))
            return fail(q.lastError().text());
        return read(q);
    }
    auto it = m_prepared.find(sql);
    if (it == m_prepared.end()) {
        auto q = std::make_unique<QSqlQuery>(database());
        if (!q->prepare(sql))
            return fail(q->lastError().text());
        it = m_prepared.emplace(sql, std::move(q)).first;
    }
    QSqlQuery &q = *it->second;
    for (qsizetype i = 0; i < binds.size(); ++i)
        q.bindValue(static_cast<int>(i), binds.at(i));
    if (!q.exec())
        return fail(q.lastError().text());
    SqlResult<> outcome = read(q);
    q.finish();
    return outcome;
}

SqlResult<> SqlSession::exec(const QString &sql, const QVariantList &binds)
{
    return query(sql, binds, [](QSqlQuery &) -> SqlResult<> { return Done {}; });
}

SqlResult<QVariantList> SqlSession::column(const QString &sql, const QVariantList &binds)
{
    QVariantList values;
    const SqlResult<> read = query(sql, binds, [&](QSqlQuery &q) -> SqlResult<> {
        while (q.next())
            values.append(q.value(0));
        return Done {};
    });
    if (!read)
        return read.failure();
    return values;
}

// Commits when `outcome` is a success; rolls back when not, or when the commit fails (then the
// error, if the outcome has none, is the commit's).
SqlResult<> SqlSession::endTransaction(const SqlResult<> &outcome)
{
    QSqlDatabase d = database();
    if (outcome && d.commit())
        return Done {};
    QString error = outcome ? QString() : outcome.error();
    if (error.isEmpty())
        error = d.lastError().text();
    d.rollback();
    return fail(error);
}

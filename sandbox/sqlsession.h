#pragma once
// SqlSession: the sandbox's one QtSql (QPSQL) admin connection to its state database, with the
// prepared statements it keeps. Every read and write of the state, and every statement on the
// real objects (PgObjects), goes through it; only open() (to create the state database) and
// PgObjects::releaseOwned() (inside a sandbox database) use short-lived connections of their own.
//
// Statements: a text with bound values (`?` placeholders, values in `binds`) is prepared on
// first use and kept for the session (one PREPARE per text, not per call); a text without binds
// may carry quoted names and literals (DDL) and is executed once, not kept. Every reader
// consumes its rows before it returns, so no kept statement is ever shared mid-read.
// Errors: every operation returns a SqlResult whose error is PostgreSQL's (or Qt's) text.
// Threading: one thread only (the main thread): a QSqlDatabase belongs to its thread.

#include "result.h"
#include "rowreader.h"

#include <QList>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QVariant>

#include <functional>
#include <memory>
#include <unordered_map>

// An operation on PostgreSQL: its value, or the database's error text.
template <typename T = Done> using SqlResult = Result<T, QString>;

// The PostgreSQL server the sandbox uses: how it connects (host, port, user, password, the state
// database's name) and what it puts into the connection strings it hands out (publicHost,
// publicPort).
struct PostgresTarget
{
    QString host; // a unix socket directory or a host name
    int port = 5432;
    QString user;
    QString password;
    QString dbname = QStringLiteral("ppg_sandbox");
    QString publicHost = QStringLiteral("127.0.0.1"); // host put into connection strings
    int publicPort = 5432;
};

// For statements that name objects or carry values in their text (DDL cannot bind values):
// "name" with its double quotes doubled, 'value' with its single quotes doubled.
QString quoteIdent(const QString &name);
QString quoteLiteral(const QString &value);

// Registers a QPSQL connection named `connName` to database `dbname` of `target` (its host,
// port, user and password), not yet open.
QSqlDatabase addTargetConnection(const PostgresTarget &target, const QString &connName, const QString &dbname);

// Opens a short-lived connection to database `dbname` of `target`, hands it to work(), then
// closes and unregisters it. Errors: "cannot connect to PostgreSQL: …" when it does not open,
// else work()'s.
SqlResult<> withShortConnection(const PostgresTarget &target, const QString &connName, const QString &dbname,
    const std::function<SqlResult<>(QSqlDatabase &)> &work);

class SqlSession
{
public:
    SqlSession();
    ~SqlSession();
    SqlSession(const SqlSession &) = delete;
    SqlSession &operator=(const SqlSession &) = delete;

    // Connects to the target's state database, creating it (through the maintenance database
    // `postgres`) when missing.
    SqlResult<> open(const PostgresTarget &target);
    void close(); // drops the kept statements, then the connection
    const PostgresTarget &target() const { return m_target; }
    QString adminConnInfo() const; // libpq keywords, no password
    // A name no other QSqlDatabase connection of this process has, for companion connections.
    QString connectionName() const { return m_connName; }

    SqlResult<> exec(const QString &sql, const QVariantList &binds = {});
    // The first column of every row, in order (e.g. ids, a count, INSERT ... RETURNING seq).
    SqlResult<QVariantList> column(const QString &sql, const QVariantList &binds = {});
    // Every row, read by column name (see rowreader.h).
    template <typename Row>
    SqlResult<QList<Row>> select(const QString &sql, const QVariantList &binds, const Columns<Row> &columns);

    // Runs body() (returning SqlResult<>) in a transaction: commits when it succeeds, rolls back
    // when it fails or when the commit fails. The error is body()'s, else the commit's.
    template <typename Body> SqlResult<> transaction(Body &&body);

private:
    QSqlDatabase database() const;
    // Executes `sql` and hands the executed query to read(), which consumes its rows.
    SqlResult<> query(
        const QString &sql, const QVariantList &binds, const std::function<SqlResult<>(QSqlQuery &)> &read);
    SqlResult<> endTransaction(const SqlResult<> &outcome);

    QString m_connName;
    PostgresTarget m_target;
    std::unordered_map<QString, std::unique_ptr<QSqlQuery>> m_prepared; // by SQL text
};

template <typename Row>
SqlResult<QList<Row>> SqlSession::select(const QString &sql, const QVariantList &binds, const Columns<Row> &columns)
{
    QList<Row> rows;
    const SqlResult<> read = query(sql, binds, [&](QSqlQuery &q) -> SqlResult<> {
        const auto reader = RowReader<Row>::of(q.record(), columns);
        if (!reader)
            return reader.failure();
        while (q.next())
            rows.append(reader->read(q));
        return Done {};
    });
    if (!read)
        return read.failure();
    return rows;
}

template <typename Body> SqlResult<> SqlSession::transaction(Body &&body)
{
    database().transaction();
    return endTransaction(body());
}

// End to end, every layer real: the console's ApiClient talks HTTP to a private ppg-sandbox, which
// creates real PostgreSQL databases and roles. A connection string it hands out must work with
// libpq, and deleting must really drop the database and the role.
#include "await.h"
#include "postgreschecks.h"
#include "sandboxprocess.h"

#include <QTest>

#include <libpq-fe.h>

namespace {

// True when libpq negotiated TLS for this connection string.
bool usesTls(const QString &connectionString)
{
    PGconn *conn = PQconnectdb(connectionString.toUtf8().constData());
    const bool tls = PQstatus(conn) == CONNECTION_OK && PQsslInUse(conn) == 1;
    PQfinish(conn);
    return tls;
}

} // namespace

class TestEndToEnd : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void createConnectDelete();

private:
    SandboxProcess m_sandbox;
};

void TestEndToEnd::initTestCase()
{
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
}

void TestEndToEnd::createConnectDelete()
{
    ApiClient client(m_sandbox.baseUrl(), "ppg-test-token-a");
    QObject ctx;

    // 1. A project, created together with its default database and connection.
    CreateProjectRequest req;
    req.name = QStringLiteral("e2e shop");
    req.region = QStringLiteral("eu-central-1");
    auto project = await<Project>([&](auto cb) { client.createProject(req, &ctx, cb); });
    QVERIFY2(project.ok(), qPrintable(project.error().userMessage()));
    QVERIFY(project.value().id.startsWith(QLatin1String("proj_")));
    QVERIFY(project.value().database.has_value());
    const Database defaultDb = *project.value().database;
    QVERIFY(defaultDb.isDefault);
    QCOMPARE(defaultDb.connections.size(), size_t(1));
    QVERIFY(!directString(defaultDb.connections.front()).isEmpty());

    // 2. A second database and a connection to it.
    CreateDatabaseRequest dbReq;
    dbReq.name = QStringLiteral("analytics");
    auto db = await<Database>([&](auto cb) { client.createDatabase(project.value().id, dbReq, &ctx, cb); });
    QVERIFY2(db.ok(), qPrintable(db.error().userMessage()));
    QVERIFY(!db.value().isDefault);
    auto con
        = await<Connection>([&](auto cb) { client.createConnection(db.value().id, QStringLiteral("app"), &ctx, cb); });
    QVERIFY2(con.ok(), qPrintable(con.error().userMessage()));
    const QString cs = directString(con.value());
    QVERIFY(cs.startsWith(QLatin1String("postgres")));
    QVERIFY(cs.contains(QLatin1String("sslmode=require")));

    // 3. The connection string really works, TLS included, and the role may create tables.
    QString error;
    QCOMPARE(SandboxProcess::querySql(cs, QStringLiteral("select 1"), &error).toString(), QStringLiteral("1"));
    QVERIFY2(error.isEmpty(), qPrintable(error));
    SandboxProcess::querySql(
        cs, QStringLiteral("create table orders(id int primary key); insert into orders values (1)"), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY2(usesTls(cs), "sslmode=require is honoured: the session is encrypted");

    const QUrl parsed(cs);
    const QString role = parsed.userName();
    const QString pgDatabase = parsed.path().mid(1);
    QVERIFY(!role.isEmpty());
    QVERIFY(!pgDatabase.isEmpty());
    QCOMPARE(pgRoleCount(m_sandbox, role), 1);
    QCOMPARE(pgDatabaseCount(m_sandbox, pgDatabase), 1);

    // 4. Deleting the connection drops its role; the old string stops working.
    auto deleted = await<Done>([&](auto cb) { client.deleteConnection(con.value().id, &ctx, cb); });
    QVERIFY2(deleted.ok(), qPrintable(deleted.error().userMessage()));
    QCOMPARE(pgRoleCount(m_sandbox, role), 0);
    error.clear();
    SandboxProcess::querySql(cs, QStringLiteral("select 1"), &error);
    QVERIFY(!error.isEmpty());

    // 5. The default database cannot be deleted; the other one can, and is really dropped.
    auto refused = await<Done>([&](auto cb) { client.deleteDatabase(defaultDb.id, &ctx, cb); });
    QVERIFY(!refused.ok());
    QCOMPARE(refused.error().kind, ApiError::Kind::Forbidden);
    auto dbDeleted = await<Done>([&](auto cb) { client.deleteDatabase(db.value().id, &ctx, cb); });
    QVERIFY2(dbDeleted.ok(), qPrintable(dbDeleted.error().userMessage()));
    QCOMPARE(pgDatabaseCount(m_sandbox, pgDatabase), 0);

    // 6. The project goes, with its default database and that database's role.
    const QUrl defaultParsed(directString(defaultDb.connections.front()));
    auto projectDeleted = await<Done>([&](auto cb) { client.deleteProject(project.value().id, &ctx, cb); });
    QVERIFY2(projectDeleted.ok(), qPrintable(projectDeleted.error().userMessage()));
    QCOMPARE(pgDatabaseCount(m_sandbox, defaultParsed.path().mid(1)), 0);
    QCOMPARE(pgRoleCount(m_sandbox, defaultParsed.userName()), 0);
    auto gone = await<Project>([&](auto cb) { client.getProject(project.value().id, &ctx, cb); });
    QCOMPARE(gone.error().kind, ApiError::Kind::NotFound);
}

QTEST_GUILESS_MAIN(TestEndToEnd)
#include "tst_endtoend.moc"

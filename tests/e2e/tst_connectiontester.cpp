// ConnectionTester against a private ppg-sandbox's real PostgreSQL (with TLS): a fresh connection
// string connects; after POST /v1/connections/{id}/rotate the old one fails with the
// wrong-password message and the new one connects. Every format the console offers for that
// connection (canonical URLs, the .env line's URL, psql's) connects too. Plus the failures that
// need no sandbox: refused port, unknown host, TLS verification, unreadable string.
#include "await.h"
#include "connectionstrings.h"
#include "connectiontester.h"
#include "postgreschecks.h"
#include "sandboxprocess.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>
#include <QThread>
#include <QThreadPool>
#include <QTimer>

#include <optional>

namespace {

// Runs a test through the asynchronous API and returns its result.
std::optional<ConnectionTester::Result> testAsync(ConnectionTester &tester, const QString &cs)
{
    QSignalSpy spy(&tester, &ConnectionTester::finished);
    if (!tester.test(cs))
        return std::nullopt;
    if (!spy.wait(60000))
        return std::nullopt;
    return spy.at(0).at(0).value<ConnectionTester::Result>();
}

QString passwordOf(const QString &cs)
{
    const auto u = ConnectionStrings::parse(cs);
    return u ? u->password : QString();
}

} // namespace

class TestConnectionTester : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void freshStringConnectsAndRotatedOneFails();
    void runsOffTheCallingThread();
    void busyTesterRefusesASecondTest();
    void refusedPort();
    void unknownHost();
    void tlsVerificationFails();
    void unreadableStringIsNotQuoted();
    void destroyedWhileRunning();
    void classifyCommonMessages_data();
    void classifyCommonMessages();

private:
    SandboxProcess m_sandbox;
    QString m_cs; // a working connection string (after the rotate test)
};

void TestConnectionTester::initTestCase()
{
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
}

void TestConnectionTester::freshStringConnectsAndRotatedOneFails()
{
    ApiClient client(m_sandbox.baseUrl(), "ppg-test-token-a");
    QObject ctx;
    CreateProjectRequest req;
    req.name = QStringLiteral("tester shop");
    req.region = QStringLiteral("eu-central-1");
    auto project = await<Project>([&](auto cb) { client.createProject(req, &ctx, cb); });
    QVERIFY2(project.ok(), qPrintable(project.error().userMessage()));
    QVERIFY(project.value().database.has_value());
    QVERIFY(!project.value().database->connections.empty());
    const Connection connection = project.value().database->connections.front();
    const QString oldString = directString(connection);
    QVERIFY(!oldString.isEmpty());

    // 1. The fresh string: connected, over TLS, with a version and timings.
    ConnectionTester tester;
    auto ok = testAsync(tester, oldString);
    QVERIFY(ok);
    QVERIFY2(ok->ok(), qPrintable(ok->message + QLatin1Char(' ') + ok->detail));
    QCOMPARE(ok->problem, ConnectionTester::Result::Problem::None);
    QVERIFY(!ok->serverVersion.isEmpty());
    QVERIFY2(ok->tls, "sslmode=require gives an encrypted session");
    QVERIFY(ok->connectTime.count() >= 0);
    QVERIFY(ok->roundTrip.count() >= 0);
    QVERIFY(!tester.isBusy());

    // Every testable format offered for this connection connects (canonical re-encoding included).
    for (const ConnectionStrings::Offer &o : ConnectionStrings::offers(connection)) {
        if (!o.testable)
            continue;
        const auto r = ConnectionTester::run(o.url);
        QVERIFY2(r.ok(), qPrintable(o.label + QLatin1String(": ") + r.message));
    }

    // 2. Rotate: the old string now fails with the wrong-password message.
    auto rotated = await<Connection>([&](auto cb) { client.rotateConnection(connection.id, &ctx, cb); });
    QVERIFY2(rotated.ok(), qPrintable(rotated.error().userMessage()));
    const QString newString = directString(rotated.value());
    QVERIFY(!newString.isEmpty());
    QVERIFY(newString != oldString);

    auto old = testAsync(tester, oldString);
    QVERIFY(old);
    QVERIFY(!old->ok());
    QCOMPARE(old->problem, ConnectionTester::Result::Problem::WrongPassword);
    QVERIFY(old->message.contains(QLatin1String("refused the password")));
    QVERIFY2(old->detail.contains(QLatin1String("password authentication failed")), qPrintable(old->detail));
    QVERIFY2(!old->detail.contains(passwordOf(oldString)) && !old->message.contains(passwordOf(oldString)),
        "no password in the messages");
    QVERIFY(old->serverVersion.isEmpty());

    // 3. The new string connects.
    auto fresh = testAsync(tester, newString);
    QVERIFY(fresh);
    QVERIFY2(fresh->ok(), qPrintable(fresh->message + QLatin1Char(' ') + fresh->detail));
    QVERIFY(fresh->tls);
    m_cs = newString;
}

void TestConnectionTester::runsOffTheCallingThread()
{
    if (m_cs.isEmpty())
        QSKIP("needs the connection of the previous test");
    // While the worker connects, this thread's event loop keeps turning.
    ConnectionTester tester;
    QSignalSpy spy(&tester, &ConnectionTester::finished);
    int ticks = 0;
    QTimer timer;
    connect(&timer, &QTimer::timeout, this, [&ticks] { ++ticks; });
    timer.start(1);
    QVERIFY(tester.test(m_cs));
    QVERIFY(tester.isBusy());
    QCOMPARE(spy.size(), 0); // never synchronous
    QVERIFY(spy.wait(60000));
    QVERIFY(ticks > 0);
    QVERIFY(spy.at(0).at(0).value<ConnectionTester::Result>().ok());
}

void TestConnectionTester::busyTesterRefusesASecondTest()
{
    if (m_cs.isEmpty())
        QSKIP("needs the connection of the previous test");
    ConnectionTester tester;
    QSignalSpy spy(&tester, &ConnectionTester::finished);
    QVERIFY(tester.test(m_cs));
    QVERIFY(!tester.test(m_cs));
    QVERIFY(spy.wait(60000));
    QTest::qWait(200);
    QCOMPARE(spy.size(), 1);
    QVERIFY(tester.test(m_cs)); // free again
    QVERIFY(spy.wait(60000));
}

void TestConnectionTester::refusedPort()
{
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 port = probe.serverPort();
    probe.close(); // nothing listens there now
    ConnectionTester tester;
    auto r = testAsync(tester, QStringLiteral("postgres://u:pw@127.0.0.1:%1/db?sslmode=disable").arg(port));
    QVERIFY(r);
    QCOMPARE(r->problem, ConnectionTester::Result::Problem::ConnectionRefused);
    QVERIFY(!r->message.isEmpty());
    QVERIFY(r->detail.contains(QLatin1String("refused"), Qt::CaseInsensitive));
}

void TestConnectionTester::unknownHost()
{
    ConnectionTester tester;
    auto r = testAsync(tester, QStringLiteral("postgres://u:pw@no-such-host.invalid:5432/db"));
    QVERIFY(r);
    QCOMPARE(r->problem, ConnectionTester::Result::Problem::HostNotFound);
}

void TestConnectionTester::tlsVerificationFails()
{
    if (m_cs.isEmpty())
        QSKIP("needs the connection of the previous test");
    // The sandbox's certificate is self-signed: verify-full with no trusted root must fail as TLS.
    auto u = ConnectionStrings::parse(m_cs);
    QVERIFY(u);
    for (auto &[key, value] : u->query) {
        if (key == QLatin1String("sslmode"))
            value = QStringLiteral("verify-full");
    }
    u->query.append({ QStringLiteral("sslrootcert"), QStringLiteral("/nonexistent/root.crt") });
    const auto r = ConnectionTester::run(u->toString());
    QCOMPARE(r.problem, ConnectionTester::Result::Problem::TlsFailure);
    QVERIFY(!r.detail.contains(u->password));
}

void TestConnectionTester::unreadableStringIsNotQuoted()
{
    // libpq's own parse error would quote the string; the tester must not pass it on.
    const QString bad = QStringLiteral("postgres://u:s3cr3t-pw@h:5432/db?sslmode=require&bogus_option=1");
    const auto r = ConnectionTester::run(bad);
    QCOMPARE(r.problem, ConnectionTester::Result::Problem::InvalidString);
    QVERIFY(!r.message.contains(QLatin1String("s3cr3t")));
    QVERIFY(!r.detail.contains(QLatin1String("s3cr3t")));
    const auto r2 = ConnectionTester::run(QStringLiteral("postgres://u:s3cr3t%zz@h/db"));
    QCOMPARE(r2.problem, ConnectionTester::Result::Problem::InvalidString);
    QVERIFY(!r2.detail.contains(QLatin1String("s3cr3t")));
}

void TestConnectionTester::destroyedWhileRunning()
{
    // A tester deleted mid-test (the dialog closed) must not receive or crash on the result.
    {
        ConnectionTester tester;
        QVERIFY(tester.test(QStringLiteral("postgres://u:pw@no-such-host.invalid:5432/db")));
    }
    QThreadPool::globalInstance()->waitForDone(60000);
    QCoreApplication::processEvents();
}

void TestConnectionTester::classifyCommonMessages_data()
{
    using P = ConnectionTester::Result::Problem;
    QTest::addColumn<QString>("message");
    QTest::addColumn<P>("problem");
    QTest::newRow("password") << QStringLiteral(
        "connection to server at \"h\" (1.2.3.4), port 5432 failed: FATAL:  password "
        "authentication failed for user \"app\"")
                              << P::WrongPassword;
    QTest::newRow("no password") << QStringLiteral("fe_sendauth: no password supplied") << P::NoPassword;
    QTest::newRow("role") << QStringLiteral("FATAL:  role \"app\" does not exist") << P::UnknownUser;
    QTest::newRow("database") << QStringLiteral("FATAL:  database \"shop\" does not exist") << P::UnknownDatabase;
    QTest::newRow("dns") << QStringLiteral("could not translate host name \"x\" to address: Name or service not known")
                         << P::HostNotFound;
    QTest::newRow("refused") << QStringLiteral("connection to server at \"h\", port 1 failed: Connection refused")
                             << P::ConnectionRefused;
    QTest::newRow("unreachable") << QStringLiteral("could not connect: Network is unreachable") << P::Unreachable;
    QTest::newRow("timeout") << QStringLiteral("connection to server at \"h\" failed: timeout expired") << P::Timeout;
    QTest::newRow("no ssl") << QStringLiteral("server does not support SSL, but SSL was required") << P::TlsFailure;
    QTest::newRow("certificate") << QStringLiteral("root certificate file \"/x\" does not exist") << P::TlsFailure;
    QTest::newRow("hba") << QStringLiteral(
        "FATAL:  no pg_hba.conf entry for host \"1.2.3.4\", user \"u\", database \"d\", "
        "SSL off") << P::NotAllowed;
    QTest::newRow("slots") << QStringLiteral("FATAL:  remaining connection slots are reserved")
                           << P::TooManyConnections;
    QTest::newRow("other") << QStringLiteral("something new") << P::Other;
}

void TestConnectionTester::classifyCommonMessages()
{
    QFETCH(QString, message);
    QFETCH(ConnectionTester::Result::Problem, problem);
    QCOMPARE(ConnectionTester::classify(message), problem);
    QVERIFY(!ConnectionTester::describe(problem).isEmpty());
}

QTEST_GUILESS_MAIN(TestConnectionTester)
#include "tst_connectiontester.moc"

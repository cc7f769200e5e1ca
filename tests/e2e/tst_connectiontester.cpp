// ConnectionTester against a private ppg-sandbox's real PostgreSQL (with TLS): a fresh connection
// string connects; after POST /v1/connections/{id}/rotate the old one fails with the
// wrong-password message and the new one connects. Every format the console offers for that
// connection (canonical URLs, the .env line's URL, psql's) connects too. Plus the failures that
// need no sandbox: refused port, unknown host, unreadable string; TLS verification against the
// sandbox. Each test that needs a working string makes its own (a project of its own), so none
// depends on another having run or passed.
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

#include <new>
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
    // A connection string that works: the default connection of a new project of its own.
    QString workingString(const QString &projectName);

    SandboxProcess m_sandbox;
};

void TestConnectionTester::initTestCase()
{
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
}

QString TestConnectionTester::workingString(const QString &projectName)
{
    ApiClient client(m_sandbox.baseUrl(), "ppg-test-token-a");
    QObject ctx;
    CreateProjectRequest req;
    req.name = projectName;
    auto project = await<Project>([&](auto cb) { client.createProject(req, &ctx, cb); });
    if (!project.ok() || !project.value().database || project.value().database->connections.empty())
        return {};
    return directString(project.value().database->connections.front());
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
}

void TestConnectionTester::runsOffTheCallingThread()
{
    const QString cs = workingString(QStringLiteral("tester off-thread"));
    QVERIFY(!cs.isEmpty());
    // While the worker connects, this thread's event loop keeps turning.
    ConnectionTester tester;
    QSignalSpy spy(&tester, &ConnectionTester::finished);
    int ticks = 0;
    QTimer timer;
    connect(&timer, &QTimer::timeout, this, [&ticks] { ++ticks; });
    timer.start(1);
    QVERIFY(tester.test(cs));
    QVERIFY(tester.isBusy());
    QCOMPARE(spy.size(), 0); // never synchronous
    QVERIFY(spy.wait(60000));
    QVERIFY(ticks > 0);
    QVERIFY(spy.at(0).at(0).value<ConnectionTester::Result>().ok());
}

void TestConnectionTester::busyTesterRefusesASecondTest()
{
    const QString cs = workingString(QStringLiteral("tester busy"));
    QVERIFY(!cs.isEmpty());
    ConnectionTester tester;
    QSignalSpy spy(&tester, &ConnectionTester::finished);
    QVERIFY(tester.test(cs));
    QVERIFY(!tester.test(cs));
    QVERIFY(spy.wait(60000));
    QTest::qWait(200);
    QCOMPARE(spy.size(), 1);
    QVERIFY(tester.test(cs)); // free again
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
    const QString cs = workingString(QStringLiteral("tester tls"));
    QVERIFY(!cs.isEmpty());
    // The sandbox's certificate is self-signed: verify-full with no trusted root must fail as TLS.
    auto u = ConnectionStrings::parse(cs);
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

namespace {
// Counts the events posted to one address (an application-wide event filter sees each before its
// receiver does), without touching the object there.
class EventsAt : public QObject
{
public:
    explicit EventsAt(const void *address) : m_address(address)
    {
        QCoreApplication::instance()->installEventFilter(this);
    }
    ~EventsAt() override { QCoreApplication::instance()->removeEventFilter(this); }
    int metaCalls = 0;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (static_cast<const void *>(watched) == m_address && event->type() == QEvent::MetaCall)
            ++metaCalls;
        return false;
    }

private:
    const void *m_address;
};
} // namespace

void TestConnectionTester::destroyedWhileRunning()
{
    // A tester deleted mid-test (the dialog closed) must not receive or crash on the result, and
    // neither may the next tester, which the allocator often puts at the very same address. The
    // test makes that reuse certain: both testers live in one buffer, one after the other.
    // The first test talks to a server that accepts and then says nothing, so it is surely still
    // running when its tester goes (libpq waits for its connect_timeout, 3 s).
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost));
    const QString hanging
        = QStringLiteral("postgres://u:pw@127.0.0.1:%1/db?sslmode=disable&connect_timeout=3").arg(silent.serverPort());
    alignas(ConnectionTester) unsigned char storage[sizeof(ConnectionTester)];
    auto *first = new (storage) ConnectionTester;
    QVERIFY(first->test(hanging));
    QVERIFY(first->isBusy());
    QTRY_COMPARE(silent.hasPendingConnections(), true); // the worker is connecting: it runs
    QVERIFY(QThreadPool::globalInstance()->activeThreadCount() > 0);
    first->~ConnectionTester();

    auto *second = new (storage) ConnectionTester; // the next dialog's tester, at the same address
    QSignalSpy secondFinished(second, &ConnectionTester::finished);
    EventsAt posted(storage);
    QVERIFY(QThreadPool::globalInstance()->waitForDone(60000)); // the first worker is over
    QTest::qWait(100); // anything it posted has been delivered by now
    QCOMPARE(posted.metaCalls, 0); // it posted nothing: its tester was gone
    QCOMPARE(secondFinished.size(), 0); // and the new tester heard nothing of it
    QVERIFY(!second->isBusy());

    // The new tester works as usual and hears its own result, once.
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 port = probe.serverPort();
    probe.close();
    QVERIFY(second->test(QStringLiteral("postgres://u:pw@127.0.0.1:%1/db?sslmode=disable").arg(port)));
    QVERIFY(secondFinished.wait(60000));
    QTest::qWait(100);
    QCOMPARE(secondFinished.size(), 1);
    QCOMPARE(secondFinished.at(0).at(0).value<ConnectionTester::Result>().problem,
        ConnectionTester::Result::Problem::ConnectionRefused);
    second->~ConnectionTester();
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

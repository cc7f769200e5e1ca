// tst_keychain_unavailable: SecretStore with no usable Secret Service, in a process whose home,
// XDG folders and session bus it controls itself (no keyring needed):
//   - no session bus at all, and a dead bus address: Kind::NoBackend with the user message, and
//     nothing written to disk (no plain-text fallback, no secret in any file under the temp home);
//   - a bus that accepts the connection and never answers (a silent socket): every job gets
//     Kind::Timeout at its deadline, the queue moves on, the abandoned QtKeychain job is not
//     deleted while it runs, and its late result is ignored (no second callback, no crash).
#include "filescan.h"
#include "profilestore.h"
#include "secretstore.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QLocalServer>
#include <QLocalSocket>
#include <QTemporaryDir>
#include <QUuid>
#include <QtTest>

using Kind = KeychainError::Kind;

class TestKeychainUnavailable : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void noSessionBusIsNoBackend();
    void deadBusIsNoBackendAndNothingOnDisk();
    void silentBusTimesOutAndQueueMovesOn();

private:
    struct Outcome
    {
        bool called = false;
        int calls = 0;
        KeychainError error;
        QByteArray secret;
    };
    void expectNoBackend(SecretStore &store, const QString &key);
    void scanForSecrets();

    QTemporaryDir m_home;
    QList<QByteArray> m_secrets; // everything we tried to store, to look for on disk
};

void TestKeychainUnavailable::initTestCase()
{
    QVERIFY(m_home.isValid());
    const QString root = m_home.path();
    for (const char *sub : { "config", "data", "cache", "runtime" })
        QVERIFY(QDir(root).mkpath(QString::fromLatin1(sub)));
    QFile::setPermissions(
        root + QStringLiteral("/runtime"), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    qputenv("HOME", root.toUtf8());
    qputenv("XDG_CONFIG_HOME", (root + QStringLiteral("/config")).toUtf8());
    qputenv("XDG_DATA_HOME", (root + QStringLiteral("/data")).toUtf8());
    qputenv("XDG_CACHE_HOME", (root + QStringLiteral("/cache")).toUtf8());
    qputenv("XDG_RUNTIME_DIR", (root + QStringLiteral("/runtime")).toUtf8()); // no "bus" inside
    qunsetenv("DISPLAY");
    qunsetenv("WAYLAND_DISPLAY");
    QCoreApplication::setOrganizationName(QStringLiteral("ppg-test"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_keychain_unavailable"));
}

void TestKeychainUnavailable::cleanupTestCase()
{
    scanForSecrets();
}

void TestKeychainUnavailable::scanForSecrets()
{
    QVERIFY(!m_secrets.isEmpty());
    int files = 0;
    for (const auto &[path, content] : readFilesBelow(m_home.path())) {
        ++files;
        for (const QByteArray &s : std::as_const(m_secrets)) {
            QVERIFY2(!content.contains(s) && !content.contains(s.toBase64()),
                qPrintable(QStringLiteral("a secret reached %1").arg(path)));
        }
    }
    QVERIFY(files > 0); // the profile file at least: the scan did look at something
}

void TestKeychainUnavailable::expectNoBackend(SecretStore &store, const QString &key)
{
    const QByteArray secret = "test-secret-" + QUuid::createUuid().toByteArray(QUuid::Id128);
    m_secrets << secret;
    Outcome w, r, d;
    store.write(key, secret, this, [&](const KeychainError &e) {
        w.called = true;
        ++w.calls;
        w.error = e;
    });
    store.read(key, this, [&](const QByteArray &s, const KeychainError &e) {
        r.called = true;
        ++r.calls;
        r.error = e;
        r.secret = s;
    });
    store.remove(key, this, [&](const KeychainError &e) {
        d.called = true;
        ++d.calls;
        d.error = e;
    });
    QVERIFY(!w.called && !r.called && !d.called);
    QTRY_VERIFY_WITH_TIMEOUT(w.called && r.called && d.called, 20000);
    QTest::qWait(50);
    for (const Outcome *o : { &w, &r, &d }) {
        QCOMPARE(o->calls, 1);
        QVERIFY2(o->error.kind == Kind::NoBackend,
            qPrintable(QStringLiteral("%1: %2").arg(KeychainError::kindName(o->error.kind), o->error.detail)));
        QVERIFY(o->error.userMessage().contains(QStringLiteral("No keychain is available")));
        QVERIFY(o->error.userMessage().contains(QStringLiteral("session only")));
    }
    QVERIFY(r.secret.isEmpty());
}

void TestKeychainUnavailable::noSessionBusIsNoBackend()
{
    qunsetenv("DBUS_SESSION_BUS_ADDRESS");
    SecretStore store(QStringLiteral("ppg-console-test"));
    expectNoBackend(store, SecretStore::tokenKey(QStringLiteral("nobus")));
}

void TestKeychainUnavailable::deadBusIsNoBackendAndNothingOnDisk()
{
    qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/ppg-test-bus");
    ProfileStore profiles(QDir(m_home.path()).filePath(QStringLiteral("config/profiles.ini")));
    Profile p;
    p.name = QStringLiteral("Work");
    p = profiles.add(p);
    QVERIFY(!p.id.isEmpty());

    SecretStore store(QStringLiteral("ppg-console-test"));
    expectNoBackend(store, SecretStore::tokenKey(p.id));
    expectNoBackend(store, SecretStore::connectionKey(p.id, QStringLiteral("con_1")));
    // The caller records no token after a failed save: the flag stays false.
    QVERIFY(!profiles.profile(p.id)->hasStoredToken);
    scanForSecrets();
}

void TestKeychainUnavailable::silentBusTimesOutAndQueueMovesOn()
{
    // A "bus" that accepts the connection, swallows the handshake and never answers: QtKeychain's
    // job hangs, like one waiting behind an unlock prompt.
    QLocalServer silent;
    const QString socketPath = QDir(m_home.path()).filePath(QStringLiteral("runtime/silent-bus"));
    QVERIFY(silent.listen(socketPath));
    QList<QLocalSocket *> clients;
    connect(&silent, &QLocalServer::newConnection, this, [&] {
        while (QLocalSocket *s = silent.nextPendingConnection()) {
            clients << s;
            connect(s, &QLocalSocket::readyRead, s, [s] { s->readAll(); });
        }
    });
    qputenv("DBUS_SESSION_BUS_ADDRESS", ("unix:path=" + socketPath).toUtf8());

    SecretStore store(QStringLiteral("ppg-console-test"));
    store.setDeadline(std::chrono::milliseconds(400));
    const QByteArray secret = "test-secret-" + QUuid::createUuid().toByteArray(QUuid::Id128);
    m_secrets << secret;

    Outcome first, second;
    QElapsedTimer clock;
    clock.start();
    qint64 firstAt = -1, secondAt = -1;
    store.write(SecretStore::tokenKey(QStringLiteral("hung")), secret, this, [&](const KeychainError &e) {
        first.called = true;
        ++first.calls;
        first.error = e;
        firstAt = clock.elapsed();
    });
    store.read(SecretStore::tokenKey(QStringLiteral("hung")), this, [&](const QByteArray &, const KeychainError &e) {
        second.called = true;
        ++second.calls;
        second.error = e;
        secondAt = clock.elapsed();
    });
    QCOMPARE(store.pendingJobs(), 2);

    QTRY_VERIFY_WITH_TIMEOUT(first.called, 10000);
    QCOMPARE(first.error.kind, Kind::Timeout);
    QVERIFY(!first.error.userMessage().isEmpty());
    QVERIFY2(firstAt >= 350, qPrintable(QString::number(firstAt)));
    QVERIFY(!clients.isEmpty()); // it really was talking to our silent bus
    QVERIFY(store.abandonedJobs() >= 1);

    // The queue moved on: the read got its own deadline (and timed out too, since QtKeychain
    // itself runs one job at a time and its first job still hangs).
    QTRY_VERIFY_WITH_TIMEOUT(second.called, 10000);
    QCOMPARE(second.error.kind, Kind::Timeout);
    QVERIFY2(secondAt - firstAt >= 350, qPrintable(QString::number(secondAt - firstAt)));
    QCOMPARE(store.pendingJobs(), 0);
    QCOMPARE(store.abandonedJobs(), 2);

    // Let the hung jobs end: the bus hangs up. Their late results are ignored, nothing crashes,
    // no callback runs a second time.
    for (QLocalSocket *s : std::as_const(clients))
        s->abort();
    silent.close();
    QTRY_COMPARE_WITH_TIMEOUT(store.abandonedJobs(), 0, 10000);
    QTest::qWait(100);
    QCOMPARE(first.calls, 1);
    QCOMPARE(second.calls, 1);

    // And the store still works afterwards (here: answers NoBackend promptly, not Timeout).
    qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/ppg-test-bus");
    store.setDeadline(SecretStore::kDefaultDeadline);
    expectNoBackend(store, SecretStore::tokenKey(QStringLiteral("after")));
}

QTEST_GUILESS_MAIN(TestKeychainUnavailable)
#include "tst_keychain_unavailable.moc"

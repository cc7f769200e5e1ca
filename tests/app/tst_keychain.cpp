// tst_keychain: SecretStore against a REAL, unlocked Secret Service (gnome-keyring on a private
// session bus, as `./dev test` starts it). Covers save/read/overwrite/remove, NotFound, the size
// limit, the vault keys, removeProfileSecrets, renaming a profile, queue order, asynchronous
// delivery on the context's thread, a context that dies first, caller buffers left intact and
// logs that never carry a secret. Secrets are compared without printing them.
#include "keychaindescribe.h"
#include "profilestore.h"
#include "secretstore.h"

#include <QTemporaryDir>
#include <QThread>
#include <QUuid>
#include <QtTest>

using Kind = KeychainError::Kind;

namespace {

QByteArray fakeSecret(const char *label)
{
    // Test values only; shaped nothing like a real service token.
    return QByteArray("test-secret-") + label + '-' + QUuid::createUuid().toByteArray(QUuid::Id128);
}

QStringList g_messages;
QtMessageHandler g_previousHandler = nullptr;
void captureMessages(QtMsgType type, const QMessageLogContext &ctx, const QString &msg)
{
    g_messages << msg;
    if (g_previousHandler)
        g_previousHandler(type, ctx, msg);
}

} // namespace

class TestKeychain : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void saveReadOverwriteRemove();
    void readMissingIsNotFound();
    void tooLargeNeverReachesBackend();
    void largestAllowedSecretRoundTrips();
    void vaultRoundTrip();
    void removeProfileSecretsRemovesAll();
    void renamingProfileKeepsSecrets();
    void callbacksAreNeverSynchronous();
    void callbackRunsOnContextThread();
    void callsFromAnotherThread();
    void deadContextGetsNoCallback();
    void queueKeepsCallOrder();
    void callerBuffersAreLeftIntact();
    void logsNeverCarryTheSecret();
    void errorMapping_data();
    void errorMapping();
    void userMessages();

private:
    KeychainError write(const QString &key, QByteArray secret);
    KeychainError read(const QString &key, QByteArray *secret);
    KeychainError remove(const QString &key);

    std::unique_ptr<SecretStore> m_store;
    QString m_profileId = QUuid::createUuid().toString(QUuid::WithoutBraces);
};

KeychainError TestKeychain::write(const QString &key, QByteArray secret)
{
    bool called = false;
    int calls = 0;
    KeychainError result;
    m_store->write(key, std::move(secret), this, [&](const KeychainError &e) {
        called = true;
        ++calls;
        result = e;
    });
    [&] { QVERIFY2(!called, "callback ran inside write()"); }();
    [&] { QVERIFY(QTest::qWaitFor([&] { return called; }, 20000)); }();
    QTest::qWait(0);
    [&] { QCOMPARE(calls, 1); }();
    return result;
}

KeychainError TestKeychain::read(const QString &key, QByteArray *secret)
{
    bool called = false;
    KeychainError result;
    m_store->read(key, this, [&](const QByteArray &s, const KeychainError &e) {
        called = true;
        *secret = s;
        result = e;
    });
    [&] { QVERIFY2(!called, "callback ran inside read()"); }();
    [&] { QVERIFY(QTest::qWaitFor([&] { return called; }, 20000)); }();
    return result;
}

KeychainError TestKeychain::remove(const QString &key)
{
    bool called = false;
    KeychainError result;
    m_store->remove(key, this, [&](const KeychainError &e) {
        called = true;
        result = e;
    });
    [&] { QVERIFY2(!called, "callback ran inside remove()"); }();
    [&] { QVERIFY(QTest::qWaitFor([&] { return called; }, 20000)); }();
    return result;
}

void TestKeychain::initTestCase()
{
    // A service name of our own, so runs never touch the console's real entries.
    m_store = std::make_unique<SecretStore>(
        QStringLiteral("ppg-console-test-%1").arg(QUuid::createUuid().toString(QUuid::Id128)));
    const KeychainError probe = write(QStringLiteral("probe"), QByteArray("probe"));
    QVERIFY2(probe.ok(),
        qPrintable(QStringLiteral("tst_keychain needs an unlocked Secret Service (run it "
                                  "through ./dev test): %1")
                       .arg(describe(probe))));
    QVERIFY(remove(QStringLiteral("probe")).ok());
}

void TestKeychain::cleanupTestCase()
{
    if (m_store) {
        bool done = false;
        m_store->removeProfileSecrets(m_profileId, { QStringLiteral("con_a"), QStringLiteral("con_b") }, this,
            [&](const KeychainError &) { done = true; });
        QVERIFY(QTest::qWaitFor([&] { return done; }, 20000));
    }
}

void TestKeychain::saveReadOverwriteRemove()
{
    const QString key = SecretStore::tokenKey(m_profileId);
    QCOMPARE(key, QStringLiteral("profile/%1/token").arg(m_profileId));
    const QByteArray first = fakeSecret("first");
    KeychainError e = write(key, first);
    QVERIFY2(e.ok(), qPrintable(describe(e)));

    QByteArray got;
    e = read(key, &got);
    QVERIFY2(e.ok(), qPrintable(describe(e)));
    QVERIFY2(got == first, "read back a different secret");

    const QByteArray second = fakeSecret("second");
    QVERIFY(write(key, second).ok());
    QVERIFY(read(key, &got).ok());
    QVERIFY2(got == second, "overwrite did not replace the secret");

    QVERIFY(remove(key).ok());
    e = read(key, &got);
    QCOMPARE(e.kind, Kind::NotFound);
    QVERIFY(got.isEmpty());
    QVERIFY(!e.userMessage().isEmpty());
    // Deleting what is already gone is fine.
    QVERIFY(remove(key).ok());
}

void TestKeychain::readMissingIsNotFound()
{
    QByteArray got("stale");
    const KeychainError e = read(QStringLiteral("profile/never-written/token"), &got);
    QCOMPARE(e.kind, Kind::NotFound);
    QVERIFY(got.isEmpty());
}

void TestKeychain::tooLargeNeverReachesBackend()
{
    const QString key = SecretStore::connectionKey(m_profileId, QStringLiteral("huge"));
    const KeychainError e = write(key, QByteArray(SecretStore::maxSecretSize() + 1, 'x'));
    QCOMPARE(e.kind, Kind::TooLarge);
    QVERIFY(!e.userMessage().isEmpty());
    QVERIFY(!write(key, QByteArray(1024 * 1024, 'y')).ok());
    QByteArray got;
    QCOMPARE(read(key, &got).kind, Kind::NotFound);
}

void TestKeychain::largestAllowedSecretRoundTrips()
{
    const QString key = SecretStore::connectionKey(m_profileId, QStringLiteral("largest"));
    QByteArray big(SecretStore::maxSecretSize(), '\0');
    for (qsizetype i = 0; i < big.size(); ++i)
        big[i] = char(i * 7 + 3); // binary, including zero bytes
    QVERIFY(write(key, big).ok());
    QByteArray got;
    QVERIFY(read(key, &got).ok());
    QCOMPARE(got.size(), big.size());
    QVERIFY(got == big);
    QVERIFY(remove(key).ok());
}

void TestKeychain::vaultRoundTrip()
{
    const QString key = SecretStore::connectionKey(m_profileId, QStringLiteral("con_a"));
    QCOMPARE(key, QStringLiteral("profile/%1/connection/con_a").arg(m_profileId));
    const QByteArray connectionString
        = "postgres://user:" + fakeSecret("pw") + "@db.example.invalid:5432/postgres?sslmode=require";
    QVERIFY(write(key, connectionString).ok());
    QByteArray got;
    QVERIFY(read(key, &got).ok());
    QVERIFY(got == connectionString);
    // The token of the same profile is a different entry.
    QCOMPARE(read(SecretStore::tokenKey(m_profileId), &got).kind, Kind::NotFound);
    QVERIFY(remove(key).ok());
}

void TestKeychain::removeProfileSecretsRemovesAll()
{
    const QString profile = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QString other = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QStringList keys { SecretStore::tokenKey(profile),
        SecretStore::connectionKey(profile, QStringLiteral("con_a")),
        SecretStore::connectionKey(profile, QStringLiteral("con_b")) };
    for (const QString &k : keys)
        QVERIFY(write(k, fakeSecret("x")).ok());
    QVERIFY(write(SecretStore::tokenKey(other), fakeSecret("other")).ok());

    bool called = false;
    int calls = 0;
    KeychainError result(Kind::Other);
    m_store->removeProfileSecrets(profile,
        { QStringLiteral("con_a"), QStringLiteral("con_b"), QStringLiteral("con_missing") }, this,
        [&](const KeychainError &e) {
            called = true;
            ++calls;
            result = e;
        });
    QVERIFY(!called);
    QTRY_VERIFY_WITH_TIMEOUT(called, 20000);
    QVERIFY2(result.ok(), qPrintable(describe(result)));
    QTest::qWait(50);
    QCOMPARE(calls, 1);

    QByteArray got;
    for (const QString &k : keys)
        QCOMPARE(read(k, &got).kind, Kind::NotFound);
    // Another profile's token is untouched.
    QVERIFY(read(SecretStore::tokenKey(other), &got).ok());
    QVERIFY(remove(SecretStore::tokenKey(other)).ok());
}

void TestKeychain::renamingProfileKeepsSecrets()
{
    QTemporaryDir dir;
    ProfileStore profiles(dir.filePath(QStringLiteral("profiles.ini")));
    Profile p;
    p.name = QStringLiteral("Before");
    p = profiles.add(p);
    QVERIFY(!p.id.isEmpty());
    const QByteArray token = fakeSecret("token");
    QVERIFY(write(SecretStore::tokenKey(p.id), token).ok());
    QVERIFY(profiles.setHasStoredToken(p.id, true));

    p.name = QStringLiteral("After");
    QVERIFY(profiles.update(p));
    const auto renamed = profiles.findByName(QStringLiteral("After"));
    QVERIFY(renamed);
    QVERIFY(renamed->hasStoredToken);
    QByteArray got;
    QVERIFY(read(SecretStore::tokenKey(renamed->id), &got).ok());
    QVERIFY(got == token);
    QVERIFY(remove(SecretStore::tokenKey(renamed->id)).ok());
}

void TestKeychain::callbacksAreNeverSynchronous()
{
    // Every path, including the ones decided without the backend (too large, empty key).
    int called = 0;
    auto done = [&](const KeychainError &) { ++called; };
    m_store->write(QString(), "x", this, done);
    QCOMPARE(called, 0);
    m_store->write(QStringLiteral("k"), QByteArray(SecretStore::maxSecretSize() + 1, 'z'), this, done);
    QCOMPARE(called, 0);
    m_store->remove(QStringLiteral("profile/none/token"), this, done);
    QCOMPARE(called, 0);
    m_store->read(
        QStringLiteral("profile/none/token"), this, [&](const QByteArray &, const KeychainError &) { ++called; });
    QCOMPARE(called, 0);
    m_store->removeProfileSecrets(QStringLiteral("none"), { QStringLiteral("c") }, this, done);
    QCOMPARE(called, 0);
    QTRY_COMPARE_WITH_TIMEOUT(called, 5, 20000);
    QTest::qWait(50);
    QCOMPARE(called, 5);
    QCOMPARE(m_store->pendingJobs(), 0);
}

void TestKeychain::callbackRunsOnContextThread()
{
    QThread worker;
    worker.start();
    QObject context;
    context.moveToThread(&worker);
    QAtomicPointer<QThread> ranOn(nullptr);
    QAtomicInt done = 0;
    m_store->read(QStringLiteral("profile/none/token"), &context, [&](const QByteArray &, const KeychainError &) {
        ranOn.storeRelease(QThread::currentThread());
        done.storeRelease(1);
    });
    QTRY_VERIFY_WITH_TIMEOUT(done.loadAcquire() == 1, 20000);
    QCOMPARE(ranOn.loadAcquire(), &worker);
    worker.quit();
    worker.wait();
}

void TestKeychain::callsFromAnotherThread()
{
    const QString key = SecretStore::connectionKey(m_profileId, QStringLiteral("threaded"));
    const QByteArray secret = fakeSecret("threaded");
    bool written = false;
    QThread *caller = QThread::create([&] {
        m_store->write(key, secret, this, [&](const KeychainError &e) {
            QVERIFY(e.ok());
            QCOMPARE(QThread::currentThread(), thread()); // this test object's (main) thread
            written = true;
        });
    });
    caller->start();
    caller->wait();
    delete caller;
    QTRY_VERIFY_WITH_TIMEOUT(written, 20000);
    QByteArray got;
    QVERIFY(read(key, &got).ok());
    QVERIFY(got == secret);
    QVERIFY(remove(key).ok());
}

void TestKeychain::deadContextGetsNoCallback()
{
    const QString key = SecretStore::connectionKey(m_profileId, QStringLiteral("orphan"));
    const QByteArray secret = fakeSecret("orphan");
    bool called = false;
    auto *context = new QObject;
    m_store->write(key, secret, context, [&](const KeychainError &) { called = true; });
    m_store->read(key, context, [&](const QByteArray &, const KeychainError &) { called = true; });
    delete context;
    QSignalSpy idle(m_store.get(), &SecretStore::idle);
    QVERIFY(idle.wait(20000));
    QTest::qWait(100);
    QVERIFY(!called);
    // The write itself still happened: only the answer had nobody to go to.
    QByteArray got;
    QVERIFY(read(key, &got).ok());
    QVERIFY(got == secret);
    QVERIFY(remove(key).ok());
}

void TestKeychain::queueKeepsCallOrder()
{
    const QString key = SecretStore::connectionKey(m_profileId, QStringLiteral("order"));
    const QByteArray a = fakeSecret("a");
    const QByteArray b = fakeSecret("b");
    QStringList log;
    m_store->write(key, a, this, [&](const KeychainError &e) { log << QStringLiteral("w1:%1").arg(e.ok()); });
    m_store->read(key, this, [&](const QByteArray &s, const KeychainError &e) {
        log << QStringLiteral("r1:%1:%2").arg(e.ok()).arg(s == a);
    });
    m_store->write(key, b, this, [&](const KeychainError &e) { log << QStringLiteral("w2:%1").arg(e.ok()); });
    m_store->read(key, this, [&](const QByteArray &s, const KeychainError &e) {
        log << QStringLiteral("r2:%1:%2").arg(e.ok()).arg(s == b);
    });
    m_store->remove(key, this, [&](const KeychainError &e) { log << QStringLiteral("d:%1").arg(e.ok()); });
    m_store->read(key, this, [&](const QByteArray &, const KeychainError &e) {
        log << QStringLiteral("r3:%1").arg(KeychainError::kindName(e.kind));
    });
    QCOMPARE(m_store->pendingJobs(), 6);
    QTRY_COMPARE_WITH_TIMEOUT(log.size(), 6, 30000);
    QCOMPARE(log, (QStringList { "w1:1", "r1:1:1", "w2:1", "r2:1:1", "d:1", "r3:NotFound" }));
}

void TestKeychain::callerBuffersAreLeftIntact()
{
    // The store wipes only buffers it owns: a copy the caller kept, or one the callback kept,
    // must survive the wipe.
    const QString key = SecretStore::connectionKey(m_profileId, QStringLiteral("buffers"));
    const QByteArray original = fakeSecret("buffers");
    QByteArray callerCopy = original; // shares its buffer with what we pass in
    QVERIFY(write(key, callerCopy).ok());
    QVERIFY2(callerCopy == original, "the caller's copy was wiped");

    QByteArray kept;
    bool done = false;
    m_store->read(key, this, [&](const QByteArray &s, const KeychainError &) {
        kept = s; // shares the store's buffer
        done = true;
    });
    QTRY_VERIFY_WITH_TIMEOUT(done, 20000);
    QTest::qWait(50);
    QVERIFY2(kept == original, "the secret the callback kept was wiped");
    QVERIFY(remove(key).ok());
}

void TestKeychain::logsNeverCarryTheSecret()
{
    QLoggingCategory::setFilterRules(QStringLiteral("ppg.keychain.debug=true"));
    g_messages.clear();
    g_previousHandler = qInstallMessageHandler(captureMessages);
    const QString key = SecretStore::connectionKey(m_profileId, QStringLiteral("logged"));
    const QByteArray secret = fakeSecret("logged");
    const bool wrote = write(key, secret).ok();
    QByteArray got;
    const bool readOk = read(key, &got).ok();
    const bool removed = remove(key).ok();
    write(key, QByteArray(SecretStore::maxSecretSize() + 1, 'q'));
    qInstallMessageHandler(g_previousHandler);
    QLoggingCategory::setFilterRules(QString());
    QVERIFY(wrote && readOk && removed);
    QVERIFY(!g_messages.isEmpty()); // the keys and outcomes were logged...
    QVERIFY(std::any_of(g_messages.cbegin(), g_messages.cend(), [&](const QString &m) { return m.contains(key); }));
    for (const QString &m : std::as_const(g_messages)) // ...the secret never
        QVERIFY(!m.contains(QString::fromUtf8(secret)) && !m.contains(QStringLiteral("qqqq")));
}

void TestKeychain::errorMapping_data()
{
    // QKeychain::Error values (0.13): NoError 0, EntryNotFound 1, CouldNotDeleteEntry 2,
    // AccessDeniedByUser 3, AccessDenied 4, NoBackendAvailable 5, NotImplemented 6, OtherError 7.
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("kind");
    QTest::newRow("ok") << 0 << QString() << int(Kind::None);
    QTest::newRow("not found") << 1 << QStringLiteral("Entry not found") << int(Kind::NotFound);
    QTest::newRow("delete failed") << 2 << QStringLiteral("x") << int(Kind::Other);
    QTest::newRow("user said no") << 3 << QStringLiteral("x") << int(Kind::AccessDenied);
    QTest::newRow("locked") << 4 << QStringLiteral("Cannot create an item in a locked collection") << int(Kind::Locked);
    QTest::newRow("no backend") << 5 << QStringLiteral("x") << int(Kind::NoBackend);
    QTest::newRow("not implemented") << 6 << QStringLiteral("x") << int(Kind::NoBackend);
    QTest::newRow("no session bus") << 7 << QStringLiteral("Cannot autolaunch D-Bus without X11 $DISPLAY")
                                    << int(Kind::NoBackend);
    QTest::newRow("dead bus") << 7 << QStringLiteral("Could not connect: No such file or directory")
                              << int(Kind::NoBackend);
    QTest::newRow("bus hung up") << 7 << QStringLiteral("Unexpected lack of content trying to read a line")
                                 << int(Kind::NoBackend);
    QTest::newRow("no secret service") << 7
                                       << QStringLiteral(
                                              "The name org.freedesktop.secrets was not provided by any .service files")
                                       << int(Kind::NoBackend);
    QTest::newRow("no keyring") << 7
                                << QStringLiteral(
                                       "Object does not exist at path “/org/freedesktop/secrets/collection/login”")
                                << int(Kind::Locked);
    QTest::newRow("other") << 7 << QStringLiteral("Something odd") << int(Kind::Other);
}

void TestKeychain::errorMapping()
{
    QFETCH(int, code);
    QFETCH(QString, text);
    QFETCH(int, kind);
    const KeychainError e = SecretStore::fromBackend(code, text);
    QCOMPARE(int(e.kind), kind);
    QCOMPARE(e.ok(), kind == int(Kind::None));
    QCOMPARE(e.userMessage().isEmpty(), e.ok());
}

void TestKeychain::userMessages()
{
    const KeychainError noBackend(Kind::NoBackend, QStringLiteral("detail"));
    QVERIFY(noBackend.userMessage().contains(QStringLiteral("No keychain is available")));
    QVERIFY(noBackend.userMessage().contains(QStringLiteral("this session only")));
    const KeychainError notFound(Kind::NotFound);
    QVERIFY(notFound.userMessage().contains(QStringLiteral("locked")));
    QVERIFY(notFound.userMessage().contains(QStringLiteral("missing")));
    QVERIFY(KeychainError().userMessage().isEmpty());
}

QTEST_GUILESS_MAIN(TestKeychain)
#include "tst_keychain.moc"

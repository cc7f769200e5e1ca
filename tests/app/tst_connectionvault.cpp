// tst_connectionvault: ConnectionVault against a REAL, unlocked Secret Service (gnome-keyring on a
// private session bus, as `./dev test` starts it): keep / fetch / forget / has, a "restart" (new
// stores on the same settings file and keychain service), rotation replacing the strings, the
// keep-by-default choice, a connection without strings, and SessionManager::removeProfile deleting
// the token and every vault entry while renaming keeps them. Secrets are never printed.
#include "connectionvault.h"
#include "filescan.h"
#include "keychaindescribe.h"
#include "profilestore.h"
#include "secretstore.h"
#include "sessionmanager.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QUuid>
#include <QtTest>

using Kind = KeychainError::Kind;

namespace {

QString fakeString(const char *label)
{
    // Test values only.
    return QStringLiteral("postgres://u:test-pw-%1-%2@db.example.invalid:5432/postgres?sslmode=require")
        .arg(QLatin1String(label), QUuid::createUuid().toString(QUuid::Id128));
}

Connection fakeConnection(const QString &id, bool withStrings = true)
{
    Connection c;
    c.id = id;
    c.name = QStringLiteral("app");
    c.direct = Endpoint { QStringLiteral("db.example.invalid"), 5432, withStrings ? fakeString("direct") : QString() };
    c.pooled
        = Endpoint { QStringLiteral("pool.example.invalid"), 6432, withStrings ? fakeString("pooled") : QString() };
    c.accelerate = Endpoint { QStringLiteral("accelerate.example.invalid"), 443,
        withStrings ? QStringLiteral("prisma+postgres://accelerate.example.invalid/?api_key=test-key-")
                + QUuid::createUuid().toString(QUuid::Id128)
                    : QString() };
    return c;
}

} // namespace

class TestConnectionVault : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void cleanupTestCase();

    void keepFetchForgetAndRestart();
    void rotationReplacesTheStrings();
    void connectionWithoutStringsIsRefused();
    void fetchOfUnknownIsNotFoundWithoutKeychain();
    void keepByDefaultIsPerProfileAndSurvivesRestart();
    void removeProfileRemovesTokenAndVault();
    void renamingKeepsTokenAndVault();
    void settingsFileHoldsNoSecret();

private:
    void recreate();
    KeychainError keep(const QString &profileId, const Connection &c);
    KeychainError fetch(const QString &profileId, const QString &connectionId, ConnectionSecrets *out);
    KeychainError forget(const QString &profileId, const QString &connectionId);
    KeychainError readKey(const QString &key);
    Profile addProfile(const QString &name, bool withToken);

    QTemporaryDir m_dir;
    QString m_service = QStringLiteral("ppg-console-test-%1").arg(QUuid::createUuid().toString(QUuid::Id128));
    std::unique_ptr<ProfileStore> m_profiles;
    std::unique_ptr<SecretStore> m_secrets;
    std::unique_ptr<SessionManager> m_sessions;
    QStringList m_cleanupIds;
    QList<QByteArray> m_secretValues; // everything stored, to look for on disk
};

void TestConnectionVault::recreate()
{
    m_sessions.reset();
    m_secrets.reset();
    m_profiles.reset();
    m_profiles = std::make_unique<ProfileStore>(m_dir.filePath(QStringLiteral("config/profiles.ini")));
    m_secrets = std::make_unique<SecretStore>(m_service);
    m_sessions = std::make_unique<SessionManager>(m_profiles.get(), m_secrets.get());
}

KeychainError TestConnectionVault::keep(const QString &profileId, const Connection &c)
{
    for (const auto *e : { &c.direct, &c.pooled, &c.accelerate })
        if (*e && !(*e)->connectionString.isEmpty())
            m_secretValues << (*e)->connectionString.toUtf8();
    bool called = false;
    KeychainError result;
    m_sessions->vault()->keep(profileId, c, this, [&](const KeychainError &e) {
        called = true;
        result = e;
    });
    [&] { QVERIFY2(!called, "callback ran inside keep()"); }();
    [&] { QVERIFY(QTest::qWaitFor([&] { return called; }, 20000)); }();
    return result;
}

KeychainError TestConnectionVault::fetch(const QString &profileId, const QString &connectionId, ConnectionSecrets *out)
{
    bool called = false;
    KeychainError result;
    m_sessions->vault()->fetch(profileId, connectionId, this, [&](const ConnectionSecrets &s, const KeychainError &e) {
        called = true;
        *out = s;
        result = e;
    });
    [&] { QVERIFY2(!called, "callback ran inside fetch()"); }();
    [&] { QVERIFY(QTest::qWaitFor([&] { return called; }, 20000)); }();
    return result;
}

KeychainError TestConnectionVault::forget(const QString &profileId, const QString &connectionId)
{
    bool called = false;
    KeychainError result;
    m_sessions->vault()->forget(profileId, connectionId, this, [&](const KeychainError &e) {
        called = true;
        result = e;
    });
    [&] { QVERIFY(QTest::qWaitFor([&] { return called; }, 20000)); }();
    return result;
}

KeychainError TestConnectionVault::readKey(const QString &key)
{
    bool called = false;
    KeychainError result;
    m_secrets->read(key, this, [&](const QByteArray &, const KeychainError &e) {
        called = true;
        result = e;
    });
    [&] { QVERIFY(QTest::qWaitFor([&] { return called; }, 20000)); }();
    return result;
}

Profile TestConnectionVault::addProfile(const QString &name, bool withToken)
{
    Profile p;
    p.name = name;
    p.color = QColor(0x2e, 0x7d, 0x32);
    QByteArray token;
    if (withToken) {
        token = "test-token-" + QUuid::createUuid().toByteArray(QUuid::Id128);
        m_secretValues << token;
    }
    std::optional<Profile> saved;
    QString error;
    bool called = false;
    m_sessions->saveProfile(p, token, this, [&](std::optional<Profile> s, const QString &e) {
        called = true;
        saved = s;
        error = e;
    });
    [&] { QVERIFY(QTest::qWaitFor([&] { return called; }, 20000)); }();
    [&] { QVERIFY2(saved && error.isEmpty(), qPrintable(error)); }();
    if (saved)
        m_cleanupIds << saved->id;
    return saved.value_or(Profile {});
}

void TestConnectionVault::initTestCase()
{
    QVERIFY(m_dir.isValid());
    recreate();
    bool called = false;
    KeychainError probe;
    m_secrets->write(QStringLiteral("probe"), "probe", this, [&](const KeychainError &e) {
        called = true;
        probe = e;
    });
    QVERIFY(QTest::qWaitFor([&] { return called; }, 20000));
    QVERIFY2(probe.ok(),
        qPrintable(QStringLiteral("tst_connectionvault needs an unlocked Secret Service "
                                  "(run it through ./dev test): %1")
                       .arg(describe(probe))));
}

void TestConnectionVault::init()
{
    recreate();
}

void TestConnectionVault::cleanup()
{
    // Whatever a failed test left in the keychain.
    for (const QString &id : std::as_const(m_cleanupIds)) {
        bool done = false;
        m_secrets->removeProfileSecrets(id,
            { QStringLiteral("con_a"), QStringLiteral("con_b"), QStringLiteral("con_c") }, this,
            [&](const KeychainError &) { done = true; });
        QVERIFY(QTest::qWaitFor([&] { return done; }, 20000));
    }
    m_cleanupIds.clear();
}

void TestConnectionVault::cleanupTestCase()
{
    if (m_secrets) {
        bool done = false;
        m_secrets->remove(QStringLiteral("probe"), this, [&](const KeychainError &) { done = true; });
        QVERIFY(QTest::qWaitFor([&] { return done; }, 20000));
    }
}

void TestConnectionVault::keepFetchForgetAndRestart()
{
    const Profile p = addProfile(QStringLiteral("vault"), false);
    const Connection c = fakeConnection(QStringLiteral("con_a"));
    ConnectionVault *vault = m_sessions->vault();
    QVERIFY(!vault->has(p.id, c.id));

    QSignalSpy changed(vault, &ConnectionVault::changed);
    KeychainError e = keep(p.id, c);
    QVERIFY2(e.ok(), qPrintable(describe(e)));
    QVERIFY(vault->has(p.id, c.id));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.first().at(0).toString(), p.id);
    QCOMPARE(changed.first().at(1).toString(), c.id);
    QCOMPARE(m_profiles->vaultConnectionIds(p.id), QStringList { c.id });

    ConnectionSecrets got;
    e = fetch(p.id, c.id, &got);
    QVERIFY2(e.ok(), qPrintable(describe(e)));
    QVERIFY2(got.direct == c.direct->connectionString, "direct string differs");
    QVERIFY2(got.pooled == c.pooled->connectionString, "pooled string differs");
    QVERIFY2(got.accelerate == c.accelerate->connectionString, "accelerate string differs");
    QVERIFY(!got.isEmpty());

    // Restart: new objects on the same settings file and keychain service.
    recreate();
    vault = m_sessions->vault();
    QVERIFY(vault->has(p.id, c.id));
    got = {};
    e = fetch(p.id, c.id, &got);
    QVERIFY2(e.ok(), qPrintable(describe(e)));
    QVERIFY2(got.direct == c.direct->connectionString, "direct string differs after restart");

    QSignalSpy forgotten(vault, &ConnectionVault::changed);
    QVERIFY(forget(p.id, c.id).ok());
    QVERIFY(!vault->has(p.id, c.id));
    QCOMPARE(forgotten.count(), 1);
    QCOMPARE(readKey(SecretStore::connectionKey(p.id, c.id)).kind, Kind::NotFound);
    got = {};
    QCOMPARE(fetch(p.id, c.id, &got).kind, Kind::NotFound);
    QVERIFY(got.isEmpty());
    // Forgetting again is fine.
    QVERIFY(forget(p.id, c.id).ok());
}

void TestConnectionVault::rotationReplacesTheStrings()
{
    const Profile p = addProfile(QStringLiteral("rotate"), false);
    const Connection before = fakeConnection(QStringLiteral("con_b"));
    QVERIFY(keep(p.id, before).ok());
    Connection after = fakeConnection(QStringLiteral("con_b"));
    after.pooled.reset(); // the rotated reply may carry fewer endpoints
    QVERIFY(keep(p.id, after).ok());
    QCOMPARE(m_profiles->vaultConnectionIds(p.id), QStringList { QStringLiteral("con_b") });
    ConnectionSecrets got;
    QVERIFY(fetch(p.id, after.id, &got).ok());
    QVERIFY2(got.direct == after.direct->connectionString, "still the old string");
    QVERIFY(got.pooled.isEmpty());
    QVERIFY(forget(p.id, after.id).ok());
}

void TestConnectionVault::connectionWithoutStringsIsRefused()
{
    const Profile p = addProfile(QStringLiteral("empty"), false);
    const KeychainError e = keep(p.id, fakeConnection(QStringLiteral("con_c"), false));
    QCOMPARE(e.kind, Kind::Other);
    QVERIFY(!e.userMessage().isEmpty());
    QVERIFY(!m_sessions->vault()->has(p.id, QStringLiteral("con_c")));
    // Unknown profile: refused too, nothing indexed.
    QCOMPARE(keep(QStringLiteral("no-such-profile"), fakeConnection(QStringLiteral("con_c"))).kind, Kind::Other);
}

void TestConnectionVault::fetchOfUnknownIsNotFoundWithoutKeychain()
{
    const Profile p = addProfile(QStringLiteral("unknown"), false);
    const int before = m_secrets->pendingJobs();
    ConnectionSecrets got;
    bool called = false;
    KeychainError result;
    m_sessions->vault()->fetch(
        p.id, QStringLiteral("con_never"), this, [&](const ConnectionSecrets &s, const KeychainError &e) {
            called = true;
            got = s;
            result = e;
        });
    QCOMPARE(m_secrets->pendingJobs(), before); // the keychain was not asked
    QVERIFY(!called);
    QTRY_VERIFY(called);
    QCOMPARE(result.kind, Kind::NotFound);
    QVERIFY(got.isEmpty());
}

void TestConnectionVault::keepByDefaultIsPerProfileAndSurvivesRestart()
{
    const Profile a = addProfile(QStringLiteral("keep-a"), false);
    const Profile b = addProfile(QStringLiteral("keep-b"), false);
    QVERIFY(m_sessions->vault()->keepByDefault(a.id));
    QVERIFY(m_sessions->vault()->keepByDefault(b.id));
    m_sessions->vault()->setKeepByDefault(a.id, false);
    QVERIFY(!m_sessions->vault()->keepByDefault(a.id));
    QVERIFY(m_sessions->vault()->keepByDefault(b.id));
    recreate();
    QVERIFY(!m_sessions->vault()->keepByDefault(a.id));
    QVERIFY(m_sessions->vault()->keepByDefault(b.id));
    // Writing the choice did not disturb the profile.
    QCOMPARE(m_profiles->profile(a.id)->name, QStringLiteral("keep-a"));
    // An unknown profile gets no settings group.
    m_sessions->vault()->setKeepByDefault(QStringLiteral("ghost"), false);
    QVERIFY(!m_profiles->profile(QStringLiteral("ghost")));
    QVERIFY(m_sessions->vault()->keepByDefault(QStringLiteral("ghost")));
}

void TestConnectionVault::removeProfileRemovesTokenAndVault()
{
    const Profile p = addProfile(QStringLiteral("doomed"), true);
    QVERIFY(m_profiles->profile(p.id)->hasStoredToken);
    QVERIFY(keep(p.id, fakeConnection(QStringLiteral("con_a"))).ok());
    QVERIFY(keep(p.id, fakeConnection(QStringLiteral("con_b"))).ok());
    QVERIFY(readKey(SecretStore::tokenKey(p.id)).ok());

    bool called = false, removed = false;
    KeychainError error;
    m_sessions->removeProfile(p.id, this, [&](bool r, const KeychainError &e) {
        called = true;
        removed = r;
        error = e;
    });
    QTRY_VERIFY_WITH_TIMEOUT(called, 20000);
    QVERIFY2(removed && error.ok(), qPrintable(describe(error)));
    QVERIFY(!m_profiles->profile(p.id));
    QVERIFY(m_profiles->vaultConnectionIds(p.id).isEmpty());
    QCOMPARE(readKey(SecretStore::tokenKey(p.id)).kind, Kind::NotFound);
    QCOMPARE(readKey(SecretStore::connectionKey(p.id, QStringLiteral("con_a"))).kind, Kind::NotFound);
    QCOMPARE(readKey(SecretStore::connectionKey(p.id, QStringLiteral("con_b"))).kind, Kind::NotFound);
}

void TestConnectionVault::renamingKeepsTokenAndVault()
{
    Profile p = addProfile(QStringLiteral("before"), true);
    QVERIFY(keep(p.id, fakeConnection(QStringLiteral("con_a"))).ok());
    p.name = QStringLiteral("after");
    bool called = false;
    std::optional<Profile> saved;
    m_sessions->saveProfile(p, QByteArray(), this, [&](std::optional<Profile> s, const QString &) {
        called = true;
        saved = s;
    });
    QTRY_VERIFY_WITH_TIMEOUT(called, 20000);
    QVERIFY(saved);
    QCOMPARE(saved->id, p.id);
    QCOMPARE(m_profiles->profile(p.id)->name, QStringLiteral("after"));
    QVERIFY(m_profiles->profile(p.id)->hasStoredToken);
    QVERIFY(readKey(SecretStore::tokenKey(p.id)).ok());
    ConnectionSecrets got;
    QVERIFY(fetch(p.id, QStringLiteral("con_a"), &got).ok());
    QVERIFY(!got.isEmpty());
}

void TestConnectionVault::settingsFileHoldsNoSecret()
{
    const Profile p = addProfile(QStringLiteral("scan"), true);
    QVERIFY(keep(p.id, fakeConnection(QStringLiteral("con_a"))).ok());
    QVERIFY(!m_secretValues.isEmpty());
    int files = 0;
    for (const auto &[path, content] : readFilesBelow(m_dir.path())) {
        ++files;
        for (const QByteArray &s : std::as_const(m_secretValues))
            QVERIFY2(!content.contains(s) && !content.contains(s.toBase64()),
                qPrintable(QStringLiteral("a secret reached %1").arg(path)));
        QVERIFY(!content.contains("test-pw-"));
        QVERIFY(!content.contains("test-token-"));
    }
    QVERIFY(files > 0);
}

QTEST_GUILESS_MAIN(TestConnectionVault)
#include "tst_connectionvault.moc"

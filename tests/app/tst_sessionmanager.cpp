// tst_sessionmanager: SessionManager against a private ppg-sandbox and a REAL, unlocked Secret
// Service (gnome-keyring on a private bus, as `./dev test` starts it), in a process whose XDG
// folders are temporary: save + activate gives a working session; the last profile comes back;
// a token kept "for this session only" works and never reaches the keychain; a temporary session
// is saved nowhere; removing the active profile ends the session and deletes its secrets.
// Finally a scripted flow (add two profiles, switch, create a connection through the session's
// client, keep its string in the vault, restart = new stores and manager on the same folders,
// fetch it back) after which every file under XDG_CONFIG_HOME / XDG_DATA_HOME / HOME and every
// captured log line is searched for the token and the connection's password: none may appear.
#include "apiclient.h"
#include "await.h"
#include "connectionvault.h"
#include "filescan.h"
#include "keychaindescribe.h"
#include "profilestore.h"
#include "sandboxprocess.h"
#include "secretstore.h"
#include "session.h"
#include "sessionmanager.h"

#include <QDir>
#include <QLoggingCategory>
#include <QMutex>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QUuid>
#include <QtTest>

using Kind = KeychainError::Kind;

namespace {

QMutex g_logMutex;
QStringList g_log;
QtMessageHandler g_previous = nullptr;

void capture(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    {
        QMutexLocker lock(&g_logMutex);
        g_log << qFormatLogMessage(type, context, message)
              << message + QLatin1Char(' ') + QString::fromUtf8(context.category ? context.category : "");
    }
    if (g_previous)
        g_previous(type, context, message);
}

} // namespace

class TestSessionManager : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanupTestCase();

    void saveAndActivate();
    void sessionOnlyTokenNeverReachesKeychain();
    void temporarySessionIsSavedNowhere();
    void removingActiveProfileEndsSessionAndDeletesSecrets();
    void removingUnknownProfileFails();
    void scriptedFlowLeavesNoSecretOnDiskOrInLogs();

private:
    void recreate();
    std::optional<Profile> save(Profile p, QByteArray token,
        SessionManager::TokenStorage storage = SessionManager::TokenStorage::Keychain, QString *error = nullptr);
    Session *activate(const QString &id);
    KeychainError readKey(const QString &key, QByteArray *out = nullptr);
    void scanForSecrets(const QList<QByteArray> &secrets);

    QTemporaryDir m_home;
    SandboxProcess m_sandbox;
    QByteArray m_token = "ppg-test-token-" + QUuid::createUuid().toByteArray(QUuid::Id128);
    QByteArray m_tokenB = "ppg-test-token-" + QUuid::createUuid().toByteArray(QUuid::Id128);
    QString m_service = QStringLiteral("ppg-console-test-%1").arg(QUuid::createUuid().toString(QUuid::Id128));
    QString m_settingsPath;
    std::unique_ptr<ProfileStore> m_profiles;
    std::unique_ptr<SecretStore> m_secrets;
    std::unique_ptr<SessionManager> m_sessions;
    QStringList m_created; // profile ids, for keychain cleanup
};

void TestSessionManager::initTestCase()
{
    QVERIFY(m_home.isValid());
    const QString root = m_home.path();
    for (const char *sub : { "config", "data", "cache" })
        QVERIFY(QDir(root).mkpath(QString::fromLatin1(sub)));
    // Only this process's files move here; the keyring daemon keeps its own (encrypted) store.
    qputenv("XDG_CONFIG_HOME", (root + QStringLiteral("/config")).toUtf8());
    qputenv("XDG_DATA_HOME", (root + QStringLiteral("/data")).toUtf8());
    qputenv("XDG_CACHE_HOME", (root + QStringLiteral("/cache")).toUtf8());
    QCoreApplication::setOrganizationName(QStringLiteral("ppg-test"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_sessionmanager"));
    QSettings::setDefaultFormat(QSettings::IniFormat);
    m_settingsPath = QSettings().fileName();
    QVERIFY2(m_settingsPath.startsWith(root), qPrintable(m_settingsPath));

    // Every message, debug included, goes through the capture.
    QLoggingCategory::setFilterRules(QStringLiteral("ppg.*=true\nqt.network.*=false"));
    g_previous = qInstallMessageHandler(capture);

    SandboxProcess::Options options;
    options.tokens = { QString::fromLatin1(m_token) + QStringLiteral("=Acme"),
        QString::fromLatin1(m_tokenB) + QStringLiteral("=Beta") };
    QVERIFY2(m_sandbox.start(options), qPrintable(m_sandbox.errorString()));

    recreate();
    bool called = false;
    KeychainError probe;
    m_secrets->write(QStringLiteral("probe"), "probe", this, [&](const KeychainError &e) {
        called = true;
        probe = e;
    });
    QVERIFY(QTest::qWaitFor([&] { return called; }, 20000));
    QVERIFY2(probe.ok(),
        qPrintable(QStringLiteral("needs an unlocked Secret Service (./dev test): %1").arg(describe(probe))));
}

void TestSessionManager::init()
{
    recreate();
}

void TestSessionManager::cleanupTestCase()
{
    if (m_secrets) {
        for (const QString &id : std::as_const(m_created)) {
            bool done = false;
            m_secrets->removeProfileSecrets(
                id, m_profiles->vaultConnectionIds(id), this, [&](const KeychainError &) { done = true; });
            QVERIFY(QTest::qWaitFor([&] { return done; }, 20000));
        }
        bool done = false;
        m_secrets->remove(QStringLiteral("probe"), this, [&](const KeychainError &) { done = true; });
        QVERIFY(QTest::qWaitFor([&] { return done; }, 20000));
    }
    m_sessions.reset();
    qInstallMessageHandler(g_previous);
}

void TestSessionManager::recreate()
{
    m_sessions.reset();
    QTest::qWait(0); // let the old sessions' deleteLater run
    m_secrets.reset();
    m_profiles.reset();
    m_profiles = std::make_unique<ProfileStore>(m_settingsPath);
    m_secrets = std::make_unique<SecretStore>(m_service);
    m_sessions = std::make_unique<SessionManager>(m_profiles.get(), m_secrets.get());
}

std::optional<Profile> TestSessionManager::save(
    Profile p, QByteArray token, SessionManager::TokenStorage storage, QString *errorOut)
{
    bool called = false;
    std::optional<Profile> saved;
    QString error;
    m_sessions->saveProfile(p, std::move(token), storage, this, [&](std::optional<Profile> s, const QString &e) {
        called = true;
        saved = s;
        error = e;
    });
    [&] { QVERIFY(QTest::qWaitFor([&] { return called; }, 20000)); }();
    if (saved && !m_created.contains(saved->id))
        m_created << saved->id;
    if (errorOut)
        *errorOut = error;
    else
        [&] { QVERIFY2(error.isEmpty(), qPrintable(error)); }();
    return saved;
}

Session *TestSessionManager::activate(const QString &id)
{
    QSignalSpy changed(m_sessions.get(), &SessionManager::sessionChanged);
    QSignalSpy failed(m_sessions.get(), &SessionManager::activationFailed);
    m_sessions->activate(id);
    [&] { QVERIFY(QTest::qWaitFor([&] { return changed.count() > 0 || failed.count() > 0; }, 20000)); }();
    if (failed.count() > 0)
        qWarning("activation failed: %s", qPrintable(failed.first().at(1).toString()));
    return m_sessions->session();
}

KeychainError TestSessionManager::readKey(const QString &key, QByteArray *out)
{
    bool called = false;
    KeychainError result;
    m_secrets->read(key, this, [&](const QByteArray &s, const KeychainError &e) {
        called = true;
        result = e;
        if (out)
            *out = s;
    });
    [&] { QVERIFY(QTest::qWaitFor([&] { return called; }, 20000)); }();
    return result;
}

void TestSessionManager::saveAndActivate()
{
    Profile p;
    p.name = QStringLiteral("acme");
    p.apiUrl = m_sandbox.baseUrl();
    const auto saved = save(p, m_token);
    QVERIFY(saved);
    QVERIFY(saved->hasStoredToken);
    QVERIFY(m_profiles->profile(saved->id)->hasStoredToken);
    QVERIFY(!m_sessions->hasSessionToken(saved->id));

    Session *s = activate(saved->id);
    QVERIFY(s);
    QCOMPARE(s->profile().id, saved->id);
    QVERIFY(!s->isTemporary());
    QCOMPARE(m_profiles->activeProfileId(), saved->id);
    QObject ctx;
    auto me = await<Me>([&](auto cb) { s->client()->me(&ctx, cb); });
    QVERIFY2(me.ok(), qPrintable(me.error().userMessage()));
    QVERIFY(me.value().workspace);
    QCOMPARE(me.value().workspace->name, QStringLiteral("Acme"));

    // The last one used comes back after a restart.
    recreate();
    QCOMPARE(m_profiles->activeProfileId(), saved->id);
    QVERIFY(activate(m_profiles->activeProfileId()));
}

void TestSessionManager::sessionOnlyTokenNeverReachesKeychain()
{
    Profile p;
    p.name = QStringLiteral("memory");
    p.apiUrl = m_sandbox.baseUrl();
    const auto saved = save(p, m_tokenB, SessionManager::TokenStorage::SessionOnly);
    QVERIFY(saved);
    QVERIFY(!saved->hasStoredToken);
    QVERIFY(!m_profiles->profile(saved->id)->hasStoredToken);
    QVERIFY(m_sessions->hasSessionToken(saved->id));
    QCOMPARE(readKey(SecretStore::tokenKey(saved->id)).kind, Kind::NotFound);

    Session *s = activate(saved->id);
    QVERIFY(s);
    QObject ctx;
    auto me = await<Me>([&](auto cb) { s->client()->me(&ctx, cb); });
    QVERIFY2(me.ok(), qPrintable(me.error().userMessage()));
    QCOMPARE(me.value().workspace->name, QStringLiteral("Beta"));

    // activateWithToken: the same, from a token the user typed when the keychain failed.
    Profile q;
    q.name = QStringLiteral("typed");
    q.apiUrl = m_sandbox.baseUrl();
    const auto other = save(q, QByteArray());
    QVERIFY(other);
    QSignalSpy changed(m_sessions.get(), &SessionManager::sessionChanged);
    m_sessions->activateWithToken(other->id, m_token);
    QVERIFY(changed.isEmpty()); // never synchronous
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 1, 20000);
    QCOMPARE(m_sessions->session()->profile().id, other->id);

    // Gone after a restart: the profile needs a token again.
    recreate();
    QVERIFY(!m_sessions->hasSessionToken(saved->id));
    QSignalSpy failed(m_sessions.get(), &SessionManager::activationFailed);
    QSignalSpy unavailable(m_sessions.get(), &SessionManager::keychainUnavailable);
    m_sessions->activate(saved->id);
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 20000);
    QVERIFY(!m_sessions->session());
    QVERIFY(unavailable.isEmpty()); // NotFound is not "keychain unavailable"
}

void TestSessionManager::temporarySessionIsSavedNowhere()
{
    const auto before = m_profiles->profiles();
    QSignalSpy changed(m_sessions.get(), &SessionManager::sessionChanged);
    m_sessions->activateTemporary(m_sandbox.baseUrl(), m_token);
    QCOMPARE(changed.count(), 1);
    Session *s = m_sessions->session();
    QVERIFY(s && s->isTemporary());
    QVERIFY(s->profile().id.isEmpty());
    QObject ctx;
    auto me = await<Me>([&](auto cb) { s->client()->me(&ctx, cb); });
    QVERIFY2(me.ok(), qPrintable(me.error().userMessage()));
    QCOMPARE(m_profiles->profiles(), before);
}

void TestSessionManager::removingActiveProfileEndsSessionAndDeletesSecrets()
{
    Profile p;
    p.name = QStringLiteral("short-lived");
    p.apiUrl = m_sandbox.baseUrl();
    const auto saved = save(p, m_token);
    QVERIFY(saved);
    QVERIFY(activate(saved->id));

    // A kept connection string goes with the profile.
    Connection c;
    c.id = QStringLiteral("con_removed");
    c.direct = Endpoint { QStringLiteral("h"), 5432, QStringLiteral("postgres://u:test-pw-x@h:5432/d") };
    bool kept = false;
    m_sessions->vault()->keep(saved->id, c, this, [&](const KeychainError &e) { kept = e.ok(); });
    QTRY_VERIFY_WITH_TIMEOUT(kept, 20000);

    QSignalSpy changed(m_sessions.get(), &SessionManager::sessionChanged);
    bool called = false, removed = false;
    m_sessions->removeProfile(saved->id, this, [&](bool r, const KeychainError &) {
        called = true;
        removed = r;
    });
    QVERIFY(!called);
    QTRY_VERIFY_WITH_TIMEOUT(called, 20000);
    QVERIFY(removed);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.first().at(0).value<Session *>(), nullptr);
    QVERIFY(!m_sessions->session());
    QVERIFY(!m_profiles->profile(saved->id));
    QVERIFY(m_profiles->activeProfileId().isEmpty());
    QCOMPARE(readKey(SecretStore::tokenKey(saved->id)).kind, Kind::NotFound);
    QCOMPARE(readKey(SecretStore::connectionKey(saved->id, c.id)).kind, Kind::NotFound);
}

void TestSessionManager::removingUnknownProfileFails()
{
    bool called = false, removed = true;
    m_sessions->removeProfile(QStringLiteral("nope"), this, [&](bool r, const KeychainError &) {
        called = true;
        removed = r;
    });
    QTRY_VERIFY(called);
    QVERIFY(!removed);
}

void TestSessionManager::scanForSecrets(const QList<QByteArray> &secrets)
{
    int files = 0;
    QStringList scanned;
    for (const QByteArray &var :
        { QByteArray("XDG_CONFIG_HOME"), QByteArray("XDG_DATA_HOME"), QByteArray("XDG_CACHE_HOME") }) {
        const QString root = QString::fromLocal8Bit(qgetenv(var.constData()));
        QVERIFY(root.startsWith(m_home.path()));
        for (const auto &[path, content] : readFilesBelow(root)) {
            ++files;
            scanned << path;
            for (const QByteArray &s : secrets) {
                QVERIFY2(!content.contains(s) && !content.contains(s.toBase64())
                        && !content.contains(QUrl::toPercentEncoding(QString::fromUtf8(s))),
                    qPrintable(QStringLiteral("a secret reached %1").arg(path)));
            }
        }
    }
    QVERIFY2(files > 0, "nothing was scanned");
    QVERIFY2(scanned.contains(m_settingsPath), qPrintable(scanned.join(u',')));

    QMutexLocker lock(&g_logMutex);
    QVERIFY2(g_log.size() > 0, "no log line was captured");
    for (const QString &line : std::as_const(g_log)) {
        for (const QByteArray &s : secrets)
            QVERIFY2(!line.contains(QString::fromUtf8(s)), "a secret reached the log");
    }
}

void TestSessionManager::scriptedFlowLeavesNoSecretOnDiskOrInLogs()
{
    // 1. Two profiles, with their tokens in the keychain.
    Profile a;
    a.name = QStringLiteral("production");
    a.apiUrl = m_sandbox.baseUrl();
    a.color = QColor(0xc6, 0x28, 0x28);
    Profile b;
    b.name = QStringLiteral("staging");
    b.apiUrl = m_sandbox.baseUrl();
    b.color = QColor(0x2e, 0x7d, 0x32);
    const auto pa = save(a, m_token);
    const auto pb = save(b, m_tokenB);
    QVERIFY(pa && pb);

    // 2. Switch: b, then a.
    QVERIFY(activate(pb->id));
    QCOMPARE(m_sessions->session()->profile().id, pb->id);
    Session *s = activate(pa->id);
    QVERIFY(s);
    QCOMPARE(s->profile().id, pa->id);

    // 3. A connection, created through the session's client.
    QObject ctx;
    CreateProjectRequest req;
    req.name = QStringLiteral("vault flow");
    auto project = await<Project>([&](auto cb) { s->client()->createProject(req, &ctx, cb); });
    QVERIFY2(project.ok(), qPrintable(project.error().userMessage()));
    QVERIFY(project.value().database);
    auto con = await<Connection>(
        [&](auto cb) { s->client()->createConnection(project.value().database->id, QStringLiteral("app"), &ctx, cb); });
    QVERIFY2(con.ok(), qPrintable(con.error().userMessage()));
    QVERIFY(con.value().carriesConnectionString());
    const QString direct = con.value().direct ? con.value().direct->connectionString : QString();
    QVERIFY(!direct.isEmpty());
    const QByteArray password = QUrl(direct).password(QUrl::FullyDecoded).toUtf8();
    QVERIFY2(password.size() >= 8, "the connection string carries a password");

    // 4. Keep its string (on by default).
    QVERIFY(m_sessions->vault()->keepByDefault(pa->id));
    bool called = false;
    KeychainError kept;
    m_sessions->vault()->keep(pa->id, con.value(), this, [&](const KeychainError &e) {
        called = true;
        kept = e;
    });
    QTRY_VERIFY_WITH_TIMEOUT(called, 20000);
    QVERIFY2(kept.ok(), qPrintable(describe(kept)));
    const QString connectionId = con.value().id;
    qInfo() << "flow: kept connection" << connectionId; // a log line that names the id, not the secret

    // 5. Restart: every object anew, on the same folders.
    recreate();
    QCOMPARE(m_profiles->activeProfileId(), pa->id);
    QVERIFY(activate(m_profiles->activeProfileId()));
    QVERIFY(m_sessions->vault()->has(pa->id, connectionId));
    ConnectionSecrets got;
    called = false;
    m_sessions->vault()->fetch(
        pa->id, connectionId, this, [&](const ConnectionSecrets &secrets, const KeychainError &e) {
            called = true;
            got = secrets;
            kept = e;
        });
    QTRY_VERIFY_WITH_TIMEOUT(called, 20000);
    QVERIFY2(kept.ok(), qPrintable(describe(kept)));
    QVERIFY2(got.direct == direct, "the kept string differs after the restart");

    // 6. Neither the tokens nor the password are on disk or in the log.
    scanForSecrets({ m_token, m_tokenB, password, direct.toUtf8() });
}

QTEST_GUILESS_MAIN(TestSessionManager)
#include "tst_sessionmanager.moc"

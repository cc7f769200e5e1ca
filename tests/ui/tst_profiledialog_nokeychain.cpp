// tst_profiledialog_nokeychain: ProfileDialog when no Secret Service exists (the session bus
// address points nowhere, set before anything touches D-Bus), against a private ppg-sandbox:
// Save checks the token, the keychain write fails and the dialog says so in words, offering
// "Use for this session only"; choosing it keeps the token in memory (the profile opens, its
// hasStoredToken stays false, SessionManager::keychainUnavailable was emitted) and nothing under
// the temporary config/data folders holds the token.
#include "filescan.h"
#include "profiledialog.h"
#include "profilestore.h"
#include "sandboxprocess.h"
#include "secretstore.h"
#include "session.h"
#include "sessionmanager.h"

#include <QApplication>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QUuid>
#include <QtTest>

class TestProfileDialogNoKeychain : public QObject
{
    Q_OBJECT
public:
    explicit TestProfileDialogNoKeychain(QTemporaryDir *home) : m_home(home) { }
private Q_SLOTS:
    void sessionOnlyWhenNoKeychain();

private:
    QTemporaryDir *m_home;
    SandboxProcess m_sandbox;
};

void TestProfileDialogNoKeychain::sessionOnlyWhenNoKeychain()
{
    const QByteArray token = "ppg-test-token-" + QUuid::createUuid().toByteArray(QUuid::Id128);
    SandboxProcess::Options options;
    options.tokens = { QString::fromLatin1(token) + QStringLiteral("=Acme") };
    QVERIFY2(m_sandbox.start(options), qPrintable(m_sandbox.errorString()));

    ProfileStore profiles(m_home->filePath(QStringLiteral("config/profiles.ini")));
    SecretStore secrets(QStringLiteral("ppg-console-test"));
    SessionManager sessions(&profiles, &secrets);
    QSignalSpy unavailable(&sessions, &SessionManager::keychainUnavailable);

    ProfileDialog dialog(&sessions, Profile {});
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    dialog.nameEdit()->setText(QStringLiteral("no keychain"));
    dialog.urlEdit()->setText(m_sandbox.baseUrl().toString());
    dialog.tokenEdit()->setText(QString::fromLatin1(token));
    QVERIFY(!dialog.sessionOnlyButton()->isVisible());
    QTest::mouseClick(dialog.saveButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(dialog.sessionOnlyButton()->isVisible(), 30000);
    QVERIFY2(dialog.problemLabel()->text().contains(QStringLiteral("No keychain is available")),
        qPrintable(dialog.problemLabel()->text()));
    QVERIFY(dialog.problemLabel()->text().contains(QStringLiteral("session only")));
    QCOMPARE(unavailable.count(), 1);
    QCOMPARE(unavailable.first().at(1).value<KeychainError>().kind, KeychainError::Kind::NoBackend);
    QVERIFY(dialog.result() != QDialog::Accepted);
    // The non-secret part is saved already, without a token flag.
    const auto partial = profiles.findByName(QStringLiteral("no keychain"));
    QVERIFY(partial);
    QVERIFY(!partial->hasStoredToken);

    QTest::mouseClick(dialog.sessionOnlyButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(dialog.result(), int(QDialog::Accepted), 10000);
    QVERIFY(dialog.keptForSessionOnly());
    QCOMPARE(dialog.profile().id, partial->id); // the same profile, not a second one
    QCOMPARE(profiles.profiles().size(), 1);
    QVERIFY(sessions.hasSessionToken(partial->id));
    QVERIFY(!profiles.profile(partial->id)->hasStoredToken);

    QSignalSpy changed(&sessions, &SessionManager::sessionChanged);
    sessions.activate(partial->id);
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 1, 10000);
    QVERIFY(sessions.session());
    QCOMPARE(sessions.session()->profile().id, partial->id);

    int files = 0;
    for (const auto &[path, content] : readFilesBelow(m_home->path())) {
        ++files;
        QVERIFY2(!content.contains(token) && !content.contains(token.toBase64()),
            qPrintable(QStringLiteral("the token reached %1").arg(path)));
    }
    QVERIFY(files > 0);
}

int main(int argc, char *argv[])
{
    // Before anything can open the session bus: no Secret Service for this process.
    QTemporaryDir home;
    if (!home.isValid())
        return 1;
    for (const char *sub : { "config", "data", "cache" })
        QDir(home.path()).mkpath(QString::fromLatin1(sub));
    qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/ppg-test-bus");
    qputenv("XDG_CONFIG_HOME", (home.path() + QStringLiteral("/config")).toUtf8());
    qputenv("XDG_DATA_HOME", (home.path() + QStringLiteral("/data")).toUtf8());
    qputenv("XDG_CACHE_HOME", (home.path() + QStringLiteral("/cache")).toUtf8());
    QApplication app(argc, argv);
    TestProfileDialogNoKeychain test(&home);
    return QTest::qExec(&test, argc, argv);
}

#include "tst_profiledialog_nokeychain.moc"

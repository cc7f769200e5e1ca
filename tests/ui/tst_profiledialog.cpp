// tst_profiledialog: ProfileDialog as a user meets it (offscreen widgets), against a private
// ppg-sandbox and a real, unlocked gnome-keyring (./dev test): validation messages; "Check token"
// shows the workspace and the credential; Save checks first and stores the token in the keychain;
// a refused token is saved only after "Save anyway"; editing keeps the stored token; the import
// pre-fill. With PPG_SCREENSHOT_DIR set, writes profile.png there.
#include "profiledialog.h"
#include "profilestore.h"
#include "sandboxprocess.h"
#include "secretstore.h"
#include "sessionmanager.h"
#include "tokenimport.h"

#include <QCheckBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTemporaryDir>
#include <QUuid>
#include <QtTest>

class TestProfileDialog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void validationMessages();
    void checkShowsWorkspaceAndCredential();
    void saveChecksThenStoresInKeychain();
    void refusedTokenNeedsInsisting();
    void editingWithoutTokenKeepsStoredOne();
    void importPrefill();

private:
    KeychainError readKey(const QString &key);

    QTemporaryDir m_dir;
    SandboxProcess m_sandbox;
    QByteArray m_token = "ppg-test-token-" + QUuid::createUuid().toByteArray(QUuid::Id128);
    std::unique_ptr<ProfileStore> m_profiles;
    std::unique_ptr<SecretStore> m_secrets;
    std::unique_ptr<SessionManager> m_sessions;
};

void TestProfileDialog::initTestCase()
{
    QVERIFY(m_dir.isValid());
    SandboxProcess::Options options;
    options.tokens = { QString::fromLatin1(m_token) + QStringLiteral("=Acme") };
    QVERIFY2(m_sandbox.start(options), qPrintable(m_sandbox.errorString()));
    m_profiles = std::make_unique<ProfileStore>(m_dir.filePath(QStringLiteral("profiles.ini")));
    m_secrets = std::make_unique<SecretStore>(
        QStringLiteral("ppg-console-test-%1").arg(QUuid::createUuid().toString(QUuid::Id128)));
    m_sessions = std::make_unique<SessionManager>(m_profiles.get(), m_secrets.get());
}

void TestProfileDialog::cleanupTestCase()
{
    for (const Profile &p : m_profiles->profiles()) {
        bool done = false;
        m_secrets->removeProfileSecrets(p.id, {}, this, [&](const KeychainError &) { done = true; });
        QVERIFY(QTest::qWaitFor([&] { return done; }, 20000));
    }
}

KeychainError TestProfileDialog::readKey(const QString &key)
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

void TestProfileDialog::validationMessages()
{
    ProfileDialog dialog(m_sessions.get(), Profile {});
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QCOMPARE(dialog.windowTitle(), QStringLiteral("Add profile"));
    QVERIFY(dialog.problemLabel()->text().contains(QStringLiteral("name")));
    QVERIFY(!dialog.saveButton()->isEnabled());
    QVERIFY(dialog.keepConnectionStringsBox()->isChecked()); // on by default
    QCOMPARE(dialog.tokenEdit()->echoMode(), QLineEdit::Password);

    QTest::keyClicks(dialog.nameEdit(), QStringLiteral("work"));
    dialog.urlEdit()->setText(QStringLiteral("ftp://example.com"));
    QVERIFY2(
        dialog.problemLabel()->text().contains(QStringLiteral("https://")), qPrintable(dialog.problemLabel()->text()));
    QVERIFY(!dialog.saveButton()->isEnabled());
    dialog.urlEdit()->setText(QStringLiteral("http://example.com"));
    QVERIFY(dialog.problemLabel()->text().contains(QStringLiteral("localhost")));
    dialog.urlEdit()->setText(m_sandbox.baseUrl().toString());
    QCOMPARE(dialog.problemLabel()->text(), QStringLiteral("Paste the service token."));
    QVERIFY(!dialog.checkButton()->isEnabled());
    QTest::keyClicks(dialog.tokenEdit(), QStringLiteral("x"));
    QVERIFY(dialog.problemLabel()->text().isEmpty());
    QVERIFY(dialog.saveButton()->isEnabled());
    QVERIFY(dialog.checkButton()->isEnabled());
}

void TestProfileDialog::checkShowsWorkspaceAndCredential()
{
    ProfileDialog dialog(m_sessions.get(), Profile {});
    dialog.show();
    dialog.nameEdit()->setText(QStringLiteral("checked"));
    dialog.urlEdit()->setText(m_sandbox.baseUrl().toString());
    dialog.tokenEdit()->setText(QString::fromLatin1(m_token));
    QTest::mouseClick(dialog.checkButton(), Qt::LeftButton);
    QVERIFY(dialog.checkLabel()->text().contains(QStringLiteral("Checking")));
    QTRY_VERIFY_WITH_TIMEOUT(dialog.checkLabel()->text().contains(QStringLiteral("accepted")), 20000);
    QVERIFY2(dialog.checkLabel()->text().contains(QStringLiteral("Workspace “Acme”")),
        qPrintable(dialog.checkLabel()->text()));
    QVERIFY(dialog.checkLabel()->text().contains(QStringLiteral("token")));
    QVERIFY(!dialog.checkLabel()->text().contains(QString::fromLatin1(m_token)));
    QVERIFY(dialog.result() != QDialog::Accepted); // checking does not save
    QVERIFY(!m_profiles->findByName(QStringLiteral("checked")));
    // Editing the token forgets the result.
    QTest::keyClicks(dialog.tokenEdit(), QStringLiteral("x"));
    QVERIFY(dialog.checkLabel()->text().isEmpty());
}

void TestProfileDialog::saveChecksThenStoresInKeychain()
{
    ProfileDialog dialog(m_sessions.get(), Profile {});
    dialog.show();
    dialog.nameEdit()->setText(QStringLiteral("production"));
    dialog.urlEdit()->setText(m_sandbox.baseUrl().toString());
    dialog.tokenEdit()->setText(QString::fromLatin1(m_token));
    dialog.setColor(ProfileDialog::palette().first());
    dialog.keepConnectionStringsBox()->setChecked(false);
    if (const QByteArray dir = qgetenv("PPG_SCREENSHOT_DIR"); !dir.isEmpty())
        QVERIFY(dialog.grab().save(QString::fromLocal8Bit(dir) + QStringLiteral("/profile.png")));
    QTest::mouseClick(dialog.saveButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(dialog.result(), int(QDialog::Accepted), 20000);
    QVERIFY(dialog.checkLabel()->text().isEmpty() || dialog.checkLabel()->text().contains(QStringLiteral("Acme")));
    const Profile p = dialog.profile();
    QVERIFY(!p.id.isEmpty());
    QCOMPARE(p.name, QStringLiteral("production"));
    QCOMPARE(m_profiles->profile(p.id)->color, ProfileDialog::palette().first());
    QVERIFY(m_profiles->profile(p.id)->hasStoredToken);
    QVERIFY(!dialog.keptForSessionOnly());
    QVERIFY(!m_sessions->vault()->keepByDefault(p.id));
    QVERIFY(readKey(SecretStore::tokenKey(p.id)).ok());
    QVERIFY(dialog.tokenEdit()->text().isEmpty()); // cleared on close
}

void TestProfileDialog::refusedTokenNeedsInsisting()
{
    ProfileDialog dialog(m_sessions.get(), Profile {});
    dialog.show();
    dialog.nameEdit()->setText(QStringLiteral("refused"));
    dialog.urlEdit()->setText(m_sandbox.baseUrl().toString());
    dialog.tokenEdit()->setText(QStringLiteral("ppg-test-wrong-token"));
    QVERIFY(!dialog.saveAnywayButton()->isVisible());
    QTest::mouseClick(dialog.saveButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(dialog.checkLabel()->text().contains(QStringLiteral("refused")), 20000);
    QVERIFY(dialog.checkLabel()->text().contains(QStringLiteral("401")));
    QVERIFY(dialog.saveAnywayButton()->isVisible());
    QVERIFY(dialog.saveAnywayButton()->isEnabled());
    QTest::qWait(100);
    QVERIFY(dialog.result() != QDialog::Accepted);
    QVERIFY2(!m_profiles->findByName(QStringLiteral("refused")), "a refused token was saved without insisting");
    // Save again without insisting: checked again, refused again, still nothing saved.
    QTest::mouseClick(dialog.saveButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(dialog.saveAnywayButton()->isVisible(), 20000);
    QVERIFY(!m_profiles->findByName(QStringLiteral("refused")));
    // Insist.
    QTest::mouseClick(dialog.saveAnywayButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(dialog.result(), int(QDialog::Accepted), 20000);
    const auto saved = m_profiles->findByName(QStringLiteral("refused"));
    QVERIFY(saved);
    QVERIFY(saved->hasStoredToken);
}

void TestProfileDialog::editingWithoutTokenKeepsStoredOne()
{
    const auto p = m_profiles->findByName(QStringLiteral("production"));
    QVERIFY(p);
    ProfileDialog dialog(m_sessions.get(), *p);
    dialog.show();
    QVERIFY(dialog.windowTitle().contains(QStringLiteral("production")));
    QVERIFY(dialog.tokenEdit()->placeholderText().contains(QStringLiteral("keychain")));
    QVERIFY(dialog.problemLabel()->text().isEmpty());
    dialog.nameEdit()->setText(QStringLiteral("production-eu"));
    QTest::mouseClick(dialog.saveButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(dialog.result(), int(QDialog::Accepted), 20000);
    QCOMPARE(dialog.profile().id, p->id);
    QCOMPARE(m_profiles->profile(p->id)->name, QStringLiteral("production-eu"));
    QVERIFY(readKey(SecretStore::tokenKey(p->id)).ok()); // renaming keeps the token
    // A taken name is refused in words.
    ProfileDialog other(m_sessions.get(), Profile {});
    other.nameEdit()->setText(QStringLiteral("PRODUCTION-EU"));
    QVERIFY(other.problemLabel()->text().contains(QStringLiteral("already exists")));
    QVERIFY(!other.saveButton()->isEnabled());
}

void TestProfileDialog::importPrefill()
{
    QVERIFY(TokenImport::shouldOffer(m_token, false, *m_profiles));
    QVERIFY(!TokenImport::shouldOffer(m_token, true, *m_profiles));
    QVERIFY(!TokenImport::shouldOffer(QByteArray(), false, *m_profiles));
    Profile suggested = TokenImport::suggestedProfile(*m_profiles);
    QCOMPARE(suggested.name, TokenImport::defaultProfileName());
    suggested.apiUrl = m_sandbox.baseUrl();
    ProfileDialog dialog(m_sessions.get(), suggested);
    dialog.setIntro(QStringLiteral("PRISMA_SERVICE_TOKEN is set."));
    dialog.setToken(m_token);
    dialog.show();
    QCOMPARE(dialog.tokenEdit()->text(), QString::fromLatin1(m_token));
    QVERIFY(dialog.saveButton()->isEnabled());
    QTest::mouseClick(dialog.saveButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(dialog.result(), int(QDialog::Accepted), 20000);
    QVERIFY(!TokenImport::shouldOffer(m_token, false, *m_profiles)); // offered once
}

QTEST_MAIN(TestProfileDialog)
#include "tst_profiledialog.moc"

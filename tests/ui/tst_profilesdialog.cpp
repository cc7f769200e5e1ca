// tst_profilesdialog: ProfilesDialog (offscreen) with a real, unlocked gnome-keyring (./dev test):
// the list shows every profile in order with its colour; Move up/down, Alt+Up and a drag reorder
// the store; Remove asks first, naming the profile (Cancel is the default and keeps it); confirming
// deletes the profile, its token and its kept connection strings from the keychain; Make active.
// Always writes profiles.png (the README's) and checks it: into PPG_SCREENSHOT_DIR when it is set,
// else into screenshots/ in the build folder.
#include "imagechecks.h"
#include "profiledialog.h"
#include "profilesdialog.h"
#include "profilestore.h"
#include "secretstore.h"
#include "session.h"
#include "sessionmanager.h"

#include <QDir>
#include <QImage>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QUuid>
#include <QtTest>

using Kind = KeychainError::Kind;

class TestProfilesDialog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void listShowsProfilesInOrder();
    void screenshot();
    void reorderWithButtonsAndKeys();
    void reorderByDrag();
    void removeAsksAndCancelKeepsIt();
    void removeDeletesProfileAndSecrets();
    void makeActive();

private:
    QStringList names() const;
    KeychainError readKey(const QString &key);
    Profile add(const QString &name, const QColor &color);

    QTemporaryDir m_dir;
    std::unique_ptr<ProfileStore> m_profiles;
    std::unique_ptr<SecretStore> m_secrets;
    std::unique_ptr<SessionManager> m_sessions;
};

QStringList TestProfilesDialog::names() const
{
    QStringList out;
    for (const Profile &p : m_profiles->profiles())
        out << p.name;
    return out;
}

KeychainError TestProfilesDialog::readKey(const QString &key)
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

Profile TestProfilesDialog::add(const QString &name, const QColor &color)
{
    Profile p;
    p.name = name;
    p.color = color;
    if (name == QLatin1String("local sandbox"))
        p.apiUrl = QUrl(QStringLiteral("http://127.0.0.1:8080"));
    bool called = false;
    std::optional<Profile> saved;
    QString error;
    m_sessions->saveProfile(p, "test-token-" + QUuid::createUuid().toByteArray(QUuid::Id128), this,
        [&](std::optional<Profile> s, const QString &e) {
            called = true;
            saved = s;
            error = e;
        });
    [&] { QVERIFY(QTest::qWaitFor([&] { return called; }, 20000)); }();
    [&] { QVERIFY2(saved && error.isEmpty(), qPrintable(error)); }();
    return saved.value_or(Profile {});
}

void TestProfilesDialog::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_profiles = std::make_unique<ProfileStore>(m_dir.filePath(QStringLiteral("profiles.ini")));
    m_secrets = std::make_unique<SecretStore>(
        QStringLiteral("ppg-console-test-%1").arg(QUuid::createUuid().toString(QUuid::Id128)));
    m_sessions = std::make_unique<SessionManager>(m_profiles.get(), m_secrets.get());
    const QList<QColor> palette = ProfileDialog::palette();
    QVERIFY(!add(QStringLiteral("production"), palette.at(0)).id.isEmpty());
    QVERIFY(!add(QStringLiteral("staging"), palette.at(3)).id.isEmpty());
    QVERIFY(!add(QStringLiteral("local sandbox"), palette.at(5)).id.isEmpty());
    QVERIFY(!add(QStringLiteral("personal"), QColor()).id.isEmpty());
}

void TestProfilesDialog::cleanupTestCase()
{
    for (const Profile &p : m_profiles->profiles()) {
        bool done = false;
        m_secrets->removeProfileSecrets(
            p.id, m_profiles->vaultConnectionIds(p.id), this, [&](const KeychainError &) { done = true; });
        QVERIFY(QTest::qWaitFor([&] { return done; }, 20000));
    }
}

void TestProfilesDialog::listShowsProfilesInOrder()
{
    ProfilesDialog dialog(m_sessions.get());
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QCOMPARE(dialog.list()->count(), 4);
    for (int i = 0; i < 4; ++i) {
        QVERIFY(dialog.list()->item(i)->text().startsWith(names().at(i)));
        QVERIFY(!dialog.list()->item(i)->icon().isNull());
        QVERIFY(dialog.list()->item(i)->toolTip().contains(QStringLiteral("keychain")));
    }
    QVERIFY(dialog.list()->item(2)->text().contains(QStringLiteral("127.0.0.1"))); // a non-default URL is shown
    QCOMPARE(dialog.list()->currentRow(), 0);
    QVERIFY(!dialog.upButton()->isEnabled());
    QVERIFY(dialog.downButton()->isEnabled());
}

void TestProfilesDialog::screenshot()
{
    const QString dir = qEnvironmentVariableIsEmpty("PPG_SCREENSHOT_DIR") ? QStringLiteral(PPG_SCREENSHOT_DEFAULT_DIR)
                                                                          : qEnvironmentVariable("PPG_SCREENSHOT_DIR");
    QVERIFY(QDir().mkpath(dir));
    ProfilesDialog dialog(m_sessions.get());
    dialog.resize(620, 360);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    dialog.selectProfile(m_profiles->findByName(QStringLiteral("staging"))->id);
    QCOMPARE(dialog.list()->currentItem()->text().section(QLatin1Char(' '), 0, 0), QStringLiteral("staging"));
    QTest::qWait(50);
    const QString file = QDir(dir).filePath(QStringLiteral("profiles.png"));
    QFile::remove(file);
    QVERIFY2(dialog.grab().save(file), qPrintable(file));

    // What was written is the dialog, drawn: its size, many colours, a light background, the
    // selected profile's bar.
    const QImage image(file);
    QVERIFY2(!image.isNull(), qPrintable(file));
    const ImageStats stats = imageStats(image);
    qInfo("profiles.png: %s", qPrintable(stats.describe()));
    QCOMPARE(image.size(), QSize(620, 360));
    QVERIFY2(stats.colours >= 100, qPrintable(stats.describe()));
    QVERIFY2(stats.backgroundLuminance > 0.7, qPrintable(stats.describe()));
    const int selection = countPixels(image, [](const QColor &c) {
        return c.blue() > 170 && c.blue() - c.red() > 100 && c.green() > 100 && c.green() < 160;
    });
    QVERIFY2(selection > 1000, qPrintable(QStringLiteral("%1 pixels of selection blue").arg(selection)));
}

void TestProfilesDialog::reorderWithButtonsAndKeys()
{
    ProfilesDialog dialog(m_sessions.get());
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    const QStringList before = names();
    dialog.list()->setCurrentRow(2);
    QTest::mouseClick(dialog.upButton(), Qt::LeftButton);
    QCOMPARE(names(), QStringList({ before[0], before[2], before[1], before[3] }));
    QCOMPARE(dialog.list()->currentRow(), 1); // the selection follows the profile
    QVERIFY(dialog.list()->currentItem()->text().startsWith(before[2]));
    QTest::mouseClick(dialog.downButton(), Qt::LeftButton);
    QCOMPARE(names(), before);
    // Keyboard: Alt+Up.
    dialog.list()->setFocus();
    dialog.list()->setCurrentRow(3);
    QTest::keyClick(dialog.list(), Qt::Key_Up, Qt::AltModifier);
    QCOMPARE(names(), QStringList({ before[0], before[1], before[3], before[2] }));
    QTest::keyClick(dialog.list(), Qt::Key_Down, Qt::AltModifier);
    QCOMPARE(names(), before);
}

void TestProfilesDialog::reorderByDrag()
{
    ProfilesDialog dialog(m_sessions.get());
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    const QStringList before = names();
    // What an internal-move drop does to the widget's model: first row to the end.
    QVERIFY(dialog.list()->model()->moveRow(QModelIndex(), 0, QModelIndex(), 4));
    QTRY_COMPARE(names(), QStringList({ before[1], before[2], before[3], before[0] }));
    QCOMPARE(dialog.list()->count(), 4);
    for (int i = 0; i < 4; ++i)
        QVERIFY(dialog.list()->item(i)->text().startsWith(names().at(i)));
    // And back.
    QVERIFY(dialog.list()->model()->moveRow(QModelIndex(), 3, QModelIndex(), 0));
    QTRY_COMPARE(names(), before);
}

void TestProfilesDialog::removeAsksAndCancelKeepsIt()
{
    ProfilesDialog dialog(m_sessions.get());
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    dialog.selectProfile(m_profiles->findByName(QStringLiteral("staging"))->id);
    QTest::mouseClick(dialog.removeButton(), Qt::LeftButton);
    QMessageBox *box = dialog.pendingConfirmation();
    QVERIFY(box);
    QVERIFY(box->isVisible());
    QVERIFY(box->text().contains(QStringLiteral("“staging”")));
    QVERIFY(box->informativeText().contains(QStringLiteral("keychain")));
    QCOMPARE(box->defaultButton(), box->button(QMessageBox::Cancel));
    QAbstractButton *remove = nullptr;
    for (QAbstractButton *b : box->buttons())
        if (box->buttonRole(b) == QMessageBox::DestructiveRole)
            remove = b;
    QVERIFY(remove);
    QVERIFY(remove->text().contains(QStringLiteral("staging")));
    // Enter answers with the default: Cancel.
    QTest::keyClick(box, Qt::Key_Return);
    QTRY_VERIFY(!dialog.pendingConfirmation());
    QTest::qWait(50);
    QVERIFY(m_profiles->findByName(QStringLiteral("staging")));
    // The Delete key asks too.
    dialog.list()->setFocus();
    QTest::keyClick(dialog.list(), Qt::Key_Delete);
    QVERIFY(dialog.pendingConfirmation());
    QTest::keyClick(dialog.pendingConfirmation(), Qt::Key_Escape);
    QTRY_VERIFY(!dialog.pendingConfirmation());
    QVERIFY(m_profiles->findByName(QStringLiteral("staging")));
}

void TestProfilesDialog::removeDeletesProfileAndSecrets()
{
    const Profile p = *m_profiles->findByName(QStringLiteral("staging"));
    Connection c;
    c.id = QStringLiteral("con_staging");
    c.direct = Endpoint { QStringLiteral("h"), 5432, QStringLiteral("postgres://u:test-pw@h:5432/d") };
    bool kept = false;
    m_sessions->vault()->keep(p.id, c, this, [&](const KeychainError &e) { kept = e.ok(); });
    QTRY_VERIFY_WITH_TIMEOUT(kept, 20000);
    QVERIFY(readKey(SecretStore::tokenKey(p.id)).ok());

    ProfilesDialog dialog(m_sessions.get());
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    dialog.selectProfile(p.id);
    QVERIFY(dialog.list()->currentItem()->toolTip().contains(QStringLiteral("1 connection string")));
    QTest::mouseClick(dialog.removeButton(), Qt::LeftButton);
    QMessageBox *box = dialog.pendingConfirmation();
    QVERIFY(box);
    QVERIFY(box->informativeText().contains(QStringLiteral("1 connection string")));
    for (QAbstractButton *b : box->buttons())
        if (box->buttonRole(b) == QMessageBox::DestructiveRole)
            QTest::mouseClick(b, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!m_profiles->profile(p.id), 20000);
    QTRY_VERIFY(dialog.statusLabel()->text().contains(QStringLiteral("Removed “staging”")));
    QCOMPARE(dialog.list()->count(), 3);
    QCOMPARE(readKey(SecretStore::tokenKey(p.id)).kind, Kind::NotFound);
    QCOMPARE(readKey(SecretStore::connectionKey(p.id, c.id)).kind, Kind::NotFound);
}

void TestProfilesDialog::makeActive()
{
    ProfilesDialog dialog(m_sessions.get());
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    const Profile p = *m_profiles->findByName(QStringLiteral("personal"));
    dialog.selectProfile(p.id);
    QVERIFY(dialog.activateButton()->isEnabled());
    QSignalSpy changed(m_sessions.get(), &SessionManager::sessionChanged);
    QTest::mouseClick(dialog.activateButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 1, 20000);
    QCOMPARE(m_sessions->session()->profile().id, p.id);
    QCOMPARE(m_profiles->activeProfileId(), p.id);
    QVERIFY(dialog.list()->currentItem()->text().contains(QStringLiteral("(active)")));
    QVERIFY(dialog.list()->currentItem()->font().bold());
    QVERIFY(!dialog.activateButton()->isEnabled());
}

QTEST_MAIN(TestProfilesDialog)
#include "tst_profilesdialog.moc"

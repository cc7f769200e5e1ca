// A keyring that never answers (issue 20, part 4), with a real one: this test runs its own Xvfb,
// its own session bus (dbus-daemon) and its own gnome-keyring-daemon, stores the profile's token
// while the login collection is unlocked, then locks it (Secret Service Lock). A read then makes
// gnome-keyring show its unlock prompt (gcr-prompter, a real window on the Xvfb display) that
// nobody answers: the read never finishes by itself. The real window (ConsoleWindow) on a real
// sandbox. Checked:
// - the window stays responsive (a 20 ms timer never waits long) while the read hangs;
// - it says the keyring is locked, in one window-modal question (no pile of boxes), which offers
//   the token for this session only (the button opens the profile dialog);
// - "unlocked later": the keyring's password typed into that prompt (xdotool, as a user would) ends
//   the hung read; the console then opens the profile by itself, without a restart: the question
//   closes, the tree lists, one session was installed;
// - a late answer does not double-apply: locked again, the user goes on with a token for this
//   session only; when the keyring answers after that, the session stays the one the user opened.
#include "consolewindow.h"
#include "profilesetup.h"
#include "requiredtool.h"
#include "sandboxprocess.h"
#include "treeload.h"

#include <QApplication>
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QDBusObjectPath>
#include <QDir>
#include <QElapsedTimer>
#include <QMessageBox>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

namespace {

const QByteArray kToken = "ppg-test-token-locked";
const QString kService = QStringLiteral("ppg-console-test-locked");
const QByteArray kPassword = "keyring-pw";

int visibleDialogs()
{
    int n = 0;
    for (QWidget *w : QApplication::topLevelWidgets()) {
        if (qobject_cast<QDialog *>(w) && w->isVisible()) {
            qInfo("visible dialog: %s %s “%s”", w->metaObject()->className(), qPrintable(w->objectName()),
                qPrintable(w->windowTitle()));
            ++n;
        }
    }
    return n;
}

} // namespace

class TestKeyringLocked : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void lockedKeyringThenUnlockedCarriesOn();
    void lateAnswerAfterSessionOnlyAppliesNothing();

private:
    QProcessEnvironment environment() const;
    bool startKeyring(bool replace, QString *why);
    bool lock(QString *why);
    // Types the keyring's password into gnome-keyring's unlock prompt on our display, as a user.
    bool unlockAtPrompt(QString *why);
    QMessageBox *keychainBox(ConsoleWindow &c) const;

    QTemporaryDir m_home;
    QProcess m_xvfb;
    QProcess m_bus;
    std::vector<std::unique_ptr<QProcess>> m_keyrings;
    QString m_display;
    QString m_xdotool;
    QString m_busAddress;
    SandboxProcess m_sandbox;
    QString m_ini;
    QString m_profileId;
};

QProcessEnvironment TestKeyringLocked::environment() const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    const QString root = m_home.path();
    env.insert(QStringLiteral("HOME"), root);
    env.insert(QStringLiteral("XDG_DATA_HOME"), root + QStringLiteral("/data"));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), root + QStringLiteral("/config"));
    env.insert(QStringLiteral("XDG_CACHE_HOME"), root + QStringLiteral("/cache"));
    env.insert(QStringLiteral("XDG_RUNTIME_DIR"), root + QStringLiteral("/runtime"));
    env.insert(QStringLiteral("DISPLAY"), m_display);
    env.remove(QStringLiteral("QT_QPA_PLATFORM"));
    if (!m_busAddress.isEmpty())
        env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), m_busAddress);
    return env;
}

void TestKeyringLocked::initTestCase()
{
    PPG_REQUIRE_TOOL(xvfb, "Xvfb", "xvfb");
    PPG_REQUIRE_TOOL(dbus, "dbus-daemon", "dbus");
    PPG_REQUIRE_TOOL(keyring, "gnome-keyring-daemon", "gnome-keyring");
    PPG_REQUIRE_TOOL(xdotool, "xdotool", "xdotool");
    m_xdotool = xdotool;
    QVERIFY(m_home.isValid());
    const QString root = m_home.path();
    for (const char *sub : { "config", "data", "cache", "runtime" })
        QVERIFY(QDir(root).mkpath(QString::fromLatin1(sub)));
    QFile::setPermissions(
        root + QStringLiteral("/runtime"), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);

    // A display for the unlock prompt, and a bus of our own (the prompter is activated on it).
    m_xvfb.start(xvfb,
        { QStringLiteral("-displayfd"), QStringLiteral("1"), QStringLiteral("-screen"), QStringLiteral("0"),
            QStringLiteral("800x600x24"), QStringLiteral("-nolisten"), QStringLiteral("tcp") });
    QVERIFY(m_xvfb.waitForStarted(10000));
    QTRY_VERIFY_WITH_TIMEOUT(m_xvfb.canReadLine(), 15000);
    m_display = QStringLiteral(":") + QString::fromLatin1(m_xvfb.readLine().trimmed());
    m_bus.setProcessEnvironment(environment());
    m_bus.start(dbus, { QStringLiteral("--session"), QStringLiteral("--nofork"), QStringLiteral("--print-address=1") });
    QVERIFY(m_bus.waitForStarted(10000));
    QTRY_VERIFY_WITH_TIMEOUT(m_bus.canReadLine(), 15000);
    m_busAddress = QString::fromLatin1(m_bus.readLine().trimmed());
    QVERIFY(!m_busAddress.isEmpty());

    // This process uses that bus and those folders from now on (QtKeychain, libsecret).
    const QProcessEnvironment env = environment();
    for (const char *name :
        { "HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR", "DBUS_SESSION_BUS_ADDRESS" })
        qputenv(name, env.value(QString::fromLatin1(name)).toUtf8());
    QString why;
    QVERIFY2(startKeyring(false, &why), qPrintable(why));

    QCoreApplication::setOrganizationName(QStringLiteral("ppg-console-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_keyringlocked"));
    QSettings::setDefaultFormat(QSettings::IniFormat);
    SandboxProcess::Options o;
    o.tokens = { QString::fromLatin1(kToken) + QStringLiteral("=Locked") };
    QVERIFY2(m_sandbox.start(o), qPrintable(m_sandbox.errorString()));
    m_ini = m_home.filePath(QStringLiteral("locked.ini"));
    Profile p;
    p.name = QStringLiteral("locked");
    p.apiUrl = m_sandbox.baseUrl();
    const auto saved = saveTestProfile(m_ini, kService, p, kToken, &why);
    QVERIFY2(saved, qPrintable(why));
    m_profileId = saved->id;
}

bool TestKeyringLocked::startKeyring(bool replace, QString *why)
{
    auto process = std::make_unique<QProcess>();
    process->setProcessEnvironment(environment());
    process->setProcessChannelMode(QProcess::MergedChannels);
    QStringList args { QStringLiteral("--foreground"), QStringLiteral("--unlock"),
        QStringLiteral("--components=secrets") };
    if (replace)
        args.prepend(QStringLiteral("--replace"));
    process->start(QStringLiteral("gnome-keyring-daemon"), args);
    if (!process->waitForStarted(10000)) {
        *why = process->errorString();
        return false;
    }
    process->write(kPassword);
    process->closeWriteChannel();
    m_keyrings.push_back(std::move(process));
    QDBusConnection bus = QDBusConnection::connectToBus(m_busAddress, QStringLiteral("tst-keyring"));
    if (!QTest::qWaitFor(
            [&] { return bus.interface()->isServiceRegistered(QStringLiteral("org.freedesktop.secrets")); }, 15000)) {
        *why = QStringLiteral("gnome-keyring did not appear on the bus: ")
            + QString::fromUtf8(m_keyrings.back()->readAll());
        return false;
    }
    return true;
}

bool TestKeyringLocked::lock(QString *why)
{
    QDBusConnection bus = QDBusConnection::connectToBus(m_busAddress, QStringLiteral("tst-keyring"));
    QDBusMessage call = QDBusMessage::createMethodCall(QStringLiteral("org.freedesktop.secrets"),
        QStringLiteral("/org/freedesktop/secrets"), QStringLiteral("org.freedesktop.Secret.Service"),
        QStringLiteral("Lock"));
    call << QVariant::fromValue(
        QList<QDBusObjectPath> { QDBusObjectPath(QStringLiteral("/org/freedesktop/secrets/collection/login")) });
    const QDBusMessage reply = bus.call(call, QDBus::Block, 10000);
    if (reply.type() == QDBusMessage::ErrorMessage) {
        *why = reply.errorMessage();
        return false;
    }
    return true;
}

bool TestKeyringLocked::unlockAtPrompt(QString *why)
{
    auto xdotool = [&](const QStringList &args, QString *out = nullptr) {
        QProcess p;
        p.setProcessEnvironment(environment());
        p.start(m_xdotool, args);
        const bool ok = p.waitForFinished(15000) && p.exitCode() == 0;
        if (out)
            *out = QString::fromUtf8(p.readAllStandardOutput()).trimmed();
        if (!ok)
            *why = QStringLiteral("xdotool %1: %2")
                       .arg(args.join(QLatin1Char(' ')), QString::fromUtf8(p.readAllStandardError()));
        return ok;
    };
    QString window;
    if (!xdotool({ QStringLiteral("search"), QStringLiteral("--sync"), QStringLiteral("--onlyvisible"),
                     QStringLiteral("--name"), QStringLiteral("Unlock") },
            &window))
        return false;
    window = window.section(QLatin1Char('\n'), 0, 0);
    return xdotool({ QStringLiteral("windowfocus"), QStringLiteral("--sync"), window })
        && xdotool(
            { QStringLiteral("type"), QStringLiteral("--delay"), QStringLiteral("20"), QString::fromLatin1(kPassword) })
        && xdotool({ QStringLiteral("key"), QStringLiteral("Return") });
}

void TestKeyringLocked::cleanupTestCase()
{
    m_sandbox.stop();
    for (auto &k : m_keyrings) {
        k->terminate();
        k->waitForFinished(5000);
    }
    m_bus.terminate();
    m_bus.waitForFinished(5000);
    m_xvfb.terminate();
    m_xvfb.waitForFinished(5000);
}

QMessageBox *TestKeyringLocked::keychainBox(ConsoleWindow &c) const
{
    auto *box = c.window.findChild<QMessageBox *>(QStringLiteral("keychainUnavailableBox"));
    return box && box->isVisible() ? box : nullptr;
}

void TestKeyringLocked::lockedKeyringThenUnlockedCarriesOn()
{
    QString why;
    QVERIFY2(lock(&why), qPrintable(why));
    ConsoleWindow c(m_ini, kService);
    c.secrets.setDeadline(std::chrono::milliseconds(1500));
    c.window.show();
    QSignalSpy sessions(&c.sessions, &SessionManager::sessionChanged);

    // Responsive while the read hangs behind the unlock prompt.
    QElapsedTimer tick;
    qint64 longestGap = 0;
    QTimer probe;
    probe.setInterval(20);
    connect(&probe, &QTimer::timeout, this, [&] { longestGap = std::max(longestGap, tick.restart()); });
    tick.start();
    probe.start();
    c.sessions.activate(m_profileId);
    QTRY_VERIFY_WITH_TIMEOUT(keychainBox(c), 20000);
    probe.stop();
    qInfo("longest wait of the event loop while the keyring hung: %lld ms", longestGap);
    QVERIFY2(longestGap < 500, qPrintable(QString::number(longestGap)));
    QMessageBox *box = keychainBox(c);
    QVERIFY2(box->text().contains(QStringLiteral("locked")), qPrintable(box->text()));
    QCOMPARE(visibleDialogs(), 1); // one question, not a pile
    QCOMPARE(sessions.count(), 0);
    // It offers the token for this session only: the profile dialog, for this profile.
    auto *sessionOnly = box->findChild<QPushButton *>(QStringLiteral("sessionOnlyButton"));
    QVERIFY(sessionOnly);
    QVERIFY(sessionOnly->text().contains(QStringLiteral("This Session")));

    // Unlocked later: the user types the keyring's password into its prompt. Carries on by itself.
    QVERIFY2(unlockAtPrompt(&why), qPrintable(why));
    QTRY_COMPARE_WITH_TIMEOUT(sessions.count(), 1, 30000);
    QVERIFY(c.sessions.session());
    QCOMPARE(c.sessions.session()->profile().id, m_profileId);
    QVERIFY(!c.sessions.hasSessionToken(m_profileId)); // the keychain's token, not a typed one
    QTRY_VERIFY_WITH_TIMEOUT(!keychainBox(c), 5000);
    QVERIFY(waitForLevel(c.model, {}));
    QVERIFY(c.model.rowCount() > 0);
    QTest::qWait(500);
    QCOMPARE(sessions.count(), 1);
}

void TestKeyringLocked::lateAnswerAfterSessionOnlyAppliesNothing()
{
    QString why;
    QVERIFY2(lock(&why), qPrintable(why));
    ConsoleWindow c(m_ini, kService);
    c.secrets.setDeadline(std::chrono::milliseconds(1500));
    c.window.show();
    QSignalSpy sessions(&c.sessions, &SessionManager::sessionChanged);
    QSignalSpy late(&c.secrets, &SecretStore::answeredAfterDeadline);
    c.sessions.activate(m_profileId);
    QTRY_VERIFY_WITH_TIMEOUT(keychainBox(c), 20000);

    // The user goes on with the token for this session only.
    c.sessions.activateWithToken(m_profileId, QByteArray(kToken));
    QTRY_COMPARE_WITH_TIMEOUT(sessions.count(), 1, 10000);
    QPointer<Session> typed = c.sessions.session();
    QVERIFY(typed);
    QTRY_VERIFY_WITH_TIMEOUT(!keychainBox(c), 5000);

    // The keyring answers after its deadline (unlocked at its prompt): nothing is applied twice.
    QVERIFY2(unlockAtPrompt(&why), qPrintable(why));
    QTRY_VERIFY_WITH_TIMEOUT(late.count() > 0, 30000);
    QTest::qWait(500);
    QCOMPARE(sessions.count(), 1);
    QCOMPARE(c.sessions.session(), typed.data());
    QCOMPARE(visibleDialogs(), 0);
}

QTEST_MAIN(TestKeyringLocked)
#include "tst_keyringlocked.moc"

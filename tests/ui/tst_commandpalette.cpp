// tst_commandpalette: the command palette (Ctrl+K, Ctrl+Shift+P) in the real window, offscreen,
// against a real ppg-sandbox and keychain: it opens with both shortcuts and closes with Esc; it
// finds resources by name and by id, best first, with the matched letters reported for bold;
// actions in context ("New database in shop-prod") run the existing action after selecting the
// resource; "Switch to profile" activates the profile. Writes palette-light.png and
// palette-dark.png (the README's) into PPG_SCREENSHOT_DIR when set, else screenshots/ in the build
// folder, and checks them.
#include "await.h"
#include "colorscheme.h"
#include "commandpalette.h"
#include "consoleactions.h"
#include "consolewindow.h"
#include "createresourcedialog.h"
#include "detailspane.h"
#include "imagechecks.h"
#include "profilesetup.h"
#include "profilestore.h"
#include "sampleaccount.h"
#include "sandboxprocess.h"
#include "secretstore.h"
#include "session.h"
#include "sessionmanager.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QLineEdit>
#include <QListView>
#include <QPainter>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

namespace {
const QByteArray kToken = "ppg-test-token-palette";

} // namespace

struct Console : ConsoleWindow
{
    explicit Console(const QString &ini) : ConsoleWindow(ini, QStringLiteral("ppg-console-test-palette")) { }
};

class TestCommandPalette : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void opensWithBothShortcutsAndClosesWithEsc();
    void findsResourcesByNameAndIdBestFirst();
    void actionInContextSelectsThenRunsTheAction();
    void currentResourceRanksFirst();
    void switchesProfile();
    void screenshot_data();
    void screenshot();

private:
    CommandPalette *openPalette(Console &c, const QString &text);
    QTemporaryDir m_home;
    SandboxProcess m_sandbox;
    QString m_acmeId;
    QString m_stagingId;
    std::unique_ptr<Console> m_console;
    QStringList m_ids; // shop-prod, reporting, ci, blog
};

void TestCommandPalette::initTestCase()
{
    QVERIFY(m_home.isValid());
    useTestSettings(m_home, QStringLiteral("tst_commandpalette"));

    SandboxProcess::Options o;
    o.tokens = { QString::fromLatin1(kToken) + QStringLiteral("=Acme") };
    QVERIFY2(m_sandbox.start(o), qPrintable(m_sandbox.errorString()));
    QString error;
    const auto a = seedSampleAccount(m_sandbox.baseUrl(), kToken, &error);
    QVERIFY2(a, qPrintable(error));
    m_ids = { a->shop, a->reporting, a->ci, a->blog };

    // Two profiles on the sandbox (the same workspace), their tokens in the test's keychain.
    for (const QString &name : { QStringLiteral("Acme"), QStringLiteral("staging") }) {
        Profile profile;
        profile.name = name;
        profile.apiUrl = m_sandbox.baseUrl();
        const auto saved = saveTestProfile(
            QSettings().fileName(), QStringLiteral("ppg-console-test-palette"), profile, kToken, &error);
        QVERIFY2(saved, qPrintable(error));
        (name == QLatin1String("Acme") ? m_acmeId : m_stagingId) = saved->id;
    }
}

void TestCommandPalette::init()
{
    m_console = std::make_unique<Console>(QSettings().fileName());
    Console &c = *m_console;
    bool ready = false;
    c.window.whenFirstLevelsLoaded([&ready] { ready = true; });
    c.window.resize(1100, 720);
    c.window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&c.window));
    c.window.activateWindow();
    c.sessions.activate(m_acmeId);
    QVERIFY(QTest::qWaitFor([&] { return ready; }, 20000));
}

void TestCommandPalette::cleanup()
{
    if (m_console) {
        m_console->window.commandPalette()->hide();
        for (QWidget *w : QApplication::topLevelWidgets())
            if (auto *d = qobject_cast<QDialog *>(w); d && d->isVisible())
                d->reject();
        m_console->window.close();
    }
    m_console.reset();
}

CommandPalette *TestCommandPalette::openPalette(Console &c, const QString &text)
{
    c.window.openCommandPalette();
    CommandPalette *palette = c.window.commandPalette();
    // The palette loads the whole account, as search does; wait until it is in.
    if (!QTest::qWaitFor([&] { return c.model.isComplete() && !c.model.isLoadingAll(); }, 20000))
        return nullptr;
    palette->field()->clear();
    QTest::keyClicks(palette->field(), text);
    return palette;
}

void TestCommandPalette::opensWithBothShortcutsAndClosesWithEsc()
{
    Console &c = *m_console;
    CommandPalette *palette = c.window.commandPalette();
    QVERIFY(!palette->isVisible());
    QTest::keyClick(&c.window, Qt::Key_K, Qt::ControlModifier);
    QTRY_VERIFY(palette->isVisible());
    QVERIFY(palette->field()->hasFocus());
    QVERIFY(palette->list()->model()->rowCount() > 0); // the commands, before anything is typed
    QTest::keyClick(palette->field(), Qt::Key_Escape);
    QTRY_VERIFY(!palette->isVisible());
    QTest::keyClick(&c.window, Qt::Key_P, Qt::ControlModifier | Qt::ShiftModifier);
    QTRY_VERIFY(palette->isVisible());
    QTest::keyClick(palette->field(), Qt::Key_Escape);
    QTRY_VERIFY(!palette->isVisible());
    QVERIFY(!c.window.findChild<CreateResourceDialog *>()); // Ctrl+Shift+P is not New Project
}

void TestCommandPalette::findsResourcesByNameAndIdBestFirst()
{
    Console &c = *m_console;
    CommandPalette *palette = openPalette(c, QStringLiteral("reporting"));
    QVERIFY(palette);
    QVERIFY(!palette->hits().isEmpty());
    QCOMPARE(palette->hits().first().type, CommandPaletteIndex::Type::Resource);
    QCOMPARE(palette->rowText(0), QStringLiteral("shop-prod / reporting"));
    QCOMPARE(palette->rowMatches(0), (QList<int> { 12, 13, 14, 15, 16, 17, 18, 19, 20 })); // bold: "reporting"

    // Fuzzy: letters in order, across the label.
    palette->field()->clear();
    QTest::keyClicks(palette->field(), QStringLiteral("repci"));
    QCOMPARE(palette->rowText(0), QStringLiteral("reporting / ci"));

    // By id; Enter selects it in the tree and closes the palette.
    palette->field()->setText(m_ids[2]);
    QCOMPARE(palette->hits().first().type, CommandPaletteIndex::Type::Resource);
    QCOMPARE(palette->rowText(0), QStringLiteral("reporting / ci"));
    QTest::keyClick(palette->field(), Qt::Key_Return);
    QTRY_VERIFY(!palette->isVisible());
    QCOMPARE(c.window.currentSourceIndex().data(ResourceTreeModel::IdRole).toString(), m_ids[2]);

    // Nothing matches: an empty list.
    c.window.openCommandPalette(QStringLiteral("zzzzqqq"));
    QCOMPARE(palette->list()->model()->rowCount(), 0);
}

void TestCommandPalette::actionInContextSelectsThenRunsTheAction()
{
    Console &c = *m_console;
    CommandPalette *palette = openPalette(c, QStringLiteral("new db shop"));
    QVERIFY(palette);
    QCOMPARE(palette->rowText(0), QStringLiteral("New database in shop-prod"));
    QCOMPARE(palette->hits().first().type, CommandPaletteIndex::Type::Verb);
    QTest::keyClick(palette->field(), Qt::Key_Return);
    QTRY_VERIFY(!palette->isVisible());
    // The resource was selected, then the existing action ran: its dialog is open.
    QCOMPARE(c.window.currentSourceIndex().data(ResourceTreeModel::IdRole).toString(), m_ids[0]);
    CreateResourceDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = c.window.findChild<CreateResourceDialog *>()) && dialog->isVisible());
    dialog->reject();

    // Another kind: the backups of a database, shown in the details pane.
    palette = openPalette(c, QStringLiteral("backups reporting"));
    QCOMPARE(palette->rowText(0), QStringLiteral("Show backups of shop-prod / reporting"));
    QTest::keyClick(palette->field(), Qt::Key_Down); // Up and Down move in the list...
    QCOMPARE(palette->list()->currentIndex().row(), 1);
    QTest::keyClick(palette->field(), Qt::Key_Up);
    QCOMPARE(palette->list()->currentIndex().row(), 0);
    QTest::keyClick(palette->field(), Qt::Key_Enter);
    QCOMPARE(c.window.currentSourceIndex().data(ResourceTreeModel::IdRole).toString(), m_ids[1]);
    QTRY_COMPARE(c.window.detailsPane()->shownDatabaseId(), m_ids[1]);
}

void TestCommandPalette::currentResourceRanksFirst()
{
    // Two projects give "New database in …"; the selected one comes first: in context.
    Console &c = *m_console;
    QVERIFY(c.window.selectId(m_ids[3])); // blog
    CommandPalette *palette = openPalette(c, QStringLiteral("new database"));
    QVERIFY(palette);
    QCOMPARE(palette->rowText(0), QStringLiteral("New database in blog"));
    palette->hide();
    QVERIFY(c.window.selectId(m_ids[0])); // shop-prod
    palette = openPalette(c, QStringLiteral("new database"));
    QCOMPARE(palette->rowText(0), QStringLiteral("New database in shop-prod"));
}

void TestCommandPalette::switchesProfile()
{
    Console &c = *m_console;
    CommandPalette *palette = openPalette(c, QStringLiteral("switch stag"));
    QVERIFY(palette);
    QCOMPARE(palette->rowText(0), QStringLiteral("Switch to profile staging"));
    QTest::keyClick(palette->field(), Qt::Key_Return);
    QTRY_VERIFY(c.sessions.session() && c.sessions.session()->profile().id == m_stagingId);
}

void TestCommandPalette::screenshot_data()
{
    QTest::addColumn<bool>("dark");
    QTest::addColumn<QString>("file");
    QTest::newRow("light") << false << QStringLiteral("palette-light.png");
    QTest::newRow("dark") << true << QStringLiteral("palette-dark.png");
}

void TestCommandPalette::screenshot()
{
    QFETCH(bool, dark);
    QFETCH(QString, file);
    const QString dir = qEnvironmentVariableIsEmpty("PPG_SCREENSHOT_DIR") ? QStringLiteral(PPG_SCREENSHOT_DEFAULT_DIR)
                                                                          : qEnvironmentVariable("PPG_SCREENSHOT_DIR");
    QVERIFY(QDir().mkpath(dir));
    applyColorScheme(dark ? QStringLiteral("dark") : QStringLiteral("light"));
    Console &c = *m_console;
    QVERIFY(c.window.selectId(m_ids[0]));
    CommandPalette *palette = openPalette(c, QStringLiteral("rep"));
    QVERIFY(palette);
    QTest::qWait(100);
    // The window with the popup over it, where it is on screen.
    QImage image = c.window.grab().toImage();
    {
        QPainter painter(&image);
        painter.drawPixmap(palette->mapToGlobal(QPoint()) - c.window.mapToGlobal(QPoint()), palette->grab());
    }
    const QString path = QDir(dir).filePath(file);
    QFile::remove(path);
    QVERIFY2(image.save(path), qPrintable(path));
    const ImageStats stats = imageStats(QImage(path));
    qInfo("%s: %s", qPrintable(file), qPrintable(stats.describe()));
    QVERIFY2(stats.colours >= 100, qPrintable(stats.describe()));
    if (dark)
        QVERIFY2(stats.backgroundLuminance < 0.3, qPrintable(stats.describe()));
    else
        QVERIFY2(stats.backgroundLuminance > 0.7, qPrintable(stats.describe()));
    QVERIFY(palette->list()->model()->rowCount() >= 2);
    applyColorScheme(QStringLiteral("light"));
}

QTEST_MAIN(TestCommandPalette)
#include "tst_commandpalette.moc"

// tst_lookandfeel: the console's look and feel (issue 18, part 5), in the real window, offscreen,
// against a real ppg-sandbox and keychain:
// - every control of the main window, of the command palette and of the dialogs the actions open
//   has an accessible name. A control is a widget that takes the focus or a button (Qt's own
//   internals, named "qt_…", excluded). A button is named by what Qt exposes to assistive
//   technology (its text or its action's text); a field, a list, a combo box or a spin box must
//   have an accessibleName or a label whose buddy it is (Qt announces the buddy's text), never
//   just its current value;
// - the toolbar's actions have icons;
// - the details pane offers the actions that fit the selection as buttons, each the existing
//   action (clicking Rename starts the in-place editor, as F2 does);
// - the activity panel is hidden until an operation starts, then shown; hidden by the user it stays
//   hidden for later operations and at the next start;
// - search draws the matched part of names on the highlight colour, and nothing on other rows.
#include "activitydock.h"
#include "activitymodel.h"
#include "await.h"
#include "commandpalette.h"
#include "consoleactions.h"
#include "consolewindow.h"
#include "detailspane.h"
#include "imagechecks.h"
#include "profilesetup.h"
#include "profilestore.h"
#include "resourcefilterproxymodel.h"
#include "sampleaccount.h"
#include "sandboxprocess.h"
#include "secretstore.h"
#include "sessionmanager.h"
#include "treeload.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAbstractSpinBox>
#include <QAccessible>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>
#include <QTextEdit>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QWidgetAction>

namespace {
const QByteArray kToken = "ppg-test-token-lookandfeel";

bool isControl(const QWidget *w)
{
    if (w->objectName().startsWith(QLatin1String("qt_")))
        return false;
    for (const QObject *p = w->parent(); p; p = p->parent())
        if (p->objectName().startsWith(QLatin1String("qt_"))
            && !p->objectName().startsWith(QLatin1String("qt_scrollarea_viewport")))
            return false; // inside one of Qt's own (a dock's title bar, a toolbar's extension)
    if (qobject_cast<const QAbstractButton *>(w))
        return !w->inherits("QLineEditIconButton") // a field's clear button: part of the field
            && !w->inherits("QTableCornerButton"); // a table's select-all corner: part of the table
    return w->focusPolicy() != Qt::NoFocus;
}

bool takesAValue(const QWidget *w)
{
    return qobject_cast<const QLineEdit *>(w) || qobject_cast<const QComboBox *>(w)
        || qobject_cast<const QAbstractSpinBox *>(w) || qobject_cast<const QAbstractItemView *>(w)
        || qobject_cast<const QPlainTextEdit *>(w) || qobject_cast<const QTextEdit *>(w);
}

// The controls of `root` (and its children) without an accessible name, described.
QStringList unnamedControls(QWidget *root)
{
    QList<QWidget *> all = root->findChildren<QWidget *>();
    all.prepend(root);
    QSet<const QWidget *> buddies;
    for (const QWidget *w : std::as_const(all))
        if (const auto *label = qobject_cast<const QLabel *>(w); label && label->buddy())
            buddies.insert(label->buddy());
    QStringList unnamed;
    for (QWidget *w : std::as_const(all)) {
        if (!isControl(w) || qobject_cast<QLabel *>(w))
            continue;
        bool named = !w->accessibleName().trimmed().isEmpty() || buddies.contains(w);
        if (!named && !takesAValue(w)) {
            QAccessibleInterface *a = QAccessible::queryAccessibleInterface(w);
            named = a && !a->text(QAccessible::Name).trimmed().isEmpty();
        }
        if (!named)
            unnamed << QStringLiteral("%1 \"%2\" in %3")
                           .arg(QString::fromLatin1(w->metaObject()->className()), w->objectName(),
                               QString::fromLatin1(
                                   w->parentWidget() ? w->parentWidget()->metaObject()->className() : "-"));
    }
    return unnamed;
}
} // namespace

struct Console : ConsoleWindow
{
    explicit Console(const QString &ini) : ConsoleWindow(ini, QStringLiteral("ppg-console-test-lookandfeel")) { }
};

class TestLookAndFeel : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void everyControlHasAnAccessibleName();
    void toolbarActionsHaveIcons();
    void detailsPaneOffersTheActionsThatFit();
    void activityPanelStaysOutOfTheWay();
    void searchHighlightsTheMatchedPart();

private:
    void open(Console &c);
    QTemporaryDir m_home;
    SandboxProcess m_sandbox;
    QString m_profileId;
    std::unique_ptr<Console> m_console;
    QStringList m_ids; // shop-prod, reporting, ci, blog
};

void TestLookAndFeel::initTestCase()
{
    QVERIFY(m_home.isValid());
    useTestSettings(m_home, QStringLiteral("tst_lookandfeel"));
    SandboxProcess::Options o;
    o.tokens = { QString::fromLatin1(kToken) + QStringLiteral("=Acme") };
    QVERIFY2(m_sandbox.start(o), qPrintable(m_sandbox.errorString()));
    QString error;
    const auto a = seedSampleAccount(m_sandbox.baseUrl(), kToken, &error);
    QVERIFY2(a, qPrintable(error));
    m_ids = { a->shop, a->reporting, a->ci, a->blog };

    Profile profile;
    profile.name = QStringLiteral("Acme");
    profile.apiUrl = m_sandbox.baseUrl();
    const auto saved = saveTestProfile(
        QSettings().fileName(), QStringLiteral("ppg-console-test-lookandfeel"), profile, kToken, &error);
    QVERIFY2(saved, qPrintable(error));
    m_profileId = saved->id;
}

void TestLookAndFeel::open(Console &c)
{
    bool ready = false;
    c.window.whenFirstLevelsLoaded([&ready] { ready = true; });
    c.window.resize(1100, 720);
    c.window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&c.window));
    c.window.activateWindow();
    c.sessions.activate(m_profileId);
    QVERIFY(QTest::qWaitFor([&] { return ready; }, 20000));
    c.model.loadAll();
    QVERIFY(QTest::qWaitFor([&] { return c.model.isComplete() && !c.model.isLoadingAll(); }, 20000));
}

void TestLookAndFeel::init()
{
    m_console = std::make_unique<Console>(QSettings().fileName());
    open(*m_console);
}

void TestLookAndFeel::cleanup()
{
    if (m_console) {
        for (QWidget *w : QApplication::topLevelWidgets())
            if (auto *d = qobject_cast<QDialog *>(w); d && d->isVisible())
                d->reject();
        m_console->window.close();
    }
    m_console.reset();
}

void TestLookAndFeel::everyControlHasAnAccessibleName()
{
    Console &c = *m_console;
    QVERIFY(c.window.selectId(m_ids[2])); // a connection: the details pane has its buttons
    QStringList unnamed = unnamedControls(&c.window);
    c.window.openCommandPalette(QStringLiteral("rep"));
    unnamed << unnamedControls(c.window.commandPalette());
    c.window.commandPalette()->hide();

    // The dialogs the actions open, each on a row it fits.
    ConsoleActions *a = c.window.actions();
    const QList<std::pair<QString, QAction *>> flows {
        { m_ids[0], a->newInContext },
        { m_ids[0], a->newDatabase },
        { m_ids[1], a->newConnection },
        { m_ids[2], a->rotate },
        { m_ids[0], a->transferProject },
        { m_ids[1], a->cloneDatabase },
        { m_ids[0], a->serviceTokens },
        { m_ids[0], a->addProfile },
        { m_ids[0], a->manageProfiles },
        { m_ids[0], a->about },
        { m_ids[3], a->protect },
        { m_ids[3], a->deleteResource },
    };
    // A timer walks and closes each dialog, whether the flow open()s it or exec()s it.
    int dialogs = 0;
    QTimer closer;
    closer.setInterval(20);
    connect(&closer, &QTimer::timeout, this, [&] {
        for (QWidget *w : QApplication::topLevelWidgets())
            if (auto *d = qobject_cast<QDialog *>(w); d && d->isVisible()) {
                ++dialogs;
                unnamed << unnamedControls(d);
                d->reject();
            }
    });
    closer.start();
    for (const auto &[id, action] : flows) {
        QVERIFY(c.window.selectId(id));
        if (!action->isEnabled())
            continue;
        const int before = dialogs;
        action->trigger();
        (void)QTest::qWaitFor([&] { return dialogs > before; }, 3000); // Allow Deletion asks nothing
    }
    closer.stop();
    QVERIFY2(dialogs >= 8, qPrintable(QString::number(dialogs)));
    unnamed.removeDuplicates();
    QVERIFY2(unnamed.isEmpty(),
        qPrintable(QStringLiteral("controls without an accessible name:\n  ") + unnamed.join(QStringLiteral("\n  "))));
}

void TestLookAndFeel::toolbarActionsHaveIcons()
{
    auto *bar = m_console->window.findChild<QToolBar *>(QStringLiteral("mainToolBar"));
    QVERIFY(bar);
    int actions = 0;
    for (QAction *action : bar->actions()) {
        if (action->isSeparator() || qobject_cast<QWidgetAction *>(action) || !bar->widgetForAction(action)
            || !qobject_cast<QToolButton *>(bar->widgetForAction(action)))
            continue;
        ++actions;
        QVERIFY2(!action->icon().isNull(), qPrintable(action->text()));
        QVERIFY(!action->icon().pixmap(16, 16).isNull()); // the SVG is in the resources
    }
    QVERIFY(actions >= 4);
}

void TestLookAndFeel::detailsPaneOffersTheActionsThatFit()
{
    Console &c = *m_console;
    ConsoleActions *a = c.window.actions();
    auto actionsShown = [&] {
        QList<QAction *> shown;
        for (QToolButton *b : c.window.detailsPane()->actionButtons())
            if (b->isVisibleTo(c.window.detailsPane()))
                shown << b->defaultAction();
        return shown;
    };
    QVERIFY(c.window.selectId(m_ids[2])); // connection
    QCOMPARE(actionsShown(),
        (QList<QAction *> { a->copy, a->testConnection, a->writeEnvFile, a->showConnectionString, a->rotate }));
    QVERIFY(c.window.selectId(m_ids[1])); // database
    QCOMPARE(actionsShown(),
        (QList<QAction *> { a->newConnection, a->showBackups, a->rename, a->cloneDatabase, a->deleteResource }));
    QVERIFY(c.window.selectId(m_ids[0])); // project
    QCOMPARE(actionsShown(), (QList<QAction *> { a->newDatabase, a->rename, a->deleteResource }));
    // A button is the action: Rename opens the editor in the tree, as F2 does.
    QToolButton *rename = nullptr;
    for (QToolButton *b : c.window.detailsPane()->actionButtons())
        if (b->defaultAction() == a->rename)
            rename = b;
    QVERIFY(rename && rename->isEnabled());
    QTest::mouseClick(rename, Qt::LeftButton);
    QLineEdit *editor = nullptr;
    QTRY_VERIFY((editor = c.window.treeView()->findChild<QLineEdit *>()) && editor->isVisible());
    QCOMPARE(editor->text(), QStringLiteral("shop-prod"));
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Escape);
}

void TestLookAndFeel::activityPanelStaysOutOfTheWay()
{
    Console &c = *m_console;
    ActivityDock *dock = c.window.activityDock();
    QVERIFY(!dock->isVisible()); // nothing has happened yet
    CreateProjectRequest first;
    first.name = QStringLiteral("first-activity");
    c.workflows.createProject(first);
    QTRY_VERIFY(dock->isVisible()); // an operation started: it shows

    // The user hides it (Ctrl+L): the next operation leaves it hidden.
    dock->toggleViewAction()->trigger();
    QVERIFY(!dock->isVisible());
    const int before = c.activity.rowCount();
    CreateProjectRequest second;
    second.name = QStringLiteral("second-activity");
    c.workflows.createProject(second);
    QTRY_VERIFY(c.activity.rowCount() > before);
    QTest::qWait(50);
    QVERIFY(!dock->isVisible());

    // Also at the next start.
    cleanup();
    m_console = std::make_unique<Console>(QSettings().fileName());
    open(*m_console);
    ActivityDock *again = m_console->window.activityDock();
    QVERIFY(!again->isVisible());
    CreateProjectRequest third;
    third.name = QStringLiteral("third-activity");
    m_console->workflows.createProject(third);
    QTRY_VERIFY(m_console->activity.rowCount() > 0);
    QTest::qWait(50);
    QVERIFY(!again->isVisible());
    // Shown by the user again: operations bring it up from then on.
    again->toggleViewAction()->trigger();
    QVERIFY(again->isVisible());
    QVERIFY(!QSettings().value(QStringLiteral("activity/userHidden")).toBool());
}

void TestLookAndFeel::searchHighlightsTheMatchedPart()
{
    Console &c = *m_console;
    ResourceTreeView *tree = c.window.treeView();
    c.window.searchBox()->setText(QStringLiteral("port"));
    tree->setCurrentIndex({}); // no selection colour in the way
    QTRY_VERIFY(tree->proxy()->mapFromSource(c.model.indexOf(m_ids[1])).isValid());
    QTest::qWait(50);
    const QColor highlight = ResourceTreeView::searchHighlightColor(tree->viewport()->palette());
    const QImage image = tree->viewport()->grab().toImage();
    auto highlighted = [&](const QString &id) {
        const QRect r = tree->visualRect(tree->proxy()->mapFromSource(c.model.indexOf(id)));
        return countPixels(image.copy(r), [&](const QColor &px) { return px.rgb() == highlight.rgb(); });
    };
    QVERIFY2(highlighted(m_ids[1]) > 40, qPrintable(QString::number(highlighted(m_ids[1])))); // "re·port·ing"
    QCOMPARE(highlighted(m_ids[0]), 0); // shop-prod: shown as the parent of a match only
    c.window.searchBox()->clear();
}

QTEST_MAIN(TestLookAndFeel)
#include "tst_lookandfeel.moc"

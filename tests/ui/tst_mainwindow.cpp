// The main window as a user meets it, offscreen, against a real ppg-sandbox and a real keychain:
// search keeps the parents of matches, a failed level shows an error row that Enter retries,
// Del reaches the confirmation (and not for protected or default resources), and the window's
// state and expanded branches come back at the next start. Copy Link (Ctrl+Alt+C) gives the
// profile's name and the row's id; openLink() selects a resource of a branch never opened, and a
// link that cannot be followed shows one message box, however many such links come.
#include "activitymodel.h"
#include "await.h"
#include "connectionstringdialog.h"
#include "connectionvault.h"
#include "consolelink.h"
#include "consolewindow.h"
#include "deleteconfirmdialog.h"
#include "deleteprotection.h"
#include "detailspane.h"
#include "mainwindow.h"
#include "postgreschecks.h"
#include "profilesetup.h"
#include "profilestore.h"
#include "resourcetreemodel.h"
#include "resourcetreeview.h"
#include "resourceworkflows.h"
#include "sampleaccount.h"
#include "sandboxfaults.h"
#include "sandboxprocess.h"
#include "secretstore.h"
#include "session.h"
#include "sessionmanager.h"
#include "treeload.h"

#include <QAbstractProxyModel>
#include <QAction>
#include <QClipboard>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QMimeData>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPushButton>
#include <QScopeGuard>
#include <QSettings>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>
#include <algorithm>

namespace {
const QByteArray kToken = "ppg-test-token-ui";
}

// Everything main() builds, on a settings file of the test's own.
struct Console : ConsoleWindow
{
    explicit Console(const QString &ini) : ConsoleWindow(ini, QStringLiteral("ppg-console-test-ui"))
    {
        model.setLoadingRowDelay(50);
    }
};

class TestMainWindow : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void searchKeepsParentsOfMatches();
    void searchGivesBackExpansionAndSelection();
    void searchDoesNotAskForTheDetailsAgain();
    void largeSearchResultsOpenTheirFirstLevels();
    void errorRowRetriesWithEnter();
    void deleteKeyReachesConfirmation();
    void protectedAndDefaultCannotBeDeleted();
    void connectionStringIsKeptAndCopied();
    void stateComesBack();
    void copyLinkAndOpenLink();

private:
    bool open(Console &c);
    bool expandAndWait(Console &c, const QString &id);
    QStringList visibleNames(const Console &c) const;

    QTemporaryDir m_home;
    SandboxProcess m_sandbox;
    QString m_profileId;
    std::unique_ptr<Console> m_console;
    QStringList m_ids; // shop-prod, its default db, reporting db, connection "ci", blog
};

void TestMainWindow::initTestCase()
{
    QVERIFY(m_home.isValid());
    useTestSettings(m_home, QStringLiteral("tst_mainwindow"));

    SandboxProcess::Options o;
    o.tokens = { QString::fromLatin1(kToken) + QStringLiteral("=Acme") };
    QVERIFY2(m_sandbox.start(o), qPrintable(m_sandbox.errorString()));
    QString error;
    const auto a = seedSampleAccount(m_sandbox.baseUrl(), kToken, &error);
    QVERIFY2(a, qPrintable(error));
    m_ids = { a->shop, a->shopDatabase, a->reporting, a->ci, a->blog };

    // A profile whose token lives in the (real, test-only) keychain.
    Profile profile;
    profile.name = QStringLiteral("Acme (test)");
    profile.apiUrl = m_sandbox.baseUrl();
    const auto saved
        = saveTestProfile(QSettings().fileName(), QStringLiteral("ppg-console-test-ui"), profile, kToken, &error);
    QVERIFY2(saved, qPrintable(error));
    m_profileId = saved->id;
}

void TestMainWindow::init()
{
    m_console = std::make_unique<Console>(QSettings().fileName());
    QVERIFY(open(*m_console));
}

void TestMainWindow::cleanup()
{
    if (m_console)
        m_console->window.close();
    m_console.reset();
    QVERIFY(setSandboxFaults(m_sandbox.baseUrl(), QJsonDocument::fromJson(R"({"rate5xx": 0})").object()));
}

bool TestMainWindow::open(Console &c)
{
    bool ready = false;
    c.window.whenFirstLevelsLoaded([&ready] { ready = true; });
    c.window.show();
    c.sessions.activate(m_profileId);
    return QTest::qWaitFor([&] { return ready; }, 20000);
}

bool TestMainWindow::expandAndWait(Console &c, const QString &id)
{
    const QModelIndex source = c.model.indexOf(id);
    if (!source.isValid())
        return false;
    if (!c.window.selectId(id))
        return false;
    c.window.treeView()->expand(c.window.treeView()->currentIndex());
    return waitForLevel(c.model, c.model.indexOf(id));
}

QStringList TestMainWindow::visibleNames(const Console &c) const
{
    QStringList names;
    const QAbstractItemModel *m = c.window.treeView()->model();
    std::function<void(const QModelIndex &)> walk = [&](const QModelIndex &parent) {
        for (int r = 0; r < m->rowCount(parent); ++r) {
            const QModelIndex i = m->index(r, 0, parent);
            names << i.data(ResourceTreeModel::NameRole).toString();
            walk(i);
        }
    };
    walk({});
    return names;
}

void TestMainWindow::searchKeepsParentsOfMatches()
{
    Console &c = *m_console;
    QSignalSpy bulk(&c.model, &ResourceTreeModel::bulkFinished);
    // Ctrl+F reaches the search box; the text is typed as a user would.
    QTest::keyClick(&c.window, Qt::Key_F, Qt::ControlModifier);
    QVERIFY(c.window.searchBox()->hasFocus());
    QTest::keyClicks(c.window.searchBox(), QStringLiteral("report"));
    QVERIFY(QTest::qWaitFor([&] { return !bulk.isEmpty(); }, 20000)); // levels not yet opened were loaded
    QVERIFY(!bulk.first().at(0).value<ApiError>().isError());
    QTRY_COMPARE(visibleNames(c),
        (QStringList { QStringLiteral("Acme"), QStringLiteral("shop-prod"), QStringLiteral("reporting") }));
    QVERIFY(c.window.treeView()->isExpanded(c.window.treeView()->model()->index(0, 0)));

    // Ids match too, and clearing the search shows everything again.
    c.window.searchBox()->setText(m_ids[3]);
    QTRY_VERIFY(visibleNames(c).contains(QStringLiteral("ci")));
    QVERIFY(!visibleNames(c).contains(QStringLiteral("blog")));
    c.window.searchBox()->clear();
    QTRY_VERIFY(visibleNames(c).contains(QStringLiteral("blog")));
}

void TestMainWindow::searchGivesBackExpansionAndSelection()
{
    Console &c = *m_console;
    QTreeView *view = c.window.treeView();
    const auto *proxy = qobject_cast<const QAbstractProxyModel *>(view->model());
    QVERIFY(proxy);
    const auto currentId = [&] { return view->currentIndex().data(ResourceTreeModel::IdRole).toString(); };
    const auto isExpanded
        = [&](const QString &id) { return view->isExpanded(proxy->mapFromSource(c.model.indexOf(id))); };

    QVERIFY(expandAndWait(c, m_ids[0])); // the user opens shop-prod
    QVERIFY(c.window.selectId(m_ids[2])); // and selects its reporting database
    QCOMPARE(currentId(), m_ids[2]);

    QSignalSpy bulk(&c.model, &ResourceTreeModel::bulkFinished);
    c.window.searchBox()->setText(m_ids[3]); // the id of the connection "ci", under reporting
    QVERIFY(QTest::qWaitFor([&] { return !bulk.isEmpty(); }, 20000));
    QTRY_VERIFY(isExpanded(m_ids[2])); // the search opens the way to its match
    QCOMPARE(currentId(), m_ids[2]); // and the selection stays where it was

    c.window.searchBox()->setText(QStringLiteral("blog"));
    QVERIFY(!view->currentIndex().isValid()); // reporting is filtered out

    c.window.searchBox()->clear();
    QCOMPARE(currentId(), m_ids[2]); // back on the row the user had selected
    QVERIFY(isExpanded(m_ids[0])); // what the user opened is open again
    QVERIFY(!isExpanded(m_ids[2])); // what only the search opened is not
    QCOMPARE(bulk.size(), 1); // the account was loaded once, not once per keystroke
}

void TestMainWindow::searchDoesNotAskForTheDetailsAgain()
{
    // Each keystroke resets the proxy and the view puts the current row back. The details pane
    // must take that as the same row, not as a new one: showing it again would ask the service
    // for the database's usage and backups (a workspace's plan) once per keystroke. Showing it
    // again sets those rows to "loading…" at once, which is what is checked after each keystroke.
    Console &c = *m_console;
    DetailsPane *details = c.window.detailsPane();
    const auto loadingRows = [details] {
        int n = 0;
        for (const QLabel *l : details->findChildren<QLabel *>())
            n += l->text() == QStringLiteral("loading…");
        return n;
    };
    QVERIFY(expandAndWait(c, m_ids[0]));
    QVERIFY(c.window.selectId(m_ids[2])); // the reporting database
    QVERIFY(loadingRows() > 0); // its usage and backups are asked for
    QTRY_COMPARE(loadingRows(), 0);

    QSignalSpy bulk(&c.model, &ResourceTreeModel::bulkFinished);
    for (QChar ch : QStringLiteral("repo")) {
        QTest::keyClick(c.window.searchBox(), ch.toLatin1());
        QCOMPARE(c.window.treeView()->currentSourceIndex(), c.model.indexOf(m_ids[2]));
        QCOMPARE(loadingRows(), 0);
    }
    QVERIFY(QTest::qWaitFor([&] { return !bulk.isEmpty(); }, 20000));
    QCOMPARE(loadingRows(), 0);

    // Another row, and back: that is a new row each time, shown and asked for again.
    QVERIFY(c.window.selectId(m_ids[0]));
    QVERIFY(c.window.selectId(m_ids[2]));
    QVERIFY(loadingRows() > 0);
    QTRY_COMPARE(loadingRows(), 0);
}

void TestMainWindow::largeSearchResultsOpenTheirFirstLevels()
{
    Console &c = *m_console;
    ResourceTreeView *view = c.window.treeView();
    const auto *proxy = qobject_cast<const QAbstractProxyModel *>(view->model());
    QVERIFY(proxy);
    const auto isExpanded
        = [&](const QString &id) { return view->isExpanded(proxy->mapFromSource(c.model.indexOf(id))); };
    // As if the account were large: a search may open at most 4 rows (10,000 in the console).
    view->setSearchRowsOpened(4);
    const auto restore = qScopeGuard([view] { view->setSearchRowsOpened(10000); });
    QSignalSpy opened(view, &ResourceTreeView::searchResultsOpened);
    QSignalSpy bulk(&c.model, &ResourceTreeModel::bulkFinished);

    c.window.searchBox()->setText(QStringLiteral("_")); // every id: every row matches
    QVERIFY(QTest::qWaitFor([&] { return !bulk.isEmpty(); }, 20000));
    QTRY_VERIFY(!opened.isEmpty() && !opened.last().at(0).toBool());
    QVERIFY(opened.last().at(1).toInt() > 4);
    QVERIFY(!view->searchOpensEveryBranch());
    QVERIFY(view->isExpanded(view->model()->index(0, 0))); // the workspace: its projects show
    QVERIFY(!isExpanded(m_ids[0])); // a project's databases would be more than 4 rows
    QVERIFY(c.window.statusBar()->currentMessage().contains(QStringLiteral("only the first levels")));

    // A search narrow enough (workspace, project, database, connection) opens every branch.
    c.window.searchBox()->setText(m_ids[3]);
    QTRY_VERIFY(opened.last().at(0).toBool());
    QCOMPARE(opened.last().at(1).toInt(), 4);
    QVERIFY(isExpanded(m_ids[2]));
    c.window.searchBox()->clear();
}

void TestMainWindow::errorRowRetriesWithEnter()
{
    Console &c = *m_console;
    ApiClient::Options fast;
    fast.maxAttempts = 1;
    c.sessions.session()->client()->setOptions(fast);
    QVERIFY(expandAndWait(c, m_ids[0]));
    QVERIFY(setSandboxFaults(m_sandbox.baseUrl(), QJsonDocument::fromJson(R"({"rate5xx": 1.0, "seed": 7})").object()));
    QTreeView *view = c.window.treeView();
    view->setFocus();
    QTest::keyClick(view, Qt::Key_F5); // refresh the project while the service fails
    const QModelIndex project = c.model.indexOf(m_ids[0]);
    QTRY_COMPARE_WITH_TIMEOUT(c.model.fetchState(project), ResourceTreeModel::FetchState::Failed, 20000);
    const QModelIndex errorRow = c.model.index(c.model.rowCount(project) - 1, 0, project);
    QCOMPARE(c.model.kind(errorRow), ResourceKind::Placeholder);
    QVERIFY(!errorRow.data(ResourceTreeModel::ErrorRole).toString().isEmpty());
    QVERIFY(c.model.indexOf(m_ids[2]).isValid()); // what was shown stays shown

    QVERIFY(setSandboxFaults(m_sandbox.baseUrl(), QJsonDocument::fromJson(R"({"rate5xx": 0})").object()));
    QVERIFY(c.window.selectId(m_ids[0]));
    view->setCurrentIndex(
        view->model()->index(view->model()->rowCount(view->currentIndex()) - 1, 0, view->currentIndex()));
    QTest::keyClick(view, Qt::Key_Return); // Retry
    QTRY_COMPARE_WITH_TIMEOUT(
        c.model.fetchState(c.model.indexOf(m_ids[0])), ResourceTreeModel::FetchState::Fetched, 20000);
    const QModelIndex reloaded = c.model.indexOf(m_ids[0]);
    QCOMPARE(c.model.kind(c.model.index(c.model.rowCount(reloaded) - 1, 0, reloaded)), ResourceKind::Database);
}

void TestMainWindow::deleteKeyReachesConfirmation()
{
    Console &c = *m_console;
    QVERIFY(expandAndWait(c, m_ids[0]));
    QVERIFY(expandAndWait(c, m_ids[2]));
    QVERIFY(c.window.selectId(m_ids[3])); // connection "ci"
    c.window.treeView()->setFocus();
    QTest::keyClick(c.window.treeView(), Qt::Key_Delete);
    auto *dialog = c.window.findChild<DeleteConfirmDialog *>(QStringLiteral("deleteConfirmDialog"));
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    QCOMPARE(dialog->deleteButton()->text(), QStringLiteral("Delete connection"));
    const int operationsBefore = c.activity.rowCount();
    QTest::mouseClick(dialog->cancelButton(), Qt::LeftButton);
    QVERIFY(c.model.indexOf(m_ids[3]).isValid()); // Cancel deletes nothing
    QCOMPARE(c.activity.rowCount(), operationsBefore); // no operation was started
    // Long enough for a DELETE to have been answered: everything the console sent has come back,
    // and a later listing of the database's connections (sent after the click) came back too.
    ApiClient *client = c.sessions.session()->client();
    QTRY_COMPARE_WITH_TIMEOUT(client->pendingCalls(), 0, 20000);
    QSignalSpy loaded(&c.model, &ResourceTreeModel::levelLoaded);
    c.model.refresh(c.model.indexOf(m_ids[2]));
    QTRY_VERIFY_WITH_TIMEOUT(
        std::any_of(loaded.cbegin(), loaded.cend(),
            [&](const QList<QVariant> &args) { return args.at(0).toModelIndex() == c.model.indexOf(m_ids[2]); }),
        20000);
    QVERIFY(c.model.indexOf(m_ids[3]).isValid()); // still listed by the service
    // And the service itself still has it.
    ApiClient own(m_sandbox.baseUrl(), kToken);
    QObject ctx;
    const auto still = await<Connection>([&](auto cb) { own.getConnection(m_ids[3], &ctx, cb); });
    QVERIFY2(still.ok(), qPrintable(still.error().message));
    QCOMPARE(c.activity.rowCount(), operationsBefore);
}

void TestMainWindow::protectedAndDefaultCannotBeDeleted()
{
    Console &c = *m_console;
    QVERIFY(expandAndWait(c, m_ids[0]));
    // A project is protected: Del does nothing but say why.
    QVERIFY(c.window.selectId(m_ids[0]));
    QVERIFY(c.model.isProtected(c.model.indexOf(m_ids[0])));
    QVERIFY(!c.window.deleteAction()->isEnabled());
    QVERIFY(c.window.deleteAction()->toolTip().contains(QStringLiteral("Protected")));
    c.window.treeView()->setFocus();
    QTest::keyClick(c.window.treeView(), Qt::Key_Delete);
    QVERIFY(!c.window.findChild<DeleteConfirmDialog *>(QStringLiteral("deleteConfirmDialog")));

    // The default database stays undeletable even with protection lifted.
    c.protection.setProtected(m_ids[1], false);
    QVERIFY(c.window.selectId(m_ids[1]));
    QVERIFY(!c.window.deleteAction()->isEnabled());
    QVERIFY(c.window.deleteAction()->toolTip().contains(QStringLiteral("default database")));

    // Lifting protection on "reporting" enables Delete, and the dialog asks for its name.
    QVERIFY(c.window.selectId(m_ids[2]));
    QVERIFY(!c.window.deleteAction()->isEnabled());
    c.window.protectAction()->trigger();
    QVERIFY(!c.model.isProtected(c.model.indexOf(m_ids[2])));
    QVERIFY(c.window.deleteAction()->isEnabled());
    c.window.deleteAction()->trigger();
    auto *dialog = c.window.findChild<DeleteConfirmDialog *>(QStringLiteral("deleteConfirmDialog"));
    QVERIFY(dialog);
    QVERIFY(!dialog->deleteButton()->isEnabled());
    QTest::keyClicks(dialog->nameEdit(), QStringLiteral("reporting"));
    QVERIFY(dialog->deleteButton()->isEnabled());
    dialog->reject();
    // Protection comes back on request, and is remembered for the profile.
    c.window.protectAction()->trigger();
    QVERIFY(c.model.isProtected(c.model.indexOf(m_ids[2])));
    c.protection.setProtected(m_ids[1], true);
}

void TestMainWindow::connectionStringIsKeptAndCopied()
{
    Console &c = *m_console;
    QVERIFY(expandAndWait(c, m_ids[0]));
    QVERIFY(expandAndWait(c, m_ids[2]));
    QSignalSpy succeeded(&c.workflows, &ResourceWorkflows::succeeded);
    c.workflows.createConnection(m_ids[2], QStringLiteral("kept"));
    QTRY_COMPARE_WITH_TIMEOUT(succeeded.size(), 1, 20000);
    const QString conId = succeeded.first().at(1).toString();
    // Shown once, in the dialog, and kept in the keychain (on by default).
    auto *dialog = c.window.findChild<ConnectionStringDialog *>();
    QVERIFY(dialog);
    QVERIFY(!dialog->isRevealed());
    dialog->close();
    QTRY_VERIFY_WITH_TIMEOUT(c.sessions.vault()->has(m_profileId, conId), 20000);

    // Ctrl+C on the connection copies its string from the vault, as a secret.
    QGuiApplication::clipboard()->clear();
    QVERIFY(c.window.selectId(conId));
    QCOMPARE(c.window.copyAction()->text(), QStringLiteral("&Copy Connection String"));
    c.window.treeView()->setFocus();
    QTest::keyClick(c.window.treeView(), Qt::Key_C, Qt::ControlModifier);
    QTRY_VERIFY_WITH_TIMEOUT(QGuiApplication::clipboard()->text().startsWith(QLatin1String("postgres://")), 20000);
    QVERIFY(QGuiApplication::clipboard()->mimeData()->hasFormat(QStringLiteral("x-kde-passwordManagerHint")));

    const QString role = QUrl(QGuiApplication::clipboard()->text()).userName(); // the connection's own role
    QVERIFY(!role.isEmpty());
    QCOMPARE(pgRoleCount(m_sandbox, role), 1);

    // Deleting the connection in the window: Del, then Delete in the confirmation (a connection
    // needs no typed name). The row leaves only once the service has deleted it (its role is gone
    // from PostgreSQL when the row goes), and its string is forgotten.
    int roleAtRemoval = -1;
    const QMetaObject::Connection watch = connect(
        &c.model, &QAbstractItemModel::rowsAboutToBeRemoved, this, [&](const QModelIndex &parent, int first, int last) {
            for (int r = first; r <= last; ++r) {
                if (c.model.index(r, 0, parent).data(ResourceTreeModel::IdRole).toString() == conId)
                    roleAtRemoval = pgRoleCount(m_sandbox, role);
            }
        });
    c.window.activateWindow(); // back in the main window, as the user is after the dialog
    QVERIFY(QTest::qWaitForWindowActive(&c.window));
    QVERIFY(c.window.selectId(conId));
    c.window.treeView()->setFocus();
    QTest::keyClick(c.window.treeView(), Qt::Key_Delete);
    auto *confirm = c.window.findChild<DeleteConfirmDialog *>(QStringLiteral("deleteConfirmDialog"));
    QVERIFY(confirm);
    QTRY_VERIFY(confirm->isVisible());
    QCOMPARE(confirm->deleteButton()->text(), QStringLiteral("Delete connection"));
    QVERIFY(!confirm->nameEdit());
    QVERIFY(confirm->deleteButton()->isEnabled());
    const int operationsBefore = c.activity.rowCount();
    QTest::mouseClick(confirm->deleteButton(), Qt::LeftButton);
    QCOMPARE(c.activity.rowCount(), operationsBefore + 1); // one DELETE went out
    QVERIFY(c.model.indexOf(conId).isValid()); // not gone before the service answered
    QTRY_VERIFY_WITH_TIMEOUT(!c.model.indexOf(conId).isValid(), 20000);
    disconnect(watch);
    QCOMPARE(roleAtRemoval, 0);
    QCOMPARE(pgRoleCount(m_sandbox, role), 0);
    QCOMPARE(
        c.activity.data(c.activity.index(operationsBefore, 0), ActivityModel::StateRole).value<ActivityModel::State>(),
        ActivityModel::State::Succeeded);
    QTRY_VERIFY_WITH_TIMEOUT(!c.sessions.vault()->has(m_profileId, conId), 20000);
    QGuiApplication::clipboard()->clear();
}

void TestMainWindow::stateComesBack()
{
    {
        Console &c = *m_console;
        QVERIFY(expandAndWait(c, m_ids[0]));
        c.window.resize(1000, 640);
        c.window.close(); // saves geometry and the expanded branches
    }
    m_console.reset();
    Console again(QSettings().fileName());
    QVERIFY(open(again));
    QCOMPARE(again.window.size(), QSize(1000, 640));
    // The branch the user had open is open again, and loaded.
    QTRY_COMPARE_WITH_TIMEOUT(
        again.model.fetchState(again.model.indexOf(m_ids[0])), ResourceTreeModel::FetchState::Fetched, 20000);
    const QModelIndex shop = again.model.indexOf(m_ids[0]);
    QVERIFY(again.window.selectId(m_ids[0]));
    QVERIFY(again.window.treeView()->isExpanded(again.window.treeView()->currentIndex()));
    Q_UNUSED(shop)
    again.window.close();
}

void TestMainWindow::copyLinkAndOpenLink()
{
    Console &c = *m_console;
    QVERIFY(expandAndWait(c, m_ids[0]));
    QVERIFY(c.window.selectId(m_ids[2])); // shop-prod / reporting
    QGuiApplication::clipboard()->clear();
    QTest::keyClick(c.window.treeView(), Qt::Key_C, Qt::ControlModifier | Qt::AltModifier);
    const QString expected = QStringLiteral("ppg-console://open?profile=Acme%20%28test%29&id=") + m_ids[2];
    QTRY_COMPARE_WITH_TIMEOUT(QGuiApplication::clipboard()->text(), expected, 5000);
    QGuiApplication::clipboard()->clear();

    // A link to blog's default database (listed only when blog is open): selected, its way opened.
    ApiClient own(m_sandbox.baseUrl(), kToken);
    QObject ctx;
    const auto blogDbs = await<Page<Database>>([&](auto cb) { own.listDatabases(m_ids[4], {}, &ctx, cb); });
    QVERIFY(blogDbs.ok() && blogDbs.value().items.size() == 1);
    const QString blogDb = blogDbs.value().items.front().id;
    std::optional<std::pair<bool, QString>> outcome;
    c.window.openLink(
        ConsoleLink { QStringLiteral("Acme (test)"), blogDb }.toString(), [&](bool ok, const QString &message) {
            outcome = { ok, message };
        });
    QTRY_VERIFY_WITH_TIMEOUT(outcome.has_value(), 30000);
    QVERIFY2(outcome->first, qPrintable(outcome->second));
    QCOMPARE(c.window.currentSourceIndex().data(ResourceTreeModel::IdRole).toString(), blogDb);

    // Two links that cannot be followed: one message box, saying the later one's problem.
    outcome.reset();
    c.window.openLink(QStringLiteral("ppg-console://open?profile=Acme%20%28test%29"));
    c.window.openLink(ConsoleLink { QStringLiteral("Acme (test)"), QStringLiteral("db_gone") }.toString(),
        [&](bool ok, const QString &message) {
            outcome = { ok, message };
        });
    QTRY_VERIFY_WITH_TIMEOUT(outcome.has_value(), 30000);
    QVERIFY(!outcome->first);
    const QList<QMessageBox *> boxes = c.window.findChildren<QMessageBox *>();
    QCOMPARE(boxes.size(), 1);
    QVERIFY2(boxes.front()->text().contains(QStringLiteral("“db_gone” is not in the account of profile “Acme (test)”")),
        qPrintable(boxes.front()->text()));
    boxes.front()->close();
    QCOMPARE(c.window.currentSourceIndex().data(ResourceTreeModel::IdRole).toString(), blogDb); // unchanged
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"

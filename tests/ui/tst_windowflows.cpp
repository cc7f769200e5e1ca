// The window's flows end to end, driven as a user drives them (keys, actions, the dialogs the
// window opens), against a real ppg-sandbox (tokens of two workspaces, databases provisioning for
// 4 s) and a real keychain; each outcome is checked where it lands: the tree, the keychain vault,
// the settings, the sandbox's PostgreSQL (libpq).
// Flows: rotate; a confirmed delete (the node leaves after the server's answer); a project delete
// refused with 400 and the offer to delete its other databases; Show Connection String, kept and
// not kept; New project / database / connection with the region list; the profile switcher and
// Ctrl+1…9; the details pane; Cancel in the activity panel; a provisioning database turning
// ready; delete protection across a restart; the PRISMA_SERVICE_TOKEN offer; Test Connection;
// the clipboard cleared when the window closes; the plan banner while a workspace's usage is
// blocked; renaming in place (F2); a project transferred to the other profile's workspace; View >
// All Profiles (every profile's workspace at once, each acted on with its own token).
// Modal boxes opened with exec() are answered from the event loop (support/modalanswer.h); any
// other modal box fails the test instead of hanging it.
#include "activitydock.h"
#include "activitymodel.h"
#include "await.h"
#include "connectionstringdialog.h"
#include "connectionstrings.h"
#include "connectionvault.h"
#include "consoleactions.h"
#include "consolewindow.h"
#include "createresourcedialog.h"
#include "deleteconfirmdialog.h"
#include "deleteprotection.h"
#include "detailspane.h"
#include "keychaincleanup.h"
#include "mainwindow.h"
#include "modalanswer.h"
#include "planbanner.h"
#include "postgreschecks.h"
#include "profiledialog.h"
#include "profilesetup.h"
#include "profilestore.h"
#include "profileswitcher.h"
#include "resourcetreemodel.h"
#include "resourceworkflows.h"
#include "rotateconfirmdialog.h"
#include "sandboxfaults.h"
#include "sandboxprocess.h"
#include "secretstore.h"
#include "session.h"
#include "sessionmanager.h"
#include "tokenimport.h"
#include "transferdialog.h"
#include "treeload.h"

#include <QAbstractProxyModel>
#include <QAction>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QElapsedTimer>
#include <QFormLayout>
#include <QGuiApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QScopeGuard>
#include <QSettings>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

#include <functional>
#include <memory>
#include <optional>

namespace {

const QByteArray kTokenA = "ppg-flows-token-a"; // workspace "Alpha"
const QByteArray kTokenB = "ppg-flows-token-b"; // workspace "Beta"
const QString kKeychainService = QStringLiteral("ppg-console-test-flows");
const QString kProfileA = QStringLiteral("Flows Alpha");
const QString kProfileB = QStringLiteral("Flows Beta");
constexpr int kLong = 30000; // ms: generous, the machine is shared

// Opens a console on a profile (Alpha by default); fails the test unless its first levels load.
#define OPEN_CONSOLE(var, ...)                                                                                         \
    QVERIFY(openConsole(__VA_ARGS__));                                                                                 \
    Console &var = *m_console

struct Console : ConsoleWindow
{
    explicit Console(const QString &ini) : ConsoleWindow(ini, kKeychainService) { model.setLoadingRowDelay(50); }
};

// A key pressed in the window as the user presses it: on `target`, once the window is the active
// one again (a dialog may just have closed), so that the window's shortcuts reach their actions.
bool pressKey(Console &c, QWidget *target, Qt::Key key, Qt::KeyboardModifiers modifiers = Qt::NoModifier)
{
    if (!c.window.isActiveWindow()) {
        c.window.activateWindow();
        if (!QTest::qWaitForWindowActive(&c.window))
            return false;
    }
    QTest::keyClick(target, key, modifiers);
    return true;
}

QString passwordOf(const QString &cs)
{
    const auto u = ConnectionStrings::parse(cs);
    return u ? u->password : QString();
}

// The PostgreSQL names behind a connection string: its role (user) and its database (path).
QString roleOf(const QString &cs)
{
    return QUrl(cs).userName();
}
QString pgDatabaseOf(const QString &cs)
{
    return QUrl(cs).path().mid(1);
}

// The rows of the details pane: label text -> value text (an id row's value is its id label).
QMap<QString, QString> detailRows(const DetailsPane *pane)
{
    QMap<QString, QString> rows;
    const auto *form = pane->findChild<QFormLayout *>();
    if (!form)
        return rows;
    for (int r = 0; r < form->rowCount(); ++r) {
        QLayoutItem *labelItem = form->itemAt(r, QFormLayout::LabelRole);
        QLayoutItem *fieldItem = form->itemAt(r, QFormLayout::FieldRole);
        const auto *label = labelItem ? qobject_cast<QLabel *>(labelItem->widget()) : nullptr;
        QWidget *field = fieldItem ? fieldItem->widget() : nullptr;
        if (!label || !field)
            continue;
        const auto *value = qobject_cast<QLabel *>(field);
        if (!value)
            value = field->findChild<QLabel *>();
        rows.insert(label->text(), value ? value->text() : QString());
    }
    return rows;
}

QString detailsTitle(const DetailsPane *pane)
{
    const auto *title = pane->findChild<QLabel *>(QStringLiteral("detailsTitle"));
    return title ? title->text() : QString();
}

// The visible dialog of type T under the window (the newest one when several are open).
template <class T> T *visibleDialog(QWidget *window)
{
    T *found = nullptr;
    for (T *d : window->findChildren<T *>())
        if (d->isVisible())
            found = d;
    return found;
}

template <class T> void closeDialogs(QWidget *window)
{
    for (T *d : window->findChildren<T *>())
        if (d->isVisible())
            d->reject();
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
}

ActivityModel::State lastActivityState(const ActivityModel &activity)
{
    return activity.data(activity.index(activity.rowCount() - 1, ActivityModel::StateColumn), ActivityModel::StateRole)
        .value<ActivityModel::State>();
}

} // namespace

class TestWindowFlows : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void cleanup();
    void rotateFromTheWindow();
    void deleteConfirmedLeavesAfterTheServerAnswered();
    void refusedProjectDeleteOffersItsOtherDatabases();
    void showKeptConnectionStringMasked();
    void showNotKeptConnectionStringOffersRotate();
    void createProjectDatabaseAndConnection();
    void profileSwitcherAndShortcutsSwitchTheSession();
    void detailsPaneShowsEachKind();
    void cancelInTheActivityPanel();
    void provisioningDatabaseTurnsReady();
    void protectionIsRememberedAcrossARestart();
    void testConnectionInTheDialog();
    void clipboardClearedWhenTheWindowCloses();
    void serviceTokenFromTheEnvironmentIsOffered();
    void planBannerWhileUsageIsBlocked();
    void renameInPlace();
    void transferMovesTheProject();
    void allProfilesActsWithEachProfilesToken();

private:
    // Saves a profile (no token when `token` is empty); its id, or empty on failure.
    QString saveProfile(const QString &name, const QByteArray &token, const QColor &color);
    bool openConsole(const QString &profileId = {});
    bool waitForSession(Console &c, const QString &profileId);
    bool expandAndWait(Console &c, const QString &id);
    bool expandPath(Console &c, const QStringList &ids);
    std::optional<Project> createProject(const QString &name, QString *why, const QString &region = {});
    std::optional<Database> createDatabase(const QString &projectId, const QString &name, QString *why);
    // Asks the service (Alpha's token) until the database is ready.
    bool waitUntilReady(const QString &databaseId);
    std::optional<Connection> keptConnection(Console &c, const QString &databaseId, const QString &name, QString *why);
    std::optional<ConnectionSecrets> vaultSecrets(Console &c, const QString &connectionId);
    QStringList loadedIds(Console &c);
    QStringList topLevelNames(Console &c);

    QTemporaryDir m_home;
    SandboxProcess m_sandbox;
    std::unique_ptr<ApiClient> m_clientA;
    std::unique_ptr<ApiClient> m_clientB;
    QObject m_ctx;
    QString m_ini;
    QString m_profileA;
    QString m_profileB;
    std::unique_ptr<Console> m_console;
    std::unique_ptr<UnexpectedModalGuard> m_guard;
};

void TestWindowFlows::initTestCase()
{
    QVERIFY(m_home.isValid());
    qputenv("XDG_CONFIG_HOME", m_home.filePath(QStringLiteral("config")).toUtf8());
    QCoreApplication::setOrganizationName(QStringLiteral("ppg-console-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_windowflows"));
    QSettings::setDefaultFormat(QSettings::IniFormat);
    m_ini = QSettings().fileName();

    SandboxProcess::Options o;
    o.tokens = { QString::fromLatin1(kTokenA) + QStringLiteral("=Alpha"),
        QString::fromLatin1(kTokenB) + QStringLiteral("=Beta") };
    o.extraArgs = { QStringLiteral("--provisioning-ms"), QStringLiteral("4000") };
    QVERIFY2(m_sandbox.start(o), qPrintable(m_sandbox.errorString()));
    m_clientA = std::make_unique<ApiClient>(m_sandbox.baseUrl(), kTokenA);
    m_clientB = std::make_unique<ApiClient>(m_sandbox.baseUrl(), kTokenB);

    // Two profiles, their tokens in the (test-only) keychain: Ctrl+1 is Alpha, Ctrl+2 is Beta.
    m_profileA = saveProfile(kProfileA, kTokenA, {});
    m_profileB = saveProfile(kProfileB, kTokenB, {});
    QVERIFY(!m_profileA.isEmpty() && !m_profileB.isEmpty());
    const ProfileStore profiles(m_ini);
    QCOMPARE(profiles.profiles().size(), 2);
    QCOMPARE(profiles.profiles().at(0).id, m_profileA);
}

void TestWindowFlows::cleanupTestCase()
{
    // Take the test's secrets out of the keychain again.
    if (m_ini.isEmpty())
        return;
    QVERIFY(removeStoredProfileSecrets(m_ini, kKeychainService, kLong));
}

void TestWindowFlows::cleanup()
{
    const QString unexpected = closeConsoleAndGuard(m_console, m_guard);
    QVERIFY(clearSandboxFaults(m_sandbox.baseUrl()));
    QVERIFY2(unexpected.isEmpty(), qPrintable(unexpected));
}

bool TestWindowFlows::openConsole(const QString &profileId)
{
    if (!m_guard)
        m_guard = std::make_unique<UnexpectedModalGuard>();
    m_console.reset(); // one window at a time
    m_console = std::make_unique<Console>(m_ini);
    Console &c = *m_console;
    auto ready = std::make_shared<bool>(false);
    c.window.whenFirstLevelsLoaded([ready] { *ready = true; });
    c.window.show();
    c.window.activateWindow();
    const QString id = profileId.isEmpty() ? m_profileA : profileId;
    c.sessions.activate(id);
    if (!QTest::qWaitFor([&] { return *ready; }, kLong) || !waitForSession(c, id)) {
        qWarning("the first levels did not load");
        return false;
    }
    if (!QTest::qWaitForWindowActive(&c.window)) {
        qWarning("the window is not active: shortcuts would not reach it");
        return false;
    }
    return true;
}

bool TestWindowFlows::waitForSession(Console &c, const QString &profileId)
{
    return QTest::qWaitFor(
        [&] {
            const Session *s = c.sessions.session();
            return s && s->profile().id == profileId
                && c.model.fetchState(QModelIndex()) == ResourceTreeModel::FetchState::Fetched && c.model.rowCount() > 0
                && c.model.fetchState(c.model.index(0, 0)) == ResourceTreeModel::FetchState::Fetched;
        },
        kLong);
}

bool TestWindowFlows::expandAndWait(Console &c, const QString &id)
{
    if (!c.window.selectId(id))
        return false;
    c.window.treeView()->expand(c.window.treeView()->currentIndex());
    return waitForLevel(c.model, c.model.indexOf(id), kLong);
}

bool TestWindowFlows::expandPath(Console &c, const QStringList &ids)
{
    for (const QString &id : ids)
        if (!expandAndWait(c, id))
            return false;
    return true;
}

std::optional<Project> TestWindowFlows::createProject(const QString &name, QString *why, const QString &region)
{
    CreateProjectRequest r;
    r.name = name;
    r.region = region;
    auto p = await<Project>([&](auto cb) { m_clientA->createProject(r, &m_ctx, cb); });
    if (!p.ok()) {
        *why = p.error().userMessage();
        return std::nullopt;
    }
    if (!p.value().database || p.value().database->connections.empty()) {
        *why = QStringLiteral("the project came without its default database and connection");
        return std::nullopt;
    }
    return p.value();
}

std::optional<Database> TestWindowFlows::createDatabase(const QString &projectId, const QString &name, QString *why)
{
    CreateDatabaseRequest r;
    r.name = name;
    auto d = await<Database>([&](auto cb) { m_clientA->createDatabase(projectId, r, &m_ctx, cb); });
    if (!d.ok()) {
        *why = d.error().userMessage();
        return std::nullopt;
    }
    return d.value();
}

bool TestWindowFlows::waitUntilReady(const QString &databaseId)
{
    return QTest::qWaitFor(
        [&] {
            const auto d = await<Database>([&](auto cb) { m_clientA->getDatabase(databaseId, &m_ctx, cb); });
            return d.ok() && d.value().status == Database::Status::Ready;
        },
        kLong);
}

// A connection created through the console (as "New Connection" does), so the keeper keeps its
// string in the vault; the dialog that shows it once is closed. Carries the issued strings.
std::optional<Connection> TestWindowFlows::keptConnection(
    Console &c, const QString &databaseId, const QString &name, QString *why)
{
    QSignalSpy issued(&c.workflows, &ResourceWorkflows::connectionStringIssued);
    QSignalSpy failed(&c.workflows, &ResourceWorkflows::failed);
    c.workflows.createConnection(databaseId, name);
    if (!QTest::qWaitFor([&] { return !issued.isEmpty() || !failed.isEmpty(); }, kLong) || issued.isEmpty()) {
        *why = failed.isEmpty() ? QStringLiteral("no answer") : failed.first().at(1).value<ApiError>().userMessage();
        return std::nullopt;
    }
    const Connection con = issued.first().at(1).value<Connection>();
    if (!QTest::qWaitFor([&] { return c.sessions.vault()->has(c.sessions.session()->profile().id, con.id); }, kLong)) {
        *why = QStringLiteral("the connection string was not kept");
        return std::nullopt;
    }
    if (!QTest::qWaitFor([&] { return visibleDialog<ConnectionStringDialog>(&c.window) != nullptr; }, kLong)) {
        *why = QStringLiteral("the issued string was not shown");
        return std::nullopt;
    }
    closeDialogs<ConnectionStringDialog>(&c.window);
    return con;
}

std::optional<ConnectionSecrets> TestWindowFlows::vaultSecrets(Console &c, const QString &connectionId)
{
    std::optional<ConnectionSecrets> out;
    bool done = false;
    QObject ctx; // gone first: a late answer finds no one
    c.sessions.vault()->fetch(c.sessions.session()->profile().id, connectionId, &ctx,
        [&](const ConnectionSecrets &s, const KeychainError &e) {
            if (e.ok())
                out = s;
            done = true;
        });
    if (!QTest::qWaitFor([&] { return done; }, kLong))
        return std::nullopt;
    return out;
}

QStringList TestWindowFlows::loadedIds(Console &c)
{
    QStringList ids;
    std::function<void(const QModelIndex &)> walk = [&](const QModelIndex &parent) {
        for (int r = 0; r < c.model.rowCount(parent); ++r) {
            const QModelIndex i = c.model.index(r, 0, parent);
            if (c.model.kind(i) != ResourceKind::Placeholder)
                ids << i.data(ResourceTreeModel::IdRole).toString();
            walk(i);
        }
    };
    walk({});
    return ids;
}

QStringList TestWindowFlows::topLevelNames(Console &c)
{
    QStringList names;
    const QAbstractItemModel *m = c.window.treeView()->model();
    for (int r = 0; r < m->rowCount(); ++r)
        names << m->index(r, 0).data(ResourceTreeModel::NameRole).toString();
    return names;
}

// --- rotate ------------------------------------------------------------------------------------

void TestWindowFlows::rotateFromTheWindow()
{
    QString why;
    const auto project = createProject(QStringLiteral("rot-shop"), &why);
    QVERIFY2(project, qPrintable(why));
    const QString dbId = project->database->id;
    OPEN_CONSOLE(c);
    QVERIFY(expandPath(c, { project->id, dbId }));
    const auto con = keptConnection(c, dbId, QStringLiteral("rot-app"), &why);
    QVERIFY2(con, qPrintable(why));
    const QString oldString = directString(*con);
    QVERIFY(!oldString.isEmpty());
    QCOMPARE(SandboxProcess::querySql(oldString, QStringLiteral("select 1")).toInt(), 1);

    // Resource > Rotate Credentials…, then the confirmation's "Rotate Credentials".
    QSignalSpy issued(&c.workflows, &ResourceWorkflows::connectionStringIssued);
    QSignalSpy succeeded(&c.workflows, &ResourceWorkflows::succeeded);
    QVERIFY(c.window.selectId(con->id));
    QVERIFY(c.window.rotateAction()->isEnabled());
    c.window.rotateAction()->trigger();
    auto *confirm = visibleDialog<RotateConfirmDialog>(&c.window);
    QVERIFY(confirm);
    QVERIFY(confirm->findChild<QLabel *>(QStringLiteral("question"))->text().contains(QStringLiteral("rot-app")));
    QVERIFY(succeeded.isEmpty()); // nothing is sent before the user confirms
    QTest::mouseClick(confirm->rotateButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(succeeded.size(), 1, kLong);
    QVERIFY(succeeded.first().at(0).value<Operation>().is(Operation::Verb::Rotate, ResourceKind::Connection));
    QCOMPARE(issued.size(), 1);
    const QString newString = directString(issued.first().at(1).value<Connection>());
    QVERIFY(!newString.isEmpty());
    QVERIFY(newString != oldString);

    // The new string is shown once, masked.
    QTRY_VERIFY_WITH_TIMEOUT(visibleDialog<ConnectionStringDialog>(&c.window), kLong);
    auto *shown = visibleDialog<ConnectionStringDialog>(&c.window);
    QVERIFY(!shown->isRevealed());
    QVERIFY(!shown->field()->text().contains(passwordOf(newString)));
    closeDialogs<ConnectionStringDialog>(&c.window);

    // The vault now holds the new string; PostgreSQL refuses the old one and takes the new one.
    // (compared, never printed: they are secrets)
    QTRY_VERIFY_WITH_TIMEOUT(vaultSecrets(c, con->id).value_or(ConnectionSecrets {}).direct == newString, kLong);
    QString error;
    const QVariant old = SandboxProcess::querySql(oldString, QStringLiteral("select 1"), &error);
    QVERIFY(!old.isValid());
    QVERIFY2(error.contains(QLatin1String("password authentication failed")), qPrintable(error));
    QCOMPARE(SandboxProcess::querySql(newString, QStringLiteral("select 1")).toInt(), 1);
}

// --- delete ------------------------------------------------------------------------------------

void TestWindowFlows::deleteConfirmedLeavesAfterTheServerAnswered()
{
    QString why;
    const auto project = createProject(QStringLiteral("del-shop"), &why);
    QVERIFY2(project, qPrintable(why));
    const auto db = createDatabase(project->id, QStringLiteral("del-reporting"), &why);
    QVERIFY2(db, qPrintable(why));
    QVERIFY(!db->connections.empty());
    const QString pgDb = pgDatabaseOf(directString(db->connections.front()));
    auto con = await<Connection>(
        [&](auto cb) { m_clientA->createConnection(db->id, QStringLiteral("del-app"), &m_ctx, cb); });
    QVERIFY(con.ok());
    const QString role = roleOf(directString(con.value()));
    const QString conId = con.value().id;
    QCOMPARE(pgRoleCount(m_sandbox, role), 1);
    QCOMPARE(pgDatabaseCount(m_sandbox, pgDb), 1);

    OPEN_CONSOLE(c);
    QVERIFY(expandPath(c, { project->id, db->id }));
    QVERIFY(c.model.indexOf(conId).isValid());

    // What PostgreSQL held at the moment each row left the tree.
    QHash<QString, int> pgCountAtRemoval;
    QObject scope;
    connect(&c.model, &QAbstractItemModel::rowsAboutToBeRemoved, &scope,
        [&](const QModelIndex &parent, int first, int last) {
            for (const QString &id : { conId, db->id }) {
                const QModelIndex i = c.model.indexOf(id);
                if (i.isValid() && i.parent() == parent && i.row() >= first && i.row() <= last)
                    pgCountAtRemoval[id]
                        = id == conId ? pgRoleCount(m_sandbox, role) : pgDatabaseCount(m_sandbox, pgDb);
            }
        });
    // The service takes its time, so the tree can be seen waiting for it.
    QVERIFY(setSandboxFaults(m_sandbox.baseUrl(), QJsonObject { { QStringLiteral("latencyMs"), 1500 } }));

    // 1. The connection: Del, then the plain confirmation.
    QVERIFY(c.window.selectId(conId));
    c.window.treeView()->setFocus();
    QVERIFY(pressKey(c, c.window.treeView(), Qt::Key_Delete));
    auto *dialog = visibleDialog<DeleteConfirmDialog>(&c.window);
    QVERIFY(dialog);
    QVERIFY(!dialog->nameEdit()); // connections need no typed name
    QTest::mouseClick(dialog->deleteButton(), Qt::LeftButton);
    QVERIFY(c.workflows.running() == 1);
    QVERIFY2(c.model.indexOf(conId).isValid(), "the row stays until the service answered");
    QCOMPARE(lastActivityState(c.activity), ActivityModel::State::Running);
    QTRY_VERIFY_WITH_TIMEOUT(!c.model.indexOf(conId).isValid(), kLong);
    QCOMPARE(pgCountAtRemoval.value(conId, -1), 0); // the role was gone when the row left
    QCOMPARE(pgRoleCount(m_sandbox, role), 0);
    QCOMPARE(lastActivityState(c.activity), ActivityModel::State::Succeeded);

    // 2. The database: protection lifted first, then its name typed.
    QVERIFY(c.window.selectId(db->id));
    QVERIFY(!c.window.deleteAction()->isEnabled());
    c.window.protectAction()->trigger(); // "Allow Deletion"
    QVERIFY(c.window.deleteAction()->isEnabled());
    c.window.treeView()->setFocus();
    QVERIFY(pressKey(c, c.window.treeView(), Qt::Key_Delete));
    dialog = visibleDialog<DeleteConfirmDialog>(&c.window);
    QVERIFY(dialog);
    QVERIFY(dialog->nameEdit());
    QVERIFY(!dialog->deleteButton()->isEnabled());
    QTest::keyClicks(dialog->nameEdit(), QStringLiteral("del-reporting"));
    QVERIFY(dialog->deleteButton()->isEnabled());
    QTest::mouseClick(dialog->deleteButton(), Qt::LeftButton);
    QVERIFY2(c.model.indexOf(db->id).isValid(), "the row stays until the service answered");
    QTRY_VERIFY_WITH_TIMEOUT(!c.model.indexOf(db->id).isValid(), kLong);
    QCOMPARE(pgCountAtRemoval.value(db->id, -1), 0);
    QCOMPARE(pgDatabaseCount(m_sandbox, pgDb), 0);
    QVERIFY(c.model.indexOf(project->id).isValid());
}

void TestWindowFlows::refusedProjectDeleteOffersItsOtherDatabases()
{
    QString why;
    const auto project = createProject(QStringLiteral("ref-shop"), &why);
    QVERIFY2(project, qPrintable(why));
    const QString defaultPgDb = pgDatabaseOf(directString(project->database->connections.front()));
    const auto extra = createDatabase(project->id, QStringLiteral("ref-extra"), &why);
    QVERIFY2(extra, qPrintable(why));
    const QString extraPgDb = pgDatabaseOf(directString(extra->connections.front()));
    QCOMPARE(pgDatabaseCount(m_sandbox, extraPgDb), 1);

    OPEN_CONSOLE(c);
    QVERIFY(expandAndWait(c, project->id));
    QVERIFY(c.window.selectId(project->id));
    c.window.protectAction()->trigger(); // "Allow Deletion" on the project
    QVERIFY(c.window.deleteAction()->isEnabled());

    // The refusal's box: "Delete Its Other Databases…", then the typed confirmation of the list.
    std::shared_ptr<ModalSeen> listConfirmed;
    auto refusal = answerModal<QMessageBox>([&](QMessageBox *box) {
        listConfirmed = answerModal<DeleteConfirmDialog>([](DeleteConfirmDialog *d) {
            QTest::keyClicks(d->nameEdit(), QStringLiteral("ref-shop"));
            d->deleteButton()->click();
        });
        if (!clickMessageBoxButton(box, QStringLiteral("Delete Its Other Databases…")))
            box->reject();
    });
    QSignalSpy failed(&c.workflows, &ResourceWorkflows::failed);
    c.window.treeView()->setFocus();
    QVERIFY(pressKey(c, c.window.treeView(), Qt::Key_Delete));
    auto *dialog = visibleDialog<DeleteConfirmDialog>(&c.window);
    QVERIFY(dialog);
    QTest::keyClicks(dialog->nameEdit(), QStringLiteral("ref-shop"));
    QTest::mouseClick(dialog->deleteButton(), Qt::LeftButton);

    QTRY_VERIFY_WITH_TIMEOUT(refusal->answered, kLong);
    QCOMPARE(failed.size(), 1);
    QCOMPARE(failed.first().at(1).value<ApiError>().httpStatus, 400);
    QVERIFY2(refusal->text.contains(QStringLiteral("ref-shop")), qPrintable(refusal->text));
    QVERIFY2(refusal->informativeText.contains(QStringLiteral("existing dependencies")),
        qPrintable(refusal->informativeText));
    QVERIFY2(refusal->buttons.contains(QStringLiteral("Delete Its Other Databases…")),
        qPrintable(refusal->buttons.join(u'|')));
    QVERIFY(c.model.indexOf(project->id).isValid()); // the refused delete left the tree alone
    QTRY_VERIFY_WITH_TIMEOUT(listConfirmed && listConfirmed->answered, kLong);
    QVERIFY2(listConfirmed->title.contains(QStringLiteral("ref-shop")), qPrintable(listConfirmed->title));

    // The other database goes, from the tree and from PostgreSQL; the default one stays.
    QTRY_VERIFY_WITH_TIMEOUT(!c.model.indexOf(extra->id).isValid(), kLong);
    QCOMPARE(pgDatabaseCount(m_sandbox, extraPgDb), 0);
    QCOMPARE(pgDatabaseCount(m_sandbox, defaultPgDb), 1);
    QVERIFY(c.model.indexOf(project->id).isValid());

    // Now the project's delete goes through, its default database with it.
    QVERIFY(c.window.selectId(project->id));
    c.window.treeView()->setFocus();
    QVERIFY(pressKey(c, c.window.treeView(), Qt::Key_Delete));
    dialog = visibleDialog<DeleteConfirmDialog>(&c.window);
    QVERIFY(dialog);
    QTest::keyClicks(dialog->nameEdit(), QStringLiteral("ref-shop"));
    QTest::mouseClick(dialog->deleteButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!c.model.indexOf(project->id).isValid(), kLong);
    QCOMPARE(pgDatabaseCount(m_sandbox, defaultPgDb), 0);
    QCOMPARE(failed.size(), 1);
}

// --- Show Connection String (Ctrl+E) -------------------------------------------------------------

void TestWindowFlows::showKeptConnectionStringMasked()
{
    QString why;
    const auto project = createProject(QStringLiteral("show-shop"), &why);
    QVERIFY2(project, qPrintable(why));
    OPEN_CONSOLE(c);
    QVERIFY(expandPath(c, { project->id, project->database->id }));
    const auto con = keptConnection(c, project->database->id, QStringLiteral("show-app"), &why);
    QVERIFY2(con, qPrintable(why));
    const QString password = passwordOf(directString(*con));
    QVERIFY(!password.isEmpty());

    QVERIFY(c.window.selectId(con->id));
    QVERIFY(pressKey(c, &c.window, Qt::Key_E, Qt::ControlModifier));
    QTRY_VERIFY_WITH_TIMEOUT(visibleDialog<ConnectionStringDialog>(&c.window), kLong);
    auto *dialog = visibleDialog<ConnectionStringDialog>(&c.window);
    const QString intro = dialog->findChild<QLabel *>(QStringLiteral("intro"))->text();
    QVERIFY2(intro.contains(QStringLiteral("“show-app”")), qPrintable(intro));
    QVERIFY2(intro.contains(QStringLiteral("from your keychain")), qPrintable(intro));
    QVERIFY(!dialog->isRevealed());
    QVERIFY(dialog->field()->text().contains(ConnectionStrings::maskDots()));
    QVERIFY2(!dialog->field()->text().contains(password), "masked: the password is not in the widget");
    // Show reveals the kept string: the one the service issued.
    QTest::mouseClick(dialog->showToggle(), Qt::LeftButton);
    QVERIFY(dialog->isRevealed());
    const auto shown = ConnectionStrings::parse(dialog->field()->text());
    QVERIFY(shown);
    QVERIFY2(shown->password == password, "the kept password (not printed)");
    QCOMPARE(shown->user, roleOf(directString(*con)));
    closeDialogs<ConnectionStringDialog>(&c.window);
}

void TestWindowFlows::showNotKeptConnectionStringOffersRotate()
{
    QString why;
    const auto project = createProject(QStringLiteral("lost-shop"), &why);
    QVERIFY2(project, qPrintable(why));
    const Connection lost = project->database->connections.front(); // created elsewhere: not kept here
    const QString oldString = directString(lost);
    OPEN_CONSOLE(c);
    QVERIFY(expandPath(c, { project->id, project->database->id }));
    QVERIFY(!c.sessions.vault()->has(m_profileA, lost.id));

    auto box = answerModal<QMessageBox>(
        [](QMessageBox *b) { QVERIFY(clickMessageBoxButton(b, QStringLiteral("Rotate Credentials…"))); });
    QVERIFY(c.window.selectId(lost.id));
    QVERIFY(pressKey(c, &c.window, Qt::Key_E, Qt::ControlModifier));
    QTRY_VERIFY_WITH_TIMEOUT(box->answered, kLong);
    QCOMPARE(box->title, QStringLiteral("Connection string not kept"));
    QVERIFY2(box->text.contains(lost.name), qPrintable(box->text));
    QVERIFY(!visibleDialog<ConnectionStringDialog>(&c.window)); // nothing to show

    // "Rotate Credentials…" leads to the rotate confirmation, and the new string is kept.
    QTRY_VERIFY_WITH_TIMEOUT(visibleDialog<RotateConfirmDialog>(&c.window), kLong);
    QSignalSpy succeeded(&c.workflows, &ResourceWorkflows::succeeded);
    QTest::mouseClick(visibleDialog<RotateConfirmDialog>(&c.window)->rotateButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(succeeded.size(), 1, kLong);
    QTRY_VERIFY_WITH_TIMEOUT(c.sessions.vault()->has(m_profileA, lost.id), kLong);
    closeDialogs<ConnectionStringDialog>(&c.window);
    QString error;
    QVERIFY(!SandboxProcess::querySql(oldString, QStringLiteral("select 1"), &error).isValid());
    QVERIFY2(error.contains(QLatin1String("password authentication failed")), qPrintable(error));
}

// --- create --------------------------------------------------------------------------------------

void TestWindowFlows::createProjectDatabaseAndConnection()
{
    auto regions = await<std::vector<Region>>([&](auto cb) { m_clientA->listRegions(&m_ctx, cb); });
    QVERIFY(regions.ok());
    QCOMPARE(regions.value().size(), size_t(6));
    QStringList regionIds;
    for (const Region &r : regions.value())
        regionIds << r.id;

    OPEN_CONSOLE(c);
    QSignalSpy succeeded(&c.workflows, &ResourceWorkflows::succeeded);
    QSignalSpy failed(&c.workflows, &ResourceWorkflows::failed);
    QSignalSpy issued(&c.workflows, &ResourceWorkflows::connectionStringIssued);
    const QString workspaceId = c.model.index(0, 0).data(ResourceTreeModel::IdRole).toString();

    // 1. Ctrl+N on the workspace: a new project, in a region picked from the service's list.
    QVERIFY(c.window.selectId(workspaceId));
    QVERIFY(pressKey(c, &c.window, Qt::Key_N, Qt::ControlModifier));
    auto *dialog = visibleDialog<CreateResourceDialog>(&c.window);
    QVERIFY(dialog);
    QCOMPARE(dialog->windowTitle(), QStringLiteral("New project"));
    auto *region = dialog->findChild<QComboBox *>();
    QVERIFY(region);
    QTRY_COMPARE_WITH_TIMEOUT(region->count(), 1 + 6, kLong); // "Service default" and the six
    QStringList offered;
    for (int i = 1; i < region->count(); ++i)
        offered << region->itemData(i).toString();
    QCOMPARE(offered, regionIds);
    const QString picked = regionIds.last();
    region->setFocus();
    QTest::keyClick(region, Qt::Key_End); // the last region of the list
    QCOMPARE(dialog->region(), picked);
    QTest::keyClicks(dialog->nameEdit(), QStringLiteral("made-in-window"));
    QTest::mouseClick(dialog->createButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(succeeded.size() + failed.size(), 1, kLong);
    QCOMPARE(failed.size(), 0);
    const QString projectId = succeeded.last().at(1).toString();
    QVERIFY(c.model.indexOf(projectId).isValid());
    QCOMPARE(c.model.indexOf(projectId).parent(), c.model.indexOf(workspaceId));
    QCOMPARE(c.model.project(c.model.indexOf(projectId))->defaultRegion, picked);
    auto server = await<Project>([&](auto cb) { m_clientA->getProject(projectId, &m_ctx, cb); });
    QVERIFY(server.ok());
    QCOMPARE(server.value().name, QStringLiteral("made-in-window"));
    QCOMPARE(server.value().defaultRegion, picked);
    QCOMPARE(issued.size(), 1); // its default database's connection, shown once
    QCOMPARE(pgDatabaseCount(m_sandbox, pgDatabaseOf(directString(issued.last().at(1).value<Connection>()))), 1);
    QTRY_VERIFY_WITH_TIMEOUT(visibleDialog<ConnectionStringDialog>(&c.window), kLong);
    closeDialogs<ConnectionStringDialog>(&c.window);

    // 2. Ctrl+N on the project: a database, the region list offered there too.
    QVERIFY(c.window.selectId(projectId));
    QVERIFY(pressKey(c, &c.window, Qt::Key_N, Qt::ControlModifier));
    dialog = visibleDialog<CreateResourceDialog>(&c.window);
    QVERIFY(dialog);
    QCOMPARE(dialog->windowTitle(), QStringLiteral("New database in “made-in-window”"));
    QTRY_COMPARE_WITH_TIMEOUT(dialog->findChild<QComboBox *>()->count(), 1 + 6, kLong);
    QTest::keyClicks(dialog->nameEdit(), QStringLiteral("win-db"));
    QTest::mouseClick(dialog->createButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(succeeded.size() + failed.size(), 2, kLong);
    QCOMPARE(failed.size(), 0);
    const QString dbId = succeeded.last().at(1).toString();
    QCOMPARE(c.model.indexOf(dbId).parent(), c.model.indexOf(projectId));
    QCOMPARE(c.model.database(c.model.indexOf(dbId))->name, QStringLiteral("win-db"));
    QVERIFY(!c.model.database(c.model.indexOf(dbId))->isDefault);
    QCOMPARE(issued.size(), 2);
    const Connection dbDefault = issued.last().at(1).value<Connection>();
    QCOMPARE(dbDefault.database.id, dbId);
    QCOMPARE(pgDatabaseCount(m_sandbox, pgDatabaseOf(directString(dbDefault))), 1);
    QTRY_VERIFY_WITH_TIMEOUT(visibleDialog<ConnectionStringDialog>(&c.window), kLong);
    closeDialogs<ConnectionStringDialog>(&c.window);

    // 3. Ctrl+N on the database: a connection (no region to pick), kept in the vault.
    QVERIFY(expandAndWait(c, dbId));
    QVERIFY(c.window.selectId(dbId));
    QVERIFY(pressKey(c, &c.window, Qt::Key_N, Qt::ControlModifier));
    dialog = visibleDialog<CreateResourceDialog>(&c.window);
    QVERIFY(dialog);
    QCOMPARE(dialog->windowTitle(), QStringLiteral("New connection to “win-db”"));
    QVERIFY(!dialog->findChild<QComboBox *>());
    QVERIFY(!dialog->createButton()->isEnabled()); // no name yet
    QTest::keyClicks(dialog->nameEdit(), QStringLiteral("win-con"));
    QTest::mouseClick(dialog->createButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(succeeded.size() + failed.size(), 3, kLong);
    QCOMPARE(failed.size(), 0);
    const QString conId = succeeded.last().at(1).toString();
    QCOMPARE(c.model.indexOf(conId).parent(), c.model.indexOf(dbId));
    QCOMPARE(issued.size(), 3);
    const QString conString = directString(issued.last().at(1).value<Connection>());
    QCOMPARE(pgRoleCount(m_sandbox, roleOf(conString)), 1);
    QCOMPARE(SandboxProcess::querySql(conString, QStringLiteral("select current_database()")).toString(),
        pgDatabaseOf(directString(dbDefault)));
    QTRY_VERIFY_WITH_TIMEOUT(c.sessions.vault()->has(m_profileA, conId), kLong);
    QTRY_VERIFY_WITH_TIMEOUT(visibleDialog<ConnectionStringDialog>(&c.window), kLong);
    closeDialogs<ConnectionStringDialog>(&c.window);
}

// --- profiles ------------------------------------------------------------------------------------

void TestWindowFlows::profileSwitcherAndShortcutsSwitchTheSession()
{
    CreateProjectRequest r;
    r.name = QStringLiteral("beta-only");
    auto beta = await<Project>([&](auto cb) { m_clientB->createProject(r, &m_ctx, cb); });
    QVERIFY(beta.ok());
    QString why;
    const auto alpha = createProject(QStringLiteral("alpha-only"), &why);
    QVERIFY2(alpha, qPrintable(why));

    OPEN_CONSOLE(c, m_profileA);
    QVERIFY(waitForSession(c, m_profileA));
    QCOMPARE(topLevelNames(c), QStringList { QStringLiteral("Alpha") });
    QSignalSpy bulk(&c.model, &ResourceTreeModel::bulkFinished);
    c.model.loadAll();
    QTRY_VERIFY_WITH_TIMEOUT(!bulk.isEmpty(), kLong);
    const QStringList alphaIds = loadedIds(c);
    QVERIFY(alphaIds.contains(alpha->id));
    QVERIFY(!alphaIds.contains(beta.value().id));

    // The toolbar's profile box, with the keyboard: Down picks the next profile.
    auto *switcher = c.window.findChild<ProfileSwitcher *>();
    QVERIFY(switcher);
    QCOMPARE(switcher->count(), 2);
    QCOMPARE(switcher->currentText(), kProfileA);
    switcher->setFocus();
    QTest::keyClick(switcher, Qt::Key_Down);
    QVERIFY(waitForSession(c, m_profileB));
    QCOMPARE(switcher->currentText(), kProfileB);
    QVERIFY2(c.window.windowTitle().contains(kProfileB), qPrintable(c.window.windowTitle()));
    QCOMPARE(topLevelNames(c), QStringList { QStringLiteral("Beta") });
    bulk.clear();
    c.model.loadAll();
    QTRY_VERIFY_WITH_TIMEOUT(!bulk.isEmpty(), kLong);
    const QStringList betaIds = loadedIds(c);
    QVERIFY(betaIds.contains(beta.value().id));
    for (const QString &id : betaIds)
        QVERIFY2(!alphaIds.contains(id), qPrintable(id + QStringLiteral(" of Alpha shows under Beta")));

    // Ctrl+1 and Ctrl+2, wherever the focus is.
    c.window.treeView()->setFocus();
    QVERIFY(pressKey(c, &c.window, Qt::Key_1, Qt::ControlModifier));
    QVERIFY(waitForSession(c, m_profileA));
    QCOMPARE(topLevelNames(c), QStringList { QStringLiteral("Alpha") });
    QCOMPARE(switcher->currentText(), kProfileA);
    for (const QString &id : loadedIds(c))
        QVERIFY2(!betaIds.contains(id), qPrintable(id + QStringLiteral(" of Beta shows under Alpha")));
    QVERIFY(pressKey(c, &c.window, Qt::Key_2, Qt::ControlModifier));
    QVERIFY(waitForSession(c, m_profileB));
    QCOMPARE(topLevelNames(c), QStringList { QStringLiteral("Beta") });
    QTRY_VERIFY_WITH_TIMEOUT(c.model.indexOf(beta.value().id).isValid(), kLong);
    QVERIFY(!c.model.indexOf(alpha->id).isValid());
    // Ctrl+3: there is no third profile, nothing starts (an activation announces itself at once).
    QSignalSpy activations(&c.sessions, &SessionManager::activationStarted);
    QVERIFY(pressKey(c, &c.window, Qt::Key_3, Qt::ControlModifier));
    QCOMPARE(activations.size(), 0);
    QCOMPARE(c.sessions.session()->profile().id, m_profileB);
}

// --- details -------------------------------------------------------------------------------------

void TestWindowFlows::detailsPaneShowsEachKind()
{
    QString why;
    const auto project = createProject(QStringLiteral("det-shop"), &why, QStringLiteral("ap-northeast-1"));
    QVERIFY2(project, qPrintable(why));
    const Database &db = *project->database;
    const Connection &con = db.connections.front();
    const QString cs = directString(con);
    const QString pgDb = pgDatabaseOf(cs);
    // Some work in the database, so that its operations are more than nothing.
    for (int i = 0; i < 3; ++i)
        QCOMPARE(SandboxProcess::querySql(cs, QStringLiteral("select 1")).toInt(), 1);
    const QString opsSql
        = QStringLiteral("select xact_commit + xact_rollback from pg_stat_database where datname = '%1'").arg(pgDb);
    QTRY_VERIFY_WITH_TIMEOUT(m_sandbox.queryScalar(opsSql).toLongLong() >= 3, kLong);

    OPEN_CONSOLE(c);
    DetailsPane *pane = c.window.detailsPane();
    const QString workspaceId = c.model.index(0, 0).data(ResourceTreeModel::IdRole).toString();

    QVERIFY(c.window.selectId(workspaceId));
    QCOMPARE(detailsTitle(pane), QStringLiteral("Workspace Alpha"));
    QCOMPARE(detailRows(pane).value(QStringLiteral("ID:")), workspaceId);
    QVERIFY(detailRows(pane).contains(QStringLiteral("Created:")));

    QVERIFY(expandAndWait(c, project->id));
    QVERIFY(c.window.selectId(project->id));
    auto rows = detailRows(pane);
    QCOMPARE(detailsTitle(pane), QStringLiteral("Project det-shop"));
    QCOMPARE(rows.value(QStringLiteral("ID:")), project->id);
    QVERIFY2(rows.value(QStringLiteral("Workspace:")).contains(QStringLiteral(">Alpha<")),
        qPrintable(rows.value(QStringLiteral("Workspace:"))));
    QCOMPARE(rows.value(QStringLiteral("Default region:")), QStringLiteral("ap-northeast-1"));
    QCOMPARE(rows.value(QStringLiteral("Deletion:")), QStringLiteral("Protected"));

    QVERIFY(c.window.selectId(db.id));
    QCOMPARE(detailsTitle(pane), QStringLiteral("Database %1").arg(db.name));
    rows = detailRows(pane);
    QCOMPARE(rows.value(QStringLiteral("ID:")), db.id);
    QVERIFY(rows.value(QStringLiteral("Default:")).startsWith(QStringLiteral("Yes")));
    QVERIFY2(rows.value(QStringLiteral("Region:")).contains(QStringLiteral("ap-northeast-1")),
        qPrintable(rows.value(QStringLiteral("Region:"))));
    QCOMPARE(rows.value(QStringLiteral("Connections:")), QStringLiteral("1"));
    QVERIFY(rows.value(QStringLiteral("Project:")).contains(QStringLiteral(">det-shop<")));
    QVERIFY(!rows.value(QStringLiteral("Status:")).isEmpty());
    // Usage, from the sandbox: operations (transactions in the database) and its size.
    QTRY_VERIFY_WITH_TIMEOUT(
        !detailRows(pane).value(QStringLiteral("Storage:")).contains(QStringLiteral("loading")), kLong);
    rows = detailRows(pane);
    const QString ops = rows.value(QStringLiteral("Operations:"));
    const QString storage = rows.value(QStringLiteral("Storage:"));
    QVERIFY2(ops.contains(QStringLiteral(" ops since ")), qPrintable(ops));
    bool ok = false;
    const qlonglong opsShown = QLocale().toLongLong(ops.section(QStringLiteral(" ops"), 0, 0), &ok);
    QVERIFY2(ok, qPrintable(ops));
    QVERIFY2(opsShown >= 3 && opsShown <= m_sandbox.queryScalar(opsSql).toLongLong(), qPrintable(ops));
    QVERIFY2(storage.endsWith(QStringLiteral(" GiB")), qPrintable(storage));
    const double gibShown = QLocale().toDouble(storage.chopped(4), &ok);
    QVERIFY2(ok, qPrintable(storage));
    const double gibReal
        = m_sandbox.queryScalar(QStringLiteral("select pg_database_size('%1')").arg(pgDb)).toDouble() / (1 << 30);
    QVERIFY2(gibReal > 0.0005 && qAbs(gibShown - gibReal) < 0.001,
        qPrintable(QStringLiteral("shown %1 GiB, PostgreSQL has %2 GiB").arg(gibShown).arg(gibReal)));

    QVERIFY(expandAndWait(c, db.id));
    QVERIFY(c.window.selectId(con.id));
    QCOMPARE(detailsTitle(pane), QStringLiteral("Connection %1").arg(con.name));
    rows = detailRows(pane);
    QCOMPARE(rows.value(QStringLiteral("ID:")), con.id);
    QCOMPARE(rows.value(QStringLiteral("Direct endpoint:")),
        QStringLiteral("%1:%2").arg(QUrl(cs).host()).arg(QUrl(cs).port()));
    QVERIFY(rows.value(QStringLiteral("Database:")).contains(QStringLiteral(">%1<").arg(db.name)));
    for (const QString &value : rows)
        QVERIFY2(!value.contains(passwordOf(cs)), "the details pane never shows a secret");

    // Nothing selected: the empty state.
    c.window.treeView()->setCurrentIndex({});
    QVERIFY(detailRows(pane).isEmpty());
}

// --- activity ------------------------------------------------------------------------------------

void TestWindowFlows::cancelInTheActivityPanel()
{
    QString why;
    const auto project = createProject(QStringLiteral("cxl-shop"), &why);
    QVERIFY2(project, qPrintable(why));
    const QString dbId = project->database->id;
    OPEN_CONSOLE(c);
    QVERIFY(expandPath(c, { project->id, dbId }));
    const int connectionsBefore = c.model.rowCount(c.model.indexOf(dbId));

    // Every answer of the service now takes 15 s.
    QVERIFY(setSandboxFaults(m_sandbox.baseUrl(), QJsonObject { { QStringLiteral("latencyMs"), 15000 } }));
    QSignalSpy failed(&c.workflows, &ResourceWorkflows::failed);
    QVERIFY(c.window.selectId(dbId));
    QVERIFY(pressKey(c, &c.window, Qt::Key_N, Qt::ControlModifier));
    auto *dialog = visibleDialog<CreateResourceDialog>(&c.window);
    QVERIFY(dialog);
    QTest::keyClicks(dialog->nameEdit(), QStringLiteral("cxl-con"));
    QElapsedTimer clock;
    QTest::mouseClick(dialog->createButton(), Qt::LeftButton);
    clock.start();
    QCOMPARE(lastActivityState(c.activity), ActivityModel::State::Running);

    // The activity panel: select the running operation, Cancel Operation.
    auto *dock = c.window.findChild<ActivityDock *>(QStringLiteral("activityDock"));
    QVERIFY(dock);
    QVERIFY(dock->isVisible());
    auto *cancel = dock->findChild<QPushButton *>(QStringLiteral("cancelOperation"));
    QVERIFY(cancel);
    QTreeView *view = dock->view();
    view->setFocus();
    view->setCurrentIndex(c.activity.index(c.activity.rowCount() - 1, 0));
    QVERIFY(cancel->isEnabled());
    QTest::mouseClick(cancel, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(lastActivityState(c.activity), ActivityModel::State::Cancelled, 10000);
    QVERIFY2(clock.elapsed() < 15000, "ended by the cancel, not by the service's answer");
    QCOMPARE(failed.size(), 1);
    QCOMPARE(failed.first().at(1).value<ApiError>().kind, ApiError::Kind::Cancelled);
    QVERIFY(!cancel->isEnabled());
    QCOMPARE(c.workflows.running(), 0);
    QCOMPARE(c.model.rowCount(c.model.indexOf(dbId)), connectionsBefore); // nothing was added
}

// --- provisioning --------------------------------------------------------------------------------

void TestWindowFlows::provisioningDatabaseTurnsReady()
{
    QString why;
    const auto project = createProject(QStringLiteral("prov-shop"), &why);
    QVERIFY2(project, qPrintable(why));
    OPEN_CONSOLE(c);
    c.model.setPollInterval(250); // the sandbox says "ready" after 4 s; notice it soon after
    QVERIFY(expandAndWait(c, project->id));

    // What the Status column said when the new row appeared, and the list requests until then.
    QString statusOnArrival;
    int listRequestsOnArrival = -1;
    QString dbId;
    QObject scope;
    connect(&c.workflows, &ResourceWorkflows::succeeded, &scope, [&](const Operation &op, const QString &id) {
        if (!op.is(Operation::Verb::Create, ResourceKind::Database))
            return;
        dbId = id;
        statusOnArrival = c.model.indexOf(id, ResourceTreeModel::StatusColumn).data().toString();
        listRequestsOnArrival = c.model.listRequests();
    });
    QVERIFY(c.window.selectId(project->id));
    QVERIFY(pressKey(c, &c.window, Qt::Key_N, Qt::ControlModifier));
    auto *dialog = visibleDialog<CreateResourceDialog>(&c.window);
    QVERIFY(dialog);
    QTest::keyClicks(dialog->nameEdit(), QStringLiteral("prov-db"));
    QTest::mouseClick(dialog->createButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!dbId.isEmpty(), kLong);
    closeDialogs<ConnectionStringDialog>(&c.window);
    QVERIFY2(statusOnArrival.startsWith(QStringLiteral("Provisioning")), qPrintable(statusOnArrival));

    // The view shows it turn ready by itself: no refresh, no list request.
    const auto shownStatus = [&] {
        auto *proxy = qobject_cast<QAbstractProxyModel *>(c.window.treeView()->model());
        return proxy->mapFromSource(c.model.indexOf(dbId, ResourceTreeModel::StatusColumn)).data().toString();
    };
    QVERIFY2(shownStatus().startsWith(QStringLiteral("Provisioning")), qPrintable(shownStatus()));
    QTRY_VERIFY_WITH_TIMEOUT(shownStatus().startsWith(QStringLiteral("Ready")), 60000);
    QCOMPARE(c.model.listRequests(), listRequestsOnArrival);
}

// --- protection across a restart -----------------------------------------------------------------

void TestWindowFlows::protectionIsRememberedAcrossARestart()
{
    QString why;
    const auto project = createProject(QStringLiteral("prot-shop"), &why);
    QVERIFY2(project, qPrintable(why));
    const auto db = createDatabase(project->id, QStringLiteral("prot-db"), &why);
    QVERIFY2(db, qPrintable(why));
    {
        OPEN_CONSOLE(c);
        QVERIFY(expandAndWait(c, project->id));
        QVERIFY(c.window.selectId(db->id));
        QVERIFY(c.model.isProtected(c.model.indexOf(db->id)));
        QCOMPARE(c.window.protectAction()->text(), QStringLiteral("Allow &Deletion"));
        c.window.protectAction()->trigger();
        QVERIFY(!c.model.isProtected(c.model.indexOf(db->id)));
        QVERIFY(c.window.deleteAction()->isEnabled());
        c.window.close();
    }
    m_console.reset(); // the window and the core are gone

    OPEN_CONSOLE(again);
    QVERIFY(expandAndWait(again, project->id));
    QVERIFY(again.window.selectId(db->id));
    QVERIFY2(!again.model.isProtected(again.model.indexOf(db->id)), "lifted protection is remembered");
    QVERIFY(again.window.deleteAction()->isEnabled());
    QCOMPARE(again.window.protectAction()->text(), QStringLiteral("Protect from &Deletion"));
    QVERIFY(again.model.isProtected(again.model.indexOf(project->id))); // and only for that database
    // Put back, and remembered as well.
    again.window.protectAction()->trigger();
    QVERIFY(again.model.isProtected(again.model.indexOf(db->id)));
    again.window.close();
    m_console.reset();
    OPEN_CONSOLE(third);
    QVERIFY(expandAndWait(third, project->id));
    QVERIFY(third.model.isProtected(third.model.indexOf(db->id)));
}

// --- Test Connection -----------------------------------------------------------------------------

void TestWindowFlows::testConnectionInTheDialog()
{
    QString why;
    const auto project = createProject(QStringLiteral("tc-shop"), &why);
    QVERIFY2(project, qPrintable(why));
    OPEN_CONSOLE(c);
    QVERIFY(expandPath(c, { project->id, project->database->id }));
    const auto con = keptConnection(c, project->database->id, QStringLiteral("tc-app"), &why);
    QVERIFY2(con, qPrintable(why));
    const QString version = m_sandbox.queryScalar(QStringLiteral("show server_version")).toString();
    QVERIFY(!version.isEmpty());

    // The kept string connects: the dialog names the server's version.
    QVERIFY(c.window.selectId(con->id));
    QVERIFY(pressKey(c, &c.window, Qt::Key_E, Qt::ControlModifier));
    QTRY_VERIFY_WITH_TIMEOUT(visibleDialog<ConnectionStringDialog>(&c.window), kLong);
    auto *dialog = visibleDialog<ConnectionStringDialog>(&c.window);
    QVERIFY(dialog->testButton()->isEnabled());
    QTest::mouseClick(dialog->testButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->testResultLabel()->text().startsWith(QStringLiteral("Connecting")), 60000);
    QVERIFY2(dialog->testResultLabel()->text().startsWith(QStringLiteral("Connected to PostgreSQL %1").arg(version)),
        qPrintable(dialog->testResultLabel()->text()));
    closeDialogs<ConnectionStringDialog>(&c.window);

    // Rotated elsewhere: the kept string's password is now wrong, and the dialog says so.
    auto rotated = await<Connection>([&](auto cb) { m_clientA->rotateConnection(con->id, &m_ctx, cb); });
    QVERIFY(rotated.ok());
    QVERIFY(pressKey(c, &c.window, Qt::Key_E, Qt::ControlModifier));
    QTRY_VERIFY_WITH_TIMEOUT(visibleDialog<ConnectionStringDialog>(&c.window), kLong);
    dialog = visibleDialog<ConnectionStringDialog>(&c.window);
    QTest::mouseClick(dialog->testButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->testResultLabel()->text().startsWith(QStringLiteral("Connecting")), 60000);
    const QString failure = dialog->testResultLabel()->text();
    QVERIFY2(failure.contains(QStringLiteral("refused the password")), qPrintable(failure));
    QVERIFY2(failure.contains(QStringLiteral("password authentication failed")), qPrintable(failure));
    QVERIFY(!failure.contains(passwordOf(directString(*con))));
    closeDialogs<ConnectionStringDialog>(&c.window);
}

// --- the clipboard -------------------------------------------------------------------------------

void TestWindowFlows::clipboardClearedWhenTheWindowCloses()
{
    // No timed clearing: only closing the window can clear it here.
    QSettings().setValue(QStringLiteral("clipboard/clearAfterSeconds"), 0);
    QString why;
    const auto project = createProject(QStringLiteral("clip-shop"), &why);
    QVERIFY2(project, qPrintable(why));
    OPEN_CONSOLE(c);
    QSettings().remove(QStringLiteral("clipboard/clearAfterSeconds"));
    QVERIFY(expandPath(c, { project->id, project->database->id }));
    const auto con = keptConnection(c, project->database->id, QStringLiteral("clip-app"), &why);
    QVERIFY2(con, qPrintable(why));
    const QString cs = directString(*con);

    QGuiApplication::clipboard()->clear();
    QVERIFY(c.window.selectId(con->id));
    c.window.treeView()->setFocus();
    QVERIFY(pressKey(c, c.window.treeView(), Qt::Key_C, Qt::ControlModifier));
    QTRY_VERIFY_WITH_TIMEOUT(QGuiApplication::clipboard()->text() == cs, kLong); // a secret: not printed

    c.window.close(); // as the user closes it (File > Quit closes it too)
    QVERIFY(QGuiApplication::clipboard()->text().isEmpty());

    // What someone else copied is left alone.
    OPEN_CONSOLE(again);
    QGuiApplication::clipboard()->setText(QStringLiteral("not ours"));
    again.window.close();
    QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("not ours"));
    QGuiApplication::clipboard()->clear();
}

// --- PRISMA_SERVICE_TOKEN without --api-url ------------------------------------------------------

void TestWindowFlows::serviceTokenFromTheEnvironmentIsOffered()
{
    OPEN_CONSOLE(c);
    QVERIFY(TokenImport::shouldOffer(kTokenB, /*apiUrlGiven*/ false, c.profiles));
    QVERIFY(!TokenImport::shouldOffer(kTokenB, /*apiUrlGiven*/ true, c.profiles));

    // "Not Now": nothing is saved, and it is offered again next time.
    auto notNow = answerModal<QMessageBox>(
        [](QMessageBox *b) { QVERIFY(clickMessageBoxButton(b, QStringLiteral("Not Now"))); });
    c.window.offerImport(kTokenB);
    QVERIFY(notNow->answered);
    QVERIFY2(notNow->text.contains(QStringLiteral("PRISMA_SERVICE_TOKEN")), qPrintable(notNow->text));
    QCOMPARE(notNow->buttons, (QStringList { QStringLiteral("Create Profile…"), QStringLiteral("Not Now") }));
    QVERIFY(!visibleDialog<ProfileDialog>(&c.window));
    QCOMPARE(c.profiles.profiles().size(), 2);
    QVERIFY(TokenImport::shouldOffer(kTokenB, false, c.profiles));

    // "Create Profile…": the profile dialog comes pre-filled with the token; saved, it is opened.
    auto create = answerModal<QMessageBox>(
        [](QMessageBox *b) { QVERIFY(clickMessageBoxButton(b, QStringLiteral("Create Profile…"))); });
    c.window.offerImport(kTokenB);
    QVERIFY(create->answered);
    QPointer<ProfileDialog> dialog = visibleDialog<ProfileDialog>(&c.window);
    QVERIFY(dialog);
    QCOMPARE(dialog->nameEdit()->text(), TokenImport::defaultProfileName());
    QCOMPARE(dialog->tokenEdit()->text().toLatin1(), kTokenB);
    dialog->urlEdit()->selectAll();
    QTest::keyClicks(dialog->urlEdit(), m_sandbox.baseUrl().toString());
    QTRY_VERIFY(dialog->saveButton()->isEnabled());
    QTest::mouseClick(dialog->saveButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!dialog || !dialog->isVisible(), kLong);
    const auto imported = c.profiles.findByName(TokenImport::defaultProfileName());
    QVERIFY(imported);
    QVERIFY(waitForSession(c, imported->id));
    QCOMPARE(topLevelNames(c), QStringList { QStringLiteral("Beta") }); // the token's workspace
    QVERIFY(!TokenImport::shouldOffer(kTokenB, false, c.profiles));

    // The token is in the keychain under the new profile.
    SecretStore secrets(kKeychainService);
    QByteArray stored;
    bool done = false;
    bool removed = false;
    QObject ctx; // gone first: a late answer finds no one
    secrets.read(SecretStore::tokenKey(imported->id), &ctx, [&](const QByteArray &s, const KeychainError &e) {
        if (e.ok())
            stored = s;
        done = true;
    });
    QTRY_VERIFY_WITH_TIMEOUT(done, kLong);
    QCOMPARE(stored, kTokenB);

    // Leave the two profiles the other tests count on.
    done = false;
    c.sessions.removeProfile(imported->id, &ctx, [&](bool r, const KeychainError &) {
        removed = r;
        done = true;
    });
    QTRY_VERIFY_WITH_TIMEOUT(done, kLong);
    QVERIFY(removed);
}

// --- the account around the databases (issue 17) --------------------------------------------------

void TestWindowFlows::planBannerWhileUsageIsBlocked()
{
    const auto me = await<Me>([&](auto cb) { m_clientA->me(&m_ctx, cb); });
    QVERIFY(me.ok() && me.value().workspace);
    const QString alpha = me.value().workspace->id;
    // Whatever happens below, Alpha's databases accept logins again for the other flows.
    const auto unblock = qScopeGuard([&] {
        setSandboxSubscription(m_sandbox.baseUrl(), alpha, QJsonObject { { QStringLiteral("usageBlocked"), false } });
    });
    QVERIFY(setSandboxSubscription(m_sandbox.baseUrl(), alpha,
        QJsonObject {
            { QStringLiteral("planName"), QStringLiteral("Starter") }, { QStringLiteral("usageBlocked"), false } }));

    OPEN_CONSOLE(c);
    c.core.subscriptions.setInterval(std::chrono::milliseconds(300));
    PlanBanner *banner = c.window.planBanner();
    QTRY_VERIFY_WITH_TIMEOUT(c.core.subscriptions.subscription(alpha).has_value(), kLong);
    QVERIFY(!banner->isVisible());
    // The workspace's details name its plan.
    QVERIFY(c.window.selectId(alpha));
    QTRY_COMPARE_WITH_TIMEOUT(
        detailRows(c.window.detailsPane()).value(QStringLiteral("Plan:")), QStringLiteral("Starter"), kLong);

    // Blocked: the banner comes with the next check (the timer's), in plain words.
    QVERIFY(
        setSandboxSubscription(m_sandbox.baseUrl(), alpha, QJsonObject { { QStringLiteral("usageBlocked"), true } }));
    QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible(), kLong);
    QCOMPARE(banner->text(),
        QStringLiteral("Usage of workspace “Alpha” is blocked on its Starter plan: its databases refuse queries "
                       "until the plan changes. Upgrade the plan, or wait for the next billing period."));
    const auto sub = await<Subscription>([&](auto cb) { m_clientA->subscription(alpha, &m_ctx, cb); });
    QVERIFY(sub.ok());
    QCOMPARE(banner->upgradeUrl(), sub.value().upgradeUrl);
    QVERIFY(banner->upgradeButton()->isVisible());
    c.window.treeView()->setCurrentIndex({});
    QVERIFY(c.window.selectId(alpha));
    QTRY_COMPARE_WITH_TIMEOUT(detailRows(c.window.detailsPane()).value(QStringLiteral("Plan:")),
        QStringLiteral("Starter (usage blocked: its databases refuse queries)"), kLong);

    // Lifted: the banner goes by itself.
    QVERIFY(
        setSandboxSubscription(m_sandbox.baseUrl(), alpha, QJsonObject { { QStringLiteral("usageBlocked"), false } }));
    QTRY_VERIFY_WITH_TIMEOUT(!banner->isVisible(), kLong);

    // With the timer far off, Refresh (F5) is what shows a new block at once.
    c.core.subscriptions.setInterval(std::chrono::hours(1));
    QVERIFY(
        setSandboxSubscription(m_sandbox.baseUrl(), alpha, QJsonObject { { QStringLiteral("usageBlocked"), true } }));
    QTest::qWait(500);
    QVERIFY2(!banner->isVisible(), "nothing asked again yet");
    c.window.treeView()->setFocus();
    QVERIFY(pressKey(c, c.window.treeView(), Qt::Key_F5));
    QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible(), kLong);
}

void TestWindowFlows::renameInPlace()
{
    QString why;
    const auto project = createProject(QStringLiteral("ren-shop"), &why);
    QVERIFY2(project, qPrintable(why));
    const auto db = createDatabase(project->id, QStringLiteral("ren-reporting"), &why);
    QVERIFY2(db, qPrintable(why));
    // Ready first: while it provisions the tree polls it, and a poll would bring the new name too.
    QVERIFY(waitUntilReady(db->id));
    OPEN_CONSOLE(c);
    QVERIFY(expandPath(c, { project->id }));
    ResourceTreeView *tree = c.window.treeView();
    const auto editor = [tree]() -> QLineEdit * {
        for (QLineEdit *e : tree->viewport()->findChildren<QLineEdit *>())
            if (e->isVisible())
                return e;
        return nullptr;
    };
    const auto nameOf
        = [&](const QString &id) { return c.model.indexOf(id).data(ResourceTreeModel::NameRole).toString(); };

    // F2 on the database opens the editor on its name.
    QVERIFY(c.window.selectId(db->id));
    tree->setFocus();
    QVERIFY(pressKey(c, tree, Qt::Key_F2));
    QTRY_VERIFY_WITH_TIMEOUT(editor(), kLong);
    QCOMPARE(editor()->text(), QStringLiteral("ren-reporting"));

    // An empty name is refused as at creation: the editor opens again, the status says why.
    // (The delegate commits and closes its editor from the event loop, after the key.)
    QPointer<QLineEdit> refused = editor();
    refused->clear();
    QTest::keyClick(refused, Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(
        c.window.statusBar()->currentMessage(), QStringLiteral("Not renamed: Enter a name."), kLong);
    QTRY_VERIFY_WITH_TIMEOUT(editor() && editor() != refused, kLong);
    QCOMPARE(editor()->text(), QString());
    QCOMPARE(c.workflows.running(), 0);

    // A good name: the row keeps the old one until the service answered.
    QVERIFY(setSandboxFaults(m_sandbox.baseUrl(), QJsonObject { { QStringLiteral("latencyMs"), 800 } }));
    QTest::keyClicks(editor(), QStringLiteral("ren-analytics"));
    QTest::keyClick(editor(), Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(c.workflows.running(), 1, kLong);
    QCOMPARE(nameOf(db->id), QStringLiteral("ren-reporting"));
    QTRY_COMPARE_WITH_TIMEOUT(nameOf(db->id), QStringLiteral("ren-analytics"), kLong);
    QVERIFY(clearSandboxFaults(m_sandbox.baseUrl()));
    const auto fresh = await<Database>([&](auto cb) { m_clientA->getDatabase(db->id, &m_ctx, cb); });
    QVERIFY(fresh.ok());
    QCOMPARE(fresh.value().name, QStringLiteral("ren-analytics"));
    QTRY_COMPARE_WITH_TIMEOUT(detailsTitle(c.window.detailsPane()), QStringLiteral("Database ren-analytics"), kLong);

    // The project, from the menu's Rename.
    QVERIFY(c.window.selectId(project->id));
    QVERIFY(c.window.actions()->rename->isEnabled());
    c.window.actions()->rename->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(editor(), kLong);
    editor()->selectAll();
    QTest::keyClicks(editor(), QStringLiteral("ren-store"));
    QTest::keyClick(editor(), Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(nameOf(project->id), QStringLiteral("ren-store"), kLong);
    const auto renamed = await<Project>([&](auto cb) { m_clientA->getProject(project->id, &m_ctx, cb); });
    QVERIFY(renamed.ok());
    QCOMPARE(renamed.value().name, QStringLiteral("ren-store"));

    // Connections and workspaces have no name to edit here.
    QVERIFY(expandAndWait(c, db->id));
    QVERIFY(c.window.selectId(db->connections.front().id));
    QVERIFY(!c.window.actions()->rename->isEnabled());
}

void TestWindowFlows::transferMovesTheProject()
{
    QString why;
    const auto project = createProject(QStringLiteral("xfer-shop"), &why);
    QVERIFY2(project, qPrintable(why));
    // A project moves only once its databases are ready (409 before: the sandbox provisions for 4 s).
    QVERIFY(waitUntilReady(project->database->id));
    OPEN_CONSOLE(c);
    QVERIFY(c.window.selectId(project->id));

    // The dialog offers the other profile, and moves nothing until the name is typed.
    QString offered;
    bool enabledBeforeTyping = true;
    auto seen = answerModal<TransferDialog>([&](TransferDialog *d) {
        for (int i = 0; i < d->destinationBox()->count(); ++i)
            offered += d->destinationBox()->itemText(i) + u';';
        d->destinationBox()->setCurrentIndex(d->destinationBox()->findText(kProfileB));
        enabledBeforeTyping = d->transferButton()->isEnabled();
        QTest::keyClicks(d->nameEdit(), QStringLiteral("xfer-shop"));
        QTest::mouseClick(d->transferButton(), Qt::LeftButton);
    });
    c.window.actions()->transferProject->trigger();
    QVERIFY(seen->answered);
    QCOMPARE(offered, kProfileB + u';');
    QVERIFY(!enabledBeforeTyping);

    // It leaves Alpha's tree after the 204, and Beta's token sees it, Alpha's no longer.
    QTRY_VERIFY_WITH_TIMEOUT(!c.model.indexOf(project->id).isValid(), kLong);
    QCOMPARE(lastActivityState(c.activity), ActivityModel::State::Succeeded);
    const auto inBeta = await<Project>([&](auto cb) { m_clientB->getProject(project->id, &m_ctx, cb); });
    QVERIFY2(inBeta.ok(), qPrintable(inBeta.error().userMessage()));
    const auto inAlpha = await<Project>([&](auto cb) { m_clientA->getProject(project->id, &m_ctx, cb); });
    QVERIFY(!inAlpha.ok());
    QCOMPARE(inAlpha.error().httpStatus, 404);

    // Beta's tree lists it.
    QVERIFY(pressKey(c, &c.window, Qt::Key_2, Qt::ControlModifier));
    QVERIFY(waitForSession(c, m_profileB));
    QTRY_VERIFY_WITH_TIMEOUT(c.model.indexOf(project->id).isValid(), kLong);
}

// --- View > All Profiles ------------------------------------------------------------------------

QString TestWindowFlows::saveProfile(const QString &name, const QByteArray &token, const QColor &color)
{
    Profile profile;
    profile.name = name;
    profile.apiUrl = m_sandbox.baseUrl();
    profile.color = color;
    QString error;
    const auto saved = saveTestProfile(m_ini, kKeychainService, profile, token, &error, kLong);
    if (!saved)
        qWarning("profile %s not saved: %s", qPrintable(name), qPrintable(error));
    return saved ? saved->id : QString();
}

void TestWindowFlows::allProfilesActsWithEachProfilesToken()
{
    // Two more profiles: one whose token the service refuses, one without a token in the keychain
    // (what a locked keyring looks like to a reader: EntryNotFound). Removed again at the end.
    const QColor refusedColor(QStringLiteral("#c2185b"));
    const QString refused = saveProfile(QStringLiteral("Flows Refused"), "ppg-flows-token-unknown", refusedColor);
    const QString noToken = saveProfile(QStringLiteral("Flows No Token"), {}, QColor(QStringLiteral("#2e7d32")));
    QVERIFY(!refused.isEmpty() && !noToken.isEmpty());
    auto removeExtra = qScopeGuard([&] {
        ProfileStore profiles(m_ini);
        SecretStore secrets(kKeychainService);
        SessionManager sessions(&profiles, &secrets);
        int removed = 0;
        for (const QString &id : { refused, noToken })
            sessions.removeProfile(id, &m_ctx, [&](bool, const KeychainError &) { ++removed; });
        if (!QTest::qWaitFor([&] { return removed == 2; }, kLong))
            qWarning("the extra profiles were not removed");
    });
    // A database in each workspace, below a level the tree has not loaded: search must find both.
    QString why;
    CreateProjectRequest inBeta;
    inBeta.name = QStringLiteral("all-beta-shop");
    const auto betaProject = await<Project>([&](auto cb) { m_clientB->createProject(inBeta, &m_ctx, cb); });
    QVERIFY2(betaProject.ok(), qPrintable(betaProject.error().userMessage()));
    CreateDatabaseRequest needle;
    needle.name = QStringLiteral("needle-beta-db");
    const auto betaNeedle
        = await<Database>([&](auto cb) { m_clientB->createDatabase(betaProject.value().id, needle, &m_ctx, cb); });
    QVERIFY2(betaNeedle.ok(), qPrintable(betaNeedle.error().userMessage()));
    const auto alphaProject = createProject(QStringLiteral("all-alpha-shop"), &why);
    QVERIFY2(alphaProject, qPrintable(why));
    const auto alphaNeedle = createDatabase(alphaProject->id, QStringLiteral("needle-alpha-db"), &why);
    QVERIFY2(alphaNeedle, qPrintable(why));

    OPEN_CONSOLE(c);
    QCOMPARE(c.model.rowCount(), 1); // the single-profile view is the default

    // Ctrl+Shift+A: one top-level node per profile, in the profiles' order.
    QVERIFY(pressKey(c, &c.window, Qt::Key_A, Qt::ControlModifier | Qt::ShiftModifier));
    QVERIFY(c.window.actions()->allProfiles->isChecked());
    const auto topNames = [&] {
        QStringList names;
        for (int r = 0; r < c.model.rowCount(); ++r)
            names << c.model.index(r, 0).data().toString();
        return names;
    };
    const QStringList expected { QStringLiteral("Alpha"), QStringLiteral("Beta"), QStringLiteral("Flows Refused"),
        QStringLiteral("Flows No Token") };
    QTRY_COMPARE_WITH_TIMEOUT(topNames(), expected, kLong);
    const QModelIndex alpha = c.model.index(0, 0);
    const QModelIndex beta = c.model.index(1, 0);
    QCOMPARE(c.model.profileIdOf(alpha), m_profileA);
    QCOMPARE(c.model.profileIdOf(beta), m_profileB);
    QCOMPARE(c.model.index(2, 0).data(ResourceTreeModel::ProfileColorRole).value<QColor>(), refusedColor);
    QCOMPARE(c.model.index(1, ResourceTreeModel::StatusColumn).data().toString(),
        QStringLiteral("Profile “%1”").arg(kProfileB));

    // The refused token and the missing one: an error row on their own node, and no other held up.
    const auto errorUnder = [&](int row) {
        const QModelIndex node = c.model.index(row, 0);
        const QModelIndex first = c.model.index(0, 0, node);
        return c.model.rowCount(node) == 1 ? first.data(ResourceTreeModel::ErrorRole).toString() : QString();
    };
    QTRY_VERIFY_WITH_TIMEOUT(errorUnder(2).contains(QStringLiteral("token was refused")), kLong);
    QVERIFY2(
        errorUnder(3).contains(QStringLiteral("keyring is locked or the token is missing")), qPrintable(errorUnder(3)));
    QVERIFY(waitForLevel(c.model, alpha, kLong));
    QVERIFY(waitForLevel(c.model, beta, kLong));
    QVERIFY(c.model.indexOf(alphaProject->id).parent() == alpha);
    QVERIFY(c.model.indexOf(betaProject.value().id).parent() == beta);

    // An action on a node runs with that node's profile: Ctrl+N on Beta's workspace creates the
    // project in Beta's workspace (Alpha's token could not), then on Alpha's in Alpha's.
    QSignalSpy succeeded(&c.workflows, &ResourceWorkflows::succeeded);
    QSignalSpy failed(&c.workflows, &ResourceWorkflows::failed);
    const auto createIn = [&](const QModelIndex &workspace, const QString &name) -> QString {
        if (!c.window.selectId(workspace.data(ResourceTreeModel::IdRole).toString())
            || !pressKey(c, &c.window, Qt::Key_N, Qt::ControlModifier))
            return {};
        auto *dialog = visibleDialog<CreateResourceDialog>(&c.window);
        if (!dialog)
            return {};
        const qsizetype before = succeeded.size() + failed.size();
        QTest::keyClicks(dialog->nameEdit(), name);
        QTest::mouseClick(dialog->createButton(), Qt::LeftButton);
        if (!QTest::qWaitFor([&] { return succeeded.size() + failed.size() > before; }, kLong) || failed.size())
            return {};
        if (!QTest::qWaitFor([&] { return visibleDialog<ConnectionStringDialog>(&c.window) != nullptr; }, kLong))
            return {}; // the default database's connection string is shown once
        closeDialogs<ConnectionStringDialog>(&c.window);
        return succeeded.last().at(1).toString();
    };
    const QString madeInBeta = createIn(beta, QStringLiteral("all-made-in-beta"));
    QVERIFY2(!madeInBeta.isEmpty(),
        failed.isEmpty() ? "no project" : qPrintable(failed.last().at(1).value<ApiError>().userMessage()));
    QCOMPARE(c.sessions.session()->profile().id, m_profileB); // the node's profile acted
    QVERIFY(await<Project>([&](auto cb) { m_clientB->getProject(madeInBeta, &m_ctx, cb); }).ok());
    QCOMPARE(await<Project>([&](auto cb) { m_clientA->getProject(madeInBeta, &m_ctx, cb); }).error().httpStatus, 404);
    QCOMPARE(c.model.indexOf(madeInBeta).parent(), c.model.index(1, 0));
    const QString madeInAlpha = createIn(c.model.index(0, 0), QStringLiteral("all-made-in-alpha"));
    QVERIFY(!madeInAlpha.isEmpty());
    QCOMPARE(c.sessions.session()->profile().id, m_profileA);
    QVERIFY(await<Project>([&](auto cb) { m_clientA->getProject(madeInAlpha, &m_ctx, cb); }).ok());
    QCOMPARE(c.model.indexOf(madeInAlpha).parent(), c.model.index(0, 0));

    // A profile whose token failed offers no action on its node.
    QVERIFY(c.window.treeView()->selectionModel());
    const QModelIndex refusedNode
        = qobject_cast<QAbstractProxyModel *>(c.window.treeView()->model())->mapFromSource(c.model.index(2, 0));
    c.window.treeView()->setCurrentIndex(refusedNode);
    QVERIFY(!c.window.actions()->newInContext->isEnabled());
    QVERIFY(!c.window.actions()->serviceTokens->isEnabled());

    // Search covers every profile: databases of both workspaces that were never expanded.
    const auto visibleIds = [&] {
        QStringList ids;
        const QAbstractItemModel *m = c.window.treeView()->model();
        std::function<void(const QModelIndex &)> walk = [&](const QModelIndex &parent) {
            for (int r = 0; r < m->rowCount(parent); ++r) {
                const QModelIndex i = m->index(r, 0, parent);
                ids << i.data(ResourceTreeModel::IdRole).toString();
                walk(i);
            }
        };
        walk({});
        return ids;
    };
    c.window.searchBox()->setText(QStringLiteral("needle-"));
    QTRY_VERIFY_WITH_TIMEOUT(
        visibleIds().contains(betaNeedle.value().id) && visibleIds().contains(alphaNeedle->id), kLong);
    c.window.searchBox()->clear();

    // An answer that comes after another profile's node was selected is kept for the profile whose
    // session asked (Beta's vault), not for the one acting by then.
    QVERIFY(c.window.selectId(betaNeedle.value().id));
    QCOMPARE(c.sessions.session()->profile().id, m_profileB);
    QSignalSpy issued(&c.workflows, &ResourceWorkflows::connectionStringIssued);
    QVERIFY(setSandboxFaults(m_sandbox.baseUrl(), QJsonObject { { QStringLiteral("latencyMs"), 1500 } }));
    c.workflows.createConnection(betaNeedle.value().id, QStringLiteral("late-answer"));
    QVERIFY(c.window.selectId(madeInAlpha));
    QCOMPARE(c.sessions.session()->profile().id, m_profileA);
    QVERIFY(issued.isEmpty()); // still on its way
    QTRY_COMPARE_WITH_TIMEOUT(issued.size(), 1, kLong);
    QVERIFY(clearSandboxFaults(m_sandbox.baseUrl()));
    const QString lateId = issued.first().at(1).value<Connection>().id;
    QTRY_VERIFY_WITH_TIMEOUT(c.sessions.vault()->has(m_profileB, lateId), kLong);
    QVERIFY(!c.sessions.vault()->has(m_profileA, lateId));
    QTRY_VERIFY_WITH_TIMEOUT(visibleDialog<ConnectionStringDialog>(&c.window), kLong);
    closeDialogs<ConnectionStringDialog>(&c.window);

    // Off again: the profile of the node last selected, alone.
    QVERIFY(c.window.selectId(madeInBeta));
    QCOMPARE(c.sessions.session()->profile().id, m_profileB);
    QVERIFY(pressKey(c, &c.window, Qt::Key_A, Qt::ControlModifier | Qt::ShiftModifier));
    QVERIFY(!c.window.actions()->allProfiles->isChecked());
    QVERIFY(waitForSession(c, m_profileB));
    QCOMPARE(topNames(), QStringList { QStringLiteral("Beta") });
}

QTEST_MAIN(TestWindowFlows)
#include "tst_windowflows.moc"

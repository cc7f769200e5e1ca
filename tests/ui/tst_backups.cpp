// Backups from the window, offscreen, against a real ppg-sandbox and a real keychain: the details
// pane lists a database's backups (time, size in human units, type, status, retention) or says
// when they are taken; Restore into a New Database (Ctrl+Shift+B), Restore in Place (refused while
// the database is protected, confirmed by typing its name) and Clone (Ctrl+Shift+L) are driven
// through their dialogs, and the data is checked with libpq: a row written before the backup, in
// a table dropped after it, is in the new database, back in the original one (through its old
// connection string) and in the clone. The activity list shows each operation until the database
// is ready.
#include "activitymodel.h"
#include "await.h"
#include "backupcontroller.h"
#include "consoleactions.h"
#include "consolewindow.h"
#include "deleteprotection.h"
#include "detailspane.h"
#include "mainwindow.h"
#include "profilesetup.h"
#include "profilestore.h"
#include "resourcetreemodel.h"
#include "resourceworkflows.h"
#include "restoredialog.h"
#include "sandboxprocess.h"
#include "secretstore.h"
#include "sessionmanager.h"
#include "treeload.h"

#include <QAction>
#include <QComboBox>
#include <QEventLoop>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>
#include <QTreeWidget>

#include <tuple>

namespace {
const QByteArray kToken = "ppg-test-token-backups";

QString directString(const Connection &c)
{
    return c.direct ? c.direct->connectionString : QString();
}
} // namespace

struct Console : ConsoleWindow
{
    explicit Console(const QString &ini) : ConsoleWindow(ini, QStringLiteral("ppg-console-test-backups"))
    {
        model.setLoadingRowDelay(50);
        model.setPollInterval(150);
    }
};

class TestBackups : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void detailsListBackups();
    void restoreIntoNewDatabase();
    void restoreInPlace();
    void cloneDatabase();

private:
    bool open(Console &c);
    bool showDatabase(Console &c, const QString &id);
    Backup takeBackup(const QString &databaseId);
    RestoreDialog *dialog(Console &c);
    QString newDatabaseRow(Console &c, QSignalSpy &succeeded, QSignalSpy &settled);

    QTemporaryDir m_home;
    SandboxProcess m_sandbox;
    std::unique_ptr<ApiClient> m_client;
    QObject m_ctx;
    QString m_profileId;
    std::unique_ptr<Console> m_console;
    QString m_projectId, m_dbId, m_emptyDbId, m_connectionString;
    Backup m_backup;
};

void TestBackups::initTestCase()
{
    QVERIFY(m_home.isValid());
    qputenv("XDG_CONFIG_HOME", m_home.filePath(QStringLiteral("config")).toUtf8());
    QCoreApplication::setOrganizationName(QStringLiteral("ppg-console-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_backups"));
    QSettings::setDefaultFormat(QSettings::IniFormat);

    SandboxProcess::Options o;
    o.tokens = { QString::fromLatin1(kToken) + QStringLiteral("=Acme") };
    o.extraArgs = { QStringLiteral("--provisioning-ms"), QStringLiteral("300") };
    QVERIFY2(m_sandbox.start(o), qPrintable(m_sandbox.errorString()));
    m_client = std::make_unique<ApiClient>(m_sandbox.baseUrl(), kToken);
    CreateProjectRequest shop;
    shop.name = QStringLiteral("shop");
    shop.region = QStringLiteral("eu-west-3");
    auto p = await<Project>([&](auto cb) { m_client->createProject(shop, &m_ctx, cb); });
    QVERIFY(p.ok());
    m_projectId = p.value().id;
    m_dbId = p.value().database->id;
    m_connectionString = directString(p.value().database->connections.front());
    QVERIFY(!m_connectionString.isEmpty());
    CreateDatabaseRequest empty;
    empty.name = QStringLiteral("empty");
    auto e = await<Database>([&](auto cb) { m_client->createDatabase(m_projectId, empty, &m_ctx, cb); });
    QVERIFY(e.ok());
    m_emptyDbId = e.value().id;
    QString error;
    QVERIFY2(SandboxProcess::querySql(m_connectionString,
                 QStringLiteral("CREATE TABLE orders(item text); INSERT INTO orders VALUES ('kept'); SELECT 1"), &error)
                 .isValid(),
        qPrintable(error));
    QTest::qWait(400); // past provisioning
    m_backup = takeBackup(m_dbId);
    QCOMPARE(m_backup.status, Backup::Status::Completed);
    QVERIFY(SandboxProcess::querySql(m_connectionString, QStringLiteral("DROP TABLE orders; SELECT 1")).isValid());

    Profile profile;
    profile.name = QStringLiteral("Acme (backups)");
    profile.apiUrl = m_sandbox.baseUrl();
    QString saveError;
    const auto saved = saveTestProfile(
        QSettings().fileName(), QStringLiteral("ppg-console-test-backups"), profile, kToken, &saveError);
    QVERIFY2(saved, qPrintable(saveError));
    m_profileId = saved->id;
}

// A backup through the sandbox's control route, once the list shows it completed.
Backup TestBackups::takeBackup(const QString &databaseId)
{
    QNetworkAccessManager nam;
    QNetworkReply *reply = nam.post(QNetworkRequest(m_sandbox.baseUrl().resolved(
                                        QUrl(QStringLiteral("/_sandbox/databases/%1/backups").arg(databaseId)))),
        QByteArray());
    QEventLoop loop;
    connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    reply->deleteLater();
    Backup out;
    std::ignore = QTest::qWaitFor(
        [&] {
            auto list = await<BackupList>([&](auto cb) { m_client->listBackups(databaseId, 0, &m_ctx, cb); });
            if (list.ok() && !list.value().items.empty())
                out = list.value().items.front();
            return out.status == Backup::Status::Completed;
        },
        30000);
    return out;
}

void TestBackups::init()
{
    m_console = std::make_unique<Console>(QSettings().fileName());
    QVERIFY(open(*m_console));
}

void TestBackups::cleanup()
{
    if (m_console)
        m_console->window.close();
    m_console.reset();
}

bool TestBackups::open(Console &c)
{
    bool ready = false;
    c.window.whenFirstLevelsLoaded([&ready] { ready = true; });
    c.window.show();
    c.sessions.activate(m_profileId);
    return QTest::qWaitFor([&ready] { return ready; }, 20000);
}

// Opens the project and selects the database; waits until the pane has listed its backups.
bool TestBackups::showDatabase(Console &c, const QString &id)
{
    if (!c.window.selectId(m_projectId))
        return false;
    c.window.treeView()->expand(c.window.treeView()->currentIndex());
    if (!waitForLevel(c.model, c.model.indexOf(m_projectId)))
        return false;
    QSignalSpy loaded(c.window.detailsPane(), &DetailsPane::backupsLoaded);
    if (!c.window.selectId(id))
        return false;
    return loaded.wait(20000) || !loaded.isEmpty();
}

RestoreDialog *TestBackups::dialog(Console &c)
{
    RestoreDialog *d = nullptr;
    std::ignore = QTest::qWaitFor(
        [&] {
            d = c.window.findChild<RestoreDialog *>(QStringLiteral("restoreDialog"));
            return d && d->isVisible();
        },
        10000);
    return d;
}

// The database a restore or clone made: succeeded names it, the tree selects it, and it settles.
QString TestBackups::newDatabaseRow(Console &c, QSignalSpy &succeeded, QSignalSpy &settled)
{
    if (!QTest::qWaitFor([&] { return !succeeded.isEmpty(); }, 20000))
        return {};
    const QString id = succeeded.first().at(1).toString();
    if (!QTest::qWaitFor([&] { return !settled.isEmpty(); }, 30000) || !settled.first().at(2).toBool())
        return {};
    if (c.window.currentSourceIndex().data(ResourceTreeModel::IdRole).toString() != id)
        return QStringLiteral("not selected");
    return id;
}

void TestBackups::detailsListBackups()
{
    Console &c = *m_console;
    QVERIFY(showDatabase(c, m_dbId));
    QTreeWidget *list = c.window.detailsPane()->backupList();
    QVERIFY(list->isVisible());
    QCOMPARE(list->topLevelItemCount(), 1);
    const QTreeWidgetItem *row = list->topLevelItem(0);
    QVERIFY2(row->text(0).endsWith(QLatin1String("\njust now")) || row->text(0).contains(QLatin1String("minute")),
        qPrintable(row->text(0)));
    QCOMPARE(row->text(1), QLocale().formattedDataSize(qint64(*m_backup.size)));
    QCOMPARE(row->text(2), QStringLiteral("full"));
    QCOMPARE(row->text(3), QStringLiteral("completed"));
    QVERIFY(c.window.detailsPane()->findChildren<QLabel *>().size() > 0);
    bool retention = false;
    for (const QLabel *l : c.window.detailsPane()->findChildren<QLabel *>())
        retention = retention || l->text().contains(QLatin1String("keeps each for 7 day"));
    QVERIFY(retention);

    // A database without backups says when they come.
    QVERIFY(showDatabase(c, m_emptyDbId));
    QVERIFY(!list->isVisible());
    bool explained = false;
    for (const QLabel *l : c.window.detailsPane()->findChildren<QLabel *>())
        explained = explained || (l->isVisible() && l->text().startsWith(QLatin1String("No backups yet.")));
    QVERIFY(explained);
    // Ctrl+B brings the backup list into focus.
    QVERIFY(showDatabase(c, m_dbId));
    QTest::keyClick(&c.window, Qt::Key_B, Qt::ControlModifier);
    QVERIFY(list->hasFocus());
}

void TestBackups::restoreIntoNewDatabase()
{
    Console &c = *m_console;
    QVERIFY(showDatabase(c, m_dbId));
    QSignalSpy succeeded(&c.workflows, &ResourceWorkflows::succeeded);
    QSignalSpy settled(&c.workflows, &ResourceWorkflows::settled);
    QSignalSpy issued(&c.workflows, &ResourceWorkflows::connectionStringIssued);
    c.window.treeView()->setFocus();
    QTest::keyClick(c.window.treeView(), Qt::Key_B, Qt::ControlModifier | Qt::ShiftModifier);
    RestoreDialog *d = dialog(c);
    QVERIFY(d);
    QCOMPARE(d->backupCombo()->currentData().toString(), m_backup.id);
    QVERIFY2(d->nameEdit()->text().startsWith(QLatin1String("shop (restored ")), qPrintable(d->nameEdit()->text()));
    QCOMPARE(d->region(), QStringLiteral("eu-west-3"));
    QVERIFY(d->okButton()->isEnabled());
    d->nameEdit()->setText(QStringLiteral("shop restored"));
    QTest::mouseClick(d->okButton(), Qt::LeftButton);

    const QString id = newDatabaseRow(c, succeeded, settled);
    QVERIFY2(id.startsWith(QLatin1String("db_")), qPrintable(id));
    const QModelIndex row = c.model.indexOf(id);
    QCOMPARE(c.model.database(row)->name, QStringLiteral("shop restored"));
    QCOMPARE(c.model.database(row)->status, Database::Status::Ready);
    QCOMPARE(c.model.database(row)->region->id, QStringLiteral("eu-west-3"));
    // The activity list kept the operation running until the database was ready.
    const int last = c.activity.rowCount() - 1;
    QVERIFY(c.activity.index(last, ActivityModel::DescriptionColumn)
                .data()
                .toString()
                .startsWith(QStringLiteral("Restore a backup of “shop” into new database")));
    QCOMPARE(c.activity.index(last, 0).data(ActivityModel::StateRole).value<ActivityModel::State>(),
        ActivityModel::State::Succeeded);
    const QString duration = c.activity.index(last, ActivityModel::DurationColumn).data().toString();
    QVERIFY2(duration.endsWith(QLatin1String(" ms")) || duration.endsWith(QLatin1String(" s")), qPrintable(duration));
    // The data is there, through the new database's own connection string.
    QVERIFY(!issued.isEmpty());
    const QString cs = directString(issued.last().at(1).value<Connection>());
    QString error;
    QCOMPARE(SandboxProcess::querySql(cs, QStringLiteral("SELECT item FROM orders"), &error).toString(),
        QStringLiteral("kept"));
    // The original is untouched: its table is still gone.
    QVERIFY(!SandboxProcess::querySql(m_connectionString, QStringLiteral("SELECT item FROM orders")).isValid());
}

void TestBackups::restoreInPlace()
{
    Console &c = *m_console;
    QVERIFY(showDatabase(c, m_dbId));
    ConsoleActions *a = c.window.actions();
    // Protected: the action is refused and says why; nothing opens.
    QVERIFY(c.model.isProtected(c.model.indexOf(m_dbId)));
    QVERIFY(!a->restoreInPlace->isEnabled());
    QVERIFY2(
        a->restoreInPlace->toolTip().contains(QLatin1String("Protected")), qPrintable(a->restoreInPlace->toolTip()));
    a->restoreInPlace->trigger();
    QTest::qWait(100);
    QVERIFY(!c.window.findChild<RestoreDialog *>(QStringLiteral("restoreDialog")));

    // Protection lifted: the dialog says what is overwritten and waits for the typed name.
    c.window.protectAction()->trigger();
    QVERIFY(!c.model.isProtected(c.model.indexOf(m_dbId)));
    QVERIFY(a->restoreInPlace->isEnabled());
    a->restoreInPlace->trigger();
    RestoreDialog *d = dialog(c);
    QVERIFY(d);
    QVERIFY(!d->nameEdit());
    bool overwritten = false, credentials = false;
    for (const QLabel *l : d->findChildren<QLabel *>()) {
        overwritten = overwritten || l->text().contains(QLatin1String("is replaced by the backup"));
        credentials = credentials || l->text().contains(QLatin1String("keep their connection strings and credentials"));
    }
    QVERIFY(overwritten && credentials);
    QVERIFY(!d->okButton()->isEnabled());
    QTest::keyClicks(d->confirmEdit(), QStringLiteral("sho"));
    QVERIFY(!d->okButton()->isEnabled());
    QTest::keyClicks(d->confirmEdit(), QStringLiteral("p"));
    QVERIFY(d->okButton()->isEnabled());
    QSignalSpy settled(&c.workflows, &ResourceWorkflows::settled);
    QTest::mouseClick(d->okButton(), Qt::LeftButton);
    // Recovering in the tree, polled until ready.
    QTRY_COMPARE_WITH_TIMEOUT(c.model.database(c.model.indexOf(m_dbId))->status, Database::Status::Recovering, 20000);
    QVERIFY(!a->restoreInPlace->isEnabled()); // busy
    QTRY_COMPARE_WITH_TIMEOUT(settled.size(), 1, 30000);
    QVERIFY(settled.first().at(2).toBool());
    QCOMPARE(c.model.database(c.model.indexOf(m_dbId))->status, Database::Status::Ready);
    // The row is back, through the connection string the database had before.
    QString error;
    QCOMPARE(SandboxProcess::querySql(m_connectionString, QStringLiteral("SELECT item FROM orders"), &error).toString(),
        QStringLiteral("kept"));
    c.window.protectAction()->trigger(); // protected again
    QVERIFY(c.model.isProtected(c.model.indexOf(m_dbId)));
}

void TestBackups::cloneDatabase()
{
    Console &c = *m_console;
    QVERIFY(showDatabase(c, m_dbId));
    // The database as it is now: with a table made just before the clone.
    QString error;
    QVERIFY2(SandboxProcess::querySql(m_connectionString,
                 QStringLiteral("CREATE TABLE IF NOT EXISTS clone_check(item text); INSERT INTO clone_check VALUES "
                                "('copied'); SELECT 1"),
                 &error)
                 .isValid(),
        qPrintable(error));
    QSignalSpy succeeded(&c.workflows, &ResourceWorkflows::succeeded);
    QSignalSpy settled(&c.workflows, &ResourceWorkflows::settled);
    QSignalSpy issued(&c.workflows, &ResourceWorkflows::connectionStringIssued);
    c.window.treeView()->setFocus();
    QTest::keyClick(c.window.treeView(), Qt::Key_L, Qt::ControlModifier | Qt::ShiftModifier);
    RestoreDialog *d = dialog(c);
    QVERIFY(d);
    QVERIFY(!d->backupCombo());
    QCOMPARE(d->nameEdit()->text(), QStringLiteral("shop (clone)"));
    QTest::mouseClick(d->okButton(), Qt::LeftButton);
    const QString id = newDatabaseRow(c, succeeded, settled);
    QVERIFY2(id.startsWith(QLatin1String("db_")), qPrintable(id));
    const QString cs = directString(issued.last().at(1).value<Connection>());
    QCOMPARE(SandboxProcess::querySql(cs, QStringLiteral("SELECT item FROM clone_check"), &error).toString(),
        QStringLiteral("copied"));
}

QTEST_MAIN(TestBackups)
#include "tst_backups.moc"

// Create and tear down through ResourceWorkflows against a real ppg-sandbox, checking after each
// step both the tree (ResourceTreeModel) and the sandbox's PostgreSQL: a node appears only from
// the service's answer and leaves only after the service confirmed the delete; a failed delete
// (a fault injected by the sandbox) leaves the tree and the database as they were.
#include "activitymodel.h"
#include "apiclient.h"
#include "postgreschecks.h"
#include "resourcetreemodel.h"
#include "resourceworkflows.h"
#include "sandboxfaults.h"
#include "sandboxprocess.h"
#include "session.h"
#include "treeload.h"

#include <QAbstractItemModelTester>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>

class TestWorkflows : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void createThenTearDown();
    void failedDeleteLeavesTreeAlone();

private:
    bool waitDone(QSignalSpy &succeeded, QSignalSpy &failed, int before);

    SandboxProcess m_sandbox;
    std::unique_ptr<Session> m_session;
    ResourceTreeModel m_model;
    ActivityModel m_activity;
    std::unique_ptr<ResourceWorkflows> m_workflows;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

void TestWorkflows::initTestCase()
{
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
    Profile p;
    p.name = QStringLiteral("test");
    p.apiUrl = m_sandbox.baseUrl();
    m_session = std::make_unique<Session>(p, "ppg-test-token-a", true);
    m_tester
        = std::make_unique<QAbstractItemModelTester>(&m_model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_model.setClient(m_session->client());
    m_workflows = std::make_unique<ResourceWorkflows>(&m_model, &m_activity);
    m_workflows->setSession(m_session.get());
    QVERIFY(loadLevel(m_model, {}));
    QVERIFY(loadLevel(m_model, m_model.index(0, 0)));
}

bool TestWorkflows::waitDone(QSignalSpy &succeeded, QSignalSpy &failed, int before)
{
    return QTest::qWaitFor([&] { return succeeded.size() + failed.size() > before; }, 30000);
}

void TestWorkflows::createThenTearDown()
{
    QSignalSpy succeeded(m_workflows.get(), &ResourceWorkflows::succeeded);
    QSignalSpy failed(m_workflows.get(), &ResourceWorkflows::failed);
    QSignalSpy issued(m_workflows.get(), &ResourceWorkflows::connectionStringIssued);

    // 1. A project with its default database: in the tree and in PostgreSQL.
    CreateProjectRequest pr;
    pr.name = QStringLiteral("wf-shop");
    m_workflows->createProject(pr);
    QVERIFY(waitDone(succeeded, failed, 0));
    QVERIFY2(
        failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().at(1).value<ApiError>().userMessage()));
    const QString projectId = succeeded.last().at(1).toString();
    QVERIFY(m_model.indexOf(projectId).isValid());
    QCOMPARE(issued.size(), 1); // the default connection's string, shown once
    const QUrl defaultCs(issued.last().at(1).value<Connection>().direct->connectionString);
    QCOMPARE(pgDatabaseCount(m_sandbox, defaultCs.path().mid(1)), 1);
    QCOMPARE(m_activity.rowCount(), 1);
    QCOMPARE(m_activity.data(m_activity.index(0, ActivityModel::StateColumn), ActivityModel::StateRole)
                 .value<ActivityModel::State>(),
        ActivityModel::State::Succeeded);

    QVERIFY(loadLevel(m_model, m_model.indexOf(projectId)));
    QCOMPARE(m_model.rowCount(m_model.indexOf(projectId)), 1);

    // 2. A second database and a connection to it.
    CreateDatabaseRequest dr;
    dr.name = QStringLiteral("wf-reporting");
    m_workflows->createDatabase(projectId, dr);
    QVERIFY(waitDone(succeeded, failed, 1));
    QVERIFY(failed.isEmpty());
    const QString dbId = succeeded.last().at(1).toString();
    const QModelIndex dbIndex = m_model.indexOf(dbId);
    QVERIFY(dbIndex.isValid());
    QCOMPARE(dbIndex.parent(), m_model.indexOf(projectId));
    QVERIFY(loadLevel(m_model, dbIndex));
    m_workflows->createConnection(dbId, QStringLiteral("wf-app"));
    QVERIFY(waitDone(succeeded, failed, 2));
    QVERIFY(failed.isEmpty());
    const QString conId = succeeded.last().at(1).toString();
    QVERIFY(m_model.indexOf(conId).isValid());
    const QUrl cs(issued.last().at(1).value<Connection>().direct->connectionString);
    const QString role = cs.userName();
    const QString pgDb = cs.path().mid(1);
    QCOMPARE(pgRoleCount(m_sandbox, role), 1);

    // 3. Delete the connection: gone from the tree and from PostgreSQL.
    m_workflows->deleteResource(ResourceKind::Connection, conId, QStringLiteral("wf-app"));
    QVERIFY(waitDone(succeeded, failed, 3));
    QVERIFY(failed.isEmpty());
    QVERIFY(!m_model.indexOf(conId).isValid());
    QCOMPARE(pgRoleCount(m_sandbox, role), 0);

    // 4. The database.
    m_workflows->deleteResource(ResourceKind::Database, dbId, QStringLiteral("wf-reporting"));
    QVERIFY(waitDone(succeeded, failed, 4));
    QVERIFY(failed.isEmpty());
    QVERIFY(!m_model.indexOf(dbId).isValid());
    QCOMPARE(pgDatabaseCount(m_sandbox, pgDb), 0);

    // 5. The project, with its default database.
    m_workflows->deleteResource(ResourceKind::Project, projectId, QStringLiteral("wf-shop"));
    QVERIFY(waitDone(succeeded, failed, 5));
    QVERIFY(failed.isEmpty());
    QVERIFY(!m_model.indexOf(projectId).isValid());
    QCOMPARE(pgDatabaseCount(m_sandbox, defaultCs.path().mid(1)), 0);
    QCOMPARE(m_activity.runningCount(), 0);
}

void TestWorkflows::failedDeleteLeavesTreeAlone()
{
    QSignalSpy succeeded(m_workflows.get(), &ResourceWorkflows::succeeded);
    QSignalSpy failed(m_workflows.get(), &ResourceWorkflows::failed);
    QSignalSpy issued(m_workflows.get(), &ResourceWorkflows::connectionStringIssued);
    CreateProjectRequest pr;
    pr.name = QStringLiteral("wf-keep");
    m_workflows->createProject(pr);
    QVERIFY(waitDone(succeeded, failed, 0));
    const QString projectId = succeeded.last().at(1).toString();
    const Connection con = issued.last().at(1).value<Connection>();
    const QString role = QUrl(con.direct->connectionString).userName();
    const int rowsBefore = m_model.rowCount(m_model.index(0, 0));
    // Load the levels down to the connection, so that the checks below look at rows that are
    // really in the tree: the project's databases and the default database's connections.
    QVERIFY(loadLevel(m_model, m_model.indexOf(projectId)));
    const QString dbId = m_model.index(0, 0, m_model.indexOf(projectId)).data(ResourceTreeModel::IdRole).toString();
    QVERIFY(dbId.startsWith(QLatin1String("db_")));
    QVERIFY(loadLevel(m_model, m_model.indexOf(dbId)));
    QVERIFY(m_model.indexOf(con.id).isValid());
    QCOMPARE(m_model.indexOf(con.id).parent(), m_model.indexOf(dbId));
    const int connectionsBefore = m_model.rowCount(m_model.indexOf(dbId));
    QCOMPARE(connectionsBefore, 1);

    ApiClient::Options fast;
    fast.maxAttempts = 2;
    fast.baseBackoff = std::chrono::milliseconds(10);
    m_session->client()->setOptions(fast);
    QVERIFY(setSandboxFaults(m_sandbox.baseUrl(), QJsonDocument::fromJson(R"({"rate5xx": 1.0, "seed": 3})").object()));
    m_workflows->deleteResource(ResourceKind::Connection, con.id, con.name);
    QVERIFY(waitDone(succeeded, failed, 1));
    QVERIFY(setSandboxFaults(m_sandbox.baseUrl(), QJsonDocument::fromJson(R"({"rate5xx": 0})").object()));
    QCOMPARE(failed.size(), 1);
    QCOMPARE(failed.last().at(1).value<ApiError>().kind, ApiError::Kind::Server);
    // Nothing changed: the tree and the database are as they were.
    QCOMPARE(m_model.rowCount(m_model.index(0, 0)), rowsBefore);
    QVERIFY(m_model.indexOf(projectId).isValid());
    QVERIFY(m_model.indexOf(con.id).isValid()); // the connection's row is still there
    QCOMPARE(m_model.rowCount(m_model.indexOf(dbId)), connectionsBefore);
    QCOMPARE(m_model.kind(m_model.indexOf(con.id)), ResourceKind::Connection);
    QCOMPARE(pgRoleCount(m_sandbox, role), 1);
    const int last = m_activity.rowCount() - 1;
    QCOMPARE(m_activity.data(m_activity.index(last, 0), ActivityModel::StateRole).value<ActivityModel::State>(),
        ActivityModel::State::Failed);
    QVERIFY(!m_activity.data(m_activity.index(last, ActivityModel::MessageColumn)).toString().isEmpty());
}

QTEST_GUILESS_MAIN(TestWorkflows)
#include "tst_workflows.moc"

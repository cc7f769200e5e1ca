// ResourceTreeModel against a real ppg-sandbox, under QAbstractItemModelTester the whole time:
// lazy loading level by level, paging (page size 2), server-confirmed inserts and removes,
// refresh, and a session switch that must drop every late reply of the old session; against a
// FakeServer, a cursor that loops.
#include "api/fakeserver.h"
#include "await.h"
#include "resourcefilterproxymodel.h"
#include "resourcetreemodel.h"
#include "sandboxfaults.h"
#include "sandboxprocess.h"
#include "treeload.h"

#include <algorithm>
#include <functional>
#include <optional>

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

class TestResourceTreeModel : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void loadsLevelByLevelInPages();
    void appliesServerConfirmedChanges();
    void refreshReloadsABranch();
    void refreshMergesKeepingRows();
    void loadAllUsesBulkRoutes();
    void connectionsAreTheRowsOnceListed();
    void bulkLoadMatchesLevelByLevel();
    void failedLevelShowsErrorRow();
    void sessionSwitchDropsLateReplies();
    void loopingCursorEndsTheListing();

private:
    QModelIndex find(const ResourceTreeModel &model, const QModelIndex &parent, const QString &name);

    SandboxProcess m_sandbox;
    std::unique_ptr<ApiClient> m_client;
    QStringList m_projectIds;
};

void TestResourceTreeModel::initTestCase()
{
    SandboxProcess::Options o;
    o.tokens = { QStringLiteral("ppg-test-token-a=Acme"), QStringLiteral("ppg-test-token-b=Globex") };
    QVERIFY2(m_sandbox.start(o), qPrintable(m_sandbox.errorString()));
    m_client = std::make_unique<ApiClient>(m_sandbox.baseUrl(), "ppg-test-token-a");
    QObject ctx;
    for (int i = 0; i < 5; ++i) {
        CreateProjectRequest r;
        r.name = QStringLiteral("project %1").arg(i);
        r.createDatabase = i < 2; // two with a default database, three empty
        auto p = await<Project>([&](auto cb) { m_client->createProject(r, &ctx, cb); });
        QVERIFY2(p.ok(), qPrintable(p.error().userMessage()));
        m_projectIds << p.value().id;
    }
}

QModelIndex TestResourceTreeModel::find(const ResourceTreeModel &model, const QModelIndex &parent, const QString &name)
{
    for (int r = 0; r < model.rowCount(parent); ++r) {
        const QModelIndex i = model.index(r, 0, parent);
        if (model.data(i, ResourceTreeModel::SortRole).toString() == name)
            return i;
    }
    return {};
}

void TestResourceTreeModel::loadsLevelByLevelInPages()
{
    ResourceTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setPageSize(2);
    model.setClient(m_client.get());

    QVERIFY(model.fetchState({}) != ResourceTreeModel::FetchState::Fetched); // nothing before it is asked for
    QVERIFY(loadLevel(model, {}));
    QCOMPARE(model.rowCount(), 1); // token A sees its own workspace only
    const QModelIndex ws = model.index(0, 0);
    QCOMPARE(model.kind(ws), ResourceKind::Workspace);
    QCOMPARE(model.data(ws).toString(), QStringLiteral("Acme"));
    QVERIFY(model.hasChildren(ws));

    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QVERIFY(loadLevel(model, ws));
    QCOMPARE(model.rowCount(ws), 5); // 3 pages of 2, in the service's order
    int projectInserts = 0;
    for (const auto &args : inserted)
        projectInserts += args.at(0).toModelIndex() == ws ? 1 : 0;
    QVERIFY2(projectInserts >= 3, "each page is inserted as it arrives");
    for (int i = 0; i < 5; ++i)
        QCOMPARE(model.data(model.index(i, 0, ws), ResourceTreeModel::IdRole).toString(), m_projectIds[i]);

    const QModelIndex p0 = find(model, ws, QStringLiteral("project 0"));
    QVERIFY(loadLevel(model, p0));
    QCOMPARE(model.rowCount(p0), 1);
    const QModelIndex db = model.index(0, 0, p0);
    QCOMPARE(model.kind(db), ResourceKind::Database);
    QVERIFY(model.data(db, ResourceTreeModel::IsDefaultRole).toBool());
    QVERIFY(model.data(db.siblingAtColumn(ResourceTreeModel::StatusColumn)).toString().size() > 0);
    QVERIFY(loadLevel(model, db));
    QCOMPARE(model.rowCount(db), 1);
    QCOMPARE(model.kind(model.index(0, 0, db)), ResourceKind::Connection);
    QVERIFY(!model.hasChildren(model.index(0, 0, db)));

    // An empty project shows the next step instead of nothing.
    const QModelIndex p4 = find(model, ws, QStringLiteral("project 4"));
    QVERIFY(loadLevel(model, p4));
    QCOMPARE(model.rowCount(p4), 1);
    QCOMPARE(model.kind(model.index(0, 0, p4)), ResourceKind::Placeholder);
    QVERIFY(model.data(model.index(0, 0, p4)).toString().contains(QLatin1String("No databases")));
}

void TestResourceTreeModel::appliesServerConfirmedChanges()
{
    ResourceTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setClient(m_client.get());
    QVERIFY(loadLevel(model, {}));
    const QModelIndex ws = model.index(0, 0);
    QVERIFY(loadLevel(model, ws));
    const QModelIndex p3 = find(model, ws, QStringLiteral("project 3"));
    QVERIFY(loadLevel(model, p3));
    QCOMPARE(model.kind(model.index(0, 0, p3)), ResourceKind::Placeholder);

    QObject ctx;
    CreateDatabaseRequest r;
    r.name = QStringLiteral("fresh");
    auto created = await<Database>([&](auto cb) { m_client->createDatabase(m_projectIds[3], r, &ctx, cb); });
    QVERIFY2(created.ok(), qPrintable(created.error().userMessage()));
    const QModelIndex inserted = model.insertDatabase(created.value());
    QVERIFY(inserted.isValid());
    QCOMPARE(model.rowCount(p3), 1); // the empty-state row made way
    QCOMPARE(model.data(inserted, ResourceTreeModel::IdRole).toString(), created.value().id);
    QVERIFY2(!model.database(inserted)->connections.empty(), "connections kept, host and port only");
    for (const Connection &c : model.database(inserted)->connections)
        QVERIFY2(!c.carriesConnectionString(), "the tree never keeps a connection string");

    auto deleted = await<Done>([&](auto cb) { m_client->deleteDatabase(created.value().id, &ctx, cb); });
    QVERIFY(!deleted.ok()); // it is the project's only, hence default, database
    QCOMPARE(deleted.error().kind, ApiError::Kind::Forbidden);
    QCOMPARE(model.rowCount(p3), 1); // nothing removed without the service's confirmation

    model.removeResource(created.value().id);
    QCOMPARE(model.rowCount(p3), 1);
    QCOMPARE(model.kind(model.index(0, 0, p3)), ResourceKind::Placeholder);
    QVERIFY(!model.indexOf(created.value().id).isValid());
}

void TestResourceTreeModel::refreshReloadsABranch()
{
    ResourceTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setClient(m_client.get());
    QVERIFY(loadLevel(model, {}));
    const QModelIndex ws = model.index(0, 0);
    QVERIFY(loadLevel(model, ws));
    const int before = model.rowCount(ws);

    QObject ctx;
    CreateProjectRequest r;
    r.name = QStringLiteral("made elsewhere");
    r.createDatabase = false;
    auto p = await<Project>([&](auto cb) { m_client->createProject(r, &ctx, cb); });
    QVERIFY(p.ok());
    QCOMPARE(model.rowCount(ws), before); // not there until refreshed

    QSignalSpy loaded(&model, &ResourceTreeModel::levelLoaded);
    model.refresh(ws);
    // The workspace's level, not any level: QAbstractItemModelTester's own fetches of project
    // levels may finish first.
    QVERIFY(QTest::qWaitFor(
        [&] {
            return std::any_of(loaded.cbegin(), loaded.cend(),
                [&](const QList<QVariant> &args) { return args.at(0).value<QModelIndex>() == ws; });
        },
        20000));
    QCOMPARE(model.rowCount(ws), before + 1);
    QVERIFY(model.indexOf(p.value().id).isValid());
    auto cleanup = await<Done>([&](auto cb) { m_client->deleteProject(p.value().id, &ctx, cb); });
    QVERIFY(cleanup.ok());
}

void TestResourceTreeModel::refreshMergesKeepingRows()
{
    ResourceTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setClient(m_client.get());
    QVERIFY(loadLevel(model, {}));
    const QModelIndex ws = model.index(0, 0);
    QVERIFY(loadLevel(model, ws));
    const QModelIndex p1 = model.indexOf(m_projectIds[1]);
    QVERIFY(loadLevel(model, p1));
    const QPersistentModelIndex defaultDb = model.index(0, 0, p1);
    QVERIFY(loadLevel(model, defaultDb)); // its connections are loaded too

    // Changes made elsewhere: one database more.
    QObject ctx;
    CreateDatabaseRequest r;
    r.name = QStringLiteral("added elsewhere");
    auto added = await<Database>([&](auto cb) { m_client->createDatabase(m_projectIds[1], r, &ctx, cb); });
    QVERIFY(added.ok());

    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    model.refresh(p1);
    QVERIFY(QTest::qWaitFor([&] { return model.fetchState(p1) == ResourceTreeModel::FetchState::Fetched; }, 20000));
    QVERIFY2(defaultDb.isValid(), "the row the user was on survives a refresh");
    QCOMPARE(model.fetchState(defaultDb), ResourceTreeModel::FetchState::Fetched); // and keeps its loaded level
    QCOMPARE(model.rowCount(p1), 2);
    QVERIFY(model.indexOf(added.value().id).isValid());
    QVERIFY(removed.isEmpty());

    // And one fewer: the refresh removes exactly that row.
    auto gone = await<Done>([&](auto cb) { m_client->deleteDatabase(added.value().id, &ctx, cb); });
    QVERIFY(gone.ok());
    model.refresh(p1);
    QVERIFY(QTest::qWaitFor(
        [&] { return model.fetchState(p1) == ResourceTreeModel::FetchState::Fetched && model.rowCount(p1) == 1; },
        20000));
    QVERIFY(!model.indexOf(added.value().id).isValid());
    QVERIFY(defaultDb.isValid());

    // Refresh everything: the same tree comes back, nothing duplicated.
    const int projects = model.rowCount(ws);
    model.refreshAll();
    QVERIFY(QTest::qWaitFor(
        [&] {
            return model.fetchState(ws) == ResourceTreeModel::FetchState::Fetched
                && model.fetchState(p1) == ResourceTreeModel::FetchState::Fetched
                && model.fetchState({}) == ResourceTreeModel::FetchState::Fetched;
        },
        20000));
    QCOMPARE(model.rowCount(ws), projects);
    QVERIFY(defaultDb.isValid());
}

void TestResourceTreeModel::loadAllUsesBulkRoutes()
{
    ResourceTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    ApiClient client(m_sandbox.baseUrl(), "ppg-test-token-a");
    model.setClient(&client);
    QSignalSpy finished(&model, &ResourceTreeModel::bulkFinished);
    model.loadAll();
    QVERIFY(QTest::qWaitFor([&] { return !finished.isEmpty(); }, 30000));
    QVERIFY(!finished.first().at(0).value<ApiError>().isError());
    // Every project and database level is complete, from three list requests: workspaces,
    // projects and databases (each under 100 items), whatever the number of projects.
    const QModelIndex ws = model.index(0, 0);
    QVERIFY(model.rowCount(ws) >= 5);
    int databases = 0;
    for (int r = 0; r < model.rowCount(ws); ++r) {
        const QPersistentModelIndex p = model.index(r, 0, ws);
        // (A level the tester asked for itself, while the bulk load ran, completes on its own.)
        QTRY_COMPARE(model.fetchState(p), ResourceTreeModel::FetchState::Fetched);
        for (int d = 0; d < model.rowCount(p); ++d) {
            const QPersistentModelIndex db = model.index(d, 0, p);
            if (model.kind(db) != ResourceKind::Database)
                continue;
            ++databases;
            // (QAbstractItemModelTester may have asked for a level itself; it completes too.)
            QTRY_COMPARE(model.fetchState(db), ResourceTreeModel::FetchState::Fetched);
            QVERIFY(model.rowCount(db) >= 1); // connections came with it
            // They became the rows: the database keeps no copy of them.
            QVERIFY(model.database(db)->connections.empty());
            QCOMPARE(model.connectionNames(db).size(), model.rowCount(db));
        }
    }
    QVERIFY(databases >= 2);

    // Without the tester's own fetches: three list requests, whatever the number of projects.
    ResourceTreeModel quiet;
    quiet.setClient(&client);
    QSignalSpy quietFinished(&quiet, &ResourceTreeModel::bulkFinished);
    quiet.loadAll();
    QVERIFY(QTest::qWaitFor([&] { return !quietFinished.isEmpty(); }, 30000));
    QCOMPARE(quiet.listRequests(), 3);

    // isComplete() remembers a complete tree (search asks at every keystroke) until a level is to be
    // listed again or rows come in.
    QVERIFY(quiet.isComplete());
    const QPersistentModelIndex project = quiet.index(0, 0, quiet.index(0, 0));
    quiet.refresh(project);
    QVERIFY(!quiet.isComplete()); // its level is being listed again
    QVERIFY(
        QTest::qWaitFor([&] { return quiet.fetchState(project) == ResourceTreeModel::FetchState::Fetched; }, 20000));
    QVERIFY(quiet.isComplete());
    // A project the console made comes in without any listing (insertProject(), as the create
    // workflow does), its databases not listed yet: the account is not complete any more.
    QObject ctx;
    CreateProjectRequest request;
    request.name = QStringLiteral("complete no more");
    request.createDatabase = false;
    const auto made = await<Project>([&](auto cb) { m_client->createProject(request, &ctx, cb); });
    QVERIFY(made.ok());
    QVERIFY(quiet.insertProject(made.value()).isValid());
    QVERIFY(!quiet.isComplete());
    QVERIFY(await<Done>([&](auto cb) { m_client->deleteProject(made.value().id, &ctx, cb); }).ok());

    // Search on the real tree (ResourceFilterProxyModel, which indexes FilterTextRole, "name id")
    // shows exactly the rows whose text contains the search text, case-insensitively, and the rows
    // that lead to them: texts that hit names, ids, both across the space, or nothing.
    std::vector<QModelIndex> rows;
    std::function<void(const QModelIndex &)> collect = [&](const QModelIndex &parent) {
        for (int r = 0; r < quiet.rowCount(parent); ++r) {
            // A copy: the recursion grows `rows`, which would leave a reference into it dangling.
            const QModelIndex child = quiet.index(r, 0, parent);
            rows.push_back(child);
            collect(child);
        }
    };
    collect({});
    QStringList texts = { QStringLiteral("project"), QStringLiteral("PROJECT 1"), QStringLiteral("t 1 proj"),
        QStringLiteral("db_"), QStringLiteral("zz-none"), QStringLiteral("e  p") };
    for (const QModelIndex &i : rows) {
        const QString id = i.data(ResourceTreeModel::IdRole).toString();
        const QString name = i.data(ResourceTreeModel::SortRole).toString();
        if (!id.isEmpty() && name.size() > 2) // the end of the name, the space, the start of the id
            texts << name.right(3) + QLatin1Char(' ') + id.left(4) << name.right(2).toUpper() + QLatin1Char(' ') + id;
    }
    ResourceFilterProxyModel proxy;
    proxy.setSourceModel(&quiet);
    int hits = 0;
    for (const QString &text : std::as_const(texts)) {
        proxy.setSearchText(text);
        const auto matches = [&](const QModelIndex &i) {
            const QString haystack = i.data(ResourceTreeModel::FilterTextRole).toString();
            return !haystack.isEmpty() && haystack.contains(text.trimmed(), Qt::CaseInsensitive);
        };
        std::function<bool(const QModelIndex &)> shown = [&](const QModelIndex &i) {
            bool any = matches(i);
            for (int r = 0; r < quiet.rowCount(i); ++r)
                any = shown(quiet.index(r, 0, i)) || any;
            return any;
        };
        for (const QModelIndex &i : rows) {
            QVERIFY2(proxy.mapFromSource(i).isValid() == shown(i),
                qPrintable(
                    QStringLiteral("'%1' and '%2'").arg(text, i.data(ResourceTreeModel::FilterTextRole).toString())));
            hits += matches(i);
        }
    }
    QVERIFY(hits > int(rows.size())); // the texts do match something
}

// A kind's name (ResourceKind is no Q_ENUM: QVariant has no name for it).
// A database's connections: what its listing embedded until its connection rows are listed; then
// the rows, which follow creates and deletes (the embedded copy did not), and no copy is kept.
void TestResourceTreeModel::connectionsAreTheRowsOnceListed()
{
    ResourceTreeModel model; // no QAbstractItemModelTester: it would open the database's level itself
    model.setClient(m_client.get());
    QVERIFY(loadLevel(model, {}));
    const QModelIndex ws = model.index(0, 0);
    QVERIFY(loadLevel(model, ws));
    const QPersistentModelIndex p1 = find(model, ws, QStringLiteral("project 1"));
    QVERIFY(loadLevel(model, p1));
    const QPersistentModelIndex db = model.index(0, 0, p1);
    QCOMPARE(model.kind(db), ResourceKind::Database);
    QCOMPARE(model.fetchState(db), ResourceTreeModel::FetchState::Unfetched);
    const Database *listed = model.database(db);
    QCOMPARE(listed->connections.size(), size_t(1)); // the project's listing embeds them
    QCOMPARE(model.connectionNames(db), QStringList { listed->connections.front().name });
    const QString databaseId = listed->id;

    QVERIFY(loadLevel(model, db));
    QVERIFY2(model.database(db)->connections.empty(), "the connection rows replace the copy");
    QCOMPARE(model.rowCount(db), 1);
    const QString first = model.connection(model.index(0, 0, db))->name;
    QCOMPARE(model.connectionNames(db), QStringList { first });

    // The project's level listed again: the database's payload is replaced, the copy dropped again.
    model.refresh(p1);
    QVERIFY(waitForLevel(model, p1));
    QVERIFY(model.database(db)->connections.empty());
    QCOMPARE(model.connectionNames(db), QStringList { first });

    QObject ctx;
    auto created = await<Connection>(
        [&](auto cb) { m_client->createConnection(databaseId, QStringLiteral("reporting"), &ctx, cb); });
    QVERIFY2(created.ok(), qPrintable(created.error().userMessage()));
    QVERIFY(model.insertConnection(created.value()).isValid());
    QCOMPARE(model.connectionNames(db), (QStringList { first, QStringLiteral("reporting") }));

    auto deleted = await<Done>([&](auto cb) { m_client->deleteConnection(created.value().id, &ctx, cb); });
    QVERIFY2(deleted.ok(), qPrintable(deleted.error().userMessage()));
    model.removeResource(created.value().id);
    QCOMPARE(model.connectionNames(db), QStringList { first });
    QVERIFY(model.connectionNames(model.index(0, 0, db)).isEmpty()); // a connection's row: none

    // Restored from a snapshot, a database has no copy at all: its cached rows answer.
    ResourceTreeModel restored;
    QVERIFY(restored.restoreSnapshot(model.snapshot(QStringLiteral("1")), QStringLiteral("1")));
    const QModelIndex cachedDb = restored.indexOf(databaseId);
    QVERIFY(cachedDb.isValid());
    QCOMPARE(restored.connectionNames(cachedDb), QStringList { first });
}

static QString kindName(ResourceKind kind)
{
    switch (kind) {
    case ResourceKind::Workspace:
        return QStringLiteral("Workspace");
    case ResourceKind::Project:
        return QStringLiteral("Project");
    case ResourceKind::Database:
        return QStringLiteral("Database");
    case ResourceKind::Connection:
        return QStringLiteral("Connection");
    case ResourceKind::Placeholder:
        break;
    }
    return QStringLiteral("Placeholder");
}

// Every row (kind, id, name) in order, with its depth: what a user would see fully expanded.
static QStringList describe(const ResourceTreeModel &model, const QModelIndex &parent = {}, int depth = 0)
{
    QStringList out;
    for (int r = 0; r < model.rowCount(parent); ++r) {
        const QModelIndex i = model.index(r, 0, parent);
        if (model.kind(i) == ResourceKind::Placeholder)
            continue;
        out << QStringLiteral("%1%2 %3 %4")
                   .arg(QString(depth * 2, QLatin1Char(' ')), kindName(model.kind(i)),
                       i.data(ResourceTreeModel::IdRole).toString(), i.data().toString());
        out += describe(model, i, depth + 1);
    }
    return out;
}

void TestResourceTreeModel::bulkLoadMatchesLevelByLevel()
{
    // One item per page: the projects take several pages, so database pages (listed at the same
    // time) come before the projects are all in and must wait for them.
    ApiClient client(m_sandbox.baseUrl(), "ppg-test-token-a");
    ResourceTreeModel bulk;
    bulk.setPageSize(1);
    bulk.setClient(&client);
    QSignalSpy finished(&bulk, &ResourceTreeModel::bulkFinished);
    bulk.loadAll();
    QVERIFY(QTest::qWaitFor([&] { return !finished.isEmpty(); }, 30000));
    QVERIFY(!finished.first().at(0).value<ApiError>().isError());
    QVERIFY(bulk.isComplete());

    // The same account, level by level.
    ResourceTreeModel reference;
    reference.setClient(&client);
    std::function<bool(const QModelIndex &)> loadAllLevels = [&](const QModelIndex &parent) {
        if (!loadLevel(reference, parent))
            return false;
        for (int r = 0; r < reference.rowCount(parent); ++r) {
            const QModelIndex i = reference.index(r, 0, parent);
            const auto kind = reference.kind(i);
            if ((kind == ResourceKind::Workspace || kind == ResourceKind::Project || kind == ResourceKind::Database)
                && !loadAllLevels(i))
                return false;
        }
        return true;
    };
    QVERIFY(loadAllLevels({}));
    const QStringList expected = describe(reference);
    QVERIFY(expected.size() > 10);
    QCOMPARE(describe(bulk), expected);
    // One request per item and level (pages of one), and not one more per level than that.
    const int workspaces = int(expected.filter(QRegularExpression(QStringLiteral("^Workspace "))).size());
    const int projects = int(expected.filter(QRegularExpression(QStringLiteral("^  Project "))).size());
    const int databases = int(expected.filter(QRegularExpression(QStringLiteral("^    Database "))).size());
    QVERIFY2(
        bulk.listRequests() <= workspaces + projects + databases + 3, qPrintable(QString::number(bulk.listRequests())));
}

void TestResourceTreeModel::failedLevelShowsErrorRow()
{
    // A revoked token: the service answers 401, the level shows an error row, nothing crashes.
    ApiClient revoked(m_sandbox.baseUrl(), "ppg-test-token-revoked");
    ResourceTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setClient(&revoked);
    QSignalSpy failed(&model, &ResourceTreeModel::levelFailed);
    model.fetchMore({});
    QVERIFY(QTest::qWaitFor([&] { return !failed.isEmpty(); }, 20000));
    QCOMPARE(failed.first().at(1).value<ApiError>().kind, ApiError::Kind::Unauthorized);
    QCOMPARE(model.rowCount(), 1);
    const QModelIndex row = model.index(0, 0);
    QCOMPARE(model.kind(row), ResourceKind::Placeholder);
    QVERIFY(!model.data(row, ResourceTreeModel::ErrorRole).toString().isEmpty());
    QVERIFY(model.data(row).toString().contains(QLatin1String("token")));
}

void TestResourceTreeModel::sessionSwitchDropsLateReplies()
{
    // The old client stays alive through the switch (a session may end later than the model moves
    // on), so nothing but the model's own guard (setClient() drops every walk of the previous
    // client) keeps A's reply out of B's tree. The sandbox delays every answer by the same time,
    // so A's reply (asked first) comes while B's level is still loading, the moment it would do
    // harm.
    QVERIFY(setSandboxFaults(
        m_sandbox.baseUrl(), QJsonObject { { QStringLiteral("latencyMs"), 400 }, { QStringLiteral("jitterMs"), 0 } }));
    ApiClient clientA(m_sandbox.baseUrl(), "ppg-test-token-a");
    ApiClient clientB(m_sandbox.baseUrl(), "ppg-test-token-b");
    ResourceTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setClient(&clientA);
    model.fetchMore({}); // A's request is in flight...
    QCOMPARE(clientA.pendingCalls(), 1);
    model.setClient(&clientB); // ...when the user switches to B
    QVERIFY(loadLevel(model, {}));
    // A's request has ended (its reply came, or the model dropped the call) and whatever it
    // posted has been delivered: anything the model let through would be in the tree now.
    QTRY_COMPARE_WITH_TIMEOUT(clientA.pendingCalls(), 0, 20000);
    QTest::qWait(100);
    QVERIFY(clearSandboxFaults(m_sandbox.baseUrl()));
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.data(model.index(0, 0)).toString(), QStringLiteral("Globex"));
}

void TestResourceTreeModel::loopingCursorEndsTheListing()
{
    // A FakeServer (tests/api/fakeserver.h), not the sandbox: a real service never hands back a
    // cursor it already gave. This one has one workspace, one project and one database; its
    // project listing (when `loopProjects`) and its account-wide database listing answer
    // hasMore: true with the cursor "again", every time.
    bool loopProjects = true;
    const auto ref = [](const QString &id) { return QJsonObject { { QStringLiteral("id"), id } }; };
    const auto resource = [](const char *type, const QString &id) {
        return QJsonObject { { QStringLiteral("id"), id }, { QStringLiteral("type"), QLatin1String(type) },
            { QStringLiteral("url"), QStringLiteral("https://api.prisma.io/v1/x/") + id },
            { QStringLiteral("name"), id },
            { QStringLiteral("createdAt"), QStringLiteral("2025-04-01T08:00:00.000Z") } };
    };
    QJsonObject workspace = resource("workspace", QStringLiteral("wksp_fake"));
    QJsonObject project = resource("project", QStringLiteral("proj_fake"));
    project.insert(QStringLiteral("workspace"), ref(QStringLiteral("wksp_fake")));
    QJsonObject database = resource("database", QStringLiteral("db_fake"));
    database.insert(QStringLiteral("status"), QStringLiteral("ready"));
    database.insert(QStringLiteral("isDefault"), true);
    database.insert(QStringLiteral("connections"), QJsonArray {});
    database.insert(QStringLiteral("project"), ref(QStringLiteral("proj_fake")));
    const auto page = [](const QJsonArray &items, bool loop) {
        const QJsonObject pagination = loop ? QJsonObject { { QStringLiteral("nextCursor"), QStringLiteral("again") },
            { QStringLiteral("hasMore"), true } }
                                            : QJsonObject { { QStringLiteral("hasMore"), false } };
        const QJsonObject body { { QStringLiteral("data"), items }, { QStringLiteral("pagination"), pagination } };
        return FakeResponse::json(200, QJsonDocument(body).toJson(QJsonDocument::Compact));
    };
    FakeServer server([&](const FakeRequest &r) {
        if (r.path == QLatin1String("/v1/workspaces"))
            return page({ workspace }, false);
        if (r.path == QLatin1String("/v1/projects"))
            return page({ project }, loopProjects);
        if (r.path == QLatin1String("/v1/databases"))
            return page({ database }, true);
        return page({}, false); // a level QAbstractItemModelTester asks for: empty
    });
    ApiClient client(server.url(), "ppg-test-token-a");
    const auto requests = [&](const QString &path) {
        return int(std::count_if(server.requests().cbegin(), server.requests().cend(),
            [&](const FakeRequest &r) { return r.path == path; }));
    };

    // Level by level: the workspace's projects end in an error row.
    {
        ResourceTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setClient(&client);
        QVERIFY(loadLevel(model, {}));
        const QPersistentModelIndex ws = model.index(0, 0);
        std::optional<ApiError> error;
        connect(&model, &ResourceTreeModel::levelFailed, this, [&](const QModelIndex &parent, const ApiError &e) {
            if (parent == ws)
                error = e;
        });
        model.fetchMore(ws);
        QTRY_VERIFY_WITH_TIMEOUT(error.has_value(), 5000);
        QCOMPARE(error->kind, ApiError::Kind::Protocol);
        QCOMPARE(model.fetchState(ws), ResourceTreeModel::FetchState::Failed);
        const QModelIndex last = model.index(model.rowCount(ws) - 1, 0, ws);
        QCOMPARE(model.kind(last), ResourceKind::Placeholder);
        QVERIFY(!model.data(last, ResourceTreeModel::ErrorRole).toString().isEmpty());
        QTest::qWait(200);
        QCOMPARE(requests(QStringLiteral("/v1/projects")), 2); // the first page, and the one that loops
    }

    // loadAll(): the account-wide database listing loops; the bulk load ends with that error.
    loopProjects = false;
    ResourceTreeModel bulk;
    bulk.setClient(&client);
    QSignalSpy finished(&bulk, &ResourceTreeModel::bulkFinished);
    bulk.loadAll();
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 5000);
    QCOMPARE(finished.first().at(0).value<ApiError>().kind, ApiError::Kind::Protocol);
    QVERIFY(!bulk.isLoadingAll());
    QVERIFY(bulk.indexOf(QStringLiteral("db_fake")).isValid()); // the page before the loop was placed
    QTest::qWait(200);
    QCOMPARE(finished.size(), 1);
    QCOMPARE(requests(QStringLiteral("/v1/databases")), 2);
}

QTEST_MAIN(TestResourceTreeModel)
#include "tst_resourcetreemodel.moc"

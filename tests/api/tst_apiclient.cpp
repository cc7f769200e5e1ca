// ApiClient against a private ppg-sandbox: every typed call (status and shape -> typed result),
// the page walker (and, against a FakeServer, its guard against a cursor that loops), cancel semantics, deadlines with
// injected latency, Retry-After from the sandbox's 429s, and a log capture of a full create, rotate and delete flow
// that must contain neither the token nor any password.
#include "await.h"
#include "fakeserver.h"
#include "pagewalker.h"
#include "postgreschecks.h"
#include "sandboxfaults.h"
#include "sandboxprocess.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QMutex>
#include <QSignalSpy>
#include <QTest>

namespace {

const QByteArray kToken = "ppg-test-token-a";

QStringList g_log;
QMutex g_logMutex;
void captureLog(QtMsgType, const QMessageLogContext &ctx, const QString &msg)
{
    QMutexLocker lock(&g_logMutex);
    g_log << QString::fromLatin1(ctx.category ? ctx.category : "") + QLatin1Char(' ') + msg;
}

} // namespace

class TestApiClient : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void meWorkspacesRegions();
    void everyResourceCall();
    void unauthorized();
    void pageWalker();
    void pageWalkerOnDemandAndCancel();
    void pageWalkerEndsALoopingCursor();
    void cancelAgainstSandbox();
    void deadlineWithLatency();
    void retryAfterFromSandbox();
    void logsHoldNoSecret();
    void cleanup();

private:
    Project makeProject(ApiClient &client, const QString &name);
    SandboxProcess m_sandbox;
    QObject m_ctx;
};

void TestApiClient::initTestCase()
{
    SandboxProcess::Options o;
    o.tokens = QStringList { QString::fromLatin1(kToken) + QStringLiteral("=Acme") };
    o.extraArgs = QStringList { QStringLiteral("--provisioning-ms"), QStringLiteral("300") };
    QVERIFY2(m_sandbox.start(o), qPrintable(m_sandbox.errorString()));
}

void TestApiClient::cleanup()
{
    QVERIFY(clearSandboxFaults(m_sandbox.baseUrl()));
}

Project TestApiClient::makeProject(ApiClient &client, const QString &name)
{
    CreateProjectRequest req;
    req.name = name;
    req.createDatabase = false;
    auto p = await<Project>([&](auto cb) { client.createProject(req, &m_ctx, cb); });
    if (!p.ok())
        qFatal("create project: %s", qPrintable(p.error().message));
    return p.value();
}

void TestApiClient::meWorkspacesRegions()
{
    ApiClient client(m_sandbox.baseUrl(), kToken);
    auto me = await<Me>([&](auto cb) { client.me(&m_ctx, cb); });
    QVERIFY2(me.ok(), qPrintable(me.error().message));
    QCOMPARE(me.value().credential.type, QStringLiteral("service_token"));
    QCOMPARE(me.value().workspace->name, QStringLiteral("Acme"));

    auto ws = await<Page<Workspace>>([&](auto cb) { client.listWorkspaces({}, &m_ctx, cb); });
    QVERIFY(ws.ok());
    QCOMPARE(ws.value().items.size(), size_t(1));
    QCOMPARE(ws.value().items[0].id, me.value().workspace->id);
    auto one = await<Workspace>([&](auto cb) { client.getWorkspace(ws.value().items[0].id, &m_ctx, cb); });
    QVERIFY(one.ok());
    QCOMPARE(one.value().name, QStringLiteral("Acme"));
    auto missing = await<Workspace>([&](auto cb) { client.getWorkspace(QStringLiteral("wksp_nope"), &m_ctx, cb); });
    QCOMPARE(missing.error().kind, ApiError::Kind::NotFound);
    QCOMPARE(missing.error().httpStatus, 404);

    auto regions = await<std::vector<Region>>([&](auto cb) { client.listRegions(&m_ctx, cb); });
    QVERIFY(regions.ok());
    QVERIFY(regions.value().size() >= 6);
    QVERIFY(regions.value().front().available);
}

void TestApiClient::everyResourceCall()
{
    ApiClient client(m_sandbox.baseUrl(), kToken);

    // Project with its default database: the create reply carries the connection string.
    CreateProjectRequest req;
    req.name = QStringLiteral("typed calls");
    req.region = QStringLiteral("eu-central-1");
    auto project = await<Project>([&](auto cb) { client.createProject(req, &m_ctx, cb); });
    QVERIFY2(project.ok(), qPrintable(project.error().message));
    const Project p = project.value();
    QVERIFY(p.id.startsWith(QLatin1String("proj_")));
    QVERIFY(!p.logicalId.isEmpty()); // the client set one
    QVERIFY(!p.recovered);
    QVERIFY(p.database && p.database->isDefault);
    QVERIFY(!directString(p.database->connections.front()).isEmpty());

    auto got = await<Project>([&](auto cb) { client.getProject(p.id, &m_ctx, cb); });
    QVERIFY(got.ok());
    QVERIFY(!got.value().database);
    auto byLogical = await<Page<Project>>([&](auto cb) { client.listProjects({}, p.logicalId, &m_ctx, cb); });
    QVERIFY(byLogical.ok());
    QCOMPARE(byLogical.value().items.size(), size_t(1));
    QCOMPARE(byLogical.value().items[0].id, p.id);

    auto renamed = await<Project>([&](auto cb) { client.renameProject(p.id, QStringLiteral("renamed"), &m_ctx, cb); });
    QVERIFY2(renamed.ok(), qPrintable(renamed.error().message));
    QCOMPARE(renamed.value().name, QStringLiteral("renamed"));
    auto missingProject = await<Project>(
        [&](auto cb) { client.renameProject(QStringLiteral("proj_nope"), QStringLiteral("x"), &m_ctx, cb); });
    QCOMPARE(missingProject.error().kind, ApiError::Kind::NotFound);

    // A second database.
    CreateDatabaseRequest dbReq;
    dbReq.name = QStringLiteral("analytics");
    auto db = await<Database>([&](auto cb) { client.createDatabase(p.id, dbReq, &m_ctx, cb); });
    QVERIFY2(db.ok(), qPrintable(db.error().message));
    QVERIFY(!db.value().isDefault);
    const QString dbId = db.value().id;
    auto dbRenamed
        = await<Database>([&](auto cb) { client.renameDatabase(dbId, QStringLiteral("warehouse"), &m_ctx, cb); });
    QVERIFY2(dbRenamed.ok(), qPrintable(dbRenamed.error().message));
    QCOMPARE(dbRenamed.value().name, QStringLiteral("warehouse"));
    QTRY_VERIFY_WITH_TIMEOUT(await<Database>([&](auto cb) { client.getDatabase(dbId, &m_ctx, cb); }).value().status
            == Database::Status::Ready,
        10000);

    auto dbs = await<Page<Database>>([&](auto cb) { client.listDatabases(p.id, {}, &m_ctx, cb); });
    QVERIFY(dbs.ok());
    QCOMPARE(dbs.value().items.size(), size_t(2));
    auto filtered = await<Page<Database>>([&](auto cb) { client.listAllDatabases({}, p.id, &m_ctx, cb); });
    QVERIFY(filtered.ok());
    QCOMPARE(filtered.value().items.size(), size_t(2));
    for (const Database &d : filtered.value().items)
        QCOMPARE(d.project.id, p.id);
    auto all = await<Page<Database>>([&](auto cb) { client.listAllDatabases({}, &m_ctx, cb); });
    QVERIFY(all.ok());
    QVERIFY(all.value().items.size() >= 2);

    // Connections.
    auto con = await<Connection>([&](auto cb) { client.createConnection(dbId, QStringLiteral("app"), &m_ctx, cb); });
    QVERIFY2(con.ok(), qPrintable(con.error().message));
    const QString cs = directString(con.value());
    QVERIFY(cs.startsWith(QLatin1String("postgres")));
    auto cons = await<Page<Connection>>([&](auto cb) { client.listConnections(dbId, {}, &m_ctx, cb); });
    QVERIFY(cons.ok());
    QVERIFY(cons.value().items.size() >= 1);
    auto consTop = await<Page<Connection>>([&](auto cb) { client.listAllConnections({}, dbId, &m_ctx, cb); });
    QVERIFY(consTop.ok());
    QCOMPARE(consTop.value().items.size(), cons.value().items.size());
    for (const Connection &c : consTop.value().items) {
        QCOMPARE(c.database.id, dbId);
        QVERIFY(!c.carriesConnectionString()); // lists never carry a secret
    }
    auto allCons = await<Page<Connection>>([&](auto cb) { client.listAllConnections({}, QString(), &m_ctx, cb); });
    QVERIFY(allCons.ok());
    QVERIFY(allCons.value().items.size() > consTop.value().items.size());
    auto oneCon = await<Connection>([&](auto cb) { client.getConnection(con.value().id, &m_ctx, cb); });
    QVERIFY(oneCon.ok());
    QVERIFY(!oneCon.value().carriesConnectionString());
    QCOMPARE(oneCon.value().name, QStringLiteral("app"));
    auto rotated = await<Connection>([&](auto cb) { client.rotateConnection(con.value().id, &m_ctx, cb); });
    QVERIFY2(rotated.ok(), qPrintable(rotated.error().message));
    QVERIFY(!directString(rotated.value()).isEmpty());
    QVERIFY(directString(rotated.value()) != cs);

    // Usage and backups.
    auto usage = await<Usage>([&](auto cb) { client.usage(dbId, &m_ctx, cb); });
    QVERIFY2(usage.ok(), qPrintable(usage.error().message));
    QVERIFY(usage.value().periodStart.isValid());
    auto backups = await<BackupList>([&](auto cb) { client.listBackups(dbId, 10, &m_ctx, cb); });
    QVERIFY2(backups.ok(), qPrintable(backups.error().message));
    QVERIFY(backups.value().retentionDays > 0);
    QCOMPARE(backups.value().limit, 10);
    auto noBackups = await<BackupList>([&](auto cb) { client.listBackups(QStringLiteral("db_nope"), 0, &m_ctx, cb); });
    QCOMPARE(noBackups.error().kind, ApiError::Kind::NotFound);

    // Deletes: connection, refused default database, the other database, the project.
    auto conDeleted = await<Done>([&](auto cb) { client.deleteConnection(con.value().id, &m_ctx, cb); });
    QVERIFY(conDeleted.ok());
    auto conGone = await<Connection>([&](auto cb) { client.getConnection(con.value().id, &m_ctx, cb); });
    QCOMPARE(conGone.error().kind, ApiError::Kind::NotFound);
    auto refused = await<Done>([&](auto cb) { client.deleteDatabase(p.database->id, &m_ctx, cb); });
    QCOMPARE(refused.error().kind, ApiError::Kind::Forbidden);
    QVERIFY(!refused.error().message.isEmpty());
    auto dbDeleted = await<Done>([&](auto cb) { client.deleteDatabase(dbId, &m_ctx, cb); });
    QVERIFY(dbDeleted.ok());
    auto projectDeleted = await<Done>([&](auto cb) { client.deleteProject(p.id, &m_ctx, cb); });
    QVERIFY2(projectDeleted.ok(), qPrintable(projectDeleted.error().message));
    auto gone = await<Done>([&](auto cb) { client.deleteProject(p.id, &m_ctx, cb); });
    QCOMPARE(gone.error().kind, ApiError::Kind::NotFound);
}

void TestApiClient::unauthorized()
{
    ApiClient client(m_sandbox.baseUrl(), "ppg-wrong-token");
    QSignalSpy spy(&client, &ApiClient::unauthorized);
    auto r = await<Page<Project>>([&](auto cb) { client.listProjects({}, &m_ctx, cb); });
    QCOMPARE(r.error().kind, ApiError::Kind::Unauthorized);
    QCOMPARE(r.error().httpStatus, 401);
    QVERIFY(!r.error().code.isEmpty());
    QTRY_COMPARE(spy.count(), 1);
}

void TestApiClient::pageWalker()
{
    ApiClient client(m_sandbox.baseUrl(), kToken);
    QSet<QString> made;
    for (int i = 0; i < 7; ++i)
        made.insert(makeProject(client, QStringLiteral("walk %1").arg(i)).id);

    QStringList seen;
    QList<int> pageSizes;
    std::optional<Result<Done>> done;
    bool doneAfterPages = true;
    auto *walker = walkAll<Project>(
        &m_ctx, [&](const PageRequest &r, QObject *ctx, auto cb) { return client.listProjects(r, ctx, cb); },
        [&](const Page<Project> &page) {
            doneAfterPages = doneAfterPages && !done;
            pageSizes << int(page.items.size());
            for (const Project &p : page.items)
                seen << p.id;
        },
        [&](const Result<Done> &r) { done.emplace(r); }, 2);
    QPointer<PageWalkerBase> guard(walker);
    QVERIFY(!done); // never synchronous
    QTRY_VERIFY(done.has_value());
    QVERIFY2(done->ok(), qPrintable(done->error().message));
    QVERIFY(doneAfterPages);
    QVERIFY(pageSizes.size() >= 4);
    for (int n : pageSizes.mid(0, pageSizes.size() - 1))
        QCOMPARE(n, 2);
    QCOMPARE(QSet<QString>(seen.begin(), seen.end()).size(), seen.size()); // no duplicates
    for (const QString &id : made)
        QVERIFY(seen.contains(id));
    QTRY_VERIFY(!guard); // walkAll deletes its walker
}

void TestApiClient::pageWalkerOnDemandAndCancel()
{
    ApiClient client(m_sandbox.baseUrl(), kToken);
    int pages = 0;
    std::optional<Result<Done>> done;
    PageWalker<Project> walker(
        [&](const PageRequest &r, QObject *ctx, auto cb) { return client.listProjects(r, ctx, cb); },
        [&](const Page<Project> &) { ++pages; }, [&](const Result<Done> &r) { done.emplace(r); },
        PageWalkerBase::Mode::OnDemand, 1);
    QVERIFY(!walker.fetchNext()); // not started
    walker.start();
    QVERIFY(walker.isFetching());
    QVERIFY(!walker.fetchNext()); // one page at a time
    // A later request of the same client, answered: long enough for a page the walker had asked
    // for on its own to have come too (not a guessed time, which a loaded machine outlasts).
    const auto roundTrip = [&] { return await<Me>([&](auto cb) { client.me(&m_ctx, cb); }).ok(); };
    QTRY_COMPARE(pages, 1);
    QTest::qWait(200);
    QVERIFY(roundTrip());
    QCOMPARE(pages, 1); // waits to be asked
    QVERIFY(walker.hasMore());
    QVERIFY(walker.fetchNext());
    QTRY_COMPARE(pages, 2);
    QVERIFY(walker.fetchNext());
    walker.cancel(); // with a page in flight
    QVERIFY(!done); // delivered later
    QTRY_VERIFY(done.has_value());
    QCOMPARE(done->error().kind, ApiError::Kind::Cancelled);
    QTest::qWait(300);
    QVERIFY(roundTrip());
    QCOMPARE(pages, 2); // the page in flight never arrives
    QVERIFY(walker.isFinished());
    QVERIFY(!walker.fetchNext());

    // nextPageRequest: the opaque cursor goes back as is.
    Page<Project> page;
    page.hasMore = true;
    page.nextCursor = QStringLiteral("opaque==");
    QCOMPARE(nextPageRequest(page, 5)->cursor, QStringLiteral("opaque=="));
    page.hasMore = false;
    QVERIFY(!nextPageRequest(page));
}

void TestApiClient::pageWalkerEndsALoopingCursor()
{
    // A FakeServer, not the sandbox: a real service never hands back a cursor it already gave.
    // This one lists GET /v1/projects as "" -> c1 -> c2 -> c1 (hasMore: true all along): a loop.
    const QHash<QString, QString> next { { QString(), QStringLiteral("c1") },
        { QStringLiteral("c1"), QStringLiteral("c2") }, { QStringLiteral("c2"), QStringLiteral("c1") } };
    FakeServer server([&](const FakeRequest &r) {
        if (r.path != QLatin1String("/v1/projects"))
            return FakeResponse::json(404, "{}");
        const QString cursor = r.query.queryItemValue(QStringLiteral("cursor"));
        const QString id = QStringLiteral("proj_%1").arg(cursor.isEmpty() ? QStringLiteral("first") : cursor);
        const QJsonObject project {
            { QStringLiteral("id"), id },
            { QStringLiteral("type"), QStringLiteral("project") },
            { QStringLiteral("url"), QStringLiteral("https://api.prisma.io/v1/projects/") + id },
            { QStringLiteral("name"), id },
            { QStringLiteral("createdAt"), QStringLiteral("2025-04-01T08:00:00.000Z") },
            { QStringLiteral("workspace"), QJsonObject { { QStringLiteral("id"), QStringLiteral("wksp_fake") } } },
        };
        const QJsonObject page {
            { QStringLiteral("data"), QJsonArray { project } },
            { QStringLiteral("pagination"),
                QJsonObject {
                    { QStringLiteral("nextCursor"), next.value(cursor) }, { QStringLiteral("hasMore"), true } } },
        };
        return FakeResponse::json(200, QJsonDocument(page).toJson(QJsonDocument::Compact));
    });
    ApiClient client(server.url(), kToken);
    QObject context; // ends the walk (were it still going) before the client

    QStringList seen;
    std::optional<Result<Done>> done;
    walkAll<Project>(
        &context, [&](const PageRequest &r, QObject *ctx, auto cb) { return client.listProjects(r, ctx, cb); },
        [&](const Page<Project> &page) {
            for (const Project &p : page.items)
                seen << p.id;
        },
        [&](const Result<Done> &r) { done.emplace(r); });
    QTRY_VERIFY_WITH_TIMEOUT(done.has_value(), 5000);
    QCOMPARE(done->error().kind, ApiError::Kind::Protocol);
    QVERIFY2(done->error().message.contains(QLatin1String("nextCursor")), qPrintable(done->error().message));
    // The two pages before the loop were delivered; the page that repeats a cursor was not.
    QCOMPARE(seen, (QStringList { QStringLiteral("proj_first"), QStringLiteral("proj_c1") }));
    QTest::qWait(300);
    QCOMPARE(server.count("GET"), 3); // and nothing was asked after it
}

void TestApiClient::cancelAgainstSandbox()
{
    ApiClient client(m_sandbox.baseUrl(), kToken);
    int delivered = 0;
    ApiError::Kind kind = ApiError::Kind::None;
    ApiCall *call = client.listProjects({}, &m_ctx, [&](Result<Page<Project>> r) {
        ++delivered;
        kind = r.error().kind;
    });
    call->cancel();
    QCOMPARE(delivered, 0);
    QTRY_COMPARE(delivered, 1);
    QCOMPARE(kind, ApiError::Kind::Cancelled);

    // cancelAll ends every outstanding call of the session, each exactly once.
    int outcomes = 0;
    for (int i = 0; i < 5; ++i)
        client.listProjects({}, &m_ctx, [&](Result<Page<Project>> r) {
            QCOMPARE(r.error().kind, ApiError::Kind::Cancelled);
            ++outcomes;
        });
    QCOMPARE(client.pendingCalls(), 5);
    client.cancelAll();
    QTRY_COMPARE(outcomes, 5);
    QTest::qWait(200);
    QCOMPARE(outcomes, 5);
}

void TestApiClient::deadlineWithLatency()
{
    QVERIFY(setSandboxFaults(m_sandbox.baseUrl(), QJsonObject { { QStringLiteral("latencyMs"), 2000 } }));
    ApiClient client(m_sandbox.baseUrl(), kToken);
    auto o = client.options();
    o.deadline = std::chrono::milliseconds(500);
    client.setOptions(o);
    QElapsedTimer t;
    t.start();
    auto r = await<Page<Project>>([&](auto cb) { client.listProjects({}, &m_ctx, cb); });
    QCOMPARE(r.error().kind, ApiError::Kind::Timeout);
    QVERIFY2(t.elapsed() < 1500, qPrintable(QString::number(t.elapsed())));

    // A POST that timed out may have been applied.
    auto post = await<Connection>(
        [&](auto cb) { client.createConnection(QStringLiteral("db_nope"), QStringLiteral("x"), &m_ctx, cb); });
    QCOMPARE(post.error().kind, ApiError::Kind::Timeout);
    QVERIFY(post.error().mayHaveBeenApplied);
}

void TestApiClient::retryAfterFromSandbox()
{
    // Every answer is 429 with Retry-After: 1: the client waits 1 s between attempts.
    QVERIFY(setSandboxFaults(m_sandbox.baseUrl(), QJsonObject { { QStringLiteral("rate429"), 1.0 } }));
    ApiClient client(m_sandbox.baseUrl(), kToken);
    auto o = client.options();
    o.maxAttempts = 3;
    o.baseBackoff = std::chrono::milliseconds(1);
    client.setOptions(o);
    QElapsedTimer t;
    t.start();
    ApiCall *call = nullptr;
    int attempts = 0;
    auto r = await<Me>([&](auto cb) {
        call = client.me(&m_ctx, [&, cb](Result<Me> res) {
            attempts = call->attempts();
            cb(std::move(res));
        });
    });
    QCOMPARE(r.error().kind, ApiError::Kind::RateLimited);
    QCOMPARE(attempts, 3);
    QVERIFY2(t.elapsed() >= 1900 && t.elapsed() < 5000, qPrintable(QString::number(t.elapsed())));
}

void TestApiClient::logsHoldNoSecret()
{
    QLoggingCategory::setFilterRules(QStringLiteral("ppg.*=true"));
    {
        QMutexLocker lock(&g_logMutex);
        g_log.clear();
    }
    QtMessageHandler previous = qInstallMessageHandler(captureLog);
    QStringList secrets { QString::fromLatin1(kToken), QStringLiteral("ppg-wrong-token-secret") };
    {
        ApiClient client(m_sandbox.baseUrl(), kToken);
        CreateProjectRequest req;
        req.name = QStringLiteral("log flow");
        auto p = await<Project>([&](auto cb) { client.createProject(req, &m_ctx, cb); });
        QVERIFY(p.ok());
        const Database db = *p.value().database;
        secrets << directString(db.connections.front());
        auto con
            = await<Connection>([&](auto cb) { client.createConnection(db.id, QStringLiteral("log"), &m_ctx, cb); });
        QVERIFY(con.ok());
        secrets << directString(con.value());
        auto rot = await<Connection>([&](auto cb) { client.rotateConnection(con.value().id, &m_ctx, cb); });
        QVERIFY(rot.ok());
        secrets << directString(rot.value());
        QVERIFY(await<Done>([&](auto cb) { client.deleteConnection(con.value().id, &m_ctx, cb); }).ok());
        QVERIFY(await<Done>([&](auto cb) { client.deleteProject(p.value().id, &m_ctx, cb); }).ok());
        // Failures log too: a server error, a timeout, a refused token.
        QVERIFY(setSandboxFaults(m_sandbox.baseUrl(), QJsonObject { { QStringLiteral("rate5xx"), 1.0 } }));
        auto o = client.options();
        o.maxAttempts = 2;
        o.baseBackoff = std::chrono::milliseconds(1);
        client.setOptions(o);
        QVERIFY(!await<Connection>([&](auto cb) { client.rotateConnection(con.value().id, &m_ctx, cb); }).ok());
        QVERIFY(clearSandboxFaults(m_sandbox.baseUrl()));
        ApiClient wrong(
            m_sandbox.baseUrl(), secrets.last().isEmpty() ? QByteArray() : QByteArray("ppg-wrong-token-secret"));
        QVERIFY(!await<Me>([&](auto cb) { wrong.me(&m_ctx, cb); }).ok());
    }
    qInstallMessageHandler(previous);
    QLoggingCategory::setFilterRules(QString());

    QStringList passwords;
    for (const QString &s : secrets) {
        const QUrl u(s);
        if (!u.password().isEmpty())
            passwords << u.password();
    }
    QCOMPARE(passwords.size(), 3);
    secrets << passwords;
    QMutexLocker lock(&g_logMutex);
    QVERIFY2(
        g_log.size() >= 7, qPrintable(QStringLiteral("only %1 log lines").arg(g_log.size()))); // one per HTTP attempt
    bool sawStatus = false;
    for (const QString &line : std::as_const(g_log)) {
        sawStatus
            = sawStatus || (line.contains(QLatin1String("POST /v1/projects")) && line.contains(QLatin1String("201")));
        for (const QString &secret : std::as_const(secrets))
            QVERIFY2(secret.isEmpty() || !line.contains(secret), "a secret reached the log");
    }
    QVERIFY(sawStatus);
    qInfo("captured %d log lines, checked against %d secrets", int(g_log.size()), int(secrets.size()));
}

QTEST_GUILESS_MAIN(TestApiClient)
#include "tst_apiclient.moc"

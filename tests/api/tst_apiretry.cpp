// The retry policy, deadlines and cancel semantics of ApiCall, against a scripted local server
// (fakeserver.h): GET and DELETE retried with backoff and Retry-After, POST and PATCH never re-sent
// blindly, project creation recovered by logicalId, exactly one outcome, never synchronous.
#include "await.h"
#include "fakeserver.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QSignalSpy>
#include <QTest>

namespace {

const QByteArray kToken = "ppg-test-token-retry";

QByteArray workspaceBody()
{
    return R"({"data":{"id":"wksp_1","type":"workspace","url":"http://x/v1/workspaces/wksp_1","name":"Acme","createdAt":"2025-01-01T00:00:00Z"}})";
}

QByteArray projectJson(const QString &logicalId)
{
    const QByteArray text
        = R"({"id":"proj_1","type":"project","url":"http://x/v1/projects/proj_1","name":"p","logicalId":"LID","createdAt":"2025-01-01T00:00:00Z","defaultRegion":null,"workspace":{"id":"wksp_1","url":"http://x","name":"Acme"}})";
    return QByteArray(text).replace("LID", logicalId.toUtf8());
}

const QByteArray kError503 = R"({"error":{"code":"unavailable","message":"try later"}})";

ApiClient::Options fastOptions()
{
    ApiClient::Options o;
    o.baseBackoff = std::chrono::milliseconds(10);
    o.maxBackoff = std::chrono::milliseconds(50);
    o.deadline = std::chrono::milliseconds(15000);
    return o;
}

} // namespace

class TestApiRetry : public QObject
{
    Q_OBJECT
private slots:
    void getRetriedOn503ThenSucceeds();
    void attemptsAreBounded();
    void retryAfterSecondsOn429();
    void retryAfterHttpDateOn503();
    void retryAfterLongerThanAllowedEndsTheCall();
    void postIsNeverResentBlindly();
    void patchIsNotRetried();
    void deleteRetriedAnswering404IsDone();
    void deleteFirst404IsNotFound();
    void createProjectLostReplyFoundByLogicalId();
    void createProjectConflictOnOwnLogicalIdIsLookedUp();
    void createProjectNotLandedIsSentAgain();
    void createProjectCallerLogicalIdConflict();
    void deadlineEndsASlowCall();
    void transferTimeoutPerAttempt();
    void cancelIsDeliveredOnceAndLater();
    void cancelWinsOverAnUndeliveredOutcome();
    void destroyedClientOrContextDeliversNothing();
    void refusedRequestsAreNotSent();
    void unauthorizedSignalIsQueued();
};

void TestApiRetry::getRetriedOn503ThenSucceeds()
{
    int n = 0;
    FakeServer server([&](const FakeRequest &) {
        return ++n < 3 ? FakeResponse::json(503, kError503) : FakeResponse::json(200, workspaceBody());
    });
    ApiClient client(server.url(), kToken);
    client.setOptions(fastOptions());
    ApiCall *call = nullptr;
    auto r = await<Workspace>([&](auto cb) { call = client.getWorkspace(QStringLiteral("wksp_1"), nullptr, cb); });
    QVERIFY2(r.ok(), qPrintable(r.error().message));
    QCOMPARE(server.count("GET"), 3);
}

void TestApiRetry::attemptsAreBounded()
{
    FakeServer server([](const FakeRequest &) { return FakeResponse::json(503, kError503); });
    ApiClient client(server.url(), kToken);
    auto o = fastOptions();
    o.maxAttempts = 3;
    client.setOptions(o);
    auto r = await<Page<Project>>([&](auto cb) { client.listProjects({}, nullptr, cb); });
    QCOMPARE(r.error().kind, ApiError::Kind::Server);
    QCOMPARE(r.error().httpStatus, 503);
    QCOMPARE(r.error().code, QStringLiteral("unavailable"));
    QCOMPARE(server.count("GET"), 3);
}

void TestApiRetry::retryAfterSecondsOn429()
{
    int n = 0;
    FakeServer server([&](const FakeRequest &) {
        return ++n == 1 ? FakeResponse::json(429, "{}").header("Retry-After", "2")
                        : FakeResponse::json(200, workspaceBody());
    });
    ApiClient client(server.url(), kToken);
    client.setOptions(fastOptions());
    QElapsedTimer t;
    t.start();
    auto r = await<Workspace>([&](auto cb) { client.getWorkspace(QStringLiteral("wksp_1"), nullptr, cb); });
    QVERIFY(r.ok());
    QVERIFY2(t.elapsed() >= 1950, qPrintable(QString::number(t.elapsed())));
    QVERIFY(t.elapsed() < 5000);
}

void TestApiRetry::retryAfterHttpDateOn503()
{
    int n = 0;
    FakeServer server([&](const FakeRequest &) {
        if (++n > 1)
            return FakeResponse::json(200, workspaceBody());
        const QDateTime when = QDateTime::currentDateTimeUtc().addSecs(3);
        const QByteArray date
            = QLocale::c().toString(when, QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'")).toLatin1();
        return FakeResponse::json(503, kError503).header("Retry-After", date);
    });
    ApiClient client(server.url(), kToken);
    client.setOptions(fastOptions());
    QElapsedTimer t;
    t.start();
    auto r = await<Workspace>([&](auto cb) { client.getWorkspace(QStringLiteral("wksp_1"), nullptr, cb); });
    QVERIFY(r.ok());
    QVERIFY2(t.elapsed() >= 1900, qPrintable(QString::number(t.elapsed()))); // a date has 1 s resolution
}

void TestApiRetry::retryAfterLongerThanAllowedEndsTheCall()
{
    FakeServer server([](const FakeRequest &) { return FakeResponse::json(429, "{}").header("Retry-After", "120"); });
    ApiClient client(server.url(), kToken);
    client.setOptions(fastOptions()); // maxRetryAfter 30 s
    QElapsedTimer t;
    t.start();
    auto r = await<Workspace>([&](auto cb) { client.getWorkspace(QStringLiteral("wksp_1"), nullptr, cb); });
    QCOMPARE(r.error().kind, ApiError::Kind::RateLimited);
    QCOMPARE(server.count("GET"), 1);
    QVERIFY(t.elapsed() < 2000);
}

void TestApiRetry::postIsNeverResentBlindly()
{
    FakeResponse next;
    FakeServer server([&](const FakeRequest &) { return next; });
    ApiClient client(server.url(), kToken);
    client.setOptions(fastOptions());

    next = FakeResponse::json(503, kError503);
    auto r1 = await<Connection>(
        [&](auto cb) { client.createConnection(QStringLiteral("db_1"), QStringLiteral("c"), nullptr, cb); });
    QCOMPARE(r1.error().kind, ApiError::Kind::Server);
    QVERIFY(r1.error().mayHaveBeenApplied);
    QVERIFY(r1.error().userMessage().contains(QLatin1String("may have been applied")));
    QCOMPARE(server.count("POST"), 1);

    next = FakeResponse::json(429, "{}").header("Retry-After", "0");
    auto r2 = await<Connection>([&](auto cb) { client.rotateConnection(QStringLiteral("con_1"), nullptr, cb); });
    QCOMPARE(r2.error().kind, ApiError::Kind::RateLimited);
    QVERIFY(!r2.error().mayHaveBeenApplied); // a 429 was not applied
    QCOMPARE(server.count("POST"), 2);

    next = FakeResponse::json(400, R"({"error":{"code":"validation_error","message":"bad name"}})");
    auto r3 = await<Connection>(
        [&](auto cb) { client.createConnection(QStringLiteral("db_1"), QStringLiteral(""), nullptr, cb); });
    QCOMPARE(r3.error().kind, ApiError::Kind::Validation);
    QVERIFY(!r3.error().mayHaveBeenApplied);
    QCOMPARE(server.count("POST"), 3);
}

void TestApiRetry::patchIsNotRetried()
{
    FakeServer server([](const FakeRequest &) { return FakeResponse::json(503, kError503); });
    ApiClient client(server.url(), kToken);
    client.setOptions(fastOptions());
    auto r = await<Project>(
        [&](auto cb) { client.renameProject(QStringLiteral("proj_1"), QStringLiteral("n"), nullptr, cb); });
    QCOMPARE(r.error().kind, ApiError::Kind::Server);
    QVERIFY(r.error().mayHaveBeenApplied);
    QCOMPARE(server.count("PATCH"), 1);
    QCOMPARE(server.requests().front().body, QByteArray(R"({"name":"n"})"));
}

void TestApiRetry::deleteRetriedAnswering404IsDone()
{
    int n = 0;
    FakeServer server([&](const FakeRequest &) {
        return ++n == 1 ? FakeResponse::dropped()
                        : FakeResponse::json(404, R"({"error":{"code":"not_found","message":"gone"}})");
    });
    ApiClient client(server.url(), kToken);
    client.setOptions(fastOptions());
    auto r = await<Done>([&](auto cb) { client.deleteDatabase(QStringLiteral("db_1"), nullptr, cb); });
    QVERIFY2(r.ok(), qPrintable(r.error().message));
    QVERIFY(server.count("DELETE") >= 2);
}

void TestApiRetry::deleteFirst404IsNotFound()
{
    FakeServer server([](const FakeRequest &) {
        return FakeResponse::json(404, R"({"error":{"code":"not_found","message":"gone"}})");
    });
    ApiClient client(server.url(), kToken);
    client.setOptions(fastOptions());
    auto r = await<Done>([&](auto cb) { client.deleteConnection(QStringLiteral("con_1"), nullptr, cb); });
    QCOMPARE(r.error().kind, ApiError::Kind::NotFound);
    QCOMPARE(server.count("DELETE"), 1);
}

void TestApiRetry::createProjectLostReplyFoundByLogicalId()
{
    // The POST lands but its reply is lost; the lookup by logicalId finds the project.
    QString stored;
    FakeServer server([&](const FakeRequest &req) {
        if (req.method == "POST") {
            stored = QString::fromUtf8(
                QJsonDocument::fromJson(req.body).object().value(QStringLiteral("logicalId")).toString().toUtf8());
            return FakeResponse::dropped();
        }
        const QString wanted = req.query.queryItemValue(QStringLiteral("logicalId"));
        const QByteArray items = (!wanted.isEmpty() && wanted == stored) ? projectJson(stored) : QByteArray();
        return FakeResponse::json(
            200, "{\"data\":[" + items + "],\"pagination\":{\"nextCursor\":null,\"hasMore\":false}}");
    });
    ApiClient client(server.url(), kToken);
    client.setOptions(fastOptions());
    CreateProjectRequest req;
    req.name = QStringLiteral("p");
    auto r = await<Project>([&](auto cb) { client.createProject(req, nullptr, cb); });
    QVERIFY2(r.ok(), qPrintable(r.error().message));
    QVERIFY(r.value().recovered);
    QVERIFY(!stored.isEmpty());
    QCOMPARE(r.value().logicalId, stored);
    QCOMPARE(server.count("POST"), 1);
}

void TestApiRetry::createProjectConflictOnOwnLogicalIdIsLookedUp()
{
    // Qt may re-send a request on a dropped keep-alive connection; the service then answers 409
    // to our own second copy. With a logicalId we made up, that 409 means "it is there".
    QString stored;
    FakeServer server([&](const FakeRequest &req) {
        if (req.method == "POST") {
            stored = QJsonDocument::fromJson(req.body).object().value(QStringLiteral("logicalId")).toString();
            return FakeResponse::json(409, R"({"error":{"code":"conflict","message":"duplicate logicalId"}})");
        }
        return FakeResponse::json(
            200, "{\"data\":[" + projectJson(stored) + "],\"pagination\":{\"nextCursor\":null,\"hasMore\":false}}");
    });
    ApiClient client(server.url(), kToken);
    client.setOptions(fastOptions());
    auto r = await<Project>([&](auto cb) { client.createProject(CreateProjectRequest {}, nullptr, cb); });
    QVERIFY2(r.ok(), qPrintable(r.error().message));
    QVERIFY(r.value().recovered);
    QCOMPARE(server.count("POST"), 1);
    QCOMPARE(server.count("GET"), 1);
}

void TestApiRetry::createProjectNotLandedIsSentAgain()
{
    int posts = 0;
    FakeServer server([&](const FakeRequest &req) {
        if (req.method == "POST") {
            if (++posts == 1)
                return FakeResponse::json(503, kError503); // not applied
            const QString lid
                = QJsonDocument::fromJson(req.body).object().value(QStringLiteral("logicalId")).toString();
            return FakeResponse::json(201, "{\"data\":" + projectJson(lid) + "}");
        }
        return FakeResponse::json(200, R"({"data":[],"pagination":{"nextCursor":null,"hasMore":false}})");
    });
    ApiClient client(server.url(), kToken);
    client.setOptions(fastOptions());
    auto r = await<Project>([&](auto cb) { client.createProject(CreateProjectRequest {}, nullptr, cb); });
    QVERIFY2(r.ok(), qPrintable(r.error().message));
    QVERIFY(!r.value().recovered);
    QCOMPARE(posts, 2);
    QCOMPARE(server.count("GET"), 1); // looked up once before sending again
    // Both POSTs carried the same logicalId.
    QCOMPARE(QJsonDocument::fromJson(server.requests()[0].body).object().value(QStringLiteral("logicalId")),
        QJsonDocument::fromJson(server.requests()[2].body).object().value(QStringLiteral("logicalId")));
}

void TestApiRetry::createProjectCallerLogicalIdConflict()
{
    FakeServer server([](const FakeRequest &) {
        return FakeResponse::json(
            409, R"({"error":{"code":"conflict","message":"A project with this logicalId exists."}})");
    });
    ApiClient client(server.url(), kToken);
    client.setOptions(fastOptions());
    CreateProjectRequest req;
    req.logicalId = QStringLiteral("my-shop");
    auto r = await<Project>([&](auto cb) { client.createProject(req, nullptr, cb); });
    QCOMPARE(r.error().kind, ApiError::Kind::Conflict);
    QCOMPARE(server.requests().size(), size_t(1));
}

void TestApiRetry::deadlineEndsASlowCall()
{
    FakeServer server([](const FakeRequest &) {
        FakeResponse r = FakeResponse::json(200, workspaceBody());
        r.delayMs = 3000;
        return r;
    });
    ApiClient client(server.url(), kToken);
    auto o = fastOptions();
    o.deadline = std::chrono::milliseconds(400);
    client.setOptions(o);
    QElapsedTimer t;
    t.start();
    auto r = await<Workspace>([&](auto cb) { client.getWorkspace(QStringLiteral("wksp_1"), nullptr, cb); });
    QCOMPARE(r.error().kind, ApiError::Kind::Timeout);
    QVERIFY2(t.elapsed() >= 380 && t.elapsed() < 1500, qPrintable(QString::number(t.elapsed())));
}

void TestApiRetry::transferTimeoutPerAttempt()
{
    FakeServer server([](const FakeRequest &) {
        FakeResponse r = FakeResponse::json(200, workspaceBody());
        r.delayMs = 5000;
        return r;
    });
    ApiClient client(server.url(), kToken);
    auto o = fastOptions();
    o.transferTimeout = std::chrono::milliseconds(300);
    o.maxAttempts = 2;
    client.setOptions(o);
    QElapsedTimer t;
    t.start();
    auto r = await<Workspace>([&](auto cb) { client.getWorkspace(QStringLiteral("wksp_1"), nullptr, cb); });
    QCOMPARE(r.error().kind, ApiError::Kind::Timeout);
    QCOMPARE(server.count("GET"), 2);
    QVERIFY(t.elapsed() < 3000);
}

void TestApiRetry::cancelIsDeliveredOnceAndLater()
{
    // The server holds its answer far longer than the test needs: the cancel always comes first,
    // however loaded the machine (the test waits for the request to arrive, not for a time).
    FakeServer server([](const FakeRequest &) {
        FakeResponse r = FakeResponse::json(200, workspaceBody());
        r.delayMs = 3000;
        return r;
    });
    ApiClient client(server.url(), kToken);
    int delivered = 0;
    ApiError::Kind kind = ApiError::Kind::None;
    ApiCall *call = client.getWorkspace(QStringLiteral("wksp_1"), nullptr, [&](Result<Workspace> r) {
        ++delivered;
        kind = r.error().kind;
    });
    QSignalSpy finished(call, &ApiCall::finished);
    QCOMPARE(delivered, 0); // never from inside the call
    QTRY_COMPARE_WITH_TIMEOUT(server.count("GET"), 1, 20000); // the request is at the server
    QCOMPARE(server.answered(), 0);
    call->cancel();
    QCOMPARE(delivered, 0); // nor from inside cancel()
    call->cancel(); // twice: still one outcome
    QTRY_COMPARE(delivered, 1);
    QCOMPARE(kind, ApiError::Kind::Cancelled);
    QCOMPARE(finished.count(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(server.answered(), 1, 20000); // the server's late answer...
    QTest::qWait(50);
    QCOMPARE(delivered, 1); // ...changes nothing
    QCOMPARE(client.pendingCalls(), 0);

    // A cancelled POST that was sent may have landed.
    int posts = 0;
    bool applied = false;
    ApiError::Kind postKind = ApiError::Kind::None;
    ApiCall *post
        = client.createConnection(QStringLiteral("db_1"), QStringLiteral("c"), nullptr, [&](Result<Connection> r) {
              ++posts;
              applied = r.error().mayHaveBeenApplied;
              postKind = r.error().kind;
          });
    QTRY_COMPARE_WITH_TIMEOUT(server.count("POST"), 1, 20000);
    post->cancel();
    QTRY_COMPARE(posts, 1);
    QCOMPARE(postKind, ApiError::Kind::Cancelled);
    QVERIFY(applied);
}

namespace {
// Runs `action` when the queued delivery of an ApiCall is about to run, i.e. once the outcome
// is decided but before the handler saw it.
class BeforeDelivery : public QObject
{
public:
    BeforeDelivery(ApiCall *call, std::function<void()> action) : m_call(call), m_action(std::move(action)) { }
    bool fired = false;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (watched == m_call && event->type() == QEvent::MetaCall && !fired && m_call->isFinished()
            && !m_call->isDelivered()) {
            fired = true;
            m_action();
        }
        return false;
    }

private:
    ApiCall *m_call;
    std::function<void()> m_action;
};
} // namespace

void TestApiRetry::cancelWinsOverAnUndeliveredOutcome()
{
    // The reply has arrived and the outcome (a success) is decided, but not delivered yet:
    // cancelAll() (the session ends) must still turn it into Cancelled, so no data of the old
    // session reaches anyone.
    FakeServer server([](const FakeRequest &) { return FakeResponse::json(200, workspaceBody()); });
    ApiClient client(server.url(), kToken);
    std::optional<Result<Workspace>> got;
    ApiCall *call = client.getWorkspace(
        QStringLiteral("wksp_1"), nullptr, [&](Result<Workspace> r) { got.emplace(std::move(r)); });
    BeforeDelivery hook(call, [&] { client.cancelAll(); });
    call->installEventFilter(&hook);
    QTRY_VERIFY(got.has_value());
    QVERIFY(hook.fired);
    QCOMPARE(got->error().kind, ApiError::Kind::Cancelled);
}

void TestApiRetry::destroyedClientOrContextDeliversNothing()
{
    // The answers come only after the client (or the context) is gone, and the test waits for
    // them to have come (FakeServer::answered) instead of for a time.
    FakeServer server([](const FakeRequest &) {
        FakeResponse r = FakeResponse::json(200, workspaceBody());
        r.delayMs = 1000;
        return r;
    });
    int delivered = 0;
    {
        auto *client = new ApiClient(server.url(), kToken);
        client->getWorkspace(QStringLiteral("wksp_1"), nullptr, [&](Result<Workspace>) { ++delivered; });
        client->listProjects({}, nullptr, [&](Result<Page<Project>>) { ++delivered; });
        QTRY_COMPARE_WITH_TIMEOUT(server.count("GET"), 2, 20000); // both are at the server
        QCOMPARE(server.answered(), 0);
        delete client; // the session ends
    }
    QTRY_COMPARE_WITH_TIMEOUT(server.answered(), 2, 20000);
    ApiClient client(server.url(), kToken);
    auto *context = new QObject;
    client.getWorkspace(QStringLiteral("wksp_1"), context, [&](Result<Workspace>) { ++delivered; });
    delete context;
    // The reply still arrives and is read (the call ends), but nobody is there to hear it.
    QTRY_COMPARE_WITH_TIMEOUT(server.answered(), 3, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(client.pendingCalls(), 0, 20000);
    QTest::qWait(50);
    QCOMPARE(delivered, 0);
}

void TestApiRetry::refusedRequestsAreNotSent()
{
    FakeServer server([](const FakeRequest &) { return FakeResponse::json(200, workspaceBody()); });
    {
        ApiClient insecure(QUrl(QStringLiteral("http://api.example.com")), kToken);
        auto r = await<Me>([&](auto cb) { insecure.me(nullptr, cb); });
        QCOMPARE(r.error().kind, ApiError::Kind::Validation);
        QCOMPARE(r.error().code, QStringLiteral("not_sent"));
    }
    ApiClient client(server.url(), kToken);
    for (const QString &id : { QString(), QStringLiteral(".."), QStringLiteral(".") }) {
        auto r = await<Done>([&](auto cb) { client.deleteProject(id, nullptr, cb); });
        QCOMPARE(r.error().kind, ApiError::Kind::Validation);
    }
    // An id cannot change the route.
    auto r = await<Project>([&](auto cb) { client.getProject(QStringLiteral("a/b?c#d"), nullptr, cb); });
    Q_UNUSED(r);
    ApiClient bad(server.url(), QByteArray("tok\r\nX-Injected: 1"));
    auto injected = await<Me>([&](auto cb) { bad.me(nullptr, cb); });
    QCOMPARE(injected.error().kind, ApiError::Kind::Validation);
    QCOMPARE(server.requests().size(), size_t(1));
    QCOMPARE(server.requests().front().path, QStringLiteral("/v1/projects/a%2Fb%3Fc%23d"));
}

void TestApiRetry::unauthorizedSignalIsQueued()
{
    FakeServer server([](const FakeRequest &) {
        return FakeResponse::json(
            401, R"({"error":{"code":"unauthorized","message":"Missing or invalid bearer token."}})");
    });
    // A receiver that only notes it: the handler gets its Unauthorized exactly once, and the
    // signal comes exactly once, both from the event loop (never inside the call).
    {
        ApiClient client(server.url(), kToken);
        int signalled = 0;
        connect(&client, &ApiClient::unauthorized, this, [&] { ++signalled; });
        int delivered = 0;
        ApiError::Kind kind = ApiError::Kind::None;
        client.me(nullptr, [&](Result<Me> r) {
            ++delivered;
            kind = r.error().kind;
        });
        QCOMPARE(signalled, 0);
        QCOMPARE(delivered, 0);
        QTRY_VERIFY(signalled > 0 && delivered > 0);
        QTRY_COMPARE(client.pendingCalls(), 0);
        QTest::qWait(50);
        QCOMPARE(signalled, 1);
        QCOMPARE(delivered, 1);
        QCOMPARE(kind, ApiError::Kind::Unauthorized);
    }
    // A receiver that ends the session right there (deletes the client) must not crash anything;
    // the signal is queued ahead of the call's outcome, so the session's end wins and the handler
    // hears nothing (a destroyed client delivers nothing more).
    auto *client = new ApiClient(server.url(), kToken);
    int signalled = 0;
    QPointer<ApiClient> guard(client);
    connect(client, &ApiClient::unauthorized, this, [&] {
        ++signalled;
        delete client;
    });
    int delivered = 0;
    client->me(nullptr, [&](Result<Me> r) {
        ++delivered;
        QCOMPARE(r.error().kind, ApiError::Kind::Unauthorized);
    });
    QTRY_VERIFY(signalled > 0);
    QTest::qWait(100);
    QVERIFY(!guard);
    QCOMPARE(signalled, 1);
    QCOMPARE(delivered, 0);
}

QTEST_GUILESS_MAIN(TestApiRetry)
#include "tst_apiretry.moc"

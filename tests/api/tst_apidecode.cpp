// Large replies are decoded on a worker thread (ApiCall::Request::decoder, bodies of
// ApiCall::kDecodeOnWorkerBytes or more), against a scripted local server (fakeserver.h) that sends
// one page of 20,000 projects (about 5 MB, so that decoding takes long enough to be seen):
// - the event loop keeps running while the page is decoded, and the handler gets every project;
// - cancel() between the reply and its delivery still wins: the handler sees Cancelled, once;
// - a large reply that is not JSON is a Protocol error, as a small one is.
// Runs under ThreadSanitizer too (label `threads`).
#include "apiclient.h"
#include "fakeserver.h"

#include <QPointer>
#include <QTest>
#include <QTimer>

#include <optional>

namespace {

const QByteArray kToken = "ppg-test-token-decode";
constexpr int kProjects = 20000;

QByteArray largeProjectPage()
{
    QByteArray body = R"({"data":[)";
    for (int i = 0; i < kProjects; ++i) {
        if (i > 0)
            body += ',';
        body += QStringLiteral(R"({"id":"proj_%1","type":"project","url":"http://x/v1/projects/proj_%1",)"
                               R"("name":"Project %1","logicalId":null,"createdAt":"2025-01-01T00:00:00Z",)"
                               R"("defaultRegion":"eu-central-1","workspace":{"id":"wksp_1","name":"Acme"}})")
                    .arg(i)
                    .toUtf8();
    }
    body += R"(],"pagination":{"nextCursor":null,"hasMore":false}})";
    return body;
}

} // namespace

class TestApiDecode : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void largePageDecodedWhileTheEventLoopRuns();
    void cancelWhileDecodingWins();
    void largeBodyThatIsNotJsonIsAProtocolError();
};

void TestApiDecode::largePageDecodedWhileTheEventLoopRuns()
{
    const QByteArray body = largeProjectPage();
    QVERIFY(body.size() >= ApiCall::kDecodeOnWorkerBytes);
    FakeServer server([&](const FakeRequest &) { return FakeResponse::json(200, body); });
    ApiClient client(server.url(), kToken);
    QObject context;
    std::optional<Result<Page<Project>>> result;
    const QPointer<ApiCall> call
        = client.listProjects(PageRequest {}, &context, [&](Result<Page<Project>> r) { result = std::move(r); });
    // The reply is in once the outcome is decided; from then on, count the event loop's turns
    // until the handler runs. Decoded in place, the handler would run at the first turn.
    QVERIFY(QTest::qWaitFor([&] { return !call || call->isFinished(); }, 30000));
    QVERIFY2(!result, "the outcome is never delivered inside the turn that decided it");
    int turns = 0;
    QTimer ticker;
    ticker.setInterval(0);
    QObject::connect(&ticker, &QTimer::timeout, [&] { ++turns; });
    ticker.start();
    QVERIFY(QTest::qWaitFor([&] { return result.has_value(); }, 60000));
    ticker.stop();
    QVERIFY2(turns >= 3, qPrintable(QStringLiteral("%1 turns of the event loop while decoding").arg(turns)));
    QVERIFY2(result->ok(), qPrintable(result->error().userMessage()));
    const std::vector<Project> &projects = result->value().items;
    QCOMPARE(int(projects.size()), kProjects);
    QCOMPARE(projects.front().name, QStringLiteral("Project 0"));
    QCOMPARE(projects.back().id, QStringLiteral("proj_%1").arg(kProjects - 1));
    QCOMPARE(projects.back().workspace.name, QStringLiteral("Acme"));
}

void TestApiDecode::cancelWhileDecodingWins()
{
    const QByteArray body = largeProjectPage();
    FakeServer server([&](const FakeRequest &) { return FakeResponse::json(200, body); });
    ApiClient client(server.url(), kToken);
    QObject context;
    int delivered = 0;
    ApiError error;
    const QPointer<ApiCall> call = client.listProjects(PageRequest {}, &context, [&](Result<Page<Project>> r) {
        ++delivered;
        error = r.ok() ? ApiError {} : r.error();
    });
    QVERIFY(QTest::qWaitFor([&] { return !call || call->isFinished(); }, 30000));
    QVERIFY2(call && !call->isDelivered(), "decided, not delivered yet");
    call->cancel();
    QVERIFY(QTest::qWaitFor([&] { return delivered > 0; }, 60000));
    QTest::qWait(50);
    QCOMPARE(delivered, 1);
    QCOMPARE(error.kind, ApiError::Kind::Cancelled);
}

void TestApiDecode::largeBodyThatIsNotJsonIsAProtocolError()
{
    const QByteArray body = largeProjectPage().chopped(2); // cut short
    FakeServer server([&](const FakeRequest &) { return FakeResponse::json(200, body); });
    ApiClient client(server.url(), kToken);
    QObject context;
    std::optional<Result<Page<Project>>> result;
    client.listProjects(PageRequest {}, &context, [&](Result<Page<Project>> r) { result = std::move(r); });
    QVERIFY(QTest::qWaitFor([&] { return result.has_value(); }, 60000));
    QVERIFY(!result->ok());
    QCOMPARE(result->error().kind, ApiError::Kind::Protocol);
}

QTEST_MAIN(TestApiDecode)
#include "tst_apidecode.moc"

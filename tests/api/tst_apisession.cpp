// Sessions: switching profiles in the middle of a large listing (ppg-sandbox --seed-projects
// 2000). The old profile's client is destroyed (as SessionManager does) or cancelAll()ed while
// pages and other calls are in flight; nothing of the old profile may reach the new one.
#include "await.h"
#include "pagewalker.h"
#include "sandboxfaults.h"
#include "sandboxprocess.h"

#include <QTest>

namespace {
const QByteArray kTokenA = "ppg-test-token-a";
const QByteArray kTokenB = "ppg-test-token-b";
} // namespace

// What a view would be: it shows the items of the current session only.
struct View
{
    int session = 0;
    QString workspace; // the workspace the current session shows
    int itemsShown = 0;
    int foreignItems = 0; // items of another workspace that reached it
    int staleCallbacks = 0; // callbacks tagged with an older session that carried data
};

class TestApiSession : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void switchDuringLargeListing_data();
    void switchDuringLargeListing();

private:
    SandboxProcess m_sandbox;
    QString m_workspaceA, m_workspaceB;
};

void TestApiSession::initTestCase()
{
    SandboxProcess::Options o;
    o.tokens = QStringList { QString::fromLatin1(kTokenA) + QStringLiteral("=Acme"),
        QString::fromLatin1(kTokenB) + QStringLiteral("=Beta") };
    o.extraArgs = QStringList { QStringLiteral("--seed-projects"), QStringLiteral("2000") };
    QVERIFY2(m_sandbox.start(o), qPrintable(m_sandbox.errorString()));
    qInfo("sandbox with 2000 seeded projects started in %lld ms", m_sandbox.startMs());
    QObject ctx;
    ApiClient a(m_sandbox.baseUrl(), kTokenA), b(m_sandbox.baseUrl(), kTokenB);
    m_workspaceA = await<Me>([&](auto cb) { a.me(&ctx, cb); }).value().workspace->id;
    m_workspaceB = await<Me>([&](auto cb) { b.me(&ctx, cb); }).value().workspace->id;
    QVERIFY(!m_workspaceA.isEmpty() && m_workspaceA != m_workspaceB);
    for (int i = 0; i < 5; ++i) {
        CreateProjectRequest req;
        req.name = QStringLiteral("beta %1").arg(i);
        req.createDatabase = false;
        QVERIFY(await<Project>([&](auto cb) { b.createProject(req, &ctx, cb); }).ok());
    }
}

void TestApiSession::switchDuringLargeListing_data()
{
    QTest::addColumn<bool>("destroy"); // true: the old client is deleted; false: cancelAll() then deleteLater()
    QTest::addColumn<int>("latencyMs");
    QTest::newRow("destroy client") << true << 0;
    QTest::newRow("cancelAll") << false << 0;
    QTest::newRow("destroy client, slow server") << true << 40;
    QTest::newRow("cancelAll, slow server") << false << 40;
}

void TestApiSession::switchDuringLargeListing()
{
    QFETCH(bool, destroy);
    QFETCH(int, latencyMs);
    QVERIFY(setSandboxFaults(m_sandbox.baseUrl(),
        QJsonObject { { QStringLiteral("latencyMs"), latencyMs }, { QStringLiteral("jitterMs"), latencyMs } }));
    View view;
    QObject model; // the long-lived receiver (like ResourceTreeModel): it outlives every session
    auto show = [&view](int session, const Page<Project> &page) {
        if (session != view.session) {
            view.staleCallbacks += page.items.empty() ? 0 : 1;
            return;
        }
        for (const Project &p : page.items) {
            ++view.itemsShown;
            if (p.workspace.id != view.workspace)
                ++view.foreignItems;
        }
    };

    // Session 1 (profile A): a listing of 2000 projects, 20 per page, plus other calls in flight.
    view.session = 1;
    view.workspace = m_workspaceA;
    auto *clientA = new ApiClient(m_sandbox.baseUrl(), kTokenA);
    int pagesA = 0;
    std::optional<Result<Done>> doneA;
    auto *walkerA = walkAll<Project>(
        &model, [clientA](const PageRequest &r, QObject *ctx, auto cb) { return clientA->listProjects(r, ctx, cb); },
        [&](const Page<Project> &p) {
            ++pagesA;
            show(1, p);
        },
        [&](const Result<Done> &r) { doneA.emplace(r); }, 20);
    QPointer<PageWalkerBase> walkerGuard(walkerA);
    QTRY_VERIFY_WITH_TIMEOUT(pagesA >= 5, 30000);
    QVERIFY(!doneA); // the listing is far from over: 100 pages
    int extraA = 0;
    for (int i = 0; i < 10; ++i) {
        clientA->listProjects({ QString(), 50 }, &model, [&](Result<Page<Project>> r) {
            ++extraA;
            if (r.ok())
                show(1, r.value());
        });
    }

    // Switch to profile B.
    const int shownBeforeSwitch = view.itemsShown;
    if (destroy) {
        delete clientA;
    } else {
        clientA->cancelAll();
        clientA->deleteLater();
    }
    view.session = 2;
    view.workspace = m_workspaceB;
    ApiClient clientB(m_sandbox.baseUrl(), kTokenB);
    int pagesB = 0;
    std::optional<Result<Done>> doneB;
    walkAll<Project>(
        &model, [&clientB](const PageRequest &r, QObject *ctx, auto cb) { return clientB.listProjects(r, ctx, cb); },
        [&](const Page<Project> &p) {
            ++pagesB;
            show(2, p);
        },
        [&](const Result<Done> &r) { doneB.emplace(r); }, 2);
    QTRY_VERIFY_WITH_TIMEOUT(doneB.has_value(), 30000);
    QVERIFY2(doneB->ok(), qPrintable(doneB->error().message));
    QTest::qWait(500 + 4 * latencyMs); // late replies of A would arrive now

    // The old walker ended as Cancelled (no data), or not at all; nothing of A was shown after.
    QVERIFY(!doneA || doneA->error().kind == ApiError::Kind::Cancelled);
    QTRY_VERIFY(!walkerGuard);
    QCOMPARE(view.staleCallbacks, 0);
    QCOMPARE(view.foreignItems, 0);
    QCOMPARE(view.itemsShown - shownBeforeSwitch, 5); // B's own five projects, no more
    QVERIFY(pagesB >= 3);
    qInfo("profile A: %d pages before the switch, %d of 10 extra calls delivered (all Cancelled, no data); profile B: "
          "%d pages, "
          "0 replies of A after the switch",
        pagesA, extraA, pagesB);
    QVERIFY(clearSandboxFaults(m_sandbox.baseUrl()));
}

QTEST_GUILESS_MAIN(TestApiSession)
#include "tst_apisession.moc"

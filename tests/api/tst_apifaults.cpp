// The client under injected faults (ppg-sandbox --fault-5xx-rate 0.2 --fault-429-rate 0.05
// --fault-drop-rate 0.05, fixed seed): every GET of ≥500 ends in success or a typed error within
// its deadline, and creating projects never makes a duplicate (checked with faults off, by name
// and by logicalId).
#include "await.h"
#include "pagewalker.h"
#include "sandboxfaults.h"
#include "sandboxprocess.h"

#include <QElapsedTimer>
#include <QTest>

#include <map>

namespace {
const QByteArray kToken = "ppg-test-token-a";
constexpr int kProjects = 24;
constexpr int kGets = 520;
constexpr int kConcurrency = 24;
} // namespace

class TestApiFaults : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void createUnderFaultsMakesNoDuplicate();
    void everyGetEndsTypedAndInTime();

private:
    ApiClient::Options options() const;
    SandboxProcess m_sandbox;
    QObject m_ctx;
    std::vector<QString> m_projectIds;
    std::vector<QString> m_databaseIds;
};

ApiClient::Options TestApiFaults::options() const
{
    ApiClient::Options o;
    o.maxAttempts = 5;
    o.baseBackoff = std::chrono::milliseconds(50);
    o.maxBackoff = std::chrono::milliseconds(400);
    o.transferTimeout = std::chrono::milliseconds(5000);
    o.deadline = std::chrono::milliseconds(8000);
    o.maxRetryAfter = std::chrono::milliseconds(2000);
    return o;
}

void TestApiFaults::initTestCase()
{
    SandboxProcess::Options o;
    o.tokens = QStringList { QString::fromLatin1(kToken) + QStringLiteral("=Acme") };
    o.extraArgs = QStringList { QStringLiteral("--provisioning-ms"), QStringLiteral("0"),
        QStringLiteral("--seed-projects"), QStringLiteral("40"), QStringLiteral("--seed-databases-per-project"),
        QStringLiteral("1"), QStringLiteral("--fault-5xx-rate"), QStringLiteral("0.2"),
        QStringLiteral("--fault-429-rate"), QStringLiteral("0.05"), QStringLiteral("--fault-drop-rate"),
        QStringLiteral("0.05"), QStringLiteral("--fault-seed"), QStringLiteral("4242") };
    QVERIFY2(m_sandbox.start(o), qPrintable(m_sandbox.errorString()));
}

void TestApiFaults::createUnderFaultsMakesNoDuplicate()
{
    ApiClient client(m_sandbox.baseUrl(), kToken);
    client.setOptions(options());
    int done = 0, ok = 0, recovered = 0, failedApplied = 0, failedNotApplied = 0;
    std::map<QString, QString> okByName; // name -> id
    std::map<QString, QString> notApplied; // name -> kind
    int next = 0;
    std::function<void()> launch = [&] {
        const int i = next++;
        CreateProjectRequest req;
        req.name = QStringLiteral("fault-%1").arg(i, 3, 10, QLatin1Char('0'));
        req.createDatabase = false;
        client.createProject(req, &m_ctx, [&, name = req.name](Result<Project> r) {
            ++done;
            if (r.ok()) {
                ++ok;
                recovered += r.value().recovered ? 1 : 0;
                okByName[name] = r.value().id;
            } else if (r.error().mayHaveBeenApplied) {
                ++failedApplied;
            } else {
                ++failedNotApplied;
                notApplied[name] = ApiError::kindName(r.error().kind);
            }
            if (next < kProjects)
                launch();
        });
    };
    for (int i = 0; i < 6; ++i)
        launch();
    QTRY_COMPARE_WITH_TIMEOUT(done, kProjects, 60000);

    // With faults off, list everything and count.
    QVERIFY(clearSandboxFaults(m_sandbox.baseUrl()));
    std::map<QString, int> countByName;
    std::map<QString, int> countByLogicalId;
    std::optional<Result<Done>> walked;
    walkAll<Project>(
        &m_ctx, [&](const PageRequest &r, QObject *ctx, auto cb) { return client.listProjects(r, ctx, cb); },
        [&](const Page<Project> &page) {
            for (const Project &p : page.items) {
                if (!p.name.startsWith(QLatin1String("fault-")))
                    continue;
                ++countByName[p.name];
                ++countByLogicalId[p.logicalId];
            }
        },
        [&](const Result<Done> &r) { walked.emplace(r); }, 50);
    QTRY_VERIFY_WITH_TIMEOUT(walked.has_value(), 30000);
    QVERIFY(walked->ok());
    for (const auto &[name, n] : countByName)
        QVERIFY2(n == 1, qPrintable(QStringLiteral("%1 exists %2 times").arg(name).arg(n)));
    for (const auto &[lid, n] : countByLogicalId)
        QVERIFY2(!lid.isEmpty() && n == 1, "duplicate or missing logicalId");
    for (const auto &[name, id] : okByName)
        QVERIFY2(countByName.count(name) == 1, qPrintable(name + QStringLiteral(" reported created but missing")));
    for (const auto &[name, kind] : notApplied)
        QVERIFY2(countByName.count(name) == 0,
            qPrintable(name + QStringLiteral(" reported not applied (") + kind + QStringLiteral(") but exists")));
    qInfo("project creation under faults: %d calls, %d created (%d recovered by logicalId), %d failed (may have been "
          "applied), "
          "%d failed (not applied); %d distinct projects listed afterwards, 0 duplicates",
        kProjects, ok, recovered, failedApplied, failedNotApplied, int(countByName.size()));
    QVERIFY(ok >= kProjects / 2);
    for (const auto &[name, id] : okByName)
        m_projectIds.push_back(id);

    // Databases to read in the next test.
    auto dbs = await<Page<Database>>([&](auto cb) { client.listAllDatabases({ QString(), 20 }, &m_ctx, cb); });
    QVERIFY(dbs.ok());
    for (const Database &d : dbs.value().items)
        m_databaseIds.push_back(d.id);
    QVERIFY(!m_databaseIds.empty());
}

void TestApiFaults::everyGetEndsTypedAndInTime()
{
    QVERIFY(setSandboxFaults(m_sandbox.baseUrl(),
        QJsonObject { { QStringLiteral("rate5xx"), 0.2 }, { QStringLiteral("rate429"), 0.05 },
            { QStringLiteral("dropRate"), 0.05 }, { QStringLiteral("seed"), 77 } }));
    ApiClient client(m_sandbox.baseUrl(), kToken);
    client.setOptions(options());
    const qint64 budget = options().deadline.count() + 1000; // deadline plus event-loop slack

    int started = 0, finished = 0, successes = 0, late = 0, untyped = 0, attempts = 0;
    std::map<QString, int> errorsByKind;
    QElapsedTimer total;
    total.start();
    std::function<void()> launch = [&] {
        const int i = started++;
        auto clock = std::make_shared<QElapsedTimer>();
        clock->start();
        auto call = std::make_shared<QPointer<ApiCall>>();
        // `ok` is the Result's own verdict; an error that carries no kind is counted as untyped,
        // never as a success (ApiError::isError() is false for it, so it cannot be asked).
        auto record = [&, clock, call](bool ok, const ApiError &e) {
            ++finished;
            if (*call)
                attempts += (*call)->attempts();
            if (clock->elapsed() > budget)
                ++late;
            if (ok)
                ++successes;
            else if (e.kind == ApiError::Kind::None)
                ++untyped;
            else
                ++errorsByKind[ApiError::kindName(e.kind)];
            if (started < kGets)
                launch();
        };
        const QString projectId = m_projectIds[size_t(i) % m_projectIds.size()];
        const QString databaseId = m_databaseIds[size_t(i) % m_databaseIds.size()];
        switch (i % 8) {
        case 0:
            *call = client.me(&m_ctx, [record](Result<Me> r) { record(r.ok(), r.error()); });
            break;
        case 1:
            *call
                = client.listWorkspaces({}, &m_ctx, [record](Result<Page<Workspace>> r) { record(r.ok(), r.error()); });
            break;
        case 2:
            *call = client.listRegions(&m_ctx, [record](Result<std::vector<Region>> r) { record(r.ok(), r.error()); });
            break;
        case 3:
            *call = client.listProjects(
                { QString(), 25 }, &m_ctx, [record](Result<Page<Project>> r) { record(r.ok(), r.error()); });
            break;
        case 4:
            *call = client.getProject(projectId, &m_ctx, [record](Result<Project> r) { record(r.ok(), r.error()); });
            break;
        case 5:
            *call = client.listAllDatabases(
                { QString(), 10 }, &m_ctx, [record](Result<Page<Database>> r) { record(r.ok(), r.error()); });
            break;
        case 6:
            *call = client.getDatabase(databaseId, &m_ctx, [record](Result<Database> r) { record(r.ok(), r.error()); });
            break;
        default:
            *call = client.listConnections(
                databaseId, {}, &m_ctx, [record](Result<Page<Connection>> r) { record(r.ok(), r.error()); });
            break;
        }
    };
    for (int i = 0; i < kConcurrency; ++i)
        launch();
    QTRY_COMPARE_WITH_TIMEOUT(finished, kGets, 80000);
    QCOMPARE(client.pendingCalls(), 0);

    QString errors;
    int errorCount = 0;
    for (const auto &[kind, n] : errorsByKind) {
        errors += QStringLiteral(" %1=%2").arg(kind).arg(n);
        errorCount += n;
    }
    qInfo("GETs under faults (5xx 0.2, 429 0.05, drop 0.05): %d calls, %d HTTP attempts, %d successes, "
          "%d typed errors (%s), %d over budget, %lld ms in all",
        kGets, attempts, successes, errorCount,
        qPrintable(errors.trimmed().isEmpty() ? QStringLiteral("none") : errors.trimmed()), late, total.elapsed());
    QCOMPARE(untyped, 0);
    QCOMPARE(successes + errorCount, kGets);
    QCOMPARE(late, 0);
    QVERIFY(attempts > kGets); // faults did happen and were retried
    QVERIFY(successes >= kGets * 9 / 10);
    for (const auto &[kind, n] : errorsByKind)
        QVERIFY2(kind == QLatin1String("server") || kind == QLatin1String("rate limited")
                || kind == QLatin1String("network") || kind == QLatin1String("timeout"),
            qPrintable(kind));
}

QTEST_GUILESS_MAIN(TestApiFaults)
#include "tst_apifaults.moc"

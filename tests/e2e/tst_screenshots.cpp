// The README's screenshots (docs/screenshots: details-light/dark, search-light/dark,
// backups-light/dark, plan-blocked, all-profiles), made by the real ppg-console (PPG_CONSOLE_BIN) as the README says,
// `--select <db id> --screenshot FILE` and `--search shop --color-scheme dark --screenshot FILE`,
// against a private ppg-sandbox holding the README's account (shop-prod with reporting and ci,
// shop-staging, analytics, blog). reporting holds a table that grew before each of its four real
// backups (pg_dump archives); for the picture they are aged a day apart with SQL on the sandbox's
// state, so the list reads like a week's. Each PNG must
// exist and look right: the window's size, drawn content (hundreds of colours, not a flat grab),
// a selection bar, a light background in the light scheme and a dark one in the dark scheme.
// plan-blocked: the workspace's usage blocked through the sandbox's control route, the console waits
// for the plan's answer. all-profiles: `--all-profiles` over three saved profiles (their tokens in
// the keychain, taken out again at the end): two workspaces in their profiles' colours and one
// refused token's error row.
// Written to PPG_SCREENSHOT_DIR when it is set (to refresh docs/screenshots), else to
// screenshots/ in the build folder, where a person can look at them.
#include "await.h"
#include "consoleprocess.h"
#include "imagechecks.h"
#include "keychaincleanup.h"
#include "profilesetup.h"
#include "sandboxfaults.h"
#include "sandboxprocess.h"

#include <QDir>
#include <QEventLoop>
#include <QImage>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

namespace {
const QByteArray kToken = "ppg-test-token-shots";
const QByteArray kStagingToken = "ppg-test-token-shots-staging";
const QColor kProductionColor(QStringLiteral("#2e7d32"));
const QColor kStagingColor(QStringLiteral("#ef6c00"));
} // namespace

class TestScreenshots : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void screenshot_data();
    void screenshot();
    void darkIsDarkerThanLight();
    void cleanupTestCase();

private:
    // Runs the console with `args` (plus, unless `savedProfiles`, --api-url and the token in
    // PRISMA_SERVICE_TOKEN; always a settings folder of its own) and returns its exit code;
    // `output` gets what it printed.
    int runConsole(const QStringList &args, QString *output, bool savedProfiles = false);
    // The console's settings file in the test's settings folder.
    QString consoleIni() const;
    bool saveProfile(const QString &name, const QByteArray &token, const QColor &color);
    bool setUsageBlocked(bool blocked);

    SandboxProcess m_sandbox;
    QTemporaryDir m_config;
    QString m_outDir;
    QString m_databaseId; // shop-prod's default database
    QString m_reportingId; // shop-prod's reporting database, with backups
    QString m_workspaceId; // the token's workspace
    QHash<QString, ImageStats> m_stats; // by file name
};

void TestScreenshots::initTestCase()
{
    QVERIFY2(!qEnvironmentVariableIsEmpty("PPG_CONSOLE_BIN"), "PPG_CONSOLE_BIN is not set (CTest sets it)");
    QVERIFY(m_config.isValid());
    m_outDir = qEnvironmentVariableIsEmpty("PPG_SCREENSHOT_DIR") ? QStringLiteral(PPG_SCREENSHOT_DEFAULT_DIR)
                                                                 : qEnvironmentVariable("PPG_SCREENSHOT_DIR");
    QVERIFY(QDir().mkpath(m_outDir));

    SandboxProcess::Options o;
    o.tokens = { QString::fromLatin1(kToken) + QStringLiteral("=Local sandbox"),
        QString::fromLatin1(kStagingToken) + QStringLiteral("=Staging") };
    o.extraArgs = { QStringLiteral("--provisioning-ms"), QStringLiteral("0") };
    QVERIFY2(m_sandbox.start(o), qPrintable(m_sandbox.errorString()));
    ApiClient client(m_sandbox.baseUrl(), kToken);
    QObject ctx;
    const auto project = [&](const QString &name, const QString &region) {
        CreateProjectRequest r;
        r.name = name;
        r.region = region;
        return await<Project>([&](auto cb) { client.createProject(r, &ctx, cb); });
    };
    auto shop = project(QStringLiteral("shop-prod"), QStringLiteral("eu-central-1"));
    QVERIFY2(shop.ok(), qPrintable(shop.error().message));
    QVERIFY(shop.value().database.has_value());
    m_databaseId = shop.value().database->id;
    auto ci
        = await<Connection>([&](auto cb) { client.createConnection(m_databaseId, QStringLiteral("ci"), &ctx, cb); });
    QVERIFY(ci.ok());
    CreateDatabaseRequest reporting;
    reporting.name = QStringLiteral("reporting");
    auto reportingDb = await<Database>([&](auto cb) { client.createDatabase(shop.value().id, reporting, &ctx, cb); });
    QVERIFY(reportingDb.ok());
    m_reportingId = reportingDb.value().id;
    const QString reportingCs = reportingDb.value().connections.front().direct->connectionString;
    QNetworkAccessManager nam;
    for (int n = 1; n <= 4; ++n) {
        QString error;
        QVERIFY2(SandboxProcess::querySql(reportingCs,
                     QStringLiteral("CREATE TABLE IF NOT EXISTS orders(id bigserial PRIMARY KEY, item text); INSERT "
                                    "INTO orders(item) SELECT 'item ' || g FROM generate_series(1, %1) g; SELECT 1")
                         .arg(4000 * n * n),
                     &error)
                     .isValid(),
            qPrintable(error));
        QNetworkReply *taken = nam.post(QNetworkRequest(m_sandbox.baseUrl().resolved(
                                            QUrl(QStringLiteral("/_sandbox/databases/%1/backups").arg(m_reportingId)))),
            QByteArray());
        QEventLoop loop;
        connect(taken, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        loop.exec();
        QCOMPARE(taken->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 201);
        taken->deleteLater();
        QVERIFY(QTest::qWaitFor(
            [&] {
                auto list = await<BackupList>([&](auto cb) { client.listBackups(m_reportingId, 1, &ctx, cb); });
                return list.ok() && !list.value().items.empty()
                    && list.value().items.front().status == Backup::Status::Completed;
            },
            60000));
    }
    QString error;
    QVERIFY2(m_sandbox
                 .queryScalar(QStringLiteral("WITH o AS (SELECT id, row_number() OVER (ORDER BY created_ms DESC) - 1 "
                                             "AS age FROM backups) UPDATE backups b SET created_ms = b.created_ms - "
                                             "o.age * 90000000 FROM o WHERE o.id = b.id RETURNING b.id"),
                     &error)
                 .isValid(),
        qPrintable(error));
    QVERIFY(project(QStringLiteral("shop-staging"), QStringLiteral("eu-central-1")).ok());
    QVERIFY(project(QStringLiteral("analytics"), QStringLiteral("us-east-1")).ok());
    QVERIFY(project(QStringLiteral("blog"), QStringLiteral("ap-northeast-1")).ok());
    m_workspaceId = shop.value().workspace.id;

    // A second workspace for All Profiles, and the three profiles it shows.
    ApiClient staging(m_sandbox.baseUrl(), kStagingToken);
    for (const auto &[name, region] :
        { std::pair { "storefront-preview", "eu-central-1" }, std::pair { "payments-sandbox", "us-east-1" } }) {
        CreateProjectRequest r;
        r.name = QString::fromLatin1(name);
        r.region = QString::fromLatin1(region);
        QVERIFY(await<Project>([&](auto cb) { staging.createProject(r, &ctx, cb); }).ok());
    }
    QVERIFY(saveProfile(QStringLiteral("Production"), kToken, kProductionColor));
    QVERIFY(saveProfile(QStringLiteral("Staging"), kStagingToken, kStagingColor));
    QVERIFY(saveProfile(QStringLiteral("Old laptop"), "ppg-test-token-revoked", QColor(QStringLiteral("#8e24aa"))));
}

void TestScreenshots::cleanupTestCase()
{
    QVERIFY(removeStoredProfileSecrets(consoleIni(), QStringLiteral("ppg-console")));
}

QString TestScreenshots::consoleIni() const
{
    return m_config.filePath(QStringLiteral("prisma-postgres-console/ppg-console.ini"));
}

bool TestScreenshots::saveProfile(const QString &name, const QByteArray &token, const QColor &color)
{
    Profile profile;
    profile.name = name;
    profile.apiUrl = m_sandbox.baseUrl();
    profile.color = color;
    // The console's own keychain service: it reads the tokens from there.
    return saveTestProfile(consoleIni(), QStringLiteral("ppg-console"), profile, token).has_value();
}

bool TestScreenshots::setUsageBlocked(bool blocked)
{
    return setSandboxSubscription(m_sandbox.baseUrl(), m_workspaceId,
        QJsonObject { { QStringLiteral("usageBlocked"), blocked },
            { QStringLiteral("planName"), blocked ? QStringLiteral("Free") : QStringLiteral("Pro") } });
}

int TestScreenshots::runConsole(const QStringList &args, QString *output, bool savedProfiles)
{
    const ConsoleRun run = runConsoleProcess(m_config.path(),
        (savedProfiles ? QStringList() : QStringList { QStringLiteral("--api-url"), m_sandbox.baseUrl().toString() })
            + args,
        {}, savedProfiles ? QByteArray() : kToken, 120000);
    *output = run.out + run.err + (run.finished ? QString() : QStringLiteral("\n(killed after 120 s)"));
    return run.finished ? run.exitCode : -1;
}

void TestScreenshots::screenshot_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QStringList>("args"); // besides --api-url and --screenshot
    QTest::addColumn<bool>("dark");
    // As the README makes them: the details of shop-prod's database, and a search for "shop".
    QTest::newRow("details, light") << QStringLiteral("details-light.png") << QStringList { QStringLiteral("--select") }
                                    << false;
    QTest::newRow("details, dark") << QStringLiteral("details-dark.png")
                                   << QStringList { QStringLiteral("--color-scheme"), QStringLiteral("dark"),
                                          QStringLiteral("--select") }
                                   << true;
    QTest::newRow("search, light") << QStringLiteral("search-light.png")
                                   << QStringList { QStringLiteral("--search"), QStringLiteral("shop") } << false;
    QTest::newRow("search, dark") << QStringLiteral("search-dark.png")
                                  << QStringList { QStringLiteral("--search"), QStringLiteral("shop"),
                                         QStringLiteral("--color-scheme"), QStringLiteral("dark") }
                                  << true;
    // The backups of reporting in the details pane.
    QTest::newRow("backups, light") << QStringLiteral("backups-light.png")
                                    << QStringList { QStringLiteral("--select-backups") } << false;
    QTest::newRow("backups, dark") << QStringLiteral("backups-dark.png")
                                   << QStringList { QStringLiteral("--color-scheme"), QStringLiteral("dark"),
                                          QStringLiteral("--select-backups") }
                                   << true;
    // The plan banner while the workspace's usage is blocked, and every saved profile at once.
    QTest::newRow("plan blocked") << QStringLiteral("plan-blocked.png") << QStringList { QStringLiteral("--blocked") }
                                  << false;
    QTest::newRow("all profiles") << QStringLiteral("all-profiles.png")
                                  << QStringList { QStringLiteral("--all-profiles") } << false;
}

void TestScreenshots::screenshot()
{
    QFETCH(QString, file);
    QFETCH(QStringList, args);
    QFETCH(bool, dark);
    if (args.last() == QLatin1String("--select"))
        args << m_databaseId;
    const bool backups = args.last() == QLatin1String("--select-backups"); // a row of this test's
    if (backups) {
        args.last() = QStringLiteral("--select");
        args << m_reportingId;
    }
    const bool blocked = args.last() == QLatin1String("--blocked"); // a row of this test's
    if (blocked) {
        args.removeLast();
        QVERIFY(setUsageBlocked(true));
    }
    auto unblock = qScopeGuard([&] {
        if (blocked)
            QVERIFY(setUsageBlocked(false));
    });
    const bool allProfiles = args.contains(QLatin1String("--all-profiles"));
    const QString path = QDir(m_outDir).filePath(file);
    QFile::remove(path);
    QString output;
    const int code = runConsole(args << QStringLiteral("--screenshot") << path, &output, allProfiles);
    QVERIFY2(code == 0, qPrintable(QStringLiteral("exit code %1:\n%2").arg(code).arg(output)));
    QVERIFY2(output.contains(QLatin1String("screenshot saved to ") + path), qPrintable(output));
    QVERIFY2(!output.contains(QString::fromLatin1(kToken)), "the console printed the token");
    if (backups) // the details pane listed reporting's backups before the picture was taken
        QVERIFY2(output.contains(QStringLiteral("GET /v1/databases/%1/backups -> 200").arg(m_reportingId)),
            qPrintable(output));
    if (blocked) // the plan was answered before the picture was taken
        QVERIFY2(output.contains(QStringLiteral("GET /v1/workspaces/%1/subscription -> 200").arg(m_workspaceId)),
            qPrintable(output));
    if (allProfiles) // the refused token's node was answered too
        QVERIFY2(output.contains(QStringLiteral("GET /v1/workspaces -> 401")), qPrintable(output));

    const QImage image(path);
    QVERIFY2(!image.isNull(), qPrintable(path + QStringLiteral(" is not a readable PNG")));
    const ImageStats stats = imageStats(image);
    qInfo("%s: %s", qPrintable(file), qPrintable(stats.describe()));
    m_stats.insert(file, stats);
    QCOMPARE(image.size(), QSize(1100, 720)); // the main window's first size
    QVERIFY2(stats.colours >= 200, qPrintable(stats.describe())); // drawn: text, icons, frames
    if (dark)
        QVERIFY2(stats.backgroundLuminance < 0.3, qPrintable(stats.describe()));
    else
        QVERIFY2(stats.backgroundLuminance > 0.7, qPrintable(stats.describe()));
    // A selected row: a bar of the selection's blue, a row high and most of the tree wide.
    const int selection = countPixels(image, [](const QColor &c) {
        return c.blue() > 170 && c.blue() - c.red() > 100 && c.green() > 100 && c.green() < 160;
    });
    QVERIFY2(selection > 5000, qPrintable(QStringLiteral("%1 pixels of selection blue").arg(selection)));
    if (allProfiles) {
        // Each workspace's row in its profile's colour: the swatch, and the tint across the row.
        for (const QColor &profile : { kProductionColor, kStagingColor }) {
            const int swatch = countPixels(image, [&](const QColor &c) {
                return qAbs(c.red() - profile.red()) < 8 && qAbs(c.green() - profile.green()) < 8
                    && qAbs(c.blue() - profile.blue()) < 8;
            });
            QVERIFY2(swatch >= 40, qPrintable(QStringLiteral("%1 pixels of %2").arg(swatch).arg(profile.name())));
        }
    }
    if (blocked) {
        // The banner: a band of its warning colour (#fff3cd) across the window.
        const int banner = countPixels(image,
            [](const QColor &c) { return c.red() > 248 && qAbs(c.green() - 0xf3) < 6 && qAbs(c.blue() - 0xcd) < 8; });
        QVERIFY2(banner > 20000, qPrintable(QStringLiteral("%1 pixels of the banner's colour").arg(banner)));
    }
}

void TestScreenshots::darkIsDarkerThanLight()
{
    for (const QString &view : { QStringLiteral("details"), QStringLiteral("search"), QStringLiteral("backups") }) {
        const QString light = view + QStringLiteral("-light.png");
        const QString dark = view + QStringLiteral("-dark.png");
        QVERIFY2(m_stats.contains(light) && m_stats.contains(dark), "the screenshots were made");
        QVERIFY2(m_stats[dark].meanLuminance + 0.3 < m_stats[light].meanLuminance,
            qPrintable(m_stats[dark].describe() + QStringLiteral(" vs ") + m_stats[light].describe()));
    }
}

QTEST_GUILESS_MAIN(TestScreenshots)
#include "tst_screenshots.moc"

// The demo account the first `./dev run` adds (issue 18): sandbox/demo/seed-demo.py, run with
// python3 against a private ppg-sandbox as ./dev runs it. Checked through the API and PostgreSQL:
// the three demo-… projects with their five databases and connections, the demo_orders table read
// through a new connection string of its database (500 rows), one completed backup, storage in the
// usage; a second run adds nothing (the workspace has projects); a dead API fails with the reason.
// Then the real ppg-console on that workspace, as `./dev run` opens it (a saved "Local sandbox"
// profile, the settings and keychain of a new user), saved as first-run.png: the README's first
// picture (into PPG_SCREENSHOT_DIR when set, else screenshots/ in the build folder).
#include "apiclient.h"
#include "await.h"
#include "consoleprocess.h"
#include "imagechecks.h"
#include "keychaincleanup.h"
#include "profilesetup.h"
#include "requiredtool.h"
#include "sandboxprocess.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

namespace {
const QByteArray kToken = "ppg-test-token-demo";
}

class TestDemoSeed : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void seedsADemoAccountThroughTheApi();
    void secondRunAddsNothing();
    void deadApiFailsWithTheReason();
    void firstRunScreenshot();

private:
    struct Seed
    {
        int exitCode = -1;
        QString out;
        QString err;
    };
    Seed seed(const QUrl &apiUrl);
    QString consoleIni() const { return m_config.filePath(QStringLiteral("prisma-postgres-console/ppg-console.ini")); }

    SandboxProcess m_sandbox;
    QTemporaryDir m_dir; // the token file
    QTemporaryDir m_config; // the console's settings: a new user's
    QString m_python;
};

void TestDemoSeed::initTestCase()
{
    PPG_REQUIRE_TOOL(python, "python3", "python3");
    PPG_REQUIRE_TOOL(psql, "psql", "postgresql");
    m_python = python;
    QVERIFY(m_dir.isValid() && m_config.isValid());
    QFile token(m_dir.filePath(QStringLiteral("dev-token")));
    QVERIFY(token.open(QIODevice::WriteOnly));
    token.write(kToken + '\n');
    token.close();
    SandboxProcess::Options o;
    o.tokens = { QString::fromLatin1(kToken) + QStringLiteral("=Local sandbox") };
    QVERIFY2(m_sandbox.start(o), qPrintable(m_sandbox.errorString()));
}

void TestDemoSeed::cleanupTestCase()
{
    QVERIFY(removeStoredProfileSecrets(consoleIni(), QStringLiteral("ppg-console")));
}

TestDemoSeed::Seed TestDemoSeed::seed(const QUrl &apiUrl)
{
    QProcess p;
    p.start(m_python,
        { QStringLiteral(PPG_SEED_DEMO_SCRIPT), QStringLiteral("--api-url"), apiUrl.toString(),
            QStringLiteral("--token-file"), m_dir.filePath(QStringLiteral("dev-token")) });
    Seed s;
    if (!p.waitForFinished(180000)) {
        p.kill();
        p.waitForFinished();
        s.err = QStringLiteral("seed-demo.py did not finish in 180 s");
        return s;
    }
    s.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    s.out = QString::fromUtf8(p.readAllStandardOutput());
    s.err = QString::fromUtf8(p.readAllStandardError());
    return s;
}

void TestDemoSeed::seedsADemoAccountThroughTheApi()
{
    const Seed s = seed(m_sandbox.baseUrl());
    QVERIFY2(s.exitCode == 0, qPrintable(s.out + s.err));
    QVERIFY2(s.out.contains(QStringLiteral("seed-demo: done")), qPrintable(s.out));

    ApiClient client(m_sandbox.baseUrl(), kToken);
    QObject ctx;
    const auto projects = await<Page<Project>>([&](auto cb) { client.listProjects({}, &ctx, cb); });
    QVERIFY2(projects.ok(), qPrintable(projects.error().userMessage()));
    QStringList names;
    for (const Project &p : projects.value().items)
        names << p.name;
    names.sort();
    QCOMPARE(names,
        (QStringList { QStringLiteral("demo-analytics"), QStringLiteral("demo-blog"), QStringLiteral("demo-shop") }));

    const auto databases = await<Page<Database>>([&](auto cb) { client.listAllDatabases({}, &ctx, cb); });
    QVERIFY(databases.ok());
    QStringList databaseNames;
    QString shopDb;
    for (const Database &d : databases.value().items) {
        databaseNames << d.name;
        if (d.isDefault && d.project.name == QLatin1String("demo-shop"))
            shopDb = d.id;
    }
    QCOMPARE(databaseNames.size(), 5);
    QVERIFY2(databaseNames.contains(QStringLiteral("demo-shop-staging"))
            && databaseNames.contains(QStringLiteral("demo-analytics-archive")),
        qPrintable(databaseNames.join(u',')));
    QVERIFY(!shopDb.isEmpty());
    const auto connections
        = await<Page<Connection>>([&](auto cb) { client.listAllConnections({}, QString(), &ctx, cb); });
    QVERIFY(connections.ok());
    QCOMPARE(int(connections.value().items.size()), 6); // one made with each database, and demo-ci

    // The table is real: read through a connection string of its own.
    const auto reader
        = await<Connection>([&](auto cb) { client.createConnection(shopDb, QStringLiteral("check"), &ctx, cb); });
    QVERIFY(reader.ok() && reader.value().direct);
    QString error;
    const QVariant rows = SandboxProcess::querySql(
        reader.value().direct->connectionString, QStringLiteral("select count(*) from demo_orders"), &error);
    QVERIFY2(rows.isValid(), qPrintable(error));
    QCOMPARE(rows.toInt(), 500);
    QVERIFY(await<Done>([&](auto cb) { client.deleteConnection(reader.value().id, &ctx, cb); }).ok());

    const auto backups = await<BackupList>([&](auto cb) { client.listBackups(shopDb, 0, &ctx, cb); });
    QVERIFY(backups.ok());
    QVERIFY(QTest::qWaitFor(
        [&] {
            auto list = await<BackupList>([&](auto cb) { client.listBackups(shopDb, 0, &ctx, cb); });
            return list.ok() && list.value().items.size() == 1
                && list.value().items.front().status == Backup::Status::Completed;
        },
        60000));
    const auto usage = await<Usage>([&](auto cb) { client.usage(shopDb, &ctx, cb); });
    QVERIFY(usage.ok());
    QVERIFY2(usage.value().storageGiB > 0, qPrintable(QString::number(usage.value().storageGiB)));
}

void TestDemoSeed::secondRunAddsNothing()
{
    const Seed s = seed(m_sandbox.baseUrl());
    QVERIFY2(s.exitCode == 0, qPrintable(s.out + s.err));
    QVERIFY2(s.out.contains(QStringLiteral("has projects already")), qPrintable(s.out));
    ApiClient client(m_sandbox.baseUrl(), kToken);
    QObject ctx;
    const auto projects = await<Page<Project>>([&](auto cb) { client.listProjects({}, &ctx, cb); });
    QVERIFY(projects.ok());
    QCOMPARE(int(projects.value().items.size()), 3);
}

void TestDemoSeed::deadApiFailsWithTheReason()
{
    // Port 1 on loopback: nothing listens there, the connection is refused.
    const Seed s = seed(QUrl(QStringLiteral("http://127.0.0.1:1")));
    QCOMPARE(s.exitCode, 1);
    QVERIFY2(s.err.contains(QStringLiteral("seed-demo: GET /v1/projects?limit=1:"))
            && s.err.contains(QStringLiteral("refused"), Qt::CaseInsensitive),
        qPrintable(s.err));
}

void TestDemoSeed::firstRunScreenshot()
{
    // As ./dev run: a saved "Local sandbox" profile (its token in the console's keychain service),
    // then `ppg-console --profile "Local sandbox"`.
    Profile profile;
    profile.name = QStringLiteral("Local sandbox");
    profile.apiUrl = m_sandbox.baseUrl();
    QString error;
    QVERIFY2(saveTestProfile(consoleIni(), QStringLiteral("ppg-console"), profile, kToken, &error), qPrintable(error));
    const QString outDir = qEnvironmentVariableIsEmpty("PPG_SCREENSHOT_DIR")
        ? QStringLiteral(PPG_SCREENSHOT_DEFAULT_DIR)
        : qEnvironmentVariable("PPG_SCREENSHOT_DIR");
    QVERIFY(QDir().mkpath(outDir));
    const QString file = QDir(outDir).filePath(QStringLiteral("first-run.png"));
    QFile::remove(file);
    const ConsoleRun run = runConsoleProcess(m_config.path(),
        { QStringLiteral("--profile"), QStringLiteral("Local sandbox"), QStringLiteral("--screenshot"), file }, {}, {},
        120000);
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(run.describe()));
    const QImage shot(file);
    QVERIFY2(!shot.isNull(), qPrintable(file));
    const ImageStats stats = imageStats(shot);
    QVERIFY2(
        stats.size.width() >= 800 && stats.size.height() >= 500 && stats.colours > 200, qPrintable(stats.describe()));
}

QTEST_MAIN(TestDemoSeed)
#include "tst_demoseed.moc"

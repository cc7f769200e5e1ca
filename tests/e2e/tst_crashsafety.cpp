// Crash safety (issue 20, part 2): the real ppg-console (PPG_CONSOLE_BIN) plays its scripted user
// (--script-user, app/scripteduser.h: create a project, a database and a connection, keep the
// string in the keychain and the vault index, write a .env, edit the profile list, write the tree
// cache) against a private ppg-sandbox, and is killed with SIGKILL at many points: right after a
// step it reports, or a random few milliseconds later, so kills land before, inside and after the
// files' writes and while creates are on the wire. After every kill:
// - the settings file parses (QSettings status, every line a section or key=value) and is
//   complete: the sandbox profile with its URL and token flag, a profile list that names only
//   profiles the script made, a vault index whose ids are connections the sandbox has;
// - the .env has only whole DATABASE_URL_N=postgresql://… lines, never fewer than before;
// - the profile's tree cache is empty or a snapshot the model accepts.
// At the end the console starts normally (--script-rounds 0: lists the whole account and exits 0),
// and, compared with the sandbox's own records (its state database): no project, database or
// connection name was created twice (no create was sent again), and every one the sandbox has
// appears exactly once in the console's fresh listing (a create that reached the service before
// the kill shows up once). The seed of the kill points is printed; PPG_CRASH_SEED repeats a run.
#include "apiclient.h"
#include "keychaincleanup.h"
#include "profilestore.h"
#include "resourcetreemodel.h"
#include "sandboxprocess.h"
#include "treecache.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

namespace {

const QByteArray kToken = "ppg-crash-token";
const QString kProfile = QStringLiteral("crash");

} // namespace

class TestCrashSafety : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void killedAtManyPointsLeavesWholeFilesAndNoDoubles();

private:
    QProcessEnvironment environment() const;
    QString iniPath() const;
    QString envPath() const { return m_dir.filePath(QStringLiteral("app/.env")); }
    QString cacheDir() const
    {
        return m_dir.filePath(QStringLiteral("cache/prisma-postgres-console/ppg-console/trees"));
    }
    // Checks every file the console writes; `envLines` is the .env's variable count so far.
    void checkFiles(const QString &when, int *envLines);
    QStringList sandboxNames(const QString &table, const QString &prefix) const;

    QString m_bin;
    QTemporaryDir m_dir;
    SandboxProcess m_sandbox;
    QString m_profileId;
};

void TestCrashSafety::initTestCase()
{
    m_bin = qEnvironmentVariable("PPG_CONSOLE_BIN");
    QVERIFY2(!m_bin.isEmpty() && QFile::exists(m_bin), "PPG_CONSOLE_BIN must name the ppg-console binary");
    QVERIFY(m_dir.isValid());
    QVERIFY(QDir().mkpath(m_dir.filePath(QStringLiteral("app"))));
    SandboxProcess::Options o;
    o.tokens = { QString::fromLatin1(kToken) + QStringLiteral("=Crash") };
    QVERIFY2(m_sandbox.start(o), qPrintable(m_sandbox.errorString()));

    QProcess store;
    store.setProcessEnvironment(environment());
    store.start(m_bin,
        { QStringLiteral("--store-token"), kProfile, QStringLiteral("--api-url"), m_sandbox.baseUrl().toString() });
    QVERIFY(store.waitForStarted(30000));
    store.write(kToken + '\n');
    store.closeWriteChannel();
    QVERIFY(store.waitForFinished(60000));
    QVERIFY2(store.exitCode() == 0, store.readAllStandardError().constData());
    const auto p = ProfileStore(iniPath()).findByName(kProfile);
    QVERIFY(p);
    m_profileId = p->id;
}

void TestCrashSafety::cleanupTestCase()
{
    QVERIFY(removeStoredProfileSecrets(iniPath(), QStringLiteral("ppg-console")));
}

QProcessEnvironment TestCrashSafety::environment() const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_dir.path());
    env.insert(QStringLiteral("XDG_CACHE_HOME"), m_dir.filePath(QStringLiteral("cache")));
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.remove(QStringLiteral("PRISMA_SERVICE_TOKEN"));
    return env;
}

QString TestCrashSafety::iniPath() const
{
    return m_dir.filePath(QStringLiteral("prisma-postgres-console/ppg-console.ini"));
}

QStringList TestCrashSafety::sandboxNames(const QString &table, const QString &prefix) const
{
    QString error;
    const QVariant v = m_sandbox.queryScalar(
        QStringLiteral("SELECT coalesce(string_agg(name, ',' ORDER BY name), '') FROM %1 WHERE name LIKE '%2-%%'")
            .arg(table, prefix),
        &error);
    if (!v.isValid())
        qWarning("SQL failed: %s", qPrintable(error));
    return v.toString().split(QLatin1Char(','), Qt::SkipEmptyParts);
}

void TestCrashSafety::checkFiles(const QString &when, int *envLines)
{
    // The settings: parses, every line whole, the sandbox profile complete.
    QFile ini(iniPath());
    QVERIFY2(ini.open(QIODevice::ReadOnly), qPrintable(when));
    const QByteArray text = ini.readAll();
    QVERIFY2(text.isEmpty() || text.endsWith('\n'), qPrintable(when + QStringLiteral(": the settings end mid-line")));
    static const QRegularExpression line(QStringLiteral("^(\\[[^\\]]+\\]|[^=\\s][^=]*=.*)$"));
    for (const QByteArray &l : text.split('\n')) {
        if (!l.isEmpty())
            QVERIFY2(line.match(QString::fromUtf8(l)).hasMatch(),
                qPrintable(when + QStringLiteral(": torn settings line: ") + QString::fromUtf8(l)));
    }
    QSettings settings(iniPath(), QSettings::IniFormat);
    QCOMPARE(settings.status(), QSettings::NoError);
    ProfileStore store(iniPath());
    const auto p = store.profile(m_profileId);
    QVERIFY2(p, qPrintable(when + QStringLiteral(": the sandbox profile is gone")));
    QCOMPARE(p->name, kProfile);
    QCOMPARE(p->apiUrl, m_sandbox.baseUrl());
    QVERIFY(p->hasStoredToken);
    static const QRegularExpression scripted(QStringLiteral("^k\\d+-\\d+$"));
    for (const Profile &other : store.profiles()) {
        if (other.id != m_profileId)
            QVERIFY2(
                scripted.match(other.name).hasMatch(), qPrintable(when + QStringLiteral(": profile ") + other.name));
    }
    // The vault index: whole connection ids the sandbox has.
    const QString known
        = m_sandbox.queryScalar(QStringLiteral("SELECT string_agg(id, ',') FROM connections")).toString();
    for (const QString &id : store.vaultConnectionIds(m_profileId))
        QVERIFY2(known.split(QLatin1Char(',')).contains(id),
            qPrintable(when + QStringLiteral(": vault index names an unknown connection ") + id));

    // The .env: whole lines only, never fewer than before.
    QFile env(envPath());
    if (env.exists()) {
        QVERIFY(env.open(QIODevice::ReadOnly));
        const QByteArray content = env.readAll();
        QVERIFY2(
            content.isEmpty() || content.endsWith('\n'), qPrintable(when + QStringLiteral(": .env ends mid-line")));
        static const QRegularExpression var(QStringLiteral("^DATABASE_URL_\\d+=\"?postgres(ql)?://[^\\s\"]+\"?$"));
        int n = 0;
        for (const QByteArray &l : content.split('\n')) {
            if (l.isEmpty())
                continue;
            QVERIFY2(var.match(QString::fromUtf8(l)).hasMatch(), qPrintable(when + QStringLiteral(": torn .env line")));
            ++n;
        }
        QVERIFY2(n >= *envLines, qPrintable(when + QStringLiteral(": the .env lost variables")));
        *envLines = n;
    }

    // The tree cache: none yet, or a snapshot the model takes.
    const QByteArray cached = TreeCache(cacheDir()).load(m_profileId);
    if (!cached.isEmpty()) {
        ApiClient client(m_sandbox.baseUrl(), kToken);
        ResourceTreeModel model;
        model.setClient(&client);
        QVERIFY2(model.restoreSnapshot(cached, QStringLiteral(PPG_VERSION)),
            qPrintable(when + QStringLiteral(": the tree cache does not load")));
    }
}

void TestCrashSafety::killedAtManyPointsLeavesWholeFilesAndNoDoubles()
{
    quint32 seed = QRandomGenerator::global()->generate();
    if (qEnvironmentVariableIsSet("PPG_CRASH_SEED"))
        seed = qEnvironmentVariable("PPG_CRASH_SEED").toUInt();
    qInfo("kill points seeded with %u (PPG_CRASH_SEED repeats them)", seed);
    QRandomGenerator random(seed);

    constexpr int kRuns = 12;
    int envLines = 0;
    int killedInStep = 0;
    QElapsedTimer total;
    total.start();
    for (int run = 0; run < kRuns; ++run) {
        // Kill after the `atStep`-th step line (1-based; 0: while starting or listing), then after
        // `delayMs` (0: at once). Steps 1-7 are the first round, so every step is a kill point.
        const int atStep = run < 8 ? run : random.bounded(1, 15);
        const int delayMs = run % 3 == 0 ? 0 : random.bounded(0, 60);
        const QString prefix = QStringLiteral("k%1").arg(run);

        QProcess console;
        console.setProcessEnvironment(environment());
        console.start(m_bin,
            { QStringLiteral("--script-user"), envPath(), QStringLiteral("--script-prefix"), prefix,
                QStringLiteral("--profile"), kProfile });
        QVERIFY(console.waitForStarted(30000));
        QByteArray out;
        int steps = 0;
        QElapsedTimer clock;
        clock.start();
        bool armed = atStep == 0;
        QElapsedTimer sinceArmed;
        sinceArmed.start();
        const int startDelay = random.bounded(50, 600); // kills while starting, listing or writing
        while (console.state() == QProcess::Running && clock.elapsed() < 30000) {
            console.waitForReadyRead(5);
            out += console.readAllStandardOutput();
            if (!armed) {
                steps = int(out.count("script: step "));
                if (steps >= atStep) {
                    armed = true;
                    sinceArmed.restart();
                }
            }
            const int wait = atStep == 0 ? startDelay : delayMs;
            if (armed && sinceArmed.elapsed() >= wait) {
                console.kill(); // SIGKILL
                break;
            }
        }
        const bool wasRunning = console.state() == QProcess::Running;
        console.waitForFinished(10000);
        out += console.readAllStandardOutput();
        QVERIFY2(wasRunning,
            qPrintable(QStringLiteral("run %1 ended before its kill point: %2").arg(run).arg(QString::fromUtf8(out))));
        if (const qsizetype at = out.indexOf("script: failed"); at >= 0)
            QFAIL(qPrintable(QStringLiteral("run %1: %2\nits log:\n%3")
                                 .arg(run)
                                 .arg(QString::fromUtf8(out.mid(at, 600)),
                                     QString::fromUtf8(console.readAllStandardError().right(3000)))));
        if (out.contains("script: step "))
            ++killedInStep;
        const QString when = QStringLiteral("run %1 (killed %2 ms after step %3)").arg(run).arg(delayMs).arg(atStep);
        checkFiles(when, &envLines);
        if (QTest::currentTestFailed())
            return;
    }
    QVERIFY2(killedInStep >= kRuns - 1, "almost every kill lands inside the scripted flow");

    // The console starts normally and lists the account fresh from the service.
    QProcess console;
    console.setProcessEnvironment(environment());
    console.start(m_bin,
        { QStringLiteral("--script-user"), envPath(), QStringLiteral("--script-rounds"), QStringLiteral("0"),
            QStringLiteral("--profile"), kProfile });
    QVERIFY(console.waitForFinished(60000));
    const QString out = QString::fromUtf8(console.readAllStandardOutput());
    QVERIFY2(console.exitStatus() == QProcess::NormalExit && console.exitCode() == 0,
        qPrintable(out + QString::fromUtf8(console.readAllStandardError()).right(2000)));
    QVERIFY2(out.contains(QStringLiteral("script: listing done")), qPrintable(out));
    checkFiles(QStringLiteral("after the last start"), &envLines);

    // No create went twice, and every one that reached the service is listed once.
    int created = 0;
    for (const QString &table :
        { QStringLiteral("projects"), QStringLiteral("databases"), QStringLiteral("connections") }) {
        const QStringList names = sandboxNames(table, QStringLiteral("k%"));
        QStringList seen;
        for (const QString &name : names) {
            QVERIFY2(!seen.contains(name), qPrintable(QStringLiteral("%1 “%2” was created twice").arg(table, name)));
            seen << name;
        }
        for (const QString &name : names) {
            const QString kind = table.chopped(1);
            const QRegularExpression listed(
                QStringLiteral("^script: listed %1 \\S+ %2$").arg(kind, QRegularExpression::escape(name)),
                QRegularExpression::MultilineOption);
            int n = 0;
            for (auto it = listed.globalMatch(out); it.hasNext(); it.next())
                ++n;
            QVERIFY2(n == 1, qPrintable(QStringLiteral("%1 “%2” is listed %3 times").arg(kind, name).arg(n)));
        }
        created += int(names.size());
    }
    QVERIFY2(created >= 8, "creates reached the service before the kills");
    qInfo("%d kills, %d resources created, %d .env variables, %lld ms", kRuns, created, envLines,
        qint64(total.elapsed()));
}

QTEST_GUILESS_MAIN(TestCrashSafety)
#include "tst_crashsafety.moc"

// The command line of ppg-console (PPG_CONSOLE_BIN), run as a separate process against a private
// ppg-sandbox with the test's own settings folder (XDG_CONFIG_HOME) and the keychain of the
// session bus (./dev test provides an unlocked one):
// - --store-token NAME --api-url URL, the token on stdin: the profile is in the settings and its
//   token in the keychain;
// - --profile NAME opens that profile (an unknown name fails), --select ID opens the way to a
//   resource and selects it, --color-scheme dark/light forces the palette, and --screenshot FILE
//   ends the run with a PNG of the window, which is what these runs are checked on: the selected
//   row is painted in the palette's highlight colour, a dark window is dark;
// - PRISMA_SERVICE_TOKEN with --api-url opens a temporary session on that token, saved nowhere.
// (PRISMA_SERVICE_TOKEN without --api-url is offered as a profile: tst_windowflows drives that.)
// - a ppg-console://open?profile=…&id=… link as the argument (issue 18): a fresh console opens the
//   link's profile and selects the resource; with a console running for the same settings, a later
//   start hands the link over (SingleInstance, a local socket in XDG_RUNTIME_DIR, here the test's
//   own), prints what the running console answered and exits; malformed links, unknown profiles
//   and unknown resources are answered in words; a socket left by a killed console is taken over.
#include "await.h"
#include "consolelink.h"
#include "consoleprocess.h"
#include "imagechecks.h"
#include "keychaincleanup.h"
#include "profilestore.h"
#include "sandboxprocess.h"
#include "secretstore.h"
#include "singleinstance.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QPalette>
#include <QProcess>
#include <QStyle>
#include <QStyleFactory>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace {

const QByteArray kTokenA = "ppg-cli-token-a"; // workspace "Alpha"
const QByteArray kTokenB = "ppg-cli-token-b"; // workspace "Beta"

// The current row of the tree as painted: the first run of lines of `image` that carry the
// highlight colour across much of the tree's width (the tree fills the left of the window).
struct Band
{
    int top = -1;
    int height = 0;
    QString describe() const { return QStringLiteral("row at y %1, %2 px high").arg(top).arg(height); }
};

Band highlightedRow(const QImage &image, const QList<QColor> &colors)
{
    QList<QRgb> rgbs;
    for (const QColor &c : colors)
        rgbs << c.rgb();
    const QImage img = image.convertToFormat(QImage::Format_RGB32);
    const int width = img.width() * 6 / 10;
    Band band;
    for (int y = 0; y < img.height(); ++y) {
        const auto *line = reinterpret_cast<const QRgb *>(img.constScanLine(y));
        int n = 0;
        for (int x = 0; x < width; ++x)
            n += rgbs.contains(line[x] | 0xff000000u) ? 1 : 0;
        if (n > width / 3) {
            if (band.top < 0)
                band.top = y;
            ++band.height;
        } else if (band.top >= 0) {
            break;
        }
    }
    return band;
}

// Whether `row` is `rows` rows below `first` (rows have one height: uniform row heights).
bool rowsBelow(const Band &row, const Band &first, int rows)
{
    return first.top >= 0 && first.height >= 8 && row.height == first.height
        && qAbs(row.top - (first.top + rows * first.height)) <= 1;
}

// The highlight of the light scheme (Fusion's standard palette), active and inactive.
QList<QColor> lightHighlight()
{
    std::unique_ptr<QStyle> fusion(QStyleFactory::create(QStringLiteral("Fusion")));
    const QPalette p = fusion->standardPalette();
    return { p.color(QPalette::Active, QPalette::Highlight), p.color(QPalette::Inactive, QPalette::Highlight) };
}

} // namespace

class TestCommandLine : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void storeTokenSavesProfileAndKeychainEntry();
    void profileAndSelectOpenThatProfileAndResource();
    void unknownProfileFails();
    void colorSchemeDarkAndLight();
    void serviceTokenWithApiUrlIsATemporarySession();
    void linkSelectsInAFreshConsole();
    void linkIsHandedToTheRunningConsole();

private:
    ConsoleRun runConsole(const QStringList &args, const QByteArray &stdinData = {}, const QByteArray &envToken = {},
        int timeoutMs = 180000);
    QString iniPath() const;
    bool storeToken(const QString &name, const QByteArray &token, QString *why);
    // Profiles "cli A" (Alpha's token) and "cli B" (Beta's), stored with --store-token.
    bool storeAlphaAndBeta(std::optional<Profile> *a, std::optional<Profile> *b, QString *why);
    QImage screenshot(const QStringList &args, QString *why, const QByteArray &envToken = {});

    QString m_bin;
    QTemporaryDir m_config;
    QTemporaryDir m_shots;
    SandboxProcess m_sandbox;
    QString m_alphaDbId; // a database in Alpha, below the first levels
    QString m_betaDbId; // one in Beta
    int m_shotCount = 0;
};

void TestCommandLine::initTestCase()
{
    m_bin = qEnvironmentVariable("PPG_CONSOLE_BIN");
    QVERIFY2(!m_bin.isEmpty() && QFile::exists(m_bin), "PPG_CONSOLE_BIN must name the ppg-console binary");
    QVERIFY(m_config.isValid());
    QVERIFY(m_shots.isValid());
    m_shots.setAutoRemove(false);
    // The consoles' local sockets (single instance) go to a runtime folder of this test's own.
    const QString runtime = m_config.filePath(QStringLiteral("runtime"));
    QVERIFY(QDir().mkpath(runtime));
    QVERIFY(QFile::setPermissions(runtime, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
    qputenv("XDG_RUNTIME_DIR", QFile::encodeName(runtime));
    SandboxProcess::Options o;
    o.tokens = { QString::fromLatin1(kTokenA) + QStringLiteral("=Alpha"),
        QString::fromLatin1(kTokenB) + QStringLiteral("=Beta") };
    QVERIFY2(m_sandbox.start(o), qPrintable(m_sandbox.errorString()));

    QObject ctx;
    for (const auto &[token, name, id] : { std::tuple { kTokenA, QStringLiteral("cli-alpha"), &m_alphaDbId },
             std::tuple { kTokenB, QStringLiteral("cli-beta"), &m_betaDbId } }) {
        ApiClient client(m_sandbox.baseUrl(), token);
        CreateProjectRequest r;
        r.name = name;
        auto p = await<Project>([&](auto cb) { client.createProject(r, &ctx, cb); });
        QVERIFY2(p.ok(), qPrintable(p.error().userMessage()));
        QVERIFY(p.value().database);
        *id = p.value().database->id;
    }
}

void TestCommandLine::cleanupTestCase()
{
    // The tokens went to the console's own keychain service: take them out again.
    QVERIFY(removeStoredProfileSecrets(iniPath(), QStringLiteral("ppg-console")));
}

QString TestCommandLine::iniPath() const
{
    // QSettings (IniFormat) of organisation "prisma-postgres-console", application "ppg-console".
    return m_config.filePath(QStringLiteral("prisma-postgres-console/ppg-console.ini"));
}

ConsoleRun TestCommandLine::runConsole(
    const QStringList &args, const QByteArray &stdinData, const QByteArray &envToken, int timeoutMs)
{
    return runConsoleProcess(m_config.path(), args, stdinData, envToken, timeoutMs);
}

bool TestCommandLine::storeToken(const QString &name, const QByteArray &token, QString *why)
{
    const ConsoleRun r = runConsole(
        { QStringLiteral("--store-token"), name, QStringLiteral("--api-url"), m_sandbox.baseUrl().toString() },
        token + '\n');
    if (r.finished && r.exitCode == 0)
        return true;
    *why = r.describe();
    return false;
}

bool TestCommandLine::storeAlphaAndBeta(std::optional<Profile> *a, std::optional<Profile> *b, QString *why)
{
    if (!storeToken(QStringLiteral("cli A"), kTokenA, why) || !storeToken(QStringLiteral("cli B"), kTokenB, why))
        return false;
    *a = ProfileStore(iniPath()).findByName(QStringLiteral("cli A"));
    *b = ProfileStore(iniPath()).findByName(QStringLiteral("cli B"));
    *why = QStringLiteral("the stored profiles are not in the settings");
    return *a && *b;
}

QImage TestCommandLine::screenshot(const QStringList &args, QString *why, const QByteArray &envToken)
{
    const QString file = m_shots.filePath(QStringLiteral("shot-%1.png").arg(++m_shotCount));
    const ConsoleRun r = runConsole(args + QStringList { QStringLiteral("--screenshot"), file }, {}, envToken);
    if (!r.finished || r.exitCode != 0 || !r.out.contains(QStringLiteral("screenshot saved to"))) {
        *why = r.describe();
        return {};
    }
    QImage image(file);
    if (image.isNull())
        *why = QStringLiteral("%1 is not a PNG").arg(file);
    return image;
}

void TestCommandLine::storeTokenSavesProfileAndKeychainEntry()
{
    QString why;
    QVERIFY2(storeToken(QStringLiteral("cli A"), kTokenA, &why), qPrintable(why));
    QVERIFY2(QFile::exists(iniPath()), qPrintable(iniPath()));

    ProfileStore profiles(iniPath());
    const auto a = profiles.findByName(QStringLiteral("cli A"));
    QVERIFY(a);
    QCOMPARE(a->apiUrl, m_sandbox.baseUrl());
    QVERIFY(a->hasStoredToken);
    QCOMPARE(profiles.activeProfileId(), a->id); // the first profile becomes the active one
    QFile ini(iniPath());
    QVERIFY(ini.open(QIODevice::ReadOnly));
    QVERIFY2(!ini.readAll().contains(kTokenA), "the token is not in the settings");

    // The token is in the keychain, under the profile's id.
    SecretStore secrets; // the console's own service
    QObject ctx;
    QByteArray stored;
    bool done = false;
    secrets.read(SecretStore::tokenKey(a->id), &ctx, [&](const QByteArray &s, const KeychainError &e) {
        if (e.ok())
            stored = s;
        done = true;
    });
    QTRY_VERIFY_WITH_TIMEOUT(done, 30000);
    QCOMPARE(stored, kTokenA);

    // Storing again under the same name updates that profile: no second one.
    QVERIFY2(storeToken(QStringLiteral("cli A"), kTokenA, &why), qPrintable(why));
    QCOMPARE(ProfileStore(iniPath()).profiles().size(), 1);
    // No token on stdin: refused, nothing saved.
    const ConsoleRun empty = runConsole({ QStringLiteral("--store-token"), QStringLiteral("cli empty"),
        QStringLiteral("--api-url"), m_sandbox.baseUrl().toString() });
    QVERIFY(empty.finished);
    QVERIFY2(empty.exitCode != 0, qPrintable(empty.describe()));
    QVERIFY(!ProfileStore(iniPath()).findByName(QStringLiteral("cli empty")));
}

void TestCommandLine::profileAndSelectOpenThatProfileAndResource()
{
    QString why;
    std::optional<Profile> a, b;
    QVERIFY2(storeAlphaAndBeta(&a, &b, &why), qPrintable(why));
    const QList<QColor> highlight = lightHighlight();
    const QStringList light = { QStringLiteral("--color-scheme"), QStringLiteral("light") };

    // --profile "cli B" alone: B opens with its first row (the workspace) current, painted in the
    // highlight colour: where the rows of the tree start, and their height.
    QImage shot = screenshot(light + QStringList { QStringLiteral("--profile"), QStringLiteral("cli B") }, &why);
    QVERIFY2(!shot.isNull(), qPrintable(why));
    QVERIFY(shot.width() > 400 && shot.height() > 300);
    const Band first = highlightedRow(shot, highlight);
    QVERIFY2(first.top > 0 && first.height >= 8, qPrintable(first.describe()));
    QCOMPARE(ProfileStore(iniPath()).activeProfileId(), b->id); // the profile opened is remembered

    // --select <Beta's default database>: the way to it opens (Beta > cli-beta > the database) and
    // its row, the third, is the current one.
    shot = screenshot(light
            + QStringList { QStringLiteral("--profile"), QStringLiteral("cli B"), QStringLiteral("--select"),
                m_betaDbId },
        &why);
    QVERIFY2(!shot.isNull(), qPrintable(why));
    Band current = highlightedRow(shot, highlight);
    QVERIFY2(
        rowsBelow(current, first, 2), qPrintable(current.describe() + QStringLiteral("; first ") + first.describe()));
    QCOMPARE(ProfileStore(iniPath()).activeProfileId(), b->id);

    // --profile "cli A" with Beta's database: A opens, the database is not in its account, the
    // first row stays current.
    shot = screenshot(light
            + QStringList { QStringLiteral("--profile"), QStringLiteral("cli A"), QStringLiteral("--select"),
                m_betaDbId },
        &why);
    QVERIFY2(!shot.isNull(), qPrintable(why));
    current = highlightedRow(shot, highlight);
    QVERIFY2(
        rowsBelow(current, first, 0), qPrintable(current.describe() + QStringLiteral("; first ") + first.describe()));
    QCOMPARE(ProfileStore(iniPath()).activeProfileId(), a->id);

    // No --profile: the last one used (A), where Alpha's database is found and made current.
    shot = screenshot(light + QStringList { QStringLiteral("--select"), m_alphaDbId }, &why);
    QVERIFY2(!shot.isNull(), qPrintable(why));
    current = highlightedRow(shot, highlight);
    QVERIFY2(
        rowsBelow(current, first, 2), qPrintable(current.describe() + QStringLiteral("; first ") + first.describe()));
    QCOMPARE(ProfileStore(iniPath()).activeProfileId(), a->id);
}

void TestCommandLine::unknownProfileFails()
{
    const ConsoleRun r = runConsole({ QStringLiteral("--profile"), QStringLiteral("no such profile"),
        QStringLiteral("--screenshot"), m_shots.filePath(QStringLiteral("never.png")) });
    QVERIFY(r.finished);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(QStringLiteral("no profile named \"no such profile\"")), qPrintable(r.err));
    QVERIFY(!QFile::exists(m_shots.filePath(QStringLiteral("never.png"))));
}

void TestCommandLine::colorSchemeDarkAndLight()
{
    QString why;
    QVERIFY2(storeToken(QStringLiteral("cli A"), kTokenA, &why), qPrintable(why));
    const QStringList profile = { QStringLiteral("--profile"), QStringLiteral("cli A") };
    const QImage dark
        = screenshot(profile + QStringList { QStringLiteral("--color-scheme"), QStringLiteral("dark") }, &why);
    QVERIFY2(!dark.isNull(), qPrintable(why));
    const QImage light
        = screenshot(profile + QStringList { QStringLiteral("--color-scheme"), QStringLiteral("light") }, &why);
    QVERIFY2(!light.isNull(), qPrintable(why));
    const ImageStats darkStats = imageStats(dark);
    const ImageStats lightStats = imageStats(light);
    QVERIFY2(darkStats.meanLuminance < 0.35, qPrintable(darkStats.describe()));
    QVERIFY2(lightStats.meanLuminance > 0.67, qPrintable(lightStats.describe()));
}

void TestCommandLine::serviceTokenWithApiUrlIsATemporarySession()
{
    QString why;
    QVERIFY2(storeToken(QStringLiteral("cli A"), kTokenA, &why), qPrintable(why));
    const QList<Profile> before = ProfileStore(iniPath()).profiles();
    const QString activeBefore = ProfileStore(iniPath()).activeProfileId();
    QFile ini(iniPath());

    // The environment's token (Beta's) with --api-url: Beta's database is found and made current
    // (the third row), although the saved profile is Alpha's, where it does not exist.
    const QStringList temporary = { QStringLiteral("--api-url"), m_sandbox.baseUrl().toString(),
        QStringLiteral("--color-scheme"), QStringLiteral("light") };
    QImage shot = screenshot(temporary, &why, kTokenB);
    QVERIFY2(!shot.isNull(), qPrintable(why));
    const Band first = highlightedRow(shot, lightHighlight());
    QVERIFY2(first.top > 0 && first.height >= 8, qPrintable(first.describe()));
    shot = screenshot(temporary + QStringList { QStringLiteral("--select"), m_betaDbId }, &why, kTokenB);
    QVERIFY2(!shot.isNull(), qPrintable(why));
    const Band current = highlightedRow(shot, lightHighlight());
    QVERIFY2(
        rowsBelow(current, first, 2), qPrintable(current.describe() + QStringLiteral("; first ") + first.describe()));

    // Saved nowhere: the same profiles, the same active one, and no token in the settings.
    const ProfileStore after(iniPath());
    QCOMPARE(after.profiles(), before);
    QCOMPARE(after.activeProfileId(), activeBefore);
    QVERIFY(ini.open(QIODevice::ReadOnly));
    QVERIFY(!ini.readAll().contains(kTokenB));
}

void TestCommandLine::linkSelectsInAFreshConsole()
{
    QString why;
    std::optional<Profile> a, b;
    QVERIFY2(storeAlphaAndBeta(&a, &b, &why), qPrintable(why));
    const QList<QColor> highlight = lightHighlight();
    const QStringList light = { QStringLiteral("--color-scheme"), QStringLiteral("light") };
    QImage shot = screenshot(light + QStringList { QStringLiteral("--profile"), QStringLiteral("cli A") }, &why);
    QVERIFY2(!shot.isNull(), qPrintable(why));
    const Band first = highlightedRow(shot, highlight);
    QVERIFY2(first.top > 0 && first.height >= 8, qPrintable(first.describe()));
    QCOMPARE(ProfileStore(iniPath()).activeProfileId(), a->id);

    // The link to Beta's database, while A was the last profile used: B opens, the way to the
    // database opens (Beta > cli-beta > the database) and its row, the third, is current.
    const QString link = ConsoleLink { QStringLiteral("cli B"), m_betaDbId }.toString();
    const QString file = m_shots.filePath(QStringLiteral("link-fresh.png"));
    ConsoleRun r = runConsole(light + QStringList { link, QStringLiteral("--screenshot"), file });
    QVERIFY2(r.finished && r.exitCode == 0, qPrintable(r.describe()));
    QVERIFY2(r.out.contains(QStringLiteral("(%1) in profile “cli B”").arg(m_betaDbId)), qPrintable(r.describe()));
    shot = QImage(file);
    QVERIFY2(!shot.isNull(), qPrintable(file));
    const Band current = highlightedRow(shot, highlight);
    QVERIFY2(
        rowsBelow(current, first, 2), qPrintable(current.describe() + QStringLiteral("; first ") + first.describe()));
    QCOMPARE(ProfileStore(iniPath()).activeProfileId(), b->id);

    // A malformed link: said on stderr (and in the window), and the console opens as usual.
    r = runConsole({ QStringLiteral("ppg-console://open?profile=cli%20B"), QStringLiteral("--screenshot"),
        m_shots.filePath(QStringLiteral("link-malformed.png")) });
    QVERIFY2(r.finished && r.exitCode == 0, qPrintable(r.describe()));
    QVERIFY2(r.err.contains(QStringLiteral("The link names no resource.")), qPrintable(r.describe()));
    QVERIFY(r.out.contains(QStringLiteral("screenshot saved to")));
    // Neither an option nor a link: refused at once.
    r = runConsole({ QStringLiteral("cli B") }, {}, {}, 30000);
    QVERIFY2(r.finished && r.exitCode == 2, qPrintable(r.describe()));
    QVERIFY2(r.err.contains(QStringLiteral("neither an option nor a ppg-console:// link")), qPrintable(r.describe()));
}

void TestCommandLine::linkIsHandedToTheRunningConsole()
{
    QString why;
    std::optional<Profile> a, b;
    QVERIFY2(storeAlphaAndBeta(&a, &b, &why), qPrintable(why));

    // The running console, on profile A; it answers on its socket once its window is up.
    auto startRunning = [this](QProcess *console) {
        console->setProcessEnvironment(consoleEnvironment(m_config.path()));
        console->start(m_bin, { QStringLiteral("--profile"), QStringLiteral("cli A") });
        QVERIFY2(console->waitForStarted(30000), qPrintable(console->errorString()));
        const SingleInstance probe(iniPath());
        SingleInstance::Answer answer;
        QTRY_VERIFY_WITH_TIMEOUT((answer = probe.sendToRunning({ QStringLiteral("raise") }, 10000)).delivered
                || console->state() != QProcess::Running,
            60000);
        QVERIFY2(answer.delivered && answer.ok, qPrintable(answer.message + QString::fromUtf8(console->readAll())));
        QVERIFY2(answer.message.contains(QStringLiteral("already running")), qPrintable(answer.message));
    };
    QProcess running;
    running.setProcessChannelMode(QProcess::MergedChannels);
    startRunning(&running);
    if (QTest::currentTestFailed())
        return;
    auto stillRunning = [&running] { return running.state() == QProcess::Running; };

    // The link to Beta's database: handed over; the running console switches to B and selects it,
    // then answers, and this start prints that and exits.
    const QString link = ConsoleLink { QStringLiteral("cli B"), m_betaDbId }.toString();
    ConsoleRun r = runConsole({ link }, {}, {}, 90000);
    QVERIFY2(r.finished && r.exitCode == 0, qPrintable(r.describe()));
    QVERIFY2(r.out.contains(QStringLiteral("(%1) in profile “cli B”").arg(m_betaDbId)), qPrintable(r.describe()));
    QVERIFY(stillRunning());
    QCOMPARE(ProfileStore(iniPath()).activeProfileId(), b->id); // the running console switched

    // What cannot be opened is answered in words, and the running console carries on.
    const struct
    {
        QString link;
        QString says;
    } refused[] = {
        { QStringLiteral("ppg-console://open?profile=cli%20A"), QStringLiteral("The link names no resource.") },
        { ConsoleLink { QStringLiteral("nobody"), m_betaDbId }.toString(),
            QStringLiteral("is for profile “nobody”, which is not saved on this computer") },
        { ConsoleLink { QStringLiteral("cli A"), m_betaDbId }.toString(),
            QStringLiteral("“%1” is not in the account of profile “cli A”").arg(m_betaDbId) },
    };
    for (const auto &c : refused) {
        r = runConsole({ c.link }, {}, {}, 90000);
        QVERIFY2(r.finished && r.exitCode == 1, qPrintable(c.link + QStringLiteral(": ") + r.describe()));
        QVERIFY2(r.err.contains(c.says), qPrintable(c.link + QStringLiteral(": ") + r.describe()));
        QVERIFY(stillRunning());
    }
    // The unknown resource's link did switch to A (a link may open a profile, nothing more).
    QCOMPARE(ProfileStore(iniPath()).activeProfileId(), a->id);

    // Killed, the console leaves its socket behind: the next one takes it over and answers.
    running.kill();
    QVERIFY(running.waitForFinished(10000));
    QVERIFY(QFile::exists(SingleInstance(iniPath()).serverName()));
    QProcess next;
    startRunning(&next);
    next.kill();
    next.waitForFinished(10000);
}

QTEST_MAIN(TestCommandLine)
#include "tst_commandline.moc"

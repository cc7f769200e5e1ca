// ppg-console: the composition root. The only file that sees every layer: it parses the command
// line, opens the profile store and the keychain, picks the session and shows the main window.
#include "apiclient.h"
#include "colorscheme.h"
#include "consolecore.h"
#include "consolelink.h"
#include "heaptuning.h"
#include "mainwindow.h"
#include "proxyauth.h"
#include "resourcetreeview.h"
#include "scripteduser.h"
#include "singleinstance.h"
#include "tokenimport.h"
#include "translations.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDialog>
#include <QElapsedTimer>
#include <QFile>
#include <QLineEdit>
#include <QScreen>
#include <QSettings>
#include <QTextStream>
#include <QTimer>
#include <QTreeView>

#include <cstdio>
#include <functional>
#include <memory>

#ifdef Q_OS_LINUX
#include <ctime>
#include <unistd.h>
#endif

namespace {

QString settingsPath()
{
    // One INI file for profiles and window state: names, URLs, ids and geometry only.
    return QSettings().fileName();
}

int fail(const QString &message)
{
    QTextStream(stderr) << "ppg-console: " << message << Qt::endl;
    return 2;
}

// --store-token NAME: creates or updates profile NAME for --api-url with the token read from
// standard input, stores the token in the keychain, and exits. Used by ./dev run for the sandbox.
int storeToken(QCoreApplication &app, const QString &name, const QUrl &apiUrl)
{
    QFile in;
    if (!in.open(stdin, QIODevice::ReadOnly))
        return fail(QStringLiteral("cannot read the token from standard input"));
    QByteArray token = in.readAll().trimmed();
    if (token.isEmpty())
        return fail(QStringLiteral("no token on standard input"));

    ProfileStore profiles(settingsPath());
    SecretStore secrets;
    SessionManager sessions(&profiles, &secrets);
    Profile p = profiles.findByName(name).value_or(Profile {});
    p.name = name;
    if (apiUrl.isValid())
        p.apiUrl = apiUrl;
    int code = 1;
    sessions.saveProfile(p, std::move(token), &app, [&](std::optional<Profile> saved, const QString &error) {
        if (!saved || !error.isEmpty()) {
            code = fail(error.isEmpty() ? QStringLiteral("could not save the profile") : error);
        } else {
            if (profiles.activeProfileId().isEmpty())
                profiles.setActiveProfileId(saved->id);
            QTextStream(stdout) << "profile \"" << saved->name << "\" saved; its token is in the keychain" << Qt::endl;
            code = 0;
        }
        app.quit();
    });
    app.exec();
    return code;
}

// --report-startup (benchmarks, tests/bench): prints "cached-ms: T" and "cached-rows: N" after the
// first paint of a tree restored from the cache (a saved profile's warm start), "first-rows-ms: T"
// after the first paint that shows rows under the first workspace, then "startup-ms: T" after the
// first paint once the first levels (with --search: the whole account) are loaded, writes the tree
// cache as closing the window would (`beforeExit`), and exits. T is in ms since the process
// was created (Linux: its start time in /proc/self/stat; elsewhere: since this option was read); on Linux each
// line also carries the CLOCK_BOOTTIME of the paint ("boottime-ns N") for a driver's own clock.
class StartupReport : public QObject
{
public:
    StartupReport(QTreeView *tree, ResourceTreeModel *model, std::function<void()> beforeExit)
        : QObject(tree), m_viewport(tree->viewport()), m_model(model), m_beforeExit(std::move(beforeExit))
    {
        m_sinceMain.start();
        m_viewport->installEventFilter(this);
        connect(model, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex &parent) {
            m_rowsPending = m_rowsPending
                || (!m_rowsReported && parent.isValid() && !parent.parent().isValid() && parent.row() == 0);
        });
    }
    void finish(int code)
    {
        m_code = code;
        m_donePending = true;
        m_viewport->update();
    }

protected:
    bool eventFilter(QObject *, QEvent *event) override
    {
        if (event->type() != QEvent::Paint)
            return false;
        // Report once this paint (and the flush that follows it) is over.
        if (!m_cachedReported && m_model->cachedRows() > 0) {
            m_cachedReported = true;
            QTimer::singleShot(0, this, [this, rows = m_model->cachedRows()] {
                report("cached-ms");
                QTextStream(stdout) << "cached-rows: " << rows << Qt::endl;
            });
        }
        if (m_rowsPending) {
            m_rowsPending = false;
            m_rowsReported = true;
            QTimer::singleShot(0, this, [this] { report("first-rows-ms"); });
        }
        if (m_donePending) {
            m_donePending = false;
            QTimer::singleShot(0, this, [this] {
                report("startup-ms");
                m_beforeExit();
                QCoreApplication::exit(m_code);
            });
        }
        return false;
    }

private:
    void report(const char *what) const
    {
        double ms = double(m_sinceMain.nsecsElapsed()) / 1e6;
        qint64 boottimeNs = -1;
#ifdef Q_OS_LINUX
        timespec now {};
        clock_gettime(CLOCK_BOOTTIME, &now);
        boottimeNs = qint64(now.tv_sec) * 1000000000 + now.tv_nsec;
        QFile stat(QStringLiteral("/proc/self/stat"));
        if (stat.open(QIODevice::ReadOnly)) {
            // Field 22, starttime in clock ticks since boot, counted after the ")" ending field 2.
            const QByteArray line = stat.readAll();
            const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
            if (fields.size() > 19)
                ms = double(boottimeNs) / 1e6 - fields[19].toDouble() * 1000.0 / double(sysconf(_SC_CLK_TCK));
        }
#endif
        QTextStream(stdout) << what << ": " << QString::number(ms, 'f', 1) << " boottime-ns " << boottimeNs << Qt::endl;
    }

    QWidget *m_viewport;
    const ResourceTreeModel *m_model;
    std::function<void()> m_beforeExit;
    QElapsedTimer m_sinceMain;
    bool m_cachedReported = false;
    bool m_rowsPending = false;
    bool m_rowsReported = false;
    bool m_donePending = false;
    int m_code = 0;
};

} // namespace

int main(int argc, char *argv[])
{
    growHeapsInLargeSteps(); // heaptuning.h: the warm start's rows are built in few, large steps
    // --help and --version must work without a display: QApplication would abort before parsing.
    for (int i = 1; i < argc; ++i) {
        const QByteArrayView a(argv[i]);
        if (a == "-h" || a == "--help" || a == "--help-all" || a == "-v" || a == "--version") {
            if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
                qputenv("QT_QPA_PLATFORM", "minimal");
            break;
        }
    }
    QApplication app(argc, argv);
    installConsoleTranslator(app);
    QCoreApplication::setOrganizationName(QStringLiteral("prisma-postgres-console"));
    QCoreApplication::setApplicationName(QStringLiteral("ppg-console"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PPG_VERSION));
    QGuiApplication::setApplicationDisplayName(QObject::tr("Prisma Postgres Console"));
    QGuiApplication::setDesktopFileName(QStringLiteral("io.prisma.ppg-console"));
    QSettings::setDefaultFormat(QSettings::IniFormat);
    ProxyAuth::useSystemProxies(); // HTTPS_PROXY, NO_PROXY and the desktop's settings

    QCommandLineParser parser;
    parser.setApplicationDescription(QObject::tr("Desktop console for Prisma Postgres: browse workspaces, projects, "
                                                 "databases and connections; create and delete them safely."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption profileOption(
        QStringLiteral("profile"), QObject::tr("Open the profile named <name>."), QStringLiteral("name"));
    const QCommandLineOption apiUrlOption(QStringLiteral("api-url"),
        QObject::tr("API base URL. With PRISMA_SERVICE_TOKEN set, opens a temporary session on it, saved nowhere."),
        QStringLiteral("url"));
    const QCommandLineOption screenshotOption(QStringLiteral("screenshot"),
        QObject::tr("Wait until the first levels have loaded, save a PNG of the main window to <file> and exit."),
        QStringLiteral("file"));
    const QCommandLineOption storeTokenOption(QStringLiteral("store-token"),
        QObject::tr(
            "Create or update profile <name> (with --api-url) using the token read from standard input, then exit."),
        QStringLiteral("name"));
    const QCommandLineOption schemeOption(QStringLiteral("color-scheme"),
        QObject::tr("Force a light or dark palette instead of the system's (light, dark or system)."),
        QStringLiteral("scheme"), QStringLiteral("system"));
    const QCommandLineOption searchOption(QStringLiteral("search"),
        QObject::tr("Open with <text> in the search box (the whole account is loaded for it)."),
        QStringLiteral("text"));
    const QCommandLineOption selectOption(QStringLiteral("select"),
        QObject::tr("Open with the resource <id> (wksp_, proj_, db_ or con_) selected."), QStringLiteral("id"));
    const QCommandLineOption allProfilesOption(QStringLiteral("all-profiles"),
        QObject::tr("Open every saved profile at once (View > All Profiles), acting as --profile or the last one "
                    "used. The console also opens this way when it was left in All Profiles."));
    parser.addOptions({ profileOption, apiUrlOption, screenshotOption, storeTokenOption, schemeOption, searchOption,
        selectOption, allProfilesOption });
    const QCommandLineOption reportStartupOption(QStringLiteral("report-startup"), // benchmarks: see StartupReport
        QObject::tr("Print the ms from process start to the first paint with the first levels loaded, then exit."));
    parser.addOption(reportStartupOption);
    parser.addPositionalArgument(QStringLiteral("link"),
        QObject::tr("A ppg-console://open?profile=…&id=… link (Copy Link makes them): selects that resource. "
                    "A console already running for this user takes it over."),
        QStringLiteral("[link]"));
    // The scripted user (app/scripteduser.h), for the crash-safety test and ./dev soak.
    QCommandLineOption scriptUserOption(QStringLiteral("script-user"),
        QObject::tr("Play a scripted user (create, keep, write <file> as a .env, edit profiles) and report each "
                    "step on standard output."),
        QStringLiteral("file"));
    QCommandLineOption scriptPrefixOption(QStringLiteral("script-prefix"),
        QObject::tr("Names of what the scripted user creates start with <prefix>."), QStringLiteral("prefix"),
        QStringLiteral("scripted"));
    QCommandLineOption scriptRoundsOption(QStringLiteral("script-rounds"),
        QObject::tr("Rounds of the scripted user, then exit (default: until stopped; 0: list the account and exit)."),
        QStringLiteral("n"), QStringLiteral("-1"));
    QCommandLineOption scriptSoakOption(QStringLiteral("script-soak"),
        QObject::tr("The scripted user also rotates, searches and deletes (./dev soak)."));
    QCommandLineOption scriptMinutesOption(QStringLiteral("script-minutes"),
        QObject::tr("The scripted user stops after <minutes> and exits."), QStringLiteral("minutes"),
        QStringLiteral("0"));
    for (QCommandLineOption *o :
        { &scriptUserOption, &scriptPrefixOption, &scriptRoundsOption, &scriptSoakOption, &scriptMinutesOption }) {
        o->setFlags(QCommandLineOption::HiddenFromHelp);
        parser.addOption(*o);
    }
    parser.process(app);
    applyColorScheme(parser.value(schemeOption));

    const QUrl apiUrl = parser.isSet(apiUrlOption) ? QUrl(parser.value(apiUrlOption)) : QUrl();
    if (apiUrl.isValid() && !apiUrl.isEmpty()) {
        if (const QString problem = ApiClient::validateBaseUrl(apiUrl); !problem.isEmpty())
            return fail(problem);
    }
    if (parser.isSet(storeTokenOption))
        return storeToken(app, parser.value(storeTokenOption), apiUrl);

    const QStringList positional = parser.positionalArguments();
    if (positional.size() > 1)
        return fail(QObject::tr("give at most one link, not %1 arguments").arg(positional.size()));
    const QString linkText = positional.value(0);
    if (!linkText.isEmpty() && !ConsoleLink::looksLikeLink(linkText))
        return fail(QObject::tr("“%1” is neither an option nor a ppg-console:// link (see --help)").arg(linkText));
    QString linkError; // said by the window (openLink) once it is up
    const std::optional<ConsoleLink> link
        = linkText.isEmpty() ? std::nullopt : ConsoleLink::parse(linkText, &linkError);

    // One console per user and settings file: a later start hands its link (or a request to come to
    // the front) to the running one. Runs that end by themselves (--screenshot, --report-startup,
    // --script-user) and temporary sessions keep to themselves.
    QByteArray envToken = qgetenv("PRISMA_SERVICE_TOKEN");
    const QString screenshot = parser.value(screenshotOption);
    const bool temporary = !envToken.isEmpty() && apiUrl.isValid() && !apiUrl.isEmpty();
    std::unique_ptr<SingleInstance> instance;
    if (screenshot.isEmpty() && !parser.isSet(reportStartupOption) && !parser.isSet(scriptUserOption) && !temporary) {
        instance = std::make_unique<SingleInstance>(settingsPath());
        const QStringList request = linkText.isEmpty() ? QStringList { QStringLiteral("raise") }
                                                       : QStringList { QStringLiteral("open"), linkText };
        const SingleInstance::Answer answer = instance->sendToRunning(request, 65000);
        if (answer.delivered) {
            QTextStream(answer.ok ? stdout : stderr) << "ppg-console: " << answer.message << Qt::endl;
            return answer.ok ? 0 : 1;
        }
        if (QString listenError; !instance->listen(&listenError))
            QTextStream(stderr) << "ppg-console: links cannot reach this console: " << listenError << Qt::endl;
    }

    ConsoleCore core(settingsPath());
    ProfileStore &profiles = core.profiles;
    SessionManager &sessions = core.sessions;
    ResourceTreeModel &model = core.model;

    // The profile that opens (--profile, the link's, the last one used, else the first) and whether
    // in All Profiles; none for a temporary session.
    QString initial;
    const bool linkProfile = !temporary && link && profiles.findByName(link->profile);
    bool allProfiles = false;
    if (!temporary) {
        if (parser.isSet(profileOption)) {
            const auto p = profiles.findByName(parser.value(profileOption));
            if (!p)
                return fail(QObject::tr("no profile named \"%1\"").arg(parser.value(profileOption)));
            initial = p->id;
        } else if (linkProfile) {
            initial = profiles.findByName(link->profile)->id;
        } else if (!profiles.activeProfileId().isEmpty() && profiles.profile(profiles.activeProfileId())) {
            initial = profiles.activeProfileId();
        } else if (!profiles.profiles().isEmpty()) {
            initial = profiles.profiles().first().id;
        }
        allProfiles = parser.isSet(allProfilesOption)
            || (!parser.isSet(profileOption) && !link
                && QSettings().value(QStringLiteral("view/allProfiles")).toBool());
    }
    if (!allProfiles)
        core.warmStart(initial); // its last-known tree is decoded while the window is built
    MainWindow window(&core);

    if (instance) {
        SingleInstance *listening = instance.get();
        QObject::connect(listening, &SingleInstance::requestReceived, &window,
            [&window, listening](quintptr token, const QStringList &request) {
                if (request.value(0) == QLatin1String("open") && request.size() == 2) {
                    window.openLink(request[1], [listening, token](bool ok, const QString &message) {
                        listening->handled(token, ok, message);
                    });
                    return;
                }
                if (window.isMinimized())
                    window.showNormal();
                window.raise();
                window.activateWindow();
                listening->handled(
                    token, true, QObject::tr("the console is already running: its window came to the front"));
            });
    }

    // --search, --select and a link act once the first levels are on screen; --screenshot waits for them.
    const QString search = parser.value(searchOption);
    const QString select = parser.value(selectOption);
    auto settled = std::make_shared<std::function<void(int)>>([](int) {});
    if (!screenshot.isEmpty()) {
        *settled = [&window, &core, screenshot](int code) {
            // Let the last rows (and a details pane's usage figures) paint before grabbing, and the
            // workspaces' plans come in (a blocked one shows a banner), for at most 5 s.
            auto *wait = new QTimer(&window);
            auto waited = std::make_shared<QElapsedTimer>();
            waited->start();
            QObject::connect(wait, &QTimer::timeout, &window, [&window, &core, wait, waited, screenshot, code] {
                if (waited->elapsed() < 400 || (!core.subscriptions.answeredAll() && waited->elapsed() < 5000))
                    return;
                wait->stop();
                const bool ok = window.grab().save(screenshot, "PNG");
                QTextStream(stdout) << (ok ? "screenshot saved to " : "could not save screenshot to ") << screenshot
                                    << Qt::endl;
                QCoreApplication::exit(ok ? code : 1);
            });
            wait->start(50);
        };
        QTimer::singleShot(30000, &window, [settled] {
            QTextStream(stderr) << "ppg-console: the first levels did not load within 30 s" << Qt::endl;
            (*settled)(1);
        });
        QObject::connect(&sessions, &SessionManager::activationFailed, &window, [settled] { (*settled)(1); });
    }
    if (parser.isSet(reportStartupOption)) {
        auto *report = new StartupReport(window.treeView(), &model, [&core] { core.saveTreeCache(); });
        *settled = [report](int code) { report->finish(code); };
        QTimer::singleShot(30000, report, [report] { report->finish(1); });
        QObject::connect(&sessions, &SessionManager::activationFailed, report, [report] { report->finish(1); });
    }
    // Settled once the first levels, the search's whole account and the link's resource are in.
    auto waiting = std::make_shared<int>(1 + (link || !select.isEmpty() ? 1 : 0));
    auto oneSettled = [settled, waiting] {
        if (--*waiting == 0)
            (*settled)(0);
    };
    window.whenFirstLevelsLoaded([&window, &model, search, oneSettled] {
        if (search.isEmpty()) {
            oneSettled();
            return;
        }
        QObject::connect(&model, &ResourceTreeModel::bulkFinished, &window, oneSettled, Qt::SingleShotConnection);
        window.searchBox()->setText(search); // starts loading the whole account unless it is in
        model.loadAll(); // no-op while loading; when all is in already, finished from the event loop
    });

    if (parser.isSet(scriptUserOption)) {
        ScriptedUser::Options o;
        o.envFile = parser.value(scriptUserOption);
        o.prefix = parser.value(scriptPrefixOption);
        o.rounds = parser.value(scriptRoundsOption).toInt();
        o.soak = parser.isSet(scriptSoakOption);
        o.minutes = parser.value(scriptMinutesOption).toInt();
        auto *user = new ScriptedUser(
            &core, o,
            [](const QString &line) {
                // Flushed at once: a test kills the console at points it reads here.
                QTextStream(stdout) << "script: " << line << Qt::endl;
            },
            &window);
        QObject::connect(user, &ScriptedUser::finished, &app, [](int code) { QCoreApplication::exit(code); });
        // The user dismisses whatever dialog comes up (a connection string, a failure), counted.
        auto *dismiss = new QTimer(&window);
        QObject::connect(dismiss, &QTimer::timeout, &window, [] {
            for (QWidget *w : QApplication::topLevelWidgets()) {
                if (auto *d = qobject_cast<QDialog *>(w); d && d->isVisible()) {
                    QTextStream(stdout) << "script: dialog " << d->metaObject()->className() << Qt::endl;
                    d->reject();
                }
            }
        });
        dismiss->start(100);
        user->start();
    }

    window.show();

    if (temporary)
        sessions.activateTemporary(apiUrl, std::move(envToken));
    else if (allProfiles && !initial.isEmpty())
        core.setAllProfiles(true, initial);
    else if (!initial.isEmpty() && !linkProfile)
        sessions.activate(initial); // a link's profile is opened by the link
    if (link || !linkText.isEmpty() || !select.isEmpty()) {
        // A link (or --select, a link within the session opened) once the window is up.
        const bool expand = !select.isEmpty();
        auto done
            = [&window, oneSettled, expand, counted = link || !select.isEmpty()](bool ok, const QString &message) {
                  QTextStream(ok ? stdout : stderr) << "ppg-console: " << message << Qt::endl;
                  if (ok && expand)
                      window.treeView()->expand(window.treeView()->currentIndex());
                  if (counted)
                      oneSettled();
              };
        QTimer::singleShot(0, &window, [&window, link, linkText, select, done] {
            if (!select.isEmpty())
                window.openLink(ConsoleLink { link ? link->profile : QString(), select }, done);
            else if (link)
                window.openLink(*link, done);
            else
                window.openLink(linkText, done); // malformed: the window says why
        });
    }
    // A token in the environment without --api-url: offer (never silently) to save it as a profile.
    if (screenshot.isEmpty() && TokenImport::shouldOffer(envToken, parser.isSet(apiUrlOption), profiles))
        QTimer::singleShot(0, &window, [&window, token = envToken] { window.offerImport(token); });
    envToken.fill('\0');
    qunsetenv("PRISMA_SERVICE_TOKEN");

    return app.exec();
}

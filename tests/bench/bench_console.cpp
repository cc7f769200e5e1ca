// bench_console: the benchmarks of issues 10 and 19 (CTest label `bench`, run by `./dev bench`; not
// part of `./dev test`). It starts three private ppg-sandboxes on loopback: a small account, a large
// one (2,000 projects, 3 databases each, 2 connections per database: 20,001 nodes) and a database
// per tenant one (1,000 projects, 100 databases each, 1 connection each: 201,001 nodes). Over
// PPG_BENCH_RUNS rounds (default 5; PPG_BENCH_XL_RUNS for the 201,001-node account's workers) it
// measures each scenario in a fresh process so that no run inherits the heap, caches or connections
// of another:
//   1. cold start: the real ppg-console (PPG_CONSOLE_BIN) with --report-startup, from process
//      creation to the first paint of the first rows and to the first paint with the first levels
//      loaded (each account);
//   1b. warm start: the real ppg-console on a saved profile (token in the keychain `./dev bench`
//      provides) whose last-known large tree is in the cache folder, every answer 20 ms late (the
//      large sandbox's faults, set through /_sandbox/faults): from process creation to the paint
//      of the restored tree;
//   2. whole account (large and 201,001 nodes): the console's bulk strategy (MainWindow, a
//      keystroke in the search box from an empty model, so model.loadAll()) side by side with (a)
//      one request per project (the same window and filter, every project expanded through the
//      model, six at a time: GET /v1/projects/{id}/databases) and, on the large account, (b)
//      tests/bench/sdk-walk.mjs, the official TypeScript SDK listing the account as a user script
//      would; HTTP requests counted by the sandbox (--log-requests) and by the model;
//   3. responsiveness: the longest and the 99th-percentile gap of a 1 ms heartbeat timer on the GUI
//      thread while the whole account loads and while a search filters it;
//   4. memory: VmRSS of the process with the whole account loaded (and VmHWM, its peak), and per
//      loaded node above the same window before any session;
//   5. search: from a keystroke in the search box to the paint of the filtered tree;
//   6. the command palette (large account): Ctrl+K to its first paint, and from a keystroke in it
//      to the paint of the ranked list (resources, actions on each resource, commands: about
//      144,000 entries).
// It prints every figure (median, min-max, n) against its target and the ratios. It fails on errors;
// with PPG_BENCH_STRICT=1 it also fails when a target is missed. PPG_BENCH_LATENCY_MS=N makes the
// sandboxes wait N ms before every answer (--fault-latency-ms, a timer: answers still overlap), as a
// service across a network would; the targets are for loopback (0, the default).
// Internally `bench_console --worker bulk|per-project --api-url URL [--no-palette]` runs one
// scenario (token from PPG_BENCH_TOKEN) and prints "key: value" lines.
#include "activitymodel.h"
#include "apiclient.h"
#include "commandpalette.h"
#include "consolewindow.h"
#include "deleteprotection.h"
#include "mainwindow.h"
#include "profilestore.h"
#include "resourcefilterproxymodel.h"
#include "resourcetreemodel.h"
#include "resourceworkflows.h"
#include "sandboxfaults.h"
#include "sandboxprocess.h"
#include "secretstore.h"
#include "session.h"
#include "sessionmanager.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QHash>
#include <QJsonObject>
#include <QLineEdit>
#include <QListView>
#include <QMap>
#include <QProcess>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalBlocker>
#include <QTemporaryDir>
#include <QTest>
#include <QTextStream>
#include <QThread>
#include <QTimer>
#include <QTreeView>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <functional>
#include <optional>
#include <vector>

namespace {

const QByteArray kToken = "ppg-bench-token";
// The seeded accounts whole-account figures are taken on: 1 workspace, `projects` projects,
// `databases` per project, `connections` per database.
struct AccountShape
{
    const char *key; // prefix of its figures
    const char *label;
    int projects, databases, connections;
    constexpr int nodes() const { return 1 + projects * (1 + databases * (1 + connections)); }
    QStringList seedArgs() const
    {
        return { QStringLiteral("--seed-projects"), QString::number(projects),
            QStringLiteral("--seed-databases-per-project"), QString::number(databases),
            QStringLiteral("--seed-connections-per-database"), QString::number(connections) };
    }
};
// Issue 10's large account (20,001 nodes) and issue 19's database-per-tenant one (201,001 nodes).
constexpr AccountShape kLarge { "large", "large", 2000, 3, 2 };
constexpr AccountShape kTenants { "xl", "database per tenant", 1000, 100, 1 };
constexpr int kLargeNodes = kLarge.nodes();
// The warm start: the latency of every answer while it is measured (the cache must paint before
// any answer could come).
constexpr int kWarmLatencyMs = 20;
// The search typed after the account is loaded: the box already holds "D" (the keystroke that
// loaded it), then "atabase 3" narrows it to every project's third database, then backspaces widen
// it again down to "D".
const QString kSearchTail = QStringLiteral("atabase 3");
// The command palette's query, typed into an empty palette on the whole loaded account, one
// keystroke at a time (then erased the same way): an action in context on one database.
const QString kPaletteQuery = QStringLiteral("backups project 1999");

QTextStream &out()
{
    static QTextStream s(stdout);
    return s;
}

qint64 boottimeNs()
{
    timespec now {};
    clock_gettime(CLOCK_BOOTTIME, &now);
    return qint64(now.tv_sec) * 1000000000 + now.tv_nsec;
}

// A field of /proc/self/status in kB ("VmRSS", "VmHWM").
qint64 procStatusKb(const char *field)
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray prefix = QByteArray(field) + ':';
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith(prefix))
            return line.mid(prefix.size()).trimmed().split(' ').value(0).toLongLong();
    return -1;
}

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    // Nearest rank.
    const size_t rank = size_t(std::ceil(p / 100.0 * double(v.size())));
    return v[std::clamp<size_t>(rank, 1, v.size()) - 1];
}

// --- worker side ----------------------------------------------------------------------------

// A 1 ms timer on the GUI thread; every gap between two of its ticks is how long the event loop
// could not run it (about 1 ms when idle).
class Heartbeat : public QObject
{
public:
    Heartbeat()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(1);
        connect(&m_timer, &QTimer::timeout, this, [this] { tick(); });
    }
    void start()
    {
        m_gaps.clear();
        m_clock.start();
        m_last = 0;
        m_timer.start();
    }
    void stop()
    {
        tick(); // the time since the last tick is a gap too
        m_timer.stop();
    }
    double maxMs() const { return m_gaps.empty() ? 0 : *std::max_element(m_gaps.begin(), m_gaps.end()); }
    double p99Ms() const { return percentile(m_gaps, 99); }
    size_t samples() const { return m_gaps.size(); }

private:
    void tick()
    {
        const qint64 now = m_clock.nsecsElapsed();
        m_gaps.push_back(double(now - m_last) / 1e6);
        m_last = now;
    }
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    std::vector<double> m_gaps;
};

// Runs a nested event loop until a paint of `widget` is over (the flush after it included).
class PaintWaiter : public QObject
{
public:
    explicit PaintWaiter(QWidget *widget) : m_widget(widget) { widget->installEventFilter(this); }
    bool waitForPaint(int timeoutMs = 10000)
    {
        m_painted = false;
        m_widget->update();
        QTimer guard;
        guard.setSingleShot(true);
        connect(&guard, &QTimer::timeout, &m_loop, &QEventLoop::quit);
        guard.start(timeoutMs);
        if (!m_painted)
            m_loop.exec();
        return m_painted;
    }

protected:
    bool eventFilter(QObject *, QEvent *event) override
    {
        if (event->type() == QEvent::Paint && !m_painted) {
            QTimer::singleShot(0, this, [this] {
                m_painted = true;
                m_loop.quit();
            });
        }
        return false;
    }

private:
    QWidget *m_widget;
    QEventLoop m_loop;
    bool m_painted = false;
};

void idle(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

bool runUntil(const std::function<bool()> &done, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (!done()) {
        if (t.elapsed() > timeoutMs)
            return false;
        QEventLoop loop;
        QTimer::singleShot(5, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return true;
}

// What the model holds: workspaces, projects, databases, connection rows, and the connections that
// are only inside database payloads (not rows: the per-project listing does not make them rows).
struct Census
{
    int rows = 0, connectionRows = 0, embeddedConnections = 0;
};

void count(const ResourceTreeModel &model, const QModelIndex &parent, Census &c)
{
    for (int r = 0; r < model.rowCount(parent); ++r) {
        const QModelIndex i = model.index(r, 0, parent);
        const auto kind = model.kind(i);
        if (kind == ResourceKind::Placeholder)
            continue;
        ++c.rows;
        if (kind == ResourceKind::Connection)
            ++c.connectionRows;
        if (const Database *db = model.database(i))
            c.embeddedConnections += int(db->connections.size());
        count(model, i, c);
    }
}

// Everything main() builds, on a settings file in XDG_CONFIG_HOME (a temporary folder of the driver).
struct Console : ConsoleWindow
{
    Console() : ConsoleWindow(QSettings().fileName(), QStringLiteral("ppg-console-bench")) { }
};

// Shows the window at the size the figures are taken at, and waits for its first paint.
bool showWindow(MainWindow &window, PaintWaiter &painter)
{
    window.resize(1100, 720);
    window.show();
    return QTest::qWaitForWindowExposed(&window) && painter.waitForPaint();
}

void print(const char *key, double value)
{
    out() << key << ": " << QString::number(value, 'f', 3) << Qt::endl;
}

// bulk: a keystroke in the search box of a freshly opened window loads the whole account
// (model.loadAll()); then the search is typed on it.
int workerBulk(const QUrl &url, const QByteArray &token, bool palette)
{
    Console c;
    QTreeView *tree = c.window.treeView();
    PaintWaiter painter(tree->viewport());
    if (!showWindow(c.window, painter))
        return 1;
    // The window with its empty tree, before any session: what memory per node is counted above.
    idle(200);
    print("rss-empty-kb", double(procStatusKb("VmRSS")));
    bool finished = false;
    ApiError bulkError;
    QObject::connect(&c.model, &ResourceTreeModel::bulkFinished, &c.window, [&](const ApiError &e) {
        finished = true;
        bulkError = e;
    });

    Heartbeat heartbeat;
    heartbeat.start();
    QElapsedTimer clock;
    clock.start();
    c.sessions.activateTemporary(url, token);
    QTest::keyClick(c.window.searchBox(), 'D'); // "D": loads the whole account
    if (!runUntil([&] { return finished; }, 300000))
        return 1;
    const double wholeMs = double(clock.nsecsElapsed()) / 1e6;
    if (!painter.waitForPaint())
        return 1;
    const double wholePaintedMs = double(clock.nsecsElapsed()) / 1e6;
    heartbeat.stop();
    if (bulkError.isError()) {
        QTextStream(stderr) << "bulk load failed: " << bulkError.userMessage() << Qt::endl;
        return 1;
    }
    Census census;
    count(c.model, {}, census);
    print("whole-ms", wholeMs);
    print("whole-painted-ms", wholePaintedMs);
    print("model-list-requests", c.model.listRequests());
    print("nodes", census.rows);
    print("load-stall-max-ms", heartbeat.maxMs());
    print("load-stall-p99-ms", heartbeat.p99Ms());
    print("load-heartbeats", double(heartbeat.samples()));
    idle(200);
    print("rss-kb", double(procStatusKb("VmRSS")));
    {
        // Where a keystroke's time goes: MainWindow expands the whole filtered tree each time,
        // with the view's signals blocked (as here).
        const QSignalBlocker blocker(tree);
        QElapsedTimer t;
        t.start();
        tree->expandAll();
        print("expand-all-ms", double(t.nsecsElapsed()) / 1e6);
        // One narrowing step ("D" -> "Database 3") by phase: filter, expand, paint; then back.
        auto *proxy = qobject_cast<ResourceFilterProxyModel *>(tree->model());
        for (const QString &text : { QStringLiteral("Database 3"), QStringLiteral("D") }) {
            t.restart();
            proxy->setSearchText(text);
            const double filter = double(t.nsecsElapsed()) / 1e6;
            t.restart();
            tree->expandAll();
            const double expand = double(t.nsecsElapsed()) / 1e6;
            t.restart();
            painter.waitForPaint();
            const double paint = double(t.nsecsElapsed()) / 1e6;
            out() << "phases " << text << ": filter " << filter << " ms, expand " << expand << " ms, paint " << paint
                  << " ms" << Qt::endl;
        }
    }

    // The phases above opened every row of the tree, which the console itself never does (a search
    // opens at most ResourceTreeView::searchRowsOpened() rows). Clearing the field and typing "D"
    // again leaves the view as the console leaves it, so that the first keystroke below does not
    // also pay for closing 200,000 rows the bench opened.
    c.window.searchBox()->clear();
    QTest::keyClick(c.window.searchBox(), 'D');
    if (!painter.waitForPaint())
        return 1;

    // Search: one keystroke at a time, at a brisk typing pace, each timed to the paint of the result.
    std::vector<double> keystrokes;
    heartbeat.start();
    auto type = [&](auto sendKey) {
        idle(60);
        QElapsedTimer t;
        t.start();
        sendKey();
        if (!painter.waitForPaint())
            return false;
        keystrokes.push_back(double(t.nsecsElapsed()) / 1e6);
        return true;
    };
    for (QChar ch : kSearchTail)
        if (!type([&] { QTest::keyClick(c.window.searchBox(), ch.toLatin1()); }))
            return 1;
    {
        const QAbstractItemModel *proxy = tree->model();
        std::function<int(const QModelIndex &)> visible = [&](const QModelIndex &p) {
            int n = 0;
            for (int r = 0; r < proxy->rowCount(p); ++r)
                n += 1 + visible(proxy->index(r, 0, p));
            return n;
        };
        print("search-visible-rows", visible({}));
    }
    for (int i = 0; i < kSearchTail.size(); ++i)
        if (!type([&] { QTest::keyClick(c.window.searchBox(), Qt::Key_Backspace); }))
            return 1;
    heartbeat.stop();
    if (c.window.searchBox()->text() != QLatin1String("D"))
        return 1;
    out() << "search-keystrokes-ms:";
    for (double k : keystrokes)
        out() << ' ' << QString::number(k, 'f', 3);
    out() << Qt::endl;
    print("search-stall-max-ms", heartbeat.maxMs());
    print("search-stall-p99-ms", heartbeat.p99Ms());

    // 6. The command palette: Ctrl+K on the whole account (reads the model into its index), then
    // its query typed and erased one keystroke at a time, each timed to the paint of the list.
    if (palette) {
        c.window.searchBox()->clear();
        CommandPalette *palette = c.window.commandPalette();
        PaintWaiter listPaint(palette->list()->viewport());
        QElapsedTimer t;
        t.start();
        QTest::keyClick(&c.window, Qt::Key_K, Qt::ControlModifier);
        if (!palette->isVisible() || !listPaint.waitForPaint())
            return 1;
        print("palette-open-ms", double(t.nsecsElapsed()) / 1e6);
        std::vector<double> paletteKeys;
        auto key = [&](auto sendKey) {
            idle(60);
            QElapsedTimer k;
            k.start();
            sendKey();
            if (!listPaint.waitForPaint())
                return false;
            paletteKeys.push_back(double(k.nsecsElapsed()) / 1e6);
            return true;
        };
        for (QChar ch : kPaletteQuery)
            if (!key([&] { QTest::keyClick(palette->field(), ch.toLatin1()); }))
                return 1;
        if (!palette->rowText(0).startsWith(QLatin1String("Show backups of Project 1999"))) {
            QTextStream(stderr) << "palette: unexpected first row: " << palette->rowText(0) << Qt::endl;
            return 1;
        }
        for (int i = 0; i < kPaletteQuery.size(); ++i)
            if (!key([&] { QTest::keyClick(palette->field(), Qt::Key_Backspace); }))
                return 1;
        out() << "palette-keystrokes-ms:";
        for (double k : paletteKeys)
            out() << ' ' << QString::number(k, 'f', 3);
        out() << Qt::endl;
        palette->hide();
    }
    print("hwm-kb", double(procStatusKb("VmHWM")));
    return 0;
}

// per-project: the same window with the same filter ("D"), but every project is expanded through the
// model (one GET /v1/projects/{id}/databases each, six in flight).
int workerPerProject(const QUrl &url, const QByteArray &token)
{
    Console c;
    QTreeView *tree = c.window.treeView();
    PaintWaiter painter(tree->viewport());
    if (!showWindow(c.window, painter))
        return 1;
    idle(200);
    print("rss-empty-kb", double(procStatusKb("VmRSS")));
    auto *proxy = qobject_cast<ResourceFilterProxyModel *>(tree->model());
    if (!proxy)
        return 1;

    int projectsLoaded = 0, failed = 0;
    bool firstLevels = false;
    QObject::connect(&c.model, &ResourceTreeModel::levelLoaded, &c.window, [&](const QModelIndex &parent) {
        if (c.model.kind(parent) == ResourceKind::Project)
            ++projectsLoaded;
    });
    QObject::connect(&c.model, &ResourceTreeModel::levelFailed, &c.window, [&] { ++failed; });
    c.window.whenFirstLevelsLoaded([&] { firstLevels = true; });

    Heartbeat heartbeat;
    heartbeat.start();
    QElapsedTimer clock;
    clock.start();
    c.sessions.activateTemporary(url, token);
    if (!runUntil([&] { return firstLevels; }, 120000) || failed)
        return 1;
    // The filter once the workspace is open (before, a workspace whose name and id hold no "d"
    // would be hidden, so never expanded, so its projects never listed).
    proxy->setSearchText(QStringLiteral("D"));
    // Six projects in flight at a time, as many as the client's connections to one host: sending
    // all 2,000 at once only queues them inside Qt, where they run into the per-attempt timeout.
    std::vector<QPersistentModelIndex> pending;
    for (int w = 0; w < c.model.rowCount(); ++w) {
        const QModelIndex ws = c.model.index(w, 0);
        for (int p = 0; p < c.model.rowCount(ws); ++p) {
            const QModelIndex project = c.model.index(p, 0, ws);
            if (c.model.kind(project) == ResourceKind::Project && c.model.canFetchMore(project))
                pending.emplace_back(project);
        }
    }
    const int projects = int(pending.size());
    size_t next = 0;
    auto feed = [&] {
        while (next < pending.size() && int(next) - projectsLoaded - failed < 6)
            c.model.fetchMore(pending[next++]);
    };
    QObject::connect(&c.model, &ResourceTreeModel::levelLoaded, &c.window, feed);
    feed();
    if (!runUntil([&] { return projectsLoaded + failed >= projects; }, 300000) || failed) {
        QTextStream(stderr) << "per-project: " << failed << " levels failed" << Qt::endl;
        return 1;
    }
    // (No expandAll() as after a search's bulk load: the view would then ask the model for the
    // connections of every database, one request each, which this strategy has already received
    // embedded in the per-project answers. That leaves out a ~25 ms layout, in (a)'s favour.)
    const double wholeMs = double(clock.nsecsElapsed()) / 1e6;
    if (!painter.waitForPaint())
        return 1;
    const double wholePaintedMs = double(clock.nsecsElapsed()) / 1e6;
    heartbeat.stop();
    Census census;
    count(c.model, {}, census);
    print("whole-ms", wholeMs);
    print("whole-painted-ms", wholePaintedMs);
    print("model-list-requests", c.model.listRequests());
    // Connections came inside each database of the per-project listing (no request of their own).
    print("nodes", census.rows + census.embeddedConnections - census.connectionRows);
    print("load-stall-max-ms", heartbeat.maxMs());
    print("load-stall-p99-ms", heartbeat.p99Ms());
    idle(200);
    print("rss-kb", double(procStatusKb("VmRSS")));
    return 0;
}

int worker(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("ppg-console-bench"));
    QCoreApplication::setApplicationName(QStringLiteral("bench_console"));
    QSettings::setDefaultFormat(QSettings::IniFormat);
    const QStringList args = app.arguments();
    const QString scenario = args.value(args.indexOf(QStringLiteral("--worker")) + 1);
    const QUrl url(args.value(args.indexOf(QStringLiteral("--api-url")) + 1));
    const QByteArray token = qgetenv("PPG_BENCH_TOKEN");
    if (scenario == QLatin1String("bulk"))
        return workerBulk(url, token, !args.contains(QStringLiteral("--no-palette")));
    if (scenario == QLatin1String("per-project"))
        return workerPerProject(url, token);
    return 2;
}

// --- driver side ----------------------------------------------------------------------------

using Figures = QHash<QString, double>;

// Runs `program` with `args`, returns its "key: value" lines (the first number of each value).
std::optional<Figures> runProcess(const QString &program, const QStringList &args, const QProcessEnvironment &env,
    int timeoutMs, QString *rawOut = nullptr, qint64 *launchedNs = nullptr)
{
    QProcess p;
    p.setProgram(program);
    p.setArguments(args);
    p.setProcessEnvironment(env);
    if (launchedNs)
        *launchedNs = boottimeNs();
    p.start();
    if (!p.waitForStarted(10000) || !p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(5000);
        QTextStream(stderr) << program << " did not finish: " << p.readAllStandardError() << Qt::endl;
        return std::nullopt;
    }
    const QString text = QString::fromUtf8(p.readAllStandardOutput());
    if (rawOut)
        *rawOut = text;
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        QTextStream(stderr) << program << ' ' << args.join(QLatin1Char(' ')) << " failed (" << p.exitCode() << "):\n"
                            << text << p.readAllStandardError() << Qt::endl;
        return std::nullopt;
    }
    Figures f;
    static const QRegularExpression line(
        QStringLiteral("^([a-z0-9-]+): (-?[0-9.]+)(?: boottime-ns (-?[0-9]+))?"), QRegularExpression::MultilineOption);
    for (auto it = line.globalMatch(text); it.hasNext();) {
        const auto m = it.next();
        f.insert(m.captured(1), m.captured(2).toDouble());
        if (!m.captured(3).isEmpty())
            f.insert(m.captured(1) + QStringLiteral("@boottime-ns"), m.captured(3).toDouble());
    }
    return f;
}

// The requests the sandbox logged (--log-requests), as "GET /v1/projects/{id}/databases".
QStringList sandboxRequests(const SandboxProcess &s)
{
    static const QRegularExpression request(
        QStringLiteral("^ppg-sandbox: ([A-Z]+ /v1/[^ ]*) -> "), QRegularExpression::MultilineOption);
    static const QRegularExpression id(QStringLiteral("/(wksp|proj|db|con)_[A-Za-z0-9]+"));
    QStringList routes;
    for (auto it = request.globalMatch(s.sandboxStderr()); it.hasNext();)
        routes << it.next().captured(1).replace(id, QStringLiteral("/{id}"));
    return routes;
}

struct Series
{
    std::vector<double> values;
    void add(double v) { values.push_back(v); }
    double median() const { return percentile(values, 50); }
    double min() const { return values.empty() ? 0 : *std::min_element(values.begin(), values.end()); }
    double max() const { return values.empty() ? 0 : *std::max_element(values.begin(), values.end()); }
};

QString fmt(double v, int decimals = 1)
{
    return QString::number(v, 'f', decimals);
}

QString machine()
{
    QString cpu;
    QFile info(QStringLiteral("/proc/cpuinfo"));
    if (info.open(QIODevice::ReadOnly))
        for (const QByteArray &l : info.readAll().split('\n'))
            if (l.startsWith("model name")) {
                cpu = QString::fromUtf8(l.mid(l.indexOf(':') + 1).trimmed());
                break;
            }
    QString mem;
    QFile meminfo(QStringLiteral("/proc/meminfo"));
    if (meminfo.open(QIODevice::ReadOnly))
        mem = fmt(QString::fromUtf8(meminfo.readLine()).split(QLatin1Char(' '), Qt::SkipEmptyParts).value(1).toDouble()
                / 1048576.0,
            1);
    return QStringLiteral("%1 cores, %2, %3 GiB RAM").arg(QThread::idealThreadCount()).arg(cpu, mem);
}

QString loadAverage()
{
    QFile f(QStringLiteral("/proc/loadavg"));
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()).section(QLatin1Char(' '), 0, 2) : QString();
}

int driver(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const int runs
        = qMax(1, qEnvironmentVariableIntValue("PPG_BENCH_RUNS") ? qEnvironmentVariableIntValue("PPG_BENCH_RUNS") : 5);
    // The 201,001-node account's worker runs (each loads it whole): as many as the others unless
    // PPG_BENCH_XL_RUNS says otherwise.
    const int xlRuns = qEnvironmentVariableIntValue("PPG_BENCH_XL_RUNS") > 0
        ? qEnvironmentVariableIntValue("PPG_BENCH_XL_RUNS")
        : runs;
    const bool strict = qEnvironmentVariableIntValue("PPG_BENCH_STRICT") == 1;
    const int latencyMs = qEnvironmentVariableIntValue("PPG_BENCH_LATENCY_MS");
    const QString console = qEnvironmentVariable("PPG_CONSOLE_BIN");
    const QString node = qEnvironmentVariable("PPG_NODE", QStringLiteral(PPG_NODE_EXECUTABLE));
    const QString sdkWalk = QStringLiteral(PPG_SDK_WALK);
    if (console.isEmpty() || qEnvironmentVariable("PPG_SANDBOX_BIN").isEmpty()) {
        QTextStream(stderr) << "PPG_CONSOLE_BIN and PPG_SANDBOX_BIN must be set (CTest sets them)" << Qt::endl;
        return 2;
    }

    out() << "== ppg-console benchmarks (issues 10 and 19): " << runs << " runs of each figure (" << xlRuns
          << " on the " << kTenants.nodes() << "-node account), sandbox on loopback"
          << (latencyMs > 0 ? QStringLiteral(" answering after %1 ms (PPG_BENCH_LATENCY_MS)").arg(latencyMs)
                            : QString())
          << ", QT_QPA_PLATFORM=offscreen" << Qt::endl;
    out() << "machine: " << machine() << "; load average at start: " << loadAverage() << Qt::endl;

    QElapsedTimer total;
    total.start();
    SandboxProcess small, large, xl;
    SandboxProcess::Options so;
    so.tokens = { QString::fromLatin1(kToken) + QStringLiteral("=Bench") };
    so.extraArgs
        = { QStringLiteral("--seed-projects"), QStringLiteral("3"), QStringLiteral("--seed-databases-per-project"),
              QStringLiteral("1"), QStringLiteral("--seed-connections-per-database"), QStringLiteral("1") };
    SandboxProcess::Options lo = so, xo = so;
    lo.extraArgs = kLarge.seedArgs() << QStringLiteral("--log-requests");
    xo.extraArgs = kTenants.seedArgs() << QStringLiteral("--log-requests");
    if (latencyMs > 0)
        for (SandboxProcess::Options *o : { &so, &lo, &xo })
            o->extraArgs << QStringLiteral("--fault-latency-ms") << QString::number(latencyMs);
    if (!small.start(so) || !large.start(lo) || !xl.start(xo)) {
        QTextStream(stderr) << "sandbox: " << small.errorString() << large.errorString() << xl.errorString()
                            << Qt::endl;
        return 1;
    }
    // The sandbox says how long its seeding took ("seeded in N ms").
    auto seededMs = [](const SandboxProcess &sandbox) {
        static const QRegularExpression seeded(QStringLiteral("seeded in ([0-9]+) ms"));
        const auto m = seeded.match(sandbox.sandboxStderr());
        return m.hasMatch() ? m.captured(1) : QStringLiteral("?");
    };
    out() << "sandboxes started: small (1 workspace, 3 projects, 3 databases, 3 connections) in " << small.startMs()
          << " ms" << Qt::endl;
    for (const auto &[sandbox, shape] : { std::pair { &large, kLarge }, std::pair { &xl, kTenants } })
        out() << "  " << shape.label << " (1 workspace, " << shape.projects << " projects, "
              << shape.projects * shape.databases << " databases, "
              << shape.projects * shape.databases * shape.connections << " connections = " << shape.nodes()
              << " nodes) in " << sandbox->startMs() << " ms, of which seeding " << seededMs(*sandbox) << " ms"
              << Qt::endl;

    QTemporaryDir config;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), config.path()); // no profile, no saved window state
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    QProcessEnvironment consoleEnv = env;
    consoleEnv.insert(QStringLiteral("PRISMA_SERVICE_TOKEN"), QString::fromLatin1(kToken));
    QProcessEnvironment workerEnv = env;
    workerEnv.insert(QStringLiteral("PPG_BENCH_TOKEN"), QString::fromLatin1(kToken));

    QMap<QString, Series> s;
    bool ok = true;
    // The driver's clock (from just before fork) when the console gave its paint's CLOCK_BOOTTIME;
    // the console's own figure (from /proc/self/stat, 10 ms ticks) otherwise.
    auto since = [](const Figures &f, qint64 launched, const QString &key) {
        const double at = f.value(key + QStringLiteral("@boottime-ns"), -1);
        return at > 0 ? (at - double(launched)) / 1e6 : f.value(key);
    };
    auto coldStart = [&](const SandboxProcess &sandbox, const QString &name, bool record) {
        qint64 launched = 0;
        const auto f = runProcess(console,
            { QStringLiteral("--api-url"), sandbox.baseUrl().toString(), QStringLiteral("--report-startup") },
            consoleEnv, 60000, nullptr, &launched);
        if (!f || !f->contains(QStringLiteral("startup-ms"))) {
            ok = false;
            return;
        }
        if (!record)
            return;
        s[QStringLiteral("cold-") + name].add(since(*f, launched, QStringLiteral("startup-ms")));
        if (f->contains(QStringLiteral("first-rows-ms")))
            s[QStringLiteral("rows-") + name].add(since(*f, launched, QStringLiteral("first-rows-ms")));
        s[QStringLiteral("cold-proc-") + name].add(f->value(QStringLiteral("startup-ms")));
    };
    // HTTP requests `sandbox` saw since `before`, in total and per route.
    auto countRequests = [&](const SandboxProcess &sandbox, qsizetype before, const QString &prefix) {
        const QStringList routes = sandboxRequests(sandbox).mid(before);
        s[prefix + QStringLiteral("http-requests")].add(double(routes.size()));
        for (const QString &route : { QStringLiteral("GET /v1/workspaces"), QStringLiteral("GET /v1/projects"),
                 QStringLiteral("GET /v1/databases"), QStringLiteral("GET /v1/projects/{id}/databases"),
                 QStringLiteral("GET /v1/databases/{id}/connections") })
            s[prefix + route].add(double(routes.count(route)));
    };
    QMap<QString, std::vector<double>> keystrokes; // by prefix
    std::vector<double> paletteKeystrokes;
    auto workerRun = [&](const SandboxProcess &sandbox, const QString &scenario, const QString &prefix,
                         const QStringList &extra = {}) {
        const qsizetype before = sandboxRequests(sandbox).size();
        QString raw;
        const auto f = runProcess(QCoreApplication::applicationFilePath(),
            QStringList {
                QStringLiteral("--worker"), scenario, QStringLiteral("--api-url"), sandbox.baseUrl().toString() }
                + extra,
            workerEnv, 600000, &raw);
        if (!f) {
            ok = false;
            return;
        }
        for (auto it = f->begin(); it != f->end(); ++it)
            s[prefix + it.key()].add(it.value());
        // Memory per loaded node above the window with an empty tree (bytes).
        if (f->value(QStringLiteral("nodes")) > 0)
            s[prefix + QStringLiteral("bytes-per-node")].add(
                (f->value(QStringLiteral("rss-kb")) - f->value(QStringLiteral("rss-empty-kb"))) * 1024.0
                / f->value(QStringLiteral("nodes")));
        countRequests(sandbox, before, prefix);
        static const QRegularExpression list(
            QStringLiteral("^search-keystrokes-ms:(.*)$"), QRegularExpression::MultilineOption);
        if (const auto m = list.match(raw); m.hasMatch())
            for (const QString &v : m.captured(1).split(QLatin1Char(' '), Qt::SkipEmptyParts))
                keystrokes[prefix].push_back(v.toDouble());
        static const QRegularExpression paletteList(
            QStringLiteral("^palette-keystrokes-ms:(.*)$"), QRegularExpression::MultilineOption);
        if (const auto m = paletteList.match(raw); m.hasMatch())
            for (const QString &v : m.captured(1).split(QLatin1Char(' '), Qt::SkipEmptyParts))
                paletteKeystrokes.push_back(v.toDouble());
    };
    auto sdkRun = [&](const SandboxProcess &sandbox, const QStringList &extra, const QString &prefix) {
        const qsizetype before = sandboxRequests(sandbox).size();
        QProcess p;
        QProcessEnvironment e = env;
        e.insert(QStringLiteral("PPG_BENCH_TOKEN"), QString::fromLatin1(kToken));
        p.setProcessEnvironment(e);
        p.start(node, QStringList { sdkWalk, QStringLiteral("--base-url"), sandbox.baseUrl().toString() } + extra);
        if (!p.waitForFinished(600000) || p.exitCode() != 0) {
            QTextStream(stderr) << "sdk-walk failed: " << p.readAllStandardError() << Qt::endl;
            ok = false;
            return;
        }
        const QByteArray line = p.readAllStandardOutput().trimmed();
        static const QRegularExpression field(QStringLiteral("\"([a-z]+)\":([0-9.]+)"));
        for (auto it = field.globalMatch(QString::fromUtf8(line)); it.hasNext();) {
            const auto m = it.next();
            s[prefix + m.captured(1)].add(m.captured(2).toDouble());
        }
        countRequests(sandbox, before, prefix);
    };

    // The warm start: a saved profile (its token in the keychain of `./dev bench`, settings and
    // cache in a folder of their own) on the large account. A first console loads the whole
    // account (--search) and writes its cache as it exits; each timed console then starts with
    // the cache present while every answer takes kWarmLatencyMs.
    QTemporaryDir warmHome;
    QProcessEnvironment warmEnv = env;
    warmEnv.insert(QStringLiteral("XDG_CONFIG_HOME"), warmHome.filePath(QStringLiteral("config")));
    warmEnv.insert(QStringLiteral("XDG_CACHE_HOME"), warmHome.filePath(QStringLiteral("cache")));
    auto setLatency = [&](int ms) {
        return setSandboxFaults(large.baseUrl(),
            QJsonObject { { QStringLiteral("latencyMs"), ms }, { QStringLiteral("jitterMs"), 0 },
                { QStringLiteral("rate5xx"), 0 }, { QStringLiteral("rate429"), 0 }, { QStringLiteral("dropRate"), 0 },
                { QStringLiteral("slowBodyMs"), 0 } });
    };
    auto warmSetup = [&] {
        QProcess store;
        store.setProcessEnvironment(warmEnv);
        store.start(console,
            { QStringLiteral("--store-token"), QStringLiteral("Bench"), QStringLiteral("--api-url"),
                large.baseUrl().toString() });
        store.write(kToken);
        store.closeWriteChannel();
        if (!store.waitForFinished(60000) || store.exitCode() != 0) {
            QTextStream(stderr) << "warm start: saving the profile failed: " << store.readAllStandardError()
                                << Qt::endl;
            return false;
        }
        const auto f = runProcess(console,
            { QStringLiteral("--report-startup"), QStringLiteral("--search"), QStringLiteral("D") }, warmEnv, 120000);
        if (!f || !f->contains(QStringLiteral("startup-ms"))) {
            QTextStream(stderr) << "warm start: loading the whole account into the cache failed" << Qt::endl;
            return false;
        }
        return true;
    };
    auto warmStart = [&](bool record) {
        if (!setLatency(kWarmLatencyMs)) {
            ok = false;
            return;
        }
        qint64 launched = 0;
        const auto f = runProcess(console, { QStringLiteral("--report-startup") }, warmEnv, 60000, nullptr, &launched);
        if (!setLatency(latencyMs) || !f || !f->contains(QStringLiteral("cached-ms"))) {
            QTextStream(stderr) << "warm start: no cached tree was painted" << Qt::endl;
            ok = false;
            return;
        }
        if (!record)
            return;
        s[QStringLiteral("warm-cached")].add(since(*f, launched, QStringLiteral("cached-ms")));
        s[QStringLiteral("warm-cached-rows")].add(f->value(QStringLiteral("cached-rows")));
        s[QStringLiteral("warm-startup")].add(since(*f, launched, QStringLiteral("startup-ms")));
    };

    // A first launch of each kind warms the page cache (libraries, fonts); it is not counted.
    coldStart(small, QStringLiteral("small"), false);
    coldStart(large, QStringLiteral("large"), false);
    coldStart(xl, QStringLiteral("xl"), false);
    ok = ok && warmSetup();
    warmStart(false);
    for (int r = 1; r <= runs && ok; ++r) {
        QElapsedTimer round;
        round.start();
        coldStart(small, QStringLiteral("small"), true);
        coldStart(large, QStringLiteral("large"), true);
        coldStart(xl, QStringLiteral("xl"), true);
        warmStart(true);
        workerRun(large, QStringLiteral("bulk"), QStringLiteral("bulk/"));
        workerRun(large, QStringLiteral("per-project"), QStringLiteral("pp/"));
        sdkRun(large, {}, QStringLiteral("sdk/"));
        sdkRun(large, { QStringLiteral("--strategy"), QStringLiteral("bulk") }, QStringLiteral("sdkbulk/"));
        if (r <= xlRuns) {
            workerRun(xl, QStringLiteral("bulk"), QStringLiteral("xl-bulk/"), { QStringLiteral("--no-palette") });
            workerRun(xl, QStringLiteral("per-project"), QStringLiteral("xl-pp/"));
        }
        out() << "round " << r << "/" << runs << " done in " << fmt(double(round.elapsed()) / 1000.0) << " s"
              << Qt::endl;
    }
    if (!ok) {
        QTextStream(stderr) << "a benchmark run failed (see above)" << Qt::endl;
        return 1;
    }
    struct Row
    {
        QString label, key, unit;
        double target; // < target; 0: no target
        int decimals = 1;
    };
    int missed = 0;
    auto printRow = [&](const Row &row) {
        const Series &v = s[row.key];
        const bool met = row.target <= 0 || v.median() < row.target;
        const bool metAll = row.target <= 0 || v.max() < row.target;
        if (!metAll)
            ++missed;
        out() << QStringLiteral("%1 %2 %3 %4  %5")
                     .arg(row.label, -52)
                     .arg(fmt(v.median(), row.decimals) + QLatin1Char(' ') + row.unit, 12)
                     .arg(fmt(v.min(), row.decimals) + QStringLiteral("–") + fmt(v.max(), row.decimals), 17)
                     .arg(QStringLiteral("n=%1").arg(v.values.size()), 4)
                     .arg(row.target > 0 ? QStringLiteral("target < %1 %2: %3")
                                               .arg(row.target)
                                               .arg(row.unit)
                                               .arg(metAll   ? QStringLiteral("met")
                                                       : met ? QStringLiteral("MISSED by the slowest run")
                                                             : QStringLiteral("MISSED"))
                                         : QString())
              << Qt::endl;
    };
    const QString ms = QStringLiteral("ms");
    out() << Qt::endl
          << QStringLiteral("%1 %2 %3 %4")
                 .arg(QStringLiteral("figure"), -52)
                 .arg(QStringLiteral("median"), 12)
                 .arg(QStringLiteral("min–max"), 17)
                 .arg(QString())
          << Qt::endl;
    out() << "-- 1. cold start (real ppg-console process, from fork to the paint)" << Qt::endl;
    const struct
    {
        QString key, label;
    } starts[] = { { QStringLiteral("small"), QStringLiteral("small account") },
        { QStringLiteral("large"), QStringLiteral("large account") },
        { QStringLiteral("xl"), QStringLiteral("%1 nodes").arg(kTenants.nodes()) } };
    for (const auto &a : starts)
        printRow({ QStringLiteral("first level painted, ") + a.label, QStringLiteral("rows-") + a.key, ms, 250 });
    for (const auto &a : starts)
        printRow(
            { QStringLiteral("first levels loaded + painted, ") + a.label, QStringLiteral("cold-") + a.key, ms, 250 });
    for (const auto &a : starts)
        printRow({ QStringLiteral("  same, console's own /proc figure, ") + a.label,
            QStringLiteral("cold-proc-") + a.key, ms, 0 });
    out() << "-- 1b. warm start: a saved profile, its last-known large tree (" << kLargeNodes
          << " nodes) in the cache, every answer after " << kWarmLatencyMs << " ms" << Qt::endl;
    printRow({ QStringLiteral("cached tree painted (from fork)"), QStringLiteral("warm-cached"), ms, 150 });
    printRow({ QStringLiteral("  rows restored from the cache"), QStringLiteral("warm-cached-rows"), QString(), 0, 0 });
    printRow({ QStringLiteral("  first levels listed again + painted"), QStringLiteral("warm-startup"), ms, 0 });

    // Sections 2 to 5 for one account; `prefix` is its workers' prefix ("" for the large one).
    auto accountFigures = [&](const AccountShape &shape, const QString &prefix) {
        const QString bulkKey = prefix + QStringLiteral("bulk/"), ppKey = prefix + QStringLiteral("pp/");
        const bool large = prefix.isEmpty();
        out() << "== " << shape.label << " account: " << shape.projects << " projects x " << shape.databases
              << " databases x " << shape.connections << " connections = " << shape.nodes() << " nodes" << Qt::endl;
        out() << "-- 2. whole account" << Qt::endl;
        printRow({ QStringLiteral("console, bulk (search keystroke -> loaded)"), bulkKey + QStringLiteral("whole-ms"),
            ms, 0 });
        printRow(
            { QStringLiteral("console, bulk, until painted"), bulkKey + QStringLiteral("whole-painted-ms"), ms, 0 });
        printRow({ QStringLiteral("  HTTP requests (sandbox log)"), bulkKey + QStringLiteral("http-requests"),
            QString(), 0, 0 });
        printRow({ QStringLiteral("  list requests (model)"), bulkKey + QStringLiteral("model-list-requests"),
            QString(), 0, 0 });
        printRow({ QStringLiteral("  nodes loaded"), bulkKey + QStringLiteral("nodes"), QString(), 0, 0 });
        printRow({ QStringLiteral("(a) console, one request per project"), ppKey + QStringLiteral("whole-ms"), ms, 0 });
        printRow({ QStringLiteral("  HTTP requests (sandbox log)"), ppKey + QStringLiteral("http-requests"), QString(),
            0, 0 });
        printRow({ QStringLiteral("  nodes loaded"), ppKey + QStringLiteral("nodes"), QString(), 0, 0 });
        if (large) {
            printRow({ QStringLiteral("(b) SDK script, per project, sequential"), QStringLiteral("sdk/ms"), ms, 0 });
            printRow({ QStringLiteral("  HTTP requests (sandbox log)"), QStringLiteral("sdk/http-requests"), QString(),
                0, 0 });
            printRow({ QStringLiteral("  nodes listed"), QStringLiteral("sdk/nodes"), QString(), 0, 0 });
            printRow(
                { QStringLiteral("(c) SDK script, bulk routes (for reference)"), QStringLiteral("sdkbulk/ms"), ms, 0 });
            printRow({ QStringLiteral("  HTTP requests (sandbox log)"), QStringLiteral("sdkbulk/http-requests"),
                QString(), 0, 0 });
        }
        out() << "-- 3. responsiveness (1 ms heartbeat on the GUI thread)" << Qt::endl;
        printRow({ QStringLiteral("longest stall, whole account loading (bulk)"),
            bulkKey + QStringLiteral("load-stall-max-ms"), ms, 50 });
        printRow({ QStringLiteral("p99 stall, whole account loading (bulk)"),
            bulkKey + QStringLiteral("load-stall-p99-ms"), ms, 16 });
        printRow({ QStringLiteral("longest stall, search typing"), bulkKey + QStringLiteral("search-stall-max-ms"), ms,
            50 });
        printRow(
            { QStringLiteral("p99 stall, search typing"), bulkKey + QStringLiteral("search-stall-p99-ms"), ms, 16 });
        printRow({ QStringLiteral("  (a) longest stall, per-project loading"),
            ppKey + QStringLiteral("load-stall-max-ms"), ms, 0 });
        printRow({ QStringLiteral("  (a) p99 stall, per-project loading"), ppKey + QStringLiteral("load-stall-p99-ms"),
            ms, 0 });
        out() << "-- 4. memory" << Qt::endl;
        for (const QString &k : { bulkKey + QStringLiteral("rss-kb"), bulkKey + QStringLiteral("rss-empty-kb"),
                 bulkKey + QStringLiteral("hwm-kb") })
            for (double &v : s[k].values)
                v /= 1024.0;
        printRow({ QStringLiteral("RSS, whole account loaded"), bulkKey + QStringLiteral("rss-kb"),
            QStringLiteral("MiB"), large ? 100.0 : 0.0 });
        printRow({ QStringLiteral("  RSS, the window before any session"), bulkKey + QStringLiteral("rss-empty-kb"),
            QStringLiteral("MiB"), 0 });
        printRow({ QStringLiteral("memory per loaded node, above the empty window"),
            bulkKey + QStringLiteral("bytes-per-node"), QStringLiteral("B"), 1024, 0 });
        printRow({ QStringLiteral("  peak RSS (VmHWM) after the search"), bulkKey + QStringLiteral("hwm-kb"),
            QStringLiteral("MiB"), 0 });
        out() << "-- 5. search on the whole account" << Qt::endl;
        s[prefix + QStringLiteral("search-keystroke")].values = keystrokes.value(bulkKey);
        printRow({ QStringLiteral("keystroke -> filtered tree painted"), prefix + QStringLiteral("search-keystroke"),
            ms, 30 });
        printRow({ QStringLiteral("  rows visible for \"Database 3\""), bulkKey + QStringLiteral("search-visible-rows"),
            QString(), 0, 0 });
        out() << "-- requests per level of the bulk load (target: at most ceil(N/100) + 1 per level; 100 is the page "
                 "size)"
              << Qt::endl;
        const struct
        {
            const char *route;
            int items;
        } levels[] = { { "GET /v1/workspaces", 1 }, { "GET /v1/projects", shape.projects },
            { "GET /v1/databases", shape.projects * shape.databases },
            { "GET /v1/databases/{id}/connections", shape.projects * shape.databases * shape.connections } };
        for (const auto &level : levels) {
            const int bound = (level.items + 99) / 100 + 1;
            const double worst = s[bulkKey + QLatin1String(level.route)].max();
            if (worst > bound)
                ++missed;
            out() << QStringLiteral("%1 %2 requests (max over runs), bound %3: %4")
                         .arg(QLatin1String(level.route), -52)
                         .arg(worst)
                         .arg(bound)
                         .arg(worst <= bound ? QStringLiteral("met") : QStringLiteral("MISSED"))
                  << Qt::endl;
        }
        out() << "-- ratios (medians; target: the console's bulk load at least 3x faster)" << Qt::endl;
        const double bulk = s[bulkKey + QStringLiteral("whole-ms")].median();
        auto ratio = [&](const QString &label, const QString &key, bool target) {
            const double r = bulk > 0 ? s[key].median() / bulk : 0;
            if (target && r < 3)
                ++missed;
            out() << QStringLiteral("%1 %2x%3")
                         .arg(label, -52)
                         .arg(fmt(r, 2), 12)
                         .arg(target ? (r >= 3 ? QStringLiteral("   target >= 3x: met")
                                               : QStringLiteral("   target >= 3x: MISSED"))
                                     : QString())
                  << Qt::endl;
        };
        ratio(QStringLiteral("(a) one request per project / console bulk"), ppKey + QStringLiteral("whole-ms"), true);
        if (large) {
            ratio(QStringLiteral("(b) SDK script per project / console bulk"), QStringLiteral("sdk/ms"), true);
            ratio(QStringLiteral("(c) SDK script, bulk routes / console bulk"), QStringLiteral("sdkbulk/ms"), false);
            out() << QStringLiteral("%1 %2 / %3 / %4 / %5")
                         .arg(QStringLiteral("HTTP requests: bulk / (a) / (b) / (c)"), -52)
                         .arg(s[QStringLiteral("bulk/http-requests")].median())
                         .arg(s[QStringLiteral("pp/http-requests")].median())
                         .arg(s[QStringLiteral("sdk/http-requests")].median())
                         .arg(s[QStringLiteral("sdkbulk/http-requests")].median())
                  << Qt::endl;
        }
    };
    accountFigures(kLarge, QString());
    out() << "-- 6. command palette (Ctrl+K) on the whole large account" << Qt::endl;
    printRow({ QStringLiteral("Ctrl+K -> palette painted (index read from the model)"),
        QStringLiteral("bulk/palette-open-ms"), ms, 0 });
    s[QStringLiteral("palette-keystroke")].values = paletteKeystrokes;
    printRow(
        { QStringLiteral("palette keystroke -> ranked list painted"), QStringLiteral("palette-keystroke"), ms, 30 });
    accountFigures(kTenants, QStringLiteral("xl-"));
    out() << Qt::endl
          << "targets missed: " << missed << "; total time " << fmt(double(total.elapsed()) / 1000.0)
          << " s; load average at end: " << loadAverage() << Qt::endl;
    return missed && strict ? 1 : 0;
}

} // namespace

int main(int argc, char *argv[])
{
    for (int i = 1; i < argc; ++i)
        if (qstrcmp(argv[i], "--worker") == 0)
            return worker(argc, argv);
    return driver(argc, argv);
}

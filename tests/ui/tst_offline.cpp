// Going offline and back (issue 20, part 5): the real window (ConsoleWindow) on a real sandbox and
// keychain. The sandbox is stopped (connections to its port are refused, as on a machine whose
// network is gone), the user presses F5 a few times, then the sandbox comes back on the same port
// with the same records. Checked:
// - the window says so plainly: the status line's offline label names the host, and no dialog
//   opens (none piles up);
// - no retry storm: every attempt of every call is counted (the ppg.api log lines) and Reachability's
//   probes are counted; while offline each call makes one attempt and the probes back off;
// - the console carries on by itself: once the sandbox answers, the label goes and the tree is
//   listed again (the project's databases are back, no error row) without any user action.
#include "apiclient.h"
#include "consolewindow.h"
#include "profilesetup.h"
#include "reachability.h"
#include "sandboxprocess.h"
#include "treeload.h"

#include <QApplication>
#include <QDialog>
#include <QLabel>
#include <QLoggingCategory>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

namespace {

const QByteArray kToken = "ppg-test-token-offline";
std::atomic<int> g_attempts { 0 };
QtMessageHandler g_previous = nullptr;

void countAttempts(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    // ApiCall logs one line per attempt: "GET /v1/... -> STATUS in N ms, attempt K".
    if (context.category && qstrcmp(context.category, "ppg.api") == 0 && message.contains(QLatin1String(" -> ")))
        ++g_attempts;
    if (g_previous)
        g_previous(type, context, message);
}

int visibleDialogs()
{
    int n = 0;
    for (QWidget *w : QApplication::topLevelWidgets())
        n += qobject_cast<QDialog *>(w) && w->isVisible() ? 1 : 0;
    return n;
}

bool hasErrorRow(const QAbstractItemModel &model, const QModelIndex &parent = {})
{
    for (int r = 0; r < model.rowCount(parent); ++r) {
        const QModelIndex i = model.index(r, 0, parent);
        if (!i.data(ResourceTreeModel::ErrorRole).toString().isEmpty() || hasErrorRow(model, i))
            return true;
    }
    return false;
}

} // namespace

class TestOffline : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void offlineIsShownWithoutStormAndRecoversByItself();

private:
    QTemporaryDir m_home;
    QTemporaryDir m_data;
    SandboxProcess m_sandbox;
};

void TestOffline::initTestCase()
{
    QVERIFY(m_home.isValid() && m_data.isValid());
    qputenv("XDG_CONFIG_HOME", m_home.filePath(QStringLiteral("config")).toUtf8());
    qputenv("XDG_CACHE_HOME", m_home.filePath(QStringLiteral("cache")).toUtf8());
    QCoreApplication::setOrganizationName(QStringLiteral("ppg-console-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_offline"));
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QLoggingCategory::setFilterRules(QStringLiteral("ppg.api.info=true"));
    g_previous = qInstallMessageHandler(countAttempts);

    SandboxProcess::Options o;
    o.tokens = { QString::fromLatin1(kToken) + QStringLiteral("=Offline") };
    o.ephemeral = false; // the same records after the restart
    o.dataDir = m_data.path();
    QVERIFY2(m_sandbox.start(o), qPrintable(m_sandbox.errorString()));
    ApiClient client(m_sandbox.baseUrl(), kToken);
    QObject ctx;
    CreateProjectRequest r;
    r.name = QStringLiteral("travel");
    bool done = false;
    client.createProject(r, &ctx, [&](const Result<Project> &p) {
        QVERIFY(p.ok());
        done = true;
    });
    QTRY_VERIFY_WITH_TIMEOUT(done, 30000);
}

void TestOffline::offlineIsShownWithoutStormAndRecoversByItself()
{
    Reachability::shared()->setProbeIntervals(std::chrono::milliseconds(200), std::chrono::milliseconds(1600));
    const QString ini = m_home.filePath(QStringLiteral("offline.ini"));
    Profile p;
    p.name = QStringLiteral("offline");
    p.apiUrl = m_sandbox.baseUrl();
    QString error;
    const auto saved = saveTestProfile(ini, QStringLiteral("ppg-console-test-offline"), p, kToken, &error);
    QVERIFY2(saved, qPrintable(error));

    ConsoleWindow c(ini, QStringLiteral("ppg-console-test-offline"));
    c.window.show();
    c.sessions.activate(saved->id);
    QTRY_VERIFY_WITH_TIMEOUT(c.sessions.session(), 30000);
    QVERIFY(waitForLevel(c.model, {}));
    const QModelIndex workspace = c.model.index(0, 0);
    QVERIFY(loadLevel(c.model, workspace));
    QCOMPARE(c.model.rowCount(workspace), 1);
    const QPersistentModelIndex project = c.model.index(0, 0, workspace);
    QVERIFY(loadLevel(c.model, project));
    QCOMPARE(c.model.rowCount(project), 1); // its default database
    auto *offline = c.window.findChild<QLabel *>(QStringLiteral("offlineStatus"));
    QVERIFY(offline);
    QVERIFY(!offline->isVisible());

    // The network goes: connections to the service's port are refused.
    const int port = m_sandbox.baseUrl().port();
    m_sandbox.stop();
    const int attemptsBefore = g_attempts;
    const int probesBefore = Reachability::shared()->probesSent();
    QElapsedTimer outage;
    outage.start();
    c.model.refreshAll(); // F5
    QTRY_VERIFY_WITH_TIMEOUT(offline->isVisible(), 15000);
    QVERIFY2(offline->text().contains(p.apiUrl.host()), qPrintable(offline->text()));
    QVERIFY(c.core.isOffline());
    for (int i = 0; i < 4; ++i) { // the user presses F5 again, impatient
        QTest::qWait(400);
        c.model.refreshAll();
        QCOMPARE(visibleDialogs(), 0);
    }
    QTest::qWait(1500);
    const int attemptsOffline = g_attempts - attemptsBefore;
    const int probesOffline = Reachability::shared()->probesSent() - probesBefore;
    qInfo("offline for %lld ms: %d attempts for 5 refreshes, %d probes", qint64(outage.elapsed()), attemptsOffline,
        probesOffline);
    QCOMPARE(visibleDialogs(), 0);
    // Each refresh lists the loaded levels (root, workspace, project) once: one attempt each, no
    // retries; the subscription watch adds at most one per workspace.
    QVERIFY2(attemptsOffline <= 5 * 3 + 3, qPrintable(QString::number(attemptsOffline)));
    // Probes back off: 200, 400, 800, 1600, 1600 ms... at most 6 in ~3.5 s.
    QVERIFY2(probesOffline >= 2 && probesOffline <= 6, qPrintable(QString::number(probesOffline)));
    QVERIFY(hasErrorRow(c.model));

    // The network comes back: the same service on the same port.
    SandboxProcess::Options o;
    o.tokens = { QString::fromLatin1(kToken) + QStringLiteral("=Offline") };
    o.ephemeral = false;
    o.dataDir = m_data.path();
    o.extraArgs = { QStringLiteral("--port"), QString::number(port) };
    QVERIFY2(m_sandbox.start(o), qPrintable(m_sandbox.errorString()));
    QCOMPARE(m_sandbox.baseUrl().port(), port);
    // By itself: no refresh from here on.
    QTRY_VERIFY_WITH_TIMEOUT(!offline->isVisible(), 15000);
    QVERIFY(!c.core.isOffline());
    QTRY_VERIFY_WITH_TIMEOUT(!hasErrorRow(c.model) && project.isValid() && c.model.rowCount(project) == 1, 15000);
    QCOMPARE(visibleDialogs(), 0);
}

QTEST_MAIN(TestOffline)
#include "tst_offline.moc"

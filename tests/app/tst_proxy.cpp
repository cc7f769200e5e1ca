// The networks people really have (issue 20, part 5): requests through a real proxy, tinyproxy
// (Debian's tinyproxy-bin), on loopback, to a real sandbox; credentials through the real keychain.
//
// Qt never sends requests for localhost or a 127.x address through a proxy (checked:
// QNetworkProxyFactory::proxyForQuery answers NoProxy for them whatever http_proxy says), so the
// console reaches the sandbox here by this computer's own name (QHostInfo::localHostName(), which
// /etc/hosts maps to a loopback address); the sandbox listens on that address. The proxy comes
// from the environment (http_proxy, as a user's shell sets it) through
// ProxyAuth::useSystemProxies(), as in ppg-console. Checked:
// - without credentials: the calls succeed and tinyproxy's log shows each request went through it;
// - a proxy that asks (BasicAuth): three calls at once ask ProxyCredentials once, the answer is
//   kept in the keychain, all three succeed through the proxy; at the "next start" (a fresh
//   client, nothing in memory) the keychain answers and nobody is asked; credentials the proxy
//   refuses are forgotten and asked for again (refused = true);
// - a proxy's HTML error page (tinyproxy's own, when the upstream refuses) is an ApiError that
//   names it as a web page from the network or a proxy, not a reply "not understood".
#include "apiclient.h"
#include "proxyauth.h"
#include "proxycredentials.h"
#include "requiredtool.h"
#include "sandboxprocess.h"
#include "secretstore.h"

#include <QFile>
#include <QHostInfo>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

namespace {

const QByteArray kToken = "ppg-test-token-proxy";
const QString kService = QStringLiteral("ppg-console-test-proxy");

int freePort()
{
    QTcpServer s;
    s.listen(QHostAddress::LocalHost, 0);
    return s.serverPort();
}

} // namespace

class TestProxy : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanup();
    void cleanupTestCase();
    void throughTheProxyWithoutCredentials();
    void credentialsAskedOnceKeptAndReused();
    void proxyErrorPageIsNamed();

private:
    bool startProxy(const QString &auth, QString *why);
    void stopProxy();
    QString proxyLog() const;
    Result<Page<Workspace>> listWorkspaces(ApiClient &client);

    QTemporaryDir m_dir;
    SandboxProcess m_sandbox;
    QUrl m_base; // the sandbox by this computer's name
    QProcess m_proxy;
    int m_proxyPort = 0;
    QString m_tinyproxy;
    QString m_logPath;
    int m_logRun = 0;
};

void TestProxy::initTestCase()
{
    PPG_REQUIRE_TOOL(tinyproxy, "tinyproxy", "tinyproxy-bin");
    m_tinyproxy = tinyproxy;
    QVERIFY(m_dir.isValid());
    const QString host = QHostInfo::localHostName();
    const QHostInfo info = QHostInfo::fromName(host);
    QHostAddress loopback;
    for (const QHostAddress &a : info.addresses())
        if (a.isLoopback() && a.protocol() == QAbstractSocket::IPv4Protocol)
            loopback = a;
    QVERIFY2(!loopback.isNull(),
        qPrintable(
            QStringLiteral("this computer's name %1 must resolve to a loopback address (/etc/hosts)").arg(host)));
    SandboxProcess::Options o;
    o.tokens = { QString::fromLatin1(kToken) + QStringLiteral("=Proxied") };
    o.extraArgs = { QStringLiteral("--host"), loopback.toString() };
    QVERIFY2(m_sandbox.start(o), qPrintable(m_sandbox.errorString()));
    m_base = m_sandbox.baseUrl();
    m_base.setHost(host);
    QVERIFY2(ApiClient::validateBaseUrl(m_base).isEmpty(), qPrintable(ApiClient::validateBaseUrl(m_base)));

    // As a user's shell would have it; read through Qt's system proxy configuration.
    m_proxyPort = freePort();
    qputenv("http_proxy", QStringLiteral("http://127.0.0.1:%1").arg(m_proxyPort).toUtf8());
    qputenv("https_proxy", QStringLiteral("http://127.0.0.1:%1").arg(m_proxyPort).toUtf8());
    qunsetenv("no_proxy");
    qunsetenv("NO_PROXY");
    ProxyAuth::useSystemProxies();
    QCOMPARE(ProxyAuth::keyForUrl(m_base), QStringLiteral("127.0.0.1:%1").arg(m_proxyPort));
    QVERIFY(ProxyAuth::keyForUrl(m_sandbox.baseUrl()).isEmpty()); // 127.0.0.1: never through a proxy
}

bool TestProxy::startProxy(const QString &auth, QString *why)
{
    m_logPath = m_dir.filePath(QStringLiteral("tinyproxy-%1.log").arg(++m_logRun));
    const QString conf = m_dir.filePath(QStringLiteral("tinyproxy-%1.conf").arg(m_logRun));
    QFile f(conf);
    if (!f.open(QIODevice::WriteOnly)) {
        *why = f.errorString();
        return false;
    }
    QByteArray text = "Port " + QByteArray::number(m_proxyPort) + "\nListen 127.0.0.1\nTimeout 30\n" + "LogFile \""
        + m_logPath.toUtf8() + "\"\nLogLevel Info\nMaxClients 20\nAllow 127.0.0.1\n" + "DisableViaHeader Yes\n";
    if (!auth.isEmpty())
        text += "BasicAuth " + auth.toUtf8() + "\n";
    f.write(text);
    f.close();
    m_proxy.setProcessChannelMode(QProcess::MergedChannels);
    m_proxy.start(m_tinyproxy, { QStringLiteral("-d"), QStringLiteral("-c"), conf });
    if (!m_proxy.waitForStarted(10000)) {
        *why = m_proxy.errorString();
        return false;
    }
    // Listening once a connection is accepted.
    if (!QTest::qWaitFor(
            [&] {
                QTcpSocket s;
                s.connectToHost(QHostAddress::LocalHost, quint16(m_proxyPort));
                return s.waitForConnected(200);
            },
            10000)) {
        *why = QString::fromUtf8(m_proxy.readAll());
        return false;
    }
    return true;
}

void TestProxy::stopProxy()
{
    if (m_proxy.state() != QProcess::NotRunning) {
        m_proxy.terminate();
        if (!m_proxy.waitForFinished(5000)) {
            m_proxy.kill();
            m_proxy.waitForFinished(5000);
        }
    }
}

void TestProxy::cleanup()
{
    stopProxy();
}

void TestProxy::cleanupTestCase()
{
    SecretStore secrets(kService);
    QObject ctx;
    bool done = false;
    secrets.remove(ProxyCredentials::secretKey(QStringLiteral("127.0.0.1:%1").arg(m_proxyPort)), &ctx,
        [&](const KeychainError &) { done = true; });
    QTRY_VERIFY_WITH_TIMEOUT(done, 30000);
}

QString TestProxy::proxyLog() const
{
    QFile f(m_logPath);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

Result<Page<Workspace>> TestProxy::listWorkspaces(ApiClient &client)
{
    std::optional<Result<Page<Workspace>>> result;
    QObject ctx;
    client.listWorkspaces({}, &ctx, [&](const Result<Page<Workspace>> &r) { result = r; });
    if (!QTest::qWaitFor([&] { return result.has_value(); }, 30000))
        return Result<Page<Workspace>>(ApiError::timeout());
    return *result;
}

void TestProxy::throughTheProxyWithoutCredentials()
{
    QString why;
    QVERIFY2(startProxy({}, &why), qPrintable(why));
    ApiClient client(m_base, kToken);
    const auto page = listWorkspaces(client);
    QVERIFY2(page.ok(), qPrintable(page.error().userMessage()));
    QCOMPARE(page.value().items.front().name, QStringLiteral("Proxied"));
    // tinyproxy logs each request it forwards with its absolute URL.
    const QString wanted = QStringLiteral("GET http://%1:%2/v1/workspaces").arg(m_base.host()).arg(m_base.port());
    QTRY_VERIFY2_WITH_TIMEOUT(proxyLog().contains(wanted), qPrintable(proxyLog()), 5000);
}

void TestProxy::credentialsAskedOnceKeptAndReused()
{
    QString why;
    QVERIFY2(startProxy(QStringLiteral("ppguser s3cr3t-proxy"), &why), qPrintable(why));
    const QString key = QStringLiteral("127.0.0.1:%1").arg(m_proxyPort);
    SecretStore secrets(kService);
    {
        ProxyCredentials credentials(&secrets, ProxyAuth::shared());
        int asked = 0;
        connect(&credentials, &ProxyCredentials::credentialsWanted, this,
            [&](const QString &proxyKey, const QString &realm, bool refused) {
                ++asked;
                QCOMPARE(proxyKey, key);
                QVERIFY(!realm.isEmpty()); // tinyproxy's own realm
                QVERIFY(!refused);
                // The user answers a moment later, as from the dialog.
                QTimer::singleShot(100, &credentials,
                    [&] { credentials.provide(key, QStringLiteral("ppguser"), QStringLiteral("s3cr3t-proxy")); });
            });
        ApiClient client(m_base, kToken);
        QObject ctx;
        int ok = 0, failed = 0;
        for (int i = 0; i < 3; ++i)
            client.listWorkspaces({}, &ctx, [&](const Result<Page<Workspace>> &r) { r.ok() ? ++ok : ++failed; });
        QTRY_COMPARE_WITH_TIMEOUT(ok + failed, 3, 30000);
        QCOMPARE(failed, 0);
        QCOMPARE(asked, 1);
        QVERIFY(proxyLog().contains(
            QStringLiteral("GET http://%1:%2/v1/workspaces").arg(m_base.host()).arg(m_base.port())));
    }
    // Kept in the keychain, user and password.
    QByteArray stored;
    bool read = false;
    QObject ctx;
    secrets.read(ProxyCredentials::secretKey(key), &ctx, [&](const QByteArray &s, const KeychainError &e) {
        QVERIFY2(e.ok(), qPrintable(e.userMessage()));
        stored = s;
        read = true;
    });
    QTRY_VERIFY_WITH_TIMEOUT(read, 30000);
    QCOMPARE(stored, QByteArray("ppguser\ns3cr3t-proxy"));

    // The next start: nothing in memory, a new client: the keychain answers, nobody is asked.
    ProxyAuth::shared()->forget(key);
    {
        ProxyCredentials credentials(&secrets, ProxyAuth::shared());
        int asked = 0;
        connect(&credentials, &ProxyCredentials::credentialsWanted, this, [&] { ++asked; });
        ApiClient client(m_base, kToken);
        const auto page = listWorkspaces(client);
        QVERIFY2(page.ok(), qPrintable(page.error().userMessage()));
        QCOMPARE(asked, 0);
    }

    // Refused credentials (the proxy's password changed): forgotten, asked again, said so.
    stopProxy();
    QVERIFY2(startProxy(QStringLiteral("ppguser n3w-pass"), &why), qPrintable(why));
    {
        ProxyCredentials credentials(&secrets, ProxyAuth::shared());
        int asked = 0;
        bool saidRefused = false;
        connect(&credentials, &ProxyCredentials::credentialsWanted, this,
            [&](const QString &, const QString &, bool refused) {
                ++asked;
                saidRefused = refused;
                QTimer::singleShot(0, &credentials,
                    [&] { credentials.provide(key, QStringLiteral("ppguser"), QStringLiteral("n3w-pass")); });
            });
        ApiClient client(m_base, kToken);
        const auto page = listWorkspaces(client);
        QVERIFY2(page.ok(), qPrintable(page.error().userMessage()));
        QCOMPARE(asked, 1);
        QVERIFY(saidRefused);
    }
}

void TestProxy::proxyErrorPageIsNamed()
{
    QString why;
    QVERIFY2(startProxy({}, &why), qPrintable(why));
    // Nothing listens there: tinyproxy answers with its own HTML error page.
    QUrl dead = m_base;
    dead.setPort(freePort());
    ApiClient client(dead, kToken);
    ApiClient::Options o = client.options();
    o.maxAttempts = 1;
    client.setOptions(o);
    const auto page = listWorkspaces(client);
    QVERIFY(!page.ok());
    const ApiError &e = page.error();
    QVERIFY2(e.webPage, qPrintable(e.message));
    QVERIFY(e.httpStatus >= 400);
    QVERIFY2(e.userMessage().contains(QStringLiteral("web page")) && e.userMessage().contains(QStringLiteral("proxy")),
        qPrintable(e.userMessage()));
    QVERIFY(proxyLog().contains(QStringLiteral("GET http://%1:%2/v1/workspaces").arg(dead.host()).arg(dead.port())));
}

QTEST_GUILESS_MAIN(TestProxy)
#include "tst_proxy.moc"

// Security of the transport: redirects stay on the origin and never carry the token elsewhere,
// plain HTTP only to loopback, TLS errors end the call (a self-signed server never sees the
// token), and every request says `User-Agent: ppg-console/<version>`.
#include "await.h"
#include "fakeserver.h"
#include "requiredtool.h"

#include <QProcess>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QTemporaryDir>
#include <QTest>

namespace {

const QByteArray kToken = "ppg-secret-token-never-elsewhere";

QByteArray workspaceBody()
{
    return R"({"data":{"id":"wksp_1","type":"workspace","url":"http://x/v1/workspaces/wksp_1","name":"Acme","createdAt":"2025-01-01T00:00:00Z"}})";
}

bool sawToken(const FakeServer &server)
{
    for (const auto &r : server.requests()) {
        if (r.headers.contains("authorization") || r.body.contains(kToken))
            return true;
        for (auto it = r.headers.cbegin(); it != r.headers.cend(); ++it)
            if (it.value().contains(kToken))
                return true;
    }
    return false;
}

} // namespace

class TestApiSecurity : public QObject
{
    Q_OBJECT
private slots:
    void userAgentAndBearer();
    void redirectToAnotherOrigin_data();
    void redirectToAnotherOrigin();
    void redirectWithinTheOriginIsFollowed();
    void plainHttpOnlyToLoopback();
    void tlsErrorsAreNeverIgnored();
};

void TestApiSecurity::userAgentAndBearer()
{
    FakeServer server([](const FakeRequest &) { return FakeResponse::json(200, workspaceBody()); });
    ApiClient client(server.url(), kToken);
    auto r = await<Workspace>([&](auto cb) { client.getWorkspace(QStringLiteral("wksp_1"), nullptr, cb); });
    QVERIFY(r.ok());
    const FakeRequest &req = server.requests().front();
    QCOMPARE(req.headers.value("user-agent"), QByteArray("ppg-console/" PPG_VERSION));
    QCOMPARE(req.headers.value("authorization"), QByteArray("Bearer ") + kToken);
    QCOMPARE(req.headers.value("accept"), QByteArray("application/json"));
}

void TestApiSecurity::redirectToAnotherOrigin_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("method");
    QTest::addColumn<bool>("otherHost"); // localhost instead of 127.0.0.1 (same port can't be shared)
    QTest::newRow("GET 302 other port") << 302 << "GET" << false;
    QTest::newRow("GET 301 other port") << 301 << "GET" << false;
    QTest::newRow("GET 307 other port") << 307 << "GET" << false;
    QTest::newRow("POST 307 other port") << 307 << "POST" << false;
    QTest::newRow("POST 308 other port") << 308 << "POST" << false;
    QTest::newRow("DELETE 307 other port") << 307 << "DELETE" << false;
    QTest::newRow("PATCH 308 other port") << 308 << "PATCH" << false;
    QTest::newRow("GET 302 other host name") << 302 << "GET" << true;
}

void TestApiSecurity::redirectToAnotherOrigin()
{
    QFETCH(int, status);
    QFETCH(QString, method);
    QFETCH(bool, otherHost);
    FakeServer elsewhere([](const FakeRequest &) { return FakeResponse::json(200, workspaceBody()); });
    const QUrl target = otherHost ? QUrl(QStringLiteral("http://localhost:%1/v1/stolen").arg(elsewhere.port()))
                                  : elsewhere.url().resolved(QUrl(QStringLiteral("/v1/stolen")));
    FakeServer origin(
        [&](const FakeRequest &) { return FakeResponse::json(status, "{}").header("Location", target.toEncoded()); });
    ApiClient client(origin.url(), kToken);
    ApiError error;
    if (method == QLatin1String("GET"))
        error = await<Workspace>([&](auto cb) { client.getWorkspace(QStringLiteral("wksp_1"), nullptr, cb); }).error();
    else if (method == QLatin1String("POST"))
        error = await<Connection>([&](auto cb) {
            client.createConnection(QStringLiteral("db_1"), QStringLiteral("c"), nullptr, cb);
        }).error();
    else if (method == QLatin1String("PATCH"))
        error = await<Project>([&](auto cb) {
            client.renameProject(QStringLiteral("proj_1"), QStringLiteral("n"), nullptr, cb);
        }).error();
    else
        error = await<Done>([&](auto cb) { client.deleteProject(QStringLiteral("proj_1"), nullptr, cb); }).error();
    QTest::qWait(200);
    QVERIFY2(error.isError(), "a cross-origin redirect must not succeed");
    QCOMPARE(error.kind, ApiError::Kind::Protocol);
    QVERIFY(!sawToken(elsewhere));
    QCOMPARE(elsewhere.requests().size(), size_t(0)); // nothing went there at all
    QCOMPARE(origin.requests().size(), size_t(1));
}

void TestApiSecurity::redirectWithinTheOriginIsFollowed()
{
    FakeServer server([](const FakeRequest &req) {
        if (req.path == QLatin1String("/v1/workspaces/old"))
            return FakeResponse::json(302, "{}").header("Location", "/v1/workspaces/wksp_1");
        return FakeResponse::json(200, workspaceBody());
    });
    ApiClient client(server.url(), kToken);
    auto r = await<Workspace>([&](auto cb) { client.getWorkspace(QStringLiteral("old"), nullptr, cb); });
    QVERIFY2(r.ok(), qPrintable(r.error().message));
    QCOMPARE(server.requests().size(), size_t(2));
}

void TestApiSecurity::plainHttpOnlyToLoopback()
{
    QVERIFY(ApiClient::validateBaseUrl(QUrl(QStringLiteral("https://api.prisma.io"))).isEmpty());
    QVERIFY(ApiClient::validateBaseUrl(QUrl(QStringLiteral("http://127.0.0.1:8080"))).isEmpty());
    QVERIFY(ApiClient::validateBaseUrl(QUrl(QStringLiteral("http://[::1]:8080"))).isEmpty());
    QVERIFY(ApiClient::validateBaseUrl(QUrl(QStringLiteral("http://localhost"))).isEmpty());
    QVERIFY(!ApiClient::validateBaseUrl(QUrl(QStringLiteral("http://api.prisma.io"))).isEmpty());
    QVERIFY(!ApiClient::validateBaseUrl(QUrl(QStringLiteral("http://10.0.0.1"))).isEmpty());
    QVERIFY(!ApiClient::validateBaseUrl(QUrl(QStringLiteral("ftp://127.0.0.1"))).isEmpty());
    QVERIFY(!ApiClient::validateBaseUrl(QUrl(QStringLiteral("not a url"))).isEmpty());
}

void TestApiSecurity::tlsErrorsAreNeverIgnored()
{
    // A TLS server with a self-signed certificate: the handshake must fail, so no HTTP request
    // (and no token) ever reaches it.
    PPG_REQUIRE_TOOL(opensslProgram, "openssl", "openssl");
    QTemporaryDir dir;
    QProcess openssl;
    openssl.start(opensslProgram,
        { QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("rsa:2048"),
            QStringLiteral("-nodes"), QStringLiteral("-days"), QStringLiteral("1"), QStringLiteral("-subj"),
            QStringLiteral("/CN=127.0.0.1"), QStringLiteral("-addext"), QStringLiteral("subjectAltName=IP:127.0.0.1"),
            QStringLiteral("-keyout"), dir.filePath(QStringLiteral("key.pem")), QStringLiteral("-out"),
            dir.filePath(QStringLiteral("cert.pem")) });
    QVERIFY2(openssl.waitForFinished(30000) && openssl.exitCode() == 0,
        qPrintable(QStringLiteral("openssl could not make a test certificate: ")
            + QString::fromLocal8Bit(openssl.readAllStandardError())));
    QFile certFile(dir.filePath(QStringLiteral("cert.pem")));
    QFile keyFile(dir.filePath(QStringLiteral("key.pem")));
    QVERIFY(certFile.open(QIODevice::ReadOnly) && keyFile.open(QIODevice::ReadOnly));
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setLocalCertificate(QSslCertificate(certFile.readAll()));
    config.setPrivateKey(QSslKey(keyFile.readAll(), QSsl::Rsa));
    QSslServer tls;
    tls.setSslConfiguration(config);
    QByteArray received;
    int handshakes = 0;
    connect(&tls, &QSslServer::pendingConnectionAvailable, this, [&] {
        while (QTcpSocket *s = tls.nextPendingConnection()) {
            connect(s, &QTcpSocket::readyRead, s, [&received, s] { received += s->readAll(); });
        }
    });
    connect(&tls, &QSslServer::startedEncryptionHandshake, this, [&](QSslSocket *) { ++handshakes; });
    QVERIFY(tls.listen(QHostAddress::LocalHost, 0));

    ApiClient client(QUrl(QStringLiteral("https://127.0.0.1:%1").arg(tls.serverPort())), kToken);
    auto r = await<Me>([&](auto cb) { client.me(nullptr, cb); });
    QVERIFY(!r.ok());
    QCOMPARE(r.error().kind, ApiError::Kind::Network);
    QVERIFY(handshakes >= 1);
    QTest::qWait(200);
    QVERIFY(!received.contains(kToken));
    QVERIFY(!received.contains("Authorization"));
}

QTEST_GUILESS_MAIN(TestApiSecurity)
#include "tst_apisecurity.moc"

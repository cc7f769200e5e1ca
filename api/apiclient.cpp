#include "apiclient.h"

#include "apilog.h"
#include "decoding.h"
#include "proxyauth.h"

#include <QAuthenticator>
#include <QHostAddress>
#include <QHostInfo>
#include <QIODevice>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QSslError>
#include <QUuid>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>

using json = nlohmann::json;

namespace {

bool isLoopbackHost(const QString &host)
{
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    QHostAddress address;
    if (address.setAddress(host))
        return address.isLoopback();
    // This computer's own name: what it resolves to is this machine (tests reach the sandbox by it
    // through a proxy, which Qt never uses for localhost or 127.x).
    return host.compare(QHostInfo::localHostName(), Qt::CaseInsensitive) == 0;
}

void addPage(QUrlQuery &query, const PageRequest &page)
{
    if (!page.cursor.isEmpty())
        query.addQueryItem(QStringLiteral("cursor"), page.cursor);
    if (page.limit > 0)
        query.addQueryItem(QStringLiteral("limit"), QString::number(page.limit));
}

QString segment(const QString &id)
{
    // Ids are opaque: percent-encode so that no id can change the path. An empty id, ".", or ".."
    // would still change it: refusal() catches those.
    return QString::fromLatin1(QUrl::toPercentEncoding(id));
}

ApiCall::Request get(const QString &path)
{
    ApiCall::Request r;
    r.method = ApiCall::Method::Get;
    r.path = path;
    return r;
}

ApiCall::Request withBody(ApiCall::Method method, const QString &path, QByteArray body)
{
    ApiCall::Request r;
    r.method = method;
    r.path = path;
    r.body = std::move(body);
    return r;
}

ApiCall::Request del(const QString &path)
{
    ApiCall::Request r;
    r.method = ApiCall::Method::Delete;
    r.path = path;
    return r;
}

QByteArray toBody(const json &j)
{
    return QByteArray::fromStdString(j.dump());
}

// The body of a POST, PATCH or DELETE, readable once. Qt re-sends a request by itself when its
// connection closes before an answer (QHttpNetworkConnectionChannel's reconnect attempts); for a
// request that is not safe to repeat it must not. A body that cannot be rewound makes Qt end the
// reply with ContentReSendError instead, and ApiCall decides what to do (see apicall.h).
class OneShotBody : public QIODevice
{
public:
    OneShotBody(QByteArray data, QObject *parent) : QIODevice(parent), m_data(std::move(data)) { open(ReadOnly); }
    bool isSequential() const override { return true; }
    bool reset() override { return false; }
    qint64 bytesAvailable() const override { return m_data.size() - m_pos + QIODevice::bytesAvailable(); }
    bool atEnd() const override { return m_pos >= m_data.size() && QIODevice::bytesAvailable() == 0; }

protected:
    qint64 readData(char *out, qint64 max) override
    {
        const qint64 n = std::min<qint64>(max, m_data.size() - m_pos);
        if (n <= 0)
            return m_pos >= m_data.size() ? -1 : 0;
        std::memcpy(out, m_data.constData() + m_pos, size_t(n));
        m_pos += n;
        return n;
    }
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    QByteArray m_data;
    qint64 m_pos = 0;
};

Result<Done> noBody(const QByteArray &)
{
    return Done {};
}

} // namespace

ApiClient::ApiClient(const QUrl &baseUrl, QByteArray token, QObject *parent)
    : QObject(parent), m_baseUrl(baseUrl), m_token(std::move(token)), m_network(new QNetworkAccessManager(this))
{
    m_network->setRedirectPolicy(QNetworkRequest::SameOriginRedirectPolicy);
    m_network->setAutoDeleteReplies(false);
    // TLS errors are reported, never ignored (no ignoreSslErrors() anywhere): the reply fails.
    connect(
        m_network, &QNetworkAccessManager::sslErrors, this, [](QNetworkReply *reply, const QList<QSslError> &errors) {
            for (const QSslError &e : errors)
                qCWarning(lcApi).noquote()
                    << "TLS error for" << reply->url().host() << ":" << redactSecrets(e.errorString());
        });
    // A proxy that asks for a user name and password: ProxyAuth answers, or asks the app layer.
    connect(m_network, &QNetworkAccessManager::proxyAuthenticationRequired, ProxyAuth::shared(),
        &ProxyAuth::authenticate, Qt::DirectConnection);
}

ApiClient::~ApiClient()
{
    // The session ends: nothing of it may be delivered any more.
    for (ApiCall *call : findChildren<ApiCall *>(Qt::FindDirectChildrenOnly))
        call->detach();
    m_token.detach();
    m_token.fill('\0');
}

QString ApiClient::validateBaseUrl(const QUrl &url)
{
    if (!url.isValid() || url.host().isEmpty())
        return tr("The API URL is not a valid address.");
    const QString scheme = url.scheme().toLower();
    if (scheme == QLatin1String("https"))
        return {};
    if (scheme == QLatin1String("http") && isLoopbackHost(url.host()))
        return {};
    if (scheme == QLatin1String("http"))
        return tr("Plain HTTP is allowed only for this computer (127.0.0.1, localhost); use https:// for %1.")
            .arg(url.host());
    return tr("The API URL must start with https://.");
}

void ApiClient::cancelAll()
{
    for (ApiCall *call : findChildren<ApiCall *>(Qt::FindDirectChildrenOnly))
        call->cancel();
}

int ApiClient::pendingCalls() const
{
    int n = 0;
    for (const ApiCall *call : findChildren<ApiCall *>(Qt::FindDirectChildrenOnly))
        n += call->isFinished() ? 0 : 1;
    return n;
}

QString ApiClient::refusal(const ApiCall::Request &request) const
{
    if (QString why = validateBaseUrl(m_baseUrl); !why.isEmpty())
        return why;
    const QStringList segments = request.path.split(QLatin1Char('/'));
    for (qsizetype i = 1; i < segments.size(); ++i) {
        if (segments[i].isEmpty() || segments[i] == QLatin1String(".") || segments[i] == QLatin1String(".."))
            return tr("An identifier is empty or not valid.");
    }
    for (const char c : m_token) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
            return tr("The service token contains control characters.");
    }
    return {};
}

QNetworkRequest ApiClient::newRequest(const ApiCall::Request &request) const
{
    QUrl url = m_baseUrl;
    QString basePath = url.path();
    if (basePath.endsWith(QLatin1Char('/')))
        basePath.chop(1);
    url.setPath(basePath + request.path, QUrl::TolerantMode);
    if (!request.query.isEmpty())
        url.setQuery(request.query);

    QNetworkRequest r(url);
    r.setRawHeader("Accept", "application/json");
    r.setRawHeader("User-Agent", QByteArrayLiteral("ppg-console/") + PPG_VERSION);
    // The one place where the token leaves this object.
    r.setRawHeader("Authorization", QByteArrayLiteral("Bearer ") + m_token);
    if (!request.body.isEmpty())
        r.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    r.setTransferTimeout(int(m_options.transferTimeout.count()));
    // Redirects: followed only within the origin (scheme, host, port), so the Authorization
    // header never goes anywhere else; anything else ends the call as a protocol error.
    r.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::SameOriginRedirectPolicy);
    r.setMaximumRedirectsAllowed(5);
    return r;
}

QNetworkReply *ApiClient::send(const ApiCall::Request &request)
{
    QNetworkRequest r = newRequest(request);
    if (request.method == ApiCall::Method::Get)
        return m_network->get(r);
    // Everything else goes out at most once per attempt: an unbuffered body that cannot be
    // rewound, and HTTP/1.1 (the HTTP/2 handler has its own re-send paths).
    r.setAttribute(QNetworkRequest::DoNotBufferUploadDataAttribute, true);
    r.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    r.setHeader(QNetworkRequest::ContentLengthHeader, request.body.size());
    auto *body = new OneShotBody(request.body, nullptr);
    QNetworkReply *reply = nullptr;
    switch (request.method) {
    case ApiCall::Method::Post:
        reply = m_network->post(r, body);
        break;
    case ApiCall::Method::Patch:
        reply = m_network->sendCustomRequest(r, "PATCH", body);
        break;
    case ApiCall::Method::Delete:
    case ApiCall::Method::Get:
        reply = m_network->sendCustomRequest(r, "DELETE", body);
        break;
    }
    body->setParent(reply);
    return reply;
}

template <class T, class Decoder>
ApiCall *ApiClient::call(ApiCall::Request request, QObject *context, Callback<T> done, Decoder decode)
{
    QPointer<QObject> guard(context);
    const bool hasContext = context != nullptr;
    auto handler = [guard, hasContext, done = std::move(done), decode](const ApiCall::Response &response) {
        if (hasContext && !guard)
            return; // the receiver is gone
        if (response.error.isError()) {
            done(Result<T>(response.error));
            return;
        }
        if (response.decoded) // a large body, decoded on a worker already
            done(std::move(*std::static_pointer_cast<Result<T>>(response.decoded)));
        else
            done(decode(response.body));
    };
    request.decoder = [decode](const QByteArray &body) -> std::shared_ptr<void> {
        return std::make_shared<Result<T>>(decode(body));
    };
    const QString refused = refusal(request);
    auto *c = new ApiCall(this, std::move(request), std::move(handler));
    if (refused.isEmpty()) {
        c->start();
    } else {
        ApiError error;
        error.kind = ApiError::Kind::Validation;
        error.code = QStringLiteral("not_sent");
        error.message = refused;
        c->reject(std::move(error));
    }
    return c;
}

ApiCall *ApiClient::me(QObject *context, Callback<Me> done)
{
    return call<Me>(get(QStringLiteral("/v1/me")), context, std::move(done), Decode::me);
}

ApiCall *ApiClient::listWorkspaces(const PageRequest &page, QObject *context, Callback<Page<Workspace>> done)
{
    ApiCall::Request r = get(QStringLiteral("/v1/workspaces"));
    addPage(r.query, page);
    return call<Page<Workspace>>(std::move(r), context, std::move(done), Decode::workspacePage);
}

ApiCall *ApiClient::getWorkspace(const QString &id, QObject *context, Callback<Workspace> done)
{
    return call<Workspace>(
        get(QStringLiteral("/v1/workspaces/") + segment(id)), context, std::move(done), Decode::workspace);
}

ApiCall *ApiClient::listRegions(QObject *context, Callback<std::vector<Region>> done)
{
    return call<std::vector<Region>>(
        get(QStringLiteral("/v1/regions/postgres")), context, std::move(done), Decode::regions);
}

ApiCall *ApiClient::listProjects(const PageRequest &page, QObject *context, Callback<Page<Project>> done)
{
    return listProjects(page, QString(), context, std::move(done));
}

ApiCall *ApiClient::listProjects(
    const PageRequest &page, const QString &logicalId, QObject *context, Callback<Page<Project>> done)
{
    ApiCall::Request r = get(QStringLiteral("/v1/projects"));
    addPage(r.query, page);
    if (!logicalId.isEmpty())
        r.query.addQueryItem(QStringLiteral("logicalId"), logicalId);
    return call<Page<Project>>(std::move(r), context, std::move(done), Decode::projectPage);
}

ApiCall *ApiClient::getProject(const QString &id, QObject *context, Callback<Project> done)
{
    return call<Project>(get(QStringLiteral("/v1/projects/") + segment(id)), context, std::move(done), Decode::project);
}

ApiCall *ApiClient::createProject(CreateProjectRequest request, QObject *context, Callback<Project> done)
{
    const bool own = request.logicalId.isEmpty();
    if (own)
        request.logicalId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    json body = json::object();
    if (!request.name.isEmpty())
        body["name"] = request.name.toStdString();
    if (!request.region.isEmpty())
        body["region"] = request.region.toStdString();
    body["createDatabase"] = request.createDatabase;
    if (!request.workspaceId.isEmpty())
        body["workspaceId"] = request.workspaceId.toStdString();
    body["logicalId"] = request.logicalId.toStdString();
    ApiCall::Request r = withBody(ApiCall::Method::Post, QStringLiteral("/v1/projects"), toBody(body));
    r.logicalId = request.logicalId;
    r.ownLogicalId = own;
    return call<Project>(std::move(r), context, std::move(done), Decode::project);
}

ApiCall *ApiClient::renameProject(const QString &id, const QString &name, QObject *context, Callback<Project> done)
{
    const json body { { "name", name.toStdString() } };
    return call<Project>(withBody(ApiCall::Method::Patch, QStringLiteral("/v1/projects/") + segment(id), toBody(body)),
        context, std::move(done), Decode::project);
}

ApiCall *ApiClient::transferProject(
    const QString &id, const QByteArray &recipientToken, QObject *context, Callback<Done> done)
{
    const json body { { "recipientAccessToken", recipientToken.toStdString() } };
    return call<Done>(
        withBody(ApiCall::Method::Post, QStringLiteral("/v1/projects/%1/transfer").arg(segment(id)), toBody(body)),
        context, std::move(done), noBody);
}

ApiCall *ApiClient::deleteProject(const QString &id, QObject *context, Callback<Done> done)
{
    return call<Done>(del(QStringLiteral("/v1/projects/") + segment(id)), context, std::move(done), noBody);
}

ApiCall *ApiClient::listDatabases(
    const QString &projectId, const PageRequest &page, QObject *context, Callback<Page<Database>> done)
{
    ApiCall::Request r = get(QStringLiteral("/v1/projects/%1/databases").arg(segment(projectId)));
    addPage(r.query, page);
    return call<Page<Database>>(std::move(r), context, std::move(done), Decode::databasePage);
}

ApiCall *ApiClient::listAllDatabases(const PageRequest &page, QObject *context, Callback<Page<Database>> done)
{
    return listAllDatabases(page, QString(), context, std::move(done));
}

ApiCall *ApiClient::listAllDatabases(
    const PageRequest &page, const QString &projectId, QObject *context, Callback<Page<Database>> done)
{
    ApiCall::Request r = get(QStringLiteral("/v1/databases"));
    addPage(r.query, page);
    if (!projectId.isEmpty())
        r.query.addQueryItem(QStringLiteral("projectId"), projectId);
    return call<Page<Database>>(std::move(r), context, std::move(done), Decode::databasePage);
}

ApiCall *ApiClient::getDatabase(const QString &id, QObject *context, Callback<Database> done)
{
    return call<Database>(
        get(QStringLiteral("/v1/databases/") + segment(id)), context, std::move(done), Decode::database);
}

ApiCall *ApiClient::createDatabase(
    const QString &projectId, const CreateDatabaseRequest &request, QObject *context, Callback<Database> done)
{
    json body = json::object();
    if (!request.name.isEmpty())
        body["name"] = request.name.toStdString();
    if (!request.region.isEmpty())
        body["region"] = request.region.toStdString();
    body["isDefault"] = request.isDefault;
    const DataSource &source = request.source;
    if (source.type == DataSource::Type::Backup)
        body["source"] = json { { "type", "backup" }, { "databaseId", source.databaseId.toStdString() },
            { "backupId", source.backupId.toStdString() } };
    else if (source.type == DataSource::Type::Database)
        body["source"] = json { { "type", "database" }, { "databaseId", source.databaseId.toStdString() } };
    return call<Database>(withBody(ApiCall::Method::Post,
                              QStringLiteral("/v1/projects/%1/databases").arg(segment(projectId)), toBody(body)),
        context, std::move(done), Decode::database);
}

ApiCall *ApiClient::restoreDatabase(const QString &targetId, const QString &sourceDatabaseId, const QString &backupId,
    QObject *context, Callback<Database> done)
{
    const json body { { "source",
        json { { "type", "backup" }, { "databaseId", sourceDatabaseId.toStdString() },
            { "backupId", backupId.toStdString() } } } };
    return call<Database>(withBody(ApiCall::Method::Post,
                              QStringLiteral("/v1/databases/%1/restore").arg(segment(targetId)), toBody(body)),
        context, std::move(done), Decode::database);
}

ApiCall *ApiClient::renameDatabase(const QString &id, const QString &name, QObject *context, Callback<Database> done)
{
    const json body { { "name", name.toStdString() } };
    return call<Database>(
        withBody(ApiCall::Method::Patch, QStringLiteral("/v1/databases/") + segment(id), toBody(body)), context,
        std::move(done), Decode::database);
}

ApiCall *ApiClient::deleteDatabase(const QString &id, QObject *context, Callback<Done> done)
{
    return call<Done>(del(QStringLiteral("/v1/databases/") + segment(id)), context, std::move(done), noBody);
}

ApiCall *ApiClient::listConnections(
    const QString &databaseId, const PageRequest &page, QObject *context, Callback<Page<Connection>> done)
{
    ApiCall::Request r = get(QStringLiteral("/v1/databases/%1/connections").arg(segment(databaseId)));
    addPage(r.query, page);
    return call<Page<Connection>>(std::move(r), context, std::move(done), Decode::connectionPage);
}

ApiCall *ApiClient::listAllConnections(
    const PageRequest &page, const QString &databaseId, QObject *context, Callback<Page<Connection>> done)
{
    ApiCall::Request r = get(QStringLiteral("/v1/connections"));
    addPage(r.query, page);
    if (!databaseId.isEmpty())
        r.query.addQueryItem(QStringLiteral("databaseId"), databaseId);
    return call<Page<Connection>>(std::move(r), context, std::move(done), Decode::connectionPage);
}

ApiCall *ApiClient::getConnection(const QString &id, QObject *context, Callback<Connection> done)
{
    return call<Connection>(
        get(QStringLiteral("/v1/connections/") + segment(id)), context, std::move(done), Decode::connection);
}

ApiCall *ApiClient::createConnection(
    const QString &databaseId, const QString &name, QObject *context, Callback<Connection> done)
{
    const json body { { "name", name.toStdString() } };
    return call<Connection>(withBody(ApiCall::Method::Post,
                                QStringLiteral("/v1/databases/%1/connections").arg(segment(databaseId)), toBody(body)),
        context, std::move(done), Decode::connection);
}

ApiCall *ApiClient::deleteConnection(const QString &id, QObject *context, Callback<Done> done)
{
    return call<Done>(del(QStringLiteral("/v1/connections/") + segment(id)), context, std::move(done), noBody);
}

ApiCall *ApiClient::rotateConnection(const QString &id, QObject *context, Callback<Connection> done)
{
    return call<Connection>(
        withBody(ApiCall::Method::Post, QStringLiteral("/v1/connections/%1/rotate").arg(segment(id)), {}), context,
        std::move(done), Decode::connection);
}

ApiCall *ApiClient::usage(const QString &databaseId, QObject *context, Callback<Usage> done)
{
    return call<Usage>(get(QStringLiteral("/v1/databases/%1/usage").arg(segment(databaseId))), context, std::move(done),
        Decode::usage);
}

ApiCall *ApiClient::subscription(const QString &workspaceId, QObject *context, Callback<Subscription> done)
{
    return call<Subscription>(get(QStringLiteral("/v1/workspaces/%1/subscription").arg(segment(workspaceId))), context,
        std::move(done), Decode::subscription);
}

ApiCall *ApiClient::listServiceTokens(
    const QString &workspaceId, const PageRequest &page, QObject *context, Callback<Page<ServiceToken>> done)
{
    ApiCall::Request r = get(QStringLiteral("/v1/workspaces/%1/service-tokens").arg(segment(workspaceId)));
    addPage(r.query, page);
    return call<Page<ServiceToken>>(std::move(r), context, std::move(done), Decode::serviceTokenPage);
}

ApiCall *ApiClient::createServiceToken(
    const QString &workspaceId, const QString &name, QObject *context, Callback<ServiceToken> done)
{
    const json body { { "name", name.toStdString() } };
    return call<ServiceToken>(
        withBody(ApiCall::Method::Post, QStringLiteral("/v1/workspaces/%1/service-tokens").arg(segment(workspaceId)),
            toBody(body)),
        context, std::move(done), Decode::issuedServiceToken);
}

ApiCall *ApiClient::deleteServiceToken(
    const QString &workspaceId, const QString &id, QObject *context, Callback<Done> done)
{
    return call<Done>(del(QStringLiteral("/v1/workspaces/%1/service-tokens/%2").arg(segment(workspaceId), segment(id))),
        context, std::move(done), noBody);
}

ApiCall *ApiClient::listBackups(const QString &databaseId, int limit, QObject *context, Callback<BackupList> done)
{
    ApiCall::Request r = get(QStringLiteral("/v1/databases/%1/backups").arg(segment(databaseId)));
    if (limit > 0)
        r.query.addQueryItem(QStringLiteral("limit"), QString::number(limit));
    return call<BackupList>(std::move(r), context, std::move(done), Decode::backups);
}

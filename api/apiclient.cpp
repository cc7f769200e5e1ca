#include "apiclient.h"

#include "apilog.h"
#include "decoding.h"

#include <QHostAddress>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QUuid>

#include <nlohmann/json.hpp>

using json = nlohmann::json;

namespace {

bool isLoopbackHost(const QString &host)
{
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    QHostAddress address;
    return address.setAddress(host) && address.isLoopback();
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
    // Ids are opaque: percent-encode so that no id can change the path.
    return QString::fromLatin1(QUrl::toPercentEncoding(id));
}

QByteArray toBody(const json &j)
{
    return QByteArray::fromStdString(j.dump());
}

Result<Done> noBody(const QByteArray &)
{
    return Done{};
}

} // namespace

ApiClient::ApiClient(const QUrl &baseUrl, QByteArray token, QObject *parent)
    : QObject(parent), m_baseUrl(baseUrl), m_token(std::move(token)), m_network(new QNetworkAccessManager(this))
{
    m_network->setRedirectPolicy(QNetworkRequest::SameOriginRedirectPolicy);
    m_network->setAutoDeleteReplies(false);
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
    r.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::SameOriginRedirectPolicy);
    return r;
}

QNetworkReply *ApiClient::send(const ApiCall::Request &request)
{
    const QNetworkRequest r = newRequest(request);
    switch (request.method) {
    case ApiCall::Method::Get:
        return m_network->get(r);
    case ApiCall::Method::Post:
        return m_network->post(r, request.body);
    case ApiCall::Method::Patch:
        return m_network->sendCustomRequest(r, "PATCH", request.body);
    case ApiCall::Method::Delete:
        return m_network->deleteResource(r);
    }
    return m_network->get(r);
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
        done(decode(response.body));
    };
    auto *c = new ApiCall(this, std::move(request), std::move(handler));
    c->start();
    return c;
}

ApiCall *ApiClient::me(QObject *context, Callback<Me> done)
{
    return call<Me>({ApiCall::Method::Get, QStringLiteral("/v1/me"), {}, {}, {}}, context, std::move(done), Decode::me);
}

ApiCall *ApiClient::listWorkspaces(const PageRequest &page, QObject *context, Callback<Page<Workspace>> done)
{
    ApiCall::Request r{ApiCall::Method::Get, QStringLiteral("/v1/workspaces"), {}, {}, {}};
    addPage(r.query, page);
    return call<Page<Workspace>>(std::move(r), context, std::move(done), Decode::workspacePage);
}

ApiCall *ApiClient::listRegions(QObject *context, Callback<std::vector<Region>> done)
{
    return call<std::vector<Region>>({ApiCall::Method::Get, QStringLiteral("/v1/regions/postgres"), {}, {}, {}},
                                     context, std::move(done), Decode::regions);
}

ApiCall *ApiClient::listProjects(const PageRequest &page, QObject *context, Callback<Page<Project>> done)
{
    ApiCall::Request r{ApiCall::Method::Get, QStringLiteral("/v1/projects"), {}, {}, {}};
    addPage(r.query, page);
    return call<Page<Project>>(std::move(r), context, std::move(done), Decode::projectPage);
}

ApiCall *ApiClient::getProject(const QString &id, QObject *context, Callback<Project> done)
{
    return call<Project>({ApiCall::Method::Get, QStringLiteral("/v1/projects/") + segment(id), {}, {}, {}},
                         context, std::move(done), Decode::project);
}

ApiCall *ApiClient::createProject(CreateProjectRequest request, QObject *context, Callback<Project> done)
{
    if (request.logicalId.isEmpty())
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
    ApiCall::Request r{ApiCall::Method::Post, QStringLiteral("/v1/projects"), {}, toBody(body), request.logicalId};
    return call<Project>(std::move(r), context, std::move(done), Decode::project);
}

ApiCall *ApiClient::deleteProject(const QString &id, QObject *context, Callback<Done> done)
{
    return call<Done>({ApiCall::Method::Delete, QStringLiteral("/v1/projects/") + segment(id), {}, {}, {}},
                      context, std::move(done), noBody);
}

ApiCall *ApiClient::listDatabases(const QString &projectId, const PageRequest &page, QObject *context,
                                  Callback<Page<Database>> done)
{
    ApiCall::Request r{ApiCall::Method::Get, QStringLiteral("/v1/projects/%1/databases").arg(segment(projectId)), {}, {}, {}};
    addPage(r.query, page);
    return call<Page<Database>>(std::move(r), context, std::move(done), Decode::databasePage);
}

ApiCall *ApiClient::listAllDatabases(const PageRequest &page, QObject *context, Callback<Page<Database>> done)
{
    ApiCall::Request r{ApiCall::Method::Get, QStringLiteral("/v1/databases"), {}, {}, {}};
    addPage(r.query, page);
    return call<Page<Database>>(std::move(r), context, std::move(done), Decode::databasePage);
}

ApiCall *ApiClient::getDatabase(const QString &id, QObject *context, Callback<Database> done)
{
    return call<Database>({ApiCall::Method::Get, QStringLiteral("/v1/databases/") + segment(id), {}, {}, {}},
                          context, std::move(done), Decode::database);
}

ApiCall *ApiClient::createDatabase(const QString &projectId, const CreateDatabaseRequest &request,
                                   QObject *context, Callback<Database> done)
{
    json body = json::object();
    if (!request.name.isEmpty())
        body["name"] = request.name.toStdString();
    if (!request.region.isEmpty())
        body["region"] = request.region.toStdString();
    body["isDefault"] = request.isDefault;
    ApiCall::Request r{ApiCall::Method::Post, QStringLiteral("/v1/projects/%1/databases").arg(segment(projectId)), {},
                       toBody(body), {}};
    return call<Database>(std::move(r), context, std::move(done), Decode::database);
}

ApiCall *ApiClient::deleteDatabase(const QString &id, QObject *context, Callback<Done> done)
{
    return call<Done>({ApiCall::Method::Delete, QStringLiteral("/v1/databases/") + segment(id), {}, {}, {}},
                      context, std::move(done), noBody);
}

ApiCall *ApiClient::listConnections(const QString &databaseId, const PageRequest &page, QObject *context,
                                    Callback<Page<Connection>> done)
{
    ApiCall::Request r{ApiCall::Method::Get, QStringLiteral("/v1/databases/%1/connections").arg(segment(databaseId)), {}, {}, {}};
    addPage(r.query, page);
    return call<Page<Connection>>(std::move(r), context, std::move(done), Decode::connectionPage);
}

ApiCall *ApiClient::createConnection(const QString &databaseId, const QString &name, QObject *context,
                                     Callback<Connection> done)
{
    const json body{{"name", name.toStdString()}};
    ApiCall::Request r{ApiCall::Method::Post, QStringLiteral("/v1/databases/%1/connections").arg(segment(databaseId)), {},
                       toBody(body), {}};
    return call<Connection>(std::move(r), context, std::move(done), Decode::connection);
}

ApiCall *ApiClient::deleteConnection(const QString &id, QObject *context, Callback<Done> done)
{
    return call<Done>({ApiCall::Method::Delete, QStringLiteral("/v1/connections/") + segment(id), {}, {}, {}},
                      context, std::move(done), noBody);
}

ApiCall *ApiClient::rotateConnection(const QString &id, QObject *context, Callback<Connection> done)
{
    return call<Connection>({ApiCall::Method::Post, QStringLiteral("/v1/connections/%1/rotate").arg(segment(id)), {}, {}, {}},
                            context, std::move(done), Decode::connection);
}

ApiCall *ApiClient::usage(const QString &databaseId, QObject *context, Callback<Usage> done)
{
    return call<Usage>({ApiCall::Method::Get, QStringLiteral("/v1/databases/%1/usage").arg(segment(databaseId)), {}, {}, {}},
                       context, std::move(done), Decode::usage);
}

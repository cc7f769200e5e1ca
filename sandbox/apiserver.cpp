#include "apiserver.h"

#include "statestore.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QHash>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonDocument>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QUrlQuery>

#include <array>
#include <cstdio>
#include <initializer_list>
#include <iterator>
#include <utility>

namespace {
constexpr qint64 kMaxBody = 1024 * 1024;
constexpr int kDefaultLimit = 100;
constexpr int kMaxLimit = 100;

struct Region
{
    const char *id;
    const char *name;
};
constexpr Region kRegions[] = {
    {"us-east-1", "US East (N. Virginia)"},     {"us-west-1", "US West (N. California)"},
    {"eu-west-3", "Europe (Paris)"},            {"eu-central-1", "Europe (Frankfurt)"},
    {"ap-northeast-1", "Asia Pacific (Tokyo)"}, {"ap-southeast-1", "Asia Pacific (Singapore)"},
};
const QString kDefaultRegion = QStringLiteral("us-east-1");

bool isRegion(const QString &id)
{
    for (const auto &r : kRegions)
        if (id == QLatin1String(r.id))
            return true;
    return false;
}

QString iso(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

// A database's "region": {"id", "name"} (an unknown id stands in for its name). One object per
// known region, made once and shared: copying a QJsonObject shares its data.
QJsonObject regionJson(const QString &id)
{
    static const auto known = [] {
        std::array<QJsonObject, std::size(kRegions)> out;
        for (size_t i = 0; i < out.size(); ++i)
            out[i] = QJsonObject{{QStringLiteral("id"), QString::fromLatin1(kRegions[i].id)},
                                 {QStringLiteral("name"), QString::fromLatin1(kRegions[i].name)}};
        return out;
    }();
    for (size_t i = 0; i < known.size(); ++i)
        if (id == QLatin1String(kRegions[i].id))
            return known[i];
    return QJsonObject{{QStringLiteral("id"), id}, {QStringLiteral("name"), id}};
}

// A copy of `prototype` with `members` set. Every key of `members` is already in the prototype,
// so each one replaces a value: no key is made and inserted per resource, and what every resource
// of the shape shares was set once, in the prototype (whose data the copy shares until the first
// write). Building each object from an initializer list instead took 1.7 times the instructions on
// a 100-database page (callgrind); most of a page's JSON cost is QJsonDocument::toJson either way.
QJsonObject fill(const QJsonObject &prototype, std::initializer_list<std::pair<QStringView, QJsonValue>> members)
{
    QJsonObject out = prototype;
    for (const auto &[key, value] : members) {
        Q_ASSERT(out.contains(key));
        out.insert(key, value);
    }
    return out;
}

// A JSON string, or null for a null QString.
QJsonValue nullable(const QString &s)
{
    return s.isNull() ? QJsonValue(QJsonValue::Null) : QJsonValue(s);
}

// The role a connection logs in as (a seeded connection has none: its id stands in).
QString loginUser(const ConnectionRow &c)
{
    return c.roleName.isNull() ? c.id : c.roleName;
}

ApiServer::Reply errorReply(int status, const QString &code, const QString &message, const QString &hint = {})
{
    QJsonObject err{{QStringLiteral("code"), code}, {QStringLiteral("message"), message}};
    if (!hint.isEmpty())
        err.insert(QStringLiteral("hint"), hint);
    ApiServer::Reply r;
    r.status = status;
    r.body = QJsonDocument(QJsonObject{{QStringLiteral("error"), err}}).toJson(QJsonDocument::Compact);
    return r;
}

ApiServer::Reply storeErrorReply(const StoreError &e)
{
    return errorReply(e.status, e.code, e.message, e.hint);
}

ApiServer::Reply jsonReply(const QJsonObject &object, int status = 200)
{
    ApiServer::Reply r;
    r.status = status;
    r.body = QJsonDocument(object).toJson(QJsonDocument::Compact);
    return r;
}

ApiServer::Reply dataReply(const QJsonObject &data, int status = 200)
{
    return jsonReply(QJsonObject{{QStringLiteral("data"), data}}, status);
}

ApiServer::Reply noContent()
{
    ApiServer::Reply r;
    r.status = 204;
    return r;
}

ApiServer::Reply notFound(const QString &what)
{
    return errorReply(404, QStringLiteral("not_found"), QStringLiteral("%1 not found.").arg(what));
}

ApiServer::Reply methodNotAllowed()
{
    return errorReply(405, QStringLiteral("method_not_allowed"), QStringLiteral("Method not allowed on this route."));
}

QString encodeCursor(qint64 seq)
{
    return QString::fromLatin1(
        QByteArray("seq:" + QByteArray::number(seq)).toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

bool decodeCursor(const QString &cursor, qint64 *seq)
{
    const auto decoded = QByteArray::fromBase64Encoding(cursor.toLatin1(), QByteArray::Base64UrlEncoding
                                                                               | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || !decoded.decoded.startsWith("seq:"))
        return false;
    bool ok = false;
    *seq = decoded.decoded.mid(4).toLongLong(&ok);
    return ok && *seq >= 0;
}

// ?cursor=&limit= -> keyset position and page size; false with a 422 reply when invalid.
bool parsePage(const QHttpServerRequest &request, qint64 *afterSeq, int *limit, ApiServer::Reply *reply,
               int defaultLimit = kDefaultLimit)
{
    const QUrlQuery q = request.query();
    *afterSeq = 0;
    *limit = defaultLimit;
    if (q.hasQueryItem(QStringLiteral("limit"))) {
        bool ok = false;
        const int l = q.queryItemValue(QStringLiteral("limit"), QUrl::FullyDecoded).toInt(&ok);
        if (!ok || l < 1 || l > kMaxLimit) {
            *reply = errorReply(422, QStringLiteral("validation_error"),
                                QStringLiteral("limit must be an integer between 1 and %1.").arg(kMaxLimit));
            return false;
        }
        *limit = l;
    }
    const QString cursor = q.queryItemValue(QStringLiteral("cursor"), QUrl::FullyDecoded);
    if (!cursor.isEmpty() && cursor != QLatin1String("null") && !decodeCursor(cursor, afterSeq)) {
        *reply = errorReply(422, QStringLiteral("validation_error"), QStringLiteral("Invalid cursor."),
                            QStringLiteral("Pass the nextCursor of the previous page unchanged."));
        return false;
    }
    return true;
}

// A list page from up to limit+1 rows (the extra one says there is a next page):
// {"data": [...], "pagination": {"hasMore", "nextCursor"}}; toJson(row) makes one row's value.
template<typename Row, typename ToJson>
ApiServer::Reply pageReply(QList<Row> rows, int limit, ToJson toJson)
{
    const bool hasMore = rows.size() > limit;
    if (hasMore)
        rows.resize(limit);
    QJsonArray data;
    for (const Row &row : std::as_const(rows))
        data.append(toJson(row));
    return jsonReply(QJsonObject{
        {QStringLiteral("data"), data},
        {QStringLiteral("pagination"),
         QJsonObject{{QStringLiteral("hasMore"), hasMore},
                     {QStringLiteral("nextCursor"),
                      hasMore ? QJsonValue(encodeCursor(rows.last().seq)) : QJsonValue(QJsonValue::Null)}}},
    });
}

// GET of a list: ?cursor=&limit= (422 when invalid), then the page of fetch(afterSeq, limit).
template<typename Fetch, typename ToJson>
ApiServer::Reply listReply(const QHttpServerRequest &request, Fetch fetch, ToJson toJson)
{
    qint64 after;
    int limit;
    ApiServer::Reply bad;
    if (!parsePage(request, &after, &limit, &bad))
        return bad;
    return pageReply(fetch(after, limit), limit, toJson);
}

// A collection under a parent: GET lists it (404 naming `parent` unless the parent exists for the
// caller), POST creates in it (the create checks the parent itself), anything else is 405.
template<typename Exists, typename List, typename Create>
ApiServer::Reply nestedCollection(QHttpServerRequest::Method method, const QString &parent, Exists exists, List list,
                                  Create create)
{
    if (method == QHttpServerRequest::Method::Get)
        return exists() ? list() : notFound(parent);
    return method == QHttpServerRequest::Method::Post ? create() : methodNotAllowed();
}

// Body: empty -> {}, otherwise a JSON object; false with a validation reply.
bool parseBody(const QHttpServerRequest &request, QJsonObject *out, ApiServer::Reply *reply, int validationStatus)
{
    const QByteArray body = request.body();
    if (body.trimmed().isEmpty()) {
        *out = {};
        return true;
    }
    QJsonParseError pe{};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject()) {
        *reply = errorReply(validationStatus, QStringLiteral("validation_error"),
                            pe.error != QJsonParseError::NoError
                                ? QStringLiteral("Invalid JSON body: %1.").arg(pe.errorString())
                                : QStringLiteral("The request body must be a JSON object."));
        return false;
    }
    *out = doc.object();
    return true;
}

// The parent a top-level create names in its body (POST /v1/databases {"projectId"}, POST
// /v1/connections {"databaseId"}); false with a `validationStatus` reply when the body is not a
// JSON object or `key` is not a non-empty string.
bool parentIdFromBody(const QHttpServerRequest &request, const QString &key, int validationStatus, QString *id,
                      ApiServer::Reply *reply)
{
    QJsonObject body;
    if (!parseBody(request, &body, reply, validationStatus))
        return false;
    const QJsonValue v = body.value(key);
    if (!v.isString() || v.toString().isEmpty()) {
        *reply = errorReply(validationStatus, QStringLiteral("validation_error"), QStringLiteral("%1 is required.").arg(key));
        return false;
    }
    *id = v.toString();
    return true;
}

// An optional string field; false with a validation reply when present but not a non-empty string.
bool optionalString(const QJsonObject &body, const QString &key, QString *out, ApiServer::Reply *reply,
                    int validationStatus, int maxLength = 255)
{
    *out = QString();
    if (!body.contains(key))
        return true;
    const QJsonValue v = body.value(key);
    if (!v.isString() || v.toString().trimmed().isEmpty() || v.toString().size() > maxLength) {
        *reply = errorReply(validationStatus, QStringLiteral("validation_error"),
                            QStringLiteral("%1 must be a non-empty string of at most %2 characters.").arg(key).arg(maxLength));
        return false;
    }
    *out = v.toString();
    return true;
}

// PATCH of a resource: a JSON object whose optional "name" is a non-empty string and for which
// invalid(body) has nothing to say (422 otherwise); rename(name, &err) when a name is given
// (its error answers when it fails), then the answer done() makes.
template<typename Invalid, typename Rename, typename Done>
ApiServer::Reply patchName(const QHttpServerRequest &request, Invalid invalid, Rename rename, Done done)
{
    QJsonObject body;
    ApiServer::Reply bad;
    QString name;
    if (!parseBody(request, &body, &bad, 422) || !optionalString(body, QStringLiteral("name"), &name, &bad, 422))
        return bad;
    if (const QString why = invalid(body); !why.isEmpty())
        return errorReply(422, QStringLiteral("validation_error"), why);
    StoreError err;
    if (!name.isNull() && !rename(name, &err))
        return storeErrorReply(err);
    return done();
}

// DELETE through remove(&err): 204, or the store's error.
template<typename Remove>
ApiServer::Reply deleteReply(Remove remove)
{
    StoreError err;
    return remove(&err) ? noContent() : storeErrorReply(err);
}

const char *methodName(QHttpServerRequest::Method m)
{
    using M = QHttpServerRequest::Method;
    switch (m) {
    case M::Get: return "GET";
    case M::Put: return "PUT";
    case M::Delete: return "DELETE";
    case M::Post: return "POST";
    case M::Head: return "HEAD";
    case M::Options: return "OPTIONS";
    case M::Patch: return "PATCH";
    default: return "OTHER";
    }
}

QByteArray bearerToken(const QHttpServerRequest &request)
{
    for (const auto &h : request.headers()) {
        if (h.first.compare("authorization", Qt::CaseInsensitive) == 0) {
            const QByteArray v = h.second.trimmed();
            if (v.size() > 7 && v.left(7).compare("bearer ", Qt::CaseInsensitive) == 0)
                return v.mid(7).trimmed();
            return {};
        }
    }
    return {};
}

} // namespace

ApiServer::ApiServer(StateStore *store, Faults *faults, const Options &options, QObject *parent)
    : QObject(parent)
    , m_http(std::make_unique<QHttpServer>())
    , m_store(store)
    , m_faults(faults)
    , m_options(options)
{
    addRoute(QStringLiteral("/v1/me"), Route::Me);
    addRoute(QStringLiteral("/v1/workspaces"), Route::Workspaces);
    addRoute(QStringLiteral("/v1/workspaces/<arg>"), Route::Workspace);
    addRoute(QStringLiteral("/v1/regions/postgres"), Route::Regions);
    addRoute(QStringLiteral("/v1/projects"), Route::Projects);
    addRoute(QStringLiteral("/v1/projects/<arg>"), Route::Project);
    addRoute(QStringLiteral("/v1/projects/<arg>/databases"), Route::ProjectDatabases);
    addRoute(QStringLiteral("/v1/databases"), Route::Databases);
    addRoute(QStringLiteral("/v1/databases/<arg>"), Route::Database);
    addRoute(QStringLiteral("/v1/databases/<arg>/connections"), Route::DatabaseConnections);
    addRoute(QStringLiteral("/v1/databases/<arg>/usage"), Route::DatabaseUsage);
    addRoute(QStringLiteral("/v1/databases/<arg>/backups"), Route::DatabaseBackups);
    addRoute(QStringLiteral("/v1/connections"), Route::Connections);
    addRoute(QStringLiteral("/v1/connections/<arg>"), Route::Connection);
    addRoute(QStringLiteral("/v1/connections/<arg>/rotate"), Route::ConnectionRotate);
    addRoute(QStringLiteral("/_sandbox/faults"), Route::Faults);

    m_http->setMissingHandler([this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
        const Reply r = errorReply(404, QStringLiteral("route_not_found"),
                                   QStringLiteral("No route for %1.").arg(request.url().path()));
        send(std::move(responder), r, {});
    });
}

ApiServer::~ApiServer() = default;

void ApiServer::addRoute(const QString &pattern, Route route)
{
    if (pattern.contains(QLatin1String("<arg>"))) {
        m_http->route(pattern, [this, route](const QString &arg, const QHttpServerRequest &request,
                                             QHttpServerResponder &&responder) {
            dispatch(route, arg, request, std::move(responder));
        });
    } else {
        m_http->route(pattern, [this, route](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
            dispatch(route, QString(), request, std::move(responder));
        });
    }
}

namespace {

// Accepts connections with TCP_NODELAY. Qt HttpServer writes a reply's headers and its body in two
// writes; on a kept-alive connection Nagle's algorithm held the body back until the client's
// delayed ACK, so every request after the first on a connection took 40 ms more (measured: 47 ms
// against 5 ms for the same page on a fresh connection). The service does not behave like that.
class LowDelayTcpServer : public QTcpServer
{
public:
    using QTcpServer::QTcpServer;

protected:
    void incomingConnection(qintptr descriptor) override
    {
        auto *socket = new QTcpSocket(this); // a child of the server, as QTcpServer makes them
        if (!socket->setSocketDescriptor(descriptor)) {
            delete socket;
            return;
        }
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        addPendingConnection(socket);
    }
};

} // namespace

bool ApiServer::listen(QString *error)
{
    auto *server = new LowDelayTcpServer;
    if (!server->listen(m_options.address, m_options.port)) {
        *error = QStringLiteral("cannot listen on %1:%2: %3")
                     .arg(m_options.address.toString())
                     .arg(m_options.port)
                     .arg(server->errorString());
        delete server;
        return false;
    }
    m_http->bind(server); // the HTTP server takes it as its child
    const quint16 port = server->serverPort();
    m_port = port;
    m_baseUrl = baseUrl();
    makeSharedJson();
    return true;
}

void ApiServer::closeConnections(int timeoutMs)
{
    // Qt HttpServer parents each accepted socket to its QTcpServer.
    QList<QPointer<QTcpSocket>> sockets;
    for (QTcpServer *server : m_http->servers()) {
        server->close();
        for (QTcpSocket *socket : server->findChildren<QTcpSocket *>())
            sockets.append(socket);
    }
    if (!sockets.isEmpty()) {
        std::fprintf(stderr, "ppg-sandbox: closing %lld connection(s)\n", static_cast<long long>(sockets.size()));
        std::fflush(stderr);
    }
    // ClosingState: the socket reads no further request and flushes what it holds.
    for (const auto &socket : std::as_const(sockets))
        if (socket && socket->state() == QAbstractSocket::ConnectedState)
            socket->disconnectFromHost();
    QElapsedTimer clock;
    clock.start();
    auto open = [&sockets]() {
        for (const auto &socket : sockets)
            if (socket && socket->state() != QAbstractSocket::UnconnectedState)
                return true;
        return false;
    };
    while (open() && clock.elapsed() < timeoutMs)
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 50);
    for (const auto &socket : std::as_const(sockets))
        if (socket && socket->state() != QAbstractSocket::UnconnectedState)
            socket->abort();
}

QString ApiServer::baseUrl() const
{
    return QStringLiteral("http://%1:%2").arg(m_options.host).arg(m_port);
}

void ApiServer::dispatch(Route route, const QString &arg, const QHttpServerRequest &request,
                         QHttpServerResponder &&responder)
{
    Faults::Decision decision;
    if (route != Route::Faults)
        decision = m_faults->decide();
    Reply reply;
    switch (decision.kind) {
    case Faults::Kind::Drop:
        break;
    case Faults::Kind::TooManyRequests:
        reply = errorReply(429, QStringLiteral("rate_limited"), QStringLiteral("Too many requests (injected fault)."),
                           QStringLiteral("Retry after the number of seconds in Retry-After."));
        reply.headers.append({QByteArrayLiteral("Retry-After"), QByteArrayLiteral("1")});
        break;
    case Faults::Kind::ServerError:
        reply = errorReply(503, QStringLiteral("internal_error"),
                           QStringLiteral("The service is temporarily unavailable (injected fault)."));
        reply.headers.append({QByteArrayLiteral("Retry-After"), QByteArrayLiteral("1")});
        break;
    case Faults::Kind::None:
        if (request.body().size() > kMaxBody)
            reply = errorReply(413, QStringLiteral("payload_too_large"),
                               QStringLiteral("The request body exceeds %1 bytes.").arg(kMaxBody));
        else
            reply = handle(route, arg, request);
        break;
    }
    if (m_options.logRequests) {
        std::fprintf(stderr, "ppg-sandbox: %s %s -> %d%s\n", methodName(request.method()),
                     qPrintable(request.url().path()), decision.kind == Faults::Kind::Drop ? 0 : reply.status,
                     decision.kind == Faults::Kind::Drop ? " (dropped)" : "");
        std::fflush(stderr);
    }
    send(std::move(responder), reply, decision);
}

void ApiServer::send(QHttpServerResponder &&responder, const Reply &reply, const Faults::Decision &decision)
{
    auto write = [reply](QHttpServerResponder &r, int slowBodyMs) {
        r.writeStatusLine(static_cast<QHttpServerResponder::StatusCode>(reply.status));
        if (reply.status != 204) {
            r.writeHeader(QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json"));
        }
        r.writeHeader(QByteArrayLiteral("Content-Length"), QByteArray::number(reply.body.size()));
        for (const auto &h : reply.headers)
            r.writeHeader(h.first, h.second);
        if (slowBodyMs <= 0 || reply.body.size() < 2) {
            r.writeBody(reply.body);
            return false;
        }
        return true;
    };

    if (decision.kind == Faults::Kind::None && decision.delayMs <= 0 && decision.slowBodyMs <= 0) {
        write(responder, 0);
        return;
    }
    if (decision.kind == Faults::Kind::Drop && decision.delayMs <= 0) {
        if (QTcpSocket *s = responder.socket())
            s->abort();
        return;
    }
    // Delayed, dropped late or trickled: keep the responder until the timers run.
    auto held = std::make_shared<QHttpServerResponder>(std::move(responder));
    QPointer<QTcpSocket> socket = held->socket();
    const int slowMs = decision.slowBodyMs;
    const bool drop = decision.kind == Faults::Kind::Drop;
    QTimer::singleShot(decision.delayMs, this, [held, socket, slowMs, drop, write, reply]() {
        if (!socket || socket->state() != QAbstractSocket::ConnectedState)
            return;
        if (drop) {
            socket->abort();
            return;
        }
        if (!write(*held, slowMs))
            return;
        // Trickle the body in ten chunks spread over slowMs.
        const int chunks = qMin<int>(10, reply.body.size());
        const qint64 chunkSize = (reply.body.size() + chunks - 1) / chunks;
        for (int i = 0; i < chunks; ++i) {
            const QByteArray part = reply.body.mid(i * chunkSize, chunkSize);
            QTimer::singleShot(slowMs * i / chunks, socket.data(), [held, socket, part]() {
                if (socket && socket->state() == QAbstractSocket::ConnectedState)
                    held->writeBody(part);
            });
        }
    });
}

ApiServer::Reply ApiServer::handle(Route route, const QString &arg, const QHttpServerRequest &request)
{
    using M = QHttpServerRequest::Method;
    const M method = request.method();
    if (route == Route::Faults)
        return faultsRoute(request);

    const std::optional<Credential> cred = m_store->authenticate(bearerToken(request));
    if (!cred)
        return errorReply(401, QStringLiteral("unauthorized"), QStringLiteral("Missing or invalid bearer token."),
                          QStringLiteral("Send an Authorization: Bearer <token> header with a valid service token."));

    switch (route) {
    case Route::Me:
        return method == M::Get ? me(*cred) : methodNotAllowed();
    case Route::Workspaces:
        return method == M::Get ? listWorkspaces(*cred, request) : methodNotAllowed();
    case Route::Workspace:
        return method == M::Get ? getWorkspace(*cred, arg) : methodNotAllowed();
    case Route::Regions:
        return method == M::Get ? regions() : methodNotAllowed();
    case Route::Projects:
        if (method == M::Get)
            return listProjects(*cred, request);
        return method == M::Post ? createProject(*cred, request) : methodNotAllowed();
    case Route::Project:
        return project(*cred, arg, request);
    case Route::ProjectDatabases:
        return nestedCollection(
            method, QStringLiteral("Project"), [&] { return m_store->project(*cred, arg).has_value(); },
            [&] { return listDatabases(*cred, request, arg); }, [&] { return createDatabase(*cred, arg, request); });
    case Route::Databases:
        if (method == M::Post)
            return createDatabaseTop(*cred, request);
        if (method != M::Get)
            return methodNotAllowed();
    {
        const QUrlQuery q = request.query();
        // No sandbox database has a logicalId or a branch: those filters match nothing, except
        // branchId=unassigned, which matches every database.
        const bool matchesNothing = q.hasQueryItem(QStringLiteral("logicalId")) || q.hasQueryItem(QStringLiteral("branchGitName"))
            || (q.hasQueryItem(QStringLiteral("branchId"))
                && q.queryItemValue(QStringLiteral("branchId"), QUrl::FullyDecoded) != QLatin1String("unassigned"));
        if (matchesNothing)
            return listReply(
                request, [](qint64, int) { return QList<DatabaseRow>{}; }, [](const DatabaseRow &) { return QJsonObject(); });
        const QString projectId = q.queryItemValue(QStringLiteral("projectId"), QUrl::FullyDecoded);
        return listDatabases(*cred, request, projectId.isEmpty() ? QString() : projectId);
    }
    case Route::Database:
        return database(*cred, arg, request);
    case Route::DatabaseConnections:
        return nestedCollection(
            method, QStringLiteral("Database"), [&] { return m_store->database(*cred, arg).has_value(); },
            [&] { return listConnections(*cred, request, arg); }, [&] { return createConnection(*cred, arg, request); });
    case Route::DatabaseUsage:
        return method == M::Get ? usage(*cred, arg, request) : methodNotAllowed();
    case Route::DatabaseBackups:
        return method == M::Get ? backups(*cred, arg, request) : methodNotAllowed();
    case Route::Connections: {
        if (method == M::Post)
            return createConnectionTop(*cred, request);
        if (method != M::Get)
            return methodNotAllowed();
        const QString dbId = request.query().queryItemValue(QStringLiteral("databaseId"), QUrl::FullyDecoded);
        return listConnections(*cred, request, dbId.isEmpty() ? QString() : dbId);
    }
    case Route::Connection:
        return connection(*cred, arg, request);
    case Route::ConnectionRotate:
        return method == M::Post ? rotate(*cred, arg) : methodNotAllowed();
    case Route::Faults:
        break;
    }
    return errorReply(404, QStringLiteral("route_not_found"), QStringLiteral("No such route."));
}

// ---- JSON shapes ----------------------------------------------------------------------------
// Each makes one resource as the SDK's type has it, with Qt's QJsonObject: a copy of the shape's
// prototype with the resource's own values filled in (see fill()).

void ApiServer::makeSharedJson()
{
    const QJsonValue null(QJsonValue::Null);
    const QJsonObject endpoint{{QStringLiteral("host"), m_store->target().publicHost},
                               {QStringLiteral("port"), m_store->target().publicPort}};
    m_json.ref = QJsonObject{{QStringLiteral("id"), null}, {QStringLiteral("name"), null}, {QStringLiteral("url"), null}};
    m_json.workspace = QJsonObject{
        {QStringLiteral("createdAt"), null},
        {QStringLiteral("id"), null},
        {QStringLiteral("name"), null},
        {QStringLiteral("type"), QStringLiteral("workspace")},
        {QStringLiteral("url"), null},
    };
    m_json.project = QJsonObject{
        {QStringLiteral("createdAt"), null},
        {QStringLiteral("defaultRegion"), null},
        {QStringLiteral("id"), null},
        {QStringLiteral("logicalId"), null},
        {QStringLiteral("name"), null},
        {QStringLiteral("type"), QStringLiteral("project")},
        {QStringLiteral("url"), null},
        {QStringLiteral("workspace"), null},
    };
    m_json.database = QJsonObject{
        {QStringLiteral("branchId"), null},
        {QStringLiteral("connections"), null},
        {QStringLiteral("createdAt"), null},
        {QStringLiteral("defaultConnectionId"), null},
        {QStringLiteral("id"), null},
        {QStringLiteral("isDefault"), null},
        {QStringLiteral("logicalId"), null},
        {QStringLiteral("name"), null},
        {QStringLiteral("project"), null},
        {QStringLiteral("region"), null},
        {QStringLiteral("source"), QJsonObject{{QStringLiteral("type"), QStringLiteral("empty")}}},
        {QStringLiteral("status"), null},
        {QStringLiteral("type"), QStringLiteral("database")},
        {QStringLiteral("url"), null},
    };
    // As listed: the endpoints carry no secret, so they are the same for every connection.
    m_json.connection = QJsonObject{
        {QStringLiteral("createdAt"), null},
        {QStringLiteral("database"), null},
        {QStringLiteral("endpoints"), QJsonObject{{QStringLiteral("direct"), endpoint}, {QStringLiteral("pooled"), endpoint}}},
        {QStringLiteral("id"), null},
        {QStringLiteral("kind"), QStringLiteral("postgres")},
        {QStringLiteral("name"), null},
        {QStringLiteral("type"), QStringLiteral("connection")},
        {QStringLiteral("url"), null},
    };
    m_json.ready = QStringLiteral("ready");
    m_json.provisioning = QStringLiteral("provisioning");
}

QString ApiServer::url(QStringView collection, const QString &id) const
{
    QString out;
    out.reserve(m_baseUrl.size() + 5 + collection.size() + id.size());
    return out.append(m_baseUrl).append(QLatin1String("/v1/")).append(collection).append(u'/').append(id);
}

// A member naming another resource: {"id", "name", "url"}. Rows of a page that name the same
// parent follow one another (a project's databases, a database's connections): the last one made
// for each kind of parent is kept and shared.
QJsonObject ApiServer::ref(Parent kind, const QString &id, const QString &name) const
{
    static constexpr QStringView collections[] = {u"workspaces", u"projects", u"databases"};
    LastRef &last = m_lastRef[static_cast<int>(kind)];
    if (last.json.isEmpty() || last.id != id || last.name != name) {
        last.json = fill(m_json.ref, {{u"id", id}, {u"name", name}, {u"url", url(collections[static_cast<int>(kind)], id)}});
        last.id = id;
        last.name = name;
    }
    return last.json;
}

QString ApiServer::hostPort() const
{
    return QStringLiteral("%1:%2").arg(m_store->target().publicHost).arg(m_store->target().publicPort);
}

// Rows made together share their creation time (a project, its database and first connection;
// every seeded row): the last one formatted is kept.
QJsonValue ApiServer::time(qint64 ms) const
{
    if (m_lastTime.isNull() || ms != m_lastTimeMs) {
        m_lastTime = iso(ms);
        m_lastTimeMs = ms;
    }
    return m_lastTime;
}

// "directConnection": {"host": "host:port", "pass", "user"} of an issued connection.
QJsonObject ApiServer::directConnection(const ConnectionRow &c, const QString &password) const
{
    return QJsonObject{{QStringLiteral("host"), hostPort()},
                       {QStringLiteral("pass"), password},
                       {QStringLiteral("user"), loginUser(c)}};
}

QJsonObject ApiServer::workspaceJson(const WorkspaceRow &r) const
{
    return fill(m_json.workspace,
                {{u"createdAt", time(r.createdMs)}, {u"id", r.id}, {u"name", r.name}, {u"url", url(u"workspaces", r.id)}});
}

QJsonObject ApiServer::projectJson(const ProjectRow &p, const QJsonValue &database) const
{
    QJsonObject out = fill(m_json.project, {
        {u"createdAt", time(p.createdMs)},
        {u"defaultRegion", nullable(p.region)},
        {u"id", p.id},
        {u"logicalId", nullable(p.logicalId)},
        {u"name", p.name},
        {u"url", url(u"projects", p.id)},
        {u"workspace", ref(Parent::Workspace, p.workspaceId, p.workspaceName)},
    });
    if (!database.isUndefined())
        out.insert(QStringLiteral("database"), database);
    return out;
}

QString ApiServer::connectionString(const ConnectionRow &c, const DatabaseRow &d, const QString &password) const
{
    const QString user = loginUser(c);
    const QString dbname = d.pgName.isNull() ? d.id : d.pgName;
    return QStringLiteral("postgres://%1:%2@%3:%4/%5?sslmode=require")
        .arg(QString::fromLatin1(QUrl::toPercentEncoding(user)), QString::fromLatin1(QUrl::toPercentEncoding(password)),
             m_store->target().publicHost)
        .arg(m_store->target().publicPort)
        .arg(QString::fromLatin1(QUrl::toPercentEncoding(dbname)));
}

// Forms (members present): Listed - no secret. Issued (create, rotate) - connectionString,
// directConnection, endpoints with the connection string, and the deprecated host/pass/user.
// IssuedInDatabase (a created database's connections[]) - Issued without connectionString and
// host/pass/user. ApiKey (a created database's deprecated apiKeys[]) - connectionString and
// directConnection, endpoints without the connection string, no database.
QJsonObject ApiServer::connectionJson(const ConnectionRow &c, const DatabaseRow &d, ConnectionForm form,
                                      const QString &password) const
{
    const bool issued = form != ConnectionForm::Listed;
    const bool topLevelSecret = form == ConnectionForm::Issued || form == ConnectionForm::ApiKey;
    const bool endpointSecret = form == ConnectionForm::Issued || form == ConnectionForm::IssuedInDatabase;
    QJsonObject out = fill(m_json.connection, {
        {u"createdAt", time(c.createdMs)},
        {u"database", ref(Parent::Database, d.id, d.name)},
        {u"id", c.id},
        {u"name", c.name},
        {u"url", url(u"connections", c.id)},
    });
    if (!issued)
        return out;
    const QString cs = connectionString(c, d, password);
    if (endpointSecret) {
        const QJsonObject endpoint{{QStringLiteral("connectionString"), cs},
                                   {QStringLiteral("host"), m_store->target().publicHost},
                                   {QStringLiteral("port"), m_store->target().publicPort}};
        out.insert(QStringLiteral("endpoints"), QJsonObject{{QStringLiteral("direct"), endpoint}, {QStringLiteral("pooled"), endpoint}});
    }
    if (form == ConnectionForm::ApiKey)
        out.remove(QStringLiteral("database"));
    out.insert(QStringLiteral("directConnection"), directConnection(c, password));
    if (topLevelSecret)
        out.insert(QStringLiteral("connectionString"), cs);
    if (form == ConnectionForm::Issued) {
        out.insert(QStringLiteral("host"), hostPort());
        out.insert(QStringLiteral("pass"), password);
        out.insert(QStringLiteral("user"), loginUser(c));
    }
    return out;
}

// A database with its connections (lists, gets), or as created with its first connection
// (`issued`), then with the deprecated apiKeys/connectionString/directConnection when
// `deprecatedFields` (POST /v1/projects and /v1/projects/{id}/databases, not POST /v1/databases).
QJsonObject ApiServer::databaseJson(const DatabaseRow &d, const QList<ConnectionRow> &connections,
                                    const IssuedConnection *issued, bool deprecatedFields) const
{
    const qint64 age = QDateTime::currentMSecsSinceEpoch() - d.createdMs;
    const bool provisioning = !d.seeded && age < m_options.provisioningMs;
    QJsonArray cons;
    if (issued)
        cons.append(connectionJson(issued->row, d, ConnectionForm::IssuedInDatabase, issued->password));
    else
        for (const ConnectionRow &c : connections)
            cons.append(connectionJson(c, d, ConnectionForm::Listed));
    QJsonObject out = fill(m_json.database, {
        {u"connections", cons},
        {u"createdAt", time(d.createdMs)},
        {u"defaultConnectionId", d.defaultConnectionId.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(d.defaultConnectionId)},
        {u"id", d.id},
        {u"isDefault", d.isDefault},
        {u"name", d.name},
        {u"project", ref(Parent::Project, d.projectId, d.projectName)},
        {u"region", regionJson(d.region)},
        {u"status", provisioning ? m_json.provisioning : m_json.ready},
        {u"url", url(u"databases", d.id)},
    });
    if (issued && deprecatedFields) {
        out.insert(QStringLiteral("apiKeys"),
                   QJsonArray{connectionJson(issued->row, d, ConnectionForm::ApiKey, issued->password)});
        out.insert(QStringLiteral("connectionString"), connectionString(issued->row, d, issued->password));
        out.insert(QStringLiteral("directConnection"), directConnection(issued->row, issued->password));
    }
    return out;
}

QHash<QString, QList<ConnectionRow>> ApiServer::connectionsByDatabase(const QList<DatabaseRow> &rows) const
{
    QHash<QString, QList<ConnectionRow>> byDb;
    for (const auto &c : m_store->connectionsOf(rows))
        byDb[c.databaseId].append(c);
    return byDb;
}

ApiServer::Reply ApiServer::databaseReply(const DatabaseRow &d) const
{
    const QList<ConnectionRow> connections = connectionsByDatabase({d}).value(d.id);
    return dataReply(databaseJson(d, connections));
}

// ---- routes ---------------------------------------------------------------------------------

ApiServer::Reply ApiServer::me(const Credential &cred)
{
    QJsonValue workspace(QJsonValue::Null);
    QJsonValue user(QJsonValue::Null);
    if (cred.kind == QLatin1String("oauth")) {
        user = QJsonObject{{QStringLiteral("id"), QStringLiteral("usr_") + cred.id.mid(4)},
                           {QStringLiteral("email"), QStringLiteral("sandbox@example.com")},
                           {QStringLiteral("name"), QStringLiteral("Sandbox User")}};
    } else if (!cred.workspaceIds.isEmpty()) {
        if (const auto w = m_store->workspace(cred, cred.workspaceIds.first()))
            workspace = QJsonObject{{QStringLiteral("id"), w->id}, {QStringLiteral("name"), w->name}};
    }
    return dataReply(QJsonObject{
        {QStringLiteral("user"), user},
        {QStringLiteral("workspace"), workspace},
        {QStringLiteral("credential"), QJsonObject{{QStringLiteral("type"), cred.kind},
                                                   {QStringLiteral("id"), cred.id},
                                                   {QStringLiteral("name"), cred.name}}},
    });
}

ApiServer::Reply ApiServer::listWorkspaces(const Credential &cred, const QHttpServerRequest &request)
{
    return listReply(
        request, [&](qint64 after, int limit) { return m_store->workspaces(cred, after, limit); },
        [this](const WorkspaceRow &r) { return workspaceJson(r); });
}

ApiServer::Reply ApiServer::getWorkspace(const Credential &cred, const QString &id)
{
    const auto w = m_store->workspace(cred, id);
    return w ? dataReply(workspaceJson(*w)) : notFound(QStringLiteral("Workspace"));
}

ApiServer::Reply ApiServer::regions()
{
    QJsonArray data;
    for (const auto &r : kRegions)
        data.append(QJsonObject{{QStringLiteral("id"), QString::fromLatin1(r.id)},
                                {QStringLiteral("type"), QStringLiteral("region")},
                                {QStringLiteral("name"), QString::fromLatin1(r.name)},
                                {QStringLiteral("status"), QStringLiteral("available")}});
    return jsonReply(QJsonObject{{QStringLiteral("data"), data}});
}

ApiServer::Reply ApiServer::listProjects(const Credential &cred, const QHttpServerRequest &request)
{
    const QUrlQuery q = request.query();
    const QString logicalId = q.hasQueryItem(QStringLiteral("logicalId"))
        ? q.queryItemValue(QStringLiteral("logicalId"), QUrl::FullyDecoded)
        : QString();
    return listReply(
        request, [&](qint64 after, int limit) { return m_store->projects(cred, after, limit, logicalId); },
        [this](const ProjectRow &p) { return projectJson(p); });
}

ApiServer::Reply ApiServer::createProject(const Credential &cred, const QHttpServerRequest &request)
{
    QJsonObject body;
    Reply bad;
    if (!parseBody(request, &body, &bad, 422))
        return bad;
    QString name, region, logicalId, workspaceId;
    if (!optionalString(body, QStringLiteral("name"), &name, &bad, 422)
        || !optionalString(body, QStringLiteral("region"), &region, &bad, 422)
        || !optionalString(body, QStringLiteral("logicalId"), &logicalId, &bad, 422)
        || !optionalString(body, QStringLiteral("workspaceId"), &workspaceId, &bad, 422))
        return bad;
    bool createDb = true;
    if (body.contains(QStringLiteral("createDatabase"))) {
        if (!body.value(QStringLiteral("createDatabase")).isBool())
            return errorReply(422, QStringLiteral("validation_error"), QStringLiteral("createDatabase must be a boolean."));
        createDb = body.value(QStringLiteral("createDatabase")).toBool();
    }
    if (!region.isNull() && !isRegion(region))
        return errorReply(422, QStringLiteral("validation_error"), QStringLiteral("Unknown region '%1'.").arg(region),
                          QStringLiteral("GET /v1/regions/postgres lists the regions."));
    if (region.isNull())
        region = kDefaultRegion;
    if (name.isNull())
        name = QStringLiteral("My project");
    if (workspaceId.isNull()) {
        if (cred.workspaceIds.isEmpty())
            return errorReply(422, QStringLiteral("validation_error"), QStringLiteral("The token has no workspace."));
        workspaceId = cred.workspaceIds.first();
    } else if (!cred.workspaceIds.contains(workspaceId)) {
        return notFound(QStringLiteral("Workspace"));
    }

    ProjectRow p;
    std::optional<DatabaseRow> db;
    std::optional<IssuedConnection> con;
    StoreError err;
    if (!m_store->createProject(workspaceId, name, logicalId, region, createDb, &p, &db, &con, &err))
        return storeErrorReply(err);
    return dataReply(projectJson(p, db ? QJsonValue(databaseJson(*db, {}, &*con, true)) : QJsonValue(QJsonValue::Null)),
                     201);
}

ApiServer::Reply ApiServer::project(const Credential &cred, const QString &id, const QHttpServerRequest &request)
{
    using M = QHttpServerRequest::Method;
    const auto p = m_store->project(cred, id);
    if (!p)
        return notFound(QStringLiteral("Project"));
    switch (request.method()) {
    case M::Get:
        return dataReply(projectJson(*p));
    case M::Patch:
        return patchName(
            request, [&](const QJsonObject &body) {
                return body.contains(QStringLiteral("settings")) && !body.value(QStringLiteral("settings")).isObject()
                    ? QStringLiteral("settings must be an object.")
                    : QString();
            },
            [&](const QString &name, StoreError *err) { return m_store->renameProject(p->id, name, err); },
            [&] {
                const auto renamed = m_store->project(cred, id);
                return dataReply(projectJson(*renamed));
            });
    case M::Delete:
        return deleteReply([&](StoreError *err) { return m_store->deleteProject(*p, err); });
    default:
        return methodNotAllowed();
    }
}

ApiServer::Reply ApiServer::listDatabases(const Credential &cred, const QHttpServerRequest &request,
                                          const QString &projectId)
{
    QHash<QString, QList<ConnectionRow>> connections;   // of the page's databases
    return listReply(
        request,
        [&](qint64 after, int limit) {
            const QList<DatabaseRow> rows = m_store->databases(cred, after, limit, projectId);
            connections = connectionsByDatabase(rows.mid(0, limit));
            return rows;
        },
        [&](const DatabaseRow &d) { return databaseJson(d, connections.value(d.id)); });
}

ApiServer::Reply ApiServer::createDatabase(const Credential &cred, const QString &projectId,
                                           const QHttpServerRequest &request, bool deprecatedFields)
{
    const auto p = m_store->project(cred, projectId);
    if (!p)
        return notFound(QStringLiteral("Project"));
    // This operation lists 400 (not 422) for a bad request.
    QJsonObject body;
    Reply bad;
    if (!parseBody(request, &body, &bad, 400))
        return bad;
    QString name, region;
    if (!optionalString(body, QStringLiteral("name"), &name, &bad, 400)
        || !optionalString(body, QStringLiteral("region"), &region, &bad, 400))
        return bad;
    bool isDefault = false;
    if (body.contains(QStringLiteral("isDefault"))) {
        if (!body.value(QStringLiteral("isDefault")).isBool())
            return errorReply(400, QStringLiteral("validation_error"), QStringLiteral("isDefault must be a boolean."));
        isDefault = body.value(QStringLiteral("isDefault")).toBool();
    }
    if (body.contains(QStringLiteral("source")) || body.contains(QStringLiteral("fromDatabase"))) {
        const QJsonValue src = body.value(QStringLiteral("source"));
        if (body.contains(QStringLiteral("fromDatabase"))
            || !(src.isObject() && src.toObject().value(QStringLiteral("type")).toString() == QLatin1String("empty")))
            return errorReply(400, QStringLiteral("bad_request"),
                              QStringLiteral("The sandbox only creates empty databases."),
                              QStringLiteral("Omit source/fromDatabase or pass {\"type\":\"empty\"}."));
    }
    if (region.isNull() || region == QLatin1String("inherit"))
        region = p->region.isNull() ? kDefaultRegion : p->region;
    else if (!isRegion(region))
        return errorReply(400, QStringLiteral("validation_error"), QStringLiteral("Unknown region '%1'.").arg(region),
                          QStringLiteral("GET /v1/regions/postgres lists the regions."));
    if (name.isNull())
        name = QStringLiteral("Database");

    DatabaseRow d;
    IssuedConnection con;
    StoreError err;
    if (!m_store->createDatabase(*p, name, region, isDefault, &d, &con, &err))
        return storeErrorReply(err);
    return dataReply(databaseJson(d, {}, &con, deprecatedFields), 201);
}

// POST /v1/databases {projectId, name?, region?, isDefault?}: like the project route, without
// the deprecated apiKeys/connectionString/directConnection fields.
ApiServer::Reply ApiServer::createDatabaseTop(const Credential &cred, const QHttpServerRequest &request)
{
    QString projectId;
    Reply bad;
    if (!parentIdFromBody(request, QStringLiteral("projectId"), 400, &projectId, &bad))
        return bad;
    return createDatabase(cred, projectId, request, false);
}

// POST /v1/connections {databaseId, name}: 201 (the nested route answers 200).
ApiServer::Reply ApiServer::createConnectionTop(const Credential &cred, const QHttpServerRequest &request)
{
    QString databaseId;
    Reply bad;
    if (!parentIdFromBody(request, QStringLiteral("databaseId"), 422, &databaseId, &bad))
        return bad;
    Reply r = createConnection(cred, databaseId, request);
    if (r.status == 200)
        r.status = 201;
    return r;
}

ApiServer::Reply ApiServer::database(const Credential &cred, const QString &id, const QHttpServerRequest &request)
{
    using M = QHttpServerRequest::Method;
    const auto d = m_store->database(cred, id);
    if (!d)
        return notFound(QStringLiteral("Database"));
    switch (request.method()) {
    case M::Get:
        return databaseReply(*d);
    case M::Patch:
        return patchName(
            request, [](const QJsonObject &) { return QString(); },
            [&](const QString &name, StoreError *err) { return m_store->renameDatabase(d->id, name, err); },
            [&] { return databaseReply(*m_store->database(cred, id)); });
    case M::Delete:
        if (d->isDefault)
            return errorReply(403, QStringLiteral("forbidden"), QStringLiteral("The default database cannot be deleted."),
                              QStringLiteral("Make another database the default, or delete the project."));
        return deleteReply([&](StoreError *err) { return m_store->deleteDatabase(*d, err); });
    default:
        return methodNotAllowed();
    }
}

ApiServer::Reply ApiServer::listConnections(const Credential &cred, const QHttpServerRequest &request,
                                            const QString &databaseId)
{
    return listReply(
        request, [&](qint64 after, int limit) { return m_store->connections(cred, after, limit, databaseId); },
        [this](const ConnectionRow &c) {
            DatabaseRow d;
            d.id = c.databaseId;
            d.name = c.databaseName;
            return connectionJson(c, d, ConnectionForm::Listed);
        });
}

ApiServer::Reply ApiServer::createConnection(const Credential &cred, const QString &databaseId,
                                             const QHttpServerRequest &request)
{
    const auto d = m_store->database(cred, databaseId);
    if (!d)
        return notFound(QStringLiteral("Database"));
    QJsonObject body;
    Reply bad;
    QString name;
    if (!parseBody(request, &body, &bad, 422) || !optionalString(body, QStringLiteral("name"), &name, &bad, 422))
        return bad;
    if (name.isNull())
        return errorReply(422, QStringLiteral("validation_error"), QStringLiteral("name is required."));
    IssuedConnection con;
    StoreError err;
    if (!m_store->createConnection(*d, name, &con, &err))
        return storeErrorReply(err);
    return dataReply(connectionJson(con.row, *d, ConnectionForm::Issued, con.password));
}

ApiServer::Reply ApiServer::connection(const Credential &cred, const QString &id, const QHttpServerRequest &request)
{
    using M = QHttpServerRequest::Method;
    const auto c = m_store->connection(cred, id);
    if (!c)
        return notFound(QStringLiteral("Connection"));
    const auto d = m_store->database(cred, c->databaseId);
    if (!d)
        return notFound(QStringLiteral("Connection"));
    switch (request.method()) {
    case M::Get:
        return dataReply(connectionJson(*c, *d, ConnectionForm::Listed));
    case M::Delete:
        return deleteReply([&](StoreError *err) { return m_store->deleteConnection(*c, *d, err); });
    default:
        return methodNotAllowed();
    }
}

ApiServer::Reply ApiServer::rotate(const Credential &cred, const QString &id)
{
    const auto c = m_store->connection(cred, id);
    if (!c)
        return notFound(QStringLiteral("Connection"));
    const auto d = m_store->database(cred, c->databaseId);
    if (!d)
        return notFound(QStringLiteral("Connection"));
    QString password;
    StoreError err;
    if (!m_store->rotateConnection(*c, &password, &err))
        return storeErrorReply(err);
    return dataReply(connectionJson(*c, *d, ConnectionForm::Issued, password));
}

ApiServer::Reply ApiServer::usage(const Credential &cred, const QString &id, const QHttpServerRequest &request)
{
    const auto d = m_store->database(cred, id);
    if (!d)
        return notFound(QStringLiteral("Database"));
    const QUrlQuery q = request.query();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QDateTime start(QDate(now.date().year(), now.date().month(), 1), QTime(0, 0), Qt::UTC);
    QDateTime end = now;
    for (const auto &[key, target] : {std::pair{QStringLiteral("startDate"), &start}, std::pair{QStringLiteral("endDate"), &end}}) {
        if (!q.hasQueryItem(key))
            continue;
        const QString v = q.queryItemValue(key, QUrl::FullyDecoded);
        QDateTime parsed = QDateTime::fromString(v, Qt::ISODateWithMs);
        if (!parsed.isValid())
            parsed = QDateTime(QDate::fromString(v, Qt::ISODate), QTime(0, 0), Qt::UTC);
        if (!parsed.isValid())
            return errorReply(400, QStringLiteral("bad_request"), QStringLiteral("%1 must be an ISO 8601 date.").arg(key));
        *target = parsed.toUTC();
    }
    if (start > end)
        return errorReply(400, QStringLiteral("bad_request"), QStringLiteral("startDate must not be after endDate."));
    qint64 bytes = 0, ops = 0;
    if (!m_store->usage(*d, &bytes, &ops))
        return errorReply(500, QStringLiteral("internal_error"), QStringLiteral("Cannot read the database's usage."));
    // The SDK type has no data envelope here: period, metrics and generatedAt are top level.
    return jsonReply(QJsonObject{
        {QStringLiteral("period"), QJsonObject{{QStringLiteral("start"), start.toString(Qt::ISODateWithMs)},
                                               {QStringLiteral("end"), end.toString(Qt::ISODateWithMs)}}},
        {QStringLiteral("metrics"),
         QJsonObject{{QStringLiteral("operations"), QJsonObject{{QStringLiteral("used"), static_cast<double>(ops)},
                                                                {QStringLiteral("unit"), QStringLiteral("ops")}}},
                     {QStringLiteral("storage"),
                      QJsonObject{{QStringLiteral("used"), static_cast<double>(bytes) / (1024.0 * 1024.0 * 1024.0)},
                                  {QStringLiteral("unit"), QStringLiteral("GiB")}}}}},
        {QStringLiteral("generatedAt"), now.toString(Qt::ISODateWithMs)},
    });
}

ApiServer::Reply ApiServer::backups(const Credential &cred, const QString &id, const QHttpServerRequest &request)
{
    if (!m_store->database(cred, id))
        return notFound(QStringLiteral("Database"));
    qint64 after;
    int limit;
    Reply bad;
    if (!parsePage(request, &after, &limit, &bad, 25))
        return bad;
    return jsonReply(QJsonObject{
        {QStringLiteral("data"), QJsonArray{}},
        {QStringLiteral("meta"), QJsonObject{{QStringLiteral("backupRetentionDays"), 7}}},
        {QStringLiteral("pagination"), QJsonObject{{QStringLiteral("hasMore"), false}, {QStringLiteral("limit"), limit}}},
    });
}

ApiServer::Reply ApiServer::faultsRoute(const QHttpServerRequest &request)
{
    using M = QHttpServerRequest::Method;
    if (request.method() == M::Get)
        return jsonReply(m_faults->toJson());
    if (request.method() != M::Put)
        return methodNotAllowed();
    QJsonObject body;
    Reply bad;
    if (!parseBody(request, &body, &bad, 422))
        return bad;
    QString error;
    if (!m_faults->applyJson(body, &error))
        return errorReply(422, QStringLiteral("validation_error"), error);
    return jsonReply(m_faults->toJson());
}

#include "apiserver.h"

#include "resourcejson.h"
#include "statestore.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <cstdio>
#include <utility>

namespace {
constexpr qint64 kMaxBody = 1024 * 1024;

// Every path of the API with its handler, in the order they are registered.
struct Route
{
    const char *pattern; // Qt HttpServer's: <arg> is the path's {id}, a second one its child's id
    routes::Handler handler;
};
const Route kRoutes[] = {
    { "/v1/me", routes::me },
    { "/v1/workspaces", routes::workspaces },
    { "/v1/workspaces/<arg>", routes::workspace },
    { "/v1/workspaces/<arg>/subscription", routes::workspaceSubscription },
    { "/v1/workspaces/<arg>/service-tokens", routes::serviceTokens },
    { "/v1/workspaces/<arg>/service-tokens/<arg>", routes::serviceToken },
    { "/v1/regions/postgres", routes::regions },
    { "/v1/projects", routes::projects },
    { "/v1/projects/<arg>", routes::project },
    { "/v1/projects/<arg>/transfer", routes::transferProject },
    { "/v1/projects/<arg>/databases", routes::projectDatabases },
    { "/v1/databases", routes::databases },
    { "/v1/databases/<arg>", routes::database },
    { "/v1/databases/<arg>/connections", routes::databaseConnections },
    { "/v1/databases/<arg>/usage", routes::databaseUsage },
    { "/v1/databases/<arg>/backups", routes::databaseBackups },
    { "/v1/databases/<arg>/restore", routes::restoreDatabase },
    { "/v1/connections", routes::connections },
    { "/v1/connections/<arg>", routes::connection },
    { "/v1/connections/<arg>/rotate", routes::rotateConnection },
};

const char *methodName(QHttpServerRequest::Method m)
{
    using M = QHttpServerRequest::Method;
    switch (m) {
    case M::Get:
        return "GET";
    case M::Put:
        return "PUT";
    case M::Delete:
        return "DELETE";
    case M::Post:
        return "POST";
    case M::Head:
        return "HEAD";
    case M::Options:
        return "OPTIONS";
    case M::Patch:
        return "PATCH";
    default:
        return "OTHER";
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

ApiServer::ApiServer(StateStore *store, Faults *faults, Backups *backups, const Options &options, QObject *parent)
    : QObject(parent)
    , m_http(std::make_unique<QHttpServer>())
    , m_store(store)
    , m_faults(faults)
    , m_backups(backups)
    , m_options(options)
{
    for (const Route &route : kRoutes)
        addRoute(QString::fromLatin1(route.pattern), route.handler);
    m_http->route(QStringLiteral("/_sandbox/faults"),
        [this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
            dispatch(false, request, std::move(responder), [&] { return routes::sandboxFaults(*m_faults, request); });
        });
    m_http->route(QStringLiteral("/_sandbox/databases/<arg>/backups"),
        [this](const QString &id, const QHttpServerRequest &request, QHttpServerResponder &&responder) {
            dispatch(false, request, std::move(responder), [&] {
                return routes::sandboxBackup(routes::Services { *m_store, *m_json, *m_backups }, id, request);
            });
        });
    m_http->route(QStringLiteral("/_sandbox/workspaces/<arg>/subscription"),
        [this](const QString &id, const QHttpServerRequest &request, QHttpServerResponder &&responder) {
            dispatch(false, request, std::move(responder), [&] {
                return routes::sandboxSubscription(routes::Services { *m_store, *m_json, *m_backups }, id, request);
            });
        });

    m_http->setMissingHandler([this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
        const Reply r = errorReply(
            404, QStringLiteral("route_not_found"), QStringLiteral("No route for %1.").arg(request.url().path()));
        send(std::move(responder), r, {});
    });
}

ApiServer::~ApiServer() = default;

void ApiServer::addRoute(const QString &pattern, routes::Handler handler)
{
    if (pattern.count(QLatin1String("<arg>")) == 2) {
        m_http->route(pattern,
            [this, handler](const QString &arg, const QString &child, const QHttpServerRequest &request,
                QHttpServerResponder &&responder) {
                dispatch(true, request, std::move(responder), [&] { return authorized(handler, arg, request, child); });
            });
    } else if (pattern.contains(QLatin1String("<arg>"))) {
        m_http->route(pattern,
            [this, handler](const QString &arg, const QHttpServerRequest &request, QHttpServerResponder &&responder) {
                dispatch(true, request, std::move(responder), [&] { return authorized(handler, arg, request); });
            });
    } else {
        m_http->route(pattern, [this, handler](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
            dispatch(true, request, std::move(responder), [&] { return authorized(handler, QString(), request); });
        });
    }
}

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
    m_json = std::make_unique<ResourceJson>(ResourceJson::Settings {
        baseUrl(), m_store->target().publicHost, m_store->target().publicPort, m_options.provisioningMs });
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

void ApiServer::dispatch(bool injectFaults, const QHttpServerRequest &request, QHttpServerResponder &&responder,
    const std::function<Reply()> &answer)
{
    Faults::Decision decision;
    if (injectFaults)
        decision = m_faults->decide();
    Reply reply;
    switch (decision.kind) {
    case Faults::Kind::Drop:
        break;
    case Faults::Kind::TooManyRequests:
        reply = errorReply(429, QStringLiteral("rate_limited"), QStringLiteral("Too many requests (injected fault)."),
            QStringLiteral("Retry after the number of seconds in Retry-After."));
        reply.headers.append({ QByteArrayLiteral("Retry-After"), QByteArrayLiteral("1") });
        break;
    case Faults::Kind::ServerError:
        reply = errorReply(503, QStringLiteral("internal_error"),
            QStringLiteral("The service is temporarily unavailable (injected fault)."));
        reply.headers.append({ QByteArrayLiteral("Retry-After"), QByteArrayLiteral("1") });
        break;
    case Faults::Kind::None:
        if (request.body().size() > kMaxBody)
            reply = errorReply(413, QStringLiteral("payload_too_large"),
                QStringLiteral("The request body exceeds %1 bytes.").arg(kMaxBody));
        else
            reply = answer();
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

Reply ApiServer::authorized(
    routes::Handler handler, const QString &id, const QHttpServerRequest &request, const QString &childId)
{
    const std::optional<Credential> cred = m_store->authenticate(bearerToken(request));
    if (!cred)
        return errorReply(401, QStringLiteral("unauthorized"), QStringLiteral("Missing or invalid bearer token."),
            QStringLiteral("Send an Authorization: Bearer <token> header with a valid service token."));
    return handler(routes::Services { *m_store, *m_json, *m_backups }, routes::Call { *cred, id, request, childId });
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

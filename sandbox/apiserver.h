#pragma once
// ApiServer: the HTTP transport of the Prisma Management API (the subset in
// docs/MANAGEMENT-API.md), with Qt HttpServer. It listens (TCP_NODELAY on every connection),
// registers each path with its handler (routes/routes.h), applies the fault injection decisions
// (faults.h) to requests under /v1, refuses bodies above 1 MiB (413 payload_too_large),
// authenticates the bearer token (401 unauthorized) and writes the handler's Reply, delayed,
// trickled or dropped as the faults decide. Unknown paths answer 404 route_not_found.
// The control routes `/_sandbox/faults` (GET/PUT the fault settings),
// `/_sandbox/databases/{id}/backups` (POST: a backup now) and
// `/_sandbox/workspaces/{id}/subscription` (POST: the plan, usage blocked or not) need no token
// and get no faults.
// Runs on the thread that owns the StateStore (the main thread).

#include "faults.h"
#include "replies.h"
#include "routes/routes.h"

#include <QHostAddress>
#include <QObject>
#include <QString>

#include <functional>
#include <memory>

class QHttpServer;
class QHttpServerRequest;
class QHttpServerResponder;
class Backups;
class ResourceJson;
class StateStore;

class ApiServer : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        QHostAddress address = QHostAddress::LocalHost;
        QString host = QStringLiteral("127.0.0.1");
        quint16 port = 0;
        int provisioningMs = 1000; // a new database is "provisioning" this long, then "ready"
        bool logRequests = false; // one stderr line per request: method, path, status (never tokens or bodies)
    };

    ApiServer(StateStore *store, Faults *faults, Backups *backups, const Options &options, QObject *parent = nullptr);
    ~ApiServer() override;

    bool listen(QString *error); // binds; port() is the real port afterwards
    // Graceful stop: no new connections or requests; answers already written are delivered
    // (runs the event loop for at most timeoutMs), then every connection is closed.
    void closeConnections(int timeoutMs);
    quint16 port() const { return m_port; }
    QString baseUrl() const;

private:
    void addRoute(const QString &pattern, routes::Handler handler);
    // Answers `request` with answer() unless a fault (when `injectFaults`) or the body's size
    // answers first; logs it when asked to, then sends it.
    void dispatch(bool injectFaults, const QHttpServerRequest &request, QHttpServerResponder &&responder,
        const std::function<Reply()> &answer);
    // The handler's answer for an authenticated request (401 unauthorized otherwise); `id` and
    // `childId` are the path's ids.
    Reply authorized(
        routes::Handler handler, const QString &id, const QHttpServerRequest &request, const QString &childId = {});
    void send(QHttpServerResponder &&responder, const Reply &reply, const Faults::Decision &decision);

    std::unique_ptr<QHttpServer> m_http;
    StateStore *m_store;
    Faults *m_faults;
    Backups *m_backups;
    Options m_options;
    quint16 m_port = 0;
    std::unique_ptr<ResourceJson> m_json; // made when listening (it needs the base URL)
};

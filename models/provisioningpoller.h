// ProvisioningPoller: keeps databases that are provisioning or recovering up to date until they
// settle (ready, failed, or any other status).
//
// Every interval (milliseconds, 2000 by default) it asks GET /v1/databases/{id} for each database
// that `unsettled` names at that moment (one request per database at a time) and reports the
// answer with updated(); a 404 is reported with gone(). Other errors are not reported: the next
// round asks again. The timer runs only while something is unsettled: wake() starts it, and a
// round that finds nothing stops it. setClient() stops it and drops the replies of the previous
// client.
#pragma once

#include "resources.h"

#include <QObject>
#include <QPointer>
#include <QSet>
#include <QStringList>

#include <functional>

class ApiClient;
class QTimer;

class ProvisioningPoller : public QObject
{
    Q_OBJECT
public:
    // The ids of the databases to poll now (those isSettling() says yes to).
    using Unsettled = std::function<QStringList()>;

    explicit ProvisioningPoller(Unsettled unsettled, QObject *parent = nullptr);

    // Whether `database` is one to poll: provisioning or recovering.
    static bool isSettling(const Database &database);

    void setClient(ApiClient *client);
    void setInterval(int ms);
    // Starts polling unless it runs: a database that is settling has appeared.
    void wake();

Q_SIGNALS:
    void updated(const Database &database);
    void gone(const QString &id);

private:
    void poll();

    Unsettled m_unsettled;
    QTimer *m_timer;
    QPointer<ApiClient> m_client;
    quint64 m_generation = 0; // bumped by setClient()
    QSet<QString> m_inFlight; // database ids with a poll on its way
};

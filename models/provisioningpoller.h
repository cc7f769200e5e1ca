// ProvisioningPoller: keeps databases that are provisioning or recovering up to date until they
// settle (ready, failed, or any other status).
//
// Every interval (milliseconds, 2000 by default) it asks GET /v1/databases/{id} for each database
// that `unsettled` names at that moment (one request per database at a time) and reports the
// answer with updated(); a 404 is reported with gone(). Other errors are not reported: the next
// round asks again. The timer runs only while something is unsettled: wake() starts it, and a
// round that finds nothing stops it. Each database is asked through the client `clientFor` names
// for it (the tree's All Profiles view holds databases of several profiles); reset() stops the
// timer and drops the replies on their way (a new session).
#pragma once

#include "resources.h"

#include <QObject>
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
    // The client that may ask for database `id` (nullptr: none; it is skipped this round).
    using ClientFor = std::function<ApiClient *(const QString &id)>;

    ProvisioningPoller(Unsettled unsettled, ClientFor clientFor, QObject *parent = nullptr);

    // Whether `database` is one to poll: provisioning or recovering.
    static bool isSettling(const Database &database);

    void reset();
    void setInterval(int ms);
    // Starts polling unless it runs: a database that is settling has appeared.
    void wake();

Q_SIGNALS:
    void updated(const Database &database);
    void gone(const QString &id);

private:
    void poll();

    Unsettled m_unsettled;
    ClientFor m_clientFor;
    QTimer *m_timer;
    quint64 m_generation = 0; // bumped by reset()
    QSet<QString> m_inFlight; // database ids with a poll on its way
};

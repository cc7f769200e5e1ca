#include "provisioningpoller.h"

#include "apiclient.h"

#include <QTimer>

ProvisioningPoller::ProvisioningPoller(Unsettled unsettled, ClientFor clientFor, QObject *parent)
    : QObject(parent), m_unsettled(std::move(unsettled)), m_clientFor(std::move(clientFor)), m_timer(new QTimer(this))
{
    m_timer->setInterval(2000);
    connect(m_timer, &QTimer::timeout, this, &ProvisioningPoller::poll);
}

bool ProvisioningPoller::isSettling(const Database &database)
{
    return database.status == Database::Status::Provisioning || database.status == Database::Status::Recovering;
}

void ProvisioningPoller::reset()
{
    ++m_generation; // replies on their way are dropped
    m_inFlight.clear();
    m_timer->stop();
}

void ProvisioningPoller::setInterval(int ms)
{
    m_timer->setInterval(ms);
}

void ProvisioningPoller::wake()
{
    if (!m_timer->isActive())
        m_timer->start();
}

void ProvisioningPoller::poll()
{
    const QStringList ids = m_unsettled();
    if (ids.isEmpty()) {
        m_timer->stop(); // everything settled (or the session is gone)
        return;
    }
    for (const QString &id : ids) {
        ApiClient *client = m_clientFor(id);
        if (!client || m_inFlight.contains(id))
            continue;
        m_inFlight.insert(id);
        client->getDatabase(id, this, [this, g = m_generation, id](Result<Database> r) {
            if (g != m_generation)
                return;
            m_inFlight.remove(id);
            if (r.ok())
                Q_EMIT updated(r.value());
            else if (r.error().kind == ApiError::Kind::NotFound)
                Q_EMIT gone(id);
        });
    }
}

#include "subscriptionwatch.h"

#include "accountqueries.h"

SubscriptionWatch::SubscriptionWatch(AccountQueries *queries, QObject *parent) : QObject(parent), m_queries(queries)
{
    m_timer.setInterval(std::chrono::seconds(60));
    connect(&m_timer, &QTimer::timeout, this, &SubscriptionWatch::refresh);
}

void SubscriptionWatch::setInterval(std::chrono::milliseconds interval)
{
    m_timer.setInterval(interval);
}

std::chrono::milliseconds SubscriptionWatch::interval() const
{
    return m_timer.intervalAsDuration();
}

void SubscriptionWatch::watch(const QList<ResourceRef> &workspaces)
{
    const auto idsOf = [](const QList<ResourceRef> &refs) {
        QStringList ids;
        for (const ResourceRef &r : refs)
            ids.append(r.id);
        return ids;
    };
    if (idsOf(workspaces) == idsOf(m_workspaces)) { // the same workspaces listed again: names only
        m_workspaces = workspaces;
        return;
    }
    ++m_generation;
    const bool hadAny = !m_known.isEmpty() || !m_workspaces.isEmpty();
    m_workspaces = workspaces;
    m_known.clear();
    if (m_workspaces.isEmpty())
        m_timer.stop();
    else
        m_timer.start();
    if (hadAny)
        Q_EMIT changed();
    refresh();
}

void SubscriptionWatch::refresh()
{
    for (const ResourceRef &w : std::as_const(m_workspaces))
        ask(w);
}

void SubscriptionWatch::ask(const ResourceRef &workspace)
{
    const int generation = m_generation;
    m_queries->subscription(workspace.id, this, [this, generation, id = workspace.id](Result<Subscription> r) {
        if (generation != m_generation || !r.ok())
            return; // another session's answer, or a failure: keep what is known
        const Subscription fresh = r.takeValue();
        const auto it = m_known.constFind(id);
        if (it != m_known.constEnd() && *it == fresh)
            return;
        m_known.insert(id, fresh);
        Q_EMIT changed();
    });
}

std::optional<Subscription> SubscriptionWatch::subscription(const QString &workspaceId) const
{
    const auto it = m_known.constFind(workspaceId);
    if (it == m_known.constEnd())
        return std::nullopt;
    return *it;
}

bool SubscriptionWatch::answeredAll() const
{
    for (const ResourceRef &w : m_workspaces)
        if (!m_known.contains(w.id))
            return false;
    return true;
}

QList<ResourceRef> SubscriptionWatch::blocked() const
{
    QList<ResourceRef> out;
    for (const ResourceRef &w : m_workspaces)
        if (const auto it = m_known.constFind(w.id); it != m_known.constEnd() && it->usageBlocked)
            out.append(w);
    return out;
}

// SubscriptionWatch: keeps the plan of every workspace of the active session in view, so the
// window can say when a workspace's usage is blocked (its databases then refuse queries until
// the plan changes) and take the warning down once the block is lifted.
//
// watch() sets the workspaces (the tree's top level) and asks for each one's subscription at
// once; refresh() asks again (the window calls it with View > Refresh), and so does a timer every
// interval() (60 s by default; tests set a shorter one). An answer that fails (network, 5xx)
// keeps what was known: a banner does not vanish because one request failed. A 401 is the
// client's (ConsoleCore::unauthorized). Route: GET /v1/workspaces/{id}/subscription through
// AccountQueries.
#pragma once

#include "resources.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QTimer>

#include <chrono>
#include <optional>

class AccountQueries;

class SubscriptionWatch : public QObject
{
    Q_OBJECT
public:
    explicit SubscriptionWatch(AccountQueries *queries, QObject *parent = nullptr);

    void setInterval(std::chrono::milliseconds interval);
    std::chrono::milliseconds interval() const;

    // Watches these workspaces and asks for their plans now. The same workspaces again (the top
    // level listed once more) change nothing but their names: refresh() is what asks again. An
    // empty list stops watching (no session).
    void watch(const QList<ResourceRef> &workspaces);
    // Asks for every watched workspace's plan now.
    void refresh();

    // The last answer for a workspace; nullopt before the first one (or when not watched).
    std::optional<Subscription> subscription(const QString &workspaceId) const;
    // The watched workspaces whose last answer said usageBlocked, in watch() order.
    QList<ResourceRef> blocked() const;
    // Every watched workspace has been answered at least once (a screenshot waits for it).
    bool answeredAll() const;

Q_SIGNALS:
    // A workspace's subscription was answered differently from before (or for the first time),
    // or the set of watched workspaces changed.
    void changed();

private:
    void ask(const ResourceRef &workspace);

    AccountQueries *m_queries;
    QList<ResourceRef> m_workspaces;
    QHash<QString, Subscription> m_known; // by workspace id
    QTimer m_timer;
    int m_generation = 0; // answers to an older watch() are dropped
};

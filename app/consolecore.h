// ConsoleCore: everything of the console that is not a widget, built once by the composition root
// (app/main.cpp, and tests/support for the widget tests): the profile store and keychain, the
// sessions, the resource tree model, the activity list, the workflows, delete protection, the
// connection-string keeper, the account queries and the workspaces' plans (SubscriptionWatch,
// which follows the workspaces the tree lists).
//
// It binds each new session to the parts that work for it (the model lists with its client, the
// workflows send with it, protection reads its profile's choices), then emits sessionChanged(),
// so views see a consistent state; it then asks GET /v1/me once and records the service token's
// id on the profile (Profile::tokenId), so the console can tell which saved profile a token is.
// All Profiles (setAllProfiles()): the sessions' pool holds a session for every saved profile, the
// model shows each profile's workspace at the top level (ResourceTreeModel::setAccounts()), and
// the profile of the tree's current row is the acting session (actFor()): workflows, protection,
// the connection-string keeper and the plan watch work for it, so an action on a node runs with
// that node's profile. Activating one profile (the switcher) leaves All Profiles.
// Warm start: binding a saved profile's session paints its last-known tree from `treeCache` (the
// user's cache folder) before the first listing merges into it; the tree is written back a few
// seconds after loading settles and when the window closes (saveTreeCache()). Not in All Profiles.
// Settings (`settingsPath`, an INI file) hold names, ids and choices only; secrets go to the
// keychain under `keychainService`. See docs/ARCHITECTURE.md.
#pragma once

#include "accountqueries.h"
#include "activitymodel.h"
#include "connectionstringkeeper.h"
#include "deleteprotection.h"
#include "profilestore.h"
#include "proxycredentials.h"
#include "resourcetreemodel.h"
#include "resourceworkflows.h"
#include "secretstore.h"
#include "sessionmanager.h"
#include "subscriptionwatch.h"
#include "treecache.h"

#include <QFutureWatcher>
#include <QObject>
#include <QTimer>

class Session;

class ConsoleCore : public QObject
{
    Q_OBJECT
public:
    explicit ConsoleCore(const QString &settingsPath, const QString &keychainService = QStringLiteral("ppg-console"),
        QObject *parent = nullptr);
    ~ConsoleCore() override;

    ProfileStore profiles;
    SecretStore secrets;
    SessionManager sessions;
    ResourceTreeModel model;
    ActivityModel activity;
    ResourceWorkflows workflows;
    DeleteProtection protection;
    ConnectionStringKeeper keeper;
    AccountQueries queries;
    SubscriptionWatch subscriptions;
    TreeCache treeCache; // the last-known tree per profile (warm start)
    ProxyCredentials proxyCredentials; // a proxy that asks for a password: keychain, else the user
    // Whether the acting session's service cannot be reached at all (Reachability, api/).
    bool isOffline() const { return m_offline; }

    // Writes the tree the model shows to the cache now (the window calls it when it closes).
    void saveTreeCache();
    // Warm start, called before `profileId` is activated: its cached tree is read and decoded on a
    // worker thread (while the window is built and the keychain is read) and shown as soon as it is
    // ready, unless another tree is shown by then (cachedTreeShown). The session that then opens for
    // that profile keeps those rows and merges its listings into them. An unreadable cache shows
    // nothing; a failed activation takes the rows away again.
    void warmStart(const QString &profileId);

    // View > All Profiles on or off. On: reads every profile's token, then binds (sessionChanged
    // with the acting session: the one that was active, else the first that opened). Off: the
    // acting session stays as the one active session.
    // `actAs`: the profile to act as when no session is active (a start in All Profiles).
    void setAllProfiles(bool on, const QString &actAs = {});
    bool isAllProfiles() const { return m_allProfiles; }
    // All Profiles: the profile of `index`'s account becomes the acting session
    // (actingSessionChanged); nothing otherwise.
    void actFor(const QModelIndex &index);

Q_SIGNALS:
    // After the model, workflows and protection are bound to `session` (nullptr: none). In All
    // Profiles, once when it opens (the tree is new).
    void sessionChanged(Session *session);
    // All Profiles: the acting session changed with the current row; the tree stays as it is.
    void actingSessionChanged(Session *session);
    void allProfilesChanged(bool on);
    // The service refused the active session's token (401).
    void unauthorized();
    // The acting session's service became unreachable (`offline`), or reachable again: then the
    // tree is listed again by itself. `host` names it for people.
    void offlineChanged(bool offline, const QString &host);
    // warmStart(): the tree cached for `profileId` is on screen, before its session is up.
    void cachedTreeShown(const QString &profileId);

private:
    void bind(Session *session);
    // What works for the acting session: workflows, protection, the plan watch.
    void bindActing(Session *session);
    void openAllProfiles();
    void applyProtection();
    // The tree's top level was listed: watch those workspaces' plans (All Profiles: the acting
    // profile's).
    void watchListedWorkspaces();

    void showWarmStart();

    QTimer m_cacheTimer; // the tree settled for a moment: write it to the cache
    QFutureWatcher<std::shared_ptr<ResourceTreeModel::DecodedSnapshot>> m_warmStart;
    QString m_warmProfile; // whose cached tree is being decoded
    QString m_cacheProfile; // whose tree the model shows (empty: none to cache)
    bool m_allProfiles = false;
    bool m_offline = false;
    void onReachability(const QString &origin, bool offline);
    bool m_poolFresh = false; // All Profiles: the pool was opened again, the tree is to be made anew
    QString m_wantedActing; // All Profiles: the profile to act as once the pool is open
    QStringList m_poolProfiles; // the profiles the pool was opened for (see poolSignature())
    QHash<QString, QString> m_poolErrors; // profile id -> why the pool has no session for it
};

#include "consolecore.h"

#include "apiclient.h"
#include "heaptuning.h"
#include "proxyauth.h"
#include "reachability.h"
#include "session.h"

#include <QCoreApplication>
#include <QStandardPaths>
#include <QtConcurrent/QtConcurrentRun>

namespace {

// What the All Profiles tree is made from: every profile's id, name, colour, service and token
// flag (not its recorded token id, which changes nothing on screen).
QStringList poolSignature(const ProfileStore &profiles)
{
    QStringList signature;
    for (const Profile &p : profiles.profiles())
        signature << QStringList { p.id, p.name, p.color.name(), p.apiUrl.toString(),
            QString::number(p.hasStoredToken) }
                         .join(QLatin1Char('\n'));
    return signature;
}

// Records which service token the session's profile uses (GET /v1/me names it: credential.id),
// asked once per bound session, written only when it differs. Never for a temporary session,
// which has no stored profile. A failed answer leaves what was recorded.
void recordTokenId(ProfileStore &profiles, Session *session)
{
    if (!session || session->isTemporary() || session->profile().id.isEmpty())
        return;
    session->client()->me(session, [&profiles, profileId = session->profile().id](const Result<Me> &me) {
        if (!me.ok())
            return;
        const Me::Credential &credential = me.value().credential;
        profiles.setTokenId(profileId, credential.type == u"service_token" ? credential.id : QString());
    });
}

} // namespace

ConsoleCore::ConsoleCore(const QString &settingsPath, const QString &keychainService, QObject *parent)
    : QObject(parent)
    , profiles(settingsPath)
    , secrets(keychainService)
    , sessions(&profiles, &secrets)
    , workflows(&model, &activity)
    , protection(settingsPath)
    , keeper(&sessions, &workflows)
    , queries(&sessions)
    , subscriptions(&queries)
    , treeCache(QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + QStringLiteral("/trees"))
    , proxyCredentials(&secrets, ProxyAuth::shared())
{
    connect(Reachability::shared(), &Reachability::offlineChanged, this, &ConsoleCore::onReachability);
    // Credentials a proxy asked for arrived after a call gave up waiting: list again what failed.
    connect(ProxyAuth::shared(), &ProxyAuth::answered, this, [this](const QString &, bool provided) {
        if (provided)
            model.refreshAll();
    });
    m_cacheTimer.setSingleShot(true);
    m_cacheTimer.setInterval(2000);
    connect(&m_cacheTimer, &QTimer::timeout, this, &ConsoleCore::saveTreeCache);
    connect(&model, &ResourceTreeModel::levelLoaded, &m_cacheTimer, qOverload<>(&QTimer::start));
    connect(&model, &ResourceTreeModel::bulkFinished, &m_cacheTimer, qOverload<>(&QTimer::start));
    connect(&model, &QAbstractItemModel::rowsRemoved, &m_cacheTimer, qOverload<>(&QTimer::start));
    connect(&sessions, &SessionManager::sessionChanged, this, &ConsoleCore::bind);
    connect(&m_warmStart, &QFutureWatcherBase::finished, this, &ConsoleCore::showWarmStart);
    connect(&sessions, &SessionManager::activationFailed, this, [this] {
        if (!sessions.session() && !model.hasClient() && !model.isAllProfiles() && model.cachedRows() > 0) {
            m_cacheProfile.clear(); // the warm start's rows go: no session will list them again
            model.setClient(nullptr);
        }
    });
    connect(&protection, &DeleteProtection::changed, this, &ConsoleCore::applyProtection);
    connect(&model, &ResourceTreeModel::levelLoaded, this, [this](const QModelIndex &parent) {
        if (!parent.isValid() || (m_allProfiles && !parent.parent().isValid()))
            watchListedWorkspaces();
    });
    connect(&profiles, &ProfileStore::profilesChanged, this, [this] {
        QSet<QString> ids; // a removed profile's cached tree goes with it
        for (const Profile &p : profiles.profiles())
            ids.insert(p.id);
        treeCache.keepOnly(ids);
        if (m_allProfiles && m_poolProfiles != poolSignature(profiles))
            openAllProfiles(); // a profile added, edited or removed: every node as it is now
    });
}

ConsoleCore::~ConsoleCore() = default;

void ConsoleCore::bind(Session *session)
{
    if (m_allProfiles && !m_poolFresh && sessions.isPooled(session)) {
        bindActing(session);
        Q_EMIT actingSessionChanged(session);
        return;
    }
    if (!session || session->isTemporary() || session->profile().id != m_warmProfile)
        m_warmProfile.clear(); // another tree comes first: the warm start's is not shown
    if (m_allProfiles && session && !sessions.isPooled(session)) {
        m_allProfiles = false; // one profile was activated: All Profiles ends
        Q_EMIT allProfilesChanged(false);
    }
    if (m_allProfiles) {
        // The pool is open: every profile's node at once, acting as `session`.
        QList<ResourceTreeModel::Account> accounts;
        for (const Profile &p : profiles.profiles()) {
            ResourceTreeModel::Account account { p.id, p.name, p.color, nullptr, {} };
            for (Session *s : sessions.pooledSessions())
                if (s->profile().id == p.id)
                    account.client = s->client();
            if (!account.client)
                account.error = m_poolErrors.value(p.id, KeychainError(KeychainError::Kind::NotFound).userMessage());
            accounts.append(account);
        }
        if (m_cacheTimer.isActive())
            saveTreeCache(); // the single profile's tree, before it goes
        m_cacheProfile.clear();
        model.setAccounts(accounts);
        m_poolFresh = false;
    } else {
        const QString profileId = session && !session->isTemporary() ? session->profile().id : QString();
        if (!profileId.isEmpty() && profileId == m_cacheProfile && model.attachClient(session->client())) {
            // The tree warmStart() restored stays on screen; the listings merge into it.
        } else {
            if (m_cacheTimer.isActive())
                saveTreeCache(); // the previous profile's tree, before it goes
            model.setClient(session ? session->client() : nullptr);
            m_cacheProfile = profileId;
            if (!m_cacheProfile.isEmpty() && m_cacheProfile == m_warmProfile) {
                // The session came before the warm start's decoding was done: that local work is
                // waited for (it is what restoring here would do), so the rows are in before any
                // listing is.
                m_warmProfile.clear();
                m_warmStart.waitForFinished();
                if (const auto decoded = m_warmStart.result())
                    model.restoreSnapshot(*decoded);
            } else if (!m_cacheProfile.isEmpty()) {
                model.restoreSnapshot(treeCache.load(m_cacheProfile), QCoreApplication::applicationVersion());
            }
        }
    }
    bindActing(session);
    if (session && !m_allProfiles)
        model.fetchMore(QModelIndex()); // the workspaces, at once
    Q_EMIT sessionChanged(session);
    if (!m_allProfiles)
        recordTokenId(profiles, session);
}

void ConsoleCore::saveTreeCache()
{
    m_cacheTimer.stop();
    if (!m_cacheProfile.isEmpty() && !model.isAllProfiles() && profiles.profile(m_cacheProfile))
        treeCache.save(m_cacheProfile, model.snapshot(QCoreApplication::applicationVersion()));
}

void ConsoleCore::warmStart(const QString &profileId)
{
    if (profileId.isEmpty() || m_warmStart.isRunning())
        return;
    m_warmProfile = profileId;
    m_warmStart.setFuture(
        QtConcurrent::run([cache = treeCache, profileId, version = QCoreApplication::applicationVersion()] {
            // The rows are built on this thread's heap: in huge pages, about 3,000 page faults
            // fewer for 20,001 rows (decoding 80 -> 25 ms, see heaptuning.h).
            adviseHugePagesForThreadHeap();
            return ResourceTreeModel::decodeSnapshot(cache.load(profileId), version);
        }));
}

void ConsoleCore::showWarmStart()
{
    // Empty when bind() took the rows already, or when another tree came first.
    const QString profileId = std::exchange(m_warmProfile, QString());
    const std::shared_ptr<ResourceTreeModel::DecodedSnapshot> decoded = m_warmStart.result();
    if (profileId.isEmpty() || !decoded || m_allProfiles || model.isAllProfiles() || model.hasClient())
        return;
    if (!model.restoreSnapshot(*decoded))
        return;
    m_cacheProfile = profileId;
    Q_EMIT cachedTreeShown(profileId);
}

void ConsoleCore::onReachability(const QString &origin, bool offline)
{
    Session *session = sessions.session();
    if (!session || Reachability::origin(session->client()->baseUrl()) != origin)
        return;
    if (m_offline == offline)
        return;
    m_offline = offline;
    Q_EMIT offlineChanged(offline, QUrl(origin).host());
    if (!offline)
        model.refreshAll(); // what failed while offline is listed again, expansion kept
}

void ConsoleCore::bindActing(Session *session)
{
    subscriptions.watch({});
    workflows.setSession(session, sessions.pooledSessions());
    protection.setProfile(session ? session->profile().id : QString());
    if (session)
        connect(session->client(), &ApiClient::unauthorized, this, &ConsoleCore::unauthorized, Qt::UniqueConnection);
    watchListedWorkspaces();
}

void ConsoleCore::setAllProfiles(bool on, const QString &actAs)
{
    if (on == m_allProfiles)
        return;
    m_allProfiles = on;
    if (on) {
        m_wantedActing = sessions.session() ? sessions.session()->profile().id : actAs;
        openAllProfiles();
    } else {
        sessions.closePool();
        bind(sessions.session());
    }
    Q_EMIT allProfilesChanged(on);
}

void ConsoleCore::openAllProfiles()
{
    m_poolProfiles = poolSignature(profiles);
    sessions.openPool(this, [this](const QList<SessionManager::PoolEntry> &entries) {
        if (!m_allProfiles) {
            sessions.closePool(); // turned off while the tokens were read
            return;
        }
        m_poolFresh = true; // the next bind() makes the tree anew
        m_poolErrors.clear();
        for (const SessionManager::PoolEntry &e : entries)
            if (!e.session)
                m_poolErrors.insert(e.profile.id, e.error.userMessage());
        if (m_wantedActing.isEmpty() || !sessions.actAs(m_wantedActing)) {
            for (const SessionManager::PoolEntry &e : entries)
                if (e.session && sessions.actAs(e.profile.id))
                    break;
        }
        if (!sessions.isPooled(sessions.session()))
            sessions.clearSession(); // no profile could be opened: the tree says why for each
        if (m_poolFresh)
            bind(sessions.session());
        for (Session *s : sessions.pooledSessions())
            recordTokenId(profiles, s);
    });
}

void ConsoleCore::actFor(const QModelIndex &index)
{
    if (!m_allProfiles)
        return;
    const QString profileId = model.profileIdOf(index);
    if (!profileId.isEmpty() && (!sessions.session() || sessions.session()->profile().id != profileId)) {
        m_wantedActing = profileId;
        sessions.actAs(profileId);
    }
}

void ConsoleCore::applyProtection()
{
    if (!m_allProfiles) {
        model.setUnprotected(protection.unprotected());
        return;
    }
    QSet<QString> ids; // every profile's choices: the tree shows them all
    for (const Profile &p : profiles.profiles())
        ids.unite(protection.unprotectedIn(p.id));
    model.setUnprotected(ids);
}

void ConsoleCore::watchListedWorkspaces()
{
    const QString acting = sessions.session() ? sessions.session()->profile().id : QString();
    QList<ResourceRef> listed;
    for (int row = 0; row < model.rowCount(); ++row) {
        const QModelIndex i = model.index(row, 0);
        if (model.isAllProfiles() && model.profileIdOf(i) != acting)
            continue; // the plan banner speaks for the acting profile
        if (const Workspace *w = model.workspace(i))
            listed.append(ResourceRef { w->id, w->name });
    }
    subscriptions.watch(listed);
}

#include "consolecore.h"

#include "apiclient.h"
#include "session.h"

namespace {

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
{
    connect(&sessions, &SessionManager::sessionChanged, this, &ConsoleCore::bind);
    connect(&protection, &DeleteProtection::changed, &model, &ResourceTreeModel::setUnprotected);
    connect(&model, &ResourceTreeModel::levelLoaded, this, [this](const QModelIndex &parent) {
        if (!parent.isValid())
            watchListedWorkspaces();
    });
}

ConsoleCore::~ConsoleCore() = default;

void ConsoleCore::bind(Session *session)
{
    subscriptions.watch({});
    model.setClient(session ? session->client() : nullptr);
    workflows.setSession(session);
    protection.setProfile(session ? session->profile().id : QString());
    if (session) {
        connect(session->client(), &ApiClient::unauthorized, this, &ConsoleCore::unauthorized);
        model.fetchMore(QModelIndex()); // the workspaces, at once
    }
    Q_EMIT sessionChanged(session);
    recordTokenId(profiles, session);
}

void ConsoleCore::watchListedWorkspaces()
{
    QList<ResourceRef> listed;
    for (int row = 0; row < model.rowCount(); ++row)
        if (const Workspace *w = model.workspace(model.index(row, 0)))
            listed.append(ResourceRef { w->id, {}, w->name });
    subscriptions.watch(listed);
}

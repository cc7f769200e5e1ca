#include "consolecore.h"

#include "apiclient.h"
#include "session.h"

ConsoleCore::ConsoleCore(const QString &settingsPath, const QString &keychainService, QObject *parent)
    : QObject(parent)
    , profiles(settingsPath)
    , secrets(keychainService)
    , sessions(&profiles, &secrets)
    , workflows(&model, &activity)
    , protection(settingsPath)
    , keeper(&sessions, &workflows)
    , queries(&sessions)
{
    connect(&sessions, &SessionManager::sessionChanged, this, &ConsoleCore::bind);
    connect(&protection, &DeleteProtection::changed, &model, &ResourceTreeModel::setUnprotected);
}

ConsoleCore::~ConsoleCore() = default;

void ConsoleCore::bind(Session *session)
{
    model.setClient(session ? session->client() : nullptr);
    workflows.setSession(session);
    protection.setProfile(session ? session->profile().id : QString());
    if (session) {
        connect(session->client(), &ApiClient::unauthorized, this, &ConsoleCore::unauthorized);
        model.fetchMore(QModelIndex()); // the workspaces, at once
    }
    Q_EMIT sessionChanged(session);
}

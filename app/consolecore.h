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
// Settings (`settingsPath`, an INI file) hold names, ids and choices only; secrets go to the
// keychain under `keychainService`. See docs/ARCHITECTURE.md.
#pragma once

#include "accountqueries.h"
#include "activitymodel.h"
#include "connectionstringkeeper.h"
#include "deleteprotection.h"
#include "profilestore.h"
#include "resourcetreemodel.h"
#include "resourceworkflows.h"
#include "secretstore.h"
#include "sessionmanager.h"
#include "subscriptionwatch.h"

#include <QObject>

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

Q_SIGNALS:
    // After the model, workflows and protection are bound to `session` (nullptr: none).
    void sessionChanged(Session *session);
    // The service refused the active session's token (401).
    void unauthorized();

private:
    void bind(Session *session);
    // The tree's top level was listed: watch those workspaces' plans.
    void watchListedWorkspaces();
};

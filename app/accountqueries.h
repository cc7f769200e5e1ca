// AccountQueries: the read-only lookups that widgets need beyond the tree, answered by the
// active session's client, so that no widget holds an ApiClient or builds a request.
//
// Routes: GET /v1/regions/postgres (regions()), GET /v1/databases/{id}/usage (usage()),
// GET /v1/databases/{id}/backups?limit=100 (backups()), GET /v1/workspaces/{id}/subscription
// (subscription()), GET /v1/workspaces/{id}/service-tokens (serviceTokens(), every page).
// `done` runs once, later, on `context`'s thread; never if `context` is destroyed first or the
// session changes before the answer (its client ends its calls unanswered). Without a session,
// `done` gets an ApiError of kind Network saying there is no open profile.
#pragma once

#include "resources.h"
#include "result.h"

#include <QObject>

#include <functional>
#include <vector>

class SessionManager;

class AccountQueries : public QObject
{
    Q_OBJECT
public:
    explicit AccountQueries(SessionManager *sessions, QObject *parent = nullptr);

    // The regions a project or database may be created in (available or not).
    void regions(QObject *context, std::function<void(Result<std::vector<Region>>)> done);
    // A database's usage this billing period (operations; storage in GiB).
    void usage(const QString &databaseId, QObject *context, std::function<void(Result<Usage>)> done);
    // A database's backups, newest first (as many as the service lists at once: the retention
    // period's), with the retention period in days.
    void backups(const QString &databaseId, QObject *context, std::function<void(Result<BackupList>)> done);

    // A workspace's plan and whether its usage is blocked.
    void subscription(const QString &workspaceId, QObject *context, std::function<void(Result<Subscription>)> done);
    // Every service token of a workspace, newest first, without values.
    void serviceTokens(
        const QString &workspaceId, QObject *context, std::function<void(Result<std::vector<ServiceToken>>)> done);

private:
    // Runs start(client) with the session's client, or answers "no profile is open".
    template <class T, class Start> void ask(QObject *context, std::function<void(Result<T>)> done, Start start);

    SessionManager *m_sessions;
};

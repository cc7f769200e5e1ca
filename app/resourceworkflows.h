// ResourceWorkflows: create, delete, rotate, rename and transfer, each sent once through the active session's
// client, recorded in the activity list, with the tree updated from the service's answer.
//
// Routes: POST /v1/projects, POST /v1/projects/{id}/databases (also with a `source`: a backup or a
// database to clone), POST /v1/databases/{id}/restore, POST /v1/databases/{id}/connections,
// POST /v1/connections/{id}/rotate, DELETE /v1/projects/{id}, /v1/databases/{id},
// /v1/connections/{id}, PATCH /v1/projects/{id} and /v1/databases/{id} {name},
// POST /v1/projects/{id}/transfer. A node leaves the tree only after the service confirmed the delete (204,
// or 404 on a retried DELETE); a failed delete leaves the tree as it was. Each operation reports
// started, then succeeded or failed, exactly once; failures carry the ApiError (server message
// and hint). Connection strings from a create or rotate reply are handed out once through
// connectionStringIssued and kept nowhere here.
// Restores and clones move data on the service's side after it answered: the database comes back
// "provisioning" or "recovering" and the tree polls it. Their activity entry stays running until
// the tree shows the database ready (or failed), so its duration is the whole operation's; then
// settled() reports the outcome.
#pragma once

#include "apierror.h"
#include "resources.h"
#include "result.h"
#include "session.h"

#include <QHash>
#include <QObject>
#include <QPointer>

#include <functional>

class ActivityModel;
class ApiCall;
class ResourceTreeModel;

// Which operation a workflow ran, typed: callers decide on `verb` and `kind`, never on the
// translated `description` ("Delete project “shop”"), which is for people.
struct Operation
{
    enum class Verb { Create, Rotate, Delete, Restore, Clone, Rename, Transfer };
    Verb verb = Verb::Create;
    ResourceKind kind = ResourceKind::Project;
    QString description;
    bool is(Verb v, ResourceKind k) const { return verb == v && kind == k; }
};
Q_DECLARE_METATYPE(Operation)

class ResourceWorkflows : public QObject
{
    Q_OBJECT
public:
    ResourceWorkflows(ResourceTreeModel *model, ActivityModel *activity, QObject *parent = nullptr);

    // The session that sends from now on. Replies of a session that is neither `session` nor one
    // of `alsoLive` are dropped and what awaits them is cancelled (its calls end with it). The All
    // Profiles view keeps every profile's session live, so an operation started on one profile's
    // node completes after another profile's node was selected.
    void setSession(Session *session, const QList<Session *> &alsoLive = {});
    // Number of operations sent and not yet answered.
    int running() const { return m_running; }

    void createProject(const CreateProjectRequest &request);
    void createDatabase(const QString &projectId, const CreateDatabaseRequest &request);
    // A new database holding the data of `request.source` (a backup: Verb::Restore; a database:
    // Verb::Clone); `sourceName` names the database the data comes from, for the activity list.
    void createDatabaseFrom(const QString &projectId, const CreateDatabaseRequest &request, const QString &sourceName);
    // Destructive: replaces the data of database `databaseId` with backup `backupId` of database
    // `sourceDatabaseId` (the same or another database of its project).
    void restoreInPlace(
        const QString &databaseId, const QString &name, const QString &sourceDatabaseId, const QString &backupId);
    void createConnection(const QString &databaseId, const QString &name);
    void rotateConnection(const QString &connectionId, const QString &name);
    // `kind` picks the route: Project, Database or Connection (anything else sends nothing).
    void deleteResource(ResourceKind kind, const QString &id, const QString &name);
    // Renames a project or database (`kind`; anything else sends nothing) to `newName`; the tree
    // takes the name from the service's answer.
    void rename(ResourceKind kind, const QString &id, const QString &oldName, const QString &newName);
    // Moves project `projectId` to the workspace of `recipientToken` (the token of another saved
    // profile, `destination` names it for people); the project leaves this tree after the 204.
    // The token is handed to the request and wiped here.
    void transferProject(
        const QString &projectId, const QString &name, QByteArray recipientToken, const QString &destination);

Q_SIGNALS:
    void started(const Operation &operation);
    void succeeded(const Operation &operation, const QString &resourceId);
    void failed(const Operation &operation, const ApiError &error);
    // A connection string the service will not show again; `title` says where it came from;
    // `profileId` is the profile whose session sent the request (empty: a temporary session),
    // which is not always the acting one by the time the answer comes (All Profiles).
    void connectionStringIssued(
        const QString &title, const Connection &connection, bool rotated, const QString &profileId);
    void connectionDeleted(const QString &connectionId, const QString &profileId);
    // The service refused to delete a project (400: it holds databases besides its default).
    void projectDeleteRefused(const QString &projectId, const QString &name, const ApiError &error);
    // A restore or clone the service accepted has finished: the database is ready (`ok`), or the
    // service reports it failed.
    void settled(const Operation &operation, const QString &databaseId, bool ok);

private:
    template <class T>
    std::function<void(Result<T>)> finisher(const Operation &operation, std::function<QString(const T &)> apply,
        std::function<void(const ApiError &)> onError = {}, bool untilSettled = false);
    void track(ApiCall *call);
    QString applyCreatedDatabase(const Database &d);
    // Ends the activity of every awaited database that the tree shows settled.
    void checkSettled();

    struct Awaited
    {
        Operation operation;
        int activity = 0;
        QPointer<Session> session;
    };
    bool isLive(const Session *session) const;
    QHash<QString, Awaited> m_awaited; // by database id

    ResourceTreeModel *m_model;
    ActivityModel *m_activity;
    QPointer<Session> m_session;
    QList<QPointer<Session>> m_live; // whose replies are still welcome (m_session among them)
    int m_running = 0;
    int m_lastActivity = 0;
    QString m_answeringProfile; // while a reply is applied: the profile of the session that sent it
};

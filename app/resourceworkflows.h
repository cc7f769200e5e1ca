// ResourceWorkflows: create and delete, each sent once through the active session's client, with
// the tree updated from the service's answer, never from a guess.
//
// Routes: POST /v1/projects, POST /v1/projects/{id}/databases, POST /v1/databases/{id}/connections,
// DELETE /v1/projects/{id}, /v1/databases/{id}, /v1/connections/{id}. A node leaves the tree only
// after the service confirmed the delete (204, or 404 on a retried DELETE). Each operation reports
// started → succeeded or failed exactly once; failures carry the ApiError (server message, hint).
// Connection strings from a create reply are handed out once through connectionStringIssued and
// kept nowhere here.
#pragma once

#include "apierror.h"
#include "resources.h"
#include "session.h"

#include <QObject>
#include <QPointer>

class ResourceTreeModel;


class ResourceWorkflows : public QObject
{
    Q_OBJECT
public:
    explicit ResourceWorkflows(ResourceTreeModel *model, QObject *parent = nullptr);

    void setSession(Session *session);
    // Number of operations sent and not yet answered.
    int running() const { return m_running; }

    void createProject(const CreateProjectRequest &request);
    void createDatabase(const QString &projectId, const CreateDatabaseRequest &request);
    void createConnection(const QString &databaseId, const QString &name);
    // `kind` names the route: "project", "database" or "connection".
    void deleteResource(const QString &kind, const QString &id, const QString &name);

Q_SIGNALS:
    void started(const QString &description);
    void succeeded(const QString &description, const QString &resourceId);
    void failed(const QString &description, const ApiError &error);
    // A connection string the service will not show again; `title` says where it came from.
    void connectionStringIssued(const QString &title, const Connection &connection);

private:
    template <class T>
    auto finisher(const QString &description, std::function<QString(const T &)> apply);

    ResourceTreeModel *m_model;
    QPointer<Session> m_session;
    int m_running = 0;
};

#include "resourceworkflows.h"

#include "apiclient.h"
#include "resourcetreemodel.h"
#include "session.h"

ResourceWorkflows::ResourceWorkflows(ResourceTreeModel *model, QObject *parent)
    : QObject(parent), m_model(model)
{
}

void ResourceWorkflows::setSession(Session *session)
{
    m_session = session;
    m_running = 0; // the old session's calls end with it and report nothing
}

template <class T>
auto ResourceWorkflows::finisher(const QString &description, std::function<QString(const T &)> apply)
{
    ++m_running;
    Q_EMIT started(description);
    QPointer<Session> session = m_session;
    return [this, session, description, apply = std::move(apply)](Result<T> result) {
        if (!session || session != m_session)
            return; // belongs to a session that is gone
        --m_running;
        if (!result.ok()) {
            Q_EMIT failed(description, result.error());
            return;
        }
        const QString id = apply(result.value());
        Q_EMIT succeeded(description, id);
    };
}

void ResourceWorkflows::createProject(const CreateProjectRequest &request)
{
    if (!m_session)
        return;
    const QString description = tr("Create project “%1”").arg(request.name);
    m_session->client()->createProject(request, this, finisher<Project>(description, [this](const Project &p) {
        m_model->insertProject(p);
        if (p.database) {
            const QModelIndex db = m_model->insertDatabase(*p.database);
            Q_UNUSED(db)
            for (const Connection &c : p.database->connections) {
                m_model->insertConnection(c);
                if (c.carriesConnectionString())
                    Q_EMIT connectionStringIssued(tr("Project “%1”, database “%2”").arg(p.name, p.database->name), c);
            }
        }
        return p.id;
    }));
}

void ResourceWorkflows::createDatabase(const QString &projectId, const CreateDatabaseRequest &request)
{
    if (!m_session)
        return;
    const QString description = tr("Create database “%1”").arg(request.name);
    m_session->client()->createDatabase(projectId, request, this,
                                        finisher<Database>(description, [this](const Database &d) {
        m_model->insertDatabase(d);
        for (const Connection &c : d.connections) {
            m_model->insertConnection(c);
            if (c.carriesConnectionString())
                Q_EMIT connectionStringIssued(tr("Database “%1”").arg(d.name), c);
        }
        return d.id;
    }));
}

void ResourceWorkflows::createConnection(const QString &databaseId, const QString &name)
{
    if (!m_session)
        return;
    const QString description = tr("Create connection “%1”").arg(name);
    m_session->client()->createConnection(databaseId, name, this,
                                          finisher<Connection>(description, [this](const Connection &c) {
        m_model->insertConnection(c);
        if (c.carriesConnectionString())
            Q_EMIT connectionStringIssued(tr("Connection “%1”").arg(c.name), c);
        return c.id;
    }));
}

void ResourceWorkflows::deleteResource(const QString &kind, const QString &id, const QString &name)
{
    if (!m_session)
        return;
    auto *client = m_session->client();
    auto apply = [this, id](const Done &) {
        m_model->removeResource(id);
        return id;
    };
    if (kind == QLatin1String("project"))
        client->deleteProject(id, this, finisher<Done>(tr("Delete project “%1”").arg(name), apply));
    else if (kind == QLatin1String("database"))
        client->deleteDatabase(id, this, finisher<Done>(tr("Delete database “%1”").arg(name), apply));
    else if (kind == QLatin1String("connection"))
        client->deleteConnection(id, this, finisher<Done>(tr("Delete connection “%1”").arg(name), apply));
}

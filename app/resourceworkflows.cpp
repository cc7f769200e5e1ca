#include "resourceworkflows.h"

#include "secretbytes.h"

#include "activitymodel.h"
#include "apiclient.h"
#include "provisioningpoller.h"
#include "resourcetreemodel.h"

ResourceWorkflows::ResourceWorkflows(ResourceTreeModel *model, ActivityModel *activity, QObject *parent)
    : QObject(parent), m_model(model), m_activity(activity)
{
    connect(m_model, &QAbstractItemModel::dataChanged, this, [this] {
        if (!m_awaited.isEmpty())
            checkSettled();
    });
}

void ResourceWorkflows::setSession(Session *session, const QList<Session *> &alsoLive)
{
    const bool keepsRunning = m_session && (m_session == session || alsoLive.contains(m_session.data()));
    m_session = session;
    m_live.clear();
    if (session)
        m_live.append(session);
    for (Session *s : alsoLive)
        m_live.append(s);
    if (!keepsRunning)
        m_running = 0; // the old session's calls end with it and report nothing
    for (auto it = m_awaited.begin(); it != m_awaited.end();) {
        if (isLive(it->session)) {
            ++it;
            continue;
        }
        if (m_activity)
            m_activity->fail(it->activity, ApiError::cancelled());
        it = m_awaited.erase(it);
    }
}

bool ResourceWorkflows::isLive(const Session *session) const
{
    if (!session)
        return false;
    for (const QPointer<Session> &s : m_live)
        if (s == session)
            return true;
    return false;
}

namespace {
// The error an activity ends with when the service reports the database it filled as failed.
ApiError settleFailure(const Database &d)
{
    ApiError e;
    e.kind = ApiError::Kind::Server;
    e.code = QStringLiteral("database_") + d.statusText;
    e.message = ResourceWorkflows::tr("The service reports the database “%1” as %2.").arg(d.name, d.statusText);
    e.hint = ResourceWorkflows::tr("Restore another backup into it, or delete it.");
    return e;
}
} // namespace

void ResourceWorkflows::checkSettled()
{
    for (auto it = m_awaited.begin(); it != m_awaited.end();) {
        const Database *d = m_model->database(m_model->indexOf(it.key()));
        if (!d || ProvisioningPoller::isSettling(*d)) {
            ++it;
            continue;
        }
        const bool ok = d->status == Database::Status::Ready;
        if (m_activity) {
            if (ok)
                m_activity->succeed(it->activity, tr("ready"));
            else
                m_activity->fail(it->activity, settleFailure(*d));
        }
        const Operation op = it->operation;
        const QString id = it.key();
        it = m_awaited.erase(it);
        Q_EMIT settled(op, id, ok);
    }
}

void ResourceWorkflows::track(ApiCall *call)
{
    if (m_activity && call)
        m_activity->attachCall(m_lastActivity, call);
}

template <class T>
std::function<void(Result<T>)> ResourceWorkflows::finisher(const Operation &operation,
    std::function<QString(const T &)> apply, std::function<void(const ApiError &)> onError, bool untilSettled)
{
    ++m_running;
    const int activity = m_activity ? m_activity->start(operation.description) : 0;
    m_lastActivity = activity;
    Q_EMIT started(operation);
    QPointer<Session> session = m_session;
    return [this, session, operation, activity, untilSettled, apply = std::move(apply), onError = std::move(onError)](
               Result<T> result) {
        if (!isLive(session))
            return; // belongs to a session that is gone
        --m_running;
        if (!result.ok()) {
            if (m_activity)
                m_activity->fail(activity, result.error());
            if (onError)
                onError(result.error());
            Q_EMIT failed(operation, result.error());
            return;
        }
        m_answeringProfile = session->isTemporary() ? QString() : session->profile().id;
        const QString id = apply(result.value());
        m_answeringProfile.clear();
        const Database *d = untilSettled ? m_model->database(m_model->indexOf(id)) : nullptr;
        if (d && ProvisioningPoller::isSettling(*d))
            m_awaited.insert(id, Awaited { operation, activity, session }); // ends in checkSettled()
        else if (m_activity)
            m_activity->succeed(activity);
        Q_EMIT succeeded(operation, id);
    };
}

void ResourceWorkflows::createProject(const CreateProjectRequest &request)
{
    if (!m_session)
        return;
    const Operation op { Operation::Verb::Create, ResourceKind::Project, tr("Create project “%1”").arg(request.name) };
    track(m_session->client()->createProject(request, this, finisher<Project>(op, [this](const Project &p) {
        m_model->insertProject(p);
        if (p.database) {
            m_model->insertDatabase(*p.database);
            for (const Connection &c : p.database->connections) {
                m_model->insertConnection(c);
                if (c.carriesConnectionString())
                    Q_EMIT connectionStringIssued(
                        tr("Project “%1”, database “%2”").arg(p.name, p.database->name), c, false, m_answeringProfile);
            }
        }
        return p.id;
    })));
}

QString ResourceWorkflows::applyCreatedDatabase(const Database &d)
{
    m_model->insertDatabase(d);
    for (const Connection &c : d.connections) {
        m_model->insertConnection(c);
        if (c.carriesConnectionString())
            Q_EMIT connectionStringIssued(tr("Database “%1”").arg(d.name), c, false, m_answeringProfile);
    }
    return d.id;
}

void ResourceWorkflows::createDatabase(const QString &projectId, const CreateDatabaseRequest &request)
{
    if (!m_session)
        return;
    const Operation op { Operation::Verb::Create, ResourceKind::Database,
        tr("Create database “%1”").arg(request.name) };
    track(m_session->client()->createDatabase(projectId, request, this,
        finisher<Database>(op, [this](const Database &d) { return applyCreatedDatabase(d); })));
}

void ResourceWorkflows::createDatabaseFrom(
    const QString &projectId, const CreateDatabaseRequest &request, const QString &sourceName)
{
    if (!m_session)
        return;
    const bool clone = request.source.type == DataSource::Type::Database;
    const Operation op { clone ? Operation::Verb::Clone : Operation::Verb::Restore, ResourceKind::Database,
        clone ? tr("Clone “%1” into new database “%2”").arg(sourceName, request.name)
              : tr("Restore a backup of “%1” into new database “%2”").arg(sourceName, request.name) };
    track(m_session->client()->createDatabase(projectId, request, this,
        finisher<Database>(
            op, [this](const Database &d) { return applyCreatedDatabase(d); }, {}, true)));
}

void ResourceWorkflows::restoreInPlace(
    const QString &databaseId, const QString &name, const QString &sourceDatabaseId, const QString &backupId)
{
    if (!m_session)
        return;
    const Operation op { Operation::Verb::Restore, ResourceKind::Database,
        tr("Restore database “%1” in place from a backup").arg(name) };
    track(m_session->client()->restoreDatabase(databaseId, sourceDatabaseId, backupId, this,
        finisher<Database>(
            op,
            [this](const Database &d) {
                m_model->updateDatabase(d);
                return d.id;
            },
            {}, true)));
}

void ResourceWorkflows::createConnection(const QString &databaseId, const QString &name)
{
    if (!m_session)
        return;
    const Operation op { Operation::Verb::Create, ResourceKind::Connection, tr("Create connection “%1”").arg(name) };
    track(m_session->client()->createConnection(
        databaseId, name, this, finisher<Connection>(op, [this](const Connection &c) {
            m_model->insertConnection(c);
            if (c.carriesConnectionString())
                Q_EMIT connectionStringIssued(tr("Connection “%1”").arg(c.name), c, false, m_answeringProfile);
            return c.id;
        })));
}

void ResourceWorkflows::rotateConnection(const QString &connectionId, const QString &name)
{
    if (!m_session)
        return;
    const Operation op { Operation::Verb::Rotate, ResourceKind::Connection,
        tr("Rotate credentials of “%1”").arg(name) };
    track(
        m_session->client()->rotateConnection(connectionId, this, finisher<Connection>(op, [this](const Connection &c) {
            if (c.carriesConnectionString())
                Q_EMIT connectionStringIssued(
                    tr("Connection “%1”, new credentials").arg(c.name), c, true, m_answeringProfile);
            return c.id;
        })));
}

void ResourceWorkflows::rename(ResourceKind kind, const QString &id, const QString &oldName, const QString &newName)
{
    if (!m_session)
        return;
    ApiClient *client = m_session->client();
    if (kind == ResourceKind::Project) {
        const Operation op { Operation::Verb::Rename, kind, tr("Rename project “%1” to “%2”").arg(oldName, newName) };
        track(client->renameProject(id, newName, this, finisher<Project>(op, [this](const Project &p) {
            m_model->updateProject(p);
            return p.id;
        })));
    } else if (kind == ResourceKind::Database) {
        const Operation op { Operation::Verb::Rename, kind, tr("Rename database “%1” to “%2”").arg(oldName, newName) };
        track(client->renameDatabase(id, newName, this, finisher<Database>(op, [this](const Database &d) {
            m_model->updateDatabase(d);
            return d.id;
        })));
    }
}

void ResourceWorkflows::transferProject(
    const QString &projectId, const QString &name, QByteArray recipientToken, const QString &destination)
{
    if (m_session && !recipientToken.isEmpty()) {
        const Operation op { Operation::Verb::Transfer, ResourceKind::Project,
            tr("Transfer project “%1” to the workspace of profile “%2”").arg(name, destination) };
        track(m_session->client()->transferProject(
            projectId, recipientToken, this, finisher<Done>(op, [this, projectId](const Done &) {
                m_model->removeResource(projectId);
                return projectId;
            })));
    }
    SecretBytes::wipeIfOwned(recipientToken);
}

void ResourceWorkflows::deleteResource(ResourceKind kind, const QString &id, const QString &name)
{
    if (!m_session)
        return;
    auto *client = m_session->client();
    auto apply = [this, id, kind](const Done &) {
        m_model->removeResource(id);
        if (kind == ResourceKind::Connection)
            Q_EMIT connectionDeleted(id, m_answeringProfile);
        return id;
    };
    const auto op = [kind](const QString &description) {
        return Operation { Operation::Verb::Delete, kind, description };
    };
    switch (kind) {
    case ResourceKind::Project: {
        auto refused = [this, id, name](const ApiError &e) {
            if (e.httpStatus == 400)
                Q_EMIT projectDeleteRefused(id, name, e);
        };
        track(client->deleteProject(id, this, finisher<Done>(op(tr("Delete project “%1”").arg(name)), apply, refused)));
        break;
    }
    case ResourceKind::Database:
        track(client->deleteDatabase(id, this, finisher<Done>(op(tr("Delete database “%1”").arg(name)), apply)));
        break;
    case ResourceKind::Connection:
        track(client->deleteConnection(id, this, finisher<Done>(op(tr("Delete connection “%1”").arg(name)), apply)));
        break;
    case ResourceKind::Workspace:
    case ResourceKind::Placeholder:
        break;
    }
}

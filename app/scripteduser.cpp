#include "scripteduser.h"

#include "apierror.h"
#include "consolecore.h"
#include "envfile.h"

#include <QTimer>

namespace {

QString kindName(ResourceKind kind)
{
    switch (kind) {
    case ResourceKind::Workspace:
        return QStringLiteral("workspace");
    case ResourceKind::Project:
        return QStringLiteral("project");
    case ResourceKind::Database:
        return QStringLiteral("database");
    case ResourceKind::Connection:
        return QStringLiteral("connection");
    case ResourceKind::Placeholder:
        break;
    }
    return QStringLiteral("placeholder");
}

const char *stepName(int step)
{
    static const char *names[] = { "createProject", "unprotect", "createDatabase", "createConnection", "writeEnv",
        "profiles", "treeCache", "rotate", "search", "deleteDatabase", "delete" };
    return names[step];
}

} // namespace

ScriptedUser::ScriptedUser(
    ConsoleCore *core, Options options, std::function<void(const QString &)> report, QObject *parent)
    : QObject(parent), m_core(core), m_options(std::move(options)), m_report(std::move(report))
{
    connect(&m_core->workflows, &ResourceWorkflows::succeeded, this, &ScriptedUser::onSucceeded);
    connect(&m_core->workflows, &ResourceWorkflows::failed, this, &ScriptedUser::onFailed);
    connect(&m_core->workflows, &ResourceWorkflows::connectionStringIssued, this,
        [this](const QString &, const Connection &connection, bool, const QString &) {
            m_connectionId = connection.id;
            if (connection.direct)
                m_connectionUrl = connection.direct->connectionString;
            else if (connection.pooled)
                m_connectionUrl = connection.pooled->connectionString;
        });
    connect(&m_core->keeper, &ConnectionStringKeeper::kept, this, [this] {
        if (m_awaitingKeeper && !m_awaitingWorkflow) {
            m_awaitingKeeper = false;
            done(true);
        } else {
            m_awaitingKeeper = false;
        }
    });
    connect(&m_core->keeper, &ConnectionStringKeeper::keepFailed, this,
        [this](const QString &, const KeychainError &error) {
            m_awaitingKeeper = false;
            if (m_step == Step::CreateConnection && !m_awaitingWorkflow)
                done(false, QStringLiteral("keychain: %1").arg(error.userMessage()));
        });
}

void ScriptedUser::start()
{
    m_clock.start();
    connect(m_core, &ConsoleCore::sessionChanged, this, &ScriptedUser::onSession);
}

void ScriptedUser::onSession(Session *session)
{
    if (!session || m_started)
        return;
    m_started = true;
    listAccount();
}

void ScriptedUser::listAccount()
{
    ResourceTreeModel *model = &m_core->model;
    connect(
        model, &ResourceTreeModel::bulkFinished, this,
        [this, model](const ApiError &error) {
            if (error.isError()) {
                m_report(QStringLiteral("failed listing: %1").arg(error.userMessage()));
                Q_EMIT finished(1);
                return;
            }
            std::function<void(const QModelIndex &)> walk = [&](const QModelIndex &parent) {
                for (int row = 0; row < model->rowCount(parent); ++row) {
                    const QModelIndex i = model->index(row, 0, parent);
                    const auto kind = i.data(ResourceTreeModel::KindRole).value<ResourceKind>();
                    if (kind == ResourceKind::Placeholder)
                        continue;
                    m_report(QStringLiteral("listed %1 %2 %3%4")
                                 .arg(kindName(kind), i.data(ResourceTreeModel::IdRole).toString(),
                                     i.data(ResourceTreeModel::NameRole).toString(),
                                     i.data(ResourceTreeModel::CachedRole).toBool() ? QStringLiteral(" (cached)")
                                                                                    : QString()));
                    walk(i);
                }
            };
            walk({});
            m_report(QStringLiteral("listing done"));
            m_listed = true;
            QTimer::singleShot(0, this, &ScriptedUser::next);
        },
        Qt::SingleShotConnection);
    model->loadAll();
}

QString ScriptedUser::name(char suffix) const
{
    return QStringLiteral("%1-%2-%3").arg(m_options.prefix).arg(m_round).arg(QLatin1Char(suffix));
}

void ScriptedUser::next()
{
    const bool timeUp = m_options.minutes > 0 && m_clock.elapsed() >= qint64(m_options.minutes) * 60000;
    if ((m_options.rounds >= 0 && m_round >= m_options.rounds) || timeUp) {
        m_report(QStringLiteral("script done activity-running %1").arg(m_core->activity.runningCount()));
        Q_EMIT finished(0);
        return;
    }
    run(Step::CreateProject);
}

void ScriptedUser::run(Step step)
{
    m_step = step;
    m_report(QStringLiteral("step %1 %2 round %3").arg(++m_stepCount).arg(stepName(int(step))).arg(m_round));
    switch (step) {
    case Step::CreateProject: {
        m_projectId.clear();
        m_databaseId.clear();
        CreateProjectRequest r;
        r.name = name('p');
        m_awaitingWorkflow = true;
        m_core->workflows.createProject(r);
        return;
    }
    case Step::Unprotect:
        m_core->protection.setProtected(m_projectId, false);
        done(true);
        return;
    case Step::CreateDatabase: {
        CreateDatabaseRequest r;
        r.name = name('d');
        m_awaitingWorkflow = true;
        m_core->workflows.createDatabase(m_projectId, r);
        return;
    }
    case Step::CreateConnection:
        m_connectionUrl.clear();
        m_awaitingWorkflow = true;
        m_awaitingKeeper = true; // the keeper writes the keychain, then the vault index
        m_core->workflows.createConnection(m_databaseId, name('c'));
        return;
    case Step::WriteEnv: {
        if (m_connectionUrl.isEmpty()) {
            done(false, QStringLiteral("no connection string was issued"));
            return;
        }
        const auto r
            = EnvFile::write(m_options.envFile, QStringLiteral("DATABASE_URL_%1").arg(m_round), m_connectionUrl);
        m_connectionUrl.fill(QLatin1Char('\0'));
        m_connectionUrl.clear();
        done(r.ok, r.error);
        return;
    }
    case Step::Profiles: {
        ProfileStore &store = m_core->profiles;
        Profile p;
        p.name = QStringLiteral("%1-%2").arg(m_options.prefix).arg(m_round);
        p.apiUrl = QUrl(QStringLiteral("http://127.0.0.1:9/"));
        if (const auto existing = store.findByName(p.name))
            p = *existing;
        else
            p = store.add(p);
        if (p.id.isEmpty()) {
            done(false, QStringLiteral("could not add profile %1").arg(p.name));
            return;
        }
        const auto all = store.profiles();
        for (int i = 0; i < all.size(); ++i) {
            if (all[i].id == p.id && i > 0)
                store.move(i, 0);
        }
        const QString old = QStringLiteral("%1-%2").arg(m_options.prefix).arg(m_round - 2);
        if (const auto gone = store.findByName(old))
            store.remove(gone->id);
        done(true);
        return;
    }
    case Step::TreeCache:
        m_core->saveTreeCache();
        done(true);
        return;
    case Step::Rotate:
        m_awaitingWorkflow = true;
        m_core->workflows.rotateConnection(m_connectionId, name('c'));
        return;
    case Step::Search:
        connect(
            &m_core->model, &ResourceTreeModel::bulkFinished, this,
            [this](const ApiError &error) { done(!error.isError(), error.userMessage()); }, Qt::SingleShotConnection);
        m_core->model.loadAll();
        return;
    case Step::DeleteDatabase:
        m_awaitingWorkflow = true;
        m_core->workflows.deleteResource(ResourceKind::Database, m_databaseId, name('d'));
        return;
    case Step::Delete:
        m_awaitingWorkflow = true;
        m_core->workflows.deleteResource(ResourceKind::Project, m_projectId, name('p'));
        return;
    }
}

void ScriptedUser::done(bool ok, const QString &why)
{
    if (!ok)
        m_report(QStringLiteral("failed %1: %2").arg(stepName(int(m_step)), why));
    const bool lastStep = m_step == (m_options.soak ? Step::Delete : Step::TreeCache);
    // A failed create leaves nothing for the steps after it: on to the next round.
    const bool skipRound
        = !ok && (m_step == Step::CreateProject || m_step == Step::CreateDatabase || m_step == Step::CreateConnection);
    if (lastStep || skipRound) {
        m_report(QStringLiteral("round done %1 activity-running %2").arg(m_round).arg(m_core->activity.runningCount()));
        ++m_round;
        QTimer::singleShot(0, this, &ScriptedUser::next);
        return;
    }
    const Step following = Step(int(m_step) + 1);
    QTimer::singleShot(0, this, [this, following] { run(following); });
}

void ScriptedUser::onSucceeded(const Operation &operation, const QString &resourceId)
{
    if (!m_awaitingWorkflow)
        return;
    if (operation.verb == Operation::Verb::Delete || operation.verb == Operation::Verb::Rotate) {
        m_awaitingWorkflow = false;
        if (operation.is(Operation::Verb::Delete, ResourceKind::Project))
            m_report(QStringLiteral("deleted project %1 %2").arg(m_projectId, name('p')));
        else if (operation.is(Operation::Verb::Delete, ResourceKind::Database))
            m_report(QStringLiteral("deleted database %1 %2").arg(m_databaseId, name('d')));
        done(true);
        return;
    }
    if (operation.verb != Operation::Verb::Create)
        return;
    m_awaitingWorkflow = false;
    m_report(QStringLiteral("created %1 %2 %3")
                 .arg(kindName(operation.kind), resourceId,
                     name(operation.kind == ResourceKind::Project       ? 'p'
                             : operation.kind == ResourceKind::Database ? 'd'
                                                                        : 'c')));
    if (operation.kind == ResourceKind::Project)
        m_projectId = resourceId;
    else if (operation.kind == ResourceKind::Database)
        m_databaseId = resourceId;
    if (m_step == Step::CreateConnection && m_awaitingKeeper)
        return; // the keeper's answer ends the step
    done(true);
}

void ScriptedUser::onFailed(const Operation &operation, const ApiError &error)
{
    if (!m_awaitingWorkflow
        || (operation.verb != Operation::Verb::Create && operation.verb != Operation::Verb::Delete
            && operation.verb != Operation::Verb::Rotate))
        return;
    m_awaitingWorkflow = false;
    m_awaitingKeeper = false;
    done(false, error.userMessage());
}

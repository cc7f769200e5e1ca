#include "bulkloader.h"

#include "apiclient.h"
#include "pagewalker.h"
#include "resourcetreemodel.h"

#include <QTimer>

BulkLoader::BulkLoader(ResourceTreeModel *model) : QObject(model), m_model(model) { }

void BulkLoader::start()
{
    if (!m_model->client() || isRunning())
        return;
    if (m_model->isComplete()) {
        // Every level is here already (e.g. each keystroke of a search asks again): listing the
        // whole account again would only re-send what the model holds. refresh() and
        // refreshAll() are the way to fresher data. Finished, as always, after returning.
        QTimer::singleShot(0, this, [this, run = m_run] {
            if (run == m_run && !isRunning())
                Q_EMIT finished(ApiError {});
        });
        return;
    }
    ++m_run;
    m_databases = 0;
    m_queue.clear();
    m_error = {};
    m_listed = false;
    m_phase = Phase::Workspaces;
    if (m_model->bulkLoadWorkspaces())
        advance();
}

void BulkLoader::abandon()
{
    ++m_run;
    if (m_databaseWalker)
        m_databaseWalker->discard();
    m_queue.clear();
    m_projects.clear();
    m_phase = Phase::Idle;
}

void BulkLoader::workspacesEnded(const ApiError &error)
{
    if (m_phase != Phase::Workspaces)
        return;
    if (error.isError())
        finish(error);
    else
        advance();
}

void BulkLoader::projectsEnded(const ApiError &error)
{
    if (m_phase != Phase::Projects)
        return;
    if (error.isError())
        finish(error);
    else
        advance();
}

void BulkLoader::advance()
{
    if (m_phase == Phase::Workspaces) {
        if (m_model->fetchState({}) != ResourceTreeModel::FetchState::Fetched)
            return; // wait for the workspaces
        m_phase = Phase::Projects;
        // The databases are listed at the same time as the projects (each names its project):
        // pages that come before the projects are kept and merged when they are in.
        listDatabases();
        m_model->bulkLoadProjects();
    }
    if (m_phase == Phase::Projects) {
        if (m_model->bulkProjectsLoading())
            return; // wait for the projects
        m_phase = Phase::Databases;
        m_projects = m_model->bulkBeginDatabases();
        drain(); // the database pages that came before the projects
    }
}

void BulkLoader::listDatabases()
{
    const QPointer<ApiClient> client = m_model->client();
    m_databaseWalker = walkAll<Database>(
        this,
        [this, client](
            const PageRequest &request, QObject *context, ApiClient::Callback<Page<Database>> done) -> ApiCall * {
            if (!client)
                return nullptr; // the session ended
            m_model->countListRequest();
            return client->listAllDatabases(request, context, std::move(done));
        },
        [this](Page<Database> page) {
            m_listed = !page.hasMore;
            m_queue.push_back(std::move(page));
            if (m_phase == Phase::Databases)
                drain();
        },
        [this](const Result<Done> &end) {
            if (end.ok())
                return; // the last page said so (m_listed)
            m_error = end.error(); // said once the pages before it are merged
            m_listed = true;
            if (m_phase == Phase::Databases)
                drain();
        });
}

// Merges the oldest database page waiting, and the next ones each from the event loop. Ends the
// run when the last page is merged.
void BulkLoader::drain()
{
    if (!m_queue.empty()) {
        Page<Database> page = std::move(m_queue.front());
        m_queue.pop_front();
        m_databases += m_model->bulkPlaceDatabases(std::move(page), m_projects);
        Q_EMIT progress(m_databases);
    }
    if (!m_queue.empty()) {
        if (!m_drainScheduled) {
            m_drainScheduled = true;
            QTimer::singleShot(0, this, [this] {
                m_drainScheduled = false;
                if (m_phase == Phase::Databases) // the queue is the current run's (cleared with it)
                    drain();
            });
        }
        return;
    }
    if (m_listed)
        finish(m_error);
}

// The run is over: the project levels it filled are complete (or, on an error, as they were).
void BulkLoader::finish(const ApiError &error)
{
    if (m_phase == Phase::Databases)
        m_model->bulkEndDatabases(m_projects, error);
    if (m_databaseWalker)
        m_databaseWalker->discard(); // a run that failed before the databases were all listed
    m_projects.clear();
    m_queue.clear();
    m_phase = Phase::Idle;
    Q_EMIT finished(error);
}

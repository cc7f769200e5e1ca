// BulkLoader: ResourceTreeModel::loadAll(), the whole account in few requests (for search).
//
// Routes, in order: GET /v1/workspaces (the tree's own level, unless it is loaded), then at the
// same time the account-wide GET /v1/projects (the tree's own listing, for the workspaces that
// lack their projects) and GET /v1/databases, which embeds each database's connections. Both are
// walked page by page (PageWalker; GET /v1/databases at the service's page size). Database pages
// that come before the projects are all in wait in a queue; the queue is merged one page per
// event-loop turn (pages that waited, merged at once, made one long stall).
// Reports progress(databases placed so far, a count) after each page, then finished() exactly
// once per run: no error, or the ApiError of the listing that failed (the workspaces', the
// projects' or the databases'; a cursor that loops is a Protocol error). A failed database listing
// is reported after the pages that came before it are merged; the project levels it was filling
// are then left as they were. abandon() (a new session) drops the run: nothing of it is reported.
// Part of the model (a friend): it changes the tree only through the model's "bulk loading"
// functions, and the model tells it when the workspaces' or the projects' level ends.
#pragma once

#include "apierror.h"
#include "resources.h"

#include <QObject>
#include <QPointer>
#include <QSet>

#include <deque>

class PageWalkerBase;
class ResourceTreeModel;

class BulkLoader : public QObject
{
    Q_OBJECT
public:
    explicit BulkLoader(ResourceTreeModel *model);

    // Starts a run, unless one is running or the model has no client. When every level is loaded
    // already, sends nothing and reports finished() (no error) from the event loop.
    void start();
    // Drops the run (no signal); replies that were on their way are dropped.
    void abandon();
    bool isRunning() const { return m_phase != Phase::Idle; }

    // From the model: the workspaces' level, or the projects of a workspace, loaded or failed.
    void workspacesEnded(const ApiError &error);
    void projectsEnded(const ApiError &error);

Q_SIGNALS:
    void progress(int databases);
    void finished(const ApiError &error);

private:
    enum class Phase { Idle, Workspaces, Projects, Databases };

    void advance();
    void listDatabases();
    void drain();
    void finish(const ApiError &error);

    ResourceTreeModel *m_model;
    Phase m_phase = Phase::Idle;
    quint64 m_run = 0; // bumped by each start() and abandon()
    QPointer<PageWalkerBase> m_databaseWalker;
    std::deque<Page<Database>> m_queue; // database pages not merged yet (e.g. before the projects)
    bool m_listed = false; // the last database page (or the error) came
    ApiError m_error; // why the database listing failed
    bool m_drainScheduled = false;
    QSet<QString> m_projects; // projects whose databases the listing is bringing
    int m_databases = 0;
};

#include "createcontroller.h"

#include "consolecore.h"
#include "createresourcedialog.h"
#include "resourcetreeview.h"

namespace {

// The current row, or its nearest ancestor, of `kind`.
QModelIndex enclosing(const ResourceTreeModel &model, QModelIndex index, ResourceKind kind)
{
    while (index.isValid() && model.kind(index) != kind)
        index = index.parent();
    return index;
}

} // namespace

CreateController::CreateController(ConsoleCore *core, ResourceTreeView *tree, QWidget *window)
    : QObject(window), m_core(core), m_tree(tree), m_window(window)
{ }

void CreateController::createInContext()
{
    const QModelIndex current = m_tree->currentSourceIndex();
    ResourceKind kind = m_core->model.kind(current);
    if (kind == ResourceKind::Placeholder)
        kind = m_core->model.kind(current.parent()); // "No databases yet" creates a database
    switch (kind) {
    case ResourceKind::Project:
        createDatabase();
        break;
    case ResourceKind::Database:
    case ResourceKind::Connection:
        createConnection();
        break;
    default:
        createProject();
        break;
    }
}

void CreateController::createProject()
{
    if (!m_core->sessions.session())
        return;
    auto *dialog = new CreateResourceDialog(ResourceKind::Project, m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_core->queries.regions(dialog, [dialog](Result<std::vector<Region>> regions) {
        if (regions.ok())
            dialog->setRegions(regions.value());
    });
    const Workspace *ws
        = m_core->model.workspace(enclosing(m_core->model, m_tree->currentSourceIndex(), ResourceKind::Workspace));
    const QString workspaceId = ws ? ws->id : QString();
    connect(dialog, &QDialog::accepted, this, [this, dialog, workspaceId] {
        CreateProjectRequest r;
        r.name = dialog->name();
        r.region = dialog->region();
        r.createDatabase = dialog->createDatabase();
        r.workspaceId = workspaceId;
        m_core->workflows.createProject(r);
    });
    dialog->open();
}

void CreateController::createDatabase()
{
    const Project *project
        = m_core->model.project(enclosing(m_core->model, m_tree->currentSourceIndex(), ResourceKind::Project));
    if (!m_core->sessions.session() || !project)
        return;
    const QString projectId = project->id;
    auto *dialog = new CreateResourceDialog(ResourceKind::Database, m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("New database in “%1”").arg(project->name));
    m_core->queries.regions(dialog, [dialog](Result<std::vector<Region>> regions) {
        if (regions.ok())
            dialog->setRegions(regions.value());
    });
    connect(dialog, &QDialog::accepted, this, [this, dialog, projectId] {
        CreateDatabaseRequest r;
        r.name = dialog->name();
        r.region = dialog->region();
        r.isDefault = dialog->makeDefault();
        m_tree->expandSource(m_core->model.indexOf(projectId));
        m_core->workflows.createDatabase(projectId, r);
    });
    dialog->open();
}

void CreateController::createConnection()
{
    const Database *database
        = m_core->model.database(enclosing(m_core->model, m_tree->currentSourceIndex(), ResourceKind::Database));
    if (!m_core->sessions.session() || !database)
        return;
    const QString databaseId = database->id;
    auto *dialog = new CreateResourceDialog(ResourceKind::Connection, m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("New connection to “%1”").arg(database->name));
    connect(dialog, &QDialog::accepted, this, [this, dialog, databaseId] {
        m_tree->expandSource(m_core->model.indexOf(databaseId));
        m_core->workflows.createConnection(databaseId, dialog->name());
    });
    dialog->open();
}

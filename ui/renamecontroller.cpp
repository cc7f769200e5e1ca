#include "renamecontroller.h"

#include "consolecore.h"
#include "createresourcedialog.h"
#include "resourcetreeview.h"

#include <QPersistentModelIndex>
#include <QTimer>

RenameController::RenameController(ConsoleCore *core, ResourceTreeView *tree, QObject *parent)
    : QObject(parent), m_core(core), m_tree(tree)
{
    connect(m_tree, &ResourceTreeView::renameRequested, this, &RenameController::onRenameRequested);
}

void RenameController::renameCurrent()
{
    if (!m_tree->editName(m_tree->currentSourceIndex()))
        Q_EMIT statusMessage(tr("Select a project or database to rename it."), 5000);
}

void RenameController::onRenameRequested(const QModelIndex &source, const QString &name)
{
    const ResourceTreeModel &model = m_core->model;
    const QModelIndex row = source.siblingAtColumn(ResourceTreeModel::NameColumn);
    const ResourceKind kind = model.kind(row);
    const QString id = row.data(ResourceTreeModel::IdRole).toString();
    const QString oldName = row.data(ResourceTreeModel::NameRole).toString();
    const QString trimmed = name.trimmed();
    if (trimmed == oldName)
        return;
    if (const QString problem = CreateResourceDialog::validateName(name); !problem.isEmpty()) {
        Q_EMIT statusMessage(tr("Not renamed: %1").arg(problem), 10000);
        // Once the closing editor is gone: open it again with what was typed, to correct.
        QTimer::singleShot(0, this, [this, persistent = QPersistentModelIndex(row), name] {
            if (persistent.isValid())
                m_tree->editName(persistent, name);
        });
        return;
    }
    m_core->workflows.rename(kind, id, oldName, trimmed);
}

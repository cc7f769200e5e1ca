#include "protectioncontroller.h"

#include "consolecore.h"
#include "resourcetreeview.h"

ProtectionController::ProtectionController(ConsoleCore *core, ResourceTreeView *tree, QObject *parent)
    : QObject(parent), m_core(core), m_tree(tree)
{ }

void ProtectionController::toggleCurrent()
{
    const QModelIndex i = m_tree->currentSourceIndex();
    const ResourceKind kind = m_core->model.kind(i);
    if (kind != ResourceKind::Project && kind != ResourceKind::Database)
        return;
    const QString name = i.data(ResourceTreeModel::NameRole).toString();
    const bool wasProtected = m_core->model.isProtected(i);
    m_core->protection.setProtected(i.data(ResourceTreeModel::IdRole).toString(), !wasProtected);
    Q_EMIT statusMessage(
        wasProtected ? tr("“%1” can now be deleted").arg(name) : tr("“%1” is protected from deletion again").arg(name),
        5000);
}

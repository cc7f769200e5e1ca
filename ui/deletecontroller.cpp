#include "deletecontroller.h"

#include "consolecore.h"
#include "deleteconfirmdialog.h"
#include "deletepolicy.h"
#include "resourcetreeview.h"

#include <QMessageBox>
#include <QPushButton>

namespace {

QString kindName(ResourceKind kind)
{
    switch (kind) {
    case ResourceKind::Project:
        return DeleteController::tr("project");
    case ResourceKind::Database:
        return DeleteController::tr("database");
    case ResourceKind::Connection:
        return DeleteController::tr("connection");
    default:
        return {};
    }
}

} // namespace

DeleteController::DeleteController(ConsoleCore *core, ResourceTreeView *tree, QWidget *window)
    : QObject(window), m_core(core), m_tree(tree), m_window(window)
{
    connect(&m_core->workflows, &ResourceWorkflows::projectDeleteRefused, this,
        &DeleteController::offerDeletingOtherDatabases);
}

void DeleteController::deleteCurrent()
{
    const QModelIndex current = m_tree->currentSourceIndex();
    if (!m_core->sessions.session())
        return;
    if (const DeleteVerdict verdict = DeletePolicy::check(m_core->model, current); !verdict.allowed()) {
        if (!verdict.explanation.isEmpty())
            Q_EMIT statusMessage(verdict.explanation, 8000);
        return;
    }
    const std::optional<DeletePlan> plan = DeletePolicy::plan(m_core->model, current);
    if (!plan)
        return;
    auto *dialog = new DeleteConfirmDialog(
        kindName(plan->kind), plan->name, plan->consequences, plan->typedConfirmation, m_window);
    dialog->setObjectName(QStringLiteral("deleteConfirmDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this,
        [this, plan = *plan] { m_core->workflows.deleteResource(plan.kind, plan.id, plan.name); });
    dialog->open();
}

void DeleteController::offerDeletingOtherDatabases(const QString &projectId, const QString &name, const ApiError &error)
{
    const QList<DeletePlan> others = DeletePolicy::otherDatabases(m_core->model, projectId);
    QMessageBox box(QMessageBox::Warning, tr("Project not deleted"),
        tr("The service did not delete the project “%1”.").arg(name), QMessageBox::NoButton, m_window);
    box.setInformativeText(error.message + (error.hint.isEmpty() ? QString() : QStringLiteral("\n") + error.hint));
    QPushButton *deleteOthers = nullptr;
    if (!others.isEmpty())
        deleteOthers = box.addButton(tr("Delete Its Other Databases…"), QMessageBox::DestructiveRole);
    box.addButton(QMessageBox::Close);
    box.exec();
    if (!deleteOthers || box.clickedButton() != deleteOthers)
        return;
    // An explicit list the user confirms by typing the project's name.
    QStringList lines;
    for (const DeletePlan &p : others)
        lines << p.consequences;
    DeleteConfirmDialog confirm(tr("databases of"), name, lines, true, m_window);
    confirm.setWindowTitle(tr("Delete the other databases of “%1”").arg(name));
    if (confirm.exec() != QDialog::Accepted)
        return;
    for (const DeletePlan &p : others)
        m_core->workflows.deleteResource(p.kind, p.id, p.name);
}

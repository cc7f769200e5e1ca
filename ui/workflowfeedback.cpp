#include "workflowfeedback.h"

#include "resourcetreeview.h"
#include "resourceworkflows.h"

#include <QMessageBox>

WorkflowFeedback::WorkflowFeedback(ResourceWorkflows *workflows, ResourceTreeView *tree, QWidget *window)
    : QObject(window), m_tree(tree), m_window(window)
{
    connect(workflows, &ResourceWorkflows::started, this,
        [this](const Operation &op) { Q_EMIT statusMessage(tr("%1…").arg(op.description), 0); });
    connect(workflows, &ResourceWorkflows::succeeded, this, [this](const Operation &op, const QString &id) {
        Q_EMIT statusMessage(tr("%1: done").arg(op.description), 5000);
        m_tree->selectId(id);
    });
    connect(workflows, &ResourceWorkflows::failed, this, &WorkflowFeedback::onFailed);
    // Restores and clones finish on the service's side after it answered.
    connect(workflows, &ResourceWorkflows::settled, this, [this](const Operation &op, const QString &, bool ok) {
        if (ok) {
            Q_EMIT statusMessage(tr("%1: finished, the database is ready").arg(op.description), 8000);
            return;
        }
        Q_EMIT statusMessage(tr("%1 failed: the service reports the database as failed").arg(op.description), 15000);
        auto *box = new QMessageBox(QMessageBox::Warning, tr("Operation failed"), tr("%1 failed.").arg(op.description),
            QMessageBox::Ok, m_window);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->setInformativeText(tr("The service reports the database as failed. Its data may be incomplete: restore "
                                   "another backup into it, or delete it."));
        box->open();
    });
}

void WorkflowFeedback::onFailed(const Operation &operation, const ApiError &error)
{
    Q_EMIT statusMessage(tr("%1 failed: %2").arg(operation.description, error.userMessage()), 15000);
    if (error.kind == ApiError::Kind::Cancelled)
        return;
    if (error.httpStatus == 400 && operation.is(Operation::Verb::Delete, ResourceKind::Project))
        return; // DeleteController offers a way out
    QMessageBox box(QMessageBox::Warning, tr("Operation failed"), tr("%1 failed.").arg(operation.description),
        QMessageBox::Ok, m_window);
    box.setInformativeText(error.userMessage());
    box.exec();
}

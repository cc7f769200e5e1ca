// WorkflowFeedback: what people see of each operation ResourceWorkflows runs: "Create project
// “shop”…" in the status line while it runs, "…: done" and the new resource selected when it
// succeeds, and a dialog with the service's message and hint when it fails (not for a cancel,
// nor for a refused project delete, which DeleteController answers with a way out). A restore or
// clone that the service finishes later says so when its database is ready, or shows a dialog
// when the service reports the database failed (ResourceWorkflows::settled()).
#pragma once

#include <QObject>

class ApiError;
class ResourceTreeView;
class ResourceWorkflows;
class QWidget;
struct Operation;

class WorkflowFeedback : public QObject
{
    Q_OBJECT
public:
    // `window` parents the error dialogs; none is owned.
    WorkflowFeedback(ResourceWorkflows *workflows, ResourceTreeView *tree, QWidget *window);

Q_SIGNALS:
    void statusMessage(const QString &text, int timeoutMs);

private:
    void onFailed(const Operation &operation, const ApiError &error);

    ResourceTreeView *m_tree;
    QWidget *m_window;
};

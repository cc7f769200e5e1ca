// DeleteController: the delete flow. Del on a row asks DeletePolicy whether it may go (if not, the
// status line says why); otherwise a DeleteConfirmDialog lists what goes with it (projects and
// databases need their name typed) and, once accepted, ResourceWorkflows sends the DELETE. When
// the service refuses a project's delete (400, it holds other databases), it shows the service's
// message and hint and offers to delete those databases, confirmed as one explicit list.
#pragma once

#include <QObject>

class ApiError;
class ConsoleCore;
class ResourceTreeView;
class QWidget;

class DeleteController : public QObject
{
    Q_OBJECT
public:
    // `window` parents the dialogs; none is owned.
    DeleteController(ConsoleCore *core, ResourceTreeView *tree, QWidget *window);

    void deleteCurrent();

Q_SIGNALS:
    void statusMessage(const QString &text, int timeoutMs);

private:
    void offerDeletingOtherDatabases(const QString &projectId, const QString &name, const ApiError &error);

    ConsoleCore *m_core;
    ResourceTreeView *m_tree;
    QWidget *m_window;
};

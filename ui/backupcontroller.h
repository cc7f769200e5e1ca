// BackupController: the backup flows of the current database. Restore into a new database (the
// default, safe path), restore in place (destructive: refused while the database is protected or
// busy, confirmed by typing its name) and clone each open a RestoreDialog with the plan
// RestorePolicy (app/) makes; once accepted, ResourceWorkflows sends the request, the tree polls
// the database until it is ready and the activity list shows the operation until then. The
// backups offered are the ones the details pane lists for the database (listed again through
// AccountQueries when the pane shows another row), the one picked there first. showBackups()
// brings the pane's backup list into view and focus.
#pragma once

#include "restorepolicy.h"

#include <QObject>
#include <QPersistentModelIndex>

#include <functional>
#include <vector>

class ConsoleCore;
class DetailsPane;
class ResourceTreeView;
class QWidget;

class BackupController : public QObject
{
    Q_OBJECT
public:
    // `window` parents the dialogs; none is owned.
    BackupController(ConsoleCore *core, ResourceTreeView *tree, DetailsPane *details, QWidget *window);

    void restoreIntoNewDatabase();
    void restoreInPlace();
    void cloneDatabase();
    void showBackups();

Q_SIGNALS:
    void statusMessage(const QString &text, int timeoutMs);

private:
    // The current database's backups (the pane's when it lists them, else listed now), then `open`.
    void withBackups(const QModelIndex &index, std::function<void(const std::vector<Backup> &)> open);
    void openDialog(RestorePlan::Mode mode, const QModelIndex &index, const std::vector<Backup> &backups);
    bool allowed(const RestoreVerdict &verdict);

    ConsoleCore *m_core;
    ResourceTreeView *m_tree;
    DetailsPane *m_details;
    QWidget *m_window;
};

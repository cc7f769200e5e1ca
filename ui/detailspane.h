// DetailsPane: every field the API gave for the selected row: ids (with Copy buttons), status,
// region, default flag, endpoints host:port, created time in local time and as "3 days ago",
// the parent workspace and project as links, a workspace's plan (GET
// /v1/workspaces/{id}/subscription, with "usage blocked" when it is), and for a database its usage this period
// (GET /v1/databases/{id}/usage: operations and storage) and a Backups section
// (GET /v1/databases/{id}/backups): each backup's time (local, and "2 days ago"), size, type and
// status, the retention period, and an empty state that says when backups are taken. A backup
// picked in that list is the one the restore flows start from (BackupController). Under the title,
// a row of buttons offers the actions that fit the selection (setActionProvider()): each button is
// the existing QAction (its text, icon, enablement and trigger), so a click runs the same flow as
// the menu. Never shows a secret.
#pragma once

#include "resources.h"

#include <QPointer>
#include <QWidget>

#include <functional>
#include <optional>
#include <vector>

class AccountQueries;
class QAction;
class QGridLayout;
class QToolButton;
class QFormLayout;
class QLabel;
class QTreeWidget;
class ResourceTreeModel;
class QModelIndex;

class DetailsPane : public QWidget
{
    Q_OBJECT
public:
    // `queries` answers the usage of a database (the active session's); not owned.
    explicit DetailsPane(AccountQueries *queries, QWidget *parent = nullptr);
    // Shows the resource behind `index` of `model` (a source-model index), or an empty state.
    void show(const ResourceTreeModel *model, const QModelIndex &index);
    // Shows it again when its name or status changed since show() (a rename's answer, a database
    // turning ready); otherwise nothing, so usage and backups are not asked for again.
    void showIfChanged(const ResourceTreeModel *model, const QModelIndex &index);

    // "just now", "5 minutes ago", "3 days ago" (translated).
    static QString relativeTime(const QDateTime &when, const QDateTime &now);

    // The database whose details are shown (empty for another kind of row).
    QString shownDatabaseId() const { return m_shownId; }
    // The shown database's backups as last listed (newest first), and the one picked in the list.
    const std::vector<Backup> &backups() const { return m_backups; }
    std::optional<Backup> selectedBackup() const;
    QTreeWidget *backupList() const { return m_backupList; }
    // Lists the shown database's backups again.
    void reloadBackups();
    // The actions offered as buttons for a row of a kind (none by default).
    void setActionProvider(std::function<QList<QAction *>(ResourceKind)> provider);
    // The buttons shown, one per action.
    QList<QToolButton *> actionButtons() const;

Q_SIGNALS:
    // A parent link was clicked: select the resource with this id.
    void linkActivated(const QString &id);
    void copied(const QString &what);
    // Enter or a double click on a backup of the list.
    void backupActivated();
    // The shown database's backups have been listed (or failed to be).
    void backupsLoaded();

private:
    QLabel *addRow(const QString &label, const QString &value); // nullptr for an empty value
    void addIdRow(const QString &label, const QString &id);
    void addLinkRow(const QString &label, const QString &id, const QString &name);
    void addTimeRow(const QDateTime &when);
    void clearRows();
    void loadUsage(const QString &databaseId);
    // Fills `label` with the workspace's plan when GET /v1/workspaces/{id}/subscription answers.
    void loadPlan(const QString &workspaceId, QLabel *label);
    void loadBackups(const QString &databaseId);
    void showBackups(const BackupList &list);

    void showActions(ResourceKind kind);

    QLabel *m_title;
    QWidget *m_actionRow;
    QGridLayout *m_actionLayout;
    static constexpr int kActionsPerRow = 3;
    std::function<QList<QAction *>(ResourceKind)> m_actionProvider;
    ResourceKind m_actionKind = ResourceKind::Placeholder;
    QFormLayout *m_form;
    AccountQueries *m_queries;
    QPointer<QLabel> m_operations; // a database's usage, filled when it comes
    QPointer<QLabel> m_storage;
    QString m_shownId;
    QString m_signature; // id, name and status of the resource shown
    QWidget *m_backupSection;
    QLabel *m_backupState; // retention, empty state or error
    QTreeWidget *m_backupList;
    std::vector<Backup> m_backups;
};

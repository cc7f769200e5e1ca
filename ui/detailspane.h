// DetailsPane: every field the API gave for the selected row: ids (with Copy buttons), status,
// region, default flag, endpoints host:port, created time in local time and as "3 days ago",
// the parent workspace and project as links, and for a database its usage this period
// (GET /v1/databases/{id}/usage: operations and storage). Never shows a secret.
#pragma once

#include <QPointer>
#include <QWidget>

class AccountQueries;
class QFormLayout;
class QLabel;
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

    // "just now", "5 minutes ago", "3 days ago" (translated).
    static QString relativeTime(const QDateTime &when, const QDateTime &now);

Q_SIGNALS:
    // A parent link was clicked: select the resource with this id.
    void linkActivated(const QString &id);
    void copied(const QString &what);

private:
    QLabel *addRow(const QString &label, const QString &value); // nullptr for an empty value
    void addIdRow(const QString &label, const QString &id);
    void addLinkRow(const QString &label, const QString &id, const QString &name);
    void addTimeRow(const QDateTime &when);
    void clearRows();
    void loadUsage(const QString &databaseId);

    QLabel *m_title;
    QFormLayout *m_form;
    AccountQueries *m_queries;
    QPointer<QLabel> m_operations; // a database's usage, filled when it comes
    QPointer<QLabel> m_storage;
    QString m_shownId;
};

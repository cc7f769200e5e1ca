// ResourceFilterProxyModel: sorting and search over ResourceTreeModel.
//
// A row matches when its name or id contains the search text (case-insensitive); the parents of
// matches stay visible (recursive filtering) and loading/empty rows are hidden while searching.
// Sorting uses ResourceTreeModel::SortRole (names, statuses, times); without a sort column the
// service's order is kept.
#pragma once

#include <QSortFilterProxyModel>

class ResourceTreeModel;

class ResourceFilterProxyModel : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit ResourceFilterProxyModel(QObject *parent = nullptr);

    void setSearchText(const QString &text);
    QString searchText() const { return m_text; }
    void setSourceModel(QAbstractItemModel *model) override;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_text;
    const ResourceTreeModel *m_tree = nullptr; // the source, when it is one: its fast match
};

#include "resourcefilterproxymodel.h"

#include "resourcetreemodel.h"

ResourceFilterProxyModel::ResourceFilterProxyModel(QObject *parent) : QSortFilterProxyModel(parent)
{
    setRecursiveFilteringEnabled(true);
    setSortRole(ResourceTreeModel::SortRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
    setDynamicSortFilter(true);
}

void ResourceFilterProxyModel::setSearchText(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == m_text)
        return;
    m_text = trimmed;
    // A new search text changes which rows of the whole tree are shown. invalidateFilter() applies
    // that as one removal or insertion per range, and Qt walks every persistent index (the view
    // keeps one per expanded row) for each: with the whole account expanded, seconds per
    // keystroke. invalidate() rebuilds the mapping in one layout change and moves the persistent
    // indexes once.
    invalidate();
}

void ResourceFilterProxyModel::setSourceModel(QAbstractItemModel *model)
{
    m_tree = qobject_cast<ResourceTreeModel *>(model);
    QSortFilterProxyModel::setSourceModel(model);
}

bool ResourceFilterProxyModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (m_text.isEmpty())
        return true;
    const QModelIndex i = sourceModel()->index(sourceRow, 0, sourceParent);
    if (m_tree)
        return m_tree->matchesSearch(i, m_text);
    const QString haystack = i.data(ResourceTreeModel::FilterTextRole).toString();
    return !haystack.isEmpty() && haystack.contains(m_text, Qt::CaseInsensitive);
}

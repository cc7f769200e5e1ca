// ResourceTreeView: the account tree as people use it. A QTreeView over a ResourceFilterProxyModel
// (search) over the ResourceTreeModel, which it owns the proxy of. It
// - remembers the branches each profile had open (QSettings "expanded/<profile id>", ids only)
//   and opens them again as their levels arrive; opens the first workspace at start;
// - spans status rows (loading, empty, error) across the width and adds the way out to their
//   text: the shortcut of the create action for an empty level, of refresh for a failed one;
// - Enter on an error row retries its level; on a branch, opens or closes it;
// - search: each text opens the way to every match and keeps the current row when it is a match;
//   the matched part of each name is drawn bold on an amber highlight (searchHighlightColor());
//   clearing it gives back the branches the user had opened (not those the search opened);
//   a search asks the model for the whole account (loadAll) unless it is in already;
// - project and database names are edited in place (editName(), from the Rename action); the
//   committed text is reported by renameRequested(), never written to the model;
// - Ctrl+C triggers the copy action set with setCopyAction() (QAbstractItemView would copy the
//   cell's text instead).
// Indexes given to and from the outside are source (ResourceTreeModel) indexes.
#pragma once

#include <QPersistentModelIndex>
#include <QSet>
#include <QTreeView>

#include <functional>
#include <vector>

class QAction;
class ResourceFilterProxyModel;
class ResourceTreeModel;

class ResourceTreeView : public QTreeView
{
    Q_OBJECT
public:
    explicit ResourceTreeView(ResourceTreeModel *model, QWidget *parent = nullptr);

    ResourceTreeModel *resourceModel() const { return m_model; }
    ResourceFilterProxyModel *proxy() const { return m_proxy; }

    // The source index of the current row (column 0), or invalid.
    QModelIndex currentSourceIndex() const;
    // Makes the row of `id` current and scrolls to it, if it is in the tree and shown.
    bool selectId(const QString &id);
    // Opens the branch of a source index (if shown).
    void expandSource(const QModelIndex &source);

    // The profile whose expansion is remembered (empty: none, e.g. a temporary session). Saves
    // the previous profile's first.
    void setProfile(const QString &profileId);
    // Writes the current profile's expanded branches to the settings.
    void saveExpanded();

    // Filters the tree to names and ids containing `text` (see above). Returns true when it
    // started loading the whole account for it.
    bool setSearchText(const QString &text);
    QString searchText() const;
    // The background and text colours of the matched part of a name, for `palette`.
    static QColor searchHighlightColor(const QPalette &palette);
    static QColor searchHighlightTextColor(const QPalette &palette);

    // Opens the name editor on a project or database row (a source index), holding `text` when
    // not null (a refused name to correct) or else the current name. False for another row.
    bool editName(const QModelIndex &source, const QString &text = QString());

    // The actions whose shortcuts status rows name, and the one Ctrl+C triggers.
    void setActionHints(QAction *create, QAction *refresh);
    void setCopyAction(QAction *copy) { m_copyAction = copy; }

    // Calls `ready` once the workspaces and the first workspace's projects are on screen (or failed),
    // after the callers that asked before it.
    void whenFirstLevelsLoaded(std::function<void()> ready);
    // Whether the first levels of the current tree are in (listed or failed) already.
    bool firstLevelsLoaded() const;

    // Whether the search results are open down to every match; false when they are more rows than
    // searchRowsOpened(): then only the first levels that fit are open, and a longer search text
    // opens the rest.
    bool searchOpensEveryBranch() const { return m_searchOpensEveryBranch; }
    // At most how many rows a search opens (10,000): QTreeView lays out every row it opens, and
    // opening a whole 201,001-row account took 155-178 ms per keystroke (BENCHMARKS.md).
    int searchRowsOpened() const { return m_searchRowsOpened; }
    void setSearchRowsOpened(int rows) { m_searchRowsOpened = rows; }

Q_SIGNALS:
    // A search was applied and its results opened; `everyBranch` as searchOpensEveryBranch(),
    // `matchingRows` the rows shown with every branch open.
    void searchResultsOpened(bool everyBranch, int matchingRows);
    // The current row changed (a source index; invalid when nothing is current or it was filtered out).
    void currentResourceChanged(const QModelIndex &source);
    // A name edited in place was committed (Enter, or the focus left); the model is unchanged.
    void renameRequested(const QModelIndex &source, const QString &name);

protected:
    bool event(QEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    void onLevelLoaded(const QModelIndex &sourceParent);
    void onBulkFinished();
    void restoreExpandedUnder(const QModelIndex &sourceParent);
    bool spanIfPlaceholder(int row, const QModelIndex &parent);
    void spanPlaceholders(const QModelIndex &parent);
    void expandSearchResults();
    void restoreCurrent();

    ResourceTreeModel *m_model;
    ResourceFilterProxyModel *m_proxy;
    bool m_searchOpensEveryBranch = true;
    int m_searchRowsOpened = 10000;
    QAction *m_copyAction = nullptr;
    std::vector<std::function<void()>> m_firstLevelsReady;
    // The row last made current (a source index): a new search text re-selects it when it is shown.
    QPersistentModelIndex m_lastCurrent;
    QString m_profileKey; // settings key of the profile's expanded branches
    QSet<QString> m_expandedIds; // to restore as levels arrive
};

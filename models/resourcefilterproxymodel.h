// ResourceFilterProxyModel: search and sorting over the resource tree (ResourceTreeModel).
//
// A row matches when its FilterTextRole (on ResourceTreeModel: "name id"; a source without that
// role: DisplayRole) contains the search text, case-insensitively (Qt's simple case folding).
// The parents of matches stay visible; loading, error and empty-state rows are hidden while
// searching. Sorting compares ResourceTreeModel::SortRole of the sort column (strings without
// regard to case, rows without a value last); column -1 keeps the source's (the service's) order.
//
// Why not QSortFilterProxyModel: on the whole large account (20,000 rows, 8,000 expanded parents)
// its recursive filter re-walks subtrees for every row and remaps every persistent index on each
// keystroke (100 ms and more, see BENCHMARKS.md). This proxy mirrors the source tree once, keeps
// one node per source row with its visible children in order, and answers index(), parent(),
// rowCount() and mapToSource() without hashing. Every row's search text is also kept, case-folded,
// in one contiguous search index (about 50 bytes per row on the 201,001-node account; made at the
// first search after a source reset, so a restored tree is painted without it), so that a
// new search text is one scan of that index instead of reaching every row's strings through the
// source. Then only the rows whose match changed since the last text, and their ancestors, are
// evaluated again (the first text after none: one pass over the mirror), so a keystroke costs what
// it changes (BENCHMARKS.md). A new search text is announced as a
// model reset: views drop their expansion and selection, so the caller restores what it needs (the
// main window expands the matches and re-selects the current row). Source changes (rows inserted,
// removed, data changed) are applied incrementally with row insertions, removals and moves, so
// selection and expansion survive them; a source layout change or move is applied as a reset.
#pragma once

#include <QAbstractProxyModel>
#include <QByteArrayMatcher>

#include <memory>
#include <vector>

class ResourceFilterProxyModel : public QAbstractProxyModel
{
    Q_OBJECT
public:
    explicit ResourceFilterProxyModel(QObject *parent = nullptr);
    ~ResourceFilterProxyModel() override;

    // Leading and trailing spaces are ignored; an empty text shows every row. Resets the model.
    void setSearchText(const QString &text);
    QString searchText() const { return m_text; }
    int sortColumn() const { return m_sortColumn; }
    // How many rows are shown at each depth (index 0: the top level) when every branch is open. A
    // view that opens search results asks it first, to open only as many levels as it can lay out
    // quickly. One walk over the visible rows, no index made.
    std::vector<int> visibleRowsPerDepth() const;
    Qt::SortOrder sortOrder() const { return m_sortOrder; }

    // QAbstractProxyModel
    void setSourceModel(QAbstractItemModel *model) override;
    QModelIndex mapToSource(const QModelIndex &proxyIndex) const override;
    QModelIndex mapFromSource(const QModelIndex &sourceIndex) const override;
    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    QModelIndex sibling(int row, int column, const QModelIndex &index) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

private:
    struct Node;
    class SearchIndex;

    Node *nodeOf(const QModelIndex &proxyIndex) const;
    Node *nodeForSource(const QModelIndex &sourceIndex) const;
    QModelIndex proxyIndexOf(const Node *node, int column = 0) const;
    QModelIndex sourceIndexOf(const Node *node, int column = 0) const;
    bool inProxy(const Node *node) const;
    bool accepted(const Node *node) const;
    bool testMatch(const Node *node) const;
    QString searchTextOf(const QModelIndex &sourceIndex) const;

    std::unique_ptr<Node> mirror(const QModelIndex &sourceIndex, Node *parent);
    void forget(const Node *node);
    void rebuild();
    void ensureIndex();
    void compactIndex();
    void evaluateAll();
    void evaluate(Node *node, const std::vector<quint64> *hits);
    void reevaluate(const std::vector<quint64> &hits);
    void orderVisible(Node *node) const;
    bool lessThan(const Node *a, const Node *b) const;
    int insertPosition(const Node *parent, const Node *child) const;

    void insertVisible(Node *node);
    void show(Node *node);
    void hide(Node *node);
    void updateAcceptance(Node *node, bool wasAccepted);

    void onRowsInserted(const QModelIndex &parent, int first, int last);
    void onRowsAboutToBeRemoved(const QModelIndex &parent, int first, int last);
    void onRowsRemoved(const QModelIndex &parent, int first, int last);
    void onDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight, const QList<int> &roles);
    void beginSourceReset();
    void endSourceReset();

    std::unique_ptr<Node> m_root;
    std::unique_ptr<SearchIndex> m_index;
    bool m_indexed = false; // every row has its slot in m_index (made at the first search after a rebuild)
    std::vector<quint64> m_hits; // the slots m_text matched when last evaluated (SearchIndex::Bits); empty: none kept
    size_t m_hitSlots = 0; // how many slots the index had then
    QString m_text;
    QByteArrayMatcher m_matcher; // m_text, case-folded, in UTF-8 (as the index holds it)
    int m_columns = 0;
    int m_sortColumn = -1;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
    bool m_resetting = false;
    QList<QMetaObject::Connection> m_connections;
};

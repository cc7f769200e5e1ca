#include "resourcefilterproxymodel.h"

#include "resourcetreemodel.h"

#include <QVarLengthArray>

#include <algorithm>
#include <bit>
#include <functional>

// One node per source row, kept in the source's order; `visible` holds the children shown by the
// proxy, in the proxy's order. A proxy index's internal pointer is its node.
struct ResourceFilterProxyModel::Node
{
    Node *parent = nullptr;
    QModelIndex source; // the source's index of this row, column 0 (its row kept right)
    int row = -1; // position in parent->visible; -1 while hidden
    quint32 slot = 0; // its search text in the SearchIndex
    bool matches = true; // the row itself matches the search text (every row when there is none)
    bool stale = false; // its visible list awaits reevaluate()
    std::vector<std::unique_ptr<Node>> children;
    std::vector<Node *> visible;

    void renumberVisible(size_t from)
    {
        for (size_t i = from; i < visible.size(); ++i)
            visible[i]->row = int(i);
    }
    void renumberChildren(size_t from)
    {
        for (size_t i = from; i < children.size(); ++i) {
            Node *c = children[i].get();
            if (c->source.row() != int(i))
                c->source = c->source.siblingAtRow(int(i));
        }
    }
};

// Every row's search text, case-folded and in UTF-8, one after the other, each followed by 0xFF
// (a byte UTF-8 never uses, so a match never spans two rows). Scanning this one block is what makes
// a keystroke cheap on a large account: the rows' own strings are scattered over the heap. A row's
// slot is the position of its text, and the index knows the row (its node) by its slot. The text
// of a removed row, or the old text of a renamed one, stays as a dead slot (with no node) until the
// dead outnumber the living; then the proxy compacts the index.
class ResourceFilterProxyModel::SearchIndex
{
public:
    // One bit per slot (bit s % 64 of word s / 64).
    using Bits = std::vector<quint64>;
    static bool test(const Bits &bits, size_t slot) { return (bits[slot / 64] >> (slot % 64)) & 1; }

    // Case folding per code point (QChar::toCaseFolded, the folding of Qt's case-insensitive
    // comparisons), so that "contains, case-insensitively" becomes "the folded text contains the
    // folded search text", byte for byte.
    static QByteArray fold(QStringView text)
    {
        QByteArray out;
        out.reserve(text.size());
        for (qsizetype i = 0; i < text.size(); ++i) {
            const char16_t c = text[i].unicode();
            if (c < 0x80) {
                out.append(char(c >= u'A' && c <= u'Z' ? c - u'A' + u'a' : c));
                continue;
            }
            char32_t ucs4 = c;
            if (QChar::isHighSurrogate(c) && i + 1 < text.size() && text[i + 1].isLowSurrogate())
                ucs4 = QChar::surrogateToUcs4(c, text[++i].unicode());
            const char32_t folded = QChar::toCaseFolded(ucs4);
            out += QString::fromUcs4(&folded, 1).toUtf8();
        }
        return out;
    }

    quint32 add(QStringView text, Node *node) { return addFolded(fold(text), node); }
    quint32 addFolded(QByteArrayView folded, Node *node)
    {
        m_starts.push_back(quint32(m_text.size()));
        m_nodes.push_back(node);
        m_text.append(folded);
        m_text.append(kEnd);
        return quint32(m_starts.size() - 1);
    }
    QByteArrayView textOf(quint32 slot) const
    {
        const qsizetype begin = m_starts[slot];
        return QByteArrayView(m_text).sliced(begin, end(slot) - 1 - begin);
    }
    bool matches(quint32 slot, const QByteArrayMatcher &matcher) const
    {
        const QByteArrayView t = textOf(slot);
        return matcher.indexIn(t.data(), t.size()) >= 0;
    }
    // Which slots match, in one scan.
    Bits find(const QByteArrayMatcher &matcher) const
    {
        Bits hits((m_starts.size() + 63) / 64);
        size_t slot = 0; // m_starts[slot] <= the next hit's position
        for (qsizetype from = 0;;) {
            const qsizetype at = matcher.indexIn(m_text.constData(), m_text.size(), from);
            if (at < 0)
                break;
            // The hits come in order: gallop from the last one instead of searching every start.
            size_t step = 1;
            while (slot + step < m_starts.size() && m_starts[slot + step] <= quint64(at))
                step *= 2;
            const auto first = m_starts.begin() + qsizetype(slot + step / 2);
            const auto last = m_starts.begin() + qsizetype(std::min(slot + step, m_starts.size()));
            slot = size_t(std::upper_bound(first, last, quint64(at)) - m_starts.begin()) - 1;
            hits[slot / 64] |= quint64(1) << (slot % 64);
            from = end(quint32(slot)); // the next row
        }
        return hits;
    }
    size_t slotCount() const { return m_starts.size(); }
    Node *nodeOf(size_t slot) const { return m_nodes[slot]; } // null for a dead slot
    void release(quint32 slot)
    {
        m_nodes[slot] = nullptr;
        ++m_dead;
    }
    bool wantsCompaction() const { return m_dead > 4096 && m_dead > m_starts.size() / 2; }
    void clear()
    {
        m_text.clear();
        m_starts.clear();
        m_nodes.clear();
        m_dead = 0;
    }

private:
    static constexpr char kEnd = char(0xFF);
    qsizetype end(quint32 slot) const // one past its kEnd
    {
        return slot + 1 < m_starts.size() ? qsizetype(m_starts[slot + 1]) : m_text.size();
    }

    QByteArray m_text;
    std::vector<quint32> m_starts; // by slot
    std::vector<Node *> m_nodes; // by slot
    quint32 m_dead = 0;
};

namespace {

// Calls `f` on every node below `root` (not on `root`), depth first.
template <class NodeT, class F> void forEachBelow(NodeT *root, F &&f)
{
    std::vector<NodeT *> open;
    for (auto &top : root->children)
        open.push_back(top.get());
    while (!open.empty()) {
        NodeT *n = open.back();
        open.pop_back();
        f(n);
        for (auto &child : n->children)
            open.push_back(child.get());
    }
}

// <0, 0, >0. Strings without regard to case; anything else by QVariant's own ordering.
int compareKeys(const QVariant &a, const QVariant &b)
{
    if (a.typeId() == QMetaType::QString && b.typeId() == QMetaType::QString)
        return QString::compare(a.toString(), b.toString(), Qt::CaseInsensitive);
    const QPartialOrdering order = QVariant::compare(a, b);
    return order == QPartialOrdering::Less ? -1 : order == QPartialOrdering::Greater ? 1 : 0;
}

// Rows without a value (loading and empty-state rows) come last in both orders.
bool keyLess(const QVariant &a, const QVariant &b, Qt::SortOrder order)
{
    if (a.isValid() != b.isValid())
        return a.isValid();
    if (!a.isValid())
        return false;
    const int c = compareKeys(a, b);
    return order == Qt::AscendingOrder ? c < 0 : c > 0;
}

} // namespace

ResourceFilterProxyModel::ResourceFilterProxyModel(QObject *parent)
    : QAbstractProxyModel(parent), m_root(std::make_unique<Node>()), m_index(std::make_unique<SearchIndex>())
{ }

ResourceFilterProxyModel::~ResourceFilterProxyModel() = default;

// --- structure -----------------------------------------------------------------------------------

ResourceFilterProxyModel::Node *ResourceFilterProxyModel::nodeOf(const QModelIndex &proxyIndex) const
{
    return proxyIndex.isValid() ? static_cast<Node *>(proxyIndex.internalPointer()) : m_root.get();
}

ResourceFilterProxyModel::Node *ResourceFilterProxyModel::nodeForSource(const QModelIndex &sourceIndex) const
{
    QVarLengthArray<int, 8> rows;
    for (QModelIndex i = sourceIndex; i.isValid(); i = i.parent())
        rows.append(i.row());
    Node *n = m_root.get();
    for (auto it = rows.crbegin(); it != rows.crend(); ++it) {
        if (*it < 0 || size_t(*it) >= n->children.size())
            return nullptr;
        n = n->children[size_t(*it)].get();
    }
    return n;
}

QModelIndex ResourceFilterProxyModel::proxyIndexOf(const Node *node, int column) const
{
    if (node == m_root.get())
        return {};
    return createIndex(node->row, column, const_cast<Node *>(node));
}

QModelIndex ResourceFilterProxyModel::sourceIndexOf(const Node *node, int column) const
{
    if (node == m_root.get())
        return {};
    return column == 0 ? node->source : node->source.siblingAtColumn(column);
}

bool ResourceFilterProxyModel::inProxy(const Node *node) const
{
    for (; node != m_root.get(); node = node->parent)
        if (node->row < 0)
            return false;
    return true;
}

bool ResourceFilterProxyModel::accepted(const Node *node) const
{
    return node->matches || !node->visible.empty();
}

bool ResourceFilterProxyModel::testMatch(const Node *node) const
{
    return m_text.isEmpty() || m_index->matches(node->slot, m_matcher);
}

QString ResourceFilterProxyModel::searchTextOf(const QModelIndex &sourceIndex) const
{
    // ResourceTreeModel gives its loading and empty-state rows an empty FilterTextRole: never a match.
    const QVariant text = sourceIndex.data(ResourceTreeModel::FilterTextRole);
    return text.isValid() ? text.toString() : sourceIndex.data(Qt::DisplayRole).toString();
}

std::unique_ptr<ResourceFilterProxyModel::Node> ResourceFilterProxyModel::mirror(
    const QModelIndex &sourceIndex, Node *parent)
{
    auto node = std::make_unique<Node>();
    node->parent = parent;
    node->source = sourceIndex;
    if (m_indexed && sourceIndex.isValid())
        node->slot = m_index->add(searchTextOf(sourceIndex), node.get());
    const int rows = sourceModel()->rowCount(sourceIndex);
    node->children.reserve(size_t(rows));
    for (int r = 0; r < rows; ++r)
        node->children.push_back(mirror(sourceModel()->index(r, 0, sourceIndex), node.get()));
    return node;
}

// `node` and its descendants are about to go: their slots die.
void ResourceFilterProxyModel::forget(const Node *node)
{
    if (!m_indexed)
        return;
    m_index->release(node->slot);
    forEachBelow(node, [this](const Node *n) { m_index->release(n->slot); });
}

void ResourceFilterProxyModel::rebuild()
{
    // The index is made again when a search needs it: a tree restored from the cache is painted
    // without waiting for the search texts of all its rows (BENCHMARKS.md, the warm start).
    m_index->clear();
    m_indexed = false;
    m_hits.clear();
    m_root = sourceModel() ? mirror({}, nullptr) : std::make_unique<Node>();
    m_columns = sourceModel() ? sourceModel()->columnCount() : 0;
    evaluateAll();
}

// Every row's search text into the index, once after each rebuild; then rows keep it up to date
// as they come, change and go.
void ResourceFilterProxyModel::ensureIndex()
{
    if (m_indexed)
        return;
    m_index->clear();
    forEachBelow(m_root.get(), [this](Node *n) { n->slot = m_index->add(searchTextOf(n->source), n); });
    m_indexed = true;
}

// Copies the living rows' texts into a fresh index, in the mirror's order.
void ResourceFilterProxyModel::compactIndex()
{
    auto fresh = std::make_unique<SearchIndex>();
    forEachBelow(m_root.get(), [&](Node *n) { n->slot = fresh->addFolded(m_index->textOf(n->slot), n); });
    m_index = std::move(fresh);
    m_hits.clear(); // by the old slots
}

// Every row against the search text: one scan of the index, then the rows whose match changed since
// the last text (or, the first time, one pass over the whole mirror).
void ResourceFilterProxyModel::evaluateAll()
{
    if (!sourceModel())
        return;
    if (m_text.isEmpty()) {
        m_hits.clear();
        evaluate(m_root.get(), nullptr);
        return;
    }
    ensureIndex();
    SearchIndex::Bits hits = m_index->find(m_matcher);
    if (m_hits.empty())
        evaluate(m_root.get(), &hits);
    else
        reevaluate(hits);
    m_hits = std::move(hits);
    m_hitSlots = m_index->slotCount();
}

// Sets `matches` for every descendant of `node` and rebuilds their visible lists, bottom-up.
// `hits`: which slots match (SearchIndex::find); without it, each row is tested on its own.
void ResourceFilterProxyModel::evaluate(Node *node, const SearchIndex::Bits *hits)
{
    for (auto &child : node->children) {
        child->matches = hits ? SearchIndex::test(*hits, child->slot) : testMatch(child.get());
        if (!child->children.empty()) // a leaf's visible list is empty already
            evaluate(child.get(), hits);
    }
    orderVisible(node);
}

// After a keystroke, what evaluate(m_root, &hits) would do, in time proportional to the rows whose
// match changed: m_hits (the last text's hits) and every node's `matches` agree for the slots
// m_hits covers; slots made since (rows inserted or renamed) are compared with their node. When
// the changed rows have many different parents (on the 201,001-node account, "d" -> "da" drops
// about 94,000 connections, each the only child of its database), one pass over the whole mirror
// is quicker than making that many visible lists one by one.
void ResourceFilterProxyModel::reevaluate(const SearchIndex::Bits &hits)
{
    const size_t covered = m_hitSlots / 64; // whole words of slots that m_hits holds
    const size_t total = m_index->slotCount();
    const size_t staleLimit = total / 16;
    std::vector<std::vector<Node *>> stale; // by depth: visible lists to make again
    size_t staleCount = 0;
    auto flip = [&](size_t slot) {
        Node *n = m_index->nodeOf(slot);
        const bool hit = SearchIndex::test(hits, slot);
        if (!n || n->matches == hit)
            return;
        n->matches = hit;
        for (Node *p = n->parent; p && !p->stale; p = p->parent) {
            p->stale = true;
            size_t depth = 0;
            for (const Node *a = p->parent; a; a = a->parent)
                ++depth;
            if (stale.size() <= depth)
                stale.resize(depth + 1);
            stale[depth].push_back(p);
            ++staleCount;
        }
    };
    for (size_t w = 0; w < covered && staleCount <= staleLimit; ++w)
        for (quint64 changed = m_hits[w] ^ hits[w]; changed; changed &= changed - 1)
            flip(w * 64 + size_t(std::countr_zero(changed)));
    for (size_t slot = covered * 64; slot < total && staleCount <= staleLimit; ++slot)
        flip(slot);
    const bool wholePass = staleCount > staleLimit;
    // Children before their parents: a parent shows a child that matches or shows a row.
    for (auto level = stale.rbegin(); level != stale.rend(); ++level)
        for (Node *node : *level) {
            if (!wholePass)
                orderVisible(node);
            node->stale = false;
        }
    if (wholePass)
        evaluate(m_root.get(), &hits);
}

void ResourceFilterProxyModel::orderVisible(Node *node) const
{
    node->visible.clear();
    for (auto &child : node->children) {
        child->row = -1;
        if (accepted(child.get()))
            node->visible.push_back(child.get());
    }
    if (m_sortColumn >= 0 && node->visible.size() > 1) {
        std::vector<std::pair<QVariant, Node *>> keyed;
        keyed.reserve(node->visible.size());
        for (Node *n : node->visible)
            keyed.emplace_back(n->source.siblingAtColumn(m_sortColumn).data(ResourceTreeModel::SortRole), n);
        std::stable_sort(keyed.begin(), keyed.end(),
            [this](const auto &a, const auto &b) { return keyLess(a.first, b.first, m_sortOrder); });
        for (size_t i = 0; i < keyed.size(); ++i)
            node->visible[i] = keyed[i].second;
    }
    node->renumberVisible(0);
}

bool ResourceFilterProxyModel::lessThan(const Node *a, const Node *b) const
{
    const QVariant ka = a->source.siblingAtColumn(m_sortColumn).data(ResourceTreeModel::SortRole);
    const QVariant kb = b->source.siblingAtColumn(m_sortColumn).data(ResourceTreeModel::SortRole);
    if (keyLess(ka, kb, m_sortOrder))
        return true;
    if (keyLess(kb, ka, m_sortOrder))
        return false;
    return a->source.row() < b->source.row();
}

// Where `child` (not in parent->visible) belongs among the visible children.
int ResourceFilterProxyModel::insertPosition(const Node *parent, const Node *child) const
{
    const auto &v = parent->visible;
    if (m_sortColumn < 0)
        return int(std::lower_bound(v.begin(), v.end(), child, [](const Node *a, const Node *b) {
            return a->source.row() < b->source.row();
        }) - v.begin());
    return int(std::lower_bound(v.begin(), v.end(), child, [this](const Node *a, const Node *b) {
        return lessThan(a, b);
    }) - v.begin());
}

// --- showing and hiding rows ---------------------------------------------------------------------

// Puts `node` among its parent's visible rows, where it belongs; announced if the parent is shown.
void ResourceFilterProxyModel::insertVisible(Node *node)
{
    Node *p = node->parent;
    const int pos = insertPosition(p, node);
    const bool announce = inProxy(p);
    if (announce)
        beginInsertRows(proxyIndexOf(p), pos, pos);
    p->visible.insert(p->visible.begin() + pos, node);
    p->renumberVisible(size_t(pos));
    if (announce)
        endInsertRows();
}

// `node` became accepted: it joins its parent's visible rows, and so do the ancestors it brings.
void ResourceFilterProxyModel::show(Node *node)
{
    insertVisible(node);
    if (Node *p = node->parent; p != m_root.get() && p->row < 0 && accepted(p))
        show(p);
}

// `node` is no longer accepted: it leaves, and so do the ancestors that were there only for it.
void ResourceFilterProxyModel::hide(Node *node)
{
    Node *p = node->parent;
    const int pos = node->row;
    const bool announce = inProxy(p);
    if (announce)
        beginRemoveRows(proxyIndexOf(p), pos, pos);
    p->visible.erase(p->visible.begin() + pos);
    node->row = -1;
    p->renumberVisible(size_t(pos));
    if (announce)
        endRemoveRows();
    if (p != m_root.get() && p->row >= 0 && !accepted(p))
        hide(p);
}

void ResourceFilterProxyModel::updateAcceptance(Node *node, bool wasAccepted)
{
    const bool now = accepted(node);
    if (now == wasAccepted)
        return;
    if (now && node->row < 0)
        show(node);
    else if (!now && node->row >= 0)
        hide(node);
}

// --- source changes ------------------------------------------------------------------------------

void ResourceFilterProxyModel::onRowsInserted(const QModelIndex &parent, int first, int last)
{
    if (m_resetting)
        return;
    Node *p = nodeForSource(parent);
    if (!p || first < 0 || size_t(first) > p->children.size()) { // out of step: start again
        beginResetModel();
        rebuild();
        endResetModel();
        return;
    }
    const bool wasAccepted = accepted(p);
    std::vector<std::unique_ptr<Node>> fresh;
    for (int r = first; r <= last; ++r) {
        const QModelIndex i = sourceModel()->index(r, 0, parent);
        auto node = mirror(i, p);
        node->matches = testMatch(node.get());
        evaluate(node.get(), nullptr);
        fresh.push_back(std::move(node));
    }
    std::vector<Node *> shown;
    for (auto &n : fresh)
        if (accepted(n.get()))
            shown.push_back(n.get());
    p->children.insert(
        p->children.begin() + first, std::make_move_iterator(fresh.begin()), std::make_move_iterator(fresh.end()));
    p->renumberChildren(size_t(first));
    if (shown.empty())
        return;

    if (m_sortColumn < 0) {
        // In the source's order the new rows stay together: one insertion.
        const bool announce = inProxy(p);
        const int pos = insertPosition(p, shown.front());
        if (announce)
            beginInsertRows(proxyIndexOf(p), pos, pos + int(shown.size()) - 1);
        p->visible.insert(p->visible.begin() + pos, shown.begin(), shown.end());
        p->renumberVisible(size_t(pos));
        if (announce)
            endInsertRows();
    } else {
        for (Node *n : shown)
            insertVisible(n);
    }
    if (p != m_root.get())
        updateAcceptance(p, wasAccepted);
}

void ResourceFilterProxyModel::onRowsAboutToBeRemoved(const QModelIndex &parent, int first, int last)
{
    if (m_resetting)
        return;
    Node *p = nodeForSource(parent);
    if (!p || last >= int(p->children.size()))
        return;
    // The rows leave the proxy now, while the source still has them; they leave the mirror in
    // onRowsRemoved, so that mapToSource() stays right in between.
    std::vector<int> rows;
    for (int r = first; r <= last; ++r)
        if (const int row = p->children[size_t(r)]->row; row >= 0)
            rows.push_back(row);
    if (rows.empty())
        return;
    std::sort(rows.begin(), rows.end());
    const bool announce = inProxy(p);
    const QModelIndex proxyParent = proxyIndexOf(p);
    // Contiguous runs, from the bottom up so that the rows above keep their numbers.
    size_t end = rows.size();
    while (end > 0) {
        size_t begin = end - 1;
        while (begin > 0 && rows[begin - 1] == rows[begin] - 1)
            --begin;
        const int from = rows[begin], to = rows[end - 1];
        if (announce)
            beginRemoveRows(proxyParent, from, to);
        for (int r = from; r <= to; ++r)
            p->visible[size_t(r)]->row = -1;
        p->visible.erase(p->visible.begin() + from, p->visible.begin() + to + 1);
        p->renumberVisible(size_t(from));
        if (announce)
            endRemoveRows();
        end = begin;
    }
}

void ResourceFilterProxyModel::onRowsRemoved(const QModelIndex &parent, int first, int last)
{
    if (m_resetting)
        return;
    Node *p = nodeForSource(parent);
    if (!p || last >= int(p->children.size())) {
        beginResetModel();
        rebuild();
        endResetModel();
        return;
    }
    for (int r = first; r <= last; ++r)
        forget(p->children[size_t(r)].get());
    p->children.erase(p->children.begin() + first, p->children.begin() + last + 1);
    p->renumberChildren(size_t(first));
    if (m_indexed && m_index->wantsCompaction())
        compactIndex();
    if (p != m_root.get() && p->row >= 0 && !accepted(p))
        hide(p);
}

void ResourceFilterProxyModel::onDataChanged(
    const QModelIndex &topLeft, const QModelIndex &bottomRight, const QList<int> &roles)
{
    if (m_resetting || !topLeft.isValid())
        return;
    const QModelIndex sourceParent = topLeft.parent();
    Node *p = nodeForSource(sourceParent);
    if (!p || bottomRight.row() >= int(p->children.size()))
        return;
    const bool order = m_sortColumn >= topLeft.column() && m_sortColumn <= bottomRight.column()
        && (roles.isEmpty() || roles.contains(ResourceTreeModel::SortRole) || roles.contains(Qt::DisplayRole));
    for (int r = topLeft.row(); r <= bottomRight.row(); ++r) {
        Node *n = p->children[size_t(r)].get();
        if (topLeft.column() == 0 && m_indexed) { // a new name: a new search text
            const QByteArray text = SearchIndex::fold(searchTextOf(n->source));
            if (m_index->textOf(n->slot) != text) {
                m_index->release(n->slot);
                n->slot = m_index->addFolded(text, n);
            }
        }
        if (!m_text.isEmpty()) {
            const bool was = accepted(n);
            n->matches = testMatch(n);
            updateAcceptance(n, was);
        }
        if (n->row < 0 || !inProxy(p))
            continue;
        if (order && p->visible.size() > 1) {
            // Its sort key may have changed: move it where it now belongs.
            const int from = n->row;
            p->visible.erase(p->visible.begin() + from);
            const int to = insertPosition(p, n);
            p->visible.insert(p->visible.begin() + from, n);
            if (to != from) {
                const QModelIndex proxyParent = proxyIndexOf(p);
                beginMoveRows(proxyParent, from, from, proxyParent, to > from ? to + 1 : to);
                p->visible.erase(p->visible.begin() + from);
                p->visible.insert(p->visible.begin() + to, n);
                p->renumberVisible(size_t(std::min(from, to)));
                endMoveRows();
            }
        }
        Q_EMIT dataChanged(
            createIndex(n->row, topLeft.column(), n), createIndex(n->row, bottomRight.column(), n), roles);
    }
    if (m_indexed && m_index->wantsCompaction())
        compactIndex();
}

void ResourceFilterProxyModel::beginSourceReset()
{
    if (m_resetting)
        return;
    m_resetting = true;
    beginResetModel();
}

void ResourceFilterProxyModel::endSourceReset()
{
    if (!m_resetting)
        return;
    rebuild();
    m_resetting = false;
    endResetModel();
}

// --- public --------------------------------------------------------------------------------------

void ResourceFilterProxyModel::setSourceModel(QAbstractItemModel *model)
{
    beginResetModel();
    for (const auto &c : std::as_const(m_connections))
        disconnect(c);
    m_connections.clear();
    QAbstractProxyModel::setSourceModel(model);
    if (model) {
        m_connections = {
            connect(model, &QAbstractItemModel::rowsInserted, this, &ResourceFilterProxyModel::onRowsInserted),
            connect(model, &QAbstractItemModel::rowsAboutToBeRemoved, this,
                &ResourceFilterProxyModel::onRowsAboutToBeRemoved),
            connect(model, &QAbstractItemModel::rowsRemoved, this, &ResourceFilterProxyModel::onRowsRemoved),
            connect(model, &QAbstractItemModel::dataChanged, this, &ResourceFilterProxyModel::onDataChanged),
            connect(model, &QAbstractItemModel::headerDataChanged, this, &QAbstractItemModel::headerDataChanged),
            // Changes the tree model never makes are applied as a reset.
            connect(model, &QAbstractItemModel::modelAboutToBeReset, this, &ResourceFilterProxyModel::beginSourceReset),
            connect(model, &QAbstractItemModel::modelReset, this, &ResourceFilterProxyModel::endSourceReset),
            connect(
                model, &QAbstractItemModel::layoutAboutToBeChanged, this, &ResourceFilterProxyModel::beginSourceReset),
            connect(model, &QAbstractItemModel::layoutChanged, this, &ResourceFilterProxyModel::endSourceReset),
            connect(model, &QAbstractItemModel::rowsAboutToBeMoved, this, &ResourceFilterProxyModel::beginSourceReset),
            connect(model, &QAbstractItemModel::rowsMoved, this, &ResourceFilterProxyModel::endSourceReset),
        };
        // Columns count at the top level only (the proxy gives every row the top level's columns).
        const auto beginColumns = [this](const QModelIndex &parent) {
            if (!parent.isValid())
                beginSourceReset();
        };
        const auto endColumns = [this](const QModelIndex &parent) {
            if (!parent.isValid())
                endSourceReset();
        };
        m_connections += {
            connect(model, &QAbstractItemModel::columnsAboutToBeInserted, this, beginColumns),
            connect(model, &QAbstractItemModel::columnsInserted, this, endColumns),
            connect(model, &QAbstractItemModel::columnsAboutToBeRemoved, this, beginColumns),
            connect(model, &QAbstractItemModel::columnsRemoved, this, endColumns),
            connect(model, &QAbstractItemModel::columnsAboutToBeMoved, this, beginColumns),
            connect(model, &QAbstractItemModel::columnsMoved, this, endColumns),
        };
    }
    rebuild();
    endResetModel();
}

std::vector<int> ResourceFilterProxyModel::visibleRowsPerDepth() const
{
    std::vector<int> counts;
    if (!m_root)
        return counts;
    std::vector<std::pair<const Node *, size_t>> open { { m_root.get(), 0 } };
    while (!open.empty()) {
        const auto [node, depth] = open.back();
        open.pop_back();
        if (counts.size() <= depth)
            counts.resize(depth + 1);
        counts[depth] += int(node->visible.size());
        for (const Node *child : node->visible)
            if (!child->visible.empty())
                open.emplace_back(child, depth + 1);
    }
    if (!counts.empty() && counts.back() == 0)
        counts.pop_back();
    return counts;
}

void ResourceFilterProxyModel::setSearchText(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == m_text)
        return;
    m_text = trimmed;
    m_matcher.setPattern(SearchIndex::fold(m_text));
    if (m_resetting) // applied by the rebuild at the end of the source's reset
        return;
    beginResetModel();
    evaluateAll();
    endResetModel();
}

void ResourceFilterProxyModel::sort(int column, Qt::SortOrder order)
{
    if (column == m_sortColumn && order == m_sortOrder)
        return;
    Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    const QModelIndexList before = persistentIndexList();
    m_sortColumn = column < m_columns ? column : -1;
    m_sortOrder = order;
    const std::function<void(Node *)> reorder = [&](Node *node) {
        for (auto &child : node->children)
            if (!child->children.empty())
                reorder(child.get());
        orderVisible(node);
    };
    if (sourceModel())
        reorder(m_root.get());
    QModelIndexList after;
    after.reserve(before.size());
    for (const QModelIndex &i : before) {
        Node *n = nodeOf(i);
        after.append(inProxy(n) ? createIndex(n->row, i.column(), n) : QModelIndex());
    }
    changePersistentIndexList(before, after);
    Q_EMIT layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

QModelIndex ResourceFilterProxyModel::mapToSource(const QModelIndex &proxyIndex) const
{
    if (!proxyIndex.isValid())
        return {};
    return sourceIndexOf(nodeOf(proxyIndex), proxyIndex.column());
}

QModelIndex ResourceFilterProxyModel::mapFromSource(const QModelIndex &sourceIndex) const
{
    if (!sourceIndex.isValid())
        return {};
    const Node *n = nodeForSource(sourceIndex);
    if (!n || !inProxy(n))
        return {};
    return createIndex(n->row, sourceIndex.column(), const_cast<Node *>(n));
}

QModelIndex ResourceFilterProxyModel::index(int row, int column, const QModelIndex &parent) const
{
    if (row < 0 || column < 0 || column >= m_columns || (parent.isValid() && parent.column() != 0))
        return {};
    const Node *p = nodeOf(parent);
    if (size_t(row) >= p->visible.size())
        return {};
    return createIndex(row, column, p->visible[size_t(row)]);
}

QModelIndex ResourceFilterProxyModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    return proxyIndexOf(nodeOf(child)->parent);
}

QModelIndex ResourceFilterProxyModel::sibling(int row, int column, const QModelIndex &index) const
{
    if (!index.isValid() || row < 0 || column < 0 || column >= m_columns)
        return {};
    const Node *p = nodeOf(index)->parent;
    if (size_t(row) >= p->visible.size())
        return {};
    return createIndex(row, column, p->visible[size_t(row)]);
}

int ResourceFilterProxyModel::rowCount(const QModelIndex &parent) const
{
    if (parent.column() > 0)
        return 0;
    return int(nodeOf(parent)->visible.size());
}

int ResourceFilterProxyModel::columnCount(const QModelIndex &parent) const
{
    return parent.column() > 0 ? 0 : m_columns;
}

bool ResourceFilterProxyModel::hasChildren(const QModelIndex &parent) const
{
    if (parent.column() > 0 || !sourceModel())
        return false;
    const Node *n = nodeOf(parent);
    if (!n->visible.empty())
        return true;
    // Nothing shown yet: a level not loaded still has its arrow, so that expanding it loads it
    // (while searching, only if it can be loaded: loaded levels without matches have none).
    return m_text.isEmpty() ? sourceModel()->hasChildren(n->source) : sourceModel()->canFetchMore(n->source);
}

QVariant ResourceFilterProxyModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && sourceModel())
        return sourceModel()->headerData(section, orientation, role);
    return QAbstractProxyModel::headerData(section, orientation, role);
}

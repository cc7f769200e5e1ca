// ResourceFilterProxyModel against a reference: random trees and random sequences of what the
// resource tree does (rows inserted, including rows that already have children; rows removed;
// names and statuses changed) mixed with search texts and sort orders. After every step the
// proxy must show exactly the rows a straightforward recursive filter and stable sort would show,
// QAbstractItemModelTester checks every signal, and a persistent index held by a "view" must
// still point at the same source row whenever that row is still shown (a search text is a reset
// by design, so it is exempt).
//
// The source is a QStandardItemModel with the roles ResourceTreeModel provides (FilterTextRole,
// SortRole): the proxy's generic path. ResourceTreeModel's own fast match is checked against
// FilterTextRole in tst_resourcetreemodel, on a sandbox account.
#include "resourcefilterproxymodel.h"
#include "resourcetreemodel.h"

#include <QAbstractItemModelTester>
#include <QRandomGenerator>
#include <QStandardItemModel>
#include <QTest>

namespace {

constexpr int kFilterRole = ResourceTreeModel::FilterTextRole;
constexpr int kSortRole = ResourceTreeModel::SortRole;

const QStringList kWords = { QStringLiteral("alpha"), QStringLiteral("Beta"), QStringLiteral("gamma"),
    QStringLiteral("report"), QStringLiteral("Reporting db"), QStringLiteral("delta") };
const QStringList kStatuses = { QStringLiteral("Ready"), QStringLiteral("provisioning"), QStringLiteral("Failed") };
const QStringList kSearches = { QString(), QStringLiteral("a"), QStringLiteral("al"), QStringLiteral("alpha"),
    QStringLiteral("REP"), QStringLiteral("report"), QStringLiteral("ing d"), QStringLiteral("id1"),
    QStringLiteral("zzz"), QStringLiteral("t"), QStringLiteral("beta 1") };

class Fixture
{
public:
    explicit Fixture(quint32 seed) : rng(seed) { }

    QRandomGenerator rng;
    QStandardItemModel source { 0, 2 };
    int nextId = 0;

    QList<QStandardItem *> makeRow()
    {
        const QString name
            = kWords.at(int(rng.bounded(kWords.size()))) + QLatin1Char(' ') + QString::number(rng.bounded(5));
        auto *nameItem = new QStandardItem(name);
        nameItem->setData(name, kSortRole);
        nameItem->setData(name + QStringLiteral(" id") + QString::number(nextId++), kFilterRole);
        auto *statusItem = new QStandardItem;
        const bool noStatus = rng.bounded(5) == 0; // a row without a sort value, like a Loading row
        statusItem->setData(
            noStatus ? QVariant() : QVariant(kStatuses.at(int(rng.bounded(kStatuses.size())))), kSortRole);
        return { nameItem, statusItem };
    }

    void fill(QStandardItem *parent, int depth)
    {
        const int n = int(rng.bounded(depth == 0 ? 4 : 5));
        for (int i = 0; i < n; ++i) {
            auto row = makeRow();
            if (depth < 2)
                fill(row.first(), depth + 1);
            parent->appendRow(row);
        }
    }

    // Every column-0 item, the root's invisible item included.
    void all(QStandardItem *item, QList<QStandardItem *> &out)
    {
        out.append(item);
        for (int r = 0; r < item->rowCount(); ++r)
            all(item->child(r), out);
    }
    QStandardItem *anyItem()
    {
        QList<QStandardItem *> items;
        all(source.invisibleRootItem(), items);
        return items.at(int(rng.bounded(items.size())));
    }
};

// What the proxy should show under `parent` (source indexes, in order).
bool matches(const QModelIndex &i, const QString &text)
{
    return i.data(kFilterRole).toString().contains(text, Qt::CaseInsensitive);
}

bool acceptedRef(const QAbstractItemModel &m, const QModelIndex &i, const QString &text)
{
    if (text.isEmpty() || matches(i, text))
        return true;
    for (int r = 0; r < m.rowCount(i); ++r)
        if (acceptedRef(m, m.index(r, 0, i), text))
            return true;
    return false;
}

QList<QModelIndex> expectedChildren(
    const QAbstractItemModel &m, const QModelIndex &parent, const QString &text, int column, Qt::SortOrder order)
{
    QList<QModelIndex> out;
    for (int r = 0; r < m.rowCount(parent); ++r)
        if (acceptedRef(m, m.index(r, 0, parent), text))
            out.append(m.index(r, 0, parent));
    if (column >= 0) {
        std::stable_sort(out.begin(), out.end(), [&](const QModelIndex &a, const QModelIndex &b) {
            const QVariant ka = a.siblingAtColumn(column).data(kSortRole),
                           kb = b.siblingAtColumn(column).data(kSortRole);
            if (ka.isValid() != kb.isValid())
                return ka.isValid();
            if (!ka.isValid())
                return false;
            const int c = QString::compare(ka.toString(), kb.toString(), Qt::CaseInsensitive);
            return order == Qt::AscendingOrder ? c < 0 : c > 0;
        });
    }
    return out;
}

// Compares the whole proxy with the reference; returns a description of the first difference.
QString compare(const ResourceFilterProxyModel &proxy, const QAbstractItemModel &m, const QModelIndex &proxyParent,
    const QModelIndex &sourceParent)
{
    const auto expected = expectedChildren(m, sourceParent, proxy.searchText(), proxy.sortColumn(), proxy.sortOrder());
    if (proxy.rowCount(proxyParent) != expected.size())
        return QStringLiteral("under '%1': %2 rows, expected %3")
            .arg(sourceParent.data().toString())
            .arg(proxy.rowCount(proxyParent))
            .arg(expected.size());
    for (int r = 0; r < expected.size(); ++r) {
        const QModelIndex p = proxy.index(r, 0, proxyParent);
        if (proxy.mapToSource(p) != expected.at(r))
            return QStringLiteral("row %1 under '%2' is '%3', expected '%4'")
                .arg(r)
                .arg(sourceParent.data().toString(), proxy.mapToSource(p).data().toString(),
                    expected.at(r).data().toString());
        if (proxy.mapFromSource(expected.at(r)) != p)
            return QStringLiteral("mapFromSource('%1') is wrong").arg(expected.at(r).data().toString());
        if (p.parent() != proxyParent)
            return QStringLiteral("parent() of '%1' is wrong").arg(expected.at(r).data().toString());
        if (const QString d = compare(proxy, m, p, expected.at(r)); !d.isEmpty())
            return d;
    }
    return {};
}

// The rows at each depth with every branch open, counted through the model's interface.
std::vector<int> rowsPerDepth(
    const QAbstractItemModel &m, const QModelIndex &parent = {}, size_t depth = 0, std::vector<int> counts = {})
{
    const int rows = m.rowCount(parent);
    if (rows == 0)
        return counts;
    if (counts.size() <= depth)
        counts.resize(depth + 1);
    counts[depth] += rows;
    for (int r = 0; r < rows; ++r)
        counts = rowsPerDepth(m, m.index(r, 0, parent), depth + 1, std::move(counts));
    return counts;
}

} // namespace

class TestResourceFilterProxyModel : public QObject
{
    Q_OBJECT
private slots:
    void matchesReferenceUnderRandomChanges_data();
    void matchesReferenceUnderRandomChanges();
    void searchKeepsParentsAndHidesTheRest();
    void sortKeepsPersistentIndexes();
    void searchStaysRightThroughManyRenamesAndRemovals();
    void keystrokeAfterCompactionIsRight();
};

void TestResourceFilterProxyModel::matchesReferenceUnderRandomChanges_data()
{
    QTest::addColumn<quint32>("seed");
    for (quint32 seed : { 1u, 2u, 3u, 4u, 5u, 6u, 7u, 8u })
        QTest::addRow("seed %u", seed) << seed;
}

void TestResourceFilterProxyModel::matchesReferenceUnderRandomChanges()
{
    QFETCH(quint32, seed);
    Fixture f(seed);
    f.fill(f.source.invisibleRootItem(), 0);
    ResourceFilterProxyModel proxy;
    proxy.setSourceModel(&f.source);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);

    for (int step = 0; step < 250; ++step) {
        // A "view" holds a persistent index on a shown row.
        QPersistentModelIndex held;
        QPersistentModelIndex heldSource;
        {
            QList<QModelIndex> shown;
            std::function<void(const QModelIndex &)> walk = [&](const QModelIndex &p) {
                for (int r = 0; r < proxy.rowCount(p); ++r) {
                    shown.append(proxy.index(r, 0, p));
                    walk(proxy.index(r, 0, p));
                }
            };
            walk({});
            if (!shown.isEmpty()) {
                held = shown.at(int(f.rng.bounded(shown.size())));
                heldSource = proxy.mapToSource(held);
            }
        }

        QString what;
        bool reset = false;
        switch (f.rng.bounded(8)) {
        case 0: { // rows inserted, some with children already
            QStandardItem *parent = f.anyItem();
            const int at = int(f.rng.bounded(parent->rowCount() + 1));
            auto row = f.makeRow();
            if (f.rng.bounded(2))
                f.fill(row.first(), 2);
            parent->insertRow(at, row);
            what = QStringLiteral("insert");
            break;
        }
        case 1: { // rows removed
            QStandardItem *parent = f.anyItem();
            if (parent->rowCount() == 0)
                continue;
            const int at = int(f.rng.bounded(parent->rowCount()));
            const int count = 1 + int(f.rng.bounded(qMin(3, parent->rowCount() - at)));
            parent->removeRows(at, count);
            what = QStringLiteral("remove");
            break;
        }
        case 2: { // renamed
            QStandardItem *item = f.anyItem();
            if (item == f.source.invisibleRootItem())
                continue;
            const QString name = kWords.at(int(f.rng.bounded(kWords.size())));
            item->setData(name + QStringLiteral(" id") + QString::number(f.nextId++), kFilterRole);
            item->setData(name, kSortRole);
            what = QStringLiteral("rename");
            break;
        }
        case 3: { // status changed (the second column)
            QStandardItem *item = f.anyItem();
            if (item == f.source.invisibleRootItem())
                continue;
            QStandardItem *parent = item->parent() ? item->parent() : f.source.invisibleRootItem();
            parent->child(item->row(), 1)->setData(kStatuses.at(int(f.rng.bounded(kStatuses.size()))), kSortRole);
            what = QStringLiteral("status");
            break;
        }
        case 4:
        case 5: // a search text
            proxy.setSearchText(kSearches.at(int(f.rng.bounded(kSearches.size()))));
            what = QStringLiteral("search '%1'").arg(proxy.searchText());
            reset = true;
            break;
        case 6: { // a sort order
            const int column = int(f.rng.bounded(3)) - 1;
            proxy.sort(column, f.rng.bounded(2) ? Qt::AscendingOrder : Qt::DescendingOrder);
            what = QStringLiteral("sort %1").arg(column);
            break;
        }
        case 7: // the source sorts itself: a layout change, which the proxy takes as a reset (its
                // search index is made again at the next search, or now if one is on)
            f.source.sort(int(f.rng.bounded(2)), f.rng.bounded(2) ? Qt::AscendingOrder : Qt::DescendingOrder);
            what = QStringLiteral("source sorted");
            reset = true;
            break;
        }
        const QString diff = compare(proxy, f.source, {}, {});
        QVERIFY2(diff.isEmpty(), qPrintable(QStringLiteral("step %1 (%2): %3").arg(step).arg(what, diff)));
        QVERIFY2(proxy.visibleRowsPerDepth() == rowsPerDepth(proxy),
            qPrintable(QStringLiteral("step %1 (%2): rows per depth differ").arg(step).arg(what)));
        if (!reset && heldSource.isValid()) {
            const QModelIndex now = proxy.mapFromSource(heldSource);
            QVERIFY2(QModelIndex(held) == now,
                qPrintable(QStringLiteral("step %1 (%2): a held index lost its row: held %3/%4 '%5', now %6/%7")
                               .arg(step)
                               .arg(what)
                               .arg(held.row())
                               .arg(quintptr(held.internalPointer()))
                               .arg(held.data().toString())
                               .arg(now.row())
                               .arg(quintptr(now.internalPointer()))));
        }
    }
}

void TestResourceFilterProxyModel::searchKeepsParentsAndHidesTheRest()
{
    // workspace > project "Reporting" > databases "main", "replica"; project "Billing" > "main"
    QStandardItemModel source(0, 2);
    auto add = [](QStandardItem *parent, const QString &name, const QString &id) {
        auto *item = new QStandardItem(name);
        item->setData(name + QLatin1Char(' ') + id, kFilterRole);
        item->setData(name, kSortRole);
        parent->appendRow({ item, new QStandardItem });
        return item;
    };
    QStandardItem *ws = add(source.invisibleRootItem(), QStringLiteral("Acme"), QStringLiteral("wksp_1"));
    QStandardItem *reporting = add(ws, QStringLiteral("Reporting"), QStringLiteral("proj_1"));
    add(reporting, QStringLiteral("main"), QStringLiteral("db_1"));
    add(reporting, QStringLiteral("replica"), QStringLiteral("db_2"));
    QStandardItem *billing = add(ws, QStringLiteral("Billing"), QStringLiteral("proj_2"));
    add(billing, QStringLiteral("main"), QStringLiteral("db_3"));

    ResourceFilterProxyModel proxy;
    proxy.setSourceModel(&source);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.setSearchText(QStringLiteral("  REPLICA "));
    QCOMPARE(proxy.searchText(), QStringLiteral("REPLICA"));
    const QModelIndex w = proxy.index(0, 0);
    QCOMPARE(w.data().toString(), QStringLiteral("Acme"));
    QCOMPARE(proxy.rowCount(w), 1); // Billing has no match
    const QModelIndex p = proxy.index(0, 0, w);
    QCOMPARE(p.data().toString(), QStringLiteral("Reporting"));
    QCOMPARE(proxy.rowCount(p), 1);
    QCOMPARE(proxy.index(0, 0, p).data().toString(), QStringLiteral("replica"));

    // A match appears under a hidden project: the project comes back with it.
    add(billing, QStringLiteral("replica-eu"), QStringLiteral("db_4"));
    QCOMPARE(proxy.rowCount(w), 2);
    // It is renamed away: the project goes again.
    billing->child(1)->setData(QStringLiteral("archive db_4"), kFilterRole);
    QCOMPARE(proxy.rowCount(w), 1);
    // Ids match, across the space too ("name id").
    proxy.setSearchText(QStringLiteral("main db_3"));
    QCOMPARE(proxy.rowCount(w), 1);
    QCOMPARE(proxy.index(0, 0, w).data().toString(), QStringLiteral("Billing"));
    proxy.setSearchText(QString());
    QCOMPARE(proxy.rowCount(w), 2);
    QCOMPARE(proxy.rowCount(proxy.index(1, 0, w)), 2);
}

void TestResourceFilterProxyModel::sortKeepsPersistentIndexes()
{
    QStandardItemModel source(0, 1);
    for (const QString &name : { QStringLiteral("charlie"), QStringLiteral("Alpha"), QStringLiteral("bravo") }) {
        auto *item = new QStandardItem(name);
        item->setData(name, kSortRole);
        source.appendRow(item);
    }
    ResourceFilterProxyModel proxy;
    proxy.setSourceModel(&source);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QPersistentModelIndex charlie = proxy.index(0, 0);
    proxy.sort(0, Qt::AscendingOrder);
    QCOMPARE(proxy.index(0, 0).data().toString(), QStringLiteral("Alpha")); // case does not count
    QCOMPARE(charlie.row(), 2);
    QCOMPARE(charlie.data().toString(), QStringLiteral("charlie"));
    proxy.sort(-1);
    QCOMPARE(proxy.index(0, 0).data().toString(), QStringLiteral("charlie")); // the source's order again
    QCOMPARE(charlie.row(), 0);
}

void TestResourceFilterProxyModel::searchStaysRightThroughManyRenamesAndRemovals()
{
    // The proxy keeps every row's search text in one index; renamed and removed rows leave dead
    // texts there until they outnumber the living (past 4,096), and then the index is compacted.
    // Enough renames and removals to compact it several times, and texts past ASCII (case-folded
    // as QString's case-insensitive contains() does, outside the Basic Multilingual Plane too).
    QStandardItemModel source(0, 1);
    constexpr int kParents = 3, kChildren = 2000;
    auto setText = [](QStandardItem *item, const QString &text) {
        item->setData(text, Qt::DisplayRole);
        item->setData(text, kFilterRole);
    };
    for (int p = 0; p < kParents; ++p) {
        auto *parent = new QStandardItem;
        setText(parent, QStringLiteral("parent %1").arg(p));
        for (int c = 0; c < kChildren; ++c) {
            auto *child = new QStandardItem;
            setText(child, QStringLiteral("row %1 id%2").arg(c).arg(p * kChildren + c));
            parent->appendRow(child);
        }
        source.appendRow(parent);
    }
    ResourceFilterProxyModel proxy;
    proxy.setSourceModel(&source);
    int shown = 0; // rows shown by the last check
    auto check = [&](const QString &text) {
        proxy.setSearchText(text);
        shown = 0;
        for (int p = 0; p < source.rowCount(); ++p) {
            const QModelIndex parent = source.index(p, 0);
            QCOMPARE(proxy.mapFromSource(parent).isValid(), acceptedRef(source, parent, text));
            for (int c = 0; c < source.rowCount(parent); ++c) {
                const QModelIndex child = source.index(c, 0, parent);
                const bool expected = acceptedRef(source, child, text);
                QVERIFY2(proxy.mapFromSource(child).isValid() == expected,
                    qPrintable(QStringLiteral("'%1' and '%2'").arg(text, child.data(kFilterRole).toString())));
                shown += expected;
            }
        }
    };
    check(QStringLiteral("row 1999"));
    for (int round = 0; round < 3; ++round) {
        for (int p = 0; p < kParents; ++p)
            for (int c = 0; c < source.item(p)->rowCount(); ++c)
                setText(source.item(p)->child(c),
                    c % 7 == 0 ? QStringLiteral("Ärger r%1-%2 \U00010400").arg(round).arg(c)
                               : QStringLiteral("item r%1-%2").arg(round).arg(c));
        if (round == 1)
            for (int p = 0; p < kParents; ++p)
                source.item(p)->removeRows(0, source.item(p)->rowCount() / 2);
        for (const QString &text : { QStringLiteral("r%1-1").arg(round), QStringLiteral("ÄRGER R%1").arg(round),
                 QStringLiteral("\U00010428"), QStringLiteral("r%1-").arg(round - 1), QStringLiteral("parent 2") }) {
            check(text);
            if (QTest::currentTestFailed())
                return;
        }
    }
    check(QStringLiteral("r2-1"));
    QVERIFY(shown > 100); // the texts do match
    check(QStringLiteral("r1-"));
    QCOMPARE(shown, 0); // the old names are gone
}

void TestResourceFilterProxyModel::keystrokeAfterCompactionIsRight()
{
    // A keystroke re-evaluates only the rows whose match changed since the last text, found by
    // their slots in the search index. A compaction gives the rows new slots: what the last text
    // matched, kept by the old slots, must not be used after it. Rows "even N" and "odd N", most
    // removed while "even" is searched (which compacts the index), then "odd" is searched. The
    // removed counts vary so that old and new slots pair rows of either kind.
    for (int removed : { 4997, 4998, 4999, 5000 }) {
        QStandardItemModel source(0, 1);
        auto *parent = new QStandardItem(QStringLiteral("parent"));
        constexpr int kRows = 6000;
        for (int c = 0; c < kRows; ++c)
            parent->appendRow(new QStandardItem(QStringLiteral("%1 %2").arg(c % 2 ? u"odd" : u"even").arg(c)));
        source.appendRow(parent);
        ResourceFilterProxyModel proxy;
        proxy.setSourceModel(&source);
        proxy.setSearchText(QStringLiteral("even"));
        parent->removeRows(kRows - removed, removed);
        proxy.setSearchText(QStringLiteral("odd"));
        const QModelIndex p = source.index(0, 0);
        int shown = 0;
        for (int c = 0; c < source.rowCount(p); ++c) {
            const QModelIndex child = source.index(c, 0, p);
            const bool expected = child.data().toString().startsWith(QLatin1String("odd"));
            QVERIFY2(proxy.mapFromSource(child).isValid() == expected,
                qPrintable(QStringLiteral("%1 removed: '%2'").arg(removed).arg(child.data().toString())));
            shown += expected;
        }
        QCOMPARE(shown, (kRows - removed) / 2);
    }
}

QTEST_GUILESS_MAIN(TestResourceFilterProxyModel)
#include "tst_resourcefilterproxymodel.moc"

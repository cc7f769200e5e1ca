#include "resourcetreeview.h"

#include "profileswatch.h"

#include "resourcefilterproxymodel.h"
#include "resourcetreemodel.h"

#include <QAction>
#include <QApplication>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLineEdit>
#include <QPainter>
#include <QSettings>
#include <QSignalBlocker>
#include <QStyledItemDelegate>

#include <numeric>

namespace {

// Adds the way out to a status row's text: the model's text says what is (or is not) there,
// the view names the key that does something about it. A name edited in place is not written
// to the model: it goes to `rename` (the view's renameRequested), and the row changes with the
// service's answer.
class PlaceholderDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    QAction *create = nullptr;
    QAction *refresh = nullptr;
    const ResourceFilterProxyModel *proxy = nullptr; // its search text is highlighted in names
    std::function<void(const QModelIndex &index, const QString &name)> rename;
    QString pendingText; // set before reopening the editor on a refused name

    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        QWidget *editor = QStyledItemDelegate::createEditor(parent, option, index);
        editor->setAccessibleName(ResourceTreeView::tr("New name"));
        return editor;
    }
    void setEditorData(QWidget *editor, const QModelIndex &index) const override
    {
        auto *line = qobject_cast<QLineEdit *>(editor);
        if (line && !pendingText.isNull()) {
            line->setText(pendingText);
            const_cast<PlaceholderDelegate *>(this)->pendingText = QString();
            return;
        }
        QStyledItemDelegate::setEditorData(editor, index);
    }
    void setModelData(QWidget *editor, QAbstractItemModel *, const QModelIndex &index) const override
    {
        const auto *line = qobject_cast<QLineEdit *>(editor);
        if (line && rename && line->text() != index.data(Qt::EditRole).toString())
            rename(index, line->text());
    }

    // A name that contains the search text: drawn as usual, but the text by hand, the matched part
    // bold on the search highlight colour. The model is not changed.
    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        const QString search = proxy ? proxy->searchText() : QString();
        if (search.isEmpty() || index.column() != ResourceTreeModel::NameColumn) {
            QStyledItemDelegate::paint(painter, option, index);
            return;
        }
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        const QString text = opt.text;
        const qsizetype at = text.indexOf(search, 0, Qt::CaseInsensitive);
        if (at < 0) {
            QStyledItemDelegate::paint(painter, option, index);
            return;
        }
        const QWidget *widget = opt.widget;
        QStyle *style = widget ? widget->style() : QApplication::style();
        const int margin = style->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, widget) + 1;
        const QRect textRect
            = style->subElementRect(QStyle::SE_ItemViewItemText, &opt, widget).adjusted(margin, 0, -margin, 0);
        opt.text.clear();
        style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

        const bool selected = opt.state & QStyle::State_Selected;
        const QColor textColor
            = opt.palette.color(QPalette::Normal, selected ? QPalette::HighlightedText : QPalette::Text);
        QFont bold = opt.font;
        bold.setBold(true);
        const QFontMetrics nfm(opt.font);
        const QFontMetrics bfm(bold);
        const QString before = text.left(at);
        const QString match = text.mid(at, search.size());
        const QString after = text.mid(at + search.size());
        const int baseline = textRect.top() + (textRect.height() - nfm.height()) / 2 + nfm.ascent();
        painter->save();
        painter->setClipRect(textRect);
        int x = textRect.left();
        painter->setFont(opt.font);
        painter->setPen(textColor);
        painter->drawText(x, baseline, before);
        x += nfm.horizontalAdvance(before);
        const QRect box(x, textRect.top() + 2, bfm.horizontalAdvance(match), textRect.height() - 4);
        painter->fillRect(box, ResourceTreeView::searchHighlightColor(opt.palette));
        painter->setFont(bold);
        painter->setPen(ResourceTreeView::searchHighlightTextColor(opt.palette));
        painter->drawText(x, baseline, match);
        x += bfm.horizontalAdvance(match);
        painter->setFont(opt.font);
        painter->setPen(textColor);
        const int room = textRect.right() - x;
        painter->drawText(
            x, baseline, nfm.horizontalAdvance(after) > room ? nfm.elidedText(after, Qt::ElideRight, room) : after);
        painter->restore();
    }

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        // All Profiles: a profile's top-level row is tinted with its colour, its swatch in front.
        if (const QColor color = index.data(ResourceTreeModel::ProfileColorRole).value<QColor>(); color.isValid()) {
            QColor tint = color;
            tint.setAlpha(56);
            option->backgroundBrush = tint;
            if (index.column() == ResourceTreeModel::NameColumn) {
                option->icon = profileSwatch(color, 14);
                option->features |= QStyleOptionViewItem::HasDecoration;
            }
        }
        if (index.column() != ResourceTreeModel::NameColumn)
            return;
        const auto type = index.data(ResourceTreeModel::PlaceholderRole).value<ResourceTreeModel::Placeholder>();
        if (type == ResourceTreeModel::Placeholder::Empty && create && !create->shortcut().isEmpty()) {
            option->text = ResourceTreeView::tr("%1: %2 (%3)")
                               .arg(option->text,
                                   createText(index.parent().data(ResourceTreeModel::KindRole).value<ResourceKind>()),
                                   create->shortcut().toString(QKeySequence::NativeText));
        } else if (type == ResourceTreeModel::Placeholder::Error && refresh && !refresh->shortcut().isEmpty()) {
            option->text = ResourceTreeView::tr("%1 Press %2 to retry.")
                               .arg(option->text, refresh->shortcut().toString(QKeySequence::NativeText));
        }
    }

private:
    static QString createText(ResourceKind parentKind)
    {
        switch (parentKind) {
        case ResourceKind::Workspace:
            return ResourceTreeView::tr("New project");
        case ResourceKind::Project:
            return ResourceTreeView::tr("New database");
        case ResourceKind::Database:
            return ResourceTreeView::tr("New connection");
        default:
            return ResourceTreeView::tr("New");
        }
    }
};

} // namespace

ResourceTreeView::ResourceTreeView(ResourceTreeModel *model, QWidget *parent)
    : QTreeView(parent), m_model(model), m_proxy(new ResourceFilterProxyModel(this))
{
    setObjectName(QStringLiteral("resourceTree"));
    setAccessibleName(tr("Resources"));
    m_proxy->setSourceModel(m_model);
    setModel(m_proxy);
    auto *delegate = new PlaceholderDelegate(this);
    delegate->proxy = m_proxy;
    delegate->rename = [this](const QModelIndex &index, const QString &name) {
        Q_EMIT renameRequested(m_proxy->mapToSource(index), name);
    };
    setItemDelegate(delegate);
    setEditTriggers(QAbstractItemView::NoEditTriggers); // renaming starts from the Rename action (F2)
    setUniformRowHeights(true);
    setSortingEnabled(true);
    sortByColumn(-1, Qt::AscendingOrder); // the service's order until the user picks a column
    setContextMenuPolicy(Qt::CustomContextMenu);
    header()->setStretchLastSection(false);
    header()->setSectionResizeMode(ResourceTreeModel::NameColumn, QHeaderView::Stretch);
    header()->setMinimumSectionSize(60);
    setColumnWidth(ResourceTreeModel::StatusColumn, 160);
    setColumnWidth(ResourceTreeModel::RegionColumn, 120);
    setColumnWidth(ResourceTreeModel::CreatedColumn, 150);

    connect(selectionModel(), &QItemSelectionModel::currentChanged, this, [this] {
        const QModelIndex current = currentSourceIndex();
        if (current.isValid())
            m_lastCurrent = current;
        Q_EMIT currentResourceChanged(current);
    });
    connect(this, &QTreeView::activated, this, [this](const QModelIndex &index) {
        const QModelIndex source = m_proxy->mapToSource(index);
        if (m_model->kind(source) == ResourceKind::Placeholder
            && !source.data(ResourceTreeModel::ErrorRole).toString().isEmpty()) {
            m_model->refresh(source.parent()); // Retry on an error row
            return;
        }
        if (m_proxy->hasChildren(index))
            setExpanded(index, !isExpanded(index));
    });
    connect(this, &QTreeView::expanded, this, [this](const QModelIndex &index) {
        m_expandedIds.insert(m_proxy->mapToSource(index).data(ResourceTreeModel::IdRole).toString());
    });
    connect(this, &QTreeView::collapsed, this, [this](const QModelIndex &index) {
        m_expandedIds.remove(m_proxy->mapToSource(index).data(ResourceTreeModel::IdRole).toString());
    });
    connect(m_model, &ResourceTreeModel::levelLoaded, this, &ResourceTreeView::onLevelLoaded);
    connect(m_model, &ResourceTreeModel::levelFailed, this, &ResourceTreeView::onLevelLoaded);
    connect(m_model, &ResourceTreeModel::bulkFinished, this, &ResourceTreeView::onBulkFinished);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex &parent, int first, int last) {
        for (int r = first; r <= last; ++r)
            spanIfPlaceholder(r, parent);
    });
    connect(m_proxy, &QAbstractItemModel::modelReset, this, [this] {
        spanPlaceholders({});
        if (m_model->isAllProfiles()) // every profile's workspace open, as one opens the first otherwise
            for (int row = 0; row < m_model->rowCount(); ++row)
                expandSource(m_model->index(row, 0));
    });
}

QColor ResourceTreeView::searchHighlightColor(const QPalette &palette)
{
    // Amber, as a find bar marks text: light on a light palette, deep on a dark one.
    return palette.color(QPalette::Base).lightness() < 128 ? QColor(0x92, 0x40, 0x0e) : QColor(0xfd, 0xe6, 0x8a);
}

QColor ResourceTreeView::searchHighlightTextColor(const QPalette &palette)
{
    return palette.color(QPalette::Base).lightness() < 128 ? QColor(0xff, 0xfb, 0xeb) : QColor(0x1f, 0x29, 0x37);
}

QModelIndex ResourceTreeView::currentSourceIndex() const
{
    return m_proxy->mapToSource(currentIndex()).siblingAtColumn(0);
}

bool ResourceTreeView::selectId(const QString &id)
{
    const QModelIndex source = m_model->indexOf(id);
    if (!source.isValid())
        return false;
    const QModelIndex index = m_proxy->mapFromSource(source);
    if (!index.isValid())
        return false;
    scrollTo(index);
    setCurrentIndex(index);
    return true;
}

void ResourceTreeView::expandSource(const QModelIndex &source)
{
    expand(m_proxy->mapFromSource(source));
}

bool ResourceTreeView::editName(const QModelIndex &source, const QString &text)
{
    const QModelIndex index = m_proxy->mapFromSource(source.siblingAtColumn(ResourceTreeModel::NameColumn));
    if (!index.isValid() || !(index.flags() & Qt::ItemIsEditable))
        return false;
    static_cast<PlaceholderDelegate *>(itemDelegate())->pendingText = text;
    scrollTo(index);
    setCurrentIndex(index);
    edit(index);
    if (state() != QAbstractItemView::EditingState) {
        static_cast<PlaceholderDelegate *>(itemDelegate())->pendingText = QString();
        return false;
    }
    return true;
}

void ResourceTreeView::setActionHints(QAction *create, QAction *refresh)
{
    auto *delegate = static_cast<PlaceholderDelegate *>(itemDelegate());
    delegate->create = create;
    delegate->refresh = refresh;
}

// --- expansion remembered per profile -----------------------------------------------------------

void ResourceTreeView::setProfile(const QString &profileId)
{
    saveExpanded();
    m_expandedIds.clear();
    m_profileKey.clear();
    if (profileId.isEmpty())
        return;
    m_profileKey = QStringLiteral("expanded/%1").arg(profileId);
    const QStringList ids = QSettings().value(m_profileKey).toStringList();
    m_expandedIds = QSet<QString>(ids.begin(), ids.end());
    restoreExpandedUnder({}); // a tree painted from the cache opens as it was left
}

void ResourceTreeView::saveExpanded()
{
    if (m_profileKey.isEmpty())
        return;
    QStringList ids(m_expandedIds.begin(), m_expandedIds.end());
    ids.removeAll(QString());
    ids.sort();
    QSettings().setValue(m_profileKey, ids);
}

void ResourceTreeView::restoreExpandedUnder(const QModelIndex &sourceParent)
{
    for (int r = 0; r < m_model->rowCount(sourceParent); ++r) {
        const QModelIndex child = m_model->index(r, 0, sourceParent);
        if (m_expandedIds.contains(child.data(ResourceTreeModel::IdRole).toString())) {
            expandSource(child);
            restoreExpandedUnder(child); // rows already there (from the cache) open too
        }
    }
}

void ResourceTreeView::whenFirstLevelsLoaded(std::function<void()> ready)
{
    m_firstLevelsReady.push_back(std::move(ready));
}

bool ResourceTreeView::firstLevelsLoaded() const
{
    using FS = ResourceTreeModel::FetchState;
    const FS root = m_model->fetchState({});
    if (root == FS::Failed)
        return true;
    if (root != FS::Fetched)
        return false;
    const QModelIndex first = m_model->index(0, 0);
    if (!first.isValid() || m_model->kind(first) != ResourceKind::Workspace)
        return true;
    const FS projects = m_model->fetchState(first);
    return projects == FS::Fetched || projects == FS::Failed;
}

void ResourceTreeView::onLevelLoaded(const QModelIndex &parent)
{
    restoreExpandedUnder(parent);
    if (!parent.isValid()) {
        // Workspaces are in: open the first one, as a user would.
        const QModelIndex first = m_model->index(0, 0);
        if (first.isValid() && m_model->kind(first) == ResourceKind::Workspace) {
            expandSource(first);
            if (!currentIndex().isValid())
                setCurrentIndex(m_proxy->mapFromSource(first));
            if (m_model->fetchState(first) != ResourceTreeModel::FetchState::Fetched)
                return;
        }
    }
    if (!m_firstLevelsReady.empty() && (!parent.isValid() || m_model->kind(parent) == ResourceKind::Workspace)) {
        const auto ready = std::exchange(m_firstLevelsReady, {});
        for (const auto &r : ready)
            r();
    }
}

// --- status rows --------------------------------------------------------------------------------

// Status and empty-state rows read across the whole width. True for such a row.
bool ResourceTreeView::spanIfPlaceholder(int row, const QModelIndex &parent)
{
    if (m_model->kind(m_proxy->mapToSource(m_proxy->index(row, 0, parent))) != ResourceKind::Placeholder)
        return false;
    setFirstColumnSpanned(row, parent, true);
    return true;
}

// After a reset of the view, every placeholder row (they are hidden while searching).
void ResourceTreeView::spanPlaceholders(const QModelIndex &parent)
{
    if (!m_proxy->searchText().isEmpty())
        return;
    for (int r = 0, rows = m_proxy->rowCount(parent); r < rows; ++r)
        if (!spanIfPlaceholder(r, parent))
            spanPlaceholders(m_proxy->index(r, 0, parent));
}

// --- search -------------------------------------------------------------------------------------

QString ResourceTreeView::searchText() const
{
    return m_proxy->searchText();
}

bool ResourceTreeView::setSearchText(const QString &text)
{
    if (text.trimmed() == m_proxy->searchText())
        return false;
    // The proxy applies a new text as a reset (the rows whose match changed, see
    // ResourceFilterProxyModel): the view forgets its expansion and selection, so both are
    // restored here, once per keystroke.
    m_proxy->setSearchText(text);
    bool loading = false;
    if (m_proxy->searchText().isEmpty()) {
        m_searchOpensEveryBranch = true;
        for (const QString &id : std::as_const(m_expandedIds)) // what the user had opened
            if (const QModelIndex source = m_model->indexOf(id); source.isValid())
                expandSource(source);
    } else {
        if (!m_model->isLoadingAll() && !m_model->isComplete() && m_model->hasClient()) {
            loading = true;
            m_model->loadAll(); // search covers the whole account
        }
        expandSearchResults();
    }
    restoreCurrent();
    return loading;
}

void ResourceTreeView::onBulkFinished()
{
    if (m_proxy->searchText().isEmpty())
        return;
    expandSearchResults();
    if (!currentIndex().isValid())
        restoreCurrent(); // it may have been loaded just now
}

void ResourceTreeView::restoreCurrent()
{
    if (const QModelIndex current = m_proxy->mapFromSource(m_lastCurrent); current.isValid()) {
        setCurrentIndex(current);
        scrollTo(current);
    } else {
        Q_EMIT currentResourceChanged({}); // the current row is filtered out
    }
}

void ResourceTreeView::expandSearchResults()
{
    // Every row shown is a match or leads to one, so every branch is opened, as long as that makes
    // at most searchRowsOpened() rows; past that, the levels that fit.
    const std::vector<int> perDepth = m_proxy->visibleRowsPerDepth();
    int rows = perDepth.empty() ? 0 : perDepth.front();
    size_t levels = 1;
    while (levels < perDepth.size() && rows + perDepth[levels] <= m_searchRowsOpened)
        rows += perDepth[levels++];
    m_searchOpensEveryBranch = levels >= perDepth.size();
    {
        // expandAll() emits expanded() for each row it opens: blocked, so that what a search opens
        // is not remembered as the user's own.
        const QSignalBlocker blocker(this);
        if (m_searchOpensEveryBranch)
            expandAll();
        else if (levels > 1)
            expandToDepth(int(levels) - 2);
    }
    Q_EMIT searchResultsOpened(m_searchOpensEveryBranch, std::accumulate(perDepth.cbegin(), perDepth.cend(), 0));
}

// --- keys ---------------------------------------------------------------------------------------

bool ResourceTreeView::event(QEvent *event)
{
    // Ctrl+C is ours (the copy action), not QAbstractItemView's "copy the cell's text".
    if (event->type() == QEvent::ShortcutOverride && m_copyAction
        && static_cast<QKeyEvent *>(event)->matches(QKeySequence::Copy)) {
        event->accept();
        return true;
    }
    return QTreeView::event(event);
}

void ResourceTreeView::keyPressEvent(QKeyEvent *event)
{
    if (m_copyAction && event->matches(QKeySequence::Copy)) {
        m_copyAction->trigger();
        event->accept();
        return;
    }
    QTreeView::keyPressEvent(event);
}

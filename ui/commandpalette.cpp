#include "commandpalette.h"

#include <QAbstractListModel>
#include <QApplication>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPainter>
#include <QStyledItemDelegate>
#include <QVBoxLayout>

namespace {

enum Role { MatchesRole = Qt::UserRole + 1, HintRole };

QString kindName(ResourceKind kind)
{
    switch (kind) {
    case ResourceKind::Workspace:
        return CommandPalette::tr("workspace");
    case ResourceKind::Project:
        return CommandPalette::tr("project");
    case ResourceKind::Database:
        return CommandPalette::tr("database");
    case ResourceKind::Connection:
        return CommandPalette::tr("connection");
    case ResourceKind::Placeholder:
        break;
    }
    return {};
}

QIcon kindIcon(ResourceKind kind)
{
    switch (kind) {
    case ResourceKind::Workspace:
        return QIcon(QStringLiteral(":/icons/workspace.svg"));
    case ResourceKind::Project:
        return QIcon(QStringLiteral(":/icons/project.svg"));
    case ResourceKind::Database:
        return QIcon(QStringLiteral(":/icons/database.svg"));
    case ResourceKind::Connection:
        return QIcon(QStringLiteral(":/icons/connection.svg"));
    case ResourceKind::Placeholder:
        break;
    }
    return {};
}

// Draws a row: its icon, its text with the matched characters in bold, and its hint (the kind and
// id of a resource, the shortcut of an action) at the right in a quieter colour.
class PaletteDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        QSize s = QStyledItemDelegate::sizeHint(option, index);
        s.setHeight(std::max(s.height(), option.fontMetrics.height() + 10));
        return s;
    }

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        const QWidget *widget = opt.widget;
        QStyle *style = widget ? widget->style() : QApplication::style();
        const QString text = opt.text;
        const QIcon icon = opt.icon;
        opt.text.clear();
        opt.icon = QIcon();
        style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

        const bool selected = opt.state & QStyle::State_Selected;
        const QPalette::ColorGroup group = opt.state & QStyle::State_Enabled ? QPalette::Normal : QPalette::Disabled;
        const QColor textColor = opt.palette.color(group, selected ? QPalette::HighlightedText : QPalette::Text);
        QRect r = opt.rect.adjusted(8, 0, -8, 0);
        painter->save();
        const int iconSize = 16;
        if (!icon.isNull())
            icon.paint(painter, QRect(r.left(), r.center().y() - iconSize / 2 + 1, iconSize, iconSize));
        r.setLeft(r.left() + iconSize + 8);

        // The hint first, so the text knows the room left.
        const QString hint = index.data(HintRole).toString();
        QFont hintFont = opt.font;
        hintFont.setPointSizeF(hintFont.pointSizeF() * 0.9);
        const QFontMetrics hfm(hintFont);
        const int hintWidth = hint.isEmpty() ? 0 : std::min(hfm.horizontalAdvance(hint) + 4, r.width() / 2);
        if (hintWidth > 0) {
            QColor hintColor = textColor;
            hintColor.setAlphaF(0.65);
            painter->setFont(hintFont);
            painter->setPen(hintColor);
            painter->drawText(QRect(r.right() - hintWidth, r.top(), hintWidth, r.height()),
                Qt::AlignRight | Qt::AlignVCenter, hfm.elidedText(hint, Qt::ElideMiddle, hintWidth));
            r.setRight(r.right() - hintWidth - 12);
        }

        // The text in runs: matched characters bold (and in the link colour when not selected).
        const QList<int> matches = index.data(MatchesRole).value<QList<int>>();
        QFont bold = opt.font;
        bold.setBold(true);
        const QColor matchColor = selected ? textColor : opt.palette.color(group, QPalette::Link);
        int x = r.left();
        const QFontMetrics nfm(opt.font);
        const QFontMetrics bfm(bold);
        const int baseline = r.top() + (r.height() - nfm.height()) / 2 + nfm.ascent();
        qsizetype i = 0;
        qsizetype m = 0;
        while (i < text.size() && x < r.right()) {
            const bool matched = m < matches.size() && matches[m] == i;
            qsizetype j = i + 1;
            if (matched) {
                ++m;
                while (j < text.size() && m < matches.size() && matches[m] == j) {
                    ++j;
                    ++m;
                }
            } else {
                while (j < text.size() && !(m < matches.size() && matches[m] == j))
                    ++j;
            }
            QString run = text.mid(i, j - i);
            const QFontMetrics &fm = matched ? bfm : nfm;
            const int room = r.right() - x;
            if (fm.horizontalAdvance(run) > room)
                run = fm.elidedText(run, Qt::ElideRight, room);
            painter->setFont(matched ? bold : opt.font);
            painter->setPen(matched ? matchColor : textColor);
            painter->drawText(x, baseline, run);
            x += fm.horizontalAdvance(run);
            i = j;
        }
        painter->restore();
    }
};

} // namespace

// The rows shown: at most kMaxRows hits with their text, matched positions, hint and icon.
class PaletteListModel : public QAbstractListModel
{
public:
    struct Row
    {
        CommandPaletteIndex::Hit hit;
        QString text;
        QList<int> matches;
        QString hint;
        QIcon icon;
    };
    using QAbstractListModel::QAbstractListModel;
    std::vector<Row> rows;

    void setRows(std::vector<Row> r)
    {
        beginResetModel();
        rows = std::move(r);
        endResetModel();
    }
    int rowCount(const QModelIndex &parent = {}) const override { return parent.isValid() ? 0 : int(rows.size()); }
    QVariant data(const QModelIndex &index, int role) const override
    {
        if (!index.isValid() || size_t(index.row()) >= rows.size())
            return {};
        const Row &r = rows[size_t(index.row())];
        switch (role) {
        case Qt::DisplayRole:
            return r.text;
        case Qt::AccessibleTextRole:
            return r.hint.isEmpty() ? r.text : CommandPalette::tr("%1, %2").arg(r.text, r.hint);
        case Qt::DecorationRole:
            return r.icon;
        case MatchesRole:
            return QVariant::fromValue(r.matches);
        case HintRole:
            return r.hint;
        default:
            return {};
        }
    }
};

CommandPalette::CommandPalette(CommandPaletteIndex *index, QWidget *window)
    : QFrame(window, Qt::Popup | Qt::FramelessWindowHint)
    , m_index(index)
    , m_field(new QLineEdit(this))
    , m_list(new QListView(this))
    , m_count(new QLabel(this))
    , m_model(new PaletteListModel(this))
{
    setObjectName(QStringLiteral("commandPalette"));
    setAccessibleName(tr("Command palette"));
    setFrameShape(QFrame::StyledPanel);
    setAttribute(Qt::WA_WindowPropagation);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->setSpacing(6);
    m_field->setObjectName(QStringLiteral("paletteField"));
    m_field->setAccessibleName(tr("Find a resource or an action"));
    m_field->setPlaceholderText(tr("Find a resource or an action: names, ids, “new database”, “backups”…"));
    m_field->setClearButtonEnabled(true);
    QFont f = m_field->font();
    f.setPointSizeF(f.pointSizeF() * 1.15);
    m_field->setFont(f);
    m_field->installEventFilter(this);
    layout->addWidget(m_field);
    m_list->setObjectName(QStringLiteral("paletteList"));
    m_list->setAccessibleName(tr("Matches"));
    m_list->setModel(m_model);
    m_list->setItemDelegate(new PaletteDelegate(m_list));
    m_list->setUniformItemSizes(true);
    m_list->setFocusPolicy(Qt::NoFocus); // the field keeps the focus; Up and Down reach the list
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_list->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    layout->addWidget(m_list, 1);
    m_count->setObjectName(QStringLiteral("paletteCount"));
    QPalette quiet = m_count->palette();
    quiet.setColor(QPalette::WindowText, quiet.color(QPalette::PlaceholderText));
    m_count->setPalette(quiet);
    layout->addWidget(m_count);
    connect(m_field, &QLineEdit::textChanged, this, &CommandPalette::search);
    connect(m_list, &QListView::clicked, this, [this](const QModelIndex &i) { choose(i.row()); });
}

CommandPalette::~CommandPalette() = default;

void CommandPalette::popup(const QString &text)
{
    QWidget *window = parentWidget();
    const QRect area = window->rect();
    const int width = std::clamp(area.width() * 3 / 5, std::min(560, area.width() - 16), 820);
    const int height = std::clamp(area.height() * 3 / 5, 240, 520);
    const QPoint topLeft = window->mapToGlobal(QPoint((area.width() - width) / 2, std::min(72, area.height() / 8)));
    setGeometry(QRect(topLeft, QSize(width, height)));
    m_field->setText(text);
    search(text); // also when the text did not change: the index may have
    m_field->selectAll();
    show();
    raise();
    activateWindow();
    m_field->setFocus(Qt::PopupFocusReason);
}

void CommandPalette::refresh()
{
    const int row = m_list->currentIndex().row();
    search(m_field->text());
    if (row > 0 && row < m_model->rowCount())
        m_list->setCurrentIndex(m_model->index(row));
}

QList<CommandPaletteIndex::Hit> CommandPalette::hits() const
{
    QList<CommandPaletteIndex::Hit> out;
    for (const auto &r : m_model->rows)
        out.append(r.hit);
    return out;
}

QString CommandPalette::rowText(int row) const
{
    return size_t(row) < m_model->rows.size() ? m_model->rows[size_t(row)].text : QString();
}

QList<int> CommandPalette::rowMatches(int row) const
{
    return size_t(row) < m_model->rows.size() ? m_model->rows[size_t(row)].matches : QList<int>();
}

void CommandPalette::search(const QString &text)
{
    const QList<CommandPaletteIndex::Hit> hits = m_index->search(text, kMaxRows);
    std::vector<PaletteListModel::Row> rows;
    rows.reserve(size_t(hits.size()));
    for (const CommandPaletteIndex::Hit &h : hits) {
        PaletteListModel::Row row;
        row.hit = h;
        row.text = m_index->text(h);
        row.matches = m_index->matchPositions(h, text);
        switch (h.type) {
        case CommandPaletteIndex::Type::Resource:
            row.hint = tr("%1 · %2").arg(kindName(m_index->resourceKind(h.resource)), m_index->resourceId(h.resource));
            row.icon = kindIcon(m_index->resourceKind(h.resource));
            break;
        case CommandPaletteIndex::Type::Verb:
            row.hint = m_index->verbs()[size_t(h.item)].hint;
            row.icon = kindIcon(m_index->resourceKind(h.resource));
            break;
        case CommandPaletteIndex::Type::Command:
            row.hint = m_index->commands()[size_t(h.item)].hint;
            break;
        }
        rows.push_back(std::move(row));
    }
    m_model->setRows(std::move(rows));
    if (!m_model->rows.empty())
        m_list->setCurrentIndex(m_model->index(0));
    const int matched = m_index->lastMatchCount();
    m_count->setText(text.trimmed().isEmpty() ? tr("Type to find resources and actions; Enter runs, Esc closes.")
            : matched == 0                    ? tr("Nothing matches.")
            : matched > kMaxRows              ? tr("%n match(es), the best %1 shown", nullptr, matched).arg(kMaxRows)
                                              : tr("%n match(es)", nullptr, matched));
}

void CommandPalette::choose(int row)
{
    if (row < 0 || size_t(row) >= m_model->rows.size())
        return;
    const CommandPaletteIndex::Hit hit = m_model->rows[size_t(row)].hit;
    hide();
    Q_EMIT chosen(hit);
}

bool CommandPalette::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_field && event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        switch (key->key()) {
        case Qt::Key_Escape:
            hide();
            return true;
        case Qt::Key_Return:
        case Qt::Key_Enter:
            choose(m_list->currentIndex().row());
            return true;
        case Qt::Key_Up:
        case Qt::Key_Down:
        case Qt::Key_PageUp:
        case Qt::Key_PageDown:
            QApplication::sendEvent(m_list, event);
            return true;
        default:
            break;
        }
    }
    return QFrame::eventFilter(watched, event);
}

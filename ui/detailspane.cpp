#include "detailspane.h"

#include "accountqueries.h"
#include "resourcetreemodel.h"

#include <QApplication>
#include <QClipboard>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace {
QString endpointText(const std::optional<Endpoint> &e)
{
    return e ? QStringLiteral("%1:%2").arg(e->host).arg(e->port) : QString();
}
} // namespace

DetailsPane::DetailsPane(AccountQueries *queries, QWidget *parent) : QWidget(parent), m_queries(queries)
{
    auto *layout = new QVBoxLayout(this);
    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("detailsTitle"));
    QFont f = m_title->font();
    f.setPointSizeF(f.pointSizeF() * 1.3);
    f.setBold(true);
    m_title->setFont(f);
    m_title->setWordWrap(true);
    layout->addWidget(m_title);
    m_actionRow = new QWidget(this);
    m_actionRow->setObjectName(QStringLiteral("detailsActions"));
    // Up to three buttons a row, so a database's five fit the pane at its usual width.
    m_actionLayout = new QGridLayout(m_actionRow);
    m_actionLayout->setContentsMargins(0, 2, 0, 6);
    m_actionLayout->setSpacing(4);
    m_actionLayout->setColumnStretch(kActionsPerRow, 1);
    m_actionRow->hide();
    layout->addWidget(m_actionRow);
    m_form = new QFormLayout;
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    layout->addLayout(m_form);

    m_backupSection = new QWidget(this);
    auto *backups = new QVBoxLayout(m_backupSection);
    backups->setContentsMargins(0, 8, 0, 0);
    auto *heading = new QLabel(tr("Backups"), m_backupSection);
    QFont hf = heading->font();
    hf.setBold(true);
    heading->setFont(hf);
    backups->addWidget(heading);
    m_backupState = new QLabel(m_backupSection);
    m_backupState->setWordWrap(true);
    m_backupState->setTextInteractionFlags(Qt::TextSelectableByMouse);
    backups->addWidget(m_backupState);
    m_backupList = new QTreeWidget(m_backupSection);
    m_backupList->setObjectName(QStringLiteral("backupList"));
    m_backupList->setAccessibleName(tr("Backups"));
    m_backupList->setRootIsDecorated(false);
    m_backupList->setWordWrap(true);
    // The list takes the room the fields above leave (they keep their wrapped height), at least a
    // few backups' worth.
    m_backupList->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Ignored);
    m_backupList->setMinimumHeight(m_backupList->fontMetrics().height() * 9);
    m_backupList->setHeaderLabels({ tr("Taken"), tr("Size"), tr("Type"), tr("Status") });
    m_backupList->header()->setStretchLastSection(false);
    m_backupList->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    for (int c = 1; c < 4; ++c)
        m_backupList->header()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    m_backupList->setSelectionMode(QAbstractItemView::SingleSelection);
    connect(m_backupList, &QTreeWidget::itemActivated, this, [this] { Q_EMIT backupActivated(); });
    backups->addWidget(m_backupList, 1);
    backups->addStretch(0); // takes the room when the list is hidden (no backups): the text stays on top
    layout->addWidget(m_backupSection, 1);
    layout->addStretch(0);
    setAccessibleName(tr("Details"));
    setMinimumWidth(280);
    show(nullptr, QModelIndex());
}

QString DetailsPane::relativeTime(const QDateTime &when, const QDateTime &now)
{
    const qint64 s = when.secsTo(now);
    if (s < 60)
        return tr("just now");
    if (s < 3600)
        return tr("%n minute(s) ago", nullptr, int(s / 60));
    if (s < 86400)
        return tr("%n hour(s) ago", nullptr, int(s / 3600));
    if (s < 86400 * 60)
        return tr("%n day(s) ago", nullptr, int(s / 86400));
    if (s < 86400 * 730)
        return tr("%n month(s) ago", nullptr, int(s / (86400 * 30)));
    return tr("%n year(s) ago", nullptr, int(s / (86400 * 365)));
}

void DetailsPane::setActionProvider(std::function<QList<QAction *>(ResourceKind)> provider)
{
    m_actionProvider = std::move(provider);
    const ResourceKind kind = m_actionKind;
    m_actionKind = ResourceKind::Placeholder;
    showActions(kind);
}

QList<QToolButton *> DetailsPane::actionButtons() const
{
    return m_actionRow->findChildren<QToolButton *>(QString(), Qt::FindDirectChildrenOnly);
}

void DetailsPane::showActions(ResourceKind kind)
{
    if (kind == m_actionKind && !actionButtons().isEmpty())
        return; // the same buttons: each follows its action's text and enablement by itself
    m_actionKind = kind;
    qDeleteAll(actionButtons());
    const QList<QAction *> actions = m_actionProvider ? m_actionProvider(kind) : QList<QAction *>();
    for (int i = 0; i < actions.size(); ++i) {
        auto *button = new QToolButton(m_actionRow);
        button->setDefaultAction(actions[i]);
        button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        button->setAutoRaise(false);
        button->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
        m_actionLayout->addWidget(button, i / kActionsPerRow, i % kActionsPerRow);
        button->show(); // the row may be on screen already
    }
    m_actionRow->setVisible(!actions.isEmpty());
}

void DetailsPane::clearRows()
{
    while (m_form->rowCount() > 0)
        m_form->removeRow(0);
}

QLabel *DetailsPane::addRow(const QString &label, const QString &value)
{
    if (value.isEmpty())
        return nullptr;
    auto *v = new QLabel(value, this);
    v->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    v->setWordWrap(true);
    v->setAccessibleName(label);
    m_form->addRow(label, v);
    return v;
}

void DetailsPane::addIdRow(const QString &label, const QString &id)
{
    auto *row = new QWidget(this);
    auto *h = new QHBoxLayout(row);
    h->setContentsMargins(0, 0, 0, 0);
    auto *v = new QLabel(id, row);
    v->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    v->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    h->addWidget(v);
    auto *copy = new QToolButton(row);
    copy->setText(tr("Copy"));
    copy->setToolTip(tr("Copy %1").arg(id));
    copy->setAccessibleName(tr("Copy %1").arg(label));
    h->addWidget(copy);
    h->addStretch(1);
    connect(copy, &QToolButton::clicked, this, [this, id] {
        QApplication::clipboard()->setText(id);
        Q_EMIT copied(id);
    });
    m_form->addRow(label, row);
}

void DetailsPane::addLinkRow(const QString &label, const QString &id, const QString &name)
{
    if (id.isEmpty())
        return;
    auto *v = new QLabel(
        QStringLiteral("<a href=\"%1\">%2</a>").arg(id.toHtmlEscaped(), (name.isEmpty() ? id : name).toHtmlEscaped()),
        this);
    v->setTextInteractionFlags(Qt::LinksAccessibleByMouse | Qt::LinksAccessibleByKeyboard);
    v->setToolTip(id);
    connect(v, &QLabel::linkActivated, this, &DetailsPane::linkActivated);
    m_form->addRow(label, v);
}

void DetailsPane::addTimeRow(const QDateTime &when)
{
    if (!when.isValid())
        return;
    const QDateTime local = when.toLocalTime();
    addRow(tr("Created:"),
        tr("%1 (%2)").arg(
            QLocale().toString(local, QLocale::LongFormat), relativeTime(when, QDateTime::currentDateTimeUtc())));
}

namespace {
QString signatureOf(const ResourceTreeModel *model, const QModelIndex &index)
{
    if (!model || !index.isValid())
        return {};
    return index.data(ResourceTreeModel::IdRole).toString() + u'\n' + index.data(ResourceTreeModel::NameRole).toString()
        + u'\n' + model->data(index.siblingAtColumn(ResourceTreeModel::StatusColumn)).toString();
}
} // namespace

void DetailsPane::showIfChanged(const ResourceTreeModel *model, const QModelIndex &index)
{
    if (signatureOf(model, index) != m_signature)
        show(model, index);
}

void DetailsPane::show(const ResourceTreeModel *model, const QModelIndex &index)
{
    m_signature = signatureOf(model, index);
    clearRows();
    const QString wasShown = m_shownId;
    m_shownId.clear();
    m_backupSection->hide();
    if (!model || !index.isValid() || model->kind(index) == ResourceKind::Placeholder) {
        m_title->setText(tr("Select a workspace, project, database or connection to see its details."));
        showActions(ResourceKind::Placeholder);
        return;
    }
    showActions(model->kind(index));
    const bool isProtected = model->isProtected(index);
    if (const Workspace *w = model->workspace(index)) {
        m_title->setText(tr("Workspace %1").arg(w->name));
        addIdRow(tr("ID:"), w->id);
        addTimeRow(w->createdAt);
        loadPlan(w->id, addRow(tr("Plan:"), tr("loading…")));
    } else if (const Project *p = model->project(index)) {
        m_title->setText(tr("Project %1").arg(p->name));
        addIdRow(tr("ID:"), p->id);
        addLinkRow(tr("Workspace:"), p->workspace.id, p->workspace.name);
        addRow(tr("Default region:"), p->defaultRegion);
        addRow(tr("Deletion:"), isProtected ? tr("Protected") : tr("Allowed"));
        addTimeRow(p->createdAt);
    } else if (const Database *d = model->database(index)) {
        m_title->setText(tr("Database %1").arg(d->name));
        addIdRow(tr("ID:"), d->id);
        addRow(tr("Status:"), model->data(index.siblingAtColumn(ResourceTreeModel::StatusColumn)).toString());
        addRow(tr("Default:"), d->isDefault ? tr("Yes: the project's default database (cannot be deleted)") : tr("No"));
        addRow(tr("Region:"),
            d->region ? (d->region->name.isEmpty() ? d->region->id
                                                   : QStringLiteral("%1 (%2)").arg(d->region->name, d->region->id))
                      : QString());
        addLinkRow(tr("Project:"), d->project.id, d->project.name);
        addRow(tr("Connections:"), QString::number(model->connectionNames(index).size()));
        if (!d->defaultConnectionId.isEmpty())
            addIdRow(tr("Default connection:"), d->defaultConnectionId);
        addTimeRow(d->createdAt);
        m_operations = addRow(tr("Operations:"), tr("loading…"));
        m_storage = addRow(tr("Storage:"), tr("loading…"));
        loadUsage(d->id);
        if (wasShown != d->id) {
            m_backups.clear();
            m_backupList->clear();
            m_backupState->setText(tr("loading…"));
        }
        m_backupSection->show();
        loadBackups(d->id);
    } else if (const Connection *c = model->connection(index)) {
        m_title->setText(tr("Connection %1").arg(c->name));
        addIdRow(tr("ID:"), c->id);
        addRow(tr("Kind:"), c->kind);
        addRow(tr("Direct endpoint:"), endpointText(c->direct));
        addRow(tr("Pooled endpoint:"), endpointText(c->pooled));
        addRow(tr("Accelerate endpoint:"), endpointText(c->accelerate));
        addLinkRow(tr("Database:"), c->database.id, c->database.name);
        addTimeRow(c->createdAt);
    }
}

void DetailsPane::loadPlan(const QString &workspaceId, QLabel *label)
{
    if (!m_queries)
        return;
    m_queries->subscription(workspaceId, this, [label = QPointer<QLabel>(label)](Result<Subscription> r) {
        if (!label)
            return; // the selection moved on
        if (!r.ok())
            label->setText(tr("unavailable: %1").arg(r.error().userMessage()));
        else if (r.value().usageBlocked)
            label->setText(tr("%1 (usage blocked: its databases refuse queries)").arg(r.value().planName));
        else
            label->setText(r.value().planName);
    });
}

void DetailsPane::loadUsage(const QString &databaseId)
{
    m_shownId = databaseId;
    if (!m_queries)
        return;
    m_queries->usage(databaseId, this, [this, databaseId](Result<Usage> r) {
        if (m_shownId != databaseId || !m_operations || !m_storage)
            return; // the selection moved on
        if (!r.ok()) {
            const QString text = tr("unavailable: %1").arg(r.error().userMessage());
            m_operations->setText(text);
            m_storage->setText(text);
            return;
        }
        const Usage &u = r.value();
        const QString period
            = tr("since %1").arg(QLocale().toString(u.periodStart.toLocalTime().date(), QLocale::ShortFormat));
        m_operations->setText(tr("%1 ops %2").arg(QLocale().toString(qint64(u.operations)), period));
        m_storage->setText(tr("%1 GiB").arg(QLocale().toString(u.storageGiB, 'f', 4)));
    });
}

std::optional<Backup> DetailsPane::selectedBackup() const
{
    const QTreeWidgetItem *item = m_backupList->currentItem();
    if (!item || m_shownId.isEmpty())
        return std::nullopt;
    const int i = item->data(0, Qt::UserRole).toInt();
    if (i < 0 || i >= int(m_backups.size()))
        return std::nullopt;
    return m_backups[size_t(i)];
}

void DetailsPane::reloadBackups()
{
    if (!m_shownId.isEmpty())
        loadBackups(m_shownId);
}

void DetailsPane::loadBackups(const QString &databaseId)
{
    if (!m_queries)
        return;
    m_queries->backups(databaseId, this, [this, databaseId](Result<BackupList> r) {
        if (m_shownId != databaseId)
            return; // the selection moved on
        if (!r.ok()) {
            m_backups.clear();
            m_backupList->clear();
            m_backupList->hide();
            m_backupState->setText(tr("Backups are unavailable: %1").arg(r.error().userMessage()));
        } else {
            showBackups(r.value());
        }
        Q_EMIT backupsLoaded();
    });
}

void DetailsPane::showBackups(const BackupList &list)
{
    const QString selected = selectedBackup() ? selectedBackup()->id : QString();
    m_backups = list.items;
    m_backupList->clear();
    const QString kept = list.retentionDays > 0
        ? tr("The service takes a backup of this database once a day and keeps each for %n day(s).", nullptr,
            list.retentionDays)
        : tr("The service takes a backup of this database once a day.");
    if (m_backups.empty()) {
        m_backupList->hide();
        m_backupState->setText(tr("No backups yet. %1 The first one is taken within a day of the database's "
                                  "creation, then after each day in which its data changed.")
                                   .arg(kept));
        return;
    }
    m_backupState->setText(
        kept + (list.hasMore ? tr(" Only the newest %n are listed.", nullptr, int(m_backups.size())) : QString()));
    m_backupList->show();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QTreeWidgetItem *current = nullptr;
    for (size_t i = 0; i < m_backups.size(); ++i) {
        const Backup &b = m_backups[i];
        QString status = b.statusText;
        switch (b.status) {
        case Backup::Status::Running:
            status = tr("running");
            break;
        case Backup::Status::Completed:
            status = tr("completed");
            break;
        case Backup::Status::Failed:
            status = tr("failed");
            break;
        case Backup::Status::Unknown:
            break;
        }
        auto *item = new QTreeWidgetItem(m_backupList,
            { tr("%1\n%2").arg(
                  QLocale().toString(b.createdAt.toLocalTime(), QLocale::ShortFormat), relativeTime(b.createdAt, now)),
                b.size ? QLocale().formattedDataSize(qint64(*b.size)) : tr("—"), b.typeText, status });
        item->setData(0, Qt::UserRole, int(i));
        item->setToolTip(
            0, tr("Backup %1, taken %2").arg(b.id, QLocale().toString(b.createdAt.toLocalTime(), QLocale::LongFormat)));
        item->setTextAlignment(1, Qt::AlignRight | Qt::AlignVCenter);
        if (b.id == selected)
            current = item;
    }
    m_backupList->setCurrentItem(current ? current : m_backupList->topLevelItem(0));
}

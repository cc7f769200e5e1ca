#include "detailspane.h"

#include "accountqueries.h"
#include "resourcetreemodel.h"

#include <QApplication>
#include <QClipboard>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QToolButton>
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
    m_form = new QFormLayout;
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    layout->addLayout(m_form);
    layout->addStretch(1);
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

void DetailsPane::show(const ResourceTreeModel *model, const QModelIndex &index)
{
    clearRows();
    m_shownId.clear();
    if (!model || !index.isValid() || model->kind(index) == ResourceKind::Placeholder) {
        m_title->setText(tr("Select a workspace, project, database or connection to see its details."));
        return;
    }
    const bool isProtected = model->isProtected(index);
    if (const Workspace *w = model->workspace(index)) {
        m_title->setText(tr("Workspace %1").arg(w->name));
        addIdRow(tr("ID:"), w->id);
        addTimeRow(w->createdAt);
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
        addRow(tr("Connections:"), QString::number(d->connections.size()));
        if (!d->defaultConnectionId.isEmpty())
            addIdRow(tr("Default connection:"), d->defaultConnectionId);
        addTimeRow(d->createdAt);
        m_operations = addRow(tr("Operations:"), tr("loading…"));
        m_storage = addRow(tr("Storage:"), tr("loading…"));
        loadUsage(d->id);
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

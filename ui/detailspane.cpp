#include "detailspane.h"

#include "resourcetreemodel.h"

#include <QFormLayout>
#include <QLabel>
#include <QLocale>
#include <QVBoxLayout>

namespace {
QString when(const QDateTime &t)
{
    if (!t.isValid())
        return {};
    return QLocale().toString(t.toLocalTime(), QLocale::LongFormat);
}

QString endpointText(const std::optional<Endpoint> &e)
{
    return e ? QStringLiteral("%1:%2").arg(e->host).arg(e->port) : QString();
}
} // namespace

DetailsPane::DetailsPane(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    m_title = new QLabel(this);
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
    show(nullptr, QModelIndex());
}

void DetailsPane::clearRows()
{
    while (m_form->rowCount() > 0)
        m_form->removeRow(0);
}

void DetailsPane::addRow(const QString &label, const QString &value)
{
    if (value.isEmpty())
        return;
    auto *v = new QLabel(value, this);
    v->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    v->setWordWrap(true);
    m_form->addRow(label, v);
}

void DetailsPane::show(const ResourceTreeModel *model, const QModelIndex &index)
{
    clearRows();
    if (!model || !index.isValid() || model->kind(index) == ResourceTreeModel::Kind::Placeholder) {
        m_title->setText(tr("Select a workspace, project, database or connection to see its details."));
        return;
    }
    if (const Workspace *w = model->workspace(index)) {
        m_title->setText(tr("Workspace %1").arg(w->name));
        addRow(tr("ID:"), w->id);
        addRow(tr("Created:"), when(w->createdAt));
    } else if (const Project *p = model->project(index)) {
        m_title->setText(tr("Project %1").arg(p->name));
        addRow(tr("ID:"), p->id);
        addRow(tr("Workspace:"), p->workspace.name.isEmpty() ? p->workspace.id : p->workspace.name);
        addRow(tr("Default region:"), p->defaultRegion);
        addRow(tr("Created:"), when(p->createdAt));
    } else if (const Database *d = model->database(index)) {
        m_title->setText(tr("Database %1").arg(d->name));
        addRow(tr("ID:"), d->id);
        addRow(tr("Status:"), d->statusText);
        addRow(tr("Default:"), d->isDefault ? tr("Yes: the project's default database") : tr("No"));
        addRow(tr("Region:"), d->region ? (d->region->name.isEmpty() ? d->region->id : d->region->name) : QString());
        addRow(tr("Project:"), d->project.name.isEmpty() ? d->project.id : d->project.name);
        addRow(tr("Connections:"), QString::number(d->connections.size()));
        addRow(tr("Created:"), when(d->createdAt));
    } else if (const Connection *c = model->connection(index)) {
        m_title->setText(tr("Connection %1").arg(c->name));
        addRow(tr("ID:"), c->id);
        addRow(tr("Kind:"), c->kind);
        addRow(tr("Direct endpoint:"), endpointText(c->direct));
        addRow(tr("Pooled endpoint:"), endpointText(c->pooled));
        addRow(tr("Accelerate endpoint:"), endpointText(c->accelerate));
        addRow(tr("Database:"), c->database.name.isEmpty() ? c->database.id : c->database.name);
        addRow(tr("Created:"), when(c->createdAt));
    }
}

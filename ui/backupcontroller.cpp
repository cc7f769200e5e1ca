#include "backupcontroller.h"

#include "consolecore.h"
#include "detailspane.h"
#include "resourcetreeview.h"
#include "restoredialog.h"

#include <QPointer>
#include <QTreeWidget>

BackupController::BackupController(ConsoleCore *core, ResourceTreeView *tree, DetailsPane *details, QWidget *window)
    : QObject(window), m_core(core), m_tree(tree), m_details(details), m_window(window)
{ }

bool BackupController::allowed(const RestoreVerdict &verdict)
{
    if (!verdict.allowed() && !verdict.explanation.isEmpty())
        Q_EMIT statusMessage(verdict.explanation, 8000);
    return verdict.allowed() && m_core->sessions.session();
}

void BackupController::restoreIntoNewDatabase()
{
    const QModelIndex index = m_tree->currentSourceIndex();
    if (!allowed(RestorePolicy::checkNewDatabase(m_core->model, index)))
        return;
    withBackups(index, [this, index = QPersistentModelIndex(index)](const std::vector<Backup> &backups) {
        openDialog(RestorePlan::Mode::NewDatabase, index, backups);
    });
}

void BackupController::restoreInPlace()
{
    const QModelIndex index = m_tree->currentSourceIndex();
    if (!allowed(RestorePolicy::checkInPlace(m_core->model, index)))
        return;
    withBackups(index, [this, index = QPersistentModelIndex(index)](const std::vector<Backup> &backups) {
        openDialog(RestorePlan::Mode::InPlace, index, backups);
    });
}

void BackupController::cloneDatabase()
{
    const QModelIndex index = m_tree->currentSourceIndex();
    if (!allowed(RestorePolicy::checkClone(m_core->model, index)))
        return;
    openDialog(RestorePlan::Mode::Clone, index, {});
}

void BackupController::showBackups()
{
    if (!m_core->model.database(m_tree->currentSourceIndex()))
        return;
    QWidget *list = m_details->backupList();
    for (QWidget *w = m_details; w; w = w->parentWidget())
        w->show();
    if (list->isVisible())
        list->setFocus(Qt::ShortcutFocusReason);
    else
        m_details->setFocus(Qt::ShortcutFocusReason);
}

void BackupController::withBackups(const QModelIndex &index, std::function<void(const std::vector<Backup> &)> open)
{
    const Database *d = m_core->model.database(index);
    if (!d)
        return;
    const QString name = d->name;
    auto offer = [this, name, open = std::move(open)](const std::vector<Backup> &backups) {
        for (const Backup &b : backups)
            if (RestorePolicy::usable(b))
                return open(backups);
        Q_EMIT statusMessage(tr("No completed backup of “%1” yet: the service takes one each day in which its data "
                                "changed.")
                                 .arg(name),
            10000);
    };
    if (m_details->shownDatabaseId() == d->id && !m_details->backups().empty())
        return offer(m_details->backups());
    Q_EMIT statusMessage(tr("Listing the backups of “%1”…").arg(name), 0);
    m_core->queries.backups(d->id, this, [this, name, offer](Result<BackupList> r) {
        if (!r.ok()) {
            Q_EMIT statusMessage(
                tr("The backups of “%1” could not be listed: %2").arg(name, r.error().userMessage()), 15000);
            return;
        }
        Q_EMIT statusMessage(QString(), 0);
        offer(r.value().items);
    });
}

void BackupController::openDialog(RestorePlan::Mode mode, const QModelIndex &index, const std::vector<Backup> &backups)
{
    const Database *d = m_core->model.database(index);
    if (!d)
        return;
    QString preselected;
    if (m_details->shownDatabaseId() == d->id)
        if (const std::optional<Backup> b = m_details->selectedBackup())
            preselected = b->id;
    const ResourceTreeModel *model = &m_core->model;
    const QPersistentModelIndex at(index);
    auto planFor = [model, at, mode](const Backup *backup) -> std::optional<RestorePlan> {
        switch (mode) {
        case RestorePlan::Mode::NewDatabase:
            return backup ? RestorePolicy::newDatabasePlan(*model, at, *backup) : std::nullopt;
        case RestorePlan::Mode::InPlace:
            return backup ? RestorePolicy::inPlacePlan(*model, at, *backup) : std::nullopt;
        case RestorePlan::Mode::Clone:
            return RestorePolicy::clonePlan(*model, at);
        }
        return std::nullopt;
    };
    auto *dialog = new RestoreDialog(mode, backups, preselected, planFor, m_window);
    dialog->setObjectName(QStringLiteral("restoreDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (mode != RestorePlan::Mode::InPlace)
        m_core->queries.regions(dialog, [dialog = QPointer<RestoreDialog>(dialog)](Result<std::vector<Region>> r) {
            if (dialog && r.ok())
                dialog->setRegions(r.value());
        });
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const std::optional<RestorePlan> plan = dialog->plan();
        if (!plan)
            return;
        if (plan->mode == RestorePlan::Mode::InPlace) {
            m_core->workflows.restoreInPlace(plan->databaseId, plan->databaseName, plan->databaseId, plan->backupId);
            return;
        }
        CreateDatabaseRequest request = plan->request(dialog->name());
        request.region = dialog->region();
        m_core->workflows.createDatabaseFrom(plan->projectId, request, plan->databaseName);
    });
    dialog->open();
}

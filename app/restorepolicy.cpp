#include "restorepolicy.h"

#include "resourcetreemodel.h"

#include <QLocale>

namespace {

// Refused while the database is provisioning or recovering; nullopt when it is not busy.
std::optional<RestoreVerdict> busyVerdict(const Database &d)
{
    if (d.status != Database::Status::Provisioning && d.status != Database::Status::Recovering)
        return std::nullopt;
    return RestoreVerdict { RestoreVerdict::Reason::Busy,
        RestorePolicy::tr("The database “%1” is %2: wait until it is ready.").arg(d.name, d.statusText) };
}

QString whenText(const QDateTime &t)
{
    return QLocale().toString(t.toLocalTime(), QLocale::ShortFormat);
}

// The base of a new database: its source's project and region.
RestorePlan basePlan(
    const ResourceTreeModel &model, const QModelIndex &index, const Database &d, RestorePlan::Mode mode)
{
    RestorePlan plan;
    plan.mode = mode;
    plan.projectId = d.project.id;
    plan.databaseId = d.id;
    plan.databaseName = d.name;
    plan.region = d.region ? d.region->id : QString();
    plan.connections = int(model.connectionNames(index).size());
    return plan;
}

} // namespace

CreateDatabaseRequest RestorePlan::request(const QString &name) const
{
    CreateDatabaseRequest r;
    r.name = name;
    r.region = region;
    r.source = mode == Mode::Clone ? DataSource::database(databaseId) : DataSource::backup(databaseId, backupId);
    return r;
}

RestoreVerdict RestorePolicy::checkNewDatabase(const ResourceTreeModel &model, const QModelIndex &index)
{
    if (!model.database(index))
        return {};
    return { RestoreVerdict::Reason::None, {} };
}

RestoreVerdict RestorePolicy::checkInPlace(const ResourceTreeModel &model, const QModelIndex &index)
{
    const Database *d = model.database(index);
    if (!d)
        return {};
    if (const auto refused = busyVerdict(*d))
        return *refused;
    if (model.isProtected(index))
        return { RestoreVerdict::Reason::Protected,
            tr("Protected: restoring in place overwrites the data of “%1”. Choose Resource > Allow Deletion first, "
               "or restore into a new database.")
                .arg(d->name) };
    return { RestoreVerdict::Reason::None, {} };
}

RestoreVerdict RestorePolicy::checkClone(const ResourceTreeModel &model, const QModelIndex &index)
{
    const Database *d = model.database(index);
    if (!d)
        return {};
    if (const auto refused = busyVerdict(*d))
        return *refused;
    return { RestoreVerdict::Reason::None, {} };
}

std::optional<RestorePlan> RestorePolicy::newDatabasePlan(
    const ResourceTreeModel &model, const QModelIndex &index, const Backup &backup)
{
    const Database *d = model.database(index);
    if (!d || !checkNewDatabase(model, index).allowed() || !usable(backup))
        return std::nullopt;
    RestorePlan plan = basePlan(model, index, *d, RestorePlan::Mode::NewDatabase);
    plan.backupId = backup.id;
    plan.backupCreatedAt = backup.createdAt;
    plan.suggestedName
        = tr("%1 (restored %2)")
              .arg(d->name, QLocale().toString(backup.createdAt.toLocalTime().date(), QLocale::ShortFormat));
    return plan;
}

std::optional<RestorePlan> RestorePolicy::inPlacePlan(
    const ResourceTreeModel &model, const QModelIndex &index, const Backup &backup)
{
    const Database *d = model.database(index);
    if (!d || !checkInPlace(model, index).allowed() || !usable(backup))
        return std::nullopt;
    RestorePlan plan = basePlan(model, index, *d, RestorePlan::Mode::InPlace);
    plan.backupId = backup.id;
    plan.backupCreatedAt = backup.createdAt;
    plan.consequences
        << tr("Every table and row of “%1” is replaced by the backup of %2.").arg(d->name, whenText(backup.createdAt))
        << tr("Whatever was written since %1 is lost, for good.").arg(whenText(backup.createdAt))
        << tr("Open sessions are ended while the data is replaced.")
        << tr("%n connection(s) keep their connection strings and credentials.", nullptr, plan.connections);
    return plan;
}

std::optional<RestorePlan> RestorePolicy::clonePlan(const ResourceTreeModel &model, const QModelIndex &index)
{
    const Database *d = model.database(index);
    if (!d || !checkClone(model, index).allowed())
        return std::nullopt;
    RestorePlan plan = basePlan(model, index, *d, RestorePlan::Mode::Clone);
    plan.suggestedName = tr("%1 (clone)").arg(d->name);
    return plan;
}

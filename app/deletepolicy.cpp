#include "deletepolicy.h"

#include "resourcetreemodel.h"

namespace {

QString databaseLine(const ResourceTreeModel &model, const QModelIndex &index, const Database &d)
{
    return DeletePolicy::tr("Database “%1” with %n connection(s)", nullptr, int(model.connectionNames(index).size()))
        .arg(d.name);
}

} // namespace

DeleteVerdict DeletePolicy::check(const ResourceTreeModel &model, const QModelIndex &index)
{
    switch (model.kind(index)) {
    case ResourceKind::Placeholder:
        return { DeleteVerdict::Reason::NotAResource, {} };
    case ResourceKind::Workspace:
        return { DeleteVerdict::Reason::Workspace, tr("Workspaces are managed in the Prisma Console.") };
    case ResourceKind::Database:
        if (const Database *d = model.database(index); d && d->isDefault)
            return { DeleteVerdict::Reason::DefaultDatabase,
                tr("The default database of a project cannot be deleted: the service refuses it. Delete the project "
                   "instead.") };
        [[fallthrough]];
    case ResourceKind::Project:
        if (model.isProtected(index))
            return { DeleteVerdict::Reason::Protected,
                tr("Protected from deletion. Choose Resource > Allow Deletion first.") };
        return { DeleteVerdict::Reason::None, {} };
    case ResourceKind::Connection:
        return { DeleteVerdict::Reason::None, {} };
    }
    return {};
}

std::optional<DeletePlan> DeletePolicy::plan(const ResourceTreeModel &model, const QModelIndex &index)
{
    if (!check(model, index).allowed())
        return std::nullopt;
    DeletePlan plan;
    plan.kind = model.kind(index);
    if (const Project *p = model.project(index)) {
        plan.id = p->id;
        plan.name = p->name;
        plan.typedConfirmation = true;
        plan.consequences << tr("Project “%1”").arg(p->name);
        for (int r = 0; r < model.rowCount(index); ++r) {
            const QModelIndex database = model.index(r, 0, index);
            if (const Database *d = model.database(database))
                plan.consequences << databaseLine(model, database, *d);
        }
        if (model.fetchState(index) != ResourceTreeModel::FetchState::Fetched)
            plan.consequences << tr("Its default database and every connection to it");
    } else if (const Database *d = model.database(index)) {
        plan.id = d->id;
        plan.name = d->name;
        plan.typedConfirmation = true;
        plan.consequences << tr("Database “%1” and all its data").arg(d->name);
        for (const QString &connection : model.connectionNames(index))
            plan.consequences << tr("Connection “%1”").arg(connection);
    } else if (const Connection *c = model.connection(index)) {
        plan.id = c->id;
        plan.name = c->name;
        plan.consequences << tr("Connection “%1” and its credentials").arg(c->name);
    } else {
        return std::nullopt;
    }
    return plan;
}

QList<DeletePlan> DeletePolicy::otherDatabases(const ResourceTreeModel &model, const QString &projectId)
{
    QList<DeletePlan> plans;
    const QModelIndex project = model.indexOf(projectId);
    for (int r = 0; r < model.rowCount(project); ++r) {
        const QModelIndex database = model.index(r, 0, project);
        const Database *d = model.database(database);
        if (d && !d->isDefault)
            plans.append({ ResourceKind::Database, d->id, d->name, { databaseLine(model, database, *d) }, true });
    }
    return plans;
}

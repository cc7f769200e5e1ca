// DeletePolicy: whether the resource behind a row of the tree may be deleted, and why not; what a
// delete takes with it; which databases stand in the way of a project's delete. Policy only: no
// widget, no request (ResourceWorkflows sends the DELETE), so tests reach it without a window.
//
// Rules: workspaces are managed in the Prisma Console; the default database of a project cannot
// be deleted (DELETE /v1/databases/{id} answers 403); projects and databases are protected until
// protection is lifted (DeleteProtection, reflected in ResourceTreeModel::isProtected); projects
// and databases are confirmed by typing their name, connections by a plain confirmation.
#pragma once

#include "resources.h"

#include <QCoreApplication>
#include <QList>
#include <QStringList>

#include <optional>

class QModelIndex;
class ResourceTreeModel;

struct DeleteVerdict
{
    enum class Reason { None, NotAResource, Workspace, DefaultDatabase, Protected };
    Reason reason = Reason::NotAResource;
    QString explanation; // for people (translated); empty when allowed or not a resource
    bool allowed() const { return reason == Reason::None; }
};

// What the confirmation shows and what ResourceWorkflows::deleteResource() needs.
struct DeletePlan
{
    ResourceKind kind = ResourceKind::Placeholder;
    QString id;
    QString name;
    QStringList consequences; // one line per thing that goes (translated)
    bool typedConfirmation = false; // the user types the name to confirm
};

class DeletePolicy
{
    Q_DECLARE_TR_FUNCTIONS(DeletePolicy)
public:
    static DeleteVerdict check(const ResourceTreeModel &model, const QModelIndex &index);
    // The plan for deleting the row's resource; nullopt unless check() allows it.
    static std::optional<DeletePlan> plan(const ResourceTreeModel &model, const QModelIndex &index);
    // After a project's delete was refused (400): its loaded databases other than the default,
    // one plan each (as loaded; the user confirms the list).
    static QList<DeletePlan> otherDatabases(const ResourceTreeModel &model, const QString &projectId);
};

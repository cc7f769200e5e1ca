// RestorePolicy: what may be done with a database's data, and what each way back does: restore a
// backup into a new database (the default, safe path), restore a backup in place (destructive),
// clone the database as it is now. Policy only: no widget, no request (ResourceWorkflows sends
// them), so tests reach it without a window.
//
// Rules: only a database row qualifies. A restore in place overwrites the database's data, so it
// is refused while the database is protected (DeleteProtection, as for a delete: lift it with
// Resource > Allow Deletion) and while the database is provisioning or recovering (the service
// answers 409); it is confirmed by typing the database's name. A clone is refused while the
// database is provisioning or recovering (its data is moving). Only completed backups can be
// restored. A new database is named after its source and takes its region and project.
#pragma once

#include "resources.h"

#include <QCoreApplication>
#include <QStringList>

#include <optional>

class QModelIndex;
class ResourceTreeModel;

struct RestoreVerdict
{
    enum class Reason { None, NotADatabase, Busy, Protected };
    Reason reason = Reason::NotADatabase;
    QString explanation; // for people (translated); empty when allowed or not a database
    bool allowed() const { return reason == Reason::None; }
};

// What a dialog shows and what ResourceWorkflows needs.
struct RestorePlan
{
    enum class Mode { NewDatabase, InPlace, Clone };
    Mode mode = Mode::NewDatabase;
    QString projectId;
    QString databaseId; // the source (NewDatabase, Clone) or the target (InPlace)
    QString databaseName;
    QString backupId; // NewDatabase, InPlace
    QDateTime backupCreatedAt; // NewDatabase, InPlace
    QString suggestedName; // NewDatabase, Clone: the new database's name, to edit
    QString region; // NewDatabase, Clone: the source's region id ("" when unknown: the project's)
    QStringList consequences; // InPlace: what is overwritten and what stays (translated)
    int connections = 0; // InPlace: connections that keep their credentials

    // The request for ResourceWorkflows::createDatabaseFrom() (NewDatabase, Clone) with `name`.
    CreateDatabaseRequest request(const QString &name) const;
};

class RestorePolicy
{
    Q_DECLARE_TR_FUNCTIONS(RestorePolicy)
public:
    static RestoreVerdict checkNewDatabase(const ResourceTreeModel &model, const QModelIndex &index);
    static RestoreVerdict checkInPlace(const ResourceTreeModel &model, const QModelIndex &index);
    static RestoreVerdict checkClone(const ResourceTreeModel &model, const QModelIndex &index);
    // A backup that can be restored: completed.
    static bool usable(const Backup &backup) { return backup.status == Backup::Status::Completed; }

    // Each plan is nullopt unless its check allows it (and, with a backup, the backup is usable).
    static std::optional<RestorePlan> newDatabasePlan(
        const ResourceTreeModel &model, const QModelIndex &index, const Backup &backup);
    static std::optional<RestorePlan> inPlacePlan(
        const ResourceTreeModel &model, const QModelIndex &index, const Backup &backup);
    static std::optional<RestorePlan> clonePlan(const ResourceTreeModel &model, const QModelIndex &index);
};

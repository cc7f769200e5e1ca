#pragma once
// Backups: the sandbox's backups of real data, and the slow work behind restores and clones.
//
// A backup is PostgreSQL's own archive of a database: `pg_dump --format=custom` into
// <folder>/<database id>/<backup id>.dump, its size the archive's size in bytes. It is put back
// with `pg_restore --no-owner --no-privileges --role=<owner> --single-transaction`, so whatever
// it holds belongs to the receiving database's owner role, which every connection of that
// database acts as. The programs come from PostgreSQL's bin folder (PgCluster::findBinDir()).
//
// - take(): a backup on demand (POST /_sandbox/databases/{id}/backups) or on schedule: "running"
//   at once, "completed" (or "failed") when pg_dump ends.
// - restoreInPlace(): POST /v1/databases/{id}/restore. The database is "recovering" while the
//   archive is restored into a scratch database beside it; then the old database is dropped (its
//   sessions ended) and the scratch one takes its name, and its connections' roles act as the
//   owner inside it again, so every connection string keeps working. Then "ready"; "failure" if
//   any step fails, the old data left in place. Making, dropping and renaming databases run
//   through psql, asynchronously like the rest: DROP DATABASE waits for a checkpoint.
// - createFrom(): a new database from a backup or a clone of another database (pg_dump of it,
//   then pg_restore): "provisioning" until the data is in, then "ready" (or "failure").
// - The schedule: every min(interval / 2, 60 s), each real database older than the interval that
//   has no backup younger than the interval and changed since its last completed one (or has
//   none; pg_stat_database's inserted, updated and deleted tuples) gets a backup; backups older than the retention
//   period are deleted with their archives; archives without a record (a deleted database's) are removed.
//
// Slow work never blocks the event loop: the tools run as asynchronous QProcesses, one job at a
// time in the order asked (a restore waits for the backup asked before it); the records are
// read and changed on the main thread's session, between the steps.
// At start(), work a stop interrupted is failed: running backups become "failed" (their partial
// archives removed), databases left provisioning or recovering become "failure"; a scratch
// database left behind was already dropped by schema::reconcile().
// Errors: StoreResult with the status the API answers (409 while data moves into the database,
// 422 for a database without real data or a backup that cannot be used, 500 for the state).
// Threading: the main thread (the StateStore's).

#include "records.h"
#include "sqlsession.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

class QProcess;
class QTimer;
class StateStore;

class Backups : public QObject
{
    Q_OBJECT
public:
    struct Settings
    {
        QString folder; // where the archives go: <folder>/<database id>/<backup id>.dump
        QString binDir; // PostgreSQL's programs (pg_dump, pg_restore)
        qint64 intervalMs = 24LL * 3600 * 1000; // a database that changed gets a backup this often
        int retentionDays = 7; // meta.backupRetentionDays; older backups are deleted
        int provisioningMs = 1000; // the server's: a database this young is still provisioning
    };

    Backups(StateStore &store, const Settings &settings, QObject *parent = nullptr);
    ~Backups() override; // ends a running tool; its work is failed at the next start()

    // Fails what a stop interrupted, sweeps the folder, then starts the schedule.
    void start();
    int retentionDays() const { return m_settings.retentionDays; }
    bool idle() const; // no job running or queued

    // Removes, from the event loop, the archives that no backup record names any more (call it
    // after a database was deleted: its backups went with it).
    void sweepSoon();
    // A full backup of `db`, "running" until pg_dump has written it.
    StoreResult<BackupRow> take(const DatabaseRow &db);
    // The archive of `backup` exists and it completed.
    bool usable(const BackupRow &backup) const;
    // Restores `backup` into `target` in place; `target` as it is now ("recovering").
    StoreResult<DatabaseRow> restoreInPlace(const DatabaseRow &target, const BackupRow &backup);
    // A new database of `project` holding the data of `backup` (source type "backup") or of
    // `sourceDb` as it is now (source type "database"); "provisioning" until the data is in.
    StoreResult<IssuedDatabase> createFrom(const ProjectRow &project, const QString &name, const QString &region,
        bool isDefault, const DatabaseSource &source, const DatabaseRow &sourceDb,
        const std::optional<BackupRow> &backup);

private:
    // One step of a job: a PostgreSQL program (`program` with `args`, or with the arguments
    // `lazyArgs` gives when the step starts, which may fail the job instead) or, when `sql` is
    // set, a quick file operation on the main thread.
    struct Step
    {
        QString program;
        QStringList args;
        std::function<SqlResult<>()> sql;
        std::function<SqlResult<QStringList>()> lazyArgs;
    };
    struct Job
    {
        QString what; // for the log: "backup bkp_... of db_..."
        QList<Step> steps;
        std::function<void(const QString &error)> finish; // error empty: every step succeeded
    };

    QString archivePath(const QString &databaseId, const QString &backupId) const;
    QString scratchPath(const QString &name) const;
    Step dump(const QString &pgName, const QString &file) const;
    Step restore(const QString &file, const QString &pgName, const QString &ownerRole) const;
    // psql's arguments to run `statements` on the state database, each in its own transaction
    // (CREATE, DROP and ALTER DATABASE cannot run in one), stopping at the first that fails.
    QStringList psql(const QStringList &statements) const;
    void enqueue(Job job);
    void runNext();
    void advance();
    void endJob(const QString &error);
    void tick(); // retention, sweep, scheduled backups
    void sweep();

    StateStore &m_store;
    Settings m_settings;
    QTimer *m_timer = nullptr;
    QList<Job> m_queue;
    Job m_current;
    int m_nextStep = 0;
    bool m_running = false;
    QProcess *m_process = nullptr;
};

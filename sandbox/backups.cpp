#include "backups.h"

#include "statestore.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QSet>
#include <QTimer>

#include <algorithm>
#include <tuple>
#include <utility>

namespace {
qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

constexpr qint64 kDayMs = 24LL * 3600 * 1000;

bool movingIn(const QString &status)
{
    return status == QLatin1String("provisioning") || status == QLatin1String("recovering");
}
} // namespace

Backups::Backups(StateStore &store, const Settings &settings, QObject *parent)
    : QObject(parent), m_store(store), m_settings(settings)
{ }

Backups::~Backups()
{
    if (m_process) {
        m_process->disconnect(this);
        m_process->kill();
        m_process->waitForFinished(3000);
    }
}

void Backups::start()
{
    QDir().mkpath(m_settings.folder);
    for (const QString &id : m_store.failInterruptedWork())
        qWarning("ppg-sandbox: backup %s was interrupted by a stop: failed", qPrintable(id));
    QDir(scratchPath(QString())).removeRecursively();
    sweep();
    m_timer = new QTimer(this);
    m_timer->setInterval(static_cast<int>(std::clamp<qint64>(m_settings.intervalMs / 2, 100, 60000)));
    connect(m_timer, &QTimer::timeout, this, &Backups::tick);
    m_timer->start();
    tick();
}

bool Backups::idle() const
{
    return !m_running && m_queue.isEmpty();
}

void Backups::sweepSoon()
{
    QTimer::singleShot(0, this, &Backups::sweep);
}

QString Backups::archivePath(const QString &databaseId, const QString &backupId) const
{
    return QStringLiteral("%1/%2/%3.dump").arg(m_settings.folder, databaseId, backupId);
}

QString Backups::scratchPath(const QString &name) const
{
    return m_settings.folder + QStringLiteral("/scratch/") + name;
}

Backups::Step Backups::dump(const QString &pgName, const QString &file) const
{
    return Step { QStringLiteral("pg_dump"),
        { QStringLiteral("--no-password"), QStringLiteral("--format=custom"), QStringLiteral("--file=") + file,
            QStringLiteral("--dbname=") + pgName },
        {}, {} };
}

QStringList Backups::psql(const QStringList &statements) const
{
    QStringList args { QStringLiteral("--no-psqlrc"), QStringLiteral("--quiet"), QStringLiteral("--no-password"),
        QStringLiteral("--set=ON_ERROR_STOP=1"), QStringLiteral("--dbname=") + m_store.target().dbname };
    for (const QString &statement : statements)
        args << QStringLiteral("--command=") + statement;
    return args;
}

Backups::Step Backups::restore(const QString &file, const QString &pgName, const QString &ownerRole) const
{
    return Step { QStringLiteral("pg_restore"),
        { QStringLiteral("--no-password"), QStringLiteral("--no-owner"), QStringLiteral("--no-privileges"),
            QStringLiteral("--role=") + ownerRole, QStringLiteral("--exit-on-error"),
            QStringLiteral("--single-transaction"), QStringLiteral("--dbname=") + pgName, file },
        {}, {} };
}

StoreResult<BackupRow> Backups::take(const DatabaseRow &db)
{
    if (db.seeded || db.pgName.isNull())
        return fail(StoreError { 422, QStringLiteral("validation_error"),
            QStringLiteral("A seeded database holds no data to back up."), {} });
    if (movingIn(db.statusAt(nowMs(), m_settings.provisioningMs)))
        return fail(
            StoreError { 409, QStringLiteral("conflict"), QStringLiteral("The database is provisioning or recovering."),
                QStringLiteral("Wait until its status is ready, then try again.") });
    BackupRow backup;
    backup.databaseId = db.id;
    backup.status = QStringLiteral("running");
    backup.createdMs = nowMs();
    backup.changeMark = m_store.changeMarks().value(db.pgName);
    if (const SqlResult<> r = m_store.insertBackup(backup); !r) {
        qWarning("ppg-sandbox: cannot record a backup: %s", qPrintable(r.error()));
        return fail(StoreError {});
    }
    const QString file = archivePath(db.id, backup.id);
    const QString part = file + QStringLiteral(".part");
    QDir().mkpath(QFileInfo(file).path());
    const QString id = backup.id;
    Step publish;
    publish.sql = [part, file]() -> SqlResult<> {
        if (!QFile::rename(part, file))
            return fail(QStringLiteral("cannot rename %1").arg(part));
        return Done {};
    };
    enqueue(Job { QStringLiteral("backup %1 of %2").arg(id, db.id), { dump(db.pgName, part), publish },
        [this, id, part, file](const QString &error) {
            if (!error.isEmpty()) {
                QFile::remove(part);
                QFile::remove(file);
            }
            if (const StoreResult<> r = m_store.finishBackup(id, error.isEmpty(), QFileInfo(file).size()); !r)
                qWarning("ppg-sandbox: cannot record backup %s: %s", qPrintable(id), qPrintable(r.error().message));
        } });
    return backup;
}

bool Backups::usable(const BackupRow &backup) const
{
    return backup.status == QLatin1String("completed") && QFileInfo::exists(archivePath(backup.databaseId, backup.id));
}

StoreResult<DatabaseRow> Backups::restoreInPlace(const DatabaseRow &target, const BackupRow &backup)
{
    if (target.seeded || target.pgName.isNull())
        return fail(StoreError { 422, QStringLiteral("validation_error"),
            QStringLiteral("A seeded database has no real database to restore into."), {} });
    if (!usable(backup))
        return fail(StoreError { 422, QStringLiteral("validation_error"),
            QStringLiteral("Backup %1 cannot be restored (status %2).").arg(backup.id, backup.status),
            QStringLiteral("Only completed backups can be restored.") });
    if (movingIn(target.statusAt(nowMs(), m_settings.provisioningMs)))
        return fail(StoreError { 409, QStringLiteral("conflict"),
            QStringLiteral("The database is provisioning or recovering and cannot be restored now."),
            QStringLiteral("Wait until its status is ready, then try again.") });
    if (StoreResult<> r
        = m_store.beginRestore(target, DatabaseSource { QStringLiteral("backup"), backup.databaseId, backup.id });
        !r)
        return r.failure();

    const QString targetId = target.id;
    const QString scratch = target.pgName + QStringLiteral("_restore");
    const QString owner = target.ownerRole;
    Step makeScratch { QStringLiteral("psql"),
        psql({ QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(quoteIdent(scratch)),
            QStringLiteral("CREATE DATABASE %1 OWNER %2").arg(quoteIdent(scratch), quoteIdent(owner)),
            QStringLiteral("REVOKE CONNECT, TEMPORARY ON DATABASE %1 FROM PUBLIC").arg(quoteIdent(scratch)) }),
        {}, {} };
    // DROP DATABASE ends the target's sessions (WITH (FORCE)) and takes its per-database role
    // settings with it: each connection's "act as the owner" is set again on the renamed one,
    // for the connections the database has when the swap comes.
    Step swap;
    swap.program = QStringLiteral("psql");
    swap.lazyArgs = [this, targetId, scratch]() -> SqlResult<QStringList> {
        const std::optional<DatabaseRow> now = m_store.databaseById(targetId);
        if (!now)
            return fail(QStringLiteral("the database was deleted during the restore"));
        QStringList statements { QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(quoteIdent(now->pgName)),
            QStringLiteral("ALTER DATABASE %1 RENAME TO %2").arg(quoteIdent(scratch), quoteIdent(now->pgName)) };
        for (const QString &role : m_store.loginRoles(targetId))
            statements << QStringLiteral("ALTER ROLE %1 IN DATABASE %2 SET role = %3")
                              .arg(quoteIdent(role), quoteIdent(now->pgName), quoteLiteral(now->ownerRole));
        return psql(statements);
    };
    enqueue(Job { QStringLiteral("restore of %1 into %2").arg(backup.id, targetId),
        { makeScratch, restore(archivePath(backup.databaseId, backup.id), scratch, owner), swap },
        [this, targetId, scratch](const QString &error) {
            if (!error.isEmpty()) {
                if (const SqlResult<> r = m_store.dropScratchDatabase(scratch); !r)
                    qWarning("ppg-sandbox: cannot drop %s: %s", qPrintable(scratch), qPrintable(r.error()));
            }
            std::ignore = m_store.setDatabaseStatus(targetId, error.isEmpty() ? QString() : QStringLiteral("failure"));
        } });
    const std::optional<DatabaseRow> now = m_store.databaseById(targetId);
    if (!now)
        return fail(StoreError {});
    return *now;
}

StoreResult<IssuedDatabase> Backups::createFrom(const ProjectRow &project, const QString &name, const QString &region,
    bool isDefault, const DatabaseSource &source, const DatabaseRow &sourceDb, const std::optional<BackupRow> &backup)
{
    if (sourceDb.seeded || sourceDb.pgName.isNull())
        return fail(StoreError { 400, QStringLiteral("bad_request"),
            QStringLiteral("Database %1 is seeded: it holds no data to copy.").arg(sourceDb.id), {} });
    if (backup && !usable(*backup))
        return fail(StoreError { 400, QStringLiteral("bad_request"),
            QStringLiteral("Backup %1 cannot be restored (status %2).").arg(backup->id, backup->status),
            QStringLiteral("Only completed backups can be restored.") });
    if (!backup && movingIn(sourceDb.statusAt(nowMs(), m_settings.provisioningMs)))
        return fail(StoreError { 400, QStringLiteral("bad_request"),
            QStringLiteral("Database %1 is provisioning or recovering: it cannot be cloned now.").arg(sourceDb.id),
            QStringLiteral("Wait until its status is ready, then try again.") });

    StoreResult<IssuedDatabase> created = m_store.createDatabase(project, name, region, isDefault, source);
    if (!created)
        return created;
    const DatabaseRow &db = created->row;
    QList<Step> steps;
    QString file;
    QString scratchFile;
    if (backup) {
        file = archivePath(backup->databaseId, backup->id);
    } else {
        QDir().mkpath(scratchPath(QString()));
        scratchFile = scratchPath(db.id + QStringLiteral(".dump"));
        file = scratchFile;
        steps << dump(sourceDb.pgName, scratchFile);
    }
    steps << restore(file, db.pgName, db.ownerRole);
    const QString id = db.id;
    enqueue(Job {
        QStringLiteral("%1 of %2 into new database %3")
            .arg(backup ? QStringLiteral("restore") : QStringLiteral("clone"), backup ? backup->id : sourceDb.id, id),
        steps, [this, id, scratchFile](const QString &error) {
            if (!scratchFile.isEmpty())
                QFile::remove(scratchFile);
            std::ignore = m_store.setDatabaseStatus(id, error.isEmpty() ? QString() : QStringLiteral("failure"));
        } });
    return created;
}

void Backups::enqueue(Job job)
{
    m_queue.append(std::move(job));
    // From the event loop: the request that asked is answered first.
    QTimer::singleShot(0, this, &Backups::runNext);
}

void Backups::runNext()
{
    if (m_running || m_queue.isEmpty())
        return;
    m_current = m_queue.takeFirst();
    m_nextStep = 0;
    m_running = true;
    advance();
}

// Runs the current job's steps from m_nextStep: SQL steps at once, a program asynchronously
// (its finished() signal comes back here).
void Backups::advance()
{
    while (m_nextStep < m_current.steps.size()) {
        const Step step = m_current.steps.at(m_nextStep++);
        if (step.sql) {
            if (const SqlResult<> r = step.sql(); !r)
                return endJob(r.error());
            continue;
        }
        QStringList args = step.args;
        if (step.lazyArgs) {
            const SqlResult<QStringList> made = step.lazyArgs();
            if (!made)
                return endJob(made.error());
            args = *made;
        }
        auto *process = new QProcess(this);
        m_process = process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        const PostgresTarget &target = m_store.target();
        env.insert(QStringLiteral("PGHOST"), target.host);
        env.insert(QStringLiteral("PGPORT"), QString::number(target.port));
        env.insert(QStringLiteral("PGUSER"), target.user);
        env.insert(QStringLiteral("PGAPPNAME"), QStringLiteral("ppg-sandbox-backups"));
        if (!target.password.isEmpty())
            env.insert(QStringLiteral("PGPASSWORD"), target.password);
        env.remove(QStringLiteral("PGDATABASE"));
        env.remove(QStringLiteral("PGSERVICE"));
        process->setProcessEnvironment(env);
        process->setProcessChannelMode(QProcess::MergedChannels);
        connect(process, &QProcess::finished, this, [this, process](int code, QProcess::ExitStatus status) {
            if (process != m_process)
                return;
            m_process = nullptr;
            process->deleteLater();
            const QString out = QString::fromLocal8Bit(process->readAll()).trimmed();
            if (status != QProcess::NormalExit || code != 0)
                return endJob(QStringLiteral("%1 failed (exit %2): %3").arg(process->program()).arg(code).arg(out));
            advance();
        });
        connect(process, &QProcess::errorOccurred, this, [this, process](QProcess::ProcessError e) {
            if (e != QProcess::FailedToStart || process != m_process)
                return;
            m_process = nullptr;
            process->deleteLater();
            endJob(QStringLiteral("cannot start %1: %2").arg(process->program(), process->errorString()));
        });
        process->start(m_settings.binDir + QLatin1Char('/') + step.program, args);
        return;
    }
    endJob(QString());
}

void Backups::endJob(const QString &error)
{
    if (!error.isEmpty())
        qWarning("ppg-sandbox: %s failed: %s", qPrintable(m_current.what), qPrintable(error));
    if (m_current.finish)
        m_current.finish(error);
    m_current = Job {};
    m_running = false;
    QTimer::singleShot(0, this, &Backups::runNext);
}

void Backups::tick()
{
    const qint64 now = nowMs();
    for (const auto &[databaseId, backupId] : m_store.deleteBackupsBefore(now - m_settings.retentionDays * kDayMs))
        QFile::remove(archivePath(databaseId, backupId));
    sweep();
    const QList<QPair<DatabaseRow, qint64>> due
        = m_store.databasesDueForBackup(now - m_settings.intervalMs, now - m_settings.intervalMs);
    if (due.isEmpty())
        return;
    const QHash<QString, qint64> marks = m_store.changeMarks();
    for (const auto &[db, lastMark] : due) {
        if (lastMark >= 0 && marks.value(db.pgName, -1) == lastMark)
            continue; // unchanged since its last backup
        if (const StoreResult<BackupRow> r = take(db); !r)
            qWarning("ppg-sandbox: no scheduled backup of %s: %s", qPrintable(db.id), qPrintable(r.error().message));
    }
}

// Archives without a record: a deleted database's, or an expired backup whose file outlived it.
void Backups::sweep()
{
    const QStringList known = m_store.backupIds();
    const QSet<QString> ids(known.begin(), known.end());
    const QDir folder(m_settings.folder);
    for (const QString &dir : folder.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        if (!dir.startsWith(QLatin1String("db_")))
            continue;
        QDir sub(folder.filePath(dir));
        for (const QString &file : sub.entryList(QDir::Files)) {
            if (!ids.contains(file.section(QLatin1Char('.'), 0, 0)))
                sub.remove(file);
        }
        if (sub.isEmpty())
            folder.rmdir(dir);
    }
}

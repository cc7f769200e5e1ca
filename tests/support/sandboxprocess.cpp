#include "sandboxprocess.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>

#include <libpq-fe.h>

SandboxProcess::SandboxProcess() = default;

SandboxProcess::~SandboxProcess()
{
    stop();
    if (m_tempDir && !m_lastEphemeral) {
        // A non-ephemeral run left its cluster; as root it lives outside the data dir.
        QFile marker(m_dataDir + QStringLiteral("/cluster-path"));
        if (marker.open(QIODevice::ReadOnly)) {
            const QString path = QString::fromUtf8(marker.readAll()).trimmed();
            if (path.startsWith(QLatin1String("/var/tmp/ppg-sandbox-clusters/")))
                QDir(path).removeRecursively();
        }
    }
}

bool SandboxProcess::isRunning() const
{
    return m_process && m_process->state() != QProcess::NotRunning;
}

QString SandboxProcess::sandboxStderr() const
{
    QFile f(m_stderrPath);
    if (m_stderrPath.isEmpty() || !f.open(QIODevice::ReadOnly))
        return {};
    return QString::fromLocal8Bit(f.readAll());
}

bool SandboxProcess::start()
{
    return start(Options {});
}

bool SandboxProcess::start(const Options &options)
{
    stop();
    m_error.clear();
    m_baseUrl = QUrl();
    m_connInfo.clear();
    QElapsedTimer clock;
    clock.start();

    const QString bin = qEnvironmentVariable("PPG_SANDBOX_BIN");
    if (bin.isEmpty()) {
        m_error = QStringLiteral("PPG_SANDBOX_BIN is not set");
        return false;
    }
    if (!options.dataDir.isEmpty()) {
        m_dataDir = options.dataDir;
    } else {
        if (!m_tempDir) {
            m_tempDir = std::make_unique<QTemporaryDir>();
            if (!m_tempDir->isValid()) {
                m_error = QStringLiteral("cannot create a temporary data dir");
                return false;
            }
        }
        m_dataDir = m_tempDir->path();
    }
    if (!m_logDir)
        m_logDir = std::make_unique<QTemporaryDir>();
    m_stderrPath = m_logDir->filePath(QStringLiteral("sandbox-stderr.log"));
    m_lastEphemeral = options.ephemeral;

    QStringList args { QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--data-dir"), m_dataDir };
    if (options.ephemeral)
        args << QStringLiteral("--ephemeral");
    for (const QString &t : options.tokens)
        args << QStringLiteral("--token") << t;
    args << options.extraArgs;

    m_process = std::make_unique<QProcess>();
    m_process->setStandardErrorFile(m_stderrPath, QIODevice::Append);
    m_process->start(bin, args);
    if (!m_process->waitForStarted(10000)) {
        m_error = QStringLiteral("cannot start %1: %2").arg(bin, m_process->errorString());
        m_process.reset();
        return false;
    }

    QDeadlineTimer deadline(90000);
    QByteArray pending;
    while (!deadline.hasExpired()) {
        while (m_process->canReadLine()) {
            const QString line = QString::fromUtf8(m_process->readLine()).trimmed();
            if (line.startsWith(QLatin1String("postgres: ")))
                m_connInfo = line.mid(10);
            if (line.startsWith(QLatin1String("listening on "))) {
                m_baseUrl = QUrl(line.mid(13));
                m_startMs = clock.elapsed();
                return true;
            }
        }
        if (m_process->state() == QProcess::NotRunning)
            break;
        m_process->waitForReadyRead(static_cast<int>(qMin<qint64>(deadline.remainingTime(), 500)));
    }
    const bool exited = m_process->state() == QProcess::NotRunning;
    m_error = exited ? QStringLiteral("ppg-sandbox exited (code %1) before listening").arg(m_process->exitCode())
                     : QStringLiteral("ppg-sandbox did not print 'listening on' within 90 s");
    m_error += QStringLiteral("\n--- stderr ---\n") + sandboxStderr();
    stop();
    return false;
}

void SandboxProcess::stop()
{
    if (!m_process)
        return;
    if (m_process->state() != QProcess::NotRunning) {
        m_process->terminate();
        if (!m_process->waitForFinished(30000)) {
            m_process->kill();
            m_process->waitForFinished(5000);
        }
    }
    m_process.reset();
}

QUrl SandboxProcess::baseUrl() const
{
    return m_baseUrl;
}

QString SandboxProcess::postgresConnInfo() const
{
    return m_connInfo;
}

QString SandboxProcess::dataDir() const
{
    return m_dataDir;
}

QString SandboxProcess::errorString() const
{
    return m_error;
}

QVariant SandboxProcess::queryScalar(const QString &sql, QString *error) const
{
    return querySql(m_connInfo, sql, error);
}

QVariant SandboxProcess::querySql(const QString &conninfo, const QString &sql, QString *error)
{
    PGconn *conn = PQconnectdb(conninfo.toUtf8().constData());
    if (PQstatus(conn) != CONNECTION_OK) {
        if (error)
            *error = QString::fromUtf8(PQerrorMessage(conn)).trimmed();
        PQfinish(conn);
        return QVariant();
    }
    PGresult *res = PQexec(conn, sql.toUtf8().constData());
    QVariant out;
    const ExecStatusType st = PQresultStatus(res);
    if (st == PGRES_TUPLES_OK) {
        out = (PQntuples(res) > 0 && PQnfields(res) > 0 && !PQgetisnull(res, 0, 0))
            ? QVariant(QString::fromUtf8(PQgetvalue(res, 0, 0)))
            : QVariant(QMetaType::fromType<QString>());
    } else if (st == PGRES_COMMAND_OK) {
        out = QVariant(QMetaType::fromType<QString>());
    } else if (error) {
        *error = QString::fromUtf8(PQresultErrorMessage(res)).trimmed();
    }
    PQclear(res);
    PQfinish(conn);
    return out;
}

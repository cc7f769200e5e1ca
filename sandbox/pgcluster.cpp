#include "pgcluster.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

QString PgCluster::findBinDir()
{
    const QByteArray env = qgetenv("PPG_PG_BINDIR");
    if (!env.isEmpty())
        return QString::fromLocal8Bit(env);
    for (const char *v : { "17", "16", "15", "14", "13" }) {
        const QString dir = QStringLiteral("/usr/lib/postgresql/%1/bin").arg(QLatin1String(v));
        if (QFileInfo::exists(dir + QStringLiteral("/initdb")))
            return dir;
    }
    return {};
}

namespace {
int pickFreePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    const int port = probe.serverPort();
    probe.close();
    return port;
}
} // namespace

PgCluster::PgCluster(const QString &dataDir)
    : m_dataDir(QFileInfo(dataDir).canonicalFilePath().isEmpty() ? QFileInfo(dataDir).absoluteFilePath()
                                                                 : QFileInfo(dataDir).canonicalFilePath())
{
    m_asRoot = ::geteuid() == 0;
    m_binDir = findBinDir();
    if (m_asRoot) {
        const QByteArray hash = QCryptographicHash::hash(m_dataDir.toUtf8(), QCryptographicHash::Sha1).toHex();
        m_clusterDir = QStringLiteral("/var/tmp/ppg-sandbox-clusters/") + QString::fromLatin1(hash.left(16));
    } else {
        m_clusterDir = m_dataDir + QStringLiteral("/postgres");
    }
    m_pgData = m_clusterDir + QStringLiteral("/data");
    m_socketDir = m_clusterDir + QStringLiteral("/run");
}

bool PgCluster::chownToPostgres(const QString &path)
{
    if (!m_asRoot)
        return true;
    const passwd *pw = ::getpwnam("postgres");
    if (!pw) {
        m_error = QStringLiteral("running as root but the 'postgres' OS user does not exist");
        return false;
    }
    if (::chown(QFile::encodeName(path).constData(), pw->pw_uid, pw->pw_gid) != 0) {
        m_error = QStringLiteral("cannot chown %1 to postgres").arg(path);
        return false;
    }
    return true;
}

bool PgCluster::runTool(const QString &program, const QStringList &args, int timeoutMs, QString *output)
{
    QProcess proc;
    proc.setProcessChannelMode(QProcess::MergedChannels);
    proc.setWorkingDirectory(m_clusterDir);
    QString exe = program.contains(QLatin1Char('/')) ? program : m_binDir + QLatin1Char('/') + program;
    QStringList fullArgs = args;
    if (m_asRoot && program != QStringLiteral("openssl")) {
        fullArgs.prepend(exe);
        fullArgs = QStringList { QStringLiteral("-u"), QStringLiteral("postgres"), QStringLiteral("--") } + fullArgs;
        exe = QStringLiteral("runuser");
    }
    proc.start(exe, fullArgs);
    if (!proc.waitForStarted(10000)) {
        m_error = QStringLiteral("cannot start %1: %2").arg(exe, proc.errorString());
        return false;
    }
    if (!proc.waitForFinished(timeoutMs)) {
        proc.kill();
        proc.waitForFinished(2000);
        m_error = QStringLiteral("%1 timed out").arg(program);
        return false;
    }
    const QString out = QString::fromLocal8Bit(proc.readAll());
    if (output)
        *output = out;
    if (proc.exitStatus() != QProcess::NormalExit || proc.exitCode() != 0) {
        m_error = QStringLiteral("%1 failed (exit %2): %3").arg(program).arg(proc.exitCode()).arg(out.trimmed());
        return false;
    }
    return true;
}

bool PgCluster::initCluster()
{
    if (m_binDir.isEmpty()) {
        m_error = QStringLiteral("PostgreSQL server binaries not found (set PPG_PG_BINDIR)");
        return false;
    }
    QDir().mkpath(m_clusterDir);
    QFile::setPermissions(m_clusterDir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    if (m_asRoot) {
        QDir().mkpath(QStringLiteral("/var/tmp/ppg-sandbox-clusters"));
        if (!chownToPostgres(m_clusterDir))
            return false;
    }
    QDir(m_pgData).removeRecursively(); // a half-made cluster from an interrupted initdb
    if (!runTool(QStringLiteral("initdb"),
            { QStringLiteral("-D"), m_pgData, QStringLiteral("-U"), superuser(), QStringLiteral("--auth-local=trust"),
                QStringLiteral("--auth-host=scram-sha-256"), QStringLiteral("-E"), QStringLiteral("UTF8"),
                QStringLiteral("--locale=C"), QStringLiteral("--no-sync"), QStringLiteral("--no-instructions") },
            120000))
        return false;

    // Self-signed certificate: the real service requires TLS (sslmode=require).
    const QString crt = m_pgData + QStringLiteral("/server.crt");
    const QString key = m_pgData + QStringLiteral("/server.key");
    if (!runTool(QStringLiteral("/usr/bin/openssl"),
            { QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("rsa:2048"),
                QStringLiteral("-nodes"), QStringLiteral("-days"), QStringLiteral("3650"), QStringLiteral("-subj"),
                QStringLiteral("/CN=localhost"), QStringLiteral("-keyout"), key, QStringLiteral("-out"), crt },
            60000))
        return false;
    ::chmod(QFile::encodeName(key).constData(), 0600);
    if (!chownToPostgres(key) || !chownToPostgres(crt))
        return false;

    QDir().mkpath(m_socketDir);
    QFile::setPermissions(m_socketDir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    if (!chownToPostgres(m_socketDir))
        return false;

    m_port = pickFreePort();
    if (m_port == 0) {
        m_error = QStringLiteral("cannot find a free TCP port for PostgreSQL");
        return false;
    }
    QFile conf(m_pgData + QStringLiteral("/postgresql.conf"));
    if (!conf.open(QIODevice::Append | QIODevice::Text)) {
        m_error = QStringLiteral("cannot write %1").arg(conf.fileName());
        return false;
    }
    const QString settings = QStringLiteral("\n# ppg-sandbox\n"
                                            "port = %1\n"
                                            "listen_addresses = '127.0.0.1'\n"
                                            "unix_socket_directories = '%2'\n"
                                            "unix_socket_permissions = 0700\n"
                                            "ssl = on\n"
                                            "ssl_cert_file = 'server.crt'\n"
                                            "ssl_key_file = 'server.key'\n"
                                            "password_encryption = 'scram-sha-256'\n"
                                            "max_connections = 200\n"
                                            "fsync = off\n"
                                            "synchronous_commit = off\n"
                                            "full_page_writes = off\n"
                                            "logging_collector = off\n")
                                 .arg(m_port)
                                 .arg(m_socketDir);
    conf.write(settings.toUtf8());
    conf.close();
    return true;
}

bool PgCluster::readPort()
{
    QFile conf(m_pgData + QStringLiteral("/postgresql.conf"));
    if (!conf.open(QIODevice::ReadOnly | QIODevice::Text)) {
        m_error = QStringLiteral("cannot read %1").arg(conf.fileName());
        return false;
    }
    static const QRegularExpression re(QStringLiteral("^port = (\\d+)$"), QRegularExpression::MultilineOption);
    int port = 0;
    auto it = re.globalMatch(QString::fromUtf8(conf.readAll()));
    while (it.hasNext())
        port = it.next().captured(1).toInt(); // the last one wins, as in PostgreSQL
    if (port <= 0) {
        m_error = QStringLiteral("no port in %1").arg(conf.fileName());
        return false;
    }
    m_port = port;
    return true;
}

bool PgCluster::start()
{
    QDir().mkpath(m_dataDir);
    if (m_asRoot) {
        QFile marker(m_dataDir + QStringLiteral("/cluster-path"));
        if (marker.open(QIODevice::WriteOnly | QIODevice::Truncate))
            marker.write(m_clusterDir.toUtf8() + '\n');
    }
    if (!QFileInfo::exists(m_pgData + QStringLiteral("/PG_VERSION")) && !initCluster())
        return false;
    if (!readPort())
        return false;

    // Reuse a postmaster that is already running on this cluster.
    if (QFileInfo::exists(m_pgData + QStringLiteral("/postmaster.pid"))) {
        QString out;
        if (runTool(
                QStringLiteral("pg_ctl"), { QStringLiteral("status"), QStringLiteral("-D"), m_pgData }, 10000, &out))
            return true;
    }
    // The port was free when it was picked; if another process took it since, pick another.
    for (int attempt = 0;; ++attempt) {
        QFile log(m_clusterDir + QStringLiteral("/postgres.log"));
        const qint64 logStart = log.exists() ? log.size() : 0;
        if (runTool(QStringLiteral("pg_ctl"),
                { QStringLiteral("start"), QStringLiteral("-D"), m_pgData, QStringLiteral("-w"), QStringLiteral("-t"),
                    QStringLiteral("60"), QStringLiteral("-s"), QStringLiteral("-l"), log.fileName() },
                90000)) {
            m_startedByUs = true;
            return true;
        }
        QString tail;
        if (log.open(QIODevice::ReadOnly)) {
            log.seek(logStart);
            tail = QString::fromLocal8Bit(log.readAll().right(4000));
            log.close();
        }
        m_error += QStringLiteral("\n--- postgres.log (tail) ---\n") + tail;
        if (attempt >= 3 || !tail.contains(QLatin1String("could not bind")))
            return false;
        const int port = pickFreePort();
        QFile conf(m_pgData + QStringLiteral("/postgresql.conf"));
        if (port == 0 || !conf.open(QIODevice::Append | QIODevice::Text))
            return false;
        conf.write(QStringLiteral("port = %1\n").arg(port).toUtf8());
        conf.close();
        m_port = port;
        m_error.clear();
    }
}

bool PgCluster::stop()
{
    if (!QFileInfo::exists(m_pgData + QStringLiteral("/postmaster.pid")))
        return true;
    return runTool(QStringLiteral("pg_ctl"),
        { QStringLiteral("stop"), QStringLiteral("-D"), m_pgData, QStringLiteral("-m"), QStringLiteral("fast"),
            QStringLiteral("-w"), QStringLiteral("-s"), QStringLiteral("-t"), QStringLiteral("60") },
        90000);
}

bool PgCluster::removeFiles()
{
    const bool ok = QDir(m_clusterDir).removeRecursively();
    QFile::remove(m_dataDir + QStringLiteral("/cluster-path"));
    return ok;
}

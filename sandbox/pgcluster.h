#pragma once
// PgCluster: the sandbox's private PostgreSQL 15 cluster (initdb + pg_ctl via QProcess).
//
// Layout: when running as root the cluster lives in
// /var/tmp/ppg-sandbox-clusters/<first 16 hex of sha1(canonical data dir)> (owned by the
// `postgres` OS user, mode 0700, initdb/pg_ctl run through `runuser -u postgres --`), and the
// path is recorded in <data dir>/cluster-path; otherwise it lives in <data dir>/postgres.
// First start runs initdb (superuser `ppg`, trust on the unix socket, scram-sha-256 on TCP),
// generates a self-signed certificate (ssl=on), picks and persists a free TCP port.
// Later starts reuse everything; a postmaster that is already running is reused.
// Errors: every method returns false and sets errorString() (with the tool's output).
// Times are in milliseconds.

#include <QString>

class PgCluster
{
public:
    explicit PgCluster(const QString &dataDir);

    bool start(); // initdb if needed, then pg_ctl start (or reuse)
    bool stop(); // pg_ctl stop -m fast
    bool removeFiles(); // deletes the cluster folder (after stop), for --ephemeral

    QString socketDir() const { return m_socketDir; }
    int port() const { return m_port; }
    QString superuser() const { return QStringLiteral("ppg"); }
    QString errorString() const { return m_error; }
    // Where PostgreSQL's programs are: $PPG_PG_BINDIR, else the newest /usr/lib/postgresql/N/bin
    // with initdb; empty when none is found. pg_dump and pg_restore come from there too.
    static QString findBinDir();
    bool startedByUs() const { return m_startedByUs; }

private:
    bool runTool(const QString &program, const QStringList &args, int timeoutMs, QString *output = nullptr);
    bool initCluster();
    bool readPort();
    bool chownToPostgres(const QString &path);

    QString m_dataDir;
    QString m_clusterDir;
    QString m_pgData;
    QString m_socketDir;
    QString m_binDir;
    QString m_error;
    int m_port = 0;
    bool m_asRoot = false;
    bool m_startedByUs = false;
};

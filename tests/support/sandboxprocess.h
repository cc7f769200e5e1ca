#pragma once
// SandboxProcess: test fixture that starts a private ppg-sandbox (binary from the environment
// variable PPG_SANDBOX_BIN) with --port 0 and a QTemporaryDir data dir (--ephemeral unless
// Options::ephemeral is false), and stops it (SIGTERM, then SIGKILL after 30 s) in stop() or
// the destructor. start() blocks for at most 90 s until the sandbox prints "listening on";
// on failure it returns false and errorString() carries the reason and the sandbox's stderr.
// The data dir is kept across stop()/start() of the same object (restart tests) and removed,
// with any cluster the sandbox kept for it, when the object is destroyed.
// querySql() runs SQL with libpq on any conninfo or postgres:// URL (e.g. a connection
// string the API returned); queryScalar() runs it on the sandbox's admin connection.
//
// Include as "support/sandboxprocess.h" or "sandboxprocess.h".

#include <QProcess>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <QVariant>

#include <memory>

class QTemporaryDir;

class SandboxProcess
{
public:
    struct Options
    {
        QStringList tokens { QStringLiteral("ppg-test-token-a=Acme") }; // each becomes --token
        QStringList extraArgs; // appended as is
        bool ephemeral = true; // pass --ephemeral
        QString dataDir; // empty: a QTemporaryDir
    };

    SandboxProcess();
    ~SandboxProcess();
    SandboxProcess(const SandboxProcess &) = delete;
    SandboxProcess &operator=(const SandboxProcess &) = delete;

    bool start(); // start(Options{})
    bool start(const Options &options);
    void stop();
    bool isRunning() const;

    QUrl baseUrl() const; // http://127.0.0.1:N (no /v1)
    QString postgresConnInfo() const; // the admin conninfo printed on the "postgres:" line
    QString dataDir() const;
    QString errorString() const;
    QString sandboxStderr() const; // everything the sandbox wrote to stderr so far
    qint64 startMs() const { return m_startMs; } // how long the last start() took

    // First column of the first row (null QVariant for no row or SQL NULL); an invalid
    // QVariant and *error set when the query fails.
    QVariant queryScalar(const QString &sql, QString *error = nullptr) const;
    static QVariant querySql(const QString &conninfo, const QString &sql, QString *error = nullptr);

private:
    std::unique_ptr<QProcess> m_process;
    std::unique_ptr<QTemporaryDir> m_tempDir;
    std::unique_ptr<QTemporaryDir> m_logDir;
    QString m_dataDir;
    QString m_stderrPath;
    QUrl m_baseUrl;
    QString m_connInfo;
    QString m_error;
    qint64 m_startMs = 0;
    bool m_lastEphemeral = true;
};

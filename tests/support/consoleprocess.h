// The real ppg-console (PPG_CONSOLE_BIN) run as a separate process, for tests only.
// consoleEnvironment(): the process environment of a console whose settings (XDG_CONFIG_HOME) and
// cache (XDG_CACHE_HOME = <config>/cache) are the test's own folder, offscreen, with
// PRISMA_SERVICE_TOKEN only when `envToken` is given. runConsoleProcess() starts it with `args`,
// writes `stdinData`, closes its input and waits up to `timeoutMs` (then kills it: finished is
// false); stdout and stderr are kept apart.
#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>

struct ConsoleRun
{
    bool finished = false;
    int exitCode = -1; // -1 after a crash or a kill
    QString out;
    QString err;
    QString describe() const
    {
        return QStringLiteral("exit %1, stdout: %2, stderr: %3").arg(exitCode).arg(out, err.right(2000));
    }
};

inline QProcessEnvironment consoleEnvironment(const QString &configDir, const QByteArray &envToken = {})
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), configDir); // no settings of anyone else
    env.insert(QStringLiteral("XDG_CACHE_HOME"), configDir + QStringLiteral("/cache")); // its trees too
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.remove(QStringLiteral("PRISMA_SERVICE_TOKEN"));
    if (!envToken.isEmpty())
        env.insert(QStringLiteral("PRISMA_SERVICE_TOKEN"), QString::fromLatin1(envToken));
    return env;
}

inline ConsoleRun runConsoleProcess(const QString &configDir, const QStringList &args, const QByteArray &stdinData = {},
    const QByteArray &envToken = {}, int timeoutMs = 180000)
{
    QProcess p;
    p.setProcessEnvironment(consoleEnvironment(configDir, envToken));
    p.start(qEnvironmentVariable("PPG_CONSOLE_BIN"), args);
    ConsoleRun run;
    if (!p.waitForStarted(30000)) {
        run.err = p.errorString();
        return run;
    }
    if (!stdinData.isEmpty())
        p.write(stdinData);
    p.closeWriteChannel();
    run.finished = p.waitForFinished(timeoutMs);
    if (!run.finished) {
        p.kill();
        p.waitForFinished(10000);
    }
    run.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    run.out = QString::fromUtf8(p.readAllStandardOutput());
    run.err = QString::fromUtf8(p.readAllStandardError());
    return run;
}

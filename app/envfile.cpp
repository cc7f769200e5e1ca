#include "envfile.h"

#include "connectionstrings.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QPointer>
#include <QProcess>
#include <QSaveFile>
#include <QStandardPaths>
#include <QTimer>

#include <memory>
#include <vector>

namespace EnvFile {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("EnvFile", text);
}

bool isBlank(char c)
{
    return c == ' ' || c == '\t';
}

// If `line` defines `name`, returns the length of the prefix before the name (indentation and
// `export `) and sets *valueStart to the index just after `=`. Otherwise -1.
qsizetype definitionPrefix(const QByteArray &line, const QByteArray &name, qsizetype *valueStart)
{
    qsizetype i = 0;
    if (line.startsWith("\xEF\xBB\xBF"))
        i = 3; // byte order mark: part of the prefix, kept as is
    while (i < line.size() && isBlank(line.at(i)))
        ++i;
    if (line.mid(i, 6) == "export" && i + 6 < line.size() && isBlank(line.at(i + 6))) {
        i += 6;
        while (i < line.size() && isBlank(line.at(i)))
            ++i;
    }
    if (line.mid(i, name.size()) != name)
        return -1;
    const qsizetype prefix = i;
    qsizetype j = i + name.size();
    while (j < line.size() && isBlank(line.at(j)))
        ++j;
    if (j >= line.size() || line.at(j) != '=')
        return -1;
    *valueStart = j + 1;
    return prefix;
}

// Whether a value starting at `from` opens a quote that this line does not close; sets *quote.
bool opensMultiline(const QByteArray &line, qsizetype from, char *quote)
{
    qsizetype i = from;
    while (i < line.size() && isBlank(line.at(i)))
        ++i;
    if (i >= line.size())
        return false;
    const char q = line.at(i);
    if (q != '"' && q != '\'' && q != '`')
        return false;
    for (qsizetype k = i + 1; k < line.size(); ++k) {
        if (q == '"' && line.at(k) == '\\') {
            ++k;
            continue;
        }
        if (line.at(k) == q)
            return false;
    }
    *quote = q;
    return true;
}

// Whether `line` (a continuation of a value quoted with `quote`) closes it.
bool closesQuote(const QByteArray &line, char quote)
{
    for (qsizetype k = 0; k < line.size(); ++k) {
        if (quote == '"' && line.at(k) == '\\') {
            ++k;
            continue;
        }
        if (line.at(k) == quote)
            return true;
    }
    return false;
}

} // namespace

QByteArray setVariable(const QByteArray &content, const QString &name, const QString &value, Change *change)
{
    Change local;
    Change &c = change ? *change : local;
    c = Change {};
    if (!ConnectionStrings::isValidVariableName(name))
        return content;
    const QByteArray key = name.toLatin1();
    const QByteArray assignment = key + '=' + ConnectionStrings::dotEnvValue(value).toUtf8();

    // Lines with their own line ends ("\n", "\r\n", or "" for a last line without one).
    struct Line
    {
        QByteArray text;
        QByteArray eol;
    };
    std::vector<Line> lines;
    bool crlf = false;
    for (qsizetype from = 0; from < content.size();) {
        const qsizetype nl = content.indexOf('\n', from);
        if (nl < 0) {
            lines.push_back({ content.mid(from), {} });
            break;
        }
        const bool cr = nl > from && content.at(nl - 1) == '\r';
        crlf = crlf || cr;
        lines.push_back({ content.mid(from, nl - from - (cr ? 1 : 0)), cr ? QByteArray("\r\n") : QByteArray("\n") });
        from = nl + 1;
    }
    const QByteArray eol = crlf ? QByteArray("\r\n") : QByteArray("\n");

    std::vector<Line> out;
    out.reserve(lines.size() + 1);
    for (size_t n = 0; n < lines.size(); ++n) {
        const Line &line = lines[n];
        qsizetype valueStart = 0;
        const qsizetype prefix = definitionPrefix(line.text, key, &valueStart);
        if (prefix < 0) {
            out.push_back(line);
            continue;
        }
        QByteArray lastEol = line.eol;
        // Skip the rest of a multi-line quoted value (up to and including its closing line).
        char quote = 0;
        if (opensMultiline(line.text, valueStart, &quote)) {
            while (n + 1 < lines.size()) {
                ++n;
                lastEol = lines[n].eol;
                if (closesQuote(lines[n].text, quote))
                    break;
            }
        }
        if (!c.replaced) {
            c.replaced = true;
            out.push_back({ line.text.left(prefix) + assignment, lastEol });
        } else {
            ++c.removedDuplicates;
        }
    }
    if (!c.replaced) {
        c.appended = true;
        if (!out.empty() && out.back().eol.isEmpty())
            out.back().eol = eol;
        out.push_back({ assignment, eol });
    }
    QByteArray result;
    result.reserve(content.size() + assignment.size() + 2);
    for (const Line &line : out)
        result += line.text + line.eol;
    return result;
}

WriteResult write(const QString &path, const QString &name, const QString &value)
{
    WriteResult r;
    if (!ConnectionStrings::isValidVariableName(name)) {
        r.error = tr("“%1” is not a valid variable name.").arg(name);
        return r;
    }
    QFileInfo info(path);
    QString target = info.absoluteFilePath();
    if (info.isSymLink() && info.exists())
        target = info.canonicalFilePath(); // replace the file the link points to, keep the link
    const QFileInfo targetInfo(target);
    QByteArray content;
    QFileDevice::Permissions permissions = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
    if (targetInfo.exists()) {
        if (!targetInfo.isFile()) {
            r.error = tr("%1 is not a file.").arg(QDir::toNativeSeparators(target));
            return r;
        }
        QFile in(target);
        if (!in.open(QIODevice::ReadOnly)) {
            r.error = tr("Cannot read %1: %2").arg(QDir::toNativeSeparators(target), in.errorString());
            return r;
        }
        content = in.readAll();
        permissions = in.permissions();
    } else {
        r.created = true;
    }

    const QByteArray updated = setVariable(content, name, value, &r.change);
    QSaveFile out(target);
    if (!out.open(QIODevice::WriteOnly)) {
        r.error = tr("Cannot write %1: %2").arg(QDir::toNativeSeparators(target), out.errorString());
        return r;
    }
    // Before the rename, so the new file never exists with wider permissions.
    out.setPermissions(permissions);
    if (out.write(updated) != updated.size() || !out.commit()) {
        r.error = tr("Cannot write %1: %2").arg(QDir::toNativeSeparators(target), out.errorString());
        out.cancelWriting();
        return r;
    }
    if (QFile::permissions(target) != permissions)
        QFile::setPermissions(target, permissions);
    r.ok = true;
    return r;
}

void checkGitIgnored(const QString &path, QObject *context, std::function<void(GitStatus)> done)
{
    const QPointer<QObject> guard(context);
    auto deliver = [guard, done](GitStatus status) {
        QMetaObject::invokeMethod(
            guard.data() ? guard.data() : QCoreApplication::instance(),
            [guard, done, status] {
                if (guard)
                    done(status);
            },
            Qt::QueuedConnection);
    };
    const QString git = QStandardPaths::findExecutable(QStringLiteral("git"));
    const QFileInfo info(path);
    if (git.isEmpty()) {
        deliver(GitStatus::GitMissing);
        return;
    }
    if (!QFileInfo(info.absolutePath()).isDir()) {
        deliver(GitStatus::NoRepository);
        return;
    }
    // Not a child of `context`: a QProcess destroyed with its parent waits for git and emits
    // finished() from inside the parent's destructor. Its signals go to `context` instead (so
    // they stop when it dies), and it is killed once `context` is gone.
    auto *process = new QProcess;
    process->setProgram(git);
    process->setArguments(
        { QStringLiteral("check-ignore"), QStringLiteral("-q"), QStringLiteral("--"), info.fileName() });
    process->setWorkingDirectory(info.absolutePath());
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("GIT_TERMINAL_PROMPT"), QStringLiteral("0"));
    env.insert(QStringLiteral("GIT_OPTIONAL_LOCKS"), QStringLiteral("0"));
    env.insert(QStringLiteral("LC_ALL"), QStringLiteral("C"));
    process->setProcessEnvironment(env);
    auto finishedOnce = std::make_shared<bool>(false);
    auto finish = [process, finishedOnce, done](GitStatus status) {
        if (*finishedOnce)
            return;
        *finishedOnce = true;
        process->deleteLater();
        done(status);
    };
    auto *deadline = new QTimer(process);
    deadline->setSingleShot(true);
    QObject::connect(context, &QObject::destroyed, process, [process] {
        process->disconnect();
        if (process->state() != QProcess::NotRunning) {
            process->kill();
            process->waitForFinished(1000); // SIGKILL: reaped at once
        }
        process->deleteLater();
    });
    QObject::connect(deadline, &QTimer::timeout, context, [process, finish] {
        finish(GitStatus::Failed);
        process->kill();
    });
    QObject::connect(process, &QProcess::errorOccurred, context, [finish](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            finish(GitStatus::GitMissing);
    });
    QObject::connect(process, &QProcess::finished, context, [process, finish](int code, QProcess::ExitStatus status) {
        if (status != QProcess::NormalExit) {
            finish(GitStatus::Failed);
            return;
        }
        if (code == 0) {
            finish(GitStatus::Ignored);
        } else if (code == 1) {
            finish(GitStatus::NotIgnored);
        } else {
            const QByteArray err = process->readAllStandardError();
            finish(err.contains("not a git repository") ? GitStatus::NoRepository : GitStatus::Failed);
        }
    });
    deadline->start(10000);
    process->start();
}

} // namespace EnvFile

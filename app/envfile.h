// EnvFile: sets one variable (default DATABASE_URL) in a .env file and leaves the rest alone.
//
// Rules (setVariable(), tested in tests/app/tst_envfile.cpp):
// - A definition is a line `NAME=...`, optionally indented and optionally `export NAME=...`
//   (spaces or tabs around `=` allowed). Comments (`# NAME=...`) and every other line are kept
//   byte for byte, including invalid UTF-8, CRLF line ends and a UTF-8 byte order mark.
// - The FIRST definition is replaced in place, keeping its indentation and its `export`; LATER
//   definitions of the same name are removed (dotenv loaders let the last one win, so leaving
//   one would silently override the new value). A quoted old value that spans several lines
//   is removed with all of its lines.
// - No definition: `NAME="value"` is appended as a new last line (a missing final line break is
//   added first). The file's line-break style (LF or CRLF) is used for new lines.
// - The value is written by ConnectionStrings::dotEnvValue() (double quotes, escapes).
// write(): reads the file (if any), writes the result atomically with QSaveFile (a symlink is
// followed: its target is replaced), keeps the permissions of an existing file, creates a new one
// with 0600 (owner read/write). Errors come back as a translated sentence; nothing is logged, and
// the value (a secret) never appears in an error.
// Git: checkGitIgnored() runs `git check-ignore -q -- <file>` in the file's folder (QProcess,
// asynchronous, 10 s deadline) and says whether git would ignore the file. No git, or no
// repository, means "no warning" (NoRepository / GitMissing).
#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>

#include <functional>

namespace EnvFile {

struct Change
{
    bool replaced = false; // an existing definition was replaced in place
    bool appended = false; // there was none: a line was appended
    int removedDuplicates = 0; // later definitions removed
};

// Pure: `content` with `name` set to `value`. `name` must satisfy
// ConnectionStrings::isValidVariableName (otherwise `content` is returned unchanged).
QByteArray setVariable(const QByteArray &content, const QString &name, const QString &value, Change *change = nullptr);

struct WriteResult
{
    bool ok = false;
    QString error; // translated, when !ok
    bool created = false; // the file did not exist before
    Change change;
};

// Sets `name` to `value` in the file at `path` (creating it), atomically. Blocks on local file
// I/O only.
WriteResult write(const QString &path, const QString &name, const QString &value);

enum class GitStatus {
    Ignored, // git ignores the file: fine
    NotIgnored, // the file is in a repository and not ignored (or already tracked): warn
    NoRepository, // not inside a git work tree: no warning
    GitMissing, // no git executable: no warning
    Failed // git ran but could not tell (e.g. "dubious ownership", timeout)
};

// Runs `git check-ignore` for `path`; `done` runs exactly once, later, on `context`'s thread,
// unless `context` is destroyed first.
void checkGitIgnored(const QString &path, QObject *context, std::function<void(GitStatus)> done);

} // namespace EnvFile

// EnvFile: sets DATABASE_URL in .env files with comments, duplicates, `export` lines, CRLF and no
// trailing newline; writes atomically with the right permissions; asks git whether it ignores
// the file. The values read back by independent readers (POSIX sh, python-dotenv if installed).
#include "connectionstrings.h"
#include "envfile.h"
#include "requiredtool.h"

#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <optional>

namespace {

const QString kHostileUrl
    = QStringLiteral("postgres://app:%1@db.prisma.io:5432/postgres?sslmode=require")
          .arg(QString::fromLatin1(QUrl::toPercentEncoding(QString::fromUtf8("p@ss:w/rd?#%é密"))));

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeAll(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(data) == data.size();
}

int run(const QString &program, const QStringList &args, const QString &dir, QByteArray *out = nullptr)
{
    QProcess p;
    p.setWorkingDirectory(dir);
    p.start(program, args);
    if (!p.waitForFinished(20000))
        return -1;
    if (out)
        *out = p.readAllStandardOutput();
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

std::optional<EnvFile::GitStatus> gitStatus(const QString &path)
{
    std::optional<EnvFile::GitStatus> result;
    QObject context;
    EnvFile::checkGitIgnored(path, &context, [&result](EnvFile::GitStatus s) { result = s; });
    if (!QTest::qWaitFor([&] { return result.has_value(); }, 20000))
        return std::nullopt;
    return result;
}

} // namespace

class TestEnvFile : public QObject
{
    Q_OBJECT
private slots:
    void setVariable_data();
    void setVariable();
    void invalidNameChangesNothing();
    void writeCreatesWith0600();
    void writeKeepsPermissionsAndIsAtomic();
    void writeFollowsSymlink();
    void writeRefusesADirectory();
    void readersSeeTheExactValue();
    void gitIgnoreCheck();
    void gitMissing();
};

void TestEnvFile::setVariable_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("expected");
    QTest::addColumn<bool>("replaced");
    QTest::addColumn<int>("removed");
    const QByteArray v = "DATABASE_URL=\"V\"";

    QTest::newRow("empty file") << QByteArray() << v + "\n" << false << 0;
    QTest::newRow("comments, no definition") << QByteArray("# app settings\n\nPORT=3000 # web\n")
                                             << QByteArray("# app settings\n\nPORT=3000 # web\n") + v + "\n"
                                             << false << 0;
    QTest::newRow("no trailing newline, appended") << QByteArray("A=1") << QByteArray("A=1\n") + v + "\n" << false << 0;
    QTest::newRow("replaced in place, comments kept")
        << QByteArray("# db\nDATABASE_URL=old # prod\nB=2\n# end\n") << QByteArray("# db\n") + v + "\nB=2\n# end\n"
        << true << 0;
    QTest::newRow("export kept") << QByteArray("A=1\nexport DATABASE_URL='old'\n")
                                 << QByteArray("A=1\nexport ") + v + "\n"
                                 << true << 0;
    QTest::newRow("indented export with tabs and spaces around =")
        << QByteArray("  export\tDATABASE_URL = old\n") << QByteArray("  export\t") + v + "\n"
        << true << 0;
    QTest::newRow("duplicates: first replaced, later removed")
        << QByteArray("DATABASE_URL=a\nX=1\nexport DATABASE_URL=b\n# keep me\nDATABASE_URL=c")
        << v + "\nX=1\n# keep me\n"
        << true << 2;
    QTest::newRow("duplicate export first")
        << QByteArray("export DATABASE_URL=a\nDATABASE_URL=b\n") << QByteArray("export ") + v + "\n"
        << true << 1;
    QTest::newRow("commented definitions untouched") << QByteArray("#DATABASE_URL=a\n# DATABASE_URL=b\n")
                                                     << QByteArray("#DATABASE_URL=a\n# DATABASE_URL=b\n") + v + "\n"
                                                     << false << 0;
    QTest::newRow("similar names untouched")
        << QByteArray("DATABASE_URL_POOLED=x\nMY_DATABASE_URL=y\nDATABASE_URLX=z\nexport DATABASE_URL\n")
        << QByteArray("DATABASE_URL_POOLED=x\nMY_DATABASE_URL=y\nDATABASE_URLX=z\nexport DATABASE_URL\n") + v + "\n"
        << false << 0;
    QTest::newRow("crlf replaced") << QByteArray("A=1\r\nDATABASE_URL=old\r\nB=2\r\n")
                                   << QByteArray("A=1\r\n") + v + "\r\nB=2\r\n"
                                   << true << 0;
    QTest::newRow("crlf appended, no trailing newline")
        << QByteArray("A=1\r\nB=2") << QByteArray("A=1\r\nB=2\r\n") + v + "\r\n"
        << false << 0;
    QTest::newRow("multi-line quoted old value removed whole")
        << QByteArray("DATABASE_URL=\"line1\nline2 \\\" still\nline3\"\nB=2\n") << v + "\nB=2\n"
        << true << 0;
    QTest::newRow("multi-line duplicate removed whole")
        << QByteArray("DATABASE_URL=a\nDATABASE_URL='x\ny'\nB=2\n") << v + "\nB=2\n"
        << true << 1;
    QTest::newRow("byte order mark kept") << QByteArray("\xEF\xBB\xBF"
                                                        "DATABASE_URL=old\n")
                                          << QByteArray("\xEF\xBB\xBF") + v + "\n"
                                          << true << 0;
    QTest::newRow("invalid utf-8 elsewhere kept byte for byte")
        << QByteArray("X=\xff\xfe\nDATABASE_URL=o\nY=\xc3\n") << QByteArray("X=\xff\xfe\n") + v + "\nY=\xc3\n"
        << true << 0;
    QTest::newRow("last line replaced keeps no newline")
        << QByteArray("A=1\nDATABASE_URL=old") << QByteArray("A=1\n") + v << true << 0;
    QTest::newRow("blank lines kept") << QByteArray("\n\nDATABASE_URL=x\n\n\n") << QByteArray("\n\n") + v + "\n\n\n"
                                      << true << 0;
}

void TestEnvFile::setVariable()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, expected);
    QFETCH(bool, replaced);
    QFETCH(int, removed);
    EnvFile::Change change;
    const QByteArray out = EnvFile::setVariable(input, QStringLiteral("DATABASE_URL"), QStringLiteral("V"), &change);
    QCOMPARE(out, expected);
    QCOMPARE(change.replaced, replaced);
    QCOMPARE(change.appended, !replaced);
    QCOMPARE(change.removedDuplicates, removed);
    // Idempotent: a second run changes nothing.
    QCOMPARE(EnvFile::setVariable(out, QStringLiteral("DATABASE_URL"), QStringLiteral("V")), out);
}

void TestEnvFile::invalidNameChangesNothing()
{
    EnvFile::Change change;
    QCOMPARE(
        EnvFile::setVariable("A=1\n", QStringLiteral("BAD NAME"), QStringLiteral("v"), &change), QByteArray("A=1\n"));
    QVERIFY(!change.replaced && !change.appended);
    QTemporaryDir dir;
    const auto r = EnvFile::write(dir.filePath(QStringLiteral(".env")), QStringLiteral("1X"), QStringLiteral("v"));
    QVERIFY(!r.ok);
    QVERIFY(!r.error.isEmpty());
    QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral(".env"))));
}

void TestEnvFile::writeCreatesWith0600()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral(".env"));
    const auto r = EnvFile::write(path, QStringLiteral("DATABASE_URL"), kHostileUrl);
    QVERIFY2(r.ok, qPrintable(r.error));
    QVERIFY(r.created);
    QVERIFY(r.change.appended);
    QCOMPARE(QFile::permissions(path) & 0x7077, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    QCOMPARE(QFileInfo(path).permissions()
            & (QFileDevice::ReadGroup | QFileDevice::ReadOther | QFileDevice::WriteGroup | QFileDevice::WriteOther),
        QFileDevice::Permissions());
    QCOMPARE(readAll(path), ConnectionStrings::dotEnvLine(kHostileUrl).toUtf8() + "\n");
    // No temporary file left behind.
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot),
        QStringList { QStringLiteral(".env") });
}

void TestEnvFile::writeKeepsPermissionsAndIsAtomic()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("app.env"));
    QVERIFY(writeAll(path, "# keep\nDATABASE_URL=old\n"));
    const auto perms = QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup;
    QVERIFY(QFile::setPermissions(path, perms));
    // A reader that opened the old file keeps seeing the old content (rename, not rewrite).
    QFile before(path);
    QVERIFY(before.open(QIODevice::ReadOnly));
    const auto r = EnvFile::write(path, QStringLiteral("DATABASE_URL"), QStringLiteral("new"));
    QVERIFY2(r.ok, qPrintable(r.error));
    QVERIFY(!r.created);
    QVERIFY(r.change.replaced);
    QCOMPARE(before.readAll(), QByteArray("# keep\nDATABASE_URL=old\n"));
    QCOMPARE(readAll(path), QByteArray("# keep\nDATABASE_URL=\"new\"\n"));
    QCOMPARE(QFileInfo(path).permissions() & ~(QFileDevice::ReadUser | QFileDevice::WriteUser | QFileDevice::ExeUser),
        perms);
}

void TestEnvFile::writeFollowsSymlink()
{
    QTemporaryDir dir;
    const QString target = dir.filePath(QStringLiteral("shared.env"));
    const QString link = dir.filePath(QStringLiteral(".env"));
    QVERIFY(writeAll(target, "A=1\n"));
    QVERIFY(QFile::link(target, link));
    const auto r = EnvFile::write(link, QStringLiteral("DATABASE_URL"), QStringLiteral("v"));
    QVERIFY2(r.ok, qPrintable(r.error));
    QVERIFY(QFileInfo(link).isSymLink());
    QCOMPARE(readAll(target), QByteArray("A=1\nDATABASE_URL=\"v\"\n"));
}

void TestEnvFile::writeRefusesADirectory()
{
    QTemporaryDir dir;
    QVERIFY(QDir(dir.path()).mkdir(QStringLiteral(".env")));
    const auto r = EnvFile::write(dir.filePath(QStringLiteral(".env")), QStringLiteral("DATABASE_URL"), kHostileUrl);
    QVERIFY(!r.ok);
    QVERIFY(!r.error.isEmpty());
    QVERIFY2(!r.error.contains(QLatin1String("p%40ss")), "the error never carries the value");
    const auto missing
        = EnvFile::write(dir.filePath(QStringLiteral("no/such/dir/.env")), QStringLiteral("DATABASE_URL"), kHostileUrl);
    QVERIFY(!missing.ok);
    QVERIFY(!missing.error.contains(QLatin1String("p%40ss")));
}

void TestEnvFile::readersSeeTheExactValue()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral(".env"));
    QVERIFY(writeAll(path, "# comment\nexport OTHER=1\nDATABASE_URL=old\n"));
    // `$` and "`" are left out of the python-dotenv check: it keeps the backslash of \$ and \`
    // (sh and dotenv-expand drop it). A percent-encoded URL never contains either.
    const QString raw = QString::fromUtf8("x\"y\\z é密 #not-a-comment");
    const QString shellOnly = QString::fromUtf8("a$HOME`id`b");
    // python-dotenv (Debian: python3-dotenv, installed by ./dev) reads it too; without it the
    // test fails rather than checking less than it says.
    const QString python = pythonWithModule(QStringLiteral("dotenv"));
    QVERIFY2(!python.isEmpty(), "no python3 with the dotenv module: install python3-dotenv (./dev deps does)");
    for (const QString &value : { kHostileUrl, raw, shellOnly }) {
        const auto r = EnvFile::write(path, QStringLiteral("DATABASE_URL"), value);
        QVERIFY2(r.ok, qPrintable(r.error));
        QByteArray out;
        QCOMPARE(
            run(QStringLiteral("/bin/sh"),
                { QStringLiteral("-c"), QStringLiteral(". ./.env; printf %s \"$DATABASE_URL\"") }, dir.path(), &out),
            0);
        QVERIFY2(QString::fromUtf8(out) == value, "sh reads the value back exactly");
        if (value != shellOnly) {
            QCOMPARE(run(python,
                         { QStringLiteral("-c"),
                             QStringLiteral("import sys, dotenv; sys.stdout.write(dotenv.dotenv_values('.env', "
                                            "interpolate=False)['DATABASE_URL'])") },
                         dir.path(), &out),
                0);
            QVERIFY2(QString::fromUtf8(out) == value, "python-dotenv reads the value back exactly");
        }
    }
}

void TestEnvFile::gitIgnoreCheck()
{
    PPG_REQUIRE_TOOL(git, "git", "git");
    QTemporaryDir outside;
    QCOMPARE(gitStatus(outside.filePath(QStringLiteral(".env"))), std::optional(EnvFile::GitStatus::NoRepository));

    QTemporaryDir repo;
    QCOMPARE(run(git, { QStringLiteral("init"), QStringLiteral("-q") }, repo.path()), 0);
    QVERIFY(QDir(repo.path()).mkdir(QStringLiteral("app")));
    const QString env = repo.filePath(QStringLiteral("app/.env"));
    QVERIFY(writeAll(env, "A=1\n"));
    QCOMPARE(gitStatus(env), std::optional(EnvFile::GitStatus::NotIgnored));
    QVERIFY(writeAll(repo.filePath(QStringLiteral(".gitignore")), ".env\n"));
    QCOMPARE(gitStatus(env), std::optional(EnvFile::GitStatus::Ignored));
    // A file that does not exist yet is judged by its name too.
    QCOMPARE(gitStatus(repo.filePath(QStringLiteral("other/.env"))),
        std::optional(EnvFile::GitStatus::NoRepository)); // its folder does not exist: nothing to ask git about
    QCOMPARE(gitStatus(repo.filePath(QStringLiteral("prod.env"))), std::optional(EnvFile::GitStatus::NotIgnored));
}

void TestEnvFile::gitMissing()
{
    const QByteArray path = qgetenv("PATH");
    QTemporaryDir empty;
    qputenv("PATH", empty.path().toLocal8Bit());
    const auto status = gitStatus(empty.filePath(QStringLiteral(".env")));
    qputenv("PATH", path);
    QCOMPARE(status, std::optional(EnvFile::GitStatus::GitMissing));
}

QTEST_GUILESS_MAIN(TestEnvFile)
#include "tst_envfile.moc"

// PPG_REQUIRE_TOOL(): the path of a program a test needs (git, xvfb-run, xclip, openssl, ...),
// for tests only. `./dev` installs every such program (its PACKAGES list names the Debian
// package), so a missing one is a broken machine, not a reason to skip: the test fails, saying
// which package to install. Use it at the top of a test function:
//     PPG_REQUIRE_TOOL(git, "git", "git");
//     QProcess::execute(git, ...);
// pythonWithModule() finds a Python 3 that can import `module` (Debian's /usr/bin/python3 first,
// where python3-<module> installs it, then the one on PATH); empty when there is none.
#pragma once

#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QString>
#include <QStringList>
#include <QTest>

#define PPG_REQUIRE_TOOL(variable, program, package)                                                                   \
    const QString variable = QStandardPaths::findExecutable(QStringLiteral(program));                                  \
    if (variable.isEmpty())                                                                                            \
        QFAIL(program " is not installed: install the Debian package " package " (./dev deps does)");

inline QString pythonWithModule(const QString &module)
{
    QStringList candidates { QStringLiteral("/usr/bin/python3") };
    const QString onPath = QStandardPaths::findExecutable(QStringLiteral("python3"));
    if (!onPath.isEmpty())
        candidates << onPath;
    for (const QString &python : candidates) {
        if (!QFileInfo(python).isExecutable())
            continue;
        QProcess p;
        p.start(python, { QStringLiteral("-c"), QStringLiteral("import ") + module });
        if (p.waitForFinished(30000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0)
            return python;
    }
    return {};
}

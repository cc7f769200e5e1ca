// ScriptedUser: a user played by the console itself (`ppg-console --script-user FILE`), for the
// crash-safety test (tests/e2e/tst_crashsafety.cpp kills the console with SIGKILL between and
// during these steps) and the soak (`./dev soak`). It works through ConsoleCore exactly as the
// window's controllers do, and writes every file the console writes.
//
// At start, once the session is bound, it loads the whole account (ResourceTreeModel::loadAll:
// GET /v1/workspaces, /v1/projects, /v1/databases, /v1/connections) and reports every row it lists
// ("listed KIND ID NAME"), so a caller can compare the console's tree with the service. Then it runs
// `rounds` rounds (negative: until killed or stop()). One round, each step reported before it runs
// ("step N NAME"), each waiting for the service's answer (or the keychain's) before the next:
//   createProject  POST /v1/projects                        "<prefix>-<round>-p"
//   unprotect      DeleteProtection (the settings file)
//   createDatabase POST /v1/projects/{id}/databases         "<prefix>-<round>-d"
//   createConnection POST /v1/databases/{id}/connections    "<prefix>-<round>-c" (the keeper puts its
//                  string in the keychain and the connection's id in the vault index: settings)
//   writeEnv       EnvFile::write(envFile, "DATABASE_URL_<round>", the connection string)
//   profiles       ProfileStore: adds "<prefix>-<round>" (no token), moves it first, and
//                  removes the one added two rounds before (the profile list in the settings)
//   treeCache      ConsoleCore::saveTreeCache() (the cache folder)
// With `soak`, then: rotate (POST /v1/connections/{id}/rotate), search (loadAll), delete the
// database (DELETE /v1/databases/{id}; the service refuses to delete a project with databases
// other than its default one), then the project (DELETE /v1/projects/{id}). Creates and deletes are reported ("created
// KIND ID NAME", "deleted KIND ID NAME"), and each round's end says how many activity entries still run
// ("round done R activity-running N"); after `minutes`, "script done activity-running N".
// A failed step is reported ("failed STEP: message"; never a secret) and the round goes on to the
// next round. Lines go to `report`, one call a line; nothing here logs a connection string.
#pragma once

#include "resources.h"

#include <QElapsedTimer>
#include <QObject>
#include <QString>

#include <functional>

class ConsoleCore;
class Session;
struct Operation;
class ApiError;

class ScriptedUser : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        QString envFile; // the .env the rounds write to
        QString prefix = QStringLiteral("scripted"); // names: <prefix>-<round>-p/d/c
        int rounds = -1; // negative: until killed; 0: list the account and finish
        // The soak (./dev soak): each round also rotates the connection, searches the whole
        // account (loadAll) and deletes the project; rounds stop after `minutes` (0: no limit).
        bool soak = false;
        int minutes = 0;
    };
    ScriptedUser(
        ConsoleCore *core, Options options, std::function<void(const QString &)> report, QObject *parent = nullptr);

    // Waits for a bound session, lists, runs the rounds; finished() at the end (code 0, or 1 when
    // the listing failed).
    void start();

Q_SIGNALS:
    void finished(int code);

private:
    enum class Step {
        CreateProject,
        Unprotect,
        CreateDatabase,
        CreateConnection,
        WriteEnv,
        Profiles,
        TreeCache,
        Rotate,
        Search,
        DeleteDatabase,
        Delete
    };
    void onSession(Session *session);
    void listAccount();
    void next();
    void run(Step step);
    void done(bool ok, const QString &why = {});
    void onSucceeded(const Operation &operation, const QString &resourceId);
    void onFailed(const Operation &operation, const ApiError &error);
    QString name(char suffix) const;

    ConsoleCore *m_core;
    Options m_options;
    std::function<void(const QString &)> m_report;
    bool m_listed = false;
    bool m_started = false;
    int m_round = 0;
    int m_stepCount = 0;
    Step m_step = Step::CreateProject;
    bool m_awaitingWorkflow = false;
    bool m_awaitingKeeper = false;
    QString m_projectId;
    QString m_databaseId;
    QString m_connectionUrl; // the issued string, for writeEnv; cleared after it
    QString m_connectionId;
    QElapsedTimer m_clock;
};

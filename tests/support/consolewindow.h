// ConsoleWindow: what app/main.cpp builds (a ConsoleCore and a MainWindow on it), for the widget
// tests and the benchmarks. `settingsFile` holds profiles and protection (a test's own);
// `keychainService` keeps the test's secrets apart from the real console's. Nothing is shown or
// activated here. The members name the core's parts, as the tests use them.
#pragma once

#include "consolecore.h"
#include "mainwindow.h"
#include "resourcetreeview.h"

#include <QString>

struct ConsoleWindow
{
    ConsoleWindow(const QString &settingsFile, const QString &keychainService)
        : core(settingsFile, keychainService), window(&core)
    { }
    ConsoleCore core;
    ProfileStore &profiles = core.profiles;
    SecretStore &secrets = core.secrets;
    SessionManager &sessions = core.sessions;
    ResourceTreeModel &model = core.model;
    ActivityModel &activity = core.activity;
    ResourceWorkflows &workflows = core.workflows;
    DeleteProtection &protection = core.protection;
    MainWindow window;
};

// ConsoleWindow: everything app/main.cpp builds around a MainWindow (profile store, keychain,
// sessions, tree model, activity, workflows, delete protection), for the widget tests and the
// benchmarks. `settingsFile` holds profiles and protection (a test's own); `keychainService`
// keeps the test's secrets apart from the real console's. Nothing is shown or activated here.
#pragma once

#include "activitymodel.h"
#include "deleteprotection.h"
#include "mainwindow.h"
#include "profilestore.h"
#include "resourcetreemodel.h"
#include "resourceworkflows.h"
#include "secretstore.h"
#include "sessionmanager.h"

#include <QString>

struct ConsoleWindow
{
    ConsoleWindow(const QString &settingsFile, const QString &keychainService)
        : profiles(settingsFile), secrets(keychainService), sessions(&profiles, &secrets), workflows(&model, &activity),
          protection(settingsFile), window(&sessions, &model, &workflows, &activity, &protection)
    {
    }
    ProfileStore profiles;
    SecretStore secrets;
    SessionManager sessions;
    ResourceTreeModel model;
    ActivityModel activity;
    ResourceWorkflows workflows;
    DeleteProtection protection;
    MainWindow window;
};

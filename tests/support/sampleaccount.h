// The small account several widget tests share, made through the API (POST /v1/projects,
// /v1/projects/{id}/databases, /v1/databases/{id}/connections) on a private sandbox:
//   shop-prod (its default database, and "reporting" with a connection "ci"), and blog.
// useTestSettings(): the QSettings of a widget test (INI, organisation "ppg-console-tests",
// application `appName`) in `home`/config, so no test touches a user's settings.
// For tests only; failures are reported in `*error` (the API's words).
#pragma once

#include "apiclient.h"
#include "await.h"

#include <QCoreApplication>
#include <QSettings>
#include <QTemporaryDir>

#include <optional>

struct SampleAccount
{
    QString shop; // proj_…: shop-prod
    QString shopDatabase; // db_…: shop-prod's default database
    QString reporting; // db_…: shop-prod / reporting
    QString ci; // con_…: shop-prod / reporting / ci
    QString blog; // proj_…: blog
};

inline std::optional<SampleAccount> seedSampleAccount(const QUrl &baseUrl, const QByteArray &token, QString *error)
{
    ApiClient client(baseUrl, token);
    QObject ctx;
    SampleAccount a;
    CreateProjectRequest shop;
    shop.name = QStringLiteral("shop-prod");
    auto p = await<Project>([&](auto cb) { client.createProject(shop, &ctx, cb); });
    if (!p.ok() || !p.value().database) {
        *error = p.ok() ? QStringLiteral("shop-prod came without its database") : p.error().userMessage();
        return std::nullopt;
    }
    a.shop = p.value().id;
    a.shopDatabase = p.value().database->id;
    CreateDatabaseRequest reporting;
    reporting.name = QStringLiteral("reporting");
    auto db = await<Database>([&](auto cb) { client.createDatabase(a.shop, reporting, &ctx, cb); });
    if (!db.ok()) {
        *error = db.error().userMessage();
        return std::nullopt;
    }
    a.reporting = db.value().id;
    auto con
        = await<Connection>([&](auto cb) { client.createConnection(a.reporting, QStringLiteral("ci"), &ctx, cb); });
    if (!con.ok()) {
        *error = con.error().userMessage();
        return std::nullopt;
    }
    a.ci = con.value().id;
    CreateProjectRequest blog;
    blog.name = QStringLiteral("blog");
    auto b = await<Project>([&](auto cb) { client.createProject(blog, &ctx, cb); });
    if (!b.ok()) {
        *error = b.error().userMessage();
        return std::nullopt;
    }
    a.blog = b.value().id;
    return a;
}

inline void useTestSettings(const QTemporaryDir &home, const QString &appName)
{
    qputenv("XDG_CONFIG_HOME", home.filePath(QStringLiteral("config")).toUtf8());
    QCoreApplication::setOrganizationName(QStringLiteral("ppg-console-tests"));
    QCoreApplication::setApplicationName(appName);
    QSettings::setDefaultFormat(QSettings::IniFormat);
}

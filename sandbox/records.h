#pragma once
// Plain rows of the sandbox's state database (see StateStore). Times are milliseconds since
// the Unix epoch, UTC. A "seeded" row is metadata only: it has no real PostgreSQL objects.

#include <QString>
#include <QStringList>

struct StoreError
{
    int status = 500;      // HTTP status the API answers with
    QString code = QStringLiteral("internal_error");
    QString message = QStringLiteral("Internal error");
    QString hint;
};

struct Credential
{
    QString id;
    QString kind;          // "service_token" or "oauth"
    QString name;
    QStringList workspaceIds;
    QString workspaceCsv() const { return workspaceIds.join(QLatin1Char(',')); }
};

struct WorkspaceRow
{
    qint64 seq = 0;
    QString id;
    QString name;
    qint64 createdMs = 0;
};

struct ProjectRow
{
    qint64 seq = 0;
    QString id;
    QString workspaceId;
    QString workspaceName;
    QString name;
    QString logicalId;     // null QString when absent
    QString region;        // null QString when absent
    qint64 createdMs = 0;
    bool seeded = false;
};

struct DatabaseRow
{
    qint64 seq = 0;
    QString id;
    QString projectId;
    QString projectName;
    QString name;
    QString region;
    bool isDefault = false;
    QString defaultConnectionId;
    QString pgName;        // real database name; null for seeded rows
    QString ownerRole;     // NOLOGIN owner role; null for seeded rows
    qint64 createdMs = 0;
    bool seeded = false;
};

struct ConnectionRow
{
    qint64 seq = 0;
    QString id;
    QString databaseId;
    QString databaseName;
    QString name;
    QString roleName;      // LOGIN role; null for seeded rows
    qint64 createdMs = 0;
    bool seeded = false;
};

// A connection as returned by create/rotate: the only time its password is known.
struct IssuedConnection
{
    ConnectionRow row;
    QString password;
};

#pragma once
// Plain rows of the sandbox's state database (see StateStore), and what the store's mutations
// give back. Times are milliseconds since the Unix epoch, UTC. A "seeded" row is metadata only:
// it has no real PostgreSQL objects. Rows are filled by column name (see rowreader.h), so the
// order of their members is free.

#include "result.h"

#include <QString>
#include <QStringList>

#include <optional>

// Why a store mutation failed, as the API answers it: {"error": {"code", "message", "hint"}}.
struct StoreError
{
    int status = 500; // HTTP status the API answers with
    QString code = QStringLiteral("internal_error");
    QString message = QStringLiteral("Internal error");
    QString hint;
};

// A store mutation's outcome: its value (Done when it has none) or the StoreError to answer.
template <typename T = Done> using StoreResult = Result<T, StoreError>;

struct Credential
{
    QString id;
    QString kind; // "service_token" or "oauth"
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
    QString logicalId; // null QString when absent
    QString region; // null QString when absent
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
    QString pgName; // real database name; null for seeded rows
    QString ownerRole; // NOLOGIN owner role; null for seeded rows
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
    QString roleName; // LOGIN role; null for seeded rows
    qint64 createdMs = 0;
    bool seeded = false;
};

// A connection as returned by create/rotate: the only time its password is known.
struct IssuedConnection
{
    ConnectionRow row;
    QString password;
};

// A database as returned by create, with its first (default) connection.
struct IssuedDatabase
{
    DatabaseRow row;
    IssuedConnection connection;
};

// A project as returned by create; `database` when one was created with it.
struct IssuedProject
{
    ProjectRow row;
    std::optional<IssuedDatabase> database;
};

// GET /v1/databases/{id}/usage: the real database's size and its committed plus rolled back
// transactions (zero for a seeded database, which has no real one).
struct DatabaseUsage
{
    qint64 bytes = 0;
    qint64 operations = 0;
};

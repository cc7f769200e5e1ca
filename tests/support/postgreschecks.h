// Checks of what a Management API answer did to PostgreSQL, for tests only.
// directString(): the direct (postgres://) connection string of a connection, empty when the
// answer carried none (a secret: never print it). pgRoleCount() and pgDatabaseCount(): how many
// roles / databases of that name the sandbox's PostgreSQL has (pg_roles, pg_database), asked on
// the sandbox's admin connection (SandboxProcess::queryScalar); 0 when the query fails.
#pragma once

#include "resources.h"
#include "sandboxprocess.h"

#include <QString>

inline QString directString(const Connection &c)
{
    return c.direct ? c.direct->connectionString : QString();
}

inline int pgRoleCount(const SandboxProcess &sandbox, const QString &role)
{
    return sandbox.queryScalar(QStringLiteral("select count(*) from pg_roles where rolname = '%1'").arg(role)).toInt();
}

inline int pgDatabaseCount(const SandboxProcess &sandbox, const QString &name)
{
    return sandbox.queryScalar(QStringLiteral("select count(*) from pg_database where datname = '%1'").arg(name)).toInt();
}

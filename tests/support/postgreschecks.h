// Checks of what a Management API answer did to PostgreSQL, for tests only.
// directString(): the direct (postgres://) connection string of a connection, empty when the
// answer carried none (a secret: never print it). pgRoleCount() and pgDatabaseCount(): how many
// roles / databases of that name the sandbox's PostgreSQL has (pg_roles, pg_database), asked on
// the sandbox's admin connection (SandboxProcess::queryScalar); -1 when the query fails, so that a
// check that something is gone (== 0) cannot pass on a failed query.
#pragma once

#include "resources.h"
#include "sandboxprocess.h"

#include <QString>

inline QString directString(const Connection &c)
{
    return c.direct ? c.direct->connectionString : QString();
}

inline int pgCount(const SandboxProcess &sandbox, const QString &sql)
{
    bool ok = false;
    const int n = sandbox.queryScalar(sql).toString().toInt(&ok);
    return ok ? n : -1;
}

inline int pgRoleCount(const SandboxProcess &sandbox, const QString &role)
{
    return pgCount(sandbox, QStringLiteral("select count(*) from pg_roles where rolname = '%1'").arg(role));
}

inline int pgDatabaseCount(const SandboxProcess &sandbox, const QString &name)
{
    return pgCount(sandbox, QStringLiteral("select count(*) from pg_database where datname = '%1'").arg(name));
}

#pragma once
// Seeding a large account (--seed-projects N --seed-databases-per-project M
// --seed-connections-per-database K): metadata-only rows named "... (seeded)" (no real databases
// or roles; region us-east-1), batch inserted in one transaction, then analyzed so the planner
// reads the account through its indexes from the first page.
// Idempotent in the number of seeded projects: a workspace that already holds `projects` seeded
// projects gets none; one that holds fewer gets the missing ones.
// Errors: SqlResult with PostgreSQL's text (nothing is inserted then).

#include "sqlsession.h"

SqlResult<> seedAccount(
    SqlSession &sql, const QString &workspaceId, int projects, int databasesPerProject, int connectionsPerDatabase);

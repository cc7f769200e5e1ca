#pragma once
// The state database's schema and its agreement with the real PostgreSQL objects.
//
// Tables (all with a `seq bigserial` giving creation order, which lists page on):
// workspaces (with their plan: plan_name, usage_blocked), tokens (token_hash: SHA-256 hex),
// token_workspaces, projects, databases, connections; `seeded` rows are metadata only. Indexes serve keyset pages per
// parent. Errors: SqlResult with PostgreSQL's text; what is best effort logs and goes on.

#include "sqlsession.h"

namespace schema {

// Creates the tables and indexes when missing (idempotent), keeps sandbox roles out of the state
// database and the maintenance database, and analyzes tables whose statistics are missing or
// stale, so a data dir that already holds a large account is read through its indexes from the
// first request.
SqlResult<> prepare(SqlSession &sql);

// At start: drops the real databases and roles that look like the sandbox's (`db_*`, `con_*`,
// `db_*_owner`) but that no record refers to, and gives each connection role the LOGIN its
// workspace's usage block says (NOLOGIN while blocked, its sessions ended; LOGIN otherwise).
SqlResult<> reconcile(SqlSession &sql);

} // namespace schema

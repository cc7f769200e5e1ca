#include "schema.h"

#include "pgobjects.h"

#include <QStringList>

#include <tuple>

namespace {
const QString kSchema[] = {
    QStringLiteral("CREATE TABLE IF NOT EXISTS workspaces (seq bigserial UNIQUE, id text PRIMARY KEY, "
                   "name text NOT NULL UNIQUE, created_ms bigint NOT NULL)"),
    QStringLiteral(
        "CREATE TABLE IF NOT EXISTS tokens (seq bigserial UNIQUE, id text PRIMARY KEY, "
        "token_hash text NOT NULL UNIQUE, kind text NOT NULL, name text NOT NULL, created_ms bigint NOT NULL)"),
    QStringLiteral(
        "CREATE TABLE IF NOT EXISTS token_workspaces (token_id text NOT NULL REFERENCES tokens(id) ON DELETE CASCADE, "
        "workspace_id text NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE, PRIMARY KEY (token_id, "
        "workspace_id))"),
    QStringLiteral(
        "CREATE TABLE IF NOT EXISTS projects (seq bigserial UNIQUE, id text PRIMARY KEY, "
        "workspace_id text NOT NULL REFERENCES workspaces(id), name text NOT NULL, logical_id text, region text, "
        "created_ms bigint NOT NULL, seeded boolean NOT NULL DEFAULT false, UNIQUE (workspace_id, logical_id))"),
    QStringLiteral("CREATE TABLE IF NOT EXISTS databases (seq bigserial UNIQUE, id text PRIMARY KEY, "
                   "project_id text NOT NULL REFERENCES projects(id), name text NOT NULL, region text NOT NULL, "
                   "is_default boolean NOT NULL, default_connection_id text, pg_name text, owner_role text, "
                   "created_ms bigint NOT NULL, seeded boolean NOT NULL DEFAULT false)"),
    QStringLiteral("CREATE TABLE IF NOT EXISTS connections (seq bigserial UNIQUE, id text PRIMARY KEY, "
                   "database_id text NOT NULL REFERENCES databases(id), name text NOT NULL, role_name text, "
                   "created_ms bigint NOT NULL, seeded boolean NOT NULL DEFAULT false)"),
    // Added with backups: a stored status while data moves in, and where the data came from.
    QStringLiteral("ALTER TABLE databases ADD COLUMN IF NOT EXISTS status text, ADD COLUMN IF NOT EXISTS source_type "
                   "text, ADD COLUMN IF NOT EXISTS source_database_id text, ADD COLUMN IF NOT EXISTS source_backup_id "
                   "text"),
    QStringLiteral("CREATE TABLE IF NOT EXISTS backups (seq bigserial UNIQUE, id text PRIMARY KEY, "
                   "database_id text NOT NULL REFERENCES databases(id) ON DELETE CASCADE, backup_type text NOT NULL, "
                   "status text NOT NULL, size_bytes bigint NOT NULL DEFAULT 0, created_ms bigint NOT NULL, "
                   "change_mark bigint NOT NULL DEFAULT 0)"),
    QStringLiteral("CREATE INDEX IF NOT EXISTS backups_database ON backups (database_id, created_ms)"),
    // Added with service tokens: a hint of each token's value (its last characters).
    QStringLiteral("ALTER TABLE tokens ADD COLUMN IF NOT EXISTS value_hint text"),
    QStringLiteral("CREATE INDEX IF NOT EXISTS token_workspaces_workspace ON token_workspaces (workspace_id)"),
    // Added with subscriptions: each workspace's plan, and whether its usage is blocked.
    QStringLiteral("ALTER TABLE workspaces ADD COLUMN IF NOT EXISTS plan_name text NOT NULL DEFAULT 'Free', "
                   "ADD COLUMN IF NOT EXISTS usage_blocked boolean NOT NULL DEFAULT false"),
    QStringLiteral("CREATE INDEX IF NOT EXISTS projects_ws_seq ON projects (workspace_id, seq)"),
    QStringLiteral("CREATE INDEX IF NOT EXISTS databases_project ON databases (project_id, seq)"),
    QStringLiteral("CREATE INDEX IF NOT EXISTS connections_database ON connections (database_id, seq)"),
};

QStringList strings(const QVariantList &values)
{
    QStringList out;
    out.reserve(values.size());
    for (const QVariant &v : values)
        out << v.toString();
    return out;
}

// ANALYZE the state tables PostgreSQL has no statistics for (never analyzed) or whose rows
// changed by more than autovacuum's own threshold since: a data dir that already holds a large
// account is then read through its indexes from the first request, not after autovacuum's
// first pass. Costs one catalog query when nothing is stale.
void analyzeStaleTables(SqlSession &sql)
{
    const SqlResult<QVariantList> stale = sql.column(QStringLiteral(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid WHERE n.nspname = current_schema() AND c.relkind = 'r' "
        "AND c.relname IN ('workspaces', 'tokens', 'token_workspaces', 'projects', 'databases', 'connections', "
        "'backups') "
        "AND (c.reltuples < 0 OR COALESCE(s.n_mod_since_analyze, 0) > 50 + 0.1 * c.reltuples)"));
    if (!stale) {
        qWarning("ppg-sandbox: cannot read table statistics: %s", qPrintable(stale.error()));
        return;
    }
    QStringList tables;
    for (const QString &name : strings(*stale))
        tables << quoteIdent(name);
    if (tables.isEmpty())
        return;
    if (const SqlResult<> r = sql.exec(QStringLiteral("ANALYZE %1").arg(tables.join(QStringLiteral(", ")))); !r)
        qWarning("ppg-sandbox: ANALYZE failed: %s", qPrintable(r.error()));
}
} // namespace

namespace schema {

SqlResult<> prepare(SqlSession &sql)
{
    for (const QString &stmt : kSchema) {
        if (SqlResult<> r = sql.exec(stmt); !r)
            return r;
    }
    // Sandbox roles must not reach the state database or the maintenance databases.
    std::ignore
        = sql.exec(QStringLiteral("REVOKE CONNECT ON DATABASE %1 FROM PUBLIC").arg(quoteIdent(sql.target().dbname)));
    std::ignore = sql.exec(QStringLiteral("REVOKE CONNECT ON DATABASE postgres FROM PUBLIC"));
    analyzeStaleTables(sql);
    return Done {};
}

SqlResult<> reconcile(SqlSession &sql)
{
    PgObjects pg(sql);
    // Real databases / roles that look like ours but that no row refers to: drop them.
    const SqlResult<QVariantList> orphanDbs
        = sql.column(QStringLiteral("SELECT datname FROM pg_database WHERE datname LIKE 'db\\_%' "
                                    "AND datname NOT IN (SELECT pg_name FROM databases WHERE pg_name IS NOT NULL)"));
    if (!orphanDbs)
        return orphanDbs.failure();
    for (const QString &name : strings(*orphanDbs)) {
        qWarning("ppg-sandbox: dropping orphan database %s", qPrintable(name));
        std::ignore = pg.dropDatabase(name);
    }
    const SqlResult<QVariantList> orphanRoles = sql.column(QStringLiteral(
        "SELECT rolname FROM pg_roles WHERE (rolname LIKE 'con\\_%' AND rolname NOT IN "
        "(SELECT role_name FROM connections WHERE role_name IS NOT NULL)) OR (rolname LIKE 'db\\_%\\_owner' "
        "AND rolname NOT IN (SELECT owner_role FROM databases WHERE owner_role IS NOT NULL)) "
        "ORDER BY rolname LIKE 'db\\_%'"));
    if (!orphanRoles)
        return orphanRoles.failure();
    for (const QString &role : strings(*orphanRoles)) {
        qWarning("ppg-sandbox: dropping orphan role %s", qPrintable(role));
        std::ignore = pg.dropRole(role);
    }
    // Connection roles whose LOGIN disagrees with their workspace's usage block (a stop between
    // the record and the role, or a role changed by hand): the record wins.
    const QString disagreeing = QStringLiteral(
        "SELECT r.rolname FROM connections c JOIN databases d ON d.id = c.database_id "
        "JOIN projects p ON p.id = d.project_id JOIN workspaces w ON w.id = p.workspace_id "
        "JOIN pg_roles r ON r.rolname = c.role_name WHERE r.rolcanlogin = w.usage_blocked AND w.usage_blocked = ?");
    for (const bool blocked : { true, false }) {
        const SqlResult<QVariantList> roles = sql.column(disagreeing, { blocked });
        if (!roles)
            return roles.failure();
        const QStringList names = strings(*roles);
        for (const QString &role : names) {
            qWarning("ppg-sandbox: role %s may %s log in, as its workspace's usage block says", qPrintable(role),
                blocked ? "no longer" : "again");
            if (SqlResult<> r = pg.setLogin(role, !blocked); !r)
                return r;
        }
        if (blocked)
            pg.terminateSessions(names);
    }
    return Done {};
}

} // namespace schema

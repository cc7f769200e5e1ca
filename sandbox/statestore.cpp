#include "statestore.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QUuid>

namespace {
const QString kSchema[] = {
    QStringLiteral("CREATE TABLE IF NOT EXISTS workspaces (seq bigserial UNIQUE, id text PRIMARY KEY, "
                   "name text NOT NULL UNIQUE, created_ms bigint NOT NULL)"),
    QStringLiteral("CREATE TABLE IF NOT EXISTS tokens (seq bigserial UNIQUE, id text PRIMARY KEY, "
                   "token_hash text NOT NULL UNIQUE, kind text NOT NULL, name text NOT NULL, created_ms bigint NOT NULL)"),
    QStringLiteral("CREATE TABLE IF NOT EXISTS token_workspaces (token_id text NOT NULL REFERENCES tokens(id) ON DELETE CASCADE, "
                   "workspace_id text NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE, PRIMARY KEY (token_id, workspace_id))"),
    QStringLiteral("CREATE TABLE IF NOT EXISTS projects (seq bigserial UNIQUE, id text PRIMARY KEY, "
                   "workspace_id text NOT NULL REFERENCES workspaces(id), name text NOT NULL, logical_id text, region text, "
                   "created_ms bigint NOT NULL, seeded boolean NOT NULL DEFAULT false, UNIQUE (workspace_id, logical_id))"),
    QStringLiteral("CREATE TABLE IF NOT EXISTS databases (seq bigserial UNIQUE, id text PRIMARY KEY, "
                   "project_id text NOT NULL REFERENCES projects(id), name text NOT NULL, region text NOT NULL, "
                   "is_default boolean NOT NULL, default_connection_id text, pg_name text, owner_role text, "
                   "created_ms bigint NOT NULL, seeded boolean NOT NULL DEFAULT false)"),
    QStringLiteral("CREATE TABLE IF NOT EXISTS connections (seq bigserial UNIQUE, id text PRIMARY KEY, "
                   "database_id text NOT NULL REFERENCES databases(id), name text NOT NULL, role_name text, "
                   "created_ms bigint NOT NULL, seeded boolean NOT NULL DEFAULT false)"),
    QStringLiteral("CREATE INDEX IF NOT EXISTS projects_ws_seq ON projects (workspace_id, seq)"),
    QStringLiteral("CREATE INDEX IF NOT EXISTS databases_project ON databases (project_id, seq)"),
    QStringLiteral("CREATE INDEX IF NOT EXISTS connections_database ON connections (database_id, seq)"),
};

QVariant nullable(const QString &s)
{
    return s.isNull() ? QVariant(QMetaType::fromType<QString>()) : QVariant(s);
}

QString str(const QVariant &v)
{
    return v.isNull() ? QString() : v.toString();
}

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

QString quoteIdent(const QString &name)
{
    QString q = name;
    q.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + q + QLatin1Char('"');
}

QString quoteLiteral(const QString &value)
{
    QString q = value;
    q.replace(QLatin1Char('\''), QStringLiteral("''"));
    return QLatin1Char('\'') + q + QLatin1Char('\'');
}

QString randomString(const char *alphabet, int alphabetSize, int length)
{
    QString out;
    out.reserve(length);
    auto *rng = QRandomGenerator::system();
    for (int i = 0; i < length; ++i)
        out.append(QLatin1Char(alphabet[rng->bounded(alphabetSize)]));
    return out;
}

QString sqlErr(const QSqlQuery &q)
{
    return q.lastError().text();
}

StoreError internal(const QString &detail)
{
    qWarning("ppg-sandbox: %s", qPrintable(detail));
    StoreError e;
    e.message = QStringLiteral("Internal error: %1").arg(detail);
    return e;
}

// Columns and joins read into ProjectRow, DatabaseRow and ConnectionRow (projectFrom() etc.).
const char kProjectFrom[] = "SELECT p.seq, p.id, p.workspace_id, w.name, p.name, p.logical_id, p.region, p.created_ms, "
                            "p.seeded FROM projects p JOIN workspaces w ON w.id = p.workspace_id";
const char kDatabaseFrom[] = "SELECT d.seq, d.id, d.project_id, p.name, d.name, d.region, d.is_default, "
                             "d.default_connection_id, d.pg_name, d.owner_role, d.created_ms, d.seeded "
                             "FROM databases d JOIN projects p ON p.id = d.project_id";
const char kConnectionFrom[] = "SELECT c.seq, c.id, c.database_id, d.name, c.name, c.role_name, c.created_ms, c.seeded "
                               "FROM connections c JOIN databases d ON d.id = c.database_id "
                               "JOIN projects p ON p.id = d.project_id";

// Reads the current row's columns left to right; the *From() readers below take them in the
// order of the row struct's members, which is the order of the columns in k*From.
class Columns
{
public:
    explicit Columns(const QSqlQuery &q) : m_q(q) {}
    qint64 integer() { return m_q.value(m_next++).toLongLong(); }
    QString text() { return str(m_q.value(m_next++)); }   // null QString for SQL NULL
    bool flag() { return m_q.value(m_next++).toBool(); }

private:
    const QSqlQuery &m_q;
    int m_next = 0;
};

// Braced initializers run left to right, so each member takes the next column.
ProjectRow projectFrom(const QSqlQuery &q)
{
    Columns c(q);
    return ProjectRow{c.integer(), c.text(), c.text(), c.text(), c.text(), c.text(), c.text(), c.integer(), c.flag()};
}

DatabaseRow databaseFrom(const QSqlQuery &q)
{
    Columns c(q);
    return DatabaseRow{c.integer(), c.text(), c.text(), c.text(), c.text(), c.text(),
                       c.flag(),    c.text(), c.text(), c.text(), c.integer(), c.flag()};
}

ConnectionRow connectionFrom(const QSqlQuery &q)
{
    Columns c(q);
    return ConnectionRow{c.integer(), c.text(), c.text(), c.text(), c.text(), c.text(), c.integer(), c.flag()};
}

WorkspaceRow workspaceFrom(const QSqlQuery &q)
{
    Columns c(q);
    return WorkspaceRow{c.integer(), c.text(), c.text(), c.integer()};
}
} // namespace

StateStore::StateStore()
    : m_connName(QStringLiteral("ppg_admin_") + QUuid::createUuid().toString(QUuid::Id128))
{
}

StateStore::~StateStore()
{
    close();
}

QSqlDatabase StateStore::db() const
{
    return QSqlDatabase::database(m_connName, false);
}

void StateStore::close()
{
    m_prepared.clear();   // DEALLOCATE while the connection is still open
    if (QSqlDatabase::contains(m_connName)) {
        {
            QSqlDatabase d = db();
            d.close();
        }
        QSqlDatabase::removeDatabase(m_connName);
    }
}

QString StateStore::newId(const QString &prefix)
{
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    return prefix + randomString(alphabet, 36, 20);
}

QString StateStore::newPassword()
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    return randomString(alphabet, 62, 32);
}

// Without binds the text may carry quoted names and literals (DDL): executed once, not kept.
bool StateStore::exec(const QString &sql, const QVariantList &binds, QString *error)
{
    if (!binds.isEmpty()) {
        QSqlQuery *q = run(sql, binds, error);
        if (q)
            q->finish();
        return q != nullptr;
    }
    QSqlQuery q(db());
    const bool ok = q.exec(sql);
    if (!ok && error)
        *error = sqlErr(q);
    return ok;
}

// QPSQL turns every QSqlQuery::prepare() into a PREPARE and its destruction into a DEALLOCATE,
// and PostgreSQL plans each new statement: keeping one prepared statement per text saves two
// round trips and the planning on every call. Only constant texts come here (values are bound),
// so the map stays as small as the set of statements in this file.
QSqlQuery *StateStore::run(const QString &sql, const QVariantList &binds, QString *error)
{
    auto it = m_prepared.find(sql);
    if (it == m_prepared.end()) {
        auto q = std::make_unique<QSqlQuery>(db());
        if (!q->prepare(sql)) {
            if (error)
                *error = sqlErr(*q);
            return nullptr;
        }
        it = m_prepared.emplace(sql, std::move(q)).first;
    }
    QSqlQuery *q = it->second.get();
    for (int i = 0; i < binds.size(); ++i)
        q->bindValue(i, binds.at(i));
    if (!q->exec()) {
        if (error)
            *error = sqlErr(*q);
        return nullptr;
    }
    return q;
}

// Ends the transaction begun with db().transaction(): commits when `ok`; rolls back when not, or
// when the commit fails (then *error, if still empty, gets the reason). True when committed.
bool StateStore::endTransaction(bool ok, QString *error)
{
    QSqlDatabase d = db();
    if (ok && d.commit())
        return true;
    if (error->isEmpty())
        *error = d.lastError().text();
    d.rollback();
    return false;
}

// ANALYZE the state tables PostgreSQL has no statistics for (never analyzed) or whose rows
// changed by more than autovacuum's own threshold since: a data dir that already holds a large
// account is then read through its indexes from the first request, not after autovacuum's
// first pass. Costs one catalog query when nothing is stale.
void StateStore::analyzeStaleTables()
{
    QSqlQuery q(db());
    if (!q.exec(QStringLiteral(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid WHERE n.nspname = current_schema() AND c.relkind = 'r' "
            "AND c.relname IN ('workspaces', 'tokens', 'token_workspaces', 'projects', 'databases', 'connections') "
            "AND (c.reltuples < 0 OR COALESCE(s.n_mod_since_analyze, 0) > 50 + 0.1 * c.reltuples)"))) {
        qWarning("ppg-sandbox: cannot read table statistics: %s", qPrintable(sqlErr(q)));
        return;
    }
    QStringList tables;
    while (q.next())
        tables << quoteIdent(q.value(0).toString());
    QString e;
    if (!tables.isEmpty() && !exec(QStringLiteral("ANALYZE %1").arg(tables.join(QStringLiteral(", "))), {}, &e))
        qWarning("ppg-sandbox: ANALYZE failed: %s", qPrintable(e));
}

bool StateStore::open(const Target &target, QString *error)
{
    m_target = target;
    // Create the state database when missing, through the maintenance database.
    {
        const QString bootName = m_connName + QStringLiteral("_boot");
        {
            QSqlDatabase boot = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), bootName);
            boot.setHostName(target.host);
            boot.setPort(target.port);
            boot.setUserName(target.user);
            boot.setPassword(target.password);
            boot.setDatabaseName(QStringLiteral("postgres"));
            if (!boot.open()) {
                *error = QStringLiteral("cannot connect to PostgreSQL: %1").arg(boot.lastError().text());
                boot = QSqlDatabase();
                QSqlDatabase::removeDatabase(bootName);
                return false;
            }
            QSqlQuery q(boot);
            q.prepare(QStringLiteral("SELECT 1 FROM pg_database WHERE datname = ?"));
            q.addBindValue(target.dbname);
            if (q.exec() && !q.next()) {
                QSqlQuery c(boot);
                if (!c.exec(QStringLiteral("CREATE DATABASE %1").arg(quoteIdent(target.dbname)))) {
                    *error = QStringLiteral("cannot create the state database: %1").arg(sqlErr(c));
                    q = QSqlQuery();
                    c = QSqlQuery();
                    boot.close();
                    boot = QSqlDatabase();
                    QSqlDatabase::removeDatabase(bootName);
                    return false;
                }
            }
            q = QSqlQuery();
            boot.close();
        }
        QSqlDatabase::removeDatabase(bootName);
    }

    QSqlDatabase d = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), m_connName);
    d.setHostName(target.host);
    d.setPort(target.port);
    d.setUserName(target.user);
    d.setPassword(target.password);
    d.setDatabaseName(target.dbname);
    if (!d.open()) {
        *error = QStringLiteral("cannot open the state database: %1").arg(d.lastError().text());
        return false;
    }
    exec(QStringLiteral("SET client_min_messages TO warning"));
    for (const QString &stmt : kSchema) {
        if (!exec(stmt, {}, error))
            return false;
    }
    // Sandbox roles must not reach the state database or the maintenance databases.
    QString ignored;
    exec(QStringLiteral("REVOKE CONNECT ON DATABASE %1 FROM PUBLIC").arg(quoteIdent(target.dbname)), {}, &ignored);
    exec(QStringLiteral("REVOKE CONNECT ON DATABASE postgres FROM PUBLIC"), {}, &ignored);
    analyzeStaleTables();
    return true;
}

QString StateStore::adminConnInfo() const
{
    return QStringLiteral("host=%1 port=%2 user=%3 dbname=%4")
        .arg(m_target.host)
        .arg(m_target.port)
        .arg(m_target.user, m_target.dbname);
}

bool StateStore::reconcile(QString *error)
{
    // Real databases / roles that look like ours but that no row refers to: drop them.
    QStringList orphanDbs;
    {
        QSqlQuery q(db());
        if (!q.exec(QStringLiteral("SELECT datname FROM pg_database WHERE datname LIKE 'db\\_%' "
                                   "AND datname NOT IN (SELECT pg_name FROM databases WHERE pg_name IS NOT NULL)"))) {
            *error = sqlErr(q);
            return false;
        }
        while (q.next())
            orphanDbs << q.value(0).toString();
    }
    for (const QString &name : orphanDbs) {
        qWarning("ppg-sandbox: dropping orphan database %s", qPrintable(name));
        QString e;
        exec(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(quoteIdent(name)), {}, &e);
    }
    QStringList orphanRoles;
    {
        QSqlQuery q(db());
        if (!q.exec(QStringLiteral(
                "SELECT rolname FROM pg_roles WHERE (rolname LIKE 'con\\_%' AND rolname NOT IN "
                "(SELECT role_name FROM connections WHERE role_name IS NOT NULL)) OR (rolname LIKE 'db\\_%\\_owner' "
                "AND rolname NOT IN (SELECT owner_role FROM databases WHERE owner_role IS NOT NULL)) "
                "ORDER BY rolname LIKE 'db\\_%'"))) {
            *error = sqlErr(q);
            return false;
        }
        while (q.next())
            orphanRoles << q.value(0).toString();
    }
    for (const QString &role : orphanRoles) {
        qWarning("ppg-sandbox: dropping orphan role %s", qPrintable(role));
        QString e;
        exec(QStringLiteral("DROP ROLE IF EXISTS %1").arg(quoteIdent(role)), {}, &e);
    }
    return true;
}

QString StateStore::workspaceIdByName(const QString &name, QString *error)
{
    QSqlQuery q(db());
    q.prepare(QStringLiteral("SELECT id FROM workspaces WHERE name = ?"));
    q.addBindValue(name);
    if (!q.exec()) {
        *error = sqlErr(q);
        return {};
    }
    if (q.next())
        return q.value(0).toString();
    const QString id = newId(QStringLiteral("wksp_"));
    if (!exec(QStringLiteral("INSERT INTO workspaces (id, name, created_ms) VALUES (?, ?, ?)"), {id, name, nowMs()},
              error))
        return {};
    return id;
}

bool StateStore::upsertToken(const QString &token, const QString &kind, const QStringList &workspaceNames,
                             QString *error)
{
    const QString hash = QString::fromLatin1(QCryptographicHash::hash(token.toUtf8(), QCryptographicHash::Sha256).toHex());
    QStringList wsIds;
    for (const QString &name : workspaceNames) {
        const QString id = workspaceIdByName(name, error);
        if (id.isEmpty())
            return false;
        wsIds << id;
    }
    QSqlDatabase d = db();
    d.transaction();
    QString tokenId;
    {
        QSqlQuery q(d);
        q.prepare(QStringLiteral("SELECT id FROM tokens WHERE token_hash = ?"));
        q.addBindValue(hash);
        if (!q.exec()) {
            *error = sqlErr(q);
            d.rollback();
            return false;
        }
        if (q.next())
            tokenId = q.value(0).toString();
    }
    const QString name = kind == QLatin1String("oauth") ? QStringLiteral("Sandbox OAuth token")
                                                        : QStringLiteral("Sandbox service token");
    bool ok = true;
    if (tokenId.isEmpty()) {
        tokenId = newId(QStringLiteral("tok_"));
        ok = exec(QStringLiteral("INSERT INTO tokens (id, token_hash, kind, name, created_ms) VALUES (?, ?, ?, ?, ?)"),
                  {tokenId, hash, kind, name, nowMs()}, error);
    } else {
        ok = exec(QStringLiteral("UPDATE tokens SET kind = ?, name = ? WHERE id = ?"), {kind, name, tokenId}, error);
    }
    ok = ok && exec(QStringLiteral("DELETE FROM token_workspaces WHERE token_id = ?"), {tokenId}, error);
    for (const QString &ws : wsIds)
        ok = ok && exec(QStringLiteral("INSERT INTO token_workspaces (token_id, workspace_id) VALUES (?, ?) "
                                       "ON CONFLICT DO NOTHING"),
                        {tokenId, ws}, error);
    return endTransaction(ok, error);
}

std::optional<Credential> StateStore::authenticate(const QByteArray &token)
{
    if (token.isEmpty())
        return std::nullopt;
    const QString hash = QString::fromLatin1(QCryptographicHash::hash(token, QCryptographicHash::Sha256).toHex());
    QString error;
    QSqlQuery *q = run(QStringLiteral("SELECT t.id, t.kind, t.name, tw.workspace_id FROM tokens t "
                                      "LEFT JOIN token_workspaces tw ON tw.token_id = t.id "
                                      "LEFT JOIN workspaces w ON w.id = tw.workspace_id WHERE t.token_hash = ? ORDER BY w.seq"),
                       {hash}, &error);
    if (!q) {
        qWarning("ppg-sandbox: auth query failed: %s", qPrintable(error));
        return std::nullopt;
    }
    std::optional<Credential> cred;
    while (q->next()) {
        if (!cred) {
            cred = Credential{};
            cred->id = q->value(0).toString();
            cred->kind = q->value(1).toString();
            cred->name = q->value(2).toString();
        }
        if (!q->value(3).isNull())
            cred->workspaceIds << q->value(3).toString();
    }
    q->finish();
    return cred;
}

// ---- readers --------------------------------------------------------------------------------

// One kind of row as lists and gets read it: `selectFrom` (columns and joins), the table alias
// whose seq and id page and identify it, and the column that holds its workspace id.
template<typename Row>
struct StateStore::Resource
{
    const char *selectFrom;
    const char *alias;
    const char *workspaceColumn;
    Row (*from)(const QSqlQuery &);
};

namespace {
// The credential's workspaces as a condition on `column`, its value appended to `binds`. One
// workspace (every service token) compares with `=`, so the planner can walk an index in seq
// order and stop after a page; several (OAuth) match an array.
QString inWorkspaces(const char *column, const Credential &cred, QVariantList *binds)
{
    if (cred.workspaceIds.size() == 1) {
        binds->append(cred.workspaceIds.first());
        return QLatin1String(column) + QLatin1String(" = ?");
    }
    binds->append(cred.workspaceCsv());
    return QLatin1String(column) + QLatin1String(" = ANY(string_to_array(?, ','))");
}
} // namespace

// All rows of a query; on failure none, with the error in *error (or logged without one).
template<typename Row>
QList<Row> StateStore::select(const QString &sql, const QVariantList &binds, Row (*from)(const QSqlQuery &),
                              QString *error)
{
    QList<Row> out;
    QString e;
    QSqlQuery *q = run(sql, binds, &e);
    if (!q) {
        if (error)
            *error = e;
        else
            qWarning("ppg-sandbox: %s", qPrintable(e));
        return out;
    }
    while (q->next())
        out.append(from(*q));
    q->finish();
    return out;
}

// Keyset page: up to limit+1 rows after `afterSeq`, optionally where filterColumn = filter.
template<typename Row>
QList<Row> StateStore::list(const Resource<Row> &r, const Credential &cred, qint64 afterSeq, int limit,
                            const char *filterColumn, const QString &filter)
{
    QVariantList binds;
    QString sql = QLatin1String(r.selectFrom) + QLatin1String(" WHERE ") + inWorkspaces(r.workspaceColumn, cred, &binds)
        + QStringLiteral(" AND %1.seq > ?").arg(QLatin1String(r.alias));
    binds << afterSeq;
    if (filterColumn) {
        sql += QStringLiteral(" AND %1 = ?").arg(QLatin1String(filterColumn));
        binds << filter;
    }
    sql += QStringLiteral(" ORDER BY %1.seq LIMIT ?").arg(QLatin1String(r.alias));
    binds << limit + 1;
    return select(sql, binds, r.from);
}

template<typename Row>
std::optional<Row> StateStore::get(const Resource<Row> &r, const Credential &cred, const QString &id)
{
    QVariantList binds;
    const QString sql = QLatin1String(r.selectFrom) + QLatin1String(" WHERE ")
        + inWorkspaces(r.workspaceColumn, cred, &binds) + QStringLiteral(" AND %1.id = ?").arg(QLatin1String(r.alias));
    binds << id;
    const QList<Row> rows = select(sql, binds, r.from);
    return rows.isEmpty() ? std::nullopt : std::optional<Row>(rows.first());
}

const StateStore::Resource<WorkspaceRow> StateStore::kWorkspaces{
    "SELECT w.seq, w.id, w.name, w.created_ms FROM workspaces w", "w", "w.id", workspaceFrom};
const StateStore::Resource<ProjectRow> StateStore::kProjects{kProjectFrom, "p", "p.workspace_id", projectFrom};
const StateStore::Resource<DatabaseRow> StateStore::kDatabases{kDatabaseFrom, "d", "p.workspace_id", databaseFrom};
const StateStore::Resource<ConnectionRow> StateStore::kConnections{kConnectionFrom, "c", "p.workspace_id", connectionFrom};

QList<WorkspaceRow> StateStore::workspaces(const Credential &cred, qint64 afterSeq, int limit)
{
    return list(kWorkspaces, cred, afterSeq, limit);
}

std::optional<WorkspaceRow> StateStore::workspace(const Credential &cred, const QString &id)
{
    return get(kWorkspaces, cred, id);
}

QList<ProjectRow> StateStore::projects(const Credential &cred, qint64 afterSeq, int limit, const QString &logicalId)
{
    return list(kProjects, cred, afterSeq, limit, logicalId.isNull() ? nullptr : "p.logical_id", logicalId);
}

std::optional<ProjectRow> StateStore::project(const Credential &cred, const QString &id)
{
    return get(kProjects, cred, id);
}

QList<DatabaseRow> StateStore::databases(const Credential &cred, qint64 afterSeq, int limit, const QString &projectId)
{
    return list(kDatabases, cred, afterSeq, limit, projectId.isNull() ? nullptr : "d.project_id", projectId);
}

std::optional<DatabaseRow> StateStore::database(const Credential &cred, const QString &id)
{
    return get(kDatabases, cred, id);
}

QList<ConnectionRow> StateStore::connections(const Credential &cred, qint64 afterSeq, int limit,
                                             const QString &databaseId)
{
    return list(kConnections, cred, afterSeq, limit, databaseId.isNull() ? nullptr : "c.database_id", databaseId);
}

std::optional<ConnectionRow> StateStore::connection(const Credential &cred, const QString &id)
{
    return get(kConnections, cred, id);
}

QList<ConnectionRow> StateStore::connectionsOf(const QList<DatabaseRow> &databases)
{
    if (databases.isEmpty())
        return {};
    QStringList ids;
    QHash<QString, QString> names;
    for (const DatabaseRow &d : databases) {
        ids << d.id;
        names.insert(d.id, d.name);
    }
    // One index scan on (database_id, seq) per database (the ORDER BY keeps the planner from
    // flattening the subquery into a hash join that reads every connection).
    QList<ConnectionRow> out = select(
        QStringLiteral("SELECT c.seq, c.id, c.database_id, NULL, c.name, c.role_name, c.created_ms, c.seeded "
                       "FROM unnest(string_to_array(?, ',')) AS i(id) CROSS JOIN LATERAL "
                       "(SELECT * FROM connections WHERE database_id = i.id ORDER BY seq) c ORDER BY c.seq"),
        {ids.join(QLatin1Char(','))}, connectionFrom);
    for (ConnectionRow &c : out)
        c.databaseName = names.value(c.databaseId);
    return out;
}

// ---- real objects ---------------------------------------------------------------------------

bool StateStore::createRealDatabase(const QString &pgName, const QString &ownerRole, QString *error)
{
    if (!exec(QStringLiteral("CREATE ROLE %1 NOLOGIN").arg(quoteIdent(ownerRole)), {}, error))
        return false;
    if (!exec(QStringLiteral("CREATE DATABASE %1 OWNER %2").arg(quoteIdent(pgName), quoteIdent(ownerRole)), {}, error)) {
        QString e;
        exec(QStringLiteral("DROP ROLE IF EXISTS %1").arg(quoteIdent(ownerRole)), {}, &e);
        return false;
    }
    // Only this database's roles may connect to it.
    QString e;
    exec(QStringLiteral("REVOKE CONNECT, TEMPORARY ON DATABASE %1 FROM PUBLIC").arg(quoteIdent(pgName)), {}, &e);
    return true;
}

void StateStore::dropRealDatabase(const QString &pgName, const QString &ownerRole)
{
    QString e;
    if (!exec(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(quoteIdent(pgName)), {}, &e))
        qWarning("ppg-sandbox: cannot drop database %s: %s", qPrintable(pgName), qPrintable(e));
    if (!exec(QStringLiteral("DROP ROLE IF EXISTS %1").arg(quoteIdent(ownerRole)), {}, &e))
        qWarning("ppg-sandbox: cannot drop role %s: %s", qPrintable(ownerRole), qPrintable(e));
}

bool StateStore::runInDatabase(const QString &pgName, const QStringList &statements, QString *error)
{
    const QString name = m_connName + QStringLiteral("_target");
    bool ok = true;
    {
        QSqlDatabase t = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
        t.setHostName(m_target.host);
        t.setPort(m_target.port);
        t.setUserName(m_target.user);
        t.setPassword(m_target.password);
        t.setDatabaseName(pgName);
        if (!t.open()) {
            *error = t.lastError().text();
            ok = false;
        } else {
            QSqlQuery(t).exec(QStringLiteral("SET client_min_messages TO warning"));
            for (const QString &s : statements) {
                QSqlQuery q(t);
                if (!q.exec(s)) {
                    *error = sqlErr(q);
                    ok = false;
                    break;
                }
            }
            t.close();
        }
    }
    QSqlDatabase::removeDatabase(name);
    return ok;
}

bool StateStore::insertReturningSeq(const QString &sql, const QVariantList &binds, qint64 *seq, QString *error)
{
    QSqlQuery *q = run(sql, binds, error);
    if (!q)
        return false;
    if (!q->next()) {
        *error = sqlErr(*q);
        return false;
    }
    *seq = q->value(0).toLongLong();
    q->finish();
    return true;
}

// Inside an open transaction: the row of a real (not seeded) database.
bool StateStore::insertDatabaseTx(DatabaseRow &dbRow, QString *error)
{
    return insertReturningSeq(QStringLiteral("INSERT INTO databases (id, project_id, name, region, is_default, pg_name, "
                                             "owner_role, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq"),
                              {dbRow.id, dbRow.projectId, dbRow.name, dbRow.region, dbRow.isDefault, dbRow.pgName,
                               dbRow.ownerRole, dbRow.createdMs},
                              &dbRow.seq, error);
}

// Inside an open transaction: the LOGIN role and its row.
bool StateStore::insertConnectionTx(const DatabaseRow &dbRow, const QString &name, IssuedConnection *con,
                                    QString *error)
{
    con->row = ConnectionRow{};
    con->row.id = newId(QStringLiteral("con_"));
    con->row.databaseId = dbRow.id;
    con->row.databaseName = dbRow.name;
    con->row.name = name;
    con->row.createdMs = nowMs();
    con->row.seeded = dbRow.seeded;
    if (!dbRow.seeded) {
        con->row.roleName = con->row.id;
        con->password = newPassword();
        if (!exec(QStringLiteral("CREATE ROLE %1 LOGIN INHERIT PASSWORD %2 IN ROLE %3")
                      .arg(quoteIdent(con->row.roleName), quoteLiteral(con->password), quoteIdent(dbRow.ownerRole)),
                  {}, error))
            return false;
        // Every connection of a database acts as its owner, so the tables one connection
        // creates are usable (and droppable) through all the others, as on the real service.
        if (!exec(QStringLiteral("ALTER ROLE %1 IN DATABASE %2 SET role = %3")
                      .arg(quoteIdent(con->row.roleName), quoteIdent(dbRow.pgName), quoteLiteral(dbRow.ownerRole)),
                  {}, error))
            return false;
    } else {
        con->password = newPassword(); // metadata only: no role exists for seeded databases
    }
    return insertReturningSeq(QStringLiteral("INSERT INTO connections (id, database_id, name, role_name, created_ms, seeded) "
                                             "VALUES (?, ?, ?, ?, ?, ?) RETURNING seq"),
                              {con->row.id, dbRow.id, name, nullable(con->row.roleName), con->row.createdMs, con->row.seeded},
                              &con->row.seq, error);
}

bool StateStore::createProject(const QString &workspaceId, const QString &name, const QString &logicalId,
                               const QString &region, bool createDatabase, ProjectRow *project,
                               std::optional<DatabaseRow> *createdDb, std::optional<IssuedConnection> *createdCon,
                               StoreError *err)
{
    if (!logicalId.isNull()) {
        QSqlQuery q(db());
        q.prepare(QStringLiteral("SELECT 1 FROM projects WHERE workspace_id = ? AND logical_id = ?"));
        q.addBindValue(workspaceId);
        q.addBindValue(logicalId);
        if (q.exec() && q.next()) {
            *err = StoreError{409, QStringLiteral("conflict"),
                              QStringLiteral("A project with this logicalId already exists."),
                              QStringLiteral("Use GET /v1/projects?logicalId=... to find it.")};
            return false;
        }
    }
    QString wsName;
    {
        QSqlQuery q(db());
        q.prepare(QStringLiteral("SELECT name FROM workspaces WHERE id = ?"));
        q.addBindValue(workspaceId);
        if (!q.exec() || !q.next()) {
            *err = StoreError{404, QStringLiteral("not_found"), QStringLiteral("Workspace not found."), {}};
            return false;
        }
        wsName = q.value(0).toString();
    }

    *project = ProjectRow{};
    project->id = newId(QStringLiteral("proj_"));
    project->workspaceId = workspaceId;
    project->workspaceName = wsName;
    project->name = name;
    project->logicalId = logicalId;
    project->region = region;
    project->createdMs = nowMs();

    DatabaseRow dbRow;
    if (createDatabase) {
        dbRow.id = newId(QStringLiteral("db_"));
        dbRow.projectId = project->id;
        dbRow.projectName = name;
        dbRow.name = name;
        dbRow.region = region;
        dbRow.isDefault = true;
        dbRow.pgName = dbRow.id;
        dbRow.ownerRole = dbRow.id + QStringLiteral("_owner");
        dbRow.createdMs = project->createdMs;
        QString e;
        if (!createRealDatabase(dbRow.pgName, dbRow.ownerRole, &e)) {
            *err = internal(QStringLiteral("cannot create the database: %1").arg(e));
            return false;
        }
    }

    QSqlDatabase d = db();
    d.transaction();
    QString e;
    bool ok = insertReturningSeq(QStringLiteral("INSERT INTO projects (id, workspace_id, name, logical_id, region, "
                                                "created_ms) VALUES (?, ?, ?, ?, ?, ?) RETURNING seq"),
                                 {project->id, workspaceId, name, nullable(logicalId), nullable(region),
                                  project->createdMs},
                                 &project->seq, &e);
    IssuedConnection con;
    if (ok && createDatabase) {
        ok = insertDatabaseTx(dbRow, &e);
        ok = ok && insertConnectionTx(dbRow, QStringLiteral("Default connection"), &con, &e);
        ok = ok && exec(QStringLiteral("UPDATE databases SET default_connection_id = ? WHERE id = ?"),
                        {con.row.id, dbRow.id}, &e);
        dbRow.defaultConnectionId = con.row.id;
    }
    if (!endTransaction(ok, &e)) {
        if (createDatabase)
            dropRealDatabase(dbRow.pgName, dbRow.ownerRole);
        if (e.contains(QLatin1String("unique"), Qt::CaseInsensitive) && !logicalId.isNull())
            *err = StoreError{409, QStringLiteral("conflict"),
                              QStringLiteral("A project with this logicalId already exists."), {}};
        else
            *err = internal(QStringLiteral("cannot create the project: %1").arg(e));
        return false;
    }
    if (createDatabase) {
        *createdDb = dbRow;
        *createdCon = con;
    }
    return true;
}

bool StateStore::rename(const char *table, const QString &id, const QString &name, StoreError *err)
{
    QString e;
    if (!exec(QStringLiteral("UPDATE %1 SET name = ? WHERE id = ?").arg(QLatin1String(table)), {name, id}, &e)) {
        *err = internal(e);
        return false;
    }
    return true;
}

bool StateStore::renameProject(const QString &projectId, const QString &name, StoreError *err)
{
    return rename("projects", projectId, name, err);
}

bool StateStore::deleteProject(const ProjectRow &project, StoreError *err)
{
    QString e;
    const QList<DatabaseRow> dbs = select(QLatin1String(kDatabaseFrom) + QLatin1String(" WHERE d.project_id = ? ORDER BY d.seq"),
                                          {project.id}, databaseFrom, &e);
    if (!e.isEmpty()) {
        *err = internal(e);
        return false;
    }
    int others = 0;
    for (const auto &d : dbs)
        others += d.isDefault ? 0 : 1;
    if (others > 0) {
        *err = StoreError{400, QStringLiteral("bad_request"),
                          QStringLiteral("Project cannot be deleted due to existing dependencies."),
                          QStringLiteral("Delete the project's %1 non-default database(s) first.").arg(others)};
        return false;
    }
    for (const auto &d : dbs) {
        if (!deleteDatabase(d, err))
            return false;
    }
    if (!exec(QStringLiteral("DELETE FROM projects WHERE id = ?"), {project.id}, &e)) {
        *err = internal(e);
        return false;
    }
    return true;
}

bool StateStore::createDatabase(const ProjectRow &project, const QString &name, const QString &region, bool isDefault,
                                DatabaseRow *out, IssuedConnection *con, StoreError *err)
{
    DatabaseRow dbRow;
    dbRow.id = newId(QStringLiteral("db_"));
    dbRow.projectId = project.id;
    dbRow.projectName = project.name;
    dbRow.name = name;
    dbRow.region = region;
    dbRow.pgName = dbRow.id;
    dbRow.ownerRole = dbRow.id + QStringLiteral("_owner");
    dbRow.createdMs = nowMs();

    QString e;
    if (!createRealDatabase(dbRow.pgName, dbRow.ownerRole, &e)) {
        *err = internal(QStringLiteral("cannot create the database: %1").arg(e));
        return false;
    }
    QSqlDatabase d = db();
    d.transaction();
    bool ok = true;
    {
        QSqlQuery q(d);
        q.prepare(QStringLiteral("SELECT count(*) FROM databases WHERE project_id = ? AND is_default"));
        q.addBindValue(project.id);
        ok = q.exec() && q.next();
        if (ok)
            dbRow.isDefault = isDefault || q.value(0).toLongLong() == 0;
        else
            e = sqlErr(q);
    }
    if (ok && dbRow.isDefault)
        ok = exec(QStringLiteral("UPDATE databases SET is_default = false WHERE project_id = ?"), {project.id}, &e);
    ok = ok && insertDatabaseTx(dbRow, &e);
    ok = ok && insertConnectionTx(dbRow, QStringLiteral("Default connection"), con, &e);
    ok = ok && exec(QStringLiteral("UPDATE databases SET default_connection_id = ? WHERE id = ?"),
                    {con->row.id, dbRow.id}, &e);
    dbRow.defaultConnectionId = con->row.id;
    if (!endTransaction(ok, &e)) {
        dropRealDatabase(dbRow.pgName, dbRow.ownerRole);
        *err = internal(QStringLiteral("cannot create the database: %1").arg(e));
        return false;
    }
    *out = dbRow;
    return true;
}

bool StateStore::renameDatabase(const QString &databaseId, const QString &name, StoreError *err)
{
    return rename("databases", databaseId, name, err);
}

bool StateStore::deleteDatabase(const DatabaseRow &dbRow, StoreError *err)
{
    QString e;
    // 1. The real database (not transactional). Nothing else has changed if this fails.
    if (!dbRow.pgName.isNull()
        && !exec(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(quoteIdent(dbRow.pgName)), {}, &e)) {
        *err = internal(QStringLiteral("cannot drop the database: %1").arg(e));
        return false;
    }
    // 2. Rows and roles, atomically.
    QSqlDatabase d = db();
    d.transaction();
    QStringList roles;
    bool ok = true;
    {
        QSqlQuery q(d);
        q.prepare(QStringLiteral("DELETE FROM connections WHERE database_id = ? RETURNING role_name"));
        q.addBindValue(dbRow.id);
        ok = q.exec();
        if (!ok)
            e = sqlErr(q);
        while (ok && q.next())
            if (!q.value(0).isNull())
                roles << q.value(0).toString();
    }
    ok = ok && exec(QStringLiteral("DELETE FROM databases WHERE id = ?"), {dbRow.id}, &e);
    for (const QString &role : std::as_const(roles))
        ok = ok && exec(QStringLiteral("DROP ROLE IF EXISTS %1").arg(quoteIdent(role)), {}, &e);
    if (ok && !dbRow.ownerRole.isNull())
        ok = exec(QStringLiteral("DROP ROLE IF EXISTS %1").arg(quoteIdent(dbRow.ownerRole)), {}, &e);
    if (!endTransaction(ok, &e)) {
        // Compensate: the record still exists, so give it back an (empty) database.
        if (!dbRow.pgName.isNull()) {
            QString e2;
            exec(QStringLiteral("CREATE DATABASE %1 OWNER %2").arg(quoteIdent(dbRow.pgName), quoteIdent(dbRow.ownerRole)),
                 {}, &e2);
        }
        *err = internal(QStringLiteral("cannot delete the database: %1").arg(e));
        return false;
    }
    return true;
}

bool StateStore::createConnection(const DatabaseRow &dbRow, const QString &name, IssuedConnection *con,
                                  StoreError *err)
{
    QSqlDatabase d = db();
    d.transaction();
    QString e;
    bool ok = insertConnectionTx(dbRow, name, con, &e);
    if (ok && dbRow.defaultConnectionId.isEmpty())
        ok = exec(QStringLiteral("UPDATE databases SET default_connection_id = ? WHERE id = ? "
                                 "AND default_connection_id IS NULL"),
                  {con->row.id, dbRow.id}, &e);
    if (!endTransaction(ok, &e)) {
        *err = internal(QStringLiteral("cannot create the connection: %1").arg(e));
        return false;
    }
    return true;
}

bool StateStore::rotateConnection(const ConnectionRow &con, QString *newPassword, StoreError *err)
{
    *newPassword = StateStore::newPassword();
    if (con.roleName.isNull())
        return true;
    QString e;
    if (!exec(QStringLiteral("ALTER ROLE %1 PASSWORD %2").arg(quoteIdent(con.roleName), quoteLiteral(*newPassword)),
              {}, &e)) {
        *err = internal(QStringLiteral("cannot rotate: %1").arg(e));
        return false;
    }
    // Best effort: end the sessions opened with the old credentials.
    exec(QStringLiteral("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = ?"), {con.roleName}, &e);
    return true;
}

bool StateStore::deleteConnection(const ConnectionRow &con, const DatabaseRow &dbRow, StoreError *err)
{
    QString e;
    if (!con.roleName.isNull()) {
        exec(QStringLiteral("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = ?"), {con.roleName},
             &e);
        // Objects the role created go to the database's owner role.
        if (!runInDatabase(dbRow.pgName,
                           {QStringLiteral("REASSIGN OWNED BY %1 TO %2").arg(quoteIdent(con.roleName), quoteIdent(dbRow.ownerRole)),
                            QStringLiteral("DROP OWNED BY %1").arg(quoteIdent(con.roleName))},
                           &e)) {
            *err = internal(QStringLiteral("cannot release the connection's objects: %1").arg(e));
            return false;
        }
    }
    QSqlDatabase d = db();
    d.transaction();
    bool ok = exec(QStringLiteral("DELETE FROM connections WHERE id = ?"), {con.id}, &e);
    ok = ok && exec(QStringLiteral("UPDATE databases SET default_connection_id = NULL WHERE default_connection_id = ?"),
                    {con.id}, &e);
    if (ok && !con.roleName.isNull())
        ok = exec(QStringLiteral("DROP ROLE IF EXISTS %1").arg(quoteIdent(con.roleName)), {}, &e);
    if (!endTransaction(ok, &e)) {
        *err = internal(QStringLiteral("cannot delete the connection: %1").arg(e));
        return false;
    }
    return true;
}

bool StateStore::usage(const DatabaseRow &dbRow, qint64 *bytes, qint64 *operations)
{
    *bytes = 0;
    *operations = 0;
    if (dbRow.pgName.isNull())
        return true;
    QSqlQuery q(db());
    q.prepare(QStringLiteral("SELECT pg_database_size(d.datname), COALESCE(s.xact_commit + s.xact_rollback, 0) "
                             "FROM pg_database d LEFT JOIN pg_stat_database s ON s.datname = d.datname "
                             "WHERE d.datname = ?"));
    q.addBindValue(dbRow.pgName);
    if (!q.exec() || !q.next())
        return false;
    *bytes = q.value(0).toLongLong();
    *operations = q.value(1).toLongLong();
    return true;
}

bool StateStore::seed(const QString &workspaceId, int projects, int databasesPerProject, int connectionsPerDatabase,
                      QString *error)
{
    if (projects <= 0)
        return true;
    QSqlDatabase d = db();
    qint64 existing = 0;
    {
        QSqlQuery q(d);
        q.prepare(QStringLiteral("SELECT count(*) FROM projects WHERE workspace_id = ? AND seeded"));
        q.addBindValue(workspaceId);
        if (!q.exec() || !q.next()) {
            *error = sqlErr(q);
            return false;
        }
        existing = q.value(0).toLongLong();
    }
    const qint64 missing = projects - existing;
    if (missing <= 0)
        return true;
    d.transaction();
    const qint64 now = nowMs();
    bool ok = exec(
        QStringLiteral(
            "WITH np AS ("
            " INSERT INTO projects (id, workspace_id, name, region, created_ms, seeded)"
            " SELECT 'proj_' || substr(md5(random()::text || g::text), 1, 20), ?, 'Project ' || (g + ?) || ' (seeded)',"
            "        'us-east-1', ?, true FROM generate_series(1, ?) g ORDER BY g RETURNING id, seq),"
            " nd AS ("
            " INSERT INTO databases (id, project_id, name, region, is_default, created_ms, seeded)"
            " SELECT 'db_' || substr(md5(random()::text || np.id || g::text), 1, 20), np.id,"
            "        'Database ' || g || ' (seeded)', 'us-east-1', g = 1, ?, true"
            " FROM np CROSS JOIN generate_series(1, ?) g ORDER BY np.seq, g RETURNING id, seq)"
            " INSERT INTO connections (id, database_id, name, created_ms, seeded)"
            " SELECT 'con_' || substr(md5(random()::text || nd.id || g::text), 1, 20), nd.id,"
            "        'Connection ' || g || ' (seeded)', ?, true"
            " FROM nd CROSS JOIN generate_series(1, ?) g ORDER BY nd.seq, g"),
        {workspaceId, existing, now, missing, now, databasesPerProject, now, connectionsPerDatabase}, error);
    ok = ok && exec(QStringLiteral("UPDATE databases d SET default_connection_id = (SELECT c.id FROM connections c "
                                   "WHERE c.database_id = d.id ORDER BY c.seq LIMIT 1) "
                                   "WHERE d.seeded AND d.default_connection_id IS NULL"),
                    {}, error);
    if (!endTransaction(ok, error))
        return false;
    // Statistics for what was just inserted: without them the planner takes the tables for
    // empty and reads (and sorts) a whole account for every page until autovacuum runs.
    QString e;
    if (!exec(QStringLiteral("ANALYZE projects, databases, connections"), {}, &e))
        qWarning("ppg-sandbox: ANALYZE after seeding failed: %s", qPrintable(e));
    return true;
}

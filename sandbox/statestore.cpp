#include "statestore.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QHash>
#include <QRandomGenerator>

#include <tuple>

namespace {
QVariant nullable(const QString &s)
{
    return s.isNull() ? QVariant(QMetaType::fromType<QString>()) : QVariant(s);
}

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
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

QString newId(const QString &prefix) // prefix + 20 random [a-z0-9]
{
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    return prefix + randomString(alphabet, 36, 20);
}

QString newPassword() // 32 random [A-Za-z0-9], CSPRNG
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    return randomString(alphabet, 62, 32);
}

QString tokenHash(const QByteArray &token)
{
    return QString::fromLatin1(QCryptographicHash::hash(token, QCryptographicHash::Sha256).toHex());
}

// A service token's value: a recognisable prefix and 32 random bytes (CSPRNG), base64url.
QString newTokenValue()
{
    QByteArray bytes(32, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(bytes.data()), bytes.size() / 4);
    return QStringLiteral("ppg_sandbox_st_")
        + QString::fromLatin1(bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

// What a list may show of a token's value: "…" and its last 4 characters, or "…" alone when the
// value is shorter than 16 characters (4 of them would give too much of it away).
QString valueHint(const QString &token)
{
    return QStringLiteral("\u2026") + (token.size() >= 16 ? token.right(4) : QString());
}

StoreError internal(const QString &detail)
{
    qWarning("ppg-sandbox: %s", qPrintable(detail));
    StoreError e;
    e.message = QStringLiteral("Internal error: %1").arg(detail);
    return e;
}

// ---- rows -----------------------------------------------------------------------------------
// Each row struct's columns by name; the SELECTs below give every column the name it is read
// by (see rowreader.h).

const Columns<WorkspaceRow> kWorkspaceColumns {
    { "seq", field<&WorkspaceRow::seq> },
    { "id", field<&WorkspaceRow::id> },
    { "name", field<&WorkspaceRow::name> },
    { "created_ms", field<&WorkspaceRow::createdMs> },
};

const Columns<ProjectRow> kProjectColumns {
    { "seq", field<&ProjectRow::seq> },
    { "id", field<&ProjectRow::id> },
    { "workspace_id", field<&ProjectRow::workspaceId> },
    { "workspace_name", field<&ProjectRow::workspaceName> },
    { "name", field<&ProjectRow::name> },
    { "logical_id", field<&ProjectRow::logicalId> },
    { "region", field<&ProjectRow::region> },
    { "created_ms", field<&ProjectRow::createdMs> },
    { "seeded", field<&ProjectRow::seeded> },
};

const Columns<DatabaseRow> kDatabaseColumns {
    { "seq", field<&DatabaseRow::seq> },
    { "id", field<&DatabaseRow::id> },
    { "project_id", field<&DatabaseRow::projectId> },
    { "project_name", field<&DatabaseRow::projectName> },
    { "name", field<&DatabaseRow::name> },
    { "region", field<&DatabaseRow::region> },
    { "is_default", field<&DatabaseRow::isDefault> },
    { "default_connection_id", field<&DatabaseRow::defaultConnectionId> },
    { "pg_name", field<&DatabaseRow::pgName> },
    { "owner_role", field<&DatabaseRow::ownerRole> },
    { "created_ms", field<&DatabaseRow::createdMs> },
    { "seeded", field<&DatabaseRow::seeded> },
    { "status", field<&DatabaseRow::status> },
    { "source_type", field<&DatabaseRow::sourceType> },
    { "source_database_id", field<&DatabaseRow::sourceDatabaseId> },
    { "source_backup_id", field<&DatabaseRow::sourceBackupId> },
};

const Columns<BackupRow> kBackupColumns {
    { "seq", field<&BackupRow::seq> },
    { "id", field<&BackupRow::id> },
    { "database_id", field<&BackupRow::databaseId> },
    { "backup_type", field<&BackupRow::backupType> },
    { "status", field<&BackupRow::status> },
    { "size_bytes", field<&BackupRow::sizeBytes> },
    { "created_ms", field<&BackupRow::createdMs> },
    { "change_mark", field<&BackupRow::changeMark> },
};
const char kBackupFrom[]
    = "SELECT b.seq, b.id, b.database_id, b.backup_type, b.status, b.size_bytes, b.created_ms, b.change_mark "
      "FROM backups b";

const Columns<ConnectionRow> kConnectionColumns {
    { "seq", field<&ConnectionRow::seq> },
    { "id", field<&ConnectionRow::id> },
    { "database_id", field<&ConnectionRow::databaseId> },
    { "database_name", field<&ConnectionRow::databaseName> },
    { "name", field<&ConnectionRow::name> },
    { "role_name", field<&ConnectionRow::roleName> },
    { "created_ms", field<&ConnectionRow::createdMs> },
    { "seeded", field<&ConnectionRow::seeded> },
};

const Columns<SubscriptionRow> kSubscriptionColumns {
    { "id", field<&SubscriptionRow::workspaceId> },
    { "plan_name", field<&SubscriptionRow::planName> },
    { "usage_blocked", field<&SubscriptionRow::usageBlocked> },
};

const Columns<ServiceTokenRow> kServiceTokenColumns {
    { "seq", field<&ServiceTokenRow::seq> },
    { "id", field<&ServiceTokenRow::id> },
    { "name", field<&ServiceTokenRow::name> },
    { "value_hint", field<&ServiceTokenRow::valueHint> },
    { "created_ms", field<&ServiceTokenRow::createdMs> },
};

// One row per workspace a token sees (one with a null workspace id when it sees none).
struct TokenGrant
{
    QString id;
    QString kind;
    QString name;
    QString workspaceId;
};

const Columns<TokenGrant> kTokenGrantColumns {
    { "id", field<&TokenGrant::id> },
    { "kind", field<&TokenGrant::kind> },
    { "name", field<&TokenGrant::name> },
    { "workspace_id", field<&TokenGrant::workspaceId> },
};

// Columns and joins read into ProjectRow, DatabaseRow and ConnectionRow.
const char kProjectFrom[]
    = "SELECT p.seq, p.id, p.workspace_id, w.name AS workspace_name, p.name, p.logical_id, "
      "p.region, p.created_ms, p.seeded FROM projects p JOIN workspaces w ON w.id = p.workspace_id";
const char kDatabaseFrom[]
    = "SELECT d.seq, d.id, d.project_id, p.name AS project_name, d.name, d.region, d.is_default, "
      "d.default_connection_id, d.pg_name, d.owner_role, d.created_ms, d.seeded, d.status, d.source_type, "
      "d.source_database_id, d.source_backup_id FROM databases d JOIN projects p ON p.id = d.project_id";
const char kConnectionFrom[] = "SELECT c.seq, c.id, c.database_id, d.name AS database_name, c.name, c.role_name, "
                               "c.created_ms, c.seeded FROM connections c JOIN databases d ON d.id = c.database_id "
                               "JOIN projects p ON p.id = d.project_id";

// One kind of row as lists and gets read it: `selectFrom` (columns and joins), the table alias
// whose seq and id page and identify it, the column that holds its workspace id, and how its
// columns fill the row.
template <typename Row> struct Resource
{
    const char *selectFrom;
    const char *alias;
    const char *workspaceColumn;
    const Columns<Row> &columns;
};

const Resource<WorkspaceRow> kWorkspaces { "SELECT w.seq, w.id, w.name, w.created_ms FROM workspaces w", "w", "w.id",
    kWorkspaceColumns };
const Resource<ProjectRow> kProjects { kProjectFrom, "p", "p.workspace_id", kProjectColumns };
const Resource<DatabaseRow> kDatabases { kDatabaseFrom, "d", "p.workspace_id", kDatabaseColumns };
const Resource<ConnectionRow> kConnections { kConnectionFrom, "c", "p.workspace_id", kConnectionColumns };

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

// All rows of a read; none (the failure logged) when it fails.
template <typename Row> QList<Row> rowsOrNone(const SqlResult<QList<Row>> &rows)
{
    if (!rows) {
        qWarning("ppg-sandbox: %s", qPrintable(rows.error()));
        return {};
    }
    return *rows;
}

// Keyset page: up to limit+1 rows after `afterSeq`, optionally where filterColumn = filter.
template <typename Row>
QList<Row> list(SqlSession &sql, const Resource<Row> &r, const Credential &cred, qint64 afterSeq, int limit,
    const char *filterColumn = nullptr, const QString &filter = {})
{
    QVariantList binds;
    QString text = QLatin1String(r.selectFrom) + QLatin1String(" WHERE ")
        + inWorkspaces(r.workspaceColumn, cred, &binds) + QStringLiteral(" AND %1.seq > ?").arg(QLatin1String(r.alias));
    binds << afterSeq;
    if (filterColumn) {
        text += QStringLiteral(" AND %1 = ?").arg(QLatin1String(filterColumn));
        binds << filter;
    }
    text += QStringLiteral(" ORDER BY %1.seq LIMIT ?").arg(QLatin1String(r.alias));
    binds << limit + 1;
    return rowsOrNone(sql.select(text, binds, r.columns));
}

template <typename Row>
std::optional<Row> get(SqlSession &sql, const Resource<Row> &r, const Credential &cred, const QString &id)
{
    QVariantList binds;
    const QString text = QLatin1String(r.selectFrom) + QLatin1String(" WHERE ")
        + inWorkspaces(r.workspaceColumn, cred, &binds) + QStringLiteral(" AND %1.id = ?").arg(QLatin1String(r.alias));
    binds << id;
    const QList<Row> rows = rowsOrNone(sql.select(text, binds, r.columns));
    return rows.isEmpty() ? std::nullopt : std::optional<Row>(rows.first());
}
} // namespace

// ---- tokens ---------------------------------------------------------------------------------

SqlResult<QString> StateStore::workspaceIdByName(const QString &name)
{
    const SqlResult<QVariantList> ids
        = m_sql.column(QStringLiteral("SELECT id FROM workspaces WHERE name = ?"), { name });
    if (!ids)
        return ids.failure();
    if (!ids->isEmpty())
        return ids->first().toString();
    const QString id = newId(QStringLiteral("wksp_"));
    if (const SqlResult<> r = m_sql.exec(
            QStringLiteral("INSERT INTO workspaces (id, name, created_ms) VALUES (?, ?, ?)"), { id, name, nowMs() });
        !r)
        return r.failure();
    return id;
}

SqlResult<> StateStore::upsertToken(const QString &token, const QString &kind, const QStringList &workspaceNames)
{
    const QString hash = tokenHash(token.toUtf8());
    QStringList wsIds;
    for (const QString &name : workspaceNames) {
        const SqlResult<QString> id = workspaceIdByName(name);
        if (!id)
            return id.failure();
        wsIds << *id;
    }
    return m_sql.transaction([&]() -> SqlResult<> {
        const SqlResult<QVariantList> ids
            = m_sql.column(QStringLiteral("SELECT id FROM tokens WHERE token_hash = ?"), { hash });
        if (!ids)
            return ids.failure();
        QString tokenId = ids->isEmpty() ? QString() : ids->first().toString();
        const QString name = kind == QLatin1String("oauth") ? QStringLiteral("Sandbox OAuth token")
                                                            : QStringLiteral("Sandbox service token");
        SqlResult<> saved = Done {};
        if (tokenId.isEmpty()) {
            tokenId = newId(QStringLiteral("tok_"));
            saved = m_sql.exec(QStringLiteral("INSERT INTO tokens (id, token_hash, kind, name, created_ms, value_hint) "
                                              "VALUES (?, ?, ?, ?, ?, ?)"),
                { tokenId, hash, kind, name, nowMs(), valueHint(token) });
        } else {
            saved = m_sql.exec(QStringLiteral("UPDATE tokens SET kind = ?, name = ?, value_hint = ? WHERE id = ?"),
                { kind, name, valueHint(token), tokenId });
        }
        if (!saved)
            return saved;
        if (SqlResult<> r = m_sql.exec(QStringLiteral("DELETE FROM token_workspaces WHERE token_id = ?"), { tokenId });
            !r)
            return r;
        for (const QString &ws : std::as_const(wsIds)) {
            if (SqlResult<> r = m_sql.exec(QStringLiteral("INSERT INTO token_workspaces (token_id, workspace_id) "
                                                          "VALUES (?, ?) ON CONFLICT DO NOTHING"),
                    { tokenId, ws });
                !r)
                return r;
        }
        return Done {};
    });
}

std::optional<Credential> StateStore::authenticate(const QByteArray &token)
{
    if (token.isEmpty())
        return std::nullopt;
    const SqlResult<QList<TokenGrant>> grants = m_sql.select(
        QStringLiteral("SELECT t.id, t.kind, t.name, tw.workspace_id FROM tokens t "
                       "LEFT JOIN token_workspaces tw ON tw.token_id = t.id "
                       "LEFT JOIN workspaces w ON w.id = tw.workspace_id WHERE t.token_hash = ? ORDER BY w.seq"),
        { tokenHash(token) }, kTokenGrantColumns);
    if (!grants) {
        qWarning("ppg-sandbox: auth query failed: %s", qPrintable(grants.error()));
        return std::nullopt;
    }
    std::optional<Credential> cred;
    for (const TokenGrant &grant : *grants) {
        if (!cred) {
            cred = Credential {};
            cred->id = grant.id;
            cred->kind = grant.kind;
            cred->name = grant.name;
        }
        if (!grant.workspaceId.isNull())
            cred->workspaceIds << grant.workspaceId;
    }
    return cred;
}

QList<ServiceTokenRow> StateStore::serviceTokens(const QString &workspaceId, qint64 beforeSeq, int limit)
{
    QString text = QStringLiteral(
        "SELECT t.seq, t.id, t.name, COALESCE(t.value_hint, '\u2026') AS value_hint, t.created_ms FROM tokens t "
        "JOIN token_workspaces tw ON tw.token_id = t.id WHERE tw.workspace_id = ? AND t.kind = 'service_token'");
    QVariantList binds { workspaceId };
    if (beforeSeq > 0) {
        text += QStringLiteral(" AND t.seq < ?");
        binds << beforeSeq;
    }
    text += QStringLiteral(" ORDER BY t.seq DESC LIMIT ?");
    binds << limit + 1;
    return rowsOrNone(m_sql.select(text, binds, kServiceTokenColumns));
}

StoreResult<IssuedServiceToken> StateStore::createServiceToken(const QString &workspaceId, const QString &name)
{
    const SqlResult<QVariantList> exists
        = m_sql.column(QStringLiteral("SELECT 1 FROM workspaces WHERE id = ?"), { workspaceId });
    if (!exists)
        return fail(internal(exists.error()));
    if (exists->isEmpty())
        return fail(StoreError { 404, QStringLiteral("not_found"), QStringLiteral("Workspace not found."), {} });
    IssuedServiceToken out;
    out.value = newTokenValue();
    ServiceTokenRow &t = out.row;
    t.id = newId(QStringLiteral("tok_"));
    t.name = name;
    t.valueHint = valueHint(out.value);
    t.createdMs = nowMs();
    const SqlResult<> saved = m_sql.transaction([&]() -> SqlResult<> {
        const SqlResult<qint64> seq = insertReturningSeq(
            QStringLiteral("INSERT INTO tokens (id, token_hash, kind, name, created_ms, value_hint) "
                           "VALUES (?, ?, 'service_token', ?, ?, ?) RETURNING seq"),
            { t.id, tokenHash(out.value.toUtf8()), t.name, t.createdMs, t.valueHint });
        if (!seq)
            return seq.failure();
        t.seq = *seq;
        return m_sql.exec(QStringLiteral("INSERT INTO token_workspaces (token_id, workspace_id) VALUES (?, ?)"),
            { t.id, workspaceId });
    });
    if (!saved)
        return fail(internal(QStringLiteral("cannot create the service token: %1").arg(saved.error())));
    return out;
}

StoreResult<> StateStore::deleteServiceToken(const QString &workspaceId, const QString &tokenId)
{
    const SqlResult<QVariantList> deleted = m_sql.column(
        QStringLiteral("DELETE FROM tokens t USING token_workspaces tw WHERE t.id = ? AND tw.token_id = t.id "
                       "AND tw.workspace_id = ? AND t.kind = 'service_token' RETURNING t.id"),
        { tokenId, workspaceId });
    if (!deleted)
        return fail(internal(deleted.error()));
    if (deleted->isEmpty())
        return fail(StoreError { 404, QStringLiteral("not_found"), QStringLiteral("Service token not found."),
            QStringLiteral("GET /v1/workspaces/{workspaceId}/service-tokens lists the workspace's tokens.") });
    return Done {};
}

// ---- subscriptions --------------------------------------------------------------------------

std::optional<SubscriptionRow> StateStore::subscriptionRow(const QString &workspaceId)
{
    const QList<SubscriptionRow> rows
        = rowsOrNone(m_sql.select(QStringLiteral("SELECT id, plan_name, usage_blocked FROM workspaces WHERE id = ?"),
            { workspaceId }, kSubscriptionColumns));
    return rows.isEmpty() ? std::nullopt : std::optional<SubscriptionRow>(rows.first());
}

std::optional<SubscriptionRow> StateStore::subscription(const Credential &cred, const QString &workspaceId)
{
    if (!cred.workspaceIds.contains(workspaceId))
        return std::nullopt;
    return subscriptionRow(workspaceId);
}

SqlResult<QStringList> StateStore::connectionRoles(const char *column, const QString &id)
{
    const SqlResult<QVariantList> roles
        = m_sql.column(QStringLiteral("SELECT c.role_name FROM connections c JOIN databases d ON d.id = c.database_id "
                                      "JOIN projects p ON p.id = d.project_id WHERE %1 = ? AND c.role_name IS NOT NULL "
                                      "ORDER BY c.seq")
                           .arg(QLatin1String(column)),
            { id });
    if (!roles)
        return roles.failure();
    QStringList out;
    for (const QVariant &v : *roles)
        out << v.toString();
    return out;
}

StoreResult<SubscriptionRow> StateStore::setSubscription(
    const QString &workspaceId, const QString &planName, std::optional<bool> usageBlocked)
{
    std::optional<SubscriptionRow> sub = subscriptionRow(workspaceId);
    if (!sub)
        return fail(StoreError { 404, QStringLiteral("not_found"), QStringLiteral("Workspace not found."), {} });
    if (!planName.isNull())
        sub->planName = planName;
    if (usageBlocked)
        sub->usageBlocked = *usageBlocked;
    QStringList roles;
    const SqlResult<> saved = m_sql.transaction([&]() -> SqlResult<> {
        if (SqlResult<> r
            = m_sql.exec(QStringLiteral("UPDATE workspaces SET plan_name = ?, usage_blocked = ? WHERE id = ?"),
                { sub->planName, sub->usageBlocked, workspaceId });
            !r)
            return r;
        if (!usageBlocked)
            return Done {};
        // Every connection role, blocked or not before: the roles follow the record.
        SqlResult<QStringList> found = connectionRoles("p.workspace_id", workspaceId);
        if (!found)
            return found.failure();
        roles = *std::move(found);
        for (const QString &role : std::as_const(roles)) {
            if (SqlResult<> r = m_pg.setLogin(role, !sub->usageBlocked); !r)
                return r;
        }
        return Done {};
    });
    if (!saved)
        return fail(internal(QStringLiteral("cannot change the subscription: %1").arg(saved.error())));
    // Committed: no new session can start, so the open ones can be ended for good.
    if (sub->usageBlocked)
        m_pg.terminateSessions(roles);
    return *sub;
}

// ---- reads ----------------------------------------------------------------------------------

QList<WorkspaceRow> StateStore::workspaces(const Credential &cred, qint64 afterSeq, int limit)
{
    return list(m_sql, kWorkspaces, cred, afterSeq, limit);
}

std::optional<WorkspaceRow> StateStore::workspace(const Credential &cred, const QString &id)
{
    return get(m_sql, kWorkspaces, cred, id);
}

QList<ProjectRow> StateStore::projects(const Credential &cred, qint64 afterSeq, int limit, const QString &logicalId)
{
    return list(m_sql, kProjects, cred, afterSeq, limit, logicalId.isNull() ? nullptr : "p.logical_id", logicalId);
}

std::optional<ProjectRow> StateStore::project(const Credential &cred, const QString &id)
{
    return get(m_sql, kProjects, cred, id);
}

QList<DatabaseRow> StateStore::databases(const Credential &cred, qint64 afterSeq, int limit, const QString &projectId)
{
    return list(m_sql, kDatabases, cred, afterSeq, limit, projectId.isNull() ? nullptr : "d.project_id", projectId);
}

std::optional<DatabaseRow> StateStore::database(const Credential &cred, const QString &id)
{
    return get(m_sql, kDatabases, cred, id);
}

std::optional<DatabaseRow> StateStore::databaseById(const QString &id)
{
    const QList<DatabaseRow> rows = rowsOrNone(
        m_sql.select(QLatin1String(kDatabaseFrom) + QLatin1String(" WHERE d.id = ?"), { id }, kDatabaseColumns));
    return rows.isEmpty() ? std::nullopt : std::optional<DatabaseRow>(rows.first());
}

QList<ConnectionRow> StateStore::connections(
    const Credential &cred, qint64 afterSeq, int limit, const QString &databaseId)
{
    return list(
        m_sql, kConnections, cred, afterSeq, limit, databaseId.isNull() ? nullptr : "c.database_id", databaseId);
}

std::optional<ConnectionRow> StateStore::connection(const Credential &cred, const QString &id)
{
    return get(m_sql, kConnections, cred, id);
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
    QList<ConnectionRow> out = rowsOrNone(m_sql.select(
        QStringLiteral("SELECT c.seq, c.id, c.database_id, NULL AS database_name, c.name, c.role_name, c.created_ms, "
                       "c.seeded FROM unnest(string_to_array(?, ',')) AS i(id) CROSS JOIN LATERAL "
                       "(SELECT * FROM connections WHERE database_id = i.id ORDER BY seq) c ORDER BY c.seq"),
        { ids.join(QLatin1Char(',')) }, kConnectionColumns));
    for (ConnectionRow &c : out)
        c.databaseName = names.value(c.databaseId);
    return out;
}

// ---- inserts inside an open transaction -----------------------------------------------------

SqlResult<qint64> StateStore::insertReturningSeq(const QString &sql, const QVariantList &binds)
{
    const SqlResult<QVariantList> seq = m_sql.column(sql, binds);
    if (!seq)
        return seq.failure();
    if (seq->isEmpty())
        return fail(QStringLiteral("the insert returned no row"));
    return seq->first().toLongLong();
}

// The row of a real (not seeded) database; sets its seq.
SqlResult<> StateStore::insertDatabaseTx(DatabaseRow &db)
{
    const SqlResult<qint64> seq = insertReturningSeq(
        QStringLiteral("INSERT INTO databases (id, project_id, name, region, is_default, pg_name, "
                       "owner_role, created_ms, status, source_type, source_database_id, "
                       "source_backup_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq"),
        { db.id, db.projectId, db.name, db.region, db.isDefault, db.pgName, db.ownerRole, db.createdMs,
            nullable(db.status), nullable(db.sourceType), nullable(db.sourceDatabaseId), nullable(db.sourceBackupId) });
    if (!seq)
        return seq.failure();
    db.seq = *seq;
    return Done {};
}

// The LOGIN role (none for a seeded database) and its row.
SqlResult<IssuedConnection> StateStore::insertConnectionTx(const DatabaseRow &db, const QString &name)
{
    IssuedConnection con;
    con.row.id = newId(QStringLiteral("con_"));
    con.row.databaseId = db.id;
    con.row.databaseName = db.name;
    con.row.name = name;
    con.row.createdMs = nowMs();
    con.row.seeded = db.seeded;
    con.password = newPassword(); // metadata only for a seeded database: no role exists
    if (!db.seeded) {
        // A connection made while its workspace's usage is blocked cannot log in either.
        const SqlResult<QVariantList> blocked = m_sql.column(
            QStringLiteral("SELECT w.usage_blocked FROM projects p JOIN workspaces w ON w.id = p.workspace_id "
                           "WHERE p.id = ?"),
            { db.projectId });
        if (!blocked)
            return blocked.failure();
        const bool canLogin = blocked->isEmpty() || !blocked->first().toBool();
        con.row.roleName = con.row.id;
        if (const SqlResult<> r
            = m_pg.createLoginRole(con.row.roleName, con.password, db.ownerRole, db.pgName, canLogin);
            !r)
            return r.failure();
    }
    const SqlResult<qint64> seq = insertReturningSeq(
        QStringLiteral("INSERT INTO connections (id, database_id, name, role_name, created_ms, seeded) "
                       "VALUES (?, ?, ?, ?, ?, ?) RETURNING seq"),
        { con.row.id, db.id, name, nullable(con.row.roleName), con.row.createdMs, con.row.seeded });
    if (!seq)
        return seq.failure();
    con.row.seq = *seq;
    return con;
}

// ---- projects -------------------------------------------------------------------------------

StoreResult<IssuedProject> StateStore::createProject(const QString &workspaceId, const QString &name,
    const QString &logicalId, const QString &region, bool createDatabase)
{
    if (!logicalId.isNull()) {
        const SqlResult<QVariantList> taken
            = m_sql.column(QStringLiteral("SELECT 1 FROM projects WHERE workspace_id = ? AND logical_id = ?"),
                { workspaceId, logicalId });
        if (taken && !taken->isEmpty())
            return fail(StoreError { 409, QStringLiteral("conflict"),
                QStringLiteral("A project with this logicalId already exists."),
                QStringLiteral("Use GET /v1/projects?logicalId=... to find it.") });
    }
    const SqlResult<QVariantList> wsName
        = m_sql.column(QStringLiteral("SELECT name FROM workspaces WHERE id = ?"), { workspaceId });
    if (!wsName || wsName->isEmpty())
        return fail(StoreError { 404, QStringLiteral("not_found"), QStringLiteral("Workspace not found."), {} });

    IssuedProject out;
    ProjectRow &project = out.row;
    project.id = newId(QStringLiteral("proj_"));
    project.workspaceId = workspaceId;
    project.workspaceName = wsName->first().toString();
    project.name = name;
    project.logicalId = logicalId;
    project.region = region;
    project.createdMs = nowMs();

    DatabaseRow db;
    if (createDatabase) {
        db.id = newId(QStringLiteral("db_"));
        db.projectId = project.id;
        db.projectName = name;
        db.name = name;
        db.region = region;
        db.isDefault = true;
        db.pgName = db.id;
        db.ownerRole = db.id + QStringLiteral("_owner");
        db.createdMs = project.createdMs;
        if (const SqlResult<> r = m_pg.createDatabase(db.pgName, db.ownerRole); !r)
            return fail(internal(QStringLiteral("cannot create the database: %1").arg(r.error())));
    }

    IssuedConnection con;
    const SqlResult<> saved = m_sql.transaction([&]() -> SqlResult<> {
        const SqlResult<qint64> seq
            = insertReturningSeq(QStringLiteral("INSERT INTO projects (id, workspace_id, name, logical_id, region, "
                                                "created_ms) VALUES (?, ?, ?, ?, ?, ?) RETURNING seq"),
                { project.id, workspaceId, name, nullable(logicalId), nullable(region), project.createdMs });
        if (!seq)
            return seq.failure();
        project.seq = *seq;
        if (!createDatabase)
            return Done {};
        if (SqlResult<> r = insertDatabaseTx(db); !r)
            return r;
        SqlResult<IssuedConnection> first = insertConnectionTx(db, QStringLiteral("Default connection"));
        if (!first)
            return first.failure();
        con = *std::move(first);
        db.defaultConnectionId = con.row.id;
        return m_sql.exec(
            QStringLiteral("UPDATE databases SET default_connection_id = ? WHERE id = ?"), { con.row.id, db.id });
    });
    if (!saved) {
        if (createDatabase)
            m_pg.dropDatabaseAndOwner(db.pgName, db.ownerRole);
        if (saved.error().contains(QLatin1String("unique"), Qt::CaseInsensitive) && !logicalId.isNull())
            return fail(StoreError {
                409, QStringLiteral("conflict"), QStringLiteral("A project with this logicalId already exists."), {} });
        return fail(internal(QStringLiteral("cannot create the project: %1").arg(saved.error())));
    }
    if (createDatabase)
        out.database = IssuedDatabase { db, con };
    return out;
}

StoreResult<> StateStore::rename(const char *table, const QString &id, const QString &name)
{
    if (const SqlResult<> r
        = m_sql.exec(QStringLiteral("UPDATE %1 SET name = ? WHERE id = ?").arg(QLatin1String(table)), { name, id });
        !r)
        return fail(internal(r.error()));
    return Done {};
}

StoreResult<> StateStore::renameProject(const QString &projectId, const QString &name)
{
    return rename("projects", projectId, name);
}

StoreResult<> StateStore::transferProject(
    const ProjectRow &project, const QString &workspaceId, const std::function<QString(const DatabaseRow &)> &statusOf)
{
    const std::optional<SubscriptionRow> to = subscriptionRow(workspaceId);
    if (!to)
        return fail(StoreError { 404, QStringLiteral("not_found"), QStringLiteral("Workspace not found."), {} });
    const SqlResult<QList<DatabaseRow>> dbs
        = m_sql.select(QLatin1String(kDatabaseFrom) + QLatin1String(" WHERE d.project_id = ? ORDER BY d.seq"),
            { project.id }, kDatabaseColumns);
    if (!dbs)
        return fail(internal(dbs.error()));
    for (const DatabaseRow &d : *dbs) {
        const QString status = statusOf(d);
        if (status == QLatin1String("provisioning") || status == QLatin1String("recovering"))
            return fail(StoreError { 409, QStringLiteral("conflict"),
                QStringLiteral("The project cannot be transferred now: its database %1 is %2.").arg(d.id, status),
                QStringLiteral("Wait until every database of the project is ready, then try again.") });
    }
    if (!project.logicalId.isNull()) {
        const SqlResult<QVariantList> taken
            = m_sql.column(QStringLiteral("SELECT 1 FROM projects WHERE workspace_id = ? AND logical_id = ?"),
                { workspaceId, project.logicalId });
        if (!taken)
            return fail(internal(taken.error()));
        if (!taken->isEmpty())
            return fail(StoreError { 409, QStringLiteral("conflict"),
                QStringLiteral("The project cannot be transferred: the recipient's workspace already has a project "
                               "with logicalId \"%1\".")
                    .arg(project.logicalId),
                QStringLiteral("Rename or delete that project first.") });
    }
    QStringList roles;
    const SqlResult<> saved = m_sql.transaction([&]() -> SqlResult<> {
        if (SqlResult<> r = m_sql.exec(
                QStringLiteral("UPDATE projects SET workspace_id = ? WHERE id = ?"), { workspaceId, project.id });
            !r)
            return r;
        SqlResult<QStringList> found = connectionRoles("p.id", project.id);
        if (!found)
            return found.failure();
        roles = *std::move(found);
        for (const QString &role : std::as_const(roles)) {
            if (SqlResult<> r = m_pg.setLogin(role, !to->usageBlocked); !r)
                return r;
        }
        return Done {};
    });
    if (!saved)
        return fail(internal(QStringLiteral("cannot transfer the project: %1").arg(saved.error())));
    if (to->usageBlocked)
        m_pg.terminateSessions(roles);
    return Done {};
}

StoreResult<> StateStore::deleteProject(const ProjectRow &project)
{
    const SqlResult<QList<DatabaseRow>> dbs
        = m_sql.select(QLatin1String(kDatabaseFrom) + QLatin1String(" WHERE d.project_id = ? ORDER BY d.seq"),
            { project.id }, kDatabaseColumns);
    if (!dbs)
        return fail(internal(dbs.error()));
    int others = 0;
    for (const DatabaseRow &d : *dbs)
        others += d.isDefault ? 0 : 1;
    if (others > 0)
        return fail(StoreError { 400, QStringLiteral("bad_request"),
            QStringLiteral("Project cannot be deleted due to existing dependencies."),
            QStringLiteral("Delete the project's %1 non-default database(s) first.").arg(others) });
    for (const DatabaseRow &d : *dbs) {
        if (StoreResult<> r = deleteDatabase(d); !r)
            return r;
    }
    if (const SqlResult<> r = m_sql.exec(QStringLiteral("DELETE FROM projects WHERE id = ?"), { project.id }); !r)
        return fail(internal(r.error()));
    return Done {};
}

// ---- databases ------------------------------------------------------------------------------

StoreResult<IssuedDatabase> StateStore::createDatabase(
    const ProjectRow &project, const QString &name, const QString &region, bool isDefault, const DatabaseSource &source)
{
    IssuedDatabase out;
    DatabaseRow &db = out.row;
    db.id = newId(QStringLiteral("db_"));
    db.projectId = project.id;
    db.projectName = project.name;
    db.name = name;
    db.region = region;
    db.pgName = db.id;
    db.ownerRole = db.id + QStringLiteral("_owner");
    db.createdMs = nowMs();
    if (source.carriesData()) {
        db.status = QStringLiteral("provisioning");
        db.sourceType = source.type;
        db.sourceDatabaseId = source.databaseId;
        db.sourceBackupId = source.backupId;
    }

    if (const SqlResult<> r = m_pg.createDatabase(db.pgName, db.ownerRole); !r)
        return fail(internal(QStringLiteral("cannot create the database: %1").arg(r.error())));
    const SqlResult<> saved = m_sql.transaction([&]() -> SqlResult<> {
        const SqlResult<QVariantList> defaults = m_sql.column(
            QStringLiteral("SELECT count(*) FROM databases WHERE project_id = ? AND is_default"), { project.id });
        if (!defaults)
            return defaults.failure();
        db.isDefault = isDefault || defaults->value(0).toLongLong() == 0;
        if (db.isDefault) {
            if (SqlResult<> r = m_sql.exec(
                    QStringLiteral("UPDATE databases SET is_default = false WHERE project_id = ?"), { project.id });
                !r)
                return r;
        }
        if (SqlResult<> r = insertDatabaseTx(db); !r)
            return r;
        SqlResult<IssuedConnection> first = insertConnectionTx(db, QStringLiteral("Default connection"));
        if (!first)
            return first.failure();
        out.connection = *std::move(first);
        db.defaultConnectionId = out.connection.row.id;
        return m_sql.exec(QStringLiteral("UPDATE databases SET default_connection_id = ? WHERE id = ?"),
            { out.connection.row.id, db.id });
    });
    if (!saved) {
        m_pg.dropDatabaseAndOwner(db.pgName, db.ownerRole);
        return fail(internal(QStringLiteral("cannot create the database: %1").arg(saved.error())));
    }
    return out;
}

StoreResult<> StateStore::renameDatabase(const QString &databaseId, const QString &name)
{
    return rename("databases", databaseId, name);
}

StoreResult<> StateStore::deleteDatabase(const DatabaseRow &db)
{
    // 1. The real database (not transactional), and the scratch database a restore in place may
    // be filling (it belongs to the owner role too). Nothing else has changed if this fails.
    if (!db.pgName.isNull()) {
        if (const SqlResult<> r = m_pg.dropDatabase(db.pgName + QStringLiteral("_restore")); !r)
            return fail(internal(QStringLiteral("cannot drop the database: %1").arg(r.error())));
        if (const SqlResult<> r = m_pg.dropDatabase(db.pgName); !r)
            return fail(internal(QStringLiteral("cannot drop the database: %1").arg(r.error())));
    }
    // 2. Rows and roles, atomically.
    const SqlResult<> saved = m_sql.transaction([&]() -> SqlResult<> {
        const SqlResult<QVariantList> roles = m_sql.column(
            QStringLiteral("DELETE FROM connections WHERE database_id = ? RETURNING role_name"), { db.id });
        if (!roles)
            return roles.failure();
        if (SqlResult<> r = m_sql.exec(QStringLiteral("DELETE FROM databases WHERE id = ?"), { db.id }); !r)
            return r;
        for (const QVariant &role : *roles) {
            if (role.isNull())
                continue;
            if (SqlResult<> r = m_pg.dropRole(role.toString()); !r)
                return r;
        }
        if (!db.ownerRole.isNull())
            return m_pg.dropRole(db.ownerRole);
        return Done {};
    });
    if (!saved) {
        // Compensate: the record still exists, so give it back an (empty) database.
        if (!db.pgName.isNull())
            std::ignore = m_pg.restoreDatabase(db.pgName, db.ownerRole);
        return fail(internal(QStringLiteral("cannot delete the database: %1").arg(saved.error())));
    }
    return Done {};
}

// ---- connections ----------------------------------------------------------------------------

StoreResult<IssuedConnection> StateStore::createConnection(const DatabaseRow &db, const QString &name)
{
    IssuedConnection con;
    const SqlResult<> saved = m_sql.transaction([&]() -> SqlResult<> {
        SqlResult<IssuedConnection> made = insertConnectionTx(db, name);
        if (!made)
            return made.failure();
        con = *std::move(made);
        if (!db.defaultConnectionId.isEmpty())
            return Done {};
        return m_sql.exec(QStringLiteral("UPDATE databases SET default_connection_id = ? WHERE id = ? "
                                         "AND default_connection_id IS NULL"),
            { con.row.id, db.id });
    });
    if (!saved)
        return fail(internal(QStringLiteral("cannot create the connection: %1").arg(saved.error())));
    return con;
}

StoreResult<IssuedConnection> StateStore::rotateConnection(const ConnectionRow &con)
{
    IssuedConnection rotated { con, newPassword() };
    if (con.roleName.isNull())
        return rotated;
    if (const SqlResult<> r = m_pg.setPassword(con.roleName, rotated.password); !r)
        return fail(internal(QStringLiteral("cannot rotate: %1").arg(r.error())));
    // Best effort: end the sessions opened with the old credentials.
    m_pg.terminateSessions(con.roleName);
    return rotated;
}

StoreResult<> StateStore::deleteConnection(const ConnectionRow &con, const DatabaseRow &db)
{
    if (!con.roleName.isNull()) {
        m_pg.terminateSessions(con.roleName);
        // Objects the role created go to the database's owner role.
        if (const SqlResult<> r = m_pg.releaseOwned(db.pgName, con.roleName, db.ownerRole); !r)
            return fail(internal(QStringLiteral("cannot release the connection's objects: %1").arg(r.error())));
    }
    const SqlResult<> saved = m_sql.transaction([&]() -> SqlResult<> {
        if (SqlResult<> r = m_sql.exec(QStringLiteral("DELETE FROM connections WHERE id = ?"), { con.id }); !r)
            return r;
        if (SqlResult<> r = m_sql.exec(
                QStringLiteral("UPDATE databases SET default_connection_id = NULL WHERE default_connection_id = ?"),
                { con.id });
            !r)
            return r;
        if (!con.roleName.isNull())
            return m_pg.dropRole(con.roleName);
        return Done {};
    });
    if (!saved)
        return fail(internal(QStringLiteral("cannot delete the connection: %1").arg(saved.error())));
    return Done {};
}

// ---- usage ----------------------------------------------------------------------------------

std::optional<DatabaseUsage> StateStore::usage(const DatabaseRow &db)
{
    if (db.pgName.isNull())
        return DatabaseUsage {};
    return m_pg.usage(db.pgName);
}

// ---- backups and restores -------------------------------------------------------------------

StoreResult<> StateStore::setDatabaseStatus(const QString &databaseId, const QString &status)
{
    if (const SqlResult<> r
        = m_sql.exec(QStringLiteral("UPDATE databases SET status = ? WHERE id = ?"), { nullable(status), databaseId });
        !r)
        return fail(internal(r.error()));
    return Done {};
}

StoreResult<> StateStore::beginRestore(const DatabaseRow &target, const DatabaseSource &source)
{
    const SqlResult<QVariantList> changed = m_sql.column(
        QStringLiteral("UPDATE databases SET status = 'recovering', source_type = ?, source_database_id = ?, "
                       "source_backup_id = ? WHERE id = ? AND (status IS NULL OR status = 'failure') RETURNING id"),
        { source.type, source.databaseId, source.backupId, target.id });
    if (!changed)
        return fail(internal(changed.error()));
    if (changed->isEmpty())
        return fail(StoreError { 409, QStringLiteral("conflict"),
            QStringLiteral("The database is provisioning or recovering and cannot be restored now."),
            QStringLiteral("Wait until its status is ready, then try again.") });
    return Done {};
}

QStringList StateStore::loginRoles(const QString &databaseId)
{
    QStringList out;
    const SqlResult<QVariantList> roles = m_sql.column(
        QStringLiteral(
            "SELECT role_name FROM connections WHERE database_id = ? AND role_name IS NOT NULL ORDER BY seq"),
        { databaseId });
    if (!roles) {
        qWarning("ppg-sandbox: %s", qPrintable(roles.error()));
        return out;
    }
    for (const QVariant &v : *roles)
        out << v.toString();
    return out;
}

SqlResult<> StateStore::dropScratchDatabase(const QString &pgName)
{
    return m_pg.dropDatabase(pgName);
}

SqlResult<> StateStore::insertBackup(BackupRow &backup)
{
    backup.id = newId(QStringLiteral("bkp_"));
    const SqlResult<qint64> seq = insertReturningSeq(
        QStringLiteral(
            "INSERT INTO backups (id, database_id, backup_type, status, size_bytes, created_ms, change_mark) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING seq"),
        { backup.id, backup.databaseId, backup.backupType, backup.status, backup.sizeBytes, backup.createdMs,
            backup.changeMark });
    if (!seq)
        return seq.failure();
    backup.seq = *seq;
    return Done {};
}

StoreResult<> StateStore::finishBackup(const QString &backupId, bool completed, qint64 sizeBytes)
{
    if (const SqlResult<> r = m_sql.exec(QStringLiteral("UPDATE backups SET status = ?, size_bytes = ? WHERE id = ?"),
            { completed ? QStringLiteral("completed") : QStringLiteral("failed"), completed ? sizeBytes : 0,
                backupId });
        !r)
        return fail(internal(r.error()));
    return Done {};
}

QList<BackupRow> StateStore::backups(const QString &databaseId, int limit)
{
    return rowsOrNone(m_sql.select(QLatin1String(kBackupFrom)
            + QLatin1String(" WHERE b.database_id = ? ORDER BY b.created_ms DESC, b.seq DESC LIMIT ?"),
        { databaseId, limit + 1 }, kBackupColumns));
}

std::optional<BackupRow> StateStore::backup(const QString &databaseId, const QString &backupId)
{
    const QList<BackupRow> rows
        = rowsOrNone(m_sql.select(QLatin1String(kBackupFrom) + QLatin1String(" WHERE b.database_id = ? AND b.id = ?"),
            { databaseId, backupId }, kBackupColumns));
    return rows.isEmpty() ? std::nullopt : std::optional<BackupRow>(rows.first());
}

QStringList StateStore::backupIds()
{
    QStringList out;
    const SqlResult<QVariantList> ids = m_sql.column(QStringLiteral("SELECT id FROM backups"));
    if (!ids)
        return out;
    for (const QVariant &v : *ids)
        out << v.toString();
    return out;
}

QList<QPair<QString, QString>> StateStore::deleteBackupsBefore(qint64 cutoffMs)
{
    static const Columns<QPair<QString, QString>> columns {
        { "database_id", field<&QPair<QString, QString>::first> },
        { "id", field<&QPair<QString, QString>::second> },
    };
    return rowsOrNone(m_sql.select(
        QStringLiteral("DELETE FROM backups WHERE created_ms < ? AND status <> 'running' RETURNING database_id, id"),
        { cutoffMs }, columns));
}

QList<QPair<DatabaseRow, qint64>> StateStore::databasesDueForBackup(qint64 createdBeforeMs, qint64 backupSinceMs)
{
    const QList<DatabaseRow> rows = rowsOrNone(m_sql.select(QLatin1String(kDatabaseFrom)
            + QLatin1String(" WHERE NOT d.seeded AND d.pg_name IS NOT NULL AND d.status IS NULL AND d.created_ms < ? "
                            "AND NOT EXISTS (SELECT 1 FROM backups b WHERE b.database_id = d.id AND "
                            "(b.status = 'running' OR b.created_ms >= ?)) ORDER BY d.seq"),
        { createdBeforeMs, backupSinceMs }, kDatabaseColumns));
    QList<QPair<DatabaseRow, qint64>> out;
    for (const DatabaseRow &d : rows) {
        const SqlResult<QVariantList> mark = m_sql.column(
            QStringLiteral("SELECT change_mark FROM backups WHERE database_id = ? AND status = 'completed' "
                           "ORDER BY created_ms DESC LIMIT 1"),
            { d.id });
        out.append({ d, mark && !mark->isEmpty() ? mark->first().toLongLong() : -1 });
    }
    return out;
}

QHash<QString, qint64> StateStore::changeMarks()
{
    struct Mark
    {
        QString name;
        qint64 mark = 0;
    };
    static const Columns<Mark> columns {
        { "datname", field<&Mark::name> },
        { "mark", field<&Mark::mark> },
    };
    QHash<QString, qint64> out;
    for (const Mark &m : rowsOrNone(m_sql.select(
             QStringLiteral("SELECT datname, COALESCE(tup_inserted + tup_updated + tup_deleted, 0) AS mark "
                            "FROM pg_stat_database WHERE datname LIKE ?"),
             { QStringLiteral("db\\_%") }, columns)))
        out.insert(m.name, m.mark);
    return out;
}

QStringList StateStore::failInterruptedWork()
{
    QStringList out;
    const SqlResult<QVariantList> ids = m_sql.column(
        QStringLiteral("UPDATE backups SET status = 'failed', size_bytes = 0 WHERE status = 'running' RETURNING id"));
    if (ids)
        for (const QVariant &v : *ids)
            out << v.toString();
    if (const SqlResult<> r = m_sql.exec(
            QStringLiteral("UPDATE databases SET status = 'failure' WHERE status IN ('provisioning', 'recovering')"));
        !r)
        qWarning("ppg-sandbox: %s", qPrintable(r.error()));
    return out;
}

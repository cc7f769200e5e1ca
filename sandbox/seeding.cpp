#include "seeding.h"

#include <QDateTime>

SqlResult<> seedAccount(
    SqlSession &sql, const QString &workspaceId, int projects, int databasesPerProject, int connectionsPerDatabase)
{
    if (projects <= 0)
        return Done {};
    const SqlResult<QVariantList> count = sql.column(
        QStringLiteral("SELECT count(*) FROM projects WHERE workspace_id = ? AND seeded"), { workspaceId });
    if (!count)
        return count.failure();
    const qint64 existing = count->isEmpty() ? 0 : count->first().toLongLong();
    const qint64 missing = projects - existing;
    if (missing <= 0)
        return Done {};
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const SqlResult<> inserted = sql.transaction([&]() -> SqlResult<> {
        const SqlResult<> rows = sql.exec(
            QStringLiteral("WITH np AS ("
                           " INSERT INTO projects (id, workspace_id, name, region, created_ms, seeded)"
                           " SELECT 'proj_' || substr(md5(random()::text || g::text), 1, 20), ?, 'Project ' || (g + ?) "
                           "|| ' (seeded)',"
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
            { workspaceId, existing, now, missing, now, databasesPerProject, now, connectionsPerDatabase });
        if (!rows)
            return rows;
        return sql.exec(QStringLiteral("UPDATE databases d SET default_connection_id = (SELECT c.id FROM connections c "
                                       "WHERE c.database_id = d.id ORDER BY c.seq LIMIT 1) "
                                       "WHERE d.seeded AND d.default_connection_id IS NULL"));
    });
    if (!inserted)
        return inserted;
    // Statistics for what was just inserted: without them the planner takes the tables for
    // empty and reads (and sorts) a whole account for every page until autovacuum runs.
    if (const SqlResult<> r = sql.exec(QStringLiteral("ANALYZE projects, databases, connections")); !r)
        qWarning("ppg-sandbox: ANALYZE after seeding failed: %s", qPrintable(r.error()));
    return Done {};
}

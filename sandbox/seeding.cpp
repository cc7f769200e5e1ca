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
    // One statement for every row. A database's default connection is its first one, whose id is
    // derived from the database's (no second pass: an UPDATE of every seeded database rewrote each
    // row and its indexes, a third of the seeding time of 100,000 databases).
    const SqlResult<> inserted = sql.transaction([&]() -> SqlResult<> {
        return sql.exec(
            QStringLiteral(
                "WITH np AS ("
                " INSERT INTO projects (id, workspace_id, name, region, created_ms, seeded)"
                " SELECT 'proj_' || substr(md5(random()::text || g::text), 1, 20), ?, 'Project ' || (g + ?) "
                "|| ' (seeded)',"
                "        'us-east-1', ?, true FROM generate_series(1, ?) g ORDER BY g RETURNING id, seq),"
                " nd AS ("
                " INSERT INTO databases (id, project_id, name, region, is_default, default_connection_id, created_ms,"
                " seeded)"
                " SELECT x.id, x.project_id, 'Database ' || x.g || ' (seeded)', 'us-east-1', x.g = 1,"
                "        CASE WHEN ? > 0 THEN 'con_' || substr(md5(x.id || ':1'), 1, 20) END, ?, true"
                " FROM (SELECT 'db_' || substr(md5(random()::text || np.id || g::text), 1, 20) AS id,"
                "              np.id AS project_id, np.seq, g"
                "       FROM np CROSS JOIN generate_series(1, ?) g) x"
                " ORDER BY x.seq, x.g RETURNING id, seq)"
                " INSERT INTO connections (id, database_id, name, created_ms, seeded)"
                " SELECT CASE WHEN g = 1 THEN 'con_' || substr(md5(nd.id || ':1'), 1, 20)"
                "        ELSE 'con_' || substr(md5(random()::text || nd.id || g::text), 1, 20) END, nd.id,"
                "        'Connection ' || g || ' (seeded)', ?, true"
                " FROM nd CROSS JOIN generate_series(1, ?) g ORDER BY nd.seq, g"),
            { workspaceId, existing, now, missing, connectionsPerDatabase, now, databasesPerProject, now,
                connectionsPerDatabase });
    });
    if (!inserted)
        return inserted;
    // Statistics for what was just inserted: without them the planner takes the tables for
    // empty and reads (and sorts) a whole account for every page until autovacuum runs.
    if (const SqlResult<> r = sql.exec(QStringLiteral("ANALYZE projects, databases, connections")); !r)
        qWarning("ppg-sandbox: ANALYZE after seeding failed: %s", qPrintable(r.error()));
    return Done {};
}

// /v1/projects/{id}/databases, /v1/databases and /v1/databases/{id}.

#include "backups.h"
#include "methods.h"
#include "regions.h"
#include "resourcejson.h"
#include "routes.h"
#include "statestore.h"

#include <QHash>
#include <QUrlQuery>

namespace routes {
namespace {

// The connections of a page's databases, by database id.
QHash<QString, QList<ConnectionRow>> connectionsByDatabase(const Services &s, const QList<DatabaseRow> &rows)
{
    QHash<QString, QList<ConnectionRow>> byDb;
    for (const auto &c : s.store.connectionsOf(rows))
        byDb[c.databaseId].append(c);
    return byDb;
}

Reply databaseReply(const Services &s, const DatabaseRow &d)
{
    const QList<ConnectionRow> connections = connectionsByDatabase(s, { d }).value(d.id);
    return dataReply(s.json.database(d, connections));
}

// A page of the caller's databases, of one project when `projectId` is not null.
Reply listDatabases(const Services &s, const Call &call, const QString &projectId)
{
    QHash<QString, QList<ConnectionRow>> connections; // of the page's databases
    return listReply(
        call.request,
        [&](qint64 after, int limit) {
            const QList<DatabaseRow> rows = s.store.databases(call.cred, after, limit, projectId);
            connections = connectionsByDatabase(s, rows.mid(0, limit));
            return rows;
        },
        [&](const DatabaseRow &d) { return s.json.database(d, connections.value(d.id)); });
}

// `source` ({"type": "empty"}, {"type": "backup", "databaseId", "backupId"} or {"type":
// "database", "databaseId"}) or the deprecated `fromDatabase` ({"id", "backupId"?}: a backup when
// backupId is given, else a clone); an empty source when neither is sent; 400 when malformed.
Parsed<DatabaseSource> parseSource(const QJsonObject &body)
{
    const auto bad = [](const QString &message) {
        return fail(errorReply(400, QStringLiteral("bad_request"), message,
            QStringLiteral("source is {\"type\": \"empty\"}, {\"type\": \"backup\", \"databaseId\", "
                           "\"backupId\"} or {\"type\": \"database\", \"databaseId\"}.")));
    };
    const auto text = [](const QJsonObject &o, const char *key) {
        const QJsonValue v = o.value(QLatin1String(key));
        return v.isString() && !v.toString().isEmpty() ? v.toString() : QString();
    };
    const bool hasSource = body.contains(QStringLiteral("source"));
    const bool hasFrom = body.contains(QStringLiteral("fromDatabase"));
    DatabaseSource out;
    if (hasSource && hasFrom)
        return bad(QStringLiteral("Send source or fromDatabase, not both."));
    if (hasFrom) {
        const QJsonValue from = body.value(QStringLiteral("fromDatabase"));
        const QJsonObject o = from.toObject();
        out.databaseId = text(o, "id");
        if (!from.isObject() || out.databaseId.isNull()
            || (o.contains(QStringLiteral("backupId")) && text(o, "backupId").isNull()))
            return bad(QStringLiteral("fromDatabase must be {\"id\", \"backupId\"?}."));
        out.backupId = text(o, "backupId");
        out.type = out.backupId.isNull() ? QStringLiteral("database") : QStringLiteral("backup");
        return out;
    }
    if (!hasSource)
        return out;
    const QJsonValue src = body.value(QStringLiteral("source"));
    const QJsonObject o = src.toObject();
    out.type = o.value(QStringLiteral("type")).toString();
    out.databaseId = text(o, "databaseId");
    out.backupId = text(o, "backupId");
    if (!src.isObject())
        return bad(QStringLiteral("source must be an object."));
    if (out.type == QLatin1String("empty"))
        return DatabaseSource {};
    if (out.type == QLatin1String("backup") && !out.databaseId.isNull() && !out.backupId.isNull())
        return out;
    if (out.type == QLatin1String("database") && !out.databaseId.isNull())
        return DatabaseSource { out.type, out.databaseId, {} };
    return bad(QStringLiteral("source is malformed or of an unknown type."));
}

// POST /v1/projects/{id}/databases and POST /v1/databases {name?, region?, isDefault?, source?,
// fromDatabase?}: 201 with the database as created ("provisioning" while a source's data moves
// in). 404 for an unknown source database or backup. This operation lists 400 (not 422) for a
// bad request.
Reply createDatabase(const Services &s, const Call &call, const QString &projectId, bool deprecatedFields)
{
    const auto p = s.store.project(call.cred, projectId);
    if (!p)
        return notFound(QStringLiteral("Project"));
    const Parsed<QJsonObject> parsed = parseBody(call.request, 400);
    if (!parsed)
        return parsed.error();
    const QJsonObject &body = *parsed;
    Parsed<QString> name = optionalString(body, QStringLiteral("name"), 400);
    if (!name)
        return name.error();
    Parsed<QString> region = optionalString(body, QStringLiteral("region"), 400);
    if (!region)
        return region.error();
    const Parsed<bool> isDefault = optionalBool(body, QStringLiteral("isDefault"), false, 400);
    if (!isDefault)
        return isDefault.error();
    const Parsed<DatabaseSource> source = parseSource(body);
    if (!source)
        return source.error();
    if (region->isNull() || *region == QLatin1String("inherit"))
        *region = p->region.isNull() ? defaultRegion() : p->region;
    else if (!isRegion(*region))
        return errorReply(400, QStringLiteral("validation_error"), QStringLiteral("Unknown region '%1'.").arg(*region),
            QStringLiteral("GET /v1/regions/postgres lists the regions."));
    if (name->isNull())
        *name = QStringLiteral("Database");

    StoreResult<IssuedDatabase> created = fail(StoreError {});
    if (source->carriesData()) {
        // The data's database must be one the caller sees; a backup must be one of its own.
        const auto from = s.store.database(call.cred, source->databaseId);
        if (!from)
            return notFound(QStringLiteral("Source database"));
        std::optional<BackupRow> backup;
        if (source->type == QLatin1String("backup")) {
            backup = s.store.backup(from->id, source->backupId);
            if (!backup)
                return notFound(QStringLiteral("Backup"));
        }
        created = s.backups.createFrom(*p, *name, *region, *isDefault, *source, *from, backup);
    } else {
        created = s.store.createDatabase(*p, *name, *region, *isDefault);
    }
    if (!created)
        return storeErrorReply(created.error());
    return dataReply(s.json.database(created->row, {}, &created->connection, deprecatedFields), 201);
}

} // namespace

Reply projectDatabases(const Services &s, const Call &call)
{
    return nestedCollection(
        call.method(), QStringLiteral("Project"), [&] { return s.store.project(call.cred, call.id).has_value(); },
        [&] { return listDatabases(s, call, call.id); }, [&] { return createDatabase(s, call, call.id, true); });
}

Reply databases(const Services &s, const Call &call)
{
    using M = QHttpServerRequest::Method;
    if (call.method() == M::Post) {
        // POST /v1/databases {projectId, ...}: like the project route, without the deprecated
        // apiKeys/connectionString/directConnection fields.
        const Parsed<QString> projectId = parentIdFromBody(call.request, QStringLiteral("projectId"), 400);
        if (!projectId)
            return projectId.error();
        return createDatabase(s, call, *projectId, false);
    }
    if (call.method() != M::Get)
        return methodNotAllowed();
    const QUrlQuery q = call.request.query();
    // No sandbox database has a logicalId or a branch: those filters match nothing, except
    // branchId=unassigned, which matches every database.
    const bool matchesNothing = q.hasQueryItem(QStringLiteral("logicalId"))
        || q.hasQueryItem(QStringLiteral("branchGitName"))
        || (q.hasQueryItem(QStringLiteral("branchId"))
            && q.queryItemValue(QStringLiteral("branchId"), QUrl::FullyDecoded) != QLatin1String("unassigned"));
    if (matchesNothing)
        return listReply(
            call.request, [](qint64, int) { return QList<DatabaseRow> {}; },
            [](const DatabaseRow &) { return QJsonObject(); });
    const QString projectId = q.queryItemValue(QStringLiteral("projectId"), QUrl::FullyDecoded);
    return listDatabases(s, call, projectId.isEmpty() ? QString() : projectId);
}

Reply database(const Services &s, const Call &call)
{
    using M = QHttpServerRequest::Method;
    const auto d = s.store.database(call.cred, call.id);
    if (!d)
        return notFound(QStringLiteral("Database"));
    switch (call.method()) {
    case M::Get:
        return databaseReply(s, *d);
    case M::Patch:
        return patchName(
            call.request, [](const QJsonObject &) { return QString(); },
            [&](const QString &name) { return s.store.renameDatabase(d->id, name); },
            [&] { return databaseReply(s, *s.store.database(call.cred, call.id)); });
    case M::Delete:
        if (d->isDefault)
            return errorReply(403, QStringLiteral("forbidden"),
                QStringLiteral("The default database cannot be deleted."),
                QStringLiteral("Make another database the default, or delete the project."));
        if (const StoreResult<> r = s.store.deleteDatabase(*d); !r)
            return storeErrorReply(r.error());
        s.backups.sweepSoon(); // its backups' archives
        return noContent();
    default:
        return methodNotAllowed();
    }
}

} // namespace routes

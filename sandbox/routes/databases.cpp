// /v1/projects/{id}/databases, /v1/databases and /v1/databases/{id}.

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

// POST /v1/projects/{id}/databases and POST /v1/databases {name?, region?, isDefault?, source?}:
// 201 with the database as created. This operation lists 400 (not 422) for a bad request.
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
    if (body.contains(QStringLiteral("source")) || body.contains(QStringLiteral("fromDatabase"))) {
        const QJsonValue src = body.value(QStringLiteral("source"));
        if (body.contains(QStringLiteral("fromDatabase"))
            || !(src.isObject() && src.toObject().value(QStringLiteral("type")).toString() == QLatin1String("empty")))
            return errorReply(400, QStringLiteral("bad_request"),
                QStringLiteral("The sandbox only creates empty databases."),
                QStringLiteral("Omit source/fromDatabase or pass {\"type\":\"empty\"}."));
    }
    if (region->isNull() || *region == QLatin1String("inherit"))
        *region = p->region.isNull() ? defaultRegion() : p->region;
    else if (!isRegion(*region))
        return errorReply(400, QStringLiteral("validation_error"), QStringLiteral("Unknown region '%1'.").arg(*region),
            QStringLiteral("GET /v1/regions/postgres lists the regions."));
    if (name->isNull())
        *name = QStringLiteral("Database");

    const StoreResult<IssuedDatabase> created = s.store.createDatabase(*p, *name, *region, *isDefault);
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
        return noContentOr(s.store.deleteDatabase(*d));
    default:
        return methodNotAllowed();
    }
}

} // namespace routes

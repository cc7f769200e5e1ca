// GET /v1/databases/{id}/backups, POST /v1/databases/{id}/restore and the control route
// POST /_sandbox/databases/{id}/backups. The work itself is Backups' (backups.h).

#include "backups.h"
#include "resourcejson.h"
#include "routes.h"
#include "statestore.h"

#include <QUrlQuery>

namespace routes {
namespace {

// A non-empty string member of `o`, or a null QString.
QString stringMember(const QJsonObject &o, const char *key)
{
    const QJsonValue v = o.value(QLatin1String(key));
    return v.isString() && !v.toString().isEmpty() ? v.toString() : QString();
}

Reply databaseReply(const Services &s, const DatabaseRow &d)
{
    QList<ConnectionRow> connections;
    for (const ConnectionRow &c : s.store.connectionsOf({ d }))
        connections.append(c);
    return dataReply(s.json.database(d, connections));
}

} // namespace

// ?limit= (1..100, default 25): newest first. The SDK gives this route no cursor.
Reply databaseBackups(const Services &s, const Call &call)
{
    if (call.method() != QHttpServerRequest::Method::Get)
        return methodNotAllowed();
    const auto d = s.store.database(call.cred, call.id);
    if (!d)
        return notFound(QStringLiteral("Database"));
    const Parsed<Page> page = parsePage(call.request, 25);
    if (!page)
        return page.error();
    return jsonReply(s.json.backups(s.store.backups(d->id, page->limit), page->limit, s.backups.retentionDays()));
}

// {"source": {"type": "backup", "databaseId", "backupId"}}: 200 with the database "recovering".
// 404 for an unknown target, source database or backup; 409 while the target is provisioning or
// recovering; 422 for another source type, a backup of another project's database, or a backup
// that did not complete.
Reply restoreDatabase(const Services &s, const Call &call)
{
    if (call.method() != QHttpServerRequest::Method::Post)
        return methodNotAllowed();
    const auto target = s.store.database(call.cred, call.id);
    if (!target)
        return notFound(QStringLiteral("Database"));
    const Parsed<QJsonObject> body = parseBody(call.request, 422);
    if (!body)
        return body.error();
    const QJsonObject source = body->value(QStringLiteral("source")).toObject();
    if (source.value(QStringLiteral("type")).toString() != QLatin1String("backup"))
        return errorReply(422, QStringLiteral("validation_error"), QStringLiteral("source.type must be \"backup\"."),
            QStringLiteral("Send {\"source\": {\"type\": \"backup\", \"databaseId\", \"backupId\"}}."));
    const QString databaseId = stringMember(source, "databaseId");
    const QString backupId = stringMember(source, "backupId");
    if (databaseId.isNull() || backupId.isNull())
        return errorReply(422, QStringLiteral("validation_error"),
            QStringLiteral("source.databaseId and source.backupId must be non-empty strings."));
    const auto from = s.store.database(call.cred, databaseId);
    if (!from)
        return notFound(QStringLiteral("Source database"));
    const auto backup = s.store.backup(from->id, backupId);
    if (!backup)
        return notFound(QStringLiteral("Backup"));
    if (from->projectId != target->projectId)
        return errorReply(422, QStringLiteral("validation_error"),
            QStringLiteral("A backup can be restored in place only into a database of its own project."),
            QStringLiteral("Create a new database from the backup instead (source type \"backup\")."));
    const StoreResult<DatabaseRow> restoring = s.backups.restoreInPlace(*target, *backup);
    if (!restoring)
        return storeErrorReply(restoring.error());
    return databaseReply(s, *restoring);
}

Reply sandboxBackup(const Services &s, const QString &databaseId, const QHttpServerRequest &request)
{
    if (request.method() != QHttpServerRequest::Method::Post)
        return methodNotAllowed();
    const auto d = s.store.databaseById(databaseId);
    if (!d)
        return notFound(QStringLiteral("Database"));
    const StoreResult<BackupRow> taken = s.backups.take(*d);
    if (!taken)
        return storeErrorReply(taken.error());
    return dataReply(s.json.backup(*taken), 201);
}

} // namespace routes

// /v1/projects, /v1/projects/{id} and its transfer.

#include "backups.h"
#include "methods.h"
#include "regions.h"
#include "resourcejson.h"
#include "routes.h"
#include "statestore.h"

#include <QUrlQuery>

#include <utility>

namespace routes {
namespace {

// GET /v1/projects?logicalId=
Reply listProjects(const Services &s, const Call &call)
{
    const QUrlQuery q = call.request.query();
    const QString logicalId = q.hasQueryItem(QStringLiteral("logicalId"))
        ? q.queryItemValue(QStringLiteral("logicalId"), QUrl::FullyDecoded)
        : QString();
    return listReply(
        call.request, [&](qint64 after, int limit) { return s.store.projects(call.cred, after, limit, logicalId); },
        [&](const ProjectRow &p) { return s.json.project(p); });
}

// POST /v1/projects {name?, region?, logicalId?, workspaceId?, createDatabase?}: 201 with the
// project and, unless createDatabase is false, its default database as created.
Reply createProject(const Services &s, const Call &call)
{
    const Parsed<QJsonObject> body = parseBody(call.request, 422);
    if (!body)
        return body.error();
    QString name, region, logicalId, workspaceId;
    for (const auto &[key, out] : { std::pair { QStringLiteral("name"), &name },
             std::pair { QStringLiteral("region"), &region }, std::pair { QStringLiteral("logicalId"), &logicalId },
             std::pair { QStringLiteral("workspaceId"), &workspaceId } }) {
        const Parsed<QString> value = optionalString(*body, key, 422);
        if (!value)
            return value.error();
        *out = *value;
    }
    const Parsed<bool> createDb = optionalBool(*body, QStringLiteral("createDatabase"), true, 422);
    if (!createDb)
        return createDb.error();
    if (!region.isNull() && !isRegion(region))
        return errorReply(422, QStringLiteral("validation_error"), QStringLiteral("Unknown region '%1'.").arg(region),
            QStringLiteral("GET /v1/regions/postgres lists the regions."));
    if (region.isNull())
        region = defaultRegion();
    if (name.isNull())
        name = QStringLiteral("My project");
    if (workspaceId.isNull()) {
        if (call.cred.workspaceIds.isEmpty())
            return errorReply(422, QStringLiteral("validation_error"), QStringLiteral("The token has no workspace."));
        workspaceId = call.cred.workspaceIds.first();
    } else if (!call.cred.workspaceIds.contains(workspaceId)) {
        return notFound(QStringLiteral("Workspace"));
    }

    const StoreResult<IssuedProject> created = s.store.createProject(workspaceId, name, logicalId, region, *createDb);
    if (!created)
        return storeErrorReply(created.error());
    const auto &db = created->database;
    return dataReply(
        s.json.project(created->row,
            db ? QJsonValue(s.json.database(db->row, {}, &db->connection, true)) : QJsonValue(QJsonValue::Null)),
        201);
}

// A 401 that says it is the recipient's token that was refused (the caller's was accepted).
Reply recipientRefused(const QString &why)
{
    return errorReply(401, QStringLiteral("unauthorized"),
        QStringLiteral("Recipient access token refused: %1").arg(why),
        QStringLiteral("Your own token was accepted. Send {\"recipientAccessToken\": \"<a current token of the "
                       "receiving workspace>\"}."));
}

} // namespace

Reply projects(const Services &s, const Call &call)
{
    if (call.method() == QHttpServerRequest::Method::Get)
        return listProjects(s, call);
    return call.method() == QHttpServerRequest::Method::Post ? createProject(s, call) : methodNotAllowed();
}

Reply project(const Services &s, const Call &call)
{
    using M = QHttpServerRequest::Method;
    const auto p = s.store.project(call.cred, call.id);
    if (!p)
        return notFound(QStringLiteral("Project"));
    switch (call.method()) {
    case M::Get:
        return dataReply(s.json.project(*p));
    case M::Patch:
        return patchName(
            call.request,
            [&](const QJsonObject &body) {
                return body.contains(QStringLiteral("settings")) && !body.value(QStringLiteral("settings")).isObject()
                    ? QStringLiteral("settings must be an object.")
                    : QString();
            },
            [&](const QString &name) { return s.store.renameProject(p->id, name); },
            [&] {
                const auto renamed = s.store.project(call.cred, call.id);
                return dataReply(s.json.project(*renamed));
            });
    case M::Delete:
        if (const StoreResult<> r = s.store.deleteProject(*p); !r)
            return storeErrorReply(r.error());
        s.backups.sweepSoon(); // the default database's backups' archives
        return noContent();
    default:
        return methodNotAllowed();
    }
}

// {recipientAccessToken}: 204, the project now in the recipient token's workspace. The SDK
// documents 401, 404, 409 and 413 only: a body without a usable recipient token is a 401 (a missing
// token), never a 422. The recipient token is never logged nor echoed.
Reply transferProject(const Services &s, const Call &call)
{
    if (call.method() != QHttpServerRequest::Method::Post)
        return methodNotAllowed();
    const auto p = s.store.project(call.cred, call.id);
    if (!p)
        return notFound(QStringLiteral("Project"));
    const Parsed<QJsonObject> body = parseBody(call.request, 401);
    const QJsonValue token = body ? body->value(QStringLiteral("recipientAccessToken")) : QJsonValue();
    if (!token.isString() || token.toString().isEmpty())
        return recipientRefused(QStringLiteral("recipientAccessToken is missing or not a non-empty string."));
    const std::optional<Credential> recipient = s.store.authenticate(token.toString().toUtf8());
    if (!recipient)
        return recipientRefused(QStringLiteral("it is unknown or has been revoked."));
    if (recipient->workspaceIds.size() != 1)
        return errorReply(409, QStringLiteral("conflict"),
            QStringLiteral("The project cannot be transferred: the recipient access token names %1 workspaces, "
                           "not exactly one.")
                .arg(recipient->workspaceIds.size()),
            QStringLiteral("Use a service token of the receiving workspace."));
    const QString to = recipient->workspaceIds.first();
    if (to == p->workspaceId)
        return errorReply(409, QStringLiteral("conflict"),
            QStringLiteral("The project cannot be transferred: it already belongs to the recipient token's "
                           "workspace."),
            QStringLiteral("Send a token of another workspace."));
    return noContentOr(s.store.transferProject(*p, to, [&](const DatabaseRow &d) { return s.json.status(d); }));
}

} // namespace routes

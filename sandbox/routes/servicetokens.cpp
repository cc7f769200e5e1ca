// /v1/workspaces/{workspaceId}/service-tokens and .../service-tokens/{serviceTokenId}.

#include "resourcejson.h"
#include "routes.h"
#include "statestore.h"

namespace routes {
namespace {

// GET: newest first, paged. The SDK documents no 404 here: a workspace the caller is not a member
// of (or that does not exist) has an empty list.
Reply listServiceTokens(const Services &s, const Call &call)
{
    const bool member = call.cred.workspaceIds.contains(call.id);
    return listReply(
        call.request,
        [&](qint64 before, int limit) {
            return member ? s.store.serviceTokens(call.id, before, limit) : QList<ServiceTokenRow> {};
        },
        [&](const ServiceTokenRow &t) { return s.json.serviceToken(t); });
}

// POST {name}: 201 with the token and its value (the only answer that carries it).
Reply createServiceToken(const Services &s, const Call &call)
{
    if (!call.cred.workspaceIds.contains(call.id))
        return notFound(QStringLiteral("Workspace"));
    const Parsed<QJsonObject> body = parseBody(call.request, 422);
    if (!body)
        return body.error();
    const Parsed<QString> name = optionalString(*body, QStringLiteral("name"), 422);
    if (!name)
        return name.error();
    if (name->isNull())
        return errorReply(422, QStringLiteral("validation_error"), QStringLiteral("name is required."),
            QStringLiteral("Send {\"name\": \"<display name>\"}."));
    const StoreResult<IssuedServiceToken> made = s.store.createServiceToken(call.id, *name);
    if (!made)
        return storeErrorReply(made.error());
    return dataReply(s.json.serviceToken(made->row, made->value), 201);
}

} // namespace

Reply serviceTokens(const Services &s, const Call &call)
{
    using M = QHttpServerRequest::Method;
    if (call.method() == M::Get)
        return listServiceTokens(s, call);
    return call.method() == M::Post ? createServiceToken(s, call) : methodNotAllowed();
}

Reply serviceToken(const Services &s, const Call &call)
{
    if (call.method() != QHttpServerRequest::Method::Delete)
        return methodNotAllowed();
    if (!call.cred.workspaceIds.contains(call.id))
        return notFound(QStringLiteral("Workspace"));
    return noContentOr(s.store.deleteServiceToken(call.id, call.childId));
}

} // namespace routes

// GET /v1/workspaces/{id}/subscription and the control route POST
// /_sandbox/workspaces/{id}/subscription that sets the plan and blocks or unblocks usage.

#include "resourcejson.h"
#include "routes.h"
#include "statestore.h"

namespace routes {

Reply workspaceSubscription(const Services &s, const Call &call)
{
    if (call.method() != QHttpServerRequest::Method::Get)
        return methodNotAllowed();
    const auto sub = s.store.subscription(call.cred, call.id);
    return sub ? dataReply(ResourceJson::subscription(*sub)) : notFound(QStringLiteral("Workspace"));
}

Reply sandboxSubscription(const Services &s, const QString &workspaceId, const QHttpServerRequest &request)
{
    if (request.method() != QHttpServerRequest::Method::Post)
        return methodNotAllowed();
    const Parsed<QJsonObject> body = parseBody(request, 422);
    if (!body)
        return body.error();
    for (const QString &key : body->keys()) {
        if (key != QLatin1String("planName") && key != QLatin1String("usageBlocked"))
            return errorReply(422, QStringLiteral("validation_error"), QStringLiteral("Unknown member %1.").arg(key),
                QStringLiteral("Send {\"planName\"?: string, \"usageBlocked\"?: boolean}."));
    }
    const Parsed<QString> planName = optionalString(*body, QStringLiteral("planName"), 422);
    if (!planName)
        return planName.error();
    std::optional<bool> usageBlocked;
    if (body->contains(QStringLiteral("usageBlocked"))) {
        const Parsed<bool> blocked = optionalBool(*body, QStringLiteral("usageBlocked"), false, 422);
        if (!blocked)
            return blocked.error();
        usageBlocked = *blocked;
    }
    const StoreResult<SubscriptionRow> set = s.store.setSubscription(workspaceId, *planName, usageBlocked);
    if (!set)
        return storeErrorReply(set.error());
    return dataReply(ResourceJson::subscription(*set));
}

} // namespace routes

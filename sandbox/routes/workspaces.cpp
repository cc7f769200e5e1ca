// GET /v1/me, /v1/workspaces, /v1/workspaces/{id}.

#include "resourcejson.h"
#include "routes.h"
#include "statestore.h"

namespace routes {

Reply me(const Services &s, const Call &call)
{
    if (call.method() != QHttpServerRequest::Method::Get)
        return methodNotAllowed();
    // An OAuth credential is a user; a service token stands for its (first) workspace.
    std::optional<WorkspaceRow> workspace;
    if (call.cred.kind != QLatin1String("oauth") && !call.cred.workspaceIds.isEmpty())
        workspace = s.store.workspace(call.cred, call.cred.workspaceIds.first());
    return dataReply(ResourceJson::me(call.cred, workspace));
}

Reply workspaces(const Services &s, const Call &call)
{
    if (call.method() != QHttpServerRequest::Method::Get)
        return methodNotAllowed();
    return listReply(
        call.request, [&](qint64 after, int limit) { return s.store.workspaces(call.cred, after, limit); },
        [&](const WorkspaceRow &r) { return s.json.workspace(r); });
}

Reply workspace(const Services &s, const Call &call)
{
    if (call.method() != QHttpServerRequest::Method::Get)
        return methodNotAllowed();
    const auto w = s.store.workspace(call.cred, call.id);
    return w ? dataReply(s.json.workspace(*w)) : notFound(QStringLiteral("Workspace"));
}

} // namespace routes

// GET /v1/regions/postgres.

#include "resourcejson.h"
#include "routes.h"

namespace routes {

Reply regions(const Services &, const Call &call)
{
    if (call.method() != QHttpServerRequest::Method::Get)
        return methodNotAllowed();
    return dataReply(ResourceJson::regions());
}

} // namespace routes

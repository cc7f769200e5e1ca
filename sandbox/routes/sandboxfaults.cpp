// GET, PUT /_sandbox/faults: the fault injection settings (faults.h), read and changed at run time.

#include "faults.h"
#include "routes.h"

namespace routes {

Reply sandboxFaults(Faults &faults, const QHttpServerRequest &request)
{
    using M = QHttpServerRequest::Method;
    if (request.method() == M::Get)
        return jsonReply(faults.toJson());
    if (request.method() != M::Put)
        return methodNotAllowed();
    const Parsed<QJsonObject> body = parseBody(request, 422);
    if (!body)
        return body.error();
    QString error;
    if (!faults.applyJson(*body, &error))
        return errorReply(422, QStringLiteral("validation_error"), error);
    return jsonReply(faults.toJson());
}

} // namespace routes

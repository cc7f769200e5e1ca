#pragma once
// How several resources' routes answer a method the same way: a collection under a parent
// (GET lists, POST creates), PATCH of a name, and DELETE.

#include "replies.h"

#include <QHttpServerRequest>
#include <QJsonObject>
#include <QString>

namespace routes {

// A collection under a parent: GET lists it (404 naming `parent` unless the parent exists for the
// caller), POST creates in it (the create checks the parent itself), anything else is 405.
template <typename Exists, typename List, typename Create>
Reply nestedCollection(
    QHttpServerRequest::Method method, const QString &parent, Exists exists, List list, Create create)
{
    if (method == QHttpServerRequest::Method::Get)
        return exists() ? list() : notFound(parent);
    return method == QHttpServerRequest::Method::Post ? create() : methodNotAllowed();
}

// PATCH of a resource: a JSON object whose optional "name" is a non-empty string and for which
// invalid(body) has nothing to say (422 otherwise); rename(name) (a StoreResult<>) when a name
// is given (its error answers when it fails), then the answer done() makes.
template <typename Invalid, typename Rename, typename Answer>
Reply patchName(const QHttpServerRequest &request, Invalid invalid, Rename rename, Answer done)
{
    const Parsed<QJsonObject> body = parseBody(request, 422);
    if (!body)
        return body.error();
    const Parsed<QString> name = optionalString(*body, QStringLiteral("name"), 422);
    if (!name)
        return name.error();
    if (const QString why = invalid(*body); !why.isEmpty())
        return errorReply(422, QStringLiteral("validation_error"), why);
    if (!name->isNull()) {
        if (const StoreResult<> renamed = rename(*name); !renamed)
            return storeErrorReply(renamed.error());
    }
    return done();
}

} // namespace routes

// /v1/databases/{id}/connections, /v1/connections, /v1/connections/{id} and its rotate.

#include "methods.h"
#include "resourcejson.h"
#include "routes.h"
#include "statestore.h"

#include <QUrlQuery>

namespace routes {
namespace {

// A page of the caller's connections, of one database when `databaseId` is not null.
Reply listConnections(const Services &s, const Call &call, const QString &databaseId)
{
    return listReply(
        call.request, [&](qint64 after, int limit) { return s.store.connections(call.cred, after, limit, databaseId); },
        [&](const ConnectionRow &c) {
            DatabaseRow d;
            d.id = c.databaseId;
            d.name = c.databaseName;
            return s.json.connection(c, d, ResourceJson::ConnectionForm::Listed);
        });
}

// The caller's connection {id} with its database; 404 when either is not theirs.
Parsed<std::pair<ConnectionRow, DatabaseRow>> connectionWithDatabase(const Services &s, const Call &call)
{
    const auto c = s.store.connection(call.cred, call.id);
    if (!c)
        return fail(notFound(QStringLiteral("Connection")));
    const auto d = s.store.database(call.cred, c->databaseId);
    if (!d)
        return fail(notFound(QStringLiteral("Connection")));
    return std::pair { *c, *d };
}

// POST /v1/databases/{id}/connections {name}: 200 with the connection as issued.
Reply createConnection(const Services &s, const Call &call, const QString &databaseId)
{
    const auto d = s.store.database(call.cred, databaseId);
    if (!d)
        return notFound(QStringLiteral("Database"));
    const Parsed<QJsonObject> body = parseBody(call.request, 422);
    if (!body)
        return body.error();
    const Parsed<QString> name = optionalString(*body, QStringLiteral("name"), 422);
    if (!name)
        return name.error();
    if (name->isNull())
        return errorReply(422, QStringLiteral("validation_error"), QStringLiteral("name is required."));
    const StoreResult<IssuedConnection> con = s.store.createConnection(*d, *name);
    if (!con)
        return storeErrorReply(con.error());
    return dataReply(s.json.connection(con->row, *d, ResourceJson::ConnectionForm::Issued, con->password));
}

} // namespace

Reply databaseConnections(const Services &s, const Call &call)
{
    return nestedCollection(
        call.method(), QStringLiteral("Database"), [&] { return s.store.database(call.cred, call.id).has_value(); },
        [&] { return listConnections(s, call, call.id); }, [&] { return createConnection(s, call, call.id); });
}

Reply connections(const Services &s, const Call &call)
{
    using M = QHttpServerRequest::Method;
    if (call.method() == M::Post) {
        // POST /v1/connections {databaseId, name}: 201 (the nested route answers 200).
        const Parsed<QString> databaseId = parentIdFromBody(call.request, QStringLiteral("databaseId"), 422);
        if (!databaseId)
            return databaseId.error();
        Reply r = createConnection(s, call, *databaseId);
        if (r.status == 200)
            r.status = 201;
        return r;
    }
    if (call.method() != M::Get)
        return methodNotAllowed();
    const QString dbId = call.request.query().queryItemValue(QStringLiteral("databaseId"), QUrl::FullyDecoded);
    return listConnections(s, call, dbId.isEmpty() ? QString() : dbId);
}

Reply connection(const Services &s, const Call &call)
{
    using M = QHttpServerRequest::Method;
    const auto found = connectionWithDatabase(s, call);
    if (!found)
        return found.error();
    const auto &[c, d] = *found;
    switch (call.method()) {
    case M::Get:
        return dataReply(s.json.connection(c, d, ResourceJson::ConnectionForm::Listed));
    case M::Delete:
        return noContentOr(s.store.deleteConnection(c, d));
    default:
        return methodNotAllowed();
    }
}

Reply rotateConnection(const Services &s, const Call &call)
{
    if (call.method() != QHttpServerRequest::Method::Post)
        return methodNotAllowed();
    const auto found = connectionWithDatabase(s, call);
    if (!found)
        return found.error();
    const StoreResult<IssuedConnection> rotated = s.store.rotateConnection(found->first);
    if (!rotated)
        return storeErrorReply(rotated.error());
    return dataReply(
        s.json.connection(rotated->row, found->second, ResourceJson::ConnectionForm::Issued, rotated->password));
}

} // namespace routes

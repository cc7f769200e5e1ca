// GET /v1/databases/{id}/usage.

#include "resourcejson.h"
#include "routes.h"
#include "statestore.h"

#include <QDateTime>
#include <QUrlQuery>

#include <utility>

namespace routes {

// ?startDate=&endDate= (ISO 8601 dates or date-times; default: this month so far, UTC).
Reply databaseUsage(const Services &s, const Call &call)
{
    if (call.method() != QHttpServerRequest::Method::Get)
        return methodNotAllowed();
    const auto d = s.store.database(call.cred, call.id);
    if (!d)
        return notFound(QStringLiteral("Database"));
    const QUrlQuery q = call.request.query();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QDateTime start(QDate(now.date().year(), now.date().month(), 1), QTime(0, 0), Qt::UTC);
    QDateTime end = now;
    for (const auto &[key, target] :
        { std::pair { QStringLiteral("startDate"), &start }, std::pair { QStringLiteral("endDate"), &end } }) {
        if (!q.hasQueryItem(key))
            continue;
        const QString v = q.queryItemValue(key, QUrl::FullyDecoded);
        QDateTime parsed = QDateTime::fromString(v, Qt::ISODateWithMs);
        if (!parsed.isValid())
            parsed = QDateTime(QDate::fromString(v, Qt::ISODate), QTime(0, 0), Qt::UTC);
        if (!parsed.isValid())
            return errorReply(
                400, QStringLiteral("bad_request"), QStringLiteral("%1 must be an ISO 8601 date.").arg(key));
        *target = parsed.toUTC();
    }
    if (start > end)
        return errorReply(400, QStringLiteral("bad_request"), QStringLiteral("startDate must not be after endDate."));
    const std::optional<DatabaseUsage> usage = s.store.usage(*d);
    if (!usage)
        return errorReply(500, QStringLiteral("internal_error"), QStringLiteral("Cannot read the database's usage."));
    // The SDK type has no data envelope here: period, metrics and generatedAt are top level.
    return jsonReply(ResourceJson::usage(start, end, now, *usage));
}

} // namespace routes

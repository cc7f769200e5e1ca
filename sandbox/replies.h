#pragma once
// Replies and the request side of the wire format: what every route answers with and how it
// reads what it is sent, per the API's conventions (docs/MANAGEMENT-API.md, the SDK's types).
//
// - Reply: an HTTP status, a JSON body (empty for 204) and extra headers.
// - Envelopes: {"data": ...}; list pages {"data": [...], "pagination": {"hasMore",
//   "nextCursor"}}; errors {"error": {"code", "message", "hint"?}} with stable codes.
// - Pagination: ?cursor=&limit= (limit 1..100, default 100); a cursor is base64url("seq:N"),
//   N the seq of the page's last row, so it stays valid while rows are added or deleted.
// - Bodies: empty means {}; otherwise a JSON object. Parsing failures come back as the
//   validation Reply to send (422 validation_error, or 400 where an operation documents 400).
// Bodies and JSON are Qt's (QJsonDocument, QJsonObject).

#include "records.h"
#include "result.h"

#include <QByteArray>
#include <QHttpServerRequest>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QPair>
#include <QString>

#include <utility>

struct Reply
{
    int status = 200;
    QByteArray body; // JSON; empty for 204
    QList<QPair<QByteArray, QByteArray>> headers;
};

// A parsed part of a request, or the error Reply to answer with instead.
template <typename T> using Parsed = Result<T, Reply>;

constexpr int kDefaultLimit = 100;
constexpr int kMaxLimit = 100;

Reply errorReply(int status, const QString &code, const QString &message, const QString &hint = {});
Reply storeErrorReply(const StoreError &e);
Reply jsonReply(const QJsonObject &object, int status = 200); // the object as the whole body
Reply dataReply(const QJsonValue &data, int status = 200); // {"data": data}
Reply noContent(); // 204
Reply noContentOr(const StoreResult<> &result); // 204, or the store's error
Reply notFound(const QString &what); // 404 not_found "<what> not found."
Reply methodNotAllowed(); // 405 method_not_allowed

QString encodeCursor(qint64 seq);

// A page's position: rows after `afterSeq`, at most `limit` of them.
struct Page
{
    qint64 afterSeq = 0;
    int limit = kDefaultLimit;
};

// ?cursor=&limit=; 422 when invalid.
Parsed<Page> parsePage(const QHttpServerRequest &request, int defaultLimit = kDefaultLimit);

// A list page from up to limit+1 rows (the extra one says there is a next page):
// {"data": [...], "pagination": {"hasMore", "nextCursor"}}; toJson(row) makes one row's value.
template <typename Row, typename ToJson> Reply pageReply(QList<Row> rows, int limit, ToJson toJson)
{
    const bool hasMore = rows.size() > limit;
    if (hasMore)
        rows.resize(limit);
    QJsonArray data;
    for (const Row &row : std::as_const(rows))
        data.append(toJson(row));
    return jsonReply(QJsonObject {
        { QStringLiteral("data"), data },
        { QStringLiteral("pagination"),
            QJsonObject { { QStringLiteral("hasMore"), hasMore },
                { QStringLiteral("nextCursor"),
                    hasMore ? QJsonValue(encodeCursor(rows.last().seq)) : QJsonValue(QJsonValue::Null) } } },
    });
}

// GET of a list: ?cursor=&limit= (422 when invalid), then the page of fetch(afterSeq, limit).
template <typename Fetch, typename ToJson>
Reply listReply(const QHttpServerRequest &request, Fetch fetch, ToJson toJson)
{
    const Parsed<Page> page = parsePage(request);
    if (!page)
        return page.error();
    return pageReply(fetch(page->afterSeq, page->limit), page->limit, toJson);
}

// The body: empty -> {}, otherwise a JSON object; a `validationStatus` reply when it is neither.
Parsed<QJsonObject> parseBody(const QHttpServerRequest &request, int validationStatus);

// The parent a top-level create names in its body (POST /v1/databases {"projectId"}, POST
// /v1/connections {"databaseId"}); a `validationStatus` reply when the body is not a JSON object
// or `key` is not a non-empty string.
Parsed<QString> parentIdFromBody(const QHttpServerRequest &request, const QString &key, int validationStatus);

// An optional string member: a null QString when absent; a `validationStatus` reply when present
// but not a non-empty string of at most maxLength characters.
Parsed<QString> optionalString(const QJsonObject &body, const QString &key, int validationStatus, int maxLength = 255);

// An optional boolean member: `fallback` when absent; a `validationStatus` reply when present but
// not a boolean.
Parsed<bool> optionalBool(const QJsonObject &body, const QString &key, bool fallback, int validationStatus);

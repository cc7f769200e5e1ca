#include "replies.h"

#include <QJsonDocument>
#include <QJsonParseError>
#include <QUrl>
#include <QUrlQuery>

namespace {
bool decodeCursor(const QString &cursor, qint64 *seq)
{
    const auto decoded = QByteArray::fromBase64Encoding(
        cursor.toLatin1(), QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || !decoded.decoded.startsWith("seq:"))
        return false;
    bool ok = false;
    *seq = decoded.decoded.mid(4).toLongLong(&ok);
    return ok && *seq >= 0;
}
} // namespace

Reply errorReply(int status, const QString &code, const QString &message, const QString &hint)
{
    QJsonObject err { { QStringLiteral("code"), code }, { QStringLiteral("message"), message } };
    if (!hint.isEmpty())
        err.insert(QStringLiteral("hint"), hint);
    Reply r;
    r.status = status;
    r.body = QJsonDocument(QJsonObject { { QStringLiteral("error"), err } }).toJson(QJsonDocument::Compact);
    return r;
}

Reply storeErrorReply(const StoreError &e)
{
    return errorReply(e.status, e.code, e.message, e.hint);
}

Reply jsonReply(const QJsonObject &object, int status)
{
    Reply r;
    r.status = status;
    r.body = QJsonDocument(object).toJson(QJsonDocument::Compact);
    return r;
}

Reply dataReply(const QJsonValue &data, int status)
{
    return jsonReply(QJsonObject { { QStringLiteral("data"), data } }, status);
}

Reply noContent()
{
    Reply r;
    r.status = 204;
    return r;
}

Reply noContentOr(const StoreResult<> &result)
{
    return result ? noContent() : storeErrorReply(result.error());
}

Reply notFound(const QString &what)
{
    return errorReply(404, QStringLiteral("not_found"), QStringLiteral("%1 not found.").arg(what));
}

Reply methodNotAllowed()
{
    return errorReply(405, QStringLiteral("method_not_allowed"), QStringLiteral("Method not allowed on this route."));
}

QString encodeCursor(qint64 seq)
{
    return QString::fromLatin1(QByteArray("seq:" + QByteArray::number(seq))
                                   .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

Parsed<Page> parsePage(const QHttpServerRequest &request, int defaultLimit)
{
    const QUrlQuery q = request.query();
    Page page;
    page.limit = defaultLimit;
    if (q.hasQueryItem(QStringLiteral("limit"))) {
        bool ok = false;
        const int l = q.queryItemValue(QStringLiteral("limit"), QUrl::FullyDecoded).toInt(&ok);
        if (!ok || l < 1 || l > kMaxLimit)
            return fail(errorReply(422, QStringLiteral("validation_error"),
                QStringLiteral("limit must be an integer between 1 and %1.").arg(kMaxLimit)));
        page.limit = l;
    }
    const QString cursor = q.queryItemValue(QStringLiteral("cursor"), QUrl::FullyDecoded);
    if (!cursor.isEmpty() && cursor != QLatin1String("null") && !decodeCursor(cursor, &page.afterSeq))
        return fail(errorReply(422, QStringLiteral("validation_error"), QStringLiteral("Invalid cursor."),
            QStringLiteral("Pass the nextCursor of the previous page unchanged.")));
    return page;
}

Parsed<QJsonObject> parseBody(const QHttpServerRequest &request, int validationStatus)
{
    const QByteArray body = request.body();
    if (body.trimmed().isEmpty())
        return QJsonObject();
    QJsonParseError pe {};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject())
        return fail(errorReply(validationStatus, QStringLiteral("validation_error"),
            pe.error != QJsonParseError::NoError ? QStringLiteral("Invalid JSON body: %1.").arg(pe.errorString())
                                                 : QStringLiteral("The request body must be a JSON object.")));
    return doc.object();
}

Parsed<QString> parentIdFromBody(const QHttpServerRequest &request, const QString &key, int validationStatus)
{
    const Parsed<QJsonObject> body = parseBody(request, validationStatus);
    if (!body)
        return body.failure();
    const QJsonValue v = body->value(key);
    if (!v.isString() || v.toString().isEmpty())
        return fail(errorReply(
            validationStatus, QStringLiteral("validation_error"), QStringLiteral("%1 is required.").arg(key)));
    return v.toString();
}

Parsed<QString> optionalString(const QJsonObject &body, const QString &key, int validationStatus, int maxLength)
{
    if (!body.contains(key))
        return QString();
    const QJsonValue v = body.value(key);
    if (!v.isString() || v.toString().trimmed().isEmpty() || v.toString().size() > maxLength)
        return fail(errorReply(validationStatus, QStringLiteral("validation_error"),
            QStringLiteral("%1 must be a non-empty string of at most %2 characters.").arg(key).arg(maxLength)));
    return v.toString();
}

Parsed<bool> optionalBool(const QJsonObject &body, const QString &key, bool fallback, int validationStatus)
{
    if (!body.contains(key))
        return fallback;
    const QJsonValue v = body.value(key);
    if (!v.isBool())
        return fail(errorReply(
            validationStatus, QStringLiteral("validation_error"), QStringLiteral("%1 must be a boolean.").arg(key)));
    return v.toBool();
}

#include "apierror.h"

bool ApiError::isTransient() const
{
    switch (kind) {
    case Kind::Network:
    case Kind::Timeout:
    case Kind::RateLimited:
    case Kind::Server:
        return true;
    default:
        return false;
    }
}

QString ApiError::kindName(Kind kind)
{
    switch (kind) {
    case Kind::None:
        return QStringLiteral("none");
    case Kind::Network:
        return QStringLiteral("network");
    case Kind::Timeout:
        return QStringLiteral("timeout");
    case Kind::Cancelled:
        return QStringLiteral("cancelled");
    case Kind::Unauthorized:
        return QStringLiteral("unauthorized");
    case Kind::Forbidden:
        return QStringLiteral("forbidden");
    case Kind::NotFound:
        return QStringLiteral("not found");
    case Kind::Conflict:
        return QStringLiteral("conflict");
    case Kind::Validation:
        return QStringLiteral("validation");
    case Kind::RateLimited:
        return QStringLiteral("rate limited");
    case Kind::Server:
        return QStringLiteral("server");
    case Kind::Protocol:
        return QStringLiteral("protocol");
    }
    return QStringLiteral("unknown");
}

QString ApiError::userMessage() const
{
    QString what;
    if (webPage && kind != Kind::None && kind != Kind::Cancelled) {
        what = tr("The network answered with a web page instead of the Prisma API (HTTP %1): a sign-in page of "
                  "this network (captive portal) or a proxy's error page. Sign in to the network in a browser, "
                  "or check the proxy settings, then try again.")
                   .arg(httpStatus);
        if (mayHaveBeenApplied)
            what += QLatin1Char(' ') + tr("The change may have been applied: refresh before trying again.");
        return what;
    }
    switch (kind) {
    case Kind::None:
        return {};
    case Kind::Network:
        what = tr("Could not reach the server (%1). Check your network connection and the "
                  "profile's API URL, then try again.")
                   .arg(message);
        break;
    case Kind::Timeout:
        what = tr("The server did not answer in time. Try again in a moment.");
        break;
    case Kind::Cancelled:
        what = tr("The request was cancelled.");
        break;
    case Kind::Unauthorized:
        what = tr("The service token was refused: it is wrong, expired or revoked. "
                  "Edit the profile and paste a valid service token.");
        break;
    case Kind::Forbidden:
        what = tr("The service does not allow this: %1").arg(message);
        break;
    case Kind::NotFound:
        what = tr("Not found: it may have been deleted elsewhere. Refresh to see the current state.");
        break;
    case Kind::Conflict:
        what = tr("Conflict: %1").arg(message);
        break;
    case Kind::Validation:
        what = tr("The service refused the request: %1").arg(message);
        break;
    case Kind::RateLimited:
        what = tr("Too many requests: the service asked us to slow down. Try again shortly.");
        break;
    case Kind::Server:
        what = tr("The service had a problem (HTTP %1). Try again later.").arg(httpStatus);
        break;
    case Kind::Protocol:
        what = tr("The server's reply was not understood (%1). The console may need an update.").arg(message);
        break;
    }
    if (!hint.isEmpty())
        what += QLatin1Char(' ') + hint;
    if (mayHaveBeenApplied)
        what += QLatin1Char(' ') + tr("The change may have been applied: refresh before trying again.");
    return what;
}

ApiError ApiError::fromHttpStatus(int status, QString code, QString message, QString hint)
{
    ApiError e;
    e.httpStatus = status;
    e.code = std::move(code);
    e.message = std::move(message);
    e.hint = std::move(hint);
    if (status == 401)
        e.kind = Kind::Unauthorized;
    else if (status == 403)
        e.kind = Kind::Forbidden;
    else if (status == 404)
        e.kind = Kind::NotFound;
    else if (status == 409)
        e.kind = Kind::Conflict;
    else if (status == 429)
        e.kind = Kind::RateLimited;
    else if (status >= 500)
        e.kind = Kind::Server;
    else if (status >= 400)
        e.kind = Kind::Validation;
    else
        e.kind = Kind::Protocol; // an unexpected 1xx/2xx/3xx where an answer was expected
    if (e.message.isEmpty())
        e.message = QStringLiteral("HTTP %1").arg(status);
    return e;
}

ApiError ApiError::webPageAnswer(int status)
{
    ApiError e = status >= 400 ? fromHttpStatus(status, {}, {}, {}) : network(QStringLiteral("HTTP %1").arg(status));
    e.httpStatus = status;
    e.webPage = true;
    e.message = QStringLiteral("HTTP %1 with a web page (text/html), not the API").arg(status);
    return e;
}

ApiError ApiError::protocol(const QString &what)
{
    ApiError e;
    e.kind = Kind::Protocol;
    e.message = what;
    return e;
}

ApiError ApiError::network(const QString &what)
{
    ApiError e;
    e.kind = Kind::Network;
    e.message = what;
    return e;
}

ApiError ApiError::timeout()
{
    ApiError e;
    e.kind = Kind::Timeout;
    e.message = QStringLiteral("deadline exceeded");
    return e;
}

ApiError ApiError::cancelled()
{
    ApiError e;
    e.kind = Kind::Cancelled;
    e.message = QStringLiteral("cancelled");
    return e;
}

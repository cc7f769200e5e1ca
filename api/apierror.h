// ApiError: the one error type of the api/ layer.
//
// Every failed call of ApiClient ends in exactly one ApiError. `kind` is decided from the HTTP
// status first (QNetworkReply's error enum cannot tell a 429 from other 4xx), then from the
// transport. `code`, `message` and `hint` are the server's own words from the error envelope
// `{"error": {"code", "message", "hint"?}}` (docs/MANAGEMENT-API.md). `requestId` is the server's request id
// header when it sent one. Nothing here ever holds a token or a connection string.
#pragma once

#include <QCoreApplication>
#include <QString>

struct ApiError
{
    Q_DECLARE_TR_FUNCTIONS(ApiError)
public:
    enum class Kind {
        None, // no error
        Network, // connection refused, DNS, TLS, dropped connection
        Timeout, // the call's own deadline passed
        Cancelled, // the caller (or the end of its session) cancelled it
        Unauthorized, // 401: token wrong, expired or revoked
        Forbidden, // 403: the service refuses (e.g. deleting a default database)
        NotFound, // 404
        Conflict, // 409 (e.g. a duplicate logicalId)
        Validation, // 400, 413, 422: the request was refused as it stands
        RateLimited, // 429
        Server, // 5xx
        Protocol, // the reply is not what the API's types say (names the field)
    };

    Kind kind = Kind::None;
    int httpStatus = 0; // 0 when no HTTP answer arrived
    QString code; // server's machine code, e.g. "not_found"
    QString message; // server's message, or ours for transport/protocol errors
    QString hint; // server's hint, may be empty
    QString requestId; // server's request id, may be empty
    // True for a POST whose reply was lost: the service may have applied it; refresh to see.
    bool mayHaveBeenApplied = false;
    // The answer was a web page (Content-Type text/html), not the API's JSON: a captive portal's
    // sign-in page or a proxy's error page. `kind` still follows the HTTP status (a 2xx or 3xx page
    // is Network: the service was not reached); userMessage() names it.
    bool webPage = false;
    // The network or the service could not be reached at all (refused, no route, DNS, proxy
    // unreachable): what an offline machine sees. Set with Kind::Network.
    bool unreachable = false;

    bool isError() const { return kind != Kind::None; }
    // Worth retrying for an idempotent request: network, timeout, 429, 5xx.
    bool isTransient() const;

    // A sentence for people: what happened and what to do next (translated).
    QString userMessage() const;
    // Short name of the kind for logs and tests ("timeout", "unauthorized", ...).
    static QString kindName(Kind kind);

    static ApiError fromHttpStatus(int status, QString code, QString message, QString hint);
    static ApiError protocol(const QString &what);
    static ApiError network(const QString &what);
    static ApiError timeout();
    static ApiError cancelled();
    // An answer that is a web page (see webPage), with its HTTP status.
    static ApiError webPageAnswer(int status);
};

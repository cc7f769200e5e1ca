// ApiCall: one logical request to the Management API, with its retries, deadline and cancel.
//
// Created by ApiClient (never directly). Delivers its outcome exactly once, always from the event
// loop (never synchronously inside the call that created it or inside cancel()), then emits
// finished() and deletes itself. Retries: only GET and DELETE are re-sent
// (exponential backoff with full jitter, Retry-After honoured on 429 and 503, a bounded number of
// attempts, all within one overall deadline); a DELETE re-sent after a lost reply that answers 404
// counts as done. A POST /v1/projects carrying a logicalId is recovered after a lost reply by
// looking the project up (GET /v1/projects?logicalId=...) instead of creating it twice; any other
// POST reports `mayHaveBeenApplied`.
//
// cancel() wins over an outcome that is decided but not yet delivered (or still being decoded on a
// worker, see Request::decoder): after cancel() (or ApiClient::cancelAll()) returns, the handler
// sees Cancelled and nothing else. A cancelled POST
// or PATCH that was already sent carries `mayHaveBeenApplied`.
#pragma once

#include "apierror.h"

#include <QByteArray>
#include <QDateTime>
#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrlQuery>

#include <chrono>
#include <functional>
#include <memory>

class QNetworkReply;
class ApiClient;

class ApiCall : public QObject
{
    Q_OBJECT
public:
    enum class Method { Get, Post, Patch, Delete };

    struct Request
    {
        Method method = Method::Get;
        QString path; // e.g. "/v1/projects/proj_123"
        QUrlQuery query;
        QByteArray body; // JSON; empty for none
        QString logicalId; // POST /v1/projects only: enables lookup-based recovery
        // True when ApiClient made the logicalId up (a fresh UUID): a 409 can then only mean that
        // one of our own attempts landed (Qt may re-send a request on a dropped keep-alive
        // connection), so it is looked up rather than reported.
        bool ownLogicalId = false;
        // Turns a 2xx body into what the handler takes (ApiClient's typed Result); must be safe on
        // any thread. A body of kDecodeOnWorkerBytes or more is decoded on a worker thread
        // (QtConcurrent) before the outcome is delivered, so that a page of a large listing does not
        // hold up the GUI thread (about 8 ms per page of 100 databases).
        std::function<std::shared_ptr<void>(const QByteArray &)> decoder;
    };
    static constexpr qsizetype kDecodeOnWorkerBytes = 16 * 1024;

    // What the handler receives: the 2xx body, or an error.
    struct Response
    {
        int status = 0;
        QByteArray body;
        ApiError error;
        // What Request::decoder made of the body on a worker thread; null when the body is small
        // (the handler decodes it) or the call has no decoder.
        std::shared_ptr<void> decoded;
    };

    ~ApiCall() override;

    // Ends the call as Cancelled (delivered later, from the event loop). No-op once finished.
    void cancel();
    // True once the outcome is decided (it may still be waiting for the event loop to deliver it).
    bool isFinished() const { return m_finished; }
    // True once the handler ran (or the call was detached from its session).
    bool isDelivered() const { return m_delivered; }
    // "GET /v1/projects": for activity lists and logs. Holds no secret.
    QString describe() const;
    int attempts() const { return m_attempts; }
    std::chrono::milliseconds elapsed() const { return std::chrono::milliseconds(m_clock.elapsed()); }

    // The delay a `Retry-After` header value asks for (RFC 9110: delay-seconds, or an HTTP date
    // in IMF-fixdate, RFC 850 or asctime form), relative to `now`; a date in the past is 0.
    // Negative when the value is absent or unreadable.
    static std::chrono::milliseconds retryAfterDelay(const QByteArray &value, const QDateTime &now);

Q_SIGNALS:
    // Emitted once, right after the outcome was delivered.
    void finished();

private:
    friend class ApiClient;
    using Handler = std::function<void(const Response &)>;

    ApiCall(ApiClient *client, Request request, Handler handler);
    void start();
    // Ends the call with `error` without sending anything (a request refused before it leaves).
    void reject(ApiError error);
    void sendAttempt(const Request &request);
    void onRetryTimer();
    // Retries (the request itself, or the logicalId lookup) after `delay` if attempts and the
    // deadline allow it; false when they do not.
    bool scheduleAttempt(std::chrono::milliseconds delay, bool lookup);
    void onReplyFinished();
    void onDeadline();
    void handle(Response response);
    bool scheduleRetry(const Response &response);
    void startLookup();
    void finish(Response response);
    // Hands the outcome to the handler (from the event loop), then emits finished().
    void deliver();
    // Used by ApiClient when its session ends: no outcome will be delivered.
    void detach();
    void dropReply();
    std::chrono::milliseconds backoff(const Response &response) const;
    // A 407 while ProxyAuth is waiting for credentials for `proxyKey`: sends again once answered.
    bool waitForProxyCredentials(const QString &proxyKey);

    ApiClient *m_client;
    Request m_request;
    Handler m_handler;
    QPointer<QNetworkReply> m_reply;
    QTimer m_deadline;
    QTimer m_retryTimer;
    QElapsedTimer m_clock;
    QElapsedTimer m_attemptClock;
    int m_attempts = 0;
    bool m_finished = false;
    bool m_delivered = false;
    bool m_inLookup = false;
    bool m_nextIsLookup = false;
    bool m_cancelled = false;
    bool m_tlsFailed = false;
    Response m_outcome; // decided, waiting for the event loop
    QByteArray m_retryAfterHeader;
    int m_proxyWaits = 0; // times this call waited for proxy credentials (at most 2)
};

// ApiCall: one logical request to the Management API, with its retries, deadline and cancel.
//
// Created by ApiClient (never directly). Delivers its outcome exactly once, always from the event
// loop (never synchronously inside the call that created it or inside cancel()), then emits
// finished() and deletes itself. Retries follow DESIGN.md: only GET and DELETE are re-sent
// (exponential backoff with full jitter, Retry-After honoured on 429 and 503, a bounded number of
// attempts, all within one overall deadline); a DELETE re-sent after a lost reply that answers 404
// counts as done. A POST /v1/projects carrying a logicalId is recovered after a lost reply by
// looking the project up (GET /v1/projects?logicalId=...) instead of creating it twice; any other
// POST reports `mayHaveBeenApplied`.
#pragma once

#include "apierror.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrlQuery>

#include <chrono>
#include <functional>

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
        QString path;        // e.g. "/v1/projects/proj_123"
        QUrlQuery query;
        QByteArray body;     // JSON; empty for none
        QString logicalId;   // POST /v1/projects only: enables lookup-based recovery
    };

    // What the handler receives: the 2xx body, or an error.
    struct Response
    {
        int status = 0;
        QByteArray body;
        ApiError error;
    };

    ~ApiCall() override;

    // Ends the call as Cancelled (delivered later, from the event loop). No-op once finished.
    void cancel();
    bool isFinished() const { return m_finished; }
    // "GET /v1/projects": for activity lists and logs. Holds no secret.
    QString describe() const;
    int attempts() const { return m_attempts; }
    std::chrono::milliseconds elapsed() const { return std::chrono::milliseconds(m_clock.elapsed()); }

Q_SIGNALS:
    // Emitted once, right after the outcome was delivered.
    void finished();

private:
    friend class ApiClient;
    using Handler = std::function<void(const Response &)>;

    ApiCall(ApiClient *client, Request request, Handler handler);
    void start();
    void sendAttempt(const Request &request);
    void onReplyFinished();
    void onDeadline();
    void handle(Response response);
    bool scheduleRetry(const Response &response);
    void startLookup();
    void finish(Response response);
    // Used by ApiClient when its session ends: no outcome will be delivered.
    void detach();
    void dropReply();
    std::chrono::milliseconds backoff(const Response &response) const;

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
    bool m_inLookup = false;
    QByteArray m_retryAfterHeader;
};

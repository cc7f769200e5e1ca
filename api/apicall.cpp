#include "apicall.h"

#include "apiclient.h"
#include "apilog.h"
#include "decoding.h"

#include <QNetworkReply>
#include <QRandomGenerator>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace {

QString methodName(ApiCall::Method m)
{
    switch (m) {
    case ApiCall::Method::Get: return QStringLiteral("GET");
    case ApiCall::Method::Post: return QStringLiteral("POST");
    case ApiCall::Method::Patch: return QStringLiteral("PATCH");
    case ApiCall::Method::Delete: return QStringLiteral("DELETE");
    }
    return {};
}

bool isIdempotent(ApiCall::Method m)
{
    return m == ApiCall::Method::Get || m == ApiCall::Method::Delete;
}

// Retry-After: delay-seconds or an HTTP date (RFC 9110). Negative when absent or unreadable.
std::chrono::milliseconds parseRetryAfter(const QByteArray &value)
{
    using namespace std::chrono;
    const QByteArray v = value.trimmed();
    if (v.isEmpty())
        return milliseconds(-1);
    bool ok = false;
    const qlonglong seconds = v.toLongLong(&ok);
    if (ok)
        return seconds >= 0 ? milliseconds(seconds * 1000) : milliseconds(-1);
    const QDateTime when = QDateTime::fromString(QString::fromLatin1(v), Qt::RFC2822Date);
    if (!when.isValid())
        return milliseconds(-1);
    return milliseconds(std::max<qint64>(0, QDateTime::currentDateTimeUtc().msecsTo(when)));
}

} // namespace

ApiCall::ApiCall(ApiClient *client, Request request, Handler handler)
    : QObject(client), m_client(client), m_request(std::move(request)), m_handler(std::move(handler))
{
    m_deadline.setSingleShot(true);
    m_retryTimer.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, &ApiCall::onDeadline);
    connect(&m_retryTimer, &QTimer::timeout, this, [this] { sendAttempt(m_request); });
}

ApiCall::~ApiCall()
{
    dropReply();
}

QString ApiCall::describe() const
{
    return methodName(m_request.method) + QLatin1Char(' ') + m_request.path;
}

void ApiCall::start()
{
    m_clock.start();
    m_deadline.start(m_client->options().deadline);
    sendAttempt(m_request);
}

void ApiCall::sendAttempt(const Request &request)
{
    ++m_attempts;
    m_attemptClock.start();
    m_reply = m_client->send(request);
    connect(m_reply, &QNetworkReply::finished, this, &ApiCall::onReplyFinished);
}

void ApiCall::dropReply()
{
    if (!m_reply)
        return;
    QNetworkReply *reply = m_reply;
    m_reply = nullptr;
    // abort() emits finished() synchronously: disconnect first so it cannot re-enter us.
    disconnect(reply, nullptr, this, nullptr);
    if (reply->isRunning())
        reply->abort();
    reply->deleteLater();
}

void ApiCall::onReplyFinished()
{
    QNetworkReply *reply = m_reply;
    if (!reply || m_finished)
        return;
    m_reply = nullptr;
    reply->deleteLater();

    Response response;
    response.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    response.body = reply->readAll();
    m_retryAfterHeader = reply->rawHeader("Retry-After");
    const QString requestId = QString::fromLatin1(reply->rawHeader("x-request-id"));

    if (response.status >= 200 && response.status < 300) {
        // success
    } else if (response.status > 0) {
        // Decide on the HTTP status, not on QNetworkReply's error enum (429 is UnknownContentError).
        response.error = ApiError::fromHttpStatus(response.status, {}, {}, {});
        Decode::errorBody(response.body, response.error);
        response.body.clear();
    } else if (reply->error() == QNetworkReply::OperationCanceledError) {
        // Not our cancel (we disconnect before aborting): Qt's transfer timeout aborted it.
        response.error = ApiError::timeout();
    } else {
        response.error = ApiError::network(redactSecrets(reply->errorString()));
    }
    response.error.requestId = requestId;

    qCInfo(lcApi).noquote() << (m_inLookup ? QStringLiteral("GET /v1/projects?logicalId") : describe())
                            << "status" << response.status << "in" << m_attemptClock.elapsed() << "ms"
                            << "attempt" << m_attempts
                            << (response.error.isError() ? ApiError::kindName(response.error.kind) : QString())
                            << (requestId.isEmpty() ? QString() : QStringLiteral("request-id ") + requestId);
    handle(std::move(response));
}

void ApiCall::handle(Response response)
{
    const bool failed = response.error.isError();

    if (m_inLookup) {
        // The answer to GET /v1/projects?logicalId=...: found means the POST did land.
        if (!failed) {
            auto page = Decode::projectPage(response.body);
            if (page.ok() && !page.value().items.empty()) {
                nlohmann::json doc = nlohmann::json::parse(response.body.constBegin(), response.body.constEnd(), nullptr, false);
                Response found;
                found.status = 200;
                found.body = QByteArray::fromStdString(nlohmann::json{{"data", doc["data"][0]}}.dump());
                finish(std::move(found));
                return;
            }
            if (page.ok()) {
                // Not there: the POST never landed, so sending it again is safe.
                m_inLookup = false;
                if (m_attempts < m_client->options().maxAttempts) {
                    m_retryTimer.start(backoff(response));
                    return;
                }
                Response gaveUp;
                gaveUp.error = ApiError::network(QStringLiteral("the service could not be reached after several attempts"));
                finish(std::move(gaveUp));
                return;
            }
            response.error = page.error();
        }
        if (response.error.isTransient() && m_attempts < m_client->options().maxAttempts) {
            QTimer::singleShot(backoff(response), this, [this] { if (!m_finished) startLookup(); });
            return;
        }
        response.error.mayHaveBeenApplied = true;
        finish(std::move(response));
        return;
    }

    if (!failed) {
        finish(std::move(response));
        return;
    }

    if (response.error.kind == ApiError::Kind::Unauthorized)
        Q_EMIT m_client->unauthorized();

    // A DELETE re-sent after a lost reply: 404 means the first one did it.
    if (m_request.method == Method::Delete && m_attempts > 1 && response.error.kind == ApiError::Kind::NotFound) {
        Response done;
        done.status = 204;
        finish(std::move(done));
        return;
    }

    if (m_request.method == Method::Post && !m_request.logicalId.isEmpty()) {
        // 409 on a second attempt: our first POST landed. Transient: it may have landed.
        const bool lost = response.error.isTransient() && response.error.kind != ApiError::Kind::RateLimited;
        if ((lost || (response.error.kind == ApiError::Kind::Conflict && m_attempts > 1))) {
            startLookup();
            return;
        }
        if (response.error.kind == ApiError::Kind::RateLimited && scheduleRetry(response))
            return; // a 429 was not applied: safe to send again
        finish(std::move(response));
        return;
    }

    if (isIdempotent(m_request.method) && response.error.isTransient() && scheduleRetry(response))
        return;

    if (!isIdempotent(m_request.method)
        && (response.error.kind == ApiError::Kind::Network || response.error.kind == ApiError::Kind::Timeout
            || (response.error.kind == ApiError::Kind::Server && response.status != 501)))
        response.error.mayHaveBeenApplied = true;
    finish(std::move(response));
}

std::chrono::milliseconds ApiCall::backoff(const Response &response) const
{
    using namespace std::chrono;
    const auto &o = m_client->options();
    const auto retryAfter = parseRetryAfter(m_retryAfterHeader);
    if ((response.status == 429 || response.status == 503) && retryAfter.count() >= 0)
        return retryAfter;
    // Full jitter: uniform in [0, min(cap, base * 2^(attempt-1))].
    const qint64 ceiling = std::min<qint64>(o.maxBackoff.count(), o.baseBackoff.count() << std::min(m_attempts - 1, 16));
    return milliseconds(QRandomGenerator::global()->bounded(ceiling + 1));
}

bool ApiCall::scheduleRetry(const Response &response)
{
    const auto &o = m_client->options();
    if (m_attempts >= o.maxAttempts)
        return false;
    const auto delay = backoff(response);
    if (delay > o.maxRetryAfter)
        return false;
    const auto remaining = std::chrono::milliseconds(m_deadline.remainingTime());
    if (delay >= remaining)
        return false; // would end after the deadline: report now
    m_retryTimer.start(delay);
    return true;
}

void ApiCall::startLookup()
{
    m_inLookup = true;
    Request lookup;
    lookup.method = Method::Get;
    lookup.path = QStringLiteral("/v1/projects");
    lookup.query.addQueryItem(QStringLiteral("logicalId"), m_request.logicalId);
    sendAttempt(lookup);
}

void ApiCall::onDeadline()
{
    if (m_finished)
        return;
    dropReply();
    m_retryTimer.stop();
    Response response;
    response.error = ApiError::timeout();
    if (!isIdempotent(m_request.method))
        response.error.mayHaveBeenApplied = true;
    qCInfo(lcApi).noquote() << describe() << "deadline exceeded after" << m_clock.elapsed() << "ms";
    finish(std::move(response));
}

void ApiCall::cancel()
{
    if (m_finished)
        return;
    dropReply();
    Response response;
    response.error = ApiError::cancelled();
    finish(std::move(response));
}

void ApiCall::finish(Response response)
{
    if (m_finished)
        return;
    m_finished = true;
    m_deadline.stop();
    m_retryTimer.stop();
    // Always from the event loop, never inside the caller's own stack.
    QMetaObject::invokeMethod(this, [this, response = std::move(response)] {
        if (m_handler) {
            auto handler = std::move(m_handler);
            handler(response);
        }
        Q_EMIT finished();
        deleteLater();
    }, Qt::QueuedConnection);
}

void ApiCall::detach()
{
    m_handler = nullptr;
    m_finished = true;
    m_deadline.stop();
    m_retryTimer.stop();
    dropReply();
}

#include "apicall.h"

#include "apiclient.h"
#include "apilog.h"
#include "decoding.h"
#include "proxyauth.h"
#include "reachability.h"

#include <QFutureWatcher>
#include <QLocale>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QtConcurrent/QtConcurrentRun>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace {

QString methodName(ApiCall::Method m)
{
    switch (m) {
    case ApiCall::Method::Get:
        return QStringLiteral("GET");
    case ApiCall::Method::Post:
        return QStringLiteral("POST");
    case ApiCall::Method::Patch:
        return QStringLiteral("PATCH");
    case ApiCall::Method::Delete:
        return QStringLiteral("DELETE");
    }
    return {};
}

bool isIdempotent(ApiCall::Method m)
{
    return m == ApiCall::Method::Get || m == ApiCall::Method::Delete;
}

} // namespace

std::chrono::milliseconds ApiCall::retryAfterDelay(const QByteArray &value, const QDateTime &now)
{
    using namespace std::chrono;
    const QByteArray v = value.trimmed();
    if (v.isEmpty())
        return milliseconds(-1);
    bool ok = false;
    const qlonglong seconds = v.toLongLong(&ok);
    if (ok) {
        if (seconds < 0 || v.startsWith('+'))
            return milliseconds(-1);
        // Clamp: a silly value must not overflow; the caller compares it with maxRetryAfter.
        return milliseconds(std::min<qlonglong>(seconds, 365LL * 24 * 3600) * 1000);
    }
    // HTTP date: IMF-fixdate (preferred), then the obsolete RFC 850 and asctime forms. The day
    // name is skipped (recipients need not check it; Qt would check it against a 19yy year).
    const QString text = QString::fromLatin1(v).simplified();
    const qsizetype comma = text.indexOf(QLatin1Char(','));
    const QString afterComma = comma > 0 ? text.mid(comma + 1).trimmed() : QString();
    const QString afterSpace = text.mid(text.indexOf(QLatin1Char(' ')) + 1);
    const std::pair<const QString &, const char *> forms[] = {
        { afterComma, "dd MMM yyyy HH:mm:ss 'GMT'" },
        { afterComma, "dd-MMM-yy HH:mm:ss 'GMT'" },
        { afterSpace, "MMM d HH:mm:ss yyyy" },
    };
    QDateTime when;
    for (const auto &[part, format] : forms) {
        when = QLocale::c().toDateTime(part, QString::fromLatin1(format));
        if (when.isValid())
            break;
    }
    if (!when.isValid())
        return milliseconds(-1);
    when = QDateTime(when.date(), when.time(), Qt::UTC);
    if (when.date().year() < 1970) // RFC 850's two-digit year, read by Qt as 19yy
        when = when.addYears(100);
    return milliseconds(std::clamp<qint64>(now.msecsTo(when), 0, 365LL * 24 * 3600 * 1000));
}

ApiCall::ApiCall(ApiClient *client, Request request, Handler handler)
    : QObject(client), m_client(client), m_request(std::move(request)), m_handler(std::move(handler))
{
    m_deadline.setSingleShot(true);
    m_retryTimer.setSingleShot(true);
    m_retryTimer.setTimerType(Qt::PreciseTimer); // a coarse timer may fire 5% early: never before Retry-After
    connect(&m_deadline, &QTimer::timeout, this, &ApiCall::onDeadline);
    connect(&m_retryTimer, &QTimer::timeout, this, &ApiCall::onRetryTimer);
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

void ApiCall::reject(ApiError error)
{
    m_clock.start();
    qCWarning(lcApi).noquote() << describe() << "not sent:" << redactSecrets(error.message);
    Response response;
    response.error = std::move(error);
    finish(std::move(response));
}

void ApiCall::sendAttempt(const Request &request)
{
    ++m_attempts;
    m_attemptClock.start();
    m_reply = m_client->send(request);
    connect(m_reply, &QNetworkReply::finished, this, &ApiCall::onReplyFinished);
}

void ApiCall::onRetryTimer()
{
    if (m_finished)
        return;
    if (m_nextIsLookup) {
        startLookup();
    } else {
        m_inLookup = false;
        sendAttempt(m_request);
    }
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
    if (reply->isOpen())
        response.body = reply->readAll();
    m_retryAfterHeader = reply->rawHeader("Retry-After");
    QString requestId = QString::fromLatin1(reply->rawHeader("x-request-id"));
    if (requestId.isEmpty())
        requestId = QString::fromLatin1(reply->rawHeader("request-id"));
    requestId = redactSecrets(requestId.left(128));

    const bool proxyAuth = reply->error() == QNetworkReply::ProxyAuthenticationRequiredError;
    const bool webPage = !proxyAuth && response.status > 0
        && reply->header(QNetworkRequest::ContentTypeHeader)
               .toString()
               .trimmed()
               .startsWith(QLatin1String("text/html"), Qt::CaseInsensitive);
    if (proxyAuth) {
        // The proxy forwarded nothing: it wants a user name and password (ProxyAuth).
        response.error = ApiError::network(QStringLiteral("the proxy asks for a user name and password"));
        response.error.httpStatus = 407;
        response.body.clear();
    } else if (webPage) {
        // A captive portal's sign-in page or a proxy's error page: never the API's answer.
        response.error = ApiError::webPageAnswer(response.status);
        response.body.clear();
    } else if (response.status >= 200 && response.status < 300 && reply->error() == QNetworkReply::NoError) {
        // success
    } else if (response.status >= 300 && response.status < 400) {
        // A redirect that was not followed: it leaves the origin (SameOriginRedirectPolicy), so
        // neither the token nor the body goes there.
        response.error = ApiError::protocol(
            QStringLiteral("HTTP %1: redirect to another origin not followed").arg(response.status));
        response.error.httpStatus = response.status;
        response.body.clear();
    } else if (response.status > 0) {
        // Decide on the HTTP status, not on QNetworkReply's error enum (429 is UnknownContentError).
        response.error = ApiError::fromHttpStatus(response.status, {}, {}, {});
        Decode::errorBody(response.body, response.error);
        response.body.clear();
    } else if (reply->error() == QNetworkReply::OperationCanceledError) {
        // Not our cancel (we disconnect before aborting): Qt's transfer timeout aborted it.
        response.error = ApiError::timeout();
        response.error.message = QStringLiteral("no data for %1 ms").arg(m_client->options().transferTimeout.count());
    } else {
        response.error = ApiError::network(redactSecrets(reply->errorString()));
        switch (reply->error()) {
        case QNetworkReply::ConnectionRefusedError:
        case QNetworkReply::HostNotFoundError:
        case QNetworkReply::TimeoutError: // connecting timed out
        case QNetworkReply::TemporaryNetworkFailureError:
        case QNetworkReply::NetworkSessionFailedError:
        case QNetworkReply::ProxyConnectionRefusedError:
        case QNetworkReply::ProxyNotFoundError:
        case QNetworkReply::ProxyTimeoutError:
            response.error.unreachable = true; // nothing was sent: the network or service is not there
            break;
        default:
            break;
        }
    }
    response.error.requestId = requestId;

    // One line per attempt: method, path (no query: it may carry a cursor or a logicalId),
    // status, duration, attempt, request id. Never a header or a body.
    QString line = (m_inLookup ? QStringLiteral("GET /v1/projects?logicalId=…") : describe())
        + QStringLiteral(" -> %1 in %2 ms, attempt %3")
              .arg(response.status)
              .arg(m_attemptClock.elapsed())
              .arg(m_attempts);
    if (response.error.isError())
        line += QStringLiteral(", ") + ApiError::kindName(response.error.kind);
    if (!requestId.isEmpty())
        line += QStringLiteral(", request-id ") + requestId;
    qCInfo(lcApi).noquote() << line;
    if (reply->error() == QNetworkReply::SslHandshakeFailedError)
        m_tlsFailed = true; // retrying cannot help: report it at once
    if (response.error.unreachable || (response.status > 0 && !proxyAuth))
        Reachability::shared()->report(Reachability::origin(m_client->baseUrl()), !response.error.unreachable);
    if (proxyAuth && waitForProxyCredentials(ProxyAuth::keyForUrl(reply->url())))
        return;
    if (webPage && response.status == 401) {
        // The API never answers with a web page: a proxy that refused the credentials it was
        // given (tinyproxy answers so). Forget them (Qt's cache too), ask again, send again.
        const QString key = ProxyAuth::keyForUrl(reply->url());
        if (!key.isEmpty() && ProxyAuth::shared()->has(key)) {
            ProxyAuth::shared()->refused(key);
            m_client->m_network->clearAccessCache();
            if (waitForProxyCredentials(key))
                return;
        }
    }
    handle(std::move(response));
}

void ApiCall::handle(Response response)
{
    const bool failed = response.error.isError();

    if (failed && response.error.kind == ApiError::Kind::Unauthorized) {
        // Queued: a receiver may end the session (delete the client) while we are on the stack.
        QPointer<ApiClient> client(m_client);
        QMetaObject::invokeMethod(
            m_client,
            [client] {
                if (client)
                    Q_EMIT client->unauthorized();
            },
            Qt::QueuedConnection);
    }

    if (m_inLookup) {
        // The answer to GET /v1/projects?logicalId=...: found means the POST did land.
        if (!failed) {
            auto page = Decode::projectPage(response.body);
            if (page.ok() && !page.value().items.empty()) {
                nlohmann::json doc
                    = nlohmann::json::parse(response.body.constBegin(), response.body.constEnd(), nullptr, false);
                nlohmann::json project = doc["data"][0];
                project["x-ppg-recovered"] = true; // read by the decoder: Project::recovered
                Response found;
                found.status = 200;
                found.body = QByteArray::fromStdString(nlohmann::json { { "data", project } }.dump());
                qCInfo(lcApi).noquote() << describe() << "recovered by logicalId after a lost reply";
                finish(std::move(found));
                return;
            }
            if (page.ok()) {
                // Not there: the POST never landed, so sending it again is safe.
                if (scheduleAttempt(backoff(response), false))
                    return;
                Response gaveUp;
                gaveUp.error = ApiError::network(
                    QStringLiteral("the service could not be reached after %1 attempts").arg(m_attempts));
                finish(std::move(gaveUp));
                return;
            }
            response.error = page.error();
        }
        if (response.error.isTransient() && scheduleAttempt(backoff(response), true))
            return;
        response.error.mayHaveBeenApplied = true;
        finish(std::move(response));
        return;
    }

    if (!failed) {
        finish(std::move(response));
        return;
    }

    // A DELETE re-sent after a lost reply: 404 means the first one did it.
    if (m_request.method == Method::Delete && m_attempts > 1 && response.error.kind == ApiError::Kind::NotFound) {
        Response done;
        done.status = 204;
        finish(std::move(done));
        return;
    }

    if (m_request.method == Method::Post && !m_request.logicalId.isEmpty()) {
        // 429 was not applied: sending it again is safe.
        if (response.error.kind == ApiError::Kind::RateLimited && scheduleRetry(response))
            return;
        // Lost (network, timeout, 5xx): it may have landed. 409 after an attempt of ours (or for
        // a logicalId nobody else knows): it did land. Either way, look it up by logicalId.
        const bool lost = response.error.isTransient() && response.error.kind != ApiError::Kind::RateLimited;
        const bool ours = response.error.kind == ApiError::Kind::Conflict && (m_attempts > 1 || m_request.ownLogicalId);
        if (ours && m_deadline.remainingTime() > 0) {
            // The lookup goes out at once, even past maxAttempts: it only reads.
            m_nextIsLookup = true;
            m_retryTimer.start(0);
            return;
        }
        if (lost && scheduleAttempt(backoff(response), true))
            return;
        if (lost || ours)
            response.error.mayHaveBeenApplied = true;
        finish(std::move(response));
        return;
    }

    if (isIdempotent(m_request.method) && response.error.isTransient() && !m_tlsFailed && scheduleRetry(response))
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
    if (response.status == 429 || response.status == 503) {
        const auto retryAfter = retryAfterDelay(m_retryAfterHeader, QDateTime::currentDateTimeUtc());
        if (retryAfter.count() >= 0)
            return retryAfter;
    }
    // Full jitter: uniform in [0, min(cap, base * 2^(attempt-1))].
    const qint64 ceiling
        = std::min<qint64>(o.maxBackoff.count(), o.baseBackoff.count() << std::clamp(m_attempts - 1, 0, 16));
    return milliseconds(QRandomGenerator::global()->bounded(std::max<qint64>(ceiling, 0) + 1));
}

bool ApiCall::scheduleAttempt(std::chrono::milliseconds delay, bool lookup)
{
    const auto &o = m_client->options();
    if (m_attempts >= o.maxAttempts)
        return false;
    if (Reachability::shared()->isOffline(Reachability::origin(m_client->baseUrl())))
        return false; // no retry storm at a service that cannot be reached: Reachability probes it
    if (delay > o.maxRetryAfter)
        return false;
    const auto remaining = std::chrono::milliseconds(m_deadline.remainingTime());
    if (delay >= remaining)
        return false; // would end after the deadline: report now
    m_nextIsLookup = lookup;
    m_retryTimer.start(delay);
    return true;
}

bool ApiCall::waitForProxyCredentials(const QString &proxyKey)
{
    ProxyAuth *auth = ProxyAuth::shared();
    if (proxyKey.isEmpty() || m_proxyWaits >= 2 || m_deadline.remainingTime() <= 0)
        return false;
    ++m_proxyWaits;
    auto resend = [this] {
        if (m_finished)
            return;
        --m_attempts; // the proxy forwarded nothing: this attempt does not count
        if (m_inLookup)
            startLookup();
        else
            sendAttempt(m_request);
    };
    if (auth->has(proxyKey)) { // answered meanwhile (another call asked first)
        QTimer::singleShot(0, this, resend);
        return true;
    }
    if (!auth->isWaiting(proxyKey))
        return false;
    connect(auth, &ProxyAuth::answered, this, [this, proxyKey, resend](const QString &key, bool provided) {
        if (key != proxyKey)
            return;
        disconnect(ProxyAuth::shared(), &ProxyAuth::answered, this, nullptr);
        if (provided) {
            resend();
        } else if (!m_finished) {
            Response declined;
            declined.error = ApiError::network(QStringLiteral("the proxy asks for a user name and password"));
            declined.error.httpStatus = 407;
            handle(std::move(declined));
        }
    });
    return true;
}

bool ApiCall::scheduleRetry(const Response &response)
{
    return scheduleAttempt(backoff(response), false);
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
    qCInfo(lcApi).noquote() << describe() << "deadline exceeded after" << m_clock.elapsed() << "ms," << m_attempts
                            << "attempts";
    finish(std::move(response));
}

void ApiCall::cancel()
{
    if (m_delivered || m_cancelled)
        return;
    m_cancelled = true;
    dropReply();
    Response response;
    response.error = ApiError::cancelled();
    // A POST or PATCH that left may have landed before we stopped listening.
    if (!isIdempotent(m_request.method) && m_attempts > 0)
        response.error.mayHaveBeenApplied = true;
    if (m_finished) {
        // Decided but not delivered yet: the cancel wins, the old outcome is dropped.
        m_outcome = std::move(response);
        return;
    }
    finish(std::move(response));
}

void ApiCall::finish(Response response)
{
    if (m_finished)
        return;
    m_finished = true;
    m_deadline.stop();
    m_retryTimer.stop();
    m_outcome = std::move(response);
    if (m_request.decoder && !m_outcome.error.isError() && m_outcome.body.size() >= kDecodeOnWorkerBytes) {
        // Decoded on a worker; delivered from the event loop when done. A cancel() meanwhile
        // replaces the outcome, and the decoded value is dropped. If this call is destroyed first,
        // the watcher goes with it and the worker's value is dropped too.
        auto *watcher = new QFutureWatcher<std::shared_ptr<void>>(this);
        connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
            watcher->deleteLater();
            if (!m_outcome.error.isError())
                m_outcome.decoded = watcher->result();
            deliver();
        });
        watcher->setFuture(QtConcurrent::run(m_request.decoder, m_outcome.body));
        return;
    }
    // Always from the event loop, never inside the caller's own stack.
    QMetaObject::invokeMethod(this, &ApiCall::deliver, Qt::QueuedConnection);
}

void ApiCall::deliver()
{
    if (m_delivered)
        return;
    m_delivered = true;
    QPointer<ApiCall> self(this);
    if (m_handler) {
        auto handler = std::move(m_handler);
        m_handler = nullptr;
        const Response outcome = std::move(m_outcome);
        handler(outcome);
    }
    if (!self)
        return; // the handler ended the session (and this call with it)
    Q_EMIT finished();
    deleteLater();
}

void ApiCall::detach()
{
    m_handler = nullptr;
    m_finished = true;
    m_delivered = true;
    m_deadline.stop();
    m_retryTimer.stop();
    dropReply();
}

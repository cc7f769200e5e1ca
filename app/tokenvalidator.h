// TokenValidator: checks a service token against an API base URL before it is saved, with
// GET /v1/me on a temporary ApiClient that holds the token only for the duration of the check.
//
// start() returns at once; exactly one of checked() / failed() follows, from the event loop,
// unless cancel() (or another start(), or destroying the validator) came first: then nothing is
// emitted. failed() carries the ApiError: Unauthorized (401) means the token was refused;
// Network/Timeout/Server mean it could not be checked. The token is wiped when the temporary
// client goes away; nothing is logged but the route and the outcome's kind.
#pragma once

#include "apierror.h"
#include "resources.h"

#include <QByteArray>
#include <QObject>
#include <QPointer>
#include <QUrl>

#include <chrono>

class ApiClient;

class TokenValidator : public QObject
{
    Q_OBJECT
public:
    explicit TokenValidator(QObject *parent = nullptr);
    ~TokenValidator() override;

    // The whole check (retries included) ends by this deadline; default 20 s.
    void setDeadline(std::chrono::milliseconds deadline) { m_deadline = deadline; }

    // Cancels a running check, then checks `token` (taken over) against `apiUrl`.
    void start(const QUrl &apiUrl, QByteArray token);
    void cancel();
    bool isRunning() const { return !m_client.isNull(); }

    // "Workspace “Acme” · service token “ci”": what a successful check found, in words.
    static QString describe(const Me &me);
    // True when `error` means the service refused the token (401, or 403 on /v1/me).
    static bool isRefusal(const ApiError &error);

Q_SIGNALS:
    void checked(const Me &me);
    void failed(const ApiError &error);

private:
    QPointer<ApiClient> m_client;
    std::chrono::milliseconds m_deadline { 20000 };
};

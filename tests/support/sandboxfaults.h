// The running ppg-sandbox's control routes (no auth, no faults applied), for tests only; each call
// waits for the answer (at most 10 s) and says whether it was a 2xx.
// - setSandboxFaults(): PUT /_sandbox/faults, the injected faults.
// - setSandboxSubscription(): POST /_sandbox/workspaces/{id}/subscription, a workspace's plan
//   and whether its usage is blocked (its databases then refuse logins).
#pragma once

#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>
#include <QUrl>

inline bool sandboxControl(const QUrl &baseUrl, const QByteArray &verb, const QString &path, const QJsonObject &body)
{
    QNetworkAccessManager nam;
    QNetworkRequest req(baseUrl.resolved(QUrl(path)));
    req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    QNetworkReply *reply = nam.sendCustomRequest(req, verb, QJsonDocument(body).toJson(QJsonDocument::Compact));
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(10000, &loop, &QEventLoop::quit);
    loop.exec();
    const bool ok = reply->isFinished() && reply->error() == QNetworkReply::NoError;
    reply->deleteLater();
    return ok;
}

inline bool setSandboxFaults(const QUrl &baseUrl, const QJsonObject &faults)
{
    return sandboxControl(baseUrl, "PUT", QStringLiteral("/_sandbox/faults"), faults);
}

inline bool clearSandboxFaults(const QUrl &baseUrl)
{
    return setSandboxFaults(baseUrl,
        QJsonObject { { QStringLiteral("latencyMs"), 0 }, { QStringLiteral("jitterMs"), 0 },
            { QStringLiteral("rate5xx"), 0 }, { QStringLiteral("rate429"), 0 }, { QStringLiteral("dropRate"), 0 },
            { QStringLiteral("slowBodyMs"), 0 } });
}

inline bool setSandboxSubscription(const QUrl &baseUrl, const QString &workspaceId, const QJsonObject &subscription)
{
    return sandboxControl(
        baseUrl, "POST", QStringLiteral("/_sandbox/workspaces/%1/subscription").arg(workspaceId), subscription);
}

// setSandboxFaults(): changes a running ppg-sandbox's injected faults (PUT /_sandbox/faults, no
// auth), waiting for the answer. For tests only.
#pragma once

#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>
#include <QUrl>

inline bool setSandboxFaults(const QUrl &baseUrl, const QJsonObject &faults)
{
    QNetworkAccessManager nam;
    QNetworkRequest req(baseUrl.resolved(QUrl(QStringLiteral("/_sandbox/faults"))));
    req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    QNetworkReply *reply = nam.put(req, QJsonDocument(faults).toJson(QJsonDocument::Compact));
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(10000, &loop, &QEventLoop::quit);
    loop.exec();
    const bool ok = reply->isFinished() && reply->error() == QNetworkReply::NoError;
    reply->deleteLater();
    return ok;
}

inline bool clearSandboxFaults(const QUrl &baseUrl)
{
    return setSandboxFaults(baseUrl,
        QJsonObject { { QStringLiteral("latencyMs"), 0 }, { QStringLiteral("jitterMs"), 0 },
            { QStringLiteral("rate5xx"), 0 }, { QStringLiteral("rate429"), 0 }, { QStringLiteral("dropRate"), 0 },
            { QStringLiteral("slowBodyMs"), 0 } });
}

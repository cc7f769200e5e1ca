#include "tokenvalidator.h"

#include "apiclient.h"

#include <QStringList>

#include <algorithm>

TokenValidator::TokenValidator(QObject *parent) : QObject(parent) { }

TokenValidator::~TokenValidator()
{
    cancel();
}

void TokenValidator::cancel()
{
    if (ApiClient *client = m_client.data()) {
        m_client.clear();
        // Destroying the client ends its call without delivering it and wipes the token.
        client->deleteLater();
    }
}

void TokenValidator::start(const QUrl &apiUrl, QByteArray token)
{
    cancel();
    // An unusable URL or token comes back as a failed call (the client refuses to send it).
    auto *client = new ApiClient(apiUrl, std::move(token), this);
    m_client = client;
    ApiClient::Options options = client->options();
    options.maxAttempts = 2;
    options.deadline = m_deadline;
    options.transferTimeout = std::min(options.transferTimeout, m_deadline);
    client->setOptions(options);
    client->me(this, [this, client](Result<Me> result) {
        if (m_client != client)
            return; // cancelled or superseded
        cancel();
        if (result.ok())
            Q_EMIT checked(result.value());
        else
            Q_EMIT failed(result.error());
    });
}

QString TokenValidator::describe(const Me &me)
{
    QStringList parts;
    if (me.workspace)
        parts << tr("Workspace “%1”").arg(me.workspace->name.isEmpty() ? me.workspace->id : me.workspace->name);
    if (me.user)
        parts << tr("User “%1”").arg(me.user->name.isEmpty() ? me.user->email : me.user->name);
    QString type = me.credential.type;
    if (type == QLatin1String("service_token"))
        type = tr("service token");
    else if (type == QLatin1String("oauth"))
        type = tr("OAuth token");
    if (!type.isEmpty())
        parts << (me.credential.name.isEmpty() ? type : tr("%1 “%2”").arg(type, me.credential.name));
    return parts.join(QStringLiteral(" · "));
}

bool TokenValidator::isRefusal(const ApiError &error)
{
    return error.kind == ApiError::Kind::Unauthorized || error.kind == ApiError::Kind::Forbidden;
}

#include "proxycredentials.h"

#include "proxyauth.h"
#include "secretstore.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcProxyCredentials, "ppg.app.proxy")

ProxyCredentials::ProxyCredentials(SecretStore *secrets, ProxyAuth *auth, QObject *parent)
    : QObject(parent), m_secrets(secrets), m_auth(auth)
{
    connect(m_auth, &ProxyAuth::credentialsNeeded, this, &ProxyCredentials::onNeeded);
}

void ProxyCredentials::onNeeded(const QString &proxyKey, const QString &realm, bool refused)
{
    if (m_asking.contains(proxyKey))
        return;
    m_asking.insert(proxyKey);
    if (refused) {
        // What the keychain held (or the user gave) was refused: forget it, ask the user.
        m_secrets->remove(secretKey(proxyKey), this, [](const KeychainError &) {});
        ++m_asked;
        Q_EMIT credentialsWanted(proxyKey, realm, true);
        return;
    }
    m_secrets->read(
        secretKey(proxyKey), this, [this, proxyKey, realm](const QByteArray &stored, const KeychainError &error) {
            const qsizetype newline = stored.indexOf('\n');
            if (error.ok() && newline > 0) {
                m_asking.remove(proxyKey);
                QByteArray copy = stored;
                m_auth->provide(
                    proxyKey, QString::fromUtf8(copy.left(newline)), QString::fromUtf8(copy.mid(newline + 1)));
                copy.fill('\0');
                return;
            }
            ++m_asked;
            Q_EMIT credentialsWanted(proxyKey, realm, false);
        });
}

void ProxyCredentials::provide(const QString &proxyKey, const QString &user, const QString &password)
{
    m_asking.remove(proxyKey);
    m_auth->provide(proxyKey, user, password);
    QByteArray value = user.toUtf8() + '\n' + password.toUtf8();
    m_secrets->write(secretKey(proxyKey), std::move(value), this, [this](const KeychainError &error) {
        if (!error.ok()) {
            qCWarning(lcProxyCredentials) << "could not keep the proxy's credentials in the keychain";
            Q_EMIT keepFailed(error.userMessage());
        }
    });
}

void ProxyCredentials::decline(const QString &proxyKey)
{
    m_asking.remove(proxyKey);
    m_auth->decline(proxyKey);
}

#include "proxyauth.h"

#include <QAuthenticator>
#include <QLoggingCategory>
#include <QNetworkProxy>
#include <QNetworkProxyFactory>
#include <QUrl>

Q_LOGGING_CATEGORY(lcProxy, "ppg.api.proxy")

ProxyAuth *ProxyAuth::shared()
{
    static ProxyAuth *instance = new ProxyAuth; // lives as long as the process, like Qt's factory
    return instance;
}

void ProxyAuth::useSystemProxies()
{
    QNetworkProxyFactory::setUseSystemConfiguration(true);
}

QString ProxyAuth::key(const QNetworkProxy &proxy)
{
    if (proxy.type() == QNetworkProxy::NoProxy || proxy.type() == QNetworkProxy::DefaultProxy
        || proxy.hostName().isEmpty())
        return {};
    return QStringLiteral("%1:%2").arg(proxy.hostName().toLower()).arg(proxy.port());
}

QString ProxyAuth::keyForUrl(const QUrl &url)
{
    const QList<QNetworkProxy> proxies = QNetworkProxyFactory::proxyForQuery(QNetworkProxyQuery(url));
    return proxies.isEmpty() ? QString() : key(proxies.first());
}

void ProxyAuth::authenticate(const QNetworkProxy &proxy, QAuthenticator *authenticator)
{
    const QString k = key(proxy);
    if (k.isEmpty())
        return;
    const auto known = m_known.constFind(k);
    // Qt asks again with what it sent when the proxy refused it: those were wrong.
    const bool refused = known != m_known.cend() && !authenticator->user().isEmpty()
        && authenticator->user() == known->user && authenticator->password() == known->password;
    if (known != m_known.cend() && !refused) {
        authenticator->setUser(known->user);
        authenticator->setPassword(known->password);
        return;
    }
    if (refused) {
        qCInfo(lcProxy).noquote() << "the proxy" << k << "refused the credentials it was given";
        forget(k);
    }
    if (m_waiting.contains(k))
        return;
    m_waiting.insert(k);
    qCInfo(lcProxy).noquote() << "the proxy" << k << "asks for credentials";
    const QString realm = authenticator->realm();
    // Queued: Qt is in the middle of a reply here.
    QMetaObject::invokeMethod(
        this, [this, k, realm, refused] { Q_EMIT credentialsNeeded(k, realm, refused); }, Qt::QueuedConnection);
}

void ProxyAuth::provide(const QString &key, const QString &user, const QString &password)
{
    m_known.insert(key, { user, password });
    m_waiting.remove(key);
    Q_EMIT answered(key, true);
}

void ProxyAuth::decline(const QString &key)
{
    m_waiting.remove(key);
    Q_EMIT answered(key, false);
}

void ProxyAuth::refused(const QString &key)
{
    qCInfo(lcProxy).noquote() << "the proxy" << key << "refused the credentials it was given";
    forget(key);
    if (m_waiting.contains(key))
        return;
    m_waiting.insert(key);
    QMetaObject::invokeMethod(
        this, [this, key] { Q_EMIT credentialsNeeded(key, {}, true); }, Qt::QueuedConnection);
}

void ProxyAuth::forget(const QString &key)
{
    auto it = m_known.find(key);
    if (it == m_known.end())
        return;
    it->password.fill(QLatin1Char('\0'));
    m_known.erase(it);
}

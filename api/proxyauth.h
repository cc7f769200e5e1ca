// ProxyAuth: user names and passwords for the HTTP proxies that ask for them (407), shared by
// every ApiClient of the process (shared()), and useSystemProxies(), which makes Qt follow the
// environment's and the desktop's proxy settings (HTTPS_PROXY/https_proxy, HTTP_PROXY, NO_PROXY,
// and the desktop's through libproxy on Debian's Qt; see docs/PLATFORM-NOTES.md). Qt never sends
// requests to localhost or a 127.x address through a proxy.
//
// Qt asks for credentials synchronously (QNetworkAccessManager::proxyAuthenticationRequired):
// authenticate() fills in what is known for that proxy (key "host:port"). When nothing is known,
// or what it gave was refused, it leaves the authenticator empty, so the request ends with 407, and
// emits credentialsNeeded() once until someone answers with provide() or decline(). The calls that
// ended with 407 meanwhile wait for answered() and then go again (ApiCall): a 407 means the proxy
// forwarded nothing, so sending again is safe for any method. The app layer (ProxyCredentials)
// answers from the keychain or by asking the user. Credentials live in memory here, never in a
// log; a refused pair is forgotten.
#pragma once

#include <QHash>
#include <QObject>
#include <QSet>
#include <QString>

class QAuthenticator;
class QNetworkProxy;
class QUrl;

class ProxyAuth : public QObject
{
    Q_OBJECT
public:
    static ProxyAuth *shared();
    // QNetworkProxyFactory::setUseSystemConfiguration(true); called once by the composition root.
    static void useSystemProxies();
    // "host:port" of a proxy; empty for no proxy.
    static QString key(const QNetworkProxy &proxy);
    // The key of the proxy Qt uses for `url` (empty: direct).
    static QString keyForUrl(const QUrl &url);

    // For QNetworkAccessManager::proxyAuthenticationRequired.
    void authenticate(const QNetworkProxy &proxy, QAuthenticator *authenticator);
    void provide(const QString &key, const QString &user, const QString &password);
    // Nobody gives credentials for `key`: the calls waiting for them end with their 407.
    void decline(const QString &key);
    bool isWaiting(const QString &key) const { return m_waiting.contains(key); }
    bool has(const QString &key) const { return m_known.contains(key); }
    void forget(const QString &key);
    // The proxy refused what was given in a way Qt does not see as a 407 (tinyproxy 1.11 answers
    // wrong credentials with a 401 page): forgets them and asks again (credentialsNeeded, refused).
    void refused(const QString &key);

Q_SIGNALS:
    // `realm` is the proxy's; `refused`: the credentials given before were refused.
    void credentialsNeeded(const QString &key, const QString &realm, bool refused);
    void answered(const QString &key, bool provided);

private:
    struct Credentials
    {
        QString user;
        QString password;
    };
    QHash<QString, Credentials> m_known;
    QSet<QString> m_waiting;
};

// ProxyCredentials: answers ProxyAuth (api/) when a proxy asks for a user name and password: first
// from the keychain (SecretStore key "proxy/<host>:<port>", value "user\npassword"), else by asking
// the user once through credentialsWanted() (the window shows ProxyCredentialsDialog and answers
// with provide() or decline()). What the user gives is kept in the keychain and used again at the
// next start without asking. Credentials the proxy refuses are forgotten (memory and keychain) and
// asked for again. One question at a time per proxy; never logged.
#pragma once

#include <QObject>
#include <QSet>
#include <QString>

class ProxyAuth;
class SecretStore;

class ProxyCredentials : public QObject
{
    Q_OBJECT
public:
    ProxyCredentials(SecretStore *secrets, ProxyAuth *auth, QObject *parent = nullptr);

    static QString secretKey(const QString &proxyKey) { return QStringLiteral("proxy/") + proxyKey; }
    // The user's answer to credentialsWanted(): used at once and kept in the keychain.
    void provide(const QString &proxyKey, const QString &user, const QString &password);
    void decline(const QString &proxyKey);
    int questionsAsked() const { return m_asked; }

Q_SIGNALS:
    // Ask the user (the proxy at `proxyKey`, its `realm`); `refused`: the last ones were refused.
    void credentialsWanted(const QString &proxyKey, const QString &realm, bool refused);
    // The keychain could not keep what the user gave (used for this session only).
    void keepFailed(const QString &message);

private:
    void onNeeded(const QString &proxyKey, const QString &realm, bool refused);

    SecretStore *m_secrets;
    ProxyAuth *m_auth;
    QSet<QString> m_asking; // a question is open for these proxies
    int m_asked = 0;
};

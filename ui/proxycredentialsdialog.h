// ProxyCredentialsDialog: asks for the user name and password a proxy wants (407), for the proxy at
// "host:port" and its realm; says so when the ones given before were refused. The window opens it
// when ProxyCredentials::credentialsWanted() asks, and answers with provide() (OK: kept in the
// keychain) or decline() (Cancel). The password field is masked; nothing is logged.
#pragma once

#include <QDialog>

class QLineEdit;
class QPushButton;

class ProxyCredentialsDialog : public QDialog
{
    Q_OBJECT
public:
    ProxyCredentialsDialog(const QString &proxyKey, const QString &realm, bool refused, QWidget *parent = nullptr);

    QString proxyKey() const { return m_proxyKey; }
    QString user() const;
    QString password() const;
    // For tests and the keyboard: fills the fields.
    void setCredentials(const QString &user, const QString &password);

private:
    QString m_proxyKey;
    QLineEdit *m_user;
    QLineEdit *m_password;
    QPushButton *m_ok;
};

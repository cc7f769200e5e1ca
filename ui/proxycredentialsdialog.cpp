#include "proxycredentialsdialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

ProxyCredentialsDialog::ProxyCredentialsDialog(
    const QString &proxyKey, const QString &realm, bool refused, QWidget *parent)
    : QDialog(parent), m_proxyKey(proxyKey), m_user(new QLineEdit(this)), m_password(new QLineEdit(this))
{
    setObjectName(QStringLiteral("proxyCredentialsDialog"));
    setWindowTitle(tr("Proxy Sign-In"));
    auto *layout = new QVBoxLayout(this);
    QString text = tr("The proxy %1 asks for a user name and password.").arg(proxyKey.toHtmlEscaped());
    if (!realm.isEmpty())
        text += QLatin1Char(' ') + tr("It says: “%1”.").arg(realm.toHtmlEscaped());
    if (refused)
        text += QStringLiteral("<br><b>") + tr("The proxy refused the ones given before.") + QStringLiteral("</b>");
    auto *label = new QLabel(text, this);
    label->setWordWrap(true);
    layout->addWidget(label);
    auto *form = new QFormLayout;
    m_user->setObjectName(QStringLiteral("proxyUser"));
    m_password->setObjectName(QStringLiteral("proxyPassword"));
    m_password->setEchoMode(QLineEdit::Password);
    form->addRow(tr("&User name:"), m_user);
    form->addRow(tr("&Password:"), m_password);
    layout->addLayout(form);
    auto *note = new QLabel(tr("They are kept in the system keychain and used again next time."), this);
    note->setWordWrap(true);
    layout->addWidget(note);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_ok->setText(tr("Sign In"));
    m_ok->setEnabled(false);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    // A user name on one line: the keychain keeps "user\npassword".
    connect(m_user, &QLineEdit::textChanged, this,
        [this](const QString &t) { m_ok->setEnabled(!t.trimmed().isEmpty() && !t.contains(QLatin1Char('\n'))); });
}

QString ProxyCredentialsDialog::user() const
{
    return m_user->text().trimmed();
}

QString ProxyCredentialsDialog::password() const
{
    return m_password->text();
}

void ProxyCredentialsDialog::setCredentials(const QString &user, const QString &password)
{
    m_user->setText(user);
    m_password->setText(password);
}

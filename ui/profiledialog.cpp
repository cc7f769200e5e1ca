#include "profiledialog.h"

#include "profilestore.h"
#include "sessionmanager.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

ProfileDialog::ProfileDialog(SessionManager *sessions, const Profile &profile, QWidget *parent)
    : QDialog(parent), m_sessions(sessions), m_profile(profile)
{
    setWindowTitle(profile.id.isEmpty() ? tr("Add profile") : tr("Edit profile"));
    setMinimumWidth(460);
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    layout->addLayout(form);
    m_name = new QLineEdit(profile.name, this);
    m_name->setAccessibleName(tr("Profile name"));
    form->addRow(tr("&Name:"), m_name);
    m_url = new QLineEdit(profile.apiUrl.toString(), this);
    m_url->setAccessibleName(tr("API URL"));
    form->addRow(tr("&API URL:"), m_url);
    m_token = new QLineEdit(this);
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setAccessibleName(tr("Service token"));
    m_token->setPlaceholderText(profile.hasStoredToken ? tr("Stored in the keychain; type to replace")
                                                       : tr("From your workspace's settings in the Prisma Console"));
    form->addRow(tr("Service &token:"), m_token);
    m_problem = new QLabel(this);
    m_problem->setWordWrap(true);
    layout->addWidget(m_problem);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_save = buttons->addButton(tr("Save"), QDialogButtonBox::AcceptRole);
    m_save->setDefault(true);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_save, &QPushButton::clicked, this, &ProfileDialog::save);
    for (QLineEdit *e : {m_name, m_url, m_token})
        connect(e, &QLineEdit::textChanged, this, &ProfileDialog::validate);
    validate();
}

void ProfileDialog::validate()
{
    Profile p = m_profile;
    p.name = m_name->text().trimmed();
    p.apiUrl = QUrl::fromUserInput(m_url->text().trimmed());
    std::optional<QString> problem = m_sessions->profiles()->validate(p);
    if (!problem && m_token->text().isEmpty() && !m_profile.hasStoredToken)
        problem = tr("Paste the service token.");
    m_problem->setText(problem.value_or(QString()));
    m_save->setEnabled(!problem);
}

void ProfileDialog::save()
{
    m_save->setEnabled(false);
    Profile p = m_profile;
    p.name = m_name->text().trimmed();
    p.apiUrl = QUrl::fromUserInput(m_url->text().trimmed());
    QByteArray token = m_token->text().trimmed().toUtf8();
    m_token->clear();
    m_sessions->saveProfile(p, std::move(token), this, [this](std::optional<Profile> saved, const QString &error) {
        if (saved)
            m_profile = *saved;
        if (!error.isEmpty()) {
            m_problem->setText(error);
            m_save->setEnabled(true);
            return;
        }
        accept();
    });
}

#include "createservicetokendialog.h"

#include "profilecolorpicker.h"
#include "profilestore.h"
#include "servicetokenpolicy.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

CreateServiceTokenDialog::CreateServiceTokenDialog(
    const ProfileStore *profiles, const QString &workspaceName, QWidget *parent)
    : QDialog(parent), m_profiles(profiles)
{
    setWindowTitle(tr("Create Service Token"));
    setMinimumWidth(480);
    auto *layout = new QVBoxLayout(this);

    auto *intro = new QLabel(tr("A new service token of the workspace “%1”. Its value is shown nowhere: it goes "
                                "straight into the keychain, as the token of a new profile.")
                                 .arg(workspaceName),
        this);
    intro->setObjectName(QStringLiteral("intro"));
    intro->setWordWrap(true);
    intro->setTextFormat(Qt::PlainText);
    layout->addWidget(intro);

    auto *form = new QFormLayout;
    layout->addLayout(form);
    m_tokenName = new QLineEdit(this);
    m_tokenName->setAccessibleName(tr("Token name"));
    m_tokenName->setPlaceholderText(tr("For example: ci, staging-deploy"));
    m_tokenName->setMaxLength(ServiceTokenPolicy::kMaxNameLength + 20);
    form->addRow(tr("&Token name:"), m_tokenName);

    m_profileName = new QLineEdit(this);
    m_profileName->setAccessibleName(tr("Profile name"));
    m_profileName->setPlaceholderText(tr("The profile that keeps the token"));
    m_profileName->setMaxLength(ProfileStore::kMaxNameLength + 20);
    form->addRow(tr("&Profile name:"), m_profileName);

    m_colorPicker = new ProfileColorPicker(this);
    auto *colorLabel = new QLabel(tr("&Colour:"), this);
    colorLabel->setBuddy(m_colorPicker->firstButton());
    form->addRow(colorLabel, m_colorPicker);

    m_problem = new QLabel(this);
    m_problem->setObjectName(QStringLiteral("problem"));
    m_problem->setWordWrap(true);
    m_problem->setTextFormat(Qt::PlainText);
    m_problem->setAccessibleName(tr("Problem"));
    layout->addWidget(m_problem);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_create = buttons->addButton(tr("&Create Token"), QDialogButtonBox::AcceptRole);
    m_create->setDefault(true);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_create, &QPushButton::clicked, this, [this] {
        validate();
        if (m_create->isEnabled())
            accept();
    });
    connect(m_tokenName, &QLineEdit::textChanged, this, [this](const QString &text) {
        if (!m_profileNameEdited) {
            const QSignalBlocker quiet(m_profileName);
            m_profileName->setText(text.trimmed());
        }
        validate();
    });
    connect(m_profileName, &QLineEdit::textEdited, this, [this] { m_profileNameEdited = true; });
    connect(m_profileName, &QLineEdit::textChanged, this, &CreateServiceTokenDialog::validate);

    validate();
}

QString CreateServiceTokenDialog::tokenName() const
{
    return m_tokenName->text().trimmed();
}

QString CreateServiceTokenDialog::profileName() const
{
    return m_profileName->text().trimmed();
}

QColor CreateServiceTokenDialog::color() const
{
    return m_colorPicker->color();
}

void CreateServiceTokenDialog::setColor(const QColor &color)
{
    m_colorPicker->setColor(color);
}

void CreateServiceTokenDialog::validate()
{
    std::optional<QString> problem = ServiceTokenPolicy::validateName(m_tokenName->text());
    if (!problem)
        problem = m_profiles->validateName(m_profileName->text());
    m_problem->setText(problem.value_or(QString()));
    m_create->setEnabled(!problem);
}

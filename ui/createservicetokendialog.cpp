#include "createservicetokendialog.h"

#include "profiledialog.h"
#include "profilestore.h"
#include "profileswatch.h"
#include "servicetokenpolicy.h"

#include <QButtonGroup>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QToolButton>
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

    auto *colorRow = new QHBoxLayout;
    colorRow->setSpacing(4);
    m_swatches = new QButtonGroup(this);
    m_swatches->setExclusive(true);
    m_noColor = new QToolButton(this);
    m_noColor->setCheckable(true);
    m_noColor->setIcon(profileSwatch(QColor(), 18, true));
    m_noColor->setToolTip(tr("No colour"));
    m_noColor->setAccessibleName(tr("No colour"));
    m_swatches->addButton(m_noColor, -1);
    colorRow->addWidget(m_noColor);
    const QList<QColor> colors = ProfileDialog::palette();
    for (int i = 0; i < colors.size(); ++i) {
        auto *b = new QToolButton(this);
        b->setCheckable(true);
        b->setIcon(profileSwatch(colors.at(i), 18));
        b->setToolTip(colors.at(i).name());
        b->setAccessibleName(tr("Colour %1").arg(colors.at(i).name()));
        m_swatches->addButton(b, i);
        colorRow->addWidget(b);
    }
    colorRow->addStretch(1);
    auto *colorLabel = new QLabel(tr("&Colour:"), this);
    colorLabel->setBuddy(m_noColor);
    form->addRow(colorLabel, colorRow);
    connect(m_swatches, &QButtonGroup::idClicked, this, [this](int id) {
        m_color = id >= 0 ? ProfileDialog::palette().value(id) : QColor();
        updateSwatches();
    });

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

    updateSwatches();
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

void CreateServiceTokenDialog::setColor(const QColor &color)
{
    m_color = color;
    updateSwatches();
}

void CreateServiceTokenDialog::updateSwatches()
{
    const int index = m_color.isValid() ? int(ProfileDialog::palette().indexOf(m_color)) : -1;
    if (QAbstractButton *b = index >= 0 ? m_swatches->button(index) : m_noColor)
        b->setChecked(true);
}

void CreateServiceTokenDialog::validate()
{
    std::optional<QString> problem = ServiceTokenPolicy::validateName(m_tokenName->text());
    if (!problem)
        problem = m_profiles->validateName(m_profileName->text());
    m_problem->setText(problem.value_or(QString()));
    m_create->setEnabled(!problem);
}

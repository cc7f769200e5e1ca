#include "profiledialog.h"

#include "profilecolorpicker.h"

#include "connectionvault.h"
#include "profilestore.h"
#include "resources.h"
#include "sessionmanager.h"
#include "tokenvalidator.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace {

// Wipes the text of a password field: QLineEdit keeps no other copy we could reach.
void clearSecretField(QLineEdit *edit)
{
    edit->clear();
}

} // namespace

QList<QColor> ProfileDialog::palette()
{
    return ProfileColorPicker::palette();
}

ProfileDialog::ProfileDialog(SessionManager *sessions, const Profile &profile, QWidget *parent)
    : QDialog(parent)
    , m_sessions(sessions)
    , m_validator(new TokenValidator(this))
    , m_profile(profile)
    , m_color(profile.color)
{
    setWindowTitle(profile.id.isEmpty() ? tr("Add profile") : tr("Edit profile “%1”").arg(profile.name));
    setMinimumWidth(520);
    auto *layout = new QVBoxLayout(this);

    m_intro = new QLabel(this);
    m_intro->setWordWrap(true);
    m_intro->setVisible(false);
    layout->addWidget(m_intro);

    auto *form = new QFormLayout;
    layout->addLayout(form);
    m_name = new QLineEdit(profile.name, this);
    m_name->setAccessibleName(tr("Profile name"));
    m_name->setPlaceholderText(tr("For example: production, staging"));
    m_name->setMaxLength(ProfileStore::kMaxNameLength + 20);
    form->addRow(tr("&Name:"), m_name);

    m_url = new QLineEdit(profile.apiUrl.toString(), this);
    m_url->setAccessibleName(tr("API URL"));
    form->addRow(tr("&API URL:"), m_url);

    auto *tokenRow = new QHBoxLayout;
    m_token = new QLineEdit(this);
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setAccessibleName(tr("Service token"));
    m_token->setPlaceholderText(profile.hasStoredToken ? tr("Stored in the keychain; type to replace")
                                                       : tr("From your workspace's settings in the Prisma Console"));
    tokenRow->addWidget(m_token, 1);
    m_check = new QPushButton(tr("C&heck token"), this);
    m_check->setAutoDefault(false);
    m_check->setToolTip(tr("Asks the service who this token belongs to (GET /v1/me)."));
    tokenRow->addWidget(m_check);
    auto *tokenLabel = new QLabel(tr("Service &token:"), this);
    tokenLabel->setBuddy(m_token);
    form->addRow(tokenLabel, tokenRow);

    m_checkResult = new QLabel(this);
    m_checkResult->setWordWrap(true);
    m_checkResult->setTextFormat(Qt::PlainText);
    m_checkResult->setAccessibleName(tr("Token check result"));
    form->addRow(QString(), m_checkResult);

    m_colorPicker = new ProfileColorPicker(this);
    m_colorPicker->setColor(m_color);
    auto *colorLabel = new QLabel(tr("&Colour:"), this);
    colorLabel->setBuddy(m_colorPicker->firstButton());
    colorLabel->setToolTip(
        tr("Shown in the window and the profile switcher, so one profile never looks like another."));
    form->addRow(colorLabel, m_colorPicker);
    connect(m_colorPicker, &ProfileColorPicker::colorChanged, this, [this](const QColor &c) { m_color = c; });

    m_keepStrings = new QCheckBox(tr("&Keep new connection strings in the keychain"), this);
    m_keepStrings->setToolTip(tr("The service shows a connection's password only when the connection is created or "
                                 "rotated. Keeping it lets you copy the connection string again later."));
    m_keepStrings->setChecked(profile.id.isEmpty() || sessions->vault()->keepByDefault(profile.id));
    form->addRow(QString(), m_keepStrings);

    m_problem = new QLabel(this);
    m_problem->setWordWrap(true);
    m_problem->setTextFormat(Qt::PlainText);
    m_problem->setAccessibleName(tr("Problem"));
    layout->addWidget(m_problem);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_sessionOnlyButton = buttons->addButton(tr("Use for this session &only"), QDialogButtonBox::ActionRole);
    m_sessionOnlyButton->setToolTip(
        tr("Keep the token in memory until the console quits; nothing is written to disk."));
    m_sessionOnlyButton->setVisible(false);
    m_saveAnyway = buttons->addButton(tr("Save &anyway"), QDialogButtonBox::ActionRole);
    m_saveAnyway->setVisible(false);
    m_save = buttons->addButton(tr("&Save"), QDialogButtonBox::AcceptRole);
    m_save->setDefault(true);
    layout->addWidget(buttons);

    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_save, &QPushButton::clicked, this, [this] { save(false); });
    connect(m_saveAnyway, &QPushButton::clicked, this, [this] { save(true); });
    connect(m_sessionOnlyButton, &QPushButton::clicked, this, [this] { store(true); });
    connect(m_check, &QPushButton::clicked, this, [this] { startCheck(false); });
    connect(m_name, &QLineEdit::textChanged, this, &ProfileDialog::validate);
    connect(m_url, &QLineEdit::textChanged, this, &ProfileDialog::tokenOrUrlEdited);
    connect(m_token, &QLineEdit::textChanged, this, &ProfileDialog::tokenOrUrlEdited);
    connect(m_validator, &TokenValidator::checked, this, &ProfileDialog::onChecked);
    connect(m_validator, &TokenValidator::failed, this, &ProfileDialog::onCheckFailed);
    connect(m_sessions, &SessionManager::keychainUnavailable, this,
        [this](const QString &profileId, const KeychainError &) { m_unavailableProfileId = profileId; });

    validate();
}

ProfileDialog::~ProfileDialog()
{
    clearSecretField(m_token);
}

void ProfileDialog::setToken(const QByteArray &token)
{
    m_token->setText(QString::fromUtf8(token).trimmed());
}

void ProfileDialog::setIntro(const QString &text)
{
    m_intro->setText(text);
    m_intro->setVisible(!text.isEmpty());
}

void ProfileDialog::setColor(const QColor &color)
{
    m_color = color;
    m_colorPicker->setColor(color);
}

Profile ProfileDialog::edited() const
{
    Profile p = m_profile;
    p.name = m_name->text().trimmed();
    p.apiUrl = QUrl::fromUserInput(m_url->text().trimmed());
    p.color = m_color;
    return p;
}

void ProfileDialog::validate()
{
    std::optional<QString> problem = m_sessions->profiles()->validate(edited());
    if (!problem && m_token->text().trimmed().isEmpty() && !m_profile.hasStoredToken
        && !m_sessions->hasSessionToken(m_profile.id))
        problem = tr("Paste the service token.");
    m_problem->setText(problem.value_or(QString()));
    m_save->setEnabled(!problem && !m_busy);
    m_check->setEnabled(
        !m_busy && !m_token->text().trimmed().isEmpty() && !ProfileStore::validateApiUrl(edited().apiUrl));
    if (problem)
        m_saveAnyway->setVisible(false);
}

void ProfileDialog::tokenOrUrlEdited()
{
    // Whatever was checked no longer describes what is in the fields.
    m_validator->cancel();
    m_saveAfterCheck = false;
    m_checkState = Check::None;
    if (m_busy)
        setBusy(false);
    m_checkResult->clear();
    m_saveAnyway->setVisible(false);
    m_sessionOnlyButton->setVisible(false);
    validate();
}

void ProfileDialog::setBusy(bool busy)
{
    m_busy = busy;
    for (QWidget *w : { static_cast<QWidget *>(m_name), static_cast<QWidget *>(m_url),
             static_cast<QWidget *>(m_saveAnyway), static_cast<QWidget *>(m_sessionOnlyButton) })
        w->setEnabled(!busy);
    validate();
}

void ProfileDialog::startCheck(bool thenSave)
{
    const QString token = m_token->text().trimmed();
    if (token.isEmpty())
        return;
    m_saveAfterCheck = thenSave;
    m_checkState = Check::Running;
    m_saveAnyway->setVisible(false);
    m_checkResult->setText(tr("Checking the token with the service…"));
    setBusy(true);
    m_validator->start(edited().apiUrl, token.toUtf8());
}

void ProfileDialog::onChecked(const Me &me)
{
    m_checkState = Check::Passed;
    const QString found = TokenValidator::describe(me);
    m_checkResult->setText(found.isEmpty() ? tr("✓ The service accepted the token.")
                                           : tr("✓ The service accepted the token: %1.").arg(found));
    setBusy(false);
    if (m_saveAfterCheck) {
        m_saveAfterCheck = false;
        store(false);
    }
}

void ProfileDialog::onCheckFailed(const ApiError &error)
{
    const bool refused = TokenValidator::isRefusal(error);
    m_checkState = refused ? Check::Refused : Check::Unchecked;
    if (refused) {
        m_checkResult->setText(tr("✗ The service refused this token (HTTP %1): it is wrong, expired or revoked, "
                                  "or it belongs to another API URL. Paste a valid service token, or choose "
                                  "“Save anyway” to keep it regardless.")
                                   .arg(error.httpStatus));
    } else {
        m_checkResult->setText(tr("The token could not be checked. %1 Choose “Save anyway” to keep it unchecked.")
                                   .arg(error.userMessage()));
    }
    const bool wasSaving = m_saveAfterCheck;
    m_saveAfterCheck = false;
    setBusy(false);
    m_saveAnyway->setVisible(wasSaving || refused || m_checkState == Check::Unchecked);
    if (m_saveAnyway->isVisible())
        m_saveAnyway->setEnabled(true);
}

void ProfileDialog::save(bool insisted)
{
    if (m_busy)
        return;
    if (auto problem = m_sessions->profiles()->validate(edited())) {
        m_problem->setText(*problem);
        return;
    }
    const bool newToken = !m_token->text().trimmed().isEmpty();
    if (newToken && !insisted && m_checkState != Check::Passed) {
        startCheck(true); // saves when the service accepts the token
        return;
    }
    store(false);
}

void ProfileDialog::store(bool sessionOnly)
{
    const Profile p = edited();
    QByteArray token = m_token->text().trimmed().toUtf8();
    const bool keep = m_keepStrings->isChecked();
    m_problem->clear();
    m_unavailableProfileId.clear();
    setBusy(true);
    const auto storage
        = sessionOnly ? SessionManager::TokenStorage::SessionOnly : SessionManager::TokenStorage::Keychain;
    m_sessions->saveProfile(p, std::move(token), storage, this,
        [this, keep, sessionOnly](std::optional<Profile> saved, const QString &error) {
            setBusy(false);
            if (saved) {
                // Retry as an update of the same profile, never as a second one.
                m_profile = *saved;
                m_sessions->vault()->setKeepByDefault(saved->id, keep);
            }
            if (!error.isEmpty()) {
                m_problem->setText(error);
                const bool offer = saved && m_unavailableProfileId == saved->id;
                m_sessionOnlyButton->setVisible(offer && !m_token->text().trimmed().isEmpty());
                if (offer)
                    m_problem->setText(error + QLatin1Char(' ')
                        + tr("The profile's name, address and colour are saved; only the token is not."));
                return;
            }
            m_sessionOnly = sessionOnly;
            accept();
        });
}

void ProfileDialog::done(int result)
{
    m_validator->cancel();
    clearSecretField(m_token);
    QDialog::done(result);
}

#include "profilecontroller.h"

#include "consolecore.h"
#include "keychainerror.h"
#include "profiledialog.h"
#include "profilesdialog.h"
#include "session.h"
#include "tokenimport.h"

#include <QMessageBox>
#include <QPushButton>

ProfileController::ProfileController(ConsoleCore *core, QWidget *window)
    : QObject(window), m_core(core), m_window(window)
{
    connect(&m_core->sessions, &SessionManager::activationFailed, this, &ProfileController::onActivationFailed);
    connect(&m_core->sessions, &SessionManager::keychainUnavailable, this, &ProfileController::onKeychainUnavailable);
    connect(&m_core->sessions, &SessionManager::sessionChanged, this, &ProfileController::onSessionChanged);
}

void ProfileController::openOnAccept(ProfileDialog *dialog)
{
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] { m_core->sessions.activate(dialog->profile().id); });
    dialog->open();
}

void ProfileController::addProfile()
{
    openOnAccept(new ProfileDialog(&m_core->sessions, Profile {}, m_window));
}

void ProfileController::manageProfiles()
{
    auto *dialog = new ProfilesDialog(&m_core->sessions, m_window);
    dialog->setObjectName(QStringLiteral("profilesDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (const Session *s = m_core->sessions.session(); s && !s->isTemporary())
        dialog->selectProfile(s->profile().id);
    connect(dialog, &QDialog::finished, this, &ProfileController::profilesEdited);
    dialog->open();
}

void ProfileController::offerImport(QByteArray token)
{
    QMessageBox box(QMessageBox::Question, tr("Service token found"),
        tr("PRISMA_SERVICE_TOKEN is set in the environment. Create a profile from it?"), QMessageBox::NoButton,
        m_window);
    box.setInformativeText(
        tr("The token is checked with the service and kept in the keychain. Nothing is saved unless you confirm."));
    QPushButton *create = box.addButton(tr("Create Profile…"), QMessageBox::AcceptRole);
    box.addButton(tr("Not Now"), QMessageBox::RejectRole);
    box.exec();
    if (box.clickedButton() != create) {
        token.fill('\0');
        return;
    }
    auto *dialog = new ProfileDialog(&m_core->sessions, TokenImport::suggestedProfile(m_core->profiles), m_window);
    dialog->setToken(token);
    token.fill('\0');
    openOnAccept(dialog);
}

void ProfileController::onActivationFailed(const QString &name, const QString &message)
{
    if (m_keychainBox && m_keychainBox->isVisible())
        return; // the keychain's question says it, with a way on
    QMessageBox::warning(
        m_window, tr("Cannot open profile"), name.isEmpty() ? message : tr("Profile “%1”: %2").arg(name, message));
}

void ProfileController::onKeychainUnavailable(const QString &profileId, const KeychainError &error)
{
    // No usable keychain: say so in words and offer to keep the token in memory for this session.
    const auto profile = m_core->profiles.profile(profileId);
    if (!profile)
        return;
    if (m_keychainBox)
        m_keychainBox->close(); // one question at a time
    const bool locked = error.kind == KeychainError::Kind::Timeout || error.kind == KeychainError::Kind::Locked;
    auto *box = new QMessageBox(QMessageBox::Warning, locked ? tr("Keyring locked") : tr("Keychain unavailable"),
        locked ? tr("The keyring is locked: the token of “%1” cannot be read until it is unlocked.").arg(profile->name)
               : tr("The token of “%1” cannot be read from the keychain.").arg(profile->name),
        QMessageBox::Close, m_window);
    box->setObjectName(QStringLiteral("keychainUnavailableBox"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setInformativeText(locked
            ? error.userMessage() + QLatin1Char(' ') + tr("Once it is unlocked, the profile opens by itself.")
            : error.userMessage());
    QPushButton *paste = box->addButton(tr("Paste Token for This Session…"), QMessageBox::ActionRole);
    paste->setObjectName(QStringLiteral("sessionOnlyButton"));
    m_keychainBox = box;
    m_keychainProfile = profile->id;
    connect(box, &QMessageBox::buttonClicked, this, [this, paste, p = *profile](QAbstractButton *clicked) {
        if (clicked == paste)
            openOnAccept(new ProfileDialog(&m_core->sessions, p, m_window));
    });
    box->open();
}

void ProfileController::onSessionChanged(Session *session)
{
    // The profile opened after all (the keyring answered, or a token for this session only).
    if (m_keychainBox && session && session->profile().id == m_keychainProfile)
        m_keychainBox->close();
}

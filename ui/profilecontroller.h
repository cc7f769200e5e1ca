// ProfileController: the profile flows of the window. Add a profile (ProfileDialog), manage them
// all (ProfilesDialog), offer, never silently, to save PRISMA_SERVICE_TOKEN as a profile; say why
// a profile could not be opened; and when the keychain cannot be used, say so and offer to paste
// the token for this session only. A saved or pasted profile is then opened. A keyring that did
// not answer in time (locked, its unlock prompt unanswered) is said to be locked; if it answers
// later, SessionManager opens the profile by itself and the question closes.
#pragma once

#include <QByteArray>
#include <QObject>
#include <QPointer>
#include <QString>

class ConsoleCore;
class ProfileDialog;
class QWidget;
class QMessageBox;
class Session;
struct KeychainError;

class ProfileController : public QObject
{
    Q_OBJECT
public:
    // `window` parents the dialogs; none is owned.
    ProfileController(ConsoleCore *core, QWidget *window);

    void addProfile();
    void manageProfiles();
    // Asks whether to create a profile from `token` (PRISMA_SERVICE_TOKEN); wipes its copy.
    void offerImport(QByteArray token);

Q_SIGNALS:
    // The Profiles dialog closed: names, colours or order may have changed.
    void profilesEdited();

private:
    void onActivationFailed(const QString &name, const QString &message);
    void onKeychainUnavailable(const QString &profileId, const KeychainError &error);
    void onSessionChanged(Session *session);
    void openOnAccept(ProfileDialog *dialog);

    ConsoleCore *m_core;
    QWidget *m_window;
    // The keychain could not be used: the question is open (window-modal, the window repaints and
    // the keychain's late answer still arrives). It closes itself when the profile opens anyway.
    QPointer<QMessageBox> m_keychainBox;
    QString m_keychainProfile;
};

// ProfileController: the profile flows of the window. Add a profile (ProfileDialog), manage them
// all (ProfilesDialog), offer, never silently, to save PRISMA_SERVICE_TOKEN as a profile; say why
// a profile could not be opened; and when the keychain cannot be used, say so and offer to paste
// the token for this session only. A saved or pasted profile is then opened.
#pragma once

#include <QByteArray>
#include <QObject>

class ConsoleCore;
class ProfileDialog;
class QWidget;
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
    void openOnAccept(ProfileDialog *dialog);

    ConsoleCore *m_core;
    QWidget *m_window;
};

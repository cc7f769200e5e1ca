// SessionManager: which profile is active, and the Session built for it.
//
// activate() reads the profile's token from the keychain (SecretStore, asynchronously) and then
// replaces the current session; a later activate() wins over an earlier one still reading.
// Failures are reported in words (activationFailed) and leave the previous session in place.
// saveProfile() stores a profile's non-secret fields in ProfileStore and its token in the keychain.
#pragma once

#include "keychainerror.h"
#include "profile.h"
#include "session.h"

#include <QObject>
#include <QPointer>

#include <functional>
#include <optional>

class ProfileStore;
class SecretStore;


class SessionManager : public QObject
{
    Q_OBJECT
public:
    SessionManager(ProfileStore *profiles, SecretStore *secrets, QObject *parent = nullptr);

    ProfileStore *profiles() const { return m_profiles; }
    SecretStore *secrets() const { return m_secrets; }
    Session *session() const { return m_session; }

    // Reads the token, then makes `profileId` the active session (and remembers it).
    void activate(const QString &profileId);
    // A session from a token given by the environment: saved nowhere.
    void activateTemporary(const QUrl &apiUrl, QByteArray token);

    using SaveCallback = std::function<void(std::optional<Profile> saved, const QString &error)>;
    // Creates or updates `profile` (by id) and writes `token` to the keychain when not empty.
    void saveProfile(Profile profile, QByteArray token, QObject *context, SaveCallback done);

Q_SIGNALS:
    void sessionChanged(Session *session);
    void activationStarted(const QString &profileName);
    void activationFailed(const QString &profileName, const QString &message);

private:
    void install(Session *session);

    ProfileStore *m_profiles;
    SecretStore *m_secrets;
    QPointer<Session> m_session;
    quint64 m_serial = 0;
};

// ServiceTokenWorkflow: creates a service token and keeps it as a new profile, and revokes a
// service token; each request sent once through the active session's client.
//
// Routes: POST /v1/workspaces/{workspaceId}/service-tokens {name} (201 with the value; 404, 422;
// never re-sent: a lost reply has ApiError::mayHaveBeenApplied, the token may exist and its value
// is lost) and DELETE /v1/workspaces/{workspaceId}/service-tokens/{id} (204; 404 when the
// workspace has no such token, e.g. revoked already).
//
// createAndSave(): the value goes from the 201 answer straight to SessionManager::saveProfile, so
// into the keychain (key SecretStore::tokenKey(profile id)); this class keeps no copy (SecretStore
// wipes the buffer it was handed) and returns none: what `done` gets carries no value. The new
// profile has the name and colour asked, the API URL of the active session and the token's id
// (Profile::tokenId). When the profile or its token cannot be saved, the profile is not kept
// (without its token it could not be used) and `done` says so: the token exists, its value is
// lost, and it should be revoked.
// Without a session every call answers, from the event loop, an ApiError saying no profile is
// open. `done` runs once on `context`'s thread, never if `context` is destroyed first or the
// session ends before the answer.
#pragma once

#include "apierror.h"
#include "profile.h"
#include "resources.h"
#include "result.h"

#include <QColor>
#include <QObject>
#include <QString>

#include <functional>
#include <optional>

class SessionManager;

class ServiceTokenWorkflow : public QObject
{
    Q_OBJECT
public:
    // What a new service token and the profile that keeps it need.
    struct NewTokenProfile
    {
        QString workspaceId;
        QString tokenName; // 1 to 255 characters (ServiceTokenPolicy::validateName)
        QString profileName; // unique among profiles (ProfileStore::validateName)
        QColor color; // invalid: none
    };

    // How createAndSave() ended.
    struct Outcome
    {
        enum class Kind {
            Saved, // created, and kept as `profile` (its value in the keychain)
            NotCreated, // the service did not create it (`error`); with error.mayHaveBeenApplied it may have
            NotSaved, // created (`token`), but the profile or its value could not be saved (`saveError`)
        };
        Kind kind = Kind::NotCreated;
        ServiceToken token; // as the service answered, without its value (empty for NotCreated)
        std::optional<Profile> profile; // Saved: the new profile
        ApiError error; // NotCreated: why
        QString saveError; // NotSaved: the keychain's or the settings' words, for people
    };

    // `sessions` (not owned) gives the session and saves the profile.
    explicit ServiceTokenWorkflow(SessionManager *sessions, QObject *parent = nullptr);

    // Why `request` cannot be sent (a bad token name or profile name, no workspace), or nullopt.
    std::optional<QString> validate(const NewTokenProfile &request) const;

    void createAndSave(const NewTokenProfile &request, QObject *context, std::function<void(const Outcome &)> done);
    void revoke(const QString &workspaceId, const QString &tokenId, QObject *context,
        std::function<void(const Result<Done> &)> done);

private:
    SessionManager *m_sessions;
};

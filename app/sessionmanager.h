// SessionManager: which profile is active, the Session built for it, and the profile's secrets.
//
// activate() takes the profile's token from memory (a token kept "for this session only") or
// reads it from the keychain (SecretStore, asynchronously), then replaces the current session; a
// later activate() wins over an earlier one still reading. Failures are reported in words
// (activationFailed) and leave the previous session in place; when the failure means the
// keychain cannot be used (no Secret Service, locked, refused, no answer), keychainUnavailable()
// is emitted as well, so the UI can offer to keep a token for this session only.
// saveProfile() stores a profile's non-secret fields in ProfileStore and its token in the
// keychain, or (TokenStorage::SessionOnly) in this object's memory only: never on disk.
// removeProfile() deletes the profile's keychain entries (token and vault), then the profile.
// vault() keeps connection strings per profile and connection id (see connectionvault.h).
// The pool (View > All Profiles): openPool() builds a session for every saved profile at once;
// actAs() makes one of them the active session without reading the keychain again, and the
// others stay alive (their calls go on); activating a profile, or closePool(), ends the pool.
// Nothing here logs a token.
#pragma once

#include "connectionvault.h"
#include "keychainerror.h"
#include "profile.h"
#include "session.h"

#include <QByteArray>
#include <QHash>
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
    enum class TokenStorage {
        Keychain, // the OS keychain; hasStoredToken becomes true
        SessionOnly, // this process's memory only; forgotten at exit, hasStoredToken unchanged
    };

    // Neither store is owned; both must outlive the manager.
    SessionManager(ProfileStore *profiles, SecretStore *secrets, QObject *parent = nullptr);
    ~SessionManager() override;

    ProfileStore *profiles() const { return m_profiles; }
    SecretStore *secrets() const { return m_secrets; }
    ConnectionVault *vault() const { return m_vault; }
    Session *session() const { return m_session; }

    // Takes the token (memory first, then the keychain), then makes `profileId` the active
    // session (and remembers it as the last one used).
    void activate(const QString &profileId);
    // Makes `profileId` active with `token`, kept in memory for this session only (so switching
    // back to it later works until the app quits). Nothing is written to the keychain or disk.
    void activateWithToken(const QString &profileId, QByteArray token);
    // A session from a token given by the environment: saved nowhere.
    void activateTemporary(const QUrl &apiUrl, QByteArray token);
    // Ends the current session (sessionChanged(nullptr)).
    void clearSession();

    // True while a token for `profileId` is held in memory for this session only.
    bool hasSessionToken(const QString &profileId) const { return m_sessionTokens.contains(profileId); }

    using SaveCallback = std::function<void(std::optional<Profile> saved, const QString &error)>;
    // Creates or updates `profile` (by id) and writes `token` to the keychain when not empty.
    // On a keychain error the profile's other fields are saved already (`saved` is set) and
    // `error` says what happened; keychainUnavailable() tells whether SessionOnly would help.
    void saveProfile(Profile profile, QByteArray token, QObject *context, SaveCallback done);
    // As above; with SessionOnly the token stays in memory (a stored keychain token, if any, is
    // left as it is but this session uses the in-memory one).
    void saveProfile(Profile profile, QByteArray token, TokenStorage storage, QObject *context, SaveCallback done);

    using TokenCallback = std::function<void(QByteArray token, const KeychainError &error)>;
    // Reads the token of saved profile `profileId` (the one kept for this session first, else the
    // keychain's), for a request that needs another profile's token (a project transfer's
    // recipient). `done` runs once, later, on `context`; the receiver owns the copy and wipes it.
    // Errors: the keychain's; NotFound when the profile has no token.
    void readToken(const QString &profileId, QObject *context, TokenCallback done);

    // --- the pool: a session for every saved profile at once (All Profiles) --------------------
    struct PoolEntry
    {
        Profile profile;
        QPointer<Session> session; // nullptr: no token could be read; `error` says why
        KeychainError error;
    };
    using PoolCallback = std::function<void(const QList<PoolEntry> &entries)>;
    // Reads every saved profile's token (the one kept for this session first, else the keychain's)
    // and builds a session for each profile that has one; the pool holds them until closePool().
    // `done` runs once, later, on `context`, with one entry per profile in the store's order. A
    // later openPool() or closePool() wins over one still reading. The active session stays.
    void openPool(QObject *context, PoolCallback done);
    // Ends the pool: its sessions go, except the active one, which stays the active session
    // (nothing is emitted). Activating any profile ends the pool as well.
    void closePool();
    bool hasPool() const { return !m_pool.isEmpty(); }
    bool isPooled(const Session *session) const;
    QList<Session *> pooledSessions() const;
    // Makes the pooled session of `profileId` the active one (sessionChanged), without reading
    // the keychain; false when the pool has no session for it.
    bool actAs(const QString &profileId);

    using RemoveCallback = std::function<void(bool removed, const KeychainError &error)>;
    // Deletes the profile's token and vault entries from the keychain, then the profile itself
    // (and any in-memory token). If the keychain fails and the profile had stored secrets, the
    // profile stays (removed = false, error says why) unless `evenIfKeychainFails`: then it is
    // removed and its entries are left in the keychain. If it was active, the session ends
    // (sessionChanged(nullptr)).
    void removeProfile(
        const QString &profileId, QObject *context, RemoveCallback done, bool evenIfKeychainFails = false);

    // Whether `error` means the keychain cannot be used right now (so a session-only token is the
    // way forward): NoBackend, Locked, AccessDenied, Timeout, Other.
    static bool isKeychainUnavailable(const KeychainError &error);

Q_SIGNALS:
    void sessionChanged(Session *session);
    void activationStarted(const QString &profileName);
    void activationFailed(const QString &profileName, const QString &message);
    // A keychain job for `profileId` failed because the keychain cannot be used; the UI may offer
    // "Use for this session only" (ProfileDialog does). `error.userMessage()` words it. For an
    // activation, emitted just before activationFailed(). After a Timeout the profile is activated
    // again by itself when the keychain answers (SecretStore::answeredAfterDeadline), unless a
    // session was opened meanwhile: a late answer never replaces a session.
    void keychainUnavailable(const QString &profileId, const KeychainError &error);

private:
    void install(Session *session);
    void rememberSessionToken(const QString &profileId, QByteArray token);
    void forgetSessionToken(const QString &profileId);

    ProfileStore *m_profiles;
    SecretStore *m_secrets;
    ConnectionVault *m_vault;
    QPointer<Session> m_session;
    QList<QPointer<Session>> m_pool; // All Profiles: a session per saved profile
    quint64 m_poolSerial = 0; // bumped by openPool() and closePool()
    QHash<QString, QByteArray> m_sessionTokens; // profile id -> token; memory only, wiped on removal
    quint64 m_serial = 0;
    // A profile whose token read timed out (a keyring that does not answer, e.g. waiting to be
    // unlocked): activated again by itself once the keychain answers, unless something else was
    // opened since (a token for this session only, another profile).
    QString m_retryProfile;
    quint64 m_retrySerial = 0;
    void retryAfterKeychainAnswered();
};

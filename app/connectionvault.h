// ConnectionVault: connection strings the service showed once, kept in the keychain per profile
// and connection id, so "Copy connection string" still works after a restart.
//
// One keychain entry per connection, key SecretStore::connectionKey(profileId, connectionId),
// holding a small JSON object {"direct", "pooled", "accelerate"} (the strings; absent ones left
// out). QtKeychain cannot enumerate, so the ids of kept connections are indexed (non-secret) in
// ProfileStore::vaultConnectionIds(); removing a profile (SessionManager::removeProfile) deletes
// every indexed entry. The per-profile "keep by default" choice is a plain QSettings value next
// to the profile ("profiles/<id>/keepConnectionStrings"); it goes with the profile.
//
// Calls are asynchronous: `done` runs exactly once, later, on `context`'s thread (never inside
// the call), and not at all if `context` is destroyed first. Errors are KeychainError (see
// keychainerror.h); fetch() of a connection that is not in the index answers NotFound without
// asking the keychain; a stored entry that is not the expected JSON answers Other.
// changed() is emitted after keep() or forget() changed what the vault holds.
// Nothing here logs or persists a connection string outside the keychain.
#pragma once

#include "keychainerror.h"
#include "resources.h"

#include <QHash>
#include <QObject>
#include <QString>

#include <functional>

class ProfileStore;
class SecretStore;

struct ConnectionSecrets
{
    QString direct;
    QString pooled;
    QString accelerate;
    bool isEmpty() const { return direct.isEmpty() && pooled.isEmpty() && accelerate.isEmpty(); }
};

class ConnectionVault : public QObject
{
    Q_OBJECT
public:
    // Neither is owned; both must outlive the vault.
    ConnectionVault(ProfileStore *profiles, SecretStore *secrets, QObject *parent = nullptr);

    // Whether a new connection string of this profile is kept unless the user says otherwise.
    // Default true; stored in the profile's settings (non-secret). Unknown profile: true.
    bool keepByDefault(const QString &profileId) const;
    void setKeepByDefault(const QString &profileId, bool keep);

    // From the non-secret index (ProfileStore::vaultConnectionIds); no keychain access.
    bool has(const QString &profileId, const QString &connectionId) const;

    // Stores the strings of `connection`'s endpoints (JSON in one keychain entry), then adds the
    // id to the index. A connection that carries no string fails with Kind::Other. If the write
    // fails, an older entry for the same id (now stale, e.g. after a rotation) is removed too.
    void keep(const QString &profileId, const Connection &connection, QObject *context,
        std::function<void(const KeychainError &)> done);
    // Reads the strings back. On error `secrets` is empty.
    void fetch(const QString &profileId, const QString &connectionId, QObject *context,
        std::function<void(const ConnectionSecrets &, const KeychainError &)> done);
    // Deletes the entry (a missing one is fine) and drops the id from the index. On a keychain
    // error the id stays indexed, so a later forget() or profile removal finds it again.
    void forget(const QString &profileId, const QString &connectionId, QObject *context,
        std::function<void(const KeychainError &)> done);

Q_SIGNALS:
    void changed(const QString &profileId, const QString &connectionId);

private:
    ProfileStore *m_profiles;
    SecretStore *m_secrets;
    QHash<QString, bool> m_keepFallback; // only when the profile settings are not a file
};

// ProfileStore: the list of service-token profiles, kept in QSettings (non-secret data only).
//
// Stores per profile: id (QUuid without braces), name, API base URL, colour (#AARRGGBB or
// empty), the "has a stored token" flag, the id of the service token the profile uses (tokenId,
// not a secret) and the ids of connections whose connection string is in the keychain vault
// (SecretStore::connectionKey) — QtKeychain cannot enumerate, so this index is how a profile's
// vault is found again. Also the list order and the active profile id.
// Never a token, a password or a connection string.
//
// Layout (format version 1):
//   formatVersion=1, activeProfile=<id>, profileOrder=<id list>
//   profiles/<id>/name, apiUrl, color, hasStoredToken, tokenId, vaultConnections=<connection ids>
//
// Several processes may share the file: every change takes a lock file next to it
// ("<file>.ppg-lock"), re-reads the settings, applies the change and syncs, so one process never
// writes back another's stale view. Reads re-read the file too. Profiles missing from
// profileOrder (written by a concurrent process) are listed after the ordered ones, by name.
//
// Errors: validate()/validateName()/validateApiUrl() return a translated reason the UI can show;
// add() returns a Profile with an empty id and update()/remove() return false when the input is
// invalid, the id is unknown, or the settings could not be locked or written.
// Removing a profile does not touch the keychain: first call
// SecretStore::removeProfileSecrets(id, vaultConnectionIds(id), ...), then remove(id).
#pragma once

#include "profile.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

class QSettings;

class ProfileStore : public QObject
{
    Q_OBJECT

public:
    static constexpr int kMaxNameLength = 100; // characters, after trimming

    // Uses `settings` (not owned; must outlive the store).
    explicit ProfileStore(QSettings *settings, QObject *parent = nullptr);
    // Opens (or creates) the INI file at `iniPath`.
    explicit ProfileStore(const QString &iniPath, QObject *parent = nullptr);
    ~ProfileStore() override;

    QList<Profile> profiles() const; // in display order
    std::optional<Profile> profile(const QString &id) const;
    // Case-insensitive, ignores surrounding spaces.
    std::optional<Profile> findByName(const QString &name) const;

    // Why `name` cannot be used (empty, too long, control characters, taken by a profile other
    // than `exceptId`), or nullopt when it can.
    std::optional<QString> validateName(const QString &name, const QString &exceptId = {}) const;
    // Why `url` cannot be the API base (not http(s), no host, user name or password inside,
    // plain http to another computer), or nullopt.
    static std::optional<QString> validateApiUrl(const QUrl &url);
    // validateName(p.name, p.id), then validateApiUrl(p.apiUrl).
    std::optional<QString> validate(const Profile &p) const;

    // Appends `p` (name trimmed; tokenId kept); assigns an id if it has none. Returns the stored
    // profile, or one with an empty id if validate() fails, the id is taken, or the write failed.
    Profile add(Profile p);
    // Replaces name, URL and colour of the profile with p.id. False if invalid or unknown.
    // hasStoredToken is NOT taken from `p` (a dialog's copy may be stale): only
    // setHasStoredToken() changes it, after a keychain write or removal succeeded. Nor tokenId:
    // only setTokenId() changes it.
    bool update(const Profile &p);
    // Forgets the profile (and its vault index); clears the active id if it was active.
    bool remove(const QString &id);
    // Moves the profile at index `from` to index `to` (indices of profiles()); ignores bad ones.
    void move(int from, int to);

    // Empty if none is set or the stored id no longer exists.
    QString activeProfileId() const;
    // An unknown id is ignored; an empty one clears the choice.
    void setActiveProfileId(const QString &id);

    bool setHasStoredToken(const QString &id, bool stored);
    // Records which service token the profile's token is (empty: unknown). Writes nothing when the
    // stored id is already `tokenId`. False for an unknown profile, a malformed id or a failed write.
    bool setTokenId(const QString &id, const QString &tokenId);

    // The vault index: ids of connections whose connection strings this profile keeps.
    QStringList vaultConnectionIds(const QString &profileId) const;
    bool addVaultConnection(const QString &profileId, const QString &connectionId);
    bool removeVaultConnection(const QString &profileId, const QString &connectionId);

    // Path of the backing file (empty if the settings are not file-based).
    QString fileName() const;

Q_SIGNALS:
    void profilesChanged();
    void activeProfileChanged(const QString &id);
    void vaultConnectionsChanged(const QString &profileId);

private:
    template <typename F> bool mutate(F &&change);
    void refresh() const;
    QList<Profile> readProfiles() const;
    std::optional<Profile> readProfile(const QString &id) const;
    void writeProfile(const Profile &p, bool withTokenFlag);
    bool exists(const QString &id) const;

    std::unique_ptr<QSettings> m_owned;
    QSettings *m_settings = nullptr;
};

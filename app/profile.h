// Profile: one service-token profile of the console, as the profile list shows it.
//
// Plain value type, non-secret data only: the token itself lives in the OS keychain (see
// SecretStore, key SecretStore::tokenKey(id)); `hasStoredToken` merely remembers that one was
// saved, because a keychain miss (EntryNotFound) may also mean "keyring locked". `tokenId` names
// the service token the profile's token is (GET /v1/me credential.id, the id the workspace's
// service-token list shows): not a secret, it only tells which profile stops working when a token
// is revoked.
// Persisted by ProfileStore (QSettings). No errors of its own.
#pragma once

#include <QColor>
#include <QString>
#include <QUrl>

struct Profile
{
    QString id; // stable: QUuid without braces; empty = not stored yet
    QString name; // unique among profiles (case-insensitive), trimmed
    QUrl apiUrl { QStringLiteral("https://api.prisma.io") }; // Management API base (paths under /v1)
    QColor color; // optional accent colour; invalid = none
    bool hasStoredToken = false; // a token was saved in the keychain for this profile
    QString tokenId; // the service token's id ("tok_…"); empty: not known (yet), or not a service token

    friend bool operator==(const Profile &, const Profile &) = default;
};

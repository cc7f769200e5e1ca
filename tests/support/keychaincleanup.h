// removeStoredProfileSecrets(): takes every profile's token and kept connection strings (as the
// profile list in `settingsFile` names them) out of the keychain service `keychainService`, so a
// test leaves no secret of its own behind. Waits for the keychain (at most `timeoutMs`); false when
// it did not answer in time. For tests only.
#pragma once

#include "profilestore.h"
#include "secretstore.h"

#include <QFile>
#include <QObject>
#include <QTest>

inline bool removeStoredProfileSecrets(
    const QString &settingsFile, const QString &keychainService, int timeoutMs = 30000)
{
    if (settingsFile.isEmpty() || !QFile::exists(settingsFile))
        return true;
    const ProfileStore profiles(settingsFile);
    SecretStore secrets(keychainService);
    QObject ctx;
    int left = 0;
    for (const Profile &p : profiles.profiles()) {
        ++left;
        secrets.removeProfileSecrets(
            p.id, profiles.vaultConnectionIds(p.id), &ctx, [&left](const KeychainError &) { --left; });
    }
    return QTest::qWaitFor([&] { return left == 0; }, timeoutMs);
}

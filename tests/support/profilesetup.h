// saveTestProfile(): saves `profile` in the settings file `settingsFile` and its token (none when
// `token` is empty) in the keychain service `keychainService`, the way the console's profile dialog
// does (SessionManager::saveProfile), and waits for the keychain (at most `timeoutMs`). Returns the
// saved profile (with its new id), or nullopt with `error` set. For tests only.
#pragma once

#include "profilestore.h"
#include "secretstore.h"
#include "sessionmanager.h"

#include <QObject>
#include <QTest>

#include <optional>

inline std::optional<Profile> saveTestProfile(const QString &settingsFile, const QString &keychainService,
    const Profile &profile, const QByteArray &token, QString *error = nullptr, int timeoutMs = 30000)
{
    ProfileStore profiles(settingsFile);
    SecretStore secrets(keychainService);
    SessionManager sessions(&profiles, &secrets);
    std::optional<Profile> saved;
    QString problem;
    bool done = false;
    QObject ctx;
    sessions.saveProfile(profile, token, &ctx, [&](std::optional<Profile> s, const QString &e) {
        saved = s;
        problem = e;
        done = true;
    });
    if (!QTest::qWaitFor([&] { return done; }, timeoutMs))
        problem = QStringLiteral("the keychain did not answer");
    else if (saved && problem.isEmpty())
        return saved;
    if (error)
        *error = problem.isEmpty() ? QStringLiteral("not saved") : problem;
    return std::nullopt;
}

#include "tokenimport.h"

#include "profilestore.h"

#include <algorithm>

namespace TokenImport {

QString defaultProfileName()
{
    return QStringLiteral("PRISMA_SERVICE_TOKEN");
}

bool shouldOffer(const QByteArray &envToken, bool apiUrlGiven, const ProfileStore &profiles)
{
    if (envToken.trimmed().isEmpty() || apiUrlGiven)
        return false;
    return !profiles.findByName(defaultProfileName()).has_value();
}

Profile suggestedProfile(const ProfileStore &profiles)
{
    Profile p;
    p.name = defaultProfileName();
    static const char *const palette[] = { "#2e7d32", "#1565c0", "#6a1b9a", "#ef6c00", "#c62828", "#00838f" };
    const QList<Profile> existing = profiles.profiles();
    for (const char *hex : palette) {
        const QColor c { QLatin1String(hex) };
        if (std::none_of(existing.cbegin(), existing.cend(), [&](const Profile &e) { return e.color == c; })) {
            p.color = c;
            break;
        }
    }
    return p;
}

} // namespace TokenImport

#pragma once
// The PostgreSQL regions of docs/MANAGEMENT-API.md: the six the sandbox offers, all "available"
// (GET /v1/regions/postgres), and the one a project gets when it names none.

#include <QLatin1String>
#include <QString>

struct Region
{
    const char *id;
    const char *name;
};

inline constexpr Region kRegions[] = {
    { "us-east-1", "US East (N. Virginia)" },
    { "us-west-1", "US West (N. California)" },
    { "eu-west-3", "Europe (Paris)" },
    { "eu-central-1", "Europe (Frankfurt)" },
    { "ap-northeast-1", "Asia Pacific (Tokyo)" },
    { "ap-southeast-1", "Asia Pacific (Singapore)" },
};

inline QString defaultRegion()
{
    return QStringLiteral("us-east-1");
}

inline bool isRegion(const QString &id)
{
    for (const auto &r : kRegions)
        if (id == QLatin1String(r.id))
            return true;
    return false;
}

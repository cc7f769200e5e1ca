// ConsoleLink: a link to a resource of a saved profile,
//   ppg-console://open?profile=<profile name>&id=<resource id>
// both values percent-encoded (RFC 3986: everything but letters, digits and -._~). A link names
// where to look, never what to do and never a secret: opening one selects the resource, nothing
// more. parse() accepts exactly this shape (scheme and host in any case, an optional trailing "/")
// and reports anything else in words, for the user who clicked it: another scheme or host, a
// missing or repeated profile or id, any other parameter, an id that is not a resource id
// (letters, digits, "_" and "-", at most 128), a name with control characters. The desktop entry
// registers the scheme (resources/io.prisma.ppg-console.desktop); docs/LINKS.md says more.
#pragma once

#include <QString>
#include <QUrl>

#include <optional>

struct ConsoleLink
{
    QString profile; // the profile's name as saved; empty: whichever session is open (--select)
    QString id; // a resource id: wksp_…, proj_…, db_…, con_…

    static constexpr QLatin1StringView scheme { "ppg-console" };

    // The link's text, e.g. "ppg-console://open?profile=Local%20sandbox&id=db_123".
    QString toString() const;
    // Whether `text` looks meant as a link (starts with "ppg-console:"), so the command line can
    // tell a link from a misspelt option.
    static bool looksLikeLink(const QString &text);
    // The link in `text`; on failure, nullopt and `*error` says what is wrong with it.
    static std::optional<ConsoleLink> parse(const QString &text, QString *error);
    // Whether `id` has the shape of a resource id.
    static bool isResourceId(const QString &id);
};

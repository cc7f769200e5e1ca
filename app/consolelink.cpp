#include "consolelink.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QUrlQuery>

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ConsoleLink", text);
}

QString expected()
{
    return tr("A console link looks like ppg-console://open?profile=NAME&id=RESOURCE_ID.");
}

} // namespace

QString ConsoleLink::toString() const
{
    return QStringLiteral("%1://open?profile=%2&id=%3")
        .arg(scheme, QString::fromLatin1(QUrl::toPercentEncoding(profile)),
            QString::fromLatin1(QUrl::toPercentEncoding(id)));
}

bool ConsoleLink::looksLikeLink(const QString &text)
{
    return text.startsWith(scheme, Qt::CaseInsensitive) && text.mid(scheme.size()).startsWith(u':');
}

bool ConsoleLink::isResourceId(const QString &id)
{
    static const QRegularExpression shape(QStringLiteral("^[A-Za-z0-9_-]{1,128}$"));
    return shape.match(id).hasMatch();
}

std::optional<ConsoleLink> ConsoleLink::parse(const QString &text, QString *error)
{
    auto refuse = [error](const QString &why) {
        *error = why;
        return std::nullopt;
    };
    const QUrl url(text.trimmed(), QUrl::StrictMode);
    if (text.trimmed().isEmpty())
        return refuse(tr("This is not a console link: it is empty. ") + expected());
    if (!url.isValid())
        return refuse(tr("This link is not a valid URL (%1). ").arg(url.errorString()) + expected());
    if (url.scheme() != scheme) // QUrl lower-cases the scheme and the host
        return refuse(tr("This is not a console link. ") + expected());
    if (url.host() != QLatin1String("open") || (!url.path().isEmpty() && url.path() != QLatin1String("/"))
        || !url.userInfo().isEmpty() || url.port() != -1 || url.hasFragment())
        return refuse(tr("The console does not know this kind of link. ") + expected());

    ConsoleLink link;
    bool hasProfile = false, hasId = false;
    const QUrlQuery query(url);
    for (const auto &[key, value] : query.queryItems(QUrl::FullyDecoded)) {
        if (key == QLatin1String("profile") && !hasProfile) {
            link.profile = value;
            hasProfile = true;
        } else if (key == QLatin1String("id") && !hasId) {
            link.id = value;
            hasId = true;
        } else if (key == QLatin1String("profile") || key == QLatin1String("id")) {
            return refuse(tr("The link names its %1 twice.").arg(key));
        } else {
            return refuse(tr("The link carries “%1”, which console links do not have: they name a profile and a "
                             "resource, nothing else.")
                              .arg(key.left(40)));
        }
    }
    if (!hasProfile || link.profile.trimmed().isEmpty())
        return refuse(tr("The link names no profile. ") + expected());
    if (!hasId || link.id.isEmpty())
        return refuse(tr("The link names no resource. ") + expected());
    for (const QChar c : link.profile) {
        if (c.category() == QChar::Other_Control || c.category() == QChar::Other_Format)
            return refuse(tr("The profile name in the link holds control characters."));
    }
    if (link.profile.size() > 200)
        return refuse(tr("The profile name in the link is longer than any profile's."));
    if (!isResourceId(link.id))
        return refuse(
            tr("“%1” is not a resource id: ids are letters, digits, “_” and “-”, like db_…").arg(link.id.left(60)));
    return link;
}

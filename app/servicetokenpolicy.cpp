#include "servicetokenpolicy.h"

#include "resourcetreemodel.h"

#include <algorithm>

std::optional<QString> ServiceTokenPolicy::validateName(const QString &name)
{
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty())
        return tr("Enter a name for the service token.");
    if (trimmed.size() > kMaxNameLength)
        return tr("The token's name is too long: use at most %n characters.", nullptr, kMaxNameLength);
    if (std::any_of(trimmed.cbegin(), trimmed.cend(), [](QChar c) { return c.category() == QChar::Other_Control; }))
        return tr("The token's name cannot contain line breaks or other control characters.");
    return std::nullopt;
}

std::optional<ResourceRef> ServiceTokenPolicy::workspaceFor(const ResourceTreeModel &model, const QModelIndex &index)
{
    QModelIndex top = index.siblingAtColumn(0);
    while (top.isValid() && top.parent().isValid())
        top = top.parent();
    if (const Workspace *w = top.isValid() ? model.workspace(top) : nullptr)
        return ResourceRef { w->id, w->name };
    // No row of a workspace: the session's only workspace (a service token sees exactly one).
    std::optional<ResourceRef> only;
    for (int row = 0; row < model.rowCount(); ++row) {
        if (const Workspace *w = model.workspace(model.index(row, 0))) {
            if (only)
                return std::nullopt;
            only = ResourceRef { w->id, w->name };
        }
    }
    return only;
}

bool ServiceTokenPolicy::sameService(const QUrl &a, const QUrl &b)
{
    const auto tidy = QUrl::StripTrailingSlash | QUrl::NormalizePathSegments;
    return a.adjusted(tidy) == b.adjusted(tidy);
}

QList<Profile> ServiceTokenPolicy::profilesUsing(
    const QList<Profile> &profiles, const QUrl &apiUrl, const QString &tokenId)
{
    QList<Profile> using_;
    if (tokenId.isEmpty())
        return using_;
    for (const Profile &p : profiles)
        if (p.tokenId == tokenId && sameService(p.apiUrl, apiUrl))
            using_ << p;
    return using_;
}

RevokeImpact ServiceTokenPolicy::impactOfRevoking(
    const QList<Profile> &profiles, const QString &activeProfileId, const QUrl &apiUrl, const QString &tokenId)
{
    RevokeImpact impact;
    for (const Profile &p : profilesUsing(profiles, apiUrl, tokenId)) {
        if (!activeProfileId.isEmpty() && p.id == activeProfileId)
            impact.active = p;
        else
            impact.others << p;
    }
    return impact;
}

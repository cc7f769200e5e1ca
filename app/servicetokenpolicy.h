// ServiceTokenPolicy: the rules of the service-token flows, with no widget and no request, so
// tests reach them without a window: which workspace the Service Tokens dialog lists, whether a
// name may be a service token's, and which saved profiles use a service token, so that revoking
// it can say which profiles stop working.
//
// A profile uses the service token whose id it recorded (Profile::tokenId: GET /v1/me
// credential.id, as the list of GET /v1/workspaces/{workspaceId}/service-tokens shows it) when it
// speaks to the same API base URL (ids of another service mean nothing here). Profiles whose
// tokenId is not known yet are never counted. No errors: an empty answer means "none".
#pragma once

#include "profile.h"
#include "resources.h"

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QUrl>

#include <optional>

class QModelIndex;
class ResourceTreeModel;

// What revoking one service token does to the saved profiles.
struct RevokeImpact
{
    std::optional<Profile> active; // the active profile, when it uses the token
    QList<Profile> others; // the other saved profiles that use it, in display order
    bool stopsAnyProfile() const { return active.has_value() || !others.isEmpty(); }
};

class ServiceTokenPolicy
{
    Q_DECLARE_TR_FUNCTIONS(ServiceTokenPolicy)
public:
    static constexpr int kMaxNameLength = 255; // characters, after trimming (the API refuses more: 422)

    // Why `name` cannot name a service token (empty, too long, control characters), or nullopt.
    static std::optional<QString> validateName(const QString &name);

    // The workspace whose service tokens to list: the one the row `index` (of `model`, a source
    // index) belongs to; for no row (or a placeholder row at the top), the only workspace the tree
    // lists. nullopt when that leaves none or several.
    static std::optional<ResourceRef> workspaceFor(const ResourceTreeModel &model, const QModelIndex &index);

    // Whether two API base URLs name the same service (a trailing slash aside).
    static bool sameService(const QUrl &a, const QUrl &b);
    // The profiles of `profiles` (in their order) that use service token `tokenId` of the service
    // at `apiUrl`. Empty for an empty `tokenId`.
    static QList<Profile> profilesUsing(const QList<Profile> &profiles, const QUrl &apiUrl, const QString &tokenId);
    // As profilesUsing(), split into the active profile (id `activeProfileId`) and the others.
    static RevokeImpact impactOfRevoking(
        const QList<Profile> &profiles, const QString &activeProfileId, const QUrl &apiUrl, const QString &tokenId);
};

// TokenImport: whether to offer turning PRISMA_SERVICE_TOKEN into a saved profile, and the profile
// to pre-fill ProfileDialog with. Never imports anything by itself: the user confirms in the dialog.
//
// Offer when the variable is set, no --api-url was given (that combination opens a temporary
// session instead) and no profile carries the import name yet. The token cannot be compared with
// the stored ones without reading every secret, so the name is the marker; a user who renames the
// imported profile is asked again while the variable is set. No errors; reads no secret.
#pragma once

#include "profile.h"

#include <QByteArray>
#include <QString>

class ProfileStore;

namespace TokenImport {

// The name an imported profile gets: "PRISMA_SERVICE_TOKEN" (not translated: it is the marker).
QString defaultProfileName();
// `envToken`: the value of PRISMA_SERVICE_TOKEN (empty = unset); `apiUrlGiven`: --api-url was set.
bool shouldOffer(const QByteArray &envToken, bool apiUrlGiven, const ProfileStore &profiles);
// A new (unsaved) profile named defaultProfileName() on the default API URL, with a colour not
// used by another profile when one of the palette is free.
Profile suggestedProfile(const ProfileStore &profiles);

} // namespace TokenImport

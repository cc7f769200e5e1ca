#include "keychainerror.h"

QString KeychainError::userMessage() const
{
    switch (kind) {
    case Kind::None:
        return {};
    case Kind::NotFound:
        return tr("The keyring is locked or the token is missing. Unlock the keyring and try "
                  "again, or enter the token again.");
    case Kind::Locked:
        return tr("The keyring is locked or has not been set up. Unlock it (for example in "
                  "GNOME Keyring or KWallet) and try again.");
    case Kind::AccessDenied:
        return tr("Access to the keyring was refused. Allow Prisma Postgres Console to use the "
                  "keyring and try again.");
    case Kind::NoBackend:
        return tr("No keychain is available: start a Secret Service such as GNOME Keyring or "
                  "KWallet, or keep the token for this session only.");
    case Kind::Timeout:
        return tr("The keyring did not answer in time: it is probably locked, waiting for its unlock "
                  "prompt. Unlock it, or keep the token for this session only.");
    case Kind::TooLarge:
        return tr("The secret is too large to be stored in the keyring.");
    case Kind::Other:
        break;
    }
    return detail.isEmpty() ? tr("The keyring reported an error. Try again, or keep the token for this session only.")
                            : tr("The keyring reported an error (%1). Try again, or keep the token for this session "
                                 "only.")
                                  .arg(detail);
}

const char *KeychainError::kindName(Kind kind)
{
    switch (kind) {
    case Kind::None:
        return "None";
    case Kind::NotFound:
        return "NotFound";
    case Kind::Locked:
        return "Locked";
    case Kind::AccessDenied:
        return "AccessDenied";
    case Kind::NoBackend:
        return "NoBackend";
    case Kind::Timeout:
        return "Timeout";
    case Kind::TooLarge:
        return "TooLarge";
    case Kind::Other:
        return "Other";
    }
    return "?";
}

// KeychainError: the outcome of one keychain job (SecretStore), as a kind the UI can act on.
//
// Kinds and when SecretStore reports them (QtKeychain 0.13 on Linux, see docs/PLATFORM-NOTES.md):
//   None         success.
//   NotFound     QKeychain::EntryNotFound. On Linux a LOCKED keyring also answers a read this
//                way, so the wording is "keyring locked or token missing": never treat it as
//                proof that the secret is gone.
//   Locked       QKeychain::AccessDenied (libsecret: SECRET_ERROR_IS_LOCKED), or the default
//                collection does not exist ("Object does not exist at path …/collection/…").
//   AccessDenied QKeychain::AccessDeniedByUser (the user refused the prompt).
//   NoBackend    no session bus, no Secret Service/KWallet (QKeychain::NoBackendAvailable,
//                NotImplemented, or OtherError whose text names D-Bus/the bus connection).
//   Timeout      the job passed its deadline (SecretStore::setDeadline); it may still finish.
//   TooLarge     the secret exceeds SecretStore::maxSecretSize(); the backend was not called.
//   Other        anything else; `detail` keeps the backend's text.
// `detail` never contains a secret. For Kind::Other, userMessage() quotes it, so the details the
// app raises itself are translated (tr() of the class that raises them) and the backend's are
// QtKeychain's own text; for the other kinds it is technical, for logs and test output only.
// userMessage() is translated.
#pragma once

#include <QCoreApplication>
#include <QString>

#include <utility>

struct KeychainError
{
    Q_DECLARE_TR_FUNCTIONS(KeychainError)

public:
    enum class Kind { None, NotFound, Locked, AccessDenied, NoBackend, Timeout, TooLarge, Other };

    Kind kind = Kind::None;
    QString detail;

    KeychainError() = default;
    explicit KeychainError(Kind k, QString d = {}) : kind(k), detail(std::move(d)) { }

    bool ok() const { return kind == Kind::None; }
    // Translated sentence(s) for people: what happened and what to do. Empty when ok().
    QString userMessage() const;
    // Untranslated kind name for logs and test output ("NotFound", "NoBackend", ...).
    static const char *kindName(Kind kind);
};

// Logging of the api/ layer and the one place where secrets are redacted.
//
// Category "ppg.api": one line per HTTP attempt (method, path, status, duration in ms, attempt,
// the server's request id). Bodies are never logged. Anything else that reaches a log line from
// the network (error strings, server messages) passes through redactSecrets() first.
#pragma once

#include <QLoggingCategory>
#include <QString>

Q_DECLARE_LOGGING_CATEGORY(lcApi)

// Masks what looks like a secret: the password of any URL with user info
// (postgres://user:PASSWORD@host), Authorization values and bearer tokens, `password=`, `pass=`,
// `token=`, `api_key=` (and similar) parameters, and JSON string fields named password, pass,
// token, secret, apiKey, connectionString, recipientAccessToken or value (a service token's).
// The one place where redaction happens.
QString redactSecrets(const QString &text);

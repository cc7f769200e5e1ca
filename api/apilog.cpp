#include "apilog.h"

#include <QRegularExpression>

Q_LOGGING_CATEGORY(lcApi, "ppg.api", QtInfoMsg)

QString redactSecrets(const QString &text)
{
    // postgres://user:PASSWORD@host, prisma+postgres://..., https://user:pw@host
    static const QRegularExpression userInfo(QStringLiteral(R"(([a-zA-Z][a-zA-Z0-9+.-]*://[^:/@\s]*):[^@\s]*@)"));
    // Authorization: Bearer X / Basic X, and a bare "Bearer X"
    static const QRegularExpression authorization(
        QStringLiteral(R"(((?:authorization)\s*[:=]\s*)[^\r\n,;]+)"), QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression bearer(
        QStringLiteral(R"((Bearer\s+)[^\s"',;]+)"), QRegularExpression::CaseInsensitiveOption);
    // key=value in query strings and libpq conninfo
    static const QRegularExpression param(
        QStringLiteral(
            R"(((?:password|passwd|pass|pwd|token|access_token|api_key|apikey|secret|sslpassword)\s*=\s*)[^&\s]+)"),
        QRegularExpression::CaseInsensitiveOption);
    // "key": "value" in JSON (bodies are never logged; this is for server messages that echo them)
    static const QRegularExpression jsonField(
        QStringLiteral(
            R"re(("(?:password|pass|token|secret|api_key|apiKey|connectionString|recipientAccessToken|value)"\s*:\s*")(?:[^"\\]|\\.)*")re"),
        QRegularExpression::CaseInsensitiveOption);
    QString out = text;
    out.replace(userInfo, QStringLiteral("\\1:***@"));
    out.replace(authorization, QStringLiteral("\\1***"));
    out.replace(bearer, QStringLiteral("\\1***"));
    out.replace(param, QStringLiteral("\\1***"));
    out.replace(jsonField, QStringLiteral("\\1***\""));
    return out;
}

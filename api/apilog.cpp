#include "apilog.h"

#include <QRegularExpression>

Q_LOGGING_CATEGORY(lcApi, "ppg.api", QtInfoMsg)

QString redactSecrets(const QString &text)
{
    static const QRegularExpression userInfo(QStringLiteral(R"(([a-zA-Z][a-zA-Z0-9+.-]*://[^:/@\s]*):[^@\s]*@)"));
    static const QRegularExpression bearer(QStringLiteral(R"((Bearer\s+)\S+)"), QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression param(QStringLiteral(R"(((?:password|pass|token)=)[^&\s]+)"), QRegularExpression::CaseInsensitiveOption);
    QString out = text;
    out.replace(userInfo, QStringLiteral("\\1:***@"));
    out.replace(bearer, QStringLiteral("\\1***"));
    out.replace(param, QStringLiteral("\\1***"));
    return out;
}

#include "connectionstrings.h"

#include <QCoreApplication>
#include <QUrl>

namespace ConnectionStrings {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ConnectionStrings", text);
}

QString encode(const QString &component)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(component));
}

bool isSecretQueryKey(const QString &key)
{
    return key.compare(QLatin1String("password"), Qt::CaseInsensitive) == 0
        || key.compare(QLatin1String("api_key"), Qt::CaseInsensitive) == 0;
}

QString build(const PostgresUrl &u, bool mask)
{
    QString out = u.scheme + QLatin1String("://");
    if (!u.user.isEmpty() || u.hasPassword) {
        out += encode(u.user);
        if (u.hasPassword)
            out += QLatin1Char(':') + (mask ? maskDots() : encode(u.password));
        out += QLatin1Char('@');
    }
    if (u.host.contains(QLatin1Char(':')))
        out += QLatin1Char('[') + u.host + QLatin1Char(']');
    else
        out += QString::fromLatin1(QUrl::toAce(u.host));
    if (u.port >= 0)
        out += QLatin1Char(':') + QString::number(u.port);
    if (u.hasPath)
        out += QLatin1Char('/') + encode(u.database);
    for (qsizetype i = 0; i < u.query.size(); ++i) {
        const auto &[key, value] = u.query.at(i);
        out += QLatin1Char(i == 0 ? '?' : '&') + encode(key) + QLatin1Char('=')
            + (mask && isSecretQueryKey(key) ? maskDots() : encode(value));
    }
    return out;
}

bool hasNul(const QString &s)
{
    return s.contains(QChar(0));
}

} // namespace

QString maskDots()
{
    return QString(8, QChar(0x2022));
}

QString PostgresUrl::queryValue(const QString &key) const
{
    for (const auto &[k, v] : query) {
        if (k == key)
            return v;
    }
    return {};
}

bool PostgresUrl::isLibpqUrl() const
{
    return scheme == QLatin1String("postgres") || scheme == QLatin1String("postgresql");
}

QString PostgresUrl::toString() const
{
    return build(*this, false);
}

QString PostgresUrl::toMaskedString() const
{
    return build(*this, true);
}

std::optional<PostgresUrl> parse(const QString &url, QString *error)
{
    auto fail = [error](const QString &why) -> std::optional<PostgresUrl> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    const QString trimmed = url.trimmed();
    if (trimmed.isEmpty())
        return fail(tr("The connection string is empty."));
    if (!trimmed.contains(QLatin1String("://")))
        return fail(tr("The connection string is not a URL."));
    // StrictMode: a stray "%" or a raw character that has no place in a URL is an error rather
    // than something QUrl silently repairs (TolerantMode would turn "%zz" into "%25zz").
    const QUrl q(trimmed, QUrl::StrictMode);
    if (!q.isValid())
        return fail(tr("The connection string is not a valid URL (a character is not percent-encoded, or it "
                       "lists several hosts)."));
    if (q.hasFragment())
        return fail(tr("The connection string contains a \"#\" that is not percent-encoded."));

    PostgresUrl u;
    u.scheme = q.scheme().toLower();
    u.user = q.userName(QUrl::FullyDecoded);
    u.password = q.password(QUrl::FullyDecoded);
    // QUrl::password() cannot tell "user:@host" from "user@host"; the authority can.
    const QString authority = q.authority(QUrl::FullyEncoded);
    const qsizetype at = authority.lastIndexOf(QLatin1Char('@'));
    u.hasPassword = at >= 0 && authority.left(at).contains(QLatin1Char(':'));
    u.host = q.host(QUrl::FullyDecoded);
    u.port = q.port(-1);
    const QString path = q.path(QUrl::FullyDecoded);
    u.hasPath = path.startsWith(QLatin1Char('/'));
    u.database = u.hasPath ? path.mid(1) : path;
    if (q.hasQuery()) {
        // Split the encoded query ourselves: an escaped "&" or "=" (%26, %3D) inside a value stays
        // part of that value, and "+" is not a space.
        const QString raw = q.query(QUrl::FullyEncoded);
        const auto pairs = raw.split(QLatin1Char('&'), Qt::SkipEmptyParts);
        for (const QString &pair : pairs) {
            const qsizetype eq = pair.indexOf(QLatin1Char('='));
            const QString key = QUrl::fromPercentEncoding(pair.left(eq < 0 ? pair.size() : eq).toLatin1());
            const QString value = eq < 0 ? QString() : QUrl::fromPercentEncoding(pair.mid(eq + 1).toLatin1());
            if (hasNul(key) || hasNul(value))
                return fail(tr("The connection string contains an encoded NUL character."));
            u.query.append({ key, value });
        }
    }
    if (u.scheme.isEmpty())
        return fail(tr("The connection string has no scheme."));
    if (hasNul(u.user) || hasNul(u.password) || hasNul(u.database))
        return fail(tr("The connection string contains an encoded NUL character."));
    return u;
}

QString canonical(const QString &url)
{
    const auto parsed = parse(url);
    return parsed ? parsed->toString() : url;
}

QString masked(const QString &url)
{
    if (const auto parsed = parse(url))
        return parsed->toMaskedString();
    const qsizetype sep = url.indexOf(QLatin1String("://"));
    return sep > 0 ? url.left(sep + 3) + maskDots() : maskDots();
}

QString dotEnvValue(const QString &value)
{
    QString out;
    out.reserve(value.size() + 2);
    out += QLatin1Char('"');
    for (const QChar c : value) {
        switch (c.unicode()) {
        case '\\':
        case '"':
        case '$':
        case '`':
            out += QLatin1Char('\\');
            out += c;
            break;
        case '\n':
            out += QLatin1String("\\n");
            break;
        case '\r':
            out += QLatin1String("\\r");
            break;
        default:
            out += c;
        }
    }
    out += QLatin1Char('"');
    return out;
}

bool isValidVariableName(const QString &name)
{
    if (name.isEmpty())
        return false;
    for (qsizetype i = 0; i < name.size(); ++i) {
        const char16_t c = name.at(i).unicode();
        const bool letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
        const bool digit = c >= '0' && c <= '9';
        if (!(letter || (digit && i > 0)))
            return false;
    }
    return true;
}

QString dotEnvLine(const QString &url, const QString &name)
{
    return name + QLatin1Char('=') + dotEnvValue(url);
}

QString shellQuote(const QString &value)
{
    static const QString special = QStringLiteral("\"\\$`!\n\r");
    bool plain = true;
    for (const QChar c : value) {
        if (special.contains(c)) {
            plain = false;
            break;
        }
    }
    if (plain)
        return QLatin1Char('"') + value + QLatin1Char('"');
    QString out = value;
    out.replace(QLatin1Char('\''), QLatin1String("'\\''"));
    return QLatin1Char('\'') + out + QLatin1Char('\'');
}

QString psqlCommand(const QString &url)
{
    return QLatin1String("psql ") + shellQuote(url);
}

std::vector<Offer> offers(const Connection &connection)
{
    std::vector<Offer> out;
    auto stringOf = [](const std::optional<Endpoint> &e) {
        return e && !e->connectionString.isEmpty() ? e->connectionString : QString();
    };
    auto urlOffer = [&](Format format, const QString &label, const QString &raw) {
        if (raw.isEmpty())
            return;
        const auto parsed = parse(raw);
        Offer o { format, label, parsed ? parsed->toString() : raw, {}, {}, false };
        o.text = o.url;
        o.masked = parsed ? parsed->toMaskedString() : masked(raw);
        o.testable = parsed && parsed->isLibpqUrl();
        out.push_back(std::move(o));
    };
    const QString direct = stringOf(connection.direct);
    const QString pooled = stringOf(connection.pooled);
    const QString accelerate = stringOf(connection.accelerate);
    urlOffer(Format::Direct, tr("Direct URL"), direct);
    urlOffer(Format::Pooled, tr("Pooled URL"), pooled);
    urlOffer(Format::Accelerate, tr("Accelerate URL"), accelerate);

    const QString base = !direct.isEmpty() ? direct : !pooled.isEmpty() ? pooled : accelerate;
    if (base.isEmpty())
        return out;
    const auto parsed = parse(base);
    const QString url = parsed ? parsed->toString() : base;
    const QString maskedUrl = parsed ? parsed->toMaskedString() : masked(base);
    const bool testable = parsed && parsed->isLibpqUrl();
    out.push_back(Offer {
        Format::DotEnv, tr(".env line (DATABASE_URL)"), url, dotEnvLine(url), dotEnvLine(maskedUrl), testable });
    if (testable) {
        out.push_back(Offer { Format::Psql, tr("psql command"), url, psqlCommand(url), psqlCommand(maskedUrl), true });
    }
    return out;
}

} // namespace ConnectionStrings

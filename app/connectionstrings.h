// ConnectionStrings: the forms in which the console offers a connection string, as pure functions
// (no widgets, no I/O, no logging).
//
// Input: the URLs the service returns in a connection's endpoints (`direct`, `pooled`,
// `accelerate`; only in the replies of create and rotate, see api/resources.h), e.g.
//   postgres://USER:PASSWORD@db.prisma.io:5432/postgres?sslmode=require
//   prisma+postgres://accelerate.prisma-data.net/?api_key=KEY
// Output (offers()): the direct URL, the pooled URL, the Accelerate URL when the connection has
// one, a `DATABASE_URL="…"` line for a .env file and a `psql "…"` command; each also masked.
//
// Parsing uses QUrl in StrictMode and reads every component FullyDecoded (PrettyDecoded, QUrl's
// default, is lossy for user info and must not be used); toString() re-encodes each component with
// QUrl::toPercentEncoding (everything but the RFC 3986 unreserved characters), so a password
// such as `p@ss:w/rd?#%é密` survives every format and libpq's URI parser reads back exactly the
// same user, password, host, port, dbname and sslmode (tested with PQconninfoParse). The query
// (sslmode and any other parameter) keeps its order. A string QUrl cannot parse strictly (a
// multi-host list, a raw `%` that is not an escape) is offered as it came, unchanged.
//
// Secrets: every returned string except masked() / PostgresUrl::toMaskedString() holds the
// password. Never log one.
#pragma once

#include "resources.h"

#include <QList>
#include <QPair>
#include <QString>

#include <optional>
#include <vector>

namespace ConnectionStrings {

// What a masked password looks like: eight U+2022 bullets, whatever the password's length.
QString maskDots();

// A parsed connection URL; every component is decoded (plain text, not percent-encoded).
struct PostgresUrl
{
    QString scheme; // "postgres", "postgresql", "prisma+postgres", ...
    QString user;
    QString password; // secret
    bool hasPassword = false; // "user:@host" has an empty password; "user@host" has none
    QString host; // an IPv6 address without brackets
    int port = -1; // -1: none given
    bool hasPath = false; // a "/" after the authority
    QString database; // the path without its leading "/"
    QList<QPair<QString, QString>> query; // in order, decoded; "+" is not a space (as in libpq)

    // The first value of `key`, or a null string.
    QString queryValue(const QString &key) const;
    QString sslmode() const { return queryValue(QStringLiteral("sslmode")); }
    // postgres:// or postgresql://, the two schemes libpq accepts.
    bool isLibpqUrl() const;
    // The URL with every component percent-encoded (secret).
    QString toString() const;
    // For display: the password and secret query values (password, api_key) as maskDots().
    QString toMaskedString() const;
};

// Parses `url` strictly; on failure returns nullopt and, if `error` is given, a reason that
// never quotes the input.
std::optional<PostgresUrl> parse(const QString &url, QString *error = nullptr);

// parse(url)->toString(), or `url` unchanged when it does not parse.
QString canonical(const QString &url);
// parse(url)->toMaskedString(); for a string that does not parse, "<scheme>://" and dots.
QString masked(const QString &url);

// The value quoted for a .env file: in double quotes, with `\`, `"`, `$` and "`" escaped by a
// backslash and a line break written as \n. That is how a POSIX shell (`. ./.env`), dotenv-expand
// and Ruby dotenv read it; python-dotenv agrees for `\` and `"` but keeps the backslash of \$
// and \`, and Node's dotenv unescapes nothing but \n. The dialects only agree on values that
// need no escape at all, and a percent-encoded URL (every URL offers() produces) is such a
// value: its line reads back the same in every dialect.
QString dotEnvValue(const QString &value);
// `NAME="value"` (no line break). `name` must be a valid variable name (see isValidVariableName).
QString dotEnvLine(const QString &url, const QString &name = QStringLiteral("DATABASE_URL"));
bool isValidVariableName(const QString &name); // [A-Za-z_][A-Za-z0-9_]*

// A POSIX shell word: "value" when nothing in it is special inside double quotes (no `"`, `\`,
// `$`, "`", `!`, line break), otherwise 'value' with each ' written as '\''.
QString shellQuote(const QString &value);
// `psql "<url>"`.
QString psqlCommand(const QString &url);

// The URL forms (offers() below) and the code snippets (ConnectSnippets::offers, connectsnippets.h),
// in picker order.
enum class Format {
    Direct,
    Pooled,
    Accelerate,
    DotEnv,
    Psql,
    PrismaSchema,
    PrismaConfig,
    PrismaClient,
    NodePostgres,
    Alchemy,
    AlchemyHyperdrive
};

// One entry of the format picker.
struct Offer
{
    Format format;
    QString label; // translated, e.g. "Direct URL"
    QString url; // the URL behind it (secret): what Test connection and Write to .env use
    QString text; // what Copy puts on the clipboard (secret)
    QString masked; // `text` with the secrets as dots, for display
    bool testable = false; // libpq can connect with `url` (postgres:// or postgresql://)
};

// Every format the connection can be offered in, in picker order: Direct, Pooled, Accelerate,
// .env line, psql command. An endpoint without a connection string is skipped. The .env line and
// the psql command use the direct URL (the pooled one when there is no direct one); psql is not
// offered for an Accelerate-only connection. Empty when the connection carries no string.
std::vector<Offer> offers(const Connection &connection);

} // namespace ConnectionStrings

// ConnectSnippets: the code that connects an app to a database, offered in the Connect dialog
// beside the URL forms of ConnectionStrings, as pure functions (no widgets, no I/O, no logging).
// docs/CONNECT-SNIPPETS.md says where each snippet comes from and how it is checked.
//
// - Prisma ORM (7), as its guides set a project up: `prisma/schema.prisma` (the generator and the
//   datasource block, which holds no URL in Prisma 7), `prisma.config.ts` (the URL for the CLI,
//   read from DATABASE_URL with dotenv) and `src/lib/prisma.ts` (PrismaClient with the PrismaPg
//   driver adapter of @prisma/adapter-pg, also reading DATABASE_URL). The URL itself goes in the
//   .env line that ConnectionStrings offers; these three hold no secret.
// - node-postgres: `new Client({ connectionString })` with the connection string in it (secret).
//   node-postgres 8 reads sslmode=prefer/require/verify-ca as verify-full unless the URL also says
//   `uselibpqcompat=true`; the snippet adds that parameter to such a URL, so TLS is what the string
//   asks for, as libpq and psql read it (require: encrypted, certificate not checked).
// - Alchemy (its Prisma Postgres provider, `alchemy/prisma-postgres`): `WorkspaceRef` by the
//   workspace's name and `Connection` by the project's and the database's ids; Alchemy reads the
//   service token from PRISMA_SERVICE_TOKEN. A second snippet adds the Cloudflare Hyperdrive whose
//   origin is that connection's string. Both need the ids (Context); they hold no secret.
//
// Secrets: Offer::text and Offer::url of the node-postgres snippet hold the password; Offer::masked
// never does. Never log one.
#pragma once

#include "connectionstrings.h"
#include "resources.h"

#include <QString>

#include <vector>

namespace ConnectSnippets {

// Where the connection lives, for the Alchemy snippets (the Connect dialog's caller looks it up).
struct Context
{
    QString workspaceName; // WorkspaceRef("…"); empty: that line is left out
    QString projectId; // "proj_…"
    QString projectName; // names the Alchemy app
    QString databaseId; // "db_…"
};

// A JavaScript/TypeScript string literal in double quotes: `\`, `"`, control characters, U+2028 and
// U+2029 escaped.
QString jsString(const QString &value);
// A name for Alchemy (an app or a resource id): lower case, every run of characters other than
// [a-z0-9] as one "-", trimmed of "-"; "app" when nothing is left.
QString alchemyName(const QString &name);

QString prismaSchema(); // prisma/schema.prisma
QString prismaConfig(); // prisma.config.ts
QString prismaClient(); // src/lib/prisma.ts

// The URL node-postgres is given: `url` re-encoded, plus `uselibpqcompat=true` when its sslmode is
// prefer, require or verify-ca and it does not say uselibpqcompat already.
QString nodePostgresUrl(const ConnectionStrings::PostgresUrl &url);
// The node-postgres module (an ES module: `import { Client } from "pg"`, top-level await) for
// `connectionString` as it is (secret when it holds the password): connects, prints the server's
// version, ends.
QString nodePostgres(const QString &connectionString);

// alchemy.run.ts with WorkspaceRef (when the context names the workspace) and Connection.
QString alchemy(const QString &connectionName, const Context &context);
// alchemy.run.ts with Connection and a Hyperdrive whose origin is the connection's string.
QString alchemyHyperdrive(const QString &connectionName, const Context &context);

// One line for the dialog under a snippet: where it goes, what to install (translated); empty for the
// URL forms.
QString setupHint(ConnectionStrings::Format format);

// The snippets for `connection`, in picker order (after ConnectionStrings::offers): the three
// Prisma ORM files and node-postgres when the connection has a postgres:// string (direct, else
// pooled); the two Alchemy snippets when `context` has the project's and the database's ids (and
// the connection carries any string). Each offer's `url` is the string the snippet is built from
// (Test connection and Write to .env use it); `testable` as in ConnectionStrings.
std::vector<ConnectionStrings::Offer> offers(const Connection &connection, const Context &context);

} // namespace ConnectSnippets

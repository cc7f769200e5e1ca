#include "connectsnippets.h"

#include <nlohmann/json.hpp>

#include <QCoreApplication>

namespace ConnectSnippets {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ConnectSnippets", text);
}

bool needsLibpqCompat(const ConnectionStrings::PostgresUrl &url)
{
    const QString mode = url.sslmode();
    return mode == QLatin1String("prefer") || mode == QLatin1String("require") || mode == QLatin1String("verify-ca");
}

ConnectionStrings::PostgresUrl withLibpqCompat(ConnectionStrings::PostgresUrl url)
{
    if (needsLibpqCompat(url) && url.queryValue(QStringLiteral("uselibpqcompat")).isNull())
        url.query.append({ QStringLiteral("uselibpqcompat"), QStringLiteral("true") });
    return url;
}

QString tokenComment()
{
    return QStringLiteral("// Alchemy reads the service token from PRISMA_SERVICE_TOKEN.\n");
}

QString connectionBlock(const QString &connectionName, const Context &context)
{
    return QStringLiteral("const connection = await Connection(%1, {\n"
                          "  project: %2,\n"
                          "  database: %3,\n"
                          "  name: %4,\n"
                          "});\n")
        .arg(jsString(alchemyName(connectionName)), jsString(context.projectId), jsString(context.databaseId),
            jsString(connectionName));
}

QString appLine(const Context &context)
{
    return QStringLiteral("const app = await alchemy(%1);\n").arg(jsString(alchemyName(context.projectName)));
}

} // namespace

QString jsString(const QString &value)
{
    // A JSON string is a JavaScript string literal; U+2028 and U+2029 are escaped as well, which
    // JavaScript before ES2019 needs and JSON allows.
    const std::string json
        = nlohmann::json(value.toStdString()).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return QString::fromStdString(json)
        .replace(QChar(0x2028), QLatin1String("\\u2028"))
        .replace(QChar(0x2029), QLatin1String("\\u2029"));
}

QString alchemyName(const QString &name)
{
    QString out;
    bool dash = false;
    for (const QChar c : name.toLower()) {
        const char16_t u = c.unicode();
        if ((u >= 'a' && u <= 'z') || (u >= '0' && u <= '9')) {
            if (dash && !out.isEmpty())
                out += QLatin1Char('-');
            dash = false;
            out += c;
        } else {
            dash = true;
        }
    }
    return out.isEmpty() ? QStringLiteral("app") : out;
}

QString prismaSchema()
{
    return QStringLiteral("generator client {\n"
                          "  provider = \"prisma-client\"\n"
                          "  output   = \"./generated\"\n"
                          "}\n"
                          "\n"
                          "datasource db {\n"
                          "  provider = \"postgresql\"\n"
                          "}\n");
}

QString prismaConfig()
{
    return QStringLiteral("import \"dotenv/config\";\n"
                          "import { defineConfig, env } from \"prisma/config\";\n"
                          "\n"
                          "export default defineConfig({\n"
                          "  schema: \"prisma/schema.prisma\",\n"
                          "  migrations: {\n"
                          "    path: \"prisma/migrations\",\n"
                          "  },\n"
                          "  datasource: {\n"
                          "    url: env(\"DATABASE_URL\"),\n"
                          "  },\n"
                          "});\n");
}

QString prismaClient()
{
    return QStringLiteral("import \"dotenv/config\";\n"
                          "import { PrismaPg } from \"@prisma/adapter-pg\";\n"
                          "import { PrismaClient } from \"../../prisma/generated/client\";\n"
                          "\n"
                          "const adapter = new PrismaPg({ connectionString: process.env.DATABASE_URL });\n"
                          "const prisma = new PrismaClient({ adapter });\n"
                          "\n"
                          "export default prisma;\n");
}

QString nodePostgresUrl(const ConnectionStrings::PostgresUrl &url)
{
    return withLibpqCompat(url).toString();
}

QString nodePostgres(const QString &connectionString)
{
    QString out = QStringLiteral("import { Client } from \"pg\";\n"
                                 "\n"
                                 "const client = new Client({\n");
    if (connectionString.contains(QLatin1String("uselibpqcompat=true")))
        out += QStringLiteral("  // uselibpqcompat=true: node-postgres reads sslmode as libpq and psql do.\n");
    out += QStringLiteral("  connectionString: %1,\n"
                          "});\n"
                          "await client.connect();\n"
                          "const { rows } = await client.query(\"SELECT version()\");\n"
                          "console.log(rows[0].version);\n"
                          "await client.end();\n")
               .arg(jsString(connectionString));
    return out;
}

QString alchemy(const QString &connectionName, const Context &context)
{
    QString out = QStringLiteral("import alchemy from \"alchemy\";\n"
                                 "import { Connection, WorkspaceRef } from \"alchemy/prisma-postgres\";\n"
                                 "\n");
    out += tokenComment();
    out += appLine(context);
    out += QLatin1Char('\n');
    if (!context.workspaceName.isEmpty())
        out += QStringLiteral("const workspace = await WorkspaceRef(%1);\n\n").arg(jsString(context.workspaceName));
    out += connectionBlock(connectionName, context);
    out += QStringLiteral("\nawait app.finalize();\n");
    if (context.workspaceName.isEmpty())
        out.replace(QLatin1String("{ Connection, WorkspaceRef }"), QLatin1String("{ Connection }"));
    return out;
}

QString alchemyHyperdrive(const QString &connectionName, const Context &context)
{
    QString out = QStringLiteral("import alchemy from \"alchemy\";\n"
                                 "import { Hyperdrive } from \"alchemy/cloudflare\";\n"
                                 "import { Connection } from \"alchemy/prisma-postgres\";\n"
                                 "\n");
    out += tokenComment();
    out += appLine(context);
    out += QLatin1Char('\n');
    out += connectionBlock(connectionName, context);
    out += QStringLiteral("\n"
                          "const db = await Hyperdrive(\"prisma-postgres\", {\n"
                          "  origin: connection.connectionString.unencrypted,\n"
                          "});\n"
                          "\n"
                          "await app.finalize();\n");
    return out;
}

QString setupHint(ConnectionStrings::Format format)
{
    using ConnectionStrings::Format;
    switch (format) {
    case Format::PrismaSchema:
        return tr("Save as prisma/schema.prisma, then: npm install prisma tsx --save-dev; npm install "
                  "@prisma/adapter-pg @prisma/client dotenv; npx prisma generate.");
    case Format::PrismaConfig:
        return tr("Save as prisma.config.ts in the project's folder. It reads DATABASE_URL from .env (see the .env "
                  "line, or Write to .env…).");
    case Format::PrismaClient:
        return tr("Save as src/lib/prisma.ts. Prisma ORM 7 needs \"type\": \"module\" in package.json.");
    case Format::NodePostgres:
        return tr("npm install pg. This code holds the password: keep it out of version control, or read the "
                  "string from DATABASE_URL instead.");
    case Format::Alchemy:
        return tr("Set PRISMA_SERVICE_TOKEN to a token of this workspace, then run alchemy.run.ts (npm run alchemy "
                  "deploy). Connection creates a connection of that name, with credentials of its own.");
    case Format::AlchemyHyperdrive:
        return tr("Also needs Cloudflare credentials (npm run alchemy login); bind the Hyperdrive to a Worker.");
    default:
        return {};
    }
}

std::vector<ConnectionStrings::Offer> offers(const Connection &connection, const Context &context)
{
    using ConnectionStrings::Format;
    using ConnectionStrings::Offer;
    std::vector<Offer> out;
    auto stringOf = [](const std::optional<Endpoint> &e) {
        return e && !e->connectionString.isEmpty() ? e->connectionString : QString();
    };
    const QString direct = stringOf(connection.direct);
    const QString pooled = stringOf(connection.pooled);
    const QString accelerate = stringOf(connection.accelerate);
    const QString base = !direct.isEmpty() ? direct : !pooled.isEmpty() ? pooled : accelerate;
    if (base.isEmpty())
        return out;
    const auto parsed = ConnectionStrings::parse(base);
    const QString url = parsed ? parsed->toString() : base;
    const bool testable = parsed && parsed->isLibpqUrl();

    if (testable) {
        // Files that read DATABASE_URL (the .env line holds it): nothing secret in them.
        auto plain = [&](Format format, const QString &label, const QString &text) {
            out.push_back(Offer { format, label, url, text, text, true });
        };
        plain(Format::PrismaSchema, tr("Prisma ORM: prisma/schema.prisma"), prismaSchema());
        plain(Format::PrismaConfig, tr("Prisma ORM: prisma.config.ts"), prismaConfig());
        plain(Format::PrismaClient, tr("Prisma ORM: client with @prisma/adapter-pg"), prismaClient());

        const ConnectionStrings::PostgresUrl node = withLibpqCompat(*parsed);
        out.push_back(Offer { Format::NodePostgres, tr("node-postgres (pg)"), url, nodePostgres(node.toString()),
            nodePostgres(node.toMaskedString()), true });
    }
    if (!context.projectId.isEmpty() && !context.databaseId.isEmpty()) {
        const QString a = alchemy(connection.name, context);
        out.push_back(Offer { Format::Alchemy, tr("Alchemy: alchemy.run.ts"), url, a, a, testable });
        const QString h = alchemyHyperdrive(connection.name, context);
        out.push_back(Offer { Format::AlchemyHyperdrive, tr("Alchemy: Cloudflare Hyperdrive"), url, h, h, testable });
    }
    return out;
}

} // namespace ConnectSnippets

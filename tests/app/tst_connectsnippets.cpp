// ConnectSnippets, as pure functions: each snippet compared with the text of the guide it follows
// (the guides' lines are quoted below, see docs/CONNECT-SNIPPETS.md), the offers the Connect dialog
// gets for each kind of connection, and the masking. The real tools (node-postgres against a
// sandbox, Prisma's schema engine) check the same snippets in tst_snippettools. No test prints a
// fixture password.
#include "connectsnippets.h"

#include <QTest>

#include <QUrl>
#include <nlohmann/json.hpp>

using ConnectionStrings::Format;
using ConnectionStrings::Offer;

namespace {

const QString kPassword = QString::fromUtf8("p@ss:w/rd?#%é密\"\\");
const QString kBullets = QString::fromUtf8("••••••••");

QString enc(const QString &s)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(s));
}

QString url(const QString &host, const QString &query = QStringLiteral("sslmode=require"))
{
    return QLatin1String("postgres://app:") + enc(kPassword) + QLatin1Char('@') + host
        + QLatin1String(":5432/postgres?") + query;
}

Connection connection(bool direct = true, bool pooled = true, bool accelerate = false)
{
    Connection c;
    c.id = QStringLiteral("con_1");
    c.name = QStringLiteral("web app");
    c.database = ResourceRef { QStringLiteral("db_1"), QStringLiteral("production") };
    if (direct)
        c.direct = Endpoint { QStringLiteral("db.prisma.io"), 5432, url(QStringLiteral("db.prisma.io")) };
    if (pooled)
        c.pooled = Endpoint { QStringLiteral("pooled.db.prisma.io"), 5432, url(QStringLiteral("pooled.db.prisma.io")) };
    if (accelerate)
        c.accelerate = Endpoint { QStringLiteral("accelerate.prisma-data.net"), 443,
            QStringLiteral("prisma+postgres://accelerate.prisma-data.net/?api_key=APIKEY123") };
    return c;
}

ConnectSnippets::Context context()
{
    return { QStringLiteral("Acme \"Prod\""), QStringLiteral("proj_42"), QStringLiteral("Shop Prod"),
        QStringLiteral("db_1") };
}

bool holdsSecret(const QString &s)
{
    return s.contains(kPassword) || s.contains(enc(kPassword)) || s.contains(QLatin1String("APIKEY123"));
}

std::vector<Format> formats(const std::vector<Offer> &offers)
{
    std::vector<Format> out;
    for (const Offer &o : offers)
        out.push_back(o.format);
    return out;
}

const Offer *find(const std::vector<Offer> &offers, Format f)
{
    for (const Offer &o : offers) {
        if (o.format == f)
            return &o;
    }
    return nullptr;
}

// Reads back a JavaScript double-quoted literal as jsString() writes it: a JSON string.
QString unquoteJs(const QString &literal)
{
    return QString::fromStdString(nlohmann::json::parse(literal.toStdString()).get<std::string>());
}

// The connection string inside the node-postgres snippet.
QString literalIn(const QString &snippet)
{
    const QString key = QStringLiteral("connectionString: ");
    const qsizetype from = snippet.indexOf(key) + key.size();
    const qsizetype to = snippet.indexOf(QLatin1String(",\n"), from);
    return snippet.mid(from, to - from);
}

} // namespace

class TestConnectSnippets : public QObject
{
    Q_OBJECT
private slots:
    void prismaSchemaFollowsTheGuides();
    void prismaConfigIsTheGuides();
    void prismaClientUsesThePrismaPgAdapter();
    void nodePostgresCarriesTheStringWithLibpqTls_data();
    void nodePostgresCarriesTheStringWithLibpqTls();
    void nodePostgresMaskedOnScreen();
    void alchemyFollowsTheProviderDocs();
    void alchemyWithoutWorkspaceName();
    void hyperdriveOriginIsTheConnectionsString();
    void jsStringEscapes();
    void alchemyNames_data();
    void alchemyNames();
    void offersForEachKindOfConnection();
    void everySnippetMaskedAndHintedWhereItGoes();
};

void TestConnectSnippets::prismaSchemaFollowsTheGuides()
{
    // The generator block exactly as the Astro guide and the Prisma ORM overview write it; the
    // datasource block as the Prisma ORM 7 overview writes it (the Astro guide's
    // `url = env("DATABASE_URL")` is Prisma 6: Prisma 7 rejects a URL in the schema, see
    // tst_snippettools, and reads it from prisma.config.ts).
    const QString generator = QStringLiteral("generator client {\n"
                                             "  provider = \"prisma-client\"\n"
                                             "  output   = \"./generated\"\n"
                                             "}\n");
    const QString datasource = QStringLiteral("datasource db {\n"
                                              "  provider = \"postgresql\"\n"
                                              "}\n");
    QCOMPARE(ConnectSnippets::prismaSchema(), generator + QLatin1Char('\n') + datasource);
    QVERIFY(!ConnectSnippets::prismaSchema().contains(QLatin1String("url")));
}

void TestConnectSnippets::prismaConfigIsTheGuides()
{
    // The Prisma ORM overview's prisma.config.ts, word for word.
    const QString guide = QStringLiteral("import \"dotenv/config\";\n"
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
    QCOMPARE(ConnectSnippets::prismaConfig(), guide);
}

void TestConnectSnippets::prismaClientUsesThePrismaPgAdapter()
{
    const QString s = ConnectSnippets::prismaClient();
    // The guides' lines (the Prisma ORM overview's adapter with process.env; the Astro guide's file
    // place, src/lib/prisma.ts, and its import of the client generated into prisma/generated).
    QVERIFY(s.contains(QLatin1String("import { PrismaPg } from \"@prisma/adapter-pg\";\n")));
    QVERIFY(s.contains(QLatin1String("import { PrismaClient } from \"../../prisma/generated/client\";\n")));
    QVERIFY(
        s.contains(QLatin1String("const adapter = new PrismaPg({ connectionString: process.env.DATABASE_URL });\n")));
    QVERIFY(s.contains(QLatin1String("const prisma = new PrismaClient({ adapter });\n")));
    QVERIFY(s.contains(QLatin1String("export default prisma;\n")));
    // Node reads .env only through dotenv, as prisma.config.ts does.
    QVERIFY(s.startsWith(QLatin1String("import \"dotenv/config\";\n")));
    // The import path agrees with the schema's output ("./generated", next to prisma/schema.prisma).
    QVERIFY(ConnectSnippets::prismaSchema().contains(QLatin1String("output   = \"./generated\"")));
}

void TestConnectSnippets::nodePostgresCarriesTheStringWithLibpqTls_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<bool>("compat");
    QTest::newRow("require") << QStringLiteral("sslmode=require") << true;
    QTest::newRow("prefer") << QStringLiteral("sslmode=prefer") << true;
    QTest::newRow("verify-ca") << QStringLiteral("sslmode=verify-ca&sslrootcert=ca.pem") << true;
    QTest::newRow("verify-full: the same in both") << QStringLiteral("sslmode=verify-full") << false;
    QTest::newRow("disable: the same in both") << QStringLiteral("sslmode=disable") << false;
    QTest::newRow("no sslmode") << QStringLiteral("application_name=x") << false;
    QTest::newRow("already asked") << QStringLiteral("sslmode=require&uselibpqcompat=true") << false;
}

void TestConnectSnippets::nodePostgresCarriesTheStringWithLibpqTls()
{
    QFETCH(QString, query);
    QFETCH(bool, compat);
    Connection c = connection(true, false);
    c.direct->connectionString = url(QStringLiteral("db.prisma.io"), query);
    const auto offers = ConnectSnippets::offers(c, {});
    const Offer *o = find(offers, Format::NodePostgres);
    QVERIFY(o);
    // The string in the code is the kept one (its components as libpq reads them), plus
    // uselibpqcompat=true where node-postgres would otherwise read sslmode differently.
    const QString inCode = unquoteJs(literalIn(o->text));
    const QString expected
        = ConnectionStrings::canonical(c.direct->connectionString) + (compat ? "&uselibpqcompat=true" : "");
    QVERIFY2(inCode == expected, "the literal is the kept string (plus uselibpqcompat where needed)");
    const bool asked = compat || query.contains(QLatin1String("uselibpqcompat"));
    QCOMPARE(inCode.count(QLatin1String("uselibpqcompat")), qsizetype(asked ? 1 : 0));
    const auto parsed = ConnectionStrings::parse(inCode);
    QVERIFY(parsed);
    QVERIFY2(parsed->password == kPassword, "the password survives the JavaScript literal");
    QCOMPARE(o->text.contains(QLatin1String("// uselibpqcompat=true")), asked);
    // The shape the brief and the guides give: `new Client({ connectionString })`, from "pg".
    QVERIFY(o->text.startsWith(QLatin1String("import { Client } from \"pg\";\n")));
    QVERIFY(o->text.contains(QLatin1String("const client = new Client({\n")));
    QVERIFY(o->text.contains(QLatin1String("await client.connect();\n")));
    QVERIFY(o->text.endsWith(QLatin1String("await client.end();\n")));
    // Test connection and Write to .env get the kept string itself, not the node-only form.
    QCOMPARE(o->url, ConnectionStrings::canonical(c.direct->connectionString));
    QVERIFY(o->testable);
}

void TestConnectSnippets::nodePostgresMaskedOnScreen()
{
    const auto offers = ConnectSnippets::offers(connection(), context());
    const Offer *o = find(offers, Format::NodePostgres);
    QVERIFY(o);
    QVERIFY(holdsSecret(o->text));
    QVERIFY(!holdsSecret(o->masked));
    QVERIFY(o->masked.contains(QLatin1String("postgres://app:") + kBullets + QLatin1String("@db.prisma.io:5432/")));
    QVERIFY(o->masked.contains(QLatin1String("sslmode=require&uselibpqcompat=true")));
    // Masked and real differ only in the password.
    QString unmasked = o->masked;
    unmasked.replace(kBullets, enc(kPassword));
    QCOMPARE(unmasked, o->text);
}

void TestConnectSnippets::alchemyFollowsTheProviderDocs()
{
    const QString s = ConnectSnippets::alchemy(QStringLiteral("web app"), context());
    // The provider's import (the one its package exports), WorkspaceRef by name, Connection by the
    // resource ids as its "Using Resource IDs" example writes it, the app and finalize of its
    // examples.
    QVERIFY(s.startsWith(QLatin1String("import alchemy from \"alchemy\";\n"
                                       "import { Connection, WorkspaceRef } from \"alchemy/prisma-postgres\";\n")));
    QVERIFY(s.contains(QLatin1String("const workspace = await WorkspaceRef(\"Acme \\\"Prod\\\"\");\n")));
    QVERIFY(s.contains(QLatin1String("const connection = await Connection(\"web-app\", {\n"
                                     "  project: \"proj_42\",\n"
                                     "  database: \"db_1\",\n"
                                     "  name: \"web app\",\n"
                                     "});\n")));
    QVERIFY(s.contains(QLatin1String("const app = await alchemy(\"shop-prod\");\n")));
    QVERIFY(s.endsWith(QLatin1String("\nawait app.finalize();\n")));
    // The token: from the environment, as the provider's authentication section says.
    QVERIFY(s.contains(QLatin1String("PRISMA_SERVICE_TOKEN")));
    QVERIFY(!s.contains(QLatin1String("serviceToken")));
    QVERIFY(!s.contains(QLatin1String("alchemy/prisma\"")));
}

void TestConnectSnippets::alchemyWithoutWorkspaceName()
{
    ConnectSnippets::Context c = context();
    c.workspaceName.clear();
    const QString s = ConnectSnippets::alchemy(QStringLiteral("app"), c);
    QVERIFY(!s.contains(QLatin1String("WorkspaceRef")));
    QVERIFY(s.contains(QLatin1String("import { Connection } from \"alchemy/prisma-postgres\";\n")));
    QVERIFY(s.contains(QLatin1String("Connection(\"app\", {")));
}

void TestConnectSnippets::hyperdriveOriginIsTheConnectionsString()
{
    const QString s = ConnectSnippets::alchemyHyperdrive(QStringLiteral("web app"), context());
    // The lines of the provider's Cloudflare Workers Hyperdrive example.
    QVERIFY(s.contains(QLatin1String("import { Hyperdrive } from \"alchemy/cloudflare\";\n")));
    QVERIFY(s.contains(QLatin1String("import { Connection } from \"alchemy/prisma-postgres\";\n")));
    QVERIFY(s.contains(QLatin1String("const db = await Hyperdrive(\"prisma-postgres\", {\n"
                                     "  origin: connection.connectionString.unencrypted,\n"
                                     "});\n")));
    QVERIFY(s.contains(QLatin1String("  project: \"proj_42\",\n  database: \"db_1\",\n")));
    QVERIFY(s.endsWith(QLatin1String("\nawait app.finalize();\n")));
}

void TestConnectSnippets::jsStringEscapes()
{
    QCOMPARE(ConnectSnippets::jsString(QStringLiteral("plain")), QStringLiteral("\"plain\""));
    QCOMPARE(ConnectSnippets::jsString(QStringLiteral("a\"b\\c")), QStringLiteral("\"a\\\"b\\\\c\""));
    QCOMPARE(ConnectSnippets::jsString(QStringLiteral("l1\nl2\t\r")), QStringLiteral("\"l1\\nl2\\t\\r\""));
    QCOMPARE(ConnectSnippets::jsString(QString(QChar(0x2028)) + QChar(0x01)), QStringLiteral("\"\\u2028\\u0001\""));
    QCOMPARE(ConnectSnippets::jsString(QString::fromUtf8("é密")), QString::fromUtf8("\"é密\""));
    const QString nasty = QString::fromUtf8("x\"\\\n\r\t") + QChar(0x2029) + QChar(0x7f) + QString::fromUtf8("密");
    QCOMPARE(unquoteJs(ConnectSnippets::jsString(nasty)), nasty);
}

void TestConnectSnippets::alchemyNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("expected");
    QTest::newRow("plain") << QStringLiteral("app") << QStringLiteral("app");
    QTest::newRow("spaces and case") << QStringLiteral("Shop Prod") << QStringLiteral("shop-prod");
    QTest::newRow("runs of punctuation") << QStringLiteral("  web__app--2 ") << QStringLiteral("web-app-2");
    QTest::newRow("nothing left") << QStringLiteral("密 !") << QStringLiteral("app");
    QTest::newRow("empty") << QStringLiteral("") << QStringLiteral("app");
}

void TestConnectSnippets::alchemyNames()
{
    QFETCH(QString, name);
    QFETCH(QString, expected);
    QCOMPARE(ConnectSnippets::alchemyName(name), expected);
}

void TestConnectSnippets::offersForEachKindOfConnection()
{
    const std::vector<Format> prismaAndNode { Format::PrismaSchema, Format::PrismaConfig, Format::PrismaClient,
        Format::NodePostgres };
    std::vector<Format> all = prismaAndNode;
    all.push_back(Format::Alchemy);
    all.push_back(Format::AlchemyHyperdrive);

    QVERIFY(formats(ConnectSnippets::offers(connection(), context())) == all);
    // Without the ids there is no Alchemy snippet.
    QVERIFY(formats(ConnectSnippets::offers(connection(), {})) == prismaAndNode);
    ConnectSnippets::Context noProject = context();
    noProject.projectId.clear();
    QVERIFY(formats(ConnectSnippets::offers(connection(), noProject)) == prismaAndNode);
    // The pooled string when there is no direct one.
    const auto pooledOnly = ConnectSnippets::offers(connection(false, true), {});
    QVERIFY(find(pooledOnly, Format::NodePostgres)->text.contains(QLatin1String("@pooled.db.prisma.io:5432")));
    // Accelerate only: no libpq string, so neither Prisma with PrismaPg nor node-postgres; Alchemy
    // (which makes its own connection) still.
    const auto accelerateOnly = ConnectSnippets::offers(connection(false, false, true), context());
    QVERIFY((formats(accelerateOnly) == std::vector<Format> { Format::Alchemy, Format::AlchemyHyperdrive }));
    QVERIFY(!accelerateOnly.front().testable);
    // No string at all: nothing.
    QVERIFY(ConnectSnippets::offers(connection(false, false, false), context()).empty());
    // Labels are distinct and name the tool.
    const auto full = ConnectSnippets::offers(connection(), context());
    QVERIFY(find(full, Format::PrismaSchema)->label.contains(QLatin1String("prisma/schema.prisma")));
    QVERIFY(find(full, Format::NodePostgres)->label.contains(QLatin1String("node-postgres")));
    QVERIFY(find(full, Format::AlchemyHyperdrive)->label.contains(QLatin1String("Hyperdrive")));
}

void TestConnectSnippets::everySnippetMaskedAndHintedWhereItGoes()
{
    for (const Offer &o : ConnectSnippets::offers(connection(true, true, true), context())) {
        QVERIFY2(!holdsSecret(o.masked), qPrintable(o.label));
        QVERIFY2(o.masked.count(QLatin1Char('\n')) >= 3, qPrintable(o.label)); // multi-line
        QVERIFY2(!ConnectSnippets::setupHint(o.format).isEmpty(), qPrintable(o.label));
        // Only node-postgres carries the password; the others read it from the environment.
        QCOMPARE(holdsSecret(o.text), o.format == Format::NodePostgres);
        QVERIFY2(holdsSecret(o.url), "Test connection and Write to .env use the kept string");
    }
    QVERIFY(ConnectSnippets::setupHint(Format::Direct).isEmpty());
}

QTEST_GUILESS_MAIN(TestConnectSnippets)
#include "tst_connectsnippets.moc"

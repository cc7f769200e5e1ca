// The Connect dialog's snippets checked by the real tools, offline (tests/snippets: pg,
// @prisma/prisma-schema-wasm and @prisma/adapter-pg, pinned in its package-lock.json, installed by
// `./dev` with npm ci):
// - node-postgres: the snippet the console offers for a fresh sandbox connection runs with node
//   as it is and connects, over TLS (as the string's sslmode=require asks); the same code with
//   the string as the service gives it (no uselibpqcompat) fails on the sandbox's self-signed
//   certificate, which is why the snippet adds the parameter.
// - Prisma ORM: prisma/schema.prisma is valid for Prisma's schema engine, already formatted, and
//   reads as a postgresql datasource with the prisma-client generator; the Prisma 6 form with
//   `url = env(...)` is refused (the checker is live).
// - @prisma/adapter-pg exports PrismaPg, which takes { connectionString }.
// Node missing, or the npm packages missing, fails the test (naming what to install). Nothing the
// node scripts print is shown without the password masked.
#include "await.h"
#include "connectsnippets.h"
#include "requiredtool.h"
#include "sandboxprocess.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <algorithm>

using ConnectionStrings::Format;

namespace {

const QString kSnippetsDir = QStringLiteral(PPG_SNIPPETS_DIR);

struct NodeRun
{
    bool finished = false;
    int exitCode = -1;
    QString out;
    QString err;
};

NodeRun runNode(const QString &node, const QStringList &args, const QString &workDir)
{
    QProcess p;
    p.setWorkingDirectory(workDir);
    p.start(node, args);
    NodeRun r;
    r.finished = p.waitForFinished(60000) && p.exitStatus() == QProcess::NormalExit;
    r.exitCode = p.exitCode();
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

bool writeFile(const QString &path, const QString &text)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate, QFileDevice::ReadOwner | QFileDevice::WriteOwner))
        return false;
    return f.write(text.toUtf8()) == text.toUtf8().size();
}

} // namespace

class TestSnippetTools : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void nodePostgresSnippetConnectsToTheSandbox();
    void prismaSchemaPassesPrismasEngine();
    void prismaPgAdapterIsWhatTheClientImports();

private:
    // Hides the connection's password (raw and percent-encoded) in text that is about to be shown.
    QString masked(QString text) const;

    QString m_node;
    SandboxProcess m_sandbox;
    QTemporaryDir m_dir;
    QString m_password;
};

void TestSnippetTools::initTestCase()
{
    PPG_REQUIRE_TOOL(node, "node", "nodejs");
    m_node = node;
    QVERIFY2(QFileInfo::exists(kSnippetsDir + QStringLiteral("/node_modules/pg/package.json"))
            && QFileInfo::exists(
                kSnippetsDir + QStringLiteral("/node_modules/@prisma/prisma-schema-wasm/package.json")),
        "the snippet checks' npm packages are not installed: run npm ci --prefix tests/snippets (./dev test does)");
    QVERIFY(m_dir.isValid());
    // A node script in m_dir finds the pinned packages through this link.
    QVERIFY(
        QFile::link(kSnippetsDir + QStringLiteral("/node_modules"), m_dir.filePath(QStringLiteral("node_modules"))));
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
}

QString TestSnippetTools::masked(QString text) const
{
    if (m_password.isEmpty())
        return text;
    text.replace(m_password, ConnectionStrings::maskDots());
    return text.replace(QString::fromLatin1(QUrl::toPercentEncoding(m_password)), ConnectionStrings::maskDots());
}

void TestSnippetTools::nodePostgresSnippetConnectsToTheSandbox()
{
    ApiClient client(m_sandbox.baseUrl(), "ppg-test-token-a");
    QObject ctx;
    CreateProjectRequest req;
    req.name = QStringLiteral("snippet shop");
    auto project = await<Project>([&](auto cb) { client.createProject(req, &ctx, cb); });
    QVERIFY2(project.ok(), qPrintable(project.error().userMessage()));
    QVERIFY(project.value().database && !project.value().database->connections.empty());
    const Connection connection = project.value().database->connections.front();
    QVERIFY(connection.direct && !connection.direct->connectionString.isEmpty());
    const auto parsed = ConnectionStrings::parse(connection.direct->connectionString);
    QVERIFY(parsed);
    m_password = parsed->password;
    QCOMPARE(parsed->sslmode(), QStringLiteral("require"));

    const auto offers = ConnectSnippets::offers(connection, {});
    const auto it
        = std::find_if(offers.begin(), offers.end(), [](const auto &o) { return o.format == Format::NodePostgres; });
    QVERIFY(it != offers.end());

    // The snippet as Copy puts it on the clipboard, run as it is.
    const QString snippet = m_dir.filePath(QStringLiteral("snippet.mjs"));
    QVERIFY(writeFile(snippet, it->text));
    const NodeRun ok = runNode(
        m_node, { QStringLiteral("--import"), kSnippetsDir + QStringLiteral("/probe-tls.mjs"), snippet }, m_dir.path());
    QVERIFY2(ok.finished && ok.exitCode == 0, qPrintable(masked(ok.err)));
    QVERIFY2(ok.out.startsWith(QLatin1String("PostgreSQL ")), qPrintable(masked(ok.out)));
    QVERIFY2(ok.err.contains(QLatin1String("tls: true")), qPrintable(masked(ok.err)));
    QVERIFY2(!ok.err.contains(QLatin1String("SECURITY WARNING")), "no sslmode deprecation warning");

    // The same code with the service's string as it came: node-postgres reads sslmode=require as
    // verify-full and refuses the sandbox's self-signed certificate.
    QVERIFY(writeFile(snippet, ConnectSnippets::nodePostgres(parsed->toString())));
    const NodeRun strict = runNode(m_node, { snippet }, m_dir.path());
    QVERIFY(strict.finished);
    QVERIFY2(strict.exitCode != 0, "node-postgres verifies the certificate without uselibpqcompat");
    QVERIFY2(strict.err.contains(QLatin1String("self-signed certificate"))
            || strict.err.contains(QLatin1String("self signed certificate")),
        qPrintable(masked(strict.err)));
    QFile::remove(snippet);
}

void TestSnippetTools::prismaSchemaPassesPrismasEngine()
{
    const QString file = m_dir.filePath(QStringLiteral("schema.prisma"));
    auto check = [&](const QString &schema) {
        if (!writeFile(file, schema))
            return QJsonObject();
        const NodeRun r = runNode(m_node, { kSnippetsDir + QStringLiteral("/check-schema.mjs"), file }, m_dir.path());
        if (!r.finished || r.exitCode != 0)
            qWarning("check-schema.mjs: %s", qPrintable(r.err));
        return QJsonDocument::fromJson(r.out.toUtf8()).object();
    };

    const QJsonObject ours = check(ConnectSnippets::prismaSchema());
    QVERIFY2(ours.value(QLatin1String("valid")).toBool(), qPrintable(ours.value(QLatin1String("error")).toString()));
    QVERIFY2(ours.value(QLatin1String("formatted")).toBool(), "prisma format would change the snippet");
    const QJsonObject config = ours.value(QLatin1String("config")).toObject();
    const QJsonObject datasource = config.value(QLatin1String("datasources")).toArray().at(0).toObject();
    QCOMPARE(datasource.value(QLatin1String("provider")).toString(), QStringLiteral("postgresql"));
    const QJsonObject generator = config.value(QLatin1String("generators")).toArray().at(0).toObject();
    QCOMPARE(generator.value(QLatin1String("provider")).toObject().value(QLatin1String("value")).toString(),
        QStringLiteral("prisma-client"));
    QCOMPARE(generator.value(QLatin1String("output")).toObject().value(QLatin1String("value")).toString(),
        QStringLiteral("./generated"));

    // The checker is live: the Prisma 6 datasource with a URL in the schema is refused by Prisma 7.
    QString prisma6 = ConnectSnippets::prismaSchema();
    prisma6.replace(QLatin1String("  provider = \"postgresql\"\n"),
        QLatin1String("  provider = \"postgresql\"\n  url      = env(\"DATABASE_URL\")\n"));
    const QJsonObject refused = check(prisma6);
    QVERIFY(refused.contains(QLatin1String("valid")));
    QVERIFY(!refused.value(QLatin1String("valid")).toBool());
    QVERIFY2(refused.value(QLatin1String("error")).toString().contains(QLatin1String("prisma.config.ts")),
        qPrintable(refused.value(QLatin1String("error")).toString()));
}

void TestSnippetTools::prismaPgAdapterIsWhatTheClientImports()
{
    QVERIFY(
        ConnectSnippets::prismaClient().contains(QLatin1String("import { PrismaPg } from \"@prisma/adapter-pg\";")));
    const NodeRun r = runNode(m_node, { kSnippetsDir + QStringLiteral("/check-adapter.mjs") }, m_dir.path());
    QVERIFY2(r.finished && r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.out.startsWith(QLatin1String("PrismaPg: ok")), qPrintable(r.out));
}

QTEST_GUILESS_MAIN(TestSnippetTools)
#include "tst_snippettools.moc"

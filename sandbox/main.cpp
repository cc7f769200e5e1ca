// ppg-sandbox: a local Prisma Management API server backed by real PostgreSQL.
// This file reads the command line and puts the parts together; README.md lists the parts.

#include "apiserver.h"
#include "backups.h"
#include "faults.h"
#include "pgcluster.h"
#include "schema.h"
#include "seeding.h"
#include "sqlsession.h"
#include "statestore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSocketNotifier>
#include <QUrl>
#include <QUrlQuery>

#include <csignal>
#include <cstdio>
#include <memory>
#include <sys/socket.h>
#include <unistd.h>

namespace {
int g_signalFds[2] = { -1, -1 };

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto n = ::write(g_signalFds[0], &byte, 1); // async-signal-safe
}

void installSignalHandlers()
{
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalFds) != 0)
        return;
    struct sigaction sa
    {
    };
    sa.sa_handler = onSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    ::sigaction(SIGINT, &sa, nullptr);
    ::sigaction(SIGTERM, &sa, nullptr);
    ::signal(SIGPIPE, SIG_IGN);
}

void printError(const QString &message)
{
    std::fprintf(stderr, "ppg-sandbox: %s\n", qPrintable(message));
    std::fflush(stderr);
}

struct TokenSpec
{
    QString token;
    QString kind;
    QStringList workspaces;
};

// TOKEN[=NAME] or, for OAuth, TOKEN=WS1,WS2.
TokenSpec parseToken(const QString &spec, bool oauth)
{
    TokenSpec t;
    const qsizetype eq = spec.indexOf(QLatin1Char('='));
    t.token = eq < 0 ? spec : spec.left(eq);
    const QString rest = eq < 0 ? QString() : spec.mid(eq + 1).trimmed();
    t.kind = oauth ? QStringLiteral("oauth") : QStringLiteral("service_token");
    if (oauth) {
        for (const QString &w : rest.split(QLatin1Char(','), Qt::SkipEmptyParts))
            t.workspaces << w.trimmed();
    } else if (!rest.isEmpty()) {
        t.workspaces << rest;
    }
    if (t.workspaces.isEmpty())
        t.workspaces << QStringLiteral("Sandbox workspace");
    return t;
}
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("ppg-sandbox"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PPG_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Local Prisma Management API server (the routes of docs/MANAGEMENT-API.md under /v1). Every database it\n"
        "creates is a real PostgreSQL database, every connection a real LOGIN role.\n"
        "Prints 'postgres: <admin conninfo>' then 'listening on http://HOST:PORT' on stdout when ready;\n"
        "diagnostics go to stderr. SIGINT/SIGTERM: answers already written are delivered, then it stops\n"
        "(and stops its private cluster). Tokens are also read from <data dir>/tokens (TOKEN=WORKSPACE lines).\n"
        "Faults apply under /v1 only and can be changed at run time: GET/PUT /_sandbox/faults (JSON, no auth).\n"
        "POST /_sandbox/workspaces/{id}/subscription {\"usageBlocked\": true} blocks logins to a workspace's\n"
        "databases (no auth).\n"
        "See sandbox/README.md."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption portOpt(QStringLiteral("port"),
        QStringLiteral("HTTP port; 0 (the default) picks a free one."), QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption dataDirOpt(QStringLiteral("data-dir"),
        QStringLiteral("State directory (required): tokens file, cluster location, the private PostgreSQL cluster "
                       "unless running as root."),
        QStringLiteral("DIR"));
    const QCommandLineOption tokenOpt(QStringLiteral("token"),
        QStringLiteral("Service token for a workspace (created by name when missing; "
                       "default name \"Sandbox workspace\"). Repeatable."),
        QStringLiteral("TOKEN[=WORKSPACE_NAME]"));
    const QCommandLineOption oauthOpt(QStringLiteral("oauth-token"),
        QStringLiteral("OAuth token that sees the named workspaces (created by name when "
                       "missing). Repeatable."),
        QStringLiteral("TOKEN=WS1,WS2"));
    const QCommandLineOption postgresOpt(QStringLiteral("postgres"),
        QStringLiteral("Use this PostgreSQL server (postgres://user:pass@host:port/db, default db ppg_sandbox) "
                       "instead of a private cluster; the user should be a superuser (it creates and drops "
                       "databases and roles)."),
        QStringLiteral("URL"));
    const QCommandLineOption hostOpt(QStringLiteral("host"),
        QStringLiteral("IP address to listen on (default 127.0.0.1)."), QStringLiteral("ADDRESS"),
        QStringLiteral("127.0.0.1"));
    const QCommandLineOption ephemeralOpt(
        QStringLiteral("ephemeral"), QStringLiteral("Delete the private cluster (and so every database) on exit."));
    const QCommandLineOption provisioningOpt(QStringLiteral("provisioning-ms"),
        QStringLiteral("How long a new database stays 'provisioning' (default 1000)."), QStringLiteral("MS"),
        QStringLiteral("1000"));
    const QCommandLineOption backupIntervalOpt(QStringLiteral("backup-interval-ms"),
        QStringLiteral("A database that changed since its last backup gets a backup this often (default 86400000, "
                       "a day; shorten it for tests and demos). POST /_sandbox/databases/{id}/backups takes one "
                       "now."),
        QStringLiteral("MS"), QStringLiteral("86400000"));
    const QCommandLineOption retentionOpt(QStringLiteral("backup-retention-days"),
        QStringLiteral("Backups older than this are deleted with their archives (meta.backupRetentionDays; "
                       "default 7)."),
        QStringLiteral("DAYS"), QStringLiteral("7"));
    const QCommandLineOption latencyOpt(QStringLiteral("fault-latency-ms"),
        QStringLiteral("Latency added before every answer (default 0)."), QStringLiteral("MS"), QStringLiteral("0"));
    const QCommandLineOption jitterOpt(QStringLiteral("fault-jitter-ms"),
        QStringLiteral("Plus a random 0..MS of latency (default 0)."), QStringLiteral("MS"), QStringLiteral("0"));
    const QCommandLineOption rate5xxOpt(QStringLiteral("fault-5xx-rate"),
        QStringLiteral("Share of requests answered 503 with Retry-After, unprocessed (0..1, default 0)."),
        QStringLiteral("RATE"), QStringLiteral("0"));
    const QCommandLineOption rate429Opt(QStringLiteral("fault-429-rate"),
        QStringLiteral("Share of requests answered 429 with Retry-After: 1, unprocessed (0..1, default 0)."),
        QStringLiteral("RATE"), QStringLiteral("0"));
    const QCommandLineOption dropOpt(QStringLiteral("fault-drop-rate"),
        QStringLiteral(
            "Share of requests whose connection is closed without an answer, unprocessed (0..1, default 0)."),
        QStringLiteral("RATE"), QStringLiteral("0"));
    const QCommandLineOption slowOpt(QStringLiteral("fault-slow-body-ms"),
        QStringLiteral("Trickle each answer's body over this many ms (default 0)."), QStringLiteral("MS"),
        QStringLiteral("0"));
    const QCommandLineOption seedFaultOpt(QStringLiteral("fault-seed"),
        QStringLiteral("Seed for fault decisions, for a reproducible sequence (default 0: random)."),
        QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption seedProjectsOpt(QStringLiteral("seed-projects"),
        QStringLiteral("Make sure the first token's workspace holds N metadata-only \"(seeded)\" projects "
                       "(no real databases; default 0)."),
        QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption seedDbOpt(QStringLiteral("seed-databases-per-project"),
        QStringLiteral("Databases per seeded project (1..100, default 1)."), QStringLiteral("M"), QStringLiteral("1"));
    const QCommandLineOption seedConOpt(QStringLiteral("seed-connections-per-database"),
        QStringLiteral("Connections per seeded database (0..100, default 1)."), QStringLiteral("K"),
        QStringLiteral("1"));
    const QCommandLineOption logOpt(
        QStringLiteral("log-requests"), QStringLiteral("Log one line per request to stderr (no tokens, no bodies)."));
    parser.addOptions({ portOpt, dataDirOpt, tokenOpt, oauthOpt, postgresOpt, hostOpt, ephemeralOpt, provisioningOpt,
        backupIntervalOpt, retentionOpt, logOpt, latencyOpt, jitterOpt, rate5xxOpt, rate429Opt, dropOpt, slowOpt,
        seedFaultOpt, seedProjectsOpt, seedDbOpt, seedConOpt });
    parser.process(app);

    auto intOpt = [&](const QCommandLineOption &o, int min, int max, int *out) {
        bool ok = false;
        *out = parser.value(o).toInt(&ok);
        if (!ok || *out < min || *out > max) {
            printError(
                QStringLiteral("--%1 must be an integer between %2 and %3").arg(o.names().first()).arg(min).arg(max));
            return false;
        }
        return true;
    };
    auto rateOpt = [&](const QCommandLineOption &o, double *out) {
        bool ok = false;
        *out = parser.value(o).toDouble(&ok);
        if (!ok || *out < 0 || *out > 1) {
            printError(QStringLiteral("--%1 must be a number between 0 and 1").arg(o.names().first()));
            return false;
        }
        return true;
    };

    if (!parser.isSet(dataDirOpt)) {
        printError(QStringLiteral("--data-dir is required (see --help)"));
        return 2;
    }
    int port = 0, provisioningMs = 0, seedProjects = 0, seedDbs = 0, seedCons = 0, faultSeed = 0;
    int backupIntervalMs = 0, retentionDays = 0;
    Faults::Settings fs;
    if (!intOpt(portOpt, 0, 65535, &port) || !intOpt(provisioningOpt, 0, 3600000, &provisioningMs)
        || !intOpt(latencyOpt, 0, 600000, &fs.latencyMs) || !intOpt(jitterOpt, 0, 600000, &fs.jitterMs)
        || !intOpt(slowOpt, 0, 600000, &fs.slowBodyMs) || !intOpt(seedFaultOpt, 0, 2147483647, &faultSeed)
        || !rateOpt(rate5xxOpt, &fs.rate5xx) || !rateOpt(rate429Opt, &fs.rate429) || !rateOpt(dropOpt, &fs.dropRate)
        || !intOpt(seedProjectsOpt, 0, 1000000, &seedProjects) || !intOpt(seedDbOpt, 1, 100, &seedDbs)
        || !intOpt(seedConOpt, 0, 100, &seedCons) || !intOpt(backupIntervalOpt, 100, 2147483647, &backupIntervalMs)
        || !intOpt(retentionOpt, 1, 3650, &retentionDays))
        return 2;
    fs.seed = static_cast<quint32>(faultSeed);
    const QHostAddress listenAddress(parser.value(hostOpt));
    if (listenAddress.isNull()) {
        printError(QStringLiteral("--host must be an IP address"));
        return 2;
    }

    const QString dataDir = QDir(parser.value(dataDirOpt)).absolutePath();
    if (!QDir().mkpath(dataDir)) {
        printError(QStringLiteral("cannot create the data directory %1").arg(dataDir));
        return 1;
    }
    const bool ephemeral = parser.isSet(ephemeralOpt);

    QList<TokenSpec> tokens;
    for (const QString &spec : parser.values(tokenOpt))
        tokens << parseToken(spec, false);
    for (const QString &spec : parser.values(oauthOpt))
        tokens << parseToken(spec, true);
    {
        QFile file(dataDir + QStringLiteral("/tokens"));
        if (file.open(QIODevice::ReadOnly | QIODevice::Text)) {
            for (const QByteArray &raw : file.readAll().split('\n')) {
                const QString line = QString::fromUtf8(raw).trimmed();
                if (!line.isEmpty() && !line.startsWith(QLatin1Char('#')))
                    tokens << parseToken(line, false);
            }
        }
    }

    installSignalHandlers();
    QElapsedTimer startClock;
    startClock.start();

    // PostgreSQL: a private cluster, or the server given with --postgres.
    std::unique_ptr<PgCluster> cluster;
    PostgresTarget target;
    if (parser.isSet(postgresOpt)) {
        const QUrl url(parser.value(postgresOpt));
        if (!url.isValid()
            || (url.scheme() != QLatin1String("postgres") && url.scheme() != QLatin1String("postgresql"))) {
            printError(QStringLiteral("--postgres must be a postgres:// URL"));
            return 2;
        }
        target.host = url.host().isEmpty() ? QStringLiteral("127.0.0.1") : url.host();
        target.port = url.port(5432);
        target.user = url.userName().isEmpty() ? QStringLiteral("postgres") : url.userName();
        target.password = url.password();
        const QString path = url.path().mid(1);
        target.dbname = path.isEmpty() ? QStringLiteral("ppg_sandbox") : path;
        target.publicHost = target.host.startsWith(QLatin1Char('/')) ? QStringLiteral("127.0.0.1") : target.host;
        target.publicPort = target.port;
    } else {
        cluster = std::make_unique<PgCluster>(dataDir);
        if (!cluster->start()) {
            printError(QStringLiteral("cannot start PostgreSQL: %1").arg(cluster->errorString()));
            return 1;
        }
        target.host = cluster->socketDir();
        target.port = cluster->port();
        target.user = cluster->superuser();
        target.publicHost = QStringLiteral("127.0.0.1");
        target.publicPort = cluster->port();
    }

    auto shutdownCluster = [&]() {
        if (!cluster)
            return;
        if (!cluster->stop())
            printError(QStringLiteral("cannot stop PostgreSQL: %1").arg(cluster->errorString()));
        if (ephemeral)
            cluster->removeFiles();
    };

    int rc = 0;
    {
        SqlSession sql;
        StateStore store(sql);
        QString error;
        // The state database, its schema, then the real objects no record refers to dropped.
        auto step = [&](const SqlResult<> &result) {
            if (!result)
                error = result.error();
            return result.ok();
        };
        bool ok = step(sql.open(target)) && step(schema::prepare(sql)) && step(schema::reconcile(sql));
        for (const TokenSpec &t : std::as_const(tokens)) {
            if (!ok)
                break;
            ok = step(store.upsertToken(t.token, t.kind, t.workspaces));
        }
        if (ok && seedProjects > 0) {
            if (tokens.isEmpty()) {
                error = QStringLiteral("--seed-projects needs a --token for its workspace");
                ok = false;
            } else {
                const auto cred = store.authenticate(tokens.first().token.toUtf8());
                QElapsedTimer seedClock;
                seedClock.start();
                ok = cred && !cred->workspaceIds.isEmpty()
                    && step(seedAccount(sql, cred->workspaceIds.first(), seedProjects, seedDbs, seedCons));
                if (ok)
                    std::fprintf(
                        stderr, "ppg-sandbox: seeded in %lld ms\n", static_cast<long long>(seedClock.elapsed()));
            }
        }
        if (!ok) {
            printError(error);
            sql.close();
            shutdownCluster();
            return 1;
        }

        Faults faults;
        faults.setSettings(fs);
        ApiServer::Options options;
        options.address = listenAddress;
        options.host = listenAddress.protocol() == QAbstractSocket::IPv6Protocol
            ? QStringLiteral("[%1]").arg(listenAddress.toString())
            : listenAddress.toString();
        options.port = static_cast<quint16>(port);
        options.provisioningMs = provisioningMs;
        options.logRequests = parser.isSet(logOpt);
        Backups::Settings bs;
        bs.folder = dataDir + QStringLiteral("/backups");
        bs.binDir = PgCluster::findBinDir();
        bs.intervalMs = backupIntervalMs;
        bs.retentionDays = retentionDays;
        bs.provisioningMs = provisioningMs;
        Backups backups(store, bs);
        backups.start();
        ApiServer server(&store, &faults, &backups, options);
        if (!server.listen(&error)) {
            printError(error);
            sql.close();
            shutdownCluster();
            return 1;
        }

        QSocketNotifier notifier(g_signalFds[1], QSocketNotifier::Read);
        QObject::connect(&notifier, &QSocketNotifier::activated, &app, [&]() {
            char buf[16];
            [[maybe_unused]] const auto n = ::read(g_signalFds[1], buf, sizeof buf);
            QCoreApplication::quit();
        });

        std::fprintf(stdout, "postgres: %s\n", qPrintable(sql.adminConnInfo()));
        std::fprintf(stdout, "listening on %s\n", qPrintable(server.baseUrl()));
        std::fflush(stdout);
        std::fprintf(stderr, "ppg-sandbox: ready in %lld ms\n", static_cast<long long>(startClock.elapsed()));
        std::fflush(stderr);

        rc = app.exec();
        // Deliver the answers already written (their changes are committed) before exiting.
        server.closeConnections(3000);
        sql.close();
    }
    shutdownCluster();
    return rc;
}

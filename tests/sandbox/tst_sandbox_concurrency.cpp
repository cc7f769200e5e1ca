// tst_sandbox_concurrency: 50 concurrent clients (one QNetworkAccessManager each, one request in
// flight per client, so at most 50 at once) create, list and delete projects, databases and
// connections on one ppg-sandbox for PPG_CONCURRENCY_SECONDS (default 30) with faults off.
// Halfway through, the sandbox is stopped while requests are in flight and started again on
// the same data dir (non-ephemeral).
//
// Asserts: no 5xx and no network error outside the restart; every 2xx-acknowledged create still
// exists (after the restart and at the end) unless acknowledged-deleted, and every
// acknowledged delete stays deleted; no record the clients do not know of (except what the
// requests lost to the restart may have created); no PostgreSQL database or role without its
// record and no record without its database or role (sandbox state tables vs pg_database and
// pg_roles through the admin connection). Prints "operations: N (creates X, lists Y, deletes Z)".

#include "support/sandboxprocess.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QSet>
#include <QTimer>
#include <QtTest>

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <vector>

namespace {
const QString kToken = QStringLiteral("ppg-concurrency-token");
constexpr int kClients = 50;
constexpr int kMaxProjects = 40;
constexpr int kMaxDatabases = 100;
constexpr int kMaxConnections = 250;

enum class Fate { Alive, Deleted, Uncertain };
enum class Kind { Create, List, Delete };

struct ProjectRec
{
    Fate fate = Fate::Alive;
    QSet<QString> dbs;
};
struct DatabaseRec
{
    QString project;
    bool isDefault = false;
    Fate fate = Fate::Alive;
    QSet<QString> cons;
};
struct ConnectionRec
{
    QString db;
    Fate fate = Fate::Alive;
};

struct Client
{
    std::unique_ptr<QNetworkAccessManager> nam;
    bool inFlight = false;
    bool done = false;
};

// What a finished request reports to its handler.
struct Outcome
{
    int status = 0; // 0: no HTTP answer (network error)
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QJsonObject json;
    QByteArray body;
};

QString pickFrom(const QSet<QString> &set, QRandomGenerator &rng)
{
    if (set.isEmpty())
        return {};
    auto it = set.cbegin();
    std::advance(it, rng.bounded(static_cast<int>(set.size())));
    return *it;
}

QSet<QString> idSet(const QString &csv)
{
    QSet<QString> out;
    for (const QString &id : csv.split(QLatin1Char(','), Qt::SkipEmptyParts))
        out.insert(id);
    return out;
}
} // namespace

class TstSandboxConcurrency : public QObject
{
    Q_OBJECT

private:
    SandboxProcess m_sandbox;
    SandboxProcess::Options m_options;
    std::vector<Client> m_clients;
    QRandomGenerator m_rng;
    QElapsedTimer m_clock;
    qint64 m_deadlineMs = 0;
    bool m_paused = false;
    int m_generation = 0;
    int m_done = 0;
    QEventLoop *m_loop = nullptr;

    // Registry of what the server acknowledged.
    QHash<QString, ProjectRec> m_projects;
    QHash<QString, DatabaseRec> m_databases;
    QHash<QString, ConnectionRec> m_connections;
    QSet<QString> m_aliveProjects, m_aliveDatabases, m_aliveConnections;

    // Figures.
    qint64 m_creates = 0, m_lists = 0, m_deletes = 0;
    std::map<int, qint64> m_statuses;
    qint64 m_lostToRestart = 0;
    qint64 m_refused = 0;
    qint64 m_unackedProjectCreates = 0, m_unackedDatabaseCreates = 0, m_unackedConnectionCreates = 0;
    qint64 m_restartMs = 0;
    QStringList m_failures;

    void fail(const QString &what)
    {
        if (m_failures.size() < 50)
            m_failures << what;
        else if (m_failures.size() == 50)
            m_failures << QStringLiteral("(more failures not shown)");
    }

    // ---- registry ---------------------------------------------------------------------------

    void setConnection(const QString &id, Fate fate)
    {
        auto it = m_connections.find(id);
        if (it == m_connections.end())
            return;
        it->fate = fate;
        if (fate == Fate::Alive)
            m_aliveConnections.insert(id);
        else
            m_aliveConnections.remove(id);
    }

    void setDatabase(const QString &id, Fate fate)
    {
        auto it = m_databases.find(id);
        if (it == m_databases.end())
            return;
        it->fate = fate;
        if (fate == Fate::Alive) {
            m_aliveDatabases.insert(id);
            return;
        }
        m_aliveDatabases.remove(id);
        for (const QString &c : std::as_const(it->cons))
            if (m_connections.value(c).fate != Fate::Deleted)
                setConnection(c, fate);
    }

    void setProject(const QString &id, Fate fate)
    {
        auto it = m_projects.find(id);
        if (it == m_projects.end())
            return;
        it->fate = fate;
        if (fate == Fate::Alive) {
            m_aliveProjects.insert(id);
            return;
        }
        m_aliveProjects.remove(id);
        for (const QString &d : std::as_const(it->dbs))
            if (m_databases.value(d).fate != Fate::Deleted)
                setDatabase(d, fate);
    }

    // A create acknowledged after its parent's deletion was acknowledged (answers on different
    // sockets arrive in any order) inherits the parent's fate.
    void addConnection(const QString &id, const QString &db)
    {
        ConnectionRec c;
        c.db = db;
        m_connections.insert(id, c);
        m_aliveConnections.insert(id);
        auto d = m_databases.find(db);
        if (d == m_databases.end()) {
            fail(QStringLiteral("connection %1 acknowledged for an unknown database %2").arg(id, db));
            return;
        }
        d->cons.insert(id);
        if (d->fate != Fate::Alive)
            setConnection(id, d->fate);
    }

    void addDatabase(const QJsonObject &data, const QString &project)
    {
        const QString id = data.value(QStringLiteral("id")).toString();
        DatabaseRec d;
        d.project = project;
        d.isDefault = data.value(QStringLiteral("isDefault")).toBool();
        m_databases.insert(id, d);
        m_aliveDatabases.insert(id);
        auto p = m_projects.find(project);
        if (p == m_projects.end()) {
            fail(QStringLiteral("database %1 acknowledged for an unknown project %2").arg(id, project));
            return;
        }
        p->dbs.insert(id);
        for (const QJsonValue &c : data.value(QStringLiteral("connections")).toArray())
            addConnection(c.toObject().value(QStringLiteral("id")).toString(), id);
        if (p->fate != Fate::Alive)
            setDatabase(id, p->fate);
    }

    // ---- requests ---------------------------------------------------------------------------

    void send(int index, const QByteArray &method, const QString &path, const QJsonObject &body, Kind kind,
        std::function<void(const Outcome &)> handler)
    {
        Client &client = m_clients[static_cast<size_t>(index)];
        QNetworkRequest req(QUrl(m_sandbox.baseUrl().toString() + path));
        req.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
        req.setRawHeader("Authorization", "Bearer " + kToken.toUtf8());
        QByteArray payload;
        if (method == "POST" || method == "PATCH") {
            req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
            payload = QJsonDocument(body).toJson(QJsonDocument::Compact);
        }
        req.setTransferTimeout(120000);
        client.inFlight = true;
        switch (kind) {
        case Kind::Create:
            ++m_creates;
            break;
        case Kind::List:
            ++m_lists;
            break;
        case Kind::Delete:
            ++m_deletes;
            break;
        }
        const int generation = m_generation;
        QNetworkReply *reply = client.nam->sendCustomRequest(req, method, payload);
        connect(reply, &QNetworkReply::finished, this, [=, this]() {
            reply->deleteLater();
            Outcome o;
            o.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            o.error = reply->error();
            // A transport failure (connection refused or closed, timeout, truncated body) is no
            // answer, whatever status line may have arrived before it.
            if (o.error != QNetworkReply::NoError && o.error < QNetworkReply::ContentAccessDenied)
                o.status = 0;
            o.body = reply->readAll();
            o.json = QJsonDocument::fromJson(o.body).object();
            m_clients[static_cast<size_t>(index)].inFlight = false;
            ++m_statuses[o.status];
            if (o.status == 0) {
                if (m_paused || generation != m_generation) {
                    ++m_lostToRestart; // sent before the restart, never answered: not acknowledged
                } else {
                    fail(QStringLiteral("%1 %2: network error %3 (%4)")
                             .arg(QString::fromLatin1(method), path)
                             .arg(static_cast<int>(o.error))
                             .arg(reply->errorString()));
                }
            } else if (o.status >= 500) {
                fail(QStringLiteral("%1 %2: %3 %4")
                         .arg(QString::fromLatin1(method), path)
                         .arg(o.status)
                         .arg(QString::fromUtf8(o.body.left(300))));
            }
            handler(o);
            next(index);
        });
    }

    void unexpected(const char *method, const QString &path, const Outcome &o)
    {
        if (o.status != 0 && o.status < 500) // 5xx and network errors are reported in send()
            fail(QStringLiteral("%1 %2: unexpected %3 %4")
                     .arg(QLatin1String(method), path)
                     .arg(o.status)
                     .arg(QString::fromUtf8(o.body.left(300))));
    }

    void next(int index)
    {
        Client &client = m_clients[static_cast<size_t>(index)];
        if (client.done || client.inFlight || m_paused)
            return;
        if (m_clock.elapsed() >= m_deadlineMs) {
            client.done = true;
            if (++m_done == kClients && m_loop)
                m_loop->quit();
            return;
        }
        const int r = m_rng.bounded(100);
        if (r < 40)
            list(index);
        else if (r < 52)
            createProject(index);
        else if (r < 64)
            createDatabase(index);
        else if (r < 76)
            createConnection(index);
        else if (r < 86)
            deleteConnection(index);
        else if (r < 94)
            deleteDatabase(index);
        else
            deleteProject(index);
    }

    void list(int index)
    {
        const int r = m_rng.bounded(6);
        const QString project = pickFrom(m_aliveProjects, m_rng);
        const QString db = pickFrom(m_aliveDatabases, m_rng);
        const QString con = pickFrom(m_aliveConnections, m_rng);
        QString path;
        bool may404 = false;
        if (r == 0 || project.isEmpty())
            path = QStringLiteral("/v1/projects?limit=%1").arg(1 + m_rng.bounded(100));
        else if (r == 1)
            path = QStringLiteral("/v1/databases?limit=50");
        else if (r == 2 || db.isEmpty())
            path = QStringLiteral("/v1/projects/%1/databases").arg(project), may404 = true;
        else if (r == 3 || con.isEmpty())
            path = QStringLiteral("/v1/connections?databaseId=%1").arg(db);
        else if (r == 4)
            path = QStringLiteral("/v1/databases/%1").arg(db), may404 = true;
        else
            path = QStringLiteral("/v1/connections/%1").arg(con), may404 = true;
        send(index, "GET", path, {}, Kind::List, [=, this](const Outcome &o) {
            if (o.status == 200) {
                if (!o.json.contains(QStringLiteral("data")))
                    fail(QStringLiteral("GET %1: 200 without data").arg(path));
            } else if (!(o.status == 404 && may404)) {
                unexpected("GET", path, o);
            }
        });
    }

    void createProject(int index)
    {
        if (m_aliveProjects.size() >= kMaxProjects)
            return list(index);
        const bool withDb = m_rng.bounded(5) != 0;
        const QJsonObject body { { QStringLiteral("name"), QStringLiteral("load %1").arg(index) },
            { QStringLiteral("createDatabase"), withDb } };
        send(index, "POST", QStringLiteral("/v1/projects"), body, Kind::Create, [=, this](const Outcome &o) {
            if (o.status == 201) {
                const QJsonObject data = o.json.value(QStringLiteral("data")).toObject();
                const QString id = data.value(QStringLiteral("id")).toString();
                m_projects.insert(id, ProjectRec {});
                m_aliveProjects.insert(id);
                if (data.value(QStringLiteral("database")).isObject())
                    addDatabase(data.value(QStringLiteral("database")).toObject(), id);
            } else if (o.status == 0) {
                ++m_unackedProjectCreates;
            } else {
                unexpected("POST", QStringLiteral("/v1/projects"), o);
            }
        });
    }

    void createDatabase(int index)
    {
        const QString project = pickFrom(m_aliveProjects, m_rng);
        if (project.isEmpty() || m_aliveDatabases.size() >= kMaxDatabases)
            return list(index);
        const bool top = m_rng.bounded(4) == 0;
        const QString path
            = top ? QStringLiteral("/v1/databases") : QStringLiteral("/v1/projects/%1/databases").arg(project);
        QJsonObject body { { QStringLiteral("name"), QStringLiteral("load db %1").arg(index) } };
        if (top)
            body.insert(QStringLiteral("projectId"), project);
        send(index, "POST", path, body, Kind::Create, [=, this](const Outcome &o) {
            if (o.status == 201)
                addDatabase(o.json.value(QStringLiteral("data")).toObject(), project);
            else if (o.status == 0)
                ++m_unackedDatabaseCreates;
            else if (o.status != 404) // the project was deleted meanwhile
                unexpected("POST", path, o);
        });
    }

    void createConnection(int index)
    {
        const QString db = pickFrom(m_aliveDatabases, m_rng);
        if (db.isEmpty() || m_aliveConnections.size() >= kMaxConnections)
            return list(index);
        const bool top = m_rng.bounded(4) == 0;
        const QString path
            = top ? QStringLiteral("/v1/connections") : QStringLiteral("/v1/databases/%1/connections").arg(db);
        QJsonObject body { { QStringLiteral("name"), QStringLiteral("load con %1").arg(index) } };
        if (top)
            body.insert(QStringLiteral("databaseId"), db);
        send(index, "POST", path, body, Kind::Create, [=, this](const Outcome &o) {
            if (o.status == (top ? 201 : 200)) {
                const QJsonObject data = o.json.value(QStringLiteral("data")).toObject();
                if (!data.value(QStringLiteral("connectionString")).toString().startsWith(QLatin1String("postgres://")))
                    fail(QStringLiteral("POST %1: no connection string").arg(path));
                addConnection(data.value(QStringLiteral("id")).toString(), db);
            } else if (o.status == 0) {
                ++m_unackedConnectionCreates;
            } else if (o.status != 404) {
                unexpected("POST", path, o);
            }
        });
    }

    void deleteConnection(int index)
    {
        const QString con = pickFrom(m_aliveConnections, m_rng);
        if (con.isEmpty())
            return list(index);
        const QString path = QStringLiteral("/v1/connections/%1").arg(con);
        send(index, "DELETE", path, {}, Kind::Delete, [=, this](const Outcome &o) {
            if (o.status == 204)
                setConnection(con, Fate::Deleted);
            else if (o.status == 0)
                setConnection(con, Fate::Uncertain);
            else if (o.status != 404) // deleted by another client, or with its database
                unexpected("DELETE", path, o);
        });
    }

    void deleteDatabase(int index)
    {
        QSet<QString> candidates;
        for (const QString &d : std::as_const(m_aliveDatabases))
            if (!m_databases.value(d).isDefault)
                candidates.insert(d);
        const QString db = pickFrom(candidates, m_rng);
        if (db.isEmpty())
            return list(index);
        const QString path = QStringLiteral("/v1/databases/%1").arg(db);
        send(index, "DELETE", path, {}, Kind::Delete, [=, this](const Outcome &o) {
            if (o.status == 204)
                setDatabase(db, Fate::Deleted);
            else if (o.status == 0)
                setDatabase(db, Fate::Uncertain);
            else if (o.status != 404)
                unexpected("DELETE", path, o);
        });
    }

    void deleteProject(int index)
    {
        const QString project = pickFrom(m_aliveProjects, m_rng);
        if (project.isEmpty())
            return list(index);
        const QString path = QStringLiteral("/v1/projects/%1").arg(project);
        send(index, "DELETE", path, {}, Kind::Delete, [=, this](const Outcome &o) {
            if (o.status == 204) {
                setProject(project, Fate::Deleted);
            } else if (o.status == 0) {
                setProject(project, Fate::Uncertain);
            } else if (o.status == 400) {
                // Refused while it holds a non-default database (possibly one whose creation
                // was not acknowledged yet): only that reason is acceptable.
                ++m_refused;
                if (!o.json.value(QStringLiteral("error"))
                         .toObject()
                         .value(QStringLiteral("message"))
                         .toString()
                         .contains(QLatin1String("existing dependencies")))
                    unexpected("DELETE", path, o);
            } else if (o.status != 404) {
                unexpected("DELETE", path, o);
            }
        });
    }

    // ---- checks -----------------------------------------------------------------------------

    QString sql(const QString &query)
    {
        QString error;
        const QVariant v = m_sandbox.queryScalar(query, &error);
        if (!v.isValid())
            fail(QStringLiteral("SQL failed: %1: %2").arg(query, error));
        return v.toString();
    }

    // Records vs real objects, then records vs what the clients were told.
    void verify(const char *when, bool exact)
    {
        struct Check
        {
            const char *what;
            const char *query;
        };
        const Check checks[] = {
            { "PostgreSQL databases without a record",
                "SELECT count(*) FROM pg_database WHERE datname LIKE 'db\\_%' AND datname NOT IN "
                "(SELECT pg_name FROM databases WHERE pg_name IS NOT NULL)" },
            { "database records without their PostgreSQL database or owner role",
                "SELECT count(*) FROM databases d WHERE NOT d.seeded AND (d.pg_name IS NULL OR d.owner_role IS NULL "
                "OR NOT EXISTS (SELECT 1 FROM pg_database p WHERE p.datname = d.pg_name) "
                "OR NOT EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = d.owner_role))" },
            { "PostgreSQL databases not owned by their record's owner role",
                "SELECT count(*) FROM databases d JOIN pg_database p ON p.datname = d.pg_name "
                "JOIN pg_roles r ON r.oid = p.datdba WHERE r.rolname <> d.owner_role" },
            { "owner roles without a database record",
                "SELECT count(*) FROM pg_roles WHERE rolname LIKE 'db\\_%\\_owner' AND rolname NOT IN "
                "(SELECT owner_role FROM databases WHERE owner_role IS NOT NULL)" },
            { "connection roles without a record",
                "SELECT count(*) FROM pg_roles WHERE rolname LIKE 'con\\_%' AND rolname NOT IN "
                "(SELECT role_name FROM connections WHERE role_name IS NOT NULL)" },
            { "connection records without their LOGIN role (member of the owner)",
                "SELECT count(*) FROM connections c JOIN databases d ON d.id = c.database_id WHERE NOT c.seeded AND "
                "(c.role_name IS NULL OR NOT EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = c.role_name AND "
                "r.rolcanlogin) "
                "OR NOT pg_has_role(c.role_name, d.owner_role, 'MEMBER'))" },
        };
        for (const Check &c : checks) {
            const QString n = sql(QString::fromLatin1(c.query));
            if (n != QLatin1String("0"))
                fail(QStringLiteral("%1: %2 %3").arg(QLatin1String(when), n, QLatin1String(c.what)));
        }

        const QSet<QString> projects
            = idSet(sql(QStringLiteral("SELECT coalesce(string_agg(id, ','), '') FROM projects")));
        const QSet<QString> databases
            = idSet(sql(QStringLiteral("SELECT coalesce(string_agg(id, ','), '') FROM databases")));
        const QSet<QString> connections
            = idSet(sql(QStringLiteral("SELECT coalesce(string_agg(id, ','), '') FROM connections")));
        int lost = 0, resurrected = 0;
        auto compare = [&](const char *kind, const auto &registry, const QSet<QString> &actual, qint64 allowedUnknown) {
            for (auto it = registry.cbegin(); it != registry.cend(); ++it) {
                if (it->fate == Fate::Alive && !actual.contains(it.key())) {
                    ++lost;
                    fail(QStringLiteral("%1: acknowledged %2 %3 is gone")
                             .arg(QLatin1String(when), QLatin1String(kind), it.key()));
                } else if (it->fate == Fate::Deleted && actual.contains(it.key())) {
                    ++resurrected;
                    fail(QStringLiteral("%1: acknowledged-deleted %2 %3 still exists")
                             .arg(QLatin1String(when), QLatin1String(kind), it.key()));
                }
            }
            qint64 unknown = 0;
            for (const QString &id : actual)
                unknown += registry.contains(id) ? 0 : 1;
            if (unknown > allowedUnknown)
                fail(QStringLiteral("%1: %2 %3 record(s) nobody was told about (at most %4 expected)")
                         .arg(QLatin1String(when))
                         .arg(unknown)
                         .arg(QLatin1String(kind))
                         .arg(allowedUnknown));
        };
        const qint64 p = exact ? 0 : m_unackedProjectCreates;
        const qint64 d = exact ? 0 : p + m_unackedDatabaseCreates;
        const qint64 c = exact ? 0 : d + m_unackedConnectionCreates;
        compare("project", m_projects, projects, p);
        compare("database", m_databases, databases, d);
        compare("connection", m_connections, connections, c);
        qInfo("%s: %lld projects, %lld databases, %lld connections on the server; %d lost, %d resurrected", when,
            static_cast<long long>(projects.size()), static_cast<long long>(databases.size()),
            static_cast<long long>(connections.size()), lost, resurrected);
    }

    void drain(int timeoutMs)
    {
        QElapsedTimer t;
        t.start();
        auto busy = [this]() {
            for (const Client &c : m_clients)
                if (c.inFlight)
                    return true;
            return false;
        };
        while (busy() && t.elapsed() < timeoutMs)
            QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 100);
        if (busy())
            fail(QStringLiteral("requests still in flight after %1 ms").arg(timeoutMs));
    }

    void restart()
    {
        m_paused = true;
        QElapsedTimer t;
        t.start();
        const int inFlight = static_cast<int>(
            std::count_if(m_clients.begin(), m_clients.end(), [](const Client &c) { return c.inFlight; }));
        m_sandbox.stop(); // SIGTERM with requests in flight
        ++m_generation;
        drain(60000); // every answer that made it out is recorded before we look
        if (!m_sandbox.start(m_options)) {
            fail(QStringLiteral("restart failed: %1").arg(m_sandbox.errorString()));
            m_deadlineMs = 0; // stop the load
        } else {
            m_restartMs = t.elapsed();
            qInfo("restarted with %d request(s) in flight in %lld ms (%lld lost)", inFlight,
                static_cast<long long>(m_restartMs), static_cast<long long>(m_lostToRestart));
            verify("after restart", false);
            m_deadlineMs += t.elapsed(); // the restart does not count as load time
        }
        m_paused = false;
        for (int i = 0; i < kClients; ++i)
            next(i);
    }

private slots:
    void concurrentClientsAndRestart()
    {
        bool ok = false;
        int seconds = qEnvironmentVariableIntValue("PPG_CONCURRENCY_SECONDS", &ok);
        if (!ok || seconds <= 0)
            seconds = 30;
        quint32 seed = static_cast<quint32>(qEnvironmentVariableIntValue("PPG_CONCURRENCY_SEED", &ok));
        if (!ok)
            seed = QRandomGenerator::global()->generate();
        m_rng.seed(seed);
        qInfo("%d clients for %d s, seed %u (PPG_CONCURRENCY_SECONDS, PPG_CONCURRENCY_SEED)", kClients, seconds, seed);

        m_options.tokens = { kToken + QStringLiteral("=Load") };
        m_options.ephemeral = false; // the restart keeps the cluster; the fixture removes it at the end
        m_options.extraArgs = { QStringLiteral("--provisioning-ms"), QStringLiteral("0") };
        QVERIFY2(m_sandbox.start(m_options), qPrintable(m_sandbox.errorString()));

        m_clients.resize(kClients);
        for (Client &c : m_clients)
            c.nam = std::make_unique<QNetworkAccessManager>();

        QEventLoop loop;
        m_loop = &loop;
        m_clock.start();
        m_deadlineMs = seconds * 1000LL;
        QTimer restartTimer;
        restartTimer.setSingleShot(true);
        connect(&restartTimer, &QTimer::timeout, this, &TstSandboxConcurrency::restart);
        restartTimer.start(static_cast<int>(m_deadlineMs / 2));
        QTimer progress;
        connect(&progress, &QTimer::timeout, this, [this]() {
            qInfo("%5.1f s: %lld operations", m_clock.elapsed() / 1000.0,
                static_cast<long long>(m_creates + m_lists + m_deletes));
        });
        progress.start(5000);
        QTimer safety;
        safety.setSingleShot(true);
        connect(&safety, &QTimer::timeout, &loop, [&]() {
            fail(QStringLiteral("the load did not finish in time"));
            loop.quit();
        });
        safety.start(static_cast<int>(m_deadlineMs + 300000));
        for (int i = 0; i < kClients; ++i)
            next(i);
        loop.exec();
        m_loop = nullptr;
        progress.stop();
        const qint64 elapsed = m_clock.elapsed();
        drain(60000);

        verify("at the end", m_lostToRestart == 0);

        QStringList statuses;
        for (const auto &[status, count] : m_statuses)
            statuses << QStringLiteral("%1: %2").arg(status).arg(count);
        const qint64 total = m_creates + m_lists + m_deletes;
        std::printf("operations: %lld (creates %lld, lists %lld, deletes %lld) in %.1f s of load (%.1f s with the "
                    "restart), %.0f/s; statuses {%s}; lost to the restart: %lld; project deletions refused "
                    "(dependencies): %lld\n",
            static_cast<long long>(total), static_cast<long long>(m_creates), static_cast<long long>(m_lists),
            static_cast<long long>(m_deletes), (elapsed - m_restartMs) / 1000.0, elapsed / 1000.0,
            total * 1000.0 / qMax<qint64>(1, elapsed - m_restartMs), qPrintable(statuses.join(QStringLiteral(", "))),
            static_cast<long long>(m_lostToRestart), static_cast<long long>(m_refused));
        std::fflush(stdout);

        m_sandbox.stop();
        for (const QString &f : std::as_const(m_failures))
            qWarning("%s", qPrintable(f));
        QVERIFY2(m_failures.isEmpty(),
            qPrintable(QStringLiteral("%1 failure(s), first: %2").arg(m_failures.size()).arg(m_failures.value(0))));
        QVERIFY(m_restartMs > 0);
        QVERIFY(m_creates > 0 && m_lists > 0 && m_deletes > 0);
        qint64 fivexx = 0;
        for (const auto &[status, count] : m_statuses)
            fivexx += status >= 500 ? count : 0;
        QCOMPARE(fivexx, 0);
    }
};

QTEST_GUILESS_MAIN(TstSandboxConcurrency)
#include "tst_sandbox_concurrency.moc"

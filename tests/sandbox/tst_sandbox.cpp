// tst_sandbox: ppg-sandbox over raw HTTP (QNetworkAccessManager, not the project's api/ client):
// envelopes and status codes of every route, auth and workspace isolation, validation,
// keyset pagination under concurrent changes, real PostgreSQL objects behind the records,
// faults, seeding and a restart on the same data dir, a workspace whose usage is blocked (its
// databases refuse new sessions), a project transfer. Every answer any test receives must be JSON
// in the API's envelope (see envelopeProblem()).

#include "support/sandboxprocess.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTimer>
#include <QtTest>

#include <libpq-fe.h>

#include <utility>

namespace {
const QString kTokenA = QStringLiteral("ppg-test-token-a");
const QString kTokenB = QStringLiteral("ppg-test-token-b");
const QString kOauth = QStringLiteral("ppg-test-oauth");

struct Response
{
    int status = 0;
    QByteArray body;
    QJsonObject json;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QByteArray header(const QByteArray &name) const { return headers.value(name.toLower()); }
    QHash<QByteArray, QByteArray> headers;
    QJsonObject data() const { return json.value(QStringLiteral("data")).toObject(); }
    QJsonArray list() const { return json.value(QStringLiteral("data")).toArray(); }
    QString errorCode() const
    {
        return json.value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString();
    }
};

// What PostgreSQL answers a new session on `conninfo`: empty when it opens (and SELECT 1 runs).
QString loginError(const QString &conninfo)
{
    QString error;
    return SandboxProcess::querySql(conninfo, QStringLiteral("SELECT 1"), &error).isValid() ? QString() : error;
}

// A session that stays open (PQfinish when it goes).
struct HeldSession
{
    PGconn *conn;
    explicit HeldSession(const QString &conninfo) : conn(PQconnectdb(conninfo.toUtf8().constData())) { }
    ~HeldSession() { PQfinish(conn); }
    HeldSession(const HeldSession &) = delete;
    HeldSession &operator=(const HeldSession &) = delete;
    bool works() const
    {
        PGresult *res = PQexec(conn, "SELECT 1");
        const bool ok = PQresultStatus(res) == PGRES_TUPLES_OK;
        PQclear(res);
        return ok;
    }
};

QString str(const QJsonValue &v, const QString &path)
{
    QJsonValue cur = v;
    for (const QString &part : path.split(QLatin1Char('.'))) {
        bool isIndex = false;
        const int index = part.toInt(&isIndex);
        cur = isIndex ? cur.toArray().at(index) : cur.toObject().value(part);
    }
    return cur.isString()
        ? cur.toString()
        : QString::fromUtf8(QJsonDocument(QJsonObject { { "v", cur } }).toJson(QJsonDocument::Compact));
}

bool hasKeys(const QJsonObject &o, QStringList keys)
{
    keys.sort();
    return o.keys() == keys;
}

// What is wrong with an answer, or an empty string. A 204 has no body; every other answer is a
// JSON object (Content-Type application/json). An error is {"error": {"code", "message"[, "hint"]}}
// with non-empty strings. Under /v1 a success is {"data": object} or a list {"data": [...],
// "pagination": {"hasMore", "nextCursor"}} whose cursor is a string exactly when hasMore; the
// regions list has no pagination, backups and usage have their SDK types' own forms.
QString envelopeProblem(const QString &path, int status, const QByteArray &body, const QByteArray &contentType)
{
    if (status == 0)
        return {}; // no answer (a dropped connection)
    if (status == 204)
        return body.isEmpty() ? QString() : QStringLiteral("a 204 with a body");
    QJsonParseError pe {};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &pe);
    if (pe.error != QJsonParseError::NoError)
        return QStringLiteral("not JSON: ") + pe.errorString();
    if (!doc.isObject())
        return QStringLiteral("not a JSON object");
    if (contentType != "application/json")
        return QStringLiteral("Content-Type ") + QString::fromLatin1(contentType);
    const QJsonObject o = doc.object();
    const auto nonEmptyString = [](const QJsonValue &v) { return v.isString() && !v.toString().isEmpty(); };
    if (status >= 400) {
        const QJsonObject e = o.value(QLatin1String("error")).toObject();
        const bool ok = hasKeys(o, { QStringLiteral("error") }) && nonEmptyString(e.value(QLatin1String("code")))
            && nonEmptyString(e.value(QLatin1String("message")))
            && (hasKeys(e, { QStringLiteral("code"), QStringLiteral("message") })
                || (hasKeys(e, { QStringLiteral("code"), QStringLiteral("hint"), QStringLiteral("message") })
                    && nonEmptyString(e.value(QLatin1String("hint")))));
        return ok ? QString() : QStringLiteral("not an error envelope");
    }
    const QString route = path.section(QLatin1Char('?'), 0, 0);
    if (!route.startsWith(QLatin1String("/v1/")))
        return {}; // /_sandbox/faults answers its own object
    if (route.endsWith(QLatin1String("/usage")))
        return hasKeys(o, { QStringLiteral("generatedAt"), QStringLiteral("metrics"), QStringLiteral("period") })
            ? QString()
            : QStringLiteral("not a usage answer");
    const QJsonValue data = o.value(QLatin1String("data"));
    if (data.isObject())
        return hasKeys(o, { QStringLiteral("data") }) ? QString() : QStringLiteral("members beside data");
    if (!data.isArray())
        return QStringLiteral("no data object or array");
    if (route == QLatin1String("/v1/regions/postgres"))
        return hasKeys(o, { QStringLiteral("data") }) ? QString() : QStringLiteral("members beside data");
    const QJsonObject page = o.value(QLatin1String("pagination")).toObject();
    if (route.endsWith(QLatin1String("/backups")))
        return hasKeys(o, { QStringLiteral("data"), QStringLiteral("meta"), QStringLiteral("pagination") })
                && hasKeys(page, { QStringLiteral("hasMore"), QStringLiteral("limit") })
            ? QString()
            : QStringLiteral("not a backups page");
    const QJsonValue next = page.value(QLatin1String("nextCursor"));
    const bool ok = hasKeys(o, { QStringLiteral("data"), QStringLiteral("pagination") })
        && hasKeys(page, { QStringLiteral("hasMore"), QStringLiteral("nextCursor") })
        && page.value(QLatin1String("hasMore")).isBool()
        && (page.value(QLatin1String("hasMore")).toBool() ? nonEmptyString(next) : next.isNull());
    return ok ? QString() : QStringLiteral("not a list page");
}
} // namespace

class TstSandbox : public QObject
{
    Q_OBJECT

private:
    SandboxProcess m_sandbox;
    QNetworkAccessManager m_nam;
    QStringList m_badAnswers; // answers not in the API's envelope, checked by cleanup()

    Response call(const QByteArray &method, const QString &path, const QByteArray &body = {},
        const QString &token = kTokenA, const QUrl &base = {})
    {
        QUrl url((base.isEmpty() ? m_sandbox.baseUrl() : base).toString() + path);
        QNetworkRequest req(url);
        req.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
        if (!token.isEmpty())
            req.setRawHeader("Authorization", "Bearer " + token.toUtf8());
        if (!body.isEmpty())
            req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        req.setTransferTimeout(60000);
        QNetworkReply *reply = m_nam.sendCustomRequest(req, method, body);
        QEventLoop loop;
        connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        loop.exec();
        Response r;
        r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        r.body = reply->readAll();
        r.error = reply->error();
        for (const auto &h : reply->rawHeaderPairs())
            r.headers.insert(h.first.toLower(), h.second);
        r.json = QJsonDocument::fromJson(r.body).object();
        if (const QString problem = envelopeProblem(path, r.status, r.body, r.header("Content-Type"));
            !problem.isEmpty())
            m_badAnswers << QStringLiteral("%1 %2 -> %3, %4: %5")
                                .arg(QString::fromLatin1(method), path)
                                .arg(r.status)
                                .arg(problem, QString::fromUtf8(r.body.left(400)));
        reply->deleteLater();
        return r;
    }
    Response get(const QString &path, const QString &token = kTokenA) { return call("GET", path, {}, token); }
    Response post(const QString &path, const QJsonObject &body, const QString &token = kTokenA)
    {
        return call("POST", path, QJsonDocument(body).toJson(QJsonDocument::Compact), token);
    }
    Response del(const QString &path, const QString &token = kTokenA) { return call("DELETE", path, {}, token); }

    QJsonObject createProject(const QJsonObject &body, const QString &token = kTokenA)
    {
        const Response r = post(QStringLiteral("/v1/projects"), body, token);
        if (r.status != 201)
            qWarning("create project: %d %s", r.status, r.body.constData());
        return r.data();
    }

    // POST /_sandbox/workspaces/{id}/subscription {"usageBlocked": blocked} (no token), on `base`
    // (default: the shared sandbox); the answer's data.
    QJsonObject setBlocked(const QString &workspaceId, bool blocked, const QUrl &base = {})
    {
        const Response r = call("POST", QStringLiteral("/_sandbox/workspaces/%1/subscription").arg(workspaceId),
            QJsonDocument(QJsonObject { { "usageBlocked", blocked } }).toJson(QJsonDocument::Compact), QString(), base);
        if (r.status != 200)
            qWarning("set subscription: %d %s", r.status, r.body.constData());
        return r.data();
    }

    static QString scalar(const SandboxProcess &s, const QString &sql)
    {
        QString error;
        const QVariant v = s.queryScalar(sql, &error);
        if (!v.isValid())
            qWarning("SQL failed: %s", qPrintable(error));
        return v.toString();
    }

private slots:
    void initTestCase()
    {
        SandboxProcess::Options o;
        o.tokens = { kTokenA + QStringLiteral("=Acme"), kTokenB + QStringLiteral("=Other") };
        o.extraArgs = { QStringLiteral("--oauth-token"), kOauth + QStringLiteral("=Acme,Other"),
            QStringLiteral("--provisioning-ms"), QStringLiteral("800") };
        QVERIFY2(m_sandbox.start(o), qPrintable(m_sandbox.errorString()));
        qInfo("sandbox started in %lld ms", static_cast<long long>(m_sandbox.startMs()));
        QVERIFY(m_sandbox.postgresConnInfo().contains(QLatin1String("dbname=ppg_sandbox")));
        QCOMPARE(scalar(m_sandbox, QStringLiteral("SELECT 1")), QStringLiteral("1"));
    }

    void cleanupTestCase() { m_sandbox.stop(); }

    void cleanup()
    {
        const QStringList bad = std::exchange(m_badAnswers, {});
        QVERIFY2(bad.isEmpty(), qPrintable(bad.join(QLatin1Char('\n'))));
    }

    void me()
    {
        const Response r = get(QStringLiteral("/v1/me"));
        QCOMPARE(r.status, 200);
        QCOMPARE(str(r.data(), QStringLiteral("credential.type")), QStringLiteral("service_token"));
        QVERIFY(!str(r.data(), QStringLiteral("credential.id")).isEmpty());
        QCOMPARE(str(r.data(), QStringLiteral("workspace.name")), QStringLiteral("Acme"));
        QVERIFY(str(r.data(), QStringLiteral("workspace.id")).startsWith(QLatin1String("wksp_")));
        QVERIFY(r.data().value(QStringLiteral("user")).isNull());

        const Response o = get(QStringLiteral("/v1/me"), kOauth);
        QCOMPARE(o.status, 200);
        QCOMPARE(str(o.data(), QStringLiteral("credential.type")), QStringLiteral("oauth"));
        QVERIFY(o.data().value(QStringLiteral("user")).isObject());
    }

    void unauthorized()
    {
        for (const QString &token : { QString(), QStringLiteral("wrong-token") }) {
            const Response r = get(QStringLiteral("/v1/projects"), token);
            QCOMPARE(r.status, 401);
            QCOMPARE(r.errorCode(), QStringLiteral("unauthorized"));
            QVERIFY(!str(r.json, QStringLiteral("error.message")).isEmpty());
        }
    }

    void missingRoute()
    {
        const Response r = get(QStringLiteral("/v1/does-not-exist"));
        QCOMPARE(r.status, 404);
        QCOMPARE(r.errorCode(), QStringLiteral("route_not_found"));
    }

    void workspacesAndRegions()
    {
        const Response a = get(QStringLiteral("/v1/workspaces"));
        QCOMPARE(a.status, 200);
        QCOMPARE(a.list().size(), 1);
        QCOMPARE(
            a.json.value(QStringLiteral("pagination")).toObject().value(QStringLiteral("hasMore")).toBool(), false);
        QVERIFY(a.json.value(QStringLiteral("pagination")).toObject().value(QStringLiteral("nextCursor")).isNull());
        const QJsonObject ws = a.list().first().toObject();
        QCOMPARE(ws.value(QStringLiteral("type")).toString(), QStringLiteral("workspace"));
        const QString id = ws.value(QStringLiteral("id")).toString();
        QCOMPARE(ws.value(QStringLiteral("url")).toString(),
            m_sandbox.baseUrl().toString() + QStringLiteral("/v1/workspaces/") + id);
        QVERIFY(QDateTime::fromString(ws.value(QStringLiteral("createdAt")).toString(), Qt::ISODateWithMs).isValid());
        QCOMPARE(get(QStringLiteral("/v1/workspaces/") + id).status, 200);
        const Response cross = get(QStringLiteral("/v1/workspaces/") + id, kTokenB);
        QCOMPARE(cross.status, 404);
        QCOMPARE(cross.errorCode(), QStringLiteral("not_found"));
        QCOMPARE(get(QStringLiteral("/v1/workspaces"), kOauth).list().size(), 2);

        const Response regions = get(QStringLiteral("/v1/regions/postgres"));
        QCOMPARE(regions.status, 200);
        QStringList ids;
        for (const auto &v : regions.list()) {
            QCOMPARE(v.toObject().value(QStringLiteral("type")).toString(), QStringLiteral("region"));
            QCOMPARE(v.toObject().value(QStringLiteral("status")).toString(), QStringLiteral("available"));
            ids << v.toObject().value(QStringLiteral("id")).toString();
        }
        QCOMPARE(ids,
            (QStringList {
                "us-east-1", "us-west-1", "eu-west-3", "eu-central-1", "ap-northeast-1", "ap-southeast-1" }));
    }

    void createProjectShape()
    {
        const Response r = post(QStringLiteral("/v1/projects"),
            { { "name", "Shape" }, { "region", "eu-central-1" }, { "logicalId", "shape-1" } });
        QCOMPARE(r.status, 201);
        const QJsonObject p = r.data();
        QVERIFY(p.value("id").toString().startsWith(QLatin1String("proj_")));
        QCOMPARE(p.value("type").toString(), QStringLiteral("project"));
        QCOMPARE(p.value("logicalId").toString(), QStringLiteral("shape-1"));
        QCOMPARE(p.value("defaultRegion").toString(), QStringLiteral("eu-central-1"));
        QCOMPARE(str(p, "workspace.name"), QStringLiteral("Acme"));
        const QJsonObject db = p.value("database").toObject();
        QVERIFY(db.value("id").toString().startsWith(QLatin1String("db_")));
        QCOMPARE(db.value("isDefault").toBool(), true);
        QCOMPARE(str(db, "region.id"), QStringLiteral("eu-central-1"));
        QCOMPARE(str(db, "region.name"), QStringLiteral("Europe (Frankfurt)"));
        QVERIFY(db.contains("branchId") && db.contains("logicalId") && db.contains("source"));
        QVERIFY(db.value("connectionString").toString().startsWith(QLatin1String("postgres://")));
        QVERIFY(db.value("directConnection").isObject());
        QCOMPARE(db.value("apiKeys").toArray().size(), 1);
        const QJsonObject con = db.value("connections").toArray().first().toObject();
        QVERIFY(con.value("id").toString().startsWith(QLatin1String("con_")));
        QCOMPARE(db.value("defaultConnectionId").toString(), con.value("id").toString());
        QCOMPARE(con.value("kind").toString(), QStringLiteral("postgres"));
        const QString cs = str(con, "endpoints.direct.connectionString");
        QVERIFY(cs.endsWith(QLatin1String("?sslmode=require")));
        QVERIFY(!str(con, "endpoints.pooled.connectionString").isEmpty());

        // Duplicate logicalId -> 409; the filter finds the first one.
        const Response dup
            = post(QStringLiteral("/v1/projects"), { { "name", "Shape again" }, { "logicalId", "shape-1" } });
        QCOMPARE(dup.status, 409);
        QCOMPARE(dup.errorCode(), QStringLiteral("conflict"));
        const Response byLogical = get(QStringLiteral("/v1/projects?logicalId=shape-1"));
        QCOMPARE(byLogical.list().size(), 1);
        QCOMPARE(byLogical.list().first().toObject().value("id").toString(), p.value("id").toString());

        // Lists and gets never carry a password.
        const QString password = str(db, "directConnection.pass");
        QVERIFY(password.size() >= 24);
        for (const QString &path : { QStringLiteral("/v1/databases/") + db.value("id").toString(),
                 QStringLiteral("/v1/databases?projectId=") + p.value("id").toString(),
                 QStringLiteral("/v1/connections/") + con.value("id").toString(),
                 QStringLiteral("/v1/connections?databaseId=") + db.value("id").toString() }) {
            const Response g = get(path);
            QCOMPARE(g.status, 200);
            QVERIFY2(!g.body.contains(password.toUtf8()), qPrintable(path));
            QVERIFY2(!g.body.contains("connectionString"), qPrintable(path));
        }

        const Response noDb = post(QStringLiteral("/v1/projects"), { { "name", "Bare" }, { "createDatabase", false } });
        QCOMPARE(noDb.status, 201);
        QVERIFY(noDb.data().value("database").isNull());
        QCOMPARE(del(QStringLiteral("/v1/projects/") + noDb.data().value("id").toString()).status, 204);
        QCOMPARE(del(QStringLiteral("/v1/projects/") + p.value("id").toString()).status, 204);
    }

    void validation()
    {
        const struct
        {
            QByteArray body;
            int status;
        } cases[] = {
            { "{\"name\": 42}", 422 },
            { "{\"region\": \"mars-1\"}", 422 },
            { "{\"createDatabase\": \"yes\"}", 422 },
            { "{not json", 422 },
            { "[1,2]", 422 },
        };
        for (const auto &c : cases) {
            const Response r = call("POST", QStringLiteral("/v1/projects"), c.body);
            QCOMPARE(r.status, c.status);
            QCOMPARE(r.errorCode(), QStringLiteral("validation_error"));
        }
        const Response big
            = call("POST", QStringLiteral("/v1/projects"), "{\"name\":\"" + QByteArray(1100 * 1024, 'x') + "\"}");
        QCOMPARE(big.status, 413);
        QCOMPARE(big.errorCode(), QStringLiteral("payload_too_large"));
        for (const QString &q : { QStringLiteral("limit=0"), QStringLiteral("limit=101"), QStringLiteral("limit=abc"),
                 QStringLiteral("cursor=%21%21bogus") }) {
            const Response r = get(QStringLiteral("/v1/projects?") + q);
            QCOMPARE(r.status, 422);
            QCOMPARE(r.errorCode(), QStringLiteral("validation_error"));
        }
        QCOMPARE(get(QStringLiteral("/v1/projects/proj_doesnotexist000000")).status, 404);
        QCOMPARE(get(QStringLiteral("/v1/databases/db_doesnotexist000000")).status, 404);
        QCOMPARE(get(QStringLiteral("/v1/connections/con_doesnotexist000000")).status, 404);
        QCOMPARE(del(QStringLiteral("/v1/connections/con_doesnotexist000000")).status, 404);
    }

    void crossWorkspace()
    {
        const QJsonObject p = createProject({ { "name", "Other's" } }, kTokenB);
        const QString pid = p.value("id").toString();
        const QString dbid = str(p, "database.id");
        const QString conid = str(p, "database.connections.0.id");
        QVERIFY(!pid.isEmpty());
        for (const QString &path : { QStringLiteral("/v1/projects/") + pid, QStringLiteral("/v1/databases/") + dbid,
                 QStringLiteral("/v1/connections/") + conid,
                 QStringLiteral("/v1/projects/") + pid + QStringLiteral("/databases"),
                 QStringLiteral("/v1/databases/") + dbid + QStringLiteral("/connections") }) {
            QCOMPARE(get(path).status, 404);
        }
        QCOMPARE(del(QStringLiteral("/v1/projects/") + pid).status, 404);
        QCOMPARE(
            post(QStringLiteral("/v1/databases/") + dbid + QStringLiteral("/connections"), { { "name", "x" } }).status,
            404);
        for (const auto &v : get(QStringLiteral("/v1/projects")).list())
            QVERIFY(v.toObject().value("id").toString() != pid);
        // The OAuth token sees both workspaces and can create in a chosen one.
        QCOMPARE(get(QStringLiteral("/v1/projects/") + pid, kOauth).status, 200);
        const QString otherWs = str(p, "workspace.id");
        const Response viaOauth = post(QStringLiteral("/v1/projects"),
            { { "name", "OAuth made" }, { "workspaceId", otherWs }, { "createDatabase", false } }, kOauth);
        QCOMPARE(viaOauth.status, 201);
        QCOMPARE(str(viaOauth.data(), "workspace.id"), otherWs);
        QCOMPARE(post(QStringLiteral("/v1/projects"), { { "workspaceId", otherWs } }).status, 404);
        QCOMPARE(del(QStringLiteral("/v1/projects/") + viaOauth.data().value("id").toString(), kOauth).status, 204);
        QCOMPARE(del(QStringLiteral("/v1/projects/") + pid, kTokenB).status, 204);
    }

    void databasesAndDefaults()
    {
        const QJsonObject p = createProject({ { "name", "Multi" } });
        const QString pid = p.value("id").toString();
        const QString firstDb = str(p, "database.id");

        const Response second = post(QStringLiteral("/v1/projects/%1/databases").arg(pid), { { "name", "second" } });
        QCOMPARE(second.status, 201);
        QCOMPARE(second.data().value("isDefault").toBool(), false);
        QCOMPARE(str(second.data(), "project.id"), pid);
        QVERIFY(second.data().value("connectionString").toString().startsWith(QLatin1String("postgres://")));
        const QString secondDb = second.data().value("id").toString();

        const Response badRegion
            = post(QStringLiteral("/v1/projects/%1/databases").arg(pid), { { "region", "nowhere" } });
        QCOMPARE(badRegion.status, 400);

        const Response delDefault = del(QStringLiteral("/v1/databases/") + firstDb);
        QCOMPARE(delDefault.status, 403);
        QCOMPARE(delDefault.errorCode(), QStringLiteral("forbidden"));

        const Response delProject = del(QStringLiteral("/v1/projects/") + pid);
        QCOMPARE(delProject.status, 400);
        QVERIFY(str(delProject.json, "error.message")
                    .contains(QLatin1String("cannot be deleted due to existing dependencies")));
        QVERIFY(!str(delProject.json, "error.hint").isEmpty());

        const Response list = get(QStringLiteral("/v1/projects/%1/databases").arg(pid));
        QCOMPARE(list.status, 200);
        QCOMPARE(list.list().size(), 2);
        QVERIFY(list.json.contains("pagination"));

        // isDefault:true moves the default.
        const Response third = post(
            QStringLiteral("/v1/projects/%1/databases").arg(pid), { { "name", "third" }, { "isDefault", true } });
        QCOMPARE(third.status, 201);
        QCOMPARE(third.data().value("isDefault").toBool(), true);
        QCOMPARE(get(QStringLiteral("/v1/databases/") + firstDb).data().value("isDefault").toBool(), false);

        // PATCH renames.
        const Response renamed = call("PATCH", QStringLiteral("/v1/databases/") + secondDb, R"({"name":"renamed"})");
        QCOMPARE(renamed.status, 200);
        QCOMPARE(renamed.data().value("name").toString(), QStringLiteral("renamed"));
        const Response renamedP = call("PATCH", QStringLiteral("/v1/projects/") + pid, R"({"name":"Multi 2"})");
        QCOMPARE(renamedP.status, 200);
        QCOMPARE(renamedP.data().value("name").toString(), QStringLiteral("Multi 2"));
        QCOMPARE(call("PATCH", QStringLiteral("/v1/projects/") + pid, R"({"name":7})").status, 422);

        // Usage and backups.
        const Response usage = get(QStringLiteral("/v1/databases/%1/usage").arg(secondDb));
        QCOMPARE(usage.status, 200);
        QCOMPARE(str(usage.json, "metrics.storage.unit"), QStringLiteral("GiB"));
        QCOMPARE(str(usage.json, "metrics.operations.unit"), QStringLiteral("ops"));
        QVERIFY(usage.json.value("metrics").toObject().value("storage").toObject().value("used").toDouble() > 0);
        QVERIFY(!str(usage.json, "period.start").isEmpty() && !str(usage.json, "generatedAt").isEmpty());
        const Response backups = get(QStringLiteral("/v1/databases/%1/backups").arg(secondDb));
        QCOMPARE(backups.status, 200);
        QCOMPARE(backups.list().size(), 0);
        QVERIFY(backups.json.value("meta").toObject().contains("backupRetentionDays"));
        QCOMPARE(backups.json.value("pagination").toObject().value("hasMore").toBool(), false);

        // The top-level create routes.
        const Response top = post(QStringLiteral("/v1/databases"), { { "projectId", pid }, { "name", "top" } });
        QCOMPARE(top.status, 201);
        QVERIFY(!str(top.data(), "connections.0.endpoints.direct.connectionString").isEmpty());
        QVERIFY(!top.data().contains("apiKeys"));
        QCOMPARE(post(QStringLiteral("/v1/databases"), { { "name", "no project" } }).status, 400);
        const Response topCon = post(QStringLiteral("/v1/connections"),
            { { "databaseId", top.data().value("id").toString() }, { "name", "c" } });
        QCOMPARE(topCon.status, 201);
        QVERIFY(!topCon.data().value("connectionString").toString().isEmpty());
        QCOMPARE(del(QStringLiteral("/v1/databases/") + top.data().value("id").toString()).status, 204);

        // All databases of the token, and the projectId filter.
        const Response all = get(QStringLiteral("/v1/databases?projectId=") + pid);
        QCOMPARE(all.list().size(), 3);

        QCOMPARE(del(QStringLiteral("/v1/databases/") + secondDb).status, 204);
        QCOMPARE(del(QStringLiteral("/v1/databases/") + firstDb).status, 204);
        QCOMPARE(get(QStringLiteral("/v1/databases/") + secondDb).status, 404);
        QCOMPARE(del(QStringLiteral("/v1/projects/") + pid).status, 204);
        QCOMPARE(get(QStringLiteral("/v1/projects/") + pid).status, 404);
    }

    // Quotes, backslashes, control characters and text beyond ASCII come back as sent in every
    // shape that carries a name (cleanup() checks that each answer parses).
    void unusualNames()
    {
        const QString name = QStringLiteral("q\" b\\ / t\t n\n c\u0001\u001f \u00e9 \u2713 \u65e5\u672c ")
            + QString::fromUtf8("\xF0\x9F\x98\x80");
        const QJsonObject p = createProject({ { "name", name } });
        QCOMPARE(p.value("name").toString(), name);
        QCOMPARE(str(p, "database.project.name"), name);
        const QString pid = p.value("id").toString();
        const Response db = post(QStringLiteral("/v1/projects/%1/databases").arg(pid), { { "name", name } });
        QCOMPARE(db.status, 201);
        const QString dbId = db.data().value("id").toString();
        QCOMPARE(str(db.data(), "connections.0.database.name"), name);
        const Response con = post(QStringLiteral("/v1/databases/%1/connections").arg(dbId), { { "name", name } });
        QCOMPARE(con.status, 200);
        QCOMPARE(con.data().value("name").toString(), name);
        QCOMPARE(str(con.data(), "database.name"), name);
        const QString conId = con.data().value("id").toString();

        const Response projects = get(QStringLiteral("/v1/projects?limit=100"));
        QCOMPARE(projects.status, 200);
        bool found = false;
        for (const auto &v : projects.list())
            found = found
                || (v.toObject().value("id").toString() == pid && v.toObject().value("name").toString() == name);
        QVERIFY(found);
        const Response dbs = get(QStringLiteral("/v1/databases?projectId=") + pid);
        QCOMPARE(dbs.list().size(), 2);
        for (const auto &v : dbs.list()) {
            QCOMPARE(str(v, "project.name"), name);
            QCOMPARE(str(v, "connections.0.database.name"), str(v, "name"));
        }
        QCOMPARE(str(get(QStringLiteral("/v1/databases/") + dbId).data(), "connections.1.name"), name);
        const Response cons = get(QStringLiteral("/v1/connections?databaseId=") + dbId);
        QCOMPARE(cons.list().size(), 2);
        QCOMPARE(str(cons.list().at(1), "name"), name);
        QCOMPARE(str(cons.list().at(1), "database.name"), name);
        QCOMPARE(str(get(QStringLiteral("/v1/connections/") + conId).data(), "name"), name);
        QCOMPARE(str(call("POST", QStringLiteral("/v1/connections/%1/rotate").arg(conId)).data(), "name"), name);

        QCOMPARE(del(QStringLiteral("/v1/databases/") + dbId).status, 204);
        QCOMPARE(del(QStringLiteral("/v1/projects/") + pid).status, 204);
    }

    void provisioningThenReady()
    {
        const QJsonObject p = createProject({ { "name", "Lifecycle" } });
        QCOMPARE(str(p, "database.status"), QStringLiteral("provisioning"));
        const QString dbid = str(p, "database.id");
        QTRY_COMPARE_WITH_TIMEOUT(get(QStringLiteral("/v1/databases/") + dbid).data().value("status").toString(),
            QStringLiteral("ready"), 5000);
        QCOMPARE(del(QStringLiteral("/v1/projects/") + p.value("id").toString()).status, 204);
    }

    void realObjects()
    {
        const QJsonObject p = createProject({ { "name", "Real" } });
        const QString dbid = str(p, "database.id");
        const QString cs = str(p, "database.connections.0.endpoints.direct.connectionString");
        QString error;
        QVariant v = SandboxProcess::querySql(
            cs, QStringLiteral("CREATE TABLE t(x int); INSERT INTO t VALUES (1); SELECT 1"), &error);
        QVERIFY2(v.isValid(), qPrintable(error));
        QCOMPARE(v.toString(), QStringLiteral("1"));
        QCOMPARE(SandboxProcess::querySql(cs, QStringLiteral("SHOW ssl")).toString(), QStringLiteral("on"));
        QCOMPARE(scalar(m_sandbox, QStringLiteral("SELECT count(*) FROM pg_database WHERE datname = '%1'").arg(dbid)),
            QStringLiteral("1"));

        // A second connection; create/use/delete; its role disappears, the table survives.
        const Response c2 = post(QStringLiteral("/v1/databases/%1/connections").arg(dbid), { { "name", "app" } });
        QCOMPARE(c2.status, 200);
        const QJsonObject con = c2.data();
        QVERIFY(!con.value("connectionString").toString().isEmpty());
        QVERIFY(!con.value("host").toString().isEmpty() && !con.value("user").toString().isEmpty()
            && con.value("pass").toString().size() >= 24);
        const QString cs2 = str(con, "endpoints.direct.connectionString");
        v = SandboxProcess::querySql(
            cs2, QStringLiteral("CREATE TABLE t2(y int); INSERT INTO t2 VALUES (2); SELECT count(*) FROM t"), &error);
        QVERIFY2(v.isValid(), qPrintable(error));
        const QString role = con.value("user").toString();
        QCOMPARE(scalar(m_sandbox, QStringLiteral("SELECT count(*) FROM pg_roles WHERE rolname = '%1'").arg(role)),
            QStringLiteral("1"));

        // Connections of one database cannot reach another database.
        const QJsonObject other = createProject({ { "name", "Neighbour" } });
        QString otherCs = str(other, "database.connectionString");
        otherCs.replace(str(other, "database.id"), dbid);
        QVERIFY(!SandboxProcess::querySql(otherCs, QStringLiteral("SELECT 1")).isValid());
        QCOMPARE(del(QStringLiteral("/v1/projects/") + other.value("id").toString()).status, 204);

        // Rotate: the old password stops working, the new one works.
        const Response rot = post(QStringLiteral("/v1/connections/%1/rotate").arg(con.value("id").toString()), {});
        QCOMPARE(rot.status, 200);
        const QString rotated = str(rot.data(), "endpoints.direct.connectionString");
        QVERIFY(rotated != cs2);
        QVERIFY(!SandboxProcess::querySql(cs2, QStringLiteral("SELECT 1"), &error).isValid());
        QCOMPARE(SandboxProcess::querySql(rotated, QStringLiteral("SELECT count(*) FROM t2")).toString(),
            QStringLiteral("1"));

        QCOMPARE(del(QStringLiteral("/v1/connections/") + con.value("id").toString()).status, 204);
        QCOMPARE(scalar(m_sandbox, QStringLiteral("SELECT count(*) FROM pg_roles WHERE rolname = '%1'").arg(role)),
            QStringLiteral("0"));
        QCOMPARE(
            SandboxProcess::querySql(cs, QStringLiteral("SELECT count(*) FROM t2")).toString(), QStringLiteral("1"));
        QCOMPARE(get(QStringLiteral("/v1/connections/") + con.value("id").toString()).status, 404);

        // Deleting the project deletes its default database and all roles for real.
        const QString defaultRole = str(p, "database.connections.0.user").isEmpty()
            ? str(p, "database.directConnection.user")
            : str(p, "database.connections.0.user");
        QCOMPARE(del(QStringLiteral("/v1/projects/") + p.value("id").toString()).status, 204);
        QCOMPARE(scalar(m_sandbox, QStringLiteral("SELECT count(*) FROM pg_database WHERE datname = '%1'").arg(dbid)),
            QStringLiteral("0"));
        QCOMPARE(scalar(m_sandbox,
                     QStringLiteral("SELECT count(*) FROM pg_roles WHERE rolname IN ('%1', '%2_owner')")
                         .arg(defaultRole, dbid)),
            QStringLiteral("0"));
        QVERIFY(!SandboxProcess::querySql(cs, QStringLiteral("SELECT 1")).isValid());
    }

    // While a workspace's usage is blocked its connection roles are NOLOGIN: a new session gets
    // PostgreSQL's "role ... is not permitted to log in", open sessions are ended when it becomes
    // blocked, connections made or rotated while blocked are refused too, the sandbox's own
    // backups (its superuser's pg_dump) keep working, and unblocking lets every one in again.
    void usageBlockRefusesConnections()
    {
        const QString ws = get(QStringLiteral("/v1/workspaces"), kTokenB).list().first()["id"].toString();
        const QJsonObject p = createProject({ { "name", "Blocked" } }, kTokenB);
        const QString dbId = str(p, "database.id");
        const QString conId = str(p, "database.connections.0.id");
        const QString cs = str(p, "database.connectionString");
        QVERIFY(!cs.isEmpty());
        QCOMPARE(loginError(cs), QString());
        HeldSession held(cs);
        QVERIFY(held.works());

        const QJsonObject blocked = setBlocked(ws, true);
        QCOMPARE(blocked.value("usageBlocked").toBool(), true);
        QCOMPARE(get(QStringLiteral("/v1/workspaces/%1/subscription").arg(ws), kTokenB).data(), blocked);
        QVERIFY2(!held.works(), "an open session ends when its workspace is blocked");
        const QString refused = QStringLiteral("role \"%1\" is not permitted to log in");
        QVERIFY2(loginError(cs).contains(refused.arg(conId)), qPrintable(loginError(cs)));

        // Made or rotated while blocked: refused as well.
        const Response made
            = post(QStringLiteral("/v1/databases/%1/connections").arg(dbId), { { "name", "while blocked" } }, kTokenB);
        QCOMPARE(made.status, 200);
        const QString madeCs = made.data().value("connectionString").toString();
        QVERIFY2(loginError(madeCs).contains(refused.arg(made.data().value("id").toString())),
            qPrintable(loginError(madeCs)));
        const Response rotated = post(QStringLiteral("/v1/connections/%1/rotate").arg(conId), {}, kTokenB);
        QCOMPARE(rotated.status, 200);
        const QString rotatedCs = rotated.data().value("connectionString").toString();
        QVERIFY2(loginError(rotatedCs).contains(refused.arg(conId)), qPrintable(loginError(rotatedCs)));
        const QJsonObject later = createProject({ { "name", "Made while blocked" } }, kTokenB);
        const QString laterCs = str(later, "database.connectionString");
        QVERIFY2(loginError(laterCs).contains(refused.arg(str(later, "database.connections.0.id"))),
            qPrintable(loginError(laterCs)));

        // The sandbox's own work on the databases goes on: a backup completes.
        QTRY_COMPARE_WITH_TIMEOUT(
            get(QStringLiteral("/v1/databases/") + dbId, kTokenB).data().value("status").toString(),
            QStringLiteral("ready"), 10000);
        const Response backup = call("POST", QStringLiteral("/_sandbox/databases/%1/backups").arg(dbId), {}, QString());
        QCOMPARE(backup.status, 201);
        QTRY_COMPARE_WITH_TIMEOUT(
            get(QStringLiteral("/v1/databases/%1/backups").arg(dbId), kTokenB).list().first()["status"].toString(),
            QStringLiteral("completed"), 30000);

        QCOMPARE(setBlocked(ws, false).value("usageBlocked").toBool(), false);
        for (const QString &works : { madeCs, rotatedCs, laterCs })
            QCOMPARE(loginError(works), QString());
        QCOMPARE(del(QStringLiteral("/v1/projects/") + later.value("id").toString(), kTokenB).status, 204);
        QCOMPARE(del(QStringLiteral("/v1/projects/") + p.value("id").toString(), kTokenB).status, 204);
    }

    // A transfer leaves the real database and roles as they are: the connection string keeps
    // working, its data with it, and the roles follow the usage block of the workspace they are in.
    void transferKeepsConnections()
    {
        const QString other = get(QStringLiteral("/v1/workspaces"), kTokenB).list().first()["id"].toString();
        const QJsonObject p = createProject({ { "name", "Moving" } });
        const QString pid = p.value("id").toString();
        const QString dbId = str(p, "database.id");
        const QString cs = str(p, "database.connectionString");
        QVERIFY(SandboxProcess::querySql(cs, QStringLiteral("CREATE TABLE kept(x int); INSERT INTO kept VALUES (7)"))
                    .isValid());
        QTRY_COMPARE_WITH_TIMEOUT(get(QStringLiteral("/v1/databases/") + dbId).data().value("status").toString(),
            QStringLiteral("ready"), 10000);
        const QString transfer = QStringLiteral("/v1/projects/%1/transfer").arg(pid);

        setBlocked(other, true);
        QCOMPARE(post(transfer, { { "recipientAccessToken", kTokenB } }).status, 204);
        QVERIFY2(loginError(cs).contains(QLatin1String("is not permitted to log in")), qPrintable(loginError(cs)));
        QCOMPARE(get(QStringLiteral("/v1/projects/") + pid).status, 404);
        QCOMPARE(str(get(QStringLiteral("/v1/projects/") + pid, kTokenB).data(), "workspace.id"), other);
        setBlocked(other, false);
        QCOMPARE(SandboxProcess::querySql(cs, QStringLiteral("SELECT x FROM kept")).toString(), QStringLiteral("7"));

        // Back into Acme (not blocked) while Other is blocked: it works again at once.
        HeldSession held(cs);
        QVERIFY(held.works());
        setBlocked(other, true);
        QVERIFY(!held.works());
        QCOMPARE(post(transfer, { { "recipientAccessToken", kTokenA } }, kTokenB).status, 204);
        QCOMPARE(loginError(cs), QString());
        setBlocked(other, false);
        QCOMPARE(SandboxProcess::querySql(cs, QStringLiteral("SELECT x FROM kept")).toString(), QStringLiteral("7"));
        QCOMPARE(del(QStringLiteral("/v1/projects/") + pid).status, 204);
    }

    void paginationUnderChanges()
    {
        // Stable items plus victims deleted while the walk is under way.
        QStringList stable, victims;
        for (int i = 0; i < 7; ++i)
            stable << createProject({ { "name", QStringLiteral("Stable %1").arg(i) }, { "createDatabase", false } })
                          .value("id")
                          .toString();
        for (int i = 0; i < 4; ++i)
            victims << createProject({ { "name", QStringLiteral("Victim %1").arg(i) }, { "createDatabase", false } })
                           .value("id")
                           .toString();
        // Interleave so that victims sit among the stable ones.
        QStringList seen;
        QString cursor;
        int pages = 0;
        QStringList created;
        for (;;) {
            const Response r = get(QStringLiteral("/v1/projects?limit=2")
                + (cursor.isEmpty() ? QString() : QStringLiteral("&cursor=") + cursor));
            QCOMPARE(r.status, 200);
            QVERIFY(r.list().size() <= 2);
            for (const auto &v : r.list())
                seen << v.toObject().value("id").toString();
            ++pages;
            // Changes between pages.
            if (!victims.isEmpty())
                QCOMPARE(del(QStringLiteral("/v1/projects/") + victims.takeFirst()).status, 204);
            if (pages < 6)
                created << createProject(
                    { { "name", QStringLiteral("New %1").arg(pages) }, { "createDatabase", false } })
                               .value("id")
                               .toString();
            const QJsonObject pg = r.json.value("pagination").toObject();
            if (!pg.value("hasMore").toBool()) {
                QVERIFY(pg.value("nextCursor").isNull());
                break;
            }
            cursor = pg.value("nextCursor").toString();
            QVERIFY(!cursor.isEmpty());
            QVERIFY(pages < 100);
        }
        QVERIFY(pages >= 6);
        QCOMPARE(QSet<QString>(seen.begin(), seen.end()).size(), seen.size()); // no repeats
        for (const QString &id : std::as_const(stable))
            QVERIFY2(seen.contains(id), qPrintable(id)); // no skips
        for (const QString &id : std::as_const(stable) + created)
            QCOMPARE(del(QStringLiteral("/v1/projects/") + id).status, 204);
    }

    void faults()
    {
        const QUrl base = m_sandbox.baseUrl();
        QCOMPARE(call("PUT", QStringLiteral("/_sandbox/faults"), R"({"rate429": 1})", {}, base).status, 200);
        Response r = get(QStringLiteral("/v1/me"));
        QCOMPARE(r.status, 429);
        QCOMPARE(r.header("Retry-After"), QByteArray("1"));
        QCOMPARE(call("PUT", QStringLiteral("/_sandbox/faults"), R"({"rate429": 0, "rate5xx": 1})").status, 200);
        r = get(QStringLiteral("/v1/me"));
        QVERIFY(r.status >= 500 && r.status < 600);
        QVERIFY(!r.errorCode().isEmpty());
        QCOMPARE(call("PUT", QStringLiteral("/_sandbox/faults"), R"({"rate5xx": 0, "dropRate": 1})").status, 200);
        r = get(QStringLiteral("/v1/me"));
        QCOMPARE(r.status, 0);
        QVERIFY(r.error != QNetworkReply::NoError);
        QCOMPARE(
            call("PUT", QStringLiteral("/_sandbox/faults"), R"({"dropRate": 0, "latencyMs": 300, "slowBodyMs": 200})")
                .status,
            200);
        QElapsedTimer t;
        t.start();
        r = get(QStringLiteral("/v1/regions/postgres"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.list().size(), 6);
        QVERIFY(t.elapsed() >= 290);
        QCOMPARE(call("PUT", QStringLiteral("/_sandbox/faults"), R"({"bogus": 1})").status, 422);
        QCOMPARE(call("PUT", QStringLiteral("/_sandbox/faults"), R"({"latencyMs": 0, "slowBodyMs": 0})").status, 200);
        const Response now = get(QStringLiteral("/_sandbox/faults"));
        QCOMPARE(now.json.value("latencyMs").toInt(), 0);
        QCOMPARE(get(QStringLiteral("/v1/me")).status, 200);
    }

    void seeding()
    {
        SandboxProcess seeded;
        SandboxProcess::Options o;
        o.ephemeral = false; // restarted below; the fixture removes the data dir and cluster
        o.extraArgs = { QStringLiteral("--seed-projects"), QStringLiteral("250"),
            QStringLiteral("--seed-databases-per-project"), QStringLiteral("3"),
            QStringLiteral("--seed-connections-per-database"), QStringLiteral("2") };
        QVERIFY2(seeded.start(o), qPrintable(seeded.errorString()));
        int projects = 0, pages = 0;
        QString cursor;
        do {
            const Response r = call("GET",
                QStringLiteral("/v1/projects") + (cursor.isEmpty() ? QString() : QStringLiteral("?cursor=") + cursor),
                {}, kTokenA, seeded.baseUrl());
            QCOMPARE(r.status, 200);
            projects += r.list().size();
            ++pages;
            cursor = r.json.value("pagination").toObject().value("nextCursor").toString();
        } while (!cursor.isEmpty());
        QCOMPARE(projects, 250);
        QCOMPARE(pages, 3);
        const Response dbs = call("GET", QStringLiteral("/v1/databases?limit=100"), {}, kTokenA, seeded.baseUrl());
        QCOMPARE(dbs.list().size(), 100);
        const QJsonObject d = dbs.list().first().toObject();
        QVERIFY(d.value("name").toString().endsWith(QLatin1String("(seeded)")));
        QCOMPARE(d.value("connections").toArray().size(), 2);
        QCOMPARE(d.value("status").toString(), QStringLiteral("ready"));
        // A seeded database's default connection is its first one.
        QCOMPARE(d.value("defaultConnectionId").toString(),
            d.value("connections").toArray().first().toObject().value("id").toString());
        const Response usage = call("GET", QStringLiteral("/v1/databases/%1/usage").arg(d.value("id").toString()), {},
            kTokenA, seeded.baseUrl());
        QCOMPARE(usage.status, 200);
        QCOMPARE(usage.json.value("metrics").toObject().value("storage").toObject().value("used").toDouble(), 0.0);

        // Seeding leaves planner statistics behind, and a start on a data dir whose tables have
        // none (here: made to look never analyzed) analyzes them.
        const QString reltuples
            = QStringLiteral("SELECT reltuples::bigint FROM pg_class WHERE relname = 'connections'");
        QCOMPARE(scalar(seeded, reltuples), QStringLiteral("1500"));
        QString error;
        seeded.queryScalar(QStringLiteral("UPDATE pg_class SET reltuples = -1 WHERE relname IN "
                                          "('projects', 'databases', 'connections')"),
            &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(scalar(seeded, reltuples), QStringLiteral("-1"));
        seeded.stop();
        o.extraArgs.clear();
        QVERIFY2(seeded.start(o), qPrintable(seeded.errorString()));
        QCOMPARE(scalar(seeded, reltuples), QStringLiteral("1500"));
        QCOMPARE(
            call("GET", QStringLiteral("/v1/connections?limit=100"), {}, kTokenA, seeded.baseUrl()).list().size(), 100);
        seeded.stop();
    }

    // --help names every flag the sandbox accepts, each with a description.
    void helpDocumentsEveryFlag()
    {
        const QStringList flags { QStringLiteral("port"), QStringLiteral("data-dir"), QStringLiteral("token"),
            QStringLiteral("oauth-token"), QStringLiteral("postgres"), QStringLiteral("host"),
            QStringLiteral("ephemeral"), QStringLiteral("provisioning-ms"), QStringLiteral("backup-interval-ms"),
            QStringLiteral("backup-retention-days"), QStringLiteral("log-requests"), QStringLiteral("fault-latency-ms"),
            QStringLiteral("fault-jitter-ms"), QStringLiteral("fault-5xx-rate"), QStringLiteral("fault-429-rate"),
            QStringLiteral("fault-drop-rate"), QStringLiteral("fault-slow-body-ms"), QStringLiteral("fault-seed"),
            QStringLiteral("seed-projects"), QStringLiteral("seed-databases-per-project"),
            QStringLiteral("seed-connections-per-database"), QStringLiteral("help"), QStringLiteral("help-all"),
            QStringLiteral("version") };
        QProcess p;
        p.start(qEnvironmentVariable("PPG_SANDBOX_BIN"), { QStringLiteral("--help") });
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitCode(), 0);
        const QString help = QString::fromUtf8(p.readAllStandardOutput());
        QSet<QString> listed;
        static const QRegularExpression optionLine(
            QStringLiteral("^\\s+(?:-\\w, )?--([a-z0-9-]+)(?: <[^>]+>)?\\s+(\\S.*)$"));
        for (const QString &line : help.split(QLatin1Char('\n'))) {
            const auto m = optionLine.match(line);
            if (m.hasMatch()) {
                listed.insert(m.captured(1));
                QVERIFY2(m.captured(2).size() > 5, qPrintable(line));
            }
        }
        for (const QString &f : flags)
            QVERIFY2(listed.contains(f), qPrintable(QStringLiteral("--%1 missing from --help").arg(f)));
        for (const QString &f : std::as_const(listed))
            QVERIFY2(flags.contains(f),
                qPrintable(QStringLiteral("--%1 is new: add it to this test and sandbox/README.md").arg(f)));
        QVERIFY(help.contains(QLatin1String("/_sandbox/faults")));
        QVERIFY(help.contains(QLatin1String("listening on")));
    }

    void restartKeepsState()
    {
        SandboxProcess s;
        SandboxProcess::Options o;
        o.ephemeral = false;
        QVERIFY2(s.start(o), qPrintable(s.errorString()));
        qInfo("cold start (initdb) %lld ms", static_cast<long long>(s.startMs()));
        const Response created
            = call("POST", QStringLiteral("/v1/projects"), R"({"name":"Survivor"})", kTokenA, s.baseUrl());
        QCOMPARE(created.status, 201);
        const QString pid = created.data().value("id").toString();
        const QString cs = str(created.data(), "database.connectionString");
        s.stop();
        QVERIFY2(s.start(o), qPrintable(s.errorString()));
        qInfo("warm restart %lld ms", static_cast<long long>(s.startMs()));
        const Response again = call("GET", QStringLiteral("/v1/projects/") + pid, {}, kTokenA, s.baseUrl());
        QCOMPARE(again.status, 200);
        QCOMPARE(again.data().value("name").toString(), QStringLiteral("Survivor"));
        QString error;
        QCOMPARE(SandboxProcess::querySql(cs, QStringLiteral("SELECT 1"), &error).toString(), QStringLiteral("1"));
        s.stop();
    }

    // A usage block survives a restart on the same state, and the start puts the roles back in
    // line with it (here: a role given LOGIN behind the sandbox's back).
    void usageBlockSurvivesRestart()
    {
        SandboxProcess s;
        SandboxProcess::Options o;
        o.ephemeral = false;
        QVERIFY2(s.start(o), qPrintable(s.errorString()));
        const Response created
            = call("POST", QStringLiteral("/v1/projects"), R"({"name":"Blocked across"})", kTokenA, s.baseUrl());
        QCOMPARE(created.status, 201);
        const QString cs = str(created.data(), "database.connectionString");
        const QString role = str(created.data(), "database.directConnection.user");
        const QString ws = str(created.data(), "workspace.id");
        QCOMPARE(setBlocked(ws, true, s.baseUrl()).value("usageBlocked").toBool(), true);
        QVERIFY(loginError(cs).contains(QLatin1String("is not permitted to log in")));
        QString error;
        s.queryScalar(QStringLiteral("ALTER ROLE \"%1\" LOGIN").arg(role), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(loginError(cs), QString());

        s.stop();
        QVERIFY2(s.start(o), qPrintable(s.errorString()));
        QVERIFY2(loginError(cs).contains(QLatin1String("is not permitted to log in")), qPrintable(loginError(cs)));
        const Response sub
            = call("GET", QStringLiteral("/v1/workspaces/%1/subscription").arg(ws), {}, kTokenA, s.baseUrl());
        QCOMPARE(sub.data().value("usageBlocked").toBool(), true);
        QCOMPARE(setBlocked(ws, false, s.baseUrl()).value("usageBlocked").toBool(), false);
        QCOMPARE(loginError(cs), QString());
        s.stop();
    }
};

QTEST_GUILESS_MAIN(TstSandbox)
#include "tst_sandbox.moc"

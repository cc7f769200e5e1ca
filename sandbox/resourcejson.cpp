#include "resourcejson.h"

#include "regions.h"

#include <QUrl>

#include <array>
#include <initializer_list>
#include <iterator>
#include <utility>

namespace {
QString iso(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

// A database's "region": {"id", "name"} (an unknown id stands in for its name). One object per
// known region, made once and shared: copying a QJsonObject shares its data.
QJsonObject regionJson(const QString &id)
{
    static const auto known = [] {
        std::array<QJsonObject, std::size(kRegions)> out;
        for (size_t i = 0; i < out.size(); ++i)
            out[i] = QJsonObject { { QStringLiteral("id"), QString::fromLatin1(kRegions[i].id) },
                { QStringLiteral("name"), QString::fromLatin1(kRegions[i].name) } };
        return out;
    }();
    for (size_t i = 0; i < known.size(); ++i)
        if (id == QLatin1String(kRegions[i].id))
            return known[i];
    return QJsonObject { { QStringLiteral("id"), id }, { QStringLiteral("name"), id } };
}

// A copy of `prototype` with `members` set. Every key of `members` is already in the prototype,
// so each one replaces a value: no key is made and inserted per resource, and what every resource
// of the shape shares was set once, in the prototype (whose data the copy shares until the first
// write). Building each object from an initializer list instead took 1.7 times the instructions on
// a 100-database page (callgrind); most of a page's JSON cost is QJsonDocument::toJson either way.
QJsonObject fill(const QJsonObject &prototype, std::initializer_list<std::pair<QStringView, QJsonValue>> members)
{
    QJsonObject out = prototype;
    for (const auto &[key, value] : members) {
        Q_ASSERT(out.contains(key));
        out.insert(key, value);
    }
    return out;
}

// A JSON string, or null for a null QString.
QJsonValue nullable(const QString &s)
{
    return s.isNull() ? QJsonValue(QJsonValue::Null) : QJsonValue(s);
}

// The role a connection logs in as (a seeded connection has none: its id stands in).
QString loginUser(const ConnectionRow &c)
{
    return c.roleName.isNull() ? c.id : c.roleName;
}

} // namespace

ResourceJson::ResourceJson(const Settings &settings) : m_settings(settings)
{
    const QJsonValue null(QJsonValue::Null);
    const QJsonObject endpoint { { QStringLiteral("host"), m_settings.publicHost },
        { QStringLiteral("port"), m_settings.publicPort } };
    m_json.ref = QJsonObject { { QStringLiteral("id"), null }, { QStringLiteral("name"), null },
        { QStringLiteral("url"), null } };
    m_json.workspace = QJsonObject {
        { QStringLiteral("createdAt"), null },
        { QStringLiteral("id"), null },
        { QStringLiteral("name"), null },
        { QStringLiteral("type"), QStringLiteral("workspace") },
        { QStringLiteral("url"), null },
    };
    m_json.project = QJsonObject {
        { QStringLiteral("createdAt"), null },
        { QStringLiteral("defaultRegion"), null },
        { QStringLiteral("id"), null },
        { QStringLiteral("logicalId"), null },
        { QStringLiteral("name"), null },
        { QStringLiteral("type"), QStringLiteral("project") },
        { QStringLiteral("url"), null },
        { QStringLiteral("workspace"), null },
    };
    m_json.database = QJsonObject {
        { QStringLiteral("branchId"), null },
        { QStringLiteral("connections"), null },
        { QStringLiteral("createdAt"), null },
        { QStringLiteral("defaultConnectionId"), null },
        { QStringLiteral("id"), null },
        { QStringLiteral("isDefault"), null },
        { QStringLiteral("logicalId"), null },
        { QStringLiteral("name"), null },
        { QStringLiteral("project"), null },
        { QStringLiteral("region"), null },
        { QStringLiteral("source"), QJsonObject { { QStringLiteral("type"), QStringLiteral("empty") } } },
        { QStringLiteral("status"), null },
        { QStringLiteral("type"), QStringLiteral("database") },
        { QStringLiteral("url"), null },
    };
    // As listed: the endpoints carry no secret, so they are the same for every connection.
    m_json.connection = QJsonObject {
        { QStringLiteral("createdAt"), null },
        { QStringLiteral("database"), null },
        { QStringLiteral("endpoints"),
            QJsonObject { { QStringLiteral("direct"), endpoint }, { QStringLiteral("pooled"), endpoint } } },
        { QStringLiteral("id"), null },
        { QStringLiteral("kind"), QStringLiteral("postgres") },
        { QStringLiteral("name"), null },
        { QStringLiteral("type"), QStringLiteral("connection") },
        { QStringLiteral("url"), null },
    };
    m_json.ready = QStringLiteral("ready");
    m_json.provisioning = QStringLiteral("provisioning");
}

QString ResourceJson::url(QStringView collection, const QString &id) const
{
    QString out;
    out.reserve(m_settings.baseUrl.size() + 5 + collection.size() + id.size());
    return out.append(m_settings.baseUrl).append(QLatin1String("/v1/")).append(collection).append(u'/').append(id);
}

// A member naming another resource: {"id", "name", "url"}. Rows of a page that name the same
// parent follow one another (a project's databases, a database's connections): the last one made
// for each kind of parent is kept and shared.
QJsonObject ResourceJson::ref(Parent kind, const QString &id, const QString &name) const
{
    static constexpr QStringView collections[] = { u"workspaces", u"projects", u"databases" };
    LastRef &last = m_lastRef[static_cast<int>(kind)];
    if (last.json.isEmpty() || last.id != id || last.name != name) {
        last.json = fill(
            m_json.ref, { { u"id", id }, { u"name", name }, { u"url", url(collections[static_cast<int>(kind)], id) } });
        last.id = id;
        last.name = name;
    }
    return last.json;
}

QString ResourceJson::hostPort() const
{
    return QStringLiteral("%1:%2").arg(m_settings.publicHost).arg(m_settings.publicPort);
}

// Rows made together share their creation time (a project, its database and first connection;
// every seeded row): the last one formatted is kept.
QJsonValue ResourceJson::time(qint64 ms) const
{
    if (m_lastTime.isNull() || ms != m_lastTimeMs) {
        m_lastTime = iso(ms);
        m_lastTimeMs = ms;
    }
    return m_lastTime;
}

// "directConnection": {"host": "host:port", "pass", "user"} of an issued connection.
QJsonObject ResourceJson::directConnection(const ConnectionRow &c, const QString &password) const
{
    return QJsonObject { { QStringLiteral("host"), hostPort() }, { QStringLiteral("pass"), password },
        { QStringLiteral("user"), loginUser(c) } };
}

QJsonObject ResourceJson::workspace(const WorkspaceRow &r) const
{
    return fill(m_json.workspace,
        { { u"createdAt", time(r.createdMs) }, { u"id", r.id }, { u"name", r.name },
            { u"url", url(u"workspaces", r.id) } });
}

QJsonObject ResourceJson::project(const ProjectRow &p, const QJsonValue &database) const
{
    QJsonObject out = fill(m_json.project,
        {
            { u"createdAt", time(p.createdMs) },
            { u"defaultRegion", nullable(p.region) },
            { u"id", p.id },
            { u"logicalId", nullable(p.logicalId) },
            { u"name", p.name },
            { u"url", url(u"projects", p.id) },
            { u"workspace", ref(Parent::Workspace, p.workspaceId, p.workspaceName) },
        });
    if (!database.isUndefined())
        out.insert(QStringLiteral("database"), database);
    return out;
}

QString ResourceJson::connectionString(const ConnectionRow &c, const DatabaseRow &d, const QString &password) const
{
    const QString user = loginUser(c);
    const QString dbname = d.pgName.isNull() ? d.id : d.pgName;
    return QStringLiteral("postgres://%1:%2@%3:%4/%5?sslmode=require")
        .arg(QString::fromLatin1(QUrl::toPercentEncoding(user)), QString::fromLatin1(QUrl::toPercentEncoding(password)),
            m_settings.publicHost)
        .arg(m_settings.publicPort)
        .arg(QString::fromLatin1(QUrl::toPercentEncoding(dbname)));
}

QJsonObject ResourceJson::connection(
    const ConnectionRow &c, const DatabaseRow &d, ConnectionForm form, const QString &password) const
{
    const bool issued = form != ConnectionForm::Listed;
    const bool topLevelSecret = form == ConnectionForm::Issued || form == ConnectionForm::ApiKey;
    const bool endpointSecret = form == ConnectionForm::Issued || form == ConnectionForm::IssuedInDatabase;
    QJsonObject out = fill(m_json.connection,
        {
            { u"createdAt", time(c.createdMs) },
            { u"database", ref(Parent::Database, d.id, d.name) },
            { u"id", c.id },
            { u"name", c.name },
            { u"url", url(u"connections", c.id) },
        });
    if (!issued)
        return out;
    const QString cs = connectionString(c, d, password);
    if (endpointSecret) {
        const QJsonObject endpoint { { QStringLiteral("connectionString"), cs },
            { QStringLiteral("host"), m_settings.publicHost }, { QStringLiteral("port"), m_settings.publicPort } };
        out.insert(QStringLiteral("endpoints"),
            QJsonObject { { QStringLiteral("direct"), endpoint }, { QStringLiteral("pooled"), endpoint } });
    }
    if (form == ConnectionForm::ApiKey)
        out.remove(QStringLiteral("database"));
    out.insert(QStringLiteral("directConnection"), directConnection(c, password));
    if (topLevelSecret)
        out.insert(QStringLiteral("connectionString"), cs);
    if (form == ConnectionForm::Issued) {
        out.insert(QStringLiteral("host"), hostPort());
        out.insert(QStringLiteral("pass"), password);
        out.insert(QStringLiteral("user"), loginUser(c));
    }
    return out;
}

QJsonObject ResourceJson::database(const DatabaseRow &d, const QList<ConnectionRow> &connections,
    const IssuedConnection *issued, bool deprecatedFields) const
{
    const QString st = status(d);
    const QJsonValue statusJson = st == QLatin1String("ready") ? m_json.ready
        : st == QLatin1String("provisioning")                  ? m_json.provisioning
                                                               : QJsonValue(st);
    QJsonArray cons;
    if (issued)
        cons.append(connection(issued->row, d, ConnectionForm::IssuedInDatabase, issued->password));
    else
        for (const ConnectionRow &c : connections)
            cons.append(connection(c, d, ConnectionForm::Listed));
    QJsonObject out = fill(m_json.database,
        {
            { u"connections", cons },
            { u"createdAt", time(d.createdMs) },
            { u"defaultConnectionId",
                d.defaultConnectionId.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(d.defaultConnectionId) },
            { u"id", d.id },
            { u"isDefault", d.isDefault },
            { u"name", d.name },
            { u"project", ref(Parent::Project, d.projectId, d.projectName) },
            { u"region", regionJson(d.region) },
            { u"status", statusJson },
            { u"url", url(u"databases", d.id) },
        });
    if (d.sourceType == QLatin1String("backup"))
        out.insert(QStringLiteral("source"),
            QJsonObject { { QStringLiteral("type"), d.sourceType },
                { QStringLiteral("databaseId"), d.sourceDatabaseId },
                { QStringLiteral("backupId"), d.sourceBackupId } });
    else if (d.sourceType == QLatin1String("database"))
        out.insert(QStringLiteral("source"),
            QJsonObject {
                { QStringLiteral("type"), d.sourceType }, { QStringLiteral("databaseId"), d.sourceDatabaseId } });
    if (issued && deprecatedFields) {
        out.insert(QStringLiteral("apiKeys"),
            QJsonArray { connection(issued->row, d, ConnectionForm::ApiKey, issued->password) });
        out.insert(QStringLiteral("connectionString"), connectionString(issued->row, d, issued->password));
        out.insert(QStringLiteral("directConnection"), directConnection(issued->row, issued->password));
    }
    return out;
}

QJsonObject ResourceJson::me(const Credential &cred, const std::optional<WorkspaceRow> &workspace)
{
    QJsonValue user(QJsonValue::Null);
    if (cred.kind == QLatin1String("oauth"))
        user = QJsonObject { { QStringLiteral("id"), QStringLiteral("usr_") + cred.id.mid(4) },
            { QStringLiteral("email"), QStringLiteral("sandbox@example.com") },
            { QStringLiteral("name"), QStringLiteral("Sandbox User") } };
    return QJsonObject {
        { QStringLiteral("user"), user },
        { QStringLiteral("workspace"),
            workspace ? QJsonValue(
                QJsonObject { { QStringLiteral("id"), workspace->id }, { QStringLiteral("name"), workspace->name } })
                      : QJsonValue(QJsonValue::Null) },
        { QStringLiteral("credential"),
            QJsonObject { { QStringLiteral("type"), cred.kind }, { QStringLiteral("id"), cred.id },
                { QStringLiteral("name"), cred.name } } },
    };
}

QJsonObject ResourceJson::serviceToken(const ServiceTokenRow &t, const QString &value) const
{
    QJsonObject out {
        { QStringLiteral("id"), t.id },
        { QStringLiteral("type"), QStringLiteral("serviceToken") },
        { QStringLiteral("name"), t.name },
        { QStringLiteral("valueHint"), t.valueHint },
        { QStringLiteral("createdAt"), time(t.createdMs) },
        { QStringLiteral("expiresAt"), QJsonValue(QJsonValue::Null) },
    };
    if (!value.isNull())
        out.insert(QStringLiteral("value"), value);
    return out;
}

QJsonObject ResourceJson::subscription(const SubscriptionRow &s)
{
    return QJsonObject {
        { QStringLiteral("planName"), s.planName },
        { QStringLiteral("usageBlocked"), s.usageBlocked },
        { QStringLiteral("upgradeUrl"),
            QStringLiteral("https://console.prisma.io/%1/settings/billing")
                .arg(QString::fromLatin1(QUrl::toPercentEncoding(s.workspaceId))) },
    };
}

QJsonArray ResourceJson::regions()
{
    QJsonArray data;
    for (const auto &r : kRegions)
        data.append(QJsonObject { { QStringLiteral("id"), QString::fromLatin1(r.id) },
            { QStringLiteral("type"), QStringLiteral("region") },
            { QStringLiteral("name"), QString::fromLatin1(r.name) },
            { QStringLiteral("status"), QStringLiteral("available") } });
    return data;
}

QJsonObject ResourceJson::usage(
    const QDateTime &start, const QDateTime &end, const QDateTime &generatedAt, const DatabaseUsage &usage)
{
    return QJsonObject {
        { QStringLiteral("period"),
            QJsonObject { { QStringLiteral("start"), start.toString(Qt::ISODateWithMs) },
                { QStringLiteral("end"), end.toString(Qt::ISODateWithMs) } } },
        { QStringLiteral("metrics"),
            QJsonObject { { QStringLiteral("operations"),
                              QJsonObject { { QStringLiteral("used"), static_cast<double>(usage.operations) },
                                  { QStringLiteral("unit"), QStringLiteral("ops") } } },
                { QStringLiteral("storage"),
                    QJsonObject {
                        { QStringLiteral("used"), static_cast<double>(usage.bytes) / (1024.0 * 1024.0 * 1024.0) },
                        { QStringLiteral("unit"), QStringLiteral("GiB") } } } } },
        { QStringLiteral("generatedAt"), generatedAt.toString(Qt::ISODateWithMs) },
    };
}

QString ResourceJson::status(const DatabaseRow &d) const
{
    return d.statusAt(QDateTime::currentMSecsSinceEpoch(), m_settings.provisioningMs);
}

QJsonObject ResourceJson::backup(const BackupRow &b) const
{
    QJsonObject out { { QStringLiteral("id"), b.id }, { QStringLiteral("type"), QStringLiteral("backup") },
        { QStringLiteral("backupType"), b.backupType }, { QStringLiteral("createdAt"), iso(b.createdMs) },
        { QStringLiteral("status"), b.status } };
    if (b.status == QLatin1String("completed"))
        out.insert(QStringLiteral("size"), static_cast<double>(b.sizeBytes));
    return out;
}

QJsonObject ResourceJson::backups(QList<BackupRow> rows, int limit, int retentionDays) const
{
    const bool hasMore = rows.size() > limit;
    if (hasMore)
        rows.resize(limit);
    QJsonArray data;
    for (const BackupRow &b : std::as_const(rows))
        data.append(backup(b));
    return QJsonObject {
        { QStringLiteral("data"), data },
        { QStringLiteral("meta"), QJsonObject { { QStringLiteral("backupRetentionDays"), retentionDays } } },
        { QStringLiteral("pagination"),
            QJsonObject { { QStringLiteral("hasMore"), hasMore }, { QStringLiteral("limit"), limit } } },
    };
}

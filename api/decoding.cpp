#include "decoding.h"

#include <nlohmann/json.hpp>

#include <QUrl>

#include <algorithm>
#include <array>
#include <optional>
#include <utility>

using json = nlohmann::json;

namespace {

struct DecodeFailure
{
    QString what;
};

// A JSON value together with its path in the document, for error messages that name the field.
// The path is kept as steps (keys, which are string literals in every decoder here, and array
// positions) copied from the parent, and spelled out only when decoding fails: building it as text
// for every field was a fifth of the time a page of databases took to decode.
class Node
{
public:
    explicit Node(const json &value) : m_value(value) { }

    bool isNull() const { return m_value.is_null(); }

    [[noreturn]] void fail(const QString &why) const { throw DecodeFailure { path() + QStringLiteral(": ") + why }; }

    Node field(const char *key) const
    {
        if (auto n = optionalField(key))
            return *n;
        throw DecodeFailure { path() + (m_depth > 0 ? QStringLiteral(".") : QString()) + QLatin1String(key)
            + QStringLiteral(": missing") };
    }

    // Absent or null: nullopt.
    std::optional<Node> optionalField(const char *key) const
    {
        if (!m_value.is_object())
            fail(QStringLiteral("expected an object"));
        const auto it = m_value.find(key);
        if (it == m_value.end() || it->is_null())
            return std::nullopt;
        return Node(*it, *this, key, -1);
    }

    QString string() const
    {
        if (!m_value.is_string())
            fail(QStringLiteral("expected a string"));
        const auto &s = m_value.get_ref<const std::string &>();
        return QString::fromUtf8(s.data(), qsizetype(s.size()));
    }

    bool boolean() const
    {
        if (!m_value.is_boolean())
            fail(QStringLiteral("expected true or false"));
        return m_value.get<bool>();
    }

    double number() const
    {
        if (!m_value.is_number())
            fail(QStringLiteral("expected a number"));
        return m_value.get<double>();
    }

    int port() const
    {
        if (!m_value.is_number_integer())
            fail(QStringLiteral("expected an integer"));
        const auto v = m_value.get<long long>();
        if (v < 0 || v > 65535)
            fail(QStringLiteral("port out of range"));
        return int(v);
    }

    QDateTime time() const
    {
        const QString s = string();
        QDateTime t = QDateTime::fromString(s, Qt::ISODateWithMs);
        if (!t.isValid())
            fail(QStringLiteral("not an ISO 8601 time"));
        return t.toUTC();
    }

    template <class F> auto each(F &&f) const
    {
        if (!m_value.is_array())
            fail(QStringLiteral("expected an array"));
        std::vector<decltype(f(std::declval<Node>()))> out;
        out.reserve(m_value.size());
        for (size_t i = 0; i < m_value.size(); ++i)
            out.push_back(f(Node(m_value[i], *this, nullptr, qsizetype(i))));
        return out;
    }

    // The resource's `type` constant ("project", ...): required, and must be the expected one.
    void expectType(const char *constant) const
    {
        const Node t = field("type");
        if (t.string() != QLatin1String(constant))
            t.fail(QStringLiteral("expected \"%1\"").arg(QLatin1String(constant)));
    }

    // Optional string: absent or null gives an empty string; any other type is an error.
    QString stringOr(const char *key) const
    {
        auto n = optionalField(key);
        return n ? n->string() : QString();
    }

private:
    struct Step
    {
        const char *key; // null for an array position
        qsizetype index;
    };
    static constexpr int kMaxDepth = 12; // deeper steps are shown as "..."

    Node(const json &value, const Node &parent, const char *key, qsizetype index)
        : m_value(value), m_steps(parent.m_steps), m_depth(parent.m_depth + 1)
    {
        if (parent.m_depth < kMaxDepth)
            m_steps[size_t(parent.m_depth)] = Step { key, index };
    }

    // "data[3].endpoints.direct.host"; empty for the document itself.
    QString path() const
    {
        QString out;
        for (int i = 0; i < std::min(m_depth, kMaxDepth); ++i) {
            const Step &step = m_steps[size_t(i)];
            if (!step.key)
                out += QStringLiteral("[%1]").arg(step.index);
            else
                out += (i > 0 ? QStringLiteral(".") : QString()) + QLatin1String(step.key);
        }
        if (m_depth > kMaxDepth)
            out += QStringLiteral("...");
        return out;
    }

    const json &m_value;
    std::array<Step, kMaxDepth> m_steps {};
    int m_depth = 0;
};

// An embedded parent ({id, url?, name?}); the id is what the console needs (its url is not kept).
ResourceRef ref(const Node &n)
{
    ResourceRef r;
    r.id = n.field("id").string();
    r.name = n.stringOr("name");
    return r;
}

Workspace workspaceOf(const Node &n)
{
    Workspace w;
    n.expectType("workspace");
    w.id = n.field("id").string();
    w.url = n.field("url").string();
    w.name = n.field("name").string();
    w.createdAt = n.field("createdAt").time();
    return w;
}

std::optional<Endpoint> endpointOf(const Node &endpoints, const char *key)
{
    auto n = endpoints.optionalField(key);
    if (!n)
        return std::nullopt;
    Endpoint e;
    e.host = n->field("host").string();
    e.port = n->field("port").port();
    e.connectionString = n->stringOr("connectionString");
    return e;
}

// Puts a connection string that only a deprecated field carried into the direct endpoint,
// taking host and port from the string itself when the endpoint is missing.
void adoptLegacyConnectionString(Connection &c, const QString &legacy)
{
    if (legacy.isEmpty() || c.carriesConnectionString())
        return;
    if (!c.direct) {
        const QUrl u(legacy);
        c.direct = Endpoint { u.host(), u.port(0), {} };
    }
    c.direct->connectionString = legacy;
}

Connection connectionOf(const Node &n)
{
    Connection c;
    n.expectType("connection");
    c.id = n.field("id").string();
    c.name = n.field("name").string();
    c.createdAt = n.field("createdAt").time();
    c.kind = n.field("kind").string(); // "postgres" | "accelerate"; an unknown kind is kept as sent
    const Node endpoints = n.field("endpoints");
    c.direct = endpointOf(endpoints, "direct");
    c.pooled = endpointOf(endpoints, "pooled");
    c.accelerate = endpointOf(endpoints, "accelerate");
    // Deprecated fallback (create/rotate replies): a top-level connectionString, read only when
    // no endpoint carries one.
    adoptLegacyConnectionString(c, n.stringOr("connectionString"));
    c.database = ref(n.field("database"));
    return c;
}

DataSource sourceOf(const Node &n)
{
    DataSource s;
    s.typeText = n.field("type").string();
    if (s.typeText == QLatin1String("empty")) {
        s.type = DataSource::Type::Empty;
    } else if (s.typeText == QLatin1String("backup")) {
        s.type = DataSource::Type::Backup;
        s.databaseId = n.field("databaseId").string();
        s.backupId = n.field("backupId").string();
    } else if (s.typeText == QLatin1String("database")) {
        s.type = DataSource::Type::Database;
        s.databaseId = n.field("databaseId").string();
    } else {
        s.type = DataSource::Type::Unknown;
        s.databaseId = n.stringOr("databaseId");
        s.backupId = n.stringOr("backupId");
    }
    return s;
}

Database databaseOf(const Node &n)
{
    Database d;
    n.expectType("database");
    d.id = n.field("id").string();
    d.name = n.field("name").string();
    d.statusText = n.field("status").string();
    d.status = Database::statusFromString(d.statusText);
    d.createdAt = n.field("createdAt").time();
    d.isDefault = n.field("isDefault").boolean();
    d.defaultConnectionId = n.stringOr("defaultConnectionId");
    d.connections = n.field("connections").each(connectionOf);
    d.project = ref(n.field("project"));
    if (auto region = n.optionalField("region"))
        d.region = ref(*region);
    if (auto source = n.optionalField("source"))
        d.source = sourceOf(*source);
    // Deprecated fallbacks, read only for a connection whose endpoints carry no string:
    // apiKeys[] (by connection id), then the database's own connectionString (its default
    // connection, or its only one).
    if (auto apiKeys = n.optionalField("apiKeys")) {
        const auto keys = apiKeys->each(
            [](const Node &k) { return std::make_pair(k.field("id").string(), k.stringOr("connectionString")); });
        for (auto &c : d.connections) {
            for (const auto &[id, cs] : keys) {
                if (id == c.id)
                    adoptLegacyConnectionString(c, cs);
            }
        }
    }
    if (const QString legacy = n.stringOr("connectionString"); !legacy.isEmpty()) {
        for (auto &c : d.connections) {
            if (c.id == d.defaultConnectionId || d.connections.size() == 1)
                adoptLegacyConnectionString(c, legacy);
        }
    }
    return d;
}

Project projectOf(const Node &n)
{
    Project p;
    n.expectType("project");
    p.id = n.field("id").string();
    p.name = n.field("name").string();
    p.logicalId = n.stringOr("logicalId");
    p.createdAt = n.field("createdAt").time();
    p.defaultRegion = n.stringOr("defaultRegion");
    p.workspace = ref(n.field("workspace"));
    if (auto db = n.optionalField("database"))
        p.database = databaseOf(*db);
    if (auto recovered = n.optionalField("x-ppg-recovered")) // set by ApiCall, never by the service
        p.recovered = recovered->boolean();
    return p;
}

Region regionOf(const Node &n)
{
    Region r;
    n.expectType("region");
    r.id = n.field("id").string();
    r.name = n.field("name").string();
    r.statusText = n.field("status").string();
    r.available = r.statusText == QLatin1String("available");
    return r;
}

Backup backupOf(const Node &n)
{
    Backup b;
    if (auto t = n.optionalField("type"); t && t->string() != QLatin1String("backup"))
        t->fail(QStringLiteral("expected \"backup\""));
    b.id = n.field("id").string();
    b.typeText = n.field("backupType").string();
    if (b.typeText == QLatin1String("full"))
        b.type = Backup::Type::Full;
    else if (b.typeText == QLatin1String("incremental"))
        b.type = Backup::Type::Incremental;
    else if (b.typeText == QLatin1String("differential"))
        b.type = Backup::Type::Differential;
    b.statusText = n.field("status").string();
    if (b.statusText == QLatin1String("running"))
        b.status = Backup::Status::Running;
    else if (b.statusText == QLatin1String("completed"))
        b.status = Backup::Status::Completed;
    else if (b.statusText == QLatin1String("failed"))
        b.status = Backup::Status::Failed;
    b.createdAt = n.field("createdAt").time();
    if (auto size = n.optionalField("size")) {
        const double v = size->number();
        if (!(v >= 0))
            size->fail(QStringLiteral("negative size"));
        b.size = v;
    }
    return b;
}

BackupList backupListOf(const Node &root)
{
    BackupList list;
    list.items = root.field("data").each(backupOf);
    const Node days = root.field("meta").field("backupRetentionDays");
    const double d = days.number();
    if (!(d >= 0 && d <= 1e6))
        days.fail(QStringLiteral("out of range"));
    list.retentionDays = int(d);
    const Node pagination = root.field("pagination");
    list.hasMore = pagination.field("hasMore").boolean();
    if (auto limit = pagination.optionalField("limit")) {
        const double l = limit->number();
        if (!(l >= 0 && l <= 1e9))
            limit->fail(QStringLiteral("out of range"));
        list.limit = int(l);
    }
    return list;
}

Subscription subscriptionOf(const Node &n)
{
    Subscription sub;
    sub.planName = n.field("planName").string();
    sub.usageBlocked = n.field("usageBlocked").boolean();
    const Node url = n.field("upgradeUrl");
    sub.upgradeUrl = QUrl(url.string(), QUrl::StrictMode);
    if (!sub.upgradeUrl.isValid() || sub.upgradeUrl.isRelative())
        url.fail(QStringLiteral("expected an absolute URL"));
    return sub;
}

ServiceToken serviceTokenOf(const Node &n)
{
    ServiceToken t;
    n.expectType("serviceToken");
    t.id = n.field("id").string();
    t.name = n.field("name").string();
    t.valueHint = n.field("valueHint").string();
    t.createdAt = n.field("createdAt").time();
    if (auto expires = n.optionalField("expiresAt"))
        t.expiresAt = expires->time();
    return t;
}

Me meOf(const Node &n)
{
    Me me;
    if (auto user = n.optionalField("user"))
        me.user = Me::User { user->field("id").string(), user->stringOr("email"), user->stringOr("name") };
    if (auto ws = n.optionalField("workspace"))
        me.workspace = ref(*ws);
    const Node cred = n.field("credential");
    me.credential.type = cred.field("type").string();
    me.credential.id = cred.stringOr("id");
    me.credential.name = cred.stringOr("name");
    return me;
}

Usage usageOf(const Node &n)
{
    Usage u;
    const Node period = n.field("period");
    u.periodStart = period.field("start").time();
    u.periodEnd = period.field("end").time();
    const Node metrics = n.field("metrics");
    const Node operations = metrics.field("operations");
    u.operations = operations.field("used").number();
    if (auto unit = operations.optionalField("unit"); unit && unit->string() != QLatin1String("ops"))
        unit->fail(QStringLiteral("expected \"ops\""));
    const Node storage = metrics.field("storage");
    u.storageGiB = storage.field("used").number();
    if (auto unit = storage.optionalField("unit")) {
        // "GiB" today; convert the other binary units rather than misreport them.
        const QString s = unit->string();
        static const std::pair<const char *, double> scale[] = { { "GiB", 1.0 }, { "MiB", 1.0 / 1024 },
            { "KiB", 1.0 / (1024 * 1024) }, { "B", 1.0 / (1024.0 * 1024 * 1024) }, { "TiB", 1024.0 } };
        bool known = false;
        for (const auto &[name, factor] : scale) {
            if (s == QLatin1String(name)) {
                u.storageGiB *= factor;
                known = true;
            }
        }
        if (!known)
            unit->fail(QStringLiteral("unknown unit \"%1\"").arg(s));
    }
    if (auto g = n.optionalField("generatedAt"))
        u.generatedAt = g->time();
    return u;
}

// Parses the body and runs `f` on the document root; every failure becomes a Protocol error.
template <class T, class F> Decoded<T> decodeBody(const QByteArray &body, F &&f)
{
    json doc = json::parse(body.constBegin(), body.constEnd(), nullptr, /*allow_exceptions*/ false);
    if (doc.is_discarded())
        return ApiError::protocol(QStringLiteral("the reply is not valid JSON"));
    try {
        return f(Node(doc));
    } catch (const DecodeFailure &failure) {
        return ApiError::protocol(failure.what);
    } catch (const std::exception &e) {
        return ApiError::protocol(QString::fromUtf8(e.what()));
    }
}

template <class T, class F> Decoded<T> one(const QByteArray &body, F &&itemOf)
{
    return decodeBody<T>(body, [&](const Node &root) { return itemOf(root.field("data")); });
}

template <class T, class F> Decoded<Page<T>> page(const QByteArray &body, F &&itemOf)
{
    return decodeBody<Page<T>>(body, [&](const Node &root) {
        Page<T> p;
        p.items = root.field("data").each(itemOf);
        for (T &item : p.items)
            stripConnectionStrings(item); // lists never carry a secret
        const Node pagination = root.field("pagination");
        p.nextCursor = pagination.stringOr("nextCursor");
        p.hasMore = pagination.field("hasMore").boolean();
        if (p.hasMore && p.nextCursor.isEmpty())
            pagination.fail(QStringLiteral("hasMore without nextCursor"));
        return p;
    });
}

} // namespace

Database::Status Database::statusFromString(const QString &s)
{
    if (s == QLatin1String("ready"))
        return Status::Ready;
    if (s == QLatin1String("provisioning"))
        return Status::Provisioning;
    if (s == QLatin1String("failure"))
        return Status::Failure;
    if (s == QLatin1String("recovering"))
        return Status::Recovering;
    return Status::Unknown;
}

namespace Decode {

Decoded<Me> me(const QByteArray &body)
{
    return one<Me>(body, meOf);
}
Decoded<Page<Workspace>> workspacePage(const QByteArray &body)
{
    return page<Workspace>(body, workspaceOf);
}
Decoded<Workspace> workspace(const QByteArray &body)
{
    return one<Workspace>(body, workspaceOf);
}
Decoded<Page<Project>> projectPage(const QByteArray &body)
{
    return page<Project>(body, projectOf);
}
Decoded<Project> project(const QByteArray &body)
{
    return one<Project>(body, projectOf);
}
Decoded<Page<Database>> databasePage(const QByteArray &body)
{
    return page<Database>(body, databaseOf);
}
Decoded<Database> database(const QByteArray &body)
{
    return one<Database>(body, databaseOf);
}
Decoded<Page<Connection>> connectionPage(const QByteArray &body)
{
    return page<Connection>(body, connectionOf);
}
Decoded<Connection> connection(const QByteArray &body)
{
    return one<Connection>(body, connectionOf);
}

Decoded<BackupList> backups(const QByteArray &body)
{
    return decodeBody<BackupList>(body, backupListOf);
}

Decoded<std::vector<Region>> regions(const QByteArray &body)
{
    return decodeBody<std::vector<Region>>(body, [](const Node &root) { return root.field("data").each(regionOf); });
}

Decoded<Subscription> subscription(const QByteArray &body)
{
    return one<Subscription>(body, subscriptionOf);
}

Decoded<Page<ServiceToken>> serviceTokenPage(const QByteArray &body)
{
    return page<ServiceToken>(body, serviceTokenOf);
}

Decoded<ServiceToken> issuedServiceToken(const QByteArray &body)
{
    return one<ServiceToken>(body, [](const Node &n) {
        ServiceToken t = serviceTokenOf(n);
        const QString value = n.field("value").string();
        if (value.isEmpty())
            n.field("value").fail(QStringLiteral("empty"));
        t.value = value.toUtf8();
        return t;
    });
}

Decoded<Usage> usage(const QByteArray &body)
{
    // The usage reply has no "data" envelope in the SDK's types: {period, metrics, generatedAt}.
    return decodeBody<Usage>(body, [](const Node &root) {
        if (auto data = root.optionalField("data"))
            return usageOf(*data); // tolerate an enveloped variant
        return usageOf(root);
    });
}

void errorBody(const QByteArray &body, ApiError &error)
{
    json doc = json::parse(body.constBegin(), body.constEnd(), nullptr, false);
    if (doc.is_discarded() || !doc.is_object())
        return;
    const auto it = doc.find("error");
    if (it == doc.end() || !it->is_object())
        return;
    auto str = [&](const char *key) -> QString {
        const auto f = it->find(key);
        return (f != it->end() && f->is_string()) ? QString::fromStdString(f->get<std::string>()) : QString();
    };
    if (QString code = str("code"); !code.isEmpty())
        error.code = code;
    if (QString message = str("message"); !message.isEmpty())
        error.message = message;
    error.hint = str("hint");
}

} // namespace Decode

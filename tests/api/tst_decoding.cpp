// Decoding of every response type from fixtures shaped like @prisma/management-api-sdk@1.80.0's
// types (tests/api/fixtures): required, nullable and deprecated fields, unknown fields and enum
// values, and malformed bodies, which must end as a Protocol error naming the field.
#include "apicall.h"
#include "apilog.h"
#include "decoding.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

namespace {

QByteArray fixture(const char *name)
{
    QFile f(QStringLiteral(PPG_API_FIXTURES "/") + QLatin1String(name));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", name);
    return f.readAll();
}

template <class T> T ok(Decoded<T> r)
{
    if (!r.ok())
        qWarning().noquote() << "decoding failed:" << r.error().message;
    return r.ok() ? r.takeValue() : T {};
}

// A one-item list page around the `data` of a single-resource fixture.
QByteArray pageOf(const char *name)
{
    const QJsonObject item = QJsonDocument::fromJson(fixture(name)).object().value(QStringLiteral("data")).toObject();
    const QJsonObject page { { QStringLiteral("data"), QJsonArray { item } },
        { QStringLiteral("pagination"), QJsonObject { { QStringLiteral("hasMore"), false } } } };
    return QJsonDocument(page).toJson(QJsonDocument::Compact);
}

} // namespace

class TestDecoding : public QObject
{
    Q_OBJECT
private slots:
    void me();
    void workspaces();
    void regions();
    void projects();
    void projectCreated();
    void projectCreatedLegacyFallbacks();
    void databases();
    void databaseCreated();
    void connections();
    void connectionCreatedAndRotated();
    void listsCarryNoSecret();
    void usage();
    void backups();
    void databaseSources();
    void errorBodies();
    void malformed_data();
    void malformed();
    void neverCrashesOnAnyPrefix();
    void retryAfter();
    void redaction();
};

void TestDecoding::me()
{
    auto st = Decode::me(fixture("me_service_token.json"));
    QVERIFY(st.ok());
    QVERIFY(!st.value().user);
    QCOMPARE(st.value().workspace->id, QStringLiteral("wksp_cm1a2b3c4d"));
    QCOMPARE(st.value().credential.type, QStringLiteral("service_token"));
    QCOMPARE(st.value().credential.name, QStringLiteral("ci token"));

    auto oauth = Decode::me(fixture("me_oauth.json"));
    QVERIFY(oauth.ok());
    QCOMPARE(oauth.value().user->email, QStringLiteral("ada@example.com"));
    QVERIFY(oauth.value().user->name.isEmpty()); // null
    QVERIFY(!oauth.value().workspace);
    QVERIFY(oauth.value().credential.id.isEmpty());

    auto unknown = Decode::me(fixture("me_unknown_credential.json"));
    QVERIFY(unknown.ok());
    QCOMPARE(unknown.value().credential.type, QStringLiteral("robot_token")); // kept as sent
}

void TestDecoding::workspaces()
{
    const auto page = ok(Decode::workspacePage(fixture("workspaces_page.json")));
    QCOMPARE(page.items.size(), size_t(2));
    QVERIFY(page.hasMore);
    QCOMPARE(page.nextCursor, QStringLiteral("Y3Vyc29yOjI="));
    QCOMPARE(page.items[0].name, QStringLiteral("Acme"));
    QCOMPARE(page.items[0].createdAt, QDateTime(QDate(2025, 3, 4), QTime(10, 11, 12, 345), Qt::UTC));
    QCOMPARE(page.items[1].createdAt.timeSpec(), Qt::UTC);

    const auto w = ok(Decode::workspace(fixture("workspace.json")));
    QCOMPARE(w.id, QStringLiteral("wksp_cm1a2b3c4d"));
    QVERIFY(w.url.startsWith(QLatin1String("https://")));
}

void TestDecoding::regions()
{
    const auto r = ok(Decode::regions(fixture("regions.json")));
    QCOMPARE(r.size(), size_t(4));
    QVERIFY(r[0].available);
    QVERIFY(!r[2].available);
    QCOMPARE(r[3].statusText, QStringLiteral("maintenance")); // unknown status: not available, kept
    QVERIFY(!r[3].available);
    QCOMPARE(r[3].name, QStringLiteral("South America (São Paulo)"));
}

void TestDecoding::projects()
{
    const auto page = ok(Decode::projectPage(fixture("projects_page.json")));
    QCOMPARE(page.items.size(), size_t(3));
    QVERIFY(!page.hasMore);
    QVERIFY(page.nextCursor.isEmpty());
    QCOMPARE(page.items[0].logicalId, QStringLiteral("3f1c6f0e-8c55-4f5e-9b35-3a9a2f6c1d11"));
    QCOMPARE(page.items[0].defaultRegion, QStringLiteral("eu-central-1"));
    QCOMPARE(page.items[0].workspace.id, QStringLiteral("wksp_cm1a2b3c4d"));
    QVERIFY(page.items[1].logicalId.isEmpty()); // null
    QVERIFY(page.items[1].defaultRegion.isEmpty()); // null
    QVERIFY(page.items[2].logicalId.isEmpty()); // absent; unknown "settings" ignored
    QVERIFY(!page.items[0].database);
    QVERIFY(!page.items[0].recovered);

    const auto p = ok(Decode::project(fixture("project.json")));
    QCOMPARE(p.id, QStringLiteral("proj_cm9x8y7z"));
}

void TestDecoding::projectCreated()
{
    const auto p = ok(Decode::project(fixture("project_created.json")));
    QVERIFY(p.database);
    const Database &d = *p.database;
    QCOMPARE(d.status, Database::Status::Provisioning);
    QVERIFY(d.isDefault);
    QCOMPARE(d.defaultConnectionId, QStringLiteral("con_default1"));
    QCOMPARE(d.connections.size(), size_t(1));
    const Connection &c = d.connections.front();
    QVERIFY(c.carriesConnectionString());
    QCOMPARE(c.direct->port, 5432);
    QCOMPARE(c.pooled->port, 6543);
    QVERIFY(c.pooled->connectionString.contains(QLatin1String("pooled.db.prisma.io:6543")));
    QCOMPARE(d.region->id, QStringLiteral("eu-central-1"));
    QCOMPARE(d.project.id, p.id);

    const auto nodb = ok(Decode::project(fixture("project_created_nodb.json")));
    QVERIFY(!nodb.database); // createDatabase: false -> database null
}

void TestDecoding::projectCreatedLegacyFallbacks()
{
    // Endpoints carry no string; only the deprecated apiKeys[] / connectionString do.
    const auto p = ok(Decode::project(fixture("project_created_legacy.json")));
    QVERIFY(p.database);
    const Connection &c = p.database->connections.front();
    QVERIFY(c.carriesConnectionString());
    QVERIFY(c.direct->connectionString.startsWith(QLatin1String("postgres://con_default1:")));
    QVERIFY(c.pooled->connectionString.isEmpty()); // the fallback fills one place only
    QCOMPARE(c.direct->host, QStringLiteral("db.prisma.io")); // endpoints still win for host/port
}

void TestDecoding::databases()
{
    const auto page = ok(Decode::databasePage(fixture("databases_page.json")));
    QCOMPARE(page.items.size(), size_t(5));
    QCOMPARE(page.items[0].status, Database::Status::Ready);
    QCOMPARE(page.items[1].status, Database::Status::Provisioning);
    QCOMPARE(page.items[2].status, Database::Status::Failure);
    QCOMPARE(page.items[3].status, Database::Status::Recovering);
    QCOMPARE(page.items[4].status, Database::Status::Unknown); // "paused": unknown, kept as text
    QCOMPARE(page.items[4].statusText, QStringLiteral("paused"));
    QVERIFY(!page.items[1].region); // null region
    QVERIFY(page.items[1].defaultConnectionId.isEmpty());
    QVERIFY(!page.items[0].connections.front().carriesConnectionString()); // lists carry no secret
    QVERIFY(page.hasMore);

    const auto d = ok(Decode::database(fixture("database.json")));
    QCOMPARE(d.id, QStringLiteral("db_main"));
}

void TestDecoding::databaseCreated()
{
    const auto d = ok(Decode::database(fixture("database_created.json")));
    QVERIFY(!d.isDefault);
    QCOMPARE(d.connections.size(), size_t(1));
    QVERIFY(d.connections.front().carriesConnectionString());
    QVERIFY(d.connections.front().direct->connectionString.contains(QLatin1String("/db_an")));
}

void TestDecoding::connections()
{
    const auto page = ok(Decode::connectionPage(fixture("connections_page.json")));
    QCOMPARE(page.items.size(), size_t(2));
    QCOMPARE(page.items[0].kind, QStringLiteral("postgres"));
    QCOMPARE(page.items[0].database.id, QStringLiteral("db_main"));
    QCOMPARE(page.items[1].kind, QStringLiteral("accelerate"));
    QVERIFY(!page.items[1].direct);
    QCOMPARE(page.items[1].accelerate->port, 443);

    const auto c = ok(Decode::connection(fixture("connection.json")));
    QVERIFY(!c.carriesConnectionString());
}

void TestDecoding::connectionCreatedAndRotated()
{
    const auto created = ok(Decode::connection(fixture("connection_created.json")));
    QVERIFY(created.direct->connectionString.startsWith(QLatin1String("postgres://con_app2:")));

    // Rotated, with the string only in the deprecated top-level field: used as a fallback.
    const auto rotated = ok(Decode::connection(fixture("connection_rotated_legacy.json")));
    QVERIFY(rotated.carriesConnectionString());
    QCOMPARE(rotated.direct->host, QStringLiteral("db.prisma.io"));
    QVERIFY(rotated.direct->connectionString.startsWith(QLatin1String("postgres://con_app2:")));
}

void TestDecoding::listsCarryNoSecret()
{
    // The replies of a create, as single resources, carry their connection strings (also through
    // the deprecated fields); the same resources in a list carry none (stripConnectionStrings()).
    QVERIFY(ok(Decode::database(fixture("database_created.json"))).connections.front().carriesConnectionString());
    const auto databases = ok(Decode::databasePage(pageOf("database_created.json")));
    QCOMPARE(databases.items.size(), size_t(1));
    QCOMPARE(databases.items[0].connections.size(), size_t(1));
    QVERIFY(databases.items[0].connections.front().direct); // host and port stay
    QVERIFY(!databases.items[0].connections.front().carriesConnectionString());

    const auto projects = ok(Decode::projectPage(pageOf("project_created_legacy.json")));
    QCOMPARE(projects.items.size(), size_t(1));
    QVERIFY(projects.items[0].database);
    QVERIFY(!projects.items[0].database->connections.front().carriesConnectionString());

    const auto connections = ok(Decode::connectionPage(pageOf("connection_rotated_legacy.json")));
    QCOMPARE(connections.items.size(), size_t(1));
    QVERIFY(!connections.items[0].carriesConnectionString());
}

void TestDecoding::usage()
{
    const auto u = ok(Decode::usage(fixture("usage.json")));
    QCOMPARE(u.operations, 123456.0);
    QCOMPARE(u.storageGiB, 0.75);
    QCOMPARE(u.periodStart, QDateTime(QDate(2025, 4, 1), QTime(0, 0), Qt::UTC));
    QVERIFY(u.generatedAt.isValid());
}

void TestDecoding::backups()
{
    const auto b = ok(Decode::backups(fixture("backups.json")));
    QCOMPARE(b.items.size(), size_t(3));
    QCOMPARE(b.retentionDays, 7);
    QVERIFY(!b.hasMore);
    QCOMPARE(b.limit, 0); // null
    QCOMPARE(b.items[0].type, Backup::Type::Full);
    QCOMPARE(b.items[0].status, Backup::Status::Completed);
    QCOMPARE(*b.items[0].size, 1048576.0);
    QVERIFY(!b.items[1].size);
    QCOMPARE(b.items[1].status, Backup::Status::Running);
    QCOMPARE(b.items[2].type, Backup::Type::Unknown);
    QCOMPARE(b.items[2].typeText, QStringLiteral("snapshot"));
    QCOMPARE(b.items[2].status, Backup::Status::Unknown);
}

void TestDecoding::databaseSources()
{
    // POST /v1/databases/{id}/restore answers the database, recovering, its source the backup.
    const auto restoring = ok(Decode::database(fixture("database_restoring.json")));
    QCOMPARE(restoring.status, Database::Status::Recovering);
    QVERIFY(restoring.source);
    QCOMPARE(restoring.source->type, DataSource::Type::Backup);
    QCOMPARE(restoring.source->databaseId, QStringLiteral("db_main"));
    QCOMPARE(restoring.source->backupId, QStringLiteral("bkp_20250401"));

    const auto cloned = ok(Decode::database(fixture("database_cloned.json")));
    QCOMPARE(cloned.status, Database::Status::Provisioning);
    QCOMPARE(cloned.source->type, DataSource::Type::Database);
    QCOMPARE(cloned.source->databaseId, QStringLiteral("db_main"));
    QVERIFY(cloned.source->backupId.isEmpty());

    const auto empty = ok(Decode::database(fixture("database.json")));
    QCOMPARE(empty.source->type, DataSource::Type::Empty);

    const auto unknown = ok(Decode::database(fixture("database_source_unknown.json")));
    QCOMPARE(unknown.source->type, DataSource::Type::Unknown);
    QCOMPARE(unknown.source->typeText, QStringLiteral("branch"));
}

void TestDecoding::errorBodies()
{
    ApiError e = ApiError::fromHttpStatus(400, {}, {}, {});
    Decode::errorBody(fixture("error_with_hint.json"), e);
    QCOMPARE(e.kind, ApiError::Kind::Validation);
    QCOMPARE(e.code, QStringLiteral("validation_error"));
    QVERIFY(e.message.contains(QLatin1String("existing dependencies")));
    QCOMPARE(e.hint, QStringLiteral("Delete its other databases first."));
    QVERIFY(e.userMessage().contains(e.hint));

    ApiError nf = ApiError::fromHttpStatus(404, {}, {}, {});
    Decode::errorBody(fixture("error_no_hint.json"), nf);
    QCOMPARE(nf.kind, ApiError::Kind::NotFound);
    QVERIFY(nf.hint.isEmpty());

    // Not an envelope (a proxy's page): the status decides, the message stays ours.
    ApiError bad = ApiError::fromHttpStatus(502, {}, {}, {});
    Decode::errorBody(fixture("bad_not_json.json"), bad);
    QCOMPARE(bad.kind, ApiError::Kind::Server);
    QCOMPARE(bad.message, QStringLiteral("HTTP 502"));
    QVERIFY(bad.isTransient());
}

void TestDecoding::malformed_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("decoder");
    QTest::addColumn<QString>("names");
    QTest::newRow("truncated") << "bad_truncated.json"
                               << "project"
                               << "not valid JSON";
    QTest::newRow("html") << "bad_not_json.json"
                          << "projectPage"
                          << "not valid JSON";
    QTest::newRow("missing id") << "bad_missing_id.json"
                                << "projectPage"
                                << "data[1].id: missing";
    QTest::newRow("createdAt number") << "bad_created_at_number.json"
                                      << "project"
                                      << "data.createdAt: expected a string";
    QTest::newRow("port string") << "bad_port_string.json"
                                 << "connection"
                                 << "data.endpoints.direct.port: expected an integer";
    QTest::newRow("hasMore no cursor") << "bad_has_more_without_cursor.json"
                                       << "workspacePage"
                                       << "pagination: hasMore without nextCursor";
    QTest::newRow("data not array") << "bad_data_not_array.json"
                                    << "databasePage"
                                    << "data: expected an array";
    QTest::newRow("wrong type constant") << "bad_wrong_type_constant.json"
                                         << "project"
                                         << "data.type: expected \"project\"";
    QTest::newRow("missing pagination") << "bad_missing_pagination.json"
                                        << "workspacePage"
                                        << "pagination: missing";
    QTest::newRow("isDefault string") << "bad_is_default_string.json"
                                      << "database"
                                      << "data.isDefault: expected true or false";
    QTest::newRow("usage unit") << "bad_usage_unit.json"
                                << "usage"
                                << "metrics.storage.unit: unknown unit";
    QTest::newRow("project as connection") << "project.json"
                                           << "connection"
                                           << "data.type: expected \"connection\"";
    QTest::newRow("page as one") << "projects_page.json"
                                 << "project"
                                 << "data: expected an object";
    QTest::newRow("backup source without backupId") << "bad_source_backup_without_id.json"
                                                    << "database"
                                                    << "data.source.backupId: missing";
    QTest::newRow("usage as backups") << "usage.json"
                                      << "backups"
                                      << "data: missing";
}

void TestDecoding::malformed()
{
    QFETCH(QString, file);
    QFETCH(QString, decoder);
    QFETCH(QString, names);
    const QByteArray body = fixture(qPrintable(file));
    ApiError e;
    auto take = [&e](const auto &r) {
        QVERIFY(!r.ok());
        e = r.error();
    };
    if (decoder == QLatin1String("project"))
        take(Decode::project(body));
    else if (decoder == QLatin1String("projectPage"))
        take(Decode::projectPage(body));
    else if (decoder == QLatin1String("connection"))
        take(Decode::connection(body));
    else if (decoder == QLatin1String("workspacePage"))
        take(Decode::workspacePage(body));
    else if (decoder == QLatin1String("databasePage"))
        take(Decode::databasePage(body));
    else if (decoder == QLatin1String("database"))
        take(Decode::database(body));
    else if (decoder == QLatin1String("usage"))
        take(Decode::usage(body));
    else if (decoder == QLatin1String("backups"))
        take(Decode::backups(body));
    else
        QFAIL("unknown decoder");
    QCOMPARE(e.kind, ApiError::Kind::Protocol);
    QVERIFY2(e.message.contains(names), qPrintable(e.message));
}

void TestDecoding::neverCrashesOnAnyPrefix()
{
    // Every prefix of every fixture, through every decoder: a value or a Protocol error.
    const QStringList files = QDir(QStringLiteral(PPG_API_FIXTURES)).entryList({ QStringLiteral("*.json") });
    QVERIFY(files.size() > 20);
    int errors = 0;
    for (const QString &f : files) {
        const QByteArray body = fixture(qPrintable(f));
        for (qsizetype n = 0; n <= body.size(); n += 7) {
            const QByteArray b = body.left(n);
            auto check = [&errors](const auto &r) {
                if (!r.ok()) {
                    ++errors;
                    if (r.error().kind != ApiError::Kind::Protocol || r.error().message.isEmpty())
                        qFatal("a decoding error that is not a named protocol error");
                }
            };
            check(Decode::me(b));
            check(Decode::workspacePage(b));
            check(Decode::workspace(b));
            check(Decode::regions(b));
            check(Decode::projectPage(b));
            check(Decode::project(b));
            check(Decode::databasePage(b));
            check(Decode::database(b));
            check(Decode::connectionPage(b));
            check(Decode::connection(b));
            check(Decode::usage(b));
            check(Decode::backups(b));
            ApiError e;
            Decode::errorBody(b, e);
        }
    }
    QVERIFY(errors > 0);
}

void TestDecoding::retryAfter()
{
    using std::chrono::milliseconds;
    const QDateTime now(QDate(2025, 10, 21), QTime(7, 28, 0), Qt::UTC);
    QCOMPARE(ApiCall::retryAfterDelay("5", now), milliseconds(5000));
    QCOMPARE(ApiCall::retryAfterDelay(" 0 ", now), milliseconds(0));
    QCOMPARE(ApiCall::retryAfterDelay("", now), milliseconds(-1));
    QCOMPARE(ApiCall::retryAfterDelay("-3", now), milliseconds(-1));
    QCOMPARE(ApiCall::retryAfterDelay("soon", now), milliseconds(-1));
    QCOMPARE(ApiCall::retryAfterDelay("Tue, 21 Oct 2025 07:28:30 GMT", now), milliseconds(30000));
    QCOMPARE(ApiCall::retryAfterDelay("Tuesday, 21-Oct-25 07:28:10 GMT", now), milliseconds(10000));
    QCOMPARE(ApiCall::retryAfterDelay("Tue Oct 21 07:28:02 2025", now), milliseconds(2000));
    QCOMPARE(ApiCall::retryAfterDelay("Mon, 20 Oct 2025 07:28:00 GMT", now), milliseconds(0)); // past
    QVERIFY(ApiCall::retryAfterDelay("99999999999999999", now) > milliseconds(0)); // clamped, no overflow
}

void TestDecoding::redaction()
{
    const QString in = QStringLiteral(
        "postgres://con_1:s3cr3t@db.prisma.io:5432/x?sslmode=require "
        "Authorization: Bearer eyJhbGciOi.abc.def; password=hunter2 api_key=AK123 "
        "{\"pass\":\"p@ss\",\"connectionString\":\"prisma+postgres://accelerate.prisma-data.net/?api_key=XYZ\"}");
    const QString out = redactSecrets(in);
    for (const char *secret : { "s3cr3t", "eyJhbGciOi", "hunter2", "AK123", "p@ss", "XYZ" })
        QVERIFY2(!out.contains(QLatin1String(secret)), secret);
    QVERIFY(out.contains(QLatin1String("db.prisma.io:5432")));
    QVERIFY(out.contains(QLatin1String("con_1")));
}

QTEST_GUILESS_MAIN(TestDecoding)
#include "tst_decoding.moc"

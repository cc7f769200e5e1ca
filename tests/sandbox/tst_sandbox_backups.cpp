// tst_sandbox_backups: backups and restores of ppg-sandbox with real data, over raw HTTP, the data
// read and written with libpq through the connection strings the API hands out
// (SandboxProcess::querySql). A table and a row are made, a backup is taken, the table is dropped;
// then the backup is restored into a new database, in place (the database's existing connection
// strings still connect), the database is cloned, and each holds the row. Also: the list's shape
// (newest first, limit, retention), the error statuses, the schedule (a database that changed gets
// a backup, one that did not gets none) and retention (expired backups go with their archives).

#include "support/sandboxprocess.h"

#include <QDir>
#include <QEventLoop>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QtTest>

namespace {
const QString kToken = QStringLiteral("ppg-test-token-a");

struct Response
{
    int status = 0;
    QByteArray body;
    QJsonObject json;
    QJsonObject data() const { return json.value(QStringLiteral("data")).toObject(); }
    QJsonArray list() const { return json.value(QStringLiteral("data")).toArray(); }
    QString errorCode() const
    {
        return json.value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString();
    }
};

QString cs(const QJsonObject &database) // a created database's first connection string
{
    return database.value("connections")
        .toArray()
        .at(0)
        .toObject()
        .value("endpoints")
        .toObject()
        .value("direct")
        .toObject()
        .value("connectionString")
        .toString();
}
} // namespace

class TstSandboxBackups : public QObject
{
    Q_OBJECT

private:
    SandboxProcess m_sandbox;
    QNetworkAccessManager m_nam;

    Response call(const SandboxProcess &sandbox, const QByteArray &method, const QString &path,
        const QJsonObject &body = {}, bool withBody = false)
    {
        QNetworkRequest req(QUrl(sandbox.baseUrl().toString() + path));
        req.setRawHeader("Authorization", "Bearer " + kToken.toUtf8());
        if (withBody)
            req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        req.setTransferTimeout(60000);
        QNetworkReply *reply = m_nam.sendCustomRequest(
            req, method, withBody ? QJsonDocument(body).toJson(QJsonDocument::Compact) : QByteArray());
        QEventLoop loop;
        connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        loop.exec();
        Response r;
        r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        r.body = reply->readAll();
        r.json = QJsonDocument::fromJson(r.body).object();
        reply->deleteLater();
        return r;
    }
    Response get(const QString &path) { return call(m_sandbox, "GET", path); }
    Response post(const QString &path, const QJsonObject &body) { return call(m_sandbox, "POST", path, body, true); }

    QString status(const QString &databaseId)
    {
        return get(QStringLiteral("/v1/databases/") + databaseId).data().value("status").toString();
    }
    // Takes a backup through the control route and waits until the list shows it completed.
    QJsonObject backupNow(const SandboxProcess &sandbox, const QString &databaseId)
    {
        const Response r = call(sandbox, "POST", QStringLiteral("/_sandbox/databases/%1/backups").arg(databaseId));
        if (r.status != 201) {
            qWarning("backup: %d %s", r.status, r.body.constData());
            return {};
        }
        const QString id = r.data().value("id").toString();
        QJsonObject listed;
        QElapsedTimer clock;
        clock.start();
        while (clock.elapsed() < 30000) {
            for (const QJsonValue &b :
                call(sandbox, "GET", QStringLiteral("/v1/databases/%1/backups").arg(databaseId)).list())
                if (b.toObject().value("id").toString() == id)
                    listed = b.toObject();
            if (listed.value("status").toString() != QLatin1String("running"))
                return listed;
            QTest::qWait(50);
        }
        return listed;
    }
    QString archive(const SandboxProcess &sandbox, const QString &databaseId, const QString &backupId) const
    {
        return QStringLiteral("%1/backups/%2/%3.dump").arg(sandbox.dataDir(), databaseId, backupId);
    }

private slots:
    void initTestCase()
    {
        SandboxProcess::Options o;
        o.tokens = { kToken + QStringLiteral("=Acme") };
        o.extraArgs = { QStringLiteral("--provisioning-ms"), QStringLiteral("1500"),
            QStringLiteral("--backup-retention-days"), QStringLiteral("30") };
        QVERIFY2(m_sandbox.start(o), qPrintable(m_sandbox.errorString()));
    }

    void cleanupTestCase() { m_sandbox.stop(); }

    // The "done when": a row survives a dropped table through each way back.
    void restoreNewInPlaceAndClone()
    {
        const Response project = post(QStringLiteral("/v1/projects"), { { "name", "Backed" } });
        QCOMPARE(project.status, 201);
        const QString pid = project.data().value("id").toString();
        const QJsonObject db = project.data().value("database").toObject();
        const QString dbid = db.value("id").toString();
        const QString original = cs(db);
        QString error;
        QVERIFY2(
            SandboxProcess::querySql(original,
                QStringLiteral("CREATE TABLE notes(body text); INSERT INTO notes VALUES ('kept'); SELECT 1"), &error)
                .isValid(),
            qPrintable(error));
        // A second connection, made before the backup, must keep working after a restore in place.
        const Response con = post(QStringLiteral("/v1/databases/%1/connections").arg(dbid), { { "name", "app" } });
        QCOMPARE(con.status, 200);
        const QString second
            = con.data().value("endpoints").toObject().value("direct").toObject().value("connectionString").toString();
        QTRY_COMPARE_WITH_TIMEOUT(status(dbid), QStringLiteral("ready"), 5000);

        const QJsonObject backup = backupNow(m_sandbox, dbid);
        QCOMPARE(backup.value("status").toString(), QStringLiteral("completed"));
        QCOMPARE(backup.value("type").toString(), QStringLiteral("backup"));
        QCOMPARE(backup.value("backupType").toString(), QStringLiteral("full"));
        const QString bid = backup.value("id").toString();
        const QFileInfo file(archive(m_sandbox, dbid, bid));
        QVERIFY2(file.exists(), qPrintable(file.filePath()));
        QCOMPARE(backup.value("size").toInteger(), file.size());
        QVERIFY(file.size() > 0);
        // A real custom-format archive: pg_restore lists the table in it.
        QByteArray listing;
        {
            QProcess p;
            const QString bin = QFileInfo(qEnvironmentVariable("PPG_PG_BINDIR")).filePath();
            QStringList candidates { bin + QStringLiteral("/pg_restore") };
            for (const char *v : { "17", "16", "15" })
                candidates << QStringLiteral("/usr/lib/postgresql/%1/bin/pg_restore").arg(QLatin1String(v));
            for (const QString &exe : candidates) {
                if (!QFileInfo(exe).isExecutable())
                    continue;
                p.start(exe, { QStringLiteral("--list"), file.filePath() });
                QVERIFY(p.waitForFinished(30000));
                listing = p.readAllStandardOutput();
                break;
            }
        }
        QVERIFY2(listing.contains("TABLE public notes"), listing.constData());

        QVERIFY(SandboxProcess::querySql(original, QStringLiteral("DROP TABLE notes; SELECT 1")).isValid());
        QVERIFY(!SandboxProcess::querySql(original, QStringLiteral("SELECT body FROM notes")).isValid());

        // 1. Into a new database.
        const QJsonObject fromBackup { { "type", "backup" }, { "databaseId", dbid }, { "backupId", bid } };
        const Response restored = post(QStringLiteral("/v1/projects/%1/databases").arg(pid),
            { { "name", "Backed (restored)" }, { "source", fromBackup } });
        QCOMPARE(restored.status, 201);
        QCOMPARE(restored.data().value("status").toString(), QStringLiteral("provisioning"));
        QCOMPARE(restored.data().value("source").toObject(), fromBackup);
        const QString newId = restored.data().value("id").toString();
        QTRY_COMPARE_WITH_TIMEOUT(status(newId), QStringLiteral("ready"), 30000);
        QCOMPARE(
            SandboxProcess::querySql(cs(restored.data()), QStringLiteral("SELECT body FROM notes"), &error).toString(),
            QStringLiteral("kept"));
        QCOMPARE(get(QStringLiteral("/v1/databases/") + newId).data().value("source").toObject(), fromBackup);

        // 2. In place: recovering, 409 meanwhile, then ready with the row back; the old
        // connection strings connect.
        const Response inPlace
            = post(QStringLiteral("/v1/databases/%1/restore").arg(dbid), { { "source", fromBackup } });
        QCOMPARE(inPlace.status, 200);
        QCOMPARE(inPlace.data().value("status").toString(), QStringLiteral("recovering"));
        QCOMPARE(inPlace.data().value("source").toObject(), fromBackup);
        QCOMPARE(inPlace.data().value("connections").toArray().size(), 2);
        const Response again = post(QStringLiteral("/v1/databases/%1/restore").arg(dbid), { { "source", fromBackup } });
        QCOMPARE(again.status, 409);
        QTRY_COMPARE_WITH_TIMEOUT(status(dbid), QStringLiteral("ready"), 30000);
        QCOMPARE(SandboxProcess::querySql(original, QStringLiteral("SELECT body FROM notes"), &error).toString(),
            QStringLiteral("kept"));
        QCOMPARE(SandboxProcess::querySql(second, QStringLiteral("SELECT count(*) FROM notes"), &error).toString(),
            QStringLiteral("1"));
        // Connections still act as the database's owner: a table one makes, another may change.
        QCOMPARE(SandboxProcess::querySql(second,
                     QStringLiteral("CREATE TABLE later(x int); SELECT tableowner FROM pg_tables WHERE tablename = "
                                    "'later'"),
                     &error)
                     .toString(),
            dbid + QStringLiteral("_owner"));
        QVERIFY2(SandboxProcess::querySql(
                     original, QStringLiteral("ALTER TABLE later ADD COLUMN y int; DROP TABLE later; SELECT 1"), &error)
                     .isValid(),
            qPrintable(error));

        // 3. A clone of the database as it is now, through the top-level create.
        QVERIFY(SandboxProcess::querySql(original, QStringLiteral("INSERT INTO notes VALUES ('after'); SELECT 1"))
                    .isValid());
        const QJsonObject fromDatabase { { "type", "database" }, { "databaseId", dbid } };
        const Response clone = post(QStringLiteral("/v1/databases"),
            { { "projectId", pid }, { "name", "Backed (clone)" }, { "source", fromDatabase } });
        QCOMPARE(clone.status, 201);
        QCOMPARE(clone.data().value("status").toString(), QStringLiteral("provisioning"));
        const QString cloneId = clone.data().value("id").toString();
        QTRY_COMPARE_WITH_TIMEOUT(status(cloneId), QStringLiteral("ready"), 30000);
        const QString cloneCs = cs(clone.data());
        QCOMPARE(SandboxProcess::querySql(
                     cloneCs, QStringLiteral("SELECT string_agg(body, ',' ORDER BY body) FROM notes"), &error)
                     .toString(),
            QStringLiteral("after,kept"));
        QVERIFY(SandboxProcess::querySql(cloneCs, QStringLiteral("DELETE FROM notes; SELECT 1")).isValid());
        QCOMPARE(SandboxProcess::querySql(original, QStringLiteral("SELECT count(*) FROM notes")).toString(),
            QStringLiteral("2"));

        // 4. The deprecated fromDatabase, with a backup id.
        const Response legacy = post(QStringLiteral("/v1/projects/%1/databases").arg(pid),
            { { "fromDatabase", QJsonObject { { "id", dbid }, { "backupId", bid } } } });
        QCOMPARE(legacy.status, 201);
        const QString legacyId = legacy.data().value("id").toString();
        QTRY_COMPARE_WITH_TIMEOUT(status(legacyId), QStringLiteral("ready"), 30000);
        QCOMPARE(SandboxProcess::querySql(cs(legacy.data()), QStringLiteral("SELECT body FROM notes")).toString(),
            QStringLiteral("kept"));
    }

    void listShapeAndLimit()
    {
        const Response project = post(QStringLiteral("/v1/projects"), { { "name", "Listed" } });
        const QString dbid = project.data().value("database").toObject().value("id").toString();
        QTRY_COMPARE_WITH_TIMEOUT(status(dbid), QStringLiteral("ready"), 5000);
        const Response empty = get(QStringLiteral("/v1/databases/%1/backups").arg(dbid));
        QCOMPARE(empty.status, 200);
        QCOMPARE(empty.list().size(), 0);
        QCOMPARE(empty.json.value("meta").toObject().value("backupRetentionDays").toInt(), 30);
        QStringList ids;
        for (int i = 0; i < 3; ++i)
            ids.prepend(backupNow(m_sandbox, dbid).value("id").toString());
        const Response all = get(QStringLiteral("/v1/databases/%1/backups").arg(dbid));
        QStringList listed;
        for (const QJsonValue &b : all.list())
            listed << b.toObject().value("id").toString();
        QCOMPARE(listed, ids); // newest first
        QCOMPARE(all.json.value("pagination").toObject(), (QJsonObject { { "hasMore", false }, { "limit", 25 } }));
        const Response two = get(QStringLiteral("/v1/databases/%1/backups?limit=2").arg(dbid));
        QCOMPARE(two.list().size(), 2);
        QCOMPARE(two.json.value("pagination").toObject(), (QJsonObject { { "hasMore", true }, { "limit", 2 } }));
        QCOMPARE(two.list().at(0).toObject().value("id").toString(), ids.first());
        QCOMPARE(get(QStringLiteral("/v1/databases/%1/backups?limit=0").arg(dbid)).status, 422);
        // The control route answers the backup as the list shows it.
        const Response taken = call(m_sandbox, "POST", QStringLiteral("/_sandbox/databases/%1/backups").arg(dbid));
        QCOMPARE(taken.status, 201);
        const QJsonObject first
            = get(QStringLiteral("/v1/databases/%1/backups?limit=1").arg(dbid)).list().at(0).toObject();
        QCOMPARE(first.value("id"), taken.data().value("id"));
        QCOMPARE(first.value("createdAt"), taken.data().value("createdAt"));
        QVERIFY(first.value("status").toString() == QLatin1String("running")
                ? first == taken.data()
                : first.value("status").toString() == QLatin1String("completed"));
        // Deleting the database deletes its backups' archives.
        const QString pid = project.data().value("id").toString();
        QTRY_VERIFY_WITH_TIMEOUT(
            get(QStringLiteral("/v1/databases/%1/backups?limit=1").arg(dbid)).list().at(0).toObject().value("status")
                == QJsonValue(QStringLiteral("completed")),
            30000);
        QVERIFY(QDir(m_sandbox.dataDir() + QStringLiteral("/backups/") + dbid).exists());
        QCOMPARE(call(m_sandbox, "DELETE", QStringLiteral("/v1/projects/") + pid).status, 204);
        QTRY_VERIFY_WITH_TIMEOUT(!QDir(m_sandbox.dataDir() + QStringLiteral("/backups/") + dbid).exists(), 10000);
    }

    void errors()
    {
        const Response a = post(QStringLiteral("/v1/projects"), { { "name", "A" } });
        const Response b = post(QStringLiteral("/v1/projects"), { { "name", "B" } });
        const QString aPid = a.data().value("id").toString();
        const QString aDb = a.data().value("database").toObject().value("id").toString();
        const QString bDb = b.data().value("database").toObject().value("id").toString();
        // Provisioning: no backup, no restore.
        QCOMPARE(call(m_sandbox, "POST", QStringLiteral("/_sandbox/databases/%1/backups").arg(aDb)).status, 409);
        QTRY_COMPARE_WITH_TIMEOUT(status(aDb), QStringLiteral("ready"), 5000);
        QTRY_COMPARE_WITH_TIMEOUT(status(bDb), QStringLiteral("ready"), 5000);
        const QString aBackup = backupNow(m_sandbox, aDb).value("id").toString();
        const QString bBackup = backupNow(m_sandbox, bDb).value("id").toString();
        const auto source = [](const QString &db, const QString &backup) {
            return QJsonObject { { "source",
                QJsonObject { { "type", "backup" }, { "databaseId", db }, { "backupId", backup } } } };
        };
        const auto restore = [&](const QString &target, const QJsonObject &body) {
            return post(QStringLiteral("/v1/databases/%1/restore").arg(target), body);
        };
        QCOMPARE(restore(QStringLiteral("db_nope"), source(aDb, aBackup)).status, 404);
        QCOMPARE(restore(aDb, source(QStringLiteral("db_nope"), aBackup)).status, 404);
        QCOMPARE(restore(aDb, source(aDb, QStringLiteral("bkp_nope"))).status, 404);
        QCOMPARE(restore(aDb, source(aDb, bBackup)).status, 404); // b's backup is not a's
        const Response otherProject = restore(aDb, source(bDb, bBackup));
        QCOMPARE(otherProject.status, 422);
        QCOMPARE(otherProject.errorCode(), QStringLiteral("validation_error"));
        QCOMPARE(
            restore(aDb, { { "source", QJsonObject { { "type", "database" }, { "databaseId", aDb } } } }).status, 422);
        QCOMPARE(restore(aDb, {}).status, 422);
        QCOMPARE(call(m_sandbox, "GET", QStringLiteral("/v1/databases/%1/restore").arg(aDb)).status, 405);
        // A second database of the same project may take a's backup.
        const Response sibling = post(QStringLiteral("/v1/projects/%1/databases").arg(aPid), { { "name", "sib" } });
        const QString sib = sibling.data().value("id").toString();
        QCOMPARE(restore(sib, source(aDb, aBackup)).status, 409); // still provisioning
        QTRY_COMPARE_WITH_TIMEOUT(status(sib), QStringLiteral("ready"), 5000);
        QCOMPARE(restore(sib, source(aDb, aBackup)).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(status(sib), QStringLiteral("ready"), 30000);

        // The creates: 400 for a malformed source, 404 for what cannot be found.
        const QString create = QStringLiteral("/v1/projects/%1/databases").arg(aPid);
        QCOMPARE(post(create, { { "source", QJsonObject { { "type", "snapshot" } } } }).status, 400);
        QCOMPARE(
            post(create, { { "source", QJsonObject { { "type", "backup" }, { "databaseId", aDb } } } }).status, 400);
        QCOMPARE(post(create, { { "source", "backup" } }).status, 400);
        QCOMPARE(post(create, { { "fromDatabase", QJsonObject {} } }).status, 400);
        QCOMPARE(
            post(create, { { "source", QJsonObject { { "type", "database" }, { "databaseId", "db_nope" } } } }).status,
            404);
        QCOMPARE(post(create, source(aDb, QStringLiteral("bkp_nope"))).status, 404);
        QCOMPARE(post(create, { { "source", QJsonObject { { "type", "empty" } } } }).status, 201);
        QCOMPARE(call(m_sandbox, "POST", QStringLiteral("/_sandbox/databases/db_nope/backups")).status, 404);
        QCOMPARE(call(m_sandbox, "GET", QStringLiteral("/_sandbox/databases/%1/backups").arg(aDb)).status, 405);
    }

    // A database deleted while a restore fills it goes, with the scratch database and its roles.
    void deleteWhileRestoring()
    {
        const Response project = post(QStringLiteral("/v1/projects"), { { "name", "Doomed" } });
        const QString pid = project.data().value("id").toString();
        const Response extra = post(QStringLiteral("/v1/projects/%1/databases").arg(pid), { { "name", "x" } });
        const QString dbid = extra.data().value("id").toString();
        QTRY_COMPARE_WITH_TIMEOUT(status(dbid), QStringLiteral("ready"), 5000);
        QVERIFY(SandboxProcess::querySql(cs(extra.data()),
            QStringLiteral("CREATE TABLE big AS SELECT g FROM generate_series(1, 1000000) g; SELECT 1"))
                    .isValid());
        const QString bid = backupNow(m_sandbox, dbid).value("id").toString();
        const QJsonObject source { { "type", "backup" }, { "databaseId", dbid }, { "backupId", bid } };
        QCOMPARE(post(QStringLiteral("/v1/databases/%1/restore").arg(dbid), { { "source", source } }).status, 200);
        // Once the scratch database exists, pg_restore is filling it (a million rows take a while).
        QTRY_COMPARE_WITH_TIMEOUT(m_sandbox
                                      .queryScalar(QStringLiteral("SELECT count(*) FROM pg_database WHERE datname = "
                                                                  "'%1_restore'")
                                                       .arg(dbid))
                                      .toString(),
            QStringLiteral("1"), 10000);
        QCOMPARE(status(dbid), QStringLiteral("recovering"));
        const Response deleted = call(m_sandbox, "DELETE", QStringLiteral("/v1/databases/") + dbid);
        QVERIFY2(deleted.status == 204, deleted.body.constData());
        QTRY_COMPARE_WITH_TIMEOUT(
            m_sandbox.queryScalar(QStringLiteral("SELECT count(*) FROM pg_database WHERE datname LIKE '%1%'").arg(dbid))
                .toString(),
            QStringLiteral("0"), 10000);
        QCOMPARE(
            m_sandbox.queryScalar(QStringLiteral("SELECT count(*) FROM pg_roles WHERE rolname LIKE '%1%'").arg(dbid))
                .toString(),
            QStringLiteral("0"));
    }

    // A sandbox whose schedule runs every second: the first backup comes by itself; no new one
    // while nothing changes; one after a change; expired backups go with their archives.
    void scheduleAndRetention()
    {
        SandboxProcess s;
        SandboxProcess::Options o;
        o.tokens = { kToken + QStringLiteral("=Acme") };
        o.extraArgs = { QStringLiteral("--provisioning-ms"), QStringLiteral("200"),
            QStringLiteral("--backup-interval-ms"), QStringLiteral("1000") };
        QVERIFY2(s.start(o), qPrintable(s.errorString()));
        const Response project = call(s, "POST", QStringLiteral("/v1/projects"), { { "name", "Daily" } }, true);
        const QString dbid = project.data().value("database").toObject().value("id").toString();
        const QString conn = cs(project.data().value("database").toObject());
        const auto backups = [&] { return call(s, "GET", QStringLiteral("/v1/databases/%1/backups").arg(dbid)); };
        QTRY_VERIFY_WITH_TIMEOUT(backups().list().size() == 1
                && backups().list().at(0).toObject().value("status").toString() == QLatin1String("completed"),
            15000);
        QCOMPARE(backups().json.value("meta").toObject().value("backupRetentionDays").toInt(), 7);
        QTest::qWait(3500); // three intervals, no change
        QCOMPARE(backups().list().size(), 1);
        QVERIFY(
            SandboxProcess::querySql(conn, QStringLiteral("CREATE TABLE t(x int); INSERT INTO t VALUES (1); SELECT 1"))
                .isValid());
        QTRY_VERIFY_WITH_TIMEOUT(backups().list().size() == 2, 15000);
        const QString oldest = backups().list().at(1).toObject().value("id").toString();
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(archive(s, dbid, oldest)), 15000);
        QString error;
        QVERIFY2(
            s.queryScalar(QStringLiteral("UPDATE backups SET created_ms = created_ms - 8 * 86400000 WHERE id = '%1' "
                                         "RETURNING id")
                              .arg(oldest),
                 &error)
                .isValid(),
            qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(!QFileInfo::exists(archive(s, dbid, oldest)), 15000);
        for (const QJsonValue &b : backups().list())
            QVERIFY(b.toObject().value("id").toString() != oldest);
        QVERIFY(!backups().list().isEmpty());
        s.stop();
    }
};

QTEST_GUILESS_MAIN(TstSandboxBackups)
#include "tst_sandbox_backups.moc"

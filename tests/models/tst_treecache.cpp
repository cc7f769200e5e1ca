// The warm start: ResourceTreeModel::snapshot()/restoreSnapshot() and TreeCache, against a real
// ppg-sandbox. A scripted session (projects, databases and connections created through the API, so
// the replies carried real connection strings and passwords) is loaded whole and written to a cache
// file; the file holds no token, password or connection string. A second model paints the file at
// once (rows marked cached), then the listings merge into it: a connection deleted on the service
// in between leaves, a project created in between appears, the rows listed again lose their mark.
// A cut-short, corrupt or other version's file is ignored and changes nothing; a profile's file goes
// with keepOnly().
#include "await.h"
#include "filescan.h"
#include "resourcetreemodel.h"
#include "sandboxprocess.h"
#include "treecache.h"
#include "treeload.h"

#include <QAbstractItemModelTester>
#include <QFont>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

namespace {
const QByteArray kToken = "ppg-test-token-treecache";
const QString kVersion = QStringLiteral("1.2.3-test");
constexpr int kLong = 30000;

// A string as QDataStream writes it: UTF-16, big-endian.
QByteArray utf16be(const QString &s)
{
    QByteArray out;
    for (const QChar c : s)
        out.append(char(c.unicode() >> 8)).append(char(c.unicode() & 0xff));
    return out;
}
} // namespace

class TestTreeCache : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cacheHoldsNoSecret();
    void restoredTreeMergesFreshPages();
    void unreadableSnapshotIsIgnored();
    void keepOnlyRemovesGoneProfiles();

private:
    bool loadWhole(ResourceTreeModel &model);
    QStringList ids(const ResourceTreeModel &model, const QModelIndex &parent = {}) const;

    SandboxProcess m_sandbox;
    std::unique_ptr<ApiClient> m_client;
    QObject m_ctx;
    QTemporaryDir m_dir;
    QStringList m_secrets; // passwords and connection strings the replies carried
    QString m_projectId;
    QString m_databaseId;
    QString m_connectionId; // deleted on the service after the snapshot
    QByteArray m_snapshot;
};

void TestTreeCache::initTestCase()
{
    QVERIFY(m_dir.isValid());
    SandboxProcess::Options o;
    o.tokens = { QString::fromLatin1(kToken) + QStringLiteral("=Cache") };
    o.extraArgs = { QStringLiteral("--provisioning-ms"), QStringLiteral("0") };
    QVERIFY2(m_sandbox.start(o), qPrintable(m_sandbox.errorString()));
    m_client = std::make_unique<ApiClient>(m_sandbox.baseUrl(), kToken);
    const auto remember = [&](const Connection &c) {
        for (const auto *e : { &c.direct, &c.pooled, &c.accelerate }) {
            if (!*e || (*e)->connectionString.isEmpty())
                continue;
            m_secrets << (*e)->connectionString;
            if (const QString password = QUrl((*e)->connectionString).password(); !password.isEmpty())
                m_secrets << password;
        }
    };
    CreateProjectRequest r;
    r.name = QStringLiteral("cached-shop");
    r.region = QStringLiteral("eu-central-1");
    auto p = await<Project>([&](auto cb) { m_client->createProject(r, &m_ctx, cb); });
    QVERIFY2(p.ok(), qPrintable(p.error().userMessage()));
    m_projectId = p.value().id;
    m_databaseId = p.value().database->id;
    for (const Connection &c : p.value().database->connections)
        remember(c);
    for (const QString &name : { QStringLiteral("ci"), QStringLiteral("reporting") }) {
        auto c = await<Connection>([&](auto cb) { m_client->createConnection(m_databaseId, name, &m_ctx, cb); });
        QVERIFY2(c.ok(), qPrintable(c.error().userMessage()));
        remember(c.value());
        m_connectionId = c.value().id;
    }
    QVERIFY(m_secrets.size() >= 4);
}

bool TestTreeCache::loadWhole(ResourceTreeModel &model)
{
    QSignalSpy finished(&model, &ResourceTreeModel::bulkFinished);
    model.loadAll();
    return finished.wait(kLong) && model.isComplete();
}

QStringList TestTreeCache::ids(const ResourceTreeModel &model, const QModelIndex &parent) const
{
    QStringList out;
    for (int r = 0; r < model.rowCount(parent); ++r) {
        const QModelIndex i = model.index(r, 0, parent);
        if (model.kind(i) != ResourceKind::Placeholder)
            out << i.data(ResourceTreeModel::IdRole).toString();
        out << ids(model, i);
    }
    return out;
}

void TestTreeCache::cacheHoldsNoSecret()
{
    ResourceTreeModel model;
    model.setClient(m_client.get());
    QVERIFY(loadWhole(model));
    QVERIFY(model.indexOf(m_connectionId).isValid());
    m_snapshot = model.snapshot(kVersion);
    QVERIFY(!m_snapshot.isEmpty());

    const TreeCache cache(m_dir.filePath(QStringLiteral("trees")));
    QVERIFY(cache.save(QStringLiteral("profile-1"), m_snapshot));
    QCOMPARE(cache.load(QStringLiteral("profile-1")), m_snapshot);
    const QList<FileContent> files = readFilesBelow(cache.directory());
    QCOMPARE(files.size(), 1); // the cache file and nothing else (QSaveFile leaves no temporary)
    const QByteArray &bytes = files.first().content;
    QVERIFY(!bytes.contains(kToken) && !bytes.contains(utf16be(QString::fromLatin1(kToken))));
    for (const QString &secret : std::as_const(m_secrets)) // as UTF-8 and as QDataStream's UTF-16
        QVERIFY2(!bytes.contains(secret.toUtf8()) && !bytes.contains(utf16be(secret)),
            "a connection string or password reached the cache");
    // What it does hold: the names the tree shows (the search above would see a secret the same way).
    QVERIFY(bytes.contains(utf16be(QStringLiteral("cached-shop"))));
    QVERIFY(bytes.contains(utf16be(QStringLiteral("reporting"))));
}

void TestTreeCache::restoredTreeMergesFreshPages()
{
    QVERIFY(!m_snapshot.isEmpty());
    // Meanwhile on the service: a connection goes, a project comes.
    QVERIFY(await<Done>([&](auto cb) { m_client->deleteConnection(m_connectionId, &m_ctx, cb); }).ok());
    CreateProjectRequest r;
    r.name = QStringLiteral("new-since");
    r.createDatabase = false;
    const auto fresh = await<Project>([&](auto cb) { m_client->createProject(r, &m_ctx, cb); });
    QVERIFY(fresh.ok());

    ResourceTreeModel model;
    model.setClient(m_client.get());
    QVERIFY(model.restoreSnapshot(m_snapshot, kVersion));
    // Painted at once, before any request: the whole last-known tree, marked cached.
    QCOMPARE(model.listRequests(), 0);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(model.indexOf(m_connectionId).isValid());
    const QModelIndex db = model.indexOf(m_databaseId);
    QVERIFY(db.isValid());
    QVERIFY(db.data(ResourceTreeModel::CachedRole).toBool());
    QVERIFY(db.data(Qt::FontRole).value<QFont>().italic());
    QCOMPARE(model.index(db.row(), ResourceTreeModel::RegionColumn, db.parent()).data().toString(),
        QStringLiteral("eu-central-1"));
    QCOMPARE(model.cachedRows(), ids(model).size());
    QVERIFY(!model.indexOf(fresh.value().id).isValid());

    // The listings merge: the gone connection leaves, the new project comes, the mark goes.
    QVERIFY(loadLevel(model, {}, kLong));
    QVERIFY(loadLevel(model, model.index(0, 0), kLong));
    QVERIFY(model.indexOf(fresh.value().id).isValid());
    QVERIFY(!model.indexOf(m_projectId).data(ResourceTreeModel::CachedRole).toBool());
    QVERIFY(loadLevel(model, model.indexOf(m_projectId), kLong));
    QVERIFY(loadLevel(model, model.indexOf(m_databaseId), kLong));
    QVERIFY(!model.indexOf(m_connectionId).isValid());
    QVERIFY(!model.indexOf(m_databaseId).data(Qt::FontRole).value<QFont>().italic());
    QCOMPARE(model.cachedRows(), 0);
}

void TestTreeCache::unreadableSnapshotIsIgnored()
{
    QVERIFY(!m_snapshot.isEmpty());
    const QList<QByteArray> bad { m_snapshot.left(m_snapshot.size() / 2), // cut short
        m_snapshot.left(m_snapshot.size() - 1), // one byte short
        m_snapshot + QByteArray("trailing"), QByteArray(4096, '\xff'), QByteArray("PPGT") };
    for (const QByteArray &bytes : bad) {
        ResourceTreeModel model;
        model.setClient(m_client.get());
        QVERIFY(!model.restoreSnapshot(bytes, kVersion));
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.cachedRows(), 0);
    }
    ResourceTreeModel other;
    other.setClient(m_client.get());
    QVERIFY(!other.restoreSnapshot(m_snapshot, QStringLiteral("9.9.9"))); // another version wrote it
    QCOMPARE(other.rowCount(), 0);
    // A file that cannot be read is empty bytes, which the model ignores as well.
    const TreeCache cache(m_dir.filePath(QStringLiteral("nowhere")));
    QVERIFY(cache.load(QStringLiteral("profile-1")).isEmpty());
    QVERIFY(!other.restoreSnapshot(cache.load(QStringLiteral("profile-1")), kVersion));
    QVERIFY(cache.path(QStringLiteral("../escape")).isEmpty()); // a profile id is never a path
}

void TestTreeCache::keepOnlyRemovesGoneProfiles()
{
    const TreeCache cache(m_dir.filePath(QStringLiteral("keep")));
    QVERIFY(cache.save(QStringLiteral("alpha"), m_snapshot));
    QVERIFY(cache.save(QStringLiteral("beta"), m_snapshot));
    cache.keepOnly({ QStringLiteral("beta") });
    QVERIFY(!QFile::exists(cache.path(QStringLiteral("alpha"))));
    QVERIFY(QFile::exists(cache.path(QStringLiteral("beta"))));
    cache.remove(QStringLiteral("beta"));
    QVERIFY(!QFile::exists(cache.path(QStringLiteral("beta"))));
}

QTEST_MAIN(TestTreeCache)
#include "tst_treecache.moc"

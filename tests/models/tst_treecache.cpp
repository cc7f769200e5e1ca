// The warm start: ResourceTreeModel::snapshot()/restoreSnapshot() and TreeCache, against a real
// ppg-sandbox. A scripted session (projects, databases and connections created through the API, so
// the replies carried real connection strings and passwords) is loaded whole and written to a cache
// file; the file holds no token, password or connection string. A second model paints the file at
// once (rows marked cached), then the listings merge into it: a connection deleted on the service
// in between leaves, a project created in between appears, the rows listed again lose their mark.
// A cut-short, corrupt or other version's file is ignored and changes nothing; a profile's file goes
// with keepOnly(). The warm start decodes on a worker thread and paints before the session is up
// (ConsoleCore::warmStart, with a profile in a real keychain); the session then keeps those rows.
#include "await.h"
#include "consolecore.h"
#include "filescan.h"
#include "keychaincleanup.h"
#include "profilesetup.h"
#include "resourcetreemodel.h"
#include "sandboxprocess.h"
#include "treecache.h"
#include "treeload.h"

#include <QAbstractItemModelTester>
#include <QFont>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QtConcurrent/QtConcurrentRun>

namespace {
const QByteArray kToken = "ppg-test-token-treecache";
const QString kVersion = QStringLiteral("1.2.3-test");
const QString kKeychainService = QStringLiteral("ppg-console-test-treecache");
constexpr int kLong = 30000;

// A string as QDataStream writes it: UTF-16, little-endian (the cache's order) or big-endian.
QByteArray utf16(const QString &s, QDataStream::ByteOrder order = QDataStream::LittleEndian)
{
    QByteArray out;
    for (const QChar c : s) {
        const char high = char(c.unicode() >> 8), low = char(c.unicode() & 0xff);
        out.append(order == QDataStream::BigEndian ? high : low).append(order == QDataStream::BigEndian ? low : high);
    }
    return out;
}

// Whether `bytes` hold `s` in any encoding a QDataStream or a text writer would use.
bool holds(const QByteArray &bytes, const QString &s)
{
    return bytes.contains(s.toUtf8()) || bytes.contains(utf16(s)) || bytes.contains(utf16(s, QDataStream::BigEndian));
}
} // namespace

class TestTreeCache : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cacheHoldsNoSecret();
    void restoredTreeMergesFreshPages();
    void decodedOnAWorkerAndKeptByTheClient();
    void warmStartPaintsBeforeTheSession();
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
    // ConsoleCore's cache folder (QStandardPaths::CacheLocation) and the version it writes.
    qputenv("XDG_CACHE_HOME", m_dir.filePath(QStringLiteral("xdg-cache")).toUtf8());
    QCoreApplication::setApplicationVersion(kVersion);
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
    QVERIFY(!holds(bytes, QString::fromLatin1(kToken)));
    for (const QString &secret : std::as_const(m_secrets)) // as UTF-8 and as either UTF-16
        QVERIFY2(!holds(bytes, secret), "a connection string or password reached the cache");
    // What it does hold: the names the tree shows (the search above would see a secret the same way).
    QVERIFY(bytes.contains(utf16(QStringLiteral("cached-shop"))));
    QVERIFY(bytes.contains(utf16(QStringLiteral("reporting"))));
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

void TestTreeCache::decodedOnAWorkerAndKeptByTheClient()
{
    QVERIFY(!m_snapshot.isEmpty());
    // Decoded on a worker thread as the warm start does (the test carries the label `threads`).
    const auto decoded = QtConcurrent::run([bytes = m_snapshot] {
        return ResourceTreeModel::decodeSnapshot(bytes, kVersion);
    }).result();
    QVERIFY(decoded);

    ResourceTreeModel model; // no client yet: the session is still reading its token
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QVERIFY(model.restoreSnapshot(*decoded));
    QVERIFY(!model.restoreSnapshot(*decoded)); // its rows moved into the model
    QCOMPARE(resets.count(), 1);
    QVERIFY(!model.hasClient());
    QVERIFY(!model.canFetchMore({}));
    QCOMPARE(model.cachedRows(), ids(model).size());
    const QPersistentModelIndex project = model.indexOf(m_projectId);
    const QPersistentModelIndex db = model.indexOf(m_databaseId);
    QVERIFY(db.isValid() && db.data(ResourceTreeModel::CachedRole).toBool());
    // The database names its project and region as a listed one does.
    QCOMPARE(model.database(db)->project.id, m_projectId);
    QCOMPARE(model.database(db)->project.name, QStringLiteral("cached-shop"));
    QCOMPARE(model.index(db.row(), ResourceTreeModel::RegionColumn, db.parent()).data().toString(),
        QStringLiteral("eu-central-1"));

    // The client arrives: the rows stay (no reset, the same indexes) and the listings merge.
    QVERIFY(model.attachClient(m_client.get()));
    QVERIFY(!model.attachClient(m_client.get())); // bound already: that is setClient()'s job
    QVERIFY(loadLevel(model, {}, kLong));
    QVERIFY(loadLevel(model, model.index(0, 0), kLong));
    QVERIFY(loadLevel(model, project, kLong));
    QCOMPARE(resets.count(), 1);
    QVERIFY(db.isValid());
    QCOMPARE(db.data(ResourceTreeModel::IdRole).toString(), m_databaseId);
    QVERIFY(!db.data(ResourceTreeModel::CachedRole).toBool());
    QVERIFY(!project.data(ResourceTreeModel::CachedRole).toBool());
}

void TestTreeCache::warmStartPaintsBeforeTheSession()
{
    QVERIFY(!m_snapshot.isEmpty());
    const QString ini = m_dir.filePath(QStringLiteral("warm/settings.ini"));
    Profile profile;
    profile.name = QStringLiteral("Warm");
    profile.apiUrl = m_sandbox.baseUrl();
    QString why;
    const auto saved = saveTestProfile(ini, kKeychainService, profile, kToken, &why, kLong);
    QVERIFY2(saved, qPrintable(why));
    profile.name = QStringLiteral("No token");
    const auto tokenless = saveTestProfile(ini, kKeychainService, profile, {}, &why, kLong);
    QVERIFY2(tokenless, qPrintable(why));
    const auto forget = qScopeGuard([&] { removeStoredProfileSecrets(ini, kKeychainService, kLong); });

    ConsoleCore core(ini, kKeychainService);
    QVERIFY(core.treeCache.directory().startsWith(m_dir.path()));
    QVERIFY(core.treeCache.save(saved->id, m_snapshot));
    QVERIFY(core.treeCache.save(tokenless->id, m_snapshot));
    QSignalSpy shown(&core, &ConsoleCore::cachedTreeShown);
    QSignalSpy resets(&core.model, &QAbstractItemModel::modelReset);
    QSignalSpy bound(&core, &ConsoleCore::sessionChanged);

    // Painted before the session: nothing asked of the keychain or the service yet.
    core.warmStart(saved->id);
    QVERIFY(shown.wait(kLong));
    QCOMPARE(shown.first().first().toString(), saved->id);
    QVERIFY(!core.sessions.session());
    QCOMPARE(core.model.listRequests(), 0);
    const QPersistentModelIndex db = core.model.indexOf(m_databaseId);
    QVERIFY(db.isValid() && db.data(ResourceTreeModel::CachedRole).toBool());
    const int resetsBefore = int(resets.count());

    // The session keeps those rows and lists into them.
    core.sessions.activate(saved->id);
    QVERIFY(bound.wait(kLong));
    QCOMPARE(resets.count(), resetsBefore);
    QVERIFY(db.isValid());
    QVERIFY(core.model.hasClient());
    QVERIFY(waitForLevel(core.model, {}, kLong));
    QVERIFY(!core.model.index(0, 0).data(ResourceTreeModel::CachedRole).toBool());

    // A profile whose activation fails (no token stored) does not keep its rows on screen.
    ConsoleCore other(ini, kKeychainService);
    QSignalSpy otherShown(&other, &ConsoleCore::cachedTreeShown);
    QSignalSpy failed(&other.sessions, &SessionManager::activationFailed);
    other.warmStart(tokenless->id);
    QVERIFY(otherShown.wait(kLong));
    QVERIFY(other.model.rowCount() > 0);
    other.sessions.activate(tokenless->id);
    QVERIFY(failed.wait(kLong));
    QCOMPARE(other.model.rowCount(), 0);
    QCOMPARE(other.model.cachedRows(), 0);
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

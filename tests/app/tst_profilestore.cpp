// tst_profilestore: ProfileStore on a temporary INI file: add, update/rename, remove, move,
// active profile, validation, the vault index, two stores on one file (as two processes would),
// and that the file never holds anything token-like.
#include "profilestore.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QLockFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QUuid>
#include <QtTest>

class TestProfileStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void addAssignsIdAndPersists();
    void addKeepsGivenIdAndRejectsDuplicateId();
    void validateName_data();
    void validateName();
    void validateApiUrl_data();
    void validateApiUrl();
    void updateAndRenameKeepId();
    void updateRejectsTakenName();
    void removeClearsActiveAndVault();
    void moveReorders();
    void activeProfile();
    void hasStoredTokenFlag();
    void vaultIndex();
    void secondStoreSeesChangesAndDoesNotClobber();
    void orphanedProfilesStillListed();
    void iniNeverHoldsTokenLikeValues();
    void firstRunCreatesFolder();
    void concurrentProcessesDoNotLoseProfiles();
    void lockFilesLeftWithNoOwnerAreCleared();

private:
    QString iniPath() const { return m_dir->filePath(QStringLiteral("profiles.ini")); }
    Profile makeProfile(const QString &name) const
    {
        Profile p;
        p.name = name;
        return p;
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<ProfileStore> m_store;
};

void TestProfileStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_store = std::make_unique<ProfileStore>(iniPath());
}

void TestProfileStore::cleanup()
{
    m_store.reset();
    m_dir.reset();
}

void TestProfileStore::addAssignsIdAndPersists()
{
    QSignalSpy changed(m_store.get(), &ProfileStore::profilesChanged);
    Profile p = makeProfile(QStringLiteral("  Work  "));
    p.color = QColor(0x12, 0x34, 0x56);
    p.apiUrl = QUrl(QStringLiteral("http://127.0.0.1:8123"));
    const Profile added = m_store->add(p);
    QVERIFY(!added.id.isEmpty());
    QVERIFY(!QUuid::fromString(added.id).isNull());
    QVERIFY(!added.id.contains(u'{'));
    QCOMPARE(added.name, QStringLiteral("Work"));
    QCOMPARE(changed.count(), 1);

    // A fresh store on the same file reads the same profile back.
    ProfileStore other(iniPath());
    const auto list = other.profiles();
    QCOMPARE(list.size(), 1);
    QCOMPARE(list.first(), added);
    QCOMPARE(list.first().color, QColor(0x12, 0x34, 0x56));
    QCOMPARE(list.first().apiUrl, QUrl(QStringLiteral("http://127.0.0.1:8123")));
    QVERIFY(!list.first().hasStoredToken);

    // Defaults: the public API, no colour.
    const Profile second = m_store->add(makeProfile(QStringLiteral("Personal")));
    QCOMPARE(second.apiUrl, QUrl(QStringLiteral("https://api.prisma.io")));
    QVERIFY(!second.color.isValid());
    QCOMPARE(other.profile(second.id)->color.isValid(), false);
    QCOMPARE(m_store->profiles().size(), 2);
}

void TestProfileStore::addKeepsGivenIdAndRejectsDuplicateId()
{
    Profile p = makeProfile(QStringLiteral("A"));
    p.id = QStringLiteral("0b1c2d3e-0000-4000-8000-000000000001");
    QCOMPARE(m_store->add(p).id, p.id);
    Profile q = makeProfile(QStringLiteral("B"));
    q.id = p.id;
    QVERIFY(m_store->add(q).id.isEmpty());
    Profile bad = makeProfile(QStringLiteral("C"));
    bad.id = QStringLiteral("../evil/group");
    QVERIFY(m_store->add(bad).id.isEmpty());
    QCOMPARE(m_store->profiles().size(), 1);
}

void TestProfileStore::validateName_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("valid");
    QTest::newRow("plain") << QStringLiteral("Staging") << true;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("spaces") << QStringLiteral("   ") << false;
    QTest::newRow("taken") << QStringLiteral("Work") << false;
    QTest::newRow("taken, other case and spaces") << QStringLiteral("  wORK ") << false;
    QTest::newRow("newline") << QStringLiteral("a\nb") << false;
    QTest::newRow("too long") << QString(ProfileStore::kMaxNameLength + 1, u'x') << false;
    QTest::newRow("longest") << QString(ProfileStore::kMaxNameLength, u'x') << true;
    QTest::newRow("unicode") << QStringLiteral("Prod – Zürich") << true;
}

void TestProfileStore::validateName()
{
    QFETCH(QString, name);
    QFETCH(bool, valid);
    const Profile work = m_store->add(makeProfile(QStringLiteral("Work")));
    QVERIFY(!work.id.isEmpty());
    const auto reason = m_store->validateName(name);
    QCOMPARE(!reason.has_value(), valid);
    if (reason)
        QVERIFY(!reason->isEmpty());
    // A profile may keep its own name.
    QVERIFY(!m_store->validateName(QStringLiteral("work"), work.id));
    if (!valid)
        QVERIFY(m_store->add(makeProfile(name)).id.isEmpty());
}

void TestProfileStore::validateApiUrl_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("valid");
    QTest::newRow("prisma") << QStringLiteral("https://api.prisma.io") << true;
    QTest::newRow("local sandbox") << QStringLiteral("http://127.0.0.1:4000") << true;
    QTest::newRow("localhost") << QStringLiteral("http://localhost:4000") << true;
    QTest::newRow("remote http") << QStringLiteral("http://example.com") << false;
    QTest::newRow("credentials") << QStringLiteral("https://user:secret@api.prisma.io") << false;
    QTest::newRow("query") << QStringLiteral("https://api.prisma.io/?token=abc") << false;
    QTest::newRow("ftp") << QStringLiteral("ftp://api.prisma.io") << false;
    QTest::newRow("no host") << QStringLiteral("https://") << false;
    QTest::newRow("garbage") << QStringLiteral("not a url") << false;
}

void TestProfileStore::validateApiUrl()
{
    QFETCH(QString, url);
    QFETCH(bool, valid);
    QCOMPARE(!ProfileStore::validateApiUrl(QUrl(url)).has_value(), valid);
    Profile p = makeProfile(QStringLiteral("X"));
    p.apiUrl = QUrl(url);
    QCOMPARE(!m_store->add(p).id.isEmpty(), valid);
}

void TestProfileStore::updateAndRenameKeepId()
{
    Profile p = m_store->add(makeProfile(QStringLiteral("Old name")));
    QSignalSpy changed(m_store.get(), &ProfileStore::profilesChanged);
    p.name = QStringLiteral("New name");
    p.color = QColor(Qt::red);
    p.apiUrl = QUrl(QStringLiteral("http://localhost:9000"));
    QVERIFY(m_store->update(p));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(*m_store->profile(p.id), p);
    // A stored profile given to add() keeps its flag.
    Profile withToken;
    withToken.name = QStringLiteral("Has token");
    withToken.hasStoredToken = true;
    QVERIFY(m_store->profile(m_store->add(withToken).id)->hasStoredToken);
    QVERIFY(!m_store->findByName(QStringLiteral("Old name")));
    QCOMPARE(m_store->findByName(QStringLiteral(" new NAME "))->id, p.id);

    Profile unknown = p;
    unknown.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    unknown.name = QStringLiteral("Ghost");
    QVERIFY(!m_store->update(unknown));
    QCOMPARE(m_store->profiles().size(), 2);
}

void TestProfileStore::updateRejectsTakenName()
{
    const Profile a = m_store->add(makeProfile(QStringLiteral("A")));
    Profile b = m_store->add(makeProfile(QStringLiteral("B")));
    b.name = QStringLiteral("a");
    QVERIFY(!m_store->update(b));
    QVERIFY(m_store->validateName(b.name, b.id).has_value());
    QCOMPARE(m_store->profile(b.id)->name, QStringLiteral("B"));
    b.name = QString();
    QVERIFY(!m_store->update(b));
    QCOMPARE(m_store->profile(a.id)->name, QStringLiteral("A"));
}

void TestProfileStore::removeClearsActiveAndVault()
{
    const Profile a = m_store->add(makeProfile(QStringLiteral("A")));
    const Profile b = m_store->add(makeProfile(QStringLiteral("B")));
    QVERIFY(m_store->addVaultConnection(a.id, QStringLiteral("con_1")));
    m_store->setActiveProfileId(a.id);
    QSignalSpy active(m_store.get(), &ProfileStore::activeProfileChanged);
    QVERIFY(m_store->remove(a.id));
    QCOMPARE(active.count(), 1);
    QCOMPARE(active.first().first().toString(), QString());
    QCOMPARE(m_store->activeProfileId(), QString());
    QVERIFY(!m_store->profile(a.id));
    QVERIFY(m_store->vaultConnectionIds(a.id).isEmpty());
    QVERIFY(!m_store->remove(a.id));
    QCOMPARE(m_store->profiles().size(), 1);
    QCOMPARE(m_store->profiles().first().id, b.id);

    QFile ini(iniPath());
    QVERIFY(ini.open(QIODevice::ReadOnly));
    QVERIFY(!ini.readAll().contains(a.id.toUtf8()));
}

void TestProfileStore::moveReorders()
{
    QStringList ids;
    for (const char *n : { "One", "Two", "Three", "Four" })
        ids << m_store->add(makeProfile(QString::fromLatin1(n))).id;
    auto names = [this] {
        QStringList out;
        for (const Profile &p : m_store->profiles())
            out << p.name;
        return out;
    };
    QCOMPARE(names(), (QStringList { "One", "Two", "Three", "Four" }));
    QSignalSpy changed(m_store.get(), &ProfileStore::profilesChanged);
    m_store->move(0, 3);
    QCOMPARE(names(), (QStringList { "Two", "Three", "Four", "One" }));
    m_store->move(2, 0);
    QCOMPARE(names(), (QStringList { "Four", "Two", "Three", "One" }));
    QCOMPARE(changed.count(), 2);
    m_store->move(-1, 2);
    m_store->move(0, 4);
    m_store->move(1, 1);
    QCOMPARE(changed.count(), 2);
    QCOMPARE(ProfileStore(iniPath()).profiles().first().name, QStringLiteral("Four"));
}

void TestProfileStore::activeProfile()
{
    QCOMPARE(m_store->activeProfileId(), QString());
    const Profile a = m_store->add(makeProfile(QStringLiteral("A")));
    const Profile b = m_store->add(makeProfile(QStringLiteral("B")));
    QSignalSpy active(m_store.get(), &ProfileStore::activeProfileChanged);
    m_store->setActiveProfileId(b.id);
    QCOMPARE(active.count(), 1);
    QCOMPARE(active.first().first().toString(), b.id);
    m_store->setActiveProfileId(b.id); // unchanged: no signal
    QCOMPARE(active.count(), 1);
    m_store->setActiveProfileId(QStringLiteral("no-such-profile"));
    QCOMPARE(active.count(), 1);
    QCOMPARE(m_store->activeProfileId(), b.id);
    QCOMPARE(ProfileStore(iniPath()).activeProfileId(), b.id);
    m_store->setActiveProfileId(QString());
    QCOMPARE(m_store->activeProfileId(), QString());
    QCOMPARE(active.count(), 2);
    Q_UNUSED(a);
}

void TestProfileStore::hasStoredTokenFlag()
{
    const Profile a = m_store->add(makeProfile(QStringLiteral("A")));
    QVERIFY(m_store->setHasStoredToken(a.id, true));
    QVERIFY(ProfileStore(iniPath()).profile(a.id)->hasStoredToken);
    QVERIFY(m_store->setHasStoredToken(a.id, false));
    QVERIFY(!m_store->profile(a.id)->hasStoredToken);
    QVERIFY(!m_store->setHasStoredToken(QStringLiteral("missing"), true));

    // update() with a stale copy (an edit dialog opened before the token was saved) keeps it.
    Profile stale = *m_store->profile(a.id);
    QVERIFY(m_store->setHasStoredToken(a.id, true));
    stale.name = QStringLiteral("A edited");
    QVERIFY(m_store->update(stale));
    QVERIFY(m_store->profile(a.id)->hasStoredToken);
    QCOMPARE(m_store->profile(a.id)->name, QStringLiteral("A edited"));
}

void TestProfileStore::vaultIndex()
{
    const Profile a = m_store->add(makeProfile(QStringLiteral("A")));
    QSignalSpy vault(m_store.get(), &ProfileStore::vaultConnectionsChanged);
    QVERIFY(m_store->addVaultConnection(a.id, QStringLiteral("con_abc")));
    QVERIFY(m_store->addVaultConnection(a.id, QStringLiteral("con_def")));
    QVERIFY(m_store->addVaultConnection(a.id, QStringLiteral("con_abc"))); // already there
    QCOMPARE(vault.count(), 2);
    QCOMPARE(m_store->vaultConnectionIds(a.id), (QStringList { "con_abc", "con_def" }));
    QVERIFY(!m_store->addVaultConnection(a.id, QStringLiteral("bad/id")));
    QVERIFY(!m_store->addVaultConnection(QStringLiteral("nope"), QStringLiteral("con_x")));
    QVERIFY(m_store->removeVaultConnection(a.id, QStringLiteral("con_abc")));
    QCOMPARE(ProfileStore(iniPath()).vaultConnectionIds(a.id), (QStringList { "con_def" }));
    // Renaming keeps the index (it hangs on the id).
    Profile renamed = a;
    renamed.name = QStringLiteral("A renamed");
    QVERIFY(m_store->update(renamed));
    QCOMPARE(m_store->vaultConnectionIds(a.id), (QStringList { "con_def" }));
}

void TestProfileStore::secondStoreSeesChangesAndDoesNotClobber()
{
    // Two stores with their own QSettings on one file behave like two processes.
    ProfileStore other(iniPath());
    const Profile a = m_store->add(makeProfile(QStringLiteral("From first")));
    QCOMPARE(other.profiles().size(), 1);
    const Profile b = other.add(makeProfile(QStringLiteral("From second")));
    QVERIFY(!b.id.isEmpty());
    // The name is now taken for the first store as well: it re-reads before writing.
    QVERIFY(m_store->add(makeProfile(QStringLiteral("from SECOND"))).id.isEmpty());
    const Profile c = m_store->add(makeProfile(QStringLiteral("Third")));
    other.setActiveProfileId(c.id);
    QCOMPARE(m_store->activeProfileId(), c.id);
    QStringList ids;
    for (const Profile &p : ProfileStore(iniPath()).profiles())
        ids << p.id;
    QCOMPARE(ids, (QStringList { a.id, b.id, c.id }));
}

void TestProfileStore::orphanedProfilesStillListed()
{
    const Profile a = m_store->add(makeProfile(QStringLiteral("Zeta")));
    {
        // Simulate a concurrent writer that added a profile but lost its order entry.
        QSettings raw(iniPath(), QSettings::IniFormat);
        raw.setValue(QStringLiteral("profiles/abc-123/name"), QStringLiteral("Alpha"));
        raw.setValue(QStringLiteral("profileOrder"), QStringList { a.id, QStringLiteral("gone-id") });
    }
    const auto list = m_store->profiles();
    QCOMPARE(list.size(), 2);
    QCOMPARE(list.at(0).id, a.id);
    QCOMPARE(list.at(1).name, QStringLiteral("Alpha"));
    m_store->move(1, 0);
    QCOMPARE(m_store->profiles().first().name, QStringLiteral("Alpha"));
}

void TestProfileStore::iniNeverHoldsTokenLikeValues()
{
    Profile p = makeProfile(QStringLiteral("Work"));
    p.color = QColor(QStringLiteral("#80ff0000"));
    p = m_store->add(p);
    QVERIFY(m_store->setHasStoredToken(p.id, true));
    QVERIFY(m_store->addVaultConnection(p.id, QStringLiteral("con_123")));
    m_store->setActiveProfileId(p.id);
    // Tries to smuggle credentials through the URL are refused.
    Profile sneaky = *m_store->profile(p.id);
    sneaky.apiUrl = QUrl(QStringLiteral("https://me:hunter2@api.prisma.io"));
    QVERIFY(!m_store->update(sneaky));

    QFile ini(iniPath());
    QVERIFY(ini.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(ini.readAll());
    QVERIFY(!text.isEmpty());
    QVERIFY(!text.contains(QStringLiteral("hunter2")));
    QVERIFY(!QString(text)
                 .remove(QStringLiteral("hasStoredToken="))
                 .contains(QStringLiteral("token="), Qt::CaseInsensitive));
    // The service's token shapes, and any long opaque run (ids are dashed UUIDs, short ids).
    static const QRegularExpression tokenLike(
        QStringLiteral(R"((prsc_|eyJhbGciOi|postgres(ql)?://)|[A-Za-z0-9+/_=]{33,})"));
    const auto m = tokenLike.match(text);
    QVERIFY2(!m.hasMatch(), "the profile file holds something token-like");
    QVERIFY(text.contains(QStringLiteral("hasStoredToken=true")));
}

void TestProfileStore::firstRunCreatesFolder()
{
    const QString path = m_dir->filePath(QStringLiteral("not/yet/there/profiles.ini"));
    ProfileStore store(path);
    QVERIFY(store.profiles().isEmpty());
    QVERIFY(!store.add(makeProfile(QStringLiteral("First"))).id.isEmpty());
    QCOMPARE(ProfileStore(path).profiles().size(), 1);
    QCOMPARE(store.fileName(), path);
}

void TestProfileStore::concurrentProcessesDoNotLoseProfiles()
{
    // Real processes (this binary, re-launched as writers; see main()), each adding profiles and
    // switching the active one as fast as it can, while this process does the same.
    constexpr int kPerWriter = 25;
    QList<QProcess *> writers;
    for (const char *prefix : { "alpha", "beta" }) {
        auto *w = new QProcess(this);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("PPG_PROFILESTORE_WRITER"),
            QStringLiteral("%1|%2|%3").arg(iniPath(), QLatin1String(prefix)).arg(kPerWriter));
        w->setProcessEnvironment(env);
        w->setProcessChannelMode(QProcess::ForwardedErrorChannel);
        w->start(QCoreApplication::applicationFilePath(), {});
        writers << w;
    }
    for (QProcess *w : std::as_const(writers))
        QVERIFY(w->waitForStarted());
    for (int i = 0; i < kPerWriter; ++i) {
        const Profile p = m_store->add(makeProfile(QStringLiteral("main %1").arg(i)));
        QVERIFY(!p.id.isEmpty());
        m_store->setActiveProfileId(p.id);
    }
    for (QProcess *w : std::as_const(writers)) {
        QVERIFY(w->waitForFinished(60000));
        QCOMPARE(w->exitStatus(), QProcess::NormalExit);
        QCOMPARE(w->exitCode(), 0);
    }
    ProfileStore fresh(iniPath());
    const auto list = fresh.profiles();
    QCOMPARE(list.size(), 3 * kPerWriter);
    QSet<QString> names;
    for (const Profile &p : list)
        names.insert(p.name);
    QCOMPARE(names.size(), 3 * kPerWriter);
    for (int i = 0; i < kPerWriter; ++i) {
        for (const char *prefix : { "main", "alpha", "beta" })
            QVERIFY(names.contains(QStringLiteral("%1 %2").arg(QLatin1String(prefix)).arg(i)));
    }
    // Each writer's profiles are in its own order: the order list was never clobbered.
    QSettings raw(iniPath(), QSettings::IniFormat);
    QCOMPARE(raw.value(QStringLiteral("profileOrder")).toStringList().size(), 3 * kPerWriter);
    QVERIFY(!fresh.activeProfileId().isEmpty());
}

void TestProfileStore::lockFilesLeftWithNoOwnerAreCleared()
{
    // A console killed between QLockFile creating its file and writing its owner into it leaves an
    // empty lock file (tst_crashsafety met one). Qt calls it stale only after 30 s: until then our
    // own lock gives up (5 s) and QSettings' ".lock" makes the write wait. Each is left here alone,
    // two seconds old, as a console killed at that point would leave it.
    const Profile a = m_store->add(makeProfile(QStringLiteral("A")));
    QVERIFY(!a.id.isEmpty());
    QStringList expected;
    for (const QString &suffix : { QStringLiteral(".ppg-lock"), QStringLiteral(".lock") }) {
        const QString path = iniPath() + suffix;
        QFile leftover(path);
        QVERIFY(leftover.open(QIODevice::WriteOnly));
        QVERIFY(leftover.setFileTime(QDateTime::currentDateTime().addSecs(-2), QFileDevice::FileModificationTime));
        leftover.close();
        const QString id = QStringLiteral("con_%1").arg(expected.size());
        QElapsedTimer clock;
        clock.start();
        QVERIFY2(m_store->addVaultConnection(a.id, id), qPrintable(suffix));
        QVERIFY2(clock.elapsed() < 4000,
            qPrintable(QStringLiteral("%1: the write waited %2 ms").arg(suffix).arg(clock.elapsed())));
        QVERIFY2(!QFile::exists(path), qPrintable(suffix));
        expected << id;
        QCOMPARE(ProfileStore(iniPath()).vaultConnectionIds(a.id), expected);
    }

    // A lock with an owner that runs (this process) is respected, however old: the write gives up.
    QLockFile held(iniPath() + QStringLiteral(".ppg-lock"));
    QVERIFY(held.tryLock(0));
    QVERIFY(!m_store->addVaultConnection(a.id, QStringLiteral("con_held")));
    held.unlock();
    QCOMPARE(ProfileStore(iniPath()).vaultConnectionIds(a.id), expected);
}

// Writer mode for concurrentProcessesDoNotLoseProfiles: "<ini>|<prefix>|<count>".
static int runWriter(const QString &spec)
{
    const QStringList parts = spec.split(u'|');
    if (parts.size() != 3)
        return 2;
    ProfileStore store(parts.at(0));
    for (int i = 0; i < parts.at(2).toInt(); ++i) {
        Profile p;
        p.name = QStringLiteral("%1 %2").arg(parts.at(1)).arg(i);
        p = store.add(p);
        if (p.id.isEmpty())
            return 1;
        store.setActiveProfileId(p.id);
    }
    return 0;
}

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (qEnvironmentVariableIsSet("PPG_PROFILESTORE_WRITER"))
        return runWriter(qEnvironmentVariable("PPG_PROFILESTORE_WRITER"));
    TestProfileStore test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_profilestore.moc"

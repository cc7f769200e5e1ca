#include "profilestore.h"

#include <QCollator>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QHostInfo>
#include <QLockFile>
#include <QLoggingCategory>
#include <QSettings>
#include <QThread>
#include <QUuid>

#include <algorithm>

Q_LOGGING_CATEGORY(lcProfiles, "ppg.profiles", QtInfoMsg)

namespace {

constexpr int kFormatVersion = 1;
const QString kFormatKey = QStringLiteral("formatVersion");
const QString kActiveKey = QStringLiteral("activeProfile");
const QString kOrderKey = QStringLiteral("profileOrder");
const QString kProfilesGroup = QStringLiteral("profiles");

QString profileKey(const QString &id, const char *field)
{
    return kProfilesGroup + QLatin1Char('/') + id + QLatin1Char('/') + QLatin1String(field);
}

// Ids become settings groups: accept only what QUuid (or a tidy caller) would produce.
bool isValidId(const QString &id)
{
    if (id.isEmpty() || id.size() > 64)
        return false;
    return std::all_of(id.begin(), id.end(), [](QChar c) {
        return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') || c == u'-'
            || c == u'_';
    });
}

bool isLoopback(const QString &host)
{
    // As ApiClient: loopback, or this computer's own name.
    return host == u"localhost" || host == u"127.0.0.1" || host == u"::1" || host == u"[::1]"
        || host.compare(QHostInfo::localHostName(), Qt::CaseInsensitive) == 0;
}

// QLockFile creates its file, then writes its owner (pid, application, host) into it. A console
// killed between the two (SIGKILL, a power cut) leaves a file with no owner, which Qt calls stale
// only after staleLockTime (30 s): until then our writes fail (tryLock's 5 s) and QSettings' own
// ".lock" makes its writer wait. An owner writes itself in within microseconds, so a file that has
// had no owner for a second is a leftover and is removed. removeStaleLockFile() also refuses while
// any process holds the file's native lock. Waits at most about 1.5 s (for a file just created).
void clearLeftoverLock(const QString &path)
{
    QLockFile lock(path);
    qint64 pid = 0;
    QString host, app;
    QElapsedTimer waited;
    waited.start();
    while (QFileInfo::exists(path) && !lock.getLockInfo(&pid, &host, &app)) {
        const QDateTime written = QFileInfo(path).lastModified();
        if (written.isValid() && written.msecsTo(QDateTime::currentDateTime()) >= 1000) {
            qCWarning(lcProfiles) << "removing a lock file left with no owner:" << path;
            lock.removeStaleLockFile();
            return;
        }
        if (waited.elapsed() > 1500)
            return;
        QThread::msleep(20);
    }
}

} // namespace

ProfileStore::ProfileStore(QSettings *settings, QObject *parent) : QObject(parent), m_settings(settings)
{
    Q_ASSERT(m_settings);
}

ProfileStore::ProfileStore(const QString &iniPath, QObject *parent)
    : QObject(parent), m_owned(std::make_unique<QSettings>(iniPath, QSettings::IniFormat)), m_settings(m_owned.get())
{ }

ProfileStore::~ProfileStore() = default;

QString ProfileStore::fileName() const
{
    return m_settings->fileName();
}

void ProfileStore::refresh() const
{
    m_settings->sync(); // picks up other processes' changes (we never leave unsynced ones)
}

template <typename F> bool ProfileStore::mutate(F &&change)
{
    std::unique_ptr<QLockFile> lock;
    const QString file = m_settings->fileName();
#if defined(Q_OS_UNIX) && !defined(Q_OS_DARWIN)
    const bool fileBased = !file.isEmpty(); // INI and native formats are both files here
#else
    const bool fileBased = !file.isEmpty() && m_settings->format() == QSettings::IniFormat;
#endif
    if (fileBased) {
        QDir().mkpath(QFileInfo(file).absolutePath()); // first run: the folder may not exist yet
        const QString lockPath = file + QStringLiteral(".ppg-lock");
        clearLeftoverLock(lockPath);
        lock = std::make_unique<QLockFile>(lockPath);
        if (!lock->tryLock(5000)) {
            qCWarning(lcProfiles) << "could not lock" << lock->error() << "for" << file;
            return false;
        }
        clearLeftoverLock(file + QStringLiteral(".lock")); // QSettings' own, taken in sync()
    }
    m_settings->sync();
    if (!change())
        return false;
    m_settings->setValue(kFormatKey, kFormatVersion);
    m_settings->sync();
    if (m_settings->status() != QSettings::NoError) {
        qCWarning(lcProfiles) << "could not write" << file << m_settings->status();
        return false;
    }
    return true;
}

bool ProfileStore::exists(const QString &id) const
{
    return isValidId(id) && m_settings->contains(profileKey(id, "name"));
}

std::optional<Profile> ProfileStore::readProfile(const QString &id) const
{
    if (!exists(id))
        return std::nullopt;
    Profile p;
    p.id = id;
    p.name = m_settings->value(profileKey(id, "name")).toString();
    const QString url = m_settings->value(profileKey(id, "apiUrl")).toString();
    if (!url.isEmpty())
        p.apiUrl = QUrl(url);
    const QString color = m_settings->value(profileKey(id, "color")).toString();
    if (!color.isEmpty())
        p.color = QColor(color);
    p.hasStoredToken = m_settings->value(profileKey(id, "hasStoredToken"), false).toBool();
    p.tokenId = m_settings->value(profileKey(id, "tokenId")).toString();
    return p;
}

QList<Profile> ProfileStore::readProfiles() const
{
    m_settings->beginGroup(kProfilesGroup);
    const QStringList groups = m_settings->childGroups();
    m_settings->endGroup();
    const QStringList order = m_settings->value(kOrderKey).toStringList();

    QList<Profile> ordered;
    QList<Profile> unordered;
    for (const QString &id : order) {
        if (groups.contains(id)
            && std::none_of(ordered.cbegin(), ordered.cend(), [&](const Profile &p) { return p.id == id; })) {
            if (auto p = readProfile(id))
                ordered << *p;
        }
    }
    for (const QString &id : groups) {
        if (!order.contains(id)) {
            if (auto p = readProfile(id))
                unordered << *p;
        }
    }
    QCollator collator;
    collator.setCaseSensitivity(Qt::CaseInsensitive);
    std::sort(unordered.begin(), unordered.end(),
        [&](const Profile &a, const Profile &b) { return collator.compare(a.name, b.name) < 0; });
    return ordered + unordered;
}

void ProfileStore::writeProfile(const Profile &p, bool withTokenFlag)
{
    m_settings->setValue(profileKey(p.id, "name"), p.name.trimmed());
    m_settings->setValue(profileKey(p.id, "apiUrl"), p.apiUrl.toString(QUrl::FullyEncoded));
    m_settings->setValue(profileKey(p.id, "color"), p.color.isValid() ? p.color.name(QColor::HexArgb) : QString());
    if (withTokenFlag) {
        m_settings->setValue(profileKey(p.id, "hasStoredToken"), p.hasStoredToken);
        if (!p.tokenId.isEmpty())
            m_settings->setValue(profileKey(p.id, "tokenId"), p.tokenId);
    }
}

QList<Profile> ProfileStore::profiles() const
{
    refresh();
    return readProfiles();
}

std::optional<Profile> ProfileStore::profile(const QString &id) const
{
    refresh();
    return readProfile(id);
}

std::optional<Profile> ProfileStore::findByName(const QString &name) const
{
    const QString wanted = name.trimmed();
    if (wanted.isEmpty())
        return std::nullopt;
    for (const Profile &p : profiles()) {
        if (p.name.trimmed().compare(wanted, Qt::CaseInsensitive) == 0)
            return p;
    }
    return std::nullopt;
}

std::optional<QString> ProfileStore::validateName(const QString &name, const QString &exceptId) const
{
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty())
        return tr("Enter a name for the profile.");
    if (trimmed.size() > kMaxNameLength)
        return tr("The name is too long: use at most %n characters.", nullptr, kMaxNameLength);
    if (std::any_of(trimmed.cbegin(), trimmed.cend(), [](QChar c) { return c.category() == QChar::Other_Control; }))
        return tr("The name cannot contain line breaks or other control characters.");
    if (auto other = findByName(trimmed); other && other->id != exceptId)
        return tr("A profile named “%1” already exists. Choose another name.").arg(other->name);
    return std::nullopt;
}

std::optional<QString> ProfileStore::validateApiUrl(const QUrl &url)
{
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || (scheme != u"https" && scheme != u"http") || url.host().isEmpty())
        return tr("Enter the API address as an http:// or https:// address, for example "
                  "https://api.prisma.io.");
    if (!url.userInfo().isEmpty())
        return tr("The API address must not contain a user name or password: the token is kept "
                  "in the keychain.");
    if (url.hasQuery() || url.hasFragment())
        return tr("The API address must not contain a query (?…) or a fragment (#…).");
    if (scheme == u"http" && !isLoopback(url.host()))
        return tr("Use https:// for the API address; plain http:// is allowed only for this "
                  "computer (localhost).");
    return std::nullopt;
}

std::optional<QString> ProfileStore::validate(const Profile &p) const
{
    if (auto reason = validateName(p.name, p.id))
        return reason;
    return validateApiUrl(p.apiUrl);
}

Profile ProfileStore::add(Profile p)
{
    if (p.id.isEmpty())
        p.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    p.name = p.name.trimmed();
    if (!isValidId(p.id) || validate(p))
        return Profile {};
    const bool ok = mutate([&] {
        // Re-checked under the lock: another process may have taken the id or the name.
        if (exists(p.id) || validateName(p.name, p.id))
            return false;
        writeProfile(p, true);
        QStringList order = m_settings->value(kOrderKey).toStringList();
        order.removeAll(p.id);
        order << p.id;
        m_settings->setValue(kOrderKey, order);
        return true;
    });
    if (!ok)
        return Profile {};
    qCDebug(lcProfiles) << "added profile" << p.id;
    Q_EMIT profilesChanged();
    return p;
}

bool ProfileStore::update(const Profile &p)
{
    Profile q = p;
    q.name = q.name.trimmed();
    if (!isValidId(q.id) || validate(q))
        return false;
    const bool ok = mutate([&] {
        if (!exists(q.id) || validateName(q.name, q.id))
            return false;
        writeProfile(q, false);
        return true;
    });
    if (ok)
        Q_EMIT profilesChanged();
    return ok;
}

bool ProfileStore::remove(const QString &id)
{
    bool wasActive = false;
    const bool ok = mutate([&] {
        if (!exists(id))
            return false;
        m_settings->remove(kProfilesGroup + QLatin1Char('/') + id);
        QStringList order = m_settings->value(kOrderKey).toStringList();
        order.removeAll(id);
        m_settings->setValue(kOrderKey, order);
        if (m_settings->value(kActiveKey).toString() == id) {
            m_settings->remove(kActiveKey);
            wasActive = true;
        }
        return true;
    });
    if (!ok)
        return false;
    qCDebug(lcProfiles) << "removed profile" << id;
    Q_EMIT profilesChanged();
    if (wasActive)
        Q_EMIT activeProfileChanged(QString());
    return true;
}

void ProfileStore::move(int from, int to)
{
    const bool ok = mutate([&] {
        QStringList ids;
        for (const Profile &p : readProfiles())
            ids << p.id;
        if (from < 0 || to < 0 || from >= ids.size() || to >= ids.size() || from == to)
            return false;
        ids.move(from, to);
        m_settings->setValue(kOrderKey, ids);
        return true;
    });
    if (ok)
        Q_EMIT profilesChanged();
}

QString ProfileStore::activeProfileId() const
{
    refresh();
    const QString id = m_settings->value(kActiveKey).toString();
    return exists(id) ? id : QString();
}

void ProfileStore::setActiveProfileId(const QString &id)
{
    const bool ok = mutate([&] {
        if (!id.isEmpty() && !exists(id))
            return false;
        if (m_settings->value(kActiveKey).toString() == id)
            return false;
        if (id.isEmpty())
            m_settings->remove(kActiveKey);
        else
            m_settings->setValue(kActiveKey, id);
        return true;
    });
    if (ok)
        Q_EMIT activeProfileChanged(id);
}

bool ProfileStore::setHasStoredToken(const QString &id, bool stored)
{
    auto p = profile(id);
    if (!p)
        return false;
    if (p->hasStoredToken == stored)
        return true;
    const bool ok = mutate([&] {
        if (!exists(id))
            return false;
        m_settings->setValue(profileKey(id, "hasStoredToken"), stored);
        return true;
    });
    if (ok)
        Q_EMIT profilesChanged();
    return ok;
}

bool ProfileStore::setTokenId(const QString &id, const QString &tokenId)
{
    if (!tokenId.isEmpty() && !isValidId(tokenId))
        return false;
    const auto p = profile(id);
    if (!p)
        return false;
    if (p->tokenId == tokenId)
        return true; // as stored: no write
    const bool ok = mutate([&] {
        if (!exists(id))
            return false;
        if (tokenId.isEmpty())
            m_settings->remove(profileKey(id, "tokenId"));
        else
            m_settings->setValue(profileKey(id, "tokenId"), tokenId);
        return true;
    });
    if (ok) {
        qCDebug(lcProfiles) << "profile" << id << "uses service token" << tokenId;
        Q_EMIT profilesChanged();
    }
    return ok;
}

QStringList ProfileStore::vaultConnectionIds(const QString &profileId) const
{
    refresh();
    if (!exists(profileId))
        return {};
    return m_settings->value(profileKey(profileId, "vaultConnections")).toStringList();
}

bool ProfileStore::addVaultConnection(const QString &profileId, const QString &connectionId)
{
    if (!isValidId(connectionId))
        return false;
    bool changed = false;
    const bool ok = mutate([&] {
        if (!exists(profileId))
            return false;
        QStringList ids = m_settings->value(profileKey(profileId, "vaultConnections")).toStringList();
        if (ids.contains(connectionId))
            return true;
        ids << connectionId;
        m_settings->setValue(profileKey(profileId, "vaultConnections"), ids);
        changed = true;
        return true;
    });
    if (ok && changed)
        Q_EMIT vaultConnectionsChanged(profileId);
    return ok;
}

bool ProfileStore::removeVaultConnection(const QString &profileId, const QString &connectionId)
{
    bool changed = false;
    const bool ok = mutate([&] {
        if (!exists(profileId))
            return false;
        QStringList ids = m_settings->value(profileKey(profileId, "vaultConnections")).toStringList();
        changed = ids.removeAll(connectionId) > 0;
        if (changed)
            m_settings->setValue(profileKey(profileId, "vaultConnections"), ids);
        return true;
    });
    if (ok && changed)
        Q_EMIT vaultConnectionsChanged(profileId);
    return ok;
}

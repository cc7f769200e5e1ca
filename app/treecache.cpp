#include "treecache.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

namespace {
const QString kSuffix = QStringLiteral(".tree");

// Profile ids are UUIDs; anything else (a path) is refused rather than written somewhere else.
bool safeId(const QString &profileId)
{
    if (profileId.isEmpty())
        return false;
    for (const QChar c : profileId)
        if (!(c.isLetterOrNumber() || c == u'-' || c == u'_' || c == u'{' || c == u'}'))
            return false;
    return true;
}
} // namespace

TreeCache::TreeCache(QString directory) : m_directory(std::move(directory)) { }

QString TreeCache::path(const QString &profileId) const
{
    return safeId(profileId) ? QDir(m_directory).filePath(profileId + kSuffix) : QString();
}

QByteArray TreeCache::load(const QString &profileId) const
{
    QFile file(path(profileId));
    if (!safeId(profileId) || !file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

bool TreeCache::save(const QString &profileId, const QByteArray &data) const
{
    if (!safeId(profileId) || data.isEmpty() || !QDir().mkpath(m_directory))
        return false;
    QSaveFile file(path(profileId));
    return file.open(QIODevice::WriteOnly) && file.write(data) == data.size() && file.commit();
}

void TreeCache::remove(const QString &profileId) const
{
    if (safeId(profileId))
        QFile::remove(path(profileId));
}

void TreeCache::keepOnly(const QSet<QString> &profileIds) const
{
    const QDir dir(m_directory);
    for (const QFileInfo &f : dir.entryInfoList({ QStringLiteral("*") + kSuffix }, QDir::Files))
        if (!profileIds.contains(f.completeBaseName()))
            QFile::remove(f.filePath());
}

// TreeCache: the last-known tree of each profile, one file per profile in the user's cache folder
// (`directory`, e.g. ~/.cache/prisma-postgres-console/ppg-console/trees/<profile id>.tree), for a
// warm start: the console paints it at once and merges fresh pages into it.
//
// The bytes are ResourceTreeModel::snapshot()'s: names, ids, statuses, regions and dates, never a
// connection string, a token or a password. save() writes through QSaveFile (a crash leaves the old
// file or the new one, never half of one); load() gives empty bytes for a missing or unreadable
// file (the model ignores bytes it does not recognise); remove() and keepOnly() delete the files of
// profiles that are gone. Errors are not fatal: a cache that cannot be written is only a colder
// start (save() returns false).
#pragma once

#include <QByteArray>
#include <QSet>
#include <QString>

class TreeCache
{
public:
    explicit TreeCache(QString directory);

    QString directory() const { return m_directory; }
    QString path(const QString &profileId) const;
    QByteArray load(const QString &profileId) const;
    bool save(const QString &profileId, const QByteArray &data) const;
    void remove(const QString &profileId) const;
    // Deletes every cache file whose profile is not in `profileIds`.
    void keepOnly(const QSet<QString> &profileIds) const;

private:
    QString m_directory;
};

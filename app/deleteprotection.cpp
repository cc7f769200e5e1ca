#include "deleteprotection.h"

#include <QSettings>

DeleteProtection::DeleteProtection(const QString &settingsPath, QObject *parent)
    : QObject(parent), m_settings(std::make_unique<QSettings>(settingsPath, QSettings::IniFormat))
{ }

DeleteProtection::~DeleteProtection() = default;

QString DeleteProtection::key(const QString &profileId)
{
    return QStringLiteral("protection/%1/unprotected")
        .arg(profileId.isEmpty() ? QStringLiteral("temporary") : profileId);
}

QSet<QString> DeleteProtection::unprotectedIn(const QString &profileId) const
{
    if (profileId == m_profileId)
        return m_unprotected;
    const QStringList ids = m_settings->value(key(profileId)).toStringList();
    return QSet<QString>(ids.begin(), ids.end());
}

void DeleteProtection::setProfile(const QString &profileId)
{
    m_profileId = profileId;
    m_settings->sync();
    const QStringList ids = m_settings->value(key(m_profileId)).toStringList();
    m_unprotected = QSet<QString>(ids.begin(), ids.end());
    Q_EMIT changed(m_unprotected);
}

void DeleteProtection::setProtected(const QString &resourceId, bool on)
{
    // Another instance may have changed the list: start from what the file holds now, so one
    // change never writes back a stale list.
    m_settings->sync();
    const QStringList current = m_settings->value(key(m_profileId)).toStringList();
    m_unprotected = QSet<QString>(current.begin(), current.end());
    if (on == isProtected(resourceId)) {
        Q_EMIT changed(m_unprotected);
        return;
    }
    if (on)
        m_unprotected.remove(resourceId);
    else
        m_unprotected.insert(resourceId);
    QStringList ids(m_unprotected.begin(), m_unprotected.end());
    ids.sort();
    if (ids.isEmpty())
        m_settings->remove(key(m_profileId));
    else
        m_settings->setValue(key(m_profileId), ids);
    m_settings->sync();
    Q_EMIT changed(m_unprotected);
}

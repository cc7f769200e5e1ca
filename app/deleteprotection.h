// DeleteProtection: which projects and databases may be deleted, per profile.
//
// Projects and databases are protected by default; lifting protection is a deliberate action on
// one resource, remembered per profile in QSettings (ids only, never a secret), and can be put
// back. Connections are never protected (they still need confirmation).
#pragma once

#include <QObject>
#include <QSet>
#include <QString>

#include <memory>

class QSettings;

class DeleteProtection : public QObject
{
    Q_OBJECT
public:
    // `settingsPath`: the INI file shared with ProfileStore.
    explicit DeleteProtection(const QString &settingsPath, QObject *parent = nullptr);
    ~DeleteProtection() override;

    void setProfile(const QString &profileId);
    QString profile() const { return m_profileId; }
    // Ids whose protection was lifted in the current profile.
    QSet<QString> unprotected() const { return m_unprotected; }
    // Ids whose protection was lifted in profile `profileId` (the All Profiles view shows them all).
    QSet<QString> unprotectedIn(const QString &profileId) const;
    bool isProtected(const QString &resourceId) const { return !m_unprotected.contains(resourceId); }
    void setProtected(const QString &resourceId, bool on);

Q_SIGNALS:
    void changed(const QSet<QString> &unprotected);

private:
    static QString key(const QString &profileId);

    std::unique_ptr<QSettings> m_settings;
    QString m_profileId;
    QSet<QString> m_unprotected;
};

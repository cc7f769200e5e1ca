#include "sessionmanager.h"

#include "apiclient.h"
#include "profilestore.h"
#include "secretstore.h"
#include "session.h"

SessionManager::SessionManager(ProfileStore *profiles, SecretStore *secrets, QObject *parent)
    : QObject(parent), m_profiles(profiles), m_secrets(secrets)
{
}

void SessionManager::install(Session *session)
{
    ++m_serial;
    Session *old = m_session;
    m_session = session;
    Q_EMIT sessionChanged(session);
    if (old)
        old->deleteLater(); // its client goes with it: late replies are dropped
}

void SessionManager::activate(const QString &profileId)
{
    const auto profile = m_profiles->profile(profileId);
    if (!profile) {
        Q_EMIT activationFailed(QString(), tr("That profile no longer exists."));
        return;
    }
    const quint64 serial = ++m_serial;
    Q_EMIT activationStarted(profile->name);
    m_secrets->read(SecretStore::tokenKey(profile->id), this,
                    [this, serial, p = *profile](const QByteArray &secret, const KeychainError &error) {
        if (serial != m_serial)
            return; // another activation came later
        if (!error.ok()) {
            Q_EMIT activationFailed(p.name, error.userMessage());
            return;
        }
        m_profiles->setActiveProfileId(p.id);
        install(new Session(p, secret, /*temporary*/ false, this));
    });
}

void SessionManager::activateTemporary(const QUrl &apiUrl, QByteArray token)
{
    Profile p;
    p.name = tr("Temporary (PRISMA_SERVICE_TOKEN)");
    p.apiUrl = apiUrl;
    install(new Session(p, std::move(token), /*temporary*/ true, this));
}

void SessionManager::saveProfile(Profile profile, QByteArray token, QObject *context, SaveCallback done)
{
    if (auto problem = m_profiles->validate(profile)) {
        QMetaObject::invokeMethod(context, [done, problem] { done(std::nullopt, *problem); }, Qt::QueuedConnection);
        return;
    }
    Profile saved = profile;
    if (saved.id.isEmpty() || !m_profiles->profile(saved.id))
        saved = m_profiles->add(saved);
    else
        m_profiles->update(saved);
    if (token.isEmpty()) {
        QMetaObject::invokeMethod(context, [done, saved] { done(saved, QString()); }, Qt::QueuedConnection);
        return;
    }
    m_secrets->write(SecretStore::tokenKey(saved.id), std::move(token), context,
                     [this, saved, done](const KeychainError &error) mutable {
        if (!error.ok()) {
            done(saved, error.userMessage());
            return;
        }
        m_profiles->setHasStoredToken(saved.id, true);
        saved.hasStoredToken = true;
        done(saved, QString());
    });
}

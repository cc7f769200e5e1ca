#include "sessionmanager.h"

#include "apiclient.h"
#include "profilestore.h"
#include "secretbytes.h"
#include "secretstore.h"
#include "session.h"

#include <QLoggingCategory>

#include <memory>
#include <utility>

Q_LOGGING_CATEGORY(lcSessions, "ppg.sessions", QtInfoMsg)

namespace {

using SecretBytes::ownCopy;
using SecretBytes::wipeIfOwned;

template <typename F> void deliver(QObject *context, F &&f)
{
    QMetaObject::invokeMethod(context, std::forward<F>(f), Qt::QueuedConnection);
}

} // namespace

SessionManager::SessionManager(ProfileStore *profiles, SecretStore *secrets, QObject *parent)
    : QObject(parent), m_profiles(profiles), m_secrets(secrets), m_vault(new ConnectionVault(profiles, secrets, this))
{
    connect(m_secrets, &SecretStore::answeredAfterDeadline, this, &SessionManager::retryAfterKeychainAnswered,
        Qt::QueuedConnection);
}

SessionManager::~SessionManager()
{
    for (QByteArray &token : m_sessionTokens)
        wipeIfOwned(token);
}

bool SessionManager::isKeychainUnavailable(const KeychainError &error)
{
    using K = KeychainError::Kind;
    switch (error.kind) {
    case K::NoBackend:
    case K::Locked:
    case K::AccessDenied:
    case K::Timeout:
    case K::Other:
        return true;
    case K::None:
    case K::NotFound:
    case K::TooLarge:
        break;
    }
    return false;
}

void SessionManager::install(Session *session)
{
    ++m_serial;
    Session *old = m_session;
    m_session = session;
    if (session && !isPooled(session))
        closePool(); // a profile of its own: the pool (All Profiles) ends
    Q_EMIT sessionChanged(session);
    if (old && !isPooled(old))
        old->deleteLater(); // its client goes with it: late replies are dropped
}

void SessionManager::openPool(QObject *context, PoolCallback done)
{
    const quint64 serial = ++m_poolSerial;
    const QList<Profile> profiles = m_profiles->profiles();
    struct Reading
    {
        QList<PoolEntry> entries;
        QList<QByteArray> tokens;
        int left = 0;
    };
    auto reading = std::make_shared<Reading>();
    reading->left = int(profiles.size());
    for (const Profile &p : profiles) {
        reading->entries.append(PoolEntry { p, nullptr, {} });
        reading->tokens.append(QByteArray());
    }
    auto finish = [this, serial, reading, context = QPointer<QObject>(context), done] {
        if (serial != m_poolSerial) {
            for (QByteArray &t : reading->tokens)
                wipeIfOwned(t);
            return; // another openPool() or closePool() came later
        }
        closePool(); // the previous pool, if any
        m_poolSerial = serial;
        for (int i = 0; i < reading->entries.size(); ++i) {
            PoolEntry &e = reading->entries[i];
            if (!m_profiles->profile(e.profile.id) || reading->tokens[i].isEmpty()) {
                wipeIfOwned(reading->tokens[i]);
                continue;
            }
            auto *session = new Session(e.profile, std::move(reading->tokens[i]), /*temporary*/ false, this);
            e.session = session;
            m_pool.append(session);
        }
        if (context)
            done(reading->entries);
    };
    if (profiles.isEmpty()) {
        deliver(this, finish);
        return;
    }
    for (int i = 0; i < profiles.size(); ++i) {
        readToken(profiles.at(i).id, this, [reading, i, finish](QByteArray token, const KeychainError &error) {
            reading->tokens[i] = std::move(token);
            reading->entries[i].error = error;
            if (error.ok() && reading->tokens[i].isEmpty())
                reading->entries[i].error.kind = KeychainError::Kind::NotFound;
            if (--reading->left == 0)
                finish();
        });
    }
}

void SessionManager::closePool()
{
    ++m_poolSerial;
    const QList<QPointer<Session>> pool = std::exchange(m_pool, {});
    for (const QPointer<Session> &s : pool)
        if (s && s != m_session)
            s->deleteLater(); // its client goes with it: late replies are dropped
}

bool SessionManager::isPooled(const Session *session) const
{
    if (!session)
        return false;
    for (const QPointer<Session> &s : m_pool)
        if (s == session)
            return true;
    return false;
}

QList<Session *> SessionManager::pooledSessions() const
{
    QList<Session *> sessions;
    for (const QPointer<Session> &s : m_pool)
        if (s)
            sessions.append(s);
    return sessions;
}

bool SessionManager::actAs(const QString &profileId)
{
    for (const QPointer<Session> &s : std::as_const(m_pool)) {
        if (s && s->profile().id == profileId) {
            if (s != m_session)
                install(s);
            return true;
        }
    }
    return false;
}

void SessionManager::clearSession()
{
    if (m_session)
        install(nullptr);
    else
        ++m_serial; // an activation still reading must not install itself afterwards
}

void SessionManager::rememberSessionToken(const QString &profileId, QByteArray token)
{
    forgetSessionToken(profileId);
    token.detach();
    m_sessionTokens.insert(profileId, std::move(token));
}

void SessionManager::forgetSessionToken(const QString &profileId)
{
    auto it = m_sessionTokens.find(profileId);
    if (it == m_sessionTokens.end())
        return;
    wipeIfOwned(*it);
    m_sessionTokens.erase(it);
}

void SessionManager::retryAfterKeychainAnswered()
{
    const QString id = std::exchange(m_retryProfile, QString());
    if (id.isEmpty() || m_retrySerial != m_serial || !m_profiles->profile(id)
        || (m_session && m_session->profile().id == id))
        return; // something was opened or asked for since: the late answer applies nothing
    qCInfo(lcSessions) << "the keychain answers again: activating profile" << id << "once more";
    activate(id);
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
    if (m_sessionTokens.contains(profile->id)) {
        // Delivered from the event loop, like a keychain read, so callers see one behaviour.
        deliver(this, [this, serial, p = *profile] {
            if (serial != m_serial || !m_sessionTokens.contains(p.id))
                return;
            m_profiles->setActiveProfileId(p.id);
            install(new Session(p, ownCopy(m_sessionTokens.value(p.id)), /*temporary*/ false, this));
        });
        return;
    }
    m_secrets->read(SecretStore::tokenKey(profile->id), this,
        [this, serial, p = *profile](const QByteArray &secret, const KeychainError &error) {
            if (serial != m_serial)
                return; // another activation came later
            if (!m_profiles->profile(p.id))
                return; // removed while its token was being read
            if (!error.ok()) {
                qCInfo(lcSessions) << "activating profile" << p.id << "failed:" << KeychainError::kindName(error.kind);
                if (error.kind == KeychainError::Kind::Timeout) {
                    m_retryProfile = p.id;
                    m_retrySerial = serial;
                }
                if (isKeychainUnavailable(error))
                    Q_EMIT keychainUnavailable(p.id, error);
                Q_EMIT activationFailed(p.name, error.userMessage());
                return;
            }
            m_profiles->setActiveProfileId(p.id);
            install(new Session(p, secret, /*temporary*/ false, this));
        });
}

void SessionManager::readToken(const QString &profileId, QObject *context, TokenCallback done)
{
    if (m_sessionTokens.contains(profileId)) {
        deliver(context, [done = std::move(done), token = ownCopy(m_sessionTokens.value(profileId))]() mutable {
            done(std::move(token), KeychainError {});
        });
        return;
    }
    m_secrets->read(SecretStore::tokenKey(profileId), context,
        [done = std::move(done)](
            const QByteArray &secret, const KeychainError &error) { done(ownCopy(secret), error); });
}

void SessionManager::activateWithToken(const QString &profileId, QByteArray token)
{
    const auto profile = m_profiles->profile(profileId);
    if (!profile || token.isEmpty()) {
        wipeIfOwned(token);
        Q_EMIT activationFailed(profile ? profile->name : QString(),
            profile ? tr("Enter the service token.") : tr("That profile no longer exists."));
        return;
    }
    rememberSessionToken(profile->id, std::move(token));
    activate(profile->id);
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
    saveProfile(std::move(profile), std::move(token), TokenStorage::Keychain, context, std::move(done));
}

void SessionManager::saveProfile(
    Profile profile, QByteArray token, TokenStorage storage, QObject *context, SaveCallback done)
{
    if (!context)
        context = this;
    if (auto problem = m_profiles->validate(profile)) {
        wipeIfOwned(token);
        deliver(context, [done, problem] { done(std::nullopt, *problem); });
        return;
    }
    Profile saved = profile;
    bool ok = true;
    if (saved.id.isEmpty() || !m_profiles->profile(saved.id)) {
        saved = m_profiles->add(saved);
        ok = !saved.id.isEmpty();
    } else {
        ok = m_profiles->update(saved);
        if (const auto stored = m_profiles->profile(saved.id))
            saved.hasStoredToken = stored->hasStoredToken;
    }
    if (!ok) {
        wipeIfOwned(token);
        deliver(context, [done] {
            done(std::nullopt,
                tr("The profile could not be written to the settings file. Check that "
                   "your configuration folder is writable and try again."));
        });
        return;
    }
    // The session of this profile shows the new name, URL and colour from its next activation.
    if (token.isEmpty()) {
        deliver(context, [done, saved] { done(saved, QString()); });
        return;
    }
    if (storage == TokenStorage::SessionOnly) {
        rememberSessionToken(saved.id, std::move(token));
        deliver(context, [done, saved] { done(saved, QString()); });
        return;
    }
    QPointer<QObject> ctx(context);
    m_secrets->write(SecretStore::tokenKey(saved.id), std::move(token), this,
        [this, ctx, saved, done](const KeychainError &error) mutable {
            if (!error.ok()) {
                if (isKeychainUnavailable(error))
                    Q_EMIT keychainUnavailable(saved.id, error);
                if (ctx)
                    done(saved, error.userMessage());
                return;
            }
            // The keychain now holds the token: a session-only copy would shadow it.
            forgetSessionToken(saved.id);
            m_profiles->setHasStoredToken(saved.id, true);
            saved.hasStoredToken = true;
            if (ctx)
                done(saved, QString());
        });
}

void SessionManager::removeProfile(
    const QString &profileId, QObject *context, RemoveCallback done, bool evenIfKeychainFails)
{
    if (!context)
        context = this;
    const auto profile = m_profiles->profile(profileId);
    if (!profile) {
        //: Shown in parentheses after "The keyring reported an error".
        const KeychainError unknown(KeychainError::Kind::Other, tr("no such profile"));
        deliver(context, [done, unknown] { done(false, unknown); });
        return;
    }
    const QStringList vaultIds = m_profiles->vaultConnectionIds(profileId);
    const bool hadSecrets = profile->hasStoredToken || !vaultIds.isEmpty();
    QPointer<QObject> ctx(context);
    m_secrets->removeProfileSecrets(profileId, vaultIds, this,
        [this, ctx, done, profileId, hadSecrets, evenIfKeychainFails](const KeychainError &error) {
            if (!error.ok() && hadSecrets && !evenIfKeychainFails) {
                qCInfo(lcSessions) << "profile" << profileId << "kept: its secrets could not be removed ("
                                   << KeychainError::kindName(error.kind) << ")";
                if (isKeychainUnavailable(error))
                    Q_EMIT keychainUnavailable(profileId, error);
                if (ctx)
                    done(false, error);
                return;
            }
            forgetSessionToken(profileId);
            const bool wasActive = m_session && !m_session->isTemporary() && m_session->profile().id == profileId;
            if (!m_profiles->remove(profileId)) {
                //: Shown in parentheses after "The keyring reported an error".
                if (ctx)
                    done(
                        false, KeychainError(KeychainError::Kind::Other, tr("the settings file could not be written")));
                return;
            }
            qCInfo(lcSessions) << "removed profile" << profileId;
            if (wasActive)
                install(nullptr);
            if (ctx)
                done(true, (error.ok() || !hadSecrets) ? KeychainError() : error);
        });
}

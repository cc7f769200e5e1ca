#include "connectionvault.h"

#include "profilestore.h"
#include "secretstore.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>
#include <QLoggingCategory>
#include <QPointer>
#include <QSettings>

#include <memory>

Q_LOGGING_CATEGORY(lcVault, "ppg.vault", QtInfoMsg)

namespace {

QString keepKey(const QString &profileId)
{
    return QStringLiteral("profiles/%1/keepConnectionStrings").arg(profileId);
}

// Runs `f` later on `context`'s thread; dropped if `context` is destroyed first.
template <typename F> void deliver(QObject *context, F &&f)
{
    QMetaObject::invokeMethod(context, std::forward<F>(f), Qt::QueuedConnection);
}

QByteArray encode(const Connection &c)
{
    QJsonObject o;
    if (c.direct && !c.direct->connectionString.isEmpty())
        o.insert(QStringLiteral("direct"), c.direct->connectionString);
    if (c.pooled && !c.pooled->connectionString.isEmpty())
        o.insert(QStringLiteral("pooled"), c.pooled->connectionString);
    if (c.accelerate && !c.accelerate->connectionString.isEmpty())
        o.insert(QStringLiteral("accelerate"), c.accelerate->connectionString);
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

bool decode(const QByteArray &bytes, ConnectionSecrets *out)
{
    QJsonParseError error {};
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return false;
    const QJsonObject o = doc.object();
    out->direct = o.value(QStringLiteral("direct")).toString();
    out->pooled = o.value(QStringLiteral("pooled")).toString();
    out->accelerate = o.value(QStringLiteral("accelerate")).toString();
    return !out->isEmpty();
}

} // namespace

ConnectionVault::ConnectionVault(ProfileStore *profiles, SecretStore *secrets, QObject *parent)
    : QObject(parent), m_profiles(profiles), m_secrets(secrets)
{
    Q_ASSERT(m_profiles && m_secrets);
}

bool ConnectionVault::keepByDefault(const QString &profileId) const
{
    const QString file = m_profiles->fileName();
    if (file.isEmpty())
        return m_keepFallback.value(profileId, true);
    QSettings settings(file, QSettings::IniFormat);
    return settings.value(keepKey(profileId), true).toBool();
}

void ConnectionVault::setKeepByDefault(const QString &profileId, bool keep)
{
    if (!m_profiles->profile(profileId))
        return; // never create a settings group for a profile that does not exist
    const QString file = m_profiles->fileName();
    if (file.isEmpty()) {
        m_keepFallback.insert(profileId, keep);
        return;
    }
    // Same lock as ProfileStore's writers, so no process writes back a stale view.
    QDir().mkpath(QFileInfo(file).absolutePath());
    QLockFile lock(file + QStringLiteral(".ppg-lock"));
    if (!lock.tryLock(5000)) {
        qCWarning(lcVault) << "could not lock" << file << "to store the keep choice";
        return;
    }
    QSettings settings(file, QSettings::IniFormat);
    settings.sync();
    if (!settings.contains(QStringLiteral("profiles/%1/name").arg(profileId)))
        return; // removed meanwhile
    settings.setValue(keepKey(profileId), keep);
    settings.sync();
}

bool ConnectionVault::has(const QString &profileId, const QString &connectionId) const
{
    return !connectionId.isEmpty() && m_profiles->vaultConnectionIds(profileId).contains(connectionId);
}

void ConnectionVault::keep(const QString &profileId, const Connection &connection, QObject *context,
    std::function<void(const KeychainError &)> done)
{
    if (!context)
        context = this;
    QPointer<QObject> ctx(context);
    const QString connectionId = connection.id;
    if (connectionId.isEmpty() || !m_profiles->profile(profileId)) {
        //: Shown in parentheses after "The keyring reported an error".
        const KeychainError unknown(KeychainError::Kind::Other, tr("unknown profile or connection"));
        deliver(context, [done, unknown] { done(unknown); });
        return;
    }
    if (!connection.carriesConnectionString()) {
        //: Shown in parentheses after "The keyring reported an error".
        const KeychainError empty(KeychainError::Kind::Other, tr("the reply carried no connection string"));
        deliver(context, [done, empty] { done(empty); });
        return;
    }
    const bool wasKept = has(profileId, connectionId);
    const QString key = SecretStore::connectionKey(profileId, connectionId);
    m_secrets->write(key, encode(connection), this,
        [this, ctx, done, profileId, connectionId, key, wasKept](const KeychainError &error) {
            if (error.ok()) {
                if (!m_profiles->addVaultConnection(profileId, connectionId)) {
                    // Without the index nobody could find the entry again: take it back out.
                    qCWarning(lcVault) << "could not index" << connectionId << "of profile" << profileId;
                    m_secrets->remove(key, this, [](const KeychainError &) {});
                    //: Shown in parentheses after "The keyring reported an error".
                    const KeychainError failed(
                        KeychainError::Kind::Other, tr("could not record the connection in the settings file"));
                    if (ctx)
                        deliver(ctx, [done, failed] { done(failed); });
                    return;
                }
                qCDebug(lcVault) << "kept connection" << connectionId << "of profile" << profileId;
                Q_EMIT changed(profileId, connectionId);
                if (ctx)
                    deliver(ctx, [done] { done(KeychainError()); });
                return;
            }
            if (wasKept) {
                // The old entry holds strings the service has replaced (rotation): drop it if we can.
                m_secrets->remove(key, this, [this, profileId, connectionId](const KeychainError &removed) {
                    if (removed.ok() && m_profiles->removeVaultConnection(profileId, connectionId))
                        Q_EMIT changed(profileId, connectionId);
                });
            }
            if (ctx)
                deliver(ctx, [done, error] { done(error); });
        });
}

void ConnectionVault::fetch(const QString &profileId, const QString &connectionId, QObject *context,
    std::function<void(const ConnectionSecrets &, const KeychainError &)> done)
{
    if (!context)
        context = this;
    if (!has(profileId, connectionId)) {
        deliver(context, [done] {
            done(ConnectionSecrets {},
                KeychainError(KeychainError::Kind::NotFound, QStringLiteral("connection string not kept")));
        });
        return;
    }
    m_secrets->read(SecretStore::connectionKey(profileId, connectionId), context,
        [done, connectionId](const QByteArray &secret, const KeychainError &error) {
            if (!error.ok()) {
                done(ConnectionSecrets {}, error);
                return;
            }
            ConnectionSecrets secrets;
            if (!decode(secret, &secrets)) {
                qCWarning(lcVault) << "vault entry of" << connectionId << "is not readable";
                //: Shown in parentheses after "The keyring reported an error".
                const KeychainError damaged(KeychainError::Kind::Other, tr("the kept entry is damaged"));
                done(ConnectionSecrets {}, damaged);
                return;
            }
            done(secrets, KeychainError());
        });
}

void ConnectionVault::forget(const QString &profileId, const QString &connectionId, QObject *context,
    std::function<void(const KeychainError &)> done)
{
    if (!context)
        context = this;
    QPointer<QObject> ctx(context);
    if (connectionId.isEmpty()) {
        deliver(context, [done] { done(KeychainError()); });
        return;
    }
    m_secrets->remove(SecretStore::connectionKey(profileId, connectionId), this,
        [this, ctx, done, profileId, connectionId](const KeychainError &error) {
            if (error.ok() && m_profiles->removeVaultConnection(profileId, connectionId)) {
                qCDebug(lcVault) << "forgot connection" << connectionId << "of profile" << profileId;
                Q_EMIT changed(profileId, connectionId);
            }
            if (ctx)
                deliver(ctx, [done, error] { done(error); });
        });
}

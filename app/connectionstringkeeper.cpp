#include "connectionstringkeeper.h"

#include "resourceworkflows.h"
#include "session.h"
#include "sessionmanager.h"

#include <QTimer>

ConnectionStringKeeper::ConnectionStringKeeper(SessionManager *sessions, ResourceWorkflows *workflows, QObject *parent)
    : QObject(parent), m_sessions(sessions)
{
    connect(workflows, &ResourceWorkflows::connectionStringIssued, this,
        [this](const QString &, const Connection &connection, bool rotated, const QString &profileId) {
            onIssued(connection, rotated, profileId);
        });
    connect(workflows, &ResourceWorkflows::connectionDeleted, this, &ConnectionStringKeeper::onDeleted);
    connect(m_sessions->vault(), &ConnectionVault::changed, this, &ConnectionStringKeeper::changed);
}

QString ConnectionStringKeeper::profileId() const
{
    const Session *s = m_sessions->session();
    return s && !s->isTemporary() ? s->profile().id : QString();
}

bool ConnectionStringKeeper::isKept(const QString &connectionId) const
{
    const QString profile = profileId();
    return !profile.isEmpty() && m_sessions->vault()->has(profile, connectionId);
}

void ConnectionStringKeeper::fetch(const QString &connectionId, QObject *context,
    std::function<void(const ConnectionSecrets &, const KeychainError &)> done)
{
    const QString profile = profileId();
    if (profile.isEmpty()) {
        QTimer::singleShot(
            0, context, [done = std::move(done)] { done({}, KeychainError(KeychainError::Kind::NotFound)); });
        return;
    }
    m_sessions->vault()->fetch(profile, connectionId, context, std::move(done));
}

void ConnectionStringKeeper::onIssued(const Connection &connection, bool rotated, const QString &profile)
{
    if (profile.isEmpty())
        return; // a temporary session keeps nothing
    ConnectionVault *vault = m_sessions->vault();
    if (!vault->keepByDefault(profile)) {
        if (rotated && vault->has(profile, connection.id))
            vault->forget(profile, connection.id, this, [](const KeychainError &) {}); // the old one no longer works
        return;
    }
    vault->keep(profile, connection, this, [this, name = connection.name](const KeychainError &e) {
        if (e.ok())
            Q_EMIT kept(name);
        else
            Q_EMIT keepFailed(name, e);
    });
}

void ConnectionStringKeeper::onDeleted(const QString &connectionId, const QString &profile)
{
    if (profile.isEmpty() || !m_sessions->vault()->has(profile, connectionId))
        return;
    m_sessions->vault()->forget(profile, connectionId, this, [this](const KeychainError &e) {
        if (!e.ok())
            Q_EMIT forgetFailed(e);
    });
}

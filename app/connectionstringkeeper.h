// ConnectionStringKeeper: keeps and forgets the connection strings of the active profile, so that
// what the service shows once can be copied later.
//
// - Create and rotate (ResourceWorkflows::connectionStringIssued): the string is kept in the
//   ConnectionVault (the keychain) when the profile keeps strings by default; when it does not,
//   a rotation forgets the string kept before (the old credentials no longer work).
// - Delete (ResourceWorkflows::connectionDeleted): the kept string is forgotten.
// Both go to the profile whose session sent the request (in All Profiles it may no longer be the
// acting one when the answer comes); isKept() and fetch() read the acting profile's.
// A temporary session (PRISMA_SERVICE_TOKEN) keeps nothing. Outcomes are signals (the keychain
// answers later); errors are KeychainError. Nothing here logs a secret or writes one to a file.
#pragma once

#include "connectionvault.h"
#include "keychainerror.h"

#include <QObject>
#include <QString>

#include <functional>

class ResourceWorkflows;
class SessionManager;
struct Connection;

class ConnectionStringKeeper : public QObject
{
    Q_OBJECT
public:
    ConnectionStringKeeper(SessionManager *sessions, ResourceWorkflows *workflows, QObject *parent = nullptr);

    // Whether a string of this connection is kept for the active profile (no keychain access).
    bool isKept(const QString &connectionId) const;
    // Reads the kept strings of the active profile's connection. Not kept (or a temporary
    // session): NotFound, later, without asking the keychain.
    void fetch(const QString &connectionId, QObject *context,
        std::function<void(const ConnectionSecrets &, const KeychainError &)> done);

Q_SIGNALS:
    void kept(const QString &connectionName);
    void keepFailed(const QString &connectionName, const KeychainError &error);
    void forgetFailed(const KeychainError &error);
    // What isKept() answers may have changed.
    void changed();

private:
    void onIssued(const Connection &connection, bool rotated, const QString &profile);
    void onDeleted(const QString &connectionId, const QString &profile);
    QString profileId() const; // the active, saved profile; empty for none or a temporary one

    SessionManager *m_sessions;
};

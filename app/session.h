// Session: one profile (or a temporary token) bound to the ApiClient that speaks for it.
//
// Every request belongs to a session. Destroying the session destroys its client, which ends its
// outstanding calls without delivering them: nothing of one account reaches another's views.
// A temporary session (PRISMA_SERVICE_TOKEN with --api-url) is saved nowhere.
#pragma once

#include "profile.h"

#include <QObject>

class ApiClient;

class Session : public QObject
{
    Q_OBJECT
public:
    // `token` is handed over to the client, which wipes it when the session ends.
    Session(Profile profile, QByteArray token, bool temporary, QObject *parent = nullptr);
    ~Session() override;

    const Profile &profile() const { return m_profile; }
    ApiClient *client() const { return m_client; }
    bool isTemporary() const { return m_temporary; }

private:
    Profile m_profile;
    bool m_temporary;
    ApiClient *m_client;
};

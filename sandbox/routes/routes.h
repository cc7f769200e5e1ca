#pragma once
// The route handlers: one function per path of the API (docs/MANAGEMENT-API.md), defined in the
// file of its resource (routes/<resource>.cpp). ApiServer registers them, authenticates the
// request and calls one with its Call; the handler checks the method, reads the request, asks
// the StateStore and answers with a Reply made by replies.h and ResourceJson. Handlers do no
// SQL and no socket work.
// Errors: the API's error envelope (replies.h); 405 method_not_allowed for a method the path
// does not serve, 404 not_found for a resource the credential cannot see.

#include "replies.h"

#include <QHttpServerRequest>
#include <QString>

class Backups;
class Faults;
class ResourceJson;
class StateStore;
struct Credential;

namespace routes {

// What handlers answer from: the state, the JSON of its resources, and the backups (with the
// slow work of restores and clones).
struct Services
{
    StateStore &store;
    const ResourceJson &json;
    Backups &backups;
};

// One authenticated request: who asks, the path's {id} (empty for paths without one), the HTTP
// request (method, query, body) and the path's second id (e.g. {serviceTokenId}; empty for paths
// with fewer).
struct Call
{
    const Credential &cred;
    const QString &id;
    const QHttpServerRequest &request;
    QString childId = {};

    QHttpServerRequest::Method method() const { return request.method(); }
};

using Handler = Reply (*)(const Services &services, const Call &call);

// workspaces.cpp
Reply me(const Services &s, const Call &call); // GET /v1/me
Reply workspaces(const Services &s, const Call &call); // GET /v1/workspaces
Reply workspace(const Services &s, const Call &call); // GET /v1/workspaces/{id}
// servicetokens.cpp
// GET, POST /v1/workspaces/{workspaceId}/service-tokens
Reply serviceTokens(const Services &s, const Call &call);
// DELETE /v1/workspaces/{workspaceId}/service-tokens/{serviceTokenId} (childId)
Reply serviceToken(const Services &s, const Call &call);
// subscription.cpp
Reply workspaceSubscription(const Services &s, const Call &call); // GET /v1/workspaces/{id}/subscription
// regions.cpp
Reply regions(const Services &s, const Call &call); // GET /v1/regions/postgres
// projects.cpp
Reply projects(const Services &s, const Call &call); // GET, POST /v1/projects
Reply project(const Services &s, const Call &call); // GET, PATCH, DELETE /v1/projects/{id}
Reply transferProject(const Services &s, const Call &call); // POST /v1/projects/{id}/transfer
// databases.cpp
Reply projectDatabases(const Services &s, const Call &call); // GET, POST /v1/projects/{id}/databases
Reply databases(const Services &s, const Call &call); // GET, POST /v1/databases
Reply database(const Services &s, const Call &call); // GET, PATCH, DELETE /v1/databases/{id}
// connections.cpp
Reply databaseConnections(const Services &s, const Call &call); // GET, POST /v1/databases/{id}/connections
Reply connections(const Services &s, const Call &call); // GET, POST /v1/connections
Reply connection(const Services &s, const Call &call); // GET, DELETE /v1/connections/{id}
Reply rotateConnection(const Services &s, const Call &call); // POST /v1/connections/{id}/rotate
// usage.cpp
Reply databaseUsage(const Services &s, const Call &call); // GET /v1/databases/{id}/usage
// backups.cpp
Reply databaseBackups(const Services &s, const Call &call); // GET /v1/databases/{id}/backups
Reply restoreDatabase(const Services &s, const Call &call); // POST /v1/databases/{id}/restore

// sandboxfaults.cpp: GET, PUT /_sandbox/faults (no auth, no faults applied).
Reply sandboxFaults(Faults &faults, const QHttpServerRequest &request);
// backups.cpp: POST /_sandbox/databases/{id}/backups, a backup now (no auth, no faults applied):
// 201 {"data": the backup as the list shows it}; 404, 409 while data moves in, 422 when seeded.
Reply sandboxBackup(const Services &s, const QString &databaseId, const QHttpServerRequest &request);

// subscription.cpp: POST /_sandbox/workspaces/{id}/subscription {"planName"?, "usageBlocked"?}, the
// workspace's plan set (no auth, no faults applied): 200 {"data": the subscription as the GET shows
// it}; 404 for an unknown workspace, 422 for a body that is not such an object.
Reply sandboxSubscription(const Services &s, const QString &workspaceId, const QHttpServerRequest &request);

} // namespace routes

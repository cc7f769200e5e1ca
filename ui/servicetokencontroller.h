// ServiceTokenController: the service-token flows of one Service Tokens dialog.
//
// open() picks the workspace (ServiceTokenPolicy::workspaceFor: the current row's, or the
// session's only one; without one it says to select a workspace), opens a ServiceTokensDialog
// and lists the workspace's service tokens (AccountQueries::serviceTokens, GET
// /v1/workspaces/{workspaceId}/service-tokens). Create Token… asks names and colour
// (CreateServiceTokenDialog); ServiceTokenWorkflow then creates the token (POST) and saves it as a
// new profile, its value straight into the keychain; the list is listed again and the status says
// "Token “ci” created and saved as profile “staging-ci”". A lost answer or a failed save is said
// in words; after a failed save it offers to revoke the token, whose value is lost. Revoke… and
// Del ask first (naming the token and, first and plainly, the active profile when it uses the
// token, then the other saved profiles that do), then revoke it (DELETE; 404 counts as already
// revoked) and the row goes. A revoked profile is kept: its next request is refused (401) and the
// window's "token refused" message follows. The dialog closes when the session changes.
// Errors are shown in the dialog's status line (ApiError::userMessage()), never as a value.
#pragma once

#include "resources.h"

#include <QObject>
#include <QPointer>
#include <QUrl>

class ConsoleCore;
class QModelIndex;
class QWidget;
class ServiceTokenModel;
class ServiceTokensDialog;
class ServiceTokenWorkflow;
struct RevokeImpact;

class ServiceTokenController : public QObject
{
    Q_OBJECT
public:
    // Opens the dialog for the workspace of `current` (a source index of core->model, may be
    // invalid) over `window`; it deletes itself (and this controller) when closed. nullptr when
    // there is no session or no workspace to list (the user was told why).
    static ServiceTokensDialog *open(ConsoleCore *core, const QModelIndex &current, QWidget *window);

private:
    ServiceTokenController(ConsoleCore *core, const ResourceRef &workspace, QWidget *window);

    // Lists the tokens; `status` (if any) stays in the status line instead of the count.
    void list(const QString &status = {});
    void askCreate();
    void create(const QString &tokenName, const QString &profileName, const QColor &color);
    void offerRevokeOfUnsaved(const ServiceToken &token, const QString &profileName, const QString &saveError);
    void askRevoke(const QString &tokenId);
    void revoke(const QString &tokenId, const QString &name, const RevokeImpact &impact);

    ConsoleCore *m_core;
    ResourceRef m_workspace;
    QUrl m_apiUrl; // the session's
    QString m_activeProfileId; // empty for a temporary session
    ServiceTokenModel *m_model;
    ServiceTokenWorkflow *m_workflow;
    QPointer<ServiceTokensDialog> m_dialog;
    quint64 m_listSerial = 0;
    QString m_selectAfterList;
};

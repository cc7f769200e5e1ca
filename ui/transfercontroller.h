// TransferController: moves the current project to the workspace of another saved profile
// (Resource > Transfer Project to Another Workspace…). TransferDialog picks the destination and
// has the project's name typed; the destination profile's token is read from the keychain
// (SessionManager::readToken) and handed to ResourceWorkflows::transferProject
// (POST /v1/projects/{id}/transfer, as recipientAccessToken), never shown or logged. The project
// leaves this tree after the service's 204; the destination profile's tree lists it.
// Errors: no other profile (says to add one), a keychain that cannot give the token (its words),
// and the service's refusals (401 a refused destination token, 404, 409) through WorkflowFeedback.
#pragma once

#include <QObject>

class ConsoleCore;
class QWidget;
class ResourceTreeView;

class TransferController : public QObject
{
    Q_OBJECT
public:
    TransferController(ConsoleCore *core, ResourceTreeView *tree, QWidget *window);

    void transferCurrent();

Q_SIGNALS:
    void statusMessage(const QString &text, int timeoutMs);

private:
    ConsoleCore *m_core;
    ResourceTreeView *m_tree;
    QWidget *m_window;
};

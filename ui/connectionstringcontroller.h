// ConnectionStringController: the connection-string flows of the window.
// - Issued (create, rotate): shows the string the service returns once, masked, in a
//   ConnectionStringDialog (ConnectionStringKeeper keeps it in the keychain meanwhile).
// - Show (Ctrl+E): the kept string of the current connection, read from the keychain; when none
//   was kept, says so and offers to rotate the credentials for a new one. Test Connection and
//   Write to .env open the same dialog and press its button of that name.
// - Copy (Ctrl+C): the kept string, copied as a secret (SecretClipboard: password-manager hint,
//   cleared after a while); anything else, or when the keychain cannot be read, the id.
// - Rotate: confirmed (RotateConfirmDialog), then sent by ResourceWorkflows.
// Secrets pass through here in memory only; nothing is logged.
#pragma once

#include "connectsnippets.h"

#include <QObject>

class ConsoleCore;
class ResourceTreeView;
class SecretClipboard;
class QWidget;
struct Connection;

class ConnectionStringController : public QObject
{
    Q_OBJECT
public:
    // `window` parents the dialogs; none is owned.
    ConnectionStringController(ConsoleCore *core, ResourceTreeView *tree, SecretClipboard *clipboard, QWidget *window);

    // What the Connect dialog does once open: nothing, Test connection, or Write to .env.
    enum class Then { Show, Test, WriteEnv };
    void showKept(Then then = Then::Show);
    void copyCurrent();
    void rotateCurrent();

Q_SIGNALS:
    void statusMessage(const QString &text, int timeoutMs);

private:
    void showIssued(const QString &title, const Connection &connection, bool rotated);
    void offerRotateForLostString(const QString &name);
    // Where the connection lives, from the tree (its database, project and workspace rows), for the
    // Alchemy snippets; the connection's own database reference when the tree has no row for it.
    ConnectSnippets::Context snippetContext(const Connection &connection) const;

    ConsoleCore *m_core;
    ResourceTreeView *m_tree;
    SecretClipboard *m_clipboard;
    QWidget *m_window;
};

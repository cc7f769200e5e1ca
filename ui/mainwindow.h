// MainWindow: the console's window. Lays out the resource tree (ResourceTreeView) beside the
// details pane under the plan banner (PlanBanner: a workspace's usage is blocked), the toolbar (profile switcher,
// New/Delete/Refresh, search), the activity dock and the status line, and wires the actions (ConsoleActions) to the
// controller of each flow: create, delete, protection, connection strings, profiles, and the feedback of operations. It
// holds no policy and sends no request: ConsoleCore (app/) does the work. The command palette (Ctrl+K,
// CommandPalette over a CommandPaletteIndex) runs what it finds with the same actions: a resource is
// selected in the tree, then its action triggered, so the row's profile acts. Geometry, dock and splitter state and
// column widths are kept in QSettings (never a secret); the tree view keeps each profile's expanded branches. How the
// layers fit together: docs/ARCHITECTURE.md.
#pragma once

#include "commandpaletteindex.h"
#include "consolelink.h"

#include <QMainWindow>
#include <QPointer>

#include <functional>
#include <memory>
#include <vector>

class ActivityDock;
class BackupController;
class CommandPalette;
class ConnectionStringController;
class ConsoleActions;
class ConsoleCore;
class CreateController;
class DeleteController;
class DetailsPane;
class LinkController;
class PlanBanner;
class ProfileController;
class ProfileSwitcher;
class ProtectionController;
class QAction;
class QLabel;
class QLineEdit;
class QMessageBox;
class QProgressBar;
class QSplitter;
class RenameController;
class ResourceTreeModel;
class ResourceTreeView;
class SecretClipboard;
class Session;
class TransferController;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(ConsoleCore *core, QWidget *parent = nullptr);
    ~MainWindow() override;

    ResourceTreeView *treeView() const { return m_tree; }
    ResourceTreeModel *model() const;
    QLineEdit *searchBox() const { return m_search; }
    DetailsPane *detailsPane() const { return m_details; }
    PlanBanner *planBanner() const { return m_planBanner; }
    ConsoleActions *actions() const { return m_actions; }
    ActivityDock *activityDock() const { return m_activity; }
    CommandPalette *commandPalette() const { return m_palette; }
    // Opens the command palette (Ctrl+K) holding `text`; its index is read again from the model
    // when the model changed since the last time.
    void openCommandPalette(const QString &text = QString());
    // Calls `ready` once the workspaces and the first workspace's projects are on screen (or failed).
    void whenFirstLevelsLoaded(std::function<void()> ready);
    // The source-model index of the current row.
    QModelIndex currentSourceIndex() const;
    // Asks whether to create a profile from PRISMA_SERVICE_TOKEN (never silently).
    void offerImport(QByteArray token);
    // Makes the row of `id` current (source model id), if it is in the tree.
    bool selectId(const QString &id);
    // Opens a console link (LinkController): its profile, then its resource selected. A malformed
    // link, or one that cannot be followed, is shown in a message box; `done` gets the outcome in
    // words either way. The window comes to the front.
    using LinkDone = std::function<void(bool ok, const QString &message)>;
    void openLink(const QString &text, LinkDone done = {});
    void openLink(const ConsoleLink &link, LinkDone done = {});
    // The link Copy Link gives for the current row (empty: none).
    QString currentLink() const;

    QAction *deleteAction() const;
    QAction *newAction() const;
    QAction *protectAction() const;
    QAction *copyAction() const;
    QAction *rotateAction() const;

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createToolBar();
    void wireActions();
    void onSessionChanged(Session *session);
    void updateActions();
    void updateTitle();
    void showSessionLabel(const Session *session);
    void showContextMenu(const QPoint &pos);
    void refreshCurrent();
    void restoreWindowState();
    void showStatus(const QString &text, int timeoutMs);
    void runPaletteHit(const CommandPaletteIndex::Hit &hit);
    bool revealId(const QString &id);
    void showLinkProblem(const QString &message);

    ConsoleCore *m_core;
    ConsoleActions *m_actions;
    ResourceTreeView *m_tree;
    DetailsPane *m_details;
    QSplitter *m_splitter;
    PlanBanner *m_planBanner;
    SecretClipboard *m_clipboard;
    ProfileSwitcher *m_profileSwitcher = nullptr;
    QLineEdit *m_search = nullptr;
    QLabel *m_sessionLabel;
    QProgressBar *m_progress;
    CreateController *m_create;
    DeleteController *m_delete;
    ProtectionController *m_protection;
    ConnectionStringController *m_connectionStrings;
    ProfileController *m_profiles;
    BackupController *m_backups;
    RenameController *m_rename;
    TransferController *m_transfer;
    LinkController *m_links;
    QPointer<QMessageBox> m_linkProblem; // the one box a link that cannot be opened shows (closed: null)
    ActivityDock *m_activity = nullptr;
    std::unique_ptr<CommandPaletteIndex> m_paletteIndex;
    CommandPalette *m_palette;
    bool m_paletteStale = true; // the model changed since the index last read it
    QList<QAction *> m_paletteVerbActions; // by Verb::key
    std::vector<std::function<void()>> m_paletteCommands; // by Command::key
};

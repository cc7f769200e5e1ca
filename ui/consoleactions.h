// ConsoleActions: every QAction of the main window with its text, shortcut and tip; the menu bar,
// the toolbar's buttons and the tree's context menu built from them; and their enablement for
// the current row (update()). The actions are added to the window, so their shortcuts work
// wherever the focus is. Triggering is wired by the window to the controller of each flow.
#pragma once

#include "deletepolicy.h"
#include "resources.h"
#include "restorepolicy.h"

#include <QObject>

class QAction;
class QMenu;
class QMenuBar;
class QToolBar;
class QWidget;

class ConsoleActions : public QObject
{
    Q_OBJECT
public:
    // What the enablement depends on: the active session and the current row.
    struct State
    {
        bool hasSession = false; // a session acts for the current row
        bool canRefresh = false; // some level can be listed again (any session)
        ResourceKind kind = ResourceKind::Placeholder; // of the current row (Placeholder: none)
        bool isProtected = false; // the current project or database
        bool keptConnectionString = false; // the current connection's string is kept
        bool canLink = false; // the current row is a resource of a saved profile (Copy Link)
        DeleteVerdict deleteVerdict;
        RestoreVerdict restoreInPlaceVerdict; // of the current database
        RestoreVerdict cloneVerdict;
    };

    explicit ConsoleActions(QWidget *window);

    void populateMenuBar(QMenuBar *bar);
    // New, Delete and Refresh, for the toolbar.
    void populateToolBar(QToolBar *bar);
    // The actions that fit a row of `kind`, for the tree's context menu.
    void populateContextMenu(QMenu *menu, ResourceKind kind) const;
    // The View menu, where docks add their toggles.
    QMenu *viewMenu() const { return m_viewMenu; }

    // An action of the command palette on a resource of `kind`: `prefix` is read before the
    // resource's label ("New database in shop-prod"); running it selects the resource, then
    // triggers `action`.
    struct PaletteVerb
    {
        QAction *action;
        ResourceKind kind;
        QString prefix;
    };
    QList<PaletteVerb> paletteVerbs() const;
    // The actions the palette offers on their own (not on a resource).
    QList<QAction *> paletteCommands() const;
    // The actions that fit a row of `kind`, as the details pane's buttons.
    QList<QAction *> detailsActions(ResourceKind kind) const;
    // An action's text for a list: without its mnemonic.
    static QString plainText(const QAction *action);

    void update(const State &state);

    QAction *const newInContext;
    QAction *const newProject;
    QAction *const newDatabase;
    QAction *const newConnection;
    QAction *const deleteResource;
    QAction *const protect;
    QAction *const rotate;
    QAction *const rename; // F2: projects and databases, in place in the tree
    QAction *const transferProject;
    QAction *const serviceTokens; // the current workspace's service tokens
    QAction *const showConnectionString;
    QAction *const testConnection; // the Connect dialog, testing the kept string
    QAction *const writeEnvFile; // the Connect dialog, writing the kept string to a .env file
    QAction *const showBackups;
    QAction *const restoreIntoNewDatabase;
    QAction *const restoreInPlace;
    QAction *const cloneDatabase;
    QAction *const refresh;
    QAction *const refreshAll;
    QAction *const copy;
    QAction *const copyLink; // ppg-console://open?profile=…&id=… of the current row (ConsoleLink)
    QAction *const find;
    QAction *const commandPalette; // Ctrl+K, Ctrl+Shift+P
    QAction *const allProfiles; // checkable: every saved profile's workspace at once
    QAction *const addProfile;
    QAction *const manageProfiles;
    QAction *const quit;
    QAction *const about;

private:
    QMenu *m_viewMenu = nullptr;
};

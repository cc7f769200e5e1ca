// MainWindow: the console. A resource tree (ResourceTreeModel behind ResourceFilterProxyModel)
// beside a details pane, a search box, an activity dock, a profile switcher, and the actions to
// create, delete (with protection and confirmation), rotate, refresh and copy.
// All work goes through SessionManager (profiles, tokens) and ResourceWorkflows (create, delete,
// rotate); the window only collects input and shows outcomes. Geometry, dock and splitter state,
// column widths and the expanded branches of each profile are kept in QSettings (never a secret).
// Search: each text opens the way to every match and keeps the current row when it is a match;
// clearing it gives back the branches the user had opened (not those the search opened).
#pragma once

#include <QMainWindow>
#include <QPersistentModelIndex>
#include <QPointer>
#include <QSet>

#include <functional>

class ActivityModel;
class ApiError;
class DeleteProtection;
class DetailsPane;
class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QMenu;
class QProgressBar;
class QTreeView;
class ResourceFilterProxyModel;
class ResourceTreeModel;
class ResourceWorkflows;
class SecretClipboard;
class Session;
class SessionManager;
struct Connection;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    MainWindow(SessionManager *sessions, ResourceTreeModel *model, ResourceWorkflows *workflows,
               ActivityModel *activity, DeleteProtection *protection, QWidget *parent = nullptr);
    ~MainWindow() override;

    QTreeView *treeView() const { return m_tree; }
    ResourceTreeModel *model() const { return m_model; }
    QLineEdit *searchBox() const { return m_search; }
    DetailsPane *detailsPane() const { return m_details; }
    // Calls `ready` once the workspaces and the first workspace's projects are on screen (or failed).
    void whenFirstLevelsLoaded(std::function<void()> ready);
    // The source-model index of the current row.
    QModelIndex currentSourceIndex() const;
    // Asks whether to create a profile from PRISMA_SERVICE_TOKEN (never silently).
    void offerImport(QByteArray token);
    // Makes the row of `id` current (source model id), if it is in the tree.
    bool selectId(const QString &id);

    QAction *deleteAction() const { return m_deleteAction; }
    QAction *newAction() const { return m_newAction; }
    QAction *protectAction() const { return m_protectAction; }
    QAction *copyAction() const { return m_copyAction; }
    QAction *rotateAction() const { return m_rotateAction; }

protected:
    void closeEvent(QCloseEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void createActions();
    void createMenus();
    void createDocks();
    void onSessionChanged(Session *session);
    void rebuildProfileSwitcher();
    void updateActions();
    void updateTitle();
    void newInContext();
    void newProject();
    void newDatabase();
    void newConnection();
    void deleteSelected();
    void offerDeletingOtherDatabases(const QString &projectId, const QString &name, const ApiError &error);
    void toggleProtection();
    void rotateSelected();
    void showKeptConnectionString();
    void offerRotateForLostString(const QString &name);
    void refreshSelected();
    void refreshAll();
    void copySelected();
    void addProfile();
    void manageProfiles();
    void focusSearch();
    void onSearchChanged(const QString &text);
    void showConnectionString(const QString &title, const Connection &connection, bool rotated);
    void showContextMenu(const QPoint &pos);
    void onLevelLoaded(const QModelIndex &parent);
    void restoreWindowState();
    void saveExpanded();
    void restoreExpandedUnder(const QModelIndex &sourceParent);
    bool spanIfPlaceholder(int row, const QModelIndex &parent);
    void spanPlaceholders(const QModelIndex &parent);
    void expandSearchResults();
    void restoreCurrent();

    SessionManager *m_sessions;
    ResourceTreeModel *m_model;
    ResourceWorkflows *m_workflows;
    ActivityModel *m_activity;
    DeleteProtection *m_protection;
    ResourceFilterProxyModel *m_proxy;
    QTreeView *m_tree;
    DetailsPane *m_details;
    QComboBox *m_profileSwitcher = nullptr;
    QLineEdit *m_search = nullptr;
    QLabel *m_sessionLabel;
    QProgressBar *m_progress;
    SecretClipboard *m_clipboard;
    std::function<void()> m_firstLevelsReady;
    // The row last made current (a source index): a new search text re-selects it when it is shown.
    QPersistentModelIndex m_lastCurrent;
    QString m_profileKey;          // settings key of the active profile's expanded branches
    QSet<QString> m_expandedIds;   // to restore as levels arrive

    QAction *m_newAction = nullptr;
    QAction *m_newProjectAction = nullptr;
    QAction *m_newDatabaseAction = nullptr;
    QAction *m_newConnectionAction = nullptr;
    QAction *m_deleteAction = nullptr;
    QAction *m_protectAction = nullptr;
    QAction *m_rotateAction = nullptr;
    QAction *m_showStringAction = nullptr;
    QAction *m_refreshAction = nullptr;
    QAction *m_refreshAllAction = nullptr;
    QAction *m_copyAction = nullptr;
    QAction *m_findAction = nullptr;
    QAction *m_addProfileAction = nullptr;
    QAction *m_profilesAction = nullptr;
    QAction *m_quitAction = nullptr;
    QMenu *m_viewMenu = nullptr;
    QList<QAction *> m_profileActions;
};

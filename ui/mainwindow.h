// MainWindow: the console. A resource tree (ResourceTreeModel behind a sort proxy) beside a
// details pane, a profile switcher, and the actions to create, delete, refresh and copy.
// All work goes through SessionManager (profiles, tokens) and ResourceWorkflows (create/delete);
// the window only collects input and shows outcomes. Window geometry, splitter and column widths
// are kept in QSettings (no secret ever is).
#pragma once

#include <QMainWindow>
#include <QPointer>

#include <functional>

class ApiError;
class DetailsPane;
class QAction;
class QComboBox;
class QLabel;
class QSortFilterProxyModel;
class QTreeView;
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
               QWidget *parent = nullptr);
    ~MainWindow() override;

    QTreeView *treeView() const { return m_tree; }
    ResourceTreeModel *model() const { return m_model; }
    // Calls `ready` once the workspaces and the first workspace's projects are on screen (or failed).
    void whenFirstLevelsLoaded(std::function<void()> ready);
    // The source-model index of the current row.
    QModelIndex currentSourceIndex() const;

    QAction *deleteAction() const { return m_deleteAction; }
    QAction *newAction() const { return m_newAction; }

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createActions();
    void createMenus();
    void onSessionChanged(Session *session);
    void rebuildProfileSwitcher();
    void updateActions();
    void updateTitle();
    void newInContext();
    void newProject();
    void newDatabase();
    void newConnection();
    void deleteSelected();
    void refreshSelected();
    void refreshAll();
    void copyId();
    void addProfile();
    void showConnectionString(const QString &title, const Connection &connection);
    void onLevelLoaded(const QModelIndex &parent);
    void restoreState();

    SessionManager *m_sessions;
    ResourceTreeModel *m_model;
    ResourceWorkflows *m_workflows;
    QSortFilterProxyModel *m_proxy;
    QTreeView *m_tree;
    DetailsPane *m_details;
    QComboBox *m_profileSwitcher;
    QLabel *m_sessionLabel;
    SecretClipboard *m_clipboard;
    std::function<void()> m_firstLevelsReady;
    QString m_pendingSelection; // id to select once the tree has it

    QAction *m_newAction = nullptr;
    QAction *m_newProjectAction = nullptr;
    QAction *m_newDatabaseAction = nullptr;
    QAction *m_newConnectionAction = nullptr;
    QAction *m_deleteAction = nullptr;
    QAction *m_refreshAction = nullptr;
    QAction *m_refreshAllAction = nullptr;
    QAction *m_copyIdAction = nullptr;
    QAction *m_addProfileAction = nullptr;
    QAction *m_quitAction = nullptr;
};

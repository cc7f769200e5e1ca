// CreateController: the create flow. Asks for a new project, database or connection with a
// CreateResourceDialog (regions from AccountQueries), placed by the current row: a project in its
// workspace, a database in its project, a connection to its database; then hands the request to
// ResourceWorkflows, which sends it once and puts the service's answer into the tree.
#pragma once

#include <QObject>

class ConsoleCore;
class ResourceTreeView;
class QWidget;

class CreateController : public QObject
{
    Q_OBJECT
public:
    // `window` parents the dialogs; none is owned.
    CreateController(ConsoleCore *core, ResourceTreeView *tree, QWidget *window);

    // New project, database or connection, depending on the current row (Ctrl+N).
    void createInContext();
    void createProject();
    void createDatabase();
    void createConnection();

private:
    ConsoleCore *m_core;
    ResourceTreeView *m_tree;
    QWidget *m_window;
};

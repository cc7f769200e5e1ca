#include "consoleactions.h"

#include <QAction>
#include <QMenu>
#include <QMenuBar>
#include <QToolBar>
#include <QWidget>

namespace {

QAction *make(QWidget *window, const QString &text, const QKeySequence &key = {})
{
    auto *a = new QAction(text, window);
    if (!key.isEmpty())
        a->setShortcut(key);
    window->addAction(a);
    return a;
}

} // namespace

ConsoleActions::ConsoleActions(QWidget *window)
    : QObject(window)
    , newInContext(make(window, tr("&New…"), QKeySequence::New))
    , newProject(make(window, tr("New &Project…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P)))
    , newDatabase(make(window, tr("New &Database…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D)))
    , newConnection(make(window, tr("New C&onnection…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C)))
    , deleteResource(make(window, tr("&Delete…"), QKeySequence::Delete))
    , protect(make(window, tr("Allow &Deletion")))
    , rotate(make(window, tr("R&otate Credentials…")))
    , rename(make(window, tr("Re&name"), QKeySequence(Qt::Key_F2)))
    , transferProject(make(window, tr("&Transfer Project to Another Workspace…")))
    , serviceTokens(make(window, tr("Service &Tokens…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_T)))
    , showConnectionString(make(window, tr("Show Connection &String…"), QKeySequence(Qt::CTRL | Qt::Key_E)))
    , showBackups(make(window, tr("&Backups"), QKeySequence(Qt::CTRL | Qt::Key_B)))
    , restoreIntoNewDatabase(
          make(window, tr("Restore into a &New Database…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_B)))
    , restoreInPlace(make(window, tr("Restore in &Place…")))
    , cloneDatabase(make(window, tr("C&lone Database…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L)))
    , refresh(make(window, tr("&Refresh"), QKeySequence(Qt::Key_F5)))
    , refreshAll(make(window, tr("Refresh &All"), QKeySequence(Qt::CTRL | Qt::Key_R)))
    , copy(make(window, tr("&Copy ID"), QKeySequence::Copy))
    , find(make(window, tr("&Find…"), QKeySequence::Find))
    , allProfiles(make(window, tr("&All Profiles"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A)))
    , addProfile(make(window, tr("&Add Profile…")))
    , manageProfiles(make(window, tr("&Profiles…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M)))
    , quit(make(window, tr("&Quit"), QKeySequence::Quit))
    , about(make(window, tr("&About Prisma Postgres Console")))
{
    newInContext->setToolTip(tr("Create a project, database or connection here (Ctrl+N)"));
    showBackups->setToolTip(tr("Show the backups of the selected database (Ctrl+B)"));
    restoreIntoNewDatabase->setToolTip(
        tr("Restore a backup into a new database of the same project; nothing existing changes (Ctrl+Shift+B)"));
    cloneDatabase->setToolTip(tr("Make a new database holding this database's data as it is now (Ctrl+Shift+L)"));
    rename->setToolTip(tr("Rename the selected project or database (F2)"));
    transferProject->setToolTip(
        tr("Move the selected project, with its databases and connections, to the workspace of another profile"));
    serviceTokens->setToolTip(tr("List, create and revoke the workspace's service tokens (Ctrl+Shift+T)"));
    allProfiles->setCheckable(true);
    allProfiles->setToolTip(tr("Show every saved profile's workspace at once; an action on a node runs with "
                               "that node's profile (Ctrl+Shift+A)"));
    about->setMenuRole(QAction::AboutRole);
    quit->setMenuRole(QAction::QuitRole);
}

void ConsoleActions::populateMenuBar(QMenuBar *bar)
{
    QMenu *file = bar->addMenu(tr("&File"));
    file->addAction(manageProfiles);
    file->addAction(addProfile);
    file->addAction(serviceTokens);
    file->addSeparator();
    file->addAction(quit);

    QMenu *resource = bar->addMenu(tr("&Resource"));
    resource->addAction(newInContext);
    resource->addAction(newProject);
    resource->addAction(newDatabase);
    resource->addAction(newConnection);
    resource->addSeparator();
    resource->addAction(rename);
    resource->addAction(copy);
    resource->addAction(showConnectionString);
    resource->addAction(rotate);
    resource->addSeparator();
    QMenu *backups = resource->addMenu(tr("Bac&kups"));
    backups->addAction(showBackups);
    backups->addSeparator();
    backups->addAction(restoreIntoNewDatabase);
    backups->addAction(restoreInPlace);
    backups->addAction(cloneDatabase);
    resource->addSeparator();
    resource->addAction(transferProject);
    resource->addAction(protect);
    resource->addAction(deleteResource);

    m_viewMenu = bar->addMenu(tr("&View"));
    m_viewMenu->addAction(find);
    m_viewMenu->addAction(refresh);
    m_viewMenu->addAction(refreshAll);
    m_viewMenu->addSeparator();
    m_viewMenu->addAction(allProfiles);
    m_viewMenu->addSeparator();

    QMenu *help = bar->addMenu(tr("&Help"));
    help->addAction(about);
}

void ConsoleActions::populateToolBar(QToolBar *bar)
{
    bar->addAction(newInContext);
    bar->addAction(deleteResource);
    bar->addAction(refresh);
}

void ConsoleActions::populateContextMenu(QMenu *menu, ResourceKind kind) const
{
    switch (kind) {
    case ResourceKind::Workspace:
        menu->addAction(newProject);
        menu->addAction(serviceTokens);
        break;
    case ResourceKind::Project:
        menu->addAction(newDatabase);
        menu->addAction(rename);
        menu->addAction(transferProject);
        break;
    case ResourceKind::Database:
        menu->addAction(newConnection);
        menu->addAction(rename);
        menu->addSeparator();
        menu->addAction(showBackups);
        menu->addAction(restoreIntoNewDatabase);
        menu->addAction(restoreInPlace);
        menu->addAction(cloneDatabase);
        menu->addSeparator();
        break;
    case ResourceKind::Connection:
        menu->addAction(showConnectionString);
        menu->addAction(rotate);
        break;
    case ResourceKind::Placeholder:
        menu->addAction(newInContext);
        break;
    }
    menu->addAction(copy);
    menu->addAction(refresh);
    menu->addSeparator();
    if (protect->isEnabled())
        menu->addAction(protect);
    menu->addAction(deleteResource);
}

void ConsoleActions::update(const State &s)
{
    const ResourceKind kind = s.kind;
    const bool real = kind != ResourceKind::Placeholder;
    newProject->setEnabled(s.hasSession);
    newDatabase->setEnabled(s.hasSession
        && (kind == ResourceKind::Project || kind == ResourceKind::Database || kind == ResourceKind::Connection));
    newConnection->setEnabled(s.hasSession && (kind == ResourceKind::Database || kind == ResourceKind::Connection));
    newInContext->setEnabled(s.hasSession);
    copy->setEnabled(real);
    rotate->setEnabled(s.hasSession && kind == ResourceKind::Connection);
    rename->setEnabled(s.hasSession && (kind == ResourceKind::Project || kind == ResourceKind::Database));
    transferProject->setEnabled(s.hasSession && kind == ResourceKind::Project);
    serviceTokens->setEnabled(s.hasSession);
    showConnectionString->setEnabled(s.hasSession && kind == ResourceKind::Connection);
    copy->setText(s.keptConnectionString ? tr("&Copy Connection String") : tr("&Copy ID"));
    refresh->setEnabled(s.hasSession || s.canRefresh);
    refreshAll->setEnabled(s.hasSession || s.canRefresh);

    const bool database = s.hasSession && kind == ResourceKind::Database;
    showBackups->setEnabled(database);
    restoreIntoNewDatabase->setEnabled(database);
    const bool inPlace = database && s.restoreInPlaceVerdict.allowed();
    restoreInPlace->setEnabled(inPlace);
    restoreInPlace->setToolTip(inPlace || s.restoreInPlaceVerdict.explanation.isEmpty()
            ? tr("Overwrite this database's data with one of its backups; its connections keep their credentials")
            : s.restoreInPlaceVerdict.explanation);
    restoreInPlace->setStatusTip(restoreInPlace->toolTip());
    const bool clone = database && s.cloneVerdict.allowed();
    cloneDatabase->setEnabled(clone);
    if (!clone && !s.cloneVerdict.explanation.isEmpty())
        cloneDatabase->setStatusTip(s.cloneVerdict.explanation);

    const bool protectable = kind == ResourceKind::Project || kind == ResourceKind::Database;
    protect->setEnabled(s.hasSession && protectable);
    protect->setText(protectable && !s.isProtected ? tr("Protect from &Deletion") : tr("Allow &Deletion"));

    const bool canDelete = s.hasSession && s.deleteVerdict.allowed();
    const QString why = s.deleteVerdict.explanation;
    deleteResource->setEnabled(canDelete);
    deleteResource->setToolTip(canDelete || why.isEmpty() ? tr("Delete the selected resource (Del)") : why);
    deleteResource->setStatusTip(deleteResource->toolTip());
}

#include "consoleactions.h"

#include <QAction>
#include <QMenu>
#include <QMenuBar>
#include <QToolBar>
#include <QWidget>

namespace {

QAction *make(QWidget *window, const QString &text, const QKeySequence &key = {}, const QString &icon = {})
{
    auto *a = new QAction(text, window);
    if (!icon.isEmpty())
        a->setIcon(QIcon(QStringLiteral(":/icons/%1.svg").arg(icon)));
    if (!key.isEmpty())
        a->setShortcut(key);
    window->addAction(a);
    return a;
}

} // namespace

ConsoleActions::ConsoleActions(QWidget *window)
    : QObject(window)
    , newInContext(make(window, tr("&New…"), QKeySequence::New, QStringLiteral("new")))
    , newProject(make(window, tr("New &Project…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N)))
    , newDatabase(make(window, tr("New &Database…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D)))
    , newConnection(make(window, tr("New C&onnection…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C)))
    , deleteResource(make(window, tr("&Delete…"), QKeySequence::Delete, QStringLiteral("delete")))
    , protect(make(window, tr("Allow &Deletion")))
    , rotate(make(window, tr("R&otate Credentials…")))
    , rename(make(window, tr("Re&name"), QKeySequence(Qt::Key_F2), QStringLiteral("rename")))
    , transferProject(make(window, tr("&Transfer Project to Another Workspace…")))
    , serviceTokens(make(window, tr("Service &Tokens…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_T)))
    , showConnectionString(
          make(window, tr("Show Connection &String…"), QKeySequence(Qt::CTRL | Qt::Key_E), QStringLiteral("connect")))
    , testConnection(make(window, tr("&Test Connection…"), {}, QStringLiteral("test")))
    , writeEnvFile(make(window, tr("Write to .&env File…"), {}, QStringLiteral("env")))
    , showBackups(make(window, tr("&Backups"), QKeySequence(Qt::CTRL | Qt::Key_B), QStringLiteral("backups")))
    , restoreIntoNewDatabase(
          make(window, tr("Restore into a &New Database…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_B)))
    , restoreInPlace(make(window, tr("Restore in &Place…")))
    , cloneDatabase(make(window, tr("C&lone Database…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L)))
    , refresh(make(window, tr("&Refresh"), QKeySequence(Qt::Key_F5), QStringLiteral("refresh")))
    , refreshAll(make(window, tr("Refresh &All"), QKeySequence(Qt::CTRL | Qt::Key_R)))
    , copy(make(window, tr("&Copy ID"), QKeySequence::Copy, QStringLiteral("copy")))
    , copyLink(make(window, tr("Copy &Link"), QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_C)))
    , find(make(window, tr("&Find…"), QKeySequence::Find))
    , commandPalette(
          make(window, tr("Command &Palette…"), QKeySequence(Qt::CTRL | Qt::Key_K), QStringLiteral("palette")))
    , allProfiles(make(window, tr("&All Profiles"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A)))
    , addProfile(make(window, tr("&Add Profile…")))
    , manageProfiles(make(window, tr("&Profiles…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M)))
    , quit(make(window, tr("&Quit"), QKeySequence::Quit))
    , about(make(window, tr("&About Prisma Postgres Console")))
{
    newInContext->setToolTip(tr("Create a project, database or connection here (Ctrl+N)"));
    copyLink->setToolTip(tr("Copy a ppg-console:// link that selects this resource in the console; it holds no "
                            "secret (Ctrl+Alt+C)"));
    copyLink->setStatusTip(copyLink->toolTip());
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
    commandPalette->setShortcuts(
        { QKeySequence(Qt::CTRL | Qt::Key_K), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P) });
    commandPalette->setToolTip(tr("Find any resource or action by name or id (Ctrl+K, Ctrl+Shift+P)"));
    testConnection->setToolTip(tr("Connect to the database with the kept connection string and report how it went"));
    writeEnvFile->setToolTip(tr("Write the kept connection string to a .env file as DATABASE_URL"));
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
    resource->addAction(copyLink);
    resource->addAction(showConnectionString);
    resource->addAction(testConnection);
    resource->addAction(writeEnvFile);
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
    m_viewMenu->addAction(commandPalette);
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
    bar->addSeparator();
    bar->addAction(commandPalette);
}

QString ConsoleActions::plainText(const QAction *action)
{
    QString text = action->text();
    for (qsizetype i = text.indexOf(QLatin1Char('&')); i >= 0; i = text.indexOf(QLatin1Char('&'), i + 1))
        text.remove(i, 1); // "&&" keeps one
    return text;
}

QList<ConsoleActions::PaletteVerb> ConsoleActions::paletteVerbs() const
{
    using K = ResourceKind;
    return {
        { newProject, K::Workspace, tr("New project in ") },
        { serviceTokens, K::Workspace, tr("Service tokens of ") },
        { copyLink, K::Workspace, tr("Copy link to ") },
        { copyLink, K::Project, tr("Copy link to ") },
        { copyLink, K::Database, tr("Copy link to ") },
        { copyLink, K::Connection, tr("Copy link to ") },
        { newDatabase, K::Project, tr("New database in ") },
        { rename, K::Project, tr("Rename ") },
        { transferProject, K::Project, tr("Transfer to another workspace: ") },
        { copy, K::Project, tr("Copy ID of ") },
        { deleteResource, K::Project, tr("Delete ") },
        { newConnection, K::Database, tr("New connection in ") },
        { showBackups, K::Database, tr("Show backups of ") },
        { restoreIntoNewDatabase, K::Database, tr("Restore a backup into a new database: ") },
        { cloneDatabase, K::Database, tr("Clone ") },
        { rename, K::Database, tr("Rename ") },
        { copy, K::Database, tr("Copy ID of ") },
        { deleteResource, K::Database, tr("Delete ") },
        { copy, K::Connection, tr("Copy connection string: ") },
        { showConnectionString, K::Connection, tr("Show connection string: ") },
        { testConnection, K::Connection, tr("Test connection: ") },
        { writeEnvFile, K::Connection, tr("Write to .env: ") },
        { rotate, K::Connection, tr("Rotate credentials: ") },
        { deleteResource, K::Connection, tr("Delete ") },
    };
}

QList<QAction *> ConsoleActions::paletteCommands() const
{
    return { refreshAll, allProfiles, manageProfiles, addProfile, find, about, quit };
}

QList<QAction *> ConsoleActions::detailsActions(ResourceKind kind) const
{
    switch (kind) {
    case ResourceKind::Workspace:
        return { newProject, serviceTokens };
    case ResourceKind::Project:
        return { newDatabase, rename, deleteResource };
    case ResourceKind::Database:
        return { newConnection, showBackups, rename, cloneDatabase, deleteResource };
    case ResourceKind::Connection:
        return { copy, testConnection, writeEnvFile, showConnectionString, rotate };
    case ResourceKind::Placeholder:
        break;
    }
    return {};
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
        menu->addAction(testConnection);
        menu->addAction(writeEnvFile);
        menu->addAction(rotate);
        break;
    case ResourceKind::Placeholder:
        menu->addAction(newInContext);
        break;
    }
    menu->addAction(copy);
    menu->addAction(copyLink);
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
    copyLink->setEnabled(real && s.canLink);
    rotate->setEnabled(s.hasSession && kind == ResourceKind::Connection);
    rename->setEnabled(s.hasSession && (kind == ResourceKind::Project || kind == ResourceKind::Database));
    transferProject->setEnabled(s.hasSession && kind == ResourceKind::Project);
    serviceTokens->setEnabled(s.hasSession);
    showConnectionString->setEnabled(s.hasSession && kind == ResourceKind::Connection);
    testConnection->setEnabled(s.hasSession && s.keptConnectionString);
    writeEnvFile->setEnabled(s.hasSession && s.keptConnectionString);
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

#include "mainwindow.h"

#include "apiclient.h"
#include "connectionstringdialog.h"
#include "createresourcedialog.h"
#include "deleteconfirmdialog.h"
#include "detailspane.h"
#include "profiledialog.h"
#include "profilestore.h"
#include "resourcetreemodel.h"
#include "resourceworkflows.h"
#include "secretclipboard.h"
#include "session.h"
#include "sessionmanager.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QComboBox>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStatusBar>
#include <QToolBar>
#include <QTreeView>

using Kind = ResourceTreeModel::Kind;

MainWindow::MainWindow(SessionManager *sessions, ResourceTreeModel *model, ResourceWorkflows *workflows,
                       QWidget *parent)
    : QMainWindow(parent), m_sessions(sessions), m_model(model), m_workflows(workflows),
      m_clipboard(new SecretClipboard(this))
{
    setWindowIcon(QIcon(QStringLiteral(":/icons/ppg-console.svg")));
    setObjectName(QStringLiteral("MainWindow"));

    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(ResourceTreeModel::SortRole);
    m_proxy->setSortCaseSensitivity(Qt::CaseInsensitive);

    m_tree = new QTreeView(this);
    m_tree->setObjectName(QStringLiteral("resourceTree"));
    m_tree->setAccessibleName(tr("Resources"));
    m_tree->setModel(m_proxy);
    m_tree->setUniformRowHeights(true);
    m_tree->setSortingEnabled(true);
    m_tree->sortByColumn(-1, Qt::AscendingOrder); // the service's order until the user picks a column
    m_tree->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(ResourceTreeModel::NameColumn, QHeaderView::Stretch);
    m_tree->setColumnWidth(ResourceTreeModel::StatusColumn, 100);
    m_tree->setColumnWidth(ResourceTreeModel::RegionColumn, 120);
    m_tree->setColumnWidth(ResourceTreeModel::CreatedColumn, 140);

    m_details = new DetailsPane(this);
    auto *splitter = new QSplitter(this);
    splitter->setObjectName(QStringLiteral("mainSplitter"));
    splitter->addWidget(m_tree);
    splitter->addWidget(m_details);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    setCentralWidget(splitter);

    m_sessionLabel = new QLabel(this);
    statusBar()->addPermanentWidget(m_sessionLabel);

    createActions();
    createMenus();

    connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this, [this] {
        m_details->show(m_model, currentSourceIndex());
        updateActions();
    });
    connect(m_tree, &QTreeView::activated, this, [this](const QModelIndex &index) {
        if (m_proxy->hasChildren(index))
            m_tree->setExpanded(index, !m_tree->isExpanded(index));
    });
    connect(m_model, &ResourceTreeModel::levelLoaded, this, &MainWindow::onLevelLoaded);
    connect(m_model, &ResourceTreeModel::levelFailed, this, [this](const QModelIndex &parent, const ApiError &error) {
        statusBar()->showMessage(tr("Could not load: %1").arg(error.userMessage()), 10000);
        onLevelLoaded(parent);
    });
    connect(m_model, &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_pendingSelection.isEmpty())
            return;
        const QModelIndex source = m_model->indexOf(m_pendingSelection);
        if (!source.isValid())
            return;
        m_pendingSelection.clear();
        const QModelIndex index = m_proxy->mapFromSource(source);
        m_tree->scrollTo(index);
        m_tree->setCurrentIndex(index);
    });

    connect(m_sessions, &SessionManager::sessionChanged, this, &MainWindow::onSessionChanged);
    connect(m_sessions, &SessionManager::activationStarted, this, [this](const QString &name) {
        statusBar()->showMessage(tr("Opening profile “%1”: reading its token from the keychain…").arg(name));
    });
    connect(m_sessions, &SessionManager::activationFailed, this, [this](const QString &name, const QString &message) {
        statusBar()->clearMessage();
        QMessageBox::warning(this, tr("Cannot open profile"),
                             name.isEmpty() ? message : tr("Profile “%1”: %2").arg(name, message));
        rebuildProfileSwitcher();
    });
    connect(m_sessions->profiles(), &ProfileStore::profilesChanged, this, &MainWindow::rebuildProfileSwitcher);

    connect(m_workflows, &ResourceWorkflows::started, this, [this](const QString &what) {
        statusBar()->showMessage(tr("%1…").arg(what));
    });
    connect(m_workflows, &ResourceWorkflows::succeeded, this, [this](const QString &what, const QString &id) {
        statusBar()->showMessage(tr("%1: done").arg(what), 5000);
        if (const QModelIndex source = m_model->indexOf(id); source.isValid())
            m_tree->setCurrentIndex(m_proxy->mapFromSource(source));
        updateActions();
    });
    connect(m_workflows, &ResourceWorkflows::failed, this, [this](const QString &what, const ApiError &error) {
        statusBar()->clearMessage();
        QMessageBox box(QMessageBox::Warning, tr("Operation failed"), tr("%1 failed.").arg(what), QMessageBox::Ok, this);
        box.setInformativeText(error.userMessage());
        box.exec();
    });
    connect(m_workflows, &ResourceWorkflows::connectionStringIssued, this, &MainWindow::showConnectionString);
    connect(m_clipboard, &SecretClipboard::countdown, this, [this](int left) {
        if (left > 0)
            statusBar()->showMessage(tr("Connection string on the clipboard: cleared in %n second(s)", nullptr, left));
        else
            statusBar()->clearMessage();
    });

    rebuildProfileSwitcher();
    restoreState();
    updateActions();
    updateTitle();
}

MainWindow::~MainWindow() = default;

void MainWindow::createActions()
{
    auto make = [this](const QString &text, const QKeySequence &key, void (MainWindow::*slot)()) {
        auto *a = new QAction(text, this);
        if (!key.isEmpty())
            a->setShortcut(key);
        a->setShortcutContext(Qt::WindowShortcut);
        connect(a, &QAction::triggered, this, slot);
        addAction(a);
        return a;
    };
    m_newAction = make(tr("&New…"), QKeySequence::New, &MainWindow::newInContext);
    m_newAction->setIcon(QIcon::fromTheme(QStringLiteral("document-new")));
    m_newProjectAction = make(tr("New &Project…"), QKeySequence(), &MainWindow::newProject);
    m_newDatabaseAction = make(tr("New &Database…"), QKeySequence(), &MainWindow::newDatabase);
    m_newConnectionAction = make(tr("New &Connection…"), QKeySequence(), &MainWindow::newConnection);
    m_deleteAction = make(tr("&Delete…"), QKeySequence::Delete, &MainWindow::deleteSelected);
    m_deleteAction->setIcon(QIcon::fromTheme(QStringLiteral("edit-delete")));
    m_refreshAction = make(tr("&Refresh"), QKeySequence(Qt::Key_F5), &MainWindow::refreshSelected);
    m_refreshAction->setIcon(QIcon::fromTheme(QStringLiteral("view-refresh")));
    m_refreshAllAction = make(tr("Refresh &All"), QKeySequence(Qt::CTRL | Qt::Key_R), &MainWindow::refreshAll);
    m_copyIdAction = make(tr("&Copy ID"), QKeySequence::Copy, &MainWindow::copyId);
    m_addProfileAction = make(tr("&Add Profile…"), QKeySequence(), &MainWindow::addProfile);
    m_quitAction = new QAction(tr("&Quit"), this);
    m_quitAction->setShortcut(QKeySequence::Quit);
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);

    m_tree->addActions({m_newAction, m_deleteAction, m_copyIdAction, m_refreshAction});
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_addProfileAction);
    file->addSeparator();
    file->addAction(m_quitAction);

    QMenu *resource = menuBar()->addMenu(tr("&Resource"));
    resource->addAction(m_newAction);
    resource->addAction(m_newProjectAction);
    resource->addAction(m_newDatabaseAction);
    resource->addAction(m_newConnectionAction);
    resource->addSeparator();
    resource->addAction(m_deleteAction);
    resource->addAction(m_copyIdAction);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addAction(m_refreshAction);
    view->addAction(m_refreshAllAction);

    QToolBar *bar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    bar->setMovable(false);
    bar->addWidget(new QLabel(tr(" Profile: "), bar));
    m_profileSwitcher = new QComboBox(bar);
    m_profileSwitcher->setAccessibleName(tr("Profile"));
    m_profileSwitcher->setMinimumContentsLength(18);
    bar->addWidget(m_profileSwitcher);
    bar->addSeparator();
    bar->addAction(m_newAction);
    bar->addAction(m_deleteAction);
    bar->addAction(m_refreshAction);
    connect(m_profileSwitcher, &QComboBox::activated, this, [this](int i) {
        const QString id = m_profileSwitcher->itemData(i).toString();
        if (id.isEmpty())
            return;
        if (!m_sessions->session() || m_sessions->session()->profile().id != id)
            m_sessions->activate(id);
    });
}

void MainWindow::rebuildProfileSwitcher()
{
    const QSignalBlocker block(m_profileSwitcher);
    m_profileSwitcher->clear();
    const Session *s = m_sessions->session();
    if (s && s->isTemporary())
        m_profileSwitcher->addItem(s->profile().name, QString());
    for (const Profile &p : m_sessions->profiles()->profiles())
        m_profileSwitcher->addItem(p.name, p.id);
    if (s) {
        const int i = s->isTemporary() ? 0 : m_profileSwitcher->findData(s->profile().id);
        m_profileSwitcher->setCurrentIndex(i);
    } else {
        m_profileSwitcher->setCurrentIndex(-1);
    }
}

void MainWindow::onSessionChanged(Session *session)
{
    m_model->setClient(session ? session->client() : nullptr);
    m_workflows->setSession(session);
    if (session) {
        connect(session->client(), &ApiClient::unauthorized, this, [this] {
            statusBar()->showMessage(tr("The service refused this profile's token: edit the profile and paste a valid one."), 15000);
        });
        m_model->fetchMore(QModelIndex());
        m_sessionLabel->setText(session->profile().apiUrl.toString());
    }
    statusBar()->clearMessage();
    rebuildProfileSwitcher();
    updateTitle();
    updateActions();
    m_details->show(m_model, QModelIndex());
}

void MainWindow::updateTitle()
{
    const Session *s = m_sessions->session();
    setWindowTitle(s ? tr("%1 — Prisma Postgres Console").arg(s->profile().name) : tr("Prisma Postgres Console"));
}

QModelIndex MainWindow::currentSourceIndex() const
{
    return m_proxy->mapToSource(m_tree->currentIndex()).siblingAtColumn(0);
}

void MainWindow::updateActions()
{
    const QModelIndex i = currentSourceIndex();
    const Kind kind = m_model->kind(i);
    const bool hasSession = m_sessions->session() != nullptr;
    const bool real = i.isValid() && kind != Kind::Placeholder;
    m_newProjectAction->setEnabled(hasSession);
    m_newDatabaseAction->setEnabled(hasSession && (kind == Kind::Project || kind == Kind::Database || kind == Kind::Connection));
    m_newConnectionAction->setEnabled(hasSession && (kind == Kind::Database || kind == Kind::Connection));
    m_newAction->setEnabled(hasSession);
    m_copyIdAction->setEnabled(real);
    m_refreshAction->setEnabled(hasSession);
    m_refreshAllAction->setEnabled(hasSession);

    bool canDelete = hasSession && real && kind != Kind::Workspace;
    QString why;
    if (const Database *db = m_model->database(i); db && db->isDefault) {
        canDelete = false;
        why = tr("The default database of a project cannot be deleted: the service refuses it. Delete the project instead.");
    } else if (kind == Kind::Workspace) {
        why = tr("Workspaces are managed in the Prisma Console.");
    }
    m_deleteAction->setEnabled(canDelete);
    m_deleteAction->setToolTip(canDelete || why.isEmpty() ? tr("Delete the selected resource (Del)") : why);
    m_deleteAction->setStatusTip(m_deleteAction->toolTip());
}

// --- create -------------------------------------------------------------------------------------

void MainWindow::newInContext()
{
    switch (m_model->kind(currentSourceIndex())) {
    case Kind::Project: newDatabase(); break;
    case Kind::Database:
    case Kind::Connection: newConnection(); break;
    default: newProject(); break;
    }
}

void MainWindow::newProject()
{
    Session *session = m_sessions->session();
    if (!session)
        return;
    auto *dialog = new CreateResourceDialog(CreateResourceDialog::Kind::Project, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    session->client()->listRegions(dialog, [dialog](Result<std::vector<Region>> regions) {
        if (regions.ok())
            dialog->setRegions(regions.value());
    });
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        CreateProjectRequest r;
        r.name = dialog->name();
        r.region = dialog->region();
        r.createDatabase = dialog->createDatabase();
        if (const Workspace *ws = m_model->workspace(currentSourceIndex()))
            r.workspaceId = ws->id;
        m_workflows->createProject(r);
    });
    dialog->open();
}

void MainWindow::newDatabase()
{
    Session *session = m_sessions->session();
    QModelIndex i = currentSourceIndex();
    while (i.isValid() && m_model->kind(i) != Kind::Project)
        i = i.parent();
    const Project *project = m_model->project(i);
    if (!session || !project)
        return;
    const QString projectId = project->id;
    auto *dialog = new CreateResourceDialog(CreateResourceDialog::Kind::Database, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("New database in “%1”").arg(project->name));
    session->client()->listRegions(dialog, [dialog](Result<std::vector<Region>> regions) {
        if (regions.ok())
            dialog->setRegions(regions.value());
    });
    connect(dialog, &QDialog::accepted, this, [this, dialog, projectId] {
        CreateDatabaseRequest r;
        r.name = dialog->name();
        r.region = dialog->region();
        r.isDefault = dialog->makeDefault();
        m_tree->expand(m_proxy->mapFromSource(m_model->indexOf(projectId)));
        m_workflows->createDatabase(projectId, r);
    });
    dialog->open();
}

void MainWindow::newConnection()
{
    QModelIndex i = currentSourceIndex();
    while (i.isValid() && m_model->kind(i) != Kind::Database)
        i = i.parent();
    const Database *database = m_model->database(i);
    if (!m_sessions->session() || !database)
        return;
    const QString databaseId = database->id;
    auto *dialog = new CreateResourceDialog(CreateResourceDialog::Kind::Connection, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("New connection to “%1”").arg(database->name));
    connect(dialog, &QDialog::accepted, this, [this, dialog, databaseId] {
        m_tree->expand(m_proxy->mapFromSource(m_model->indexOf(databaseId)));
        m_workflows->createConnection(databaseId, dialog->name());
    });
    dialog->open();
}

void MainWindow::showConnectionString(const QString &title, const Connection &connection)
{
    auto *dialog = new ConnectionStringDialog(title, connection, m_clipboard, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

// --- delete, refresh, copy ----------------------------------------------------------------------

void MainWindow::deleteSelected()
{
    if (!m_deleteAction->isEnabled())
        return;
    const QModelIndex i = currentSourceIndex();
    QString kind, routeKind, name, id;
    QStringList consequences;
    bool typed = true;
    if (const Project *p = m_model->project(i)) {
        kind = tr("project");
        routeKind = QStringLiteral("project");
        name = p->name;
        id = p->id;
        consequences << tr("Project “%1”").arg(p->name);
        for (int r = 0; r < m_model->rowCount(i); ++r) {
            if (const Database *d = m_model->database(m_model->index(r, 0, i))) {
                consequences << tr("Database “%1” with %n connection(s)", nullptr, int(d->connections.size())).arg(d->name);
            }
        }
        if (m_model->fetchState(i) != ResourceTreeModel::FetchState::Fetched)
            consequences << tr("Its default database and every connection to it");
    } else if (const Database *d = m_model->database(i)) {
        kind = tr("database");
        routeKind = QStringLiteral("database");
        name = d->name;
        id = d->id;
        consequences << tr("Database “%1” and all its data").arg(d->name);
        for (const Connection &c : d->connections)
            consequences << tr("Connection “%1”").arg(c.name);
    } else if (const Connection *c = m_model->connection(i)) {
        kind = tr("connection");
        routeKind = QStringLiteral("connection");
        name = c->name;
        id = c->id;
        consequences << tr("Connection “%1” and its credentials").arg(c->name);
        typed = false;
    } else {
        return;
    }
    auto *dialog = new DeleteConfirmDialog(kind, name, consequences, typed, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, routeKind, id, name] {
        m_workflows->deleteResource(routeKind, id, name);
    });
    dialog->open();
}

void MainWindow::refreshSelected()
{
    QModelIndex i = currentSourceIndex();
    if (!i.isValid()) {
        m_model->refresh();
        return;
    }
    if (m_model->kind(i) == Kind::Placeholder || m_model->kind(i) == Kind::Connection)
        i = i.parent();
    m_model->refresh(i);
    m_tree->expand(m_proxy->mapFromSource(i));
}

void MainWindow::refreshAll()
{
    m_model->refresh();
}

void MainWindow::copyId()
{
    const QModelIndex i = currentSourceIndex();
    const QString id = m_model->data(i, ResourceTreeModel::IdRole).toString();
    if (id.isEmpty())
        return;
    QApplication::clipboard()->setText(id);
    statusBar()->showMessage(tr("Copied %1").arg(id), 3000);
}

void MainWindow::addProfile()
{
    auto *dialog = new ProfileDialog(m_sessions, Profile{}, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] { m_sessions->activate(dialog->profile().id); });
    dialog->open();
}

// --- loading and state --------------------------------------------------------------------------

void MainWindow::whenFirstLevelsLoaded(std::function<void()> ready)
{
    m_firstLevelsReady = std::move(ready);
}

void MainWindow::onLevelLoaded(const QModelIndex &parent)
{
    if (!parent.isValid()) {
        // Workspaces are in: open the first one, as a user would.
        const QModelIndex first = m_model->index(0, 0);
        if (first.isValid() && m_model->kind(first) == Kind::Workspace) {
            m_tree->expand(m_proxy->mapFromSource(first));
            if (!m_tree->currentIndex().isValid())
                m_tree->setCurrentIndex(m_proxy->mapFromSource(first));
            return;
        }
    }
    if (m_firstLevelsReady && (!parent.isValid() || m_model->kind(parent) == Kind::Workspace)) {
        auto ready = std::move(m_firstLevelsReady);
        m_firstLevelsReady = nullptr;
        ready();
    }
}

void MainWindow::restoreState()
{
    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray()))
        resize(1100, 680);
    QMainWindow::restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    if (auto *splitter = findChild<QSplitter *>(QStringLiteral("mainSplitter")))
        splitter->restoreState(settings.value(QStringLiteral("window/splitter")).toByteArray());
    m_tree->header()->restoreState(settings.value(QStringLiteral("window/treeHeader")).toByteArray());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    if (auto *splitter = findChild<QSplitter *>(QStringLiteral("mainSplitter")))
        settings.setValue(QStringLiteral("window/splitter"), splitter->saveState());
    settings.setValue(QStringLiteral("window/treeHeader"), m_tree->header()->saveState());
    m_clipboard->clearIfOurs();
    event->accept();
}

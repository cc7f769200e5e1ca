#include "mainwindow.h"

#include "aboutdialog.h"
#include "activitymodel.h"
#include "apiclient.h"
#include "connectionstringdialog.h"
#include "connectionvault.h"
#include "createresourcedialog.h"
#include "deleteconfirmdialog.h"
#include "deleteprotection.h"
#include "detailspane.h"
#include "profiledialog.h"
#include "profilesdialog.h"
#include "profileswatch.h"
#include "tokenimport.h"
#include "profilestore.h"
#include "rotateconfirmdialog.h"
#include "resourcefilterproxymodel.h"
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
#include <QDockWidget>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalBlocker>
#include <QSplitter>
#include <QStatusBar>
#include <QToolBar>
#include <QTreeView>
#include <QVBoxLayout>

using Kind = ResourceTreeModel::Kind;

MainWindow::MainWindow(SessionManager *sessions, ResourceTreeModel *model, ResourceWorkflows *workflows,
                       ActivityModel *activity, DeleteProtection *protection, QWidget *parent)
    : QMainWindow(parent), m_sessions(sessions), m_model(model), m_workflows(workflows), m_activity(activity),
      m_protection(protection), m_clipboard(new SecretClipboard(this))
{
    setWindowIcon(QIcon(QStringLiteral(":/icons/ppg-console.svg")));
    setObjectName(QStringLiteral("MainWindow"));
    // Seconds before a copied connection string is cleared (0: never); a setting, not a secret.
    m_clipboard->setClearAfter(QSettings().value(QStringLiteral("clipboard/clearAfterSeconds"), SecretClipboard::kDefaultClearAfter).toInt());

    m_proxy = new ResourceFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);

    m_tree = new QTreeView(this);
    m_tree->setObjectName(QStringLiteral("resourceTree"));
    m_tree->setAccessibleName(tr("Resources"));
    m_tree->setModel(m_proxy);
    m_tree->setUniformRowHeights(true);
    m_tree->setSortingEnabled(true);
    m_tree->sortByColumn(-1, Qt::AscendingOrder); // the service's order until the user picks a column
    m_tree->setContextMenuPolicy(Qt::CustomContextMenu);
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(ResourceTreeModel::NameColumn, QHeaderView::Stretch);
    m_tree->header()->setMinimumSectionSize(60);
    m_tree->setColumnWidth(ResourceTreeModel::StatusColumn, 160);
    m_tree->setColumnWidth(ResourceTreeModel::RegionColumn, 120);
    m_tree->setColumnWidth(ResourceTreeModel::CreatedColumn, 150);
    connect(m_tree, &QWidget::customContextMenuRequested, this, &MainWindow::showContextMenu);
    m_tree->installEventFilter(this); // Ctrl+C is ours, not the view's "copy the cell text"


    m_details = new DetailsPane(this);
    connect(m_details, &DetailsPane::linkActivated, this, [this](const QString &id) { selectId(id); });
    connect(m_details, &DetailsPane::copied, this, [this](const QString &id) { statusBar()->showMessage(tr("Copied %1").arg(id), 3000); });
    auto *splitter = new QSplitter(this);
    splitter->setObjectName(QStringLiteral("mainSplitter"));
    splitter->addWidget(m_tree);
    splitter->addWidget(m_details);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setSizes({680, 420});
    setCentralWidget(splitter);

    m_progress = new QProgressBar(this);
    m_progress->setMaximumWidth(160);
    m_progress->setRange(0, 0);
    m_progress->setVisible(false);
    m_progress->setAccessibleName(tr("Loading"));
    statusBar()->addPermanentWidget(m_progress);
    m_sessionLabel = new QLabel(this);
    statusBar()->addPermanentWidget(m_sessionLabel);

    createActions();
    createMenus();
    createDocks();

    connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this, [this] {
        const QModelIndex current = currentSourceIndex();
        if (current.isValid())
            m_lastCurrent = current;
        m_details->show(m_model, current);
        updateActions();
    });
    connect(m_tree, &QTreeView::activated, this, [this](const QModelIndex &index) {
        const QModelIndex source = m_proxy->mapToSource(index);
        if (m_model->kind(source) == Kind::Placeholder && !source.data(ResourceTreeModel::ErrorRole).toString().isEmpty()) {
            m_model->refresh(source.parent()); // Retry on an error row
            return;
        }
        if (m_proxy->hasChildren(index))
            m_tree->setExpanded(index, !m_tree->isExpanded(index));
    });
    connect(m_tree, &QTreeView::expanded, this, [this](const QModelIndex &index) {
        m_expandedIds.insert(m_proxy->mapToSource(index).data(ResourceTreeModel::IdRole).toString());
    });
    connect(m_tree, &QTreeView::collapsed, this, [this](const QModelIndex &index) {
        m_expandedIds.remove(m_proxy->mapToSource(index).data(ResourceTreeModel::IdRole).toString());
    });
    connect(m_model, &ResourceTreeModel::levelLoaded, this, &MainWindow::onLevelLoaded);
    connect(m_model, &ResourceTreeModel::levelFailed, this, [this](const QModelIndex &parent, const ApiError &error) {
        statusBar()->showMessage(tr("Could not load: %1").arg(error.userMessage()), 10000);
        onLevelLoaded(parent);
    });
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex &parent, int first, int last) {
        for (int r = first; r <= last; ++r)
            spanIfPlaceholder(r, parent);
    });
    connect(m_proxy, &QAbstractItemModel::modelReset, this, [this] { spanPlaceholders({}); });
    connect(m_model, &ResourceTreeModel::bulkProgress, this, [this](int databases) {
        statusBar()->showMessage(tr("Loading the whole account for search: %n database(s)…", nullptr, databases));
    });
    connect(m_model, &ResourceTreeModel::bulkFinished, this, [this](const ApiError &error) {
        m_progress->setVisible(false);
        if (error.isError())
            statusBar()->showMessage(tr("Search covers only what is loaded: %1").arg(error.userMessage()), 10000);
        else
            statusBar()->clearMessage();
        if (!m_proxy->searchText().isEmpty()) {
            expandSearchResults();
            if (!m_tree->currentIndex().isValid())
                restoreCurrent(); // it may have been loaded just now
        }
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
    connect(m_sessions, &SessionManager::keychainUnavailable, this, [this](const QString &profileId, const KeychainError &error) {
        // No usable keychain: say so in words and offer to keep the token in memory for this session.
        const auto profile = m_sessions->profiles()->profile(profileId);
        if (!profile)
            return;
        QMessageBox box(QMessageBox::Warning, tr("Keychain unavailable"),
                        tr("The token of “%1” cannot be read from the keychain.").arg(profile->name), QMessageBox::Close, this);
        box.setInformativeText(error.userMessage());
        QPushButton *paste = box.addButton(tr("Paste Token for This Session…"), QMessageBox::ActionRole);
        box.exec();
        if (box.clickedButton() != paste)
            return;
        auto *dialog = new ProfileDialog(m_sessions, *profile, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &QDialog::accepted, this, [this, dialog] { m_sessions->activate(dialog->profile().id); });
        dialog->open();
    });
    connect(m_protection, &DeleteProtection::changed, this, [this](const QSet<QString> &ids) {
        m_model->setUnprotected(ids);
        updateActions();
    });

    connect(m_workflows, &ResourceWorkflows::started, this, [this](const QString &what) {
        statusBar()->showMessage(tr("%1…").arg(what));
    });
    connect(m_workflows, &ResourceWorkflows::succeeded, this, [this](const QString &what, const QString &id) {
        statusBar()->showMessage(tr("%1: done").arg(what), 5000);
        selectId(id);
        updateActions();
    });
    connect(m_workflows, &ResourceWorkflows::failed, this, [this](const QString &what, const ApiError &error) {
        statusBar()->showMessage(tr("%1 failed: %2").arg(what, error.userMessage()), 15000);
        if (error.kind == ApiError::Kind::Cancelled)
            return;
        if (error.httpStatus == 400 && what.startsWith(tr("Delete project")))
            return; // offered a way out in offerDeletingOtherDatabases
        QMessageBox box(QMessageBox::Warning, tr("Operation failed"), tr("%1 failed.").arg(what), QMessageBox::Ok, this);
        box.setInformativeText(error.userMessage());
        box.exec();
    });
    connect(m_workflows, &ResourceWorkflows::connectionStringIssued, this, &MainWindow::showConnectionString);
    connect(m_workflows, &ResourceWorkflows::projectDeleteRefused, this, &MainWindow::offerDeletingOtherDatabases);
    connect(m_sessions->vault(), &ConnectionVault::changed, this, &MainWindow::updateActions);
    connect(m_workflows, &ResourceWorkflows::connectionDeleted, this, [this](const QString &connectionId) {
        const Session *s = m_sessions->session();
        if (s && !s->isTemporary() && m_sessions->vault()->has(s->profile().id, connectionId))
            m_sessions->vault()->forget(s->profile().id, connectionId, this, [this](const KeychainError &e) {
                if (!e.ok())
                    statusBar()->showMessage(tr("Could not remove the kept connection string: %1").arg(e.userMessage()), 10000);
            });
    });
    connect(m_clipboard, &SecretClipboard::countdown, this, [this](int left) {
        if (left > 0)
            statusBar()->showMessage(tr("Connection string on the clipboard: cleared in %n second(s)", nullptr, left));
        else
            statusBar()->clearMessage();
    });

    rebuildProfileSwitcher();
    restoreWindowState();
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
        connect(a, &QAction::triggered, this, slot);
        addAction(a);
        return a;
    };
    m_newAction = make(tr("&New…"), QKeySequence::New, &MainWindow::newInContext);
    m_newAction->setToolTip(tr("Create a project, database or connection here (Ctrl+N)"));
    m_newProjectAction = make(tr("New &Project…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P), &MainWindow::newProject);
    m_newDatabaseAction = make(tr("New &Database…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D), &MainWindow::newDatabase);
    m_newConnectionAction = make(tr("New C&onnection…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C), &MainWindow::newConnection);
    m_deleteAction = make(tr("&Delete…"), QKeySequence::Delete, &MainWindow::deleteSelected);
    m_protectAction = make(tr("Allow &Deletion"), QKeySequence(), &MainWindow::toggleProtection);
    m_rotateAction = make(tr("R&otate Credentials…"), QKeySequence(), &MainWindow::rotateSelected);
    m_showStringAction = make(tr("Show Connection &String…"), QKeySequence(Qt::CTRL | Qt::Key_E), &MainWindow::showKeptConnectionString);
    m_refreshAction = make(tr("&Refresh"), QKeySequence(Qt::Key_F5), &MainWindow::refreshSelected);
    m_refreshAllAction = make(tr("Refresh &All"), QKeySequence(Qt::CTRL | Qt::Key_R), &MainWindow::refreshAll);
    m_copyAction = make(tr("&Copy ID"), QKeySequence::Copy, &MainWindow::copySelected);
    m_findAction = make(tr("&Find…"), QKeySequence::Find, &MainWindow::focusSearch);
    m_addProfileAction = make(tr("&Add Profile…"), QKeySequence(), &MainWindow::addProfile);
    m_profilesAction = make(tr("&Profiles…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M), &MainWindow::manageProfiles);
    m_quitAction = new QAction(tr("&Quit"), this);
    m_quitAction->setShortcut(QKeySequence::Quit);
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);

    // Ctrl+1..9 switch to the profile in that position.
    for (int i = 1; i <= 9; ++i) {
        auto *a = new QAction(this);
        a->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_0 + i)));
        connect(a, &QAction::triggered, this, [this, i] {
            const auto profiles = m_sessions->profiles()->profiles();
            if (i <= profiles.size())
                m_sessions->activate(profiles.at(i - 1).id);
        });
        addAction(a);
        m_profileActions << a;
    }
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_profilesAction);
    file->addAction(m_addProfileAction);
    file->addSeparator();
    file->addAction(m_quitAction);

    QMenu *resource = menuBar()->addMenu(tr("&Resource"));
    resource->addAction(m_newAction);
    resource->addAction(m_newProjectAction);
    resource->addAction(m_newDatabaseAction);
    resource->addAction(m_newConnectionAction);
    resource->addSeparator();
    resource->addAction(m_copyAction);
    resource->addAction(m_showStringAction);
    resource->addAction(m_rotateAction);
    resource->addSeparator();
    resource->addAction(m_protectAction);
    resource->addAction(m_deleteAction);

    m_viewMenu = menuBar()->addMenu(tr("&View"));
    m_viewMenu->addAction(m_findAction);
    m_viewMenu->addAction(m_refreshAction);
    m_viewMenu->addAction(m_refreshAllAction);
    m_viewMenu->addSeparator();

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *about = help->addAction(tr("&About Prisma Postgres Console"), this, [this] {
        auto *dialog = new AboutDialog(this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->open();
    });
    about->setMenuRole(QAction::AboutRole);

    QToolBar *bar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    bar->setMovable(false);
    auto *profileLabel = new QLabel(tr(" &Profile: "), bar);
    bar->addWidget(profileLabel);
    m_profileSwitcher = new QComboBox(bar);
    m_profileSwitcher->setAccessibleName(tr("Profile"));
    m_profileSwitcher->setMinimumContentsLength(18);
    profileLabel->setBuddy(m_profileSwitcher);
    bar->addWidget(m_profileSwitcher);
    bar->addSeparator();
    bar->addAction(m_newAction);
    bar->addAction(m_deleteAction);
    bar->addAction(m_refreshAction);
    auto *spacer = new QWidget(bar);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    bar->addWidget(spacer);
    m_search = new QLineEdit(bar);
    m_search->setObjectName(QStringLiteral("searchBox"));
    m_search->setPlaceholderText(tr("Search names and ids (Ctrl+F)"));
    m_search->setAccessibleName(tr("Search"));
    m_search->setClearButtonEnabled(true);
    m_search->setMinimumWidth(260);
    bar->addWidget(m_search);
    connect(m_search, &QLineEdit::textChanged, this, &MainWindow::onSearchChanged);
    connect(m_profileSwitcher, &QComboBox::activated, this, [this](int i) {
        const QString id = m_profileSwitcher->itemData(i).toString();
        if (id.isEmpty())
            return;
        if (!m_sessions->session() || m_sessions->session()->profile().id != id)
            m_sessions->activate(id);
    });
}

void MainWindow::createDocks()
{
    auto *dock = new QDockWidget(tr("Activity"), this);
    dock->setObjectName(QStringLiteral("activityDock"));
    auto *panel = new QWidget(dock);
    auto *layout = new QVBoxLayout(panel);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *view = new QTreeView(panel);
    view->setObjectName(QStringLiteral("activityView"));
    view->setAccessibleName(tr("Activity"));
    view->setRootIsDecorated(false);
    view->setUniformRowHeights(true);
    view->setModel(m_activity);
    view->header()->setSectionResizeMode(ActivityModel::MessageColumn, QHeaderView::Stretch);
    view->setColumnWidth(ActivityModel::DescriptionColumn, 320);
    layout->addWidget(view);
    auto *cancel = new QPushButton(tr("&Cancel Operation"), panel);
    cancel->setEnabled(false);
    layout->addWidget(cancel, 0, Qt::AlignRight);
    auto updateCancel = [view, cancel] {
        cancel->setEnabled(view->currentIndex().data(ActivityModel::CancellableRole).toBool());
    };
    connect(view->selectionModel(), &QItemSelectionModel::currentChanged, cancel, updateCancel);
    connect(m_activity, &QAbstractItemModel::dataChanged, cancel, updateCancel);
    connect(cancel, &QPushButton::clicked, this, [this, view] { m_activity->cancel(view->currentIndex().row()); });
    connect(m_activity, &QAbstractItemModel::rowsInserted, view, [view](const QModelIndex &, int, int last) {
        view->scrollTo(view->model()->index(last, 0));
    });
    dock->setWidget(panel);
    addDockWidget(Qt::BottomDockWidgetArea, dock);
    QAction *toggle = dock->toggleViewAction();
    toggle->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    m_viewMenu->addAction(toggle);
    resizeDocks({dock}, {150}, Qt::Vertical);
}

void MainWindow::rebuildProfileSwitcher()
{
    const QSignalBlocker block(m_profileSwitcher);
    m_profileSwitcher->clear();
    const Session *s = m_sessions->session();
    if (s && s->isTemporary())
        m_profileSwitcher->addItem(s->profile().name, QString());
    const auto profiles = m_sessions->profiles()->profiles();
    for (int i = 0; i < profiles.size(); ++i) {
        const Profile &p = profiles.at(i);
        m_profileSwitcher->addItem(profileSwatch(p.color, 12), p.name, p.id);
        if (i < 9)
            m_profileSwitcher->setItemData(m_profileSwitcher->count() - 1, tr("%1 (Ctrl+%2)").arg(p.name).arg(i + 1), Qt::ToolTipRole);
    }
    if (s) {
        const int i = s->isTemporary() ? 0 : m_profileSwitcher->findData(s->profile().id);
        m_profileSwitcher->setCurrentIndex(i);
    } else {
        m_profileSwitcher->setCurrentIndex(-1);
    }
}

void MainWindow::onSessionChanged(Session *session)
{
    saveExpanded();
    m_model->setClient(session ? session->client() : nullptr);
    m_details->setClient(session ? session->client() : nullptr);
    m_workflows->setSession(session);
    m_protection->setProfile(session ? session->profile().id : QString());
    m_expandedIds.clear();
    m_profileKey.clear();
    if (session) {
        if (!session->isTemporary()) {
            m_profileKey = QStringLiteral("expanded/%1").arg(session->profile().id);
            const QStringList ids = QSettings().value(m_profileKey).toStringList();
            m_expandedIds = QSet<QString>(ids.begin(), ids.end());
        }
        connect(session->client(), &ApiClient::unauthorized, this, [this] {
            statusBar()->showMessage(tr("The service refused this profile's token: edit the profile and paste a valid one."), 15000);
        });
        m_model->fetchMore(QModelIndex());
        m_sessionLabel->setText(session->profile().apiUrl.toString());
        // A coloured band says which account this is at a glance.
        const QColor c = session->profile().color;
        m_profileSwitcher->setStyleSheet(c.isValid() ? QStringLiteral("QComboBox { border-left: 6px solid %1; }").arg(c.name()) : QString());
    }
    m_search->clear();
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

bool MainWindow::selectId(const QString &id)
{
    const QModelIndex source = m_model->indexOf(id);
    if (!source.isValid())
        return false;
    const QModelIndex index = m_proxy->mapFromSource(source);
    if (!index.isValid())
        return false;
    m_tree->scrollTo(index);
    m_tree->setCurrentIndex(index);
    return true;
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
    m_copyAction->setEnabled(real);
    m_rotateAction->setEnabled(hasSession && kind == Kind::Connection);
    m_showStringAction->setEnabled(hasSession && kind == Kind::Connection);
    const Session *session = m_sessions->session();
    const bool kept = kind == Kind::Connection && session && !session->isTemporary()
        && m_sessions->vault()->has(session->profile().id, m_model->data(i, ResourceTreeModel::IdRole).toString());
    m_copyAction->setText(kept ? tr("&Copy Connection String") : tr("&Copy ID"));
    m_refreshAction->setEnabled(hasSession);
    m_refreshAllAction->setEnabled(hasSession);

    const bool protectable = kind == Kind::Project || kind == Kind::Database;
    const bool isProtected = m_model->isProtected(i);
    m_protectAction->setEnabled(hasSession && protectable);
    m_protectAction->setText(protectable && !isProtected ? tr("Protect from &Deletion") : tr("Allow &Deletion"));

    bool canDelete = hasSession && real && kind != Kind::Workspace;
    QString why;
    if (const Database *db = m_model->database(i); db && db->isDefault) {
        canDelete = false;
        why = tr("The default database of a project cannot be deleted: the service refuses it. Delete the project instead.");
    } else if (protectable && isProtected) {
        canDelete = false;
        why = tr("Protected from deletion. Choose Resource > Allow Deletion first.");
    } else if (kind == Kind::Workspace) {
        why = tr("Workspaces are managed in the Prisma Console.");
    }
    m_deleteAction->setEnabled(canDelete);
    m_deleteAction->setToolTip(canDelete || why.isEmpty() ? tr("Delete the selected resource (Del)") : why);
    m_deleteAction->setStatusTip(m_deleteAction->toolTip());
}

void MainWindow::showContextMenu(const QPoint &pos)
{
    const QModelIndex index = m_tree->indexAt(pos);
    if (index.isValid())
        m_tree->setCurrentIndex(index);
    QMenu menu(this);
    switch (m_model->kind(currentSourceIndex())) {
    case Kind::Workspace:
        menu.addAction(m_newProjectAction);
        break;
    case Kind::Project:
        menu.addAction(m_newDatabaseAction);
        break;
    case Kind::Database:
        menu.addAction(m_newConnectionAction);
        break;
    case Kind::Connection:
        menu.addAction(m_showStringAction);
        menu.addAction(m_rotateAction);
        break;
    case Kind::Placeholder:
        menu.addAction(m_newAction);
        break;
    }
    menu.addAction(m_copyAction);
    menu.addAction(m_refreshAction);
    menu.addSeparator();
    if (m_protectAction->isEnabled())
        menu.addAction(m_protectAction);
    menu.addAction(m_deleteAction);
    menu.exec(m_tree->viewport()->mapToGlobal(pos));
}

// --- create -------------------------------------------------------------------------------------

void MainWindow::newInContext()
{
    switch (m_model->kind(currentSourceIndex())) {
    case Kind::Project: newDatabase(); break;
    case Kind::Database:
    case Kind::Connection: newConnection(); break;
    case Kind::Placeholder: {
        const Kind parentKind = m_model->kind(currentSourceIndex().parent());
        if (parentKind == Kind::Project)
            newDatabase();
        else if (parentKind == Kind::Database)
            newConnection();
        else
            newProject();
        break;
    }
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
    QModelIndex ws = currentSourceIndex();
    while (ws.isValid() && m_model->kind(ws) != Kind::Workspace)
        ws = ws.parent();
    const QString workspaceId = ws.isValid() ? m_model->workspace(ws)->id : QString();
    connect(dialog, &QDialog::accepted, this, [this, dialog, workspaceId] {
        CreateProjectRequest r;
        r.name = dialog->name();
        r.region = dialog->region();
        r.createDatabase = dialog->createDatabase();
        r.workspaceId = workspaceId;
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

void MainWindow::showConnectionString(const QString &title, const Connection &connection, bool rotated)
{
    auto *dialog = new ConnectionStringDialog(title, connection, m_clipboard, this,
                                              rotated ? ConnectionStringDialog::Source::Rotated : ConnectionStringDialog::Source::Created);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
    // The service shows it only now: keep it in the keychain (per profile, on by default).
    const Session *s = m_sessions->session();
    if (!s || s->isTemporary())
        return;
    ConnectionVault *vault = m_sessions->vault();
    const QString profileId = s->profile().id;
    if (!vault->keepByDefault(profileId)) {
        if (rotated && vault->has(profileId, connection.id))
            vault->forget(profileId, connection.id, this, [](const KeychainError &) {}); // the old one no longer works
        return;
    }
    vault->keep(profileId, connection, this, [this, name = connection.name](const KeychainError &e) {
        if (e.ok())
            statusBar()->showMessage(tr("The connection string of “%1” is kept in the keychain: Ctrl+C copies it later.").arg(name), 8000);
        else
            statusBar()->showMessage(tr("The connection string of “%1” could not be kept: %2").arg(name, e.userMessage()), 15000);
        updateActions();
    });
}

void MainWindow::showKeptConnectionString()
{
    const Connection *c = m_model->connection(currentSourceIndex());
    const Session *s = m_sessions->session();
    if (!c || !s)
        return;
    const Connection connection = *c;
    if (s->isTemporary() || !m_sessions->vault()->has(s->profile().id, connection.id)) {
        offerRotateForLostString(connection.name);
        return;
    }
    m_sessions->vault()->fetch(s->profile().id, connection.id, this,
                               [this, connection](const ConnectionSecrets &secrets, const KeychainError &e) {
        if (!e.ok() || secrets.isEmpty()) {
            QMessageBox::warning(this, tr("Connection string"), e.ok() ? tr("The keychain holds no string for this connection.") : e.userMessage());
            return;
        }
        Connection filled = connection;
        auto fill = [](std::optional<Endpoint> &endpoint, const QString &cs) {
            if (cs.isEmpty())
                return;
            if (!endpoint)
                endpoint = Endpoint{};
            endpoint->connectionString = cs;
        };
        fill(filled.direct, secrets.direct);
        fill(filled.pooled, secrets.pooled);
        fill(filled.accelerate, secrets.accelerate);
        auto *dialog = new ConnectionStringDialog(tr("Connection “%1”").arg(connection.name), filled, m_clipboard, this,
                                                  ConnectionStringDialog::Source::Vault);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->open();
    });
}

void MainWindow::offerRotateForLostString(const QString &name)
{
    QMessageBox box(QMessageBox::Information, tr("Connection string not kept"),
                    tr("The connection string of “%1” was not kept on this computer.").arg(name), QMessageBox::Close, this);
    box.setInformativeText(tr("The service shows a connection string only once, when it is created or rotated. "
                              "Rotate the credentials to get a new one (apps using the old one will stop working)."));
    QPushButton *rotate = box.addButton(tr("Rotate Credentials…"), QMessageBox::ActionRole);
    box.exec();
    if (box.clickedButton() == rotate)
        rotateSelected();
}

// --- delete, protect, rotate --------------------------------------------------------------------

void MainWindow::deleteSelected()
{
    updateActions();
    if (!m_deleteAction->isEnabled()) {
        if (!m_deleteAction->toolTip().isEmpty())
            statusBar()->showMessage(m_deleteAction->toolTip(), 8000);
        return;
    }
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
            if (const Database *d = m_model->database(m_model->index(r, 0, i)))
                consequences << tr("Database “%1” with %n connection(s)", nullptr, int(d->connections.size())).arg(d->name);
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
    dialog->setObjectName(QStringLiteral("deleteConfirmDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, routeKind, id, name] {
        m_workflows->deleteResource(routeKind, id, name);
    });
    dialog->open();
}

void MainWindow::offerDeletingOtherDatabases(const QString &projectId, const QString &name, const ApiError &error)
{
    const QModelIndex project = m_model->indexOf(projectId);
    QStringList others;
    QStringList otherIds;
    for (int r = 0; r < m_model->rowCount(project); ++r) {
        const Database *d = m_model->database(m_model->index(r, 0, project));
        if (d && !d->isDefault) {
            others << tr("Database “%1” with %n connection(s)", nullptr, int(d->connections.size())).arg(d->name);
            otherIds << d->id;
        }
    }
    QMessageBox box(QMessageBox::Warning, tr("Project not deleted"),
                    tr("The service did not delete the project “%1”.").arg(name), QMessageBox::NoButton, this);
    box.setInformativeText(error.message + (error.hint.isEmpty() ? QString() : QStringLiteral("\n") + error.hint));
    QPushButton *deleteOthers = nullptr;
    if (!otherIds.isEmpty())
        deleteOthers = box.addButton(tr("Delete Its Other Databases…"), QMessageBox::DestructiveRole);
    box.addButton(QMessageBox::Close);
    box.exec();
    if (!deleteOthers || box.clickedButton() != deleteOthers)
        return;
    // An explicit list the user confirms by typing the project's name.
    DeleteConfirmDialog confirm(tr("databases of"), name, others, true, this);
    confirm.setWindowTitle(tr("Delete the other databases of “%1”").arg(name));
    if (confirm.exec() != QDialog::Accepted)
        return;
    for (const QString &dbId : otherIds) {
        const Database *d = m_model->database(m_model->indexOf(dbId));
        m_workflows->deleteResource(QStringLiteral("database"), dbId, d ? d->name : dbId);
    }
}

void MainWindow::toggleProtection()
{
    const QModelIndex i = currentSourceIndex();
    const Kind kind = m_model->kind(i);
    if (kind != Kind::Project && kind != Kind::Database)
        return;
    const QString id = m_model->data(i, ResourceTreeModel::IdRole).toString();
    const bool nowProtected = m_model->isProtected(i);
    m_protection->setProtected(id, !nowProtected);
    statusBar()->showMessage(nowProtected ? tr("“%1” can now be deleted").arg(m_model->data(i, ResourceTreeModel::SortRole).toString())
                                          : tr("“%1” is protected from deletion again").arg(m_model->data(i, ResourceTreeModel::SortRole).toString()),
                             5000);
}

void MainWindow::rotateSelected()
{
    const Connection *c = m_model->connection(currentSourceIndex());
    if (!c)
        return;
    const QString id = c->id;
    const QString name = c->name;
    auto *dialog = new RotateConfirmDialog(name, c->database.name, this);
    dialog->setObjectName(QStringLiteral("rotateConfirmDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, id, name] { m_workflows->rotateConnection(id, name); });
    dialog->open();
}

// --- refresh, copy, search ----------------------------------------------------------------------

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
    m_model->refreshAll();
}

void MainWindow::copySelected()
{
    const QModelIndex i = currentSourceIndex();
    const QString id = m_model->data(i, ResourceTreeModel::IdRole).toString();
    if (id.isEmpty())
        return;
    const Session *s = m_sessions->session();
    if (m_model->kind(i) == Kind::Connection && s && !s->isTemporary() && m_sessions->vault()->has(s->profile().id, id)) {
        // The connection string kept in the keychain, copied as a secret.
        m_sessions->vault()->fetch(s->profile().id, id, this, [this, id](const ConnectionSecrets &secrets, const KeychainError &e) {
            const QString cs = !secrets.direct.isEmpty() ? secrets.direct : secrets.pooled;
            if (!e.ok() || cs.isEmpty()) {
                QApplication::clipboard()->setText(id);
                statusBar()->showMessage(tr("Copied %1 (the kept connection string could not be read: %2)")
                                             .arg(id, e.ok() ? tr("empty") : e.userMessage()), 10000);
                return;
            }
            m_clipboard->copySecret(cs);
        });
        return;
    }
    QApplication::clipboard()->setText(id);
    statusBar()->showMessage(tr("Copied %1").arg(id), 3000);
}

void MainWindow::focusSearch()
{
    m_search->setFocus(Qt::ShortcutFocusReason);
    m_search->selectAll();
}

void MainWindow::onSearchChanged(const QString &text)
{
    if (text.trimmed() == m_proxy->searchText())
        return;
    // The proxy applies a new text as a reset (one pass over the tree, see
    // ResourceFilterProxyModel): the view forgets its expansion and selection, so both are
    // restored here, once per keystroke.
    m_proxy->setSearchText(text);
    if (m_proxy->searchText().isEmpty()) {
        for (const QString &id : std::as_const(m_expandedIds)) // what the user had opened
            if (const QModelIndex source = m_model->indexOf(id); source.isValid())
                m_tree->expand(m_proxy->mapFromSource(source));
    } else {
        if (!m_model->isLoadingAll() && !m_model->isComplete() && m_sessions->session()) {
            m_progress->setVisible(true);
            m_model->loadAll(); // search covers the whole account
        }
        expandSearchResults();
    }
    restoreCurrent();
}

void MainWindow::restoreCurrent()
{
    if (const QModelIndex current = m_proxy->mapFromSource(m_lastCurrent); current.isValid()) {
        m_tree->setCurrentIndex(current);
        m_tree->scrollTo(current);
    } else {
        m_details->show(m_model, {}); // the current row is filtered out
        updateActions();
    }
}

void MainWindow::expandSearchResults()
{
    // Every row shown is a match or leads to one. QTreeView::expandAll() emits expanded() for each
    // row it opens: blocked, so that what a search opens is not remembered as the user's own.
    const QSignalBlocker blocker(m_tree);
    m_tree->expandAll();
}

// Status and empty-state rows read across the whole width. True for such a row.
bool MainWindow::spanIfPlaceholder(int row, const QModelIndex &parent)
{
    if (m_model->kind(m_proxy->mapToSource(m_proxy->index(row, 0, parent))) != Kind::Placeholder)
        return false;
    m_tree->setFirstColumnSpanned(row, parent, true);
    return true;
}

// After a reset of the view, every placeholder row (they are hidden while searching).
void MainWindow::spanPlaceholders(const QModelIndex &parent)
{
    if (!m_proxy->searchText().isEmpty())
        return;
    for (int r = 0, rows = m_proxy->rowCount(parent); r < rows; ++r)
        if (!spanIfPlaceholder(r, parent))
            spanPlaceholders(m_proxy->index(r, 0, parent));
}

void MainWindow::manageProfiles()
{
    auto *dialog = new ProfilesDialog(m_sessions, this);
    dialog->setObjectName(QStringLiteral("profilesDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (const Session *s = m_sessions->session(); s && !s->isTemporary())
        dialog->selectProfile(s->profile().id);
    connect(dialog, &QDialog::finished, this, [this] {
        rebuildProfileSwitcher();
        updateTitle();
    });
    dialog->open();
}

void MainWindow::offerImport(QByteArray token)
{
    QMessageBox box(QMessageBox::Question, tr("Service token found"),
                    tr("PRISMA_SERVICE_TOKEN is set in the environment. Create a profile from it?"),
                    QMessageBox::NoButton, this);
    box.setInformativeText(tr("The token is checked with the service and kept in the keychain. Nothing is saved unless you confirm."));
    QPushButton *create = box.addButton(tr("Create Profile…"), QMessageBox::AcceptRole);
    box.addButton(tr("Not Now"), QMessageBox::RejectRole);
    box.exec();
    if (box.clickedButton() != create)
        return;
    auto *dialog = new ProfileDialog(m_sessions, TokenImport::suggestedProfile(*m_sessions->profiles()), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setToken(token);
    token.fill('\0');
    connect(dialog, &QDialog::accepted, this, [this, dialog] { m_sessions->activate(dialog->profile().id); });
    dialog->open();
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

void MainWindow::restoreExpandedUnder(const QModelIndex &sourceParent)
{
    for (int r = 0; r < m_model->rowCount(sourceParent); ++r) {
        const QModelIndex child = m_model->index(r, 0, sourceParent);
        if (m_expandedIds.contains(child.data(ResourceTreeModel::IdRole).toString()))
            m_tree->expand(m_proxy->mapFromSource(child));
    }
}

void MainWindow::onLevelLoaded(const QModelIndex &parent)
{
    restoreExpandedUnder(parent);
    if (!parent.isValid()) {
        // Workspaces are in: open the first one, as a user would.
        const QModelIndex first = m_model->index(0, 0);
        if (first.isValid() && m_model->kind(first) == Kind::Workspace) {
            m_tree->expand(m_proxy->mapFromSource(first));
            if (!m_tree->currentIndex().isValid())
                m_tree->setCurrentIndex(m_proxy->mapFromSource(first));
            if (m_model->fetchState(first) != ResourceTreeModel::FetchState::Fetched)
                return;
        }
    }
    if (m_firstLevelsReady && (!parent.isValid() || m_model->kind(parent) == Kind::Workspace)) {
        auto ready = std::move(m_firstLevelsReady);
        m_firstLevelsReady = nullptr;
        ready();
    }
}

void MainWindow::saveExpanded()
{
    if (m_profileKey.isEmpty())
        return;
    QStringList ids(m_expandedIds.begin(), m_expandedIds.end());
    ids.removeAll(QString());
    ids.sort();
    QSettings().setValue(m_profileKey, ids);
}

void MainWindow::restoreWindowState()
{
    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray()))
        resize(1100, 720);
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    if (auto *splitter = findChild<QSplitter *>(QStringLiteral("mainSplitter")))
        splitter->restoreState(settings.value(QStringLiteral("window/splitter")).toByteArray());
    m_tree->header()->restoreState(settings.value(QStringLiteral("window/treeHeader")).toByteArray());
}

bool MainWindow::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_tree && (event->type() == QEvent::ShortcutOverride || event->type() == QEvent::KeyPress)) {
        auto *key = static_cast<QKeyEvent *>(event);
        if (key->matches(QKeySequence::Copy)) {
            if (event->type() == QEvent::KeyPress)
                m_copyAction->trigger();
            event->accept();
            return true;
        }
    }
    return QMainWindow::eventFilter(watched, event);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    if (auto *splitter = findChild<QSplitter *>(QStringLiteral("mainSplitter")))
        settings.setValue(QStringLiteral("window/splitter"), splitter->saveState());
    settings.setValue(QStringLiteral("window/treeHeader"), m_tree->header()->saveState());
    saveExpanded();
    m_clipboard->clearIfOurs();
    event->accept();
}

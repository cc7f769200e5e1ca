#include "mainwindow.h"

#include "aboutdialog.h"
#include "activitydock.h"
#include "backupcontroller.h"
#include "commandpalette.h"
#include "connectionstringcontroller.h"
#include "consoleactions.h"
#include "consolecore.h"
#include "createcontroller.h"
#include "deletecontroller.h"
#include "detailspane.h"
#include "linkcontroller.h"
#include "planbanner.h"
#include "profilecontroller.h"
#include "profileswitcher.h"
#include "protectioncontroller.h"
#include "proxycredentialsdialog.h"
#include "renamecontroller.h"
#include "resourcefilterproxymodel.h"
#include "resourcetreeview.h"
#include "secretclipboard.h"
#include "servicetokencontroller.h"
#include "session.h"
#include "transfercontroller.h"
#include "workflowfeedback.h"

#include <QAction>
#include <QClipboard>
#include <QCloseEvent>
#include <QGuiApplication>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QToolBar>
#include <QVBoxLayout>

MainWindow::MainWindow(ConsoleCore *core, QWidget *parent)
    : QMainWindow(parent)
    , m_core(core)
    , m_actions(new ConsoleActions(this))
    , m_tree(new ResourceTreeView(&core->model, this))
    , m_details(new DetailsPane(&core->queries, this))
    , m_splitter(new QSplitter(this))
    , m_planBanner(new PlanBanner(&core->subscriptions, this))
    , m_clipboard(new SecretClipboard(this))
    , m_sessionLabel(new QLabel(this))
    , m_progress(new QProgressBar(this))
    , m_create(new CreateController(core, m_tree, this))
    , m_delete(new DeleteController(core, m_tree, this))
    , m_protection(new ProtectionController(core, m_tree, this))
    , m_connectionStrings(new ConnectionStringController(core, m_tree, m_clipboard, this))
    , m_profiles(new ProfileController(core, this))
    , m_backups(new BackupController(core, m_tree, m_details, this))
    , m_rename(new RenameController(core, m_tree, this))
    , m_transfer(new TransferController(core, m_tree, this))
    , m_links(new LinkController(
          core, m_tree, [this](const QString &id) { return revealId(id); }, this))
    , m_paletteIndex(std::make_unique<CommandPaletteIndex>())
    , m_palette(new CommandPalette(m_paletteIndex.get(), this))
{
    setWindowIcon(QIcon(QStringLiteral(":/icons/ppg-console.svg")));
    setObjectName(QStringLiteral("MainWindow"));
    // Seconds before a copied connection string is cleared (0: never); a setting, not a secret.
    m_clipboard->setClearAfter(
        QSettings().value(QStringLiteral("clipboard/clearAfterSeconds"), SecretClipboard::kDefaultClearAfter).toInt());

    // Layout: the tree beside the details, a toolbar above, the activity below, a status line.
    m_splitter->setObjectName(QStringLiteral("mainSplitter"));
    m_splitter->addWidget(m_tree);
    m_splitter->addWidget(m_details);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    m_splitter->setSizes({ 680, 420 });
    auto *central = new QWidget(this);
    auto *centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(0, 0, 0, 0);
    centralLayout->setSpacing(4);
    centralLayout->addWidget(m_planBanner);
    centralLayout->addWidget(m_splitter, 1);
    setCentralWidget(central);
    m_actions->populateMenuBar(menuBar());
    createToolBar();
    m_activity = new ActivityDock(&core->activity, this);
    addDockWidget(Qt::BottomDockWidgetArea, m_activity);
    m_actions->viewMenu()->addAction(m_activity->toggleViewAction());
    resizeDocks({ m_activity }, { 150 }, Qt::Vertical);
    m_progress->setMaximumWidth(160);
    m_progress->setRange(0, 0);
    m_progress->setVisible(false);
    m_progress->setAccessibleName(tr("Loading"));
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_sessionLabel);

    // Offline: one plain, lasting word in the status line (no dialog); the console probes the
    // service by itself and lists the tree again when it answers (ConsoleCore, Reachability).
    auto *offline = new QLabel(this);
    offline->setObjectName(QStringLiteral("offlineStatus"));
    offline->setVisible(false);
    statusBar()->insertPermanentWidget(0, offline);
    connect(m_core, &ConsoleCore::offlineChanged, this, [this, offline](bool isOffline, const QString &host) {
        offline->setText(isOffline ? tr("⚠ Offline: %1 cannot be reached; retrying by itself").arg(host) : QString());
        offline->setToolTip(isOffline ? tr("The console tries again by itself and lists everything again once the "
                                           "service answers.")
                                      : QString());
        offline->setVisible(isOffline);
        if (!isOffline)
            showStatus(tr("Back online: %1 answers again").arg(host), 5000);
    });

    // A proxy that asks for a user name and password: asked once, kept in the keychain.
    connect(&m_core->proxyCredentials, &ProxyCredentials::credentialsWanted, this,
        [this](const QString &proxyKey, const QString &realm, bool refused) {
            auto *dialog = new ProxyCredentialsDialog(proxyKey, realm, refused, this);
            dialog->setAttribute(Qt::WA_DeleteOnClose);
            connect(dialog, &QDialog::accepted, this, [this, dialog] {
                m_core->proxyCredentials.provide(dialog->proxyKey(), dialog->user(), dialog->password());
            });
            connect(dialog, &QDialog::rejected, this,
                [this, dialog] { m_core->proxyCredentials.decline(dialog->proxyKey()); });
            dialog->open();
        });

    wireActions();

    // The tree and the details.
    m_tree->setCopyAction(m_actions->copy);
    m_tree->setActionHints(m_actions->newInContext, m_actions->refresh);
    connect(m_tree, &QWidget::customContextMenuRequested, this, &MainWindow::showContextMenu);
    connect(m_tree, &ResourceTreeView::currentResourceChanged, this, [this](const QModelIndex &current) {
        m_core->actFor(current); // All Profiles: the row's profile acts
        // The same row again (a search keystroke resets the view, which puts the row back) is not
        // shown again: that would ask for its usage and backups once per keystroke.
        m_details->showIfChanged(&m_core->model, current);
        updateActions();
    });
    connect(&core->model, &QAbstractItemModel::dataChanged, this,
        [this](const QModelIndex &topLeft, const QModelIndex &bottomRight) {
            const QModelIndex current = m_tree->currentSourceIndex();
            if (current.isValid() && current.parent() == topLeft.parent() && current.row() >= topLeft.row()
                && current.row() <= bottomRight.row()) {
                m_details->showIfChanged(&m_core->model, current); // a rename's answer, a status change
                updateActions(); // e.g. All Profiles: the profile's node became its workspace
            }
        });
    m_details->setActionProvider([this](ResourceKind kind) { return m_actions->detailsActions(kind); });
    connect(m_details, &DetailsPane::linkActivated, this, &MainWindow::selectId);

    // The command palette reads the model again when it changed.
    for (auto signal : { &QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved })
        connect(&core->model, signal, this, [this] { m_paletteStale = true; });
    connect(&core->model, &QAbstractItemModel::modelReset, this, [this] { m_paletteStale = true; });
    connect(&core->model, &QAbstractItemModel::dataChanged, this, [this] { m_paletteStale = true; });
    connect(m_palette, &CommandPalette::chosen, this, &MainWindow::runPaletteHit);
    connect(&core->model, &ResourceTreeModel::bulkFinished, this, [this] {
        if (!m_palette->isVisible() || !m_paletteStale)
            return;
        m_paletteIndex->rebuild(m_core->model); // the whole account is in: the open palette finds it
        m_paletteStale = false;
        m_palette->refresh();
    });
    connect(m_details, &DetailsPane::copied, this,
        [this](const QString &id) { showStatus(tr("Copied %1").arg(id), 3000); });

    // Loading.
    ResourceTreeModel *model = &m_core->model;
    connect(model, &ResourceTreeModel::levelFailed, this, [this](const QModelIndex &, const ApiError &error) {
        showStatus(tr("Could not load: %1").arg(error.userMessage()), 10000);
    });
    connect(model, &ResourceTreeModel::bulkProgress, this, [this](int databases) {
        showStatus(tr("Loading the whole account for search: %n database(s)…", nullptr, databases), 0);
    });
    connect(model, &ResourceTreeModel::bulkFinished, this, [this](const ApiError &error) {
        m_progress->setVisible(false);
        if (error.isError())
            showStatus(tr("Search covers only what is loaded: %1").arg(error.userMessage()), 10000);
        else if (m_tree->searchOpensEveryBranch())
            statusBar()->clearMessage(); // else the tree's word on what it opened stays
    });

    // Sessions and profiles.
    connect(m_core, &ConsoleCore::sessionChanged, this, &MainWindow::onSessionChanged);
    connect(m_core, &ConsoleCore::cachedTreeShown, this, [this](const QString &profileId) {
        m_tree->setProfile(profileId); // the branches that were open last time open again
        showStatus(tr("Showing the tree as it was last time (rows in italics) while it is listed again"), 8000);
    });
    connect(m_core, &ConsoleCore::actingSessionChanged, this, [this](Session *session) {
        m_profileSwitcher->showSession(session);
        showSessionLabel(session);
        updateTitle();
        updateActions();
    });
    connect(m_core, &ConsoleCore::allProfilesChanged, this, [this](bool on) {
        m_actions->allProfiles->setChecked(on);
        QSettings().setValue(QStringLiteral("view/allProfiles"), on); // how the next start opens
        updateTitle();
        if (on)
            showStatus(tr("Opening every profile: reading their tokens from the keychain…"), 0);
    });
    connect(m_core, &ConsoleCore::unauthorized, this, [this] {
        showStatus(tr("The service refused this profile's token: edit the profile and paste a valid one."), 15000);
    });
    connect(&m_core->sessions, &SessionManager::activationStarted, this, [this](const QString &name) {
        showStatus(tr("Opening profile “%1”: reading its token from the keychain…").arg(name), 0);
    });
    connect(&m_core->sessions, &SessionManager::activationFailed, statusBar(), &QStatusBar::clearMessage);
    connect(m_profiles, &ProfileController::profilesEdited, this, [this] {
        m_profileSwitcher->rebuild();
        updateTitle();
    });

    // What changes what the actions offer, and what the flows have to say.
    connect(&m_core->protection, &DeleteProtection::changed, this, &MainWindow::updateActions);
    connect(&m_core->keeper, &ConnectionStringKeeper::changed, this, &MainWindow::updateActions);
    connect(&m_core->workflows, &ResourceWorkflows::succeeded, this, &MainWindow::updateActions);
    auto *feedback = new WorkflowFeedback(&m_core->workflows, m_tree, this);
    connect(feedback, &WorkflowFeedback::statusMessage, this, &MainWindow::showStatus);
    connect(m_delete, &DeleteController::statusMessage, this, &MainWindow::showStatus);
    connect(m_backups, &BackupController::statusMessage, this, &MainWindow::showStatus);
    connect(m_protection, &ProtectionController::statusMessage, this, &MainWindow::showStatus);
    connect(m_rename, &RenameController::statusMessage, this, &MainWindow::showStatus);
    connect(m_transfer, &TransferController::statusMessage, this, &MainWindow::showStatus);
    connect(m_connectionStrings, &ConnectionStringController::statusMessage, this, &MainWindow::showStatus);
    connect(m_clipboard, &SecretClipboard::countdown, this, [this](int left) {
        if (left > 0)
            showStatus(tr("Connection string on the clipboard: cleared in %n second(s)", nullptr, left), 0);
        else
            statusBar()->clearMessage();
    });

    restoreWindowState();
    updateActions();
    updateTitle();
}

MainWindow::~MainWindow() = default;

void MainWindow::createToolBar()
{
    QToolBar *bar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    bar->setMovable(false);
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    auto *profileLabel = new QLabel(tr(" &Profile: "), bar);
    bar->addWidget(profileLabel);
    m_profileSwitcher = new ProfileSwitcher(&m_core->sessions, bar);
    addActions(m_profileSwitcher->switchActions());
    profileLabel->setBuddy(m_profileSwitcher);
    bar->addWidget(m_profileSwitcher);
    bar->addSeparator();
    m_actions->populateToolBar(bar);
    auto *spacer = new QWidget(bar);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    bar->addWidget(spacer);
    m_search = new QLineEdit(bar);
    m_search->setObjectName(QStringLiteral("searchBox"));
    m_search->setPlaceholderText(
        tr("Search names and ids (%1)").arg(m_actions->find->shortcut().toString(QKeySequence::NativeText)));
    m_search->setAccessibleName(tr("Search"));
    m_search->setClearButtonEnabled(true);
    m_search->setMinimumWidth(260);
    bar->addWidget(m_search);
    connect(m_search, &QLineEdit::textChanged, this, [this](const QString &text) {
        if (m_tree->setSearchText(text))
            m_progress->setVisible(true); // the whole account is loading for it
    });
    connect(m_tree, &ResourceTreeView::searchResultsOpened, this, [this](bool everyBranch, int rows) {
        if (!everyBranch)
            showStatus(tr("%Ln row(s) in the results: only the first levels are open. Type more to open every branch.",
                           nullptr, rows),
                10000);
    });
}

void MainWindow::wireActions()
{
    const ConsoleActions *a = m_actions;
    connect(a->newInContext, &QAction::triggered, m_create, &CreateController::createInContext);
    connect(a->newProject, &QAction::triggered, m_create, &CreateController::createProject);
    connect(a->newDatabase, &QAction::triggered, m_create, &CreateController::createDatabase);
    connect(a->newConnection, &QAction::triggered, m_create, &CreateController::createConnection);
    connect(a->deleteResource, &QAction::triggered, m_delete, &DeleteController::deleteCurrent);
    connect(a->protect, &QAction::triggered, m_protection, &ProtectionController::toggleCurrent);
    connect(a->rename, &QAction::triggered, m_rename, &RenameController::renameCurrent);
    connect(a->transferProject, &QAction::triggered, m_transfer, &TransferController::transferCurrent);
    connect(a->showBackups, &QAction::triggered, m_backups, &BackupController::showBackups);
    connect(a->restoreIntoNewDatabase, &QAction::triggered, m_backups, &BackupController::restoreIntoNewDatabase);
    connect(a->restoreInPlace, &QAction::triggered, m_backups, &BackupController::restoreInPlace);
    connect(a->cloneDatabase, &QAction::triggered, m_backups, &BackupController::cloneDatabase);
    connect(m_details, &DetailsPane::backupActivated, m_backups, &BackupController::restoreIntoNewDatabase);
    connect(a->rotate, &QAction::triggered, m_connectionStrings, &ConnectionStringController::rotateCurrent);
    connect(
        a->showConnectionString, &QAction::triggered, m_connectionStrings, [this] { m_connectionStrings->showKept(); });
    connect(a->testConnection, &QAction::triggered, m_connectionStrings,
        [this] { m_connectionStrings->showKept(ConnectionStringController::Then::Test); });
    connect(a->writeEnvFile, &QAction::triggered, m_connectionStrings,
        [this] { m_connectionStrings->showKept(ConnectionStringController::Then::WriteEnv); });
    connect(a->commandPalette, &QAction::triggered, this, [this] { openCommandPalette(); });
    connect(a->copy, &QAction::triggered, m_connectionStrings, &ConnectionStringController::copyCurrent);
    connect(a->copyLink, &QAction::triggered, this, [this] {
        const QString link = currentLink();
        if (link.isEmpty())
            return;
        QGuiApplication::clipboard()->setText(link); // names a profile and an id: no secret
        showStatus(tr("Copied link %1").arg(link), 5000);
    });
    connect(a->refresh, &QAction::triggered, this, &MainWindow::refreshCurrent);
    connect(a->refreshAll, &QAction::triggered, &m_core->model, &ResourceTreeModel::refreshAll);
    connect(a->refreshAll, &QAction::triggered, &m_core->subscriptions, &SubscriptionWatch::refresh);
    connect(a->allProfiles, &QAction::toggled, m_core, [this](bool on) { m_core->setAllProfiles(on); });
    connect(a->find, &QAction::triggered, this, [this] {
        m_search->setFocus(Qt::ShortcutFocusReason);
        m_search->selectAll();
    });
    connect(a->addProfile, &QAction::triggered, m_profiles, &ProfileController::addProfile);
    connect(a->manageProfiles, &QAction::triggered, m_profiles, &ProfileController::manageProfiles);
    connect(a->serviceTokens, &QAction::triggered, this,
        [this] { ServiceTokenController::open(m_core, m_tree->currentSourceIndex(), this); });
    connect(a->quit, &QAction::triggered, this, &QWidget::close);
    connect(a->about, &QAction::triggered, this, [this] {
        auto *dialog = new AboutDialog(this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->open();
    });
}

ResourceTreeModel *MainWindow::model() const
{
    return &m_core->model;
}
QAction *MainWindow::deleteAction() const
{
    return m_actions->deleteResource;
}
QAction *MainWindow::newAction() const
{
    return m_actions->newInContext;
}
QAction *MainWindow::protectAction() const
{
    return m_actions->protect;
}
QAction *MainWindow::copyAction() const
{
    return m_actions->copy;
}
QAction *MainWindow::rotateAction() const
{
    return m_actions->rotate;
}

void MainWindow::whenFirstLevelsLoaded(std::function<void()> ready)
{
    m_tree->whenFirstLevelsLoaded(std::move(ready));
}
QModelIndex MainWindow::currentSourceIndex() const
{
    return m_tree->currentSourceIndex();
}
bool MainWindow::selectId(const QString &id)
{
    return m_tree->selectId(id);
}
void MainWindow::offerImport(QByteArray token)
{
    m_profiles->offerImport(std::move(token));
}

void MainWindow::openCommandPalette(const QString &text)
{
    CommandPaletteIndex &index = *m_paletteIndex;
    if (m_paletteStale) {
        index.rebuild(m_core->model);
        m_paletteStale = false;
    }
    // Verbs and commands each time: their enablement, texts and the profiles change.
    std::vector<CommandPaletteIndex::Verb> verbs;
    m_paletteVerbActions.clear();
    for (const ConsoleActions::PaletteVerb &v : m_actions->paletteVerbs()) {
        verbs.push_back({ v.prefix, v.kind, v.action->shortcut().toString(QKeySequence::NativeText),
            int(m_paletteVerbActions.size()) });
        m_paletteVerbActions.append(v.action);
    }
    index.setVerbs(std::move(verbs));

    std::vector<CommandPaletteIndex::Command> commands;
    m_paletteCommands.clear();
    auto add = [&](const QString &text, const QString &hint, std::function<void()> run) {
        commands.push_back({ text, hint, int(m_paletteCommands.size()) });
        m_paletteCommands.push_back(std::move(run));
    };
    const Session *session = m_core->sessions.session();
    for (const Profile &p : m_core->profiles.profiles())
        if (!session || session->profile().id != p.id || m_core->isAllProfiles())
            add(tr("Switch to profile %1").arg(p.name), QString(),
                [this, id = p.id] { m_core->sessions.activate(id); }); // as the profile switcher does
    for (QAction *a : m_actions->paletteCommands()) {
        QString text = ConsoleActions::plainText(a);
        if (a == m_actions->allProfiles)
            text = a->isChecked() ? tr("Leave All Profiles") : tr("Show All Profiles");
        add(text, a->shortcut().toString(QKeySequence::NativeText), [a] {
            if (a->isEnabled())
                a->trigger();
        });
    }
    QAction *activity = m_activity->toggleViewAction();
    add(m_activity->isVisible() ? tr("Hide the activity panel") : tr("Show the activity panel"),
        activity->shortcut().toString(QKeySequence::NativeText), [activity] { activity->trigger(); });
    index.setCommands(std::move(commands));
    index.setCurrentId(m_tree->currentSourceIndex().data(ResourceTreeModel::IdRole).toString());
    m_palette->popup(text);
    // Like search, the palette covers the whole account: what is not loaded yet comes in now.
    ResourceTreeModel &model = m_core->model;
    if (!model.isLoadingAll() && !model.isComplete() && model.hasClient()) {
        m_progress->setVisible(true);
        model.loadAll();
    }
}

bool MainWindow::revealId(const QString &id)
{
    const QModelIndex source = m_core->model.indexOf(id);
    if (!source.isValid())
        return false;
    if (!m_tree->proxy()->mapFromSource(source).isValid())
        m_search->clear(); // filtered out by a search: show the whole tree again
    for (QModelIndex p = source.parent(); p.isValid(); p = p.parent())
        m_tree->expandSource(p);
    return m_tree->selectId(id);
}

QString MainWindow::currentLink() const
{
    return m_links->linkFor(m_tree->currentSourceIndex());
}

void MainWindow::openLink(const QString &text, LinkDone done)
{
    QString error;
    if (const auto link = ConsoleLink::parse(text, &error)) {
        openLink(*link, std::move(done));
        return;
    }
    showLinkProblem(error);
    if (done)
        done(false, error);
}

void MainWindow::openLink(const ConsoleLink &link, LinkDone done)
{
    if (isMinimized())
        showNormal();
    raise();
    activateWindow();
    showStatus(tr("Opening the link to %1…").arg(link.id), 0);
    m_links->open(link, [this, done = std::move(done)](bool ok, const QString &message) {
        if (ok) {
            showStatus(message, 8000);
            m_tree->setFocus(Qt::OtherFocusReason);
        } else {
            statusBar()->clearMessage();
            showLinkProblem(message);
        }
        if (done)
            done(ok, message);
    });
}

void MainWindow::showLinkProblem(const QString &message)
{
    // One box, however many links fail: a newer problem replaces the text of the one shown.
    if (!m_linkProblem) {
        m_linkProblem = new QMessageBox(QMessageBox::Warning, tr("Cannot Open Link"), QString(), QMessageBox::Ok, this);
        m_linkProblem->setAttribute(Qt::WA_DeleteOnClose);
        m_linkProblem->setWindowModality(Qt::WindowModal);
    }
    m_linkProblem->setText(message);
    m_linkProblem->open();
}

void MainWindow::runPaletteHit(const CommandPaletteIndex::Hit &hit)
{
    const CommandPaletteIndex &index = *m_paletteIndex;
    switch (hit.type) {
    case CommandPaletteIndex::Type::Command:
        if (size_t(hit.item) < m_paletteCommands.size())
            m_paletteCommands[size_t(hit.item)]();
        return;
    case CommandPaletteIndex::Type::Resource:
        if (revealId(index.resourceId(hit.resource)))
            m_tree->setFocus(Qt::OtherFocusReason);
        else
            showStatus(tr("“%1” is no longer in the tree.").arg(index.resourceLabel(hit.resource)), 5000);
        return;
    case CommandPaletteIndex::Type::Verb: {
        // The same path as the menu: select the resource (its profile acts), then its action.
        if (!revealId(index.resourceId(hit.resource))) {
            showStatus(tr("“%1” is no longer in the tree.").arg(index.resourceLabel(hit.resource)), 5000);
            return;
        }
        m_tree->setFocus(Qt::OtherFocusReason);
        QAction *action = m_paletteVerbActions.value(index.verbs()[size_t(hit.item)].key);
        if (action && action->isEnabled())
            action->trigger();
        else if (action)
            showStatus(
                tr("%1: not possible here (%2)")
                    .arg(index.text(hit),
                        action->statusTip().isEmpty() ? tr("not available for this resource") : action->statusTip()),
                8000);
        return;
    }
    }
}

void MainWindow::showStatus(const QString &text, int timeoutMs)
{
    statusBar()->showMessage(text, timeoutMs);
}

void MainWindow::onSessionChanged(Session *session)
{
    if (m_core->isAllProfiles())
        m_tree->setProfile(QStringLiteral("all-profiles")); // the branches open in All Profiles
    else
        m_tree->setProfile(session && !session->isTemporary() ? session->profile().id : QString());
    showSessionLabel(session);
    m_profileSwitcher->showSession(session);
    m_search->clear();
    statusBar()->clearMessage();
    if (m_core->model.cachedRows() > 0)
        showStatus(tr("Showing the tree as it was last time (rows in italics) while it is listed again"), 8000);
    updateTitle();
    updateActions();
    m_details->show(&m_core->model, QModelIndex());
    if (session && m_core->isAllProfiles()) {
        // The acting profile's node is the current one (the first row would make another act).
        for (int row = 0; row < m_core->model.rowCount(); ++row)
            if (const QModelIndex i = m_core->model.index(row, 0);
                m_core->model.profileIdOf(i) == session->profile().id) {
                m_tree->setCurrentIndex(m_tree->proxy()->mapFromSource(i));
                break;
            }
    }
}

void MainWindow::showSessionLabel(const Session *session)
{
    if (session)
        m_sessionLabel->setText(session->profile().apiUrl.toString());
}

void MainWindow::updateTitle()
{
    const Session *s = m_core->sessions.session();
    if (m_core->isAllProfiles())
        setWindowTitle(s ? tr("All Profiles (acting as %1) — Prisma Postgres Console").arg(s->profile().name)
                         : tr("All Profiles — Prisma Postgres Console"));
    else
        setWindowTitle(s ? tr("%1 — Prisma Postgres Console").arg(s->profile().name) : tr("Prisma Postgres Console"));
}

void MainWindow::updateActions()
{
    const QModelIndex i = m_tree->currentSourceIndex();
    const ResourceTreeModel &model = m_core->model;
    const Session *session = m_core->sessions.session();
    ConsoleActions::State state;
    state.hasSession = session != nullptr;
    if (model.isAllProfiles() && i.isValid()) {
        // Only the row's own profile acts on it, and only once its workspace is known (a profile
        // whose token was refused or could not be read offers nothing but a retry).
        QModelIndex top = i;
        while (top.parent().isValid())
            top = top.parent();
        state.hasSession = session && model.profileIdOf(i) == session->profile().id && model.workspace(top);
    }
    state.canRefresh = model.hasClient();
    state.kind = model.kind(i);
    if (state.kind == ResourceKind::Workspace && !model.workspace(i))
        state.kind = ResourceKind::Placeholder; // a profile's node before its workspace is known
    state.isProtected = m_core->model.isProtected(i);
    state.canLink = !m_links->linkFor(i).isEmpty();
    state.keptConnectionString
        = state.kind == ResourceKind::Connection && m_core->keeper.isKept(i.data(ResourceTreeModel::IdRole).toString());
    state.deleteVerdict = DeletePolicy::check(m_core->model, i);
    state.restoreInPlaceVerdict = RestorePolicy::checkInPlace(m_core->model, i);
    state.cloneVerdict = RestorePolicy::checkClone(m_core->model, i);
    m_actions->update(state);
}

void MainWindow::showContextMenu(const QPoint &pos)
{
    if (const QModelIndex index = m_tree->indexAt(pos); index.isValid())
        m_tree->setCurrentIndex(index);
    QMenu menu(this);
    m_actions->populateContextMenu(&menu, m_core->model.kind(m_tree->currentSourceIndex()));
    menu.exec(m_tree->viewport()->mapToGlobal(pos));
}

void MainWindow::refreshCurrent()
{
    m_core->subscriptions.refresh(); // a lifted block shows at once
    QModelIndex i = m_tree->currentSourceIndex();
    if (!i.isValid()) {
        m_core->model.refresh();
        return;
    }
    if (const ResourceKind kind = m_core->model.kind(i);
        kind == ResourceKind::Placeholder || kind == ResourceKind::Connection)
        i = i.parent();
    m_core->model.refresh(i);
    m_tree->expandSource(i);
}

void MainWindow::restoreWindowState()
{
    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray()))
        resize(1100, 720);
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    m_activity->settle(); // out of the way until there is activity
    m_splitter->restoreState(settings.value(QStringLiteral("window/splitter")).toByteArray());
    m_tree->header()->restoreState(settings.value(QStringLiteral("window/treeHeader")).toByteArray());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("window/splitter"), m_splitter->saveState());
    settings.setValue(QStringLiteral("window/treeHeader"), m_tree->header()->saveState());
    m_tree->saveExpanded();
    m_core->saveTreeCache();
    m_clipboard->clearIfOurs();
    event->accept();
}

#include "resourcetreemodel.h"
#include "resourcetreenode_p.h"

#include "apiclient.h"
#include "bulkloader.h"
#include "pagewalker.h"
#include "provisioningpoller.h"

#include <QFont>
#include <QIcon>
#include <QLocale>
#include <QTimer>

#include <map>

namespace {

QString iconPath(ResourceKind kind)
{
    switch (kind) {
    case ResourceKind::Workspace:
        return QStringLiteral(":/icons/workspace.svg");
    case ResourceKind::Project:
        return QStringLiteral(":/icons/project.svg");
    case ResourceKind::Database:
        return QStringLiteral(":/icons/database.svg");
    case ResourceKind::Connection:
        return QStringLiteral(":/icons/connection.svg");
    case ResourceKind::Placeholder:
        break;
    }
    return {};
}

QString statusIconName(Database::Status status)
{
    switch (status) {
    case Database::Status::Provisioning:
        return QStringLiteral("provisioning");
    case Database::Status::Ready:
        return QStringLiteral("ready");
    case Database::Status::Failure:
        return QStringLiteral("failure");
    case Database::Status::Recovering:
        return QStringLiteral("recovering");
    case Database::Status::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

QString statusLabel(Database::Status status, const QString &raw)
{
    switch (status) {
    case Database::Status::Provisioning:
        return ResourceTreeModel::tr("Provisioning");
    case Database::Status::Ready:
        return ResourceTreeModel::tr("Ready");
    case Database::Status::Failure:
        return ResourceTreeModel::tr("Failed");
    case Database::Status::Recovering:
        return ResourceTreeModel::tr("Recovering");
    case Database::Status::Unknown:
        break;
    }
    return raw;
}

QString createdText(const QDateTime &t)
{
    return t.isValid() ? QLocale().toString(t.toLocalTime(), QLocale::ShortFormat) : QString();
}

} // namespace

ResourceTreeModel::ResourceTreeModel(QObject *parent)
    : QAbstractItemModel(parent)
    , m_root(std::make_unique<Node>())
    , m_bulk(new BulkLoader(this))
    , m_poller(new ProvisioningPoller([this] { return unsettledDatabases(); },
          [this](const QString &id) -> ApiClient * {
              const Node *n = m_byId.value(id, nullptr);
              return n ? clientOf(n) : nullptr;
          },
          this))
{
    connect(m_bulk, &BulkLoader::progress, this, &ResourceTreeModel::bulkProgress);
    connect(m_bulk, &BulkLoader::finished, this, &ResourceTreeModel::bulkFinished);
    connect(m_poller, &ProvisioningPoller::updated, this, &ResourceTreeModel::updateDatabase);
    connect(m_poller, &ProvisioningPoller::gone, this, &ResourceTreeModel::removeResource);
    const auto changed = [this] { ++m_changes; };
    connect(this, &QAbstractItemModel::rowsInserted, this, changed);
    connect(this, &QAbstractItemModel::modelReset, this, changed);
    connect(this, &QAbstractItemModel::layoutChanged, this, changed);
}

ResourceTreeModel::~ResourceTreeModel() = default;

// Drops the tree and every listing of the previous clients: nothing of them is delivered any more.
// Between beginResetModel() and endResetModel().
void ResourceTreeModel::resetTree()
{
    ++m_generation;
    m_bulk->abandon();
    m_loadingEveryLevel = false;
    for (AccountState &a : m_accounts)
        if (a.projectsWalker)
            a.projectsWalker->discard();
    forget(m_root.get());
    m_root = std::make_unique<Node>();
    m_byId.clear();
    m_accounts.clear();
    m_poller->reset();
    m_listRequests = 0;
    m_cachedRows = 0;
}

void ResourceTreeModel::setClient(ApiClient *client)
{
    beginResetModel();
    resetTree();
    m_allProfiles = false;
    AccountState one;
    one.client = client;
    m_accounts.push_back(std::move(one));
    endResetModel();
}

bool ResourceTreeModel::attachClient(ApiClient *client)
{
    if (m_allProfiles || hasClient() || m_accounts.size() > 1)
        return false;
    // No listing was ever started without a client, so nothing of another session is in flight.
    if (m_accounts.empty())
        m_accounts.emplace_back();
    m_accounts.front().client = client;
    return true;
}

void ResourceTreeModel::setAccounts(const QList<Account> &accounts)
{
    beginResetModel();
    resetTree();
    m_allProfiles = true;
    m_root->state = FetchState::Fetched; // the accounts are the top level
    for (const Account &account : accounts) {
        AccountState a;
        a.account = account;
        a.client = account.client;
        m_accounts.push_back(std::move(a));
        auto node = std::make_unique<Node>();
        node->kind = ResourceKind::Workspace;
        node->standIn = true;
        node->account = int(m_accounts.size()) - 1;
        if (!account.client) {
            // Its token could not be read: the error row says why, nothing is asked.
            node->state = FetchState::Failed;
            auto error = std::make_unique<Node>();
            error->kind = ResourceKind::Placeholder;
            error->message = std::make_unique<Node::Message>(
                Node::Message { tr("Could not open this profile: %1").arg(account.error), account.error });
            node->append(std::move(error));
        }
        m_root->append(std::move(node));
    }
    endResetModel();
    for (auto &top : m_root->children)
        if (top->state == FetchState::Unfetched)
            startFetch(top.get());
}

ApiClient *ResourceTreeModel::client() const
{
    return !m_allProfiles && !m_accounts.empty() ? m_accounts.front().client.data() : nullptr;
}

bool ResourceTreeModel::hasClient() const
{
    for (const AccountState &a : m_accounts)
        if (a.client)
            return true;
    return false;
}

ApiClient *ResourceTreeModel::clientOf(const Node *node) const
{
    return size_t(node->account) < m_accounts.size() ? m_accounts[size_t(node->account)].client.data() : nullptr;
}

QString ResourceTreeModel::profileIdOf(const QModelIndex &index) const
{
    if (!m_allProfiles || !index.isValid())
        return {};
    const Node *n = nodeOf(index);
    return size_t(n->account) < m_accounts.size() ? m_accounts[size_t(n->account)].account.profileId : QString();
}

ResourceTreeModel::Node *ResourceTreeModel::accountNode(int account) const
{
    for (const auto &top : m_root->children)
        if (top->account == account && top->kind == ResourceKind::Workspace)
            return top.get();
    return nullptr;
}

// --- QAbstractItemModel -------------------------------------------------------------------------

ResourceTreeModel::Node *ResourceTreeModel::nodeOf(const QModelIndex &index) const
{
    return index.isValid() ? static_cast<Node *>(index.internalPointer()) : m_root.get();
}

QModelIndex ResourceTreeModel::indexOfNode(const Node *node, int column) const
{
    if (!node || node == m_root.get())
        return {};
    return createIndex(node->row(), column, const_cast<Node *>(node));
}

QModelIndex ResourceTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    Node *p = nodeOf(parent);
    return createIndex(row, column, p->children[size_t(row)].get());
}

// Another column of the same row without a walk to the parent (proxies ask this for every cell).
QModelIndex ResourceTreeModel::sibling(int row, int column, const QModelIndex &index) const
{
    if (index.isValid() && row == index.row() && column >= 0 && column < ColumnCount && index.model() == this)
        return createIndex(row, column, index.internalPointer());
    return QAbstractItemModel::sibling(row, column, index);
}

QModelIndex ResourceTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    return indexOfNode(nodeOf(child)->parent);
}

int ResourceTreeModel::rowCount(const QModelIndex &parent) const
{
    if (parent.column() > 0)
        return 0;
    return int(nodeOf(parent)->children.size());
}

int ResourceTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

bool ResourceTreeModel::hasChildren(const QModelIndex &parent) const
{
    if (parent.column() > 0)
        return false;
    const Node *n = nodeOf(parent);
    if (!n->children.empty())
        return true;
    // Keep the expander while a level is unknown or on its way.
    return n->canHaveChildren() && (n->state == FetchState::Unfetched || n->state == FetchState::Fetching);
}

bool ResourceTreeModel::canFetchMore(const QModelIndex &parent) const
{
    if (parent.column() > 0)
        return false;
    const Node *n = nodeOf(parent);
    return n->canHaveChildren() && n->state == FetchState::Unfetched && clientOf(n);
}

void ResourceTreeModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    startFetch(nodeOf(parent));
}

Qt::ItemFlags ResourceTreeModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    if (nodeOf(index)->kind == ResourceKind::Placeholder)
        return Qt::ItemIsEnabled | Qt::ItemNeverHasChildren;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (nodeOf(index)->kind == ResourceKind::Connection)
        f |= Qt::ItemNeverHasChildren;
    if (index.column() == NameColumn
        && (nodeOf(index)->kind == ResourceKind::Project || nodeOf(index)->kind == ResourceKind::Database))
        f |= Qt::ItemIsEditable; // the view's editor asks for a rename; the model changes on the answer
    return f;
}

QVariant ResourceTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Name");
    case StatusColumn:
        return tr("Status");
    case RegionColumn:
        return tr("Region");
    case CreatedColumn:
        return tr("Created");
    default:
        return {};
    }
}

const QIcon &ResourceTreeModel::icon(const QString &path) const
{
    // One QIcon per file: a new QIcon per data() call parsed the SVG again for every row painted
    // or measured (QTreeView asks for size hints on every dataChanged).
    auto it = m_icons.find(path);
    if (it == m_icons.end())
        it = m_icons.insert(path, QIcon(path));
    return *it;
}

QVariant ResourceTreeModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    const Node *n = nodeOf(index);
    if (m_allProfiles && size_t(n->account) < m_accounts.size()) {
        const Account &account = m_accounts[size_t(n->account)].account;
        const bool top = n->parent == m_root.get();
        if (role == ProfileIdRole)
            return account.profileId;
        if (role == ProfileColorRole)
            return top ? QVariant(account.color) : QVariant();
        if (top && (role == Qt::DisplayRole || role == Qt::ToolTipRole) && index.column() == StatusColumn)
            return tr("Profile “%1”").arg(account.name);
        if (n->standIn) {
            // The account's node until its workspaces are listed: the profile's name, nothing else.
            switch (role) {
            case KindRole:
                return QVariant::fromValue(n->kind);
            case Qt::DisplayRole:
            case Qt::ToolTipRole:
                return index.column() == NameColumn ? account.name : QVariant();
            case Qt::DecorationRole:
                return index.column() == NameColumn ? icon(iconPath(n->kind)) : QVariant();
            case SortRole:
                return index.column() == NameColumn ? account.name : QVariant();
            case PlaceholderRole:
                return QVariant::fromValue(Placeholder::None);
            case ProtectedRole:
                return false;
            default:
                return {};
            }
        }
    }
    switch (role) {
    case KindRole:
        return QVariant::fromValue(n->kind);
    case IdRole:
        return n->id;
    case ErrorRole:
        return n->error();
    case PlaceholderRole:
        if (n->kind != ResourceKind::Placeholder)
            return QVariant::fromValue(Placeholder::None);
        if (!n->error().isEmpty())
            return QVariant::fromValue(Placeholder::Error);
        return QVariant::fromValue(
            n->parent && n->parent->state == FetchState::Fetched ? Placeholder::Empty : Placeholder::Loading);
    case Qt::EditRole: // the name, for renaming in place (projects and databases)
        if (index.column() != NameColumn || !(flags(index) & Qt::ItemIsEditable))
            return {};
        [[fallthrough]];
    case NameRole:
        return n->payload.visit([](const auto &r) -> QString {
            if constexpr (std::is_same_v<std::decay_t<decltype(r)>, std::monostate>)
                return {};
            else
                return r.name;
        });
    case IsDefaultRole: {
        const auto *db = n->payload.get<Database>();
        return db && db->isDefault;
    }
    case ProtectedRole:
        return isProtected(index);
    case ProfileIdRole:
    case ProfileColorRole:
        return {}; // one account (above for All Profiles)
    case CachedRole:
        return n->cached;
    case Qt::FontRole:
        if (n->cached) {
            QFont italic;
            italic.setItalic(true);
            return italic;
        }
        return {};
    case FilterTextRole:
        return n->kind == ResourceKind::Placeholder ? QString()
                                                    : data(index, NameRole).toString() + QLatin1Char(' ') + n->id;
    default:
        break;
    }

    if (n->kind == ResourceKind::Placeholder) {
        if (index.column() == NameColumn && (role == Qt::DisplayRole || role == Qt::ToolTipRole))
            return n->placeholderText();
        if (index.column() == NameColumn && role == Qt::DecorationRole && !n->error().isEmpty())
            return icon(QStringLiteral(":/icons/error.svg"));
        return {};
    }

    if (role == Qt::DecorationRole && index.column() == NameColumn)
        return icon(iconPath(n->kind));
    if (role == Qt::DecorationRole && index.column() == StatusColumn) {
        if (const auto *db = n->payload.get<Database>())
            return icon(QStringLiteral(":/icons/status-%1.svg").arg(statusIconName(db->status)));
        if (isProtected(index))
            return icon(QStringLiteral(":/icons/lock.svg"));
        return {};
    }

    if (role == Qt::ToolTipRole) {
        if (index.column() == StatusColumn && isProtected(index))
            return tr("Protected from deletion");
        if (index.column() == NameColumn)
            return n->id;
        if (const auto *db = n->payload.get<Database>(); db && index.column() == RegionColumn && db->region)
            return db->region->name; // the column shows the id, as projects do
        return {};
    }
    if (role == Qt::AccessibleDescriptionRole && index.column() == NameColumn && isProtected(index))
        return tr("protected from deletion");

    if (role != Qt::DisplayRole && role != SortRole)
        return {};

    const bool sort = role == SortRole;
    return n->payload.visit([&](const auto &r) -> QVariant {
        using T = std::decay_t<decltype(r)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
            return {};
        } else {
            switch (index.column()) {
            case NameColumn:
                if constexpr (std::is_same_v<T, Database>)
                    return r.isDefault && !sort ? tr("%1 (default)").arg(r.name) : r.name;
                else
                    return r.name;
            case StatusColumn:
                if constexpr (std::is_same_v<T, Database>) {
                    const QString text = statusLabel(r.status, r.statusText);
                    return isProtected(index) && !sort ? tr("%1, protected").arg(text) : text;
                } else {
                    return isProtected(index) && !sort ? tr("Protected") : QString();
                }
            case RegionColumn:
                if constexpr (std::is_same_v<T, Database>) // the id, like a project's default region
                    return r.region ? r.region->id : QString();
                else if constexpr (std::is_same_v<T, Project>)
                    return r.defaultRegion;
                else
                    return {};
            case CreatedColumn:
                return sort ? QVariant(r.createdAt) : QVariant(createdText(r.createdAt));
            default:
                return {};
            }
        }
    });
}

ResourceKind ResourceTreeModel::kind(const QModelIndex &index) const
{
    return index.isValid() ? nodeOf(index)->kind : ResourceKind::Placeholder;
}

ResourceTreeModel::FetchState ResourceTreeModel::fetchState(const QModelIndex &parent) const
{
    return nodeOf(parent)->state;
}

QModelIndex ResourceTreeModel::indexOf(const QString &id, int column) const
{
    return indexOfNode(findNode(id), column);
}

ResourceTreeModel::Node *ResourceTreeModel::findNode(const QString &id) const
{
    if (id.isEmpty())
        return m_root.get();
    return m_byId.value(id, nullptr);
}

const Workspace *ResourceTreeModel::workspace(const QModelIndex &index) const
{
    return index.isValid() ? nodeOf(index)->payload.get<Workspace>() : nullptr;
}
const Project *ResourceTreeModel::project(const QModelIndex &index) const
{
    return index.isValid() ? nodeOf(index)->payload.get<Project>() : nullptr;
}
const Database *ResourceTreeModel::database(const QModelIndex &index) const
{
    return index.isValid() ? nodeOf(index)->payload.get<Database>() : nullptr;
}
const Connection *ResourceTreeModel::connection(const QModelIndex &index) const
{
    return index.isValid() ? nodeOf(index)->payload.get<Connection>() : nullptr;
}

QStringList ResourceTreeModel::connectionNames(const QModelIndex &database) const
{
    const Node *n = database.isValid() ? nodeOf(database) : nullptr;
    const Database *d = n ? n->payload.get<Database>() : nullptr;
    if (!d)
        return {};
    QStringList names;
    for (const auto &c : n->children)
        if (const Connection *connection = c->payload.get<Connection>())
            names.append(connection->name);
    if (names.isEmpty() && n->state != FetchState::Fetched) // not listed: what the database listing said
        for (const Connection &c : d->connections)
            names.append(c.name);
    return names;
}

// --- loading ------------------------------------------------------------------------------------

std::unique_ptr<ResourceTreeModel::Node> ResourceTreeModel::makeNode(ResourceKind kind, Payload payload)
{
    auto node = std::make_unique<Node>();
    node->kind = kind;
    node->payload = std::move(payload);
    // Every resource enters the tree here (or in updateDatabase()), and keeps no connection
    // string: lists carry none, the replies to a create do.
    node->payload.visit([&](auto &r) {
        if constexpr (!std::is_same_v<std::decay_t<decltype(r)>, std::monostate>) {
            stripConnectionStrings(r);
            node->id = r.id;
        }
    });
    return node;
}

void ResourceTreeModel::startFetch(Node *node)
{
    if (!clientOf(node))
        return;
    if (node->children.empty() || node->hasPlaceholder())
        removePlaceholder(node);
    node->state = FetchState::Fetching;
    ++m_changes; // a level to load again: isComplete() looks again
    node->beginListing();

    const QString id = node->id;
    const int account = node->account;
    const quint64 generation = m_generation;
    QTimer::singleShot(m_loadingRowDelay, this, [this, id, account, generation] {
        Node *n = id.isEmpty() && m_allProfiles ? accountNode(account) : findNode(id);
        if (generation == m_generation && n && n->state == FetchState::Fetching && n->children.empty())
            showPlaceholder(n, tr("Loading…"), {});
    });

    const auto listWorkspaces = [](ApiClient &c, const PageRequest &r, QObject *x, auto done) {
        return c.listWorkspaces(r, x, std::move(done));
    };
    switch (node->kind) {
    case ResourceKind::Placeholder: // the invisible root
        node->setWalker(walkLevel<Workspace>(account, id, listWorkspaces));
        break;
    case ResourceKind::Workspace: {
        if (node->standIn) { // All Profiles: the account's workspaces first
            node->setWalker(walkLevel<Workspace>(account, id, listWorkspaces));
            break;
        }
        // Projects are listed account-wide (GET /v1/projects has no workspace filter) and handed
        // to their workspace; one listing serves every workspace of the account.
        AccountState &a = m_accounts[size_t(account)];
        if (a.projectsState == FetchState::Fetching)
            return;
        a.projectsState = FetchState::Fetching;
        for (auto &ws : m_root->children) {
            if (ws->kind == ResourceKind::Workspace && !ws->standIn && ws->account == account
                && ws->state != FetchState::Fetched) {
                ws->state = FetchState::Fetching;
                ++m_changes;
                ws->beginListing();
            }
        }
        a.projectsWalker
            = walkLevel<Project>(account, id, [](ApiClient &c, const PageRequest &r, QObject *x, auto done) {
                  return c.listProjects(r, x, std::move(done));
              });
        break;
    }
    case ResourceKind::Project:
        node->setWalker(
            walkLevel<Database>(account, id, [id](ApiClient &c, const PageRequest &r, QObject *x, auto done) {
                return c.listDatabases(id, r, x, std::move(done));
            }));
        break;
    case ResourceKind::Database:
        node->setWalker(
            walkLevel<Connection>(account, id, [id](ApiClient &c, const PageRequest &r, QObject *x, auto done) {
                return c.listConnections(id, r, x, std::move(done));
            }));
        break;
    case ResourceKind::Connection:
        break;
    }
}

// The one paging path of the tree: a level (or the account-wide project listing) is walked by a
// PageWalker, which asks for the next page as soon as one arrives and hands each page to
// placePage(); the last page ends the level there and then, a failure (a cursor that loops is a
// Protocol error) ends it through endWalk(). `list` starts one page of the route. A walk that is
// dropped (forget(), setClient()) is discarded: no reply of it arrives any more.
template <class T, class List>
PageWalkerBase *ResourceTreeModel::walkLevel(int account, const QString &parentId, List list)
{
    const QPointer<ApiClient> client = m_accounts[size_t(account)].client;
    return walkAll<T>(
        this,
        [this, client, list](
            const PageRequest &request, QObject *context, ApiClient::Callback<Page<T>> done) -> ApiCall * {
            if (!client)
                return nullptr; // the session ended
            ++m_listRequests;
            return list(*client, request, context, std::move(done));
        },
        [this, account, parentId](Page<T> page) { placePage<T>(account, parentId, std::move(page)); },
        [this, account, parentId](const Result<Done> &end) {
            if (!end.ok())
                endWalk<T>(account, parentId, end.error());
        },
        m_pageSize);
}

template <class T> void ResourceTreeModel::placePage(int account, const QString &parentId, Page<T> page)
{
    if constexpr (std::is_same_v<T, Workspace>) {
        if (m_allProfiles) {
            const bool last = !page.hasMore;
            placeAccountWorkspaces(account, std::move(page));
            if (last)
                endAccountWorkspaces(account, ApiError {});
            return;
        }
    }
    if constexpr (std::is_same_v<T, Project>) {
        if (m_accounts[size_t(account)].projectsState != FetchState::Fetching)
            return;
        // Hand each project to its workspace.
        std::map<QString, std::vector<std::unique_ptr<Node>>> byWorkspace;
        for (auto &p : page.items) {
            const QString wsId = p.workspace.id;
            byWorkspace[wsId].push_back(makeNode(ResourceKind::Project, std::move(p)));
        }
        for (auto &[wsId, projects] : byWorkspace) {
            Node *ws = findNode(wsId);
            if (ws && ws->kind == ResourceKind::Workspace && ws->account == account
                && ws->state == FetchState::Fetching)
                mergeChildren(ws, std::move(projects));
        }
        if (!page.hasMore)
            endWalk<T>(account, parentId, ApiError {});
    } else {
        Node *parent = findNode(parentId);
        if (!parent || parent->state != FetchState::Fetching)
            return;
        constexpr ResourceKind kind = std::is_same_v<T, Workspace> ? ResourceKind::Workspace
            : std::is_same_v<T, Database>                          ? ResourceKind::Database
                                                                   : ResourceKind::Connection;
        std::vector<std::unique_ptr<Node>> children;
        children.reserve(page.items.size());
        for (auto &item : page.items)
            children.push_back(makeNode(kind, std::move(item)));
        mergeChildren(parent, std::move(children));
        if (!page.hasMore)
            endWalk<T>(account, parentId, ApiError {});
    }
}

// The listing of `parentId`'s level is over: complete, or failed with `error`.
template <class T> void ResourceTreeModel::endWalk(int account, const QString &parentId, const ApiError &error)
{
    if (error.isError() && !m_accounts[size_t(account)].client)
        return; // the session ended under the walk: the level waits for the next setClient()
    if constexpr (std::is_same_v<T, Workspace>) {
        if (m_allProfiles) {
            endAccountWorkspaces(account, error);
            return;
        }
    }
    if constexpr (std::is_same_v<T, Project>) {
        AccountState &a = m_accounts[size_t(account)];
        if (a.projectsState != FetchState::Fetching)
            return;
        a.projectsState = error.isError() ? FetchState::Failed : FetchState::Fetched;
        QStringList levels; // by id: a handler of levelLoaded may change the tree
        for (auto &ws : m_root->children)
            if (ws->state == FetchState::Fetching && ws->account == account && !ws->standIn)
                levels << ws->id;
        for (const QString &id : std::as_const(levels)) {
            Node *ws = findNode(id);
            if (!ws || ws->state != FetchState::Fetching)
                continue;
            if (error.isError())
                failLevel(ws, error);
            else
                finishLevel(ws);
        }
    } else {
        Node *parent = findNode(parentId);
        if (!parent || parent->state != FetchState::Fetching)
            return;
        if (error.isError())
            failLevel(parent, error);
        else
            finishLevel(parent);
    }
}

namespace {

// `s` takes the text of its equal in `pool` (one allocation for every copy), or joins the pool.
// The pool is for values that repeat across an account (statuses, regions, kinds, hosts); it stops
// growing at a size no account's set of those reaches, in case one of them turns out not to repeat.
void intern(QSet<QString> &pool, QString &s)
{
    if (s.isEmpty())
        return;
    if (const auto it = pool.constFind(s); it != pool.cend())
        s = *it;
    else if (pool.size() < 4096)
        pool.insert(s);
}

// A reference to a parent takes the parent's own strings when they are equal.
void shareRef(ResourceRef &ref, const QString &id, const QString &name)
{
    if (ref.id == id)
        ref.id = id;
    if (ref.name == name)
        ref.name = name;
}

void shareConnection(QSet<QString> &pool, Connection &c)
{
    intern(pool, c.kind);
    for (std::optional<Endpoint> *e : { &c.direct, &c.pooled, &c.accelerate })
        if (*e)
            intern(pool, (*e)->host);
}

} // namespace

// compactResource() (resourcetreenode_p.h). The pool is the process's: the models live on the GUI thread.
void compactResource(ResourceTreeStoredPayload &node, const ResourceTreeStoredPayload *parent)
{
    static QSet<QString> pool;
    if (Database *d = node.get<Database>()) {
        intern(pool, d->statusText);
        if (d->region) {
            intern(pool, d->region->id);
            intern(pool, d->region->name);
        }
        for (Connection &c : d->connections) {
            shareConnection(pool, c);
            shareRef(c.database, d->id, d->name);
        }
        if (const Project *p = parent ? parent->get<Project>() : nullptr)
            shareRef(d->project, p->id, p->name);
    } else if (Connection *c = node.get<Connection>()) {
        shareConnection(pool, *c);
        if (const Database *d = parent ? parent->get<Database>() : nullptr)
            shareRef(c->database, d->id, d->name);
    } else if (Project *p = node.get<Project>()) {
        intern(pool, p->defaultRegion);
        if (const Workspace *w = parent ? parent->get<Workspace>() : nullptr)
            shareRef(p->workspace, w->id, w->name);
    }
}

void ResourceTreeModel::setPayload(Node *node, Payload payload)
{
    node->payload = std::move(payload);
    compactResource(node->payload, node->parent ? &node->parent->payload : nullptr);
    node->dropEmbeddedConnections();
    schedulePolling(node);
    const QModelIndex first = indexOfNode(node, 0);
    Q_EMIT dataChanged(first, first.siblingAtColumn(ColumnCount - 1));
}

void ResourceTreeModel::mergeChildren(Node *parent, std::vector<std::unique_ptr<Node>> children)
{
    if (children.empty())
        return;
    std::vector<std::unique_ptr<Node>> fresh;
    for (auto &c : children) {
        parent->see(c->id);
        if (Node *existing = findNode(c->id)) {
            // Known already: update in place, so expansion and selection stay.
            if (existing->parent == parent) {
                if (existing->cached) {
                    existing->cached = false;
                    --m_cachedRows;
                }
                setPayload(existing, c->payload.take());
            }
            continue;
        }
        fresh.push_back(std::move(c));
    }
    if (fresh.empty())
        return;
    removePlaceholder(parent);
    const int first = int(parent->children.size());
    beginInsertRows(indexOfNode(parent), first, first + int(fresh.size()) - 1);
    for (auto &c : fresh) {
        c->account = parent->account;
        compactResource(c->payload, &parent->payload);
        m_byId.insert(c->id, c.get());
        schedulePolling(c.get());
        parent->append(std::move(c));
    }
    endInsertRows();
}

// All Profiles: a page of an account's workspaces. The account's node takes the first; the others
// follow it at the top level. A workspace already shown (another profile sees it too) is updated
// where it is.
void ResourceTreeModel::placeAccountWorkspaces(int account, Page<Workspace> page)
{
    Node *top = accountNode(account);
    if (!top || top->state != FetchState::Fetching)
        return;
    std::vector<std::unique_ptr<Node>> fresh;
    for (Workspace &w : page.items) {
        auto node = makeNode(ResourceKind::Workspace, std::move(w));
        top->see(node->id);
        if (Node *existing = findNode(node->id); existing && existing != m_root.get()) {
            if (existing->parent == m_root.get() && existing->account == account)
                setPayload(existing, node->payload.take());
            continue;
        }
        if (top->standIn) {
            top->standIn = false;
            top->id = node->id;
            top->payload = std::move(node->payload);
            m_byId.insert(top->id, top);
            const QModelIndex i = indexOfNode(top);
            Q_EMIT dataChanged(i, i.siblingAtColumn(ColumnCount - 1));
            continue;
        }
        node->account = account;
        fresh.push_back(std::move(node));
    }
    if (fresh.empty())
        return;
    int row = top->row() + 1; // after the account's last node
    while (size_t(row) < m_root->children.size() && m_root->children[size_t(row)]->account == account)
        ++row;
    beginInsertRows({}, row, row + int(fresh.size()) - 1);
    for (auto &node : fresh) {
        m_byId.insert(node->id, node.get());
        m_root->insert(size_t(row++), std::move(node));
    }
    endInsertRows();
}

// All Profiles: an account's workspaces are listed (or failed). On success the account's
// projects are listed next, for the view that asked for the node's children.
void ResourceTreeModel::endAccountWorkspaces(int account, const ApiError &error)
{
    Node *top = accountNode(account);
    if (!top || top->state != FetchState::Fetching)
        return;
    top->endListing();
    if (error.isError() || top->standIn) {
        if (error.isError())
            failLevel(top, error);
        else
            finishLevel(top); // the token sees no workspace: an "empty" row says so
        return;
    }
    top->state = FetchState::Unfetched;
    ++m_changes;
    startFetch(top);
}

void ResourceTreeModel::removeUnseen(Node *parent)
{
    // What the completed listing did not bring is gone from the service.
    for (int row = int(parent->children.size()) - 1; row >= 0; --row) {
        Node *c = parent->children[size_t(row)].get();
        if (c->kind == ResourceKind::Placeholder || parent->saw(c->id))
            continue;
        beginRemoveRows(indexOfNode(parent), row, row);
        forget(c);
        parent->erase(size_t(row));
        endRemoveRows();
    }
    parent->endListing(); // its walker deletes itself
}

static QString emptyText(ResourceKind parentKind)
{
    switch (parentKind) {
    case ResourceKind::Workspace:
        return ResourceTreeModel::tr("No projects yet");
    case ResourceKind::Project:
        return ResourceTreeModel::tr("No databases yet");
    case ResourceKind::Database:
        return ResourceTreeModel::tr("No connections yet");
    default:
        return ResourceTreeModel::tr("No workspaces: this token sees none");
    }
}

void ResourceTreeModel::finishLevel(Node *node)
{
    node->state = FetchState::Fetched;
    node->dropEmbeddedConnections();
    removeUnseen(node);
    removePlaceholder(node);
    if (node->children.empty())
        showPlaceholder(node, emptyText(node->standIn ? ResourceKind::Placeholder : node->kind), {});
    Q_EMIT levelLoaded(indexOfNode(node));
    if (node == m_root.get())
        m_bulk->workspacesEnded(ApiError {});
    else if (node->kind == ResourceKind::Workspace)
        m_bulk->projectsEnded(ApiError {});
    if (m_loadingEveryLevel) {
        if (node->kind == ResourceKind::Project)
            m_everyLevelDatabases += int(node->children.size()) - (node->hasPlaceholder() ? 1 : 0);
        loadEveryLevel(node);
        checkEveryLevelLoaded();
    }
}

void ResourceTreeModel::failLevel(Node *node, const ApiError &error)
{
    node->state = FetchState::Failed;
    ++m_changes;
    node->endListing(); // its walker deletes itself
    showPlaceholder(node, tr("Could not load: %1").arg(error.userMessage()), error.userMessage());
    Q_EMIT levelFailed(indexOfNode(node), error);
    if (node == m_root.get())
        m_bulk->workspacesEnded(error);
    else if (node->kind == ResourceKind::Workspace)
        m_bulk->projectsEnded(error);
    if (m_loadingEveryLevel)
        checkEveryLevelLoaded();
}

void ResourceTreeModel::showPlaceholder(Node *parent, const QString &text, const QString &error)
{
    removePlaceholder(parent);
    auto p = std::make_unique<Node>();
    p->kind = ResourceKind::Placeholder;
    p->message = std::make_unique<Node::Message>(Node::Message { text, error });
    const int row = int(parent->children.size());
    beginInsertRows(indexOfNode(parent), row, row);
    parent->append(std::move(p));
    endInsertRows();
}

void ResourceTreeModel::removePlaceholder(Node *parent)
{
    if (!parent->hasPlaceholder())
        return;
    const int row = int(parent->children.size()) - 1;
    beginRemoveRows(indexOfNode(parent), row, row);
    parent->children.pop_back();
    endRemoveRows();
}

void ResourceTreeModel::forget(Node *node)
{
    if (node->cached)
        --m_cachedRows;
    if (PageWalkerBase *walker = node->walker())
        walker->discard();
    m_byId.remove(node->id);
    for (auto &c : node->children)
        forget(c.get());
}

void ResourceTreeModel::removeChildren(Node *parent)
{
    if (parent->children.empty())
        return;
    beginRemoveRows(indexOfNode(parent), 0, int(parent->children.size()) - 1);
    for (auto &c : parent->children)
        forget(c.get());
    parent->children.clear();
    endRemoveRows();
}

void ResourceTreeModel::refresh(const QModelIndex &parent)
{
    Node *node = nodeOf(parent);
    if (!node->canHaveChildren())
        node = node->parent;
    if (node == m_root.get() && m_allProfiles) {
        // The accounts are the top level: an account that failed is asked again.
        for (auto &top : m_root->children)
            if (top->standIn && top->state == FetchState::Failed)
                startFetch(top.get());
        return;
    }
    if (!node || !clientOf(node) || node->state == FetchState::Fetching)
        return;
    if (node->kind == ResourceKind::Workspace && !node->standIn) {
        // The account-wide project listing starts over for this workspace.
        AccountState &a = m_accounts[size_t(node->account)];
        if (a.projectsWalker)
            a.projectsWalker->discard();
        a.projectsState = FetchState::Unfetched;
        node->state = FetchState::Unfetched;
        ++m_changes;
    }
    startFetch(node);
}

void ResourceTreeModel::refreshAll()
{
    if (!hasClient())
        return;
    std::vector<QModelIndex> loaded;
    if (m_root->state != FetchState::Fetching)
        loaded.push_back({});
    QSet<int> workspaceQueued; // accounts whose project listing is asked for already
    for (Node *n : std::as_const(m_byId)) {
        if (n->state != FetchState::Fetched && n->state != FetchState::Failed)
            continue;
        if (n->kind == ResourceKind::Workspace) {
            n->state = FetchState::Unfetched; // one project listing serves every workspace of the account
            ++m_changes;
            if (workspaceQueued.contains(n->account))
                continue;
            workspaceQueued.insert(n->account);
        }
        loaded.push_back(indexOfNode(n));
    }
    for (const QModelIndex &i : loaded)
        refresh(i);
}

void ResourceTreeModel::setUnprotected(const QSet<QString> &ids)
{
    m_unprotected = ids;
    for (Node *n : std::as_const(m_byId)) {
        if (n->kind == ResourceKind::Project || n->kind == ResourceKind::Database) {
            const QModelIndex i = indexOfNode(n, StatusColumn);
            Q_EMIT dataChanged(i.siblingAtColumn(NameColumn), i);
        }
    }
}

bool ResourceTreeModel::isProtected(const QModelIndex &index) const
{
    if (!index.isValid())
        return false;
    const Node *n = nodeOf(index);
    return (n->kind == ResourceKind::Project || n->kind == ResourceKind::Database) && !m_unprotected.contains(n->id);
}

// --- bulk loading (BulkLoader) -----------------------------------------------------------------

void ResourceTreeModel::loadAll()
{
    if (!m_allProfiles) {
        m_bulk->start();
        return;
    }
    // The bulk routes serve one client: here every level is listed with its own account's client.
    if (m_loadingEveryLevel)
        return;
    m_loadingEveryLevel = true;
    m_everyLevelDatabases = 0;
    loadEveryLevel(m_root.get());
    QTimer::singleShot(0, this, [this, generation = m_generation] {
        if (generation == m_generation)
            checkEveryLevelLoaded(); // finished, as always, after returning
    });
}

// Asks for every level under `from` that is not loaded (and not loading); the levels they bring
// are asked for as each one ends (finishLevel()).
void ResourceTreeModel::loadEveryLevel(Node *from)
{
    std::vector<Node *> todo;
    for (auto &c : from->children)
        if (c->canHaveChildren() && c->state == FetchState::Unfetched && clientOf(c.get()))
            todo.push_back(c.get());
    for (Node *n : todo)
        if (n->state == FetchState::Unfetched) // one project listing may have started several
            startFetch(n);
    for (auto &c : from->children)
        if (c->state == FetchState::Fetched && c->canHaveChildren())
            loadEveryLevel(c.get());
}

void ResourceTreeModel::checkEveryLevelLoaded()
{
    if (!m_loadingEveryLevel)
        return;
    for (const auto &top : m_root->children)
        if (top->state == FetchState::Fetching)
            return;
    for (const Node *n : std::as_const(m_byId))
        if (n->state == FetchState::Fetching)
            return;
    m_loadingEveryLevel = false;
    Q_EMIT bulkProgress(m_everyLevelDatabases);
    Q_EMIT bulkFinished(ApiError {}); // an account that failed says so in its error row
}

bool ResourceTreeModel::isLoadingAll() const
{
    return m_bulk->isRunning() || m_loadingEveryLevel;
}

bool ResourceTreeModel::isComplete() const
{
    // Search asks at every keystroke; the walk below reaches every node. A complete tree stays
    // complete until a row comes in or a level is to be loaded again (both bump m_changes).
    if (m_completeAt == m_changes)
        return true;
    if (m_root->state != FetchState::Fetched)
        return false;
    for (const auto &top : m_root->children)
        if (top->standIn && top->state != FetchState::Failed && top->state != FetchState::Fetched)
            return false;
    for (const Node *n : std::as_const(m_byId))
        if (n->kind != ResourceKind::Connection && n->state != FetchState::Fetched)
            return false;
    m_completeAt = m_changes;
    return true;
}

bool ResourceTreeModel::bulkLoadWorkspaces()
{
    if (m_root->state == FetchState::Fetched)
        return true;
    if (m_root->state != FetchState::Fetching)
        startFetch(m_root.get());
    return false;
}

void ResourceTreeModel::bulkLoadProjects()
{
    Node *first = nullptr;
    for (auto &ws : m_root->children) {
        if (ws->kind == ResourceKind::Workspace && ws->state != FetchState::Fetched
            && ws->state != FetchState::Fetching) {
            ws->state = FetchState::Unfetched;
            ++m_changes;
            first = first ? first : ws.get();
        }
    }
    if (first && !m_accounts.empty() && m_accounts.front().projectsState != FetchState::Fetching)
        startFetch(first); // one listing for them all
}

bool ResourceTreeModel::bulkProjectsLoading() const
{
    for (const auto &ws : m_root->children)
        if (ws->state == FetchState::Fetching)
            return true;
    return false;
}

QSet<QString> ResourceTreeModel::bulkBeginDatabases()
{
    QSet<QString> projects;
    for (Node *n : std::as_const(m_byId)) {
        if (n->kind == ResourceKind::Project && n->state != FetchState::Fetching) {
            n->state = FetchState::Fetching;
            ++m_changes;
            n->beginListing();
            projects.insert(n->id);
        }
    }
    return projects;
}

int ResourceTreeModel::bulkPlaceDatabases(Page<Database> page, const QSet<QString> &projects)
{
    std::map<QString, std::vector<std::unique_ptr<Node>>> byProject;
    std::vector<std::pair<QString, std::vector<Connection>>> connections;
    for (auto &d : page.items) {
        connections.emplace_back(d.id, std::move(d.connections)); // they become the rows
        const QString projectId = d.project.id;
        byProject[projectId].push_back(makeNode(ResourceKind::Database, std::move(d)));
    }
    for (auto &[projectId, dbs] : byProject) {
        Node *p = findNode(projectId);
        if (p && projects.contains(projectId))
            mergeChildren(p, std::move(dbs));
    }
    // Each database came with its connections: that level is complete too.
    int placed = 0;
    for (auto &[dbId, cons] : connections) {
        Node *db = findNode(dbId);
        if (!db || db->state == FetchState::Fetching)
            continue;
        db->state = FetchState::Fetching;
        ++m_changes;
        db->beginListing();
        std::vector<std::unique_ptr<Node>> nodes;
        for (auto &c : cons)
            nodes.push_back(makeNode(ResourceKind::Connection, std::move(c)));
        mergeChildren(db, std::move(nodes));
        finishLevel(db);
        ++placed;
    }
    return placed;
}

void ResourceTreeModel::bulkEndDatabases(const QSet<QString> &projects, const ApiError &error)
{
    for (const QString &id : projects) {
        Node *p = findNode(id);
        if (!p || p->state != FetchState::Fetching)
            continue;
        if (error.isError()) {
            p->state = p->children.empty() ? FetchState::Unfetched : FetchState::Fetched;
            p->endListing();
            ++m_changes;
        } else {
            finishLevel(p);
        }
    }
}

// --- polling (ProvisioningPoller) --------------------------------------------------------------

void ResourceTreeModel::setPollInterval(int ms)
{
    m_poller->setInterval(ms);
}

void ResourceTreeModel::schedulePolling(const Node *node)
{
    // Only the node that just changed is looked at: a scan of every node here made each merge
    // O(n), so a bulk load of n databases O(n^2). The poller stops once nothing is provisioning
    // or recovering any more.
    const auto *db = node->payload.get<Database>();
    if (db && ProvisioningPoller::isSettling(*db))
        m_poller->wake();
}

QStringList ResourceTreeModel::unsettledDatabases() const
{
    QStringList ids;
    for (const Node *n : std::as_const(m_byId))
        if (const auto *db = n->payload.get<Database>(); db && ProvisioningPoller::isSettling(*db))
            ids << n->id;
    return ids;
}

void ResourceTreeModel::updateProject(const Project &project)
{
    Node *n = findNode(project.id);
    if (!n || n->kind != ResourceKind::Project)
        return;
    Project copy = project;
    stripConnectionStrings(copy);
    setPayload(n, std::move(copy));
}

void ResourceTreeModel::updateDatabase(const Database &database)
{
    Node *n = findNode(database.id);
    if (!n || n->kind != ResourceKind::Database)
        return;
    Database copy = database;
    stripConnectionStrings(copy); // e.g. a create reply's copy
    setPayload(n, std::move(copy));
}

// --- server-confirmed changes -------------------------------------------------------------------

QModelIndex ResourceTreeModel::insertUnder(Node *parent, std::unique_ptr<Node> child)
{
    if (!parent || parent->state != FetchState::Fetched) {
        // Not loaded yet: the listing will bring it when the user opens the level.
        return {};
    }
    if (Node *existing = findNode(child->id))
        return indexOfNode(existing);
    std::vector<std::unique_ptr<Node>> one;
    const QString id = child->id;
    one.push_back(std::move(child));
    mergeChildren(parent, std::move(one));
    return indexOf(id);
}

QModelIndex ResourceTreeModel::insertProject(const Project &project)
{
    Project copy = project;
    copy.database.reset(); // shown under the project (insertDatabase()), not inside it
    return insertUnder(findNode(project.workspace.id), makeNode(ResourceKind::Project, std::move(copy)));
}

QModelIndex ResourceTreeModel::insertDatabase(const Database &database)
{
    Database copy = database;
    if (copy.isDefault) {
        // The service moved the default flag: mirror it on the siblings.
        if (Node *project = findNode(copy.project.id)) {
            for (auto &c : project->children) {
                if (auto *db = c->payload.get<Database>(); db && db->isDefault) {
                    db->isDefault = false;
                    const QModelIndex i = indexOfNode(c.get());
                    Q_EMIT dataChanged(i, i.siblingAtColumn(ColumnCount - 1));
                }
            }
        }
    }
    return insertUnder(findNode(database.project.id), makeNode(ResourceKind::Database, std::move(copy)));
}

QModelIndex ResourceTreeModel::insertConnection(const Connection &connection)
{
    return insertUnder(findNode(connection.database.id), makeNode(ResourceKind::Connection, connection));
}

void ResourceTreeModel::removeResource(const QString &id)
{
    Node *node = id.isEmpty() ? nullptr : findNode(id);
    if (!node || !node->parent)
        return;
    Node *parent = node->parent;
    const int row = node->row();
    beginRemoveRows(indexOfNode(parent), row, row);
    forget(node);
    parent->erase(size_t(row));
    endRemoveRows();
    if (parent->children.empty() && parent->state == FetchState::Fetched)
        showPlaceholder(parent, emptyText(parent->kind), {});
}

#include "resourcetreemodel.h"

#include "apiclient.h"

#include <QIcon>
#include <QLocale>
#include <QTimer>

#include <map>

struct ResourceTreeModel::Node
{
    Kind kind = Kind::Placeholder;
    QString id;
    Payload payload;
    Node *parent = nullptr;
    std::vector<std::unique_ptr<Node>> children;
    FetchState state = FetchState::Unfetched;
    QPointer<ApiCall> call;
    QString placeholderText; // Placeholder rows only
    QString error;           // Placeholder rows only: what failed

    int row() const
    {
        if (!parent)
            return 0;
        for (size_t i = 0; i < parent->children.size(); ++i)
            if (parent->children[i].get() == this)
                return int(i);
        return -1;
    }
    bool canHaveChildren() const
    {
        return kind == Kind::Workspace || kind == Kind::Project || kind == Kind::Database || !parent;
    }
    bool hasPlaceholder() const { return !children.empty() && children.back()->kind == Kind::Placeholder; }
};

namespace {

QString iconPath(ResourceTreeModel::Kind kind)
{
    switch (kind) {
    case ResourceTreeModel::Kind::Workspace: return QStringLiteral(":/icons/workspace.svg");
    case ResourceTreeModel::Kind::Project: return QStringLiteral(":/icons/project.svg");
    case ResourceTreeModel::Kind::Database: return QStringLiteral(":/icons/database.svg");
    case ResourceTreeModel::Kind::Connection: return QStringLiteral(":/icons/connection.svg");
    case ResourceTreeModel::Kind::Placeholder: break;
    }
    return {};
}

QString createdText(const QDateTime &t)
{
    return t.isValid() ? QLocale().toString(t.toLocalTime(), QLocale::ShortFormat) : QString();
}

} // namespace

ResourceTreeModel::ResourceTreeModel(QObject *parent)
    : QAbstractItemModel(parent), m_root(std::make_unique<Node>())
{
}

ResourceTreeModel::~ResourceTreeModel() = default;

void ResourceTreeModel::setClient(ApiClient *client)
{
    beginResetModel();
    ++m_generation; // every reply of the previous client is now dropped
    for (auto &child : m_root->children)
        forget(child.get());
    m_root = std::make_unique<Node>();
    m_byId.clear();
    m_projectsState = FetchState::Unfetched;
    m_client = client;
    endResetModel();
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
    if (parent.column() > 0 || !m_client)
        return false;
    const Node *n = nodeOf(parent);
    return n->canHaveChildren() && n->state == FetchState::Unfetched;
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
    if (nodeOf(index)->kind == Kind::Placeholder)
        return Qt::ItemIsEnabled | Qt::ItemNeverHasChildren;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (nodeOf(index)->kind == Kind::Connection)
        f |= Qt::ItemNeverHasChildren;
    return f;
}

QVariant ResourceTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn: return tr("Name");
    case StatusColumn: return tr("Status");
    case RegionColumn: return tr("Region");
    case CreatedColumn: return tr("Created");
    default: return {};
    }
}

QVariant ResourceTreeModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    const Node *n = nodeOf(index);
    switch (role) {
    case KindRole: return QVariant::fromValue(n->kind);
    case IdRole: return n->id;
    case ErrorRole: return n->error;
    case IsDefaultRole: {
        const auto *db = std::get_if<Database>(&n->payload);
        return db && db->isDefault;
    }
    default: break;
    }

    if (n->kind == Kind::Placeholder) {
        if (index.column() == NameColumn && (role == Qt::DisplayRole || role == Qt::ToolTipRole))
            return n->placeholderText;
        if (index.column() == NameColumn && role == Qt::DecorationRole && !n->error.isEmpty())
            return QIcon(QStringLiteral(":/icons/error.svg"));
        return {};
    }

    if (role == Qt::DecorationRole && index.column() == NameColumn)
        return QIcon(iconPath(n->kind));

    if (role == Qt::ToolTipRole && index.column() == NameColumn)
        return n->id;

    if (role != Qt::DisplayRole && role != SortRole)
        return {};

    const bool sort = role == SortRole;
    return std::visit([&](const auto &r) -> QVariant {
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
                if constexpr (std::is_same_v<T, Database>)
                    return r.statusText;
                else
                    return {};
            case RegionColumn:
                if constexpr (std::is_same_v<T, Database>)
                    return r.region ? (r.region->name.isEmpty() ? r.region->id : r.region->name) : QString();
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
    }, n->payload);
}

ResourceTreeModel::Kind ResourceTreeModel::kind(const QModelIndex &index) const
{
    return index.isValid() ? nodeOf(index)->kind : Kind::Placeholder;
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
    return index.isValid() ? std::get_if<Workspace>(&nodeOf(index)->payload) : nullptr;
}
const Project *ResourceTreeModel::project(const QModelIndex &index) const
{
    return index.isValid() ? std::get_if<Project>(&nodeOf(index)->payload) : nullptr;
}
const Database *ResourceTreeModel::database(const QModelIndex &index) const
{
    return index.isValid() ? std::get_if<Database>(&nodeOf(index)->payload) : nullptr;
}
const Connection *ResourceTreeModel::connection(const QModelIndex &index) const
{
    return index.isValid() ? std::get_if<Connection>(&nodeOf(index)->payload) : nullptr;
}

// --- loading ------------------------------------------------------------------------------------

std::unique_ptr<ResourceTreeModel::Node> ResourceTreeModel::makeNode(Kind kind, Payload payload)
{
    auto node = std::make_unique<Node>();
    node->kind = kind;
    node->payload = std::move(payload);
    std::visit([&](const auto &r) {
        if constexpr (!std::is_same_v<std::decay_t<decltype(r)>, std::monostate>)
            node->id = r.id;
    }, node->payload);
    return node;
}

void ResourceTreeModel::startFetch(Node *node)
{
    if (!m_client)
        return;
    removePlaceholder(node);
    node->state = FetchState::Fetching;

    const QString id = node->id;
    const quint64 generation = m_generation;
    QTimer::singleShot(m_loadingRowDelay, this, [this, id, generation] {
        Node *n = findNode(id);
        if (generation == m_generation && n && n->state == FetchState::Fetching && n->children.empty())
            showPlaceholder(n, tr("Loading…"), {});
    });

    if (node->kind == Kind::Workspace) {
        // Projects are listed account-wide (GET /v1/projects has no workspace filter) and handed
        // to their workspace; one listing serves every workspace.
        if (m_projectsState == FetchState::Fetching)
            return;
        m_projectsState = FetchState::Fetching;
        for (auto &ws : m_root->children)
            if (ws->kind == Kind::Workspace && ws->state != FetchState::Fetched)
                ws->state = FetchState::Fetching;
    }
    fetchPage(node, {});
}

void ResourceTreeModel::fetchPage(Node *node, const QString &cursor)
{
    const PageRequest page{cursor, m_pageSize};
    const QString id = node->id;
    const quint64 g = m_generation;
    ApiCall *call = nullptr;
    switch (node->kind) {
    case Kind::Placeholder: // the invisible root
        call = m_client->listWorkspaces(page, this, [this, g](Result<Page<Workspace>> r) { applyPage<Workspace>({}, g, std::move(r)); });
        break;
    case Kind::Workspace:
        call = m_client->listProjects(page, this, [this, id, g, pg = m_projectsGeneration](Result<Page<Project>> r) {
            if (pg == m_projectsGeneration)
                applyPage<Project>(id, g, std::move(r));
        });
        break;
    case Kind::Project:
        call = m_client->listDatabases(id, page, this, [this, id, g](Result<Page<Database>> r) { applyPage<Database>(id, g, std::move(r)); });
        break;
    case Kind::Database:
        call = m_client->listConnections(id, page, this, [this, id, g](Result<Page<Connection>> r) { applyPage<Connection>(id, g, std::move(r)); });
        break;
    case Kind::Connection:
        return;
    }
    node->call = call;
}

template <class T>
void ResourceTreeModel::applyPage(const QString &parentId, quint64 generation, Result<Page<T>> result)
{
    if (generation != m_generation)
        return; // a reply of a previous session or a dropped level
    constexpr bool isProjects = std::is_same_v<T, Project>;
    Node *parent = findNode(parentId);
    if constexpr (isProjects) {
        if (m_projectsState != FetchState::Fetching)
            return;
    } else {
        if (!parent || parent->state != FetchState::Fetching)
            return;
    }

    if (!result.ok()) {
        if constexpr (isProjects) {
            m_projectsState = FetchState::Failed;
            for (auto &ws : m_root->children)
                if (ws->state == FetchState::Fetching)
                    failLevel(ws.get(), result.error());
        } else {
            failLevel(parent, result.error());
        }
        return;
    }

    Page<T> page = result.takeValue();
    if constexpr (isProjects) {
        // Hand each project to its workspace.
        std::map<QString, std::vector<std::unique_ptr<Node>>> byWorkspace;
        for (auto &p : page.items) {
            const QString wsId = p.workspace.id;
            byWorkspace[wsId].push_back(makeNode(Kind::Project, std::move(p)));
        }
        for (auto &[wsId, projects] : byWorkspace) {
            Node *ws = findNode(wsId);
            if (ws && ws->kind == Kind::Workspace && ws->state == FetchState::Fetching)
                appendChildren(ws, std::move(projects));
        }
    } else {
        constexpr Kind kind = std::is_same_v<T, Workspace> ? Kind::Workspace
                            : std::is_same_v<T, Database>  ? Kind::Database
                                                           : Kind::Connection;
        std::vector<std::unique_ptr<Node>> children;
        children.reserve(page.items.size());
        for (auto &item : page.items)
            children.push_back(makeNode(kind, std::move(item)));
        appendChildren(parent, std::move(children));
    }

    if (page.hasMore) {
        // Next page without the user asking.
        Node *requester = isProjects ? nullptr : parent;
        if constexpr (isProjects) {
            for (auto &ws : m_root->children)
                if (ws->state == FetchState::Fetching) { requester = ws.get(); break; }
        }
        if (requester) {
            fetchPage(requester, page.nextCursor);
            return;
        }
    }

    if constexpr (isProjects) {
        m_projectsState = FetchState::Fetched;
        std::vector<Node *> done;
        for (auto &ws : m_root->children)
            if (ws->state == FetchState::Fetching)
                done.push_back(ws.get());
        for (Node *ws : done)
            finishLevel(ws);
    } else {
        finishLevel(parent);
    }
}

void ResourceTreeModel::appendChildren(Node *parent, std::vector<std::unique_ptr<Node>> children)
{
    if (children.empty())
        return;
    removePlaceholder(parent);
    // Skip what is already there (a create applied before the listing reached it).
    std::erase_if(children, [this](const auto &c) { return m_byId.contains(c->id); });
    if (children.empty())
        return;
    const int first = int(parent->children.size());
    beginInsertRows(indexOfNode(parent), first, first + int(children.size()) - 1);
    for (auto &c : children) {
        c->parent = parent;
        m_byId.insert(c->id, c.get());
        parent->children.push_back(std::move(c));
    }
    endInsertRows();
}

static QString emptyText(ResourceTreeModel::Kind parentKind)
{
    switch (parentKind) {
    case ResourceTreeModel::Kind::Workspace:
        return ResourceTreeModel::tr("No projects yet: New project (Ctrl+N)");
    case ResourceTreeModel::Kind::Project:
        return ResourceTreeModel::tr("No databases yet: New database (Ctrl+N)");
    case ResourceTreeModel::Kind::Database:
        return ResourceTreeModel::tr("No connections yet: New connection (Ctrl+N)");
    default:
        return ResourceTreeModel::tr("No workspaces: this token sees none");
    }
}

void ResourceTreeModel::finishLevel(Node *node)
{
    node->state = FetchState::Fetched;
    node->call = nullptr;
    removePlaceholder(node);
    if (node->children.empty())
        showPlaceholder(node, emptyText(node->kind), {});
    Q_EMIT levelLoaded(indexOfNode(node));
}

void ResourceTreeModel::failLevel(Node *node, const ApiError &error)
{
    node->state = FetchState::Failed;
    node->call = nullptr;
    showPlaceholder(node, tr("Could not load: %1 Press F5 to retry.").arg(error.userMessage()), error.userMessage());
    Q_EMIT levelFailed(indexOfNode(node), error);
}

void ResourceTreeModel::showPlaceholder(Node *parent, const QString &text, const QString &error)
{
    removePlaceholder(parent);
    auto p = std::make_unique<Node>();
    p->kind = Kind::Placeholder;
    p->placeholderText = text;
    p->error = error;
    p->parent = parent;
    const int row = int(parent->children.size());
    beginInsertRows(indexOfNode(parent), row, row);
    parent->children.push_back(std::move(p));
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
    if (node->call)
        node->call->cancel();
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
    if (!node)
        return;
    if (node == m_root.get()) {
        setClient(m_client);
        if (m_client)
            startFetch(m_root.get());
        return;
    }
    if (node->call)
        node->call->cancel();
    removeChildren(node);
    if (node->kind == Kind::Workspace) {
        m_projectsState = FetchState::Unfetched;
        ++m_projectsGeneration; // drop the old account-wide listing
    }
    node->state = FetchState::Unfetched;
    startFetch(node);
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
    appendChildren(parent, std::move(one));
    return indexOf(id);
}

QModelIndex ResourceTreeModel::insertProject(const Project &project)
{
    Project copy = project;
    copy.database.reset(); // the tree keeps no connection strings
    return insertUnder(findNode(project.workspace.id), makeNode(Kind::Project, std::move(copy)));
}

QModelIndex ResourceTreeModel::insertDatabase(const Database &database)
{
    Database copy = database;
    for (auto &c : copy.connections) {
        for (auto *e : {&c.direct, &c.pooled, &c.accelerate})
            if (*e)
                (*e)->connectionString.clear();
    }
    if (copy.isDefault) {
        // The service moved the default flag: mirror it on the siblings.
        if (Node *project = findNode(copy.project.id)) {
            for (auto &c : project->children) {
                if (auto *db = std::get_if<Database>(&c->payload); db && db->isDefault) {
                    db->isDefault = false;
                    const QModelIndex i = indexOfNode(c.get());
                    Q_EMIT dataChanged(i, i.siblingAtColumn(ColumnCount - 1));
                }
            }
        }
    }
    return insertUnder(findNode(database.project.id), makeNode(Kind::Database, std::move(copy)));
}

QModelIndex ResourceTreeModel::insertConnection(const Connection &connection)
{
    Connection copy = connection;
    for (auto *e : {&copy.direct, &copy.pooled, &copy.accelerate})
        if (*e)
            (*e)->connectionString.clear();
    return insertUnder(findNode(connection.database.id), makeNode(Kind::Connection, std::move(copy)));
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
    parent->children.erase(parent->children.begin() + row);
    endRemoveRows();
    if (parent->children.empty() && parent->state == FetchState::Fetched)
        showPlaceholder(parent, emptyText(parent->kind), {});
}

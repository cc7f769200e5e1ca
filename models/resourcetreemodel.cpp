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
    QSet<QString> seen;      // ids the listing in progress has brought (for the merge)
    mutable int rowHint = 0; // where this node last was among its siblings

    // O(1) while the hint is right (it is kept right by append() and renumberFrom()); a scan
    // of the siblings otherwise. A linear scan each time made every index() of a level of
    // n rows O(n), so loading or filtering 2,000 projects O(n^2).
    int row() const
    {
        if (!parent)
            return 0;
        const auto &siblings = parent->children;
        if (size_t(rowHint) < siblings.size() && siblings[size_t(rowHint)].get() == this)
            return rowHint;
        for (size_t i = 0; i < siblings.size(); ++i) {
            if (siblings[i].get() == this) {
                rowHint = int(i);
                return rowHint;
            }
        }
        return -1;
    }
    void append(std::unique_ptr<Node> child)
    {
        child->parent = this;
        child->rowHint = int(children.size());
        children.push_back(std::move(child));
    }
    void erase(size_t row)
    {
        children.erase(children.begin() + std::ptrdiff_t(row));
        for (size_t i = row; i < children.size(); ++i)
            children[i]->rowHint = int(i);
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

QString statusIconName(Database::Status status)
{
    switch (status) {
    case Database::Status::Provisioning: return QStringLiteral("provisioning");
    case Database::Status::Ready: return QStringLiteral("ready");
    case Database::Status::Failure: return QStringLiteral("failure");
    case Database::Status::Recovering: return QStringLiteral("recovering");
    case Database::Status::Unknown: break;
    }
    return QStringLiteral("unknown");
}

QString statusLabel(Database::Status status, const QString &raw)
{
    switch (status) {
    case Database::Status::Provisioning: return ResourceTreeModel::tr("Provisioning");
    case Database::Status::Ready: return ResourceTreeModel::tr("Ready");
    case Database::Status::Failure: return ResourceTreeModel::tr("Failed");
    case Database::Status::Recovering: return ResourceTreeModel::tr("Recovering");
    case Database::Status::Unknown: break;
    }
    return raw;
}

QString createdText(const QDateTime &t)
{
    return t.isValid() ? QLocale().toString(t.toLocalTime(), QLocale::ShortFormat) : QString();
}

} // namespace

ResourceTreeModel::ResourceTreeModel(QObject *parent)
    : QAbstractItemModel(parent), m_root(std::make_unique<Node>()), m_pollTimer(new QTimer(this))
{
    m_pollTimer->setInterval(2000);
    connect(m_pollTimer, &QTimer::timeout, this, &ResourceTreeModel::pollProvisioning);
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
    m_bulk = Bulk::Idle;
    m_bulkProjects.clear();
    m_bulkQueue.clear();
    m_polling.clear();
    m_pollTimer->stop();
    m_listRequests = 0;
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
    switch (role) {
    case KindRole: return QVariant::fromValue(n->kind);
    case IdRole: return n->id;
    case ErrorRole: return n->error;
    case IsDefaultRole: {
        const auto *db = std::get_if<Database>(&n->payload);
        return db && db->isDefault;
    }
    case ProtectedRole:
        return isProtected(index);
    case FilterTextRole:
        return n->kind == Kind::Placeholder ? QString() : data(index.siblingAtColumn(NameColumn), SortRole).toString() + QLatin1Char(' ') + n->id;
    default: break;
    }

    if (n->kind == Kind::Placeholder) {
        if (index.column() == NameColumn && (role == Qt::DisplayRole || role == Qt::ToolTipRole))
            return n->placeholderText;
        if (index.column() == NameColumn && role == Qt::DecorationRole && !n->error.isEmpty())
            return icon(QStringLiteral(":/icons/error.svg"));
        return {};
    }

    if (role == Qt::DecorationRole && index.column() == NameColumn)
        return icon(iconPath(n->kind));
    if (role == Qt::DecorationRole && index.column() == StatusColumn) {
        if (const auto *db = std::get_if<Database>(&n->payload))
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
        if (const auto *db = std::get_if<Database>(&n->payload); db && index.column() == RegionColumn && db->region)
            return db->region->name; // the column shows the id, as projects do
        return {};
    }
    if (role == Qt::AccessibleDescriptionRole && index.column() == NameColumn && isProtected(index))
        return tr("protected from deletion");

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

bool ResourceTreeModel::matchesSearch(const QModelIndex &index, QStringView text) const
{
    if (!index.isValid())
        return false;
    const Node *n = nodeOf(index);
    if (n->kind == Kind::Placeholder)
        return false;
    const QStringView id(n->id);
    const QStringView name = std::visit([](const auto &r) -> QStringView {
        if constexpr (std::is_same_v<std::decay_t<decltype(r)>, std::monostate>)
            return {};
        else
            return r.name;
    }, n->payload);
    if (name.contains(text, Qt::CaseInsensitive) || id.contains(text, Qt::CaseInsensitive))
        return true;
    // FilterTextRole is "name id": a text may also span the two at one of its spaces (ids have
    // none), e.g. "report db_12". Checked in place: building that string for every row of a
    // large account made a keystroke with a space several times slower.
    for (qsizetype k = text.indexOf(QLatin1Char(' ')); k >= 0; k = text.indexOf(QLatin1Char(' '), k + 1))
        if (name.endsWith(text.left(k), Qt::CaseInsensitive) && id.startsWith(text.mid(k + 1), Qt::CaseInsensitive))
            return true;
    return false;
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
    if (node->children.empty() || node->hasPlaceholder())
        removePlaceholder(node);
    node->state = FetchState::Fetching;
    node->seen.clear();

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
        for (auto &ws : m_root->children) {
            if (ws->kind == Kind::Workspace && ws->state != FetchState::Fetched) {
                ws->state = FetchState::Fetching;
                ws->seen.clear();
            }
        }
    }
    fetchPage(node, {});
}

void ResourceTreeModel::fetchPage(Node *node, const QString &cursor)
{
    const PageRequest page{cursor, m_pageSize};
    const QString id = node->id;
    const quint64 g = m_generation;
    ApiCall *call = nullptr;
    ++m_listRequests;
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
    // Ask for the next page before merging this one: the service works on it meanwhile (replies
    // are always delivered later, from the event loop, never inside this call).
    bool more = false;
    if (page.hasMore) {
        Node *requester = isProjects ? nullptr : parent;
        if constexpr (isProjects) {
            for (auto &ws : m_root->children)
                if (ws->state == FetchState::Fetching) { requester = ws.get(); break; }
        }
        if (requester) {
            fetchPage(requester, page.nextCursor);
            more = true;
        }
    }
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
                mergeChildren(ws, std::move(projects));
        }
    } else {
        constexpr Kind kind = std::is_same_v<T, Workspace> ? Kind::Workspace
                            : std::is_same_v<T, Database>  ? Kind::Database
                                                           : Kind::Connection;
        std::vector<std::unique_ptr<Node>> children;
        children.reserve(page.items.size());
        for (auto &item : page.items)
            children.push_back(makeNode(kind, std::move(item)));
        mergeChildren(parent, std::move(children));
    }
    if (more)
        return; // the next page is on its way

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

void ResourceTreeModel::setPayload(Node *node, Payload payload)
{
    node->payload = std::move(payload);
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
        parent->seen.insert(c->id);
        if (Node *existing = findNode(c->id)) {
            // Known already: update in place, so expansion and selection stay.
            if (existing->parent == parent)
                setPayload(existing, std::move(c->payload));
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
        m_byId.insert(c->id, c.get());
        schedulePolling(c.get());
        parent->append(std::move(c));
    }
    endInsertRows();
}

void ResourceTreeModel::removeUnseen(Node *parent)
{
    // What the completed listing did not bring is gone from the service.
    for (int row = int(parent->children.size()) - 1; row >= 0; --row) {
        Node *c = parent->children[size_t(row)].get();
        if (c->kind == Kind::Placeholder || parent->seen.contains(c->id))
            continue;
        beginRemoveRows(indexOfNode(parent), row, row);
        forget(c);
        parent->erase(size_t(row));
        endRemoveRows();
    }
    parent->seen.clear();
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
    removeUnseen(node);
    removePlaceholder(node);
    if (node->children.empty())
        showPlaceholder(node, emptyText(node->kind), {});
    Q_EMIT levelLoaded(indexOfNode(node));
    if ((m_bulk == Bulk::Workspaces && node == m_root.get()) || (m_bulk == Bulk::Projects && node->kind == Kind::Workspace))
        continueBulk();
}

void ResourceTreeModel::failLevel(Node *node, const ApiError &error)
{
    node->state = FetchState::Failed;
    node->call = nullptr;
    showPlaceholder(node, tr("Could not load: %1 Press F5 to retry.").arg(error.userMessage()), error.userMessage());
    Q_EMIT levelFailed(indexOfNode(node), error);
    if ((m_bulk == Bulk::Workspaces && node == m_root.get()) || (m_bulk == Bulk::Projects && node->kind == Kind::Workspace)) {
        m_bulk = Bulk::Idle;
        Q_EMIT bulkFinished(error);
    }
}

void ResourceTreeModel::showPlaceholder(Node *parent, const QString &text, const QString &error)
{
    removePlaceholder(parent);
    auto p = std::make_unique<Node>();
    p->kind = Kind::Placeholder;
    p->placeholderText = text;
    p->error = error;
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
    if (!m_client)
        return;
    Node *node = nodeOf(parent);
    if (!node->canHaveChildren())
        node = node->parent;
    if (!node || node->state == FetchState::Fetching)
        return;
    if (node->kind == Kind::Workspace) {
        // The account-wide project listing starts over for this workspace.
        ++m_projectsGeneration;
        m_projectsState = FetchState::Unfetched;
        node->state = FetchState::Unfetched;
    }
    startFetch(node);
}

void ResourceTreeModel::refreshAll()
{
    if (!m_client)
        return;
    std::vector<QModelIndex> loaded;
    if (m_root->state != FetchState::Fetching)
        loaded.push_back({});
    bool workspaceQueued = false;
    for (Node *n : std::as_const(m_byId)) {
        if (n->state != FetchState::Fetched && n->state != FetchState::Failed)
            continue;
        if (n->kind == Kind::Workspace) {
            n->state = FetchState::Unfetched; // one project listing serves every workspace
            if (workspaceQueued)
                continue;
            workspaceQueued = true;
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
        if (n->kind == Kind::Project || n->kind == Kind::Database) {
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
    return (n->kind == Kind::Project || n->kind == Kind::Database) && !m_unprotected.contains(n->id);
}

// --- bulk loading -------------------------------------------------------------------------------

void ResourceTreeModel::loadAll()
{
    if (!m_client || m_bulk != Bulk::Idle)
        return;
    if (isComplete()) {
        // Every level is here already (e.g. each keystroke of a search asks again): listing the
        // whole account again would only re-send what the model holds. refresh() and
        // refreshAll() are the way to fresher data. Finished, as always, after returning.
        QTimer::singleShot(0, this, [this, g = m_generation] {
            if (g == m_generation && m_bulk == Bulk::Idle)
                Q_EMIT bulkFinished(ApiError{});
        });
        return;
    }
    m_bulkDatabases = 0;
    ++m_bulkRun; // replies of an earlier, abandoned bulk load are dropped
    m_bulkQueue.clear();
    m_bulkError = {};
    m_bulkDatabasesListed = false;
    m_bulk = Bulk::Workspaces;
    if (m_root->state == FetchState::Fetched)
        continueBulk();
    else if (m_root->state != FetchState::Fetching)
        startFetch(m_root.get());
}

bool ResourceTreeModel::isComplete() const
{
    if (m_root->state != FetchState::Fetched)
        return false;
    for (const Node *n : std::as_const(m_byId))
        if (n->kind != Kind::Connection && n->state != FetchState::Fetched)
            return false;
    return true;
}

void ResourceTreeModel::continueBulk()
{
    switch (m_bulk) {
    case Bulk::Idle:
        return;
    case Bulk::Workspaces: {
        if (m_root->state == FetchState::Fetching)
            return; // wait for the workspaces
        if (m_root->state == FetchState::Failed) {
            m_bulk = Bulk::Idle;
            Q_EMIT bulkFinished(ApiError::network(tr("the workspaces could not be loaded")));
            return;
        }
        m_bulk = Bulk::Projects;
        // The databases are listed at the same time as the projects (each names its project):
        // pages that come before the projects are kept and merged when they are in.
        requestBulkDatabases({});
        Node *first = nullptr;
        for (auto &ws : m_root->children) {
            if (ws->kind == Kind::Workspace && ws->state != FetchState::Fetched && ws->state != FetchState::Fetching) {
                ws->state = FetchState::Unfetched;
                first = first ? first : ws.get();
            }
        }
        if (first && m_projectsState != FetchState::Fetching) {
            startFetch(first);
            return;
        }
        [[fallthrough]];
    }
    case Bulk::Projects: {
        for (auto &ws : m_root->children)
            if (ws->state == FetchState::Fetching)
                return; // wait for the projects
        m_bulk = Bulk::Databases;
        m_bulkProjects.clear();
        for (Node *n : std::as_const(m_byId)) {
            if (n->kind == Kind::Project && n->state != FetchState::Fetching) {
                n->state = FetchState::Fetching;
                n->seen.clear();
                m_bulkProjects.insert(n->id);
            }
        }
        drainBulk(); // the database pages that came before the projects
        return;
    }
    case Bulk::Databases:
        return;
    }
}

void ResourceTreeModel::requestBulkDatabases(const QString &cursor)
{
    const quint64 g = m_generation, run = m_bulkRun;
    ++m_listRequests;
    m_client->listAllDatabases({cursor, 0}, this,
                               [this, g, run](Result<Page<Database>> r) { applyBulkDatabases(g, run, std::move(r)); });
}

void ResourceTreeModel::applyBulkDatabases(quint64 generation, quint64 run, Result<Page<Database>> result)
{
    if (generation != m_generation || run != m_bulkRun || (m_bulk != Bulk::Projects && m_bulk != Bulk::Databases))
        return;
    if (!result.ok()) {
        m_bulkError = result.error(); // said once the pages before it are merged
        m_bulkDatabasesListed = true;
    } else {
        Page<Database> page = result.takeValue();
        m_bulkDatabasesListed = !page.hasMore;
        if (page.hasMore) // the next page first: the service works on it while this one is merged
            requestBulkDatabases(page.nextCursor);
        m_bulkQueue.push_back(std::move(page));
    }
    if (m_bulk == Bulk::Databases)
        drainBulk();
}

// Merges the oldest database page waiting, and the next ones each from the event loop (pages that
// waited for the projects come together; merged at once they made one long stall). Ends the bulk
// load when the last page is merged.
void ResourceTreeModel::drainBulk()
{
    if (!m_bulkQueue.empty()) {
        Page<Database> page = std::move(m_bulkQueue.front());
        m_bulkQueue.pop_front();
        mergeBulkDatabases(std::move(page));
    }
    if (!m_bulkQueue.empty()) {
        if (!m_bulkDrainScheduled) {
            m_bulkDrainScheduled = true;
            QTimer::singleShot(0, this, [this] {
                m_bulkDrainScheduled = false;
                if (m_bulk == Bulk::Databases) // the queue is the current bulk load's (reset with it)
                    drainBulk();
            });
        }
        return;
    }
    if (m_bulkDatabasesListed)
        endBulk(m_bulkError);
}

// The bulk load is over: the projects it filled are complete (or, on an error, as they were).
void ResourceTreeModel::endBulk(const ApiError &error)
{
    for (const QString &id : std::as_const(m_bulkProjects)) {
        Node *p = findNode(id);
        if (!p || p->state != FetchState::Fetching)
            continue;
        if (error.isError())
            p->state = p->children.empty() ? FetchState::Unfetched : FetchState::Fetched;
        else
            finishLevel(p);
    }
    m_bulkProjects.clear();
    m_bulkQueue.clear();
    m_bulk = Bulk::Idle;
    Q_EMIT bulkFinished(error);
}

void ResourceTreeModel::mergeBulkDatabases(Page<Database> page)
{
    std::map<QString, std::vector<std::unique_ptr<Node>>> byProject;
    std::vector<std::pair<QString, std::vector<Connection>>> connections;
    for (auto &d : page.items) {
        connections.emplace_back(d.id, d.connections);
        const QString projectId = d.project.id;
        byProject[projectId].push_back(makeNode(Kind::Database, std::move(d)));
    }
    for (auto &[projectId, dbs] : byProject) {
        Node *p = findNode(projectId);
        if (p && m_bulkProjects.contains(projectId))
            mergeChildren(p, std::move(dbs));
    }
    // Each database came with its connections: that level is complete too.
    for (auto &[dbId, cons] : connections) {
        Node *db = findNode(dbId);
        if (!db || db->state == FetchState::Fetching)
            continue;
        db->state = FetchState::Fetching;
        db->seen.clear();
        std::vector<std::unique_ptr<Node>> nodes;
        for (auto &c : cons)
            nodes.push_back(makeNode(Kind::Connection, std::move(c)));
        mergeChildren(db, std::move(nodes));
        finishLevel(db);
        ++m_bulkDatabases;
    }
    Q_EMIT bulkProgress(m_bulkDatabases);
}

// --- polling ------------------------------------------------------------------------------------

void ResourceTreeModel::setPollInterval(int ms)
{
    m_pollTimer->setInterval(ms);
}

void ResourceTreeModel::schedulePolling(const Node *node)
{
    // Only the node that just changed is looked at: a scan of every node here made each merge
    // O(n), so a bulk load of n databases O(n^2). pollProvisioning() stops the timer once nothing
    // is provisioning or recovering any more.
    if (m_pollTimer->isActive())
        return;
    const auto *db = std::get_if<Database>(&node->payload);
    if (db && (db->status == Database::Status::Provisioning || db->status == Database::Status::Recovering))
        m_pollTimer->start();
}

void ResourceTreeModel::pollProvisioning()
{
    if (!m_client) {
        m_pollTimer->stop();
        return;
    }
    bool any = false;
    for (Node *n : std::as_const(m_byId)) {
        const auto *db = std::get_if<Database>(&n->payload);
        if (!db || (db->status != Database::Status::Provisioning && db->status != Database::Status::Recovering))
            continue;
        any = true;
        if (m_polling.contains(n->id))
            continue;
        m_polling.insert(n->id);
        const quint64 g = m_generation;
        const QString id = n->id;
        m_client->getDatabase(id, this, [this, g, id](Result<Database> r) {
            if (g != m_generation)
                return;
            m_polling.remove(id);
            if (r.ok())
                updateDatabase(r.value());
            else if (r.error().kind == ApiError::Kind::NotFound)
                removeResource(id);
        });
    }
    if (!any)
        m_pollTimer->stop(); // everything settled
}

void ResourceTreeModel::updateDatabase(const Database &database)
{
    Node *n = findNode(database.id);
    if (!n || n->kind != Kind::Database)
        return;
    Database copy = database;
    for (auto &c : copy.connections)
        for (auto *e : {&c.direct, &c.pooled, &c.accelerate})
            if (*e)
                (*e)->connectionString.clear();
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
    parent->erase(size_t(row));
    endRemoveRows();
    if (parent->children.empty() && parent->state == FetchState::Fetched)
        showPlaceholder(parent, emptyText(parent->kind), {});
}

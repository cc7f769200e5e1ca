// ResourceTreeModel: the account as a lazily loaded tree, workspaces > projects > databases >
// connections, backed by ApiClient.
//
// Each level is requested when the view asks for it (canFetchMore/fetchMore) and every page is
// inserted as it arrives; the next page is requested automatically until `hasMore` is false.
// Every listing is walked by a PageWalker (pagewalker.h), the one paging path: a server whose
// cursor loops ends the level with a Protocol error (an error row) instead of being asked forever.
// Routes: GET /v1/workspaces (top level), GET /v1/projects (distributed to their workspace),
// GET /v1/projects/{id}/databases, GET /v1/databases/{id}/connections.
// A level that is still loading after a moment shows a "Loading…" row; a level that failed shows
// an error row (kind Placeholder, ErrorRole set) until it is retried with refresh().
// Create and delete results are applied only from the server's answer (insert*/removeResource).
// The tree keeps no connection string: list replies carry none (api/ strips them as it decodes
// them) and what insert*() and updateDatabase() are given is stripped (stripConnectionStrings()).
// refresh() lists a level again and merges: rows are updated in place, new ones added and gone
// ones removed, so the view keeps expansion and selection. loadAll() brings the whole account in
// few requests for search (BulkLoader, bulkloader.h: GET /v1/workspaces, then GET /v1/projects
// and GET /v1/databases at the same time). Databases that are provisioning or recovering are
// polled (ProvisioningPoller, provisioningpoller.h: GET /v1/databases/{id}) until they settle.
// Columns: Name, Status, Region, Created. The model is the one place that holds what is shown.
// Project and database names are editable (Qt::ItemIsEditable, EditRole) so a view can offer
// renaming in place; setData() is not overridden: a rename is sent by ResourceWorkflows and the
// row changes only with the service's answer (updateProject/updateDatabase).
// All Profiles (setAccounts()): every saved profile at once, each an "account" with its own
// client. The top level holds one node per account, which lists the account's workspaces with
// that client (GET /v1/workspaces) and becomes its first workspace (more workspaces follow it);
// every level below is listed, polled and loaded for search with the client of the account it
// belongs to. An account without a client (its token could not be read) or whose listing fails
// (a refused token: Unauthorized) keeps a node named after the profile with an error row under it
// and holds up no other. A workspace that two profiles see is shown once, under the first.
// Warm start (resourcetreesnapshot.cpp): snapshot() writes what is loaded (names, ids, statuses,
// regions, dates; never a connection string, host or secret); decodeSnapshot() turns such bytes into
// rows on any thread, and restoreSnapshot() puts them in place at once, before a client is bound
// (attachClient() then keeps them) or right after setClient(). Each restored row is marked cached
// (CachedRole, an italic font) until a listing brings it again, and a listing that does not bring
// it removes it, as refresh() does.
#pragma once

#include "apierror.h"
#include "resources.h"

#include <QAbstractItemModel>
#include <QColor>
#include <QHash>
#include <QIcon>
#include <QPointer>
#include <QSet>

#include <memory>
#include <variant>
#include <vector>

class ApiClient;
class BulkLoader;
class PageWalkerBase;
class ProvisioningPoller;

class ResourceTreeModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column { NameColumn, StatusColumn, RegionColumn, CreatedColumn, ColumnCount };

    enum class FetchState : quint8 { Unfetched, Fetching, Fetched, Failed };

    enum Role {
        KindRole = Qt::UserRole + 1, // ResourceKind
        IdRole, // QString, e.g. "db_..."
        IsDefaultRole, // bool: the project's default database
        ErrorRole, // QString: on an error row, what failed
        SortRole, // QVariant used by sorting proxies
        ProtectedRole, // bool: protected from deletion (projects and databases)
        FilterTextRole, // QString: what search matches (name and id)
        NameRole, // QString: the resource's name as the service has it (placeholders: empty)
        PlaceholderRole, // Placeholder: what a row that stands for no resource says
        ProfileIdRole, // QString: All Profiles: the profile of the row's account (else empty)
        ProfileColorRole, // QColor: All Profiles: the profile's colour, on top-level rows only
        CachedRole, // bool: restored from a snapshot and not listed again yet
    };

    // A placeholder row's meaning; its text carries no key binding (the view adds the way out:
    // the shortcut that creates something for Empty, the one that retries for Error).
    enum class Placeholder { None, Loading, Empty, Error };
    Q_ENUM(Placeholder)

    // One saved profile in the All Profiles view, with the client that speaks for it.
    struct Account
    {
        QString profileId;
        QString name; // the profile's name
        QColor color; // the profile's colour (invalid: none)
        ApiClient *client = nullptr; // nullptr: its token could not be read; `error` says why
        QString error;
    };

    explicit ResourceTreeModel(QObject *parent = nullptr);
    ~ResourceTreeModel() override;

    // Binds the model to a session's client (or none). Resets the model; replies of the previous
    // client are dropped. The model does not own the client.
    void setClient(ApiClient *client);
    // Binds a client to a model that has none yet, keeping the rows it holds (a tree restored from
    // the cache before the session was up); the listings then merge into them. False, and nothing
    // changed, when a client is bound already or in All Profiles (use setClient()).
    bool attachClient(ApiClient *client);
    // The client of setClient() (nullptr in the All Profiles view).
    ApiClient *client() const;
    // All Profiles: binds the model to several accounts at once (see above) and starts listing
    // each one's workspaces. Resets the model, like setClient(); the clients are not owned.
    void setAccounts(const QList<Account> &accounts);
    bool isAllProfiles() const { return m_allProfiles; }
    // Whether any client is bound (a level can be listed).
    bool hasClient() const;
    // The profile of the account `index` belongs to (All Profiles; empty otherwise).
    QString profileIdOf(const QModelIndex &index) const;

    // Warm start: what is loaded now, as bytes for a cache file (QDataStream, with a format
    // version and `appVersion`), or empty in All Profiles or when nothing is loaded.
    QByteArray snapshot(const QString &appVersion) const;
    // A snapshot's rows, decoded and not yet in a model (held by the shared_ptr decodeSnapshot() gives).
    class DecodedSnapshot;
    // Reads snapshot() bytes into rows. Touches no model, so it may run on a worker thread (the warm
    // start decodes the cache file while the window is built and the keychain is read). nullptr for
    // bytes that are not a snapshot of this format and `appVersion` (a corrupt or truncated file,
    // another version's).
    static std::shared_ptr<DecodedSnapshot> decodeSnapshot(const QByteArray &data, const QString &appVersion);
    // Puts decoded rows in place, marked cached, and empties `snapshot`. Only while nothing is loaded
    // (before a client is bound, or right after setClient(); a first listing already on its way
    // merges into them). False, and nothing changed, otherwise or when it holds no row.
    bool restoreSnapshot(DecodedSnapshot &snapshot);
    // decodeSnapshot() and restoreSnapshot() in one step, on the model's thread.
    bool restoreSnapshot(const QByteArray &data, const QString &appVersion);
    // Rows marked cached that no listing has confirmed yet.
    int cachedRows() const { return m_cachedRows; }

    // QAbstractItemModel
    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    QModelIndex sibling(int row, int column, const QModelIndex &index) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    ResourceKind kind(const QModelIndex &index) const;
    FetchState fetchState(const QModelIndex &parent) const;
    QModelIndex indexOf(const QString &id, int column = 0) const;

    // Typed access to the resource behind a row (nullptr for another kind). A database the tree
    // holds keeps no copy of its connections once its connection rows are listed (they are the
    // rows): ask connectionNames() for them.
    const Workspace *workspace(const QModelIndex &index) const;
    const Project *project(const QModelIndex &index) const;
    const Database *database(const QModelIndex &index) const;
    const Connection *connection(const QModelIndex &index) const;
    // The names of a database's connections: its connection rows once that level is listed (or
    // restored from the cache), else the connections its database listing embedded. Empty for a
    // row of another kind.
    QStringList connectionNames(const QModelIndex &database) const;

    // Lists `parent`'s level again and merges the answer (the workspaces for an invalid index).
    void refresh(const QModelIndex &parent = {});
    // Refreshes every level that is loaded.
    void refreshAll();
    // Loads every level of the account with the bulk routes; progress via bulkProgress/bulkFinished.
    void loadAll();
    bool isLoadingAll() const;
    // Every level of the account is loaded (loadAll() would send nothing).
    bool isComplete() const;
    // Number of list requests sent since the client was set (for benchmarks).
    int listRequests() const { return m_listRequests; }

    // Ids whose deletion protection was lifted; every other project and database is protected.
    void setUnprotected(const QSet<QString> &ids);
    bool isProtected(const QModelIndex &index) const;
    // How often provisioning databases are polled (ms).
    void setPollInterval(int ms);
    // Applies a fresher copy of a database (e.g. from GET /v1/databases/{id}, or a rename's
    // answer) or of a project (a rename's answer). Unknown ids are ignored.
    void updateDatabase(const Database &database);
    void updateProject(const Project &project);

    // Apply what the server answered to a create, under the matching parent if it is loaded.
    QModelIndex insertProject(const Project &project);
    QModelIndex insertDatabase(const Database &database);
    QModelIndex insertConnection(const Connection &connection);
    // Apply a confirmed delete (204, or 404 for already gone).
    void removeResource(const QString &id);

    // How long a level may load before a "Loading…" row appears (ms).
    void setLoadingRowDelay(int ms) { m_loadingRowDelay = ms; }
    // Items per list request (0: the server's default, 100).
    void setPageSize(int items) { m_pageSize = items; }

Q_SIGNALS:
    // A level finished loading, all pages (parent invalid: the workspaces).
    void levelLoaded(const QModelIndex &parent);
    // A level failed; an error row now stands under `parent`.
    void levelFailed(const QModelIndex &parent, const ApiError &error);
    // loadAll(): `databases` databases placed so far.
    void bulkProgress(int databases);
    // loadAll() is over; `error` is set when a request failed (a cursor that loops: Protocol).
    void bulkFinished(const ApiError &error);

private:
    friend class BulkLoader; // loadAll() changes the tree through the "bulk loading" functions below

    struct Node;
    using Payload = std::variant<std::monostate, Workspace, Project, Database, Connection>;

    Node *nodeOf(const QModelIndex &index) const;
    QModelIndex indexOfNode(const Node *node, int column = 0) const;
    Node *findNode(const QString &id) const;
    void startFetch(Node *node);
    template <class T, class List> PageWalkerBase *walkLevel(int account, const QString &parentId, List list);
    template <class T> void placePage(int account, const QString &parentId, Page<T> page);
    template <class T> void endWalk(int account, const QString &parentId, const ApiError &error);
    void mergeChildren(Node *parent, std::vector<std::unique_ptr<Node>> children);
    void removeUnseen(Node *parent);
    void setPayload(Node *node, Payload payload);
    const QIcon &icon(const QString &path) const;
    void schedulePolling(const Node *node);
    QStringList unsettledDatabases() const;
    void removeChildren(Node *parent);
    void removePlaceholder(Node *parent);
    void showPlaceholder(Node *parent, const QString &text, const QString &error);
    void finishLevel(Node *node);
    void failLevel(Node *node, const ApiError &error);
    void forget(Node *node);
    ApiClient *clientOf(const Node *node) const;
    Node *accountNode(int account) const;
    void placeAccountWorkspaces(int account, Page<Workspace> page);
    void endAccountWorkspaces(int account, const ApiError &error);
    // loadAll() in the All Profiles view: every level listed with its own account's client.
    void loadEveryLevel(Node *from);
    void checkEveryLevelLoaded();
    std::unique_ptr<Node> makeNode(ResourceKind kind, Payload payload);
    QModelIndex insertUnder(Node *parent, std::unique_ptr<Node> child);

    // --- bulk loading: the steps of loadAll() that change the tree, for BulkLoader -----------
    // Starts the workspaces' level unless it is loaded or loading; true when it is loaded.
    bool bulkLoadWorkspaces();
    // Starts the account-wide project listing for the workspaces that lack their projects.
    void bulkLoadProjects();
    // Whether a workspace's projects are still loading.
    bool bulkProjectsLoading() const;
    // Marks the database level of every project that is not loading it as loading: the bulk
    // listing fills them. Returns their ids.
    QSet<QString> bulkBeginDatabases();
    // Places one page of GET /v1/databases under those of `projects` it names, each database with
    // its connections (that level is complete too). Returns how many databases it placed.
    int bulkPlaceDatabases(Page<Database> page, const QSet<QString> &projects);
    // The listing is over: the levels of `projects` are complete, or, on an error, as they were.
    void bulkEndDatabases(const QSet<QString> &projects, const ApiError &error);
    void countListRequest() { ++m_listRequests; }

    // An account's client and its account-wide project listing. setClient() makes one (index 0),
    // setAccounts() one per profile; every node records the index of its account.
    struct AccountState
    {
        Account account;
        QPointer<ApiClient> client;
        // Projects come from one account-wide listing, distributed to their workspaces.
        FetchState projectsState = FetchState::Unfetched;
        QPointer<PageWalkerBase> projectsWalker;
    };
    void resetTree();

    std::unique_ptr<Node> m_root;
    QHash<QString, Node *> m_byId;
    std::vector<AccountState> m_accounts;
    bool m_allProfiles = false;
    bool m_loadingEveryLevel = false; // loadAll() in the All Profiles view
    int m_everyLevelDatabases = 0;
    quint64 m_generation = 0; // bumped when the session changes
    quint64 m_changes = 1; // bumped when rows come in or a level is to be loaded again
    mutable quint64 m_completeAt = 0; // m_changes when isComplete() last found every level loaded
    int m_loadingRowDelay = 400;
    int m_pageSize = 0;
    BulkLoader *m_bulk;
    ProvisioningPoller *m_poller;
    QSet<QString> m_unprotected;
    int m_listRequests = 0;
    int m_cachedRows = 0;
    mutable QHash<QString, QIcon> m_icons; // decoration icons by resource path
};

// ResourceTreeModel::Node: one row of the tree, private to the model's sources
// (resourcetreemodel.cpp, resourcetreesnapshot.cpp). Not part of the models library's interface.
#pragma once

#include "pagewalker.h"
#include "resourcetreemodel.h"

#include <QPointer>
#include <QSet>
#include <QString>

#include <memory>
#include <vector>

// The resource behind a row, on the heap at its own size. A Payload (a std::variant of the four)
// kept in every node took the size of the largest, a Project with its optional Database: 632 bytes
// in each row, 264 of them unused by a connection's row. get<T>() is nullptr for another kind.
class ResourceTreeStoredPayload
{
public:
    using Payload = std::variant<std::monostate, Workspace, Project, Database, Connection>; // ResourceTreeModel's

    // A resource of the kind already held is assigned in place, so that a pointer from get() (or
    // from ResourceTreeModel::database() and the like) stays valid across an update, as it did when
    // the variant was held inline.
    ResourceTreeStoredPayload &operator=(Payload payload)
    {
        std::visit(
            [this](auto &r) {
                using T = std::decay_t<decltype(r)>;
                if constexpr (std::is_same_v<T, std::monostate>)
                    m_value = std::monostate {};
                else if (T *same = get<T>())
                    *same = std::move(r);
                else
                    m_value = std::make_unique<T>(std::move(r));
            },
            payload);
        return *this;
    }
    // Moves the resource out (the box is empty afterwards).
    Payload take()
    {
        Payload out;
        std::visit(
            [&](auto &b) {
                if constexpr (!std::is_same_v<std::decay_t<decltype(b)>, std::monostate>)
                    out = std::move(*b);
            },
            m_value);
        m_value = std::monostate {};
        return out;
    }
    template <class T> T *get()
    {
        auto *b = std::get_if<std::unique_ptr<T>>(&m_value);
        return b ? b->get() : nullptr;
    }
    template <class T> const T *get() const
    {
        const auto *b = std::get_if<std::unique_ptr<T>>(&m_value);
        return b ? b->get() : nullptr;
    }
    // Calls f(std::monostate) or f(the resource), as std::visit on a Payload would.
    template <class F> auto visit(F &&f) const
    {
        return std::visit(
            [&](const auto &b) {
                if constexpr (std::is_same_v<std::decay_t<decltype(b)>, std::monostate>)
                    return f(b);
                else
                    return f(std::as_const(*b));
            },
            m_value);
    }
    template <class F> auto visit(F &&f)
    {
        return std::visit(
            [&](auto &b) {
                if constexpr (std::is_same_v<std::decay_t<decltype(b)>, std::monostate>)
                    return f(b);
                else
                    return f(*b);
            },
            m_value);
    }

private:
    using Boxed = std::variant<std::monostate, std::unique_ptr<Workspace>, std::unique_ptr<Project>,
        std::unique_ptr<Database>, std::unique_ptr<Connection>>;
    Boxed m_value;
};

// What the tree keeps of a resource, as it enters a row: its strings share their text (Qt's
// implicit sharing) with equal ones: the id and name of the parent they name, and statuses,
// regions, connection kinds and hosts from one pool. Defined in resourcetreemodel.cpp.
void compactResource(ResourceTreeStoredPayload &node, const ResourceTreeStoredPayload *parent);

struct ResourceTreeModel::Node
{
    // A level being listed: the listing in progress and the ids it has brought so far (for the
    // merge). Only a node whose children are being listed has one.
    struct Listing
    {
        QPointer<PageWalkerBase> walker;
        QSet<QString> seen;
    };
    // A placeholder row's text, and what failed when the row stands for an error.
    struct Message
    {
        QString text;
        QString error;
    };

    // The fields are ordered so that the small ones pack: a large account holds a node per row
    // (104 bytes; 176 when every node held a listing's and a placeholder's fields inline).
    QString id;
    ResourceTreeStoredPayload payload;
    Node *parent = nullptr;
    std::vector<std::unique_ptr<Node>> children;
    std::unique_ptr<Listing> listing; // from startFetch() to the end of the listing
    std::unique_ptr<Message> message; // Placeholder rows only
    mutable int rowHint = 0; // where this node last was among its siblings
    int account = 0; // index into m_accounts
    ResourceKind kind = ResourceKind::Placeholder;
    FetchState state = FetchState::Unfetched;
    // All Profiles: a top-level node that stands for its account until the account's workspaces
    // are listed (it then becomes the first); it has no id and no payload.
    bool standIn = false;
    bool cached = false; // restored from a snapshot, not listed again yet

    // A listing of this level starts afresh: nothing seen yet, no walker.
    void beginListing() { listing = std::make_unique<Listing>(); }
    void endListing() { listing.reset(); }
    void see(const QString &childId)
    {
        if (!listing)
            beginListing();
        listing->seen.insert(childId);
    }
    bool saw(const QString &childId) const { return listing && listing->seen.contains(childId); }
    void setWalker(PageWalkerBase *walker)
    {
        if (!listing)
            beginListing();
        listing->walker = walker;
    }
    PageWalkerBase *walker() const { return listing ? listing->walker.data() : nullptr; }
    // A database whose connection rows are listed keeps no copy of them: the rows are the truth (the
    // copy went stale as connections were added or deleted) and, on a database-per-tenant account,
    // the copy was about 180 bytes per row. ResourceTreeModel::connectionNames() reads either.
    void dropEmbeddedConnections()
    {
        if (Database *d = payload.get<Database>(); d && state == FetchState::Fetched)
            std::vector<Connection>().swap(d->connections);
    }
    const QString &placeholderText() const { return message ? message->text : empty(); }
    const QString &error() const { return message ? message->error : empty(); }

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
    void insert(size_t row, std::unique_ptr<Node> child)
    {
        child->parent = this;
        children.insert(children.begin() + std::ptrdiff_t(row), std::move(child));
        for (size_t i = row; i < children.size(); ++i)
            children[i]->rowHint = int(i);
    }
    bool canHaveChildren() const
    {
        return kind == ResourceKind::Workspace || kind == ResourceKind::Project || kind == ResourceKind::Database
            || !parent;
    }
    bool hasPlaceholder() const { return !children.empty() && children.back()->kind == ResourceKind::Placeholder; }

private:
    static const QString &empty()
    {
        static const QString none;
        return none;
    }
};

// Rows read by ResourceTreeModel::decodeSnapshot(), owned here until restoreSnapshot() takes them.
class ResourceTreeModel::DecodedSnapshot
{
public:
    DecodedSnapshot();
    ~DecodedSnapshot();
    std::unique_ptr<Node> root; // the workspaces are its children
    QHash<QString, Node *> byId;
    int rows = 0;
};

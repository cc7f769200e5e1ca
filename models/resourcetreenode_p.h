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

// What the tree keeps of a resource, as it enters a row: the URLs of projects, databases and
// connections (and of the parents they name) are dropped, as a restored snapshot has none (no row
// shows one; a workspace keeps its URL), and the strings share their text (Qt's implicit sharing)
// with equal ones: the id and name of the parent they name, and statuses, regions, connection
// kinds and hosts from one pool. Defined in resourcetreemodel.cpp.
void compactResource(ResourceTreeStoredPayload &node, const ResourceTreeStoredPayload *parent);

struct ResourceTreeModel::Node
{
    ResourceKind kind = ResourceKind::Placeholder;
    QString id;
    ResourceTreeStoredPayload payload;
    Node *parent = nullptr;
    std::vector<std::unique_ptr<Node>> children;
    FetchState state = FetchState::Unfetched;
    QPointer<PageWalkerBase> walker; // the listing of this level in progress
    QString placeholderText; // Placeholder rows only
    QString error; // Placeholder rows only: what failed
    QSet<QString> seen; // ids the listing in progress has brought (for the merge)
    mutable int rowHint = 0; // where this node last was among its siblings
    int account = 0; // index into m_accounts
    // All Profiles: a top-level node that stands for its account until the account's workspaces
    // are listed (it then becomes the first); it has no id and no payload.
    bool standIn = false;
    bool cached = false; // restored from a snapshot, not listed again yet

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

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

struct ResourceTreeModel::Node
{
    ResourceKind kind = ResourceKind::Placeholder;
    QString id;
    Payload payload;
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

// RenameController: renames the current project or database in place (Resource > Rename, F2).
// The tree's editor opens on the row; the committed name is validated as at creation (not empty,
// at most 100 characters, no control characters): a refused name reopens the editor with the
// text kept and the status line says why. A valid one is sent by ResourceWorkflows::rename
// (PATCH /v1/projects/{id} or /v1/databases/{id}); the tree and the details change with the
// service's answer, and a failure is reported like any operation's (WorkflowFeedback).
#pragma once

#include <QObject>

class ConsoleCore;
class QModelIndex;
class ResourceTreeView;

class RenameController : public QObject
{
    Q_OBJECT
public:
    RenameController(ConsoleCore *core, ResourceTreeView *tree, QObject *parent);

    // Opens the editor on the current row; says what to select when it is not a project or database.
    void renameCurrent();

Q_SIGNALS:
    void statusMessage(const QString &text, int timeoutMs);

private:
    void onRenameRequested(const QModelIndex &source, const QString &name);

    ConsoleCore *m_core;
    ResourceTreeView *m_tree;
};

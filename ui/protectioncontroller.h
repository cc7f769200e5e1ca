// ProtectionController: lifts or puts back the delete protection of the current project or
// database (DeleteProtection, remembered per profile) and says so in the status line.
#pragma once

#include <QObject>

class ConsoleCore;
class ResourceTreeView;

class ProtectionController : public QObject
{
    Q_OBJECT
public:
    ProtectionController(ConsoleCore *core, ResourceTreeView *tree, QObject *parent);

    void toggleCurrent();

Q_SIGNALS:
    void statusMessage(const QString &text, int timeoutMs);

private:
    ConsoleCore *m_core;
    ResourceTreeView *m_tree;
};

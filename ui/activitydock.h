// ActivityDock: the activity panel (Ctrl+L): every operation of ActivityModel with its duration
// and outcome, newest scrolled into view, and Cancel Operation for the selected one while it runs.
#pragma once

#include <QDockWidget>

class ActivityModel;
class QTreeView;

class ActivityDock : public QDockWidget
{
    Q_OBJECT
public:
    explicit ActivityDock(ActivityModel *activity, QWidget *parent = nullptr);

    QTreeView *view() const { return m_view; }

private:
    QTreeView *m_view;
};

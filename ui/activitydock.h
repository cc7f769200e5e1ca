// ActivityDock: the activity panel (Ctrl+L): every operation of ActivityModel with its duration
// and outcome, newest scrolled into view, and Cancel Operation for the selected one while it runs.
// It stays out of the way until there is activity: hidden while the list is empty (settle(), after
// the window restored its state), shown when an operation starts. Hiding it by hand (Ctrl+L, the
// View menu or its close button) is respected: later operations leave it hidden, also at the next
// start (QSettings "activity/userHidden"), until the user shows it again.
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
    // Hides the panel while there is no activity, or when the user hid it (see above).
    void settle();
    bool isUserHidden() const { return m_userHidden; }

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void setUserHidden(bool hidden);

    QTreeView *m_view;
    ActivityModel *m_activity;
    bool m_userHidden = false;
};

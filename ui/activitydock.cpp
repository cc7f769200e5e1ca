#include "activitydock.h"

#include "activitymodel.h"

#include <QAction>
#include <QHeaderView>
#include <QPushButton>
#include <QSettings>
#include <QTreeView>
#include <QVBoxLayout>

ActivityDock::ActivityDock(ActivityModel *activity, QWidget *parent)
    : QDockWidget(tr("Activity"), parent)
    , m_activity(activity)
    , m_userHidden(QSettings().value(QStringLiteral("activity/userHidden"), false).toBool())
{
    setObjectName(QStringLiteral("activityDock"));
    auto *panel = new QWidget(this);
    auto *layout = new QVBoxLayout(panel);
    layout->setContentsMargins(0, 0, 0, 0);
    m_view = new QTreeView(panel);
    m_view->setObjectName(QStringLiteral("activityView"));
    m_view->setAccessibleName(tr("Activity"));
    m_view->setRootIsDecorated(false);
    m_view->setUniformRowHeights(true);
    m_view->setModel(activity);
    m_view->header()->setSectionResizeMode(ActivityModel::MessageColumn, QHeaderView::Stretch);
    m_view->setColumnWidth(ActivityModel::DescriptionColumn, 320);
    layout->addWidget(m_view);
    auto *cancel = new QPushButton(tr("&Cancel Operation"), panel);
    cancel->setObjectName(QStringLiteral("cancelOperation"));
    cancel->setEnabled(false);
    layout->addWidget(cancel, 0, Qt::AlignRight);
    auto updateCancel
        = [this, cancel] { cancel->setEnabled(m_view->currentIndex().data(ActivityModel::CancellableRole).toBool()); };
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, cancel, updateCancel);
    connect(activity, &QAbstractItemModel::dataChanged, cancel, updateCancel);
    connect(cancel, &QPushButton::clicked, this, [this, activity] { activity->cancel(m_view->currentIndex().row()); });
    connect(activity, &QAbstractItemModel::rowsInserted, m_view,
        [this](const QModelIndex &, int, int last) { m_view->scrollTo(m_view->model()->index(last, 0)); });
    setWidget(panel);
    toggleViewAction()->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    // The user's choice (Ctrl+L, the View menu): remembered.
    connect(toggleViewAction(), &QAction::triggered, this, [this](bool shown) { setUserHidden(!shown); });
    // An operation starts: the panel comes up, unless the user put it away.
    connect(activity, &QAbstractItemModel::rowsInserted, this, [this] {
        if (!m_userHidden && !isVisible())
            show();
    });
}

void ActivityDock::settle()
{
    if (m_userHidden || m_activity->rowCount() == 0)
        hide();
    else
        show();
}

void ActivityDock::closeEvent(QCloseEvent *event)
{
    setUserHidden(true); // its close button
    QDockWidget::closeEvent(event);
}

void ActivityDock::setUserHidden(bool hidden)
{
    if (hidden == m_userHidden)
        return;
    m_userHidden = hidden;
    QSettings().setValue(QStringLiteral("activity/userHidden"), hidden);
}

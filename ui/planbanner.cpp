#include "planbanner.h"

#include "subscriptionwatch.h"

#include <QDesktopServices>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QStyle>

PlanBanner::PlanBanner(SubscriptionWatch *watch, QWidget *parent)
    : QFrame(parent)
    , m_watch(watch)
    , m_icon(new QLabel(this))
    , m_text(new QLabel(this))
    , m_upgrade(new QPushButton(tr("Upgrade Plan…"), this))
{
    setObjectName(QStringLiteral("planBanner"));
    setAccessibleName(tr("Plan status"));
    setFrameShape(QFrame::StyledPanel);
    // Amber with dark text in both colour schemes: a warning, not an error.
    setStyleSheet(QStringLiteral("#planBanner { background: #fff3cd; border: 1px solid #e0b44c; }"
                                 "#planBanner QLabel { color: #3d2e00; }"));
    const int iconSize = style()->pixelMetric(QStyle::PM_SmallIconSize);
    m_icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxWarning).pixmap(iconSize, iconSize));
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_upgrade->setToolTip(tr("Opens the plan's page in your browser"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 6, 10, 6);
    layout->addWidget(m_icon, 0, Qt::AlignTop);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_upgrade, 0, Qt::AlignVCenter);
    connect(m_upgrade, &QPushButton::clicked, this, [this] {
        if (m_upgradeUrl.isValid())
            QDesktopServices::openUrl(m_upgradeUrl);
    });
    connect(m_watch, &SubscriptionWatch::changed, this, &PlanBanner::update);
    update();
}

QString PlanBanner::text() const
{
    return m_text->text();
}

void PlanBanner::update()
{
    const QList<ResourceRef> blocked = m_watch->blocked();
    if (blocked.isEmpty()) {
        m_upgradeUrl.clear();
        hide();
        return;
    }
    m_upgradeUrl = m_watch->subscription(blocked.first().id)->upgradeUrl;
    QStringList names;
    for (const ResourceRef &w : blocked)
        names.append(QStringLiteral("“%1”").arg(w.name));
    const QString plan = m_watch->subscription(blocked.first().id)->planName;
    m_text->setText(blocked.size() == 1
            ? tr("Usage of workspace %1 is blocked on its %2 plan: its databases refuse queries until the plan "
                 "changes. Upgrade the plan, or wait for the next billing period.")
                  .arg(names.first(), plan)
            : tr("Usage of workspaces %1 is blocked: their databases refuse queries until their plans change.")
                  .arg(QLocale().createSeparatedList(names)));
    m_upgrade->setAccessibleName(tr("Upgrade the plan of %1").arg(names.first()));
    show();
}

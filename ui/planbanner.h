// PlanBanner: the strip across the top of the window that says, in plain words, that a
// workspace's usage is blocked (its databases refuse queries until the plan changes), with a
// button that opens the plan's upgrade page (the subscription's upgradeUrl) in the browser.
// Hidden while no watched workspace is blocked; follows SubscriptionWatch::changed().
#pragma once

#include <QFrame>
#include <QUrl>

class QLabel;
class QPushButton;
class SubscriptionWatch;

class PlanBanner : public QFrame
{
    Q_OBJECT
public:
    explicit PlanBanner(SubscriptionWatch *watch, QWidget *parent = nullptr);

    QString text() const;
    // The page the button opens (the first blocked workspace's upgradeUrl).
    QUrl upgradeUrl() const { return m_upgradeUrl; }
    QPushButton *upgradeButton() const { return m_upgrade; }

private:
    void update();

    SubscriptionWatch *m_watch;
    QLabel *m_icon;
    QLabel *m_text;
    QPushButton *m_upgrade;
    QUrl m_upgradeUrl;
};

#include "profileswitcher.h"

#include "profilestore.h"
#include "profileswatch.h"
#include "session.h"
#include "sessionmanager.h"

#include <QAction>
#include <QSignalBlocker>

ProfileSwitcher::ProfileSwitcher(SessionManager *sessions, QWidget *parent) : QComboBox(parent), m_sessions(sessions)
{
    setAccessibleName(tr("Profile"));
    setMinimumContentsLength(18);
    connect(this, &QComboBox::activated, this, [this](int i) {
        const QString id = itemData(i).toString();
        if (id.isEmpty())
            return;
        if (!m_sessions->session() || m_sessions->session()->profile().id != id)
            m_sessions->activate(id);
    });
    connect(m_sessions->profiles(), &ProfileStore::profilesChanged, this, &ProfileSwitcher::rebuild);
    connect(m_sessions, &SessionManager::activationFailed, this, &ProfileSwitcher::rebuild);

    for (int i = 1; i <= 9; ++i) {
        auto *a = new QAction(tr("Switch to Profile %1").arg(i), this);
        a->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_0 + i)));
        connect(a, &QAction::triggered, this, [this, i] {
            const auto profiles = m_sessions->profiles()->profiles();
            if (i <= profiles.size())
                m_sessions->activate(profiles.at(i - 1).id);
        });
        m_switchActions << a;
    }
    rebuild();
}

void ProfileSwitcher::rebuild()
{
    const QSignalBlocker block(this);
    clear();
    const Session *s = m_sessions->session();
    if (s && s->isTemporary())
        addItem(s->profile().name, QString());
    const auto profiles = m_sessions->profiles()->profiles();
    for (int i = 0; i < profiles.size(); ++i) {
        const Profile &p = profiles.at(i);
        addItem(profileSwatch(p.color, 12), p.name, p.id);
        if (i < 9)
            setItemData(count() - 1, tr("%1 (Ctrl+%2)").arg(p.name).arg(i + 1), Qt::ToolTipRole);
    }
    if (s)
        setCurrentIndex(s->isTemporary() ? 0 : findData(s->profile().id));
    else
        setCurrentIndex(-1);
}

void ProfileSwitcher::showSession(const Session *session)
{
    // A coloured band says which account this is at a glance.
    const QColor c = session ? session->profile().color : QColor();
    if (session)
        setStyleSheet(
            c.isValid() ? QStringLiteral("QComboBox { border-left: 6px solid %1; }").arg(c.name()) : QString());
    rebuild();
}

// ProfileSwitcher: the toolbar's profile combo box. Lists the saved profiles (with their colour
// swatch; a temporary session first, unnamed in the store), switches on a pick, and offers
// Ctrl+1…9 (switchActions(), for the window to hold) to switch to the profile in that position.
// The active profile's colour shows as a band on the box, so production never looks like staging.
// Reads and activates through SessionManager; keeps no state of its own.
#pragma once

#include <QComboBox>
#include <QList>

class QAction;
class Session;
class SessionManager;

class ProfileSwitcher : public QComboBox
{
    Q_OBJECT
public:
    explicit ProfileSwitcher(SessionManager *sessions, QWidget *parent = nullptr);

    // Ctrl+1…9; add them to the window so they work wherever the focus is.
    QList<QAction *> switchActions() const { return m_switchActions; }
    // Lists the profiles again and marks the active one.
    void rebuild();
    // Shows `session` as the active one (its colour band), then rebuild().
    void showSession(const Session *session);

private:
    SessionManager *m_sessions;
    QList<QAction *> m_switchActions;
};

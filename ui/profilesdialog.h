// ProfilesDialog: manages the list of token profiles: add, edit (and rename), remove (after a
// confirmation that names the profile; its keychain token and kept connection strings go too),
// reorder (Move up/down buttons, Alt+Up/Down, or drag and drop; the order is the switcher's and
// Ctrl+1..9's), and make one active. Each row shows the profile's colour, marks the active one and
// says where its token is (keychain, this session only, none). Non-modal sub-dialogs (open()), so
// nothing here spins an event loop; keychain errors are shown in the dialog in words.
#pragma once

#include <QDialog>

class QLabel;
class QListWidget;
class QMessageBox;
class QPushButton;
class SessionManager;
class ProfileDialog;

class ProfilesDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ProfilesDialog(SessionManager *sessions, QWidget *parent = nullptr);

    // Id of the selected profile, or empty.
    QString currentProfileId() const;
    void selectProfile(const QString &id);

    // For tests and screenshots.
    QListWidget *list() const { return m_list; }
    QPushButton *addButton() const { return m_add; }
    QPushButton *editButton() const { return m_edit; }
    QPushButton *removeButton() const { return m_remove; }
    QPushButton *upButton() const { return m_up; }
    QPushButton *downButton() const { return m_down; }
    QPushButton *activateButton() const { return m_activate; }
    QLabel *statusLabel() const { return m_status; }
    // The open confirmation (remove, or remove anyway), if any.
    QMessageBox *pendingConfirmation() const { return m_confirmation; }
    // The open add/edit dialog, if any.
    ProfileDialog *pendingProfileDialog() const { return m_profileDialog; }

    void addProfile();
    void editCurrent();
    void removeCurrent();
    void moveCurrent(int delta);
    void activateCurrent();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void rebuild();
    void updateButtons();
    void applyDraggedOrder();
    void removeProfile(const QString &id, const QString &name, bool evenIfKeychainFails);
    void openProfileDialog(ProfileDialog *dialog);

    SessionManager *m_sessions;
    QListWidget *m_list;
    QPushButton *m_add;
    QPushButton *m_edit;
    QPushButton *m_remove;
    QPushButton *m_up;
    QPushButton *m_down;
    QPushButton *m_activate;
    QLabel *m_status;
    QMessageBox *m_confirmation = nullptr;
    ProfileDialog *m_profileDialog = nullptr;
    bool m_rebuilding = false;
    bool m_orderSyncQueued = false;
};

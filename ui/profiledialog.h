// ProfileDialog: adds or edits a token profile: a name, the API base URL and a service token.
// The token goes to the keychain only (SessionManager::saveProfile); the field is a password field.
#pragma once

#include "profile.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QPushButton;
class SessionManager;

class ProfileDialog : public QDialog
{
    Q_OBJECT
public:
    ProfileDialog(SessionManager *sessions, const Profile &profile, QWidget *parent = nullptr);

    // The saved profile, once accepted.
    const Profile &profile() const { return m_profile; }

private:
    void validate();
    void save();

    SessionManager *m_sessions;
    Profile m_profile;
    QLineEdit *m_name;
    QLineEdit *m_url;
    QLineEdit *m_token;
    QLabel *m_problem;
    QPushButton *m_save;
};

// ProfileDialog: adds or edits one token profile: a name, the API base URL, a service token
// (password field), an optional colour and whether new connection strings are kept in the
// keychain by default.
//
// Saving checks a newly typed token first (TokenValidator: GET /v1/me against the entered URL) and
// shows what it found (workspace, credential type and name). A refused token (401/403) or one that
// could not be checked is saved only after the user insists ("Save anyway"). The token goes to
// the keychain only (SessionManager::saveProfile); keychain errors are shown in words, and when the
// keychain cannot be used the dialog offers "Use for this session only" (the token then lives in
// SessionManager's memory until the app quits; keptForSessionOnly() is true). The dialog never
// waits on the network or the keychain: it is fully asynchronous; open() it, or exec() it.
// The token field is cleared when the dialog closes; its text is never logged.
#pragma once

#include "apierror.h"
#include "profile.h"

#include <QColor>
#include <QDialog>
#include <QList>

class QCheckBox;
class QLabel;
class ProfileColorPicker;
class QLineEdit;
class QPushButton;
class SessionManager;
class TokenValidator;
struct Me;

class ProfileDialog : public QDialog
{
    Q_OBJECT
public:
    ProfileDialog(SessionManager *sessions, const Profile &profile, QWidget *parent = nullptr);
    ~ProfileDialog() override;

    // Pre-fills the token field (e.g. from PRISMA_SERVICE_TOKEN); the caller should wipe its copy.
    void setToken(const QByteArray &token);
    // Sets the explanatory line at the top (e.g. "PRISMA_SERVICE_TOKEN is set: save it as a profile?").
    void setIntro(const QString &text);

    // The saved profile, once accepted.
    const Profile &profile() const { return m_profile; }
    // True when the token was kept in memory for this session only.
    bool keptForSessionOnly() const { return m_sessionOnly; }
    QColor color() const { return m_color; }
    void setColor(const QColor &color);

    // Accent colours offered as swatches (ProfileColorPicker::palette()).
    static QList<QColor> palette();

    // For tests and screenshots.
    QLineEdit *nameEdit() const { return m_name; }
    QLineEdit *urlEdit() const { return m_url; }
    QLineEdit *tokenEdit() const { return m_token; }
    QCheckBox *keepConnectionStringsBox() const { return m_keepStrings; }
    QPushButton *checkButton() const { return m_check; }
    QPushButton *saveButton() const { return m_save; }
    QPushButton *saveAnywayButton() const { return m_saveAnyway; }
    QPushButton *sessionOnlyButton() const { return m_sessionOnlyButton; }
    QLabel *problemLabel() const { return m_problem; }
    QLabel *checkLabel() const { return m_checkResult; }

    void done(int result) override;

private:
    enum class Check { None, Running, Passed, Refused, Unchecked };

    Profile edited() const;
    void validate();
    void tokenOrUrlEdited();
    void startCheck(bool thenSave);
    void onChecked(const Me &me);
    void onCheckFailed(const ApiError &error);
    void save(bool insisted);
    void store(bool sessionOnly);
    void setBusy(bool busy);

    SessionManager *m_sessions;
    TokenValidator *m_validator;
    Profile m_profile;
    QColor m_color;
    Check m_checkState = Check::None;
    bool m_saveAfterCheck = false;
    bool m_sessionOnly = false;
    bool m_busy = false;
    QString m_unavailableProfileId; // last keychainUnavailable() for this dialog's profile

    QLabel *m_intro;
    QLineEdit *m_name;
    QLineEdit *m_url;
    QLineEdit *m_token;
    QPushButton *m_check;
    QLabel *m_checkResult;
    ProfileColorPicker *m_colorPicker;
    QCheckBox *m_keepStrings;
    QLabel *m_problem;
    QPushButton *m_save;
    QPushButton *m_saveAnyway;
    QPushButton *m_sessionOnlyButton;
};

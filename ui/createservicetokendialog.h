// CreateServiceTokenDialog: asks what a new service token of a workspace needs: the token's name
// (1 to 255 characters, ServiceTokenPolicy::validateName), the name of the profile that will keep
// it (unique among profiles, ProfileStore::validateName) and that profile's colour (ProfileColorPicker,
// as ProfileDialog offers it). The profile name follows the token name until it is edited. Create stays
// disabled, with the reason shown, until both names are valid. It shows no token and takes none:
// the value goes from the service to the keychain without reaching a widget
// (ServiceTokenWorkflow). It sends nothing itself.
#pragma once

#include <QColor>
#include <QDialog>

class ProfileColorPicker;
class ProfileStore;
class QLabel;
class QLineEdit;
class QPushButton;

class CreateServiceTokenDialog : public QDialog
{
    Q_OBJECT
public:
    // `profiles` (not owned) validates the profile name.
    CreateServiceTokenDialog(const ProfileStore *profiles, const QString &workspaceName, QWidget *parent = nullptr);

    QString tokenName() const; // trimmed
    QString profileName() const; // trimmed
    QColor color() const; // invalid: none
    void setColor(const QColor &color); // invalid for none

    // For tests.
    QLineEdit *tokenNameEdit() const { return m_tokenName; }
    QLineEdit *profileNameEdit() const { return m_profileName; }
    QPushButton *createButton() const { return m_create; }
    QLabel *problemLabel() const { return m_problem; }

private:
    void validate();

    const ProfileStore *m_profiles;
    bool m_profileNameEdited = false;
    QLineEdit *m_tokenName;
    QLineEdit *m_profileName;
    ProfileColorPicker *m_colorPicker;
    QLabel *m_problem;
    QPushButton *m_create;
};

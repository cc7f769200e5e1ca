// RotateConfirmDialog: the confirmation before POST /v1/connections/{id}/rotate.
//
// Names the connection (and its database when known), says what rotation does (the service issues
// a new password and revokes the old one, best effort), that apps still using the old connection
// string will fail to connect until they get the new one, and that the new string is shown only
// once. The button names the action ("Rotate Credentials"); Cancel is the default button, so
// Enter does not rotate. Accepted means "rotate". The texts are available as static functions
// for callers that use another confirmation widget.
#pragma once

#include <QDialog>

class QPushButton;

class RotateConfirmDialog : public QDialog
{
    Q_OBJECT
public:
    explicit RotateConfirmDialog(
        const QString &connectionName, const QString &databaseName = {}, QWidget *parent = nullptr);

    QPushButton *rotateButton() const { return m_rotate; }
    QPushButton *cancelButton() const { return m_cancel; }

    // "Rotate the credentials of the connection “app” to “shop”?"
    static QString questionText(const QString &connectionName, const QString &databaseName = {});
    // What happens to apps using the old credentials, and that the new string is shown once.
    static QString consequencesText();

private:
    QPushButton *m_rotate = nullptr;
    QPushButton *m_cancel = nullptr;
};

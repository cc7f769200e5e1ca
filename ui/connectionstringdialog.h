// ConnectionStringDialog: shows a connection string the service returns only once (after create
// or rotate), masked by default, with a reveal toggle and a Copy button (SecretClipboard).
#pragma once

#include "resources.h"

#include <QDialog>

class QLineEdit;
class QPushButton;
class SecretClipboard;

class ConnectionStringDialog : public QDialog
{
    Q_OBJECT
public:
    ConnectionStringDialog(const QString &title, const Connection &connection, SecretClipboard *clipboard,
                           QWidget *parent = nullptr);

    QPushButton *copyButton() const { return m_copy; }

private:
    QLineEdit *m_field;
    QPushButton *m_copy;
};

// DeleteConfirmDialog: the one confirmation for every delete.
//
// Names the resource, lists exactly what will go with it, warns that apps using those
// connections lose access at once, and names its button for the action ("Delete project").
// Cancel is the default button. When `requireTypedName` is set (projects and databases), the
// delete button stays disabled until the user has typed the resource's name exactly.
#pragma once

#include <QDialog>

class QLineEdit;
class QPushButton;

class DeleteConfirmDialog : public QDialog
{
    Q_OBJECT
public:
    // `kind` is the translated resource kind ("project"); `consequences` lists what goes with it.
    DeleteConfirmDialog(const QString &kind, const QString &name, const QStringList &consequences,
        bool requireTypedName, QWidget *parent = nullptr);

    QPushButton *deleteButton() const { return m_deleteButton; }
    QPushButton *cancelButton() const { return m_cancelButton; }
    QLineEdit *nameEdit() const { return m_nameEdit; } // nullptr when no typing is required

private:
    QString m_name;
    QLineEdit *m_nameEdit = nullptr;
    QPushButton *m_deleteButton = nullptr;
    QPushButton *m_cancelButton = nullptr;
};

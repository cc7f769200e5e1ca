// TransferDialog: asks where a project goes and has its name typed before it moves.
//
// The destinations are saved profiles other than the active one (the project goes to the
// workspace of the chosen profile's token, which the console sends as recipientAccessToken and
// never shows). Says what moves (the project with its databases and connections), what stays
// (connection strings keep working) and what changes (this profile loses it). Cancel is the
// default button; Transfer stays disabled until the project's name is typed exactly.
#pragma once

#include "profile.h"

#include <QDialog>
#include <QList>

class QComboBox;
class QLineEdit;
class QPushButton;

class TransferDialog : public QDialog
{
    Q_OBJECT
public:
    TransferDialog(const QString &projectName, const QString &fromProfile, const QList<Profile> &destinations,
        QWidget *parent = nullptr);

    // The chosen destination profile's id.
    QString destinationId() const;
    QComboBox *destinationBox() const { return m_destination; }
    QLineEdit *nameEdit() const { return m_nameEdit; }
    QPushButton *transferButton() const { return m_transferButton; }

private:
    QString m_name;
    QComboBox *m_destination;
    QLineEdit *m_nameEdit;
    QPushButton *m_transferButton;
};

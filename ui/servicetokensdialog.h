// ServiceTokensDialog: one workspace's service tokens in a table (ServiceTokenModel: name, value
// hint, created and expiry in local time, the saved profiles that use each token, "this profile"
// for the active one), with Create Token…, Revoke… and Close.
//
// While the list loads it shows a busy bar and says so; a failure is said in words with what to
// do, and Retry lists again. Delete (Del) on the table asks to revoke the selected token, as
// Revoke… does; Enter never revokes (Close is the default button). A status line under the table
// says what the last operation did. The dialog sends nothing: ServiceTokenController fills it
// and answers its requests. It never shows a token's value (the model holds none).
#pragma once

#include <QDialog>

class QLabel;
class QProgressBar;
class QPushButton;
class QTableView;
class ServiceTokenModel;

class ServiceTokensDialog : public QDialog
{
    Q_OBJECT
public:
    // `model` (not owned) holds the rows; `workspaceName` names the workspace in the title.
    ServiceTokensDialog(ServiceTokenModel *model, const QString &workspaceName, QWidget *parent = nullptr);

    // The list is loading: busy bar, `text` (default: "Listing…"), Retry hidden.
    void showListing(const QString &text = {});
    // The list arrived: `text`, or by default the row count or the empty state, in the status line.
    void showListed(const QString &text = {});
    // Listing failed: `message` (what happened and what to do) and Retry.
    void showListFailed(const QString &message);
    // An operation (create, revoke) runs: busy bar and `text`; Create and Revoke wait.
    void showWorking(const QString &text);
    // The outcome of an operation, in the status line (the busy bar goes).
    void showStatus(const QString &text);

    // The id of the selected token (empty when none).
    QString selectedTokenId() const;
    void selectToken(const QString &id);

    // For tests.
    QTableView *table() const { return m_table; }
    QLabel *statusLabel() const { return m_status; }
    QProgressBar *busyBar() const { return m_busy; }
    QPushButton *createButton() const { return m_create; }
    QPushButton *revokeButton() const { return m_revoke; }
    QPushButton *retryButton() const { return m_retry; }
    QPushButton *closeButton() const { return m_close; }

Q_SIGNALS:
    void createRequested();
    void revokeRequested(const QString &tokenId);
    void retryRequested();

private:
    void setWorking(bool working);
    void updateButtons();
    void requestRevoke();

    ServiceTokenModel *m_model;
    bool m_working = false;
    QTableView *m_table;
    QLabel *m_status;
    QProgressBar *m_busy;
    QPushButton *m_create;
    QPushButton *m_revoke;
    QPushButton *m_retry;
    QPushButton *m_close;
};

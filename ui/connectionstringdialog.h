// ConnectionStringDialog: offers a connection's connection string in every useful format.
//
// - A format picker (ConnectionStrings::offers(): Direct URL, Pooled URL, Accelerate URL when the
//   connection has one, a .env line, a psql command; then ConnectSnippets::offers(): the Prisma ORM
//   files, node-postgres, and Alchemy when the context has the project's and database's ids).
// - A read-only field (one-line forms) or a read-only multi-line view (snippets, monospaced, with a
//   line saying where the snippet goes) that holds only the MASKED form (password as dots) unless
//   "Show" is on; while hidden, neither widget contains the secret, so nothing secret can be drawn,
//   read back or grabbed from it. In the multi-line view Ctrl+C is Copy (the secret clipboard).
// - Copy (SecretClipboard: hint types, cleared after its delay, countdown shown here too).
// - Test connection (ConnectionTester, off the GUI thread; libpq with the chosen string) showing
//   the server version and timings or the problem in plain words.
// - Write to .env… (a file chosen with QFileDialog; EnvFile::write sets DATABASE_URL, keeps the
//   rest; then `git check-ignore` and a warning when the file is not ignored).
// - A note: for Source::Created / Rotated the service shows the string only now.
// The dialog makes no API call and logs nothing. Test hooks: the accessors below and
// setEnvFileChooser() (replaces the file dialog).
#pragma once

#include "connectionstrings.h"
#include "connectsnippets.h"
#include "resources.h"

#include <QDialog>

#include <functional>
#include <vector>

class ConnectionTester;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class SecretClipboard;

class ConnectionStringDialog : public QDialog
{
    Q_OBJECT
public:
    enum class Source {
        Created, // right after create: shown only now
        Rotated, // right after rotate: shown only now, the old string stops working
        Vault // read back from the keychain vault
    };

    // `context` says where the connection lives (the Alchemy snippets need its ids).
    ConnectionStringDialog(const QString &title, const Connection &connection, SecretClipboard *clipboard,
        QWidget *parent = nullptr, Source source = Source::Created, const ConnectSnippets::Context &context = {});
    ~ConnectionStringDialog() override;

    // Selects the offer with `format`; false if the connection has none.
    bool selectFormat(ConnectionStrings::Format format);
    ConnectionStrings::Format currentFormat() const;
    bool isRevealed() const;

    // Replaces the QFileDialog of "Write to .env…" (tests); returns a path or empty to cancel.
    void setEnvFileChooser(std::function<QString()> chooser) { m_chooseEnvFile = std::move(chooser); }

    QComboBox *formatPicker() const { return m_picker; }
    QLineEdit *field() const { return m_field; } // one-line forms; empty while a snippet is shown
    QPlainTextEdit *snippetView() const { return m_snippet; } // snippets; empty while a one-line form is shown
    QLabel *hintLabel() const { return m_hint; } // where the current snippet goes
    QCheckBox *showToggle() const { return m_show; }
    QPushButton *copyButton() const { return m_copy; }
    QPushButton *testButton() const { return m_test; }
    QPushButton *envButton() const { return m_env; }
    QLabel *statusLabel() const { return m_status; } // copy and .env outcomes
    QLabel *testResultLabel() const { return m_testResult; } // Test connection outcome
    ConnectionTester *tester() const { return m_tester; }

Q_SIGNALS:
    // After "Write to .env…" succeeded (path only; for the activity log).
    void envFileWritten(const QString &path);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void showCurrent();
    void copyCurrent();
    void testCurrent();
    void writeEnvFile();
    const ConnectionStrings::Offer *current() const;
    void setStatus(const QString &text, bool warning = false);

    std::vector<ConnectionStrings::Offer> m_offers;
    SecretClipboard *m_clipboard;
    ConnectionTester *m_tester;
    std::function<QString()> m_chooseEnvFile;
    QComboBox *m_picker = nullptr;
    QLineEdit *m_field = nullptr;
    QPlainTextEdit *m_snippet = nullptr;
    QLabel *m_hint = nullptr;
    QLabel *m_valueLabel = nullptr;
    QCheckBox *m_show = nullptr;
    QPushButton *m_copy = nullptr;
    QPushButton *m_test = nullptr;
    QPushButton *m_env = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_testResult = nullptr;
};

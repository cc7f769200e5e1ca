#include "connectionstringdialog.h"

#include "connectiontester.h"
#include "envfile.h"
#include "secretclipboard.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QVBoxLayout>

using ConnectionStrings::Format;
using ConnectionStrings::Offer;

namespace {

bool isSnippet(const Offer &o)
{
    return o.masked.contains(QLatin1Char('\n'));
}

} // namespace

ConnectionStringDialog::ConnectionStringDialog(const QString &title, const Connection &connection,
    SecretClipboard *clipboard, QWidget *parent, Source source, const ConnectSnippets::Context &context)
    : QDialog(parent)
    , m_offers(ConnectionStrings::offers(connection))
    , m_clipboard(clipboard)
    , m_tester(new ConnectionTester(this))
{
    for (Offer &o : ConnectSnippets::offers(connection, context))
        m_offers.push_back(std::move(o));
    setWindowTitle(tr("Connection string"));
    setMinimumWidth(640);
    auto *layout = new QVBoxLayout(this);

    QString note;
    switch (source) {
    case Source::Created:
        note = tr("The service shows this connection string only now. Copy it, or write it to your app's .env "
                  "file, before you close this window.");
        break;
    case Source::Rotated:
        note = tr("These are the new credentials; the old connection string no longer works. The service shows "
                  "the new one only now. Copy it, or write it to your app's .env file, before you close this "
                  "window.");
        break;
    case Source::Vault:
        note = tr("This connection string comes from your keychain.");
        break;
    }
    auto *intro = new QLabel(QStringLiteral("<b>%1</b><br>%2").arg(title.toHtmlEscaped(), note.toHtmlEscaped()), this);
    intro->setObjectName(QStringLiteral("intro"));
    intro->setWordWrap(true);
    layout->addWidget(intro);

    auto *form = new QFormLayout;
    m_picker = new QComboBox(this);
    for (const Offer &o : m_offers)
        m_picker->addItem(o.label, int(o.format));
    auto *formatLabel = new QLabel(tr("&Format:"), this);
    formatLabel->setBuddy(m_picker);
    form->addRow(formatLabel, m_picker);

    m_field = new QLineEdit(this);
    m_field->setReadOnly(true);
    m_field->setAccessibleName(tr("Connection string"));
    m_field->setContextMenuPolicy(Qt::NoContextMenu); // copying goes through Copy (SecretClipboard)
    m_snippet = new QPlainTextEdit(this);
    m_snippet->setObjectName(QStringLiteral("snippet"));
    m_snippet->setReadOnly(true);
    m_snippet->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_snippet->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_snippet->setAccessibleName(tr("Code"));
    m_snippet->setContextMenuPolicy(Qt::NoContextMenu); // copying goes through Copy (SecretClipboard)
    m_snippet->setMinimumHeight(m_snippet->fontMetrics().lineSpacing() * 17);
    m_snippet->installEventFilter(this);
    m_snippet->hide();
    m_hint = new QLabel(this);
    m_hint->setObjectName(QStringLiteral("hint"));
    m_hint->setTextFormat(Qt::PlainText);
    m_hint->setWordWrap(true);
    m_hint->hide();
    m_show = new QCheckBox(tr("&Show password"), this);
    auto *values = new QVBoxLayout;
    values->addWidget(m_field);
    values->addWidget(m_snippet);
    values->addWidget(m_hint);
    m_valueLabel = new QLabel(tr("&Value:"), this);
    m_valueLabel->setBuddy(m_field);
    form->addRow(m_valueLabel, values);
    layout->addLayout(form);

    auto *actions = new QHBoxLayout;
    m_copy = new QPushButton(tr("&Copy"), this);
    m_copy->setDefault(true);
    m_test = new QPushButton(tr("&Test Connection"), this);
    m_env = new QPushButton(tr("Write to .&env…"), this);
    actions->addWidget(m_copy);
    actions->addWidget(m_test);
    actions->addWidget(m_env);
    actions->addStretch(1);
    actions->addWidget(m_show); // beside the actions, so code gets the dialog's full width
    layout->addLayout(actions);

    m_testResult = new QLabel(this);
    m_testResult->setObjectName(QStringLiteral("testResult"));
    m_testResult->setTextFormat(Qt::PlainText);
    m_testResult->setWordWrap(true);
    m_testResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_testResult);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("status"));
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);
    layout->addWidget(m_status);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);

    if (m_offers.empty()) {
        m_field->setPlaceholderText(tr("The service returned no connection string for this connection."));
        for (QWidget *w : { static_cast<QWidget *>(m_picker), static_cast<QWidget *>(m_show),
                 static_cast<QWidget *>(m_copy), static_cast<QWidget *>(m_test), static_cast<QWidget *>(m_env) })
            w->setEnabled(false);
    }

    connect(m_picker, &QComboBox::currentIndexChanged, this, [this] {
        m_testResult->clear();
        showCurrent();
    });
    connect(m_show, &QCheckBox::toggled, this, &ConnectionStringDialog::showCurrent);
    connect(m_copy, &QPushButton::clicked, this, &ConnectionStringDialog::copyCurrent);
    connect(m_test, &QPushButton::clicked, this, &ConnectionStringDialog::testCurrent);
    connect(m_env, &QPushButton::clicked, this, &ConnectionStringDialog::writeEnvFile);
    connect(m_tester, &ConnectionTester::finished, this, [this](const ConnectionTester::Result &r) {
        m_test->setEnabled(current() && current()->testable);
        if (r.ok()) {
            m_testResult->setText(tr("Connected to PostgreSQL %1%2 in %3 ms; a query round trip took %4 ms.")
                                      .arg(r.serverVersion, r.tls ? tr(" over TLS") : tr(" without TLS"))
                                      .arg(qint64(r.connectTime.count()))
                                      .arg(qint64(r.roundTrip.count())));
        } else {
            m_testResult->setText(r.detail.isEmpty() ? r.message : tr("%1\nlibpq says: %2").arg(r.message, r.detail));
        }
    });
    if (m_clipboard) {
        connect(m_clipboard, &SecretClipboard::countdown, this, [this](int left) {
            if (left > 0)
                setStatus(tr("Copied. The clipboard is cleared in %n second(s).", nullptr, left));
        });
        connect(m_clipboard, &SecretClipboard::finished, this, [this](bool clearedByUs) {
            if (m_copy->text() != tr("&Copy"))
                setStatus(clearedByUs ? tr("The clipboard was cleared.") : QString());
            m_copy->setText(tr("&Copy"));
        });
    }
    showCurrent();
}

ConnectionStringDialog::~ConnectionStringDialog() = default;

const Offer *ConnectionStringDialog::current() const
{
    const int i = m_picker->currentIndex();
    return i >= 0 && size_t(i) < m_offers.size() ? &m_offers[size_t(i)] : nullptr;
}

bool ConnectionStringDialog::selectFormat(Format format)
{
    const int i = m_picker->findData(int(format));
    if (i < 0)
        return false;
    m_picker->setCurrentIndex(i);
    return true;
}

Format ConnectionStringDialog::currentFormat() const
{
    const Offer *o = current();
    return o ? o->format : Format::Direct;
}

bool ConnectionStringDialog::isRevealed() const
{
    return m_show->isChecked();
}

void ConnectionStringDialog::showCurrent()
{
    const Offer *o = current();
    if (!o) {
        m_field->clear();
        m_snippet->clear();
        return;
    }
    // While hidden the widgets hold the masked text only, never the secret; the one not in use is empty.
    const QString shown = m_show->isChecked() ? o->text : o->masked;
    const bool snippet = isSnippet(*o);
    m_field->setVisible(!snippet);
    m_snippet->setVisible(snippet);
    m_valueLabel->setBuddy(snippet ? static_cast<QWidget *>(m_snippet) : m_field); // Alt+V reaches the one shown
    if (snippet) {
        m_field->clear();
        m_snippet->setPlainText(shown);
        const QString hint = ConnectSnippets::setupHint(o->format);
        m_hint->setText(hint);
        m_hint->setVisible(!hint.isEmpty());
    } else {
        m_snippet->clear();
        m_hint->clear();
        m_hint->hide();
        m_field->setText(shown);
        m_field->setCursorPosition(0);
    }
    // A snippet that reads the string from the environment has no password to show.
    m_show->setEnabled(o->text != o->masked || m_show->isChecked());
    m_test->setEnabled(o->testable && !m_tester->isBusy());
    m_test->setToolTip(
        o->testable ? QString() : tr("Accelerate URLs are used by Prisma Client; libpq cannot test them."));
}

bool ConnectionStringDialog::eventFilter(QObject *watched, QEvent *event)
{
    // Ctrl+C in the multi-line view copies the whole snippet as a secret, never a plain selection.
    if (watched == m_snippet && event->type() == QEvent::KeyPress
        && static_cast<QKeyEvent *>(event)->matches(QKeySequence::Copy)) {
        copyCurrent();
        return true;
    }
    return QDialog::eventFilter(watched, event);
}

void ConnectionStringDialog::copyCurrent()
{
    const Offer *o = current();
    if (!o || !m_clipboard)
        return;
    m_clipboard->copySecret(o->text);
    m_copy->setText(tr("Copied"));
    if (m_clipboard->clearAfter() == 0)
        setStatus(tr("Copied. The clipboard is cleared when the console quits."));
}

void ConnectionStringDialog::testCurrent()
{
    const Offer *o = current();
    if (!o || !o->testable)
        return;
    if (!m_tester->test(o->url))
        return;
    m_test->setEnabled(false);
    m_testResult->setText(tr("Connecting…"));
}

void ConnectionStringDialog::writeEnvFile()
{
    const Offer *o = current();
    if (!o)
        return;
    QString path;
    if (m_chooseEnvFile) {
        path = m_chooseEnvFile();
    } else {
        path = QFileDialog::getSaveFileName(this, tr("Write DATABASE_URL to a .env file"),
            QDir::home().filePath(QStringLiteral(".env")), tr(".env files (.env .env.* *.env);;All files (*)"), nullptr,
            QFileDialog::DontConfirmOverwrite);
    }
    if (path.isEmpty())
        return;
    const QString variable = QStringLiteral("DATABASE_URL");
    const EnvFile::WriteResult r = EnvFile::write(path, variable, o->url);
    if (!r.ok) {
        setStatus(r.error, true);
        return;
    }
    const QString shown = QDir::toNativeSeparators(path);
    QString done = r.created ? tr("Created %1 with %2.").arg(shown, variable)
        : r.change.replaced  ? tr("Replaced %1 in %2.").arg(variable, shown)
                             : tr("Added %1 to %2.").arg(variable, shown);
    if (r.change.removedDuplicates > 0)
        done += QLatin1Char(' ') + tr("Removed %n later definition(s) of it.", nullptr, r.change.removedDuplicates);
    setStatus(done);
    Q_EMIT envFileWritten(path);
    EnvFile::checkGitIgnored(path, this, [this, done, shown](EnvFile::GitStatus status) {
        if (status == EnvFile::GitStatus::NotIgnored) {
            setStatus(done + QLatin1Char('\n')
                    + tr("Warning: git does not ignore %1 in its repository, so the password could be committed. "
                         "Add it to .gitignore.")
                          .arg(shown),
                true);
        } else if (status == EnvFile::GitStatus::Failed) {
            setStatus(done + QLatin1Char('\n') + tr("Could not check whether git ignores this file."));
        }
    });
}

void ConnectionStringDialog::setStatus(const QString &text, bool warning)
{
    m_status->setText(text);
    m_status->setStyleSheet(warning ? QStringLiteral("color: #c62828; font-weight: bold;") : QString());
}

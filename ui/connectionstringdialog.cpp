#include "connectionstringdialog.h"

#include "secretclipboard.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

ConnectionStringDialog::ConnectionStringDialog(const QString &title, const Connection &connection,
                                               SecretClipboard *clipboard, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Connection string"));
    setMinimumWidth(560);
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("<b>%1</b><br>The service shows this connection string only now. "
                                "Copy it to where your app keeps its secrets.").arg(title.toHtmlEscaped()), this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    const Endpoint *endpoint = connection.direct && !connection.direct->connectionString.isEmpty() ? &*connection.direct
                             : connection.pooled && !connection.pooled->connectionString.isEmpty() ? &*connection.pooled
                                                                                                     : nullptr;
    m_field = new QLineEdit(this);
    m_field->setReadOnly(true);
    m_field->setEchoMode(QLineEdit::Password);
    m_field->setAccessibleName(tr("Connection string"));
    if (endpoint)
        m_field->setText(endpoint->connectionString);

    auto *row = new QHBoxLayout;
    row->addWidget(m_field, 1);
    auto *reveal = new QCheckBox(tr("&Show"), this);
    row->addWidget(reveal);
    m_copy = new QPushButton(tr("&Copy"), this);
    m_copy->setDefault(true);
    row->addWidget(m_copy);
    layout->addLayout(row);

    connect(reveal, &QCheckBox::toggled, this,
            [this](bool on) { m_field->setEchoMode(on ? QLineEdit::Normal : QLineEdit::Password); });
    connect(m_copy, &QPushButton::clicked, this, [this, clipboard] {
        clipboard->copySecret(m_field->text());
        m_copy->setText(tr("Copied"));
    });

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
}

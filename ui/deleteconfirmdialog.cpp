#include "deleteconfirmdialog.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

DeleteConfirmDialog::DeleteConfirmDialog(
    const QString &kind, const QString &name, const QStringList &consequences, bool requireTypedName, QWidget *parent)
    : QDialog(parent), m_name(name)
{
    setWindowTitle(tr("Delete %1").arg(kind));
    auto *layout = new QVBoxLayout(this);

    auto *headline = new QLabel(tr("<b>Delete the %1 “%2”?</b>").arg(kind, name.toHtmlEscaped()), this);
    headline->setTextFormat(Qt::RichText);
    layout->addWidget(headline);

    if (!consequences.isEmpty()) {
        QString list = tr("This will permanently delete:") + QStringLiteral("<ul>");
        for (const QString &c : consequences)
            list += QStringLiteral("<li>%1</li>").arg(c.toHtmlEscaped());
        list += QStringLiteral("</ul>");
        auto *what = new QLabel(list, this);
        what->setTextFormat(Qt::RichText);
        what->setWordWrap(true);
        layout->addWidget(what);
    }

    auto *warning = new QLabel(tr("Apps using these connections lose access at once. This cannot be undone."), this);
    warning->setWordWrap(true);
    layout->addWidget(warning);

    if (requireTypedName) {
        auto *prompt = new QLabel(tr("Type <b>%1</b> to confirm:").arg(name.toHtmlEscaped()), this);
        prompt->setTextFormat(Qt::RichText);
        layout->addWidget(prompt);
        m_nameEdit = new QLineEdit(this);
        m_nameEdit->setAccessibleName(tr("Name to confirm"));
        m_nameEdit->setPlaceholderText(name);
        prompt->setBuddy(m_nameEdit);
        layout->addWidget(m_nameEdit);
    }

    auto *buttons = new QDialogButtonBox(this);
    m_deleteButton = buttons->addButton(tr("Delete %1").arg(kind), QDialogButtonBox::DestructiveRole);
    m_deleteButton->setIcon(style()->standardIcon(QStyle::SP_TrashIcon));
    m_cancelButton = buttons->addButton(QDialogButtonBox::Cancel);
    m_deleteButton->setAutoDefault(false);
    m_deleteButton->setDefault(false);
    m_cancelButton->setDefault(true);
    layout->addWidget(buttons);

    connect(m_deleteButton, &QPushButton::clicked, this, &QDialog::accept);
    connect(m_cancelButton, &QPushButton::clicked, this, &QDialog::reject);

    if (m_nameEdit) {
        m_deleteButton->setEnabled(false);
        connect(m_nameEdit, &QLineEdit::textChanged, this,
            [this](const QString &typed) { m_deleteButton->setEnabled(typed == m_name); });
        m_nameEdit->setFocus();
    } else {
        m_cancelButton->setFocus();
    }
}

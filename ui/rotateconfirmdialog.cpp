#include "rotateconfirmdialog.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

RotateConfirmDialog::RotateConfirmDialog(const QString &connectionName, const QString &databaseName, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Rotate credentials"));
    auto *layout = new QVBoxLayout(this);
    auto *top = new QHBoxLayout;
    auto *icon = new QLabel(this);
    const int size = style()->pixelMetric(QStyle::PM_MessageBoxIconSize, nullptr, this);
    icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxWarning, nullptr, this).pixmap(size, size));
    icon->setAlignment(Qt::AlignTop);
    top->addWidget(icon);
    auto *texts = new QVBoxLayout;
    auto *question
        = new QLabel(QStringLiteral("<b>%1</b>").arg(questionText(connectionName, databaseName).toHtmlEscaped()), this);
    question->setObjectName(QStringLiteral("question"));
    question->setWordWrap(true);
    texts->addWidget(question);
    auto *consequences = new QLabel(consequencesText(), this);
    consequences->setObjectName(QStringLiteral("consequences"));
    consequences->setWordWrap(true);
    texts->addWidget(consequences);
    top->addLayout(texts, 1);
    layout->addLayout(top);

    auto *buttons = new QDialogButtonBox(this);
    m_rotate = buttons->addButton(tr("&Rotate Credentials"), QDialogButtonBox::DestructiveRole);
    m_cancel = buttons->addButton(QDialogButtonBox::Cancel);
    m_rotate->setAutoDefault(false);
    m_cancel->setDefault(true);
    m_cancel->setFocus();
    connect(m_rotate, &QPushButton::clicked, this, &QDialog::accept);
    connect(m_cancel, &QPushButton::clicked, this, &QDialog::reject);
    layout->addWidget(buttons);
    setMinimumWidth(460);
}

QString RotateConfirmDialog::questionText(const QString &connectionName, const QString &databaseName)
{
    return databaseName.isEmpty()
        ? tr("Rotate the credentials of the connection “%1”?").arg(connectionName)
        : tr("Rotate the credentials of the connection “%1” to “%2”?").arg(connectionName, databaseName);
}

QString RotateConfirmDialog::consequencesText()
{
    return tr("The service issues a new password and revokes the old one. Every app, script or .env file that "
              "still uses the old connection string will fail to connect until you give it the new one.\n\n"
              "The new connection string is shown only once, right after the rotation: copy it or write it to "
              "your .env file then.");
}

#include "transferdialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPainter>
#include <QPixmap>
#include <QPushButton>
#include <QVBoxLayout>

namespace {
// A small square of the profile's colour, as the profile switcher shows it.
QIcon colourIcon(const QColor &colour)
{
    QPixmap pixmap(12, 12);
    pixmap.fill(colour.isValid() ? colour : QColor(Qt::transparent));
    return QIcon(pixmap);
}
} // namespace

TransferDialog::TransferDialog(
    const QString &projectName, const QString &fromProfile, const QList<Profile> &destinations, QWidget *parent)
    : QDialog(parent), m_name(projectName), m_destination(new QComboBox(this)), m_nameEdit(new QLineEdit(this))
{
    setWindowTitle(tr("Transfer Project"));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("<p>Project <b>%1</b> moves, with its databases and connections, to the workspace of "
                                "the profile you choose. Its connection strings keep working.</p>"
                                "<p>Profile “%2” loses access to it; only the destination's profiles see it "
                                "afterwards.</p>")
                                 .arg(m_name.toHtmlEscaped(), fromProfile.toHtmlEscaped()),
        this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    auto *form = new QFormLayout;
    for (const Profile &p : destinations)
        m_destination->addItem(colourIcon(p.color), p.name, p.id);
    m_destination->setAccessibleName(tr("Destination profile"));
    form->addRow(tr("&Destination profile:"), m_destination);
    m_nameEdit->setAccessibleName(tr("Name to confirm"));
    m_nameEdit->setPlaceholderText(m_name);
    form->addRow(tr("Type “%1” to confirm:").arg(m_name), m_nameEdit);
    layout->addLayout(form);

    auto *buttons = new QDialogButtonBox(this);
    m_transferButton = buttons->addButton(tr("Transfer Project"), QDialogButtonBox::AcceptRole);
    QPushButton *cancel = buttons->addButton(QDialogButtonBox::Cancel);
    cancel->setDefault(true);
    m_transferButton->setEnabled(false);
    m_transferButton->setAutoDefault(false);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_nameEdit, &QLineEdit::textChanged, this, [this](const QString &typed) {
        m_transferButton->setEnabled(typed == m_name && m_destination->currentIndex() >= 0);
    });
    m_nameEdit->setFocus();
}

QString TransferDialog::destinationId() const
{
    return m_destination->currentData().toString();
}

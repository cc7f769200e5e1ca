#include "createresourcedialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStandardItemModel>
#include <QVBoxLayout>

CreateResourceDialog::CreateResourceDialog(ResourceKind kind, QWidget *parent) : QDialog(parent), m_kind(kind)
{
    // ResourceKind starts with Workspace: name each kind, never index by its value.
    switch (kind) {
    case ResourceKind::Project:
        setWindowTitle(tr("New project"));
        break;
    case ResourceKind::Database:
        setWindowTitle(tr("New database"));
        break;
    default:
        setWindowTitle(tr("New connection"));
        break;
    }

    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    layout->addLayout(form);

    m_nameEdit = new QLineEdit(this);
    m_nameEdit->setAccessibleName(tr("Name"));
    m_nameEdit->setMaxLength(200);
    form->addRow(tr("&Name:"), m_nameEdit);
    m_nameProblem = new QLabel(this);
    m_nameProblem->setStyleSheet(QStringLiteral("color: palette(highlight)"));
    m_nameProblem->setWordWrap(true);
    form->addRow(QString(), m_nameProblem);

    if (kind != ResourceKind::Connection) {
        m_region = new QComboBox(this);
        m_region->setAccessibleName(tr("Region"));
        m_region->addItem(
            kind == ResourceKind::Database ? tr("Same as the project") : tr("Service default"), QString());
        form->addRow(tr("&Region:"), m_region);
        m_option = new QCheckBox(kind == ResourceKind::Project ? tr("Create a &default database")
                                                               : tr("Make it the project's &default database"),
            this);
        m_option->setChecked(kind == ResourceKind::Project);
        form->addRow(QString(), m_option);
    }

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_createButton = buttons->addButton(tr("Create"), QDialogButtonBox::AcceptRole);
    m_createButton->setDefault(true);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_createButton, &QPushButton::clicked, this, [this] {
        // One click, one request: the button is off from here on.
        m_createButton->setEnabled(false);
        accept();
    });
    connect(m_nameEdit, &QLineEdit::textChanged, this, &CreateResourceDialog::validate);
    validate();
    m_nameEdit->setFocus();
}

QString CreateResourceDialog::validateName(const QString &name)
{
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty())
        return tr("Enter a name.");
    if (trimmed.size() > 100)
        return tr("Use at most 100 characters.");
    for (const QChar c : trimmed)
        if (c.category() == QChar::Other_Control)
            return tr("Control characters are not allowed.");
    return {};
}

void CreateResourceDialog::validate()
{
    const QString problem = validateName(m_nameEdit->text());
    // Say nothing about an empty field the user has not typed in yet.
    m_nameProblem->setText(m_nameEdit->text().isEmpty() ? QString() : problem);
    m_nameProblem->setVisible(!m_nameProblem->text().isEmpty());
    m_createButton->setEnabled(problem.isEmpty());
}

void CreateResourceDialog::setRegions(const std::vector<Region> &regions)
{
    if (!m_region)
        return;
    auto *model = qobject_cast<QStandardItemModel *>(m_region->model());
    for (const Region &r : regions) {
        m_region->addItem(
            r.available ? tr("%1 (%2)").arg(r.name, r.id) : tr("%1 (%2), unavailable").arg(r.name, r.id), r.id);
        if (!r.available && model)
            model->item(m_region->count() - 1)->setEnabled(false);
    }
}

QString CreateResourceDialog::name() const
{
    return m_nameEdit->text().trimmed();
}
QString CreateResourceDialog::region() const
{
    return m_region ? m_region->currentData().toString() : QString();
}
bool CreateResourceDialog::createDatabase() const
{
    return m_kind == ResourceKind::Project && m_option && m_option->isChecked();
}
bool CreateResourceDialog::makeDefault() const
{
    return m_kind == ResourceKind::Database && m_option && m_option->isChecked();
}

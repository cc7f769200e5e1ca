#include "restoredialog.h"

#include "detailspane.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

namespace {
QString backupText(const Backup &b)
{
    QString text = RestoreDialog::tr("%1 (%2)").arg(QLocale().toString(b.createdAt.toLocalTime(), QLocale::ShortFormat),
        DetailsPane::relativeTime(b.createdAt, QDateTime::currentDateTimeUtc()));
    if (b.size)
        text += RestoreDialog::tr(", %1").arg(QLocale().formattedDataSize(qint64(*b.size)));
    return text;
}
} // namespace

RestoreDialog::RestoreDialog(RestorePlan::Mode mode, const std::vector<Backup> &backups,
    const QString &preselectedBackupId, PlanFor planFor, QWidget *parent)
    : QDialog(parent), m_mode(mode), m_planFor(std::move(planFor))
{
    auto *layout = new QVBoxLayout(this);
    auto *headline = new QLabel(this);
    headline->setTextFormat(Qt::RichText);
    headline->setWordWrap(true);
    layout->addWidget(headline);
    auto *form = new QFormLayout;
    layout->addLayout(form);

    if (mode != RestorePlan::Mode::Clone) {
        m_backup = new QComboBox(this);
        m_backup->setObjectName(QStringLiteral("backupCombo"));
        m_backup->setAccessibleName(tr("Backup"));
        for (const Backup &b : backups) {
            if (!RestorePolicy::usable(b))
                continue;
            m_backups.push_back(b);
            m_backup->addItem(backupText(b), b.id);
        }
        const int pre = m_backup->findData(preselectedBackupId);
        m_backup->setCurrentIndex(pre >= 0 ? pre : 0);
        form->addRow(tr("&Backup:"), m_backup);
        connect(m_backup, &QComboBox::currentIndexChanged, this, &RestoreDialog::backupChanged);
    }
    if (mode != RestorePlan::Mode::InPlace) {
        m_name = new QLineEdit(this);
        m_name->setObjectName(QStringLiteral("nameEdit"));
        m_name->setAccessibleName(tr("New database name"));
        m_name->setMaxLength(255);
        form->addRow(tr("&Name:"), m_name);
        connect(m_name, &QLineEdit::textEdited, this, [this] { m_nameEdited = true; });
        connect(m_name, &QLineEdit::textChanged, this, &RestoreDialog::updateOk);
        m_region = new QComboBox(this);
        m_region->setObjectName(QStringLiteral("regionCombo"));
        m_region->setAccessibleName(tr("Region"));
        form->addRow(tr("&Region:"), m_region);
    } else {
        m_consequences = new QLabel(this);
        m_consequences->setTextFormat(Qt::RichText);
        m_consequences->setWordWrap(true);
        layout->addWidget(m_consequences);
        m_prompt = new QLabel(this);
        m_prompt->setTextFormat(Qt::RichText);
        layout->addWidget(m_prompt);
        m_confirm = new QLineEdit(this);
        m_confirm->setObjectName(QStringLiteral("confirmEdit"));
        m_confirm->setAccessibleName(tr("Name to confirm"));
        m_prompt->setBuddy(m_confirm);
        layout->addWidget(m_confirm);
        connect(m_confirm, &QLineEdit::textChanged, this, &RestoreDialog::updateOk);
    }

    auto *buttons = new QDialogButtonBox(this);
    QPushButton *cancel = buttons->addButton(QDialogButtonBox::Cancel);
    switch (mode) {
    case RestorePlan::Mode::NewDatabase:
        m_ok = buttons->addButton(tr("Restore into New Database"), QDialogButtonBox::AcceptRole);
        break;
    case RestorePlan::Mode::InPlace:
        m_ok = buttons->addButton(tr("Restore in Place"), QDialogButtonBox::DestructiveRole);
        m_ok->setIcon(style()->standardIcon(QStyle::SP_MessageBoxWarning));
        m_ok->setAutoDefault(false);
        cancel->setDefault(true);
        break;
    case RestorePlan::Mode::Clone:
        m_ok = buttons->addButton(tr("Clone"), QDialogButtonBox::AcceptRole);
        break;
    }
    m_ok->setObjectName(QStringLiteral("okButton"));
    layout->addWidget(buttons);
    connect(m_ok, &QPushButton::clicked, this, &QDialog::accept);
    connect(cancel, &QPushButton::clicked, this, &QDialog::reject);

    backupChanged();
    if (m_plan) {
        switch (mode) {
        case RestorePlan::Mode::NewDatabase:
            setWindowTitle(tr("Restore “%1” into a New Database").arg(m_plan->databaseName));
            headline->setText(tr("Restore a backup of <b>%1</b> into a new database of the same project. The "
                                 "database “%1” itself does not change.")
                                  .arg(m_plan->databaseName.toHtmlEscaped()));
            break;
        case RestorePlan::Mode::InPlace:
            setWindowTitle(tr("Restore “%1” in Place").arg(m_plan->databaseName));
            headline->setText(tr("<b>Restore the database “%1” in place?</b> This overwrites its data and cannot be "
                                 "undone. Restoring into a new database keeps it as it is.")
                                  .arg(m_plan->databaseName.toHtmlEscaped()));
            break;
        case RestorePlan::Mode::Clone:
            setWindowTitle(tr("Clone “%1”").arg(m_plan->databaseName));
            headline->setText(tr("Make a new database holding the data of <b>%1</b> as it is now.")
                                  .arg(m_plan->databaseName.toHtmlEscaped()));
            break;
        }
    }
    if (m_region && m_plan && !m_plan->region.isEmpty())
        m_region->addItem(m_plan->region, m_plan->region);
    if (m_confirm)
        m_confirm->setFocus();
    else if (m_name)
        m_name->setFocus();
    updateOk();
}

void RestoreDialog::setRegions(const std::vector<Region> &regions)
{
    if (!m_region)
        return;
    const QString picked = region();
    m_region->clear();
    for (const Region &r : regions) {
        if (!r.available && r.id != picked)
            continue;
        m_region->addItem(r.name.isEmpty() ? r.id : tr("%1 (%2)").arg(r.name, r.id), r.id);
    }
    const int i = m_region->findData(picked);
    if (i >= 0)
        m_region->setCurrentIndex(i);
    else if (!picked.isEmpty())
        m_region->insertItem(0, picked, picked);
}

QString RestoreDialog::name() const
{
    return m_name ? m_name->text().trimmed() : QString();
}

QString RestoreDialog::region() const
{
    return m_region ? m_region->currentData().toString() : QString();
}

void RestoreDialog::backupChanged()
{
    const Backup *backup = nullptr;
    if (m_backup) {
        const int i = m_backup->currentIndex();
        if (i >= 0 && i < int(m_backups.size()))
            backup = &m_backups[size_t(i)];
    }
    m_plan = (m_mode == RestorePlan::Mode::Clone || backup) ? m_planFor(backup) : std::nullopt;
    if (m_plan && m_name && !m_nameEdited)
        m_name->setText(m_plan->suggestedName);
    if (m_consequences) {
        QString list = tr("What happens:") + QStringLiteral("<ul>");
        if (m_plan)
            for (const QString &c : std::as_const(m_plan->consequences))
                list += QStringLiteral("<li>%1</li>").arg(c.toHtmlEscaped());
        m_consequences->setText(list + QStringLiteral("</ul>"));
    }
    if (m_prompt && m_plan)
        m_prompt->setText(tr("Type <b>%1</b> to confirm:").arg(m_plan->databaseName.toHtmlEscaped()));
    updateOk();
}

void RestoreDialog::updateOk()
{
    if (!m_ok)
        return;
    bool ok = m_plan.has_value();
    if (m_name)
        ok = ok && !name().isEmpty();
    if (m_confirm)
        ok = ok && m_plan && m_confirm->text() == m_plan->databaseName;
    m_ok->setEnabled(ok);
}

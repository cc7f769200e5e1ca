#include "servicetokensdialog.h"

#include "servicetokenmodel.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

ServiceTokensDialog::ServiceTokensDialog(ServiceTokenModel *model, const QString &workspaceName, QWidget *parent)
    : QDialog(parent), m_model(model)
{
    setWindowTitle(tr("Service Tokens of “%1”").arg(workspaceName));
    resize(760, 420);
    auto *layout = new QVBoxLayout(this);

    auto *intro = new QLabel(tr("Service tokens let apps and scripts use the Management API for this workspace. "
                                "A token's value is shown only when it is created; here it goes straight into "
                                "the keychain as a new profile."),
        this);
    intro->setWordWrap(true);
    intro->setTextFormat(Qt::PlainText);
    layout->addWidget(intro);

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("serviceTokenTable"));
    m_table->setAccessibleName(tr("Service tokens"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(ServiceTokenModel::NameColumn, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(ServiceTokenModel::HintColumn, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(ServiceTokenModel::CreatedColumn, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(ServiceTokenModel::ExpiresColumn, QHeaderView::ResizeToContents);
    layout->addWidget(m_table, 1);

    // Del on the table: the same confirmation as Revoke….
    auto *revokeKey = new QAction(tr("Revoke"), m_table);
    revokeKey->setShortcut(QKeySequence::Delete);
    revokeKey->setShortcutContext(Qt::WidgetShortcut);
    m_table->addAction(revokeKey);
    connect(revokeKey, &QAction::triggered, this, &ServiceTokensDialog::requestRevoke);

    auto *statusRow = new QHBoxLayout;
    m_busy = new QProgressBar(this);
    m_busy->setRange(0, 0);
    m_busy->setMaximumWidth(120);
    m_busy->setAccessibleName(tr("Working"));
    m_busy->setVisible(false);
    statusRow->addWidget(m_busy);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("status"));
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::PlainText);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setAccessibleName(tr("Status"));
    statusRow->addWidget(m_status, 1);
    m_retry = new QPushButton(tr("&Retry"), this);
    m_retry->setAutoDefault(false);
    m_retry->setVisible(false);
    statusRow->addWidget(m_retry);
    layout->addLayout(statusRow);

    auto *buttons = new QDialogButtonBox(this);
    m_create = buttons->addButton(tr("&Create Token…"), QDialogButtonBox::ActionRole);
    m_create->setAutoDefault(false);
    m_create->setToolTip(tr("Creates a service token and keeps its value in the keychain as a new profile."));
    m_revoke = buttons->addButton(tr("Re&voke…"), QDialogButtonBox::DestructiveRole);
    m_revoke->setAutoDefault(false);
    m_revoke->setToolTip(tr("Revokes the selected token (Del): whatever uses it is refused from then on."));
    m_close = buttons->addButton(QDialogButtonBox::Close);
    m_close->setDefault(true); // Enter closes; it never revokes
    layout->addWidget(buttons);

    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_create, &QPushButton::clicked, this, &ServiceTokensDialog::createRequested);
    connect(m_revoke, &QPushButton::clicked, this, &ServiceTokensDialog::requestRevoke);
    connect(m_retry, &QPushButton::clicked, this, &ServiceTokensDialog::retryRequested);
    connect(
        m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &ServiceTokensDialog::updateButtons);
    connect(m_model, &QAbstractItemModel::modelReset, this, &ServiceTokensDialog::updateButtons);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &ServiceTokensDialog::updateButtons);
    updateButtons();
    m_table->setFocus(Qt::OtherFocusReason);
}

void ServiceTokensDialog::setWorking(bool working)
{
    m_working = working;
    m_busy->setVisible(working);
    updateButtons();
}

void ServiceTokensDialog::updateButtons()
{
    m_create->setEnabled(!m_working);
    m_revoke->setEnabled(!m_working && !selectedTokenId().isEmpty());
}

void ServiceTokensDialog::showListing(const QString &text)
{
    m_retry->setVisible(false);
    m_status->setText(text.isEmpty() ? tr("Listing the workspace's service tokens…") : text);
    setWorking(true);
}

void ServiceTokensDialog::showListed(const QString &text)
{
    setWorking(false);
    const int n = m_model->rowCount();
    if (!text.isEmpty())
        m_status->setText(text);
    else
        m_status->setText(n == 0 ? tr("This workspace has no service tokens. Create Token… makes one.")
                : n == 1         ? tr("1 service token.")
                                 : tr("%1 service tokens.").arg(n));
    if (n > 0 && selectedTokenId().isEmpty())
        m_table->setCurrentIndex(m_model->index(0, 0)); // the keyboard starts on a row
}

void ServiceTokensDialog::showListFailed(const QString &message)
{
    setWorking(false);
    m_status->setText(message);
    m_retry->setVisible(true);
    m_retry->setFocus(Qt::OtherFocusReason);
}

void ServiceTokensDialog::showWorking(const QString &text)
{
    m_retry->setVisible(false);
    m_status->setText(text);
    setWorking(true);
}

void ServiceTokensDialog::showStatus(const QString &text)
{
    setWorking(false);
    m_status->setText(text);
}

QString ServiceTokensDialog::selectedTokenId() const
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : rows.first().data(ServiceTokenModel::IdRole).toString();
}

void ServiceTokensDialog::selectToken(const QString &id)
{
    const int row = m_model->rowOfToken(id);
    if (row >= 0)
        m_table->setCurrentIndex(m_model->index(row, 0));
}

void ServiceTokensDialog::requestRevoke()
{
    const QString id = selectedTokenId();
    if (!id.isEmpty() && !m_working)
        Q_EMIT revokeRequested(id);
}

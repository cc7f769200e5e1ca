#include "connectionstringcontroller.h"

#include "connectionstringdialog.h"
#include "consolecore.h"
#include "resourcetreeview.h"
#include "rotateconfirmdialog.h"
#include "secretclipboard.h"

#include <QApplication>
#include <QClipboard>
#include <QMessageBox>
#include <QPushButton>

ConnectionStringController::ConnectionStringController(
    ConsoleCore *core, ResourceTreeView *tree, SecretClipboard *clipboard, QWidget *window)
    : QObject(window), m_core(core), m_tree(tree), m_clipboard(clipboard), m_window(window)
{
    connect(
        &m_core->workflows, &ResourceWorkflows::connectionStringIssued, this, &ConnectionStringController::showIssued);
    connect(&m_core->keeper, &ConnectionStringKeeper::kept, this, [this](const QString &name) {
        Q_EMIT statusMessage(
            tr("The connection string of “%1” is kept in the keychain: Ctrl+C copies it later.").arg(name), 8000);
    });
    connect(&m_core->keeper, &ConnectionStringKeeper::keepFailed, this,
        [this](const QString &name, const KeychainError &e) {
            Q_EMIT statusMessage(
                tr("The connection string of “%1” could not be kept: %2").arg(name, e.userMessage()), 15000);
        });
    connect(&m_core->keeper, &ConnectionStringKeeper::forgetFailed, this, [this](const KeychainError &e) {
        Q_EMIT statusMessage(tr("Could not remove the kept connection string: %1").arg(e.userMessage()), 10000);
    });
}

void ConnectionStringController::showIssued(const QString &title, const Connection &connection, bool rotated)
{
    auto *dialog = new ConnectionStringDialog(title, connection, m_clipboard, m_window,
        rotated ? ConnectionStringDialog::Source::Rotated : ConnectionStringDialog::Source::Created,
        snippetContext(connection));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void ConnectionStringController::showKept(Then then)
{
    const Connection *c = m_core->model.connection(m_tree->currentSourceIndex());
    if (!c || !m_core->sessions.session())
        return;
    const Connection connection = *c;
    if (!m_core->keeper.isKept(connection.id)) {
        offerRotateForLostString(connection.name);
        return;
    }
    m_core->keeper.fetch(
        connection.id, this, [this, connection, then](const ConnectionSecrets &secrets, const KeychainError &e) {
            if (!e.ok() || secrets.isEmpty()) {
                QMessageBox::warning(m_window, tr("Connection string"),
                    e.ok() ? tr("The keychain holds no string for this connection.") : e.userMessage());
                return;
            }
            Connection filled = connection;
            auto fill = [](std::optional<Endpoint> &endpoint, const QString &cs) {
                if (cs.isEmpty())
                    return;
                if (!endpoint)
                    endpoint = Endpoint {};
                endpoint->connectionString = cs;
            };
            fill(filled.direct, secrets.direct);
            fill(filled.pooled, secrets.pooled);
            fill(filled.accelerate, secrets.accelerate);
            auto *dialog = new ConnectionStringDialog(tr("Connection “%1”").arg(connection.name), filled, m_clipboard,
                m_window, ConnectionStringDialog::Source::Vault, snippetContext(connection));
            dialog->setAttribute(Qt::WA_DeleteOnClose);
            dialog->open();
            if (then == Then::Test)
                dialog->testButton()->click();
            else if (then == Then::WriteEnv)
                dialog->envButton()->click();
        });
}

ConnectSnippets::Context ConnectionStringController::snippetContext(const Connection &connection) const
{
    ConnectSnippets::Context context;
    context.databaseId = connection.database.id;
    const ResourceTreeModel &model = m_core->model;
    for (QModelIndex i = model.indexOf(connection.id); i.isValid(); i = i.parent()) {
        if (const Database *d = model.database(i)) {
            context.databaseId = d->id;
            context.projectId = d->project.id;
            context.projectName = d->project.name;
        } else if (const Project *p = model.project(i)) {
            context.projectId = p->id;
            context.projectName = p->name;
            context.workspaceName = p->workspace.name;
        } else if (const Workspace *w = model.workspace(i)) {
            context.workspaceName = w->name;
        }
    }
    return context;
}

void ConnectionStringController::offerRotateForLostString(const QString &name)
{
    QMessageBox box(QMessageBox::Information, tr("Connection string not kept"),
        tr("The connection string of “%1” was not kept on this computer.").arg(name), QMessageBox::Close, m_window);
    box.setInformativeText(tr("The service shows a connection string only once, when it is created or rotated. "
                              "Rotate the credentials to get a new one (apps using the old one will stop working)."));
    QPushButton *rotate = box.addButton(tr("Rotate Credentials…"), QMessageBox::ActionRole);
    box.exec();
    if (box.clickedButton() == rotate)
        rotateCurrent();
}

void ConnectionStringController::copyCurrent()
{
    const QModelIndex i = m_tree->currentSourceIndex();
    const QString id = i.data(ResourceTreeModel::IdRole).toString();
    if (id.isEmpty())
        return;
    if (m_core->model.kind(i) == ResourceKind::Connection && m_core->keeper.isKept(id)) {
        // The connection string kept in the keychain, copied as a secret.
        m_core->keeper.fetch(id, this, [this, id](const ConnectionSecrets &secrets, const KeychainError &e) {
            const QString cs = !secrets.direct.isEmpty() ? secrets.direct : secrets.pooled;
            if (!e.ok() || cs.isEmpty()) {
                QApplication::clipboard()->setText(id);
                Q_EMIT statusMessage(tr("Copied %1 (the kept connection string could not be read: %2)")
                                         .arg(id, e.ok() ? tr("empty") : e.userMessage()),
                    10000);
                return;
            }
            m_clipboard->copySecret(cs);
        });
        return;
    }
    QApplication::clipboard()->setText(id);
    Q_EMIT statusMessage(tr("Copied %1").arg(id), 3000);
}

void ConnectionStringController::rotateCurrent()
{
    const Connection *c = m_core->model.connection(m_tree->currentSourceIndex());
    if (!c)
        return;
    const QString id = c->id;
    const QString name = c->name;
    auto *dialog = new RotateConfirmDialog(name, c->database.name, m_window);
    dialog->setObjectName(QStringLiteral("rotateConfirmDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, id, name] { m_core->workflows.rotateConnection(id, name); });
    dialog->open();
}

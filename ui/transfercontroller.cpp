#include "transfercontroller.h"

#include "consolecore.h"
#include "resourcetreeview.h"
#include "transferdialog.h"

#include <QMessageBox>

TransferController::TransferController(ConsoleCore *core, ResourceTreeView *tree, QWidget *window)
    : QObject(window), m_core(core), m_tree(tree), m_window(window)
{ }

void TransferController::transferCurrent()
{
    const Session *session = m_core->sessions.session();
    const Project *project = m_core->model.project(m_tree->currentSourceIndex());
    if (!session || !project)
        return;
    QList<Profile> destinations;
    for (const Profile &p : m_core->profiles.profiles())
        if (p.id != session->profile().id)
            destinations.append(p);
    if (destinations.isEmpty()) {
        QMessageBox::information(m_window, tr("Transfer Project"),
            tr("A project moves to the workspace of another saved profile, and there is none yet."), QMessageBox::Ok);
        Q_EMIT statusMessage(tr("Add a profile for the destination workspace first (File > Add Profile…)."), 10000);
        return;
    }
    TransferDialog dialog(project->name, session->profile().name, destinations, m_window);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const auto destination = m_core->profiles.profile(dialog.destinationId());
    if (!destination)
        return;
    const QString projectId = project->id;
    const QString projectName = project->name;
    Q_EMIT statusMessage(tr("Reading the token of profile “%1” from the keychain…").arg(destination->name), 0);
    m_core->sessions.readToken(destination->id, this,
        [this, projectId, projectName, name = destination->name](QByteArray token, const KeychainError &error) {
            if (!error.ok() || token.isEmpty()) {
                Q_EMIT statusMessage(tr("Project not transferred: the token of profile “%1” could not be read: %2")
                                         .arg(name, error.ok() ? tr("no token is saved for it") : error.userMessage()),
                    15000);
                return;
            }
            m_core->workflows.transferProject(projectId, projectName, std::move(token), name);
        });
}

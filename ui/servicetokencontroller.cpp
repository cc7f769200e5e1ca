#include "servicetokencontroller.h"

#include "consolecore.h"
#include "createservicetokendialog.h"
#include "servicetokenmodel.h"
#include "servicetokenpolicy.h"
#include "servicetokensdialog.h"
#include "servicetokenworkflow.h"
#include "session.h"

#include <QMessageBox>
#include <QPushButton>

#include <utility>

namespace {

QString quotedNames(const QList<Profile> &profiles)
{
    QStringList names;
    for (const Profile &p : profiles)
        names << ServiceTokenController::tr("“%1”").arg(p.name);
    return names.join(QStringLiteral(", "));
}

} // namespace

ServiceTokensDialog *ServiceTokenController::open(ConsoleCore *core, const QModelIndex &current, QWidget *window)
{
    if (!core->sessions.session())
        return nullptr;
    const std::optional<ResourceRef> workspace = ServiceTokenPolicy::workspaceFor(core->model, current);
    if (!workspace) {
        QMessageBox::information(window, tr("Service Tokens"),
            tr("Select a workspace in the tree, or anything in it, first: the console lists one workspace's "
               "service tokens at a time."));
        return nullptr;
    }
    auto *controller = new ServiceTokenController(core, *workspace, window);
    return controller->m_dialog;
}

ServiceTokenController::ServiceTokenController(ConsoleCore *core, const ResourceRef &workspace, QWidget *window)
    : m_core(core)
    , m_workspace(workspace)
    , m_model(new ServiceTokenModel(&core->profiles, this))
    , m_workflow(new ServiceTokenWorkflow(&core->sessions, this))
{
    const Session *session = core->sessions.session();
    m_apiUrl = session->profile().apiUrl;
    m_activeProfileId = session->isTemporary() ? QString() : session->profile().id;
    m_model->setSession(m_apiUrl, m_activeProfileId);

    m_dialog = new ServiceTokensDialog(m_model, workspace.name, window);
    m_dialog->setObjectName(QStringLiteral("serviceTokensDialog"));
    m_dialog->setAttribute(Qt::WA_DeleteOnClose);
    setParent(m_dialog); // goes with the dialog
    connect(m_dialog, &ServiceTokensDialog::retryRequested, this, [this] { list(); });
    connect(m_dialog, &ServiceTokensDialog::createRequested, this, &ServiceTokenController::askCreate);
    connect(m_dialog, &ServiceTokensDialog::revokeRequested, this, &ServiceTokenController::askRevoke);
    // The list belongs to the session it was opened in.
    connect(m_core, &ConsoleCore::sessionChanged, m_dialog, &QDialog::reject);
    m_dialog->open();
    list();
}

void ServiceTokenController::list(const QString &status)
{
    const quint64 serial = ++m_listSerial;
    m_dialog->showListing(status);
    m_core->queries.serviceTokens(
        m_workspace.id, this, [this, serial, status](Result<std::vector<ServiceToken>> answer) {
            if (serial != m_listSerial || !m_dialog)
                return; // a later listing was started
            if (!answer.ok()) {
                m_dialog->showListFailed((status.isEmpty() ? QString() : status + QLatin1Char(' '))
                    + tr("The service tokens could not be listed: %1 Choose Retry to list them again.")
                          .arg(answer.error().userMessage()));
                return;
            }
            const QString selected
                = m_selectAfterList.isEmpty() ? m_dialog->selectedTokenId() : std::exchange(m_selectAfterList, {});
            m_model->setTokens(std::move(answer.value()));
            m_dialog->showListed(status);
            m_dialog->selectToken(selected);
        });
}

void ServiceTokenController::askCreate()
{
    auto *ask = new CreateServiceTokenDialog(&m_core->profiles, m_workspace.name, m_dialog);
    ask->setObjectName(QStringLiteral("createServiceTokenDialog"));
    ask->setAttribute(Qt::WA_DeleteOnClose);
    connect(ask, &QDialog::accepted, this, [this, ask] { create(ask->tokenName(), ask->profileName(), ask->color()); });
    ask->open();
}

void ServiceTokenController::create(const QString &tokenName, const QString &profileName, const QColor &color)
{
    const ServiceTokenWorkflow::NewTokenProfile request { m_workspace.id, tokenName, profileName, color };
    if (auto problem = m_workflow->validate(request)) {
        m_dialog->showStatus(*problem);
        return;
    }
    m_dialog->showWorking(
        tr("Creating the service token “%1” and saving it as profile “%2”…").arg(tokenName, profileName));
    m_workflow->createAndSave(request, this, [this, request](const ServiceTokenWorkflow::Outcome &outcome) {
        using Kind = ServiceTokenWorkflow::Outcome::Kind;
        switch (outcome.kind) {
        case Kind::Saved:
            m_selectAfterList = outcome.token.id;
            list(tr("Token “%1” created and saved as profile “%2”").arg(outcome.token.name, outcome.profile->name));
            return;
        case Kind::NotCreated:
            if (outcome.error.mayHaveBeenApplied) {
                list(tr("The answer to creating “%1” was lost: the token may exist, but its value is lost. If “%1” "
                        "is in the list, revoke it and create another.")
                         .arg(request.tokenName));
                return;
            }
            m_dialog->showStatus(
                tr("The service token “%1” was not created: %2").arg(request.tokenName, outcome.error.userMessage()));
            return;
        case Kind::NotSaved:
            m_selectAfterList = outcome.token.id;
            list(tr("The service token “%1” was created, but not saved: its value is lost.").arg(outcome.token.name));
            offerRevokeOfUnsaved(outcome.token, request.profileName, outcome.saveError);
            return;
        }
    });
}

void ServiceTokenController::offerRevokeOfUnsaved(
    const ServiceToken &token, const QString &profileName, const QString &saveError)
{
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Service Token Not Saved"),
        tr("The service token “%1” was created, but the profile “%2” that was to keep it could not be saved, so "
           "its value is lost and nothing can use the token.")
            .arg(token.name, profileName),
        QMessageBox::NoButton, m_dialog);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setInformativeText(saveError + QLatin1Char(' ') + tr("Revoke the token now?"));
    QPushButton *revokeButton = box->addButton(tr("Revoke Token"), QMessageBox::DestructiveRole);
    QPushButton *keep = box->addButton(tr("Keep It"), QMessageBox::RejectRole);
    box->setDefaultButton(keep);
    box->setEscapeButton(keep);
    connect(box, &QMessageBox::buttonClicked, this, [this, revokeButton, token](QAbstractButton *clicked) {
        if (clicked == revokeButton)
            revoke(token.id, token.name, RevokeImpact {});
    });
    box->open();
}

void ServiceTokenController::askRevoke(const QString &tokenId)
{
    const int row = m_model->rowOfToken(tokenId);
    const ServiceToken *token = m_model->token(row);
    if (!token)
        return;
    const QString name = token->name;
    const RevokeImpact impact
        = ServiceTokenPolicy::impactOfRevoking(m_core->profiles.profiles(), m_activeProfileId, m_apiUrl, tokenId);

    // The active profile first and plainly; then the other saved profiles; then the rest.
    QString text;
    if (impact.active)
        text = tr("The profile you are using, “%1”, signs in with the service token “%2”. If you revoke it, this "
                  "console stops working with “%1” at once: its next request is refused.")
                   .arg(impact.active->name, name);
    else
        text = tr("Revoke the service token “%1”?").arg(name);
    QStringList details;
    if (!impact.others.isEmpty())
        details << (impact.others.size() == 1
                ? tr("The saved profile %1 uses this token too and stops working.").arg(quotedNames(impact.others))
                : tr("The saved profiles %1 use this token too and stop working.").arg(quotedNames(impact.others)));
    if (impact.stopsAnyProfile())
        details << tr("The profiles are kept: edit them and paste a new token to use them again.");
    details << tr("Apps and scripts that use the token lose access at once. This cannot be undone.");

    // Opened, not exec()'d: the dialog may close under it (the session changes) without a nested loop.
    auto *box = new QMessageBox(impact.stopsAnyProfile() ? QMessageBox::Warning : QMessageBox::Question,
        tr("Revoke Service Token “%1”").arg(name), text, QMessageBox::NoButton, m_dialog);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setInformativeText(details.join(QLatin1Char(' ')));
    QPushButton *revokeButton = box->addButton(
        impact.active ? tr("Revoke the Token of This Profile") : tr("Revoke Token"), QMessageBox::DestructiveRole);
    QPushButton *cancel = box->addButton(QMessageBox::Cancel);
    box->setDefaultButton(cancel);
    box->setEscapeButton(cancel);
    connect(
        box, &QMessageBox::buttonClicked, this, [this, revokeButton, tokenId, name, impact](QAbstractButton *clicked) {
            if (clicked == revokeButton)
                revoke(tokenId, name, impact);
        });
    box->open();
}

void ServiceTokenController::revoke(const QString &tokenId, const QString &name, const RevokeImpact &impact)
{
    m_dialog->showWorking(tr("Revoking the service token “%1”…").arg(name));
    m_workflow->revoke(m_workspace.id, tokenId, this, [this, tokenId, name, impact](const Result<Done> &answer) {
        if (!m_dialog)
            return;
        const bool gone = answer.ok() || answer.error().kind == ApiError::Kind::NotFound;
        if (!gone) {
            m_dialog->showStatus(
                tr("The service token “%1” was not revoked: %2").arg(name, answer.error().userMessage()));
            return;
        }
        m_model->removeToken(tokenId);
        QString status = answer.ok() ? tr("Service token “%1” revoked.").arg(name)
                                     : tr("Service token “%1” was revoked already.").arg(name);
        if (impact.active)
            status += QLatin1Char(' ')
                + tr("The profile you are using, “%1”, no longer works: edit it and paste a new token.")
                      .arg(impact.active->name);
        if (!impact.others.isEmpty())
            status += QLatin1Char(' ')
                + (impact.others.size() == 1 ? tr("The profile %1 no longer works.").arg(quotedNames(impact.others))
                                             : tr("The profiles %1 no longer work.").arg(quotedNames(impact.others)));
        m_dialog->showStatus(status);
    });
}

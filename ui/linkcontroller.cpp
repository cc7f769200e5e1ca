#include "linkcontroller.h"

#include "apierror.h"
#include "consolecore.h"
#include "resourcetreeview.h"
#include "session.h"

#include <QTimer>

#include <algorithm>

namespace {
constexpr int kGiveUpMs = 60000;
}

LinkController::LinkController(ConsoleCore *core, ResourceTreeView *tree, Reveal reveal, QObject *parent)
    : QObject(parent), m_core(core), m_tree(tree), m_reveal(std::move(reveal))
{ }

QString LinkController::linkFor(const QModelIndex &source) const
{
    const ResourceTreeModel &model = m_core->model;
    if (!source.isValid() || model.kind(source) == ResourceKind::Placeholder)
        return {};
    QString profileId = model.profileIdOf(source);
    if (profileId.isEmpty() && m_core->sessions.session() && !m_core->sessions.session()->isTemporary())
        profileId = m_core->sessions.session()->profile().id;
    const auto profile = m_core->profiles.profile(profileId);
    if (!profile)
        return {};
    return ConsoleLink { profile->name, source.data(ResourceTreeModel::IdRole).toString() }.toString();
}

void LinkController::open(const ConsoleLink &link, Done done)
{
    if (m_pending)
        finish(false, tr("Replaced by a newer link."));
    m_link = link;
    m_done = std::move(done);
    m_pending = new QObject(this);
    QTimer::singleShot(kGiveUpMs, m_pending, [this] {
        finish(false, tr("“%1” did not open within a minute: the service may be slow or unreachable.").arg(m_link.id));
    });

    Session *session = m_core->sessions.session();
    if (link.profile.isEmpty()) { // --select: in whichever session is open
        m_profileName = session ? session->profile().name : QString();
        whenTreeReady();
        return;
    }
    const auto profile = m_core->profiles.findByName(link.profile);
    if (!profile) {
        finish(false,
            tr("The link is for profile “%1”, which is not saved on this computer. Add a profile with that name "
               "(Profiles > Add Profile) for the account the link came from, then open the link again.")
                .arg(link.profile));
        return;
    }
    m_profileName = profile->name;
    const bool onScreen = m_core->isAllProfiles()
        ? std::any_of(m_core->sessions.pooledSessions().cbegin(), m_core->sessions.pooledSessions().cend(),
            [&](const Session *s) { return s->profile().id == profile->id; })
        : session && !session->isTemporary() && session->profile().id == profile->id;
    if (onScreen) {
        whenTreeReady();
        return;
    }
    whenSessionReady(profile->id);
    m_core->sessions.activate(profile->id);
}

void LinkController::whenSessionReady(const QString &profileId)
{
    connect(m_core, &ConsoleCore::sessionChanged, m_pending, [this, profileId](Session *session) {
        if (session && session->profile().id == profileId)
            whenTreeReady();
        else
            finish(false, tr("Another profile was opened before the link's."));
    });
    connect(&m_core->sessions, &SessionManager::activationFailed, m_pending,
        [this](const QString &name, const QString &message) {
            finish(false, tr("Could not open profile “%1” for the link: %2").arg(name, message));
        });
}

void LinkController::whenTreeReady()
{
    disconnect(m_core, nullptr, m_pending, nullptr);
    disconnect(&m_core->sessions, nullptr, m_pending, nullptr);
    if (m_tree->firstLevelsLoaded()) {
        select(false);
        return;
    }
    QPointer<QObject> pending = m_pending;
    m_tree->whenFirstLevelsLoaded([this, pending] {
        if (pending && pending == m_pending)
            select(false);
    });
}

void LinkController::select(bool afterLoadingAll)
{
    if (m_profileName.isEmpty() && m_core->sessions.session()) // --select before the session was up
        m_profileName = m_core->sessions.session()->profile().name;
    ResourceTreeModel &model = m_core->model;
    const QModelIndex source = model.indexOf(m_link.id);
    const bool listed = source.isValid() && !source.data(ResourceTreeModel::CachedRole).toBool();
    if (listed || (afterLoadingAll && source.isValid())) {
        if (!m_reveal(m_link.id)) {
            finish(false, tr("“%1” is in the tree but could not be selected.").arg(m_link.id));
            return;
        }
        const QString name = source.data(ResourceTreeModel::NameRole).toString();
        finish(true,
            m_link.profile.isEmpty() ? tr("Selected “%1” (%2).").arg(name, m_link.id)
                                     : tr("Selected “%1” (%2) in profile “%3”.").arg(name, m_link.id, m_profileName));
        return;
    }
    if (afterLoadingAll) {
        finish(false,
            tr("“%1” is not in the account of profile “%2”: it may have been deleted, or the link is for another "
               "account.")
                .arg(m_link.id, m_profileName));
        return;
    }
    connect(&model, &ResourceTreeModel::bulkFinished, m_pending, [this](const ApiError &error) {
        if (error.isError() && !m_core->model.indexOf(m_link.id).isValid()) {
            finish(false, tr("Could not look for “%1”: %2").arg(m_link.id, error.userMessage()));
            return;
        }
        select(true);
    });
    model.loadAll(); // when all is in already, bulkFinished comes from the event loop
}

void LinkController::finish(bool ok, const QString &message)
{
    delete m_pending; // its connections and timer go with it
    if (auto done = std::exchange(m_done, nullptr))
        done(ok, message);
}

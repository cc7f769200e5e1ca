#include "servicetokenworkflow.h"

#include "apiclient.h"
#include "profilestore.h"
#include "servicetokenpolicy.h"
#include "session.h"
#include "sessionmanager.h"

#include <QLoggingCategory>
#include <QPointer>
#include <QTimer>

Q_LOGGING_CATEGORY(lcServiceTokens, "ppg.servicetokens", QtInfoMsg)

namespace {

void wipe(QByteArray &bytes)
{
    bytes.detach();
    bytes.fill('\0');
    bytes.clear();
}

ApiError noSession()
{
    return ApiError::network(ServiceTokenWorkflow::tr("no profile is open"));
}

} // namespace

ServiceTokenWorkflow::ServiceTokenWorkflow(SessionManager *sessions, QObject *parent)
    : QObject(parent), m_sessions(sessions)
{ }

std::optional<QString> ServiceTokenWorkflow::validate(const NewTokenProfile &request) const
{
    if (request.workspaceId.isEmpty())
        return tr("Choose the workspace of the service token.");
    if (auto problem = ServiceTokenPolicy::validateName(request.tokenName))
        return problem;
    return m_sessions->profiles()->validateName(request.profileName);
}

void ServiceTokenWorkflow::createAndSave(
    const NewTokenProfile &request, QObject *context, std::function<void(const Outcome &)> done)
{
    const Session *session = m_sessions->session();
    if (!session) {
        QTimer::singleShot(0, context, [done] {
            Outcome outcome;
            outcome.error = noSession();
            done(outcome);
        });
        return;
    }
    Profile profile;
    profile.name = request.profileName.trimmed();
    profile.color = request.color;
    profile.apiUrl = session->profile().apiUrl;
    QPointer<QObject> ctx(context);
    session->client()->createServiceToken(request.workspaceId, request.tokenName.trimmed(), context,
        [this, ctx, profile, done](Result<ServiceToken> answer) mutable {
            Outcome outcome;
            if (!answer.ok()) {
                outcome.error = answer.error();
                qCInfo(lcServiceTokens) << "service token not created:" << ApiError::kindName(outcome.error.kind)
                                        << (outcome.error.mayHaveBeenApplied ? "(the reply was lost)" : "");
                done(outcome);
                return;
            }
            // The value moves out of the answer into the keychain; nothing here keeps it.
            outcome.token = std::move(answer.value());
            QByteArray value = std::move(outcome.token.value);
            stripConnectionStrings(outcome.token);
            profile.tokenId = outcome.token.id;
            qCInfo(lcServiceTokens) << "service token" << outcome.token.id << "created; saving it as a new profile";
            m_sessions->saveProfile(profile, std::move(value), this,
                [this, ctx, outcome, done](std::optional<Profile> saved, const QString &error) mutable {
                    if (saved && error.isEmpty()) {
                        outcome.kind = Outcome::Kind::Saved;
                        outcome.profile = saved;
                    } else {
                        // Without its token the profile is of no use: do not keep it.
                        if (saved && !saved->id.isEmpty())
                            m_sessions->profiles()->remove(saved->id);
                        outcome.kind = Outcome::Kind::NotSaved;
                        outcome.saveError = error;
                        qCInfo(lcServiceTokens)
                            << "service token" << outcome.token.id << "created but not saved: its value is lost";
                    }
                    if (ctx)
                        done(outcome);
                });
            wipe(value); // moved out already; a no-op unless saveProfile left it with us
        });
}

void ServiceTokenWorkflow::revoke(const QString &workspaceId, const QString &tokenId, QObject *context,
    std::function<void(const Result<Done> &)> done)
{
    const Session *session = m_sessions->session();
    if (!session) {
        QTimer::singleShot(0, context, [done] { done(Result<Done>(noSession())); });
        return;
    }
    session->client()->deleteServiceToken(workspaceId, tokenId, context, [tokenId, done](Result<Done> answer) {
        if (answer.ok())
            qCInfo(lcServiceTokens) << "service token" << tokenId << "revoked";
        else
            qCInfo(lcServiceTokens) << "service token" << tokenId
                                    << "not revoked:" << ApiError::kindName(answer.error().kind);
        done(answer);
    });
}

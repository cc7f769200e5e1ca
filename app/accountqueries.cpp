#include "accountqueries.h"

#include "apiclient.h"
#include "pagewalker.h"
#include "session.h"
#include "sessionmanager.h"

#include <QTimer>

#include <iterator>
#include <memory>

namespace {

template <class T> void answerNoSession(QObject *context, std::function<void(Result<T>)> done)
{
    // Later, as a client would: callers never see their callback run inside the call.
    QTimer::singleShot(0, context,
        [done = std::move(done)] { done(Result<T>(ApiError::network(AccountQueries::tr("no profile is open")))); });
}

} // namespace

AccountQueries::AccountQueries(SessionManager *sessions, QObject *parent) : QObject(parent), m_sessions(sessions) { }

template <class T, class Start>
void AccountQueries::ask(QObject *context, std::function<void(Result<T>)> done, Start start)
{
    if (const Session *s = m_sessions->session())
        start(s->client(), std::move(done));
    else
        answerNoSession(context, std::move(done));
}

void AccountQueries::regions(QObject *context, std::function<void(Result<std::vector<Region>>)> done)
{
    ask(context, std::move(done), [&](ApiClient *c, auto cb) { c->listRegions(context, std::move(cb)); });
}

void AccountQueries::usage(const QString &databaseId, QObject *context, std::function<void(Result<Usage>)> done)
{
    ask(context, std::move(done), [&](ApiClient *c, auto cb) { c->usage(databaseId, context, std::move(cb)); });
}

void AccountQueries::backups(const QString &databaseId, QObject *context, std::function<void(Result<BackupList>)> done)
{
    ask(context, std::move(done),
        [&](ApiClient *c, auto cb) { c->listBackups(databaseId, 100, context, std::move(cb)); });
}

void AccountQueries::subscription(
    const QString &workspaceId, QObject *context, std::function<void(Result<Subscription>)> done)
{
    ask(context, std::move(done), [&](ApiClient *c, auto cb) { c->subscription(workspaceId, context, std::move(cb)); });
}

void AccountQueries::serviceTokens(
    const QString &workspaceId, QObject *context, std::function<void(Result<std::vector<ServiceToken>>)> done)
{
    ask(context, std::move(done), [&](ApiClient *c, auto cb) {
        auto tokens = std::make_shared<std::vector<ServiceToken>>();
        walkAll<ServiceToken>(
            context,
            [c, workspaceId](const PageRequest &r, QObject *ctx, auto pageDone) {
                return c->listServiceTokens(workspaceId, r, ctx, std::move(pageDone));
            },
            [tokens](Page<ServiceToken> page) {
                std::move(page.items.begin(), page.items.end(), std::back_inserter(*tokens));
            },
            [tokens, cb = std::move(cb)](const Result<Done> &outcome) {
                if (outcome.ok())
                    cb(std::move(*tokens));
                else
                    cb(outcome.error());
            });
    });
}

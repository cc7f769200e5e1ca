#include "accountqueries.h"

#include "apiclient.h"
#include "session.h"
#include "sessionmanager.h"

#include <QTimer>

namespace {

template <class T> void answerNoSession(QObject *context, std::function<void(Result<T>)> done)
{
    // Later, as a client would: callers never see their callback run inside the call.
    QTimer::singleShot(0, context,
        [done = std::move(done)] { done(Result<T>(ApiError::network(AccountQueries::tr("no profile is open")))); });
}

} // namespace

AccountQueries::AccountQueries(SessionManager *sessions, QObject *parent) : QObject(parent), m_sessions(sessions) { }

void AccountQueries::regions(QObject *context, std::function<void(Result<std::vector<Region>>)> done)
{
    if (const Session *s = m_sessions->session())
        s->client()->listRegions(context, std::move(done));
    else
        answerNoSession(context, std::move(done));
}

void AccountQueries::usage(const QString &databaseId, QObject *context, std::function<void(Result<Usage>)> done)
{
    if (const Session *s = m_sessions->session())
        s->client()->usage(databaseId, context, std::move(done));
    else
        answerNoSession(context, std::move(done));
}

void AccountQueries::backups(const QString &databaseId, QObject *context, std::function<void(Result<BackupList>)> done)
{
    if (const Session *s = m_sessions->session())
        s->client()->listBackups(databaseId, 100, context, std::move(done));
    else
        answerNoSession(context, std::move(done));
}

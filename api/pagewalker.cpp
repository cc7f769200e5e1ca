#include "pagewalker.h"

#include "apilog.h"

PageWalkerBase::PageWalkerBase(Mode mode, int limit, QObject *parent)
    : QObject(parent), m_mode(mode), m_limit(limit) { }

PageWalkerBase::~PageWalkerBase()
{
    m_finished = true;
    if (m_call)
        m_call->cancel(); // its outcome goes to us (the context), who are gone: dropped
}

void PageWalkerBase::start()
{
    if (m_started || m_finished)
        return;
    m_started = true;
    fetch(PageRequest { QString(), m_limit });
}

bool PageWalkerBase::fetchNext()
{
    if (!m_started || m_fetching || m_finished || !m_hasMore)
        return false;
    fetch(PageRequest { m_cursor, m_limit });
    return true;
}

void PageWalkerBase::cancel()
{
    if (m_finished)
        return;
    if (m_call)
        m_call->cancel();
    end(ApiError::cancelled());
}

void PageWalkerBase::discard()
{
    m_discarded = true;
    m_finished = true;
    m_fetching = false;
    if (m_call)
        m_call->cancel(); // its outcome comes to us later, and is dropped (m_finished)
    m_call = nullptr;
    deleteLater();
}

void PageWalkerBase::fetch(const PageRequest &request)
{
    m_fetching = true;
    const quint64 seq = ++m_fetchSeq;
    m_call = fetchPage(request);
    if (!m_call) {
        end(ApiError::cancelled());
        return;
    }
    // A call that dies without delivering (its client, i.e. the session, was destroyed) ends the walk.
    connect(m_call, &QObject::destroyed, this, [this, seq] {
        if (m_fetching && seq == m_fetchSeq && !m_finished) {
            ApiError e = ApiError::cancelled();
            e.message = QStringLiteral("the session ended");
            end(e);
        }
    });
}

bool PageWalkerBase::acceptPage(const QString &nextCursor, bool hasMore, qsizetype count)
{
    m_fetching = false;
    m_call = nullptr;
    if (m_finished)
        return false;
    if (hasMore) {
        if (m_seenCursors.contains(nextCursor)) {
            end(ApiError::protocol(QStringLiteral("pagination.nextCursor: repeats an earlier cursor")));
            return false;
        }
        m_seenCursors.insert(nextCursor);
    }
    m_cursor = nextCursor;
    m_hasMore = hasMore;
    ++m_pages;
    m_items += count;
    if (m_hasMore && m_mode == Mode::Auto)
        fetch(PageRequest { m_cursor, m_limit }); // before this page is delivered: meanwhile, the service works
    return true;
}

void PageWalkerBase::pageDelivered()
{
    if (m_finished)
        return;
    if (!m_hasMore)
        end(Done {});
}

void PageWalkerBase::pageFailed(const ApiError &error)
{
    m_fetching = false;
    m_call = nullptr;
    if (!m_finished)
        end(error);
}

void PageWalkerBase::end(Result<Done> result)
{
    if (m_finished)
        return;
    m_finished = true;
    m_fetching = false;
    // From the event loop, never inside start(), fetchNext() or cancel().
    QMetaObject::invokeMethod(
        this,
        [this, result = std::move(result)] {
            if (m_discarded)
                return;
            deliverDone(result);
            Q_EMIT finished();
            if (m_autoDelete)
                deleteLater();
        },
        Qt::QueuedConnection);
}

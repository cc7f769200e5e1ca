// PageWalker: walks a cursor-paged list of the Management API (`?cursor&limit`, docs/MANAGEMENT-API.md),
// delivering each page as it arrives, then one final outcome.
//
// The walker does not know any route: it is given a fetch function that starts one page of one
// list, for instance
//     [client](const PageRequest &r, QObject *ctx, auto cb) { return client->listProjects(r, ctx, cb); }
// Cursors stay opaque: the walker only hands `nextCursor` back. A page that says `hasMore` with a
// cursor the service already gave (a loop) is not delivered: the walk ends with a Protocol error
// ("pagination.nextCursor: repeats an earlier cursor") instead of asking for the same pages forever.
//
// Mode::Auto asks for the next page as soon as one arrives, before delivering it (the service works
// on it while the caller handles this one); Mode::OnDemand waits for fetchNext() (e.g. a view's
// fetchMore()). `onPage` runs once per page, on the event loop, and gets the page to keep (moved);
// `onDone` runs exactly once, after the last page, always from the event loop (never inside
// start(), fetchNext() or cancel()): Done when every page arrived, else the ApiError of the page
// that failed, Cancelled after cancel() or when the client (session) that served the pages ended.
// Destroying the walker, or discard(), cancels the page in flight and delivers nothing more.
#pragma once

#include "apiclient.h"

#include <QObject>
#include <QPointer>
#include <QSet>

#include <functional>
#include <optional>

// The request for the page after `page`, or nullopt when it was the last one.
template <class T> std::optional<PageRequest> nextPageRequest(const Page<T> &page, int limit = 0)
{
    if (!page.hasMore || page.nextCursor.isEmpty())
        return std::nullopt;
    return PageRequest { page.nextCursor, limit };
}

class PageWalkerBase : public QObject
{
    Q_OBJECT
public:
    enum class Mode { Auto, OnDemand };

    ~PageWalkerBase() override;

    // Fetches the first page. Once only.
    void start();
    // OnDemand: fetches the next page. False (and nothing happens) when not started, a page is
    // in flight, there is no next page, or the walk has ended.
    bool fetchNext();
    // Ends the walk as Cancelled (delivered later). No-op once it has ended.
    void cancel();
    // Drops the walk: nothing more is delivered (no page, no onDone, even one already on its way)
    // and the walker deletes itself (deleteLater). Safe inside its own onPage or onDone.
    void discard();
    // Deletes the walker (deleteLater) after it delivered its outcome.
    void setAutoDelete(bool autoDelete) { m_autoDelete = autoDelete; }

    Mode mode() const { return m_mode; }
    bool isFetching() const { return m_fetching; }
    bool hasMore() const { return m_hasMore; }
    bool isFinished() const { return m_finished; }
    int pagesDelivered() const { return m_pages; }
    qsizetype itemsDelivered() const { return m_items; }

Q_SIGNALS:
    // Emitted once, right after onDone ran.
    void finished();

protected:
    PageWalkerBase(Mode mode, int limit, QObject *parent);
    // Starts one page; the subclass routes its Result to pageFailed() or acceptPage()+pageDelivered().
    virtual ApiCall *fetchPage(const PageRequest &request) = 0;
    virtual void deliverDone(const Result<Done> &result) = 0;

    // Bookkeeping for a page that arrived; false when the walk must stop (it ended, or the cursor
    // loops: then the walk ends with a Protocol error). Mode::Auto: asks for the next page.
    bool acceptPage(const QString &nextCursor, bool hasMore, qsizetype count);
    // After onPage ran: the end, after the last page.
    void pageDelivered();
    void pageFailed(const ApiError &error);

private:
    void fetch(const PageRequest &request);
    void end(Result<Done> result);

    Mode m_mode;
    int m_limit;
    bool m_started = false;
    bool m_fetching = false;
    bool m_hasMore = false;
    bool m_finished = false;
    bool m_autoDelete = false;
    bool m_discarded = false;
    int m_pages = 0;
    qsizetype m_items = 0;
    quint64 m_fetchSeq = 0;
    QString m_cursor;
    QSet<QString> m_seenCursors;
    QPointer<ApiCall> m_call;
};

template <class T> class PageWalker final : public PageWalkerBase
{
public:
    using Fetch = std::function<ApiCall *(const PageRequest &, QObject *context, ApiClient::Callback<Page<T>>)>;
    using OnPage = std::function<void(Page<T>)>;
    using OnDone = std::function<void(const Result<Done> &)>;

    // `limit`: page size asked for (0: the service's default).
    PageWalker(
        Fetch fetch, OnPage onPage, OnDone onDone, Mode mode = Mode::Auto, int limit = 0, QObject *parent = nullptr)
        : PageWalkerBase(mode, limit, parent)
        , m_fetchFn(std::move(fetch))
        , m_onPage(std::move(onPage))
        , m_onDone(std::move(onDone))
    { }

protected:
    ApiCall *fetchPage(const PageRequest &request) override
    {
        return m_fetchFn(request, this, [this](Result<Page<T>> result) {
            if (!result.ok()) {
                pageFailed(result.error());
                return;
            }
            Page<T> page = result.takeValue();
            if (!acceptPage(page.nextCursor, page.hasMore, qsizetype(page.items.size())))
                return;
            QPointer<PageWalkerBase> self(this);
            if (m_onPage)
                m_onPage(std::move(page));
            if (self)
                pageDelivered();
        });
    }

    void deliverDone(const Result<Done> &result) override
    {
        if (auto done = std::move(m_onDone))
            done(result);
    }

private:
    Fetch m_fetchFn;
    OnPage m_onPage;
    OnDone m_onDone;
};

// Walks every page of a list (Mode::Auto) under `context`: the walker is a child of `context` and
// deletes itself after onDone. Returns it, for cancel(). Example:
//     walkAll<Project>(this, [c](const PageRequest &r, QObject *x, auto cb) { return c->listProjects(r, x, cb); },
//                      [](const Page<Project> &p) { ... }, [](const Result<Done> &r) { ... });
template <class T>
PageWalker<T> *walkAll(QObject *context, typename PageWalker<T>::Fetch fetch, typename PageWalker<T>::OnPage onPage,
    typename PageWalker<T>::OnDone onDone, int limit = 0)
{
    auto *walker = new PageWalker<T>(
        std::move(fetch), std::move(onPage), std::move(onDone), PageWalkerBase::Mode::Auto, limit, context);
    walker->setAutoDelete(true);
    walker->start();
    return walker;
}

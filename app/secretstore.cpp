#include "secretstore.h"

#include "secretbytes.h"

#include <QLoggingCategory>
#include <QThread>

#include <qt6keychain/keychain.h>

Q_LOGGING_CATEGORY(lcKeychain, "ppg.keychain", QtInfoMsg)

namespace {

using SecretBytes::wipeIfOwned;
using SecretBytes::wipeShared;

// Holds a secret on its way to a callback; wipes it unless the callback kept a copy.
struct SecretHolder
{
    QByteArray bytes;
    explicit SecretHolder(QByteArray b) : bytes(std::move(b)) { }
    SecretHolder(const SecretHolder &) = delete;
    SecretHolder &operator=(const SecretHolder &) = delete;
    ~SecretHolder() { wipeIfOwned(bytes); }
};

const char *opName(int op)
{
    static const char *const names[] = { "write", "read", "remove" };
    return names[op];
}

} // namespace

// Carries one callback to its context: connected (queued) to the context when the call is
// made, emitted once when the result is known. Qt drops the queued call if the context is
// destroyed first, safely across threads, which a raw pointer to the context could not do.
class KeychainCallbackRelay : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
Q_SIGNALS:
    void fire();
};

struct SecretStore::Request
{
    enum class Op { Write, Read, Remove };
    Op op = Op::Read;
    QString key;
    QByteArray secret; // Write only; detached, this store is its one owner
    qsizetype size = 0; // Write only: bytes offered
    DoneCallback done;
    ReadCallback readDone;
    quint64 serial = 0;
    std::unique_ptr<KeychainCallbackRelay> relay;
    std::shared_ptr<std::function<void()>> pending; // what the relay's queued call runs

    ~Request() { wipeIfOwned(secret); }
};

namespace {

// Builds a request in the caller's thread: the relay is connected to `context` while the
// caller still vouches for it, then handed to the store's thread.
template <typename R> std::unique_ptr<R> makeRequest(QObject *context, QThread *storeThread)
{
    auto r = std::make_unique<R>();
    r->relay = std::make_unique<KeychainCallbackRelay>();
    r->pending = std::make_shared<std::function<void()>>();
    QObject::connect(
        r->relay.get(), &KeychainCallbackRelay::fire, context,
        [pending = r->pending] {
            auto f = std::move(*pending);
            *pending = nullptr;
            if (f)
                f();
        },
        Qt::QueuedConnection);
    r->relay->moveToThread(storeThread);
    return r;
}

} // namespace

SecretStore::SecretStore(const QString &service, QObject *parent) : QObject(parent), m_service(service)
{
    m_deadlineTimer.setSingleShot(true);
    connect(&m_deadlineTimer, &QTimer::timeout, this, &SecretStore::onDeadline);
}

SecretStore::~SecretStore()
{
    // Nobody will run these: tell their callers (queued to their contexts, as always).
    //: Shown in parentheses after "The keyring reported an error".
    const KeychainError closed(KeychainError::Kind::Other, tr("keychain store closed"));
    if (m_running) {
        // Its QtKeychain job deletes itself when it finishes; we only stop listening.
        finish(std::move(m_running), closed);
    }
    while (!m_queue.empty()) {
        auto r = std::move(m_queue.front());
        m_queue.pop_front();
        finish(std::move(r), closed);
    }
}

void SecretStore::setDeadline(std::chrono::milliseconds deadline)
{
    m_deadline = deadline;
}

qsizetype SecretStore::maxSecretSize()
{
#ifdef Q_OS_WIN
    return 2560; // one credential blob in QtKeychain 0.13; it does not chunk
#else
    return 64 * 1024;
#endif
}

QString SecretStore::tokenKey(const QString &profileId)
{
    return QStringLiteral("profile/%1/token").arg(profileId);
}

QString SecretStore::connectionKey(const QString &profileId, const QString &connectionId)
{
    return QStringLiteral("profile/%1/connection/%2").arg(profileId, connectionId);
}

void SecretStore::write(const QString &key, QByteArray secret, QObject *context, DoneCallback done)
{
    auto r = makeRequest<Request>(context ? context : this, thread());
    r->op = Request::Op::Write;
    r->key = key;
    r->size = secret.size();
    r->done = std::move(done);
    if (r->size <= maxSecretSize()) {
        secret.detach(); // our own buffer, so wiping it can never touch a caller's copy
        r->secret = std::move(secret);
    } else {
        wipeIfOwned(secret); // rejected in startNext() without calling the backend
    }
    enqueue(std::move(r));
}

void SecretStore::read(const QString &key, QObject *context, ReadCallback done)
{
    auto r = makeRequest<Request>(context ? context : this, thread());
    r->op = Request::Op::Read;
    r->key = key;
    r->readDone = std::move(done);
    enqueue(std::move(r));
}

void SecretStore::remove(const QString &key, QObject *context, DoneCallback done)
{
    auto r = makeRequest<Request>(context ? context : this, thread());
    r->op = Request::Op::Remove;
    r->key = key;
    r->done = std::move(done);
    enqueue(std::move(r));
}

void SecretStore::removeProfileSecrets(
    const QString &profileId, const QStringList &connectionIds, QObject *context, DoneCallback done)
{
    QStringList keys { tokenKey(profileId) };
    for (const QString &connectionId : connectionIds) {
        const QString k = connectionKey(profileId, connectionId);
        if (!connectionId.isEmpty() && !keys.contains(k))
            keys << k;
    }
    // Every partial callback runs on the context's thread, so this state needs no lock.
    struct Batch
    {
        qsizetype remaining = 0;
        KeychainError first;
        DoneCallback done;
    };
    auto batch = std::make_shared<Batch>();
    batch->remaining = keys.size();
    batch->done = std::move(done);
    for (const QString &k : std::as_const(keys)) {
        remove(k, context, [batch](const KeychainError &e) {
            if (!e.ok() && batch->first.ok())
                batch->first = e;
            if (--batch->remaining == 0 && batch->done)
                batch->done(batch->first);
        });
    }
}

int SecretStore::pendingJobs() const
{
    return int(m_queue.size()) + (m_running ? 1 : 0);
}

void SecretStore::enqueue(std::unique_ptr<Request> request)
{
    if (QThread::currentThread() != thread()) {
        auto holder = std::make_shared<std::unique_ptr<Request>>(std::move(request));
        QMetaObject::invokeMethod(
            this, [this, holder] { enqueue(std::move(*holder)); }, Qt::QueuedConnection);
        return;
    }
    request->serial = m_nextSerial++;
    m_queue.push_back(std::move(request));
    startNext();
}

void SecretStore::startNext()
{
    while (!m_running && !m_queue.empty()) {
        auto r = std::move(m_queue.front());
        m_queue.pop_front();
        const int op = int(r->op);

        if (r->key.isEmpty()) {
            qCWarning(lcKeychain) << opName(op) << "refused: empty key";
            //: Shown in parentheses after "The keyring reported an error".
            finish(std::move(r), KeychainError(KeychainError::Kind::Other, tr("empty key")));
            continue;
        }
        if (r->op == Request::Op::Write && r->size > maxSecretSize()) {
            qCWarning(lcKeychain).nospace()
                << "write " << r->key << " refused: " << r->size << " bytes > limit " << maxSecretSize();
            finish(std::move(r),
                KeychainError(KeychainError::Kind::TooLarge,
                    QStringLiteral("%1 bytes, limit %2").arg(r->size).arg(maxSecretSize())));
            continue;
        }

        QKeychain::Job *job = nullptr;
        // The buffer handed to QtKeychain: wiped when its job finishes, even if we gave up on it.
        auto handed = std::make_shared<QByteArray>();
        switch (r->op) {
        case Request::Op::Write: {
            auto *w = new QKeychain::WritePasswordJob(m_service);
            w->setBinaryData(r->secret); // shares our buffer; r->secret stays its one other holder
            *handed = std::move(r->secret);
            job = w;
            break;
        }
        case Request::Op::Read:
            job = new QKeychain::ReadPasswordJob(m_service);
            break;
        case Request::Op::Remove:
            job = new QKeychain::DeletePasswordJob(m_service);
            break;
        }
        // No parent: the job deletes itself after it finishes, never while it runs, even if
        // this store is gone by then (QtKeychain's callbacks would crash on a deleted job).
        job->setAutoDelete(true);
        job->setInsecureFallback(false);
#ifdef Q_OS_WIN
        job->setKey(m_service + QLatin1Char('/') + r->key); // 0.13 stores under the key alone
#else
        job->setKey(r->key);
#endif
        const quint64 serial = r->serial;
        connect(job, &QKeychain::Job::finished, this, [this, serial](QKeychain::Job *j) { onJobFinished(serial, j); });
        // Connected second, so it runs after onJobFinished() copied a read's result.
        connect(job, &QKeychain::Job::finished, job, [handed](QKeychain::Job *j) {
            wipeShared(*handed);
            if (auto *rj = qobject_cast<QKeychain::ReadPasswordJob *>(j)) {
                QByteArray data = rj->binaryData();
                wipeShared(data);
            }
        });

        qCDebug(lcKeychain) << opName(op) << r->key << "started";
        m_running = std::move(r);
        m_deadlineTimer.start(m_deadline);
        job->start(); // queued inside QtKeychain: nothing runs before we return
    }
}

void SecretStore::onJobFinished(quint64 serial, QObject *jobObject)
{
    auto *job = static_cast<QKeychain::Job *>(jobObject);
    const KeychainError error = fromBackend(job->error(), job->errorString());

    if (m_abandoned.remove(serial)) {
        qCInfo(lcKeychain).nospace() << "job for " << job->key() << " finished after its deadline ("
                                     << KeychainError::kindName(error.kind) << "); result ignored";
        Q_EMIT answeredAfterDeadline();
        return;
    }
    if (!m_running || m_running->serial != serial)
        return;

    m_deadlineTimer.stop();
    auto r = std::move(m_running);
    const int op = int(r->op);
    if (error.ok()) {
        qCDebug(lcKeychain) << opName(op) << r->key << "ok";
    } else if (error.kind == KeychainError::Kind::NotFound) {
        qCInfo(lcKeychain) << opName(op) << r->key << "not found (or keyring locked)";
    } else {
        qCWarning(lcKeychain).nospace() << opName(op) << " " << r->key
                                        << " failed: " << KeychainError::kindName(error.kind) << " (" << error.detail
                                        << ")";
    }

    QByteArray secret;
    if (r->op == Request::Op::Read && error.ok()) {
        const QByteArray fromJob = static_cast<QKeychain::ReadPasswordJob *>(job)->binaryData();
        secret = QByteArray(fromJob.constData(), fromJob.size()); // the caller's own buffer
    }
    finish(std::move(r), error, std::move(secret));
    startNext();
    if (pendingJobs() == 0)
        Q_EMIT idle();
}

void SecretStore::onDeadline()
{
    if (!m_running)
        return;
    auto r = std::move(m_running);
    m_abandoned.insert(r->serial);
    qCWarning(lcKeychain).nospace() << opName(int(r->op)) << " " << r->key << " timed out after " << m_deadline.count()
                                    << " ms; the job is left to finish";
    finish(std::move(r),
        KeychainError(KeychainError::Kind::Timeout, QStringLiteral("no answer within %1 ms").arg(m_deadline.count())));
    startNext();
    if (pendingJobs() == 0)
        Q_EMIT idle();
}

void SecretStore::finish(std::unique_ptr<Request> r, const KeychainError &error, QByteArray secret)
{
    if (r->op == Request::Op::Read) {
        auto holder = std::make_shared<SecretHolder>(error.ok() ? std::move(secret) : QByteArray());
        *r->pending = [done = std::move(r->readDone), holder, error] {
            if (done)
                done(holder->bytes, error);
        };
    } else {
        *r->pending = [done = std::move(r->done), error] {
            if (done)
                done(error);
        };
    }
    wipeIfOwned(secret);
    Q_EMIT r->relay->fire(); // queued to the context; dropped if the context is gone
    // r (with its relay) is destroyed here: an already-posted call still runs.
}

KeychainError SecretStore::fromBackend(int code, const QString &text)
{
    using K = KeychainError::Kind;
    switch (code) {
    case QKeychain::NoError:
        return {};
    case QKeychain::EntryNotFound:
        return KeychainError(K::NotFound, text);
    case QKeychain::AccessDeniedByUser:
        return KeychainError(K::AccessDenied, text);
    case QKeychain::AccessDenied: // libsecret: SECRET_ERROR_IS_LOCKED
        return KeychainError(K::Locked, text);
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        return KeychainError(K::NoBackend, text);
    default:
        break;
    }
    // OtherError: libsecret passes GLib's and the bus's texts through. Measured on Debian 12:
    //   no session bus:   "Cannot autolaunch D-Bus without X11 $DISPLAY"
    //   dead bus address: "Could not connect: No such file or directory"
    //   bus hung up:      "Unexpected lack of content trying to read a line"
    //   no keyring yet:   "Object does not exist at path “/org/freedesktop/secrets/collection/login”"
    static const char *const lockedHints[] = { "/org/freedesktop/secrets/collection", "is locked" };
    static const char *const noBackendHints[] = { "D-Bus", "DBus", "Could not connect", "autolaunch",
        "org.freedesktop.secrets", "ServiceUnknown", "Unexpected lack of content", "Connection refused",
        "Connection reset", "No such interface", "was not provided by any" };
    for (const char *hint : lockedHints)
        if (text.contains(QLatin1String(hint), Qt::CaseInsensitive))
            return KeychainError(K::Locked, text);
    for (const char *hint : noBackendHints)
        if (text.contains(QLatin1String(hint), Qt::CaseInsensitive))
            return KeychainError(K::NoBackend, text);
    return KeychainError(K::Other, text);
}

#include "secretstore.moc"

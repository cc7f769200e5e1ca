// SecretStore: the one place that talks to the OS keychain (QtKeychain 0.13).
//
// Stores service tokens and connection strings ("the vault") under a fixed service name and
// these keys (ids, never names, so renaming a profile keeps its secrets):
//   tokenKey(profileId)                    "profile/<profileId>/token"
//   connectionKey(profileId, connectionId) "profile/<profileId>/connection/<connectionId>"
// QtKeychain cannot enumerate entries: the non-secret index of vault connection ids per profile
// lives in ProfileStore (vaultConnectionIds()); pass it to removeProfileSecrets().
//
// Behaviour (see docs/PLATFORM-NOTES.md, "QtKeychain on Linux"):
// - Asynchronous: every call returns at once; its callback runs exactly once, later, on the
//   thread of `context`, through a queued call; never from inside the call. If `context` is
//   destroyed first, the callback does not run. Calls may come from any thread.
// - Jobs run one at a time, in call order. Each gets its own deadline (default 15 s, from the
//   moment it starts); past it the caller gets KeychainError::Kind::Timeout and the queue moves
//   on. The QtKeychain job is never deleted while it runs: its late result is logged and ignored.
//   (QtKeychain itself runs one job per process, so jobs behind a hung one time out too.)
// - Never spins an event loop, never enables QtKeychain's insecure (plain-text) fallback.
// - Secrets larger than maxSecretSize() (64 KiB; 2,560 bytes on Windows, where 0.13 cannot
//   chunk) fail with Kind::TooLarge without touching the backend.
// - Secret buffers: write() takes the secret by value (std::move it in to hand over the only
//   copy), detaches it from any other owner and zero-fills it once QtKeychain is done with it.
//   read() hands the caller a fresh buffer and zero-fills the backend's copy and any copy the
//   callback did not keep.
// - Logs (category "ppg.keychain") name keys and outcomes only, never a secret.
// Errors: KeychainError (see keychainerror.h for the mapping of QtKeychain errors).
#pragma once

#include "keychainerror.h"

#include <QByteArray>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QTimer>

#include <chrono>
#include <deque>
#include <functional>
#include <memory>

class SecretStore : public QObject
{
    Q_OBJECT

public:
    using DoneCallback = std::function<void(const KeychainError &error)>;
    using ReadCallback = std::function<void(const QByteArray &secret, const KeychainError &error)>;

    static constexpr std::chrono::milliseconds kDefaultDeadline { 15000 };

    explicit SecretStore(const QString &service = QStringLiteral("ppg-console"), QObject *parent = nullptr);
    ~SecretStore() override; // queued jobs are dropped without callbacks; a running one is left to finish

    QString service() const { return m_service; }

    // Deadline for each job started from now on (tests use a few hundred ms).
    void setDeadline(std::chrono::milliseconds deadline);
    std::chrono::milliseconds deadline() const { return m_deadline; }

    static qsizetype maxSecretSize(); // bytes
    static QString tokenKey(const QString &profileId);
    static QString connectionKey(const QString &profileId, const QString &connectionId);

    // Saves (or overwrites) `secret` under `key`.
    void write(const QString &key, QByteArray secret, QObject *context, DoneCallback done);
    // Reads the secret under `key`; on error `secret` is empty.
    void read(const QString &key, QObject *context, ReadCallback done);
    // Deletes `key`; deleting a missing entry succeeds.
    void remove(const QString &key, QObject *context, DoneCallback done);
    // Deletes the profile's token and the vault entries of `connectionIds`; `done` runs once,
    // after the last deletion, with the first error met (or success).
    void removeProfileSecrets(
        const QString &profileId, const QStringList &connectionIds, QObject *context, DoneCallback done);

    // Jobs queued or running (not counting abandoned ones). For tests and a busy indicator.
    int pendingJobs() const;
    // Jobs that passed their deadline and whose QtKeychain job has not finished yet.
    int abandonedJobs() const { return int(m_abandoned.size()); }

    // Maps a QtKeychain outcome (QKeychain::Error value and errorString()) to a KeychainError.
    static KeychainError fromBackend(int qkeychainError, const QString &errorString);

Q_SIGNALS:
    // Emitted when the queue has drained (nothing queued, nothing running).
    void idle();
    // A job that had timed out finished after all: the keychain answers again (e.g. it was
    // unlocked). Its result stays ignored; callers may ask again (SessionManager does).
    void answeredAfterDeadline();

private:
    struct Request;

    void enqueue(std::unique_ptr<Request> request);
    void startNext();
    void onJobFinished(quint64 serial, QObject *job);
    void onDeadline();
    void finish(std::unique_ptr<Request> request, const KeychainError &error, QByteArray secret = {});

    QString m_service;
    std::chrono::milliseconds m_deadline = kDefaultDeadline;
    std::deque<std::unique_ptr<Request>> m_queue;
    std::unique_ptr<Request> m_running;
    QTimer m_deadlineTimer;
    QSet<quint64> m_abandoned;
    quint64 m_nextSerial = 1;
};

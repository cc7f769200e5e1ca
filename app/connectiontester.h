// ConnectionTester: "Test connection" for a connection string, with libpq, off the GUI thread.
//
// test() connects with exactly the given string (a postgres:// URL or a conninfo; TLS as its
// sslmode asks), runs `SELECT 1`, and emits finished() on the tester's thread with the server
// version and the times taken, or with libpq's error put in plain words (Result::Problem and
// Result::message) plus libpq's own message (Result::detail). The work runs on Qt's global thread
// pool (QtConcurrent::run); the GUI thread never waits. A connect_timeout of 10 s applies unless
// the string sets its own.
// One test at a time per tester: test() while busy is ignored and returns false. Destroying the
// tester while a test runs drops its result (the worker finishes on its own within the timeout).
// Secrets: the string is never logged. libpq may quote the connection string in a parse error,
// so such messages are replaced, and any occurrence of the password in a message is masked.
// No route of the Management API is called.
#pragma once

#include <QMetaType>
#include <QObject>
#include <QString>

#include <chrono>
#include <memory>

class ConnectionTester : public QObject
{
    Q_OBJECT
public:
    struct Result
    {
        enum class Problem {
            None, // connected
            InvalidString, // libpq cannot read the string
            WrongPassword, // password authentication failed
            NoPassword, // the server wants a password the string does not carry
            UnknownUser, // role does not exist
            UnknownDatabase, // database does not exist
            HostNotFound, // DNS could not resolve the host
            ConnectionRefused, // nothing listens at host:port
            Unreachable, // no route / network unreachable
            Timeout, // connect_timeout expired
            TlsFailure, // TLS required but not offered, or the handshake failed
            NotAllowed, // pg_hba.conf rejects this client
            TooManyConnections, // the server is out of connection slots
            Other // anything else: see detail
        };

        Problem problem = Problem::Other;
        QString message; // translated sentence for people
        QString detail; // libpq's message, trimmed; never the string, never the password
        QString serverVersion; // e.g. "15.8" (server_version), when connected
        bool tls = false; // the session is encrypted
        std::chrono::milliseconds connectTime { 0 }; // until the connection was ready
        std::chrono::milliseconds roundTrip { 0 }; // one `SELECT 1`

        bool ok() const { return problem == Problem::None; }
    };

    explicit ConnectionTester(QObject *parent = nullptr);
    ~ConnectionTester() override;

    // Starts a test; false (and nothing emitted) when one is running already.
    bool test(const QString &connectionString);
    bool isBusy() const { return m_busy; }

    // The test itself, on the calling thread (blocks up to the connect timeout). For workers.
    static Result run(const QString &connectionString, int connectTimeoutSeconds = 10);
    // Maps a libpq error message to a problem (exposed for tests).
    static Result::Problem classify(const QString &libpqMessage);
    // The translated sentence for a problem.
    static QString describe(Result::Problem problem);

Q_SIGNALS:
    void finished(const ConnectionTester::Result &result);

private:
    struct Pending;
    // On the tester's thread, posted by the worker: emits finished() with the stored result.
    Q_INVOKABLE void deliverResult();

    std::shared_ptr<Pending> m_pending;
    bool m_busy = false;
};

Q_DECLARE_METATYPE(ConnectionTester::Result)

#include "connectiontester.h"

#include "connectionstrings.h"

#include <QElapsedTimer>
#include <QMutex>
#include <QThreadPool>

#include <libpq-fe.h>

#include <optional>

using namespace std::chrono;

// Shared between the tester and its worker: the worker stores its result and posts deliverResult()
// to `receiver` only while holding the lock; the tester clears `receiver` under the same lock when
// it goes away, and takes the result under it. The result travels through this lock, not through
// the posted call: Qt's event queue is a hand-off ThreadSanitizer cannot see (Qt is not built with
// it), and a lambda posted with its captures was reported as a race on them.
struct ConnectionTester::Pending
{
    QMutex mutex;
    ConnectionTester *receiver = nullptr;
    std::optional<Result> result;
};

ConnectionTester::ConnectionTester(QObject *parent) : QObject(parent)
{
    qRegisterMetaType<ConnectionTester::Result>();
}

ConnectionTester::~ConnectionTester()
{
    if (m_pending) {
        QMutexLocker lock(&m_pending->mutex);
        m_pending->receiver = nullptr;
    }
}

bool ConnectionTester::test(const QString &connectionString)
{
    if (m_busy)
        return false;
    m_busy = true;
    auto pending = std::make_shared<Pending>();
    pending->receiver = this;
    m_pending = pending;
    QThreadPool::globalInstance()->start([pending, connectionString] {
        Result result = run(connectionString);
        QMutexLocker lock(&pending->mutex);
        if (!pending->receiver)
            return;
        pending->result = std::move(result);
        // Posted to the tester's thread, by name (no functor of ours crosses threads); Qt discards
        // it if the tester is deleted before delivery.
        QMetaObject::invokeMethod(pending->receiver, "deliverResult", Qt::QueuedConnection);
    });
    return true;
}

void ConnectionTester::deliverResult()
{
    const std::shared_ptr<Pending> pending = m_pending;
    if (!pending)
        return;
    std::optional<Result> result;
    {
        QMutexLocker lock(&pending->mutex);
        result.swap(pending->result);
    }
    if (!result)
        return; // nothing stored (posted once per result, so not expected)
    m_pending.reset();
    m_busy = false;
    Q_EMIT finished(*result);
}

namespace {

QString redact(QString message, const QString &password)
{
    if (password.size() >= 3)
        message.replace(password, ConnectionStrings::maskDots());
    return message.trimmed();
}

} // namespace

ConnectionTester::Result ConnectionTester::run(const QString &connectionString, int connectTimeoutSeconds)
{
    Result r;
    const QByteArray conninfo = connectionString.toUtf8();

    // Read the string first: a parse error from PQconnectdb may quote it (password included).
    char *parseError = nullptr;
    PQconninfoOption *options = PQconninfoParse(conninfo.constData(), &parseError);
    if (!options) {
        PQfreemem(parseError);
        r.problem = Result::Problem::InvalidString;
        r.message = describe(r.problem);
        return r;
    }
    QString password;
    for (PQconninfoOption *o = options; o->keyword; ++o) {
        if (o->val && qstrcmp(o->keyword, "password") == 0)
            password = QString::fromUtf8(o->val);
    }
    PQconninfoFree(options);

    const QByteArray timeout = QByteArray::number(connectTimeoutSeconds);
    // connect_timeout first: keywords expanded from the string (dbname) override it.
    const char *keywords[] = { "connect_timeout", "dbname", nullptr };
    const char *values[] = { timeout.constData(), conninfo.constData(), nullptr };
    QElapsedTimer clock;
    clock.start();
    PGconn *conn = PQconnectdbParams(keywords, values, 1);
    r.connectTime = milliseconds(clock.elapsed());
    if (!conn) {
        r.problem = Result::Problem::Other;
        r.message = describe(r.problem);
        r.detail = tr("libpq could not allocate a connection.");
        return r;
    }
    if (PQstatus(conn) != CONNECTION_OK) {
        const QString raw = QString::fromUtf8(PQerrorMessage(conn));
        PQfinish(conn);
        r.problem = classify(raw);
        r.message = describe(r.problem);
        r.detail = redact(raw, password);
        return r;
    }
    r.tls = PQsslInUse(conn) == 1;
    r.serverVersion = QString::fromUtf8(PQparameterStatus(conn, "server_version"));
    clock.restart();
    PGresult *res = PQexec(conn, "SELECT 1");
    r.roundTrip = milliseconds(clock.elapsed());
    if (PQresultStatus(res) == PGRES_TUPLES_OK) {
        r.problem = Result::Problem::None;
        r.message = describe(r.problem);
    } else {
        const QString raw = QString::fromUtf8(PQresultErrorMessage(res));
        r.problem = classify(raw);
        if (r.problem == Result::Problem::None)
            r.problem = Result::Problem::Other;
        r.message = describe(r.problem);
        r.detail = redact(raw, password);
    }
    PQclear(res);
    PQfinish(conn);
    return r;
}

ConnectionTester::Result::Problem ConnectionTester::classify(const QString &libpqMessage)
{
    using P = Result::Problem;
    const QString m = libpqMessage.toLower();
    auto has = [&m](const char *s) { return m.contains(QLatin1String(s)); };
    if (has("password authentication failed"))
        return P::WrongPassword;
    if (has("no password supplied"))
        return P::NoPassword;
    if (has("role \"") && has("does not exist"))
        return P::UnknownUser;
    if (has("database \"") && has("does not exist"))
        return P::UnknownDatabase;
    if (has("could not translate host name") || has("name or service not known"))
        return P::HostNotFound;
    if (has("connection refused"))
        return P::ConnectionRefused;
    if (has("network is unreachable") || has("no route to host") || has("host is unreachable"))
        return P::Unreachable;
    if (has("timeout expired") || has("timed out"))
        return P::Timeout;
    if (has("pg_hba.conf"))
        return P::NotAllowed; // before TLS: this message ends with "SSL off"/"SSL encryption"
    if (has("too many connections") || has("remaining connection slots"))
        return P::TooManyConnections;
    if (has("ssl") || has("certificate") || has("tls"))
        return P::TlsFailure;
    if (has("invalid uri") || has("invalid connection option") || has("missing \"=\"") || has("invalid percent-encoded")
        || has("invalid sslmode value") || has("invalid integer value"))
        return P::InvalidString;
    return P::Other;
}

QString ConnectionTester::describe(Result::Problem problem)
{
    using P = Result::Problem;
    switch (problem) {
    case P::None:
        return tr("Connected.");
    case P::InvalidString:
        return tr("This is not a connection string libpq can read.");
    case P::WrongPassword:
        return tr("The server refused the password. The credentials may have been rotated or the connection "
                  "deleted.");
    case P::NoPassword:
        return tr("The server asks for a password, and the connection string has none.");
    case P::UnknownUser:
        return tr("The server does not know this user. The connection may have been deleted.");
    case P::UnknownDatabase:
        return tr("The database does not exist on the server. It may have been deleted.");
    case P::HostNotFound:
        return tr("The host name could not be found. Check your network and DNS.");
    case P::ConnectionRefused:
        return tr("The host refused the connection: nothing is listening on that port.");
    case P::Unreachable:
        return tr("The host cannot be reached from this network.");
    case P::Timeout:
        return tr("The server did not answer in time. A firewall may be blocking the port.");
    case P::TlsFailure:
        return tr("The secure (TLS) connection failed.");
    case P::NotAllowed:
        return tr("The server does not accept connections from this client.");
    case P::TooManyConnections:
        return tr("The server has no free connection slots right now.");
    case P::Other:
        break;
    }
    return tr("The connection failed.");
}

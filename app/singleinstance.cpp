#include "singleinstance.h"

#include <QCryptographicHash>
#include <QDataStream>
#include <QDir>
#include <QElapsedTimer>
#include <QLocalServer>
#include <QLocalSocket>
#include <QStandardPaths>

#include <optional>

namespace {

constexpr auto kStreamVersion = QDataStream::Qt_6_4;

void writeMessage(QLocalSocket *socket, const QStringList &message)
{
    QDataStream out(socket);
    out.setVersion(kStreamVersion);
    out << message;
    socket->flush();
}

// Reads one whole message, if it has arrived; nullopt while it is incomplete.
std::optional<QStringList> readMessage(QLocalSocket *socket)
{
    QDataStream in(socket);
    in.setVersion(kStreamVersion);
    in.startTransaction();
    QStringList message;
    in >> message;
    if (!in.commitTransaction())
        return std::nullopt;
    return message;
}

} // namespace

SingleInstance::SingleInstance(const QString &settingsPath, QObject *parent) : QObject(parent)
{
    QString dir = QStandardPaths::writableLocation(QStandardPaths::RuntimeLocation);
    if (dir.isEmpty())
        dir = QDir::tempPath();
    const QByteArray hash
        = QCryptographicHash::hash(QDir::cleanPath(settingsPath).toUtf8(), QCryptographicHash::Sha256).toHex().left(16);
    m_name = dir + QStringLiteral("/ppg-console-") + QString::fromLatin1(hash);
}

SingleInstance::~SingleInstance() = default;

SingleInstance::Answer SingleInstance::sendToRunning(const QStringList &request, int timeoutMs) const
{
    Answer answer;
    QLocalSocket socket;
    socket.connectToServer(m_name);
    if (!socket.waitForConnected(2000)) {
        answer.message = socket.errorString();
        return answer;
    }
    writeMessage(&socket, request);
    QElapsedTimer waited;
    waited.start();
    while (waited.elapsed() < timeoutMs) {
        if (const auto reply = readMessage(&socket)) {
            answer.delivered = true;
            answer.ok = reply->value(0) == QLatin1String("ok");
            answer.message = reply->value(1);
            return answer;
        }
        if (socket.state() != QLocalSocket::ConnectedState) {
            answer.message = QObject::tr("the running console closed the connection");
            return answer;
        }
        socket.waitForReadyRead(int(qMax<qint64>(1, timeoutMs - waited.elapsed())));
    }
    answer.delivered = true; // it has the request; it did not answer in time
    answer.message = QObject::tr("the running console took the link and is still opening it");
    answer.ok = true;
    return answer;
}

bool SingleInstance::listen(QString *error)
{
    m_server = new QLocalServer(this);
    // With an access option, Qt binds the socket in a private folder, sets its mode and renames it
    // to the name, so the socket file of a console that crashed is replaced rather than refused.
    m_server->setSocketOptions(QLocalServer::UserAccessOption);
    if (!m_server->listen(m_name)) {
        *error = m_server->errorString();
        return false;
    }
    connect(m_server, &QLocalServer::newConnection, this, &SingleInstance::onNewConnection);
    return true;
}

void SingleInstance::onNewConnection()
{
    while (QLocalSocket *socket = m_server->nextPendingConnection()) {
        connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QLocalSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
    }
}

void SingleInstance::onReadyRead(QLocalSocket *socket)
{
    const auto request = readMessage(socket);
    if (!request)
        return;
    disconnect(socket, &QLocalSocket::readyRead, this, nullptr); // one request per connection
    Q_EMIT requestReceived(quintptr(socket), *request);
}

void SingleInstance::handled(quintptr token, bool ok, const QString &message)
{
    // The token is the connection's socket; it may be gone (the sender stopped waiting).
    for (QLocalSocket *socket : m_server ? m_server->findChildren<QLocalSocket *>() : QList<QLocalSocket *> {}) {
        if (quintptr(socket) != token)
            continue;
        if (socket->state() == QLocalSocket::ConnectedState)
            writeMessage(socket, { ok ? QStringLiteral("ok") : QStringLiteral("error"), message });
        socket->disconnectFromServer();
        return;
    }
}

// FakeServer: a tiny scripted HTTP/1.1 server on 127.0.0.1 (QTcpServer), for tests of retries,
// Retry-After, redirects and headers that the sandbox cannot stage. Each request is recorded
// (method, path, query, headers with lower-case names, body) and answered by `handler`; one
// request per connection (Connection: close). An answer can be delayed or dropped (the
// connection closed without a reply). answered() counts the requests whose answer moment has come
// (answered, dropped, or the client had hung up by then): a test waits for it instead of guessing
// how long a delayed answer takes on a loaded machine.
#pragma once

#include <QHash>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QUrl>
#include <QUrlQuery>

#include <functional>
#include <vector>

struct FakeRequest
{
    QByteArray method;
    QString path;
    QUrlQuery query;
    QHash<QByteArray, QByteArray> headers; // lower-case names
    QByteArray body;
};

struct FakeResponse
{
    int status = 200;
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;
    bool drop = false; // close the connection without answering
    int delayMs = 0;

    static FakeResponse json(int status, const QByteArray &body) { return FakeResponse { status, body, {}, false, 0 }; }
    static FakeResponse dropped()
    {
        FakeResponse r;
        r.drop = true;
        return r;
    }
    FakeResponse &header(const QByteArray &name, const QByteArray &value)
    {
        headers.append({ name, value });
        return *this;
    }
};

class FakeServer
{
public:
    using Handler = std::function<FakeResponse(const FakeRequest &)>;

    explicit FakeServer(Handler handler = {}) : m_handler(std::move(handler))
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this] {
            while (QTcpSocket *s = m_server.nextPendingConnection())
                serve(s);
        });
        m_server.listen(QHostAddress::LocalHost, 0);
    }

    void setHandler(Handler handler) { m_handler = std::move(handler); }
    quint16 port() const { return m_server.serverPort(); }
    QUrl url(const QString &host = QStringLiteral("127.0.0.1")) const
    {
        return QUrl(QStringLiteral("http://%1:%2").arg(host).arg(port()));
    }
    const std::vector<FakeRequest> &requests() const { return m_requests; }
    int answered() const { return m_answered; }
    int count(const QByteArray &method) const
    {
        int n = 0;
        for (const auto &r : m_requests)
            n += r.method == method ? 1 : 0;
        return n;
    }

private:
    void serve(QTcpSocket *socket)
    {
        auto buffer = std::make_shared<QByteArray>();
        QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket, buffer] {
            buffer->append(socket->readAll());
            const qsizetype end = buffer->indexOf("\r\n\r\n");
            if (end < 0)
                return;
            FakeRequest req;
            const QList<QByteArray> lines = buffer->left(end).split('\n');
            const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
            req.method = first.value(0);
            const QUrl target(QString::fromLatin1(first.value(1)));
            req.path = target.path(QUrl::FullyEncoded);
            req.query = QUrlQuery(target);
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const QByteArray line = lines[i].trimmed();
                const qsizetype colon = line.indexOf(':');
                if (colon > 0)
                    req.headers.insert(line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed());
            }
            const qsizetype length = req.headers.value("content-length", "0").toLongLong();
            if (buffer->size() < end + 4 + length)
                return;
            req.body = buffer->mid(end + 4, length);
            buffer->clear();
            QObject::disconnect(socket, &QTcpSocket::readyRead, nullptr, nullptr);
            m_requests.push_back(req);
            const FakeResponse resp = m_handler ? m_handler(req) : FakeResponse::json(404, "{}");
            QPointer<QTcpSocket> guard(socket);
            // Not a child of the socket: the answer moment comes (and is counted) even when the
            // client hung up before it.
            QTimer::singleShot(resp.delayMs, &m_server, [this, guard, resp] {
                ++m_answered;
                if (!guard)
                    return;
                if (resp.drop) {
                    guard->abort();
                    return;
                }
                QByteArray out = "HTTP/1.1 " + QByteArray::number(resp.status) + " X\r\n";
                out += "Content-Length: " + QByteArray::number(resp.body.size()) + "\r\n";
                out += "Connection: close\r\n";
                if (!resp.body.isEmpty())
                    out += "Content-Type: application/json\r\n";
                for (const auto &h : resp.headers)
                    out += h.first + ": " + h.second + "\r\n";
                out += "\r\n" + resp.body;
                guard->write(out);
                guard->disconnectFromHost();
            });
        });
    }

    QTcpServer m_server;
    Handler m_handler;
    std::vector<FakeRequest> m_requests;
    int m_answered = 0;
};

// SingleInstance: one console per user and settings file. The first console listens on a local
// socket (QLocalServer, owner-only, in the user's runtime folder, named after a hash of the
// settings file's path, so a test's own XDG_CONFIG_HOME gets its own); a later start hands its
// request to it (sendToRunning()) and exits instead of opening a second window.
// A request is a QStringList in a QDataStream (Qt 6.4 format): { "open", <link text> } or
// { "raise" }. The running console answers each with { "ok" | "error", <message> } once it has
// acted (handled() with the request's token), so the sender can print the outcome.
// Errors: listen() fails when the runtime folder cannot hold the socket (errorString()). The socket
// file of a console that crashed is replaced (see listen()); a running console is asked first, so
// only two consoles starting at the same instant can both listen (the later one gets the links).
#pragma once

#include <QObject>
#include <QStringList>

class QLocalServer;
class QLocalSocket;

class SingleInstance : public QObject
{
    Q_OBJECT
public:
    explicit SingleInstance(const QString &settingsPath, QObject *parent = nullptr);
    ~SingleInstance() override;

    // The local socket's name (a path): the same for every start with the same settings file.
    QString serverName() const { return m_name; }

    struct Answer
    {
        bool delivered = false; // a running console took the request
        bool ok = false; // it acted on it
        QString message; // its words, or why nothing was delivered
    };
    // Sends `request` to the running console and waits up to `timeoutMs` for its answer (blocking:
    // used before the window exists). Not delivered when no console runs.
    Answer sendToRunning(const QStringList &request, int timeoutMs) const;

    // Starts listening on serverName(); false (and `*error`) when the socket cannot be made.
    bool listen(QString *error);

    // Answers the request `token` (from requestReceived) with `ok` and `message`.
    void handled(quintptr token, bool ok, const QString &message);

Q_SIGNALS:
    // A later start sent `request`; answer it with handled(token, …).
    void requestReceived(quintptr token, const QStringList &request);

private:
    void onNewConnection();
    void onReadyRead(QLocalSocket *socket);

    QString m_name;
    QLocalServer *m_server = nullptr;
};

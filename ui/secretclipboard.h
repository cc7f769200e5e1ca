// SecretClipboard: puts a secret (a connection string) on the system clipboard carefully.
//
// The data carries the "this is a password" hint types so that clipboard histories skip it
// (Linux `x-kde-passwordManagerHint: secret`, macOS `application/x-nspasteboard-concealed-type`,
// Windows `ExcludeClipboardContentFromMonitorProcessing`). It is cleared after `clearAfter`
// seconds (0: never) and when the application quits, but only if the clipboard still holds what
// we put there. secondsLeft() drives a status-bar countdown.
#pragma once

#include <QObject>
#include <QTimer>

class SecretClipboard : public QObject
{
    Q_OBJECT
public:
    explicit SecretClipboard(QObject *parent = nullptr);
    ~SecretClipboard() override;

    void setClearAfter(int seconds) { m_clearAfter = seconds; }
    int clearAfter() const { return m_clearAfter; }
    void copySecret(const QString &text);
    // Clears the clipboard if it still holds our secret.
    void clearIfOurs();
    int secondsLeft() const { return m_secondsLeft; }

Q_SIGNALS:
    void countdown(int secondsLeft); // 0 once cleared or replaced

private:
    void tick();

    int m_clearAfter = 30;
    int m_secondsLeft = 0;
    QByteArray m_fingerprint; // SHA-256 of what we put there, not the secret itself
    QTimer m_timer;
};

// SecretClipboard: puts a secret (a connection string) on the system clipboard carefully.
//
// - The QMimeData carries text/plain plus the "this is a password" hint types, all three on every
//   platform (an unknown type is harmless elsewhere), so clipboard histories skip it:
//   `x-kde-passwordManagerHint` = "secret" (Linux: Klipper, GNOME extensions, wl-clip-persist),
//   `application/x-nspasteboard-concealed-type` (macOS), and
//   `ExcludeClipboardContentFromMonitorProcessing` (Windows clipboard history and cloud sync).
// - After clearAfter() seconds (default 30; 0 = never) the clipboard is cleared, but only if it
//   still holds what we put there; also on aboutToQuit and when the object is destroyed. Anything
//   someone else copied meanwhile is never touched. "Still ours" is decided by a keyed hash of
//   the text (a random per-process key; the secret itself is not kept) and, on X11, by
//   QClipboard::ownsClipboard() (no round trip to another client).
// - countdown(n) is emitted on copy and then every second with the seconds left, and countdown(0)
//   once the secret is cleared or replaced: it drives the status-bar message. finished(cleared)
//   tells which of the two happened.
// Nothing here logs. The clear time is a setting the caller reads and passes in setClearAfter().
// setTickInterval() changes how long one of those seconds lasts (default 1000 ms): for tests,
// which need not wait 30 real seconds on a loaded machine.
#pragma once

#include <QObject>
#include <QStringList>
#include <QTimer>

#include <chrono>

class QMimeData;

class SecretClipboard : public QObject
{
    Q_OBJECT
public:
    static constexpr int kDefaultClearAfter = 30; // seconds

    explicit SecretClipboard(QObject *parent = nullptr);
    ~SecretClipboard() override;

    // Seconds until the clipboard is cleared; 0 keeps it until quit. Applies to the next copy.
    void setClearAfter(int seconds) { m_clearAfter = qMax(0, seconds); }
    int clearAfter() const { return m_clearAfter; }
    // How long one countdown step ("second") lasts; default 1000 ms. For tests.
    void setTickInterval(std::chrono::milliseconds interval);
    std::chrono::milliseconds tickInterval() const;

    // Puts `text` on the clipboard with the hint types and starts the countdown.
    void copySecret(const QString &text);
    // Clears the clipboard if it still holds our secret; stops the countdown either way.
    void clearIfOurs();
    // True while the clipboard holds the secret we put there.
    bool holdsOurSecret() const;
    int secondsLeft() const { return m_secondsLeft; }

    // The hint types, exactly as put on the QMimeData (for tests and docs).
    static QStringList hintTypes();
    // The data copySecret() puts on the clipboard (caller owns it).
    static QMimeData *secretMimeData(const QString &text);

Q_SIGNALS:
    void countdown(int secondsLeft); // 0 once cleared or replaced
    void finished(bool clearedByUs); // true: we cleared it; false: someone else replaced it

private:
    void tick();
    void onClipboardChanged();
    void stop(bool clearedByUs);
    QByteArray fingerprint(const QString &text) const;

    int m_clearAfter = kDefaultClearAfter;
    int m_secondsLeft = 0;
    bool m_active = false; // our secret is (believed to be) on the clipboard
    bool m_settingData = false; // inside our own setMimeData
    QByteArray m_key; // random per instance
    QByteArray m_fingerprint; // HMAC-SHA256(m_key, text): never the secret itself
    QTimer m_timer;
};

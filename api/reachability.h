// Reachability: whether the API's origins (scheme://host:port) can be reached at all, learned from
// the outcome of every attempt of every ApiCall (shared()).
//
// An attempt that ends without reaching anything (ApiError::unreachable: refused, no route, DNS,
// proxy unreachable) marks its origin offline; any HTTP answer marks it online. While an origin is
// offline, ApiCall sends no retries to it (no retry storm: each call fails after one attempt) and
// this object probes it by itself with a plain GET of <origin>/v1/me without a token (any HTTP
// status means it is back), waiting `firstProbe` and doubling up to `maxProbe` between probes, and
// at once when Qt's QNetworkInformation (when a backend exists on the machine) says the machine is
// online again. offlineChanged() tells the app layer, which shows it and refreshes once back.
#pragma once

#include <QHash>
#include <QObject>
#include <QString>
#include <QUrl>

#include <chrono>

class QNetworkAccessManager;
class QTimer;

class Reachability : public QObject
{
    Q_OBJECT
public:
    static Reachability *shared();
    static QString origin(const QUrl &url); // "http://127.0.0.1:8787"

    bool isOffline(const QString &origin) const { return m_offline.contains(origin); }
    bool anyOffline() const { return !m_offline.isEmpty(); }
    // Called by ApiCall after each attempt.
    void report(const QString &origin, bool reached);
    // Probe intervals (tests shorten them). Defaults: 1 s doubling up to 30 s.
    void setProbeIntervals(std::chrono::milliseconds first, std::chrono::milliseconds max);
    int probesSent() const { return m_probesSent; }

Q_SIGNALS:
    void offlineChanged(const QString &origin, bool offline);

private:
    explicit Reachability(QObject *parent = nullptr);
    struct Offline
    {
        QTimer *timer = nullptr;
        std::chrono::milliseconds next {};
        bool probing = false;
    };
    void probe(const QString &origin);
    void probeAllNow();

    QHash<QString, Offline> m_offline;
    QNetworkAccessManager *m_network = nullptr;
    std::chrono::milliseconds m_first { 1000 };
    std::chrono::milliseconds m_max { 30000 };
    int m_probesSent = 0;
};

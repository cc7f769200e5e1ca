#include "reachability.h"

#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkInformation>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

Q_LOGGING_CATEGORY(lcReach, "ppg.api.reachability")

Reachability *Reachability::shared()
{
    static Reachability *instance = new Reachability; // lives as long as the process
    return instance;
}

Reachability::Reachability(QObject *parent) : QObject(parent), m_network(new QNetworkAccessManager(this))
{
    // A backend (NetworkManager on Linux) tells when the machine is online again; without one
    // (a container, CI) the probes alone find out.
    if (QNetworkInformation::loadDefaultBackend()
        || QNetworkInformation::loadBackendByFeatures(QNetworkInformation::Feature::Reachability)) {
        if (QNetworkInformation *info = QNetworkInformation::instance()) {
            qCInfo(lcReach) << "network information backend:" << info->backendName();
            connect(info, &QNetworkInformation::reachabilityChanged, this, [this](QNetworkInformation::Reachability r) {
                if (r == QNetworkInformation::Reachability::Online || r == QNetworkInformation::Reachability::Site)
                    probeAllNow();
            });
        }
    }
}

QString Reachability::origin(const QUrl &url)
{
    return url.adjusted(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::RemoveUserInfo)
        .toString(QUrl::StripTrailingSlash);
}

void Reachability::setProbeIntervals(std::chrono::milliseconds first, std::chrono::milliseconds max)
{
    m_first = first;
    m_max = max;
}

void Reachability::report(const QString &origin, bool reached)
{
    if (origin.isEmpty())
        return;
    auto it = m_offline.find(origin);
    if (reached) {
        if (it == m_offline.end())
            return;
        it->timer->deleteLater();
        m_offline.erase(it);
        qCInfo(lcReach).noquote() << origin << "can be reached again";
        Q_EMIT offlineChanged(origin, false);
        return;
    }
    if (it != m_offline.end())
        return; // already known; the probe goes on with its backoff
    Offline o;
    o.timer = new QTimer(this);
    o.timer->setSingleShot(true);
    o.next = m_first;
    connect(o.timer, &QTimer::timeout, this, [this, origin] { probe(origin); });
    o.timer->start(o.next);
    m_offline.insert(origin, o);
    qCInfo(lcReach).noquote() << origin << "cannot be reached; probing from now on";
    Q_EMIT offlineChanged(origin, true);
}

void Reachability::probe(const QString &origin)
{
    auto it = m_offline.find(origin);
    if (it == m_offline.end() || it->probing)
        return;
    it->probing = true;
    ++m_probesSent;
    // No token: any HTTP answer (401 included) says the service is there.
    QNetworkRequest request(QUrl(origin + QStringLiteral("/v1/me")));
    request.setTransferTimeout(10000);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    QNetworkReply *reply = m_network->get(request);
    connect(reply, &QNetworkReply::finished, this, [this, reply, origin] {
        reply->deleteLater();
        const bool answered = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() > 0;
        auto it = m_offline.find(origin);
        if (it == m_offline.end())
            return;
        it->probing = false;
        if (answered) {
            report(origin, true);
            return;
        }
        it->next = std::min(it->next * 2, m_max);
        it->timer->start(it->next);
    });
}

void Reachability::probeAllNow()
{
    for (auto it = m_offline.begin(); it != m_offline.end(); ++it) {
        it->timer->stop();
        it->next = m_first;
        probe(it.key());
    }
}

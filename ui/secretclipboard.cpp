#include "secretclipboard.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QMessageAuthenticationCode>
#include <QMimeData>
#include <QRandomGenerator>

#include <algorithm>

namespace {

QClipboard *systemClipboard()
{
    return qobject_cast<QGuiApplication *>(QCoreApplication::instance()) ? QGuiApplication::clipboard() : nullptr;
}

const char *const kKdeHint = "x-kde-passwordManagerHint";
const char *const kMacConcealed = "application/x-nspasteboard-concealed-type";
const char *const kWindowsExclude = "ExcludeClipboardContentFromMonitorProcessing";

} // namespace

SecretClipboard::SecretClipboard(QObject *parent) : QObject(parent)
{
    m_key.resize(32);
    QRandomGenerator::system()->generate(
        reinterpret_cast<quint32 *>(m_key.data()), reinterpret_cast<quint32 *>(m_key.data() + m_key.size()));
    m_timer.setInterval(1000);
    connect(&m_timer, &QTimer::timeout, this, &SecretClipboard::tick);
    if (QCoreApplication::instance())
        connect(QCoreApplication::instance(), &QCoreApplication::aboutToQuit, this, &SecretClipboard::clearIfOurs);
    if (QClipboard *cb = systemClipboard())
        connect(cb, &QClipboard::dataChanged, this, &SecretClipboard::onClipboardChanged);
}

void SecretClipboard::setTickInterval(std::chrono::milliseconds interval)
{
    m_timer.setInterval(std::max(interval, std::chrono::milliseconds(1)));
}

std::chrono::milliseconds SecretClipboard::tickInterval() const
{
    return m_timer.intervalAsDuration();
}

SecretClipboard::~SecretClipboard()
{
    // No signals from a dying object: clear quietly.
    m_timer.stop();
    if (m_active && holdsOurSecret())
        systemClipboard()->clear();
}

QStringList SecretClipboard::hintTypes()
{
    return { QString::fromLatin1(kKdeHint), QString::fromLatin1(kMacConcealed), QString::fromLatin1(kWindowsExclude) };
}

QMimeData *SecretClipboard::secretMimeData(const QString &text)
{
    auto *mime = new QMimeData;
    mime->setText(text);
    mime->setData(QString::fromLatin1(kKdeHint), QByteArrayLiteral("secret"));
    // macOS: the marker's presence is what counts (nspasteboard.org); its content is not read.
    mime->setData(QString::fromLatin1(kMacConcealed), QByteArrayLiteral("1"));
    // Windows: a DWORD 0 for the registered format of that name (what the clipboard history checks
    // is the format's presence).
    mime->setData(QString::fromLatin1(kWindowsExclude), QByteArray(4, '\0'));
    return mime;
}

QByteArray SecretClipboard::fingerprint(const QString &text) const
{
    return QMessageAuthenticationCode::hash(text.toUtf8(), m_key, QCryptographicHash::Sha256);
}

void SecretClipboard::copySecret(const QString &text)
{
    QClipboard *cb = systemClipboard();
    if (!cb)
        return;
    m_timer.stop();
    m_fingerprint = fingerprint(text);
    m_active = true;
    m_settingData = true;
    cb->setMimeData(secretMimeData(text));
    m_settingData = false;
    if (m_clearAfter > 0) {
        m_secondsLeft = m_clearAfter;
        m_timer.start();
        Q_EMIT countdown(m_secondsLeft);
    } else if (m_secondsLeft != 0) {
        // A countdown from an earlier copy must not go on showing.
        m_secondsLeft = 0;
        Q_EMIT countdown(0);
    }
}

bool SecretClipboard::holdsOurSecret() const
{
    QClipboard *cb = systemClipboard();
    if (!cb || m_fingerprint.isEmpty())
        return false;
    // On X11 reading text() from another owner is a blocking round trip; ownership says it all.
    if (QGuiApplication::platformName() == QLatin1String("xcb") && !cb->ownsClipboard())
        return false;
    const QMimeData *data = cb->mimeData();
    return data && data->hasText() && fingerprint(data->text()) == m_fingerprint;
}

void SecretClipboard::onClipboardChanged()
{
    if (m_settingData || !m_active)
        return;
    if (!holdsOurSecret())
        stop(false);
}

void SecretClipboard::tick()
{
    if (!holdsOurSecret()) {
        stop(false); // someone else put something there: leave it alone
        return;
    }
    if (m_secondsLeft <= 1) {
        clearIfOurs(); // emits countdown(0)
        return;
    }
    Q_EMIT countdown(--m_secondsLeft);
}

void SecretClipboard::clearIfOurs()
{
    if (!m_active) {
        m_timer.stop();
        return;
    }
    const bool ours = holdsOurSecret();
    if (ours) {
        m_settingData = true;
        systemClipboard()->clear();
        m_settingData = false;
    }
    stop(ours);
}

void SecretClipboard::stop(bool clearedByUs)
{
    const bool wasCounting = m_timer.isActive() || m_secondsLeft != 0;
    m_timer.stop();
    m_fingerprint.clear();
    m_active = false;
    m_secondsLeft = 0;
    if (wasCounting)
        Q_EMIT countdown(0);
    Q_EMIT finished(clearedByUs);
}

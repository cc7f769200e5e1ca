#include "secretclipboard.h"

#include <QClipboard>
#include <QCryptographicHash>
#include <QGuiApplication>
#include <QMimeData>

namespace {
QByteArray fingerprint(const QString &text)
{
    return QCryptographicHash::hash(text.toUtf8(), QCryptographicHash::Sha256);
}
} // namespace

SecretClipboard::SecretClipboard(QObject *parent) : QObject(parent)
{
    m_timer.setInterval(1000);
    connect(&m_timer, &QTimer::timeout, this, &SecretClipboard::tick);
    connect(qApp, &QCoreApplication::aboutToQuit, this, &SecretClipboard::clearIfOurs);
}

SecretClipboard::~SecretClipboard()
{
    clearIfOurs();
}

void SecretClipboard::copySecret(const QString &text)
{
    auto *mime = new QMimeData;
    mime->setText(text);
    mime->setData(QStringLiteral("x-kde-passwordManagerHint"), QByteArrayLiteral("secret"));
    mime->setData(QStringLiteral("application/x-nspasteboard-concealed-type"), QByteArray());
    mime->setData(QStringLiteral("ExcludeClipboardContentFromMonitorProcessing"), QByteArray(4, '\0'));
    QGuiApplication::clipboard()->setMimeData(mime);
    m_fingerprint = fingerprint(text);
    if (m_clearAfter > 0) {
        m_secondsLeft = m_clearAfter;
        m_timer.start();
        Q_EMIT countdown(m_secondsLeft);
    }
}

void SecretClipboard::tick()
{
    const QString now = QGuiApplication::clipboard()->text();
    if (fingerprint(now) != m_fingerprint) {
        // Someone else put something there: leave it alone.
        m_timer.stop();
        m_secondsLeft = 0;
        m_fingerprint.clear();
        Q_EMIT countdown(0);
        return;
    }
    if (--m_secondsLeft <= 0) {
        clearIfOurs();
        return;
    }
    Q_EMIT countdown(m_secondsLeft);
}

void SecretClipboard::clearIfOurs()
{
    m_timer.stop();
    if (!m_fingerprint.isEmpty() && QGuiApplication::clipboard()
        && fingerprint(QGuiApplication::clipboard()->text()) == m_fingerprint)
        QGuiApplication::clipboard()->clear();
    m_fingerprint.clear();
    if (m_secondsLeft != 0) {
        m_secondsLeft = 0;
        Q_EMIT countdown(0);
    }
}

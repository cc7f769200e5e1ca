#include "faults.h"

Faults::Faults() : m_rng(QRandomGenerator::securelySeeded()) { }

void Faults::setSettings(const Settings &settings)
{
    m_settings = settings;
    m_rng = settings.seed ? QRandomGenerator(settings.seed) : QRandomGenerator::securelySeeded();
}

bool Faults::active() const
{
    return m_settings.latencyMs > 0 || m_settings.jitterMs > 0 || m_settings.rate5xx > 0 || m_settings.rate429 > 0
        || m_settings.dropRate > 0 || m_settings.slowBodyMs > 0;
}

QJsonObject Faults::toJson() const
{
    return QJsonObject {
        { QStringLiteral("latencyMs"), m_settings.latencyMs },
        { QStringLiteral("jitterMs"), m_settings.jitterMs },
        { QStringLiteral("rate5xx"), m_settings.rate5xx },
        { QStringLiteral("rate429"), m_settings.rate429 },
        { QStringLiteral("dropRate"), m_settings.dropRate },
        { QStringLiteral("slowBodyMs"), m_settings.slowBodyMs },
        { QStringLiteral("seed"), static_cast<double>(m_settings.seed) },
    };
}

bool Faults::applyJson(const QJsonObject &object, QString *error)
{
    Settings s = m_settings;
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QString key = it.key();
        if (!it.value().isDouble()) {
            *error = QStringLiteral("%1 must be a number").arg(key);
            return false;
        }
        const double v = it.value().toDouble();
        auto ms = [&](int *field) {
            if (v < 0 || v > 600000) {
                *error = QStringLiteral("%1 must be between 0 and 600000").arg(key);
                return false;
            }
            *field = static_cast<int>(v);
            return true;
        };
        auto rate = [&](double *field) {
            if (v < 0 || v > 1) {
                *error = QStringLiteral("%1 must be between 0 and 1").arg(key);
                return false;
            }
            *field = v;
            return true;
        };
        bool ok = true;
        if (key == QLatin1String("latencyMs"))
            ok = ms(&s.latencyMs);
        else if (key == QLatin1String("jitterMs"))
            ok = ms(&s.jitterMs);
        else if (key == QLatin1String("slowBodyMs"))
            ok = ms(&s.slowBodyMs);
        else if (key == QLatin1String("rate5xx"))
            ok = rate(&s.rate5xx);
        else if (key == QLatin1String("rate429"))
            ok = rate(&s.rate429);
        else if (key == QLatin1String("dropRate"))
            ok = rate(&s.dropRate);
        else if (key == QLatin1String("seed")) {
            if (v < 0 || v > 4294967295.0) {
                *error = QStringLiteral("seed must be between 0 and 4294967295");
                return false;
            }
            s.seed = static_cast<quint32>(v);
        } else {
            *error = QStringLiteral("unknown fault knob %1").arg(key);
            return false;
        }
        if (!ok)
            return false;
    }
    setSettings(s);
    return true;
}

Faults::Decision Faults::decide()
{
    Decision d;
    if (!active())
        return d;
    d.delayMs = m_settings.latencyMs
        + (m_settings.jitterMs > 0 ? static_cast<int>(m_rng.bounded(m_settings.jitterMs + 1)) : 0);
    d.slowBodyMs = m_settings.slowBodyMs;
    const double roll = m_rng.generateDouble();
    if (roll < m_settings.dropRate)
        d.kind = Kind::Drop;
    else if (roll < m_settings.dropRate + m_settings.rate429)
        d.kind = Kind::TooManyRequests;
    else if (roll < m_settings.dropRate + m_settings.rate429 + m_settings.rate5xx)
        d.kind = Kind::ServerError;
    return d;
}

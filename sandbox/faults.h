#pragma once
// Faults: injected misbehaviour for requests under /v1, off by default. Configured from the
// command line (--fault-*) and at run time through GET/PUT /_sandbox/faults (JSON object with
// the same knobs: latencyMs, jitterMs, rate5xx, rate429, dropRate, slowBodyMs, seed).
// Times are milliseconds; rates are probabilities in [0, 1]. A fixed seed makes the sequence of
// decisions reproducible. applyJson() reports an invalid knob and leaves the settings unchanged.

#include <QJsonObject>
#include <QRandomGenerator>

class Faults
{
public:
    struct Settings
    {
        int latencyMs = 0; // added before every answer
        int jitterMs = 0; // plus a uniform 0..jitterMs
        double rate5xx = 0; // answer 503 internal_error (the request is not processed)
        double rate429 = 0; // answer 429 rate_limited with Retry-After: 1
        double dropRate = 0; // close the connection without an answer
        int slowBodyMs = 0; // trickle the body over this many milliseconds
        quint32 seed = 0; // 0: random
    };

    enum class Kind { None, Drop, TooManyRequests, ServerError };
    struct Decision
    {
        Kind kind = Kind::None;
        int delayMs = 0;
        int slowBodyMs = 0;
    };

    Faults();
    void setSettings(const Settings &settings);
    Settings settings() const { return m_settings; }
    bool active() const;

    QJsonObject toJson() const;
    bool applyJson(const QJsonObject &object, QString *error);

    Decision decide();

private:
    Settings m_settings;
    QRandomGenerator m_rng;
};

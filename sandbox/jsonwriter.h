#pragma once
// JsonWriter: compact JSON appended straight to a QByteArray, byte for byte what
// QJsonDocument::toJson(QJsonDocument::Compact) makes of the same document, without building
// one (QJsonObject costs most of a 100-row list page). The caller gives an object's keys in
// the order QJsonObject keeps them, sorted, and keys are plain ASCII; strings are escaped as Qt
// escapes them (", \, control characters; other text as UTF-8; a lone surrogate as \uXXXX).
// tst_sandbox checks every answer it receives against QJsonDocument's own serialization.

#include <QByteArray>
#include <QChar>
#include <QString>
#include <QStringView>

#include <cstring>
#include <initializer_list>

class JsonWriter
{
public:
    explicit JsonWriter(QByteArray *out) : m_out(*out) {}

    void beginObject() { startValue(); m_out.append('{'); m_first = true; }
    void endObject() { m_out.append('}'); m_first = false; }
    void beginArray() { startValue(); m_out.append('['); m_first = true; }
    void endArray() { m_out.append(']'); m_first = false; }

    // An object member's key (plain ASCII); the value written next belongs to it.
    void key(const char *name)
    {
        separate();
        const qsizetype n = qsizetype(qstrlen(name));
        char *o = grow(n + 3);
        *o++ = '"';
        memcpy(o, name, n);
        o[n] = '"';
        o[n + 1] = ':';
        m_afterKey = true;
    }

    void string(QStringView s)
    {
        startValue();
        m_out.append('"');
        appendEscaped(s);
        m_out.append('"');
    }
    // A string made of parts (e.g. a URL), escaped part by part: the same bytes as the whole as
    // long as no part boundary splits a surrogate pair.
    void string(std::initializer_list<QStringView> parts)
    {
        startValue();
        m_out.append('"');
        for (QStringView p : parts)
            appendEscaped(p);
        m_out.append('"');
    }
    // A string of printable ASCII other than " and \ (nothing to escape).
    void asciiString(const char *s, qsizetype size)
    {
        startValue();
        char *o = grow(size + 2);
        *o++ = '"';
        memcpy(o, s, size);
        o[size] = '"';
    }
    void null() { startValue(); m_out.append("null"); }
    void boolean(bool b) { startValue(); m_out.append(b ? "true" : "false"); }
    void integer(qint64 n) { startValue(); m_out.append(QByteArray::number(n)); }

    // Shorthands for one member.
    void field(const char *name, QStringView s) { key(name); string(s); }
    void nullableField(const char *name, const QString &s)
    {
        key(name);
        if (s.isNull())
            null();
        else
            string(s);
    }

private:
    // Appends n bytes to the output and returns where to write them.
    char *grow(qsizetype n)
    {
        const qsizetype at = m_out.size();
        m_out.resize(at + n);
        return m_out.data() + at;
    }
    void separate()
    {
        if (!m_first)
            m_out.append(',');
        m_first = false;
    }
    void startValue()
    {
        if (m_afterKey)
            m_afterKey = false;
        else
            separate();
    }

    void appendEscaped(QStringView s)
    {
        static const char hex[] = "0123456789abcdef";
        // At most 6 bytes per UTF-16 unit (\u00XX); written through a pointer, then trimmed.
        const qsizetype start = m_out.size();
        m_out.resize(start + 6 * s.size());
        char *o = m_out.data() + start;
        const char16_t *p = s.utf16();
        const char16_t *const end = p + s.size();
        while (p != end) {
            const char16_t u = *p++;
            if (u < 0x80) {
                if (u >= 0x20 && u != u'"' && u != u'\\') {
                    *o++ = char(u);
                    continue;
                }
                *o++ = '\\';
                switch (u) {
                case u'"': *o++ = '"'; break;
                case u'\\': *o++ = '\\'; break;
                case 0x8: *o++ = 'b'; break;
                case 0xc: *o++ = 'f'; break;
                case 0xa: *o++ = 'n'; break;
                case 0xd: *o++ = 'r'; break;
                case 0x9: *o++ = 't'; break;
                default:
                    *o++ = 'u';
                    *o++ = '0';
                    *o++ = '0';
                    *o++ = hex[u >> 4];
                    *o++ = hex[u & 0xf];
                }
            } else if (u < 0x800) {
                *o++ = char(0xc0 | (u >> 6));
                *o++ = char(0x80 | (u & 0x3f));
            } else if (!QChar::isSurrogate(u)) {
                *o++ = char(0xe0 | (u >> 12));
                *o++ = char(0x80 | ((u >> 6) & 0x3f));
                *o++ = char(0x80 | (u & 0x3f));
            } else if (QChar::isHighSurrogate(u) && p != end && QChar::isLowSurrogate(*p)) {
                const char32_t c = QChar::surrogateToUcs4(u, *p++);
                *o++ = char(0xf0 | (c >> 18));
                *o++ = char(0x80 | ((c >> 12) & 0x3f));
                *o++ = char(0x80 | ((c >> 6) & 0x3f));
                *o++ = char(0x80 | (c & 0x3f));
            } else {
                *o++ = '\\';
                *o++ = 'u';
                *o++ = hex[u >> 12];
                *o++ = hex[(u >> 8) & 0xf];
                *o++ = hex[(u >> 4) & 0xf];
                *o++ = hex[u & 0xf];
            }
        }
        m_out.resize(o - m_out.constData());
    }

    QByteArray &m_out;
    bool m_first = true;      // nothing written yet in the innermost object or array
    bool m_afterKey = false;  // a key was written: the next value is its value
};

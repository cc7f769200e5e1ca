#include "fuzzymatch.h"

#include <QVarLengthArray>

#include <algorithm>

namespace FuzzyMatch {

namespace {

constexpr int kMatch = 16; // every matched character
constexpr int kConsecutive = 24; // a character right after the previous match
constexpr int kWordStart = 16; // a match that starts a word
constexpr int kTextStart = 8; // more when that word is the text's first
constexpr int kGap = 2; // per character skipped between two matches (up to kMaxGap of them)
constexpr int kMaxGap = 8;
constexpr int kLead = 1; // per character before the first match (up to kMaxLead)
constexpr int kMaxLead = 12;

bool isSeparator(QChar c)
{
    switch (c.unicode()) {
    case ' ':
    case '-':
    case '_':
    case '/':
    case '.':
    case ':':
    case '(':
    case '@':
        return true;
    default:
        return false;
    }
}

template <class Positions> int scorePositions(QStringView text, const Positions &pos, qsizetype n)
{
    int s = 0;
    for (qsizetype i = 0; i < n; ++i) {
        const qsizetype p = pos[i];
        s += kMatch;
        if (isWordStart(text, p))
            s += kWordStart + (p == 0 ? kTextStart : 0);
        if (i > 0) {
            if (p == pos[i - 1] + 1)
                s += kConsecutive;
            else
                s -= kGap * int(std::min<qsizetype>(p - pos[i - 1] - 1, kMaxGap));
        }
    }
    s -= kLead * int(std::min<qsizetype>(pos[0], kMaxLead));
    s -= int(std::min<qsizetype>(text.size(), 96) / 8); // a shorter text is a closer match
    return s;
}

} // namespace

bool isWordStart(QStringView text, qsizetype i)
{
    if (i <= 0)
        return true;
    const QChar prev = text[i - 1];
    const QChar c = text[i];
    if (isSeparator(prev) && !isSeparator(c))
        return true;
    return prev.isLower() && c.isUpper();
}

int score(QStringView text, QStringView pattern, QList<int> *positions)
{
    if (positions)
        positions->clear();
    const qsizetype m = pattern.size();
    if (m == 0)
        return 0;
    if (m > text.size())
        return -1;

    // 1. The pattern as one run: the first occurrence that starts a word, else the first one.
    qsizetype run = -1;
    for (qsizetype from = 0;;) {
        const qsizetype at = text.indexOf(pattern, from, Qt::CaseInsensitive);
        if (at < 0)
            break;
        if (run < 0)
            run = at;
        if (isWordStart(text, at)) {
            run = at;
            break;
        }
        from = at + 1;
    }

    QVarLengthArray<int, 32> pos(m);
    if (run >= 0) {
        for (qsizetype i = 0; i < m; ++i)
            pos[i] = int(run + i);
    } else {
        // 2. A subsequence: forward to the first place the whole pattern fits, then backward from
        // its end to the latest start (the shortest window ending there), preferring word starts.
        qsizetype t = 0;
        for (qsizetype i = 0; i < m; ++i) {
            const char16_t c = fold(pattern[i]);
            while (t < text.size() && fold(text[t]) != c)
                ++t;
            if (t == text.size())
                return -1;
            pos[i] = int(t++);
        }
        qsizetype b = pos[m - 1];
        for (qsizetype i = m - 1; i >= 0; --i) {
            const char16_t c = fold(pattern[i]);
            while (fold(text[b]) != c)
                --b;
            pos[i] = int(b--);
        }
        // A character that is not part of a run moves to a word start between its neighbours, when
        // there is one: "nd" in "New database" takes the 'd' of "database", "cs" in
        // "ConnectionString" the 'C' at the start.
        for (qsizetype i = 0; i < m; ++i) {
            const bool inRun = (i > 0 && pos[i] == pos[i - 1] + 1) || (i + 1 < m && pos[i + 1] == pos[i] + 1);
            if (inRun || isWordStart(text, pos[i]))
                continue;
            const qsizetype lo = i > 0 ? pos[i - 1] + 1 : 0;
            const qsizetype hi = i + 1 < m ? pos[i + 1] : text.size();
            const char16_t c = fold(pattern[i]);
            for (qsizetype k = lo; k < hi; ++k)
                if (fold(text[k]) == c && isWordStart(text, k)) {
                    pos[i] = int(k);
                    break;
                }
        }
    }
    if (positions) {
        positions->reserve(m);
        for (qsizetype i = 0; i < m; ++i)
            positions->append(pos[i]);
    }
    return scorePositions(text, pos, m);
}

} // namespace FuzzyMatch

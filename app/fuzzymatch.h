// FuzzyMatch: how well a typed text matches a candidate, for the command palette (pure functions,
// no allocation unless positions are asked for).
//
// A pattern matches a text when its characters appear in the text in order, case-insensitively
// (case folding; spaces in the pattern are characters like any other). The score rewards what people
// mean when they type a few letters: the pattern as one run ("prod" in "shop-prod"), runs that start
// a word (after a space, '-', '_', '/', '.', ':' or at a lower-to-upper case change: "nd" in "New
// database"), and an early, short match in a short text; it is the same for the same inputs and
// higher is better. No match is -1; an empty pattern matches everything with 0.
#pragma once

#include <QList>
#include <QStringView>

namespace FuzzyMatch {

// Case folding of one character (ASCII without a table lookup).
inline char16_t fold(QChar c)
{
    const char16_t u = c.unicode();
    if (u < 128)
        return (u >= 'A' && u <= 'Z') ? char16_t(u + 32) : u;
    return QChar(u).toCaseFolded().unicode();
}

// Whether position `i` of `text` starts a word (see above).
bool isWordStart(QStringView text, qsizetype i);

// The score of `pattern` in `text`, or -1. When `positions` is given, it receives the indexes in
// `text` of the matched characters (ascending), the ones the score was computed from.
int score(QStringView text, QStringView pattern, QList<int> *positions = nullptr);

} // namespace FuzzyMatch

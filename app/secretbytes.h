#pragma once
// Secret bytes in memory (tokens, passwords): the one place that wipes them. A QByteArray may
// share its buffer with copies (implicit sharing); wiping a shared buffer would change what a
// copy's owner still uses, so each function says which buffers it touches.

#include <QByteArray>

namespace SecretBytes {

// Zero-fills `size` bytes at `data` through a volatile pointer, so the stores are not optimised
// away. `data` must be writable heap memory (it is const only because QByteArray hands out shared
// buffers as const).
void zeroFill(const char *data, qsizetype size);
// Wipes `bytes` if it is the only owner of its buffer, then drops it. A shared buffer belongs to
// someone else as well (a caller that kept a copy): release our reference and leave it to them.
void wipeIfOwned(QByteArray &bytes);
// Wipes the buffer `bytes` shares with another holder that has finished with it, then drops it.
void wipeShared(QByteArray &bytes);
// A deep copy: the receiver may wipe its buffer without touching ours.
QByteArray ownCopy(const QByteArray &bytes);

} // namespace SecretBytes

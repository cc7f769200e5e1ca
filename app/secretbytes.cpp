#include "secretbytes.h"

namespace SecretBytes {

void zeroFill(const char *data, qsizetype size)
{
    volatile char *p = const_cast<char *>(data);
    for (qsizetype i = 0; i < size; ++i)
        p[i] = 0;
}

void wipeIfOwned(QByteArray &bytes)
{
    if (!bytes.isEmpty() && bytes.isDetached())
        zeroFill(bytes.data(), bytes.size());
    bytes = QByteArray();
}

void wipeShared(QByteArray &bytes)
{
    if (!bytes.isEmpty())
        zeroFill(bytes.constData(), bytes.size());
    bytes = QByteArray();
}

QByteArray ownCopy(const QByteArray &bytes)
{
    return QByteArray(bytes.constData(), bytes.size());
}

} // namespace SecretBytes

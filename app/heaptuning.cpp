#include "heaptuning.h"

#include <QByteArray>
#include <QFile>
#include <QList>
#include <QLoggingCategory>

#ifdef __GLIBC__
#include <malloc.h>
#endif
#if defined(Q_OS_LINUX) && defined(__GLIBC__)
#include <sys/mman.h>

#include <cstdlib>
#include <memory>
#endif

Q_LOGGING_CATEGORY(lcHeap, "ppg.heap")

void growHeapsInLargeSteps()
{
#ifdef __GLIBC__
    mallopt(M_TOP_PAD, 16 << 20);
#endif
}

qint64 adviseHugePagesForThreadHeap()
{
#if defined(Q_OS_LINUX) && defined(__GLIBC__) && defined(MADV_HUGEPAGE)
    // A fresh allocation of this thread, held while its mapping is looked for.
    const std::unique_ptr<void, decltype(&std::free)> probe(std::malloc(64), &std::free);
    const auto address = quintptr(probe.get());
    QFile maps(QStringLiteral("/proc/self/maps"));
    if (address == 0 || !maps.open(QIODevice::ReadOnly))
        return 0;
    // Lines: "start-end perms offset dev inode [path]", addresses in hex, in address order.
    quintptr start = 0, end = 0;
    const QList<QByteArray> lines = maps.readAll().split('\n');
    for (const QByteArray &line : lines) {
        const QList<QByteArray> fields = line.simplified().split(' ');
        if (fields.size() < 2)
            continue;
        const QList<QByteArray> range = fields[0].split('-');
        if (range.size() != 2)
            continue;
        bool ok1 = false, ok2 = false;
        const quintptr from = range[0].toULongLong(&ok1, 16), to = range[1].toULongLong(&ok2, 16);
        if (!ok1 || !ok2)
            continue;
        if (end == 0) {
            if (from <= address && address < to && fields[1].startsWith("rw") && fields.size() == 5) {
                start = from; // an anonymous read-write mapping: the thread's heap
                end = to;
            }
        } else {
            if (from == end && fields[1].startsWith("---"))
                end = to; // the reserve the heap grows into
            break;
        }
    }
    if (end <= start || madvise(reinterpret_cast<void *>(start), end - start, MADV_HUGEPAGE) != 0) {
        qCDebug(lcHeap) << "no huge pages advised for this thread's heap";
        return 0;
    }
    return qint64(end - start);
#else
    return 0;
#endif
}

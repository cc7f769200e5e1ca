// adviseHugePagesForThreadHeap() (app/heaptuning.h), after growHeapsInLargeSteps() as in main(), on this machine's real
// kernel and glibc: a worker thread's heap is advised, the advice is what /proc/self/smaps reports for the mapping its
// allocations come from (VmFlags "hg"), it holds as the heap grows, and with transparent huge pages
// in "madvise" or "always" mode the rows the thread then allocates sit in huge pages (AnonHugePages).
// The first thread of a process (glibc's main heap, grown with brk) is left alone.
#include "heaptuning.h"

#include <QFile>
#include <QTest>

#include <cstdlib>
#include <memory>
#include <thread>
#include <vector>

namespace {

struct Mapping
{
    bool found = false;
    bool advised = false; // VmFlags has "hg"
    qint64 hugeKiB = 0; // AnonHugePages
};

// The mapping of /proc/self/smaps that holds `address`.
Mapping mappingOf(const void *address)
{
    QFile smaps(QStringLiteral("/proc/self/smaps"));
    if (!smaps.open(QIODevice::ReadOnly))
        return {};
    Mapping m;
    bool inside = false;
    const auto a = quintptr(address);
    for (const QByteArray &line : smaps.readAll().split('\n')) {
        const QList<QByteArray> fields = line.simplified().split(' ');
        if (fields.isEmpty())
            continue;
        if (const QList<QByteArray> range = fields[0].split('-'); range.size() == 2 && !fields[0].endsWith(':')) {
            bool ok1 = false, ok2 = false;
            const quintptr from = range[0].toULongLong(&ok1, 16), to = range[1].toULongLong(&ok2, 16);
            if (ok1 && ok2) {
                if (inside)
                    break; // the next mapping
                inside = from <= a && a < to;
                m.found = inside;
                continue;
            }
        }
        if (!inside)
            continue;
        if (fields[0] == "AnonHugePages:" && fields.size() > 1)
            m.hugeKiB = fields[1].toLongLong();
        if (fields[0] == "VmFlags:")
            m.advised = fields.contains("hg");
    }
    return m;
}

QByteArray thpMode()
{
    QFile f(QStringLiteral("/sys/kernel/mm/transparent_hugepage/enabled"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QByteArray s = f.readAll();
    const qsizetype open = s.indexOf('['), close = s.indexOf(']');
    return open >= 0 && close > open ? s.mid(open + 1, close - open - 1) : QByteArray();
}

} // namespace

class TestHeapTuning : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { growHeapsInLargeSteps(); }
    void workerHeapIsAdvised();
    void firstThreadIsLeftAlone();
};

void TestHeapTuning::workerHeapIsAdvised()
{
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    QSKIP("a sanitizer replaces glibc's allocator: there is no glibc thread heap to check");
#endif
    const QByteArray mode = thpMode();
    if (mode.isEmpty() || mode == "never")
        QSKIP("transparent huge pages are off on this machine (/sys/kernel/mm/transparent_hugepage/enabled)");
    qint64 advised = 0;
    Mapping before, grown;
    std::thread worker([&] {
        advised = adviseHugePagesForThreadHeap();
        // About 24 MB of small objects, as a warm start's rows are: the heap grows past its first
        // extent into the reserve that was advised with it.
        std::vector<std::unique_ptr<char[]>> rows;
        for (int i = 0; i < 200'000; ++i) {
            rows.emplace_back(new char[120]);
            rows.back()[0] = char(i); // touched, as a decoded row is
            if (i == 0)
                before = mappingOf(rows.front().get());
        }
        grown = mappingOf(rows.back().get());
    });
    worker.join();
    QVERIFY2(advised >= 2 * 1024 * 1024, qPrintable(QStringLiteral("%1 bytes advised").arg(advised)));
    QVERIFY(before.found && grown.found);
    QVERIFY2(before.advised, "the heap's mapping carries the advice (VmFlags hg)");
    QVERIFY2(grown.advised, "the part the heap grew into carries it too");
    QVERIFY2(grown.hugeKiB >= 2048, qPrintable(QStringLiteral("AnonHugePages %1 kB").arg(grown.hugeKiB)));
}

void TestHeapTuning::firstThreadIsLeftAlone()
{
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    QSKIP("a sanitizer replaces glibc's allocator: there is no glibc heap to check");
#endif
    // glibc's first heap is the brk "[heap]", a named mapping: not advised.
    QCOMPARE(adviseHugePagesForThreadHeap(), qint64(0));
    const std::unique_ptr<void, decltype(&std::free)> probe(std::malloc(64), &std::free);
    QVERIFY(!mappingOf(probe.get()).advised);
}

QTEST_GUILESS_MAIN(TestHeapTuning)
#include "tst_heaptuning.moc"

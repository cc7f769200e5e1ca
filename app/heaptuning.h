// Heap settings for large trees (Linux with glibc; elsewhere both functions do nothing).
//
// growHeapsInLargeSteps(): every thread's heap then grows 16 MiB at a time instead of 128 KiB
// (mallopt(M_TOP_PAD)). main() calls it first. A warm start builds its rows on a worker thread,
// and each small growth of a heap is a system call and a change of the process's mappings:
// measured with 20,001 cached rows, the cached tree painted 235 -> 195 ms after start
// (BENCHMARKS.md). Padding never touched costs no memory; up to 16 MiB of freed memory may stay
// with a heap instead of going back at once.
//
// adviseHugePagesForThreadHeap(): asks the kernel for transparent huge pages (2 MiB) for the heap
// the calling thread allocates from. On the virtual machines the console is measured on, the
// first touch of each fresh 4 KiB page costs about 15 us: decoding a 20,001-row warm-start cache
// builds about 12 MB of rows, about 3,000 page faults and 55 of its 80 ms. In huge pages the same
// decoding takes about 25 ms. Distributions leave transparent huge pages in "madvise" mode (a
// process gets them for the memory it advises, madvise(MADV_HUGEPAGE)), and glibc's own switch
// (the glibc.malloc.hugetlb tunable) is read from the environment at process start only.
// glibc gives each thread but the first a heap of its own, a mapping reserved 64 MiB at a time, of
// which the part in use is read-write and the rest has no access until the heap grows into it. The
// anonymous read-write mapping that holds a fresh allocation of the thread, and the reserve right
// after it, are found in /proc/self/maps and advised; the heap keeps the advice as it grows. Huge
// pages are used where a whole 2 MiB stretch is in the heap when first touched, hence the large
// growth steps above. The first thread's heap (brk, "[heap]") is left alone.
// Returns the bytes advised: 0 when nothing was (not Linux with glibc, no such mapping, madvise
// refused; logged under ppg.heap). Memory never touched costs nothing either way.
#pragma once

#include <QtGlobal>

void growHeapsInLargeSteps();
qint64 adviseHugePagesForThreadHeap();

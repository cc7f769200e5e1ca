// clone() for the test programs of the tsan build (tests/CMakeLists.txt adds this file to them).
//
// GCC 12's ThreadSanitizer intercepts clone() and treats every clone as a fork: in the child it
// marks the process "forked while multi-threaded" and makes the calling thread ignore memory
// accesses and suppress reports. QProcess (Qt 6.4) starts programs with a vfork-like clone
// (CLONE_VM | CLONE_VFORK), whose child shares the parent's memory and thread state, so all of
// that lands in the parent: after its first QProcess::start (SandboxProcess) the test's main
// thread was invisible to TSan (a planted race went unreported), and its next thread start ended
// the process ("starting new threads after multi-threaded fork is not supported").
//
// This definition comes before TSan's in symbol lookup. It drops CLONE_VM from a vfork-like
// clone, so the child gets its own copy of memory as after fork() (Qt's child only sets up its
// descriptors and calls exec; the parent still waits for that, CLONE_VFORK), and hands the call
// on to the next clone(): TSan's interceptor, which then only changes the child's copy.
#include <dlfcn.h>
#include <sched.h>
#include <sys/types.h>

#include <cstdarg>

extern "C" int clone(int (*fn)(void *), void *stack, int flags, void *arg, ...)
{
    va_list rest;
    va_start(rest, arg);
    pid_t *parentTid = va_arg(rest, pid_t *);
    void *tls = va_arg(rest, void *);
    pid_t *childTid = va_arg(rest, pid_t *);
    va_end(rest);
    using Clone = int (*)(int (*)(void *), void *, int, void *, ...);
    static const auto next = reinterpret_cast<Clone>(dlsym(RTLD_NEXT, "clone"));
    if (flags & CLONE_VFORK)
        flags &= ~CLONE_VM;
    return next(fn, stack, flags, arg, parentTid, tls, childTid);
}

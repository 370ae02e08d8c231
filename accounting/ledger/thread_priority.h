// The CPU priority of the ledger's threads. They run as background work (nice 19): when they
// share a core with the request workers (a gateway confined to one CPU, or a busy machine), a
// worker that wakes up gets the core back almost at once, so accounting adds next to no latency
// to requests (measured: bench/README.md). At nice 19 a thread gets about 1.5% of a core the
// workers keep busy, so the ledger raises its consumer to normal priority while the backlog is
// large (Ledger::Push) and lowers it again once drained. Where the process may not raise a
// thread's priority again (an unprivileged process with RLIMIT_NICE 0), the threads run at
// nice 10 instead. (SCHED_IDLE was tried: it starves the consumer whenever other processes keep
// the machine busy, which stretches the crash-loss window.) Any thread.
#pragma once

#include <sys/types.h>

namespace gw::accounting {

enum class ThreadPriority {
  kBackground,  // SCHED_OTHER, nice 19: what the workers leave, and a trickle under contention
  kLow,         // SCHED_OTHER, nice 10: a small share, always some
  kNormal,      // SCHED_OTHER, nice 0: an equal share
};

// The calling thread's id (for SetThreadPriority from another thread).
pid_t CurrentThreadId();

// Sets the priority of thread `tid` of this process; false if the kernel refused.
bool SetThreadPriority(pid_t tid, ThreadPriority priority);

// Whether this process may move a thread from kBackground back to kNormal: tried on the calling
// thread, which is left at kNormal.
bool CanLeaveBackgroundPriority();

}  // namespace gw::accounting

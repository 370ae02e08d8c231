#include "accounting/ledger/thread_priority.h"

#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace gw::accounting {

pid_t CurrentThreadId() { return static_cast<pid_t>(syscall(SYS_gettid)); }

bool SetThreadPriority(pid_t tid, ThreadPriority priority) {
  // Linux: sched_setscheduler and setpriority with a thread id act on that thread alone.
  sched_param param{};
  param.sched_priority = 0;
  if (sched_setscheduler(tid, SCHED_OTHER, &param) != 0) return false;
  const int nice_value = priority == ThreadPriority::kBackground ? 19
                         : priority == ThreadPriority::kLow      ? 10
                                                                 : 0;
  return setpriority(PRIO_PROCESS, static_cast<id_t>(tid), nice_value) == 0;
}

bool CanLeaveBackgroundPriority() {
  const pid_t self = CurrentThreadId();
  return SetThreadPriority(self, ThreadPriority::kBackground) &&
         SetThreadPriority(self, ThreadPriority::kNormal);
}

}  // namespace gw::accounting

#include "tests/integration/wait_until.h"

#include <algorithm>
#include <thread>

namespace gw::testing {

bool WaitUntil(const std::function<bool()>& predicate, std::chrono::milliseconds limit) {
  using Clock = std::chrono::steady_clock;
  constexpr std::chrono::milliseconds kFirstPause{1}, kLongestPause{100};
  const Clock::time_point deadline = Clock::now() + limit;
  std::chrono::milliseconds pause = kFirstPause;
  for (;;) {
    if (predicate()) return true;
    if (Clock::now() >= deadline) return false;
    // Not a synchronisation: the pause only spaces the tries out.
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, kLongestPause);
  }
}

}  // namespace gw::testing

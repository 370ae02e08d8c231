// Lowers the calling thread's CPU priority (Linux nice value of that thread only). The ledger's
// threads use it so that when they share a core with the request workers (a gateway confined to
// one CPU, or a saturated machine), the workers win every contention and accounting only falls
// behind, which admission control bounds. Any thread; failures are ignored (the thread then
// simply keeps its priority).
#pragma once

namespace gw::accounting {

// Default nice value of the ledger's consumer and checkpoint threads.
inline constexpr int kLedgerThreadNice = 10;

void LowerCurrentThreadPriority(int nice_value);

}  // namespace gw::accounting

// Gauges of one worker's upstream connections to one provider, for GET /metrics. Written by the
// worker's UpstreamClient on its own thread (single writer), read by whichever thread renders
// the metrics page: hence relaxed atomics, no locks.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <string>

namespace gw::providers {

struct PoolStats {
  std::atomic<int64_t> idle{0};     // open and waiting in the pool
  std::atomic<int64_t> busy{0};     // open and carrying a request or its response
  std::atomic<uint64_t> opened{0};  // connections established (TCP + TLS) since start
  std::atomic<uint64_t> reused{0};  // requests sent on a pooled connection since start
};

// One entry per configured provider, created before the worker starts and never added to or
// removed from afterwards, so other threads may iterate it while the worker updates the values.
using PoolStatsTable = std::map<std::string, PoolStats, std::less<>>;

// Adds `delta` to a single-writer counter without a locked instruction.
template <class T>
void AddRelaxed(std::atomic<T>& counter, T delta) {
  counter.store(counter.load(std::memory_order_relaxed) + delta, std::memory_order_relaxed);
}

}  // namespace gw::providers

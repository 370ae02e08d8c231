// Sticky routing (API.md `session_id` / `x-session-id`): which endpoint served a session's
// requests for a model, so the next request of that session goes there too (its prompt cache is
// warm). Entries are forgotten after routing.session_idle_timeout_s without a request. Any
// thread: the map is split into shards, each behind its own mutex, held for one hash lookup and
// only by requests that carry a session id.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string_view>
#include <unordered_map>

namespace gw::routing {

class StickySessions {
 public:
  using Clock = std::chrono::steady_clock;
  // At most this many sessions are remembered; beyond it new sessions are not sticky until idle
  // ones expire (a flood of distinct ids cannot grow memory without bound).
  static constexpr size_t kMaxSessions = 1'000'000;

  explicit StickySessions(Clock::duration idle_timeout) : idle_timeout_(idle_timeout) {}

  // The endpoint remembered for (session, model), unless idle for too long; refreshes its time.
  std::optional<uint32_t> Find(std::string_view session, std::string_view model,
                               Clock::time_point now);
  // Remembers (or moves) the session to `endpoint_id`.
  void Remember(std::string_view session, std::string_view model, uint32_t endpoint_id,
                Clock::time_point now);
  // Drops the sessions idle for longer than the timeout.
  void ExpireIdle(Clock::time_point now);
  size_t size() const;

 private:
  static constexpr size_t kShards = 16;
  struct Entry {
    uint32_t endpoint_id;
    Clock::time_point last_used;
  };
  struct Shard {
    mutable std::mutex mutex;
    // Keyed by a 64-bit hash of (model, session): a collision would only share a routing hint.
    std::unordered_map<uint64_t, Entry> entries;
  };
  static uint64_t Key(std::string_view session, std::string_view model);
  Shard& ShardFor(uint64_t key) { return shards_[key % kShards]; }

  Clock::duration idle_timeout_;
  std::array<Shard, kShards> shards_;
};

}  // namespace gw::routing

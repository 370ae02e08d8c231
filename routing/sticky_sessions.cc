#include "routing/sticky_sessions.h"

#include <functional>

namespace gw::routing {

uint64_t StickySessions::Key(std::string_view session, std::string_view model) {
  const uint64_t a = std::hash<std::string_view>{}(session);
  const uint64_t b = std::hash<std::string_view>{}(model);
  return a ^ (b + 0x9e3779b97f4a7c15ull + (a << 6) + (a >> 2));
}

std::optional<uint32_t> StickySessions::Find(std::string_view session, std::string_view model,
                                             Clock::time_point now) {
  const uint64_t key = Key(session, model);
  Shard& shard = ShardFor(key);
  const std::lock_guard lock(shard.mutex);
  auto it = shard.entries.find(key);
  if (it == shard.entries.end()) return std::nullopt;
  if (now - it->second.last_used > idle_timeout_) {
    shard.entries.erase(it);
    return std::nullopt;
  }
  it->second.last_used = now;
  return it->second.endpoint_id;
}

void StickySessions::Remember(std::string_view session, std::string_view model,
                              uint32_t endpoint_id, Clock::time_point now) {
  const uint64_t key = Key(session, model);
  Shard& shard = ShardFor(key);
  const std::lock_guard lock(shard.mutex);
  auto it = shard.entries.find(key);
  if (it != shard.entries.end()) {
    it->second = Entry{endpoint_id, now};
    return;
  }
  if (shard.entries.size() >= kMaxSessions / kShards) return;
  shard.entries.emplace(key, Entry{endpoint_id, now});
}

void StickySessions::ExpireIdle(Clock::time_point now) {
  for (Shard& shard : shards_) {
    const std::lock_guard lock(shard.mutex);
    std::erase_if(shard.entries,
                  [&](const auto& item) { return now - item.second.last_used > idle_timeout_; });
  }
}

size_t StickySessions::size() const {
  size_t total = 0;
  for (const Shard& shard : shards_) {
    const std::lock_guard lock(shard.mutex);
    total += shard.entries.size();
  }
  return total;
}

}  // namespace gw::routing

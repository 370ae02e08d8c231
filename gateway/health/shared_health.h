// Endpoint health shared by gateway instances through Redis (docs/scale-out.md, `redis` and
// routing.health.share). Once a second the health monitor hands Exchange what this instance's
// attempts did; Exchange appends a summary of it to one Redis stream (per endpoint: successes,
// errors, rate-limited answers and up to kSamplesPerEndpoint latency and throughput samples) and
// returns what the other instances appended since the previous call, as observations the monitor
// folds into its own tracker. An outage one instance sees is avoided by all within about two
// fold intervals.
//
// Endpoints are named by model id, provider and upstream model, so instances whose
// configurations list them in another order (a rolling deploy) still agree; an endpoint this
// instance does not know is ignored.
//
// Failures (Redis unreachable) lose only the exchange: each instance keeps its own health. They
// are counted, and one log line marks the start and the end of a run of them.
//
// Monitor thread only (not thread-safe), except failures().
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/redis/redis_client.h"
#include "routing/health_tracker.h"

namespace gw::health {

class SharedHealth {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr size_t kSamplesPerEndpoint = 8;
  static constexpr int64_t kStreamLength = 10'000;  // entries kept (about; MAXLEN ~)
  static constexpr int64_t kReadBatch = 1'000;
  // The first exchange also returns what was published this long before it.
  static constexpr std::chrono::milliseconds kCatchUp{5'000};

  // `endpoint_names[id]`: the name of endpoint `id` (EndpointNamesOf).
  SharedHealth(std::unique_ptr<redis::RedisClient> client, std::string prefix,
               std::vector<std::string> endpoint_names, std::function<void(std::string_view)> log);

  // Publishes `own` (nothing when empty) and returns the other instances' observations, dated
  // `now`, published since the previous call (at the first call: in the last kCatchUp).
  std::vector<routing::HealthObservation> Exchange(std::span<const routing::HealthObservation> own,
                                                   Clock::time_point now);

  uint64_t failures() const { return failures_.load(std::memory_order_relaxed); }

  // The summary of `own` as published: one line per endpoint
  // "<name>\t<successes>\t<errors>\t<rate limited>\t<latency ms>/<tokens per s>,...".
  std::string Encode(std::span<const routing::HealthObservation> own) const;
  // Appends the observations of a published summary to `out`; malformed lines are skipped.
  void Decode(std::string_view summary, Clock::time_point now,
              std::vector<routing::HealthObservation>& out) const;

 private:
  void ReadSince(Clock::time_point now, std::vector<routing::HealthObservation>& out);

  std::unique_ptr<redis::RedisClient> client_;
  std::string stream_;
  std::string instance_;  // random, per process
  std::vector<std::string> names_;
  std::unordered_map<std::string, uint32_t> ids_;
  std::string last_id_;  // the last stream entry read ("<ms>-<n>"); "" before the first exchange
  std::function<void(std::string_view)> log_;
  std::atomic<uint64_t> failures_{0};
  bool failing_ = false;
};

// The stable names of a catalogue's endpoints, by endpoint id: "<model id>|<provider>|<upstream
// model>" in configuration order (Catalogue's dense ids).
std::vector<std::string> EndpointNamesOf(const config::Config& config);

}  // namespace gw::health

// Live endpoint health: rolling windows of what each endpoint's attempts did, and the outage
// state machine (ok -> outage -> half-open -> ok, or back to outage with a doubled cooldown).
// Pure bookkeeping with the time passed in: no threads, no clock. One owner (the health monitor
// thread) feeds it the observations the workers collected and publishes a HealthTable into the
// next routing snapshot. docs/routing.md ("Live endpoint health") describes the rules.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

#include "config/config.h"
#include "routing/endpoint_health.h"
#include "routing/log_histogram.h"

namespace gw::routing {

// What one attempt at an endpoint did.
struct HealthObservation {
  enum class Result : uint8_t { kSuccess, kError, kRateLimited };
  uint32_t endpoint_id = 0;  // Snapshot::EndpointId
  Result result = Result::kSuccess;
  std::chrono::steady_clock::time_point at;
  float latency_ms = -1;         // time to first token of a streamed answer; < 0 = none
  float tokens_per_second = -1;  // completion tokens / generation time; < 0 = none
};

class HealthTracker {
 public:
  using Clock = std::chrono::steady_clock;
  // The sample ranges of the histograms; values outside are clamped into the end bins.
  static constexpr double kMinLatencyMs = 1, kMaxLatencyMs = 600'000;
  static constexpr double kMinTokensPerSecond = 0.1, kMaxTokensPerSecond = 100'000;
  static constexpr size_t kSecondSlots = 120;  // config::HealthConfig::outage_window_s <= this
  static constexpr size_t kMinuteSlots = 30;   // the 30-minute window, by minute
  static constexpr size_t kRoutingMinutes = 5;

  HealthTracker(size_t endpoint_count, const config::HealthConfig& settings);
  ~HealthTracker();

  void Add(const HealthObservation& observation);
  // Moves every endpoint's outage state to `now` and returns the table of all endpoints, or
  // null when nothing changed since the previous call (no new snapshot needed).
  std::shared_ptr<const HealthTable> Publish(Clock::time_point now);

 private:
  struct Second {
    int64_t index = -1;  // seconds since the clock's epoch
    uint32_t successes = 0;
    uint32_t errors = 0;
  };
  struct Minute {
    int64_t index = -1;  // minutes since the clock's epoch
    uint32_t successes = 0;
    uint32_t errors = 0;
    uint32_t rate_limited = 0;
    LogHistogram latency;
    LogHistogram throughput;
  };
  struct Windows {
    std::array<Second, kSecondSlots> seconds;
    std::array<Minute, kMinuteSlots> minutes;
  };
  struct Track {
    std::unique_ptr<Windows> windows;  // allocated at the endpoint's first observation
    EndpointStatus status = EndpointStatus::kOk;
    Clock::time_point cooldown_until;
    Clock::duration cooldown{};  // the current cooldown; doubles on each failed probe
    Clock::time_point half_open_since;
    uint32_t probe_successes = 0;
    uint32_t probe_errors = 0;
    bool changed = false;           // observations since the last Publish
    int64_t published_minute = -1;  // the minute its published stats were computed in
  };

  // Returns true when the status changed.
  bool Advance(Track& track, Clock::time_point now);
  EndpointHealth Summarize(const Track& track, int64_t minute) const;

  config::HealthConfig settings_;
  std::vector<Track> tracks_;
  std::shared_ptr<const HealthTable> published_;
};

}  // namespace gw::routing

#include "routing/health_tracker.h"

#include <algorithm>

namespace gw::routing {
namespace {

using Clock = HealthTracker::Clock;

int64_t SecondIndex(Clock::time_point at) {
  return std::chrono::duration_cast<std::chrono::seconds>(at.time_since_epoch()).count();
}
int64_t MinuteIndex(Clock::time_point at) {
  return std::chrono::duration_cast<std::chrono::minutes>(at.time_since_epoch()).count();
}

// Throughput percentiles read from the slow end like the market leader's: p99 is the speed that
// 99% of the answers reached (the 1st percentile of the distribution).
Percentiles ThroughputPercentiles(const LogHistogram& histogram) {
  constexpr double lo = HealthTracker::kMinTokensPerSecond, hi = HealthTracker::kMaxTokensPerSecond;
  return {histogram.Percentile(0.50, lo, hi), histogram.Percentile(0.25, lo, hi),
          histogram.Percentile(0.10, lo, hi), histogram.Percentile(0.01, lo, hi)};
}

Percentiles LatencyPercentiles(const LogHistogram& histogram) {
  constexpr double lo = HealthTracker::kMinLatencyMs, hi = HealthTracker::kMaxLatencyMs;
  return {histogram.Percentile(0.50, lo, hi), histogram.Percentile(0.75, lo, hi),
          histogram.Percentile(0.90, lo, hi), histogram.Percentile(0.99, lo, hi)};
}

}  // namespace

int StatusCode(EndpointStatus status) {
  switch (status) {
    case EndpointStatus::kOk:
      return 0;
    case EndpointStatus::kHalfOpen:
      return -1;
    case EndpointStatus::kOutage:
      return -2;
  }
  return 0;
}

std::string_view StatusName(EndpointStatus status) {
  switch (status) {
    case EndpointStatus::kOk:
      return "ok";
    case EndpointStatus::kHalfOpen:
      return "half_open";
    case EndpointStatus::kOutage:
      return "outage";
  }
  return "ok";
}

HealthTracker::HealthTracker(size_t endpoint_count, const config::HealthConfig& settings)
    : settings_(settings), tracks_(endpoint_count) {
  published_ = std::make_shared<const HealthTable>(endpoint_count);
}

HealthTracker::~HealthTracker() = default;

void HealthTracker::Add(const HealthObservation& observation) {
  if (observation.endpoint_id >= tracks_.size()) return;
  Track& track = tracks_[observation.endpoint_id];
  if (!track.windows) track.windows = std::make_unique<Windows>();
  track.changed = true;
  using Result = HealthObservation::Result;

  const int64_t second_index = SecondIndex(observation.at);
  Second& second = track.windows->seconds[static_cast<size_t>(second_index) % kSecondSlots];
  if (second.index != second_index) second = Second{second_index, 0, 0};
  const int64_t minute_index = MinuteIndex(observation.at);
  Minute& minute = track.windows->minutes[static_cast<size_t>(minute_index) % kMinuteSlots];
  if (minute.index != minute_index) {
    minute.index = minute_index;
    minute.successes = minute.errors = minute.rate_limited = 0;
    minute.latency.Clear();
    minute.throughput.Clear();
  }
  switch (observation.result) {
    case Result::kSuccess:
      ++second.successes;
      ++minute.successes;
      break;
    case Result::kError:
      ++second.errors;
      ++minute.errors;
      break;
    case Result::kRateLimited:
      ++minute.rate_limited;
      break;
  }
  if (observation.latency_ms >= 0) {
    minute.latency.Add(observation.latency_ms, kMinLatencyMs, kMaxLatencyMs);
  }
  if (observation.tokens_per_second > 0) {
    minute.throughput.Add(observation.tokens_per_second, kMinTokensPerSecond, kMaxTokensPerSecond);
  }
  if (track.status == EndpointStatus::kHalfOpen && observation.at >= track.half_open_since) {
    if (observation.result == Result::kSuccess) ++track.probe_successes;
    if (observation.result == Result::kError) ++track.probe_errors;
  }
}

bool HealthTracker::Advance(Track& track, Clock::time_point now) {
  const Clock::duration base = std::chrono::seconds(settings_.cooldown_s);
  const Clock::duration longest = std::chrono::seconds(settings_.max_cooldown_s);
  auto open = [&](Clock::duration cooldown) {
    track.status = EndpointStatus::kOutage;
    track.cooldown = cooldown;
    track.cooldown_until = now + cooldown;
  };
  switch (track.status) {
    case EndpointStatus::kOk: {
      uint64_t successes = 0, errors = 0;
      const int64_t newest = SecondIndex(now);
      for (const Second& second : track.windows->seconds) {
        if (second.index > newest - static_cast<int64_t>(settings_.outage_window_s) &&
            second.index <= newest) {
          successes += second.successes;
          errors += second.errors;
        }
      }
      const uint64_t answered = successes + errors;
      if (answered >= settings_.outage_min_requests &&
          errors * 100 >= settings_.outage_error_percent * answered) {
        open(base);
        return true;
      }
      return false;
    }
    case EndpointStatus::kOutage:
      if (now < track.cooldown_until) return false;
      track.status = EndpointStatus::kHalfOpen;
      track.half_open_since = now;
      track.probe_successes = track.probe_errors = 0;
      return true;
    case EndpointStatus::kHalfOpen:
      if (track.probe_errors > 0) {
        open(std::min(track.cooldown * 2, longest));
        return true;
      }
      if (track.probe_successes > 0) {
        // The window starts afresh: the errors that opened the outage are history.
        track.status = EndpointStatus::kOk;
        track.windows->seconds.fill(Second{});
        return true;
      }
      return false;
  }
  return false;
}

EndpointHealth HealthTracker::Summarize(const Track& track, int64_t minute) const {
  EndpointHealth health;
  health.status = track.status;
  LogHistogram latency_5m, throughput_5m, latency_30m, throughput_30m;
  for (const Minute& slot : track.windows->minutes) {
    if (slot.index < 0 || slot.index > minute) continue;
    const int64_t age = minute - slot.index;
    if (age >= static_cast<int64_t>(kMinuteSlots)) continue;
    auto add = [&slot](WindowStats& stats, LogHistogram& latency, LogHistogram& throughput) {
      stats.successes += slot.successes;
      stats.errors += slot.errors;
      stats.rate_limited += slot.rate_limited;
      latency.Merge(slot.latency);
      throughput.Merge(slot.throughput);
    };
    add(health.last_30m, latency_30m, throughput_30m);
    if (age < static_cast<int64_t>(kRoutingMinutes)) add(health.last_5m, latency_5m, throughput_5m);
  }
  auto finish = [](WindowStats& stats, const LogHistogram& latency,
                   const LogHistogram& throughput) {
    stats.latency_samples = latency.total();
    stats.latency_ms = LatencyPercentiles(latency);
    stats.throughput_samples = throughput.total();
    stats.throughput = ThroughputPercentiles(throughput);
  };
  finish(health.last_5m, latency_5m, throughput_5m);
  finish(health.last_30m, latency_30m, throughput_30m);
  return health;
}

std::shared_ptr<const HealthTable> HealthTracker::Publish(Clock::time_point now) {
  const int64_t minute = MinuteIndex(now);
  std::shared_ptr<HealthTable> next;
  for (size_t id = 0; id < tracks_.size(); ++id) {
    Track& track = tracks_[id];
    if (!track.windows) continue;
    const bool status_changed = Advance(track, now);
    // Stats change with new observations and as whole minutes age out of the windows.
    if (!status_changed && !track.changed && track.published_minute == minute) continue;
    if (!next) next = std::make_shared<HealthTable>(*published_);
    (*next)[id] = Summarize(track, minute);
    track.changed = false;
    track.published_minute = minute;
  }
  if (!next) return nullptr;
  published_ = std::move(next);
  return published_;
}

}  // namespace gw::routing

// What the gateway has measured about each endpoint from live traffic, as published in the
// routing snapshot: its status (outage detection) and rolling statistics over the last 5 minutes
// (what the sorts use) and the last 30 minutes (what GET /v1/models/{id}/endpoints shows).
// Immutable once published; produced by HealthTracker (routing/health_tracker.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace gw::routing {

enum class EndpointStatus {
  kOk,
  kOutage,    // a significant error rate in the outage window: tried last (or not at all)
  kHalfOpen,  // the outage's cooldown is over: real traffic probes it
};

// The wire form of GET /v1/models/{id}/endpoints: `status` is a number like the market leader's
// (0 = normal, negative = degraded), `status_name` says which.
int StatusCode(EndpointStatus status);
std::string_view StatusName(EndpointStatus status);

struct Percentiles {
  double p50 = 0;
  double p75 = 0;
  double p90 = 0;
  double p99 = 0;
};

struct WindowStats {
  uint64_t successes = 0;
  uint64_t errors = 0;        // failures of the endpoint (5xx, timeouts, refused, malformed)
  uint64_t rate_limited = 0;  // 429s: counted, but not against uptime
  uint64_t latency_samples = 0;
  Percentiles latency_ms;  // time to first token of streamed answers
  uint64_t throughput_samples = 0;
  Percentiles throughput;  // completion tokens per second of generation

  // successes / (successes + errors) in percent; nullopt without answers.
  std::optional<double> UptimePercent() const {
    const uint64_t answered = successes + errors;
    if (answered == 0) return std::nullopt;
    return 100.0 * static_cast<double>(successes) / static_cast<double>(answered);
  }
};

struct EndpointHealth {
  EndpointStatus status = EndpointStatus::kOk;
  WindowStats last_5m;   // routing: sorts by throughput / latency use its p50
  WindowStats last_30m;  // published
};

// Indexed by the snapshot's endpoint id (Snapshot::EndpointId).
using HealthTable = std::vector<EndpointHealth>;

}  // namespace gw::routing

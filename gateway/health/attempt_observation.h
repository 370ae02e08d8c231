// What an upstream attempt says about its endpoint's health (docs/routing.md, "Live endpoint
// health"): a success with its time to first token and throughput, an error of the endpoint,
// a rate limit, or nothing (the client's own mistake, a client that left).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

#include "providers/provider.h"
#include "routing/health_tracker.h"

namespace gw::health {

struct AttemptFacts {
  uint32_t endpoint_id = 0;
  bool stream = false;
  std::chrono::steady_clock::time_point start;            // the attempt was sent
  std::chrono::steady_clock::time_point end;              // its outcome is known
  const std::vector<uint16_t>* retry_statuses = nullptr;  // routing.retry_statuses
};

std::optional<routing::HealthObservation> ObserveAttempt(const providers::ProviderOutcome& outcome,
                                                         const AttemptFacts& facts);

}  // namespace gw::health

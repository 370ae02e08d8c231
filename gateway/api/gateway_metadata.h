// The opt-in routing metadata of a response (request header `X-Gateway-Metadata: enabled`,
// docs/routing.md): the strategy, the candidates considered, the endpoints excluded and every
// attempt with its provider, status and latency, as one compact JSON object sent in the
// `X-Gateway-Metadata` response header. Pure; any thread.
#pragma once

#include <chrono>
#include <span>
#include <string>
#include <string_view>

#include "routing/plan.h"

namespace gw::api {

inline constexpr std::string_view kGatewayMetadataHeader = "X-Gateway-Metadata";

// One tried endpoint (also the error metadata when every attempt failed).
struct AttemptRecord {
  std::string_view model;
  std::string_view provider;
  int status = 0;     // the provider's HTTP status; 0 when it never answered
  std::string error;  // empty when the attempt served the request
  std::chrono::steady_clock::duration latency{};
};

// True when the request asked for the metadata (the header's value is "enabled", any case).
bool WantsGatewayMetadata(std::string_view header_value);

// {"strategy":"price_weighted","candidates":[{"model","provider","status"}],
//  "excluded":[{"model","provider","reason"}],
//  "attempts":[{"model","provider","status","latency_ms","error"?}], "sticky":bool,
//  "serving":{"model","provider"}?}   (serving: a stream's endpoint, before it has finished)
// A candidate's status is its endpoint's health in `snapshot` (ok, outage, half_open).
std::string GatewayMetadataJson(const routing::Snapshot& snapshot, const routing::RoutePlan& plan,
                                std::span<const AttemptRecord> attempts,
                                const routing::Attempt* serving);

}  // namespace gw::api

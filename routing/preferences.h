// A request's routing preferences: the `provider` object of API.md ("Inference"), decoded and
// validated by the gateway, plus what the model suffixes (:floor, :nitro, :free) imply. Plain
// values; money in the catalogue's units (nano-USD per 1M tokens, nano-USD per request).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gw::routing {

enum class SortBy {
  kNone,        // the default policy: price-weighted random choice (1/price^2)
  kPrice,       // cheapest expected cost first
  kThroughput,  // highest tokens/s first
  kLatency,     // lowest time to first token first
};

// "price", "throughput", "latency" (the wire and YAML names); nullopt for anything else.
inline std::optional<SortBy> ParseSortBy(std::string_view name) {
  if (name == "price") return SortBy::kPrice;
  if (name == "throughput") return SortBy::kThroughput;
  if (name == "latency") return SortBy::kLatency;
  return std::nullopt;
}

struct MaxPrice {
  std::optional<int64_t> prompt;      // nano-USD per 1M prompt tokens
  std::optional<int64_t> completion;  // nano-USD per 1M completion tokens
  std::optional<int64_t> request;     // nano-USD per request
};

struct ProviderPreferences {
  std::vector<std::string> order;                // try these providers first, in this order
  bool allow_fallbacks = true;                   // false: only the providers of `order` are tried
  std::optional<std::vector<std::string>> only;  // allow-list of provider names
  std::vector<std::string> ignore;               // deny-list of provider names
  SortBy sort = SortBy::kNone;
  bool sort_across_models = false;  // sort {partition: "none"}: one order over all models
  MaxPrice max_price;
  bool require_parameters = false;                 // only endpoints that list every parameter sent
  std::vector<std::string> quantizations;          // allowed quantizations; empty = any
  bool deny_data_collection = false;               // data_collection: "deny"
  bool zdr = false;                                // only zero-data-retention endpoints
  std::optional<double> preferred_min_throughput;  // tokens/s; slower endpoints go last
  std::optional<double> preferred_max_latency_s;   // seconds to first token; slower go last
};

}  // namespace gw::routing

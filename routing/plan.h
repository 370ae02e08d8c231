// Hop 4 of the data path: the routing decision as a pure function. Given the snapshot and the
// facts of one request, it returns the ordered endpoints to try, or why none can serve it.
// No I/O, no globals; time and randomness are parameters so tests are tables of facts and plans.
// The policies are documented in docs/routing.md.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "routing/preferences.h"
#include "routing/snapshot.h"

namespace gw::routing {

struct RequestFacts {
  std::string_view model;  // the requested model id, maybe with a :floor/:nitro/:free suffix
  const std::vector<std::string>* fallback_models = nullptr;  // `models: [...]`, may be null
  const ProviderPreferences* preferences = nullptr;           // `provider: {...}`, may be null
  int64_t estimated_prompt_tokens = 0;
  std::optional<int64_t> max_tokens;  // max_tokens / max_completion_tokens, if sent
  // The OpenAI parameters the request sets (temperature, tools, ...), for require_parameters.
  const std::vector<std::string>* parameters = nullptr;
  // The endpoint that served this request's session before (sticky routing): tried first while
  // it is a candidate and its status is ok.
  std::optional<uint32_t> sticky_endpoint_id;
};

struct Attempt {
  const config::ModelConfig* model = nullptr;
  const config::EndpointConfig* endpoint = nullptr;
  const config::ProviderConfig* provider = nullptr;
  uint32_t endpoint_id = 0;  // Snapshot::Health(endpoint_id)
};

// Why an endpoint was left out; the wire names (Exclusion::reason) are in ReasonName().
enum class ExclusionReason {
  kNotInOnly,            // provider.only does not list its provider
  kIgnored,              // provider.ignore lists it
  kNotInOrder,           // provider.order without fallbacks does not list it
  kNotFree,              // the :free variant, and the endpoint has a price
  kQuantization,         // provider.quantizations does not allow its quantization
  kDataCollection,       // provider.data_collection "deny", and it may collect data
  kZdr,                  // provider.zdr, and it does not retain zero data
  kRequireParameters,    // provider.require_parameters, and it lacks a parameter sent
  kContextLength,        // estimated prompt + max_tokens exceed its context
  kMaxCompletionTokens,  // max_tokens exceeds its max_completion_tokens
  kMaxPrice,             // a price above provider.max_price
  kOutage,               // in outage, and routing.health.outage_policy is "exclude"
};
std::string_view ReasonName(ExclusionReason reason);

struct Exclusion {
  const config::ModelConfig* model = nullptr;
  const config::EndpointConfig* endpoint = nullptr;
  ExclusionReason reason = ExclusionReason::kNotInOnly;
  std::string detail;  // e.g. "needs 9000 tokens, holds 8192"
};

enum class PlanError {
  kNone,
  kUnknownModel,       // no requested model is in the catalogue (404)
  kNoEndpoint,         // every endpoint excluded, at least one for an outage (503; see
                       // `exclusions`): it may serve again soon, a retry is worth it
  kNoEndpointMatches,  // every endpoint excluded by the request's own constraints (provider
                       // preferences, variant, parameters, size; no outage): 404, as a retry
                       // cannot help
  kRequestTooLarge,    // every endpoint was excluded for the request's size alone (400)
};

enum class Strategy { kWeightedByPrice, kSortedByPrice, kSortedByThroughput, kSortedByLatency };
std::string_view StrategyName(Strategy strategy);

struct RoutePlan {
  std::vector<Attempt> attempts;  // in the order to try them
  PlanError error = PlanError::kNone;
  Strategy strategy = Strategy::kWeightedByPrice;
  // Every model id the request named (model, then models[]), once each, in order; views
  // into the request facts' strings.
  std::vector<std::string_view> requested_models;
  std::vector<std::string> unknown_models;  // the requested ids the catalogue lacks
  std::vector<Exclusion> exclusions;        // every endpoint left out, with why
  bool sticky = false;  // the first attempt is the session's endpoint (sticky routing)
};

// The endpoint's expected cost of the request, in nano-USD (documented in docs/routing.md):
// prompt price x estimated prompt tokens + completion price x expected completion tokens
// (max_tokens, else kDefaultCompletionTokens), per 1M tokens, plus the per-request price.
inline constexpr int64_t kDefaultCompletionTokens = 256;
double ExpectedCost(const config::Pricing& pricing, const RequestFacts& facts);

// Until an endpoint has this many samples in the last 5 minutes, the sorts use its configured
// hint, and without a hint it counts as unmeasured: tried first, so that it gets measured.
inline constexpr uint64_t kMinMeasuredSamples = 3;

// The model id a requested model names: "x/y:nitro" -> "x/y" (the :floor, :nitro and :free
// variants of docs/routing.md); any other id as it is.
std::string_view ModelIdOf(std::string_view requested);

RoutePlan Plan(const Snapshot& snapshot, const RequestFacts& facts,
               std::chrono::system_clock::time_point now, std::mt19937_64& rng);

}  // namespace gw::routing

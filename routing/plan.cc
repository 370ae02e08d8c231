#include "routing/plan.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "config/money.h"

namespace gw::routing {
namespace {

// The model variants of API.md: a suffix on the requested id.
enum class Variant { kNone, kFloor, kNitro, kFree };

struct ModelRequest {
  std::string_view id;  // without the suffix
  Variant variant = Variant::kNone;
};

ModelRequest SplitVariant(std::string_view requested) {
  const size_t colon = requested.rfind(':');
  if (colon == std::string_view::npos) return {requested, Variant::kNone};
  const std::string_view suffix = requested.substr(colon + 1);
  const std::string_view base = requested.substr(0, colon);
  if (suffix == "floor") return {base, Variant::kFloor};
  if (suffix == "nitro") return {base, Variant::kNitro};
  if (suffix == "free") return {base, Variant::kFree};
  return {requested, Variant::kNone};  // not a variant: looked up (and unknown) as is
}

}  // namespace

std::string_view ModelIdOf(std::string_view requested) { return SplitVariant(requested).id; }

namespace {

bool Contains(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// "$0.15/M" from nano-USD per 1M tokens (or per request, with `unit` "").
std::string Usd(int64_t nano, std::string_view unit) {
  std::string text = "$";
  text += config::FormatScaledDecimal(nano, 9);
  text += unit;
  return text;
}

const ProviderPreferences kNoPreferences;

// The first reason (in the order of ExclusionReason) the endpoint cannot serve the request.
std::optional<Exclusion> Exclude(const config::ModelConfig& model,
                                 const config::EndpointConfig& endpoint, Variant variant,
                                 const RequestFacts& facts, const EndpointHealth& health,
                                 config::OutagePolicy outage_policy) {
  const ProviderPreferences& prefs = facts.preferences ? *facts.preferences : kNoPreferences;
  auto exclude = [&](ExclusionReason reason, std::string detail) {
    return Exclusion{&model, &endpoint, reason, std::move(detail)};
  };
  const std::string& provider = endpoint.provider;
  if (prefs.only && !Contains(*prefs.only, provider)) {
    return exclude(ExclusionReason::kNotInOnly, "provider.only does not list it");
  }
  if (Contains(prefs.ignore, provider)) {
    return exclude(ExclusionReason::kIgnored, "provider.ignore lists it");
  }
  if (!prefs.allow_fallbacks && !prefs.order.empty() && !Contains(prefs.order, provider)) {
    return exclude(ExclusionReason::kNotInOrder,
                   "provider.order does not list it and provider.allow_fallbacks is false");
  }
  const config::Pricing& price = endpoint.pricing;
  if (variant == Variant::kFree &&
      (price.prompt != 0 || price.completion != 0 || price.request != 0)) {
    return exclude(ExclusionReason::kNotFree, "the :free variant uses zero-priced endpoints only");
  }
  if (!prefs.quantizations.empty()) {
    const std::string quantization =
        endpoint.quantization.empty() ? "unknown" : endpoint.quantization;
    if (!Contains(prefs.quantizations, quantization)) {
      return exclude(ExclusionReason::kQuantization,
                     "quantization \"" + quantization + "\" is not in provider.quantizations");
    }
  }
  if (prefs.deny_data_collection && endpoint.collects_data) {
    return exclude(ExclusionReason::kDataCollection,
                   "it may collect data (data_collection: allow) and the request denies it");
  }
  if (prefs.zdr && !endpoint.zdr) {
    return exclude(ExclusionReason::kZdr, "it is not a zero-data-retention endpoint");
  }
  if (prefs.require_parameters && facts.parameters != nullptr) {
    for (const std::string& parameter : *facts.parameters) {
      if (!Contains(endpoint.supported_parameters, parameter)) {
        return exclude(ExclusionReason::kRequireParameters,
                       "it does not support \"" + parameter + "\"");
      }
    }
  }
  const int64_t context =
      endpoint.context_length > 0 ? endpoint.context_length : model.context_length;
  const int64_t needed = facts.estimated_prompt_tokens + facts.max_tokens.value_or(0);
  if (context > 0 && needed > context) {
    return exclude(ExclusionReason::kContextLength,
                   "the request needs about " + std::to_string(needed) +
                       " tokens (prompt estimate + max_tokens), its context holds " +
                       std::to_string(context));
  }
  if (endpoint.max_completion_tokens > 0 && facts.max_tokens &&
      *facts.max_tokens > endpoint.max_completion_tokens) {
    return exclude(ExclusionReason::kMaxCompletionTokens,
                   "max_tokens " + std::to_string(*facts.max_tokens) + " is above its limit of " +
                       std::to_string(endpoint.max_completion_tokens));
  }
  const MaxPrice& max = prefs.max_price;
  if (max.prompt && price.prompt > *max.prompt) {
    return exclude(ExclusionReason::kMaxPrice, "prompt price " + Usd(price.prompt, "/M") +
                                                   " is above provider.max_price.prompt " +
                                                   Usd(*max.prompt, "/M"));
  }
  if (max.completion && price.completion > *max.completion) {
    return exclude(ExclusionReason::kMaxPrice, "completion price " + Usd(price.completion, "/M") +
                                                   " is above provider.max_price.completion " +
                                                   Usd(*max.completion, "/M"));
  }
  if (max.request && price.request > *max.request) {
    return exclude(ExclusionReason::kMaxPrice, "request price " + Usd(price.request, "") +
                                                   " is above provider.max_price.request " +
                                                   Usd(*max.request, ""));
  }
  if (outage_policy == config::OutagePolicy::kExclude && health.status == EndpointStatus::kOutage) {
    std::string detail = "in outage (routing.health.outage_policy: exclude)";
    if (const std::optional<double> uptime = health.last_5m.UptimePercent()) {
      detail += "; uptime " + std::to_string(static_cast<int>(*uptime)) + "% in the last 5 minutes";
    }
    return exclude(ExclusionReason::kOutage, std::move(detail));
  }
  return std::nullopt;
}

struct Candidate {
  Attempt attempt;
  const EndpointHealth* health = nullptr;
  double cost = 0;
  size_t sequence = 0;  // position in the unsorted list: ties keep configuration order
  bool stable = true;   // not in outage (or half-open and drawn to probe)
};

// Measured throughput (tokens/s, p50 over 5 minutes) once there are enough samples, else the
// configured hint; 0 = unknown.
double Throughput(const Candidate& c) {
  const WindowStats& recent = c.health->last_5m;
  if (recent.throughput_samples >= kMinMeasuredSamples) return recent.throughput.p50;
  return c.attempt.endpoint->throughput_hint;
}
// Measured time to first token (ms, p50 over 5 minutes), else the hint; nullopt = unknown.
std::optional<double> LatencyMs(const Candidate& c) {
  const WindowStats& recent = c.health->last_5m;
  if (recent.latency_samples >= kMinMeasuredSamples) return recent.latency_ms.p50;
  const uint32_t hint = c.attempt.endpoint->latency_hint_ms;
  if (hint == 0) return std::nullopt;
  return hint;
}

// Sorts by performance put unmeasured endpoints first: they get measured by the next requests
// and then take their place (this is how :nitro converges after a warm-up).
void SortBy(std::vector<Candidate>& list, routing::SortBy by) {
  auto by_cost = [](const Candidate& a, const Candidate& b) { return a.cost < b.cost; };
  auto by_throughput = [](const Candidate& a, const Candidate& b) {
    const double x = Throughput(a), y = Throughput(b);
    if ((x == 0) != (y == 0)) return x == 0;
    return x > y;
  };
  auto by_latency = [](const Candidate& a, const Candidate& b) {
    const std::optional<double> x = LatencyMs(a), y = LatencyMs(b);
    if (x.has_value() != y.has_value()) return !x.has_value();
    return x.has_value() && *x < *y;
  };
  switch (by) {
    case routing::SortBy::kPrice:
      std::stable_sort(list.begin(), list.end(), by_cost);
      break;
    case routing::SortBy::kThroughput:
      std::stable_sort(list.begin(), list.end(), by_throughput);
      break;
    case routing::SortBy::kLatency:
      std::stable_sort(list.begin(), list.end(), by_latency);
      break;
    case routing::SortBy::kNone:
      break;
  }
}

// The default policy: one endpoint drawn with probability proportional to 1/cost^2 (zero-cost
// endpoints, if any, share all the probability), then the others cheapest first.
void WeightedByPrice(std::vector<Candidate>& list, std::mt19937_64& rng) {
  SortBy(list, routing::SortBy::kPrice);
  if (list.size() < 2) return;
  const bool any_free = list.front().cost <= 0;
  auto weight = [any_free](const Candidate& c) {
    if (any_free) return c.cost <= 0 ? 1.0 : 0.0;
    return 1.0 / (c.cost * c.cost);
  };
  double total = 0;
  for (const Candidate& c : list) total += weight(c);
  double draw = std::uniform_real_distribution<double>(0.0, total)(rng);
  size_t first = 0;
  while (first + 1 < list.size() && draw >= weight(list[first])) draw -= weight(list[first++]);
  std::rotate(list.begin(), list.begin() + static_cast<std::ptrdiff_t>(first),
              list.begin() + static_cast<std::ptrdiff_t>(first) + 1);
}

// Endpoints that miss provider.preferred_min_throughput / preferred_max_latency move behind the
// others (unknown performance counts as meeting them); the order within each part is kept.
void Deprioritize(std::vector<Candidate>& list, const ProviderPreferences& prefs) {
  if (!prefs.preferred_min_throughput && !prefs.preferred_max_latency_s) return;
  auto meets = [&prefs](const Candidate& c) {
    if (prefs.preferred_min_throughput && Throughput(c) > 0 &&
        Throughput(c) < *prefs.preferred_min_throughput) {
      return false;
    }
    const std::optional<double> latency_ms = LatencyMs(c);
    if (prefs.preferred_max_latency_s && latency_ms &&
        *latency_ms > *prefs.preferred_max_latency_s * 1000) {
      return false;
    }
    return true;
  };
  std::stable_partition(list.begin(), list.end(), meets);
}

// Orders one group of candidates: provider.order first (in its order); then the stable
// endpoints by the sort, or by the default price-weighted draw; then those in outage, by the
// sort or by price (docs/routing.md, "Order of attempts").
void Order(std::vector<Candidate>& list, const ProviderPreferences& prefs, routing::SortBy sort,
           std::mt19937_64& rng) {
  std::vector<Candidate> listed;
  if (!prefs.order.empty()) {
    auto is_listed = [&prefs](const Candidate& c) {
      return Contains(prefs.order, c.attempt.provider->name);
    };
    const auto rest_begin = std::stable_partition(list.begin(), list.end(), is_listed);
    listed.assign(list.begin(), rest_begin);
    list.erase(list.begin(), rest_begin);
    auto order_index = [&prefs](const Candidate& c) {
      return std::find(prefs.order.begin(), prefs.order.end(), c.attempt.provider->name) -
             prefs.order.begin();
    };
    std::stable_sort(listed.begin(), listed.end(), [&](const Candidate& a, const Candidate& b) {
      return order_index(a) < order_index(b);
    });
  }
  // (The partition allocates; the common case, every endpoint stable, skips it.)
  std::vector<Candidate> unstable;
  auto is_stable = [](const Candidate& c) { return c.stable; };
  if (!std::all_of(list.begin(), list.end(), is_stable)) {
    const auto unstable_begin = std::stable_partition(list.begin(), list.end(), is_stable);
    unstable.assign(unstable_begin, list.end());
    list.erase(unstable_begin, list.end());
  }
  const routing::SortBy fallback_sort =
      sort == routing::SortBy::kNone ? routing::SortBy::kPrice : sort;
  if (sort == routing::SortBy::kNone && prefs.order.empty()) {
    WeightedByPrice(list, rng);
  } else {
    SortBy(list, fallback_sort);
  }
  Deprioritize(list, prefs);
  SortBy(unstable, fallback_sort);
  list.insert(list.end(), unstable.begin(), unstable.end());
  if (listed.empty()) return;
  listed.insert(listed.end(), list.begin(), list.end());
  list = std::move(listed);
}

// Stable unless in outage; a half-open endpoint is stable for probe_percent % of the requests.
bool IsStable(const EndpointHealth& health, const config::HealthConfig& settings,
              std::mt19937_64& rng) {
  switch (health.status) {
    case EndpointStatus::kOk:
      return true;
    case EndpointStatus::kOutage:
      return false;
    case EndpointStatus::kHalfOpen:
      return std::uniform_int_distribution<uint32_t>(0, 99)(rng) < settings.probe_percent;
  }
  return true;
}

// Sticky routing: the session's endpoint goes first while it is a candidate and ok.
bool PutStickyFirst(const Snapshot& snapshot, uint32_t endpoint_id, std::vector<Attempt>& list) {
  auto it = std::find_if(list.begin(), list.end(),
                         [endpoint_id](const Attempt& a) { return a.endpoint_id == endpoint_id; });
  if (it == list.end() || snapshot.Health(endpoint_id).status != EndpointStatus::kOk) return false;
  std::rotate(list.begin(), it, it + 1);
  return true;
}

// The request's sort, else its suffix's, else the model's configured default, else the global.
routing::SortBy SortFor(Variant variant, const ProviderPreferences& prefs,
                        const config::ModelConfig& model, const config::RoutingConfig& defaults) {
  if (prefs.sort != routing::SortBy::kNone) return prefs.sort;
  if (variant == Variant::kFloor) return routing::SortBy::kPrice;
  if (variant == Variant::kNitro) return routing::SortBy::kThroughput;
  const std::string& configured = model.routing_sort.empty() ? defaults.sort : model.routing_sort;
  return ParseSortBy(configured).value_or(routing::SortBy::kNone);
}

Strategy StrategyFor(routing::SortBy sort) {
  switch (sort) {
    case routing::SortBy::kPrice:
      return Strategy::kSortedByPrice;
    case routing::SortBy::kThroughput:
      return Strategy::kSortedByThroughput;
    case routing::SortBy::kLatency:
      return Strategy::kSortedByLatency;
    case routing::SortBy::kNone:
      break;
  }
  return Strategy::kWeightedByPrice;
}

bool IsSizeReason(ExclusionReason reason) {
  return reason == ExclusionReason::kContextLength ||
         reason == ExclusionReason::kMaxCompletionTokens;
}

}  // namespace

std::string_view ReasonName(ExclusionReason reason) {
  switch (reason) {
    case ExclusionReason::kNotInOnly:
      return "not_in_only";
    case ExclusionReason::kIgnored:
      return "ignored";
    case ExclusionReason::kNotInOrder:
      return "not_in_order";
    case ExclusionReason::kNotFree:
      return "not_free";
    case ExclusionReason::kQuantization:
      return "quantization";
    case ExclusionReason::kDataCollection:
      return "data_collection";
    case ExclusionReason::kZdr:
      return "zdr";
    case ExclusionReason::kRequireParameters:
      return "require_parameters";
    case ExclusionReason::kContextLength:
      return "context_length";
    case ExclusionReason::kMaxCompletionTokens:
      return "max_completion_tokens";
    case ExclusionReason::kMaxPrice:
      return "max_price";
    case ExclusionReason::kOutage:
      return "outage";
  }
  return "unknown";
}

std::string_view StrategyName(Strategy strategy) {
  switch (strategy) {
    case Strategy::kWeightedByPrice:
      return "price_weighted";
    case Strategy::kSortedByPrice:
      return "sort_price";
    case Strategy::kSortedByThroughput:
      return "sort_throughput";
    case Strategy::kSortedByLatency:
      return "sort_latency";
  }
  return "unknown";
}

double ExpectedCost(const config::Pricing& pricing, const RequestFacts& facts) {
  const double prompt_tokens =
      static_cast<double>(std::max<int64_t>(facts.estimated_prompt_tokens, 0));
  const double completion_tokens =
      static_cast<double>(facts.max_tokens.value_or(kDefaultCompletionTokens));
  return (static_cast<double>(pricing.prompt) * prompt_tokens +
          static_cast<double>(pricing.completion) * completion_tokens) /
             1e6 +
         static_cast<double>(pricing.request);
}

RoutePlan Plan(const Snapshot& snapshot, const RequestFacts& facts,
               std::chrono::system_clock::time_point /*now*/, std::mt19937_64& rng) {
  const ProviderPreferences& prefs = facts.preferences ? *facts.preferences : kNoPreferences;
  const config::HealthConfig& health_config = snapshot.config().routing.health;
  RoutePlan plan;
  std::vector<std::string_view>& wanted = plan.requested_models;
  wanted.push_back(facts.model);
  if (facts.fallback_models != nullptr) {
    for (const std::string& id : *facts.fallback_models) {
      if (std::find(wanted.begin(), wanted.end(), id) == wanted.end()) wanted.push_back(id);
    }
  }
  // One group per model, or one group for all of them (sort with partition "none").
  std::vector<std::vector<Candidate>> groups;
  std::vector<routing::SortBy> group_sorts;
  size_t sequence = 0;
  bool any_known = false;
  for (std::string_view requested : wanted) {
    const ModelRequest request = SplitVariant(requested);
    const Catalogue::ModelEntry* entry = snapshot.FindModelEntry(request.id);
    if (entry == nullptr) {
      plan.unknown_models.emplace_back(requested);
      continue;
    }
    const config::ModelConfig* model = entry->model;
    any_known = true;
    const routing::SortBy sort = SortFor(request.variant, prefs, *model, snapshot.config().routing);
    const bool merge =
        prefs.sort_across_models && sort != routing::SortBy::kNone && !groups.empty();
    if (!merge) {
      groups.emplace_back();
      group_sorts.push_back(sort);
    }
    groups.back().reserve(groups.back().size() + model->endpoints.size());
    for (size_t i = 0; i < model->endpoints.size(); ++i) {
      const config::EndpointConfig& endpoint = model->endpoints[i];
      const config::ProviderConfig* provider = snapshot.FindProvider(endpoint.provider);
      if (provider == nullptr) continue;
      const auto endpoint_id = static_cast<uint32_t>(entry->first_endpoint_id + i);
      const EndpointHealth& health = snapshot.Health(endpoint_id);
      if (std::optional<Exclusion> excluded = Exclude(*model, endpoint, request.variant, facts,
                                                      health, health_config.outage_policy)) {
        plan.exclusions.push_back(std::move(*excluded));
        continue;
      }
      Candidate candidate;
      candidate.attempt = {model, &endpoint, provider, endpoint_id};
      candidate.health = &health;
      candidate.cost = ExpectedCost(endpoint.pricing, facts);
      candidate.sequence = sequence++;
      candidate.stable = IsStable(health, health_config, rng);
      groups.back().push_back(candidate);
    }
  }
  for (size_t i = 0; i < groups.size(); ++i) {
    Order(groups[i], prefs, group_sorts[i], rng);
    for (const Candidate& candidate : groups[i]) plan.attempts.push_back(candidate.attempt);
  }
  if (!group_sorts.empty()) plan.strategy = StrategyFor(group_sorts.front());
  if (facts.sticky_endpoint_id) {
    plan.sticky = PutStickyFirst(snapshot, *facts.sticky_endpoint_id, plan.attempts);
  }
  if (plan.attempts.empty()) {
    if (!any_known) {
      plan.error = PlanError::kUnknownModel;
    } else {
      const auto all = [&plan](auto predicate) {
        return !plan.exclusions.empty() &&
               std::all_of(plan.exclusions.begin(), plan.exclusions.end(), predicate);
      };
      if (all([](const Exclusion& e) { return IsSizeReason(e.reason); })) {
        plan.error = PlanError::kRequestTooLarge;
      } else if (all([](const Exclusion& e) { return e.reason != ExclusionReason::kOutage; })) {
        plan.error = PlanError::kNoEndpointMatches;
      } else {
        plan.error = PlanError::kNoEndpoint;
      }
    }
  }
  return plan;
}

}  // namespace gw::routing

// The routing policies of Plan(): the price-weighted default, sorts and suffixes, provider
// preferences, filters with their exclusion reasons, and the errors when nothing fits.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "routing/plan.h"
#include "tests/routing/catalogue_builders.h"

namespace gw::routing {
namespace {

using test_catalogue::Provider;
using Names = std::vector<std::string>;

constexpr int64_t kUsdPerMillion = 1'000'000'000;  // $1 per 1M tokens, in catalogue units

struct EndpointSpec {
  std::string provider;
  int64_t price = 0;  // prompt and completion, nano-USD per 1M tokens
  uint32_t throughput = 0;
  uint32_t latency_ms = 0;
};

config::EndpointConfig Endpoint(const EndpointSpec& spec) {
  config::EndpointConfig endpoint;
  endpoint.provider = spec.provider;
  endpoint.upstream_model = "upstream-" + spec.provider;
  endpoint.pricing.prompt = spec.price;
  endpoint.pricing.completion = spec.price;
  endpoint.throughput_hint = spec.throughput;
  endpoint.latency_hint_ms = spec.latency_ms;
  return endpoint;
}

// Model "m": A $1/M (slow, fast first token), B $2/M, C $3/M (fastest); model "n": D $0.5/M.
std::shared_ptr<const Snapshot> Catalogue(
    const std::function<void(config::Config&)>& adjust = nullptr) {
  auto config = std::make_shared<config::Config>();
  for (const char* name : {"A", "B", "C", "D"}) config->providers.push_back(Provider(name));
  config::ModelConfig& m = config->models.emplace_back();
  m.id = "m";
  m.context_length = 8192;
  m.endpoints.push_back(Endpoint({"A", 1 * kUsdPerMillion, 40, 200}));
  m.endpoints.push_back(Endpoint({"B", 2 * kUsdPerMillion, 0, 0}));
  m.endpoints.push_back(Endpoint({"C", 3 * kUsdPerMillion, 120, 900}));
  config::ModelConfig& n = config->models.emplace_back();
  n.id = "n";
  n.context_length = 8192;
  n.endpoints.push_back(Endpoint({"D", kUsdPerMillion / 2, 80, 100}));
  if (adjust) adjust(*config);
  return std::make_shared<const Snapshot>(std::move(config));
}

class PoliciesTest : public ::testing::Test {
 protected:
  RoutePlan PlanFor(std::string_view model, const ProviderPreferences* preferences = nullptr) {
    facts_.model = model;
    facts_.preferences = preferences;
    return Plan(*snapshot_, facts_, now_, rng_);
  }
  static Names Providers(const RoutePlan& plan) {
    Names names;
    for (const Attempt& attempt : plan.attempts) names.push_back(attempt.provider->name);
    return names;
  }
  static std::map<std::string, std::string> Reasons(const RoutePlan& plan) {
    std::map<std::string, std::string> reasons;
    for (const Exclusion& exclusion : plan.exclusions) {
      reasons[exclusion.endpoint->provider] = std::string(ReasonName(exclusion.reason));
    }
    return reasons;
  }

  std::shared_ptr<const Snapshot> snapshot_ = Catalogue();
  RequestFacts facts_;
  std::chrono::system_clock::time_point now_{std::chrono::seconds(1'700'000'000)};
  std::mt19937_64 rng_{7};
};

TEST_F(PoliciesTest, DefaultPicksByInverseSquarePriceThenCheapestFirst) {
  std::map<std::string, int> first;
  constexpr int kDraws = 20000;
  for (int i = 0; i < kDraws; ++i) {
    const RoutePlan plan = PlanFor("m");
    ASSERT_EQ(plan.attempts.size(), 3u);
    EXPECT_EQ(plan.strategy, Strategy::kWeightedByPrice);
    ++first[plan.attempts[0].provider->name];
    // The others follow cheapest first.
    Names rest = Providers(plan);
    rest.erase(rest.begin());
    Names expected;
    for (const char* name : {"A", "B", "C"}) {
      if (name != plan.attempts[0].provider->name) expected.push_back(name);
    }
    ASSERT_EQ(rest, expected);
  }
  // Weights 1, 1/4, 1/9: shares 36/49, 9/49, 4/49. A is 9x as likely as C.
  EXPECT_NEAR(first["A"] / double(kDraws), 36.0 / 49, 0.015);
  EXPECT_NEAR(first["B"] / double(kDraws), 9.0 / 49, 0.015);
  EXPECT_NEAR(first["C"] / double(kDraws), 4.0 / 49, 0.01);
  EXPECT_NEAR(double(first["A"]) / first["C"], 9.0, 1.2);
}

TEST_F(PoliciesTest, ZeroPricedEndpointsTakeEveryFirstPick) {
  snapshot_ = Catalogue([](config::Config& config) {
    config.models[0].endpoints[2].pricing = config::Pricing{};  // C is free
  });
  for (int i = 0; i < 200; ++i) EXPECT_EQ(Providers(PlanFor("m")), (Names{"C", "A", "B"}));
}

TEST_F(PoliciesTest, ExpectedCostWeighsPromptAndCompletionAndRequest) {
  config::Pricing pricing;
  pricing.prompt = 2 * kUsdPerMillion;       // $2/M
  pricing.completion = 10 * kUsdPerMillion;  // $10/M
  pricing.request = 1000;                    // $0.000001 per request
  RequestFacts facts;
  facts.estimated_prompt_tokens = 1000;
  facts.max_tokens = 100;
  // 2e9 * 1000 / 1e6 + 10e9 * 100 / 1e6 + 1000 nano-USD
  EXPECT_DOUBLE_EQ(ExpectedCost(pricing, facts), 2'000'000 + 1'000'000 + 1000);
  facts.max_tokens.reset();
  EXPECT_DOUBLE_EQ(ExpectedCost(pricing, facts),
                   2'000'000 + 10'000.0 * kDefaultCompletionTokens + 1000);
}

TEST_F(PoliciesTest, SortsAndTheirSuffixes) {
  ProviderPreferences by_latency;
  by_latency.sort = SortBy::kLatency;
  EXPECT_EQ(Providers(PlanFor("m:floor")), (Names{"A", "B", "C"}));
  EXPECT_EQ(PlanFor("m:floor").strategy, Strategy::kSortedByPrice);
  // B has neither a measurement nor a hint: first, so that it gets measured.
  EXPECT_EQ(Providers(PlanFor("m:nitro")), (Names{"B", "C", "A"}));
  EXPECT_EQ(PlanFor("m:nitro").strategy, Strategy::kSortedByThroughput);
  EXPECT_EQ(Providers(PlanFor("m", &by_latency)), (Names{"B", "A", "C"}));
  // The request's sort overrides the suffix.
  EXPECT_EQ(Providers(PlanFor("m:nitro", &by_latency)), (Names{"B", "A", "C"}));
}

TEST_F(PoliciesTest, ConfiguredDefaultsSortUnlessTheRequestSays) {
  snapshot_ = Catalogue([](config::Config& config) { config.routing.sort = "throughput"; });
  EXPECT_EQ(Providers(PlanFor("m")), (Names{"B", "C", "A"}));
  snapshot_ = Catalogue([](config::Config& config) {
    config.routing.sort = "throughput";
    config.models[0].routing_sort = "latency";  // the model's own default wins
  });
  EXPECT_EQ(Providers(PlanFor("m")), (Names{"B", "A", "C"}));
  EXPECT_EQ(PlanFor("m").strategy, Strategy::kSortedByLatency);
  EXPECT_EQ(Providers(PlanFor("m:floor")), (Names{"A", "B", "C"}));  // the request's wins
}

TEST_F(PoliciesTest, SortByPriceUsesTheRequestsShape) {
  // C's prompt is cheaper than A's, its completion dearer: a long prompt makes C the cheapest.
  snapshot_ = Catalogue([](config::Config& config) {
    config.models[0].endpoints[2].pricing.prompt = kUsdPerMillion / 10;
    config.models[0].endpoints[2].pricing.completion = 5 * kUsdPerMillion;
  });
  facts_.max_tokens = 10;
  facts_.estimated_prompt_tokens = 100;
  EXPECT_EQ(Providers(PlanFor("m:floor")), (Names{"C", "A", "B"}));
  facts_.estimated_prompt_tokens = 1;
  facts_.max_tokens = 1000;
  EXPECT_EQ(Providers(PlanFor("m:floor")), (Names{"A", "B", "C"}));
}

TEST_F(PoliciesTest, OrderComesFirstThenTheRestCheapestFirst) {
  ProviderPreferences order;
  order.order = {"C", "B"};
  for (int i = 0; i < 50; ++i) EXPECT_EQ(Providers(PlanFor("m", &order)), (Names{"C", "B", "A"}));
  order.order = {"B"};
  order.sort = SortBy::kThroughput;
  EXPECT_EQ(Providers(PlanFor("m", &order)), (Names{"B", "C", "A"}));
}

TEST_F(PoliciesTest, OrderWithoutFallbacksExcludesTheRest) {
  ProviderPreferences order;
  order.order = {"B"};
  order.allow_fallbacks = false;
  const RoutePlan plan = PlanFor("m", &order);
  EXPECT_EQ(Providers(plan), (Names{"B"}));
  EXPECT_EQ(Reasons(plan),
            (std::map<std::string, std::string>{{"A", "not_in_order"}, {"C", "not_in_order"}}));
}

TEST_F(PoliciesTest, OnlyAndIgnore) {
  ProviderPreferences prefs;
  prefs.only = Names{"A", "C"};
  prefs.ignore = {"C"};
  prefs.sort = SortBy::kPrice;
  const RoutePlan plan = PlanFor("m", &prefs);
  EXPECT_EQ(Providers(plan), (Names{"A"}));
  EXPECT_EQ(Reasons(plan),
            (std::map<std::string, std::string>{{"B", "not_in_only"}, {"C", "ignored"}}));
}

TEST_F(PoliciesTest, MaxPriceIsAHardFilterWithTheReasonSpelledOut) {
  ProviderPreferences prefs;
  prefs.max_price.completion = 2 * kUsdPerMillion;
  RoutePlan plan = PlanFor("m:floor", &prefs);
  EXPECT_EQ(Providers(plan), (Names{"A", "B"}));
  ASSERT_EQ(plan.exclusions.size(), 1u);
  EXPECT_EQ(plan.exclusions[0].reason, ExclusionReason::kMaxPrice);
  EXPECT_EQ(plan.exclusions[0].detail,
            "completion price $3/M is above provider.max_price.completion $2/M");

  prefs.max_price.completion = kUsdPerMillion / 2;
  plan = PlanFor("m", &prefs);
  EXPECT_TRUE(plan.attempts.empty());
  EXPECT_EQ(plan.error, PlanError::kNoEndpointMatches);
  EXPECT_EQ(Reasons(plan), (std::map<std::string, std::string>{
                               {"A", "max_price"}, {"B", "max_price"}, {"C", "max_price"}}));
}

TEST_F(PoliciesTest, ContextAndCompletionLimitsMakeTheRequestTooLarge) {
  snapshot_ = Catalogue([](config::Config& config) {
    config.models[0].endpoints[0].context_length = 4096;
    config.models[0].endpoints[1].max_completion_tokens = 512;
  });
  facts_.estimated_prompt_tokens = 4000;
  facts_.max_tokens = 1000;
  RoutePlan plan = PlanFor("m:floor");
  EXPECT_EQ(Providers(plan), (Names{"C"}));
  EXPECT_EQ(Reasons(plan), (std::map<std::string, std::string>{{"A", "context_length"},
                                                               {"B", "max_completion_tokens"}}));
  EXPECT_EQ(plan.exclusions[0].detail,
            "the request needs about 5000 tokens (prompt estimate + max_tokens), its context "
            "holds 4096");
  facts_.estimated_prompt_tokens = 9000;
  plan = PlanFor("m");
  EXPECT_EQ(plan.error, PlanError::kRequestTooLarge);
}

TEST_F(PoliciesTest, AttributeFilters) {
  snapshot_ = Catalogue([](config::Config& config) {
    auto& endpoints = config.models[0].endpoints;
    endpoints[0].quantization = "fp8";
    endpoints[1].quantization = "bf16";
    endpoints[1].collects_data = false;
    endpoints[2].collects_data = false;
    endpoints[2].zdr = true;
    endpoints[2].supported_parameters = {"temperature", "tools"};
    endpoints[1].supported_parameters = {"temperature"};
  });
  ProviderPreferences quantized;
  quantized.quantizations = {"bf16", "unknown"};
  EXPECT_EQ(Reasons(PlanFor("m", &quantized)),
            (std::map<std::string, std::string>{{"A", "quantization"}}));

  ProviderPreferences private_only;
  private_only.deny_data_collection = true;
  EXPECT_EQ(Reasons(PlanFor("m", &private_only)),
            (std::map<std::string, std::string>{{"A", "data_collection"}}));
  private_only.zdr = true;
  EXPECT_EQ(Providers(PlanFor("m", &private_only)), (Names{"C"}));

  ProviderPreferences strict;
  strict.require_parameters = true;
  const Names parameters{"temperature", "tools"};
  facts_.parameters = &parameters;
  const RoutePlan plan = PlanFor("m", &strict);
  EXPECT_EQ(Providers(plan), (Names{"C"}));
  EXPECT_EQ(Reasons(plan), (std::map<std::string, std::string>{{"A", "require_parameters"},
                                                               {"B", "require_parameters"}}));
  for (const Exclusion& exclusion : plan.exclusions) {
    if (exclusion.endpoint->provider == "B") {
      EXPECT_EQ(exclusion.detail, "it does not support \"tools\"");
    }
  }
}

TEST_F(PoliciesTest, FreeVariantKeepsZeroPricedEndpointsOnly) {
  RoutePlan plan = PlanFor("m:free");
  EXPECT_EQ(plan.error, PlanError::kNoEndpointMatches);
  EXPECT_EQ(plan.exclusions.size(), 3u);
  snapshot_ = Catalogue(
      [](config::Config& config) { config.models[0].endpoints[1].pricing = config::Pricing{}; });
  plan = PlanFor("m:free");
  EXPECT_EQ(Providers(plan), (Names{"B"}));
}

TEST_F(PoliciesTest, UnknownSuffixIsAnUnknownModel) {
  const RoutePlan plan = PlanFor("m:turbo");
  EXPECT_EQ(plan.error, PlanError::kUnknownModel);
  EXPECT_EQ(plan.unknown_models, (Names{"m:turbo"}));
}

TEST_F(PoliciesTest, PreferredPerformanceDeprioritizesWithoutExcluding) {
  ProviderPreferences prefs;
  prefs.sort = SortBy::kPrice;
  prefs.preferred_min_throughput = 100;  // only C (120) meets it; B is unknown and stays
  EXPECT_EQ(Providers(PlanFor("m", &prefs)), (Names{"B", "C", "A"}));
  prefs.preferred_min_throughput.reset();
  prefs.preferred_max_latency_s = 0.5;  // C (900 ms) misses it
  EXPECT_EQ(Providers(PlanFor("m", &prefs)), (Names{"A", "B", "C"}));
  prefs.sort = SortBy::kThroughput;  // B (unmeasured) first, then C, which misses the latency
  EXPECT_EQ(Providers(PlanFor("m", &prefs)), (Names{"B", "A", "C"}));
}

TEST_F(PoliciesTest, SortAcrossModelsMergesTheFallbackChain) {
  const Names fallbacks{"n"};
  facts_.fallback_models = &fallbacks;
  ProviderPreferences per_model;
  per_model.sort = SortBy::kPrice;
  EXPECT_EQ(Providers(PlanFor("m", &per_model)), (Names{"A", "B", "C", "D"}));
  ProviderPreferences across = per_model;
  across.sort_across_models = true;
  EXPECT_EQ(Providers(PlanFor("m", &across)), (Names{"D", "A", "B", "C"}));
  across.sort = SortBy::kThroughput;
  EXPECT_EQ(Providers(PlanFor("m", &across)), (Names{"B", "C", "D", "A"}));
}

TEST_F(PoliciesTest, ExcludedModelsFallBackToTheNextModel) {
  const Names fallbacks{"n"};
  facts_.fallback_models = &fallbacks;
  ProviderPreferences prefs;
  prefs.ignore = {"A", "B", "C"};
  const RoutePlan plan = PlanFor("m", &prefs);
  EXPECT_EQ(plan.error, PlanError::kNone);
  EXPECT_EQ(Providers(plan), (Names{"D"}));
  EXPECT_EQ(plan.exclusions.size(), 3u);
}

// Live health: endpoint ids of the catalogue above are m: A 0, B 1, C 2; n: D 3.
std::shared_ptr<const Snapshot> WithHealth(const std::shared_ptr<const Snapshot>& snapshot,
                                           const std::map<uint32_t, EndpointHealth>& health) {
  auto table = std::make_shared<HealthTable>(snapshot->catalogue()->endpoint_count());
  for (const auto& [id, entry] : health) (*table)[id] = entry;
  return std::make_shared<const Snapshot>(snapshot->catalogue(), std::move(table));
}

EndpointHealth InState(EndpointStatus status) {
  EndpointHealth health;
  health.status = status;
  return health;
}

TEST_F(PoliciesTest, EndpointsInOutageComeLastInTheDefaultPolicy) {
  snapshot_ = WithHealth(snapshot_, {{0, InState(EndpointStatus::kOutage)}});
  std::map<std::string, int> first;
  constexpr int kDraws = 5000;
  for (int i = 0; i < kDraws; ++i) {
    const Names order = Providers(PlanFor("m"));
    ASSERT_EQ(order.size(), 3u);
    ASSERT_EQ(order.back(), "A");  // the cheapest, but in outage: last
    ++first[order.front()];
  }
  // Among the stable B ($2) and C ($3): 1/4 against 1/9, B 9/13 of the first picks.
  EXPECT_NEAR(first["B"] / double(kDraws), 9.0 / 13, 0.03);
}

TEST_F(PoliciesTest, OutageComesLastInSortsButProviderOrderIsKept) {
  snapshot_ = WithHealth(snapshot_, {{0, InState(EndpointStatus::kOutage)}});
  EXPECT_EQ(Providers(PlanFor("m:floor")), (Names{"B", "C", "A"}));
  ProviderPreferences prefs;
  prefs.order = {"A"};  // the request asked for A: it is tried first anyway
  EXPECT_EQ(Providers(PlanFor("m", &prefs)), (Names{"A", "B", "C"}));
}

TEST_F(PoliciesTest, OutagePolicyExcludeLeavesThemOutWithTheReason) {
  snapshot_ =
      WithHealth(Catalogue([](config::Config& config) {
                   config.routing.health.outage_policy = config::OutagePolicy::kExclude;
                 }),
                 {{0, InState(EndpointStatus::kOutage)}, {1, InState(EndpointStatus::kHalfOpen)}});
  RoutePlan plan = PlanFor("m:floor");
  EXPECT_EQ(Providers(plan).back(), "B");  // half-open is not excluded, only not preferred
  EXPECT_EQ(Reasons(plan), (std::map<std::string, std::string>{{"A", "outage"}}));
  ProviderPreferences only_a;
  only_a.only = Names{"A"};
  plan = PlanFor("m", &only_a);
  EXPECT_EQ(plan.error, PlanError::kNoEndpoint);
  EXPECT_EQ(Reasons(plan)["A"], "outage");
  EXPECT_NE(plan.exclusions.front().detail.find("outage"), std::string::npos);
}

TEST_F(PoliciesTest, HalfOpenEndpointsAreProbedByAShareOfTheRequests) {
  snapshot_ = WithHealth(
      Catalogue([](config::Config& config) { config.routing.health.probe_percent = 20; }),
      {{0, InState(EndpointStatus::kHalfOpen)}});
  int probes = 0;
  constexpr int kDraws = 5000;
  for (int i = 0; i < kDraws; ++i) {
    const Names order = Providers(PlanFor("m:floor"));
    if (order.front() == "A") {
      ++probes;
    } else {
      ASSERT_EQ(order, (Names{"B", "C", "A"}));
    }
  }
  EXPECT_NEAR(probes / double(kDraws), 0.20, 0.02);
}

TEST_F(PoliciesTest, MeasuredPerformanceReplacesTheHints) {
  EndpointHealth slow_c;  // hint 120 tokens/s, measured 10
  slow_c.last_5m.throughput_samples = kMinMeasuredSamples;
  slow_c.last_5m.throughput.p50 = 10;
  slow_c.last_5m.latency_samples = kMinMeasuredSamples;
  slow_c.last_5m.latency_ms.p50 = 50;  // hint 900 ms, measured 50
  EndpointHealth measured_b;           // no hints, measured
  measured_b.last_5m.throughput_samples = kMinMeasuredSamples;
  measured_b.last_5m.throughput.p50 = 60;
  snapshot_ = WithHealth(snapshot_, {{1, measured_b}, {2, slow_c}});
  EXPECT_EQ(Providers(PlanFor("m:nitro")), (Names{"B", "A", "C"}));  // 60, 40 (hint), 10
  ProviderPreferences by_latency;
  by_latency.sort = SortBy::kLatency;  // B has no latency at all: first, to be measured
  EXPECT_EQ(Providers(PlanFor("m", &by_latency)), (Names{"B", "C", "A"}));  // -, 50, 200 (hint)
  // Too few samples: the hint still counts.
  slow_c.last_5m.throughput_samples = kMinMeasuredSamples - 1;
  snapshot_ = WithHealth(Catalogue(), {{1, measured_b}, {2, slow_c}});
  EXPECT_EQ(Providers(PlanFor("m:nitro")), (Names{"C", "B", "A"}));  // 120 (hint), 60, 40
}

TEST_F(PoliciesTest, StickySessionGoesFirstWhileItIsOk) {
  facts_.sticky_endpoint_id = 2;  // C, the dearest
  for (int i = 0; i < 50; ++i) {
    const RoutePlan plan = PlanFor("m");
    EXPECT_TRUE(plan.sticky);
    EXPECT_EQ(Providers(plan).front(), "C");
  }
  EXPECT_EQ(Providers(PlanFor("m:floor")), (Names{"C", "A", "B"}));
  // Not a candidate of this request: the normal order.
  ProviderPreferences ignore_c;
  ignore_c.ignore = {"C"};
  EXPECT_FALSE(PlanFor("m:floor", &ignore_c).sticky);
  EXPECT_EQ(Providers(PlanFor("m:floor", &ignore_c)), (Names{"A", "B"}));
  // No longer ok: the normal order, and the session moves on.
  snapshot_ = WithHealth(snapshot_, {{2, InState(EndpointStatus::kHalfOpen)}});
  EXPECT_FALSE(PlanFor("m:floor").sticky);
  EXPECT_EQ(Providers(PlanFor("m:floor")).front(), "A");
}

TEST(ReasonNameTest, EveryReasonHasAWireName) {
  for (int reason = 0; reason <= static_cast<int>(ExclusionReason::kOutage); ++reason) {
    EXPECT_NE(ReasonName(static_cast<ExclusionReason>(reason)), "unknown") << reason;
  }
}

}  // namespace
}  // namespace gw::routing

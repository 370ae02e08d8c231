// Google Benchmark of routing::Plan(): the cost of choosing endpoints for one request, for a
// model served by 20 endpoints, under the default policy, a sort, a full set of provider
// preferences, and with live health (measured throughput, endpoints in outage, a sticky session).
// Run: build/bench/plan_bench (bench/README.md reports the numbers).
#include <benchmark/benchmark.h>

#include <memory>
#include <optional>
#include <random>
#include <string>

#include "routing/plan.h"

namespace {

using gw::routing::Plan;
using gw::routing::ProviderPreferences;
using gw::routing::RequestFacts;
using gw::routing::Snapshot;

constexpr int kEndpoints = 20;

std::shared_ptr<const Snapshot> Catalogue(bool with_health = false) {
  auto config = std::make_shared<gw::config::Config>();
  gw::config::ModelConfig& model = config->models.emplace_back();
  model.id = "vendor/model";
  model.context_length = 131072;
  for (int i = 0; i < kEndpoints; ++i) {
    gw::config::ProviderConfig& provider = config->providers.emplace_back();
    provider.name = "provider-" + std::to_string(i);
    gw::config::EndpointConfig& endpoint = model.endpoints.emplace_back();
    endpoint.provider = provider.name;
    endpoint.upstream_model = "upstream";
    endpoint.pricing.prompt = 100'000'000LL * (i + 1);
    endpoint.pricing.completion = 300'000'000LL * (i + 1);
    endpoint.quantization = i % 2 ? "fp8" : "bf16";
    endpoint.throughput_hint = 50 + 10 * i;
    endpoint.latency_hint_ms = 100 + 20 * i;
    endpoint.supported_parameters = {"temperature", "top_p", "tools"};
  }
  auto snapshot = std::make_shared<const Snapshot>(std::move(config));
  if (!with_health) return snapshot;
  // Every endpoint measured, every fourth one in outage, one half-open.
  auto table = std::make_shared<gw::routing::HealthTable>(kEndpoints);
  for (int i = 0; i < kEndpoints; ++i) {
    gw::routing::EndpointHealth& health = (*table)[static_cast<size_t>(i)];
    health.last_5m.throughput_samples = 100;
    health.last_5m.throughput.p50 = 300.0 - 7 * i;
    health.last_5m.latency_samples = 100;
    health.last_5m.latency_ms.p50 = 150.0 + 11 * i;
    if (i % 4 == 0) health.status = gw::routing::EndpointStatus::kOutage;
  }
  (*table)[5].status = gw::routing::EndpointStatus::kHalfOpen;
  return std::make_shared<const Snapshot>(snapshot->catalogue(), std::move(table));
}

void Run(benchmark::State& state, const ProviderPreferences* preferences, std::string_view model,
         bool with_health = false, std::optional<uint32_t> sticky = std::nullopt) {
  const auto snapshot = Catalogue(with_health);
  std::mt19937_64 rng(1);
  const std::vector<std::string> parameters{"temperature", "tools"};
  RequestFacts facts;
  facts.model = model;
  facts.preferences = preferences;
  facts.estimated_prompt_tokens = 1200;
  facts.max_tokens = 512;
  facts.parameters = &parameters;
  facts.sticky_endpoint_id = sticky;
  const auto now = std::chrono::system_clock::now();
  for (auto _ : state) {
    gw::routing::RoutePlan plan = Plan(*snapshot, facts, now, rng);
    benchmark::DoNotOptimize(plan.attempts.data());
  }
}

void BM_PlanDefaultPolicy(benchmark::State& state) { Run(state, nullptr, "vendor/model"); }

void BM_PlanFloor(benchmark::State& state) { Run(state, nullptr, "vendor/model:floor"); }

void BM_PlanWithPreferences(benchmark::State& state) {
  ProviderPreferences preferences;
  preferences.order = {"provider-7", "provider-3"};
  preferences.ignore = {"provider-1"};
  preferences.quantizations = {"bf16"};
  preferences.max_price.completion = 5'000'000'000;
  preferences.require_parameters = true;
  preferences.preferred_min_throughput = 100;
  Run(state, &preferences, "vendor/model");
}

void BM_PlanDefaultWithHealth(benchmark::State& state) {
  Run(state, nullptr, "vendor/model", true);
}

void BM_PlanNitroWithHealth(benchmark::State& state) {
  Run(state, nullptr, "vendor/model:nitro", true);
}

void BM_PlanStickySession(benchmark::State& state) { Run(state, nullptr, "vendor/model", true, 6); }

BENCHMARK(BM_PlanDefaultPolicy);
BENCHMARK(BM_PlanFloor);
BENCHMARK(BM_PlanWithPreferences);
BENCHMARK(BM_PlanDefaultWithHealth);
BENCHMARK(BM_PlanNitroWithHealth);
BENCHMARK(BM_PlanStickySession);

}  // namespace

BENCHMARK_MAIN();

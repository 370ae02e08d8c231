#include "gateway/api/endpoints_listing.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "gateway/api/models_listing.h"

namespace gw::api {
namespace {

double Round2(double value) { return std::round(value * 100) / 100; }

nlohmann::json PercentilesJson(const routing::Percentiles& p, uint64_t samples) {
  if (samples == 0) return nullptr;
  return {{"p50", Round2(p.p50)},
          {"p75", Round2(p.p75)},
          {"p90", Round2(p.p90)},
          {"p99", Round2(p.p99)}};
}

nlohmann::json UptimeJson(const routing::WindowStats& stats) {
  const std::optional<double> uptime = stats.UptimePercent();
  if (!uptime) return nullptr;
  return Round2(*uptime);
}

nlohmann::json EndpointJson(const config::ModelConfig& model,
                            const config::EndpointConfig& endpoint,
                            const routing::EndpointHealth& health) {
  const uint32_t context = endpoint.context_length ? endpoint.context_length : model.context_length;
  const routing::WindowStats& stats = health.last_30m;
  return {
      {"name", endpoint.provider + ": " + model.name},
      {"model_name", model.name},
      {"provider_name", endpoint.provider},
      {"tag", endpoint.provider},
      {"context_length", context},
      {"max_prompt_tokens", context},
      {"max_completion_tokens", endpoint.max_completion_tokens
                                    ? nlohmann::json(endpoint.max_completion_tokens)
                                    : nlohmann::json(nullptr)},
      {"pricing", PricingJson(endpoint.pricing)},
      {"quantization", endpoint.quantization.empty() ? "unknown" : endpoint.quantization},
      {"supported_parameters", endpoint.supported_parameters},
      {"status", routing::StatusCode(health.status)},
      {"status_name", routing::StatusName(health.status)},
      {"uptime_last_5m", UptimeJson(health.last_5m)},
      {"uptime_last_30m", UptimeJson(stats)},
      {"requests_last_30m", stats.successes + stats.errors + stats.rate_limited},
      {"latency_last_30m", PercentilesJson(stats.latency_ms, stats.latency_samples)},
      {"throughput_last_30m", PercentilesJson(stats.throughput, stats.throughput_samples)},
  };
}

}  // namespace

std::optional<std::string> BuildEndpointsListing(const routing::Snapshot& snapshot,
                                                 std::string_view model_id) {
  const routing::Catalogue::ModelEntry* entry = snapshot.FindModelEntry(model_id);
  if (entry == nullptr) return std::nullopt;
  const config::ModelConfig& model = *entry->model;
  nlohmann::json endpoints = nlohmann::json::array();
  for (size_t i = 0; i < model.endpoints.size(); ++i) {
    const auto id = static_cast<uint32_t>(entry->first_endpoint_id + i);
    endpoints.push_back(EndpointJson(model, model.endpoints[i], snapshot.Health(id)));
  }
  nlohmann::json data = {
      {"id", model.id},
      {"name", model.name},
      {"created", model.created},
      {"description", model.description},
      {"architecture", {{"tokenizer", model.tokenizer}, {"modality", model.modality}}},
      {"endpoints", std::move(endpoints)},
  };
  return nlohmann::json{{"data", std::move(data)}}.dump();
}

}  // namespace gw::api

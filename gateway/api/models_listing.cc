#include "gateway/api/models_listing.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "config/money.h"

namespace gw::api {
namespace {

// Token prices are nano-USD per 1M tokens, i.e. 1e-15 USD per token.
constexpr int kPerTokenDecimals = 15;
constexpr int kNanoDecimals = 9;

nlohmann::json ModelJson(const config::ModelConfig& model) {
  const config::EndpointConfig& top = model.endpoints.front();
  std::vector<std::string> parameters;
  for (const auto& endpoint : model.endpoints) {
    for (const auto& parameter : endpoint.supported_parameters) {
      if (std::find(parameters.begin(), parameters.end(), parameter) == parameters.end()) {
        parameters.push_back(parameter);
      }
    }
  }
  const uint32_t top_context = top.context_length ? top.context_length : model.context_length;
  return {
      {"id", model.id},
      {"object", "model"},
      {"created", model.created},
      {"owned_by", model.author},
      {"name", model.name},
      {"description", model.description},
      {"context_length", model.context_length},
      {"pricing", PricingJson(top.pricing)},
      {"architecture", {{"tokenizer", model.tokenizer}, {"modality", model.modality}}},
      {"top_provider",
       {{"context_length", top_context},
        {"max_completion_tokens",
         top.max_completion_tokens ? nlohmann::json(top.max_completion_tokens) : nullptr}}},
      {"supported_parameters", parameters},
  };
}

}  // namespace

nlohmann::json PricingJson(const config::Pricing& pricing) {
  auto per_token = [](int64_t value) {
    return config::FormatScaledDecimal(value, kPerTokenDecimals);
  };
  nlohmann::json json = {
      {"prompt", per_token(pricing.prompt)},
      {"completion", per_token(pricing.completion)},
      {"request", config::FormatScaledDecimal(pricing.request, kNanoDecimals)},
      {"internal_reasoning", per_token(pricing.reasoning.value_or(pricing.completion))},
  };
  // Cache prices only where the endpoint configures them: without one the endpoint does not
  // cache (its cached tokens, if any were reported, are billed as prompt tokens), and a listed
  // cache price would suggest a discount that does not exist.
  if (pricing.cached_read) json["input_cache_read"] = per_token(*pricing.cached_read);
  if (pricing.cache_write) json["input_cache_write"] = per_token(*pricing.cache_write);
  return json;
}

std::optional<std::string> BuildModelObject(const routing::Snapshot& snapshot,
                                            std::string_view id) {
  for (const config::ModelConfig& model : snapshot.config().models) {
    if (model.id == id) return ModelJson(model).dump();
  }
  return std::nullopt;
}

std::string BuildModelsListing(const routing::Snapshot& snapshot) {
  nlohmann::json data = nlohmann::json::array();
  for (const config::ModelConfig& model : snapshot.config().models)
    data.push_back(ModelJson(model));
  return nlohmann::json{{"object", "list"}, {"data", std::move(data)}}.dump();
}

}  // namespace gw::api

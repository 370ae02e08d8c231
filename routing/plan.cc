#include "routing/plan.h"

#include <algorithm>

namespace gw::routing {

RoutePlan Plan(const Snapshot& snapshot, const RequestFacts& facts,
               std::chrono::system_clock::time_point /*now*/, std::mt19937_64& /*rng*/) {
  RoutePlan plan;
  std::vector<std::string_view> wanted{facts.model};
  if (facts.fallback_models != nullptr) {
    for (const std::string& id : *facts.fallback_models) {
      if (std::find(wanted.begin(), wanted.end(), id) == wanted.end()) wanted.push_back(id);
    }
  }
  for (std::string_view id : wanted) {
    const config::ModelConfig* model = snapshot.FindModel(id);
    if (model == nullptr) {
      plan.unknown_models.emplace_back(id);
      continue;
    }
    for (const config::EndpointConfig& endpoint : model->endpoints) {
      const config::ProviderConfig* provider = snapshot.FindProvider(endpoint.provider);
      if (provider != nullptr) plan.attempts.push_back({model, &endpoint, provider});
    }
  }
  if (plan.attempts.empty()) plan.error = PlanError::kUnknownModel;
  return plan;
}

}  // namespace gw::routing

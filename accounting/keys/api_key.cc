#include "accounting/keys/api_key.h"

#include <algorithm>

namespace gw::accounting::keys {
namespace {

bool Allowed(const std::vector<std::string>& allowed, const std::vector<std::string>& denied,
             std::string_view name) {
  if (std::find(denied.begin(), denied.end(), name) != denied.end()) return false;
  return allowed.empty() || std::find(allowed.begin(), allowed.end(), name) != allowed.end();
}

}  // namespace

bool ApiKey::AllowsModel(std::string_view model) const {
  return Allowed(allowed_models, denied_models, model);
}

bool ApiKey::AllowsProvider(std::string_view provider) const {
  return Allowed(allowed_providers, denied_providers, provider);
}

const RateLimit* ApiKey::ModelLimit(std::string_view model) const {
  for (const ModelRateLimit& limit : model_limits) {
    if (limit.model == model) return &limit.limit;
  }
  return nullptr;
}

}  // namespace gw::accounting::keys

#include "routing/snapshot.h"

namespace gw::routing {

Snapshot::Snapshot(std::shared_ptr<const config::Config> config) : config_(std::move(config)) {
  for (const config::ModelConfig& model : config_->models) models_.emplace(model.id, &model);
  for (const config::ProviderConfig& provider : config_->providers) {
    providers_.emplace(provider.name, &provider);
  }
}

const config::ModelConfig* Snapshot::FindModel(std::string_view id) const {
  auto it = models_.find(id);
  return it == models_.end() ? nullptr : it->second;
}

const config::ProviderConfig* Snapshot::FindProvider(std::string_view name) const {
  auto it = providers_.find(name);
  return it == providers_.end() ? nullptr : it->second;
}

}  // namespace gw::routing

#include "routing/snapshot.h"

namespace gw::routing {

Catalogue::Catalogue(std::shared_ptr<const config::Config> config) : config_(std::move(config)) {
  for (const config::ModelConfig& model : config_->models) {
    models_.emplace(model.id, ModelEntry{&model, static_cast<uint32_t>(endpoint_count_)});
    endpoint_count_ += model.endpoints.size();
  }
  for (const config::ProviderConfig& provider : config_->providers) {
    providers_.emplace(provider.name, &provider);
  }
}

const config::ModelConfig* Catalogue::FindModel(std::string_view id) const {
  auto it = models_.find(id);
  return it == models_.end() ? nullptr : it->second.model;
}

const Catalogue::ModelEntry* Catalogue::FindModelEntry(std::string_view id) const {
  auto it = models_.find(id);
  return it == models_.end() ? nullptr : &it->second;
}

const config::ProviderConfig* Catalogue::FindProvider(std::string_view name) const {
  auto it = providers_.find(name);
  return it == providers_.end() ? nullptr : it->second;
}

uint32_t Catalogue::FirstEndpointId(const config::ModelConfig& model) const {
  return models_.at(model.id).first_endpoint_id;
}

Snapshot::Snapshot(std::shared_ptr<const config::Config> config)
    : catalogue_(std::make_shared<const Catalogue>(std::move(config))),
      health_(std::make_shared<const HealthTable>(catalogue_->endpoint_count())) {}

Snapshot::Snapshot(std::shared_ptr<const Catalogue> catalogue,
                   std::shared_ptr<const HealthTable> health)
    : catalogue_(std::move(catalogue)), health_(std::move(health)) {}

}  // namespace gw::routing

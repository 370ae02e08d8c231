// Small builders of catalogue configs for the routing tests (plan, snapshot, and the policies
// to come). Test-only; pure.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "config/config.h"

namespace gw::routing::test_catalogue {

inline config::ProviderConfig Provider(std::string name) {
  config::ProviderConfig provider;
  provider.name = std::move(name);
  return provider;
}

// A model with one endpoint per (provider, upstream model) pair, in that order.
inline config::ModelConfig Model(
    std::string id, const std::vector<std::pair<std::string, std::string>>& endpoints) {
  config::ModelConfig model;
  model.id = std::move(id);
  for (const auto& [provider, upstream] : endpoints) {
    config::EndpointConfig& endpoint = model.endpoints.emplace_back();
    endpoint.provider = provider;
    endpoint.upstream_model = upstream;
  }
  return model;
}

}  // namespace gw::routing::test_catalogue

// The routing snapshot: the catalogue (models, their endpoints and providers) indexed for
// lookups, plus the live health of every endpoint. Immutable once built and shared by every
// worker. SnapshotHolder swaps a whole new snapshot in (health changes, about once a second
// while traffic flows); readers keep the one they loaded for a whole request.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "config/config.h"
#include "routing/endpoint_health.h"

namespace gw::routing {

// The configuration indexed by model id and provider name, and every endpoint numbered:
// endpoint ids are dense (0 .. endpoint_count()-1), in configuration order, and index the
// health table.
class Catalogue {
 public:
  struct ModelEntry {
    const config::ModelConfig* model;
    uint32_t first_endpoint_id;  // of model->endpoints[0]; endpoints[i] has this + i
  };

  // Indexes `config`, which the catalogue keeps alive.
  explicit Catalogue(std::shared_ptr<const config::Config> config);

  const config::Config& config() const { return *config_; }
  const config::ModelConfig* FindModel(std::string_view id) const;
  const ModelEntry* FindModelEntry(std::string_view id) const;
  const config::ProviderConfig* FindProvider(std::string_view name) const;
  // The id of model.endpoints[0]; model.endpoints[i] has this + i. `model` must be this
  // catalogue's.
  uint32_t FirstEndpointId(const config::ModelConfig& model) const;
  size_t endpoint_count() const { return endpoint_count_; }

 private:
  std::shared_ptr<const config::Config> config_;
  std::unordered_map<std::string_view, ModelEntry> models_;
  std::unordered_map<std::string_view, const config::ProviderConfig*> providers_;
  size_t endpoint_count_ = 0;
};

class Snapshot {
 public:
  // With no health measured yet (every endpoint ok, no statistics).
  explicit Snapshot(std::shared_ptr<const config::Config> config);
  // `health` must have catalogue->endpoint_count() entries.
  Snapshot(std::shared_ptr<const Catalogue> catalogue, std::shared_ptr<const HealthTable> health);

  const config::Config& config() const { return catalogue_->config(); }
  const std::shared_ptr<const Catalogue>& catalogue() const { return catalogue_; }
  const config::ModelConfig* FindModel(std::string_view id) const {
    return catalogue_->FindModel(id);
  }
  const Catalogue::ModelEntry* FindModelEntry(std::string_view id) const {
    return catalogue_->FindModelEntry(id);
  }
  const config::ProviderConfig* FindProvider(std::string_view name) const {
    return catalogue_->FindProvider(name);
  }
  uint32_t FirstEndpointId(const config::ModelConfig& model) const {
    return catalogue_->FirstEndpointId(model);
  }
  const EndpointHealth& Health(uint32_t endpoint_id) const { return (*health_)[endpoint_id]; }

 private:
  std::shared_ptr<const Catalogue> catalogue_;
  std::shared_ptr<const HealthTable> health_;
};

// Any thread: Load() is a lock-free atomic read; Store() replaces the snapshot for new requests.
class SnapshotHolder {
 public:
  explicit SnapshotHolder(std::shared_ptr<const Snapshot> initial) : current_(std::move(initial)) {}
  std::shared_ptr<const Snapshot> Load() const { return current_.load(std::memory_order_acquire); }
  void Store(std::shared_ptr<const Snapshot> next) {
    current_.store(std::move(next), std::memory_order_release);
  }

 private:
  std::atomic<std::shared_ptr<const Snapshot>> current_;
};

}  // namespace gw::routing

// The routing snapshot: the catalogue (models, their endpoints and providers) indexed for
// lookups, immutable once built and shared by every worker. SnapshotHolder swaps a whole new
// snapshot in (reload, health changes); readers keep the one they loaded for a whole request.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "config/config.h"

namespace gw::routing {

class Snapshot {
 public:
  // Indexes `config`, which the snapshot keeps alive.
  explicit Snapshot(std::shared_ptr<const config::Config> config);

  const config::Config& config() const { return *config_; }
  const config::ModelConfig* FindModel(std::string_view id) const;
  const config::ProviderConfig* FindProvider(std::string_view name) const;

 private:
  std::shared_ptr<const config::Config> config_;
  std::unordered_map<std::string_view, const config::ModelConfig*> models_;
  std::unordered_map<std::string_view, const config::ProviderConfig*> providers_;
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

#include "gateway/keys/key_registry.h"

#include <nlohmann/json.hpp>

#include "gateway/server/log.h"

namespace gw::keys {

KeyRegistry::KeyRegistry(accounting::keys::KeyTable& store)
    : store_(store), table_(std::make_shared<const Table>()) {
  Reload();
}

KeyRegistry::~KeyRegistry() {
  {
    const std::lock_guard lock(poll_mu_);
    stop_polling_ = true;
  }
  poll_cv_.notify_all();
  if (poller_.joinable()) poller_.join();
}

void KeyRegistry::StartPolling(std::chrono::milliseconds interval) {
  if (polling_.exchange(true)) return;
  poller_ = std::thread([this, interval] {
    std::unique_lock lock(poll_mu_);
    while (!poll_cv_.wait_for(lock, interval, [this] { return stop_polling_; })) {
      lock.unlock();
      RefreshNow();
      lock.lock();
    }
  });
}

ApiKeyPtr KeyRegistry::Find(std::string_view hash) const {
  const std::shared_ptr<const Table> table = table_.load(std::memory_order_acquire);
  const auto found = table->find(hash);
  return found == table->end() ? nullptr : found->second;
}

void KeyRegistry::Reload() {
  const std::lock_guard lock(refresh_mu_);
  // The version is read before the rows: a change committed in between is seen again next time.
  const int64_t version = store_.Version();
  auto table = std::make_shared<Table>();
  for (accounting::keys::ApiKey& key : store_.List()) {
    std::string hash = key.hash;
    table->emplace(std::move(hash),
                   std::make_shared<const accounting::keys::ApiKey>(std::move(key)));
  }
  table_.store(std::move(table), std::memory_order_release);
  version_ = version;
}

void KeyRegistry::Refresh(std::chrono::milliseconds interval) {
  if (polling_.load(std::memory_order_relaxed)) return;
  {
    const std::lock_guard lock(refresh_mu_);
    const auto now = std::chrono::steady_clock::now();
    if (now < next_check_) return;
    next_check_ = now + interval;
  }
  RefreshNow();
}

void KeyRegistry::RefreshNow() {
  try {
    bool changed = false;
    {
      const std::lock_guard lock(refresh_mu_);
      changed = store_.Version() != version_;
    }
    if (changed) Reload();
    if (unreadable_.exchange(false)) {
      const nlohmann::json line = {{"event", "key_table_readable"},
                                   {"detail", store_.describe() + " can be read again"}};
      server::LogJsonLine(line.dump());
    }
  } catch (const std::exception& failure) {
    // Once per outage (it is retried every interval): the previous keys stay in use.
    if (!unreadable_.exchange(true)) {
      const nlohmann::json line = {
          {"event", "key_table_unreadable"},
          {"detail", std::string(failure.what()) + "; the keys read last stay in use"}};
      server::LogJsonLine(line.dump());
    }
  }
}

}  // namespace gw::keys

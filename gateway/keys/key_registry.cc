#include "gateway/keys/key_registry.h"

#include <nlohmann/json.hpp>

#include "gateway/server/log.h"

namespace gw::keys {

KeyRegistry::KeyRegistry(accounting::keys::KeyStore& store)
    : store_(store), table_(std::make_shared<const Table>()) {
  Reload();
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
  {
    const std::lock_guard lock(refresh_mu_);
    const auto now = std::chrono::steady_clock::now();
    if (now < next_check_) return;
    next_check_ = now + interval;
    try {
      if (store_.Version() == version_) return;
    } catch (const std::exception& failure) {
      const nlohmann::json line = {{"event", "key_table_unreadable"}, {"detail", failure.what()}};
      server::LogJsonLine(line.dump());
      return;
    }
  }
  try {
    Reload();
  } catch (const std::exception& failure) {
    const nlohmann::json line = {{"event", "key_table_unreadable"}, {"detail", failure.what()}};
    server::LogJsonLine(line.dump());
  }
}

}  // namespace gw::keys

// The managed keys as the request path sees them (docs/keys.md): an immutable table of the key
// store's rows indexed by hash, swapped whole when the store changes (a management API call of
// this process, or the `gateway keys` CLI in another: Refresh notices within its interval).
// Find is lock-free (an atomic shared_ptr load); Refresh/Reload take refresh_mu_. Any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>

#include "accounting/keys/api_key.h"
#include "accounting/keys/key_table.h"

namespace gw::keys {

using ApiKeyPtr = std::shared_ptr<const accounting::keys::ApiKey>;

class KeyRegistry {
 public:
  // Loads every key of `store` (which must outlive the registry). Throws LedgerError.
  explicit KeyRegistry(accounting::keys::KeyTable& store);
  ~KeyRegistry();  // stops the polling thread

  // The key whose hash (hex SHA-256 of its secret) is `hash`, or null.
  ApiKeyPtr Find(std::string_view hash) const;
  size_t size() const { return table_.load(std::memory_order_acquire)->size(); }

  // Reloads the table if the store changed, checking at most once per `interval`. A failure
  // (the file or the server cannot be read) keeps the previous table in use; the first failure
  // and the recovery are logged. Cheap when nothing changed.
  void Refresh(std::chrono::milliseconds interval = std::chrono::milliseconds(1000));
  // Reloads now (after this process changed the store). Throws LedgerError.
  void Reload();
  // From now on a thread of the registry's own refreshes every `interval`, and Refresh() does
  // nothing: for a table over the network (PostgreSQL), whose reads must never hold a request
  // worker (a connect may wait for its timeout).
  void StartPolling(std::chrono::milliseconds interval = std::chrono::milliseconds(1000));

  accounting::keys::KeyTable& store() { return store_; }

 private:
  // Looked up by string_view without a copy.
  struct TransparentHash {
    using is_transparent = void;
    size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };
  using Table = std::unordered_map<std::string, ApiKeyPtr, TransparentHash, std::equal_to<>>;

  void RefreshNow();  // the check and reload of Refresh, without its interval

  accounting::keys::KeyTable& store_;
  std::atomic<std::shared_ptr<const Table>> table_;
  std::mutex refresh_mu_;  // guards version_ and next_check_; serializes reloads
  int64_t version_ = -1;
  std::atomic<bool> unreadable_{false};  // the last Refresh failed (logged once per outage)
  std::chrono::steady_clock::time_point next_check_{};

  std::atomic<bool> polling_{false};  // StartPolling ran: Refresh() does nothing
  std::mutex poll_mu_;                // guards stop_polling_
  std::condition_variable poll_cv_;
  bool stop_polling_ = false;
  std::thread poller_;
};

}  // namespace gw::keys

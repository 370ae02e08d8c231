// The budgets and rate limits of managed keys behind one small interface (docs/keys.md): the
// request path reserves and settles credit and takes from rate limits only through KeyLimits,
// so a shared implementation (the scale-out issue: Redis) replaces LocalKeyLimits without
// touching the request path. Implementations are thread-safe. A shared implementation throws
// LimitsUnavailable from the admission calls and Budget when its store fails.
#pragma once

#include <atomic>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "accounting/keys/api_key.h"
#include "accounting/keys/budget_book.h"
#include "accounting/keys/rate_buckets.h"

namespace gw::accounting::keys {

// A shared limits store that cannot be reached or answered wrongly; the message names the store
// and the cause. The request path answers 503 with it.
class LimitsUnavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class KeyLimits {
 public:
  virtual ~KeyLimits() = default;
  // Budgets (budget_book.h).
  virtual ReserveOutcome Reserve(const BudgetHolder& holder, int64_t amount_nano,
                                 int64_t now_ms) = 0;
  virtual void Settle(Reservation& reservation, int64_t cost_nano, int64_t arrived_ms,
                      int64_t now_ms) = 0;
  virtual BudgetState Budget(const BudgetHolder& holder, bool user, int64_t now_ms) = 0;
  // Rate limits (rate_buckets.h).
  virtual RateDecision AdmitRequest(std::span<const RateScope> scopes, int64_t now_ms) = 0;
  virtual void ChargeTokens(std::span<const RateScope> scopes, uint64_t tokens, int64_t now_ms) = 0;
  // The headroom of one rate limit now (RateBuckets::Remaining), for reports.
  virtual uint64_t RateRemaining(const RateScope& scope, int64_t now_ms) = 0;
  // Periodic housekeeping (forgets idle rate-limit state).
  virtual void Sweep(int64_t now_ms) = 0;
};

// One process: budgets and buckets in memory, spend loaded from the ledger.
class LocalKeyLimits final : public KeyLimits {
 public:
  explicit LocalKeyLimits(SpentLoader loader) : budgets_(std::move(loader)) {}

  ReserveOutcome Reserve(const BudgetHolder& holder, int64_t amount_nano, int64_t now_ms) override {
    return budgets_.Reserve(holder, amount_nano, now_ms);
  }
  void Settle(Reservation& reservation, int64_t cost_nano, int64_t arrived_ms,
              int64_t now_ms) override {
    budgets_.Settle(reservation, cost_nano, arrived_ms, now_ms);
  }
  BudgetState Budget(const BudgetHolder& holder, bool user, int64_t now_ms) override {
    return budgets_.State(holder, user, now_ms);
  }
  RateDecision AdmitRequest(std::span<const RateScope> scopes, int64_t now_ms) override {
    return rates_.Admit(scopes, now_ms);
  }
  void ChargeTokens(std::span<const RateScope> scopes, uint64_t tokens, int64_t now_ms) override {
    rates_.Charge(scopes, tokens, now_ms);
  }
  uint64_t RateRemaining(const RateScope& scope, int64_t now_ms) override {
    return rates_.Remaining(scope, now_ms);
  }
  // At most every kSweepPeriodMs, whoever calls.
  void Sweep(int64_t now_ms) override {
    int64_t due = next_sweep_ms_.load(std::memory_order_relaxed);
    if (now_ms < due || !next_sweep_ms_.compare_exchange_strong(due, now_ms + kSweepPeriodMs)) {
      return;
    }
    rates_.Sweep(now_ms);
    budgets_.Sweep(now_ms, kIdleAccountMs);
  }

 private:
  static constexpr int64_t kSweepPeriodMs = 10'000;
  // A budget account unused for this long is forgotten (loaded from the ledger again when next
  // used): far above the ledger's flush interval (accounting.flush_interval_ms, at most 60 s).
  static constexpr int64_t kIdleAccountMs = 15 * 60'000;

  BudgetBook budgets_;
  RateBuckets rates_;
  std::atomic<int64_t> next_sweep_ms_{0};
};

// The budgets a request of `key` by `user` draws on.
BudgetHolder BudgetHolderOf(const ApiKey& key, std::string_view user);

// The rate limits a request of `key` for `model` by `user` is subject to: the key's, the
// model's (api_key.h model_limits) and the user's (with a non-empty user), requests and tokens.
std::vector<RateScope> RateScopesOf(const ApiKey& key, std::string_view model,
                                    std::string_view user);

// What a rate scope is called in a 429's message: "the key", "model x/y", "user \"u\"".
std::string RateScopeDescription(const RateScope& scope, std::string_view model,
                                 std::string_view user);

}  // namespace gw::accounting::keys

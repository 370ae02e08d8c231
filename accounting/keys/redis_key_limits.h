// Budgets, reservations and rate limits shared by every gateway instance through one Redis
// server (docs/scale-out.md): the KeyLimits of `accounting.limits.store: redis`. Each operation is
// one Lua script (redis_scripts.h), atomic on the server, so N instances behave as one: a budget
// that affords N requests admits N in total, and a rate limit of R per minute admits R in total,
// not R per instance.
//
// Spend: a budget account lives in Redis for its period; when it is missing (a new key or user,
// or a flushed Redis) this instance loads the period's spend from its ledger (SpentLoader), as the
// in-process book does. Reservations expire after `reservation_ttl`, so the holds of a crashed
// instance are released; a settlement that arrives after its hold expired still adds its cost.
//
// Failures (Redis unreachable, a timeout, an error reply): with `fail_open` false, the admission
// calls (AdmitRequest, Reserve) and Budget throw LimitsUnavailable, and the request gets a 503
// naming the cause; with `fail_open` true they admit without limits. Settlements and token
// charges that fail are dropped (the hold expires). Every failure is counted (failures()).
//
// Thread-safe (the client's pool); calls block the calling worker for one round trip.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "accounting/keys/key_limits.h"
#include "base/redis/redis_client.h"

namespace gw::accounting::keys {

struct RedisLimitsOptions {
  std::string prefix = "gw:";  // of every Redis key this gateway writes
  std::chrono::milliseconds reservation_ttl{std::chrono::minutes(15)};
  bool fail_open = false;
  // Told when the store starts failing and when it works again (one line each, not per call).
  std::function<void(std::string_view)> log;
};

class RedisKeyLimits final : public KeyLimits {
 public:
  RedisKeyLimits(std::unique_ptr<redis::RedisClient> client, SpentLoader loader,
                 RedisLimitsOptions options);

  ReserveOutcome Reserve(const BudgetHolder& holder, int64_t amount_nano, int64_t now_ms) override;
  void Settle(Reservation& reservation, int64_t cost_nano, int64_t arrived_ms,
              int64_t now_ms) override;
  BudgetState Budget(const BudgetHolder& holder, bool user, int64_t now_ms) override;
  RateDecision AdmitRequest(std::span<const RateScope> scopes, int64_t now_ms) override;
  void ChargeTokens(std::span<const RateScope> scopes, uint64_t tokens, int64_t now_ms) override;
  uint64_t RateRemaining(const RateScope& scope, int64_t now_ms) override;
  void Sweep(int64_t /*now_ms*/) override {}  // Redis expires idle state itself

  // Calls that failed since start (for the metric).
  uint64_t failures() const { return failures_.load(std::memory_order_relaxed); }

 private:
  // The Redis keys of an account (key's, or a user's within the key) and of its holds. Both
  // carry the key's hash as a hash tag, so one request's keys share a Redis Cluster slot.
  std::string AccountKey(std::string_view key, std::string_view user) const;
  std::string HoldsKey(std::string_view key, std::string_view user) const;
  std::string BucketKey(const RateScope& scope) const;
  // Records a failure (logging the first of a run) and returns the exception to throw.
  LimitsUnavailable Failed(const std::exception& failure);
  void Succeeded();  // logs the recovery after a run of failures

  std::unique_ptr<redis::RedisClient> client_;
  SpentLoader loader_;
  RedisLimitsOptions options_;
  std::atomic<uint64_t> next_hold_;  // hold ids: a random start per process, then counting
  std::atomic<uint64_t> failures_{0};
  std::atomic<bool> failing_{false};
};

}  // namespace gw::accounting::keys

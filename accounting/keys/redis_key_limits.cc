#include "accounting/keys/redis_key_limits.h"

#include <algorithm>
#include <random>
#include <vector>

#include "accounting/keys/limit_reset.h"
#include "accounting/keys/redis_scripts.h"

namespace gw::accounting::keys {
namespace {

constexpr int64_t kMsPerDay = 86'400'000;
// A missing account may be loaded meanwhile by another call: this many tries.
constexpr int kLoadAttempts = 3;
// Admissions may be sent again after a restarted server closed a pooled connection: run twice,
// a reservation holds twice until it expires and a rate limit counts one request twice, both on
// the safe side. (Settlements are idempotent; token charges are never sent twice.)
constexpr redis::RedisClient::Resend kResendAdmissions = redis::RedisClient::Resend::kIfClosed;

// When an account of `reset` may be forgotten: a day after its current period ends (an account
// used in a later period is rolled over and kept), never for an all-time budget.
int64_t ExpireAtMs(LimitReset reset, const BudgetPeriod& period) {
  return reset == LimitReset::kNone ? 0 : (period.end_day + 1) * kMsPerDay;
}

int64_t LimitOrNone(const std::optional<int64_t>& limit) { return limit ? *limit : -1; }

std::string HoldMember(uint64_t hold_id, int64_t amount_nano) {
  return std::to_string(hold_id) + ":" + std::to_string(amount_nano);
}

uint64_t RandomStart() {
  std::random_device device;
  // The upper 32 bits random per process, the lower ones counting: ids of concurrent instances
  // do not meet within 4 billion requests each.
  return (static_cast<uint64_t>(device()) << 32) | 1;
}

}  // namespace

RedisKeyLimits::RedisKeyLimits(std::unique_ptr<redis::RedisClient> client, SpentLoader loader,
                               RedisLimitsOptions options)
    : client_(std::move(client)),
      loader_(std::move(loader)),
      options_(std::move(options)),
      next_hold_(RandomStart()) {}

std::string RedisKeyLimits::AccountKey(std::string_view key, std::string_view user) const {
  std::string name = options_.prefix + "budget:{" + std::string(key) + "}";
  if (!user.empty()) name.append(":user:").append(user);
  return name;
}

std::string RedisKeyLimits::HoldsKey(std::string_view key, std::string_view user) const {
  std::string name = options_.prefix + "holds:{" + std::string(key) + "}";
  if (!user.empty()) name.append(":user:").append(user);
  return name;
}

std::string RedisKeyLimits::BucketKey(const RateScope& scope) const {
  // Scope buckets are "<hash>\n<scope>\n<unit>" (key_limits.cc).
  const size_t newline = scope.bucket.find('\n');
  return options_.prefix + "rate:{" + scope.bucket.substr(0, newline) + "}" +
         (newline == std::string::npos ? "" : scope.bucket.substr(newline));
}

LimitsUnavailable RedisKeyLimits::Failed(const std::exception& failure) {
  failures_.fetch_add(1, std::memory_order_relaxed);
  const std::string message =
      std::string("the shared limits store cannot be used: ") + failure.what();
  if (!failing_.exchange(true) && options_.log) options_.log(message);
  return LimitsUnavailable(message);
}

void RedisKeyLimits::Succeeded() {
  if (failing_.load(std::memory_order_relaxed) && failing_.exchange(false) && options_.log) {
    options_.log("the shared limits store (Redis at " + client_->address().Describe() +
                 ") works again");
  }
}

ReserveOutcome RedisKeyLimits::Reserve(const BudgetHolder& holder, int64_t amount_nano,
                                       int64_t now_ms) {
  const bool user_account = !holder.user.empty() && holder.user_limit_nano.has_value();
  const BudgetPeriod period = PeriodOf(holder.reset, EpochDayOf(now_ms));
  const uint64_t hold_id = next_hold_.fetch_add(1, std::memory_order_relaxed);
  std::vector<std::string> keys{AccountKey(holder.key, ""), HoldsKey(holder.key, "")};
  if (user_account) {
    keys.push_back(AccountKey(holder.key, holder.user));
    keys.push_back(HoldsKey(holder.key, holder.user));
  }
  int64_t key_init = -1;
  int64_t user_init = -1;
  try {
    for (int attempt = 0; attempt < kLoadAttempts; ++attempt) {
      const std::vector<std::string> args{std::to_string(now_ms),
                                          std::to_string(amount_nano),
                                          std::to_string(static_cast<int>(holder.reset)),
                                          std::to_string(period.from_day),
                                          std::to_string(ExpireAtMs(holder.reset, period)),
                                          std::to_string(LimitOrNone(holder.key_limit_nano)),
                                          std::to_string(LimitOrNone(holder.user_limit_nano)),
                                          HoldMember(hold_id, amount_nano),
                                          std::to_string(now_ms + options_.reservation_ttl.count()),
                                          std::to_string(key_init),
                                          std::to_string(user_init)};
      const redis::RedisValue reply =
          client_->Eval(redis_scripts::Reserve(), keys, args, kResendAdmissions);
      const int64_t status = reply.At(0);
      if (status == -1) {  // load the missing accounts' spend from the ledger, then again
        if (reply.At(1) == 1) key_init = loader_(holder.key, "", period.from_day);
        if (reply.At(2) == 1) user_init = loader_(holder.key, holder.user, period.from_day);
        continue;
      }
      Succeeded();
      ReserveOutcome outcome;
      if (status == 0) {
        outcome.by_user = reply.At(1) == 1;
        outcome.affordable_nano = reply.At(2);
        return outcome;
      }
      outcome.ok = true;
      Reservation& reservation = outcome.reservation;
      reservation.key = holder.key;
      if (user_account) reservation.user = holder.user;
      reservation.amount_nano = amount_nano;
      reservation.reset = holder.reset;
      reservation.hold_id = hold_id;
      reservation.active = true;
      return outcome;
    }
    throw redis::RedisError("the budget account kept changing while it was loaded; try again");
  } catch (const redis::RedisError& failure) {
    LimitsUnavailable unavailable = Failed(failure);
    if (!options_.fail_open) throw unavailable;
    ReserveOutcome admitted;  // without a hold: nothing to settle
    admitted.ok = true;
    return admitted;
  }
}

void RedisKeyLimits::Settle(Reservation& reservation, int64_t cost_nano, int64_t arrived_ms,
                            int64_t now_ms) {
  if (!reservation.active) return;
  reservation.active = false;
  const BudgetPeriod period = PeriodOf(reservation.reset, EpochDayOf(now_ms));
  std::vector<std::string> keys{AccountKey(reservation.key, ""), HoldsKey(reservation.key, "")};
  if (!reservation.user.empty()) {
    keys.push_back(AccountKey(reservation.key, reservation.user));
    keys.push_back(HoldsKey(reservation.key, reservation.user));
  }
  keys.push_back(options_.prefix + "settled:{" + reservation.key +
                 "}:" + std::to_string(reservation.hold_id));
  const std::vector<std::string> args{std::to_string(now_ms),
                                      HoldMember(reservation.hold_id, reservation.amount_nano),
                                      std::to_string(reservation.amount_nano),
                                      std::to_string(cost_nano),
                                      std::to_string(static_cast<int>(reservation.reset)),
                                      std::to_string(EpochDayOf(arrived_ms)),
                                      std::to_string(period.from_day),
                                      std::to_string(period.end_day),
                                      std::to_string(ExpireAtMs(reservation.reset, period)),
                                      std::to_string(2 * options_.reservation_ttl.count())};
  try {
    // Idempotent (its marker): sent again when a restarted server closed the connection.
    client_->Eval(redis_scripts::Settle(), keys, args, redis::RedisClient::Resend::kIfClosed);
    Succeeded();
  } catch (const redis::RedisError& failure) {
    // Lost: the hold expires, and the cost is missing from the shared spend (it is in this
    // instance's ledger) until the account is loaded again (docs/scale-out.md).
    Failed(failure);
  }
}

BudgetState RedisKeyLimits::Budget(const BudgetHolder& holder, bool user, int64_t now_ms) {
  const std::string_view user_name = user ? std::string_view(holder.user) : "";
  const BudgetPeriod period = PeriodOf(holder.reset, EpochDayOf(now_ms));
  const std::vector<std::string> keys{AccountKey(holder.key, user_name),
                                      HoldsKey(holder.key, user_name)};
  int64_t init = -1;
  try {
    for (int attempt = 0; attempt < kLoadAttempts; ++attempt) {
      const std::vector<std::string> args{
          std::to_string(now_ms), std::to_string(static_cast<int>(holder.reset)),
          std::to_string(period.from_day), std::to_string(ExpireAtMs(holder.reset, period)),
          std::to_string(init)};
      const redis::RedisValue reply =
          client_->Eval(redis_scripts::Budget(), keys, args, kResendAdmissions);
      if (reply.At(0) == -1) {
        init = loader_(holder.key, user_name, period.from_day);
        continue;
      }
      const BudgetState state{reply.At(0), reply.At(1)};
      Succeeded();
      return state;
    }
    throw redis::RedisError("the budget account kept changing while it was loaded; try again");
  } catch (const redis::RedisError& failure) {
    throw Failed(failure);
  }
}

RateDecision RedisKeyLimits::AdmitRequest(std::span<const RateScope> scopes, int64_t now_ms) {
  std::vector<std::string> keys;
  std::vector<size_t> scope_of;  // the span index of each Redis key
  std::vector<std::string> args{std::to_string(now_ms)};
  for (size_t i = 0; i < scopes.size(); ++i) {
    if (scopes[i].per_minute == 0) continue;
    keys.push_back(BucketKey(scopes[i]));
    scope_of.push_back(i);
    args.push_back(std::to_string(scopes[i].per_minute));
    args.push_back(scopes[i].tokens ? "1" : "0");
  }
  if (keys.empty()) return RateDecision{};
  try {
    const redis::RedisValue reply =
        client_->Eval(redis_scripts::Admit(), keys, args, kResendAdmissions);
    Succeeded();
    RateDecision decision;
    decision.ok = reply.At(0) == 1;
    if (!decision.ok) {
      const int64_t refused = reply.At(1) - 1;
      if (refused < 0 || static_cast<size_t>(refused) >= scope_of.size()) {
        throw redis::RedisError("Redis named no refusing rate limit");
      }
      decision.refused_scope = scope_of[static_cast<size_t>(refused)];
    }
    decision.limit = static_cast<uint64_t>(reply.At(2));
    decision.remaining = static_cast<uint64_t>(reply.At(3));
    decision.reset_ms = reply.At(4);
    decision.retry_after_ms = reply.At(5);
    return decision;
  } catch (const redis::RedisError& failure) {
    LimitsUnavailable unavailable = Failed(failure);
    if (!options_.fail_open) throw unavailable;
    return RateDecision{};  // admitted without limits
  }
}

void RedisKeyLimits::ChargeTokens(std::span<const RateScope> scopes, uint64_t tokens,
                                  int64_t now_ms) {
  if (tokens == 0) return;
  std::vector<std::string> keys;
  // As in-process: clamped so no level leaves the integers Lua's doubles hold exactly.
  const int64_t units = static_cast<int64_t>(std::min<uint64_t>(tokens, uint64_t{1} << 30)) * 60000;
  std::vector<std::string> args{std::to_string(now_ms), std::to_string(units)};
  for (const RateScope& scope : scopes) {
    if (scope.per_minute == 0 || !scope.tokens) continue;
    keys.push_back(BucketKey(scope));
    args.push_back(std::to_string(scope.per_minute));
  }
  if (keys.empty()) return;
  try {
    client_->Eval(redis_scripts::Charge(), keys, args, redis::RedisClient::Resend::kNever);
    Succeeded();
  } catch (const redis::RedisError& failure) {
    Failed(failure);
  }
}

uint64_t RedisKeyLimits::RateRemaining(const RateScope& scope, int64_t now_ms) {
  if (scope.per_minute == 0) return 0;
  const std::vector<std::string> keys{BucketKey(scope)};
  const std::vector<std::string> args{std::to_string(now_ms), std::to_string(scope.per_minute)};
  try {
    const redis::RedisValue reply =
        client_->Eval(redis_scripts::Remaining(), keys, args, kResendAdmissions);
    Succeeded();
    return static_cast<uint64_t>(reply.Integer());
  } catch (const redis::RedisError& failure) {
    throw Failed(failure);
  }
}

}  // namespace gw::accounting::keys

// Credit budgets with reservations (docs/keys.md): for each key (and each end user of a key with
// a per-user limit), what the requests of the current period cost and what in-flight requests
// have reserved. A request reserves its worst-case cost before it goes upstream and settles to
// its exact cost when its usage record is built, so the budget is never overspent by more than
// a request's settled-minus-reserved difference, which is never positive when the reservation
// bounds the cost (docs/keys.md says when it does).
//
// Spend is rebuilt from the ledger, not kept in a counter that could drift: an account is
// loaded (SpentLoader: the ledger's sum for the period) the first time this process reserves
// against it, and starts over at zero when its period ends. Every request of a managed key
// reserves (zero when it has no limit), and an account holding a reservation is never
// forgotten (Sweep), so no request of this process settles against an account loaded after it
// started.
//
// Thread-safe: one mutex guards the accounts; it is never held while the loader runs.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "accounting/keys/limit_reset.h"

namespace gw::accounting::keys {

// Whose budgets a request draws on.
struct BudgetHolder {
  std::string key;   // the key's hash
  std::string user;  // the request's `user`; "" = none
  std::optional<int64_t> key_limit_nano;
  std::optional<int64_t> user_limit_nano;  // applies only with a non-empty user
  LimitReset reset = LimitReset::kNone;
};

// What a Reserve took; Settle gives it back. Plain value held by the request.
struct Reservation {
  std::string key;
  std::string user;  // "" when no user account was charged
  int64_t amount_nano = 0;
  uint64_t key_generation = 0;  // of the accounts it was taken from (see Account)
  uint64_t user_generation = 0;
  LimitReset reset = LimitReset::kNone;  // of the accounts it was taken from
  uint64_t hold_id = 0;                  // a shared store's id of the hold (RedisKeyLimits)
  bool active = false;
};

struct ReserveOutcome {
  bool ok = false;
  bool by_user = false;         // refused by the user's budget rather than the key's
  int64_t affordable_nano = 0;  // refused: what the refusing budget can still spend (>= 0)
  Reservation reservation;      // ok: to Settle
};

struct BudgetState {
  int64_t spent_nano = 0;     // settled cost of the period's requests
  int64_t reserved_nano = 0;  // in flight

  bool operator==(const BudgetState&) const = default;
};

// The ledger's total cost of `key`'s requests (only `user`'s when not empty) that arrived on
// or after `from_day` (epoch day). Throws on a database failure.
using SpentLoader =
    std::function<int64_t(std::string_view key, std::string_view user, int64_t from_day)>;

class BudgetBook {
 public:
  explicit BudgetBook(SpentLoader loader) : loader_(std::move(loader)) {}

  // Reserves `amount_nano` (>= 0) against the key's budget and, when the holder has a user
  // with a user limit, the user's: both or neither. A holder without limits always succeeds.
  ReserveOutcome Reserve(const BudgetHolder& holder, int64_t amount_nano, int64_t now_ms);
  // Returns the reservation and adds `cost_nano` (0: nothing was charged) to the spend of the
  // accounts whose period holds `arrived_ms` (the request's arrival, as the ledger dates it).
  // Idempotent: a settled reservation is inactive.
  void Settle(Reservation& reservation, int64_t cost_nano, int64_t arrived_ms, int64_t now_ms);
  // The key's (user "") or the user's account in the current period.
  BudgetState State(const BudgetHolder& holder, bool user, int64_t now_ms);
  // Forgets the accounts that hold no reservation and were not used for `idle_ms` (they are
  // loaded from the ledger again when next used), so accounts of users seen once do not
  // accumulate. `idle_ms` must be well above the ledger's flush interval: a settled cost must
  // be in the ledger before its account may be forgotten.
  void Sweep(int64_t now_ms, int64_t idle_ms);
  size_t size();

 private:
  struct Account {
    LimitReset reset = LimitReset::kNone;
    BudgetPeriod period;
    int64_t spent_nano = 0;
    int64_t reserved_nano = 0;
    int64_t holds = 0;  // reservations not yet settled (zero-amount ones included)
    int64_t used_ms = 0;
    // Set when the account is created: a reservation of a forgotten (swept) account is not
    // returned to its successor.
    uint64_t generation = 0;
  };

  // The account of `name` for `reset`, created from the ledger or rolled to the period of
  // `now_ms`. A changed reset period reloads the spend of the new period from the ledger and
  // keeps the reservations in flight. Takes mu_ (released while the loader runs) and returns
  // with it held.
  Account& Load(std::unique_lock<std::mutex>& lock, const std::string& name, std::string_view key,
                std::string_view user, LimitReset reset, int64_t now_ms);

  SpentLoader loader_;
  std::mutex mu_;  // guards accounts_ and next_generation_
  // Key accounts by hash; user accounts by hash + '\n' + user.
  std::unordered_map<std::string, Account> accounts_;
  uint64_t next_generation_ = 1;
};

// The name of a user's account within a key.
std::string UserAccountName(std::string_view key, std::string_view user);

}  // namespace gw::accounting::keys

#include "accounting/keys/budget_book.h"

#include <algorithm>

namespace gw::accounting::keys {

std::string UserAccountName(std::string_view key, std::string_view user) {
  std::string name(key);
  name.push_back('\n');
  name.append(user);
  return name;
}

BudgetBook::Account& BudgetBook::Load(std::unique_lock<std::mutex>& lock, const std::string& name,
                                      std::string_view key, std::string_view user, LimitReset reset,
                                      int64_t now_ms) {
  const BudgetPeriod period = PeriodOf(reset, EpochDayOf(now_ms));
  auto found = accounts_.find(name);
  if (found != accounts_.end() && found->second.reset == reset) {
    Account& account = found->second;
    if (period.from_day > account.period.from_day) {  // a new period: nothing spent in it yet
      account.period = period;
      account.spent_nano = 0;
    }
    account.used_ms = now_ms;
    return account;
  }
  // Unknown, or its reset period changed: the spend of the period comes from the ledger.
  lock.unlock();
  const int64_t spent = loader_(key, user, period.from_day);
  lock.lock();
  Account& account = accounts_[name];
  if (account.generation != 0 && account.reset == reset) {
    return Load(lock, name, key, user, reset, now_ms);  // another thread loaded it meanwhile
  }
  if (account.generation == 0) account.generation = next_generation_++;
  // (A changed reset period keeps reserved_nano and holds: those requests are in flight.)
  account.reset = reset;
  account.period = period;
  account.spent_nano = spent;
  account.used_ms = now_ms;
  return account;
}

ReserveOutcome BudgetBook::Reserve(const BudgetHolder& holder, int64_t amount_nano,
                                   int64_t now_ms) {
  const bool user_account = !holder.user.empty() && holder.user_limit_nano.has_value();
  const std::string user_name = user_account ? UserAccountName(holder.key, holder.user) : "";
  std::unique_lock lock(mu_);
  Account* key = &Load(lock, holder.key, holder.key, "", holder.reset, now_ms);
  Account* user = nullptr;
  if (user_account) {
    user = &Load(lock, user_name, holder.key, holder.user, holder.reset, now_ms);
    // Loading the user's account released the lock: the key's may have been reloaded.
    key = &Load(lock, holder.key, holder.key, "", holder.reset, now_ms);
  }
  auto affordable = [](const Account& account, int64_t limit) {
    return std::max<int64_t>(0, limit - account.spent_nano - account.reserved_nano);
  };
  ReserveOutcome outcome;
  if (holder.key_limit_nano && affordable(*key, *holder.key_limit_nano) < amount_nano) {
    outcome.affordable_nano = affordable(*key, *holder.key_limit_nano);
    return outcome;
  }
  if (user != nullptr && affordable(*user, *holder.user_limit_nano) < amount_nano) {
    outcome.by_user = true;
    outcome.affordable_nano = affordable(*user, *holder.user_limit_nano);
    return outcome;
  }
  key->reserved_nano += amount_nano;
  ++key->holds;
  outcome.ok = true;
  outcome.reservation.key = holder.key;
  outcome.reservation.amount_nano = amount_nano;
  outcome.reservation.reset = holder.reset;
  outcome.reservation.key_generation = key->generation;
  if (user != nullptr) {
    user->reserved_nano += amount_nano;
    ++user->holds;
    outcome.reservation.user = holder.user;
    outcome.reservation.user_generation = user->generation;
  }
  outcome.reservation.active = true;
  return outcome;
}

void BudgetBook::Settle(Reservation& reservation, int64_t cost_nano, int64_t arrived_ms,
                        int64_t now_ms) {
  if (!reservation.active) return;
  reservation.active = false;
  const int64_t arrived_day = EpochDayOf(arrived_ms);
  const int64_t today = EpochDayOf(now_ms);
  const std::lock_guard lock(mu_);
  auto settle = [&](const std::string& name, uint64_t generation) {
    const auto found = accounts_.find(name);
    if (found == accounts_.end() || found->second.generation != generation) return;
    Account& account = found->second;
    account.reserved_nano -= reservation.amount_nano;
    --account.holds;
    account.used_ms = now_ms;
    const BudgetPeriod current = PeriodOf(account.reset, today);
    if (current.from_day > account.period.from_day) {
      account.period = current;
      account.spent_nano = 0;
    }
    if (arrived_day >= account.period.from_day && arrived_day < account.period.end_day) {
      account.spent_nano += cost_nano;
    }
  };
  settle(reservation.key, reservation.key_generation);
  if (!reservation.user.empty()) {
    settle(UserAccountName(reservation.key, reservation.user), reservation.user_generation);
  }
}

BudgetState BudgetBook::State(const BudgetHolder& holder, bool user, int64_t now_ms) {
  const std::string name = user ? UserAccountName(holder.key, holder.user) : holder.key;
  std::unique_lock lock(mu_);
  const Account& account =
      Load(lock, name, holder.key, user ? std::string_view(holder.user) : "", holder.reset, now_ms);
  return {account.spent_nano, account.reserved_nano};
}

void BudgetBook::Sweep(int64_t now_ms, int64_t idle_ms) {
  const std::lock_guard lock(mu_);
  std::erase_if(accounts_, [&](const auto& entry) {
    const Account& account = entry.second;
    return account.holds == 0 && now_ms - account.used_ms >= idle_ms;
  });
}

size_t BudgetBook::size() {
  const std::lock_guard lock(mu_);
  return accounts_.size();
}

}  // namespace gw::accounting::keys

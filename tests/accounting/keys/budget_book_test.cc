#include "accounting/keys/budget_book.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace gw::accounting::keys {
namespace {

constexpr int64_t kDayMs = 86'400'000;
constexpr int64_t kNow = 20789 * kDayMs + 3'600'000;  // Wednesday 2026-12-02 01:00 UTC
constexpr int64_t kUsd = 1'000'000'000;

// A ledger stand-in: the spend the loader reports per account, and how often it was asked.
struct FakeLedger {
  int64_t key_spent = 0;
  int64_t user_spent = 0;
  std::atomic<int> loads{0};
  int64_t last_from_day = -1;

  SpentLoader Loader() {
    return [this](std::string_view, std::string_view user, int64_t from_day) {
      ++loads;
      last_from_day = from_day;
      return user.empty() ? key_spent : user_spent;
    };
  }
};

BudgetHolder Holder(std::optional<int64_t> limit, LimitReset reset = LimitReset::kNone) {
  BudgetHolder holder;
  holder.key = "k";
  holder.key_limit_nano = limit;
  holder.reset = reset;
  return holder;
}

TEST(BudgetBookTest, ReservesUpToTheLimitAndRefusesWithWhatRemains) {
  FakeLedger ledger;
  ledger.key_spent = 3 * kUsd;
  BudgetBook book(ledger.Loader());
  const BudgetHolder holder = Holder(10 * kUsd);
  ReserveOutcome first = book.Reserve(holder, 4 * kUsd, kNow);
  ASSERT_TRUE(first.ok);
  ReserveOutcome second = book.Reserve(holder, 3 * kUsd, kNow);
  ASSERT_TRUE(second.ok);  // 3 spent + 4 + 3 reserved = 10: exactly the limit
  const ReserveOutcome third = book.Reserve(holder, 1, kNow);
  EXPECT_FALSE(third.ok);
  EXPECT_FALSE(third.by_user);
  EXPECT_EQ(third.affordable_nano, 0);
  EXPECT_EQ(ledger.loads, 1);  // loaded once, then kept

  // Settling to a lower exact cost frees the difference.
  book.Settle(first.reservation, kUsd, kNow, kNow);
  EXPECT_EQ(book.State(holder, false, kNow).spent_nano, 4 * kUsd);
  EXPECT_EQ(book.State(holder, false, kNow).reserved_nano, 3 * kUsd);
  const ReserveOutcome fourth = book.Reserve(holder, 4 * kUsd, kNow);
  EXPECT_FALSE(fourth.ok);
  EXPECT_EQ(fourth.affordable_nano, 3 * kUsd);

  // A released reservation (nothing charged) frees all of it; settling twice changes nothing.
  book.Settle(second.reservation, 0, kNow, kNow);
  book.Settle(second.reservation, 5 * kUsd, kNow, kNow);
  EXPECT_EQ(book.State(holder, false, kNow), (BudgetState{4 * kUsd, 0}));
}

TEST(BudgetBookTest, WithoutALimitEveryReservationSucceedsAndSpendIsStillCounted) {
  FakeLedger ledger;
  BudgetBook book(ledger.Loader());
  ReserveOutcome outcome = book.Reserve(Holder(std::nullopt), 1'000'000 * kUsd, kNow);
  ASSERT_TRUE(outcome.ok);
  book.Settle(outcome.reservation, 7, kNow, kNow);
  EXPECT_EQ(book.State(Holder(std::nullopt), false, kNow), (BudgetState{7, 0}));
}

TEST(BudgetBookTest, UserBudgetsAreSeparateWithinTheKeyAndBothMustAfford) {
  FakeLedger ledger;
  ledger.user_spent = 2 * kUsd;
  BudgetBook book(ledger.Loader());
  BudgetHolder alice = Holder(10 * kUsd);
  alice.user = "alice";
  alice.user_limit_nano = 3 * kUsd;
  BudgetHolder bob = alice;
  bob.user = "bob";

  const ReserveOutcome too_much = book.Reserve(alice, 2 * kUsd, kNow);
  EXPECT_FALSE(too_much.ok);
  EXPECT_TRUE(too_much.by_user);
  EXPECT_EQ(too_much.affordable_nano, kUsd);
  EXPECT_EQ(book.State(alice, false, kNow).reserved_nano, 0);  // neither account was charged

  ReserveOutcome fits = book.Reserve(alice, kUsd, kNow);
  ASSERT_TRUE(fits.ok);
  EXPECT_EQ(book.State(alice, true, kNow).reserved_nano, kUsd);
  EXPECT_EQ(book.State(alice, false, kNow).reserved_nano, kUsd);
  book.Settle(fits.reservation, kUsd / 2, kNow, kNow);
  EXPECT_EQ(book.State(alice, true, kNow), (BudgetState{2 * kUsd + kUsd / 2, 0}));
  EXPECT_EQ(book.State(alice, false, kNow), (BudgetState{kUsd / 2, 0}));

  // Bob has his own user budget, and the key's covers both.
  EXPECT_TRUE(book.Reserve(bob, kUsd, kNow).ok);
  // The key refuses first when it is the tighter one.
  alice.key_limit_nano = kUsd;
  const ReserveOutcome by_key = book.Reserve(alice, kUsd / 4, kNow);
  EXPECT_FALSE(by_key.ok);
  EXPECT_FALSE(by_key.by_user);
}

TEST(BudgetBookTest, APeriodStartsOverAtItsResetAndLateSettlementsStayInTheirPeriod) {
  FakeLedger ledger;
  ledger.key_spent = 9 * kUsd;
  BudgetBook book(ledger.Loader());
  const BudgetHolder daily = Holder(10 * kUsd, LimitReset::kDaily);
  ReserveOutcome before_midnight = book.Reserve(daily, kUsd, kNow);
  ASSERT_TRUE(before_midnight.ok);
  EXPECT_EQ(ledger.last_from_day, 20789);
  EXPECT_FALSE(book.Reserve(daily, 1, kNow).ok);

  // The next day: nothing spent yet, the earlier request's reservation still held.
  const int64_t tomorrow = kNow + kDayMs;
  EXPECT_EQ(book.State(daily, false, tomorrow), (BudgetState{0, kUsd}));
  // It settles after midnight: its cost belongs to the day it arrived, not to the new one.
  book.Settle(before_midnight.reservation, kUsd, kNow, tomorrow);
  EXPECT_EQ(book.State(daily, false, tomorrow), (BudgetState{0, 0}));
  EXPECT_TRUE(book.Reserve(daily, 10 * kUsd, tomorrow).ok);
  EXPECT_EQ(ledger.loads, 1);
}

TEST(BudgetBookTest, AChangedResetPeriodReloadsFromTheLedger) {
  FakeLedger ledger;
  ledger.key_spent = kUsd;
  BudgetBook book(ledger.Loader());
  ReserveOutcome old = book.Reserve(Holder(10 * kUsd, LimitReset::kMonthly), kUsd, kNow);
  ASSERT_TRUE(old.ok);
  ledger.key_spent = 4 * kUsd;
  const BudgetHolder weekly = Holder(10 * kUsd, LimitReset::kWeekly);
  // The request in flight keeps its reservation (it is not in the ledger yet).
  EXPECT_EQ(book.State(weekly, false, kNow), (BudgetState{4 * kUsd, kUsd}));
  EXPECT_EQ(ledger.loads, 2);
  EXPECT_EQ(ledger.last_from_day, 20789 - 2);  // Monday
  EXPECT_FALSE(book.Reserve(weekly, 5 * kUsd + 1, kNow).ok);
  book.Settle(old.reservation, kUsd, kNow, kNow);
  EXPECT_EQ(book.State(weekly, false, kNow), (BudgetState{5 * kUsd, 0}));
}

TEST(BudgetBookTest, SweepForgetsIdleAccountsWithoutReservationsOnly) {
  FakeLedger ledger;
  BudgetBook book(ledger.Loader());
  BudgetHolder held = Holder(10 * kUsd);
  held.key = "held";
  ReserveOutcome in_flight = book.Reserve(held, kUsd, kNow);
  ASSERT_TRUE(in_flight.ok);
  BudgetHolder idle = Holder(10 * kUsd);
  idle.key = "idle";
  ReserveOutcome done = book.Reserve(idle, kUsd, kNow);
  book.Settle(done.reservation, kUsd, kNow, kNow);
  EXPECT_EQ(book.size(), 2u);
  book.Sweep(kNow + 999, 1000);  // not idle long enough
  EXPECT_EQ(book.size(), 2u);
  book.Sweep(kNow + 1000, 1000);
  EXPECT_EQ(book.size(), 1u);  // the account with a reservation in flight stays
  book.Settle(in_flight.reservation, kUsd, kNow, kNow + 1000);
  EXPECT_EQ(book.State(held, false, kNow + 1000), (BudgetState{kUsd, 0}));
  // A forgotten account is loaded from the ledger again when next used.
  ledger.key_spent = 7 * kUsd;
  EXPECT_EQ(book.State(idle, false, kNow + 2000), (BudgetState{7 * kUsd, 0}));
  EXPECT_EQ(ledger.loads, 3);
}

// 64 threads race for a budget that affords exactly 10 reservations: exactly 10 get one, and
// after every settlement the spend is exactly what they cost.
TEST(BudgetBookTest, ExactlyTheAffordableReservationsSucceedUnderContention) {
  FakeLedger ledger;
  BudgetBook book(ledger.Loader());
  const BudgetHolder holder = Holder(10 * kUsd);
  std::atomic<int> succeeded{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int i = 0; i < 64; ++i) {
    threads.emplace_back([&] {
      while (!go.load()) std::this_thread::yield();
      ReserveOutcome outcome = book.Reserve(holder, kUsd, kNow);
      if (!outcome.ok) return;
      ++succeeded;
      book.Settle(outcome.reservation, kUsd - 1, kNow, kNow);
    });
  }
  go = true;
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(succeeded.load(), 10);
  EXPECT_EQ(book.State(holder, false, kNow), (BudgetState{10 * (kUsd - 1), 0}));
  // (Threads that found the account missing at once may each have run the loader; the first
  // to finish created the account and the others used it.)
}

}  // namespace
}  // namespace gw::accounting::keys

#include "accounting/keys/limit_reset.h"

#include <gtest/gtest.h>

namespace gw::accounting::keys {
namespace {

// 2026-12-02 is a Wednesday; epoch day 20789.
constexpr int64_t kWednesday = 20789;

TEST(LimitResetTest, NamesRoundTrip) {
  for (const LimitReset reset :
       {LimitReset::kNone, LimitReset::kDaily, LimitReset::kWeekly, LimitReset::kMonthly}) {
    EXPECT_EQ(ParseLimitReset(LimitResetName(reset)), reset);
  }
  EXPECT_FALSE(ParseLimitReset("yearly"));
  EXPECT_FALSE(ParseLimitReset(""));
  EXPECT_FALSE(ParseLimitReset("Daily"));
}

TEST(LimitResetTest, PeriodsAreUtcDaysWeeksFromMondayAndMonths) {
  EXPECT_EQ(PeriodOf(LimitReset::kDaily, kWednesday), (BudgetPeriod{kWednesday, kWednesday + 1}));
  // Monday 2026-11-30 to Monday 2026-12-07.
  EXPECT_EQ(PeriodOf(LimitReset::kWeekly, kWednesday),
            (BudgetPeriod{kWednesday - 2, kWednesday + 5}));
  // 2026-12-01 to 2027-01-01.
  EXPECT_EQ(PeriodOf(LimitReset::kMonthly, kWednesday),
            (BudgetPeriod{kWednesday - 1, kWednesday - 1 + 31}));
  const BudgetPeriod all_time = PeriodOf(LimitReset::kNone, kWednesday);
  EXPECT_EQ(all_time.from_day, 0);
  EXPECT_GT(all_time.end_day, kWednesday + 1'000'000);
}

TEST(LimitResetTest, EpochDayFloorsInstants) {
  EXPECT_EQ(EpochDayOf(0), 0);
  EXPECT_EQ(EpochDayOf(86'399'999), 0);
  EXPECT_EQ(EpochDayOf(86'400'000), 1);
  EXPECT_EQ(EpochDayOf(-1), -1);
  EXPECT_EQ(EpochDayOf(kWednesday * 86'400'000 + 5), kWednesday);
}

}  // namespace
}  // namespace gw::accounting::keys

#include "accounting/ledger/periods.h"

#include <algorithm>
#include <chrono>

namespace gw::accounting {

std::optional<Period> ParsePeriod(std::string_view name) {
  for (Period period : {Period::kDay, Period::kWeek, Period::kMonth}) {
    if (PeriodName(period) == name) return period;
  }
  return std::nullopt;
}

std::string_view PeriodName(Period period) {
  switch (period) {
    case Period::kDay:
      return "day";
    case Period::kWeek:
      return "week";
    case Period::kMonth:
      return "month";
  }
  return "week";
}

DayRange PeriodContaining(Period period, int64_t epoch_day) {
  using namespace std::chrono;
  switch (period) {
    case Period::kDay:
      return {epoch_day, epoch_day};
    case Period::kWeek: {
      // Day 0 was a Thursday: (day + 3) mod 7 counts days since Monday.
      const int64_t since_monday = ((epoch_day + 3) % 7 + 7) % 7;
      return {epoch_day - since_monday, epoch_day - since_monday + 6};
    }
    case Period::kMonth: {
      const year_month_day ymd{sys_days{days{epoch_day}}};
      const sys_days first{ymd.year() / ymd.month() / 1};
      const sys_days last{ymd.year() / ymd.month() / std::chrono::last};
      return {first.time_since_epoch().count(), last.time_since_epoch().count()};
    }
  }
  return {epoch_day, epoch_day};
}

DayRange PeriodBefore(Period period, const DayRange& range) {
  return PeriodContaining(period, range.from_day - 1);
}

DayRange FirstDays(const DayRange& range, int64_t days) {
  return {range.from_day, std::min(range.to_day, range.from_day + std::max<int64_t>(days, 1) - 1)};
}

}  // namespace gw::accounting

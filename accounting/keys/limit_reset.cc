#include "accounting/keys/limit_reset.h"

#include <limits>

#include "accounting/ledger/periods.h"

namespace gw::accounting::keys {

std::optional<LimitReset> ParseLimitReset(std::string_view name) {
  for (LimitReset reset :
       {LimitReset::kNone, LimitReset::kDaily, LimitReset::kWeekly, LimitReset::kMonthly}) {
    if (LimitResetName(reset) == name) return reset;
  }
  return std::nullopt;
}

std::string_view LimitResetName(LimitReset reset) {
  switch (reset) {
    case LimitReset::kNone:
      return "none";
    case LimitReset::kDaily:
      return "daily";
    case LimitReset::kWeekly:
      return "weekly";
    case LimitReset::kMonthly:
      return "monthly";
  }
  return "none";
}

BudgetPeriod PeriodOf(LimitReset reset, int64_t epoch_day) {
  DayRange range;
  switch (reset) {
    case LimitReset::kNone:
      return {0, std::numeric_limits<int64_t>::max()};
    case LimitReset::kDaily:
      range = PeriodContaining(Period::kDay, epoch_day);
      break;
    case LimitReset::kWeekly:
      range = PeriodContaining(Period::kWeek, epoch_day);
      break;
    case LimitReset::kMonthly:
      range = PeriodContaining(Period::kMonth, epoch_day);
      break;
  }
  return {range.from_day, range.to_day + 1};
}

int64_t EpochDayOf(int64_t epoch_ms) {
  constexpr int64_t kDayMs = 86'400'000;
  return epoch_ms >= 0 ? epoch_ms / kDayMs : -((-epoch_ms + kDayMs - 1) / kDayMs);
}

}  // namespace gw::accounting::keys

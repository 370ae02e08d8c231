// When a key's credit limit starts over (API.md "Keys, credits, limits"): never, every UTC day,
// every week from Monday 00:00 UTC, or on the first of every month (UTC). The budget of a key
// counts the cost of the requests that arrived within the current period. Pure; any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace gw::accounting::keys {

enum class LimitReset { kNone, kDaily, kWeekly, kMonthly };

// "daily" | "weekly" | "monthly" | "none" (the JSON null of the API is handled by the caller).
std::optional<LimitReset> ParseLimitReset(std::string_view name);
// The API's name; kNone -> "none" (the API answers null for it).
std::string_view LimitResetName(LimitReset reset);

// The first and one-past-last epoch day of the period holding `epoch_day`; kNone: all time
// ([0, INT64_MAX)).
struct BudgetPeriod {
  int64_t from_day = 0;
  int64_t end_day = 0;  // exclusive

  bool operator==(const BudgetPeriod&) const = default;
};
BudgetPeriod PeriodOf(LimitReset reset, int64_t epoch_day);

// The epoch day of an epoch-millisecond instant (floor, so instants before 1970 work too).
int64_t EpochDayOf(int64_t epoch_ms);

}  // namespace gw::accounting::keys

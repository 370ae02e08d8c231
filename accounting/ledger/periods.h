// Calendar periods of rankings (docs/rankings.md): a UTC day, a Monday-to-Sunday week, or a
// calendar month, as inclusive ranges of epoch days. Pure; any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "accounting/ledger/usage_reports.h"

namespace gw::accounting {

enum class Period { kDay, kWeek, kMonth };

std::optional<Period> ParsePeriod(std::string_view name);  // "day" | "week" | "month"
std::string_view PeriodName(Period period);

// The period of kind `period` that contains `epoch_day` (1970-01-01 is day 0, a Thursday).
DayRange PeriodContaining(Period period, int64_t epoch_day);

// The period just before `range`, which must be one PeriodContaining returned.
DayRange PeriodBefore(Period period, const DayRange& range);

// `range` cut to at most `days` days from its start (like-for-like comparison of a running
// period, docs/rankings.md). `days` >= 1.
DayRange FirstDays(const DayRange& range, int64_t days);

inline int64_t DayCount(const DayRange& range) { return range.to_day - range.from_day + 1; }

}  // namespace gw::accounting

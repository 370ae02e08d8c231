// UTC date/time text of the ledger: epoch-day numbers <-> "YYYY-MM-DD", and epoch milliseconds
// -> ISO 8601 ("2026-01-02T03:04:05.678Z"). Pure; any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gw::accounting {

std::string FormatDay(int64_t epoch_day);                // 0 -> "1970-01-01"
std::optional<int64_t> ParseDay(std::string_view text);  // "1970-01-02" -> 1; strict YYYY-MM-DD
std::string FormatIsoUtc(int64_t epoch_ms);
int64_t NowEpochMs();  // system clock

}  // namespace gw::accounting

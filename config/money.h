// Exact conversion between decimal text and integer money units, never through binary floating
// point: config prices ("0.15" USD per 1M tokens) become integer nano-USD, and integer prices
// become decimal strings for /v1/models. Pure functions; any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gw::config {

// One USD in nano-USD, the unit of every price in Pricing.
inline constexpr int64_t kNanoUsdPerUsd = 1'000'000'000;

enum class DecimalStatus {
  kOk,
  kMalformed,        // not `digits` or `digits.digits` (signs, exponents, spaces, "3.", ".5")
  kTooManyDecimals,  // a non-zero digit beyond what `scale` can represent: would need rounding
  kOutOfRange,       // the scaled value does not fit in int64_t
  kBadScale,         // `scale` is not a power of ten in [1, 10^18]
};

// Parses a non-negative plain decimal and multiplies it by `scale` exactly.
// Accepted text: one or more ASCII digits, optionally followed by '.' and one or more digits
// ("3", "0.15", "007.50"). Rejected: empty text, signs, exponents ("1e-3"), whitespace, "3.",
// ".5", and thousands separators. `scale` must be 10^k with 0 <= k <= 18; fractional digits past
// the k-th must all be zero (so "0.1500000000000" is fine at scale 10^9 but "0.0000000001" is
// rejected instead of rounded). On success *out holds text * scale; otherwise *out is untouched.
DecimalStatus ParseScaledDecimal(std::string_view text, int64_t scale, int64_t* out);

// ParseScaledDecimal without the reason: nullopt for every failure.
// ParseUsdDecimal("0.15", kNanoUsdPerUsd) == 150'000'000.
std::optional<int64_t> ParseUsdDecimal(std::string_view text, int64_t scale);

// Prints value / 10^decimals exactly, with trailing fractional zeros and a bare trailing point
// removed: (150'000'000, 15) -> "0.00000015", (0, 15) -> "0", (35, 1) -> "3.5",
// (-5, 2) -> "-0.05". A negative `decimals` is treated as 0.
std::string FormatScaledDecimal(int64_t value, int decimals);

}  // namespace gw::config

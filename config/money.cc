#include "config/money.h"

#include <algorithm>

namespace gw::config {
namespace {

constexpr int kMaxScaleExponent = 18;

// The k with scale == 10^k, or -1 when scale is not such a power.
int ScaleExponent(int64_t scale) {
  int64_t power = 1;
  for (int k = 0; k <= kMaxScaleExponent; ++k) {
    if (power == scale) return k;
    if (k < kMaxScaleExponent) power *= 10;
  }
  return -1;
}

bool AllDigits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Appends the decimal digits of `digits` to *value (value = value * 10 + digit), failing on
// int64_t overflow.
bool AccumulateDigits(std::string_view digits, int64_t* value) {
  for (char c : digits) {
    if (__builtin_mul_overflow(*value, int64_t{10}, value) ||
        __builtin_add_overflow(*value, int64_t{c - '0'}, value)) {
      return false;
    }
  }
  return true;
}

}  // namespace

DecimalStatus ParseScaledDecimal(std::string_view text, int64_t scale, int64_t* out) {
  const int exponent = ScaleExponent(scale);
  if (exponent < 0) return DecimalStatus::kBadScale;

  const size_t point = text.find('.');
  const std::string_view whole = text.substr(0, point);
  const std::string_view fraction =
      point == std::string_view::npos ? std::string_view() : text.substr(point + 1);
  if (!AllDigits(whole)) return DecimalStatus::kMalformed;
  if (point != std::string_view::npos && !AllDigits(fraction)) return DecimalStatus::kMalformed;

  // Digits past the scale's precision are allowed only as trailing zeros.
  const size_t kept = std::min(fraction.size(), static_cast<size_t>(exponent));
  const std::string_view dropped = fraction.substr(kept);
  if (dropped.find_first_not_of('0') != std::string_view::npos) {
    return DecimalStatus::kTooManyDecimals;
  }

  // whole, then the kept fraction digits, then zero padding up to the scale: one digit string.
  int64_t value = 0;
  if (!AccumulateDigits(whole, &value) || !AccumulateDigits(fraction.substr(0, kept), &value)) {
    return DecimalStatus::kOutOfRange;
  }
  for (size_t i = kept; i < static_cast<size_t>(exponent); ++i) {
    if (__builtin_mul_overflow(value, int64_t{10}, &value)) return DecimalStatus::kOutOfRange;
  }
  *out = value;
  return DecimalStatus::kOk;
}

std::optional<int64_t> ParseUsdDecimal(std::string_view text, int64_t scale) {
  int64_t value = 0;
  if (ParseScaledDecimal(text, scale, &value) != DecimalStatus::kOk) return std::nullopt;
  return value;
}

std::string FormatScaledDecimal(int64_t value, int decimals) {
  const size_t places = static_cast<size_t>(std::max(decimals, 0));
  // The magnitude as unsigned, so INT64_MIN has one too.
  const uint64_t magnitude =
      value < 0 ? uint64_t{0} - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
  std::string digits = std::to_string(magnitude);
  if (digits.size() <= places) digits.insert(0, places + 1 - digits.size(), '0');

  std::string whole = digits.substr(0, digits.size() - places);
  std::string fraction = digits.substr(digits.size() - places);
  fraction.erase(fraction.find_last_not_of('0') + 1);  // npos + 1 == 0 clears all-zero text

  std::string result = value < 0 ? "-" + whole : whole;
  if (!fraction.empty()) result += "." + fraction;
  return result;
}

}  // namespace gw::config

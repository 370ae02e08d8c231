#include "config/money.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

namespace gw::config {
namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

DecimalStatus Status(std::string_view text, int64_t scale = kNanoUsdPerUsd) {
  int64_t ignored = -1;
  return ParseScaledDecimal(text, scale, &ignored);
}

TEST(ParseUsdDecimalTest, ParsesWholeNumbers) {
  EXPECT_EQ(ParseUsdDecimal("0", kNanoUsdPerUsd), 0);
  EXPECT_EQ(ParseUsdDecimal("3", kNanoUsdPerUsd), 3'000'000'000);
  EXPECT_EQ(ParseUsdDecimal("15", 1), 15);
  EXPECT_EQ(ParseUsdDecimal("007", 1), 7);
}

TEST(ParseUsdDecimalTest, ParsesFractionsExactly) {
  EXPECT_EQ(ParseUsdDecimal("0.15", kNanoUsdPerUsd), 150'000'000);
  EXPECT_EQ(ParseUsdDecimal("0.60", kNanoUsdPerUsd), 600'000'000);
  EXPECT_EQ(ParseUsdDecimal("0.075", kNanoUsdPerUsd), 75'000'000);
  EXPECT_EQ(ParseUsdDecimal("0.0375", kNanoUsdPerUsd), 37'500'000);
  EXPECT_EQ(ParseUsdDecimal("0.000000001", kNanoUsdPerUsd), 1);
  EXPECT_EQ(ParseUsdDecimal("007.50", kNanoUsdPerUsd), 7'500'000'000);
  EXPECT_EQ(ParseUsdDecimal("1.5", 10), 15);
  EXPECT_EQ(ParseUsdDecimal("0.1", 1'000'000'000'000'000'000), 100'000'000'000'000'000);
}

// 0.1 has no exact binary representation; going through double would give 100000000.000000001
// or 99999999.99999999 depending on the operation order. The parser must not care.
TEST(ParseUsdDecimalTest, ValuesThatDoublesGetWrongAreExact) {
  EXPECT_EQ(ParseUsdDecimal("0.1", kNanoUsdPerUsd), 100'000'000);
  EXPECT_EQ(ParseUsdDecimal("0.3", kNanoUsdPerUsd), 300'000'000);
  EXPECT_EQ(ParseUsdDecimal("1.1", kNanoUsdPerUsd), 1'100'000'000);
  EXPECT_EQ(ParseUsdDecimal("9007199254.740993", kNanoUsdPerUsd), 9'007'199'254'740'993'000);
}

TEST(ParseUsdDecimalTest, TrailingZerosBeyondTheScaleAreAccepted) {
  EXPECT_EQ(ParseUsdDecimal("0.1500000000000", kNanoUsdPerUsd), 150'000'000);
  EXPECT_EQ(ParseUsdDecimal("2.000", 1), 2);
}

TEST(ParseUsdDecimalTest, RejectsValuesThatWouldNeedRounding) {
  EXPECT_EQ(Status("0.0000000001"), DecimalStatus::kTooManyDecimals);
  EXPECT_EQ(Status("0.0000000015"), DecimalStatus::kTooManyDecimals);
  EXPECT_EQ(Status("0.1234567891"), DecimalStatus::kTooManyDecimals);
  EXPECT_EQ(Status("1.5", 1), DecimalStatus::kTooManyDecimals);
  EXPECT_EQ(Status("0.001", 100), DecimalStatus::kTooManyDecimals);
  EXPECT_EQ(ParseUsdDecimal("0.0000000001", kNanoUsdPerUsd), std::nullopt);
}

TEST(ParseUsdDecimalTest, RejectsGarbage) {
  for (const char* text :
       {"",    " 1",  "1 ",      "-1",    "+1",           "-0.15", "1e-3", "1E3", "1e3",
        ".5",  "3.",  ".",       "1.2.3", "1,000",        "1_000", "0x10", "inf", ".inf",
        "nan", "abc", "0.15usd", "$1",    "\xef\xbc\x91", "1\n",   "0. 5"}) {
    EXPECT_EQ(Status(text), DecimalStatus::kMalformed) << "text: \"" << text << "\"";
    EXPECT_EQ(ParseUsdDecimal(text, kNanoUsdPerUsd), std::nullopt) << "text: \"" << text << "\"";
  }
}

TEST(ParseUsdDecimalTest, AcceptsTheLargestValueAndRejectsOverflow) {
  EXPECT_EQ(ParseUsdDecimal("9223372036.854775807", kNanoUsdPerUsd), kMax);
  EXPECT_EQ(Status("9223372036.854775808"), DecimalStatus::kOutOfRange);
  EXPECT_EQ(Status("9223372037"), DecimalStatus::kOutOfRange);
  EXPECT_EQ(Status("99999999999999999999999999"), DecimalStatus::kOutOfRange);
  EXPECT_EQ(ParseUsdDecimal("9223372036854775807", 1), kMax);
  EXPECT_EQ(Status("9223372036854775808", 1), DecimalStatus::kOutOfRange);
  EXPECT_EQ(ParseUsdDecimal("9.223372036854775807", 1'000'000'000'000'000'000), kMax);
  EXPECT_EQ(Status("10", 1'000'000'000'000'000'000), DecimalStatus::kOutOfRange);
}

TEST(ParseUsdDecimalTest, LeadingZerosDoNotOverflow) {
  const std::string text = std::string(100, '0') + "1.5";
  EXPECT_EQ(ParseUsdDecimal(text, kNanoUsdPerUsd), 1'500'000'000);
}

TEST(ParseUsdDecimalTest, RejectsScalesThatAreNotPowersOfTen) {
  for (int64_t scale : {int64_t{0}, int64_t{-10}, int64_t{7}, int64_t{20}, int64_t{999}, kMax}) {
    EXPECT_EQ(Status("1", scale), DecimalStatus::kBadScale) << scale;
  }
  EXPECT_EQ(ParseUsdDecimal("1", 100), 100);
}

TEST(ParseScaledDecimalTest, LeavesOutputUntouchedOnFailure) {
  int64_t out = 42;
  EXPECT_EQ(ParseScaledDecimal("0.0000000001", kNanoUsdPerUsd, &out),
            DecimalStatus::kTooManyDecimals);
  EXPECT_EQ(ParseScaledDecimal("9223372037", kNanoUsdPerUsd, &out), DecimalStatus::kOutOfRange);
  EXPECT_EQ(ParseScaledDecimal("x", kNanoUsdPerUsd, &out), DecimalStatus::kMalformed);
  EXPECT_EQ(out, 42);
  EXPECT_EQ(ParseScaledDecimal("0.25", kNanoUsdPerUsd, &out), DecimalStatus::kOk);
  EXPECT_EQ(out, 250'000'000);
}

TEST(FormatScaledDecimalTest, TrimsTrailingZeros) {
  EXPECT_EQ(FormatScaledDecimal(150'000'000, 15), "0.00000015");
  EXPECT_EQ(FormatScaledDecimal(0, 15), "0");
  EXPECT_EQ(FormatScaledDecimal(35, 1), "3.5");
  EXPECT_EQ(FormatScaledDecimal(3500, 3), "3.5");
  EXPECT_EQ(FormatScaledDecimal(100, 2), "1");
  EXPECT_EQ(FormatScaledDecimal(123, 0), "123");
  EXPECT_EQ(FormatScaledDecimal(1, 9), "0.000000001");
  EXPECT_EQ(FormatScaledDecimal(600'000'000, 15), "0.0000006");
  EXPECT_EQ(FormatScaledDecimal(4'000'000'000, 15), "0.000004");
}

TEST(FormatScaledDecimalTest, HandlesNegativesAndExtremes) {
  EXPECT_EQ(FormatScaledDecimal(-5, 2), "-0.05");
  EXPECT_EQ(FormatScaledDecimal(-1, 0), "-1");
  EXPECT_EQ(FormatScaledDecimal(-1500, 3), "-1.5");
  EXPECT_EQ(FormatScaledDecimal(kMax, 9), "9223372036.854775807");
  EXPECT_EQ(FormatScaledDecimal(kMin, 0), "-9223372036854775808");
  EXPECT_EQ(FormatScaledDecimal(kMin, 18), "-9.223372036854775808");
  EXPECT_EQ(FormatScaledDecimal(1, 20), "0.00000000000000000001");
}

TEST(FormatScaledDecimalTest, NegativeDecimalsCountAsZero) {
  EXPECT_EQ(FormatScaledDecimal(42, -3), "42");
}

TEST(MoneyRoundTripTest, FormatThenParseIsIdentity) {
  for (int64_t value :
       {int64_t{0}, int64_t{1}, int64_t{10}, int64_t{150'000'000}, int64_t{37'500'000},
        int64_t{1'000'000'000}, int64_t{123'456'789'012}, kMax}) {
    EXPECT_EQ(ParseUsdDecimal(FormatScaledDecimal(value, 9), kNanoUsdPerUsd), value) << value;
  }
}

}  // namespace
}  // namespace gw::config

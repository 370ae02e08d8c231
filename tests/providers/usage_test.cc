#include "providers/usage.h"

#include <gtest/gtest.h>

namespace gw::providers {
namespace {

TEST(ParseUsageTest, ReadsOpenAiUsageWithDetails) {
  const std::optional<TokenUsage> usage = ParseUsage(R"({
    "prompt_tokens": 1200, "completion_tokens": 300, "total_tokens": 1500,
    "prompt_tokens_details": {"cached_tokens": 1024, "cache_write_tokens": 100, "audio_tokens": 0},
    "completion_tokens_details": {"reasoning_tokens": 128, "audio_tokens": 0},
    "cost": 0.0012
  })");
  ASSERT_TRUE(usage.has_value());
  EXPECT_EQ(*usage, (TokenUsage{1200, 300, 1500, 1024, 100, 128}));
}

TEST(ParseUsageTest, MissingAndNullFieldsAreZero) {
  std::optional<TokenUsage> usage =
      ParseUsage(R"({"prompt_tokens":5,"completion_tokens":7,"total_tokens":12})");
  ASSERT_TRUE(usage.has_value());
  EXPECT_EQ(*usage, (TokenUsage{5, 7, 12, 0, 0, 0}));
  usage = ParseUsage(
      R"({"prompt_tokens":5,"completion_tokens":null,"total_tokens":5,)"
      R"("prompt_tokens_details":null,"completion_tokens_details":{"reasoning_tokens":null}})");
  ASSERT_TRUE(usage.has_value());
  EXPECT_EQ(*usage, (TokenUsage{5, 0, 5, 0, 0, 0}));
  usage = ParseUsage("{}");
  ASSERT_TRUE(usage.has_value());
  EXPECT_EQ(*usage, TokenUsage{});
}

TEST(ParseUsageTest, DerivesAMissingTotal) {
  const std::optional<TokenUsage> usage =
      ParseUsage(R"({"prompt_tokens":5,"completion_tokens":7})");
  ASSERT_TRUE(usage.has_value());
  EXPECT_EQ(usage->total_tokens, 12);
}

TEST(ParseUsageTest, AcceptsDeepSeekCacheHits) {
  const std::optional<TokenUsage> usage =
      ParseUsage(R"({"prompt_tokens":100,"completion_tokens":1,"total_tokens":101,)"
                 R"("prompt_cache_hit_tokens":64,"prompt_cache_miss_tokens":36})");
  ASSERT_TRUE(usage.has_value());
  EXPECT_EQ(usage->cached_tokens, 64);
}

TEST(ParseUsageTest, AcceptsIntegralNumbersWrittenAsReals) {
  const std::optional<TokenUsage> usage =
      ParseUsage(R"({"prompt_tokens":12.0,"completion_tokens":1e1,"total_tokens":22})");
  ASSERT_TRUE(usage.has_value());
  EXPECT_EQ(usage->prompt_tokens, 12);
  EXPECT_EQ(usage->completion_tokens, 10);
}

TEST(ParseUsageTest, RejectsWrongTypesAndNonObjects) {
  for (const char* text :
       {"null", "[]", "12", "\"x\"", "{", "", R"({"prompt_tokens":"12"})",
        R"({"prompt_tokens":-1})", R"({"prompt_tokens":1.5})", R"({"prompt_tokens":true})",
        R"({"total_tokens":1e30})", R"({"prompt_tokens_details":[]})",
        R"({"prompt_tokens_details":{"cached_tokens":"3"}})",
        R"({"completion_tokens_details":{"reasoning_tokens":{}}})",
        R"({"prompt_tokens":1,"prompt_tokens":2})"}) {
    EXPECT_FALSE(ParseUsage(text).has_value()) << text;
  }
}

// Two counts near INT64_MAX overflowed total = prompt + completion (signed overflow, a negative
// total; seen reviewing the Anthropic count bug fuzz/anthropic_response_fuzzer.cc found).
// Counts above 2^53 are not counts.
TEST(ParseUsageTest, RejectsCountsAbove2To53) {
  EXPECT_FALSE(ParseUsage(
      R"({"prompt_tokens":9000000000000000000,"completion_tokens":9000000000000000000})"));
  EXPECT_FALSE(ParseUsage(R"({"prompt_tokens":9007199254740993})"));
  EXPECT_FALSE(ParseUsage(R"({"completion_tokens":1e16})"));
  const std::optional<TokenUsage> largest =
      ParseUsage(R"({"prompt_tokens":9007199254740992,"completion_tokens":9.007199254740992e15})");
  ASSERT_TRUE(largest.has_value());
  EXPECT_EQ(largest->total_tokens, int64_t{1} << 54);
}

}  // namespace
}  // namespace gw::providers

#include "gateway/simulator/sim_options.h"

#include <gtest/gtest.h>

namespace gw::simulator {
namespace {

TEST(SimOptionsTest, DefaultsMatchTheDocs) {
  SimOptions options;
  EXPECT_EQ(options.ttft_ms, 0u);
  EXPECT_EQ(options.tokens, 16u);
  EXPECT_EQ(options.status, 500u);
  EXPECT_EQ(options.disconnect_after, -1);
  EXPECT_TRUE(options.usage);
  EXPECT_EQ(options.TokenIntervalUs(), 0);
}

TEST(SimOptionsTest, AppliesEveryOverride) {
  SimOptions options;
  const std::string error = ApplyOverrides(
      "ttft_ms=20&tokens=64&tokens_per_second=50&error_rate=0.25&status=429&malformed=1&"
      "disconnect_after=3&usage=false&cached_tokens=7&reasoning_tokens=5&seed=42",
      "x-sim-options", &options);
  ASSERT_EQ(error, "");
  EXPECT_EQ(options.ttft_ms, 20u);
  EXPECT_EQ(options.tokens, 64u);
  EXPECT_DOUBLE_EQ(options.tokens_per_second, 50);
  EXPECT_DOUBLE_EQ(options.error_rate, 0.25);
  EXPECT_EQ(options.status, 429u);
  EXPECT_DOUBLE_EQ(options.malformed, 1);
  EXPECT_EQ(options.disconnect_after, 3);
  EXPECT_FALSE(options.usage);
  EXPECT_EQ(options.cached_tokens, 7u);
  EXPECT_EQ(options.reasoning_tokens, 5u);
  EXPECT_EQ(options.seed, 42u);
  EXPECT_EQ(options.TokenIntervalUs(), 20000);
}

TEST(SimOptionsTest, ChunkIntervalWinsOverTokensPerSecond) {
  SimOptions options;
  ASSERT_EQ(ApplyOverrides("tokens_per_second=1000&chunk_interval_ms=7", "h", &options), "");
  EXPECT_EQ(options.TokenIntervalUs(), 7000);
}

TEST(SimOptionsTest, EmptySegmentsAreIgnoredAndLaterValuesWin) {
  SimOptions options;
  ASSERT_EQ(ApplyOverrides("&tokens=3&&tokens=4&", "h", &options), "");
  EXPECT_EQ(options.tokens, 4u);
  ASSERT_EQ(ApplyOverrides("disconnect_after=never", "h", &options), "");
  EXPECT_EQ(options.disconnect_after, -1);
}

struct BadOverride {
  const char* text;
  const char* message;
};

class SimOptionsErrorTest : public testing::TestWithParam<BadOverride> {};

TEST_P(SimOptionsErrorTest, NamesTheSourceAndTheOption) {
  SimOptions options;
  EXPECT_EQ(ApplyOverrides(GetParam().text, "model suffix", &options), GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Errors, SimOptionsErrorTest,
    testing::Values(
        BadOverride{"tokens=abc",
                    "model suffix: option tokens: expected an integer from 0 to 1000000, got "
                    "\"abc\""},
        BadOverride{"tokens=-1",
                    "model suffix: option tokens: expected an integer from 0 to 1000000, got "
                    "\"-1\""},
        BadOverride{"error_rate=1.5",
                    "model suffix: option error_rate: expected a probability from 0 to 1, got "
                    "\"1.5\""},
        BadOverride{"status=200",
                    "model suffix: option status: expected an HTTP status from 400 to 599, got "
                    "\"200\""},
        BadOverride{"usage=yes", "model suffix: option usage: expected true or false, got \"yes\""},
        BadOverride{"ttft_ms", "model suffix: \"ttft_ms\" is not name=value"},
        BadOverride{"tokens=",
                    "model suffix: option tokens: expected an integer from 0 to "
                    "1000000, got \"\""},
        BadOverride{"speed=1",
                    "model suffix: unknown option \"speed\" (known: ttft_ms, tokens_per_second, "
                    "chunk_interval_ms, tokens, error_rate, status, malformed, disconnect_after, "
                    "usage, bad_usage, cached_tokens, reasoning_tokens, seed, early_head, "
                    "tool_call, thinking_tokens, cache_write_tokens, stream_error_after, "
                    "close_after_response)"},
        BadOverride{"close_after_response=later",
                    "model suffix: option close_after_response: expected true or false, got "
                    "\"later\""},
        BadOverride{"tool_call=yes",
                    "model suffix: option tool_call: expected true or false, got \"yes\""},
        BadOverride{"thinking_tokens=-2",
                    "model suffix: option thinking_tokens: expected an integer from 0 to "
                    "1000000, got \"-2\""},
        BadOverride{"cache_write_tokens=x",
                    "model suffix: option cache_write_tokens: expected an integer from 0 to "
                    "1000000000, got \"x\""},
        BadOverride{"stream_error_after=-3",
                    "model suffix: option stream_error_after: expected a chunk count >= 0, or "
                    "-1 / never, got \"-3\""}),
    // Name the cases by index: the default name prints the parameter's bytes, which change
    // from build to build.
    [](const testing::TestParamInfo<BadOverride>& info) {
      return "case" + std::to_string(info.index);
    });

TEST(SimOptionsTest, EarlyHeadIsABooleanOption) {
  SimOptions options;
  EXPECT_EQ(ApplyOverrides("early_head=1", "x-sim-options", &options), "");
  EXPECT_TRUE(options.early_head);
  EXPECT_EQ(ApplyOverrides("early_head=false", "x-sim-options", &options), "");
  EXPECT_FALSE(options.early_head);
  EXPECT_NE(ApplyOverrides("early_head=maybe", "x-sim-options", &options), "");
}

TEST(SimOptionsTest, ParsesTheToolThinkingCacheAndStreamErrorOptions) {
  SimOptions options;
  EXPECT_FALSE(options.tool_call);
  EXPECT_EQ(options.thinking_tokens, 0u);
  EXPECT_EQ(options.cache_write_tokens, 0u);
  EXPECT_EQ(options.stream_error_after, -1);
  ASSERT_EQ(ApplyOverrides("tool_call=true&thinking_tokens=12&cache_write_tokens=300&"
                           "stream_error_after=4",
                           "x-sim-options", &options),
            "");
  EXPECT_TRUE(options.tool_call);
  EXPECT_EQ(options.thinking_tokens, 12u);
  EXPECT_EQ(options.cache_write_tokens, 300u);
  EXPECT_EQ(options.stream_error_after, 4);
  ASSERT_EQ(ApplyOverrides("stream_error_after=never&tool_call=0", "h", &options), "");
  EXPECT_EQ(options.stream_error_after, -1);
  EXPECT_FALSE(options.tool_call);
  EXPECT_EQ(ApplyOverrides("status=529", "h", &options), "");
  EXPECT_EQ(options.status, 529u);
  EXPECT_TRUE(IsBoolOption("tool_call"));
  EXPECT_FALSE(IsBoolOption("thinking_tokens"));
}

TEST(SimOptionsTest, CloseAfterResponseIsABooleanOptionOffByDefault) {
  SimOptions options;
  EXPECT_FALSE(options.close_after_response);
  ASSERT_EQ(ApplyOverrides("close_after_response=true", "x-sim-options", &options), "");
  EXPECT_TRUE(options.close_after_response);
  ASSERT_EQ(ApplyOverrides("close_after_response=0", "x-sim-options", &options), "");
  EXPECT_FALSE(options.close_after_response);
  EXPECT_TRUE(IsBoolOption("close_after_response"));  // --close-after-response takes no value
}

TEST(SimOptionsTest, SplitsTheModelSuffix) {
  ModelSpec plain = SplitModel("sim-model");
  EXPECT_EQ(plain.name, "sim-model");
  EXPECT_EQ(plain.overrides, "");
  ModelSpec with = SplitModel("org/sim-model?status=503&error_rate=1");
  EXPECT_EQ(with.name, "org/sim-model");
  EXPECT_EQ(with.overrides, "status=503&error_rate=1");
}

}  // namespace
}  // namespace gw::simulator

// ObserveAttempt: what an upstream attempt says about its endpoint's health.
#include "gateway/health/attempt_observation.h"

#include <gtest/gtest.h>

#include "providers/errors.h"

namespace gw::health {
namespace {

using Result = routing::HealthObservation::Result;
using std::chrono::milliseconds;

class ObserveAttemptTest : public ::testing::Test {
 protected:
  ObserveAttemptTest() {
    facts_.endpoint_id = 4;
    facts_.start = std::chrono::steady_clock::time_point(std::chrono::hours(10));
    facts_.end = facts_.start + milliseconds(1100);
    facts_.retry_statuses = &retry_statuses_;
  }
  std::optional<routing::HealthObservation> Failed(providers::Errc error, int status = 0) {
    providers::ProviderOutcome outcome;
    outcome.error = error;
    outcome.upstream_status = status;
    return ObserveAttempt(outcome, facts_);
  }

  std::vector<uint16_t> retry_statuses_{401, 404};
  AttemptFacts facts_;
};

TEST_F(ObserveAttemptTest, AStreamGivesLatencyAndThroughputOverTheGenerationTime) {
  providers::ProviderOutcome outcome;
  outcome.time_to_first_byte = milliseconds(100);
  outcome.facts.usage = providers::TokenUsage{};
  outcome.facts.usage->completion_tokens = 50;
  facts_.stream = true;
  const auto observation = ObserveAttempt(outcome, facts_);
  ASSERT_TRUE(observation);
  EXPECT_EQ(observation->endpoint_id, 4u);
  EXPECT_EQ(observation->result, Result::kSuccess);
  EXPECT_EQ(observation->at, facts_.end);
  EXPECT_FLOAT_EQ(observation->latency_ms, 100);
  EXPECT_FLOAT_EQ(observation->tokens_per_second, 50);  // 50 tokens in 1 s after the first
}

TEST_F(ObserveAttemptTest, AWholeAnswerHasNoLatencyAndItsThroughputSpansTheAttempt) {
  providers::ProviderOutcome outcome;
  outcome.time_to_first_byte = milliseconds(1000);
  outcome.facts.completion_chars = 440;  // no usage: ~110 tokens
  const auto observation = ObserveAttempt(outcome, facts_);
  ASSERT_TRUE(observation);
  EXPECT_LT(observation->latency_ms, 0);
  EXPECT_FLOAT_EQ(observation->tokens_per_second, 100);  // 110 tokens in 1.1 s
}

TEST_F(ObserveAttemptTest, NoTokensNoThroughput) {
  const auto observation = ObserveAttempt(providers::ProviderOutcome{}, facts_);
  ASSERT_TRUE(observation);
  EXPECT_LT(observation->tokens_per_second, 0);
}

TEST_F(ObserveAttemptTest, FailuresOfTheEndpoint) {
  EXPECT_EQ(Failed(providers::Errc::kConnectFailed)->result, Result::kError);
  EXPECT_EQ(Failed(providers::Errc::kFirstByteTimeout)->result, Result::kError);
  EXPECT_EQ(Failed(providers::Errc::kMalformedResponse)->result, Result::kError);
  EXPECT_EQ(Failed(providers::Errc::kUpstreamStatus, 503)->result, Result::kError);
  EXPECT_EQ(Failed(providers::Errc::kUpstreamStatus, 401)->result, Result::kError);  // listed
  EXPECT_EQ(Failed(providers::Errc::kUpstreamStatus, 429)->result, Result::kRateLimited);
}

TEST_F(ObserveAttemptTest, TheRequestsOwnFaultsSayNothingAboutTheEndpoint) {
  EXPECT_FALSE(Failed(providers::Errc::kUpstreamStatus, 400));
  EXPECT_FALSE(Failed(providers::Errc::kUpstreamStatus, 422));
  EXPECT_FALSE(Failed(providers::Errc::kUpstreamStatus, 403));  // not listed here
  EXPECT_FALSE(Failed(providers::Errc::kClientGone));
  EXPECT_FALSE(Failed(providers::Errc::kCancelled));
  EXPECT_FALSE(Failed(providers::Errc::kUnsupported));  // legacy completions to Anthropic
}

}  // namespace
}  // namespace gw::health

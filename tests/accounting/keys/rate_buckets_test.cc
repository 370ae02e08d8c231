#include "accounting/keys/rate_buckets.h"

#include <gtest/gtest.h>

#include <vector>

namespace gw::accounting::keys {
namespace {

constexpr int64_t kT0 = 1'700'000'000'000;

TEST(RateBucketsTest, ARequestLimitBurstsToItsSizeThenRefillsOneEverySixtiethOfAMinute) {
  RateBuckets buckets;
  const std::vector<RateScope> scopes = {{"k\nrpm", 3, false, RateScope::Holder::kKey}};
  for (uint64_t left = 2;; --left) {
    const RateDecision decision = buckets.Admit(scopes, kT0);
    ASSERT_TRUE(decision.ok);
    EXPECT_EQ(decision.limit, 3u);
    EXPECT_EQ(decision.remaining, left);
    if (left == 0) break;
  }
  const RateDecision refused = buckets.Admit(scopes, kT0);
  EXPECT_FALSE(refused.ok);
  EXPECT_EQ(refused.refused_scope, 0u);
  EXPECT_EQ(refused.limit, 3u);
  EXPECT_EQ(refused.remaining, 0u);
  EXPECT_EQ(refused.retry_after_ms, 20'000);  // one request refills in 60 s / 3
  EXPECT_EQ(refused.reset_ms, kT0 + 60'000);  // all three in a minute
  EXPECT_FALSE(buckets.Admit(scopes, kT0 + 19'999).ok);
  EXPECT_TRUE(buckets.Admit(scopes, kT0 + 20'000).ok);
  EXPECT_FALSE(buckets.Admit(scopes, kT0 + 20'000).ok);
  // After a long pause the bucket is full again, not fuller.
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(buckets.Admit(scopes, kT0 + 3'600'000).ok);
  EXPECT_FALSE(buckets.Admit(scopes, kT0 + 3'600'000).ok);
}

TEST(RateBucketsTest, AdmissionIsAllOrNothingAcrossScopes) {
  RateBuckets buckets;
  const std::vector<RateScope> key = {{"k\nrpm", 10, false, RateScope::Holder::kKey}};
  const std::vector<RateScope> key_and_model = {{"k\nrpm", 10, false, RateScope::Holder::kKey},
                                                {"k\nm\nrpm", 1, false, RateScope::Holder::kKey}};
  ASSERT_TRUE(buckets.Admit(key_and_model, kT0).ok);
  const RateDecision refused = buckets.Admit(key_and_model, kT0);
  EXPECT_FALSE(refused.ok);
  EXPECT_EQ(refused.refused_scope, 1u);
  EXPECT_EQ(refused.limit, 1u);
  // The refused request took nothing from the key's bucket: 9 - 1 = 8 after this one.
  const RateDecision admitted = buckets.Admit(key, kT0);
  ASSERT_TRUE(admitted.ok);
  EXPECT_EQ(admitted.remaining, 8u);
}

TEST(RateBucketsTest, TokensAreChargedAfterTheRequestAndBlockUntilRefilledPastZero) {
  RateBuckets buckets;
  const std::vector<RateScope> scopes = {{"k\ntpm", 600, true, RateScope::Holder::kKey}};
  ASSERT_TRUE(buckets.Admit(scopes, kT0).ok);
  buckets.Charge(scopes, 1200, kT0);  // twice the limit: the level goes to -600
  const RateDecision refused = buckets.Admit(scopes, kT0);
  EXPECT_FALSE(refused.ok);
  EXPECT_EQ(refused.limit, 600u);
  EXPECT_EQ(refused.remaining, 0u);
  // 600 tokens refill in a minute; above zero just after that.
  EXPECT_EQ(refused.retry_after_ms, 60'001);
  EXPECT_FALSE(buckets.Admit(scopes, kT0 + 60'000).ok);
  EXPECT_TRUE(buckets.Admit(scopes, kT0 + 60'001).ok);
  // A zero limit is no limit.
  const std::vector<RateScope> unlimited = {{"u\nrpm", 0, false, RateScope::Holder::kKey}};
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(buckets.Admit(unlimited, kT0).ok);
}

TEST(RateBucketsTest, RemainingReadsTheLevelWithoutTakingFromIt) {
  RateBuckets buckets;
  const RateScope scope{"k\nrpm", 3, false, RateScope::Holder::kKey};
  EXPECT_EQ(buckets.Remaining(scope, kT0), 3u);  // never used: full
  ASSERT_TRUE(buckets.Admit(std::vector<RateScope>{scope}, kT0).ok);
  EXPECT_EQ(buckets.Remaining(scope, kT0), 2u);
  EXPECT_EQ(buckets.Remaining(scope, kT0), 2u);
  EXPECT_EQ(buckets.Remaining(scope, kT0 + 20'000), 3u);  // refilled
  const RateScope tokens{"k\ntpm", 100, true, RateScope::Holder::kKey};
  buckets.Charge(std::vector<RateScope>{tokens}, 250, kT0);
  EXPECT_EQ(buckets.Remaining(tokens, kT0), 0u);  // below zero reads as none
}

TEST(RateBucketsTest, SweepForgetsFullBucketsOnly) {
  RateBuckets buckets;
  ASSERT_TRUE(
      buckets.Admit(std::vector<RateScope>{{"a\nrpm", 60, false, RateScope::Holder::kKey}}, kT0)
          .ok);
  ASSERT_TRUE(
      buckets
          .Admit(std::vector<RateScope>{{"b\nrpm", 60, false, RateScope::Holder::kKey}}, kT0 + 500)
          .ok);
  EXPECT_EQ(buckets.size(), 2u);
  buckets.Sweep(kT0 + 1'000);  // a has refilled its one request (1 s), b has not
  EXPECT_EQ(buckets.size(), 1u);
  buckets.Sweep(kT0 + 1'500);
  EXPECT_EQ(buckets.size(), 0u);
}

TEST(RateBucketsTest, AChangedLimitStartsAFullBucketOfTheNewSize) {
  RateBuckets buckets;
  ASSERT_TRUE(
      buckets.Admit(std::vector<RateScope>{{"k\nrpm", 1, false, RateScope::Holder::kKey}}, kT0).ok);
  ASSERT_FALSE(
      buckets.Admit(std::vector<RateScope>{{"k\nrpm", 1, false, RateScope::Holder::kKey}}, kT0).ok);
  const std::vector<RateScope> raised = {{"k\nrpm", 5, false, RateScope::Holder::kKey}};
  const RateDecision decision = buckets.Admit(raised, kT0);
  ASSERT_TRUE(decision.ok);
  EXPECT_EQ(decision.remaining, 4u);
}

}  // namespace
}  // namespace gw::accounting::keys

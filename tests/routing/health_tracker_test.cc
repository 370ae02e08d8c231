// HealthTracker: rolling windows (5 and 30 minutes), percentiles, and the outage state machine
// ok -> outage -> half-open -> ok / outage with a doubled cooldown. Time is injected.
#include "routing/health_tracker.h"

#include <gtest/gtest.h>

namespace gw::routing {
namespace {

using Clock = HealthTracker::Clock;
using Result = HealthObservation::Result;
using std::chrono::minutes;
using std::chrono::seconds;

class HealthTrackerTest : public ::testing::Test {
 protected:
  HealthTrackerTest() {
    settings_.cooldown_s = 10;
    tracker_ = std::make_unique<HealthTracker>(2, settings_);
  }

  void Observe(uint32_t endpoint, Result result, Clock::time_point at, float latency_ms = -1,
               float tokens_per_second = -1) {
    HealthObservation observation;
    observation.endpoint_id = endpoint;
    observation.result = result;
    observation.at = at;
    observation.latency_ms = latency_ms;
    observation.tokens_per_second = tokens_per_second;
    tracker_->Add(observation);
  }
  // Publishes and returns endpoint `id`'s health (the previous table if nothing changed).
  EndpointHealth At(Clock::time_point now, uint32_t id = 0) {
    if (auto table = tracker_->Publish(now)) last_ = table;
    return (*last_)[id];
  }

  config::HealthConfig settings_;
  std::unique_ptr<HealthTracker> tracker_;
  std::shared_ptr<const HealthTable> last_ = std::make_shared<const HealthTable>(2);
  Clock::time_point t0_ = Clock::time_point(std::chrono::hours(1000));
};

TEST_F(HealthTrackerTest, NothingObservedPublishesNothing) {
  EXPECT_EQ(tracker_->Publish(t0_), nullptr);
  EXPECT_EQ(At(t0_).status, EndpointStatus::kOk);
  EXPECT_FALSE(At(t0_).last_30m.UptimePercent().has_value());
}

TEST_F(HealthTrackerTest, CountsAndUptimeExcludeRateLimits) {
  for (int i = 0; i < 9; ++i) Observe(0, Result::kSuccess, t0_);
  Observe(0, Result::kError, t0_);
  for (int i = 0; i < 5; ++i) Observe(0, Result::kRateLimited, t0_);
  const EndpointHealth health = At(t0_ + seconds(1));
  EXPECT_EQ(health.last_30m.successes, 9u);
  EXPECT_EQ(health.last_30m.errors, 1u);
  EXPECT_EQ(health.last_30m.rate_limited, 5u);
  EXPECT_DOUBLE_EQ(*health.last_30m.UptimePercent(), 90.0);
  EXPECT_EQ(health.status, EndpointStatus::kOk);              // 10% errors is no outage
  EXPECT_EQ(At(t0_ + seconds(1), 1).last_30m.successes, 0u);  // the other endpoint
}

TEST_F(HealthTrackerTest, PercentilesOfLatencyAndThroughput) {
  // Latency 1..100 ms; throughput 1..100 tokens/s.
  for (int i = 1; i <= 100; ++i) {
    Observe(0, Result::kSuccess, t0_, static_cast<float>(i), static_cast<float>(i));
  }
  const WindowStats stats = At(t0_).last_5m;
  EXPECT_EQ(stats.latency_samples, 100u);
  EXPECT_NEAR(stats.latency_ms.p50, 50, 50 * 0.08);
  EXPECT_NEAR(stats.latency_ms.p90, 90, 90 * 0.08);
  EXPECT_NEAR(stats.latency_ms.p99, 99, 99 * 0.08);
  // Throughput reads from the slow end: p90 is the speed 90% of the answers reached.
  EXPECT_NEAR(stats.throughput.p50, 50, 50 * 0.08);
  EXPECT_NEAR(stats.throughput.p90, 10, 10 * 0.08);
  EXPECT_NEAR(stats.throughput.p99, 1, 0.08);
}

TEST_F(HealthTrackerTest, FiveMinuteAndThirtyMinuteWindowsAge) {
  Observe(0, Result::kSuccess, t0_, 100, 50);
  Observe(0, Result::kSuccess, t0_ + minutes(10), 100, 50);
  EndpointHealth health = At(t0_ + minutes(10));
  EXPECT_EQ(health.last_5m.successes, 1u);
  EXPECT_EQ(health.last_30m.successes, 2u);
  EXPECT_EQ(health.last_5m.latency_samples, 1u);
  health = At(t0_ + minutes(16));  // the later one left the 5-minute window
  EXPECT_EQ(health.last_5m.successes, 0u);
  EXPECT_EQ(health.last_5m.latency_samples, 0u);
  EXPECT_EQ(health.last_30m.successes, 2u);
  health = At(t0_ + minutes(31));  // the first one left the 30-minute window
  EXPECT_EQ(health.last_30m.successes, 1u);
  health = At(t0_ + minutes(41));
  EXPECT_EQ(health.last_30m.successes, 0u);
}

TEST_F(HealthTrackerTest, OutageNeedsEnoughAnswersAndEnoughErrors) {
  // 4 errors: below outage_min_requests (5).
  for (int i = 0; i < 4; ++i) Observe(0, Result::kError, t0_);
  EXPECT_EQ(At(t0_).status, EndpointStatus::kOk);
  // 5 answers, 4 errors: 80% >= 50%.
  Observe(0, Result::kSuccess, t0_);
  EXPECT_EQ(At(t0_).status, EndpointStatus::kOutage);
}

TEST_F(HealthTrackerTest, ErrorsOlderThanTheWindowDoNotCount) {
  for (int i = 0; i < 3; ++i) Observe(0, Result::kError, t0_);
  EXPECT_EQ(At(t0_).status, EndpointStatus::kOk);
  // 31 s later: the first three are out of the 30 s window.
  for (int i = 0; i < 3; ++i) Observe(0, Result::kError, t0_ + seconds(31));
  EXPECT_EQ(At(t0_ + seconds(31)).status, EndpointStatus::kOk);
  for (int i = 0; i < 2; ++i) Observe(0, Result::kError, t0_ + seconds(32));
  EXPECT_EQ(At(t0_ + seconds(32)).status, EndpointStatus::kOutage);
}

TEST_F(HealthTrackerTest, RateLimitsNeverOpenAnOutage) {
  for (int i = 0; i < 50; ++i) Observe(0, Result::kRateLimited, t0_);
  EXPECT_EQ(At(t0_).status, EndpointStatus::kOk);
}

TEST_F(HealthTrackerTest, HalfOpenAfterCooldownThenASuccessCloses) {
  for (int i = 0; i < 5; ++i) Observe(0, Result::kError, t0_);
  EXPECT_EQ(At(t0_).status, EndpointStatus::kOutage);
  EXPECT_EQ(At(t0_ + seconds(9)).status, EndpointStatus::kOutage);
  EXPECT_EQ(At(t0_ + seconds(10)).status, EndpointStatus::kHalfOpen);
  EXPECT_EQ(At(t0_ + seconds(11)).status, EndpointStatus::kHalfOpen);  // no probe yet
  Observe(0, Result::kSuccess, t0_ + seconds(12));
  EXPECT_EQ(At(t0_ + seconds(12)).status, EndpointStatus::kOk);
  // The window restarted: one more error is no outage, although the old ones are < 30 s old.
  Observe(0, Result::kError, t0_ + seconds(13));
  EXPECT_EQ(At(t0_ + seconds(13)).status, EndpointStatus::kOk);
}

TEST_F(HealthTrackerTest, AFailedProbeReopensWithADoubledCooldownUpToTheMaximum) {
  settings_.max_cooldown_s = 25;
  tracker_ = std::make_unique<HealthTracker>(2, settings_);
  for (int i = 0; i < 5; ++i) Observe(0, Result::kError, t0_);
  EXPECT_EQ(At(t0_).status, EndpointStatus::kOutage);
  Clock::time_point now = t0_ + seconds(10);
  EXPECT_EQ(At(now).status, EndpointStatus::kHalfOpen);
  // An answer of an attempt that ended before the half-open began is no probe.
  Observe(0, Result::kError, now - seconds(1));
  EXPECT_EQ(At(now).status, EndpointStatus::kHalfOpen);
  Observe(0, Result::kError, now + seconds(1));
  EXPECT_EQ(At(now + seconds(1)).status, EndpointStatus::kOutage);  // cooldown now 20 s
  EXPECT_EQ(At(now + seconds(20)).status, EndpointStatus::kOutage);
  now += seconds(21);
  EXPECT_EQ(At(now).status, EndpointStatus::kHalfOpen);
  Observe(0, Result::kError, now + seconds(1));
  EXPECT_EQ(At(now + seconds(1)).status, EndpointStatus::kOutage);  // 40 s, capped at 25
  EXPECT_EQ(At(now + seconds(25)).status, EndpointStatus::kOutage);
  EXPECT_EQ(At(now + seconds(26)).status, EndpointStatus::kHalfOpen);
}

TEST_F(HealthTrackerTest, UnchangedStateIsNotRepublished) {
  Observe(0, Result::kSuccess, t0_);
  EXPECT_NE(tracker_->Publish(t0_), nullptr);
  EXPECT_EQ(tracker_->Publish(t0_ + seconds(1)), nullptr);
  // A new minute ages the windows: published again.
  EXPECT_NE(tracker_->Publish(t0_ + minutes(1)), nullptr);
}

TEST_F(HealthTrackerTest, UnknownEndpointIdsAreIgnored) {
  Observe(7, Result::kError, t0_);
  EXPECT_EQ(tracker_->Publish(t0_), nullptr);
}

}  // namespace
}  // namespace gw::routing

// SharedHealth against a real redis-server: what one instance's attempts did reaches the other
// instances (by endpoint name, whatever their configuration order), never the instance itself;
// the summary round-trips; malformed entries are skipped; an unreachable server loses only the
// exchange.
#include "gateway/health/shared_health.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "tests/common/redis_server.h"

namespace gw::health {
namespace {

using Result = routing::HealthObservation::Result;
using Clock = SharedHealth::Clock;

std::unique_ptr<redis::RedisClient> ClientOf(const testing::RedisServer& server) {
  std::string problem;
  std::optional<redis::RedisAddress> address = redis::ParseRedisUrl(server.url(), &problem);
  EXPECT_TRUE(address) << problem;
  return std::make_unique<redis::RedisClient>(*address, std::chrono::milliseconds(1000),
                                              std::chrono::milliseconds(0));
}

routing::HealthObservation Observed(uint32_t endpoint, Result result, float latency = -1,
                                    float throughput = -1) {
  routing::HealthObservation observation;
  observation.endpoint_id = endpoint;
  observation.result = result;
  observation.latency_ms = latency;
  observation.tokens_per_second = throughput;
  return observation;
}

size_t CountOf(const std::vector<routing::HealthObservation>& observations, uint32_t endpoint,
               Result result) {
  return static_cast<size_t>(std::count_if(observations.begin(), observations.end(),
                                           [&](const routing::HealthObservation& o) {
                                             return o.endpoint_id == endpoint && o.result == result;
                                           }));
}

TEST(SharedHealthTest, AnotherInstancesObservationsArriveByEndpointName) {
  testing::RedisServer server;
  // The same endpoints, listed in another order by the second instance.
  SharedHealth first(ClientOf(server), "gw:", {"m|a|x", "m|b|y", "n|c|z"}, {});
  SharedHealth second(ClientOf(server), "gw:", {"n|c|z", "m|b|y", "m|a|x", "only|here|w"}, {});
  const Clock::time_point now = Clock::now();
  EXPECT_TRUE(first.Exchange({}, now).empty());

  std::vector<routing::HealthObservation> own;
  for (int i = 0; i < 12; ++i) own.push_back(Observed(1, Result::kError));  // m|b|y
  for (int i = 0; i < 20; ++i) own.push_back(Observed(0, Result::kSuccess, 100 + i, 50));
  own.push_back(Observed(2, Result::kRateLimited));
  EXPECT_TRUE(first.Exchange(own, now).empty());  // its own entry does not come back

  // The second instance's first exchange comes after the entry: it catches up on it.
  const std::vector<routing::HealthObservation> seen = second.Exchange({}, now);
  EXPECT_EQ(seen.size(), own.size());
  EXPECT_EQ(CountOf(seen, 1, Result::kError), 12u);       // m|b|y is 1 for both
  EXPECT_EQ(CountOf(seen, 2, Result::kSuccess), 20u);     // m|a|x is 2 here
  EXPECT_EQ(CountOf(seen, 0, Result::kRateLimited), 1u);  // n|c|z is 0 here
  size_t measured = 0;
  for (const routing::HealthObservation& observation : seen) {
    EXPECT_EQ(observation.at, now);
    if (observation.latency_ms >= 0) {
      ++measured;
      EXPECT_GE(observation.latency_ms, 100);
      EXPECT_EQ(observation.tokens_per_second, 50);
    }
  }
  EXPECT_EQ(measured, SharedHealth::kSamplesPerEndpoint);
  EXPECT_TRUE(second.Exchange({}, now).empty());  // read once
  EXPECT_EQ(first.failures() + second.failures(), 0u);
}

TEST(SharedHealthTest, MalformedOrUnknownLinesAreSkipped) {
  testing::RedisServer server;
  SharedHealth health(ClientOf(server), "gw:", {"m|a|x"}, {});
  std::vector<routing::HealthObservation> out;
  health.Decode(
      "unknown|p|q\t5\t0\t0\t\n"
      "m|a|x\tnot-a-number\t1\t0\t\n"
      "m|a|x\t99999999\t0\t0\t\n"  // beyond the sanity bound
      "m|a|x\t2\t1\t0\t12.5/oops\n"
      "m|a|x\t1",
      Clock::now(), out);
  // Only the fourth line counts: 1 error and 2 successes (its bad sample is dropped).
  EXPECT_EQ(out.size(), 3u);
  EXPECT_EQ(CountOf(out, 0, Result::kError), 1u);
  EXPECT_EQ(CountOf(out, 0, Result::kSuccess), 2u);
}

TEST(SharedHealthTest, AnUnreachableServerLosesOnlyTheExchange) {
  auto server = std::make_unique<testing::RedisServer>();
  std::vector<std::string> logged;
  SharedHealth health(ClientOf(*server), "gw:", {"m|a|x"},
                      [&](std::string_view line) { logged.emplace_back(line); });
  health.Exchange({}, Clock::now());
  server.reset();
  const std::vector<routing::HealthObservation> own = {Observed(0, Result::kError)};
  EXPECT_TRUE(health.Exchange(own, Clock::now()).empty());
  EXPECT_TRUE(health.Exchange(own, Clock::now()).empty());
  EXPECT_EQ(health.failures(), 2u);
  ASSERT_EQ(logged.size(), 1u);
  EXPECT_NE(logged[0].find("endpoint health cannot be shared"), std::string::npos) << logged[0];
}

}  // namespace
}  // namespace gw::health

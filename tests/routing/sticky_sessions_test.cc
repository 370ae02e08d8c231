// StickySessions: (session, model) -> endpoint, refreshed by use, forgotten after the idle time.
#include "routing/sticky_sessions.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace gw::routing {
namespace {

using Clock = StickySessions::Clock;
using std::chrono::minutes;

const Clock::time_point kT0 = Clock::time_point(std::chrono::hours(1000));

TEST(StickySessionsTest, RemembersPerSessionAndModel) {
  StickySessions sessions(minutes(10));
  EXPECT_FALSE(sessions.Find("s1", "m", kT0));
  sessions.Remember("s1", "m", 3, kT0);
  sessions.Remember("s1", "n", 5, kT0);
  sessions.Remember("s2", "m", 4, kT0);
  EXPECT_EQ(sessions.Find("s1", "m", kT0), 3u);
  EXPECT_EQ(sessions.Find("s1", "n", kT0), 5u);
  EXPECT_EQ(sessions.Find("s2", "m", kT0), 4u);
  sessions.Remember("s1", "m", 6, kT0);  // moved after a fallback
  EXPECT_EQ(sessions.Find("s1", "m", kT0), 6u);
  EXPECT_EQ(sessions.size(), 3u);
}

TEST(StickySessionsTest, UseRefreshesAndIdleExpires) {
  StickySessions sessions(minutes(10));
  sessions.Remember("s", "m", 1, kT0);
  EXPECT_EQ(sessions.Find("s", "m", kT0 + minutes(9)), 1u);   // refreshed at 9
  EXPECT_EQ(sessions.Find("s", "m", kT0 + minutes(18)), 1u);  // 9 idle: still there
  EXPECT_FALSE(sessions.Find("s", "m", kT0 + minutes(29)));   // 11 idle: gone
  EXPECT_EQ(sessions.size(), 0u);
}

TEST(StickySessionsTest, ExpireIdleSweepsOnlyTheIdle) {
  StickySessions sessions(minutes(10));
  sessions.Remember("old", "m", 1, kT0);
  sessions.Remember("new", "m", 2, kT0 + minutes(8));
  sessions.ExpireIdle(kT0 + minutes(11));
  EXPECT_EQ(sessions.size(), 1u);
  EXPECT_EQ(sessions.Find("new", "m", kT0 + minutes(11)), 2u);
}

TEST(StickySessionsTest, SafeFromManyThreads) {
  StickySessions sessions(minutes(10));
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&sessions, t] {
      for (int i = 0; i < 2000; ++i) {
        const std::string id = std::to_string(t) + "-" + std::to_string(i);
        sessions.Remember(id, "m", static_cast<uint32_t>(i), kT0);
        EXPECT_EQ(sessions.Find(id, "m", kT0), static_cast<uint32_t>(i));
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(sessions.size(), 8000u);
}

}  // namespace
}  // namespace gw::routing

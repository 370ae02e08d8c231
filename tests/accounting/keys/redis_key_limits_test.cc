// RedisKeyLimits against a real redis-server: the same answers as the in-process book and
// buckets, exact across several instances sharing the server, holds that expire, and the
// failure modes (closed: LimitsUnavailable; open: admitted), docs/scale-out.md.
#include "accounting/keys/redis_key_limits.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "accounting/keys/budget_book.h"
#include "accounting/keys/rate_buckets.h"
#include "tests/common/redis_server.h"

namespace gw::accounting::keys {
namespace {

constexpr int64_t kT0 = 1'700'000'000'000;  // 2023-11-14, a Tuesday
constexpr int64_t kDayMs = 86'400'000;

std::unique_ptr<redis::RedisClient> ClientOf(const testing::RedisServer& server,
                                             std::chrono::milliseconds retry_after = {}) {
  std::string problem;
  std::optional<redis::RedisAddress> address = redis::ParseRedisUrl(server.url(), &problem);
  EXPECT_TRUE(address) << problem;
  return std::make_unique<redis::RedisClient>(*address, std::chrono::milliseconds(1000),
                                              retry_after);
}

class RedisKeyLimitsTest : public ::testing::Test {
 protected:
  // An instance of the gateway's limits over the shared server; its ledger holds `ledger_spent`.
  std::unique_ptr<RedisKeyLimits> Instance(RedisLimitsOptions options = {}) {
    if (!options.log) options.log = [](std::string_view line) { ADD_FAILURE() << line; };
    return std::make_unique<RedisKeyLimits>(
        ClientOf(server_),
        [this](std::string_view, std::string_view, int64_t) {
          ++loads_;
          return ledger_spent_.load();
        },
        std::move(options));
  }
  static BudgetHolder Holder(std::optional<int64_t> key_limit, std::string user = "",
                             std::optional<int64_t> user_limit = std::nullopt,
                             LimitReset reset = LimitReset::kNone) {
    BudgetHolder holder;
    holder.key = "hash-1";
    holder.user = std::move(user);
    holder.key_limit_nano = key_limit;
    holder.user_limit_nano = user_limit;
    holder.reset = reset;
    return holder;
  }

  testing::RedisServer server_;
  std::atomic<int64_t> ledger_spent_{0};
  std::atomic<int> loads_{0};
};

TEST_F(RedisKeyLimitsTest, ReservesAndSettlesAsTheInProcessBook) {
  auto limits = Instance();
  BudgetBook book([](std::string_view, std::string_view, int64_t) { return int64_t{0}; });
  const BudgetHolder holder = Holder(1000);
  {
    KeyLimits* shared = limits.get();
    ReserveOutcome first = shared->Reserve(holder, 400, kT0);
    ReserveOutcome local_first = book.Reserve(holder, 400, kT0);
    ASSERT_TRUE(first.ok);
    ASSERT_TRUE(local_first.ok);
    ASSERT_TRUE(shared->Reserve(holder, 400, kT0).ok);
    ASSERT_TRUE(book.Reserve(holder, 400, kT0).ok);
    const ReserveOutcome refused = shared->Reserve(holder, 400, kT0);
    const ReserveOutcome local_refused = book.Reserve(holder, 400, kT0);
    EXPECT_FALSE(refused.ok);
    EXPECT_FALSE(refused.by_user);
    EXPECT_EQ(refused.affordable_nano, 200);
    EXPECT_EQ(refused.affordable_nano, local_refused.affordable_nano);
    shared->Settle(first.reservation, 150, kT0, kT0);
    book.Settle(local_first.reservation, 150, kT0, kT0);
    EXPECT_FALSE(first.reservation.active);
    EXPECT_EQ(shared->Budget(holder, false, kT0), (BudgetState{150, 400}));
    EXPECT_EQ(shared->Budget(holder, false, kT0), book.State(holder, false, kT0));
    shared->Settle(first.reservation, 150, kT0, kT0);  // settled already: nothing happens
    EXPECT_EQ(shared->Budget(holder, false, kT0), (BudgetState{150, 400}));
  }
  EXPECT_EQ(limits->failures(), 0u);
}

TEST_F(RedisKeyLimitsTest, AUserBudgetRefusesOnItsOwnAndBothAccountsAreCharged) {
  auto limits = Instance();
  const BudgetHolder holder = Holder(10'000, "alice", 300);
  ReserveOutcome reserved = limits->Reserve(holder, 250, kT0);
  ASSERT_TRUE(reserved.ok);
  const ReserveOutcome refused = limits->Reserve(holder, 100, kT0);
  EXPECT_FALSE(refused.ok);
  EXPECT_TRUE(refused.by_user);
  EXPECT_EQ(refused.affordable_nano, 50);
  EXPECT_TRUE(limits->Reserve(Holder(10'000, "bob", 300), 100, kT0).ok);
  limits->Settle(reserved.reservation, 200, kT0, kT0);
  EXPECT_EQ(limits->Budget(holder, true, kT0), (BudgetState{200, 0}));
  EXPECT_EQ(limits->Budget(holder, false, kT0), (BudgetState{200, 100}));
}

TEST_F(RedisKeyLimitsTest, InstancesSharingTheServerNeverOverspendTogether) {
  // Three instances, four threads each, reserving 7 at a time against a budget of 7 x 50.
  std::vector<std::unique_ptr<RedisKeyLimits>> instances;
  for (int i = 0; i < 3; ++i) instances.push_back(Instance());
  const BudgetHolder holder = Holder(7 * 50);
  // The first use loads the account from a ledger, once (concurrent first uses may each load;
  // the first to arrive at Redis creates the account).
  EXPECT_EQ(instances[0]->Budget(holder, false, kT0), (BudgetState{0, 0}));
  std::atomic<int> admitted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 12; ++t) {
    threads.emplace_back([&, t] {
      KeyLimits& limits = *instances[t % 3];
      for (int i = 0; i < 20; ++i) {
        ReserveOutcome outcome = limits.Reserve(holder, 7, kT0);
        if (!outcome.ok) continue;
        ++admitted;
        limits.Settle(outcome.reservation, 7, kT0, kT0);  // the worst case was the exact cost
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(admitted.load(), 50);
  EXPECT_EQ(instances[0]->Budget(holder, false, kT0), (BudgetState{350, 0}));
  EXPECT_EQ(loads_.load(), 1);  // no instance loaded it again
}

TEST_F(RedisKeyLimitsTest, AMissingAccountStartsFromTheLedgersSpend) {
  ledger_spent_ = 900;
  auto limits = Instance();
  const ReserveOutcome refused = limits->Reserve(Holder(1000), 200, kT0);
  EXPECT_FALSE(refused.ok);
  EXPECT_EQ(refused.affordable_nano, 100);
  EXPECT_EQ(limits->Budget(Holder(1000), false, kT0), (BudgetState{900, 0}));
  EXPECT_EQ(loads_.load(), 1);
}

TEST_F(RedisKeyLimitsTest, HoldsOfACrashedInstanceExpireAndALateSettlementStillCounts) {
  RedisLimitsOptions options;
  options.reservation_ttl = std::chrono::milliseconds(60'000);
  auto crashed = Instance(options);
  auto survivor = Instance(options);
  const BudgetHolder holder = Holder(1000);
  ReserveOutcome lost = crashed->Reserve(holder, 800, kT0);  // never settled
  ASSERT_TRUE(lost.ok);
  ReserveOutcome late = survivor->Reserve(holder, 100, kT0 + 1);
  ASSERT_TRUE(late.ok);
  EXPECT_FALSE(survivor->Reserve(holder, 200, kT0 + 59'999).ok);
  // The crashed instance's hold expired: its 800 are free again.
  EXPECT_EQ(survivor->Budget(holder, false, kT0 + 60'000), (BudgetState{0, 100}));
  EXPECT_TRUE(survivor->Reserve(holder, 800, kT0 + 60'000).ok);
  // A settlement after its own hold expired adds its cost without releasing another hold.
  survivor->Settle(late.reservation, 90, kT0, kT0 + 60'001);
  EXPECT_EQ(survivor->Budget(holder, false, kT0 + 60'001), (BudgetState{90, 0 + 800}));
  EXPECT_EQ(survivor->Budget(holder, false, kT0 + 120'001), (BudgetState{90, 0}));
}

TEST_F(RedisKeyLimitsTest, ADailyBudgetStartsOverTheNextDay) {
  auto limits = Instance();
  const BudgetHolder holder = Holder(1000, "", std::nullopt, LimitReset::kDaily);
  ReserveOutcome outcome = limits->Reserve(holder, 600, kT0);
  ASSERT_TRUE(outcome.ok);
  limits->Settle(outcome.reservation, 600, kT0, kT0);
  EXPECT_FALSE(limits->Reserve(holder, 600, kT0).ok);
  EXPECT_EQ(limits->Budget(holder, false, kT0 + kDayMs), (BudgetState{0, 0}));
  EXPECT_TRUE(limits->Reserve(holder, 600, kT0 + kDayMs).ok);
  // A request that arrived yesterday and ends today is not charged to today's budget.
  ReserveOutcome straddling = limits->Reserve(holder, 0, kT0 + kDayMs);
  limits->Settle(straddling.reservation, 300, kT0, kT0 + kDayMs);
  EXPECT_EQ(limits->Budget(holder, false, kT0 + kDayMs).spent_nano, 0);
}

TEST_F(RedisKeyLimitsTest, ASettlementSentTwiceCountsOnce) {
  auto limits = Instance();
  ReserveOutcome outcome = limits->Reserve(Holder(1000), 300, kT0);
  ASSERT_TRUE(outcome.ok);
  Reservation resent = outcome.reservation;  // as if the first one's answer had been lost
  limits->Settle(outcome.reservation, 200, kT0, kT0);
  limits->Settle(resent, 200, kT0, kT0);
  EXPECT_EQ(limits->Budget(Holder(1000), false, kT0), (BudgetState{200, 0}));
}

// A hold is released when an account is next used, however late: the holds live as long as
// their account (a set that expired on its own would leave its amounts reserved for ever).
TEST_F(RedisKeyLimitsTest, HoldsLiveAsLongAsTheirAccount) {
  auto limits = Instance();
  ASSERT_TRUE(limits->Reserve(Holder(1000), 300, kT0).ok);
  ASSERT_TRUE(limits->Reserve(Holder(1000, "", std::nullopt, LimitReset::kDaily), 300, kT0).ok);
  const std::unique_ptr<redis::RedisClient> redis = ClientOf(server_);
  auto ttl = [&](const std::string& name) {
    return redis->Command(std::vector<std::string>{"PTTL", name}).Integer();
  };
  // An all-time budget: neither expires. (Its reset changed to daily above: same account.)
  // A daily budget: both expire together, a day after the period.
  EXPECT_GT(ttl("gw:budget:{hash-1}"), kDayMs);
  EXPECT_NEAR(static_cast<double>(ttl("gw:holds:{hash-1}")),
              static_cast<double>(ttl("gw:budget:{hash-1}")), 1000.0);
  ASSERT_TRUE(limits->Reserve(Holder(1000), 0, kT0).ok);  // back to an all-time budget
  EXPECT_EQ(ttl("gw:budget:{hash-1}"), -1);
  EXPECT_EQ(ttl("gw:holds:{hash-1}"), -1);
}

// The same calls against RateBuckets and RedisKeyLimits give the same decisions.
TEST_F(RedisKeyLimitsTest, RateLimitsDecideAsTheInProcessBuckets) {
  auto limits = Instance();
  RateBuckets local;
  const std::vector<RateScope> scopes = {
      {"hash-1\nkey\nrpm", 5, false, RateScope::Holder::kKey},
      {"hash-1\nkey\ntpm", 1000, true, RateScope::Holder::kKey},
      {"hash-1\nmodel:m\nrpm", 3, false, RateScope::Holder::kModel}};
  struct Step {
    int64_t at_ms;
    uint64_t tokens;  // charged after the request when admitted
  };
  const std::vector<Step> steps = {{0, 100},    {0, 100},     {1, 900},    {2, 0},
                                   {10, 0},     {20'000, 50}, {20'001, 0}, {40'000, 10},
                                   {59'999, 0}, {60'000, 0},  {61'000, 0}, {3'600'000, 5}};
  for (const Step& step : steps) {
    const RateDecision expected = local.Admit(scopes, kT0 + step.at_ms);
    const RateDecision got = limits->AdmitRequest(scopes, kT0 + step.at_ms);
    SCOPED_TRACE("at +" + std::to_string(step.at_ms) + " ms");
    EXPECT_EQ(got.ok, expected.ok);
    EXPECT_EQ(got.refused_scope, expected.refused_scope);
    EXPECT_EQ(got.limit, expected.limit);
    EXPECT_EQ(got.remaining, expected.remaining);
    EXPECT_EQ(got.reset_ms, expected.reset_ms);
    EXPECT_EQ(got.retry_after_ms, expected.retry_after_ms);
    if (expected.ok) {
      local.Charge(scopes, step.tokens, kT0 + step.at_ms);
      limits->ChargeTokens(scopes, step.tokens, kT0 + step.at_ms);
    }
    for (const RateScope& scope : scopes) {
      EXPECT_EQ(limits->RateRemaining(scope, kT0 + step.at_ms),
                local.Remaining(scope, kT0 + step.at_ms));
    }
  }
}

TEST_F(RedisKeyLimitsTest, ARateLimitHoldsInTotalAcrossInstances) {
  std::vector<std::unique_ptr<RedisKeyLimits>> instances;
  for (int i = 0; i < 3; ++i) instances.push_back(Instance());
  const std::vector<RateScope> scopes = {{"hash-1\nkey\nrpm", 30, false, RateScope::Holder::kKey}};
  std::atomic<int> admitted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        if (instances[t % 3]->AdmitRequest(scopes, kT0).ok) ++admitted;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(admitted.load(), 30);  // not 30 per instance
}

TEST_F(RedisKeyLimitsTest, AnUnreachableServerFailsClosedOrOpenAsConfigured) {
  std::vector<std::string> logged;
  RedisLimitsOptions closed_options;
  closed_options.log = [&](std::string_view line) { logged.emplace_back(line); };
  auto closed = std::make_unique<RedisKeyLimits>(
      ClientOf(server_), [](std::string_view, std::string_view, int64_t) { return int64_t{0}; },
      closed_options);
  RedisLimitsOptions open_options;
  open_options.fail_open = true;
  open_options.log = [](std::string_view) {};
  auto open = Instance(open_options);
  const std::vector<RateScope> scopes = {{"hash-1\nkey\nrpm", 1, false, RateScope::Holder::kKey}};
  ASSERT_TRUE(closed->AdmitRequest(scopes, kT0).ok);
  server_.Stop();

  try {
    closed->AdmitRequest(scopes, kT0);
    FAIL() << "expected LimitsUnavailable";
  } catch (const LimitsUnavailable& failure) {
    EXPECT_NE(std::string(failure.what()).find("Redis at " + server_.socket()), std::string::npos)
        << failure.what();
  }
  EXPECT_THROW(closed->Reserve(Holder(1000), 10, kT0), LimitsUnavailable);
  EXPECT_THROW(closed->Budget(Holder(1000), false, kT0), LimitsUnavailable);
  EXPECT_EQ(closed->failures(), 3u);
  ASSERT_EQ(logged.size(), 1u);  // one line for the run of failures, not one per call

  EXPECT_TRUE(open->AdmitRequest(scopes, kT0).ok);
  ReserveOutcome admitted = open->Reserve(Holder(1000), 5000, kT0);
  EXPECT_TRUE(admitted.ok);
  EXPECT_FALSE(admitted.reservation.active);  // nothing held, nothing to settle
  EXPECT_EQ(open->failures(), 2u);

  server_.Start();  // a new, empty server: the connections reconnect
  EXPECT_TRUE(closed->AdmitRequest(scopes, kT0).ok);
  ASSERT_EQ(logged.size(), 2u);
  EXPECT_NE(logged[1].find("works again"), std::string::npos);
}

TEST_F(RedisKeyLimitsTest, StateSurvivesARestartOfAPersistentServer) {
  testing::RedisServer persistent(true);
  RedisKeyLimits limits(ClientOf(persistent),
                        [](std::string_view, std::string_view, int64_t) { return int64_t{0}; }, {});
  ReserveOutcome outcome = limits.Reserve(Holder(1000), 300, kT0);
  ASSERT_TRUE(outcome.ok);
  limits.Settle(outcome.reservation, 250, kT0, kT0);
  // Several pooled connections, all closed by the restart: the first call after it that meets
  // one drops them all and connects afresh.
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&] {
      for (int j = 0; j < 50; ++j) limits.Budget(Holder(1000), false, kT0);
    });
  }
  for (std::thread& thread : threads) thread.join();
  persistent.Stop();
  persistent.Start();
  EXPECT_EQ(limits.Budget(Holder(1000), false, kT0), (BudgetState{250, 0}));
  EXPECT_EQ(limits.failures(), 0u);
}

TEST(RedisUrlTest, ParsesTcpAndUnixAddresses) {
  std::string problem;
  std::optional<redis::RedisAddress> tcp =
      redis::ParseRedisUrl("redis://:s3cret@10.0.0.5:6380/2", &problem);
  ASSERT_TRUE(tcp) << problem;
  EXPECT_EQ(tcp->host, "10.0.0.5");
  EXPECT_EQ(tcp->port, 6380);
  EXPECT_EQ(tcp->password, "s3cret");
  EXPECT_EQ(tcp->user, "");
  EXPECT_EQ(tcp->database, 2);
  EXPECT_EQ(tcp->Describe(), "10.0.0.5:6380");
  std::optional<redis::RedisAddress> acl =
      redis::ParseRedisUrl("redis://gw:pw@cache.internal", &problem);
  ASSERT_TRUE(acl);
  EXPECT_EQ(acl->user, "gw");
  EXPECT_EQ(acl->port, 6379);
  std::optional<redis::RedisAddress> unix_socket =
      redis::ParseRedisUrl("unix:///run/redis.sock", &problem);
  ASSERT_TRUE(unix_socket);
  EXPECT_EQ(unix_socket->socket, "/run/redis.sock");
}

TEST(RedisUrlTest, RejectsMalformedUrlsSayingWhyWithoutThePassword) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"http://host:6379", "starts with redis:// or unix://"},
      {"redis://", "names no host"},
      {"redis://:hunter2@host:port", "port must be a number"},
      {"redis://:hunter2@host:70000", "port must be a number"},
      {"redis://host:6379/x", "database"},
      {"unix://relative.sock", "absolute socket path"}};
  for (const auto& [url, expected] : cases) {
    std::string problem;
    EXPECT_FALSE(redis::ParseRedisUrl(url, &problem)) << url;
    EXPECT_NE(problem.find(expected), std::string::npos) << url << ": " << problem;
    EXPECT_EQ(problem.find("hunter2"), std::string::npos);
  }
}

}  // namespace
}  // namespace gw::accounting::keys

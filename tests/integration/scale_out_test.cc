// Scale-out (docs/scale-out.md): three gateway instances sharing one key table and one real
// redis-server (started by the test, on a Unix socket in a scratch directory) behave as one:
// a budget that affords N requests admits N in total, a rate limit of R per minute admits R in
// total, a killed instance loses no record of an answered request and its holds are released
// when they expire, and a Redis outage fails closed (503 naming Redis) or open as configured.
#include <signal.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "accounting/ledger/usage_reports.h"
#include "base/redis/redis_client.h"
#include "tests/common/redis_server.h"
#include "tests/integration/cluster.h"
#include "tests/integration/wait_until.h"

namespace gw::testing {
namespace {

using nlohmann::json;

constexpr char kAdminSecret[] = "it-scale-admin-secret";

struct CreatedKey {
  std::string hash;
  std::string secret;
};

class ScaleOutTest : public Cluster {
 protected:
  void TearDown() override {
    for (auto& instance : instances_) {
      if (!instance) continue;
      instance->Signal(SIGTERM);
      EXPECT_EQ(instance->WaitForExit(), 0) << "an instance did not shut down cleanly";
    }
    Cluster::TearDown();
  }

  // Starts `count` instances over one simulator. Prices: prompt free, completion 1 USD per 1M
  // tokens, 10 tokens per answer: a request with max_tokens 10 reserves and costs exactly
  // 10,000 nano-USD. `limits_extra`: more accounting.limits lines (indented by 4).
  void StartInstances(int count, const std::string& sim_model = "sim-model?tokens=10",
                      const std::string& limits_extra = "") {
    const int sim = StartSimulator();
    StartInstancesWith(
        count,
        GatewayYaml({{"sim", sim, ""}},
                    {{"it/chat", {{"sim", sim_model, "{ prompt: 0, completion: 1 }"}}}},
                    "  auth:\n    admin_keys: [\"${IT_SCALE_ADMIN}\"]\n"),
        limits_extra);
  }

  // Starts `count` instances of `yaml` (server, providers, models), each with its own ledger,
  // the shared key table and the shared Redis.
  void StartInstancesWith(int count, const std::string& yaml, const std::string& limits_extra) {
    setenv("IT_SCALE_ADMIN", kAdminSecret, 1);
    setenv("IT_REDIS_URL", redis_.url().c_str(), 1);
    const std::string test = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    scratch_ = std::filesystem::path(WriteTempFile(test + "-scratch", "")).string() + ".d";
    std::filesystem::remove_all(scratch_);
    std::filesystem::create_directories(scratch_);
    for (int i = 0; i < count; ++i) {
      const std::string config = WriteTempFile(
          test + "-" + std::to_string(i) + ".yaml",
          yaml + "redis:\n  url: ${IT_REDIS_URL}\naccounting:\n  database: " + LedgerOf(i) +
              "\n  keys_database: " + scratch_ + "/keys.sqlite3\n  limits:\n    store: redis\n" +
              limits_extra);
      instances_.push_back(std::make_unique<ChildProcess>(
          std::vector<std::string>{GatewayBinary(), "serve", "--config", config}));
      ports_.push_back(instances_.back()->WaitForListeningPort());
      ASSERT_GT(ports_.back(), 0) << "instance " << i << " did not start";
    }
  }

  std::string LedgerOf(int instance) const {
    return scratch_ + "/ledger-" + std::to_string(instance) + ".sqlite3";
  }

  // Creates a key through instance 0 and waits until every instance knows it (each reads the
  // shared key table when it changes).
  CreatedKey Create(const json& fields) {
    const HttpResponse created =
        Request(ports_[0], "POST", "/v1/keys", fields.dump(), Bearer(kAdminSecret));
    EXPECT_EQ(created.status, 201) << created.body;
    if (created.status != 201) return {};
    CreatedKey key{created.Json()["data"]["hash"], created.Json()["key"]};
    for (int port : ports_) {
      EXPECT_TRUE(WaitUntil([&] { return Get(port, "/v1/key", Bearer(key.secret)).status == 200; }))
          << "instance on port " << port << " never saw the new key";
    }
    return key;
  }

  HttpResponse Chat(int port, const std::string& secret) {
    return Post(port, "/v1/chat/completions", ChatBody("it/chat", false, "\"max_tokens\":10"),
                Bearer(secret));
  }

  // The value of an unlabelled counter or gauge on the instance's /metrics page (-1: missing).
  static double MetricValue(int port, const std::string& name) {
    const std::string page = Get(port, "/metrics").body;
    const size_t at = page.find("\n" + name + " ");
    if (at == std::string::npos) return -1;
    return std::stod(page.substr(at + name.size() + 2));
  }

  // The key's remaining credit as the shared budget has it (any instance answers the same).
  json KeyData(const CreatedKey& key, int instance = 0) {
    return Get(ports_[instance], "/v1/key", Bearer(key.secret)).Json()["data"];
  }

  RedisServer redis_{true};  // persistent: a restart keeps the budgets
  std::string scratch_;
  std::vector<std::unique_ptr<ChildProcess>> instances_;
  std::vector<int> ports_;
};

// 60 clients spread over 3 instances race for a budget that affords exactly 5 requests.
TEST_F(ScaleOutTest, ABudgetThatAffordsNRequestsAdmitsExactlyNAcrossAllInstances) {
  StartInstances(3);
  const CreatedKey key = Create({{"name", "raced"}, {"limit", 0.00005}});
  std::atomic<int> ok{0}, payment_required{0}, other{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> clients;
  for (int i = 0; i < 60; ++i) {
    clients.emplace_back([&, i] {
      while (!go.load()) std::this_thread::yield();
      const int status = Chat(ports_[i % 3], key.secret).status;
      (status == 200 ? ok : status == 402 ? payment_required : other)++;
    });
  }
  go = true;
  for (std::thread& client : clients) client.join();
  EXPECT_EQ(ok.load(), 5);
  EXPECT_EQ(payment_required.load(), 55);
  EXPECT_EQ(other.load(), 0);
  for (int instance = 0; instance < 3; ++instance) {
    EXPECT_EQ(KeyData(key, instance)["limit_remaining"], 0) << "instance " << instance;
  }
}

// A rate limit of 3 per minute (one more every 20 s) admits 3 in total, not 3 per instance.
TEST_F(ScaleOutTest, ARateLimitHoldsInTotalNotPerInstance) {
  StartInstances(3);
  const CreatedKey key = Create({{"name", "slow"}, {"rate_limit", {{"requests_per_minute", 3}}}});
  int ok = 0;
  int limited = 0;
  for (int i = 0; i < 12; ++i) {
    const HttpResponse response = Chat(ports_[i % 3], key.secret);
    if (response.status == 200) ++ok;
    if (response.status == 429) {
      ++limited;
      EXPECT_EQ(response.Header("x-ratelimit-limit"), "3");
      EXPECT_FALSE(response.Header("retry-after").empty());
    }
  }
  EXPECT_EQ(ok, 3);
  EXPECT_EQ(limited, 9);
}

// One instance is killed (SIGKILL) while requests are in flight on every instance: each answer
// it gave is in its ledger, and the holds it took expire (reservation_ttl_s: 2), after which the
// shared budget has exactly the answered requests' cost spent and nothing reserved.
TEST_F(ScaleOutTest, AKilledInstanceLosesNoAnsweredRecordAndItsHoldsExpire) {
  StartInstances(3, "sim-model?tokens=10&ttft_ms=150", "    reservation_ttl_s: 2\n");
  const CreatedKey key = Create({{"name", "crash"}, {"limit", 1}});  // 100 requests' worth
  std::atomic<int> answered_by_victim{0}, answered{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> clients;
  for (int i = 0; i < 12; ++i) {
    clients.emplace_back([&, i] {
      const int instance = i % 3;
      while (!stop.load()) {
        HttpResponse response;
        try {
          response = Chat(ports_[instance], key.secret);
        } catch (const std::exception&) {
          return;  // the killed instance: the connection broke or was refused
        }
        if (response.status == 200) {
          ++answered;
          if (instance == 1) ++answered_by_victim;
        } else if (response.status != 402) {
          ADD_FAILURE() << "status " << response.status << ": " << response.body;
          return;
        }
      }
    });
  }
  ASSERT_TRUE(WaitUntil([&] { return answered_by_victim.load() >= 8; }));
  instances_[1]->Signal(SIGKILL);
  instances_[1]->WaitForExit();
  instances_[1].reset();
  ASSERT_TRUE(WaitUntil([&] { return answered.load() >= answered_by_victim.load() + 8; }));
  stop = true;
  for (std::thread& client : clients) client.join();

  // Every answer the killed instance gave is in its ledger (durability: commit).
  auto reader = accounting::LedgerReader::Open(LedgerOf(1));
  int64_t recorded = 0;
  for (const accounting::UsageRow& row :
       reader->GroupedSum(accounting::UsageDimension::kApiKey, {0, reader->Today()}, {})) {
    recorded += row.requests;
  }
  EXPECT_GE(recorded, answered_by_victim.load());
  EXPECT_LE(recorded, answered_by_victim.load() + 4);  // at most its clients' last requests
  // The killed instance's holds expire (any call on the account releases them); then the
  // shared budget holds nothing and has spent the answers' cost (plus at most the requests the
  // victim settled but could not answer before it died).
  std::string problem;
  redis::RedisClient redis(*redis::ParseRedisUrl(redis_.url(), &problem), std::chrono::seconds(5));
  auto field = [&](const std::string& name) {
    const std::vector<std::string> command{"HGET", "gw:budget:{" + key.hash + "}", name};
    return std::stoll(redis.Command(command).text);
  };
  EXPECT_TRUE(WaitUntil(
      [&] {
        KeyData(key);
        return field("reserved") == 0;
      },
      std::chrono::seconds(10)))
      << "still reserved: " << field("reserved");
  EXPECT_GE(field("spent"), answered.load() * 10'000);
  EXPECT_LE(field("spent"), (answered.load() + 4) * 10'000);
}

TEST_F(ScaleOutTest, ARedisOutageFailsClosedWithA503NamingRedisAndRecovers) {
  StartInstances(2);
  const CreatedKey key = Create({{"name", "outage"}, {"limit", 1}});
  const CreatedKey rated =
      Create({{"name", "rated"}, {"rate_limit", {{"requests_per_minute", 9}}}});
  const CreatedKey unlimited = Create({{"name", "unlimited"}});
  ASSERT_EQ(Chat(ports_[0], key.secret).status, 200);
  redis_.Stop();
  const HttpResponse refused = Chat(ports_[1], key.secret);
  EXPECT_EQ(refused.status, 503) << refused.body;
  const std::string message = refused.Json()["error"]["message"];
  EXPECT_NE(message.find("Redis at " + redis_.socket()), std::string::npos) << message;
  EXPECT_GT(MetricValue(ports_[1], "gateway_limits_store_errors_total"), 0);
  EXPECT_EQ(Get(ports_[0], "/v1/key", Bearer(key.secret)).status, 503);
  // A rate limit cannot be checked either; a key without limits has nothing to refuse.
  const HttpResponse limited = Chat(ports_[0], rated.secret);
  EXPECT_EQ(limited.status, 503) << limited.body;
  EXPECT_NE(limited.Json()["error"]["message"].get<std::string>().find(
                "the rate limits of this API key cannot be checked"),
            std::string::npos)
      << limited.body;
  EXPECT_EQ(Chat(ports_[0], unlimited.secret).status, 200);
  redis_.Start();  // persistent: the spend of the first request is still there
  // (An instance retries Redis at most once a second after a failure.)
  EXPECT_TRUE(
      WaitUntil([&] { return Get(ports_[1], "/v1/key", Bearer(key.secret)).status == 200; }));
  const HttpResponse again = Chat(ports_[1], key.secret);
  EXPECT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(KeyData(key, 1)["limit_remaining"], 1.0 - 0.00002);
}

TEST_F(ScaleOutTest, ARedisOutageFailsOpenWhenConfigured) {
  StartInstances(1, "sim-model?tokens=10", "    on_failure: open\n");
  const CreatedKey key = Create({{"name", "open"}, {"rate_limit", {{"requests_per_minute", 1}}}});
  ASSERT_EQ(Chat(ports_[0], key.secret).status, 200);
  EXPECT_EQ(Chat(ports_[0], key.secret).status, 429);
  redis_.Stop();
  EXPECT_EQ(Chat(ports_[0], key.secret).status, 200);  // admitted without its limits
  EXPECT_GT(MetricValue(ports_[0], "gateway_limits_store_errors_total"), 0);
  redis_.Start();
}

// An endpoint that fails on one instance's requests is in outage on the other instance too,
// which has not sent it a single request (routing.health.share, on by default with redis).
TEST_F(ScaleOutTest, AnOutageOneInstanceSeesIsAvoidedByTheOthers) {
  const int sim = StartSimulator();
  StartInstancesWith(2,
                     GatewayYaml({{"down", ClosedPort(), ""}, {"good", sim, ""}},
                                 {{"it/h",
                                   {{"down", "sim-model", "{ prompt: 1, completion: 1 }"},
                                    {"good", "sim-model", "{ prompt: 3, completion: 3 }"}}}}),
                     "");
  auto status_on = [&](int instance) {
    const json endpoints =
        Get(ports_[instance], "/v1/models/it/h/endpoints").Json()["data"]["endpoints"];
    for (const json& row : endpoints) {
      if (row["provider_name"] == "down") return row["status_name"].get<std::string>();
    }
    return std::string("missing");
  };
  EXPECT_EQ(status_on(1), "ok");
  // Instance 0's requests fail on `down` (the cheapest, first under :floor) and fall back.
  for (int i = 0; i < 6; ++i) {
    const HttpResponse response = Post(ports_[0], "/v1/chat/completions", ChatBody("it/h:floor"));
    EXPECT_EQ(response.status, 200) << response.body;
  }
  ASSERT_TRUE(WaitUntil([&] { return status_on(0) == "outage"; }));
  ASSERT_TRUE(WaitUntil([&] { return status_on(1) == "outage"; }));
  // Instance 1 goes to `good` directly, without a failed attempt at `down` first.
  const HttpResponse response = Post(ports_[1], "/v1/chat/completions", ChatBody("it/h:floor"),
                                     {{"X-Gateway-Metadata", "enabled"}});
  ASSERT_EQ(response.status, 200) << response.body;
  const json metadata = json::parse(response.Header("x-gateway-metadata"));
  EXPECT_EQ(metadata["candidates"][0]["provider"], "good") << metadata;
  EXPECT_EQ(metadata["attempts"].size(), 1u) << metadata;
}

}  // namespace
}  // namespace gw::testing

// The shared ledger on PostgreSQL (docs/scale-out.md): three gateway instances, each with its
// own ledger file, ship their records to one real PostgreSQL server (Debian's, started by the
// test in a scratch directory). A PostgreSQL crash and restart in the middle of the load loses
// no record of an answered request and counts none twice.
#include <signal.h>
#include <sqlite3.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <set>
#include <thread>

#include "accounting/ledger/postgres/pg_connection.h"
#include "tests/common/postgres_server.h"
#include "tests/integration/cluster.h"
#include "tests/integration/wait_until.h"

namespace gw::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr char kAdminSecret[] = "sk-admin-shared-ledger-test";

// The JSON object in a `gateway keys` output (stdout and stderr together).
json JsonOf(const std::string& output) {
  const size_t brace = output.find('{');
  return json::parse(output.substr(brace == std::string::npos ? 0 : brace), nullptr, false);
}

class SharedLedgerTest : public Cluster {
 protected:
  void TearDown() override {
    StopInstances();
    Cluster::TearDown();
  }

  // `with_auth`: requests need a key (an admin key, kAdminSecret, or a managed one).
  void StartInstances(int count, bool with_auth = false) {
    setenv("IT_PG_URL", postgres_.url().c_str(), 1);
    setenv("IT_PG_ADMIN", kAdminSecret, 1);
    const std::string test = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    scratch_ = std::filesystem::path(WriteTempFile(test + "-scratch", "")).string() + ".d";
    std::filesystem::remove_all(scratch_);
    std::filesystem::create_directories(scratch_);
    const int sim = StartSimulator();
    const std::string yaml = GatewayYaml(
        {{"sim", sim, ""}},
        {{"it/chat", {{"sim", "sim-model?tokens=10&ttft_ms=5", "{ prompt: 1, completion: 1 }"}}}},
        with_auth ? "  auth:\n    admin_keys: [\"${IT_PG_ADMIN}\"]\n" : "");
    for (int i = 0; i < count; ++i) {
      const std::string config = WriteTempFile(
          test + "-" + std::to_string(i) + ".yaml",
          yaml + "postgres:\n  url: ${IT_PG_URL}\n  ship_interval_ms: 20\n  instance: gw-" +
              std::to_string(i) + "\naccounting:\n  database: " + LedgerOf(i) +
              "\n  store: postgres\n  keys_store: postgres\n");
      config_files_.push_back(config);
      instances_.push_back(std::make_unique<ChildProcess>(
          std::vector<std::string>{GatewayBinary(), "serve", "--config", config}));
      ports_.push_back(instances_.back()->WaitForListeningPort());
      ASSERT_GT(ports_.back(), 0) << "instance " << i << " did not start";
    }
  }

  void StopInstances() {
    for (auto& instance : instances_) {
      if (!instance) continue;
      instance->Signal(SIGTERM);
      EXPECT_EQ(instance->WaitForExit(), 0) << "an instance did not shut down cleanly";
      instance.reset();
    }
  }

  std::string LedgerOf(int instance) const {
    return scratch_ + "/ledger-" + std::to_string(instance) + ".sqlite3";
  }

  // The value of an unlabelled counter or gauge on the instance's /metrics page (-1: missing).
  static double MetricValue(int port, const std::string& name) {
    const std::string page = Get(port, "/metrics").body;
    const size_t at = page.find("\n" + name + " ");
    if (at == std::string::npos) return -1;
    return std::stod(page.substr(at + name.size() + 2));
  }

  // Every row of `sql` on the server, each row's columns joined by '|'.
  std::vector<std::string> Pg(const std::string& sql) const {
    std::string error;
    auto connection = accounting::postgres::PgConnection::Connect(postgres_.url(), 5s, &error);
    if (!connection) return {"(error: " + error + ")"};
    accounting::postgres::PgRows rows;
    if (!connection->Query(sql, {}, &rows, &error)) return {"(error: " + error + ")"};
    std::vector<std::string> lines;
    for (const auto& row : rows.rows) {
      std::string line;
      for (const auto& value : row) line += (line.empty() ? "" : "|") + value;
      lines.push_back(line);
    }
    return lines;
  }

  // Records in the instance's own ledger file.
  int64_t LocalCount(int instance) const {
    sqlite3* db = nullptr;
    sqlite3_open_v2(LedgerOf(instance).c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt* stmt = nullptr;
    int64_t count = -1;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM generations", -1, &stmt, nullptr) ==
            SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      count = sqlite3_column_int64(stmt, 0);
    }
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return count;
  }

  std::vector<std::string> config_files_;
  PostgresServer postgres_;
  std::string scratch_;
  std::vector<std::unique_ptr<ChildProcess>> instances_;
  std::vector<int> ports_;
};

TEST_F(SharedLedgerTest, APostgresCrashAndRestartMidLoadLosesAndDuplicatesNothing) {
  StartInstances(3);
  std::mutex ids_mu;
  std::set<std::string> answered_ids;
  std::atomic<int> answered{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> clients;
  for (int i = 0; i < 9; ++i) {
    clients.emplace_back([&, i] {
      while (!stop.load()) {
        const HttpResponse response =
            Post(ports_[i % 3], "/v1/chat/completions", ChatBody("it/chat", i % 2 == 0));
        if (response.status != 200) {
          ADD_FAILURE() << "status " << response.status << ": " << response.body;
          return;
        }
        const std::string id = response.Header("x-generation-id");
        std::lock_guard lock(ids_mu);
        answered_ids.insert(id);
        ++answered;
      }
    });
  }
  ASSERT_TRUE(WaitUntil([&] { return answered.load() >= 60; }));
  postgres_.Stop(/*crash=*/true);
  const int at_crash = answered.load();
  // Every instance notices, and keeps answering: its records wait in its file.
  for (int port : ports_) {
    EXPECT_TRUE(WaitUntil([&] { return MetricValue(port, "gateway_ledger_postgres_up") == 0; }))
        << "port " << port;
  }
  ASSERT_TRUE(WaitUntil([&] { return answered.load() >= at_crash + 60; }));
  EXPECT_GT(MetricValue(ports_[0], "gateway_ledger_postgres_backlog"), 0);
  EXPECT_GT(MetricValue(ports_[0], "gateway_ledger_postgres_errors_total"), 0);
  postgres_.Start();
  const int at_restart = answered.load();
  ASSERT_TRUE(WaitUntil([&] { return answered.load() >= at_restart + 60; }));
  stop = true;
  for (std::thread& client : clients) client.join();
  StopInstances();  // each ships what it wrote last

  ASSERT_FALSE(answered_ids.empty());
  ASSERT_EQ(answered_ids.count(""), 0u) << "an answer without its generation id";
  // Every answered request is in PostgreSQL exactly once, and nothing else is.
  std::set<std::string> shipped;
  for (const std::string& id : Pg("SELECT id FROM generations")) shipped.insert(id);
  EXPECT_EQ(Pg("SELECT count(*) FROM generations"),
            std::vector<std::string>{std::to_string(shipped.size())});
  EXPECT_EQ(shipped, answered_ids);
  // The shared rollup counts each once.
  EXPECT_EQ(Pg("SELECT sum(requests) FROM usage_daily"),
            std::vector<std::string>{std::to_string(answered_ids.size())});
  EXPECT_EQ(Pg("SELECT sum(cost_total) = (SELECT sum(cost_nano) FROM usage_daily) "
               "FROM generations"),
            std::vector<std::string>{"t"});
  // Each instance's records are those of its own file, all shipped.
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(
        Pg("SELECT count(*) FROM generations WHERE instance = 'gw-" + std::to_string(i) + "'"),
        std::vector<std::string>{std::to_string(LocalCount(i))})
        << "instance " << i;
  }
}

// The usage reports on any instance (/v1/activity, /v1/rankings, /v1/rankings/timeseries) cover
// every instance's requests (from the shared rollups), and /v1/generation finds every
// instance's records, once each has shipped them; while
// PostgreSQL is down they are a 503 naming it, not a partial answer.
TEST_F(SharedLedgerTest, TheReportsOnAnyInstanceCoverEveryInstance) {
  StartInstances(3);
  std::vector<std::string> ids;  // ids[i]: answered by instance i % 3
  for (int i = 0; i < 15; ++i) {
    const HttpResponse chat = Post(ports_[i % 3], "/v1/chat/completions", ChatBody("it/chat"));
    ASSERT_EQ(chat.status, 200) << chat.body;
    ids.push_back(chat.Json()["id"]);
  }
  for (int port : ports_) {
    EXPECT_TRUE(WaitUntil([&] {
      return MetricValue(port, "gateway_ledger_postgres_shipped_total") == 5 &&
             MetricValue(port, "gateway_ledger_postgres_backlog") == 0;
    })) << "port "
        << port;
  }
  for (int port : ports_) {
    const HttpResponse activity = Get(port, "/v1/activity");
    ASSERT_EQ(activity.status, 200) << activity.body;
    const json body = activity.Json();
    int64_t requests = 0;
    for (const json& row : body["data"]) requests += row["requests"].get<int64_t>();
    EXPECT_EQ(requests, 15) << "port " << port << ": " << activity.body;

    const HttpResponse rankings = Get(port, "/v1/rankings?by=model&period=day");
    ASSERT_EQ(rankings.status, 200) << rankings.body;
    const json ranked = rankings.Json();
    EXPECT_EQ(ranked["totals"]["requests"], 15) << rankings.body;
    ASSERT_EQ(ranked["data"].size(), 1u) << rankings.body;
    EXPECT_EQ(ranked["data"][0]["requests"], 15) << rankings.body;

    const HttpResponse series = Get(port, "/v1/rankings/timeseries?metric=requests&buckets=2");
    ASSERT_EQ(series.status, 200) << series.body;
    EXPECT_EQ(series.Json()["buckets"].back()["total"], 15) << series.body;
  }
  // GET /v1/generation finds a record on any instance, whichever served it.
  for (int i = 0; i < 3; ++i) {
    const HttpResponse found = Get(ports_[(i + 1) % 3], "/v1/generation?id=" + ids[i]);
    ASSERT_EQ(found.status, 200) << found.body;
    EXPECT_EQ(found.Json()["data"]["id"], ids[i]);
    EXPECT_EQ(found.Json()["data"]["model"], "it/chat");
  }
  EXPECT_EQ(Get(ports_[0], "/v1/generation?id=gen-nowhere").status, 404);
  // PostgreSQL down: each report is a 503 naming it.
  postgres_.Stop();
  // A record of this instance is still found in its own file; another's cannot be looked up.
  EXPECT_EQ(Get(ports_[0], "/v1/generation?id=" + ids[0]).status, 200);
  const HttpResponse elsewhere = Get(ports_[0], "/v1/generation?id=" + ids[1]);
  EXPECT_EQ(elsewhere.status, 503) << elsewhere.body;
  EXPECT_NE(elsewhere.body.find("the shared ledger cannot be read"), std::string::npos)
      << elsewhere.body;
  for (const char* path : {"/v1/activity", "/v1/rankings", "/v1/rankings/timeseries"}) {
    const HttpResponse down = Get(ports_[0], path);
    EXPECT_EQ(down.status, 503) << path;
    EXPECT_NE(down.body.find("the shared usage ledger: postgresql"), std::string::npos)
        << path << ": " << down.body;
  }
  postgres_.Start();
  EXPECT_TRUE(WaitUntil([&] { return Get(ports_[0], "/v1/rankings").status == 200; }));
}

// The key table in PostgreSQL (keys_store: postgres): a key created on one instance is served
// by every instance, a change made on another (or by the CLI) reaches all of them, its usage
// covers every instance, and while PostgreSQL is away the keys read last are still served.
TEST_F(SharedLedgerTest, AKeyCreatedOnOneInstanceIsServedAndChangedOnEveryInstance) {
  StartInstances(3, /*with_auth=*/true);
  const HttpResponse created = Request(ports_[0], "POST", "/v1/keys",
                                       R"({"name":"shared","limit":5})", Bearer(kAdminSecret));
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string hash = created.Json()["data"]["hash"];
  const std::string secret = created.Json()["key"];
  for (int port : ports_) {
    EXPECT_TRUE(WaitUntil([&] { return Get(port, "/v1/key", Bearer(secret)).status == 200; }))
        << "instance on port " << port << " never saw the new key";
  }
  for (int i = 0; i < 6; ++i) {
    const HttpResponse chat =
        Post(ports_[i % 3], "/v1/chat/completions", ChatBody("it/chat"), Bearer(secret));
    ASSERT_EQ(chat.status, 200) << chat.body;
  }
  // Its usage, on any instance, covers the requests of every instance (once shipped).
  const int64_t cost_nano = 6 * (3 * 1000 + 10 * 1000);  // 3 prompt + 10 completion tokens each
  EXPECT_TRUE(WaitUntil([&] {
    const HttpResponse info = Get(ports_[2], "/v1/key", Bearer(secret));
    return info.status == 200 &&
           std::llround(info.Json()["data"]["usage"].get<double>() * 1e9) == cost_nano;
  })) << Get(ports_[2], "/v1/key", Bearer(secret)).body;

  // Disabled through another instance: every instance refuses it within its poll.
  const HttpResponse patched =
      Request(ports_[1], "PATCH", "/v1/keys/" + hash, R"({"disabled":true})", Bearer(kAdminSecret));
  ASSERT_EQ(patched.status, 200) << patched.body;
  for (int port : ports_) {
    EXPECT_TRUE(WaitUntil([&] {
      const HttpResponse chat =
          Post(port, "/v1/chat/completions", ChatBody("it/chat"), Bearer(secret));
      return chat.body.find("is disabled") != std::string::npos;
    })) << "instance on port "
        << port << " still serves the disabled key";
  }
  // The CLI reads and writes the same table.
  const auto [listed_status, listed] =
      RunGateway("keys list --format json --config " + config_files_[0]);
  EXPECT_EQ(listed_status, 0) << listed;
  EXPECT_NE(listed.find(hash), std::string::npos) << listed;
  const auto [enabled_status, enabled] =
      RunGateway("keys update " + hash + " --enable --config " + config_files_[2]);
  EXPECT_EQ(enabled_status, 0) << enabled;
  for (int port : ports_) {
    EXPECT_TRUE(WaitUntil([&] {
      return Post(port, "/v1/chat/completions", ChatBody("it/chat"), Bearer(secret)).status == 200;
    })) << "instance on port "
        << port << " never saw the key enabled again";
  }
  // PostgreSQL away: the keys read last are served; the management API is a 503 naming it.
  postgres_.Stop();
  for (int port : ports_) {
    const HttpResponse chat =
        Post(port, "/v1/chat/completions", ChatBody("it/chat"), Bearer(secret));
    EXPECT_EQ(chat.status, 200) << chat.body;
  }
  const HttpResponse refused =
      Request(ports_[1], "POST", "/v1/keys", R"({"name":"later"})", Bearer(kAdminSecret));
  EXPECT_EQ(refused.status, 503) << refused.body;
  EXPECT_NE(refused.body.find("the shared key table: postgresql"), std::string::npos)
      << refused.body;
  postgres_.Start();
  // A key of an older SQLite key table, copied in with `gateway keys import`: served by all.
  std::ifstream instance_config(config_files_[0]);
  std::string old_config((std::istreambuf_iterator<char>(instance_config)), {});
  old_config.replace(old_config.find("  keys_store: postgres\n"), 23, "");
  old_config.replace(old_config.find(LedgerOf(0)), LedgerOf(0).size(), scratch_ + "/old.sqlite3");
  const std::string old_config_file = WriteTempFile("shared-ledger-old.yaml", old_config);
  const auto [old_status, old_key] =
      RunGateway("keys create --name old --limit 5 --config " + old_config_file);
  ASSERT_EQ(old_status, 0) << old_key;
  const std::string old_secret = JsonOf(old_key)["key"];
  const std::string import =
      "keys import --from " + scratch_ + "/old-keys.sqlite3 --config " + config_files_[1];
  EXPECT_TRUE(WaitUntil([&] { return RunGateway(import).first == 0; }));  // PostgreSQL is back
  const auto [again_status, again] = RunGateway(import);
  EXPECT_EQ(again_status, 0) << again;
  EXPECT_EQ(JsonOf(again)["already_present"], 1) << again;
  for (int port : ports_) {
    EXPECT_TRUE(WaitUntil([&] {
      return Post(port, "/v1/chat/completions", ChatBody("it/chat"), Bearer(old_secret)).status ==
             200;
    })) << "instance on port "
        << port << " never served the imported key";
  }
  // Deleted through one instance: refused by all.
  EXPECT_TRUE(WaitUntil([&] {
    return Request(ports_[0], "DELETE", "/v1/keys/" + hash, "", Bearer(kAdminSecret)).status == 200;
  }));
  for (int port : ports_) {
    EXPECT_TRUE(WaitUntil([&] {
      return Post(port, "/v1/chat/completions", ChatBody("it/chat"), Bearer(secret)).status == 401;
    })) << "instance on port "
        << port << " still serves the deleted key";
  }
}

}  // namespace
}  // namespace gw::testing

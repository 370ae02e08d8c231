// docs/ledger.md "Failures", through HTTP: while the usage ledger cannot be written, inference
// requests are refused with 503 (usage that cannot be recorded is not served), nothing already
// served is lost, and the gateway recovers by itself once the ledger can be written again.
//
// The fault is one the product documents and that a real deployment meets: another process
// holds the database's write lock (here the test itself, with BEGIN EXCLUSIVE on the gateway's
// ledger file) beyond the ledger's busy timeout, so the gateway's batch write fails.
#include <sqlite3.h>

#include "tests/integration/cluster.h"
#include "tests/integration/wait_until.h"

namespace gw::testing {
namespace {

// Another process's write transaction on an SQLite file: held from construction to Release().
class WriteLockHolder {
 public:
  explicit WriteLockHolder(const std::string& path) {
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) return;
    sqlite3_busy_timeout(db_, 20'000);  // the gateway may be writing a batch right now
    locked_ = sqlite3_exec(db_, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr) == SQLITE_OK;
  }
  ~WriteLockHolder() { Release(); }
  WriteLockHolder(const WriteLockHolder&) = delete;
  WriteLockHolder& operator=(const WriteLockHolder&) = delete;

  bool locked() const { return locked_; }
  void Release() {
    if (db_ == nullptr) return;
    if (locked_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(db_);
    db_ = nullptr;
    locked_ = false;
  }

 private:
  sqlite3* db_ = nullptr;
  bool locked_ = false;
};

class LedgerFailureTest : public Cluster {
 protected:
  // The gateway_ledger_failing gauge: the state Admit() reads, published with the log line.
  bool LedgerFailing() {
    return Get(port_, "/metrics").body.find("\ngateway_ledger_failing 1") != std::string::npos;
  }
  bool LedgerHealthy() {
    return Get(port_, "/metrics").body.find("\ngateway_ledger_failing 0") != std::string::npos;
  }
  HttpResponse Chat() { return Post(port_, "/v1/chat/completions", ChatBody("it/chat")); }

  int port_ = 0;
};

TEST_F(LedgerFailureTest, AnUnwritableLedgerAnswers503ThroughHttpAndRecovers) {
  const int sim = StartSimulator();
  port_ = StartGateway(GatewayYaml({{"sim", sim, ""}}, {{"it/chat", {{"sim"}}}}));
  const HttpResponse before = Chat();
  ASSERT_EQ(before.status, 200) << before.body;
  // Written (the generation endpoint reads what is queued too, so ask the rollups).
  ASSERT_TRUE(WaitUntil([&] { return !Get(port_, "/v1/activity").Json()["data"].empty(); }));

  WriteLockHolder lock(ledger_path());
  ASSERT_TRUE(lock.locked());
  // Admitted while the ledger is still healthy: its record waits in memory.
  const HttpResponse during = Chat();
  ASSERT_EQ(during.status, 200) << during.body;
  // Its batch waits out the busy timeout (2 s), fails, and the ledger turns failing.
  ASSERT_TRUE(WaitUntil([&] { return LedgerFailing(); })) << Get(port_, "/metrics").body;
  EXPECT_TRUE(gateway()
                  .WaitForLine([&](const std::string& line) {
                    return line.find("\"event\":\"ledger_write_failed\"") != std::string::npos &&
                           line.find(ledger_path()) != std::string::npos;
                  })
                  .has_value());

  const HttpResponse refused = Chat();
  ASSERT_EQ(refused.status, 503) << refused.body;
  EXPECT_EQ(refused.Header("retry-after"), "1");
  const std::string message = refused.Json()["error"]["message"];
  EXPECT_NE(message.find("the usage ledger cannot be written"), std::string::npos) << message;
  const StreamResponse refused_stream =
      PostStream(port_, "/v1/chat/completions", ChatBody("it/chat", true));
  EXPECT_EQ(refused_stream.status, 503) << refused_stream.body;
  const std::string metrics = Get(port_, "/metrics").body;
  EXPECT_NE(metrics.find("\ngateway_accounting_refused_requests_total 2"), std::string::npos)
      << metrics;
  // The refusals never reached the provider: its last request is still the admitted one.
  const std::string upstream = LastUpstreamRequest(sim)["body"].get<std::string>();
  EXPECT_EQ(upstream.find("\"stream\":true"), std::string::npos) << upstream;

  // The other process lets go: the ledger's next retry (every second) writes what waited.
  lock.Release();
  ASSERT_TRUE(WaitUntil([&] { return LedgerHealthy(); })) << Get(port_, "/metrics").body;
  EXPECT_TRUE(gateway()
                  .WaitForLine([](const std::string& line) {
                    return line.find("\"event\":\"ledger_recovered\"") != std::string::npos;
                  })
                  .has_value());
  const HttpResponse after = Chat();
  ASSERT_EQ(after.status, 200) << after.body;
  // Nothing served was lost: the record admitted during the failure is in the ledger.
  const std::string id = during.Json()["id"];
  std::string target = "/v1/generation?id=";
  target += id;
  EXPECT_EQ(Get(port_, target).status, 200);
  std::string activity;
  EXPECT_TRUE(WaitUntil([&] {
    activity = Get(port_, "/v1/activity").body;
    int64_t requests = 0;
    const nlohmann::json answer = nlohmann::json::parse(activity);
    for (const auto& row : answer["data"]) {
      requests += row["requests"].get<int64_t>();
    }
    return requests == 3;
  })) << activity;
}

}  // namespace
}  // namespace gw::testing

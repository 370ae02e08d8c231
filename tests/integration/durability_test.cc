// Crash-safe accounting (accounting.durability: commit, the default): the gateway is killed with
// SIGKILL while concurrent stream and non-stream requests run, and every answer whose end the
// client received (a stream's "data: [DONE]", a whole JSON body) has its record in the ledger
// afterwards. The kill happens after N complete answers were observed, never after a sleep.
#include <signal.h>
#include <sqlite3.h>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/cluster.h"
#include "tests/integration/wait_until.h"

namespace gw::testing {
namespace {

// The ids of the answers clients received whole, and the requests that failed before the kill.
class ReceivedAnswers {
 public:
  void Add(std::string id) {
    {
      std::lock_guard lock(mu_);
      ids_.push_back(std::move(id));
    }
    changed_.notify_all();
  }
  // Waits until `count` answers were received; false if the safety limit passed first.
  bool WaitFor(size_t count) {
    std::unique_lock lock(mu_);
    return changed_.wait_for(lock, std::chrono::seconds(60), [&] { return ids_.size() >= count; });
  }
  std::vector<std::string> ids() const {
    std::lock_guard lock(mu_);
    return ids_;
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable changed_;
  std::vector<std::string> ids_;
};

// The generation ids stored in the SQLite file at `path` (opened read-write: the WAL the killed
// gateway left behind is recovered on open, as the next gateway would).
std::set<std::string> StoredIds(const std::string& path) {
  std::set<std::string> ids;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << "cannot open " << path << ": " << sqlite3_errmsg(db);
    sqlite3_close(db);
    return ids;
  }
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, "SELECT id FROM generations", -1, &stmt, nullptr);
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    ids.insert(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return ids;
}

class DurabilityTest : public Cluster {
 protected:
  // Clients each send requests in a loop (alternating stream and non-stream) until the gateway
  // is gone; an answer counts as received only when its end arrived.
  void RunClients(int port, int clients, std::atomic<bool>& killed,
                  std::atomic<int>& failures_before_kill) {
    for (int c = 0; c < clients; ++c) {
      clients_.emplace_back([&, port, c] {
        for (int i = 0; !killed.load(); ++i) {
          const bool stream = (c + i) % 2 == 0;
          try {
            if (stream) {
              const StreamResponse response =
                  PostStream(port, "/v1/chat/completions", ChatBody("it/chat", true));
              if (!response.events.empty() && response.events.back() == "[DONE]") {
                answers_.Add(response.headers.at("x-generation-id"));
                continue;
              }
            } else {
              const HttpResponse response = Post(port, "/v1/chat/completions", ChatBody("it/chat"));
              if (response.status == 200) {
                answers_.Add(response.Json().at("id").get<std::string>());
                continue;
              }
            }
          } catch (const std::exception&) {
            // The connection failed: expected once the gateway is killed.
          }
          if (!killed.load()) failures_before_kill.fetch_add(1);
          return;
        }
      });
    }
  }

  void JoinClients() {
    for (std::thread& client : clients_) client.join();
    clients_.clear();
  }

  ReceivedAnswers answers_;
  std::vector<std::thread> clients_;
};

TEST_F(DurabilityTest, EveryAnswerAClientReceivedIsInTheLedgerAfterSigkill) {
  const int sim = StartSimulator();
  const std::string ledger = WriteTempFile("durability.sqlite3", "");
  std::filesystem::remove(ledger);
  // A flush interval of a minute: without the commit-before-answer rule, every record of this
  // test would still be in memory at the kill (durability: async fails this test).
  const std::string yaml =
      GatewayYaml({{"sim", sim, ""}},
                  {{"it/chat", {{"sim", "sim-model?tokens=24&chunk_interval_ms=1"}}}}) +
      "accounting:\n  database: " + ledger + "\n  flush_interval_ms: 60000\n";
  const int port = StartGateway(yaml);
  ASSERT_GT(port, 0);

  constexpr int kClients = 16;
  constexpr size_t kKillAfter = 300;  // complete answers observed before the kill
  std::atomic<bool> killed{false};
  std::atomic<int> failures_before_kill{0};
  RunClients(port, kClients, killed, failures_before_kill);
  const bool enough = answers_.WaitFor(kKillAfter);
  gateway().Signal(SIGKILL);
  killed = true;
  EXPECT_EQ(gateway().WaitForExit(), 128 + SIGKILL);
  JoinClients();
  ASSERT_TRUE(enough) << "the clients did not receive " << kKillAfter << " answers";
  EXPECT_EQ(failures_before_kill.load(), 0);

  // Every answer received (including those that arrived between the signal and the death).
  const std::vector<std::string> received = answers_.ids();
  const std::set<std::string> stored = StoredIds(ledger);
  size_t missing = 0;
  for (const std::string& id : received) {
    if (!stored.contains(id)) {
      ++missing;
      ADD_FAILURE() << "answer " << id << " reached the client, its record is not in the ledger";
      if (missing > 10) break;
    }
  }
  EXPECT_GE(received.size(), kKillAfter);

  // A gateway restarted on the same file serves those records.
  gateway_.reset();
  const int restarted = StartGateway(yaml);
  ASSERT_GT(restarted, 0);
  for (const std::string& id : {received.front(), received.back()}) {
    EXPECT_EQ(Get(restarted, "/v1/generation?id=" + id).status, 200) << id;
  }
}

// The ledger cannot be written (another connection holds its write lock): the answer in flight
// still goes out, counted as not durable; the next request is refused with 503; once the lock
// is released the record is written, once.
TEST_F(DurabilityTest, AnAnswerWhoseRecordCannotBeWrittenStillGoesOutAndIsRecordedOnRecovery) {
  const int sim = StartSimulator();
  const std::string ledger = WriteTempFile("failing.sqlite3", "");
  std::filesystem::remove(ledger);
  const std::string yaml =
      GatewayYaml({{"sim", sim, ""}}, {{"it/chat", {{"sim", "sim-model?tokens=4"}}}}) +
      "accounting:\n  database: " + ledger + "\n  retention_days: 0\n";
  const int port = StartGateway(yaml);
  ASSERT_GT(port, 0);

  sqlite3* blocker = nullptr;
  ASSERT_EQ(sqlite3_open(ledger.c_str(), &blocker), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(blocker, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr), SQLITE_OK);
  // The batch waits busy_timeout (2 s) for the lock, fails, and releases the answer.
  const HttpResponse answered = Post(port, "/v1/chat/completions", ChatBody("it/chat"));
  ASSERT_EQ(answered.status, 200) << answered.body;
  const std::string id = answered.Json().at("id").get<std::string>();
  const std::string metrics = Get(port, "/metrics").body;
  EXPECT_NE(metrics.find("gateway_ledger_answers_not_durable_total 1"), std::string::npos);
  EXPECT_NE(metrics.find("gateway_ledger_failing 1"), std::string::npos);
  const HttpResponse refused = Post(port, "/v1/chat/completions", ChatBody("it/chat"));
  EXPECT_EQ(refused.status, 503) << refused.body;
  EXPECT_NE(refused.body.find("usage accounting is failing"), std::string::npos) << refused.body;

  ASSERT_EQ(sqlite3_exec(blocker, "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(blocker);
  const auto recovered = gateway().WaitForLine(
      [](const std::string& line) { return line.find("ledger_recovered") != std::string::npos; });
  ASSERT_TRUE(recovered.has_value()) << "the ledger did not recover";
  EXPECT_EQ(StoredIds(ledger).count(id), 1u);
  // The line is written before the state admission reads (Ledger::Committed, as Failed): wait for
  // the state itself before the next request.
  ASSERT_TRUE(WaitUntil([&] {
    return Get(port, "/metrics").body.find("\ngateway_ledger_failing 0") != std::string::npos;
  }));
  EXPECT_EQ(Post(port, "/v1/chat/completions", ChatBody("it/chat")).status, 200);
}

}  // namespace
}  // namespace gw::testing

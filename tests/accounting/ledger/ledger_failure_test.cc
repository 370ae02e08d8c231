// Ledger write failures, provoked for real: a database size limit (SQLITE_FULL) and another
// process holding the write lock. Admission refuses new requests with a reason while the
// database fails; on recovery every record is written exactly once.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <mutex>
#include <string>
#include <vector>

#include "accounting/ledger/ledger.h"
#include "tests/accounting/ledger/ledger_test_util.h"

namespace gw::accounting {
namespace {

using namespace std::chrono_literals;
using testing::FreshDir;
using testing::MakeRecord;
using testing::QueryInt;

// Collects the ledger's log lines from its consumer thread.
struct LogSink {
  std::mutex mu;
  std::vector<std::string> lines;
  bool Contains(std::string_view text) {
    std::lock_guard lock(mu);
    for (const auto& line : lines) {
      if (line.find(text) != std::string::npos) return true;
    }
    return false;
  }
};

int64_t PageCount(sqlite3* db) {
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA page_count", -1, &stmt, nullptr);
  sqlite3_step(stmt);
  const int64_t pages = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  return pages;
}

// A ledger whose database is "full" (no page beyond the current ones) while `full` is set.
struct FullDiskLedger {
  std::atomic<bool> full{false};
  LogSink log;
  LedgerOptions options;
  std::unique_ptr<Ledger> ledger;

  explicit FullDiskLedger(const std::string& dir) {
    options.path = dir + "/ledger.db";
    options.retention_days = 0;
    options.flush_interval = 5ms;
    options.retry_interval = 5ms;
    options.max_batch = 500;
    options.log = [this](std::string_view line) {
      std::lock_guard lock(log.mu);
      log.lines.emplace_back(line);
    };
    options.before_write = [this](sqlite3* db) {
      const std::string limit =
          full.load() ? std::to_string(PageCount(db)) : std::string("1073741823");
      sqlite3_exec(db, ("PRAGMA max_page_count = " + limit).c_str(), nullptr, nullptr, nullptr);
    };
    ledger = Ledger::Open(options);
  }
};

GenerationRecord BulkyRecord(const std::string& id) {
  GenerationRecord r = MakeRecord(id);
  r.user = std::string(300, 'u') + id;  // a few hundred records need new pages
  return r;
}

TEST(LedgerFailureTest, DiskFullRefusesNewRequestsThenRecoversWritingEveryRecordOnce) {
  FullDiskLedger f(FreshDir());
  Ledger& ledger = *f.ledger;
  ledger.Start();
  for (int i = 0; i < 100; ++i) ledger.Push(BulkyRecord("gen-before-" + std::to_string(i)));
  ASSERT_TRUE(ledger.Flush(10s));

  f.full = true;
  for (int i = 0; i < 3000; ++i) ledger.Push(BulkyRecord("gen-during-" + std::to_string(i)));
  ASSERT_TRUE(ledger.WaitFor([](const Ledger::Stats& s) { return s.failing; }, 10s));
  EXPECT_FALSE(ledger.Admit());
  EXPECT_EQ(ledger.RefusalReason(),
            "usage ledger " + f.options.path +
                " cannot be written: database or disk is full; new requests are refused until it "
                "recovers");
  EXPECT_TRUE(f.log.Contains("\"event\":\"ledger_write_failed\""));
  EXPECT_TRUE(f.log.Contains("database or disk is full"));
  EXPECT_FALSE(ledger.Flush(50ms));                         // nothing gets through while full
  EXPECT_TRUE(ledger.Find("gen-during-2999").has_value());  // held in memory, still findable
  // Retries keep failing (and are counted) until space comes back.
  ASSERT_TRUE(ledger.WaitFor([](const Ledger::Stats& s) { return s.write_errors >= 3; }, 10s));

  f.full = false;
  ASSERT_TRUE(ledger.Flush(10s));
  EXPECT_TRUE(ledger.Admit());
  EXPECT_EQ(ledger.RefusalReason(), "");
  EXPECT_TRUE(f.log.Contains("\"event\":\"ledger_recovered\""));
  ledger.Stop();

  const auto stats = ledger.GetStats();
  EXPECT_EQ(stats.written, 3100u);
  EXPECT_EQ(stats.duplicates, 0u);
  EXPECT_EQ(stats.lost, 0u);
  EXPECT_FALSE(stats.failing);
  const std::string& path = f.options.path;
  EXPECT_EQ(QueryInt(path, "SELECT COUNT(*) FROM generations"), 3100);
  EXPECT_EQ(QueryInt(path, "SELECT COUNT(DISTINCT id) FROM generations"), 3100);
  EXPECT_EQ(QueryInt(path, "SELECT SUM(requests) FROM usage_daily"), 3100);
  EXPECT_EQ(QueryInt(path, "SELECT SUM(requests) FROM usage_hourly"), 3100);
  EXPECT_EQ(QueryInt(path, "SELECT SUM(requests) FROM usage_daily_model"), 3100);
  EXPECT_EQ(QueryInt(path, "SELECT SUM(requests) FROM usage_daily_app"), 3100);
  EXPECT_EQ(QueryInt(path, "SELECT SUM(requests) FROM usage_daily_dim WHERE dim = 2"), 3100);
}

TEST(LedgerFailureTest, StopGivesUpOnADatabaseThatStaysFullAndCountsTheLoss) {
  FullDiskLedger f(FreshDir());
  f.options.stop_timeout = 50ms;
  f.ledger = Ledger::Open(f.options);
  Ledger& ledger = *f.ledger;
  ledger.Start();
  f.full = true;
  for (int i = 0; i < 2000; ++i) ledger.Push(BulkyRecord("gen-" + std::to_string(i)));
  ASSERT_TRUE(ledger.WaitFor([](const Ledger::Stats& s) { return s.failing; }, 10s));
  ledger.Stop();  // returns after stop_timeout instead of hanging the shutdown
  const auto stats = ledger.GetStats();
  EXPECT_EQ(stats.written + stats.lost, 2000u);
  EXPECT_GT(stats.lost, 0u);
  EXPECT_EQ(stats.queue_depth, 0u);
  EXPECT_TRUE(f.log.Contains("\"event\":\"ledger_records_lost\""));
}

TEST(LedgerFailureTest, AnotherWriterHoldingTheLockFailsWritesUntilItLetsGo) {
  const std::string dir = FreshDir();
  LedgerOptions options;
  options.path = dir + "/ledger.db";
  options.retention_days = 0;
  options.flush_interval = 5ms;
  options.retry_interval = 5ms;
  options.busy_timeout = 20ms;
  options.log = [](std::string_view) {};
  auto ledger = Ledger::Open(options);
  ledger->Start();

  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(options.path.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr), SQLITE_OK);
  for (int i = 0; i < 10; ++i) ledger->Push(MakeRecord("gen-" + std::to_string(i)));
  ASSERT_TRUE(ledger->WaitFor([](const Ledger::Stats& s) { return s.failing; }, 10s));
  EXPECT_FALSE(ledger->Admit());
  EXPECT_NE(ledger->RefusalReason().find("cannot be written: database is locked"),
            std::string::npos);

  ASSERT_EQ(sqlite3_exec(other, "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(other);
  ASSERT_TRUE(ledger->Flush(10s));
  EXPECT_TRUE(ledger->Admit());
  ledger->Stop();
  EXPECT_EQ(QueryInt(options.path, "SELECT COUNT(*) FROM generations"), 10);
}

}  // namespace
}  // namespace gw::accounting

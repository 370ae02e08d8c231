// When the insights rollups are written: not in the batch transactions answers wait for, but in
// a flush of their own with a watermark; after a crash between a commit and that flush, the next
// start counts the rows past the watermark, once.
#include <filesystem>

#include "accounting/ledger/insights_reports.h"
#include "accounting/ledger/ledger.h"
#include "accounting/ledger/length_histogram.h"
#include "accounting/ledger/schema.h"
#include "tests/accounting/ledger/ledger_test_util.h"

namespace gw::accounting {
namespace {

using namespace std::chrono_literals;
using testing::FreshDir;
using testing::kDay0Ms;
using testing::kDayMs;

// Served requests of one model, spread over the first days of the traffic week.
GenerationRecord Served(int i) {
  testing::RecordSpec spec;
  spec.id = "gen-" + std::to_string(i);
  spec.created_at_ms = kDay0Ms + (i % 3) * kDayMs;
  spec.user = "user" + std::to_string(i % 4);
  spec.prompt = 100 + i;
  GenerationRecord record = testing::MakeRecord(spec);
  record.category = i % 2 == 0 ? "programming" : "roleplay";
  record.language = "en";
  return record;
}

// The requests of every length histogram of `kind` (0 prompt, 1 completion) added up.
int64_t HistogramRequests(const std::string& path, int kind) {
  sqlite::Db db = OpenLedgerForReading(path, 1s);
  sqlite::Stmt rows(db.get(), "SELECT histogram FROM insights_weekly_length WHERE kind = ?1");
  rows.Bind(1, int64_t{kind});
  int64_t total = 0;
  while (rows.Step() == SQLITE_ROW) {
    LengthCounts counts;
    EXPECT_TRUE(AddLengthHistogram(rows.Text(0), counts)) << rows.Text(0);
    for (const int64_t requests : counts) total += requests;
  }
  return total;
}

int64_t InsightRequests(const std::string& path) {
  return testing::QueryInt(path, "SELECT IFNULL(SUM(requests), 0) FROM insights_weekly_model");
}

// What the analyses read for the week of the traffic.
InsightTotals WeekTotals(const std::string& path) {
  auto reader = LedgerReader::Open(path, [] { return kDay0Ms + 3 * kDayMs; });
  return InsightsWeekly(*reader, LastWeeks(reader->Today(), 1))[0].totals;
}

TEST(InsightsFlushTest, TheInsightsAreFlushedApartFromTheBatchesAndAtStop) {
  LedgerOptions options = testing::QuietOptions(FreshDir());
  options.insights_flush_interval = 1h;
  auto ledger = Ledger::Open(options);
  ledger->Start();
  for (int i = 0; i < 10; ++i) ledger->Push(Served(i));
  ASSERT_TRUE(ledger->Flush(10s));
  EXPECT_EQ(testing::QueryInt(options.path, "SELECT COUNT(*) FROM generations"), 10);
  EXPECT_EQ(InsightRequests(options.path), 0);  // committed, not yet in the insights
  ledger->Stop();
  EXPECT_EQ(InsightRequests(options.path), 10);
  EXPECT_EQ(testing::QueryInt(options.path, "SELECT through_rowid FROM insights_state"), 10);
}

TEST(InsightsFlushTest, AStartCountsTheRowsACrashLeftPastTheWatermarkOnce) {
  const std::string dir = FreshDir();
  LedgerOptions options = testing::QuietOptions(dir);
  options.insights_flush_interval = 1h;
  auto ledger = Ledger::Open(options);
  ledger->Start();
  for (int i = 0; i < 6; ++i) ledger->Push(Served(i));
  ledger->Stop();  // six records in the insights
  auto running = Ledger::Open(options);
  running->Start();
  for (int i = 6; i < 20; ++i) running->Push(Served(i));
  ASSERT_TRUE(running->Flush(10s));
  // The files as a crash would leave them now: fourteen more rows committed, their insights
  // only in memory.
  const std::string crashed = dir + "/crashed";
  std::filesystem::create_directories(crashed);
  for (const char* suffix : {"", "-wal"}) {
    std::filesystem::copy_file(options.path + suffix, crashed + "/ledger.db" + suffix);
  }
  running->Stop();
  EXPECT_EQ(InsightRequests(crashed + "/ledger.db"), 6);

  for (int start = 0; start < 2; ++start) {  // the second start finds nothing past the mark
    auto recovered = Ledger::Open(testing::QuietOptions(crashed));
    recovered->Start();
    recovered->Stop();
    EXPECT_EQ(InsightRequests(crashed + "/ledger.db"), 20) << "start " << start;
  }
  const InsightTotals expected = WeekTotals(options.path);  // the ledger that did not crash
  const InsightTotals recovered = WeekTotals(crashed + "/ledger.db");
  EXPECT_EQ(recovered.requests, 20);
  EXPECT_EQ(recovered.requests, expected.requests);
  EXPECT_EQ(recovered.prompt_tokens, expected.prompt_tokens);
  EXPECT_EQ(recovered.cost_nano, expected.cost_nano);
  // The second flush added to the first one's length histograms (one row per week, category
  // and kind), in both files.
  for (const std::string& path : {options.path, crashed + "/ledger.db"}) {
    EXPECT_EQ(HistogramRequests(path, 0), 20) << path;
    EXPECT_EQ(HistogramRequests(path, 1), 20) << path;
    EXPECT_EQ(testing::QueryInt(path, "SELECT COUNT(*) FROM insights_weekly_length"), 4)
        << path;  // two categories, two kinds
  }
}

TEST(InsightsFlushTest, ADuplicateOrAFailedRequestIsNotCounted) {
  LedgerOptions options = testing::QuietOptions(FreshDir());
  auto ledger = Ledger::Open(options);
  ledger->Start();
  ledger->Push(Served(1));
  ledger->Push(Served(1));  // the same id again: stored and counted once
  GenerationRecord failed = Served(2);
  failed.http_status = 502;  // a provider was tried and failed
  ledger->Push(failed);
  GenerationRecord unrouted = Served(3);
  unrouted.provider.clear();
  ledger->Push(unrouted);
  ledger->Stop();
  EXPECT_EQ(testing::QueryInt(options.path, "SELECT COUNT(*) FROM generations"), 3);
  EXPECT_EQ(InsightRequests(options.path), 1);
}

TEST(InsightsFlushTest, AMalformedLengthHistogramIsAClearErrorForTheReaderAndTheWriter) {
  LedgerOptions options = testing::QuietOptions(FreshDir());
  {
    auto ledger = Ledger::Open(options);
    ledger->Start();
    ledger->Push(Served(0));
    ledger->Stop();
  }
  {
    sqlite::Db db = OpenLedgerForWriting(options.path, 1s);
    sqlite::Failure failure;
    ASSERT_TRUE(
        db.Exec("UPDATE insights_weekly_length SET histogram = '12:x' WHERE kind = 0", &failure))
        << failure.message;
  }
  auto reader = LedgerReader::Open(options.path, [] { return kDay0Ms + 3 * kDayMs; });
  try {
    InsightsLengths(*reader, LastWeeks(reader->Today(), 1));
    ADD_FAILURE() << "no error";
  } catch (const LedgerError& error) {
    EXPECT_NE(std::string(error.what()).find("malformed histogram"), std::string::npos)
        << error.what();
  }
  // The writer refuses to add to it rather than overwrite it.
  sqlite::Db db = OpenLedgerForWriting(options.path, 1s);
  InsightsBatch batch;
  batch.Add(Served(2));  // the same week and category as Served(0)
  InsightsWriter writer(db.get());
  sqlite::Failure failure;
  EXPECT_FALSE(writer.Write(batch, &failure));
  EXPECT_NE(failure.message.find("malformed histogram: 12:x"), std::string::npos)
      << failure.message;
  EXPECT_EQ(testing::QueryText(options.path,
                               "SELECT histogram FROM insights_weekly_length WHERE kind = 0"),
            "12:x");
}

}  // namespace
}  // namespace gw::accounting

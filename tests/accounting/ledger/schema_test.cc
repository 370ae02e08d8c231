// Opening a ledger: schema creation, migrations from an older version, and every start-up
// failure as a clear LedgerError naming the file.
#include "accounting/ledger/schema.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <fstream>

#include "accounting/ledger/ledger.h"
#include "accounting/ledger/usage_reports.h"
#include "tests/accounting/ledger/ledger_test_util.h"

namespace gw::accounting {
namespace {

using namespace std::chrono_literals;
using testing::FreshDir;
using testing::MakeRecord;
using testing::QueryInt;
using testing::RecordSpec;

LedgerOptions Options(const std::string& path) {
  LedgerOptions options;
  options.path = path;
  options.retention_days = 0;
  options.busy_timeout = 100ms;
  options.log = [](std::string_view) {};
  return options;
}

// The message of the LedgerError that `open` throws ("" when it does not throw).
template <typename F>
std::string ErrorOf(F open) {
  try {
    open();
  } catch (const LedgerError& e) {
    return e.what();
  }
  return "";
}

void Exec(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK)
      << (error ? error : "");
  sqlite3_free(error);
  sqlite3_close(db);
}

TEST(SchemaTest, CreatesTheDirectoryAndTheCurrentSchemaInWalMode) {
  const std::string path = FreshDir() + "/a/b/ledger.db";
  Ledger::Open(Options(path));
  EXPECT_EQ(QueryInt(path, "PRAGMA user_version"), LedgerMigrations().back().version);
  EXPECT_EQ(QueryInt(path, "SELECT COUNT(*) FROM pragma_journal_mode WHERE journal_mode = 'wal'"),
            1);
  for (const char* table :
       {"generations", "usage_hourly", "usage_daily", "usage_daily_model", "usage_daily_app",
        "usage_daily_dim", "usage_hourly_model", "usage_hourly_dim"}) {
    EXPECT_EQ(QueryInt(path, std::string("SELECT COUNT(*) FROM sqlite_master WHERE name = '") +
                                 table + "'"),
              1)
        << table;
  }
}

TEST(SchemaTest, MigrationsAreNumberedInOrder) {
  int expected = 1;
  for (const Migration& step : LedgerMigrations()) EXPECT_EQ(step.version, expected++);
}

TEST(SchemaTest, UpgradesAVersion1DatabaseAndBackfillsTheNewRollups) {
  const std::string path = FreshDir() + "/ledger.db";
  {
    auto db = OpenLedgerForWriting(path, 1s, LedgerMigrations().first(1));
    EXPECT_EQ(LedgerSchemaVersion(db, path), 1);
  }
  // What a version-1 gateway would have written: daily rollups for two days.
  const int64_t day = testing::kDay0Ms / testing::kDayMs;
  Exec(path, "INSERT INTO usage_daily VALUES (" + std::to_string(day) +
                 ", 'openai/gpt-4o', 'openai', 'openai', 'App', 'k1', 'alice', 3, 300, 30, 0, 0, "
                 "0, 0, 0, 9000, 0, 0), (" +
                 std::to_string(day + 1) +
                 ", 'openai/gpt-4o', 'azure', 'openai', '', 'k2', 'bob', 2, 200, 20, 5, 10, 0, 0, "
                 "0, 4000, 1, 0)");
  // ... and its hourly rollup of the first day's noon, two keys' rows.
  const int64_t noon = day * 24 + 12;
  Exec(path, "INSERT INTO usage_hourly VALUES (" + std::to_string(noon) +
                 ", 'openai/gpt-4o', 'openai', 'openai', 'App', 'k1', 'alice', 2, 200, 20, 0, 0, "
                 "0, 0, 0, 6000, 0, 0), (" +
                 std::to_string(noon) +
                 ", 'openai/gpt-4o', 'openai', 'openai', 'App', 'k2', 'bob', 1, 100, 10, 0, 0, "
                 "0, 0, 0, 3000, 0, 0)");
  auto ledger = Ledger::Open(Options(path));
  EXPECT_EQ(QueryInt(path, "PRAGMA user_version"), LedgerMigrations().back().version);
  RecordSpec spec;
  spec.id = "gen-new";
  spec.app = "App";
  spec.api_key_id = "k1";
  spec.user = "alice";
  spec.model = "openai/gpt-4o";
  spec.cost = 1000;
  ledger->Start();
  ledger->Push(MakeRecord(spec));
  ledger->Stop();

  auto reader = LedgerReader::Open(path);
  // Version 3 added the API a record came in by; older rows read as chat completions.
  const std::optional<GenerationRecord> written = reader->FindGeneration("gen-new");
  ASSERT_TRUE(written.has_value());
  EXPECT_EQ(written->api, "chat_completions");
  // Version 4 added the insights columns; a record that sets none reads as not recorded.
  EXPECT_EQ(written->category, "");
  EXPECT_EQ(written->language, "");
  EXPECT_EQ(written->model_parameters_m, 0);
  UsageQuery query;
  query.from = "2026-03-10";
  query.to = "2026-03-11";
  query.by = UsageDimension::kApp;
  const UsageReport by_app = reader->Usage(query);
  ASSERT_EQ(by_app.rows.size(), 2u);
  EXPECT_EQ(by_app.rows[0].name, "App");
  EXPECT_EQ(by_app.rows[0].requests, 4);
  EXPECT_EQ(by_app.rows[0].cost_nano, 10'000);
  EXPECT_EQ(by_app.rows[1].name, "");
  EXPECT_EQ(by_app.totals.requests, 6);
  query.by = UsageDimension::kProvider;
  const UsageReport by_provider = reader->Usage(query);
  ASSERT_EQ(by_provider.rows.size(), 2u);
  EXPECT_EQ(by_provider.rows[0].name, "openai");
  EXPECT_EQ(by_provider.rows[0].requests, 4);
  EXPECT_EQ(by_provider.rows[1].name, "azure");
  EXPECT_EQ(by_provider.rows[1].cached_tokens, 10);
  ActivityQuery app_activity;  // served by the backfilled usage_daily_app
  app_activity.from = "2026-03-10";
  app_activity.to = "2026-03-11";
  app_activity.filters.app = "App";
  const auto rows = reader->Activity(app_activity);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].requests, 4);
  EXPECT_EQ(rows[0].cost_nano, 10'000);
  // Version 5 backfilled the narrow hourly rollups from usage_hourly (the new record, at
  // kDay0Ms, is in another hour).
  const std::vector<UsageRow> hourly_models =
      reader->GroupedHourlySum(UsageDimension::kModel, noon, noon, {});
  ASSERT_EQ(hourly_models.size(), 1u);
  EXPECT_EQ(hourly_models[0].requests, 3);
  EXPECT_EQ(hourly_models[0].prompt_tokens, 300);
  std::vector<UsageRow> hourly_keys =
      reader->GroupedHourlySum(UsageDimension::kApiKey, noon, noon, {});
  std::sort(hourly_keys.begin(), hourly_keys.end(),
            [](const UsageRow& a, const UsageRow& b) { return a.name < b.name; });
  ASSERT_EQ(hourly_keys.size(), 2u);
  EXPECT_EQ(hourly_keys[0].name, "k1");
  EXPECT_EQ(hourly_keys[0].cost_nano, 6000);
  EXPECT_EQ(hourly_keys[1].name, "k2");
  EXPECT_EQ(hourly_keys[1].requests, 1);
  EXPECT_EQ(QueryInt(path, "SELECT SUM(requests) FROM usage_hourly_dim WHERE dim = 2"), 4);
}

TEST(SchemaTest, Version5FoldsEachLengthHistogramIntoOneRow) {
  const std::string path = FreshDir() + "/ledger.db";
  {
    auto db = OpenLedgerForWriting(path, 1s, LedgerMigrations().first(4));
    EXPECT_EQ(LedgerSchemaVersion(db, path), 4);
  }
  // Version 4 kept a row per (week, category, kind, bucket), written in any order.
  Exec(path,
       "INSERT INTO insights_weekly_length VALUES (2900, 'programming', 0, 40, 3), "
       "(2900, 'programming', 0, 37, 5), (2900, 'programming', 1, 20, 2), (2900, '', 0, 0, 1), "
       "(2901, 'programming', 0, 12, 7), (2901, 'roleplay', 1, 9, 0)");
  OpenLedgerForWriting(path, 1s);
  EXPECT_EQ(QueryInt(path, "PRAGMA user_version"), LedgerMigrations().back().version);
  EXPECT_EQ(QueryInt(path, "SELECT COUNT(*) FROM insights_weekly_length"), 4);  // no empty one
  const auto histogram = [&](int64_t week, const std::string& category, int kind) {
    return testing::QueryText(
        path, "SELECT histogram FROM insights_weekly_length WHERE week = " + std::to_string(week) +
                  " AND category = '" + category + "' AND kind = " + std::to_string(kind));
  };
  EXPECT_EQ(histogram(2900, "programming", 0), "37:5 40:3");  // ascending buckets
  EXPECT_EQ(histogram(2900, "programming", 1), "20:2");
  EXPECT_EQ(histogram(2900, "", 0), "0:1");
  EXPECT_EQ(histogram(2901, "programming", 0), "12:7");
}

TEST(SchemaTest, ANewerSchemaIsAClearError) {
  const std::string path = FreshDir() + "/ledger.db";
  Ledger::Open(Options(path));
  Exec(path, "PRAGMA user_version = 99");
  EXPECT_EQ(ErrorOf([&] { Ledger::Open(Options(path)); }),
            "usage ledger " + path + " has schema version 99, newer than this gateway knows (" +
                std::to_string(LedgerMigrations().back().version) +
                "); run a newer gateway or use another file");
  EXPECT_EQ(ErrorOf([&] { LedgerReader::Open(path); }),
            "usage ledger " + path + " has schema version 99, this program reads version " +
                std::to_string(LedgerMigrations().back().version) +
                "; use a newer version of this program");
  EXPECT_EQ(QueryInt(path, "PRAGMA user_version"), 99);  // left untouched
}

TEST(SchemaTest, ACorruptFileIsAClearError) {
  const std::string path = FreshDir() + "/ledger.db";
  {
    std::ofstream out(path, std::ios::binary);
    for (int i = 0; i < 512; ++i) out << "not a database, just some bytes ";
  }
  const std::string expected =
      "usage ledger " + path + " is not a SQLite database or is corrupt: file is not a database";
  EXPECT_EQ(ErrorOf([&] { Ledger::Open(Options(path)); }), expected);
  EXPECT_EQ(ErrorOf([&] { LedgerReader::Open(path); }), expected);
}

TEST(SchemaTest, ADatabaseLockedByAnotherProcessIsAClearError) {
  const std::string path = FreshDir() + "/ledger.db";
  Ledger::Open(Options(path));
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr), SQLITE_OK);
  EXPECT_EQ(ErrorOf([&] { Ledger::Open(Options(path)); }),
            "usage ledger " + path +
                " is locked by another process (database is locked); stop the other program "
                "writing it or use another file");
  sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(other);
  EXPECT_EQ(ErrorOf([&] { Ledger::Open(Options(path)); }), "");
}

TEST(SchemaTest, AnUnwritablePathIsAClearError) {
  const std::string dir = FreshDir();
  { std::ofstream(dir + "/file") << "x"; }
  const std::string path = dir + "/file/ledger.db";
  const std::string message = ErrorOf([&] { Ledger::Open(Options(path)); });
  EXPECT_EQ(
      message.rfind("usage ledger " + path + ": cannot create directory " + dir + "/file: ", 0), 0u)
      << message;
}

TEST(SchemaTest, AMissingFileIsAClearErrorForTheReader) {
  const std::string path = FreshDir() + "/none.db";
  EXPECT_EQ(ErrorOf([&] { LedgerReader::Open(path); }), "usage ledger " + path + " does not exist");
}

TEST(SchemaTest, AFailingMigrationLeavesTheDatabaseUntouched) {
  const std::string path = FreshDir() + "/ledger.db";
  { OpenLedgerForWriting(path, 1s, LedgerMigrations().first(1)); }
  const Migration broken[] = {LedgerMigrations()[0],
                              LedgerMigrations()[1],
                              {3, "broken step", "CREATE TABLE x (a); SELECT * FROM missing;"}};
  const std::string message = ErrorOf([&] { OpenLedgerForWriting(path, 1s, broken); });
  EXPECT_EQ(message, "usage ledger " + path +
                         ": migration to schema version 3 (broken step) failed: no such table: "
                         "missing");
  EXPECT_EQ(QueryInt(path, "PRAGMA user_version"), 1);  // version 2 rolled back as well
  EXPECT_EQ(QueryInt(path, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'usage_daily_dim'"), 0);
}

}  // namespace
}  // namespace gw::accounting

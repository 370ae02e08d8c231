// Shipping the ledger to a real PostgreSQL server (Debian's, started by the test in a scratch
// directory, postgres_server.h): every record arrives once with its rollup, a batch shipped
// again is skipped by id, records wait in the local file while the server is down and are
// shipped when it is back, the schema is versioned, and retention keeps what is not shipped.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "accounting/ledger/generation_json.h"
#include "accounting/ledger/postgres/pg_connection.h"
#include "accounting/ledger/postgres/pg_schema.h"
#include "accounting/ledger/postgres/pg_shipper.h"
#include "accounting/ledger/postgres/pg_usage_reader.h"
#include "accounting/ledger/postgres/shipping_source.h"
#include "accounting/ledger/rankings.h"
#include "accounting/ledger/rollups.h"
#include "tests/accounting/ledger/ledger_test_util.h"
#include "tests/common/postgres_server.h"

namespace gw::accounting::postgres {
namespace {

using namespace std::chrono_literals;
using accounting::testing::FreshDir;
using accounting::testing::kDay0Ms;
using accounting::testing::kDayMs;
using accounting::testing::MakeRecord;
using accounting::testing::QueryInt;
using accounting::testing::QuietOptions;
using accounting::testing::RecordSpec;

class PostgresShipperTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_ = QuietOptions(FreshDir());
    options_.keep_unshipped = true;
  }

  ShipperOptions Shipping() const {
    ShipperOptions options;
    options.ledger_path = options_.path;
    options.url = server_.url();
    options.instance = "test-instance";
    options.interval = 10ms;
    options.retry_interval = 20ms;
    options.batch = 7;  // several batches
    options.log = [this](std::string_view line) {
      std::lock_guard lock(log_mu_);
      log_.emplace_back(line);
    };
    return options;
  }

  // Writes the records of `specs` into the local ledger.
  void Write(const std::vector<RecordSpec>& specs) {
    auto ledger = Ledger::Open(options_);
    ledger->Start();
    for (const RecordSpec& spec : specs) ledger->Push(MakeRecord(spec));
    ASSERT_TRUE(ledger->Flush(10s));
    ledger->Stop();
  }

  // Writes `count` records (ids gen-<first>...) into the local ledger.
  void WriteRecords(int first, int count, int64_t created_at_ms = kDay0Ms) {
    std::vector<RecordSpec> specs;
    for (int i = first; i < first + count; ++i) {
      RecordSpec spec;
      spec.id = "gen-" + std::to_string(i);
      spec.created_at_ms = created_at_ms + i;
      spec.api_key_id = i % 2 ? "key-a" : "key-b";
      spec.cost = 1000 + i;
      specs.push_back(std::move(spec));
    }
    Write(specs);
  }

  // Runs `sql` on the local ledger file; false on failure.
  bool Local(const std::string& sql) const {
    sqlite3* db = nullptr;
    const bool ok = sqlite3_open(options_.path.c_str(), &db) == SQLITE_OK &&
                    sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
    sqlite3_close(db);
    return ok;
  }

  // The first value of `sql` on the server, as text; "(error: ...)" on failure.
  std::string Pg(const std::string& sql) const {
    std::string error;
    auto connection = PgConnection::Connect(server_.url(), 5s, &error);
    if (!connection) return "(error: " + error + ")";
    PgRows rows;
    if (!connection->Query(sql, {}, &rows, &error)) return "(error: " + error + ")";
    return rows.rows.empty() ? "(none)" : rows.rows[0][0];
  }

  static bool Drained(const PostgresShipper::Stats& stats) {
    return stats.backlog == 0 && stats.last_error.empty() && stats.batches > 0;
  }

  gw::testing::PostgresServer server_;
  LedgerOptions options_;
  mutable std::mutex log_mu_;
  mutable std::vector<std::string> log_;
};

TEST_F(PostgresShipperTest, ShipsEveryRecordOnceWithItsDailyRollup) {
  WriteRecords(0, 50);
  PostgresShipper shipper(Shipping());
  EXPECT_EQ(shipper.GetStats().backlog, 50);
  shipper.Start();
  ASSERT_TRUE(shipper.WaitFor(Drained, 30s)) << shipper.GetStats().last_error;
  const auto stats = shipper.GetStats();
  EXPECT_EQ(stats.shipped, 50u);
  EXPECT_EQ(stats.duplicates, 0u);
  EXPECT_GE(stats.batches, 8u);  // 50 records, 7 per batch
  EXPECT_EQ(Pg("SELECT count(*) FROM generations"), "50");
  EXPECT_EQ(Pg("SELECT count(DISTINCT instance) || ':' || min(instance) FROM generations"),
            "1:test-instance");
  // The shared rollup holds what the local one holds.
  EXPECT_EQ(Pg("SELECT sum(requests) FROM usage_daily"), "50");
  EXPECT_EQ(Pg("SELECT sum(cost_nano) FROM usage_daily"),
            std::to_string(QueryInt(options_.path, "SELECT SUM(cost_nano) FROM usage_daily")));
  EXPECT_EQ(Pg("SELECT sum(cost_nano) FROM usage_daily WHERE api_key_id = 'key-a'"),
            std::to_string(QueryInt(options_.path,
                                    "SELECT SUM(cost_nano) FROM usage_daily "
                                    "WHERE api_key_id = 'key-a'")));
  EXPECT_EQ(Pg("SELECT sum(prompt_tokens) || '/' || sum(completion_tokens) || '/' || "
               "sum(reasoning_tokens) || '/' || sum(cached_tokens) FROM usage_daily"),
            "5000/1000/500/1250");
  EXPECT_EQ(Pg("SELECT day FROM usage_daily LIMIT 1"), std::to_string(kDay0Ms / kDayMs));
  EXPECT_EQ(QueryInt(options_.path, "SELECT through_rowid FROM postgres_shipping"),
            QueryInt(options_.path, "SELECT MAX(rowid) FROM generations"));
  // New records are shipped as they come.
  WriteRecords(50, 5);
  ASSERT_TRUE(shipper.WaitFor([](const auto& s) { return s.shipped == 55; }, 30s));
  EXPECT_EQ(Pg("SELECT sum(requests) FROM usage_daily"), "55");
}

TEST_F(PostgresShipperTest, EveryColumnArrivesIntactIncludingTabsNewlinesAndBackslashes) {
  auto ledger = Ledger::Open(options_);
  ledger->Start();
  RecordSpec spec;
  spec.id = "gen-odd";
  spec.user = "tab\there\nnew line \\ back\\slash \r ünï \"quoted\"";
  GenerationRecord record = MakeRecord(spec);
  record.tokens_prompt = -1;  // not yet normalized: adds nothing to the rollup
  ledger->Push(record);
  ASSERT_TRUE(ledger->Flush(10s));
  ledger->Stop();
  PostgresShipper shipper(Shipping());
  shipper.Start();
  ASSERT_TRUE(shipper.WaitFor(Drained, 30s)) << shipper.GetStats().last_error;
  EXPECT_EQ(Pg("SELECT \"user\" FROM generations"), spec.user);
  EXPECT_EQ(Pg("SELECT \"user\" FROM usage_daily"), spec.user);
  EXPECT_EQ(Pg("SELECT attempts FROM generations"),
            accounting::testing::QueryText(options_.path, "SELECT attempts FROM generations"));
  EXPECT_EQ(Pg("SELECT tokens_prompt FROM generations"), "-1");
  EXPECT_EQ(Pg("SELECT tokens_prompt FROM usage_daily"), "0");
  // Looked up by id (GET /v1/generation on another instance): the record the file holds.
  auto local = LedgerReader::Open(options_.path);
  PgUsageReader shared(server_.url(), 5s);
  const std::optional<GenerationRecord> want = local->FindGeneration("gen-odd");
  const std::optional<GenerationRecord> got = shared.FindGeneration("gen-odd");
  ASSERT_TRUE(want.has_value());
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(GenerationJson(*got), GenerationJson(*want));
  EXPECT_EQ(got->user, spec.user);
  EXPECT_FALSE(shared.FindGeneration("gen-missing").has_value());
}

TEST_F(PostgresShipperTest, ABatchShippedAgainIsSkippedByIdAndNotCountedTwice) {
  WriteRecords(0, 20);
  {
    PostgresShipper shipper(Shipping());
    shipper.Start();
    ASSERT_TRUE(shipper.WaitFor(Drained, 30s)) << shipper.GetStats().last_error;
  }
  // As if the process died after PostgreSQL committed and before the watermark moved.
  ASSERT_TRUE(Local("UPDATE postgres_shipping SET through_rowid = 3"));
  PostgresShipper again(Shipping());
  EXPECT_EQ(again.GetStats().backlog, 17);
  again.Start();
  ASSERT_TRUE(again.WaitFor(Drained, 30s)) << again.GetStats().last_error;
  EXPECT_EQ(again.GetStats().shipped, 0u);
  EXPECT_EQ(again.GetStats().duplicates, 17u);
  EXPECT_EQ(Pg("SELECT count(*) FROM generations"), "20");
  EXPECT_EQ(Pg("SELECT sum(requests) FROM usage_daily"), "20");
}

TEST_F(PostgresShipperTest, RecordsWaitLocallyWhilePostgresIsDownAndAreShippedWhenItIsBack) {
  WriteRecords(0, 10);
  PostgresShipper shipper(Shipping());
  shipper.Start();
  ASSERT_TRUE(shipper.WaitFor(Drained, 30s)) << shipper.GetStats().last_error;
  server_.Stop(/*crash=*/true);
  WriteRecords(10, 15);
  ASSERT_TRUE(shipper.WaitFor(
      [](const auto& s) { return s.errors >= 2 && !s.connected && s.backlog == 15; }, 30s));
  EXPECT_NE(shipper.GetStats().last_error.find("postgresql"), std::string::npos)
      << shipper.GetStats().last_error;
  server_.Start();
  ASSERT_TRUE(shipper.WaitFor(Drained, 30s)) << shipper.GetStats().last_error;
  EXPECT_EQ(shipper.GetStats().shipped, 25u);
  EXPECT_EQ(Pg("SELECT count(*) || '/' || count(DISTINCT id) FROM generations"), "25/25");
  EXPECT_EQ(Pg("SELECT sum(requests) FROM usage_daily"), "25");
  // One line when shipping failed, one when it worked again.
  std::lock_guard lock(log_mu_);
  ASSERT_EQ(log_.size(), 2u);
  EXPECT_NE(log_[0].find("cannot ship records"), std::string::npos) << log_[0];
  EXPECT_NE(log_[0].find(options_.path), std::string::npos) << log_[0];
  EXPECT_NE(log_[1].find("works again"), std::string::npos) << log_[1];
}

TEST_F(PostgresShipperTest, StopWhilePostgresIsDownKeepsTheRecordsForTheNextStart) {
  server_.Stop();
  WriteRecords(0, 12);
  {
    PostgresShipper shipper(Shipping());
    shipper.Start();
    ASSERT_TRUE(shipper.WaitFor([](const auto& s) { return s.errors >= 1; }, 30s));
    shipper.Stop();  // returns at once: the records are safe in the file
    EXPECT_EQ(shipper.GetStats().backlog, 12);
  }
  {
    std::lock_guard lock(log_mu_);
    ASSERT_FALSE(log_.empty());
    EXPECT_NE(log_.back().find("12 records not yet shipped"), std::string::npos) << log_.back();
  }
  server_.Start();
  PostgresShipper next(Shipping());
  next.Start();
  ASSERT_TRUE(next.WaitFor(Drained, 30s)) << next.GetStats().last_error;
  EXPECT_EQ(Pg("SELECT count(*) FROM generations"), "12");
}

TEST_F(PostgresShipperTest, StopShipsWhatTheLedgerWroteLast) {
  PostgresShipper shipper(Shipping());
  shipper.Start();
  WriteRecords(0, 30);
  shipper.Stop();
  EXPECT_EQ(shipper.GetStats().backlog, 0);
  EXPECT_EQ(Pg("SELECT count(*) FROM generations"), "30");
}

TEST_F(PostgresShipperTest, MigrationsAreVersionedAndAppliedOnceByInstancesStartingTogether) {
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      std::string error;
      auto connection = PgConnection::Connect(server_.url(), 5s, &error);
      if (!connection || !MigratePostgresLedger(*connection, PostgresLedgerMigrations(), &error)) {
        ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(Pg("SELECT count(*) || '/' || max(version) FROM gw_schema_migrations"),
            std::to_string(PostgresLedgerMigrations().size()) + "/" +
                std::to_string(PostgresLedgerMigrations().back().version));
}

TEST_F(PostgresShipperTest, ASchemaNewerThanTheGatewayIsRefusedNamingBothVersions) {
  {
    std::string error;
    auto connection = PgConnection::Connect(server_.url(), 5s, &error);
    ASSERT_TRUE(connection) << error;
    ASSERT_TRUE(MigratePostgresLedger(*connection, PostgresLedgerMigrations(), &error)) << error;
    ASSERT_TRUE(connection->Exec(
        "INSERT INTO gw_schema_migrations (version, description) VALUES (99, 'future')", &error))
        << error;
  }
  WriteRecords(0, 3);
  PostgresShipper shipper(Shipping());
  shipper.Start();
  ASSERT_TRUE(shipper.WaitFor([](const auto& s) { return s.errors >= 1; }, 30s));
  const std::string error = shipper.GetStats().last_error;
  EXPECT_NE(error.find("schema is version 99, newer than this gateway knows (" +
                       std::to_string(PostgresLedgerMigrations().back().version) + ")"),
            std::string::npos)
      << error;
  EXPECT_EQ(shipper.GetStats().backlog, 3);
}

TEST_F(PostgresShipperTest, AColumnTheServerLacksIsAnErrorNamingIt) {
  {
    std::string error;
    auto connection = PgConnection::Connect(server_.url(), 5s, &error);
    ASSERT_TRUE(connection) << error;
    ASSERT_TRUE(MigratePostgresLedger(*connection, PostgresLedgerMigrations(), &error)) << error;
    ASSERT_TRUE(connection->Exec("ALTER TABLE generations DROP COLUMN category", &error)) << error;
  }
  WriteRecords(0, 3);
  PostgresShipper shipper(Shipping());
  shipper.Start();
  ASSERT_TRUE(shipper.WaitFor([](const auto& s) { return s.errors >= 1; }, 30s));
  EXPECT_NE(shipper.GetStats().last_error.find("\"category\""), std::string::npos)
      << shipper.GetStats().last_error;
  EXPECT_EQ(shipper.GetStats().backlog, 3);
}

TEST_F(PostgresShipperTest, AnUnreachableServerIsNamedWithoutThePassword) {
  ShipperOptions options = Shipping();
  options.url = "postgresql://gw:s3cret-pw@/postgres?host=/nonexistent-dir";
  WriteRecords(0, 1);
  PostgresShipper shipper(options);
  shipper.Start();
  ASSERT_TRUE(shipper.WaitFor([](const auto& s) { return s.errors >= 1; }, 30s));
  const std::string error = shipper.GetStats().last_error;
  EXPECT_NE(error.find("cannot connect"), std::string::npos) << error;
  EXPECT_NE(error.find("/nonexistent-dir"), std::string::npos) << error;
  EXPECT_EQ(error.find("s3cret-pw"), std::string::npos) << error;
}

TEST_F(PostgresShipperTest, RetentionKeepsRecordsNotYetShipped) {
  const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  WriteRecords(0, 10, now - 100 * kDayMs);
  ASSERT_TRUE(Local("UPDATE postgres_shipping SET through_rowid = 4"));  // 4 of the 10 shipped
  options_.retention_days = 30;
  {
    auto ledger = Ledger::Open(options_);
    ledger->Start();  // the first retention pass runs at start
    ASSERT_TRUE(ledger->Flush(10s));
    // Rows 1-3: the last shipped one (4) stays, so new rows keep rowids above the watermark.
    EXPECT_EQ(ledger->GetStats().retention_deleted, 3u);
  }
  EXPECT_EQ(QueryInt(options_.path, "SELECT COUNT(*) FROM generations"), 7);
  // Without PostgreSQL, retention deletes them all as before.
  options_.keep_unshipped = false;
  auto ledger = Ledger::Open(options_);
  ledger->Start();
  ASSERT_TRUE(ledger->Flush(10s));
  EXPECT_EQ(QueryInt(options_.path, "SELECT COUNT(*) FROM generations"), 0);
}

// The reports of the shared ledger are those of the local one over the same records: activity
// with and without filters, and the sums by every dimension.
TEST_F(PostgresShipperTest, TheSharedReportsMatchTheLocalOnesOverTheSameRecords) {
  std::vector<RecordSpec> specs;
  const char* models[] = {"openai/gpt-4o-mini", "anthropic/claude-3-5-haiku", "Zeta/upper"};
  for (int i = 0; i < 60; ++i) {
    RecordSpec spec;
    spec.id = "gen-" + std::to_string(i);
    spec.created_at_ms = kDay0Ms + (i / 3 % 3) * kDayMs + i;
    spec.model = models[i % 3];
    spec.provider = i % 2 ? "p-one" : "p-two";
    spec.app = i % 4 ? "App" : "";
    spec.api_key_id = "key-" + std::to_string(i % 5);
    spec.user = i % 7 ? "alice" : "bob";
    spec.prompt = 10 + i;
    spec.cost = 1000 * i;
    specs.push_back(std::move(spec));
  }
  Write(specs);
  PostgresShipper shipper(Shipping());
  shipper.Start();
  ASSERT_TRUE(shipper.WaitFor(Drained, 30s)) << shipper.GetStats().last_error;
  const auto clock = [] { return kDay0Ms + 5 * kDayMs; };
  auto local = LedgerReader::Open(options_.path, clock);
  PgUsageReader shared(server_.url(), 5s, clock);
  EXPECT_EQ(shared.Today(), local->Today());
  ActivityQuery all;
  all.from = "2026-03-01";
  ASSERT_EQ(local->Activity(all).size(), 18u);  // 3 days x 3 models x 2 providers
  EXPECT_EQ(shared.Activity(all), local->Activity(all));
  ActivityQuery filtered = all;
  filtered.filters.api_key_id = "key-2";
  filtered.filters.user = "alice";
  EXPECT_EQ(shared.Activity(filtered), local->Activity(filtered));
  ASSERT_FALSE(shared.Activity(filtered).empty());
  const auto sorted = [](std::vector<UsageRow> rows) {
    std::sort(rows.begin(), rows.end(),
              [](const UsageRow& a, const UsageRow& b) { return a.name < b.name; });
    return rows;
  };
  const DayRange range{kDay0Ms / kDayMs, kDay0Ms / kDayMs + 5};
  for (const UsageDimension by :
       {UsageDimension::kModel, UsageDimension::kProvider, UsageDimension::kAuthor,
        UsageDimension::kApp, UsageDimension::kApiKey, UsageDimension::kUser,
        UsageDimension::kDay}) {
    EXPECT_EQ(sorted(shared.GroupedSum(by, range, {})), sorted(local->GroupedSum(by, range, {})))
        << UsageDimensionName(by);
    UsageFilters app;
    app.app = "App";
    EXPECT_EQ(sorted(shared.GroupedSum(by, range, app)), sorted(local->GroupedSum(by, range, app)))
        << UsageDimensionName(by);
  }
  // A bad date is the local reader's error; an unreachable server names it.
  ActivityQuery bad;
  bad.from = "2026-13-01";
  EXPECT_THROW(shared.Activity(bad), LedgerError);
  server_.Stop();
  try {
    shared.Activity(all);
    ADD_FAILURE() << "no error while the server is down";
  } catch (const LedgerError& error) {
    EXPECT_NE(std::string(error.what()).find("the shared usage ledger: postgresql"),
              std::string::npos)
        << error.what();
  }
  server_.Start();
  EXPECT_EQ(shared.Activity(all), local->Activity(all));  // connects again
}

// Rankings and their series read the shared rollups as they read the local ones: over five weeks
// of records at every hour, with the clock in the middle of a week and of a day, so that the
// compared weeks are cut at the hour (usage_hourly), and with limits that leave an `other` row.
TEST_F(PostgresShipperTest, TheSharedRankingsMatchTheLocalOnesOverTheSameRecords) {
  std::vector<RecordSpec> specs;
  const char* models[] = {"openai/gpt-4o-mini", "anthropic/claude-3-5-haiku", "Zeta/upper",
                          "meta/llama"};
  for (int i = 0; i < 240; ++i) {
    RecordSpec spec;
    spec.id = "gen-" + std::to_string(i);
    spec.created_at_ms = kDay0Ms + (i % 35) * kDayMs + (i * 7 % 24) * kMsPerHour + i;
    spec.model = models[(i / 5 + i / 60) % 4];  // shares that shift from week to week
    spec.provider = i % 3 ? "p-one" : "p-two";
    spec.app = i % 4 ? "App" : "Other app";
    spec.api_key_id = "key-" + std::to_string(i % 5);
    spec.user = i % 7 ? "alice" : "bob";
    spec.prompt = 10 + i;
    spec.completion = i % 11;
    spec.cost = 1000 * i;
    specs.push_back(std::move(spec));
  }
  Write(specs);
  PostgresShipper shipper(Shipping());
  shipper.Start();
  ASSERT_TRUE(shipper.WaitFor(Drained, 30s)) << shipper.GetStats().last_error;
  const auto clock = [] { return kDay0Ms + 31 * kDayMs + 13 * kMsPerHour + 5; };
  auto local = LedgerReader::Open(options_.path, clock);
  PgUsageReader shared(server_.url(), 5s, clock);
  EXPECT_EQ(shared.NowHour(), local->NowHour());
  EXPECT_EQ(shared.ModelAuthors({0, local->Today()}), local->ModelAuthors({0, local->Today()}));
  EXPECT_EQ(shared.ModelAuthors({0, local->Today()}).size(), 4u);

  const auto same_row = [](const RankedRow& a, const RankedRow& b) {
    return a.rank == b.rank && a.other == b.other && a.usage == b.usage && a.author == b.author &&
           a.previous_tokens == b.previous_tokens && a.share == b.share && a.change == b.change &&
           a.trend == b.trend;
  };
  UsageFilters app;
  app.app = "App";
  for (const UsageDimension by :
       {UsageDimension::kModel, UsageDimension::kProvider, UsageDimension::kApp,
        UsageDimension::kApiKey, UsageDimension::kUser}) {
    for (const UsageFilters& filters : {UsageFilters{}, app}) {
      const std::string what =
          std::string(UsageDimensionName(by)) + " filtered by app: " + (filters.app ? "yes" : "no");
      RankingsQuery query;
      query.by = by;
      query.limit = 2;
      query.order = RankOrder::kTrending;
      query.filters = filters;
      const Rankings want = ComputeRankings(*local, query);
      const Rankings got = ComputeRankings(shared, query);
      ASSERT_TRUE(want.previous_until_ms.has_value()) << what;  // cut at the hour
      EXPECT_EQ(got.previous_until_ms, want.previous_until_ms) << what;
      EXPECT_TRUE(same_row(got.totals, want.totals)) << what;
      ASSERT_EQ(got.rows.size(), want.rows.size()) << what;
      ASSERT_FALSE(want.rows.empty()) << what;
      EXPECT_GT(want.totals.previous_tokens, 0) << what;
      for (size_t i = 0; i < want.rows.size(); ++i) {
        EXPECT_TRUE(same_row(got.rows[i], want.rows[i])) << what << " row " << i;
      }
      TimeseriesQuery series_query;
      series_query.by = by;
      series_query.buckets = 6;
      series_query.top = 2;
      series_query.metric = RankMetric::kCost;
      series_query.filters = filters;
      const Timeseries series_want = ComputeTimeseries(*local, series_query);
      const Timeseries series_got = ComputeTimeseries(shared, series_query);
      EXPECT_EQ(series_got.bucket_totals, series_want.bucket_totals) << what;
      ASSERT_EQ(series_got.series.size(), series_want.series.size()) << what;
      for (size_t i = 0; i < series_want.series.size(); ++i) {
        EXPECT_EQ(series_got.series[i].name, series_want.series[i].name) << what;
        EXPECT_EQ(series_got.series[i].values, series_want.series[i].values) << what;
      }
    }
  }
}

// The upgrade of a server at schema version 1 that holds records: the hourly rollup (version 2)
// is filled from them, equal to what the shippers maintain, and the key table (version 3) comes
// with it. Filling it may take longer than the connections' statement timeout (here 50 ms, over
// 120,000 records): the migration runs without one.
TEST_F(PostgresShipperTest, AServerAtVersion1WithRecordsIsUpgradedAndTheHourlyRollupFilled) {
  for (int day = 0; day < 3; ++day) WriteRecords(day * 20, 20, kDay0Ms + day * 7 * kMsPerHour);
  PostgresShipper shipper(Shipping());
  shipper.Start();
  ASSERT_TRUE(shipper.WaitFor(Drained, 30s)) << shipper.GetStats().last_error;
  shipper.Stop();
  const std::string by_hour =
      "SELECT string_agg(hour || ':' || api_key_id || ':' || requests || ':' || cost_nano || ':' "
      "|| prompt_tokens, ',' ORDER BY hour, api_key_id) FROM usage_hourly";
  const std::string maintained = Pg(by_hour);
  EXPECT_EQ(std::count(maintained.begin(), maintained.end(), ','), 5) << maintained;  // 3 x 2
  EXPECT_EQ(Pg("SELECT sum(requests) FROM usage_hourly"), "60");
  std::string error;
  auto connection = PgConnection::Connect(server_.url(), 5s, &error);
  ASSERT_TRUE(connection) << error;
  // Back to version 1, with 2,000 more copies of each record (ids made unique).
  ASSERT_TRUE(connection->Exec(
      "DROP TABLE usage_hourly, api_keys, api_keys_version; DROP FUNCTION api_keys_changed(); "
      "DELETE FROM gw_schema_migrations WHERE version > 1; "
      "CREATE TEMP TABLE copies AS SELECT g.*, n FROM generations g, generate_series(1, 2000) n; "
      "UPDATE copies SET id = id || '-' || n; ALTER TABLE copies DROP COLUMN n; "
      "INSERT INTO generations SELECT * FROM copies",
      &error))
      << error;
  ASSERT_EQ(Pg("SELECT count(*) FROM generations"), "120060");
  ASSERT_TRUE(connection->Exec("SET statement_timeout = 50", &error)) << error;
  ASSERT_TRUE(MigratePostgresLedger(*connection, PostgresLedgerMigrations(), &error)) << error;
  EXPECT_EQ(Pg("SELECT max(version) FROM gw_schema_migrations"),
            std::to_string(PostgresLedgerMigrations().back().version));
  EXPECT_EQ(Pg("SELECT sum(requests) FROM usage_hourly"), "120060");
  // Each hour's sums are 2,001 times the maintained ones.
  EXPECT_EQ(Pg("SELECT string_agg(hour || ':' || api_key_id || ':' || requests / 2001 || ':' || "
               "cost_nano / 2001 || ':' || prompt_tokens / 2001, ',' ORDER BY hour, api_key_id) "
               "FROM usage_hourly"),
            maintained);
  EXPECT_EQ(Pg("SELECT version FROM api_keys_version"), "0");
}

// SQLite gives a new row the largest rowid + 1: records written after retention removed the old
// ones, or after the table was emptied by hand, are still shipped.
TEST_F(PostgresShipperTest, RecordsWrittenAfterTheOldOnesWereDeletedAreShipped) {
  const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  WriteRecords(0, 5, now - 100 * kDayMs);
  {
    PostgresShipper shipper(Shipping());
    shipper.Start();
    ASSERT_TRUE(shipper.WaitFor(Drained, 30s)) << shipper.GetStats().last_error;
  }
  options_.retention_days = 30;
  WriteRecords(5, 3, now);  // the ledger's first retention pass deletes the old ones but one
  {
    PostgresShipper shipper(Shipping());
    shipper.Start();
    ASSERT_TRUE(shipper.WaitFor(Drained, 30s)) << shipper.GetStats().last_error;
    EXPECT_EQ(shipper.GetStats().shipped, 3u);
  }
  EXPECT_EQ(QueryInt(options_.path, "SELECT COUNT(*) FROM generations"), 4);
  EXPECT_EQ(Pg("SELECT count(*) FROM generations"), "8");
  // Emptied by hand: new rows start again at rowid 1, below the watermark.
  ASSERT_TRUE(Local("DELETE FROM generations"));
  WriteRecords(8, 2, now);
  EXPECT_EQ(QueryInt(options_.path, "SELECT MAX(rowid) FROM generations"), 2);
  PostgresShipper shipper(Shipping());
  shipper.Start();
  ASSERT_TRUE(shipper.WaitFor(Drained, 30s)) << shipper.GetStats().last_error;
  EXPECT_EQ(shipper.GetStats().shipped, 2u);
  EXPECT_EQ(Pg("SELECT count(*) FROM generations"), "10");
}

// Text PostgreSQL refuses (bytes that are not UTF-8, NUL) cannot stop the shipping: each bad
// byte arrives as U+FFFD, and valid multi-byte characters as they are.
TEST_F(PostgresShipperTest, TextThatIsNotUtf8IsShippedWithReplacementCharacters) {
  auto ledger = Ledger::Open(options_);
  ledger->Start();
  RecordSpec spec;
  spec.id = "gen-latin1";
  spec.app = "caf\xE9 \xC3\xA9t\xE9";  // Latin-1 é, UTF-8 é, Latin-1 é
  spec.user = std::string("a\0b \xED\xA0\x80 \xF0\x9F\x98\x80", 12);  // NUL, a surrogate, an emoji
  ledger->Push(MakeRecord(spec));
  RecordSpec next;
  next.id = "gen-after";
  ledger->Push(MakeRecord(next));
  ASSERT_TRUE(ledger->Flush(10s));
  ledger->Stop();
  PostgresShipper shipper(Shipping());
  shipper.Start();
  ASSERT_TRUE(shipper.WaitFor(Drained, 30s)) << shipper.GetStats().last_error;
  EXPECT_EQ(shipper.GetStats().shipped, 2u);
  EXPECT_EQ(Pg("SELECT app FROM generations WHERE id = 'gen-latin1'"),
            "caf\xEF\xBF\xBD \xC3\xA9t\xEF\xBF\xBD");
  EXPECT_EQ(Pg("SELECT \"user\" FROM generations WHERE id = 'gen-latin1'"),
            "a\xEF\xBF\xBD"
            "b \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD \xF0\x9F\x98\x80");
}

// Once the tables exist, a role that may only read and insert ships: the migration check needs
// no CREATE privilege when the schema is current.
TEST_F(PostgresShipperTest, ARoleWithoutCreatePrivilegesShipsOnceTheSchemaExists) {
  {
    std::string error;
    auto connection = PgConnection::Connect(server_.url(), 5s, &error);
    ASSERT_TRUE(connection) << error;
    ASSERT_TRUE(MigratePostgresLedger(*connection, PostgresLedgerMigrations(), &error)) << error;
    ASSERT_TRUE(
        connection->Exec("CREATE ROLE shipper LOGIN; REVOKE CREATE ON SCHEMA public FROM PUBLIC; "
                         "GRANT SELECT, INSERT, UPDATE ON generations, usage_daily, usage_hourly, "
                         "gw_schema_migrations "
                         "TO shipper",
                         &error))
        << error;
  }
  WriteRecords(0, 4);
  ShipperOptions options = Shipping();
  options.url = "postgresql://shipper@/postgres?host=" +
                server_.url().substr(server_.url().find("host=") + 5);
  PostgresShipper shipper(options);
  shipper.Start();
  ASSERT_TRUE(shipper.WaitFor(Drained, 30s)) << shipper.GetStats().last_error;
  EXPECT_EQ(Pg("SELECT count(*) FROM generations"), "4");
}

// What the shared ledger does not have yet: this instance's spend past the watermark, by key,
// user and period (added to PostgreSQL's sum when a shared budget account is loaded).
TEST_F(PostgresShipperTest, UnshippedSpendIsTheCostOfTheRecordsPastTheWatermark) {
  WriteRecords(0, 10);  // key-a: odd ids, key-b: even; cost 1000 + i
  ASSERT_TRUE(Local("UPDATE postgres_shipping SET through_rowid = 6"));
  auto reader = LedgerReader::Open(options_.path);
  const int64_t day = kDay0Ms / kDayMs;
  // Rows 7-10 are gen-6..gen-9: key-a has gen-7 and gen-9, key-b gen-6 and gen-8.
  EXPECT_EQ(UnshippedSpend(*reader, "key-a", "", day), 1007 + 1009);
  EXPECT_EQ(UnshippedSpend(*reader, "key-b", "", day), 1006 + 1008);
  EXPECT_EQ(UnshippedSpend(*reader, "key-b", "someone", day), 0);
  EXPECT_EQ(UnshippedSpend(*reader, "key-a", "", day + 1), 0);  // a later period
  EXPECT_EQ(UnshippedSpend(*reader, "key-c", "", day), 0);
}

}  // namespace
}  // namespace gw::accounting::postgres

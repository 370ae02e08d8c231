// Rollups and reports: sums per hour/day/dimension (across midnight UTC), activity filters,
// usage by each dimension with totals, retention, and a reader next to a running ledger.
#include "accounting/ledger/usage_reports.h"

#include <gtest/gtest.h>

#include <map>
#include <tuple>

#include "accounting/ledger/ledger.h"
#include "accounting/ledger/utc_time.h"
#include "tests/accounting/ledger/ledger_test_util.h"

namespace gw::accounting {
namespace {

using namespace std::chrono_literals;
using testing::FreshDir;
using testing::kDay0Ms;
using testing::kDayMs;
using testing::kHourMs;
using testing::MakeRecord;
using testing::QueryInt;
using testing::RecordSpec;

LedgerOptions Options(const std::string& dir) { return testing::QuietOptions(dir); }

// Records around midnight UTC between 2026-03-09 and 2026-03-10, over several dimensions.
std::vector<RecordSpec> Specs() {
  std::vector<RecordSpec> specs;
  const struct {
    int64_t at;
    const char *model, *provider, *app, *key, *user;
    int64_t prompt, completion, cost;
  } rows[] = {
      {kDay0Ms - 30 * 60'000, "openai/gpt-4o", "openai", "Chat", "k1", "alice", 100, 10, 1000},
      {kDay0Ms - 1, "openai/gpt-4o", "azure", "Chat", "k1", "bob", 200, 20, 2000},
      {kDay0Ms, "openai/gpt-4o", "openai", "Chat", "k2", "alice", 300, 30, 3000},
      {kDay0Ms + 30 * 60'000, "meta/llama-3", "groq", "", "k2", "carol", 400, 40, 4000},
      {kDay0Ms + 90 * 60'000, "meta/llama-3", "together", "Docs", "k1", "alice", 500, 50, 5000},
      {kDay0Ms + 3 * kDayMs, "meta/llama-3", "groq", "Docs", "k3", "", 600, 60, 6000},
  };
  int n = 0;
  for (const auto& r : rows) {
    RecordSpec s;
    s.id = "gen-" + std::to_string(n++);
    s.created_at_ms = r.at;
    s.model = r.model;
    s.provider = r.provider;
    s.app = r.app;
    s.api_key_id = r.key;
    s.user = r.user;
    s.prompt = r.prompt;
    s.completion = r.completion;
    s.cost = r.cost;
    specs.push_back(s);
  }
  return specs;
}

class UsageReportsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_ = Options(FreshDir());
    auto ledger = Ledger::Open(options_);
    ledger->Start();
    for (const RecordSpec& spec : Specs()) ledger->Push(MakeRecord(spec));
    ledger->Stop();
    // "Today" is 2026-03-20 for default ranges.
    reader_ = LedgerReader::Open(options_.path, [] { return kDay0Ms + 10 * kDayMs + 5; });
  }

  UsageReport UsageBy(UsageDimension by, UsageFilters filters = {}) {
    UsageQuery query;
    query.by = by;
    query.from = "2026-03-01";
    query.to = "2026-03-31";
    query.filters = std::move(filters);
    return reader_->Usage(query);
  }

  LedgerOptions options_;
  std::unique_ptr<LedgerReader> reader_;
};

TEST_F(UsageReportsTest, RollsUpPerHourAndPerUtcDayAcrossMidnight) {
  const std::string& path = options_.path;
  const int64_t day0 = kDay0Ms / kDayMs;
  const int64_t hour0 = kDay0Ms / kHourMs;
  EXPECT_EQ(QueryInt(path, "SELECT SUM(requests) FROM usage_daily WHERE day = " +
                               std::to_string(day0 - 1)),
            2);
  EXPECT_EQ(
      QueryInt(path, "SELECT SUM(requests) FROM usage_daily WHERE day = " + std::to_string(day0)),
      3);
  EXPECT_EQ(QueryInt(path, "SELECT SUM(cost_nano) FROM usage_hourly WHERE hour = " +
                               std::to_string(hour0 - 1)),
            3000);
  EXPECT_EQ(QueryInt(path, "SELECT SUM(cost_nano) FROM usage_hourly WHERE hour = " +
                               std::to_string(hour0)),
            7000);
  EXPECT_EQ(QueryInt(path, "SELECT SUM(cost_nano) FROM usage_hourly WHERE hour = " +
                               std::to_string(hour0 + 1)),
            5000);
  // Every table holds the same totals.
  for (const char* table :
       {"usage_hourly", "usage_daily", "usage_daily_model", "usage_daily_app"}) {
    EXPECT_EQ(QueryInt(path, std::string("SELECT SUM(prompt_tokens) FROM ") + table), 2100);
    EXPECT_EQ(QueryInt(path, std::string("SELECT SUM(cached_tokens) FROM ") + table),
              25 + 50 + 75 + 100 + 125 + 150);
    EXPECT_EQ(QueryInt(path, std::string("SELECT SUM(cache_write_tokens) FROM ") + table), 18);
  }
  for (int dim = 0; dim < 3; ++dim) {
    EXPECT_EQ(QueryInt(path, "SELECT SUM(cost_nano) FROM usage_daily_dim WHERE dim = " +
                                 std::to_string(dim)),
              21000);
  }

  const UsageReport by_day = UsageBy(UsageDimension::kDay);
  ASSERT_EQ(by_day.rows.size(), 3u);
  EXPECT_EQ(by_day.rows[0].name, "2026-03-09");
  EXPECT_EQ(by_day.rows[0].requests, 2);
  EXPECT_EQ(by_day.rows[0].cost_nano, 3000);
  EXPECT_EQ(by_day.rows[1].name, "2026-03-10");
  EXPECT_EQ(by_day.rows[1].requests, 3);
  EXPECT_EQ(by_day.rows[2].name, "2026-03-13");
}

TEST_F(UsageReportsTest, UsageByEveryDimensionWithTotals) {
  const auto specs = Specs();
  for (auto by : {UsageDimension::kModel, UsageDimension::kProvider, UsageDimension::kAuthor,
                  UsageDimension::kApp, UsageDimension::kApiKey, UsageDimension::kUser,
                  UsageDimension::kDay}) {
    std::map<std::string, std::tuple<int64_t, int64_t, int64_t, int64_t>> expected;
    for (const RecordSpec& s : specs) {
      const GenerationRecord r = MakeRecord(s);
      std::string name;
      switch (by) {
        case UsageDimension::kModel:
          name = r.model;
          break;
        case UsageDimension::kProvider:
          name = r.provider;
          break;
        case UsageDimension::kAuthor:
          name = r.author;
          break;
        case UsageDimension::kApp:
          name = r.app;
          break;
        case UsageDimension::kApiKey:
          name = r.api_key_id;
          break;
        case UsageDimension::kUser:
          name = r.user;
          break;
        case UsageDimension::kDay:
          name = FormatDay(r.created_at_ms / kDayMs);
          break;
      }
      auto& [requests, prompt, reasoning, cost] = expected[name];
      requests += 1;
      prompt += r.native.prompt;
      reasoning += r.native.reasoning;
      cost += r.cost.total;
    }
    const UsageReport report = UsageBy(by);
    SCOPED_TRACE(std::string(UsageDimensionName(by)));
    EXPECT_EQ(report.from, "2026-03-01");
    EXPECT_EQ(report.to, "2026-03-31");
    std::map<std::string, std::tuple<int64_t, int64_t, int64_t, int64_t>> actual;
    for (const UsageRow& row : report.rows) {
      actual[row.name] = {row.requests, row.prompt_tokens, row.reasoning_tokens, row.cost_nano};
    }
    EXPECT_EQ(actual, expected);
    EXPECT_EQ(report.totals.name, "total");
    EXPECT_EQ(report.totals.requests, 6);
    EXPECT_EQ(report.totals.prompt_tokens, 2100);
    EXPECT_EQ(report.totals.completion_tokens, 210);
    EXPECT_EQ(report.totals.cost_nano, 21000);
    if (by != UsageDimension::kDay) {
      for (size_t i = 1; i < report.rows.size(); ++i) {
        EXPECT_GE(report.rows[i - 1].cost_nano, report.rows[i].cost_nano);
      }
    }
  }
}

TEST_F(UsageReportsTest, UsageFiltersAndDateRange) {
  UsageFilters alice;
  alice.user = "alice";
  const UsageReport by_model = UsageBy(UsageDimension::kModel, alice);
  ASSERT_EQ(by_model.rows.size(), 2u);
  EXPECT_EQ(by_model.rows[0].name, "meta/llama-3");
  EXPECT_EQ(by_model.rows[0].cost_nano, 5000);
  EXPECT_EQ(by_model.rows[1].cost_nano, 4000);
  EXPECT_EQ(by_model.totals.requests, 3);

  UsageFilters llama;
  llama.model = "meta/llama-3";
  const UsageReport by_user = UsageBy(UsageDimension::kUser, llama);
  EXPECT_EQ(by_user.totals.requests, 3);
  EXPECT_EQ(by_user.rows.size(), 3u);

  UsageFilters chat;
  chat.app = "Chat";
  const UsageReport chat_by_provider = UsageBy(UsageDimension::kProvider, chat);
  ASSERT_EQ(chat_by_provider.rows.size(), 2u);
  EXPECT_EQ(chat_by_provider.rows[0].name, "openai");
  EXPECT_EQ(chat_by_provider.rows[0].cost_nano, 4000);
  EXPECT_EQ(chat_by_provider.rows[1].name, "azure");
  chat.user = "alice";  // app and user: the full-key table
  EXPECT_EQ(UsageBy(UsageDimension::kProvider, chat).totals.cost_nano, 4000);
  UsageFilters chat_only;
  chat_only.app = "Chat";
  EXPECT_EQ(UsageBy(UsageDimension::kUser, chat_only).rows.size(), 2u);  // alice, bob

  UsageQuery one_day;
  one_day.by = UsageDimension::kProvider;
  one_day.from = one_day.to = "2026-03-09";
  const UsageReport report = reader_->Usage(one_day);
  EXPECT_EQ(report.totals.requests, 2);
  EXPECT_EQ(report.rows.size(), 2u);
}

TEST_F(UsageReportsTest, ActivityRowsAndFilters) {
  ActivityQuery query;  // default: the 30 days up to "today" (2026-03-20)
  std::vector<ActivityRow> rows = reader_->Activity(query);
  ASSERT_EQ(rows.size(), 6u);  // one (day, model, provider) each
  EXPECT_EQ(rows[0].date, "2026-03-09");
  EXPECT_EQ(rows[0].model, "openai/gpt-4o");
  EXPECT_EQ(rows[0].provider, "azure");
  EXPECT_EQ(rows[0].requests, 1);
  EXPECT_EQ(rows[0].prompt_tokens, 200);
  EXPECT_EQ(rows[0].completion_tokens, 20);
  EXPECT_EQ(rows[0].reasoning_tokens, 10);
  EXPECT_EQ(rows[0].cached_tokens, 50);
  EXPECT_EQ(rows[0].cost_nano, 2000);
  EXPECT_EQ(rows[5].date, "2026-03-13");

  query.filters.api_key_id = "k1";
  rows = reader_->Activity(query);
  ASSERT_EQ(rows.size(), 3u);
  int64_t cost = 0;
  for (const auto& row : rows) cost += row.cost_nano;
  EXPECT_EQ(cost, 8000);

  query.filters.user = "alice";
  rows = reader_->Activity(query);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].cost_nano, 1000);
  EXPECT_EQ(rows[1].cost_nano, 5000);

  ActivityQuery by_model;
  by_model.filters.model = "meta/llama-3";
  by_model.from = "2026-03-10";
  by_model.to = "2026-03-10";
  rows = reader_->Activity(by_model);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].provider, "groq");
  EXPECT_EQ(rows[1].provider, "together");

  ActivityQuery by_app;
  by_app.filters.app = "";  // requests without an app
  rows = reader_->Activity(by_app);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].requests, 1);
  EXPECT_EQ(rows[0].cost_nano, 4000);

  ActivityQuery old;  // a range with nothing in it
  old.from = "2025-01-01";
  old.to = "2025-01-31";
  EXPECT_TRUE(reader_->Activity(old).empty());
}

TEST_F(UsageReportsTest, BadDatesAreClearErrors) {
  ActivityQuery query;
  query.from = "2026-13-01";
  EXPECT_THROW(reader_->Activity(query), LedgerError);
  DayRange range;
  EXPECT_EQ(ResolveDayRange(std::string("2026-02-30"), std::nullopt, 0, &range),
            "from: expected a date YYYY-MM-DD, got \"2026-02-30\"");
  EXPECT_EQ(ResolveDayRange(std::nullopt, std::string("03/10/2026"), 0, &range),
            "to: expected a date YYYY-MM-DD, got \"03/10/2026\"");
  EXPECT_EQ(ResolveDayRange(std::string("2026-03-10"), std::string("2026-03-09"), 0, &range),
            "from (2026-03-10) is after to (2026-03-09)");
  ASSERT_EQ(ResolveDayRange(std::nullopt, std::nullopt, 100, &range), "");
  EXPECT_EQ(range.from_day, 71);
  EXPECT_EQ(range.to_day, 100);
  EXPECT_EQ(ParseUsageDimension("key"), UsageDimension::kApiKey);
  EXPECT_EQ(ParseUsageDimension("keys"), std::nullopt);
}

TEST(RetentionTest, DeletesOldRawRecordsAndKeepsTheRollups) {
  auto options = Options(FreshDir());
  const int64_t now = NowEpochMs();
  {
    auto ledger = Ledger::Open(options);  // keeps everything
    ledger->Start();
    for (int i = 0; i < 25; ++i) {
      RecordSpec old;
      old.id = "gen-old-" + std::to_string(i);
      old.created_at_ms = now - 100 * kDayMs;
      ledger->Push(MakeRecord(old));
    }
    RecordSpec recent;
    recent.id = "gen-recent";
    recent.created_at_ms = now - kDayMs;
    ledger->Push(MakeRecord(recent));
    ledger->Stop();
  }
  EXPECT_EQ(QueryInt(options.path, "SELECT COUNT(*) FROM generations"), 26);

  options.retention_days = 30;
  options.retention_chunk = 7;  // several transactions
  auto ledger = Ledger::Open(options);
  ledger->Start();  // the first pass runs at start
  ASSERT_TRUE(ledger->Flush(10s));
  const auto stats = ledger->GetStats();
  EXPECT_EQ(stats.retention_deleted, 25u);
  EXPECT_EQ(stats.retention_passes, 1u);
  EXPECT_EQ(QueryInt(options.path, "SELECT COUNT(*) FROM generations"), 1);
  EXPECT_EQ(QueryInt(options.path, "SELECT SUM(requests) FROM usage_daily"), 26);
  EXPECT_EQ(QueryInt(options.path, "SELECT SUM(requests) FROM usage_hourly"), 26);
  EXPECT_EQ(QueryInt(options.path, "SELECT SUM(requests) FROM usage_daily_dim WHERE dim = 0"), 26);
  EXPECT_FALSE(ledger->Find("gen-old-3").has_value());
  EXPECT_TRUE(ledger->Find("gen-recent").has_value());
}

TEST(LedgerReaderTest, ReadsWhileTheLedgerWrites) {
  const auto options = Options(FreshDir());
  auto ledger = Ledger::Open(options);
  ledger->Start();
  auto reader = LedgerReader::Open(options.path, [] { return kDay0Ms; });
  EXPECT_TRUE(reader->Activity({}).empty());
  ledger->Push(MakeRecord("gen-1"));
  ASSERT_TRUE(ledger->Flush(10s));
  ASSERT_EQ(reader->Activity({}).size(), 1u);
  EXPECT_EQ(reader->Activity({})[0].requests, 1);
  ledger->Push(MakeRecord("gen-2"));
  ASSERT_TRUE(ledger->Flush(10s));
  EXPECT_EQ(reader->Activity({})[0].requests, 2);
  EXPECT_TRUE(reader->FindGeneration("gen-2").has_value());
}

}  // namespace
}  // namespace gw::accounting

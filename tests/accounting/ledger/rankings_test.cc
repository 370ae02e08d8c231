// Rankings over a ledger filled with a deterministic synthetic history (2026-01-01 to
// 2026-03-18, "today", a Wednesday): periods and their like-for-like comparison, ranks, shares,
// change, trend, the `other` row, filters, the stacked-chart series, and empty answers.
// Expected sums are computed by brute force over the generated records, never through SQL.
#include "accounting/ledger/rankings.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "accounting/ledger/ledger.h"
#include "accounting/ledger/utc_time.h"
#include "tests/accounting/ledger/ledger_test_util.h"

namespace gw::accounting {
namespace {

using testing::FreshDir;
using testing::kDayMs;
using testing::MakeRecord;
using testing::RecordSpec;

constexpr int64_t kFirstDay = 20454;  // 2026-01-01, a Thursday
constexpr int64_t kToday = 20530;     // 2026-03-18, a Wednesday
constexpr int64_t kHourMs = 3'600'000;
constexpr int64_t kNowOfDayMs = 18 * kHourMs + 30 * 60'000;  // the fixture's clock: 18:30 UTC

int64_t Day(const char* date) { return *ParseDay(date); }

// One generated record: a day, its dimensions and its counts.
struct Synthetic {
  int64_t day;
  std::string model, app, key;
  int64_t prompt;
  int64_t completion() const { return prompt / 10; }
  int64_t tokens() const { return prompt + completion(); }
  int64_t cost() const { return prompt * 2; }  // nano-USD
};

// One record per model and day: gpt-4o steady, llama-3 growing, mistral declining, deepseek new
// this week, qwen tiny.
std::vector<Synthetic> History() {
  std::vector<Synthetic> history;
  for (int64_t day = kFirstDay; day <= kToday; ++day) {
    const int64_t age = day - kFirstDay;
    history.push_back({day, "openai/gpt-4o", "Chat", "k1", 1000});
    history.push_back({day, "meta/llama-3", "Docs", "k2", 100 * (age + 1)});
    history.push_back({day, "mistral/small", "", "k1", 3000 - 20 * age});
    if (day >= Day("2026-03-16")) history.push_back({day, "deepseek/chat", "Chat", "k2", 5000});
    history.push_back({day, "qwen/qwen", "Docs", "k1", 10});
  }
  return history;
}

// Brute-force token sums per model over [from, to].
std::map<std::string, int64_t> TokensByModel(int64_t from, int64_t to) {
  std::map<std::string, int64_t> sums;
  for (const Synthetic& s : History()) {
    if (s.day >= from && s.day <= to) sums[s.model] += s.tokens();
  }
  return sums;
}

double Percent(double part, double whole) { return std::round(part / whole * 10000.0) / 100.0; }

class RankingsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_ = testing::QuietOptions(FreshDir());
    auto ledger = Ledger::Open(options_);
    ledger->Start();
    int n = 0;
    for (const Synthetic& s : History()) {
      RecordSpec spec;
      spec.id = "gen-" + std::to_string(n++);
      spec.created_at_ms = s.day * kDayMs + 12 * kHourMs;
      spec.model = s.model;
      spec.provider = s.model.starts_with("openai") ? "azure" : "groq";
      spec.app = s.app;
      spec.api_key_id = s.key;
      spec.prompt = s.prompt;
      spec.completion = s.completion();
      spec.cost = s.cost();
      ledger->Push(MakeRecord(spec));
    }
    ledger->Stop();
    // 18:30 on "today": every record (at noon) of a compared period's last day is in its cut.
    reader_ = LedgerReader::Open(options_.path, [] { return kToday * kDayMs + kNowOfDayMs; });
  }

  Rankings Rank(RankingsQuery query) { return ComputeRankings(*reader_, query); }

  LedgerOptions options_;
  std::unique_ptr<LedgerReader> reader_;
};

TEST(PeriodsTest, DaysWeeksFromMondayAndCalendarMonths) {
  EXPECT_EQ(PeriodContaining(Period::kDay, Day("2026-03-18")).from_day, Day("2026-03-18"));
  const DayRange week = PeriodContaining(Period::kWeek, Day("2026-03-18"));
  EXPECT_EQ(FormatDay(week.from_day), "2026-03-16");  // Monday
  EXPECT_EQ(FormatDay(week.to_day), "2026-03-22");    // Sunday
  // A Monday and a Sunday belong to the week that starts on that Monday / ended that Sunday.
  EXPECT_EQ(PeriodContaining(Period::kWeek, Day("2026-03-16")).from_day, Day("2026-03-16"));
  EXPECT_EQ(PeriodContaining(Period::kWeek, Day("2026-03-22")).from_day, Day("2026-03-16"));
  EXPECT_EQ(PeriodContaining(Period::kWeek, Day("1970-01-01")).from_day, Day("1969-12-29"));
  const DayRange leap = PeriodContaining(Period::kMonth, Day("2028-02-10"));
  EXPECT_EQ(FormatDay(leap.from_day), "2028-02-01");
  EXPECT_EQ(FormatDay(leap.to_day), "2028-02-29");
  const DayRange before =
      PeriodBefore(Period::kMonth, PeriodContaining(Period::kMonth, Day("2026-03-31")));
  EXPECT_EQ(FormatDay(before.from_day), "2026-02-01");
  EXPECT_EQ(FormatDay(before.to_day), "2026-02-28");
  EXPECT_EQ(FormatDay(PeriodBefore(Period::kWeek, week).from_day), "2026-03-09");
  EXPECT_EQ(DayCount(FirstDays(before, 31)), 28);
  EXPECT_EQ(DayCount(FirstDays(before, 3)), 3);
  EXPECT_EQ(ParsePeriod("week"), Period::kWeek);
  EXPECT_FALSE(ParsePeriod("year"));
}

TEST_F(RankingsTest, ARunningWeekRanksByTokensAndComparesLikeForLike) {
  const Rankings r = Rank({});  // by model, this week, limit 20
  EXPECT_EQ(FormatDay(r.range.from_day), "2026-03-16");
  EXPECT_EQ(FormatDay(r.range.to_day), "2026-03-18");  // cut at today
  EXPECT_FALSE(r.complete);
  // Monday to Wednesday of the week before, not the whole week.
  EXPECT_EQ(FormatDay(r.previous.from_day), "2026-03-09");
  EXPECT_EQ(FormatDay(r.previous.to_day), "2026-03-11");
  // ... and of that Wednesday the hours up to the one in progress now (18:00-19:00).
  EXPECT_EQ(r.previous_until_ms, Day("2026-03-11") * kDayMs + 19 * kHourMs);

  const auto now = TokensByModel(Day("2026-03-16"), Day("2026-03-18"));
  const auto before = TokensByModel(Day("2026-03-09"), Day("2026-03-11"));
  int64_t total = 0;
  for (const auto& [model, tokens] : now) total += tokens;
  EXPECT_EQ(total, 49'863);  // worked by hand: 25080 + 16500 + 4950 + 3300 + 33
  EXPECT_EQ(r.totals.Tokens(), total);

  ASSERT_EQ(r.rows.size(), 5u);
  const std::vector<std::string> order = {"meta/llama-3", "deepseek/chat", "mistral/small",
                                          "openai/gpt-4o", "qwen/qwen"};
  for (size_t i = 0; i < order.size(); ++i) {
    const RankedRow& row = r.rows[i];
    SCOPED_TRACE(order[i]);
    EXPECT_EQ(row.usage.name, order[i]);
    EXPECT_EQ(row.rank, static_cast<int64_t>(i + 1));
    EXPECT_FALSE(row.other);
    EXPECT_EQ(row.Tokens(), now.at(order[i]));
    EXPECT_EQ(row.usage.requests, 3);
    EXPECT_EQ(row.usage.cost_nano, row.usage.prompt_tokens * 2);
    EXPECT_DOUBLE_EQ(row.share, Percent(static_cast<double>(now.at(order[i])), total));
    EXPECT_EQ(row.author, order[i].substr(0, order[i].find('/')));
  }
  EXPECT_DOUBLE_EQ(r.rows[0].share, 50.3);
  EXPECT_EQ(r.rows[0].previous_tokens, 22'770);
  EXPECT_DOUBLE_EQ(*r.rows[0].change, 10.14);  // (25080 - 22770) / 22770
  EXPECT_FALSE(r.rows[1].change.has_value());  // deepseek is new this week
  EXPECT_DOUBLE_EQ(*r.rows[2].change, -8.54);  // mistral: (4950 - 5412) / 5412
  EXPECT_DOUBLE_EQ(*r.rows[3].change, 0.0);    // gpt-4o: steady
  EXPECT_EQ(r.rows[3].previous_tokens, before.at("openai/gpt-4o"));
}

TEST_F(RankingsTest, ACompletePastPeriodComparesWholePeriods) {
  RankingsQuery query;
  query.period = Period::kMonth;
  query.at_day = Day("2026-02-14");
  const Rankings r = Rank(query);
  EXPECT_TRUE(r.complete);
  EXPECT_EQ(FormatDay(r.range.from_day), "2026-02-01");
  EXPECT_EQ(FormatDay(r.range.to_day), "2026-02-28");
  EXPECT_EQ(FormatDay(r.previous.from_day), "2026-01-01");
  EXPECT_EQ(FormatDay(r.previous.to_day), "2026-01-31");
  const auto now = TokensByModel(Day("2026-02-01"), Day("2026-02-28"));
  const auto before = TokensByModel(Day("2026-01-01"), Day("2026-01-31"));
  ASSERT_EQ(r.rows.size(), 4u);  // no deepseek yet
  for (const RankedRow& row : r.rows) {
    SCOPED_TRACE(row.usage.name);
    EXPECT_EQ(row.Tokens(), now.at(row.usage.name));
    EXPECT_EQ(row.previous_tokens, before.at(row.usage.name));
    EXPECT_DOUBLE_EQ(*row.change, Percent(static_cast<double>(now.at(row.usage.name)) -
                                              static_cast<double>(before.at(row.usage.name)),
                                          static_cast<double>(before.at(row.usage.name))));
  }
  EXPECT_FALSE(r.previous_until_ms.has_value());  // a complete period is not cut
}

// A running period compares with the previous one cut at the same hour of its matching day:
// early in a day, yesterday's evening does not count against today.
TEST(RankingsHourCutTest, ARunningPeriodComparesWithThePreviousOneUpToTheSameHour) {
  LedgerOptions options = testing::QuietOptions(FreshDir());
  {
    auto ledger = Ledger::Open(options);
    ledger->Start();
    int n = 0;
    const auto push = [&](int64_t day, int64_t hour, const char* model, int64_t prompt) {
      RecordSpec spec;
      spec.id = "gen-" + std::to_string(n++);
      spec.created_at_ms = day * kDayMs + hour * kHourMs + 59 * 60'000;  // hh:59
      spec.model = model;
      spec.provider = "groq";
      spec.prompt = prompt;
      spec.completion = 0;
      ledger->Push(MakeRecord(spec));
    };
    // Yesterday: 100 + 20 by 03:59, 1000 at 09:59, 5000 at 20:59. Today: 300 at 03:59.
    push(kToday - 1, 3, "a/model", 100);
    push(kToday - 1, 3, "b/model", 20);
    push(kToday - 1, 9, "a/model", 1000);
    push(kToday - 1, 20, "a/model", 5000);
    push(kToday, 3, "a/model", 300);
    // Last week's Wednesday (the week's matching day) and Monday.
    push(kToday - 7, 2, "a/model", 40);
    push(kToday - 7, 23, "a/model", 4000);
    push(kToday - 9, 23, "a/model", 7);
    ledger->Stop();
  }
  const auto rank_at = [&](int64_t ms_of_day, Period period,
                           UsageDimension by = UsageDimension::kModel, UsageFilters filters = {}) {
    auto reader =
        LedgerReader::Open(options.path, [ms_of_day] { return kToday * kDayMs + ms_of_day; });
    RankingsQuery query;
    query.period = period;
    query.by = by;
    query.filters = std::move(filters);
    return ComputeRankings(*reader, query);
  };
  const auto previous_of = [](const Rankings& r, const std::string& model) {
    for (const RankedRow& row : r.rows) {
      if (row.usage.name == model) return row.previous_tokens;
    }
    return int64_t{-1};
  };

  // 04:10: today so far (hours 0-4) against yesterday's hours 0-4.
  Rankings r = rank_at(4 * kHourMs + 10 * 60'000, Period::kDay);
  EXPECT_EQ(r.previous_until_ms, (kToday - 1) * kDayMs + 5 * kHourMs);
  EXPECT_EQ(r.totals.previous_tokens, 120);
  EXPECT_EQ(previous_of(r, "a/model"), 100);
  EXPECT_DOUBLE_EQ(*r.rows[0].change, 200.0);  // 300 against 100
  // The same cut from each kind of hourly rollup: by key (usage_hourly_dim), and filtered by
  // key (the full-key usage_hourly).
  EXPECT_EQ(rank_at(4 * kHourMs + 10 * 60'000, Period::kDay, UsageDimension::kApiKey)
                .totals.previous_tokens,
            120);
  UsageFilters by_key;
  by_key.api_key_id = "";
  EXPECT_EQ(rank_at(4 * kHourMs + 10 * 60'000, Period::kDay, UsageDimension::kModel, by_key)
                .totals.previous_tokens,
            120);
  // 09:00: the hour in progress counts whole on the previous day (09:59 is in).
  r = rank_at(9 * kHourMs, Period::kDay);
  EXPECT_EQ(previous_of(r, "a/model"), 1100);
  // 23:30: all of yesterday.
  r = rank_at(23 * kHourMs + 30 * 60'000, Period::kDay);
  EXPECT_EQ(previous_of(r, "a/model"), 6100);
  EXPECT_EQ(r.previous_until_ms, kToday * kDayMs);

  // The week: last week's Monday and Tuesday whole, its Wednesday up to the same hour.
  r = rank_at(4 * kHourMs, Period::kWeek);
  EXPECT_EQ(FormatDay(r.previous.from_day), "2026-03-09");
  EXPECT_EQ(FormatDay(r.previous.to_day), "2026-03-11");
  EXPECT_EQ(previous_of(r, "a/model"), 7 + 40);
  // The week's trend compares with three previous weeks, each cut the same way.
  EXPECT_DOUBLE_EQ(*r.rows[0].trend, Percent(6400.0 - 47.0 / 3, 47.0 / 3));
}

TEST_F(RankingsTest, RowsPastTheLimitAreSummedIntoOther) {
  RankingsQuery query;
  query.limit = 2;
  const Rankings r = Rank(query);
  ASSERT_EQ(r.rows.size(), 3u);
  const RankedRow& other = r.rows[2];
  EXPECT_TRUE(other.other);
  EXPECT_FALSE(other.rank.has_value());
  EXPECT_EQ(other.usage.name, "other");
  const auto now = TokensByModel(Day("2026-03-16"), Day("2026-03-18"));
  const auto before = TokensByModel(Day("2026-03-09"), Day("2026-03-11"));
  const int64_t rest = now.at("mistral/small") + now.at("openai/gpt-4o") + now.at("qwen/qwen");
  EXPECT_EQ(other.Tokens(), rest);
  EXPECT_EQ(other.usage.requests, 9);
  const int64_t rest_before =
      before.at("mistral/small") + before.at("openai/gpt-4o") + before.at("qwen/qwen");
  EXPECT_EQ(other.previous_tokens, rest_before);
  EXPECT_DOUBLE_EQ(other.share, Percent(static_cast<double>(rest), 49'863.0));
  EXPECT_DOUBLE_EQ(r.rows[0].share + r.rows[1].share + other.share, 100.0);
}

TEST_F(RankingsTest, TrendingOrdersByGrowthOverTheLastThreePeriodsWithNewcomersLast) {
  RankingsQuery query;
  query.order = RankOrder::kTrending;
  const Rankings r = Rank(query);
  ASSERT_EQ(r.rows.size(), 5u);
  // llama-3 grows every day; gpt-4o and qwen are flat; mistral shrinks; deepseek has no past.
  EXPECT_EQ(r.rows[0].usage.name, "meta/llama-3");
  EXPECT_EQ(r.rows[1].usage.name, "openai/gpt-4o");  // 0%, more tokens than qwen
  EXPECT_EQ(r.rows[2].usage.name, "qwen/qwen");
  EXPECT_EQ(r.rows[3].usage.name, "mistral/small");
  EXPECT_EQ(r.rows[4].usage.name, "deepseek/chat");
  EXPECT_FALSE(r.rows[4].trend.has_value());
  // llama-3 against the Monday-Wednesday of each of the three weeks before.
  int64_t mean_sum = 0;
  for (const char* monday : {"2026-03-09", "2026-03-02", "2026-02-23"}) {
    mean_sum += TokensByModel(Day(monday), Day(monday) + 2).at("meta/llama-3");
  }
  const double mean = static_cast<double>(mean_sum) / 3;
  EXPECT_DOUBLE_EQ(*r.rows[0].trend, Percent(static_cast<double>(r.rows[0].Tokens()) - mean, mean));
  EXPECT_EQ(r.rows[0].rank, 1);
}

TEST_F(RankingsTest, OtherOrdersAndDimensions) {
  RankingsQuery query;
  query.order = RankOrder::kCost;
  query.by = UsageDimension::kApp;
  const Rankings by_app = Rank(query);
  ASSERT_EQ(by_app.rows.size(), 3u);
  // Docs: llama + qwen; Chat: gpt-4o + deepseek; "": mistral (no app).
  EXPECT_EQ(by_app.rows[0].usage.name, "Docs");
  EXPECT_EQ(by_app.rows[1].usage.name, "Chat");
  EXPECT_EQ(by_app.rows[2].usage.name, "");
  EXPECT_TRUE(by_app.rows[0].author.empty());
  query.by = UsageDimension::kAuthor;
  query.order = RankOrder::kRequests;
  const Rankings by_author = Rank(query);
  ASSERT_EQ(by_author.rows.size(), 5u);
  for (const RankedRow& row : by_author.rows) EXPECT_EQ(row.usage.requests, 3);
  // Equal requests: more tokens first.
  EXPECT_EQ(by_author.rows[0].usage.name, "meta");
}

TEST_F(RankingsTest, FiltersNarrowTheRows) {
  RankingsQuery query;
  query.filters.api_key_id = "k2";
  const Rankings r = Rank(query);
  ASSERT_EQ(r.rows.size(), 2u);
  EXPECT_EQ(r.rows[0].usage.name, "meta/llama-3");
  EXPECT_EQ(r.rows[1].usage.name, "deepseek/chat");
  EXPECT_DOUBLE_EQ(r.rows[0].share + r.rows[1].share, 100.0);
}

TEST_F(RankingsTest, APeriodToComeOrWithoutUsageIsEmpty) {
  RankingsQuery query;
  query.at_day = Day("2026-04-02");
  const Rankings future = Rank(query);
  EXPECT_TRUE(future.rows.empty());
  EXPECT_EQ(future.totals.Tokens(), 0);
  query.at_day = Day("2025-06-01");
  const Rankings past = Rank(query);
  EXPECT_TRUE(past.rows.empty());
  EXPECT_TRUE(past.complete);
}

TEST(RankingsEmptyLedgerTest, AnswersEmptyRowsAndSeries) {
  LedgerOptions options = testing::QuietOptions(FreshDir());
  Ledger::Open(options).reset();  // creates the schema, writes nothing
  auto reader = LedgerReader::Open(options.path, [] { return kToday * kDayMs; });
  const Rankings r = ComputeRankings(*reader, {});
  EXPECT_TRUE(r.rows.empty());
  EXPECT_EQ(r.totals.Tokens(), 0);
  EXPECT_DOUBLE_EQ(r.totals.share, 0.0);
  EXPECT_FALSE(r.totals.change.has_value());
  const Timeseries t = ComputeTimeseries(*reader, {});
  EXPECT_EQ(t.buckets.size(), 12u);
  EXPECT_TRUE(t.series.empty());
  for (int64_t total : t.bucket_totals) EXPECT_EQ(total, 0);
}

TEST_F(RankingsTest, TimeseriesBucketsTheTopNamesAndTheRest) {
  TimeseriesQuery query;
  query.buckets = 4;
  query.top = 2;
  const Timeseries t = ComputeTimeseries(*reader_, query);
  ASSERT_EQ(t.buckets.size(), 4u);
  EXPECT_EQ(FormatDay(t.buckets[0].from_day), "2026-02-23");
  EXPECT_EQ(FormatDay(t.buckets[0].to_day), "2026-03-01");
  EXPECT_EQ(FormatDay(t.buckets[3].from_day), "2026-03-16");
  EXPECT_EQ(FormatDay(t.buckets[3].to_day), "2026-03-18");  // cut at today
  EXPECT_FALSE(t.last_complete);                            // ... and still running
  // Over the four weeks: llama-3 (growing) and mistral lead; deepseek's 3 days are less.
  ASSERT_EQ(t.series.size(), 3u);
  EXPECT_EQ(t.series[0].name, "meta/llama-3");
  EXPECT_EQ(t.series[1].name, "mistral/small");
  EXPECT_TRUE(t.series[2].other);
  for (size_t b = 0; b < t.buckets.size(); ++b) {
    SCOPED_TRACE(b);
    const auto sums = TokensByModel(t.buckets[b].from_day, t.buckets[b].to_day);
    int64_t total = 0;
    for (const auto& [model, tokens] : sums) total += tokens;
    EXPECT_EQ(t.bucket_totals[b], total);
    EXPECT_EQ(t.series[0].values[b], sums.at("meta/llama-3"));
    EXPECT_EQ(t.series[1].values[b], sums.at("mistral/small"));
    EXPECT_EQ(t.series[2].values[b], total - sums.at("meta/llama-3") - sums.at("mistral/small"));
  }
  query.metric = RankMetric::kRequests;
  query.period = Period::kDay;
  query.buckets = 3;
  const Timeseries daily = ComputeTimeseries(*reader_, query);
  EXPECT_EQ(daily.bucket_totals, (std::vector<int64_t>{5, 5, 5}));
  EXPECT_EQ(FormatDay(daily.buckets[2].from_day), "2026-03-18");
  query.at_day = Day("2026-03-01");
  EXPECT_TRUE(ComputeTimeseries(*reader_, query).last_complete);
}

}  // namespace
}  // namespace gw::accounting

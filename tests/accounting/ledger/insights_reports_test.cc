// The insights analyses against a brute-force computation over the raw records that produced
// the rollups: random traffic over seven weeks (several models with attributes, categories,
// languages, tools, keys, users and apps, requests that no provider served and attempts that a
// provider failed), written by the real ledger, read by the real reader.
#include "accounting/ledger/insights_reports.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <random>
#include <set>

#include "tests/accounting/ledger/ledger_test_util.h"

namespace gw::accounting {
namespace {

using testing::kDay0Ms;
using testing::kDayMs;

struct ModelSpec {
  std::string id;
  std::string origin;
  bool open_weights;
  int64_t parameters_m;
  bool reasoning;
};

const ModelSpec kModels[] = {
    {"openai/gpt-4o", "US", false, 0, false},
    {"deepseek/deepseek-r1", "CN", true, 671'000, true},
    {"qwen/qwen3-32b", "CN", true, 32'000, true},
    {"meta/llama-3.1-8b", "US", true, 8'000, false},
    {"mistral/mistral-large", "FR", true, 123'000, false},
    {"anthropic/claude-sonnet", "US", false, 0, true},
};
const char* const kCategories[] = {"programming", "roleplay", "translation", "general_qa", ""};
const char* const kLanguages[] = {"en", "zh", "de", ""};

// The last day of the traffic: a Wednesday (2026-04-22), so the last week is running.
constexpr int64_t kLastDay = kDay0Ms / kDayMs + 43;

std::vector<GenerationRecord> RandomTraffic(size_t count) {
  std::mt19937_64 rng(20261207);
  auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  std::vector<GenerationRecord> records;
  for (size_t i = 0; i < count; ++i) {
    const ModelSpec& model = kModels[pick(std::size(kModels))];
    testing::RecordSpec spec;
    spec.id = "gen-" + std::to_string(i);
    spec.created_at_ms = kDay0Ms + static_cast<int64_t>(pick(44)) * kDayMs +
                         static_cast<int64_t>(pick(static_cast<size_t>(kDayMs)));
    spec.model = model.id;
    spec.provider = pick(20) == 0 ? "" : "p" + std::to_string(pick(2));  // 5% served by none
    const bool failed = !spec.provider.empty() && pick(20) == 0;         // 5% a provider failed
    spec.app = pick(3) == 0 ? "" : "app" + std::to_string(pick(4));
    spec.api_key_id = "key" + std::to_string(pick(6));
    spec.user = pick(2) == 0 ? "" : "user" + std::to_string(pick(30));
    spec.prompt = static_cast<int64_t>(std::exp2(static_cast<double>(pick(1400)) / 100.0));
    spec.completion = static_cast<int64_t>(pick(3000));
    spec.cost = static_cast<int64_t>(pick(2'000'000));
    GenerationRecord r = testing::MakeRecord(spec);
    if (failed) {  // a 502 after the provider's error, with few or no tokens
      r.http_status = 502;
      r.finish_reason = "error";
      r.native_finish_reason = "error";
      r.native = {};
      r.native.prompt = pick(2) == 0 ? 0 : static_cast<int64_t>(pick(50));
      r.cost = {};
      r.cost.total = r.native.prompt * 10;
      r.cost.prompt = r.cost.total;
    }
    r.category = kCategories[pick(std::size(kCategories))];
    r.language = kLanguages[pick(std::size(kLanguages))];
    r.tools_offered = pick(3) == 0;
    r.tool_called = r.tools_offered && pick(2) == 0;
    r.model_origin = model.origin;
    r.model_open_weights = model.open_weights;
    r.model_parameters_m = model.parameters_m;
    r.model_reasoning = model.reasoning;
    records.push_back(std::move(r));
  }
  return records;
}

void Add(InsightTotals& t, const GenerationRecord& r) {
  t.requests += 1;
  t.prompt_tokens += r.native.prompt;
  t.completion_tokens += r.native.completion;
  t.reasoning_tokens += r.native.reasoning;
  t.tools_offered += r.tools_offered;
  t.tool_calls += r.tool_called;
  t.cost_nano += r.cost.total;
}

void ExpectSame(const InsightTotals& a, const InsightTotals& b, const std::string& what) {
  EXPECT_EQ(a.requests, b.requests) << what;
  EXPECT_EQ(a.prompt_tokens, b.prompt_tokens) << what;
  EXPECT_EQ(a.completion_tokens, b.completion_tokens) << what;
  EXPECT_EQ(a.reasoning_tokens, b.reasoning_tokens) << what;
  EXPECT_EQ(a.tools_offered, b.tools_offered) << what;
  EXPECT_EQ(a.tool_calls, b.tool_calls) << what;
  EXPECT_EQ(a.cost_nano, b.cost_nano) << what;
}

// What the insights count: the records a provider answered with 200.
bool Counted(const GenerationRecord& r) { return !r.provider.empty() && r.http_status == 200; }

class InsightsReportsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    records_ = new std::vector<GenerationRecord>(RandomTraffic(6000));
    // Once for the suite (FreshDir names a directory after the running test).
    const std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) /
                                      ("ledger_" + std::to_string(::getpid())) / "insights";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    auto ledger = Ledger::Open(testing::QuietOptions(dir.string()));
    ledger->Start();
    for (const GenerationRecord& r : *records_) ledger->Push(r);
    ledger->Stop();
    reader_ = LedgerReader::Open((dir / "ledger.db").string(), [] {
                return kLastDay * kDayMs;
              }).release();
  }
  static void TearDownTestSuite() {
    delete reader_;
    delete records_;
  }

  // The counted records of weeks [first, last].
  static std::vector<const GenerationRecord*> Served(WeekRange range) {
    std::vector<const GenerationRecord*> served;
    for (const GenerationRecord& r : *records_) {
      const int64_t week = WeekBucket(r.created_at_ms);
      if (Counted(r) && week >= range.first && week <= range.last) served.push_back(&r);
    }
    return served;
  }

  // Four weeks that leave the first three weeks of traffic out.
  static WeekRange Range() { return LastWeeks(reader_->Today(), 4); }

  static std::vector<GenerationRecord>* records_;
  static LedgerReader* reader_;
};

std::vector<GenerationRecord>* InsightsReportsTest::records_ = nullptr;
LedgerReader* InsightsReportsTest::reader_ = nullptr;

TEST(InsightWeeksTest, WeeksStartOnMondayUtc) {
  const int64_t monday = testing::kDay0Ms - kDayMs;  // 2026-03-09 was a Monday
  EXPECT_EQ(WeekBucket(monday), WeekBucket(monday + 7 * kDayMs - 1));
  EXPECT_EQ(WeekBucket(monday) + 1, WeekBucket(monday + 7 * kDayMs));
  EXPECT_EQ(WeekBucket(monday - 1), WeekBucket(monday) - 1);
  EXPECT_EQ(WeekFirstDay(WeekBucket(monday)) * kDayMs, monday);
  EXPECT_EQ(WeekBucket(0), 0);  // 1970-01-01, a Thursday, in week 0 (from Monday 1969-12-29)
  EXPECT_EQ(WeekFirstDay(0), -3);
  EXPECT_EQ(WeekBucket(-4 * kDayMs), -1);
}

TEST(InsightWeeksTest, LengthBucketsAreQuarterOctaves) {
  EXPECT_EQ(LengthBucket(0), 0);
  EXPECT_EQ(LengthBucket(-5), 0);
  EXPECT_EQ(LengthBucket(1), 1);
  EXPECT_EQ(LengthBucket(2), 5);
  EXPECT_EQ(LengthBucket(1024), 41);
  for (int64_t tokens : {3, 17, 1000, 123456}) {
    const int bucket = LengthBucket(tokens);
    EXPECT_LE(std::exp2((bucket - 1) / 4.0), static_cast<double>(tokens)) << tokens;
    EXPECT_GT(std::exp2(bucket / 4.0), static_cast<double>(tokens)) << tokens;
  }
  EXPECT_EQ(HistogramMedian({}), 0);
  EXPECT_EQ(HistogramMedian({{0, 3}, {41, 1}}), 0);
  // The middle of two requests in bucket 41 ([2^10, 2^10.25)): half way through it.
  EXPECT_DOUBLE_EQ(HistogramMedian({{41, 2}}), std::exp2(10.125));
}

TEST(InsightClassesTest, ClassesAndSizes) {
  EXPECT_EQ(ModelClassOf(false, "CN"), "proprietary");
  EXPECT_EQ(ModelClassOf(true, "CN"), "open_weights_china");
  EXPECT_EQ(ModelClassOf(true, "FR"), "open_weights_rest_of_world");
  EXPECT_EQ(ModelClassOf(true, ""), "open_weights_rest_of_world");
  EXPECT_EQ(SizeClassOf(0), "unknown");
  EXPECT_EQ(SizeClassOf(14'999), "small");
  EXPECT_EQ(SizeClassOf(15'000), "medium");
  EXPECT_EQ(SizeClassOf(70'000), "medium");
  EXPECT_EQ(SizeClassOf(70'001), "large");
}

TEST_F(InsightsReportsTest, WeeklyTotalsMatchTheRawRecords) {
  const WeekRange range = LastWeeks(reader_->Today(), 10);  // three weeks before any traffic
  std::map<int64_t, InsightTotals> expected;
  for (const GenerationRecord* r : Served(range)) Add(expected[WeekBucket(r->created_at_ms)], *r);
  const std::vector<WeekTotals> weeks = InsightsWeekly(*reader_, range);
  ASSERT_EQ(weeks.size(), 10u);
  for (const WeekTotals& week : weeks) {
    ExpectSame(week.totals, expected[week.week], "week " + std::to_string(week.week));
  }
  EXPECT_EQ(weeks[0].totals.requests, 0);
  EXPECT_GT(weeks[9].totals.requests, 0);
}

TEST_F(InsightsReportsTest, ModelClassesAndSizesMatchTheRawRecords) {
  std::map<std::pair<int64_t, std::string>, InsightTotals> classes, sizes;
  for (const GenerationRecord* r : Served(Range())) {
    const int64_t week = WeekBucket(r->created_at_ms);
    Add(classes[{week, std::string(ModelClassOf(r->model_open_weights, r->model_origin))}], *r);
    Add(sizes[{week, std::string(SizeClassOf(r->model_parameters_m))}], *r);
  }
  for (const auto& [report, expected] :
       {std::pair{InsightsModelClasses(*reader_, Range()), classes},
        std::pair{InsightsModelSizes(*reader_, Range()), sizes}}) {
    ASSERT_EQ(report.size(), expected.size());
    for (const NamedTotals& row : report) {
      ASSERT_TRUE(row.week.has_value());
      ExpectSame(row.totals, expected.at({*row.week, row.name}), row.name);
    }
  }
}

TEST_F(InsightsReportsTest, CategoriesAndLanguagesMatchTheRawRecords) {
  std::map<std::string, InsightTotals> categories, languages;
  std::map<std::pair<std::string, std::string>, InsightTotals> by_author;
  for (const GenerationRecord* r : Served(Range())) {
    Add(categories[r->category], *r);
    Add(by_author[{r->category, r->author}], *r);
    Add(languages[r->language], *r);
  }
  const auto overall = InsightsCategories(*reader_, Range(), false);
  ASSERT_EQ(overall.size(), categories.size());
  for (const NamedTotals& row : overall) ExpectSame(row.totals, categories.at(row.name), row.name);
  const auto authored = InsightsCategories(*reader_, Range(), true);
  ASSERT_EQ(authored.size(), by_author.size());
  for (const NamedTotals& row : authored) {
    ExpectSame(row.totals, by_author.at({row.name, row.author}), row.name + "/" + row.author);
  }
  const auto summed = SumOverAuthors(authored);  // what the API answers overall
  ASSERT_EQ(summed.size(), overall.size());
  for (size_t i = 0; i < summed.size(); ++i) {
    EXPECT_EQ(summed[i].name, overall[i].name);
    ExpectSame(summed[i].totals, overall[i].totals, "summed " + summed[i].name);
  }
  const auto spoken = InsightsLanguages(*reader_, Range());
  ASSERT_EQ(spoken.size(), languages.size());
  for (const NamedTotals& row : spoken) ExpectSame(row.totals, languages.at(row.name), row.name);
}

TEST_F(InsightsReportsTest, LengthsMatchTheRawRecords) {
  // (week, category) -> prompt and completion lengths; nullopt = every category (a category ""
  // is its own: not recorded).
  std::map<std::pair<int64_t, std::optional<std::string>>,
           std::pair<std::vector<double>, std::vector<double>>>
      lengths;
  for (const GenerationRecord* r : Served(Range())) {
    for (const std::optional<std::string>& category :
         {std::optional(r->category), std::optional<std::string>()}) {
      auto& [prompts, completions] = lengths[{WeekBucket(r->created_at_ms), category}];
      prompts.push_back(static_cast<double>(r->native.prompt));
      completions.push_back(static_cast<double>(r->native.completion));
    }
  }
  auto mean = [](const std::vector<double>& v) {
    double sum = 0;
    for (double x : v) sum += x;
    return sum / static_cast<double>(v.size());
  };
  auto sum = [](const std::vector<double>& v) {
    int64_t total = 0;
    for (double x : v) total += static_cast<int64_t>(x);
    return total;
  };
  auto median = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    // The lower middle of an even count: the request the histogram's median interpolates in.
    return v[(v.size() - 1) / 2];
  };
  const std::vector<LengthRow> rows = InsightsLengths(*reader_, Range());
  ASSERT_EQ(rows.size(), lengths.size());
  for (const LengthRow& row : rows) {
    const auto& [prompts, completions] = lengths.at({row.week, row.category});
    const std::string what = std::to_string(row.week) + "/" + row.category.value_or("(all)");
    EXPECT_EQ(row.requests, static_cast<int64_t>(prompts.size())) << what;
    EXPECT_EQ(row.prompt_tokens, sum(prompts)) << what;
    EXPECT_EQ(row.completion_tokens, sum(completions)) << what;
    EXPECT_NEAR(row.mean_prompt, mean(prompts), 1e-6 * mean(prompts)) << what;
    EXPECT_NEAR(row.mean_completion, mean(completions), 1e-6 * mean(completions) + 1e-9) << what;
    // One quarter-octave either way (a factor 2^(1/4) = 1.19), and a token for rounding.
    EXPECT_NEAR(row.median_prompt, median(prompts), 0.19 * median(prompts) + 1) << what;
    EXPECT_NEAR(row.median_completion, median(completions), 0.19 * median(completions) + 1) << what;
  }
}

TEST_F(InsightsReportsTest, PriceAgainstUsageMatchesTheRawRecords) {
  std::map<std::string, InsightTotals> models;
  for (const GenerationRecord* r : Served(Range())) Add(models[r->model], *r);
  const PriceUsage report = InsightsPriceUsage(*reader_, Range());
  ASSERT_EQ(report.rows.size(), models.size());
  std::vector<double> prices, tokens;
  for (const auto& [model, totals] : models) {
    prices.push_back(static_cast<double>(totals.cost_nano) / static_cast<double>(totals.Tokens()) /
                     1000.0);
    tokens.push_back(static_cast<double>(totals.Tokens()));
  }
  std::sort(prices.begin(), prices.end());
  std::sort(tokens.begin(), tokens.end());  // six models: the median is the mean of the middle two
  EXPECT_DOUBLE_EQ(report.median_usd_per_million_tokens, (prices[2] + prices[3]) / 2);
  EXPECT_DOUBLE_EQ(report.median_tokens, (tokens[2] + tokens[3]) / 2);
  int64_t previous = INT64_MAX;
  std::map<std::string, int> quadrants;
  for (const PriceUsageRow& row : report.rows) {
    const InsightTotals& expected = models.at(row.model);
    ExpectSame(row.totals, expected, row.model);
    EXPECT_LE(row.totals.Tokens(), previous);  // most tokens first
    previous = row.totals.Tokens();
    const double price =
        static_cast<double>(expected.cost_nano) / static_cast<double>(expected.Tokens()) / 1000.0;
    EXPECT_DOUBLE_EQ(row.usd_per_million_tokens, price);
    const std::string quadrant =
        std::string(price > report.median_usd_per_million_tokens ? "high_price_" : "low_price_") +
        (static_cast<double>(expected.Tokens()) > report.median_tokens ? "high_usage"
                                                                       : "low_usage");
    EXPECT_EQ(row.quadrant, quadrant) << row.model;
    ++quadrants[row.quadrant];
  }
  EXPECT_EQ(quadrants["high_price_high_usage"] + quadrants["high_price_low_usage"], 3);
}

TEST_F(InsightsReportsTest, RetentionCohortsMatchTheRawRecords) {
  const WeekRange range = Range();
  for (const UsageEntity by : {UsageEntity::kApiKey, UsageEntity::kUser, UsageEntity::kApp}) {
    for (const ModelSpec& model : kModels) {
      std::map<std::string, std::set<int64_t>> weeks_of;
      for (const GenerationRecord& r : *records_) {
        const std::string& entity = by == UsageEntity::kApiKey ? r.api_key_id
                                    : by == UsageEntity::kUser ? r.user
                                                               : r.app;
        const int64_t week = WeekBucket(r.created_at_ms);
        if (!Counted(r) || r.model != model.id || entity.empty() || week > range.last) continue;
        weeks_of[entity].insert(week);
      }
      const std::vector<Cohort> cohorts = InsightsRetention(*reader_, range, model.id, by);
      ASSERT_EQ(cohorts.size(), range.size());
      for (const Cohort& cohort : cohorts) {
        std::vector<std::string> members;
        for (const auto& [entity, weeks] : weeks_of) {
          if (*weeks.begin() == cohort.week) members.push_back(entity);
        }
        const std::string what = model.id + " week " + std::to_string(cohort.week);
        EXPECT_EQ(cohort.size, static_cast<int64_t>(members.size())) << what;
        ASSERT_EQ(cohort.retained.size(), static_cast<size_t>(range.last - cohort.week)) << what;
        for (size_t k = 0; k < cohort.retained.size(); ++k) {
          int64_t active = 0;
          for (const std::string& entity : members) {
            active += weeks_of[entity].count(cohort.week + 1 + static_cast<int64_t>(k));
          }
          if (members.empty()) {
            EXPECT_EQ(cohort.retained[k], std::nullopt) << what << " +" << k + 1;  // of nothing
            continue;
          }
          const double share = std::round(static_cast<double>(active) * 10000.0 /
                                          static_cast<double>(members.size())) /
                               100.0;
          ASSERT_TRUE(cohort.retained[k].has_value()) << what << " +" << k + 1;
          EXPECT_DOUBLE_EQ(*cohort.retained[k], share) << what << " +" << k + 1;
        }
      }
    }
  }
}

TEST_F(InsightsReportsTest, AnUnknownModelHasEmptyCohorts) {
  for (const Cohort& cohort : InsightsRetention(*reader_, Range(), "no/such", UsageEntity::kUser)) {
    EXPECT_EQ(cohort.size, 0);
    for (const std::optional<double>& share : cohort.retained) EXPECT_EQ(share, std::nullopt);
  }
}

}  // namespace
}  // namespace gw::accounting

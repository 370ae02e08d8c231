// GET /v1/insights[/{analysis}] as HTTP answers over a real ledger: the JSON shape of
// docs/insights.md with hand-computed values, CSV, the empty ledger, every rejected parameter
// and the retention that only admins may read. The analyses' arithmetic against raw records is
// in tests/accounting/ledger/insights_reports_test.cc.
#include "gateway/api/insights_api.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "accounting/ledger/ledger.h"
#include "tests/accounting/ledger/ledger_test_util.h"

namespace gw::api {
namespace {

using nlohmann::json;
namespace testing_util = accounting::testing;

constexpr int64_t kToday = 20530;  // 2026-03-18, a Wednesday; its week began on 2026-03-16

class InsightsApiTest : public ::testing::Test {
 protected:
  struct Row {
    int64_t day;
    const char* model;
    const char* category;
    const char* language;
    bool open_weights;
    const char* origin;
    int64_t parameters_m;
    int64_t prompt, completion, reasoning, cost;
    bool tool_called;
    const char* user;
  };

  // Last week: a proprietary US model (programming, English, tools called); this week the same
  // model again (roleplay, German) and an open-weight Chinese model (programming, no language).
  // Then `more`.
  void Fill(bool with_records, const std::vector<Row>& more = {}) {
    options_ = testing_util::QuietOptions(testing_util::FreshDir());
    auto ledger = accounting::Ledger::Open(options_);
    ledger->Start();
    std::vector<Row> rows = {
        {kToday - 7, "openai/gpt-4o", "programming", "en", false, "US", 0, 300, 100, 0, 4'000, true,
         "ada"},
        {kToday, "openai/gpt-4o", "roleplay", "de", false, "US", 0, 500, 100, 0, 6'000, false,
         "ada"},
        {kToday - 1, "deepseek/r1", "programming", "", true, "CN", 671'000, 80, 20, 10, 100, false,
         "bob"},
    };
    rows.insert(rows.end(), more.begin(), more.end());
    int n = 0;
    for (const Row& row : rows) {
      if (!with_records) break;
      testing_util::RecordSpec spec;
      spec.id = "gen-" + std::to_string(n++);
      spec.created_at_ms = row.day * testing_util::kDayMs + 1000;
      spec.model = row.model;
      spec.provider = "sim";
      spec.user = row.user;
      spec.prompt = row.prompt;
      spec.completion = row.completion;
      spec.cost = row.cost;
      accounting::GenerationRecord record = testing_util::MakeRecord(spec);
      record.native.reasoning = row.reasoning;
      record.category = row.category;
      record.language = row.language;
      record.model_open_weights = row.open_weights;
      record.model_origin = row.origin;
      record.model_parameters_m = row.parameters_m;
      record.tools_offered = row.tool_called;
      record.tool_called = row.tool_called;
      ledger->Push(std::move(record));
    }
    ledger->Stop();
    reader_ = accounting::LedgerReader::Open(options_.path,
                                             [] { return kToday * testing_util::kDayMs + 7; });
  }

  // The answer to an admin (`admin`) or to any other caller, which must be a 200.
  json Ok(InsightsAnalysis analysis, const std::string& target, bool admin = true) {
    const UsageAnswer answer = InsightsAnswer(analysis, target, admin, *reader_);
    EXPECT_EQ(answer.status, 200) << answer.body;
    EXPECT_EQ(answer.content_type, "application/json");
    return json::parse(answer.body);
  }

  accounting::LedgerOptions options_;
  std::unique_ptr<accounting::LedgerReader> reader_;
};

TEST(InsightsPathTest, EveryAnalysisHasItsPath) {
  EXPECT_EQ(InsightsAnalysisOfPath("/v1/insights"), InsightsAnalysis::kOverview);
  EXPECT_EQ(InsightsAnalysisOfPath("/v1/insights/tokens"), InsightsAnalysis::kTokens);
  EXPECT_EQ(InsightsAnalysisOfPath("/v1/insights/model-classes"), InsightsAnalysis::kModelClasses);
  EXPECT_EQ(InsightsAnalysisOfPath("/v1/insights/model-sizes"), InsightsAnalysis::kModelSizes);
  EXPECT_EQ(InsightsAnalysisOfPath("/v1/insights/categories"), InsightsAnalysis::kCategories);
  EXPECT_EQ(InsightsAnalysisOfPath("/v1/insights/languages"), InsightsAnalysis::kLanguages);
  EXPECT_EQ(InsightsAnalysisOfPath("/v1/insights/lengths"), InsightsAnalysis::kLengths);
  EXPECT_EQ(InsightsAnalysisOfPath("/v1/insights/reasoning-and-tools"),
            InsightsAnalysis::kReasoningAndTools);
  EXPECT_EQ(InsightsAnalysisOfPath("/v1/insights/price-usage"), InsightsAnalysis::kPriceUsage);
  EXPECT_EQ(InsightsAnalysisOfPath("/v1/insights/retention"), InsightsAnalysis::kRetention);
  for (std::string_view other : {"/v1/insights/", "/v1/insights/colours", "/v1/insight"}) {
    EXPECT_EQ(InsightsAnalysisOfPath(other), std::nullopt) << other;
  }
}

TEST_F(InsightsApiTest, WeeklyTokensMarkTheRunningWeekAndTheGrowth) {
  Fill(true);
  const json answer = Ok(InsightsAnalysis::kTokens, "/v1/insights/tokens?weeks=3");
  EXPECT_EQ(answer["object"], "insights.tokens");
  EXPECT_EQ(answer["weeks"], json::parse(R"({"from":"2026-03-02","to":"2026-03-22","count":3})"));
  ASSERT_EQ(answer["data"].size(), 3u);
  const json& last = answer["data"][2];
  EXPECT_EQ(last["week"], "2026-03-16");
  EXPECT_EQ(last["complete"], false);
  EXPECT_EQ(last["requests"], 2);
  EXPECT_EQ(last["tokens"], 700);
  EXPECT_EQ(last["growth"], 75.0);  // 700 against 400
  EXPECT_EQ(answer["data"][1]["complete"], true);
  EXPECT_EQ(answer["data"][1]["tokens"], 400);
  EXPECT_TRUE(answer["data"][1]["growth"].is_null());  // nothing the week before
  EXPECT_EQ(answer["data"][0]["tokens"], 0);
}

TEST_F(InsightsApiTest, TheFirstWeeksGrowthIsAgainstTheWeekBeforeTheRange) {
  Fill(true);
  const json one = Ok(InsightsAnalysis::kTokens, "/v1/insights/tokens?weeks=1");
  ASSERT_EQ(one["data"].size(), 1u);
  EXPECT_EQ(one["data"][0]["week"], "2026-03-16");
  EXPECT_EQ(one["data"][0]["growth"], 75.0);  // 700 against last week's 400, outside the range
  const json last_week = Ok(InsightsAnalysis::kTokens, "/v1/insights/tokens?weeks=1&at=2026-03-15");
  ASSERT_EQ(last_week["data"].size(), 1u);
  EXPECT_EQ(last_week["data"][0]["tokens"], 400);
  EXPECT_TRUE(last_week["data"][0]["growth"].is_null());  // the week before had none
  const json overview = Ok(InsightsAnalysis::kOverview, "/v1/insights?weeks=1");
  EXPECT_EQ(overview["weekly"][0]["growth"], 75.0);
}

TEST_F(InsightsApiTest, ClassesCategoriesAndLanguagesAreShares) {
  Fill(true);
  const json classes = Ok(InsightsAnalysis::kModelClasses, "/v1/insights/model-classes?weeks=1");
  ASSERT_EQ(classes["data"].size(), 2u);
  for (const json& row : classes["data"]) {
    EXPECT_EQ(row["week"], "2026-03-16");
    if (row["class"] == "proprietary") {
      EXPECT_EQ(row["tokens"], 600);
      EXPECT_EQ(row["share"], 85.71);
    } else {
      EXPECT_EQ(row["class"], "open_weights_china");
      EXPECT_EQ(row["share"], 14.29);
    }
  }
  const json sizes = Ok(InsightsAnalysis::kModelSizes, "/v1/insights/model-sizes?weeks=1");
  ASSERT_EQ(sizes["data"].size(), 2u);
  EXPECT_EQ(sizes["data"][0]["size"], "large");
  EXPECT_EQ(sizes["data"][1]["size"], "unknown");

  const json categories = Ok(InsightsAnalysis::kCategories, "/v1/insights/categories?weeks=2");
  ASSERT_EQ(categories["data"].size(), 2u);
  EXPECT_EQ(categories["data"][0]["category"], "roleplay");  // 600 tokens
  EXPECT_EQ(categories["data"][0]["share"], 54.55);
  EXPECT_EQ(categories["data"][1]["category"], "programming");  // 400 + 100
  EXPECT_EQ(categories["data"][1]["requests"], 2);
  ASSERT_EQ(categories["by_author"].size(), 3u);
  EXPECT_EQ(categories["by_author"][0],
            json::parse(R"({"author":"deepseek","category":"programming","requests":1,
                            "tokens":100,"share":100.0})"));

  const json languages = Ok(InsightsAnalysis::kLanguages, "/v1/insights/languages?weeks=2");
  ASSERT_EQ(languages["data"].size(), 3u);
  EXPECT_EQ(languages["data"][0]["language"], "de");
  EXPECT_TRUE(languages["data"][2]["language"].is_null());  // undetermined
}

TEST_F(InsightsApiTest, LengthsReasoningToolsAndPrices) {
  Fill(true);
  const json lengths = Ok(InsightsAnalysis::kLengths, "/v1/insights/lengths?weeks=1");
  ASSERT_EQ(lengths["data"].size(), 3u);  // every category, programming, roleplay
  EXPECT_EQ(lengths["data"][0]["category"], "all");
  EXPECT_EQ(lengths["data"][0]["requests"], 2);
  EXPECT_EQ(lengths["data"][0]["mean_prompt_tokens"], 290.0);
  EXPECT_EQ(lengths["data"][2]["category"], "roleplay");
  EXPECT_NEAR(lengths["data"][2]["median_prompt_tokens"].get<double>(), 500, 500 * 0.19);

  const json tools =
      Ok(InsightsAnalysis::kReasoningAndTools, "/v1/insights/reasoning-and-tools?weeks=2");
  ASSERT_EQ(tools["data"].size(), 2u);
  EXPECT_EQ(tools["data"][0]["tool_calls"], 1);
  EXPECT_EQ(tools["data"][0]["tool_call_share"], 100.0);
  EXPECT_EQ(tools["data"][1]["reasoning_tokens"], 10);  // r1's, of 120 completion tokens
  EXPECT_EQ(tools["data"][1]["reasoning_share"], 8.33);
  EXPECT_EQ(tools["data"][1]["tool_call_share"], 0.0);

  const json prices = Ok(InsightsAnalysis::kPriceUsage, "/v1/insights/price-usage?weeks=2");
  ASSERT_EQ(prices["data"].size(), 2u);
  EXPECT_EQ(prices["data"][0]["model"], "openai/gpt-4o");
  // 10,000 nano-USD for 1,000 tokens: 10 nano-USD a token, 0.01 USD a million.
  EXPECT_EQ(prices["data"][0]["usd_per_million_tokens"], 0.01);
  EXPECT_EQ(prices["data"][0]["quadrant"], "high_price_high_usage");
  EXPECT_EQ(prices["data"][1]["usd_per_million_tokens"], 0.001);
  EXPECT_EQ(prices["data"][1]["quadrant"], "low_price_low_usage");
  EXPECT_EQ(prices["median_usd_per_million_tokens"], 0.0055);
}

TEST_F(InsightsApiTest, AnUnrecordedCategoryIsNullAndApartFromTheAllRow) {
  // This week, a third request whose category was not recorded.
  Fill(true, {{kToday, "openai/gpt-4o", "", "en", false, "US", 0, 110, 40, 0, 1'000, false, "cy"}});
  const json lengths = Ok(InsightsAnalysis::kLengths, "/v1/insights/lengths?weeks=1");
  ASSERT_EQ(lengths["data"].size(), 4u);  // all, not recorded, programming, roleplay
  EXPECT_EQ(lengths["data"][0]["category"], "all");
  EXPECT_EQ(lengths["data"][0]["requests"], 3);                // the unrecorded one counted once
  EXPECT_EQ(lengths["data"][0]["mean_prompt_tokens"], 230.0);  // (500 + 80 + 110) / 3
  EXPECT_EQ(lengths["data"][0]["prompt_tokens"], 690);         // 500 + 80 + 110
  EXPECT_TRUE(lengths["data"][1]["category"].is_null());
  EXPECT_EQ(lengths["data"][1]["requests"], 1);
  EXPECT_EQ(lengths["data"][1]["mean_prompt_tokens"], 110.0);
  EXPECT_EQ(lengths["data"][2]["category"], "programming");
  const json categories = Ok(InsightsAnalysis::kCategories, "/v1/insights/categories?weeks=1");
  ASSERT_EQ(categories["data"].size(), 3u);
  EXPECT_TRUE(categories["data"][1]["category"].is_null());  // 150 tokens, between 600 and 100
}

TEST_F(InsightsApiTest, RetentionAndTheOverview) {
  Fill(true);
  const json retention =
      Ok(InsightsAnalysis::kRetention, "/v1/insights/retention?model=openai/gpt-4o&weeks=2");
  EXPECT_EQ(retention["model"], "openai/gpt-4o");
  EXPECT_EQ(retention["by"], "user");
  ASSERT_EQ(retention["data"].size(), 2u);
  EXPECT_EQ(retention["data"][0],
            json::parse(R"({"cohort_week":"2026-03-09","size":1,"week_1":100.0})"));
  EXPECT_EQ(retention["data"][1],
            json::parse(R"({"cohort_week":"2026-03-16","size":0,"week_1":null})"));
  // An empty cohort's shares are of nothing: null, even for weeks that are over.
  const json three =
      Ok(InsightsAnalysis::kRetention, "/v1/insights/retention?model=openai/gpt-4o&weeks=3");
  ASSERT_EQ(three["data"].size(), 3u);
  EXPECT_EQ(three["data"][0],
            json::parse(R"({"cohort_week":"2026-03-02","size":0,"week_1":null,"week_2":null})"));
  EXPECT_EQ(three["data"][1],
            json::parse(R"({"cohort_week":"2026-03-09","size":1,"week_1":100.0,"week_2":null})"));

  const json overview = Ok(InsightsAnalysis::kOverview, "/v1/insights?weeks=2");
  EXPECT_EQ(overview["object"], "insights.overview");
  ASSERT_TRUE(overview["totals"].is_object()) << overview["totals"];
  EXPECT_EQ(overview["totals"]["requests"], 3);
  EXPECT_EQ(overview["totals"]["tokens"], 1100);
  EXPECT_EQ(overview["totals"]["tool_call_share"], 33.33);
  EXPECT_EQ(overview["weekly"].size(), 2u);
  EXPECT_EQ(overview["model_classes"].size(), 2u);
  EXPECT_EQ(overview["categories"].size(), 2u);
  EXPECT_EQ(overview["languages"].size(), 3u);
}

TEST_F(InsightsApiTest, CsvHasAHeaderAndOneLinePerRow) {
  Fill(true);
  const UsageAnswer answer = InsightsAnswer(
      InsightsAnalysis::kLanguages, "/v1/insights/languages?weeks=2&format=csv", false, *reader_);
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.content_type, "text/csv; charset=utf-8");
  EXPECT_EQ(answer.disposition, "attachment; filename=\"insights-languages.csv\"");
  EXPECT_EQ(answer.body,
            "language,requests,tokens,share\nde,1,600,54.55\nen,1,400,36.36\n,1,100,9.09\n");
}

TEST_F(InsightsApiTest, AnEmptyLedgerAnswersZeroWeeksAndNoRows) {
  Fill(false);
  const json tokens = Ok(InsightsAnalysis::kTokens, "/v1/insights/tokens");
  ASSERT_EQ(tokens["data"].size(), 12u);
  for (const json& week : tokens["data"]) EXPECT_EQ(week["tokens"], 0);
  EXPECT_TRUE(Ok(InsightsAnalysis::kCategories, "/v1/insights/categories")["data"].empty());
  EXPECT_TRUE(Ok(InsightsAnalysis::kPriceUsage, "/v1/insights/price-usage")["data"].empty());
  EXPECT_EQ(Ok(InsightsAnalysis::kOverview, "/v1/insights")["totals"]["requests"], 0);
}

TEST_F(InsightsApiTest, RetentionByKeyOrUserIsForAdminKeysOnly) {
  Fill(true);
  const std::vector<std::pair<std::string, std::string>> refused = {
      {"/v1/insights/retention?model=openai/gpt-4o",
       "by=user (the default): retention of keys and users is readable by admin keys only; by=app "
       "is not restricted"},
      {"/v1/insights/retention?model=openai/gpt-4o&by=user",
       "by=user: retention of keys and users is readable by admin keys only; by=app is not "
       "restricted"},
      {"/v1/insights/retention?model=openai/gpt-4o&by=key&format=csv",
       "by=key: retention of keys and users is readable by admin keys only; by=app is not "
       "restricted"},
  };
  for (const auto& [target, message] : refused) {
    const UsageAnswer answer =
        InsightsAnswer(InsightsAnalysis::kRetention, target, false, *reader_);
    EXPECT_EQ(answer.status, 403) << target;
    EXPECT_EQ(json::parse(answer.body)["error"]["message"], message) << target;
  }
  // An admin may; anyone may by app; the other analyses are not by key or user.
  EXPECT_EQ(Ok(InsightsAnalysis::kRetention, "/v1/insights/retention?model=openai/gpt-4o&by=key",
               true)["data"][0]["size"],
            0);  // the records carry no key id
  EXPECT_EQ(Ok(InsightsAnalysis::kRetention, "/v1/insights/retention?model=openai/gpt-4o&weeks=2",
               true)["data"][0]["size"],
            1);
  EXPECT_EQ(Ok(InsightsAnalysis::kRetention, "/v1/insights/retention?model=openai/gpt-4o&by=app",
               false)["by"],
            "app");
  EXPECT_EQ(Ok(InsightsAnalysis::kOverview, "/v1/insights", false)["totals"]["requests"], 3);
}

TEST_F(InsightsApiTest, EveryBadParameterIsA400NamingIt) {
  Fill(false);
  const std::vector<std::tuple<InsightsAnalysis, std::string, std::string>> cases = {
      {InsightsAnalysis::kTokens, "/v1/insights/tokens?weeks=0",
       "weeks: expected an integer from 1 to 104, got \"0\""},
      {InsightsAnalysis::kTokens, "/v1/insights/tokens?weeks=105",
       "weeks: expected an integer from 1 to 104, got \"105\""},
      {InsightsAnalysis::kTokens, "/v1/insights/tokens?weeks=x",
       "weeks: expected an integer from 1 to 104, got \"x\""},
      {InsightsAnalysis::kTokens, "/v1/insights/tokens?at=2026-13-01",
       "at: expected a date YYYY-MM-DD, got \"2026-13-01\""},
      {InsightsAnalysis::kTokens, "/v1/insights/tokens?at=2026-03-19",
       "at: 2026-03-19 is after today (2026-03-18, UTC)"},
      {InsightsAnalysis::kTokens, "/v1/insights/tokens?format=xml",
       "format: expected one of json, csv, got \"xml\""},
      {InsightsAnalysis::kOverview, "/v1/insights?format=csv",
       "unknown parameter \"format\"; allowed: weeks, at"},
      {InsightsAnalysis::kRetention, "/v1/insights/retention",
       "model: required (the model whose users' retention to show)"},
      {InsightsAnalysis::kRetention, "/v1/insights/retention?model=m&by=team",
       "by: expected one of key, user, app, got \"team\""},
      {InsightsAnalysis::kRetention, "/v1/insights/retention?model=", "model: must not be empty"},
      {InsightsAnalysis::kLanguages, "/v1/insights/languages?model=m",
       "unknown parameter \"model\"; allowed: weeks, at, format"},
  };
  for (const auto& [analysis, target, message] : cases) {
    const UsageAnswer answer = InsightsAnswer(analysis, target, false, *reader_);
    EXPECT_EQ(answer.status, 400) << target;
    EXPECT_EQ(json::parse(answer.body)["error"]["message"], message) << target;
  }
}

}  // namespace
}  // namespace gw::api

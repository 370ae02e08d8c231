// Output formats: activity CSV/JSON, the usage table/CSV/JSON, the /v1/generation object, and
// the exactness of USD amounts (integer nano-USD printed as decimal text, never via double).
#include "accounting/ledger/usage_format.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "accounting/ledger/generation_json.h"
#include "accounting/ledger/json_text.h"
#include "tests/accounting/ledger/ledger_test_util.h"

namespace gw::accounting {
namespace {

ActivityRow Row(std::string date, std::string model, std::string provider, int64_t cost) {
  ActivityRow row;
  row.date = std::move(date);
  row.model = std::move(model);
  row.provider = std::move(provider);
  row.requests = 1234;
  row.prompt_tokens = 1'234'567;
  row.completion_tokens = 89;
  row.reasoning_tokens = 8;
  row.cached_tokens = 1000;
  row.cost_nano = cost;
  return row;
}

TEST(UsageFormatTest, ActivityCsvQuotesFieldsAndPrintsExactUsd) {
  const std::string csv = ActivityCsv(
      {Row("2026-03-10", "openai/gpt-4o", "openai", 1'500),
       Row("2026-03-11", "acme/model, \"large\"", "acme\ncorp", 123'456'789'012'345'678)});
  EXPECT_EQ(csv,
            "date,model,provider_name,requests,prompt_tokens,completion_tokens,reasoning_tokens,"
            "cached_tokens,usage\r\n"
            "2026-03-10,openai/gpt-4o,openai,1234,1234567,89,8,1000,0.0000015\r\n"
            "2026-03-11,\"acme/model, \"\"large\"\"\",\"acme\ncorp\",1234,1234567,89,8,1000,"
            "123456789.012345678\r\n");
  EXPECT_EQ(ActivityCsv({}),
            "date,model,provider_name,requests,prompt_tokens,completion_tokens,reasoning_tokens,"
            "cached_tokens,usage\r\n");
}

TEST(UsageFormatTest, ActivityJsonHasTheApiFieldNamesAndExactUsd) {
  const std::string text = ActivityJson({Row("2026-03-10", "openai/gpt-4o", "openai", 1),
                                         Row("2026-03-11", "m", "p", 123'456'789'012'345'678)});
  EXPECT_NE(text.find("\"usage\":0.000000001}"), std::string::npos) << text;
  EXPECT_NE(text.find("\"usage\":123456789.012345678}"), std::string::npos) << text;
  const auto json = nlohmann::json::parse(text);
  ASSERT_EQ(json.size(), 2u);
  EXPECT_EQ(json[0]["date"], "2026-03-10");
  EXPECT_EQ(json[0]["model"], "openai/gpt-4o");
  EXPECT_EQ(json[0]["provider_name"], "openai");
  EXPECT_EQ(json[0]["requests"], 1234);
  EXPECT_EQ(json[0]["prompt_tokens"], 1234567);
  EXPECT_EQ(json[0]["completion_tokens"], 89);
  EXPECT_EQ(json[0]["reasoning_tokens"], 8);
  EXPECT_EQ(json[0]["cached_tokens"], 1000);
  EXPECT_TRUE(json[0]["usage"].is_number());
  EXPECT_EQ(ActivityJson({}), "[]");
}

UsageReport Report() {
  UsageReport report;
  report.by = UsageDimension::kModel;
  report.from = "2026-03-01";
  report.to = "2026-03-31";
  UsageRow a;
  a.name = "openai/gpt-4o";
  a.requests = 1200;
  a.prompt_tokens = 1'234'567;
  a.completion_tokens = 7'654;
  a.cost_nano = 12'345'678'901;  // 12.345678901 USD
  UsageRow b;
  b.name = "";
  b.requests = 3;
  b.prompt_tokens = 10;
  b.cost_nano = 500;  // 0.0000005 USD: rounds to 0.000001
  report.rows = {a, b};
  report.totals.name = "total";
  report.totals.Add(a);
  report.totals.Add(b);
  return report;
}

TEST(UsageFormatTest, UsageTableIsAlignedWithATotalsRow) {
  EXPECT_EQ(FormatUsageTable(Report()),
            "usage by model, 2026-03-01 to 2026-03-31 (UTC)\n\n"
            "model          requests     prompt  completion  reasoning  cached   cost_usd\n"
            "-------------  --------  ---------  ----------  ---------  ------  ---------\n"
            "openai/gpt-4o     1,200  1,234,567       7,654          0       0  12.345679\n"
            "(none)                3         10           0          0       0   0.000001\n"
            "-------------  --------  ---------  ----------  ---------  ------  ---------\n"
            "total             1,203  1,234,577       7,654          0       0  12.345679\n");
}

TEST(UsageFormatTest, UsageCsvAndJson) {
  EXPECT_EQ(FormatUsageCsv(Report()),
            "model,requests,prompt_tokens,completion_tokens,reasoning_tokens,cached_tokens,"
            "cost_usd\r\n"
            "openai/gpt-4o,1200,1234567,7654,0,0,12.345678901\r\n"
            ",3,10,0,0,0,0.0000005\r\n"
            "total,1203,1234577,7654,0,0,12.345679401\r\n");
  const std::string text = FormatUsageJson(Report());
  EXPECT_NE(text.find("\"cost\":12.345678901}"), std::string::npos) << text;
  const auto json = nlohmann::json::parse(text);
  EXPECT_EQ(json["by"], "model");
  EXPECT_EQ(json["from"], "2026-03-01");
  EXPECT_EQ(json["data"].size(), 2u);
  EXPECT_EQ(json["data"][0]["name"], "openai/gpt-4o");
  EXPECT_EQ(json["totals"]["requests"], 1203);
}

TEST(UsageFormatTest, NumberHelpers) {
  EXPECT_EQ(WithThousands(0), "0");
  EXPECT_EQ(WithThousands(999), "999");
  EXPECT_EQ(WithThousands(1000), "1,000");
  EXPECT_EQ(WithThousands(-1234567), "-1,234,567");
  EXPECT_EQ(FixedUsd(0, 6), "0.000000");
  EXPECT_EQ(FixedUsd(1'499, 6), "0.000001");
  EXPECT_EQ(FixedUsd(1'500, 6), "0.000002");
  EXPECT_EQ(FixedUsd(-2'500, 6), "-0.000003");
  EXPECT_EQ(FixedUsd(12'000'000'000, 2), "12.00");
  EXPECT_EQ(FixedUsd(INT64_MIN, 0), "-9223372037");
  EXPECT_EQ(CsvField("plain"), "plain");
  EXPECT_EQ(CsvField("a\"b"), "\"a\"\"b\"");
  EXPECT_EQ(UsdNumber(0), "0");
  EXPECT_EQ(UsdNumber(1), "0.000000001");
}

TEST(GenerationJsonTest, HasTheApiFieldNames) {
  GenerationRecord r = testing::MakeRecord("gen-abc");
  r.created_at_ms = testing::kDay0Ms + 3'723'456;  // 01:02:03.456
  r.app = "My App";
  r.app_title = "My App";
  r.http_referer = "https://my.app/";
  r.user = "alice";
  r.api_key_id = "key-1";
  r.api = "messages";
  r.tokens_prompt = 99;
  r.cost = Cost{100, 200, 3, 4, 5, 6, 318};
  r.message_count = 3;
  r.tools_offered = true;
  r.tool_called = true;
  r.language = "de";
  r.category = "programming";
  r.model_origin = "US";
  r.model_open_weights = true;
  r.model_parameters_m = 1'500;
  r.model_reasoning = true;
  const std::string text = GenerationJson(r);
  EXPECT_NE(text.find("\"total_cost\":0.000000318,\"usage\":0.000000318,"), std::string::npos)
      << text;
  const auto json = nlohmann::json::parse(text);
  EXPECT_EQ(json["id"], "gen-abc");
  EXPECT_EQ(json["model"], "openai/gpt-4o-mini");
  EXPECT_EQ(json["provider_name"], "openai");
  EXPECT_EQ(json["created_at"], "2026-03-10T01:02:03.456Z");
  EXPECT_EQ(json["streamed"], true);
  EXPECT_EQ(json["cancelled"], false);
  EXPECT_EQ(json["finish_reason"], "stop");
  EXPECT_EQ(json["native_finish_reason"], "stop");
  EXPECT_EQ(json["latency"], 420);
  EXPECT_EQ(json["generation_time"], 400);
  EXPECT_EQ(json["time_to_first_token"], 80);
  EXPECT_EQ(json["tokens_prompt"], 99);
  EXPECT_TRUE(json["tokens_completion"].is_null());  // not counted yet
  EXPECT_EQ(json["native_tokens_prompt"], 100);
  EXPECT_EQ(json["native_tokens_completion"], 20);
  EXPECT_EQ(json["native_tokens_reasoning"], 10);
  EXPECT_EQ(json["native_tokens_cached"], 25);
  EXPECT_EQ(json["native_tokens_cache_write"], 3);
  const auto& details = json["cost_details"];
  for (const char* key : {"prompt", "completion", "input_cache_read", "input_cache_write",
                          "internal_reasoning", "request"}) {
    EXPECT_TRUE(details.contains(key)) << key;
  }
  EXPECT_NE(text.find("\"input_cache_read\":0.000000003"), std::string::npos);
  EXPECT_EQ(json["estimated"], false);
  EXPECT_EQ(json["app_id"], "My App");
  EXPECT_EQ(json["app_title"], "My App");
  EXPECT_EQ(json["http_referer"], "https://my.app/");
  EXPECT_EQ(json["user"], "alice");
  EXPECT_EQ(json["api_key_id"], "key-1");
  EXPECT_EQ(json["model_requested"], "openai/gpt-4o-mini");
  EXPECT_EQ(json["api"], "messages");
  EXPECT_EQ(json["endpoint"], "upstream-openai/gpt-4o-mini");
  ASSERT_EQ(json["provider_responses"].size(), 2u);
  EXPECT_EQ(json["provider_responses"][0]["provider_name"], "other");
  EXPECT_EQ(json["provider_responses"][0]["status"], 503);
  EXPECT_EQ(json["provider_responses"][0]["latency"], 12);
  EXPECT_EQ(json["provider_responses"][0]["error"], "upstream \"busy\"");
  EXPECT_TRUE(json["provider_responses"][1]["error"].is_null());
  EXPECT_EQ(json["message_count"], 3);
  EXPECT_EQ(json["tools_offered"], true);
  EXPECT_EQ(json["tool_called"], true);
  EXPECT_EQ(json["language"], "de");
  EXPECT_EQ(json["category"], "programming");
  EXPECT_EQ(json["model_attributes"]["origin_country"], "US");
  EXPECT_EQ(json["model_attributes"]["open_weights"], true);
  EXPECT_NE(text.find("\"parameters_b\":1.5,"), std::string::npos) << text;
  EXPECT_EQ(json["model_attributes"]["reasoning"], true);

  r.time_to_first_token_ms = -1;
  r.user.clear();
  r.language.clear();
  r.category.clear();
  r.model_origin.clear();
  r.model_parameters_m = 0;
  const auto again = nlohmann::json::parse(GenerationJson(r));
  EXPECT_TRUE(again["time_to_first_token"].is_null());
  EXPECT_TRUE(again["user"].is_null());
  EXPECT_TRUE(again["language"].is_null());  // undetermined, or not recorded
  EXPECT_TRUE(again["category"].is_null());
  EXPECT_TRUE(again["model_attributes"]["origin_country"].is_null());
  EXPECT_TRUE(again["model_attributes"]["parameters_b"].is_null());
}

}  // namespace
}  // namespace gw::accounting

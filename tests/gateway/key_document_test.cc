#include "gateway/keys/key_document.h"

#include <gtest/gtest.h>

#include <set>

#include "gateway/key_digest.h"

namespace gw::keys {
namespace {

using accounting::keys::ApiKey;
using accounting::keys::LimitReset;
using nlohmann::json;

constexpr int64_t kNow = 1'796'000'000'000;  // 2026-11-29
constexpr int64_t kUsd = 1'000'000'000;

TEST(KeySecretTest, SecretsAreRandomAndOnlyTheirHashAndMaskedLabelAreKept) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const NewKeySecret key = GenerateKeySecret();
    ASSERT_TRUE(key.secret.starts_with("sk-gw-v1-"));
    ASSERT_EQ(key.secret.size(), 9u + 64u);
    EXPECT_EQ(key.hash, HexOfDigest(DigestOfKey(key.secret)));
    EXPECT_EQ(key.label,
              key.secret.substr(0, 12) + "..." + key.secret.substr(key.secret.size() - 3));
    EXPECT_EQ(key.label.find(key.secret.substr(12, 20)), std::string::npos);
    EXPECT_TRUE(seen.insert(key.secret).second);
  }
}

TEST(ApplyKeyFieldsTest, CreatesAKeyFromEveryField) {
  ApiKey key;
  const json body = json::parse(R"({
    "name": "search team", "limit": 25.5, "limit_reset": "monthly",
    "expires_at": "2027-01-31T12:00:00Z", "disabled": false,
    "allowed_models": ["openai/gpt-4o"], "denied_models": ["x/y"],
    "allowed_providers": ["openai"], "denied_providers": ["groq"],
    "rate_limit": {"requests_per_minute": 60, "tokens_per_minute": 100000},
    "model_rate_limits": [{"model": "openai/gpt-4o", "requests_per_minute": 5}],
    "user_limit": 0.000000001, "user_rate_limit": {"tokens_per_minute": 5000},
    "include_byok_in_limit": true})");
  ASSERT_EQ(ApplyKeyFields(body, true, kNow, key), "");
  EXPECT_EQ(key.name, "search team");
  EXPECT_EQ(key.limit_nano, 25 * kUsd + kUsd / 2);
  EXPECT_EQ(key.limit_reset, LimitReset::kMonthly);
  EXPECT_EQ(key.expires_at_ms, ParseIsoInstantMs("2027-01-31T12:00:00Z"));
  EXPECT_EQ(key.allowed_models, std::vector<std::string>{"openai/gpt-4o"});
  EXPECT_EQ(key.denied_providers, std::vector<std::string>{"groq"});
  EXPECT_EQ(key.rate_limit, (accounting::keys::RateLimit{60, 100000}));
  ASSERT_EQ(key.model_limits.size(), 1u);
  EXPECT_EQ(key.model_limits[0].limit, (accounting::keys::RateLimit{5, 0}));
  EXPECT_EQ(key.user_limit_nano, 1);
  EXPECT_EQ(key.user_rate_limit, (accounting::keys::RateLimit{0, 5000}));
  EXPECT_EQ(key.created_at_ms, kNow);
  EXPECT_EQ(key.updated_at_ms, kNow);
}

TEST(ApplyKeyFieldsTest, AnUpdateChangesOnlyTheGivenFieldsAndNullClears) {
  ApiKey key;
  ASSERT_EQ(ApplyKeyFields(json::parse(R"({"name":"a","limit":10,"limit_reset":"daily"})"), true,
                           kNow, key),
            "");
  ASSERT_EQ(ApplyKeyFields(json::parse(R"({"limit":null,"disabled":true})"), false, kNow + 5, key),
            "");
  EXPECT_EQ(key.name, "a");
  EXPECT_FALSE(key.limit_nano);
  EXPECT_TRUE(key.disabled);
  EXPECT_EQ(key.limit_reset, LimitReset::kDaily);
  EXPECT_EQ(key.created_at_ms, kNow);
  EXPECT_EQ(key.updated_at_ms, kNow + 5);
}

// Every malformed field is refused with a message naming it, and the key is left unchanged.
TEST(ApplyKeyFieldsTest, RejectionsNameTheFieldAndChangeNothing) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"([1])", "the request body must be a JSON object"},
      {R"({"limit": 5})", "name: required"},
      {R"({"name": ""})", "name: expected a non-empty string"},
      {R"({"name": 7})", "name: expected a non-empty string"},
      {R"({"name": "a\u0000b"})", "name: must not contain a NUL character (\\u0000)"},
      {R"({"name": "a", "limit": -1})", "limit: expected an amount in USD >= 0"},
      {R"({"name": "a", "limit": "5"})", "limit: expected an amount in USD >= 0"},
      {R"({"name": "a", "limit": 0.0000000001})", "with at most 9 decimals"},
      {R"({"name": "a", "limit_reset": "yearly"})", "limit_reset: expected \"daily\""},
      {R"({"name": "a", "expires_at": "tomorrow"})", "expires_at: expected an ISO 8601 instant"},
      {R"({"name": "a", "expires_at": "2020-01-01T00:00:00Z"})", "is in the past"},
      {R"({"name": "a", "disabled": "yes"})", "disabled: expected true or false"},
      {R"({"name": "a", "allowed_models": "gpt"})", "allowed_models: expected an array"},
      {R"({"name": "a", "denied_providers": [""]})", "denied_providers: expected an array of"},
      {R"({"name": "a", "rate_limit": 60})", "rate_limit: expected {"},
      {R"({"name": "a", "rate_limit": {"rpm": 60}})", "rate_limit: unknown field \"rpm\""},
      {R"({"name": "a", "rate_limit": {"requests_per_minute": -1}})",
       "rate_limit.requests_per_minute: expected a whole number >= 0"},
      {R"({"name": "a", "rate_limit": {"requests_per_minute": 1.5}})",
       "rate_limit.requests_per_minute: expected a whole number >= 0"},
      {R"({"name": "a", "model_rate_limits": [{"requests_per_minute": 1}]})",
       "model_rate_limits: each entry needs a \"model\""},
      {R"({"name": "a", "user_limit": true})", "user_limit: expected an amount in USD"},
      {R"({"name": "a", "colour": "red"})", "unknown field \"colour\""},
  };
  for (const auto& [body, expected] : cases) {
    SCOPED_TRACE(body);
    ApiKey key;
    key.name = "before";
    const ApiKey before = key;
    const std::string problem = ApplyKeyFields(json::parse(body), true, kNow, key);
    EXPECT_NE(problem.find(expected), std::string::npos) << problem;
    EXPECT_EQ(key, before);
  }
}

TEST(KeyObjectJsonTest, WritesTheLeadersShapeWithUsdAmounts) {
  ApiKey key;
  key.hash = std::string(64, 'a');
  key.name = "n";
  key.label = "sk-gw-v1-aaa...aaa";
  key.limit_nano = 25 * kUsd;
  key.limit_reset = LimitReset::kWeekly;
  key.created_at_ms = 0;
  key.updated_at_ms = 1000;
  const json object = json::parse(KeyObjectJson(key, {3 * kUsd, 1, kUsd / 4, kUsd}, 24 * kUsd));
  EXPECT_EQ(object["hash"], key.hash);
  EXPECT_EQ(object["label"], key.label);
  EXPECT_EQ(object["limit"], 25);
  EXPECT_EQ(object["limit_remaining"], 24);
  EXPECT_EQ(object["limit_reset"], "weekly");
  EXPECT_EQ(object["usage"], 3);
  EXPECT_EQ(object["usage_daily"], 0.000000001);
  EXPECT_EQ(object["usage_weekly"], 0.25);
  EXPECT_EQ(object["usage_monthly"], 1);
  EXPECT_EQ(object["created_at"], "1970-01-01T00:00:00.000Z");
  EXPECT_TRUE(object["expires_at"].is_null());
  EXPECT_EQ(object["rate_limit"]["requests_per_minute"], 0);
  EXPECT_TRUE(object["user_limit"].is_null());
  key.limit_nano.reset();
  key.limit_reset = LimitReset::kNone;
  const json unlimited = json::parse(KeyObjectJson(key, {}, std::nullopt));
  EXPECT_TRUE(unlimited["limit"].is_null());
  EXPECT_TRUE(unlimited["limit_remaining"].is_null());
  EXPECT_TRUE(unlimited["limit_reset"].is_null());
}

TEST(ParseIsoInstantTest, ReadsTheCommonFormsAndRefusesTheRest) {
  EXPECT_EQ(ParseIsoInstantMs("1970-01-02"), 86'400'000);
  EXPECT_EQ(ParseIsoInstantMs("1970-01-01T00:00:01Z"), 1000);
  EXPECT_EQ(ParseIsoInstantMs("1970-01-01T00:00:01.5Z"), 1500);
  EXPECT_EQ(ParseIsoInstantMs("1970-01-01T01:00:00+01:00"), 0);
  EXPECT_EQ(ParseIsoInstantMs("1970-01-01T00:00:00-00:30"), 1'800'000);
  EXPECT_EQ(ParseIsoInstantMs("1970-01-01T00:01Z"), 60'000);
  for (const char* bad :
       {"", "1970-01-01T", "1970-13-01", "1970-01-01T24:00:00Z", "1970-01-01T00:00:00.Z",
        "1970-01-01T00:00:00+1", "1970-01-01Tx", "1970-01-01T00:00:00Zjunk"}) {
    EXPECT_FALSE(ParseIsoInstantMs(bad)) << bad;
  }
}

}  // namespace
}  // namespace gw::keys

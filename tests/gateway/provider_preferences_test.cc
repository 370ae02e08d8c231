#include "gateway/api/provider_preferences.h"

#include <gtest/gtest.h>

#include <string>

#include "base/json/json_scan.h"

namespace gw::api {
namespace {

// Decodes `text` (a JSON object) and returns the error, "" on success.
std::string Decode(const std::string& text, routing::ProviderPreferences& out) {
  EXPECT_FALSE(json::Validate(text).has_value()) << text;
  return DecodeProviderPreferences(text, out);
}

TEST(ProviderPreferencesTest, DecodesEveryField) {
  routing::ProviderPreferences prefs;
  ASSERT_EQ(Decode(R"({"order":["a","b"],"allow_fallbacks":false,"only":["a"],"ignore":["c"],
      "sort":{"by":"throughput","partition":"none"},
      "max_price":{"prompt":0.5,"completion":2,"request":0.001,"image":1},
      "require_parameters":true,"quantizations":["fp8","bf16"],"data_collection":"deny",
      "zdr":true,"preferred_min_throughput":{"p50":50,"p90":20},"preferred_max_latency":1.5})",
                   prefs),
            "");
  EXPECT_EQ(prefs.order, (std::vector<std::string>{"a", "b"}));
  EXPECT_FALSE(prefs.allow_fallbacks);
  EXPECT_EQ(prefs.only, (std::vector<std::string>{"a"}));
  EXPECT_EQ(prefs.ignore, (std::vector<std::string>{"c"}));
  EXPECT_EQ(prefs.sort, routing::SortBy::kThroughput);
  EXPECT_TRUE(prefs.sort_across_models);
  EXPECT_EQ(prefs.max_price.prompt, 500'000'000);
  EXPECT_EQ(prefs.max_price.completion, 2'000'000'000);
  EXPECT_EQ(prefs.max_price.request, 1'000'000);
  EXPECT_TRUE(prefs.require_parameters);
  EXPECT_EQ(prefs.quantizations, (std::vector<std::string>{"fp8", "bf16"}));
  EXPECT_TRUE(prefs.deny_data_collection);
  EXPECT_TRUE(prefs.zdr);
  EXPECT_EQ(prefs.preferred_min_throughput, 50);
  EXPECT_EQ(prefs.preferred_max_latency_s, 1.5);
}

TEST(ProviderPreferencesTest, NullFieldsAndAnEmptyObjectMeanDefaults) {
  routing::ProviderPreferences prefs;
  ASSERT_EQ(Decode(R"({"sort":null,"order":null})", prefs), "");
  EXPECT_EQ(prefs.sort, routing::SortBy::kNone);
  EXPECT_TRUE(prefs.allow_fallbacks);
  ASSERT_EQ(Decode("{}", prefs), "");
}

TEST(ProviderPreferencesTest, StringSortAndDataCollectionAllow) {
  routing::ProviderPreferences prefs;
  ASSERT_EQ(Decode(R"({"sort":"latency","data_collection":"allow"})", prefs), "");
  EXPECT_EQ(prefs.sort, routing::SortBy::kLatency);
  EXPECT_FALSE(prefs.sort_across_models);
  EXPECT_FALSE(prefs.deny_data_collection);
}

TEST(ProviderPreferencesTest, EveryBadFieldIsNamed) {
  const std::pair<const char*, const char*> cases[] = {
      {R"({"sort":"fast"})",
       "provider.sort: expected one of price, throughput, latency, got \"fast\""},
      {R"({"sort":{"partition":"none"}})", "provider.sort.by: required"},
      {R"({"sort":{"by":"price","partition":"all"}})",
       "provider.sort.partition: expected \"model\" or \"none\""},
      {R"({"sort":7})", "provider.sort: expected a string or an object {by, partition}"},
      {R"({"order":"a"})", "provider.order: expected an array of strings"},
      {R"({"only":[1]})", "provider.only[0]: expected a non-empty string"},
      {R"({"ignore":[""]})", "provider.ignore[0]: expected a non-empty string"},
      {R"({"allow_fallbacks":"no"})", "provider.allow_fallbacks: expected true or false"},
      {R"({"max_price":3})",
       "provider.max_price: expected an object {prompt, completion, request}"},
      {R"({"max_price":{"prompt":"1"}})", "provider.max_price.prompt: expected a number of USD"},
      {R"({"max_price":{"prompt":-1}})",
       "provider.max_price.prompt: expected a non-negative decimal number of USD with at most 9 "
       "decimals, got -1"},
      {R"({"max_price":{"tokens":1}})",
       "provider.max_price: unknown field \"tokens\"; expected prompt, completion, request"},
      {R"({"quantizations":["fp7"]})",
       "provider.quantizations: unknown quantization \"fp7\"; expected int4, int8, fp4, fp6, fp8, "
       "fp16, bf16, fp32, unknown"},
      {R"({"data_collection":true})", "provider.data_collection: expected \"allow\" or \"deny\""},
      {R"({"zdr":1})", "provider.zdr: expected true or false"},
      {R"({"preferred_min_throughput":0})",
       "provider.preferred_min_throughput: expected a positive number"},
      {R"({"preferred_max_latency":{"p90":1}})",
       "provider.preferred_max_latency: expected a number or an object with a numeric p50"},
      {R"({"sorting":"price"})",
       "provider.sorting: unknown field; expected one of order, allow_fallbacks, only, ignore, "
       "sort, max_price, require_parameters, quantizations, data_collection, zdr, "
       "preferred_min_throughput, preferred_max_latency"},
  };
  for (const auto& [text, error] : cases) {
    routing::ProviderPreferences prefs;
    EXPECT_EQ(Decode(text, prefs), error) << text;
  }
}

}  // namespace
}  // namespace gw::api

#include "accounting/cost.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace gw::accounting {
namespace {

// USD per 1M tokens as the config stores it (nano-USD per 1M tokens).
constexpr int64_t Usd(double whole_usd_per_million) {
  return static_cast<int64_t>(whole_usd_per_million * 1'000'000'000.0 + 0.5);
}

config::Pricing Prices() {
  config::Pricing pricing;
  pricing.prompt = Usd(3);         // $3/M = 3,000 nano-USD per token
  pricing.completion = Usd(15);    // $15/M
  pricing.cached_read = Usd(0.3);  // $0.30/M
  pricing.cache_write = Usd(3.75);
  return pricing;
}

TokenCounts Counts(int64_t prompt, int64_t completion, int64_t cached = 0, int64_t cache_write = 0,
                   int64_t reasoning = 0) {
  TokenCounts counts;
  counts.prompt = prompt;
  counts.completion = completion;
  counts.cached = cached;
  counts.cache_write = cache_write;
  counts.reasoning = reasoning;
  return counts;
}

TEST(PriceUsageTest, PricesEveryComponentExactly) {
  // The worked example of docs/accounting.md.
  const Cost cost = PriceUsage(Prices(), Counts(1'200, 350, 1'000, 100, 0));
  EXPECT_EQ(cost.prompt, 100 * 3'000);       // 1,200 - 1,000 cached - 100 written
  EXPECT_EQ(cost.cached_read, 1'000 * 300);  // $0.30/M
  EXPECT_EQ(cost.cache_write, 100 * 3'750);
  EXPECT_EQ(cost.completion, 350 * 15'000);
  EXPECT_EQ(cost.reasoning, 0);
  EXPECT_EQ(cost.request, 0);
  EXPECT_EQ(cost.total, 300'000 + 300'000 + 375'000 + 5'250'000);
  EXPECT_EQ(UsdNumber(cost.total), "0.006225");
}

TEST(PriceUsageTest, UnsetCachePricesBillAsPrompt) {
  config::Pricing pricing = Prices();
  pricing.cached_read.reset();
  pricing.cache_write.reset();
  const Cost cost = PriceUsage(pricing, Counts(100, 0, 60, 40));
  EXPECT_EQ(cost.prompt, 0);
  EXPECT_EQ(cost.cached_read, 60 * 3'000);
  EXPECT_EQ(cost.cache_write, 40 * 3'000);
}

TEST(PriceUsageTest, ReasoningIsCompletionUnlessPricedSeparately) {
  config::Pricing pricing = Prices();
  Cost cost = PriceUsage(pricing, Counts(0, 100, 0, 0, 80));
  EXPECT_EQ(cost.completion, 100 * 15'000);
  EXPECT_EQ(cost.reasoning, 0);

  pricing.reasoning = Usd(60);
  cost = PriceUsage(pricing, Counts(0, 100, 0, 0, 80));
  EXPECT_EQ(cost.completion, 20 * 15'000);
  EXPECT_EQ(cost.reasoning, 80 * 60'000);
  EXPECT_EQ(cost.total, 20 * 15'000 + 80 * 60'000);

  pricing.reasoning = 0;  // explicitly free
  cost = PriceUsage(pricing, Counts(0, 100, 0, 0, 80));
  EXPECT_EQ(cost.total, 20 * 15'000);
}

TEST(PriceUsageTest, ClampsDetailsAProviderOverReports) {
  // 50 cached + 80 written out of a 100-token prompt: 50 cached, 50 written, 0 uncached.
  const Cost cost = PriceUsage(Prices(), Counts(100, 10, 50, 80));
  EXPECT_EQ(cost.prompt, 0);
  EXPECT_EQ(cost.cached_read, 50 * 300);
  EXPECT_EQ(cost.cache_write, 50 * 3'750);
  // Reasoning above the completion is clamped too.
  config::Pricing pricing = Prices();
  pricing.reasoning = Usd(60);
  const Cost reasoning = PriceUsage(pricing, Counts(0, 10, 0, 0, 25));
  EXPECT_EQ(reasoning.completion, 0);
  EXPECT_EQ(reasoning.reasoning, 10 * 60'000);
  // Negative counts price as zero.
  EXPECT_EQ(PriceUsage(Prices(), Counts(-5, -1, -3)).total, 0);
}

TEST(PriceUsageTest, SubNanoPricesRoundHalfUpPerComponent) {
  config::Pricing pricing;
  pricing.prompt = 150'000;      // $0.00015/M = 0.15 nano-USD per token
  pricing.completion = 500'000;  // 0.5 nano-USD per token
  pricing.request = 1'000'000;   // $0.001 per request
  const Cost cost = PriceUsage(pricing, Counts(3, 1));
  EXPECT_EQ(cost.prompt, 0);      // 0.45 nano -> 0
  EXPECT_EQ(cost.completion, 1);  // 0.5 nano -> 1 (half up)
  EXPECT_EQ(cost.request, 1'000'000);
  EXPECT_EQ(cost.total, 1'000'001);
}

TEST(PriceUsageTest, HugeCountsDoNotOverflow) {
  config::Pricing pricing;
  pricing.completion = Usd(1'000);  // $1000/M
  const Cost cost = PriceUsage(pricing, Counts(0, 2'000'000'000));
  EXPECT_EQ(cost.completion, int64_t{2'000'000'000} * 1'000'000);  // $2,000,000
}

// Found by fuzz/usage_fuzzer.cc: 2^52 prompt and ~2^53 completion tokens at $3/$15 per M
// overflowed the total (signed overflow). Costs saturate at INT64_MAX / 8 nano-USD each.
TEST(PriceUsageTest, AbsurdCountsSaturateInsteadOfOverflowing) {
  const Cost cost = PriceUsage(Prices(), Counts(int64_t{1} << 52, int64_t{1} << 53));
  EXPECT_EQ(cost.prompt, INT64_MAX / 8);
  EXPECT_EQ(cost.completion, INT64_MAX / 8);
  EXPECT_EQ(cost.total, cost.prompt + cost.completion + cost.request);
  EXPECT_GT(cost.total, 0);
}

TEST(PriceRequestTest, NoChargeForNothingGeneratedOrAnError) {
  EXPECT_FALSE(IsChargeable(0, ""));
  EXPECT_FALSE(IsChargeable(40, "error"));
  EXPECT_TRUE(IsChargeable(0, "stop"));  // an empty answer that finished is a real answer
  EXPECT_TRUE(IsChargeable(12, ""));     // cut short (client gone): charged for what was made
  EXPECT_EQ(PriceRequest(Prices(), Counts(100, 0), ""), Cost{});
  EXPECT_EQ(PriceRequest(Prices(), Counts(100, 50), "error"), Cost{});
  EXPECT_EQ(PriceRequest(Prices(), Counts(100, 50), "stop"), PriceUsage(Prices(), Counts(100, 50)));
}

TEST(CostJsonTest, CostMembersAreExactUsdNumbers) {
  Cost cost;
  cost.prompt = 300'000;
  cost.completion = 5'250'000;
  cost.cached_read = 1;
  cost.request = 1'000'000'000;
  cost.total = 1'005'550'001;
  std::string out = "{";
  AppendCostMembers(cost, out);
  out += '}';
  EXPECT_EQ(out, R"({"cost":1.005550001,"cost_details":{"prompt":0.0003,"completion":0.00525,)"
                 R"("input_cache_read":0.000000001,"input_cache_write":0,"internal_reasoning":0,)"
                 R"("request":1}})");
  EXPECT_TRUE(nlohmann::json::accept(out));
}

TEST(CostJsonTest, EstimatedUsageObjectHasTheOpenAiShape) {
  std::string out;
  AppendEstimatedUsageObject(Counts(10, 4), PriceUsage(Prices(), Counts(10, 4)), out);
  const nlohmann::json usage = nlohmann::json::parse(out);
  EXPECT_EQ(usage["prompt_tokens"], 10);
  EXPECT_EQ(usage["completion_tokens"], 4);
  EXPECT_EQ(usage["total_tokens"], 14);
  EXPECT_EQ(usage["prompt_tokens_details"]["cached_tokens"], 0);
  EXPECT_EQ(usage["completion_tokens_details"]["reasoning_tokens"], 0);
  EXPECT_EQ(usage["estimated"], true);
  // 10 x 3,000 + 4 x 15,000 nano-USD, written exactly (not as a double's 9e-05).
  EXPECT_NE(out.find("\"cost\":0.00009,"), std::string::npos) << out;
}

}  // namespace
}  // namespace gw::accounting

// The gateway's UsageMeter with the real tokenizer and integer pricing.
#include "gateway/api/attempt_usage_meter.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace gw::api {
namespace {

namespace tokenizer = accounting::tokenizer;

config::Pricing Prices() {
  config::Pricing pricing;
  pricing.prompt = 2'000'000'000;      // $2/M = 2,000 nano-USD per token
  pricing.completion = 8'000'000'000;  // $8/M
  return pricing;
}

TEST(AttemptUsageMeterTest, PricesReportedUsageWithTheNoChargeRules) {
  const config::Pricing pricing = Prices();
  const std::string body = R"({"messages":[{"role":"user","content":"hi"}]})";
  AttemptUsageMeter meter(pricing, tokenizer::Tokenizer::Get(tokenizer::Encoding::kO200kBase), body,
                          true);
  providers::TokenUsage usage;
  usage.prompt_tokens = 10;
  usage.completion_tokens = 5;
  providers::CompletionFacts facts;
  facts.finish_reason = "stop";
  std::string out;
  meter.AppendCostMembers(usage, facts, out);
  EXPECT_EQ(out.rfind("\"cost\":0.00006,", 0), 0u) << out;  // 10 x 2,000 + 5 x 8,000

  facts.finish_reason = "error";
  out.clear();
  meter.AppendCostMembers(usage, facts, out);
  EXPECT_EQ(out.rfind("\"cost\":0,", 0), 0u) << out;
}

TEST(AttemptUsageMeterTest, EstimatesWithTheModelsTokenizer) {
  const config::Pricing pricing = Prices();
  const std::string body = R"({"messages":[{"role":"user","content":"Hello, world"}]})";
  const tokenizer::Tokenizer& cl100k = tokenizer::Tokenizer::Get(tokenizer::Encoding::kCl100kBase);
  AttemptUsageMeter meter(pricing, cl100k, body, true);
  providers::CompletionFacts facts;
  facts.completion_text = R"(Hi!\nHow are you?)";
  const providers::TokenUsage estimate = meter.Estimate(facts);
  EXPECT_EQ(estimate.prompt_tokens,
            static_cast<int64_t>(3 + cl100k.Count("user") + cl100k.Count("Hello, world") + 3));
  EXPECT_EQ(estimate.completion_tokens, static_cast<int64_t>(cl100k.Count("Hi!\nHow are you?")));
  EXPECT_EQ(estimate.total_tokens, estimate.prompt_tokens + estimate.completion_tokens);

  std::string out;
  facts.finish_reason = "stop";
  meter.AppendEstimatedUsage(estimate, facts, out);
  const nlohmann::json usage = nlohmann::json::parse(out);
  EXPECT_EQ(usage["estimated"], true);
  EXPECT_EQ(usage["prompt_tokens"], estimate.prompt_tokens);
}

TEST(AttemptUsageMeterTest, TokenizerOfFollowsTheModelConfig) {
  config::ModelConfig model;
  model.tokenizer = "cl100k_base";
  EXPECT_EQ(TokenizerOf(model).encoding(), tokenizer::Encoding::kCl100kBase);
  model.tokenizer = "o200k_base";
  EXPECT_EQ(TokenizerOf(model).encoding(), tokenizer::Encoding::kO200kBase);
}

}  // namespace
}  // namespace gw::api

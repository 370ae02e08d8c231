#include "gateway/api/attempt_usage_meter.h"

#include "accounting/cost.h"
#include "accounting/token_estimate.h"

namespace gw::api {

namespace tokenizer = accounting::tokenizer;

accounting::TokenCounts ToTokenCounts(const providers::TokenUsage& usage) {
  accounting::TokenCounts counts;
  counts.prompt = usage.prompt_tokens;
  counts.completion = usage.completion_tokens;
  counts.cached = usage.cached_tokens;
  counts.cache_write = usage.cache_write_tokens;
  counts.reasoning = usage.reasoning_tokens;
  return counts;
}

const tokenizer::Tokenizer& TokenizerOf(const config::ModelConfig& model) {
  const std::optional<tokenizer::Encoding> encoding = tokenizer::EncodingByName(model.tokenizer);
  return tokenizer::Tokenizer::Get(encoding.value_or(tokenizer::Encoding::kO200kBase));
}

AttemptUsageMeter::AttemptUsageMeter(const config::Pricing& pricing,
                                     const tokenizer::Tokenizer& tokenizer,
                                     std::string_view request_body, bool chat)
    : pricing_(pricing), tokenizer_(tokenizer), request_body_(request_body), chat_(chat) {}

void AttemptUsageMeter::AppendCostMembers(const providers::TokenUsage& usage,
                                          const providers::CompletionFacts& facts,
                                          std::string& out) {
  const accounting::Cost cost =
      accounting::PriceRequest(pricing_, ToTokenCounts(usage), facts.finish_reason);
  accounting::AppendCostMembers(cost, out);
}

providers::TokenUsage AttemptUsageMeter::Estimate(const providers::CompletionFacts& facts) {
  if (!prompt_tokens_) {
    prompt_tokens_ = accounting::CountPromptTokens(tokenizer_, request_body_, chat_);
  }
  providers::TokenUsage usage;
  usage.prompt_tokens = *prompt_tokens_;
  usage.completion_tokens = accounting::CountCompletionTokens(tokenizer_, facts.completion_text);
  usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
  return usage;
}

void AttemptUsageMeter::AppendEstimatedUsage(const providers::TokenUsage& estimate,
                                             const providers::CompletionFacts& facts,
                                             std::string& out) {
  const accounting::TokenCounts counts = ToTokenCounts(estimate);
  const accounting::Cost cost = accounting::PriceRequest(pricing_, counts, facts.finish_reason);
  accounting::AppendEstimatedUsageObject(counts, cost, out);
}

}  // namespace gw::api

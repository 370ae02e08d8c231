// The UsageMeter of one attempt (providers/openai/openai_response.h): prices the usage a
// provider reports with the serving endpoint's prices, and estimates usage with the model's
// tokenizer when the provider reports none. One per attempt, on its worker thread.
#pragma once

#include <optional>
#include <string_view>

#include "accounting/generation_record.h"
#include "accounting/tokenizer/tokenizer.h"
#include "config/config.h"
#include "providers/provider.h"

namespace gw::api {

// The provider's usage as accounting's counts.
accounting::TokenCounts ToTokenCounts(const providers::TokenUsage& usage);

// The model's configured tokenizer (config `tokenizer:`; o200k_base when unknown).
const accounting::tokenizer::Tokenizer& TokenizerOf(const config::ModelConfig& model);

class AttemptUsageMeter final : public providers::UsageMeter {
 public:
  // `request_body` (the client's JSON) must outlive the meter.
  AttemptUsageMeter(const config::Pricing& pricing,
                    const accounting::tokenizer::Tokenizer& tokenizer,
                    std::string_view request_body, bool chat);

  void AppendCostMembers(const providers::TokenUsage& usage,
                         const providers::CompletionFacts& facts, std::string& out) override;
  providers::TokenUsage Estimate(const providers::CompletionFacts& facts) override;
  void AppendEstimatedUsage(const providers::TokenUsage& estimate,
                            const providers::CompletionFacts& facts, std::string& out) override;

 private:
  const config::Pricing& pricing_;
  const accounting::tokenizer::Tokenizer& tokenizer_;
  std::string_view request_body_;
  bool chat_;
  std::optional<int64_t> prompt_tokens_;  // counted once, on the first estimate
};

}  // namespace gw::api

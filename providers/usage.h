// Token counts exactly as a provider reported them, and the parser for the OpenAI `usage`
// object that carries them. Vocabulary shared by the provider adapters and (via the gateway)
// accounting; plain value type and pure function, any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace gw::providers {

// Token counts as a provider reported them (native counts). Absent details are 0.
struct TokenUsage {
  int64_t prompt_tokens = 0, completion_tokens = 0, total_tokens = 0;
  int64_t cached_tokens = 0;       // prompt_tokens_details.cached_tokens
  int64_t cache_write_tokens = 0;  // prompt_tokens_details.cache_write_tokens
  int64_t reasoning_tokens = 0;    // completion_tokens_details.reasoning_tokens

  bool operator==(const TokenUsage&) const = default;
};

// Parses an OpenAI-style `usage` object. Missing or null counts (and detail objects) are 0,
// except that a missing/null total_tokens becomes prompt_tokens + completion_tokens. When
// prompt_tokens_details.cached_tokens is absent, DeepSeek's top-level prompt_cache_hit_tokens is
// used instead. Counts must be non-negative integers ("12", or an integral "12.0"/"1.2e1").
// Returns nullopt when the text is not a valid JSON object or a present count has another type.
std::optional<TokenUsage> ParseUsage(std::string_view usage_object_json);

}  // namespace gw::providers

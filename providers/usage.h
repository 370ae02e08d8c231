// Token counts exactly as a provider reported them, and the parser for the OpenAI `usage`
// object that carries them. Vocabulary shared by the provider adapters and (via the gateway)
// accounting; plain value type and pure function, any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "dialects/token_usage.h"

namespace gw::providers {

// Token counts as a provider reported them (native counts), in the dialect-neutral convention.
using TokenUsage = dialects::TokenUsage;

// Parses an OpenAI-style `usage` object. Missing or null counts (and detail objects) are 0,
// except that a missing/null total_tokens becomes prompt_tokens + completion_tokens. When
// prompt_tokens_details.cached_tokens is absent, DeepSeek's top-level prompt_cache_hit_tokens is
// used instead. Counts must be non-negative integers ("12", or an integral "12.0"/"1.2e1") up
// to 2^53.
// Returns nullopt when the text is not a valid JSON object or a present count has another type.
std::optional<TokenUsage> ParseUsage(std::string_view usage_object_json);

}  // namespace gw::providers

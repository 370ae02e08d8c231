// Reads what the simulator needs from a completion request body (model, stream,
// stream_options.include_usage, max_tokens, seed, n, a rough prompt size) without building a DOM,
// so a 400 KB prompt costs one validating scan. Pure; any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gw::simulator {

enum class Api {
  kChat,         // POST /v1/chat/completions: chat.completion / chat.completion.chunk
  kCompletions,  // POST /v1/completions: text_completion (legacy)
};

inline constexpr uint32_t kMaxChoices = 128;  // n (times the prompt count, for legacy)

struct CompletionRequest {
  std::string model;  // unescaped, including any "?overrides" suffix
  bool stream = false;
  bool include_usage = false;  // stream_options.include_usage
  // min(max_tokens, max_completion_tokens) of those present and not null.
  std::optional<uint32_t> max_tokens;
  std::optional<uint64_t> seed;  // a negative seed is taken modulo 2^64
  uint32_t choices = 1;          // n; for legacy, n times the number of prompts
  // The documented approximation: ceil(prompt bytes / 4), where prompt bytes are the (escaped)
  // bytes of every message `content` string (or `text` of content parts) for chat, of the
  // prompt string(s) for legacy; a legacy prompt of token ids counts one token per id.
  uint64_t prompt_tokens = 0;
  // Chat only, for the tool_call option: the `tools` and `tool_choice` value spans (empty when
  // absent; they point into the parsed body), and whether the last message has role "tool".
  std::string_view tools;
  std::string_view tool_choice;
  bool after_tool_result = false;
};

// Fills *out from `body` (which must outlive *out). Returns "" on success, else the message for a
// 400 (invalid JSON, a required field missing, or a field of the wrong type or range, naming the
// field).
std::string ParseCompletionRequest(std::string_view body, Api api, CompletionRequest* out);

}  // namespace gw::simulator

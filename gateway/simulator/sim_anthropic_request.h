// Reads what the simulator needs from an Anthropic Messages request body (POST /v1/messages and
// /v1/messages/count_tokens) with one validating scan and no DOM, and validates what Anthropic
// rejects: model, max_tokens, messages, stream. Pure; any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gw::simulator {

enum class MessagesEndpoint {
  kCreate,       // POST /v1/messages: max_tokens required
  kCountTokens,  // POST /v1/messages/count_tokens: no max_tokens
};

struct MessagesRequest {
  std::string model;  // unescaped, including any "?overrides" suffix
  bool stream = false;
  uint32_t max_tokens = 0;  // kCreate: >= 1 (values above 2^32-1 are clamped)
  // ceil(bytes / 4) of the (escaped) text of `system` (a string or blocks' `text`) and of every
  // message `content` (a string, blocks' `text`, and tool_result blocks' `content` string or
  // blocks' `text`): the same approximation as the OpenAI path's prompt_tokens.
  uint64_t prompt_tokens = 0;
  // thinking: {"type":"enabled", "budget_tokens"} or {"type":"adaptive"}.
  bool thinking = false;
  // The `tools` and `tool_choice` value spans (empty when absent; they point into the body).
  std::string_view tools;
  std::string_view tool_choice;
  // The last message is a user message holding a tool_result block (a tool loop turn).
  bool after_tool_result = false;
};

// Fills *out from `body` (which must outlive *out). Returns "" on success, else the message of
// an invalid_request_error, in Anthropic's wording ("max_tokens: Field required").
std::string ParseMessagesRequest(std::string_view body, MessagesEndpoint endpoint,
                                 MessagesRequest* out);

}  // namespace gw::simulator

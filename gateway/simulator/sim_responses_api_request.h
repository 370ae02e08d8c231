// Reads what the simulator needs from an OpenAI Responses API request body (POST /v1/responses)
// with one validating scan and no DOM: model, stream, max_output_tokens, a prompt size estimate,
// tools, and whether the input ends with a tool result. Pure; any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gw::simulator {

struct ResponsesApiRequest {
  std::string model;  // unescaped, including any "?overrides" suffix
  bool stream = false;
  std::optional<uint32_t> max_output_tokens;  // absent or null: no limit (clamped to 2^32-1)
  // ceil(bytes / 4) of the (escaped) text of `instructions` and of `input`: the input string, or
  // per item: a message's `content` (a string or its parts' `text`), a function_call's
  // `arguments`, a function_call_output's `output` (a string or its parts' `text`), a reasoning
  // item's `summary[].text`. The same approximation as the chat path's prompt_tokens.
  uint64_t prompt_tokens = 0;
  // The `tools` and `tool_choice` value spans (empty when absent or null; they point into the
  // body).
  std::string_view tools;
  std::string_view tool_choice;
  // The last input item is a function_call_output (a tool loop turn: answer with text).
  bool after_tool_result = false;
  // `include` lists "reasoning.encrypted_content": reasoning items carry encrypted_content.
  bool include_encrypted_reasoning = false;
};

// Fills *out from `body` (which must outlive *out). Returns "" on success, else the message for a
// 400 in the chat path's wording ("max_output_tokens must be a non-negative integer"): invalid
// JSON or not an object, `model` missing or not a string, and, when present and not null,
// `input` not a string or an array of objects (a message item's `content` not a string or an
// array), `instructions` not a string, `stream` not a boolean, `max_output_tokens` not a
// non-negative integer, `tools` or `include` not an array, `tool_choice` not a string or an
// object.
std::string ParseResponsesApiRequest(std::string_view body, ResponsesApiRequest* out);

}  // namespace gw::simulator

// The simulator's response bytes in OpenAI's wire format: whole chat.completion /
// text_completion bodies, SSE chunks, usage, and error bodies. Built by string appends (no DOM)
// because the sim is the benchmarks' "direct" baseline. Pure; instances belong to one request.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "gateway/simulator/sim_request.h"

namespace gw::simulator {

struct ResponseIdentity {
  Api api = Api::kChat;
  std::string_view id;     // "chatcmpl-sim-7" / "cmpl-sim-7"
  int64_t created = 0;     // unix seconds
  std::string_view model;  // echoed as the response `model` (JSON-escaped here)
};

struct UsageCounts {
  uint64_t prompt_tokens = 0;
  uint64_t completion_tokens = 0;  // includes reasoning_tokens, as OpenAI counts them
  uint64_t cached_tokens = 0;
  uint64_t cache_write_tokens = 0;  // written (prompt_tokens_details) only when non-zero
  uint64_t reasoning_tokens = 0;
  bool invalid = false;  // written with a non-numeric prompt_tokens and a negative completion
};

// A chat tool call (the tool_call option).
struct ToolCallText {
  std::string_view id;         // "call_sim_7"
  std::string_view name;       // JSON-escaped (from the request), without quotes
  std::string_view arguments;  // the JSON text; written as a JSON string
};

// One finished choice of a non-streamed answer. `text` is made of sim_text words (no escaping).
struct ChoiceText {
  std::string_view text;
  std::string_view finish_reason;           // "stop", "length" or "tool_calls"
  const ToolCallText* tool_call = nullptr;  // chat: content null and this call instead of text
};

// A whole chat.completion or text_completion body; `usage` nullptr leaves the field out.
std::string BuildCompletionBody(const ResponseIdentity& identity,
                                std::span<const ChoiceText> choices, const UsageCounts* usage);

// Appends SSE events (`data: {...}\n\n`) of one streamed answer. The shared head of every chunk
// is rendered once at construction, so a token chunk costs a few appends.
class ChunkWriter {
 public:
  // `usage_null`: when the client asked for stream_options.include_usage, OpenAI puts
  // "usage":null in every chunk before the usage chunk; so do we.
  ChunkWriter(const ResponseIdentity& identity, bool usage_null);

  // Chat only (legacy streams have no role chunk): delta {role:"assistant", content:""}.
  void AppendRole(std::string& out, uint32_t index) const;
  // `token` is a sim_text word (no escaping needed).
  void AppendToken(std::string& out, uint32_t index, std::string_view token) const;
  // Chat tool calls: the first chunk of a choice (role, content null, the call's index, id, type
  // and name, arguments ""), then argument pieces (written as JSON strings).
  void AppendToolCallStart(std::string& out, uint32_t index, const ToolCallText& call) const;
  void AppendToolCallArguments(std::string& out, uint32_t index, std::string_view piece) const;
  // The empty-delta (chat) / empty-text (legacy) chunk carrying the finish reason.
  void AppendFinish(std::string& out, uint32_t index, std::string_view finish_reason) const;
  // The final usage chunk: `choices: []` and the usage object.
  void AppendUsage(std::string& out, const UsageCounts& usage) const;

  static void AppendDone(std::string& out);
  // The `malformed` option's broken event: `data: {"id": broken`.
  static void AppendMalformed(std::string& out);

 private:
  void AppendChoiceHead(std::string& out, uint32_t index) const;

  Api api_;
  std::string head_;  // `data: {"id":..,"object":..,"created":..,"model":..,"choices":[`
  std::string tail_;  // `]}\n\n` or `],"usage":null}\n\n`
};

// {"error":{"message":..,"type":..,"param":null,"code":..}}; an empty `code` is written null.
std::string ErrorBody(std::string_view message, std::string_view type, std::string_view code);

// The body of an injected error with this status (type/code as OpenAI uses them).
std::string SimulatedErrorBody(uint32_t status);

// The stream_error_after event: `data: {"error":{...,"type":"server_error",...}}`.
void AppendMidStreamError(std::string& out);

}  // namespace gw::simulator

// The internal representation every wire dialect decodes into and encodes out of (DIALECTS.md,
// "the shape that scales"): a chat request (messages of text / image / tool / thinking parts,
// tools, sampling and reasoning settings), a whole response, and the events of a streamed one.
// Used only where the inbound dialect differs from the endpoint's; the passthrough path never
// builds it. Plain value types; any thread.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "dialects/token_usage.h"

namespace gw::dialects {

enum class Role { kUser, kAssistant };

// One piece of a message or of a response's content.
struct Part {
  enum class Kind {
    kText,              // text
    kImage,             // image_url: an http(s) URL or a "data:<media type>;base64,<data>" URL
    kToolCall,          // the assistant calls tool `name` with `arguments` (JSON text), id `id`
    kToolResult,        // the result of call `id`: `content` (text and image parts), is_error
    kThinking,          // reasoning text `text`, with the provider's `signature` if any
    kRedactedThinking,  // encrypted reasoning `text` (Anthropic's redacted_thinking `data`)
  };
  Kind kind = Kind::kText;
  std::string text;
  std::string image_url;
  std::string id;
  std::string name;
  std::string arguments;  // JSON text of an object; "{}" when the call has no arguments
  std::string signature;
  bool is_error = false;
  std::vector<Part> content;  // kToolResult only
  // Anthropic's cache_control object on this part (null when none): passed on to Anthropic,
  // carried on OpenAI content parts (which some OpenAI-compatible servers honour).
  nlohmann::json cache_control;
};

struct Message {
  Role role = Role::kUser;
  std::vector<Part> parts;
};

struct Tool {
  std::string name;
  std::string description;
  nlohmann::json parameters = nlohmann::json::object();  // JSON Schema of the arguments
  nlohmann::json cache_control;                          // null when none
};

struct ToolChoice {
  enum class Mode { kAuto, kNone, kRequired, kNamed };
  Mode mode = Mode::kAuto;
  std::string name;  // kNamed
};

struct Reasoning {
  std::optional<int64_t> budget_tokens;  // an explicit token budget
  std::string effort;                    // "minimal" | "low" | "medium" | "high" | ""
};

struct Request {
  std::string model;
  std::vector<Part> system;  // the system prompt: text parts, in order
  std::vector<Message> messages;
  std::vector<Tool> tools;
  std::optional<ToolChoice> tool_choice;
  std::optional<bool> parallel_tool_calls;
  std::optional<int64_t> max_tokens;
  std::optional<double> temperature;
  std::optional<double> top_p;
  std::optional<int64_t> top_k;
  std::vector<std::string> stop;
  bool stream = false;
  std::string user;                    // end-user id (OpenAI `user`, Anthropic metadata.user_id)
  std::optional<Reasoning> reasoning;  // absent: the dialect's default (no extended thinking)
  // Structured output, null when none (plain text). Dialect-neutral, in the flat shape of the
  // Responses `text.format`: {"type":"json_object"} or {"type":"json_schema","name","schema"
  // [,"strict"][,"description"]}. Written by the Responses decoder; the chat encoder emits it as
  // `response_format`; the Anthropic encoder has no field for it and ignores it.
  nlohmann::json response_format;
};

struct Response {
  std::string id;
  std::string model;
  std::vector<Part> content;  // kText, kThinking, kRedactedThinking, kToolCall, in order
  // Normalized: "stop" | "length" | "tool_calls" | "content_filter" | "error" | "" (none).
  std::string finish_reason;
  std::string native_finish_reason;  // as the producing dialect said it
  std::optional<TokenUsage> usage;
  // Members of the usage object the dialects do not define (the gateway's `cost` and
  // `cost_details`), carried into the encoded usage object; null when none.
  nlohmann::json usage_extra;
};

// One event of a streamed response, in order. Tool calls are numbered by `index` in the order
// they start (0, 1, ...), whatever the dialect numbers them by.
struct StreamEvent {
  enum class Kind {
    kStart,             // the response begins: id, model
    kTextDelta,         // text
    kThinkingDelta,     // text
    kSignature,         // text: the signature of the thinking in progress
    kRedactedThinking,  // text: one redacted thinking block's data
    kToolCallStart,     // index, id, name
    kToolCallDelta,     // index, text: the next piece of the arguments' JSON text
    kFinish,            // finish_reason, native_finish_reason
    kUsage,             // usage (final counts; a later kUsage replaces an earlier one), usage_extra
    kError,             // text: the message; status: an HTTP status for it (0 = unknown)
  };
  Kind kind = Kind::kTextDelta;
  std::string id;
  std::string model;
  std::string text;
  std::string name;
  int index = 0;
  std::string finish_reason;
  std::string native_finish_reason;
  std::optional<TokenUsage> usage;
  nlohmann::json usage_extra;
  int status = 0;
};

}  // namespace gw::dialects

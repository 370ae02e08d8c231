// The Anthropic Messages dialect (POST /v1/messages) to and from the internal representation
// (dialects/ir.h): requests, whole responses and stream events. Used where a Messages client
// reaches a non-Anthropic endpoint, or a Chat Completions client an Anthropic endpoint; the
// Messages-to-Anthropic path is passthrough and never comes here. Pure; any thread (one
// StreamDecoder / StreamEncoder per stream).
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dialects/ir.h"

namespace gw::dialects::anthropic {

// Decodes a Messages request body (already parsed; the caller rejected invalid JSON). Returns ""
// when acceptable, else a message naming the field for a 400 ("messages[1].content[0].type:
// unknown block type \"foo\"", "max_tokens: required"). Accepts and ignores what the IR has no
// place for (documented in docs/dialects.md): e.g. `thinking.type: "adaptive"`,
// `context_management`, `output_config`, `defer_loading` on tools, `container`, `mcp_servers`.
std::string DecodeRequest(const nlohmann::json& body, Request& out);

// Encodes `request` as a Messages request body for `upstream_model`; `max_tokens` is
// `default_max_tokens` when the request has none (Anthropic requires it).
nlohmann::json EncodeRequest(const Request& request, std::string_view upstream_model,
                             int64_t default_max_tokens);

// Decodes a whole Messages response. Returns "" or what is wrong with it ("content: expected an
// array").
std::string DecodeResponse(const nlohmann::json& body, Response& out);

// Encodes a whole Messages response (`{"id","type":"message","role":"assistant","model",
// "content":[...],"stop_reason","stop_sequence":null,"usage":{...}}`) as JSON text.
std::string EncodeResponse(const Response& response);

// Anthropic's error type for an HTTP status, as its SDKs map them: 400 invalid_request_error,
// 401 authentication_error, 402 billing_error, 403 permission_error, 404 not_found_error,
// 413 request_too_large, 429 rate_limit_error, 503 and 529 overloaded_error, other 4xx
// invalid_request_error, other 5xx (and 0, unknown) api_error.
std::string_view ErrorTypeOf(int status);

// stop_reason <-> the normalized finish reason (ir.h), both ways.
std::string_view FinishReasonOf(std::string_view stop_reason);
std::string_view StopReasonOf(std::string_view finish_reason);

// Anthropic usage ({input_tokens, output_tokens, cache_read_input_tokens,
// cache_creation_input_tokens}) <-> TokenUsage (prompt_tokens includes both cache counts).
TokenUsage UsageFromAnthropic(const nlohmann::json& usage);
nlohmann::json UsageToAnthropic(const TokenUsage& usage);

// The events of one Messages stream (the SSE `event:` name and `data:` payload of each) into IR
// events.
class StreamDecoder {
 public:
  enum class Result {
    kContinue,   // zero or more events appended
    kDone,       // message_stop
    kError,      // an `error` event: a kError event (status from the error type) is appended;
                 // error_message() / error_type() / error_raw()
    kMalformed,  // not JSON, not an object, or events out of order: error_message()
  };
  Result Decode(std::string_view event_name, std::string_view data, std::vector<StreamEvent>& out);
  const std::string& error_message() const { return error_message_; }
  const std::string& error_type() const { return error_type_; }  // e.g. "overloaded_error"
  const std::string& error_raw() const { return error_raw_; }

 private:
  enum class BlockKind { kText, kThinking, kRedactedThinking, kToolUse, kOther };
  struct Block {
    BlockKind kind = BlockKind::kOther;
    int tool_index = 0;  // kToolUse: the IR tool call index
  };
  Result Malformed(std::string message);
  Result OnMessageStart(const nlohmann::json& event, std::vector<StreamEvent>& out);
  Result OnBlockStart(const nlohmann::json& event, std::vector<StreamEvent>& out);
  Result OnBlockDelta(const nlohmann::json& event, std::vector<StreamEvent>& out);
  Result OnMessageDelta(const nlohmann::json& event, std::vector<StreamEvent>& out);
  Result OnError(const nlohmann::json& event, std::string_view data, std::vector<StreamEvent>& out);

  bool started_ = false;             // message_start seen
  std::map<int64_t, Block> blocks_;  // content block index -> what it carries
  int next_tool_index_ = 0;
  // The usage counts so far (message_start's, overridden by message_delta's non-null ones).
  nlohmann::json usage_ = nlohmann::json::object();
  std::string error_message_, error_type_, error_raw_;
};

// IR events into a Messages stream: "event: <name>\ndata: <json>\n\n" for message_start,
// content_block_start / _delta / _stop, message_delta (stop_reason + usage) and message_stop.
// message_delta and message_stop are written by Finish(), once the final usage is known.
// The stream must begin with kStart (it carries the message id and model): events before it
// are dropped, except kError. After a kError nothing more is written, Finish() included.
class StreamEncoder {
 public:
  void Encode(const StreamEvent& event, std::string& out);
  void Finish(std::string& out);

 private:
  enum class Open { kNone, kText, kThinking, kToolCall };
  void OpenBlock(Open kind, const nlohmann::ordered_json& block, std::string& out);
  void CloseBlock(std::string& out);
  void EncodeContent(const StreamEvent& event, std::string& out);
  void EncodeToolCallStart(const StreamEvent& event, std::string& out);
  void EncodeToolCallDelta(const StreamEvent& event, std::string& out);
  void EncodeError(const StreamEvent& event, std::string& out);

  bool started_ = false, failed_ = false, finished_ = false;
  Open open_ = Open::kNone;
  bool open_signed_ = false;        // the open thinking block got its signature: it is complete
  int open_tool_ = -1;              // the IR index of the open tool call
  int next_block_ = 0;              // the index of the next content block
  std::map<int, int> tool_blocks_;  // IR tool call index -> content block index
  std::string finish_reason_, native_finish_reason_;
  std::optional<TokenUsage> usage_;
  nlohmann::json usage_extra_;
};

}  // namespace gw::dialects::anthropic

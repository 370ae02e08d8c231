// The OpenAI Responses dialect (POST /v1/responses) to and from the internal representation
// (dialects/ir.h): requests in, whole responses and stream events out. Used where a Responses
// client (Codex CLI, the Agents SDK) reaches an endpoint that does not speak Responses: the
// gateway decodes the body, encodes it as chat, and encodes the chat answer (decoded by
// openai_chat::DecodeResponse / StreamDecoder) back as a Responses object or event stream.
// A Responses-native upstream's answers decode with DecodeResponse / StreamDecoder. Pure; any
// thread (one StreamDecoder / StreamEncoder per stream).
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dialects/ir.h"

namespace gw::dialects::openai_responses {

// Decodes a Responses request body (already parsed). Returns "" when acceptable, else a message
// naming the field for a 400 (`input[2].type: unknown item type "foo"`).
//
// `history`, when not null, is an array of items that come before `input`: a stored
// conversation (the previous request's input items, then its response's output items, oldest
// first), which the gateway resolves from `previous_response_id`. It is decoded first into the
// same messages, so roles merge across the seam; errors in it are named `history[i]...`. With a
// history, `input` may be absent. The previous request's `instructions` are not carried over
// (OpenAI's rule): only this body's `instructions` and the system/developer items become system.
//
// Accepted and ignored (docs/dialects.md): store, include, metadata, prompt_cache_key,
// service_tier, truncation, previous_response_id, top_logprobs, stream_options, max_tool_calls,
// reasoning.summary, text.verbosity, the router's models/provider/route/transforms/usage/
// session_id. Tools of a type other than "function" (web_search, file_search, namespace,
// custom, local_shell, mcp, ...) are dropped: a translated endpoint cannot run them, and Codex
// offers them with every request. Rejected: background: true, prompt, conversation, a
// tool_choice that forces a built-in tool, item_reference items, file inputs (file_id,
// input_file), unknown item, part and role types.
std::string DecodeRequest(const nlohmann::json& body, Request& out,
                          const nlohmann::json& history = nullptr);

// Appends the decoded `items` (an array of input or output items: messages, function_call,
// function_call_output, reasoning) to `messages` (consecutive same-role items merge into the
// last message) and their system/developer text to `system`. `path` names the array in errors
// ("input"). Returns "" or the error. DecodeRequest is this over history, then input.
std::string DecodeInput(const nlohmann::json& items, std::string_view path,
                        std::vector<Message>& messages, std::vector<Part>& system);

// A request's `input` as an array of items, the form a stored conversation keeps: a string
// becomes one user message item ({"type":"message","role":"user","content":[{"type":
// "input_text","text":...}]}); an array is returned as it is; anything else gives null.
nlohmann::json InputItems(const nlohmann::json& input);

// What a Responses object echoes from its request. ContextFromRequest fills it from the body;
// members the request did not send hold the values OpenAI reports for them.
struct ResponseContext {
  int64_t created_at = 0;       // seconds since the epoch, when the request arrived
  nlohmann::json instructions;  // string, or null
  nlohmann::json tools = nlohmann::json::array();  // as sent, built-in tools included
  nlohmann::json tool_choice = "auto";             // as sent
  bool parallel_tool_calls = true;
  nlohmann::json max_output_tokens;                        // integer, or null
  nlohmann::json max_tool_calls;                           // integer, or null
  nlohmann::json temperature;                              // number, or null
  nlohmann::json top_p;                                    // number, or null
  nlohmann::json top_logprobs;                             // integer, or null
  nlohmann::json text = {{"format", {{"type", "text"}}}};  // as sent
  nlohmann::json reasoning = {{"effort", nullptr}, {"summary", nullptr}};
  nlohmann::json metadata = nlohmann::json::object();
  bool store = true;
  nlohmann::json previous_response_id;  // string, or null
  nlohmann::json prompt_cache_key;      // string, or null
  nlohmann::json safety_identifier;     // string, or null
  nlohmann::json service_tier;          // string, or null
  nlohmann::json truncation = "disabled";
  nlohmann::json user;  // string, or null
};

// The context of a request `body` (members of the wrong type are treated as not sent; the
// decoder reports them).
ResponseContext ContextFromRequest(const nlohmann::json& body, int64_t created_at);

// Encodes a whole Responses object as JSON text: {"id": response.id, "object":"response",
// "created_at", "status", "error", "incomplete_details", ..., "model", "output":[...], ...,
// "usage"} with the context's echoed members. status: "completed"; "incomplete" with
// incomplete_details.reason "max_output_tokens" (finish reason length) or "content_filter";
// "failed" with error {code: "server_error", message} (finish reason error). Output items, in
// content order: a `reasoning` item per thinking part (summary_text; a signature as
// encrypted_content) and per redacted thinking (encrypted_content, empty summary); one
// `message` item per run of text parts (one output_text); a `function_call` item per tool call.
// Item ids are "<rs|msg|fc>_<suffix>_<output index>", suffix = response.id without a leading
// "resp_" or "gen-". usage: {input_tokens (cache reads and writes included),
// input_tokens_details{cached_tokens}, output_tokens (reasoning included),
// output_tokens_details{reasoning_tokens}, total_tokens} + usage_extra's other members (the
// gateway's cost, cost_details); null when the response has none.
std::string EncodeResponse(const Response& response, const ResponseContext& context);

// Decodes a whole Responses object (from a Responses-native upstream). Returns "" or what is
// wrong with it. Output items: message (output_text and refusal parts -> kText, one per part),
// reasoning (as DecodeRequest reads it: kThinking with encrypted_content as the signature, or
// kRedactedThinking), function_call (kToolCall, id = call_id); other item types (built-in tool
// calls) are skipped. finish_reason: "tool_calls" when a completed response has a function
// call, else "stop"; "length" / "content_filter" for incomplete_details.reason
// max_output_tokens / content_filter; "error" for failed or cancelled; "" while in progress.
// native_finish_reason is the status, or the incomplete reason. usage: input_tokens ->
// prompt_tokens, cached_tokens, output_tokens -> completion_tokens, reasoning_tokens,
// total_tokens; its other members go to usage_extra.
std::string DecodeResponse(const nlohmann::json& body, Response& out);

// The events of one Responses stream (each `data:` payload; its `type` names the event) into IR
// events: response.created -> kStart; output_text.delta and refusal.delta -> kTextDelta;
// reasoning_summary_text.delta and reasoning_text.delta -> kThinkingDelta ("\n\n" between
// summary parts); a reasoning item's encrypted_content at output_item.done -> kSignature (after
// its text) or kRedactedThinking; function_call output_item.added -> kToolCallStart,
// function_call_arguments.delta -> kToolCallDelta (.done only when no delta came);
// response.completed / .incomplete -> kFinish + kUsage and kDone; response.failed and `error`
// -> kError and kError. Other event types are ignored.
class StreamDecoder {
 public:
  enum class Result {
    kContinue,   // zero or more events appended
    kDone,       // response.completed or response.incomplete
    kError,      // response.failed or error: a kError event is appended; error_message()
    kMalformed,  // not JSON, not an object, or an event before response.created
  };
  Result Decode(std::string_view data, std::vector<StreamEvent>& out);
  const std::string& error_message() const { return error_message_; }

 private:
  struct Call {
    int index = 0;               // the IR tool call index
    bool got_arguments = false;  // a delta (or the added item) carried arguments
  };
  Result Malformed(std::string message);
  Result OnItemAdded(const nlohmann::json& event, std::vector<StreamEvent>& out);
  Result OnItemDone(const nlohmann::json& event, std::vector<StreamEvent>& out);
  Result OnEnd(const nlohmann::json& event, std::vector<StreamEvent>& out);
  Result OnError(const nlohmann::json& error, std::vector<StreamEvent>& out);

  bool started_ = false;
  bool saw_call_ = false;
  std::map<int64_t, Call> calls_;           // output index -> call
  std::map<int64_t, bool> reasoning_text_;  // output index -> the reasoning item had text
  std::string error_message_;
};

// IR events into a Responses event stream: each event "event: <type>\ndata: <json>\n\n", its
// payload's `type` the event name and `sequence_number` counting from 0.
//
// kStart writes response.created and response.in_progress (the object with status
// "in_progress", output []). Text, thinking and tool calls open output items in arrival order:
//   message:   output_item.added, content_part.added, output_text.delta..., then on close
//              output_text.done, content_part.done, output_item.done;
//   reasoning: output_item.added, reasoning_summary_part.added, reasoning_summary_text.delta...,
//              then reasoning_summary_text.done, reasoning_summary_part.done,
//              output_item.done (a signature becomes the item's encrypted_content, and
//              thinking after it opens a new item; redacted thinking is one item with
//              encrypted_content, added and done at once);
//   function_call: output_item.added (arguments ""), function_call_arguments.delta..., then
//              function_call_arguments.done (the whole arguments, "{}" when none came) and
//              output_item.done.
// A message or reasoning item closes when another item opens; function calls stay open until
// Finish() (chat may interleave the arguments of several calls), which closes every open item
// in output order and writes response.completed, or response.incomplete (finish reason length
// or content_filter), or response.failed (finish reason error), carrying the whole object as
// EncodeResponse writes it (same items, same usage). Events before kStart are dropped, except
// kError, which then writes a bare `error` event {code, message, param: null}. A kError after
// kStart writes response.failed (status "failed", error {code, message}; code
// "rate_limit_exceeded" for status 429, else "server_error"; no separate `error` event: Codex
// reads response.failed). After a kError nothing more is written, Finish() included.
class StreamEncoder {
 public:
  explicit StreamEncoder(ResponseContext context);
  void Encode(const StreamEvent& event, std::string& out);
  void Finish(std::string& out);

 private:
  enum class ItemKind { kMessage, kReasoning, kFunctionCall };
  struct Item {
    ItemKind kind = ItemKind::kMessage;
    std::string id;
    std::string text;               // message text, reasoning summary or function arguments
    std::string encrypted_content;  // reasoning: the signature or redacted data
    bool summary_open = false;      // reasoning: a summary part was added
    std::string call_id, name;      // function_call
    bool done = false;
    std::string status = "in_progress";  // "completed" or "incomplete" once done
  };
  void Emit(std::string_view type, const nlohmann::ordered_json& fields, std::string& out);
  void EmitResponse(std::string_view type, const std::string& status,
                    const nlohmann::ordered_json& error,
                    const nlohmann::ordered_json& incomplete_details, std::string& out);
  void EncodeText(const std::string& text, std::string& out);
  void EncodeThinking(const std::string& text, std::string& out);
  void EncodeSignature(const std::string& signature, std::string& out);
  void EncodeRedacted(const std::string& data, std::string& out);
  void EncodeToolCallStart(const StreamEvent& event, std::string& out);
  void EncodeToolCallDelta(const StreamEvent& event, std::string& out);
  void EncodeError(const StreamEvent& event, std::string& out);
  // Adds an output item, writes its output_item.added and returns its output index.
  size_t Open(Item item, std::string& out);
  // Writes the done events of item `index` with `status` (once).
  void Close(size_t index, std::string_view status, std::string& out);
  // Closes the open message or reasoning item, if any.
  void CloseCurrent(std::string& out);
  // Item `index` as output_item.added shows it (`added`), else as done events and the final
  // object carry it.
  nlohmann::ordered_json ItemJson(size_t index, bool added) const;
  nlohmann::ordered_json Output() const;

  ResponseContext context_;
  bool started_ = false, failed_ = false, finished_ = false;
  int64_t sequence_ = 0;
  std::string id_, model_;
  std::vector<Item> items_;        // by output index
  std::optional<size_t> current_;  // the open message or reasoning item
  std::map<int, size_t> calls_;    // IR tool call index -> output index
  std::string finish_reason_;
  std::optional<TokenUsage> usage_;
  nlohmann::json usage_extra_;
};

}  // namespace gw::dialects::openai_responses

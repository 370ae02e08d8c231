// Messages responses <-> IR: whole responses, stop reasons, usage, and the stream encoder (which
// shares the stop reason and usage encoding of whole responses). The stream decoder is in
// messages_stream.cc.
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

#include "dialects/anthropic/messages_codec.h"

namespace gw::dialects::anthropic {
namespace {

using nlohmann::json;
using ojson = nlohmann::ordered_json;

// Counts above this are no token counts (2^53: beyond it JSON numbers lose integer precision);
// the bound also keeps the sums of UsageFromAnthropic from overflowing.
constexpr uint64_t kMaxCount = uint64_t{1} << 53;

// A usage count: a non-negative integer up to kMaxCount; anything else (absent, negative,
// fractional, not a number) reads as 0, so a bad count never makes usage negative.
int64_t Count(const json& usage, const char* key) {
  auto it = usage.find(key);
  if (it == usage.end()) return 0;
  if (it->is_number_unsigned()) {
    const uint64_t value = it->get<uint64_t>();
    return value <= kMaxCount ? static_cast<int64_t>(value) : 0;
  }
  if (it->is_number_integer()) {  // signed: as built in code rather than parsed
    const int64_t value = it->get<int64_t>();
    return value >= 0 && static_cast<uint64_t>(value) <= kMaxCount ? value : 0;
  }
  return 0;
}

std::string StringOr(const json& obj, const char* key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : "";
}

// One content block of a response. Block types the IR has no part for (server_tool_use,
// web_search_tool_result, ...: results of Anthropic's server tools) are skipped.
std::string DecodeBlock(const json& block, size_t i, std::vector<Part>& out) {
  const std::string path = "content[" + std::to_string(i) + "]";
  if (!block.is_object()) return path + ": expected an object";
  const std::string type = StringOr(block, "type");
  Part part;
  if (type == "text") {
    part.text = StringOr(block, "text");
  } else if (type == "thinking") {
    part.kind = Part::Kind::kThinking;
    part.text = StringOr(block, "thinking");
    part.signature = StringOr(block, "signature");
  } else if (type == "redacted_thinking") {
    part.kind = Part::Kind::kRedactedThinking;
    part.text = StringOr(block, "data");
  } else if (type == "tool_use") {
    part.kind = Part::Kind::kToolCall;
    part.id = StringOr(block, "id");
    part.name = StringOr(block, "name");
    auto input = block.find("input");
    part.arguments = input != block.end() && input->is_object() ? input->dump() : "{}";
  } else {
    return "";
  }
  out.push_back(std::move(part));
  return "";
}

ojson EncodeBlock(const Part& part) {
  switch (part.kind) {
    case Part::Kind::kThinking:
      return {{"type", "thinking"}, {"thinking", part.text}, {"signature", part.signature}};
    case Part::Kind::kRedactedThinking:
      return {{"type", "redacted_thinking"}, {"data", part.text}};
    case Part::Kind::kToolCall: {
      // Arguments that are not a JSON object (a model's broken JSON) become {}.
      json input = json::parse(part.arguments, nullptr, false);
      return {{"type", "tool_use"},
              {"id", part.id},
              {"name", part.name},
              {"input", input.is_object() ? ojson(input) : ojson::object()}};
    }
    default:  // kText; a response holds no images or tool results
      return {{"type", "text"}, {"text", part.text}};
  }
}

bool IsAnthropicStopReason(std::string_view s) {
  for (std::string_view r : {"end_turn", "max_tokens", "stop_sequence", "tool_use", "pause_turn",
                             "refusal", "model_context_window_exceeded"}) {
    if (s == r) return true;
  }
  return false;
}

}  // namespace

// pause_turn (a server-tool loop paused; the client sends the content back to continue) has no
// normalized equivalent: "stop". An unknown non-empty reason also reads as "stop".
std::string_view FinishReasonOf(std::string_view stop_reason) {
  if (stop_reason.empty()) return "";
  if (stop_reason == "max_tokens" || stop_reason == "model_context_window_exceeded") {
    return "length";
  }
  if (stop_reason == "tool_use") return "tool_calls";
  if (stop_reason == "refusal") return "content_filter";
  return "stop";  // end_turn, stop_sequence, pause_turn, anything newer
}

// "error" (the upstream failed mid-answer) becomes end_turn: Anthropic has no error stop reason,
// and end_turn is the one every client accepts without retrying or continuing the turn. "" (no
// reason known) is "" and encodes as null.
std::string_view StopReasonOf(std::string_view finish_reason) {
  if (finish_reason.empty()) return "";
  if (finish_reason == "length") return "max_tokens";
  if (finish_reason == "tool_calls") return "tool_use";
  if (finish_reason == "content_filter") return "refusal";
  return "end_turn";  // stop, error, anything else
}

TokenUsage UsageFromAnthropic(const nlohmann::json& usage) {
  TokenUsage u;
  if (!usage.is_object()) return u;
  u.cached_tokens = Count(usage, "cache_read_input_tokens");
  u.cache_write_tokens = Count(usage, "cache_creation_input_tokens");
  u.prompt_tokens = Count(usage, "input_tokens") + u.cached_tokens + u.cache_write_tokens;
  u.completion_tokens = Count(usage, "output_tokens");
  u.total_tokens = u.prompt_tokens + u.completion_tokens;
  return u;
}

nlohmann::json UsageToAnthropic(const TokenUsage& usage) {
  const int64_t input =
      std::max<int64_t>(0, usage.prompt_tokens - usage.cached_tokens - usage.cache_write_tokens);
  return {{"input_tokens", input},
          {"cache_creation_input_tokens", usage.cache_write_tokens},
          {"cache_read_input_tokens", usage.cached_tokens},
          {"output_tokens", usage.completion_tokens}};
}

std::string DecodeResponse(const nlohmann::json& body, Response& out) {
  out = Response{};
  if (!body.is_object()) return "body: expected a JSON object";
  out.id = StringOr(body, "id");
  out.model = StringOr(body, "model");
  auto content = body.find("content");
  if (content == body.end() || !content->is_array()) return "content: expected an array";
  for (size_t i = 0; i < content->size(); ++i) {
    if (auto e = DecodeBlock((*content)[i], i, out.content); !e.empty()) return e;
  }
  out.native_finish_reason = StringOr(body, "stop_reason");
  out.finish_reason = std::string(FinishReasonOf(out.native_finish_reason));
  if (auto usage = body.find("usage"); usage != body.end() && usage->is_object()) {
    out.usage = UsageFromAnthropic(*usage);
  }
  return "";
}

namespace {

// The stop_reason to send: the native one when it is Anthropic's and agrees with the normalized
// reason (keeps stop_sequence, pause_turn, ...), else the mapping of the normalized reason.
std::string EncodedStopReason(const std::string& finish_reason, const std::string& native) {
  if (IsAnthropicStopReason(native) && FinishReasonOf(native) == finish_reason) return native;
  return std::string(StopReasonOf(finish_reason));
}

// The usage object of a response or message_delta: Anthropic's counts plus usage_extra.
nlohmann::ordered_json EncodedUsage(const std::optional<TokenUsage>& usage,
                                    const nlohmann::json& usage_extra) {
  const json counts = UsageToAnthropic(usage.value_or(TokenUsage{}));
  ojson out;
  for (const char* key : {"input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens",
                          "output_tokens"}) {
    out[key] = counts[key];
  }
  if (usage_extra.is_object()) {
    for (auto it = usage_extra.begin(); it != usage_extra.end(); ++it) out[it.key()] = *it;
  }
  return out;
}

}  // namespace

std::string EncodeResponse(const Response& response) {
  ojson content = ojson::array();
  for (const Part& part : response.content) content.push_back(EncodeBlock(part));
  const std::string stop = EncodedStopReason(response.finish_reason, response.native_finish_reason);
  ojson body = {{"id", response.id},
                {"type", "message"},
                {"role", "assistant"},
                {"model", response.model},
                {"content", std::move(content)},
                {"stop_reason", stop.empty() ? ojson() : ojson(stop)},
                {"stop_sequence", nullptr},
                {"usage", EncodedUsage(response.usage, response.usage_extra)}};
  return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

// ---- StreamEncoder

namespace {

std::string Sse(std::string_view name, const ojson& data) {
  return "event: " + std::string(name) +
         "\ndata: " + data.dump(-1, ' ', false, json::error_handler_t::replace) + "\n\n";
}

ojson Delta(int index, ojson delta) {
  return {{"type", "content_block_delta"}, {"index", index}, {"delta", std::move(delta)}};
}

}  // namespace

void StreamEncoder::OpenBlock(Open kind, const nlohmann::ordered_json& block, std::string& out) {
  CloseBlock(out);
  out += Sse("content_block_start",
             {{"type", "content_block_start"}, {"index", next_block_}, {"content_block", block}});
  open_ = kind;
  open_signed_ = false;
  ++next_block_;
}

void StreamEncoder::CloseBlock(std::string& out) {
  if (open_ == Open::kNone) return;
  out += Sse("content_block_stop", {{"type", "content_block_stop"}, {"index", next_block_ - 1}});
  open_ = Open::kNone;
  open_tool_ = -1;
}

void StreamEncoder::EncodeToolCallStart(const StreamEvent& event, std::string& out) {
  OpenBlock(
      Open::kToolCall,
      {{"type", "tool_use"}, {"id", event.id}, {"name", event.name}, {"input", ojson::object()}},
      out);
  open_tool_ = event.index;
  tool_blocks_[event.index] = next_block_ - 1;
}

// Arguments go to the block of their call. A call whose block was already closed (another call
// or kind started since: Chat Completions may interleave calls) still gets its delta at its own
// index, which the Anthropic SDKs accumulate by index. A delta for a call never started is
// dropped.
void StreamEncoder::EncodeToolCallDelta(const StreamEvent& event, std::string& out) {
  auto it = tool_blocks_.find(event.index);
  if (it == tool_blocks_.end() || event.text.empty()) return;
  out += Sse("content_block_delta",
             Delta(it->second, {{"type", "input_json_delta"}, {"partial_json", event.text}}));
}

std::string_view ErrorTypeOf(int status) {
  switch (status) {
    case 400:
      return "invalid_request_error";
    case 401:
      return "authentication_error";
    case 402:
      return "billing_error";
    case 403:
      return "permission_error";
    case 404:
      return "not_found_error";
    case 413:
      return "request_too_large";
    case 429:
      return "rate_limit_error";
    case 503:
    case 529:
      return "overloaded_error";
    default:
      return status >= 500 || status == 0 ? "api_error" : "invalid_request_error";
  }
}

void StreamEncoder::EncodeError(const StreamEvent& event, std::string& out) {
  ojson error = {{"type", ErrorTypeOf(event.status)}, {"message", event.text}};
  out += Sse("error", {{"type", "error"}, {"error", std::move(error)}});
  failed_ = true;
}

void StreamEncoder::Encode(const StreamEvent& event, std::string& out) {
  using Kind = StreamEvent::Kind;
  if (failed_ || finished_) return;
  switch (event.kind) {
    case Kind::kError:
      return EncodeError(event, out);
    case Kind::kFinish:
      finish_reason_ = event.finish_reason;
      native_finish_reason_ = event.native_finish_reason;
      return;
    case Kind::kUsage:
      usage_ = event.usage;
      usage_extra_ = event.usage_extra;
      return;
    case Kind::kStart: {
      if (started_) return;
      started_ = true;
      // Anthropic reports the prompt at the start; a translated stream knows it only at the
      // end, unless the producer put an estimate in the event.
      const int64_t input_tokens =
          event.usage
              ? std::max<int64_t>(0, event.usage->prompt_tokens - event.usage->cached_tokens -
                                         event.usage->cache_write_tokens)
              : 0;
      ojson message = {{"id", event.id},
                       {"type", "message"},
                       {"role", "assistant"},
                       {"model", event.model},
                       {"content", ojson::array()},
                       {"stop_reason", nullptr},
                       {"stop_sequence", nullptr},
                       {"usage", {{"input_tokens", input_tokens}, {"output_tokens", 0}}}};
      out += Sse("message_start", {{"type", "message_start"}, {"message", std::move(message)}});
      return;
    }
    default:
      if (started_) EncodeContent(event, out);  // before kStart: dropped (see the class comment)
  }
}

void StreamEncoder::EncodeContent(const StreamEvent& event, std::string& out) {
  using Kind = StreamEvent::Kind;
  switch (event.kind) {
    case Kind::kTextDelta:
      if (event.text.empty()) return;
      if (open_ != Open::kText) OpenBlock(Open::kText, {{"type", "text"}, {"text", ""}}, out);
      out += Sse("content_block_delta",
                 Delta(next_block_ - 1, {{"type", "text_delta"}, {"text", event.text}}));
      return;
    case Kind::kThinkingDelta:
    case Kind::kSignature: {
      if (event.text.empty()) return;
      const bool sig = event.kind == Kind::kSignature;
      // Thinking after a signature is a new thinking block (the signature closed the last).
      if (open_ != Open::kThinking || (open_signed_ && !sig)) {
        OpenBlock(Open::kThinking, {{"type", "thinking"}, {"thinking", ""}}, out);
      }
      open_signed_ = open_signed_ || sig;
      ojson delta = {{"type", sig ? "signature_delta" : "thinking_delta"},
                     {sig ? "signature" : "thinking", event.text}};
      out += Sse("content_block_delta", Delta(next_block_ - 1, std::move(delta)));
      return;
    }
    case Kind::kRedactedThinking:
      CloseBlock(out);
      out += Sse("content_block_start",
                 {{"type", "content_block_start"},
                  {"index", next_block_},
                  {"content_block", {{"type", "redacted_thinking"}, {"data", event.text}}}});
      out += Sse("content_block_stop", {{"type", "content_block_stop"}, {"index", next_block_++}});
      return;
    case Kind::kToolCallStart:
      return EncodeToolCallStart(event, out);
    case Kind::kToolCallDelta:
      return EncodeToolCallDelta(event, out);
    default:
      return;
  }
}

void StreamEncoder::Finish(std::string& out) {
  if (failed_ || finished_ || !started_) return;
  finished_ = true;
  CloseBlock(out);
  const std::string stop = EncodedStopReason(finish_reason_, native_finish_reason_);
  ojson delta = {{"stop_reason", stop.empty() ? ojson() : ojson(stop)}, {"stop_sequence", nullptr}};
  out += Sse("message_delta", {{"type", "message_delta"},
                               {"delta", std::move(delta)},
                               {"usage", EncodedUsage(usage_, usage_extra_)}});
  out += Sse("message_stop", {{"type", "message_stop"}});
}

}  // namespace gw::dialects::anthropic

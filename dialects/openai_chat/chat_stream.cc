// StreamDecoder / StreamEncoder: chat.completion.chunk streams to and from IR stream events.
//
// Decode: the first chunk starts the response (kStart); choice 0's delta gives reasoning
// (OpenRouter's reasoning_details when the chunk has them, else `reasoning`, else
// `reasoning_content`), text and tool-call pieces; a tool-call entry starts a new call when its
// `index` is new or it brings an id other than the one that index had (servers that send every call
// at index 0); the finish reason is normalized as in chat_response.cc; a non-null `error` member is
// the gateway's mid-stream error chunk.
//
// Encode: signatures and redacted thinking have no chunk field and are dropped; no
// native_finish_reason (the gateway's rewriter sets it from finish_reason).
#include <utility>

#include "dialects/finish_reason.h"
#include "dialects/openai_chat/chat_codec.h"
#include "dialects/openai_chat/chat_internal.h"

namespace gw::dialects::openai_chat {
namespace {

using internal::Errors;
using internal::Find;
using nlohmann::json;
using nlohmann::ordered_json;

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\r' || text.back() == '\n' ||
                           text.back() == '\t')) {
    text.remove_suffix(1);
  }
  return text;
}

// `object[key]` when it is a non-empty string, else "".
std::string StringOf(const json& object, const char* key) {
  const json* value = Find(object, key);
  return value != nullptr && value->is_string() ? value->get<std::string>() : std::string();
}

StreamEvent EventOf(StreamEvent::Kind kind, std::string text, int index = 0) {
  StreamEvent event;
  event.kind = kind;
  event.text = std::move(text);
  event.index = index;
  return event;
}

// Appends the events of a delta's reasoning_details; false when it has none.
bool DecodeDetails(const json& delta, std::vector<StreamEvent>& out) {
  const json* details = Find(delta, "reasoning_details");
  if (details == nullptr || !details->is_array() || details->empty()) return false;
  for (const json& detail : *details) {
    const std::string type = StringOf(detail, "type");
    if (type == "reasoning.text" || type == "reasoning.summary") {
      std::string text = StringOf(detail, type == "reasoning.text" ? "text" : "summary");
      if (!text.empty()) out.push_back(EventOf(StreamEvent::Kind::kThinkingDelta, text));
      std::string signature = StringOf(detail, "signature");
      if (!signature.empty()) out.push_back(EventOf(StreamEvent::Kind::kSignature, signature));
    } else if (type == "reasoning.encrypted") {
      std::string data = StringOf(detail, "data");
      if (!data.empty()) out.push_back(EventOf(StreamEvent::Kind::kRedactedThinking, data));
    }
  }
  return true;
}

// The delta.tool_calls entry of a kToolCallStart or kToolCallDelta event.
ordered_json ToolCallDelta(const StreamEvent& event) {
  if (event.kind == StreamEvent::Kind::kToolCallDelta) {
    return {{"index", event.index}, {"function", {{"arguments", event.text}}}};
  }
  return {{"index", event.index},
          {"id", event.id},
          {"type", "function"},
          {"function", {{"name", event.name}, {"arguments", ""}}}};
}

void Emit(const ordered_json& chunk, std::string& out) {
  out += "data: ";
  out += chunk.dump(-1, ' ', false, json::error_handler_t::replace);
  out += "\n\n";
}

}  // namespace

StreamDecoder::Result StreamDecoder::Decode(std::string_view data, std::vector<StreamEvent>& out) {
  data = Trim(data);
  if (data == "[DONE]") return Result::kDone;
  json chunk = json::parse(data, nullptr, /*allow_exceptions=*/false);
  if (chunk.is_discarded() || !chunk.is_object()) {
    error_message_ = chunk.is_discarded() ? "chunk is not valid JSON" : "chunk is not an object";
    return Result::kMalformed;
  }
  if (!started_) {
    started_ = true;
    StreamEvent start = EventOf(StreamEvent::Kind::kStart, "");
    start.id = StringOf(chunk, "id");
    start.model = StringOf(chunk, "model");
    out.push_back(std::move(start));
  }
  if (const json* error = Find(chunk, "error")) return DecodeError(*error, out);
  const json* choices = Find(chunk, "choices");
  if (choices != nullptr && choices->is_array() && !choices->empty()) {
    DecodeChoice((*choices)[0], out);
  }
  if (const json* usage = Find(chunk, "usage")) {
    StreamEvent event = EventOf(StreamEvent::Kind::kUsage, "");
    Errors errors;
    TokenUsage decoded;
    if (!internal::DecodeUsage(*usage, "usage", decoded, event.usage_extra, errors)) {
      error_message_ = errors.message();
      return Result::kMalformed;
    }
    event.usage = decoded;
    out.push_back(std::move(event));
  }
  return Result::kContinue;
}

void StreamDecoder::DecodeChoice(const json& choice, std::vector<StreamEvent>& out) {
  if (const json* delta = Find(choice, "delta"); delta != nullptr && delta->is_object()) {
    DecodeDelta(*delta, out);
  }
  const std::string finish = StringOf(choice, "finish_reason");
  if (finish.empty()) return;
  StreamEvent event = EventOf(StreamEvent::Kind::kFinish, "");
  event.finish_reason = std::string(NormalizeFinishReason(finish));
  event.native_finish_reason = StringOf(choice, "native_finish_reason");
  if (event.native_finish_reason.empty()) event.native_finish_reason = finish;
  out.push_back(std::move(event));
}

void StreamDecoder::DecodeDelta(const json& delta, std::vector<StreamEvent>& out) {
  if (!DecodeDetails(delta, out)) {
    std::string reasoning = StringOf(delta, "reasoning");
    if (reasoning.empty()) reasoning = StringOf(delta, "reasoning_content");
    if (!reasoning.empty()) out.push_back(EventOf(StreamEvent::Kind::kThinkingDelta, reasoning));
  }
  std::string text = StringOf(delta, "content");
  if (!text.empty()) out.push_back(EventOf(StreamEvent::Kind::kTextDelta, std::move(text)));
  const json* calls = Find(delta, "tool_calls");
  if (calls == nullptr || !calls->is_array()) return;
  for (size_t i = 0; i < calls->size(); ++i) DecodeToolCall((*calls)[i], i, out);
}

void StreamDecoder::DecodeToolCall(const json& call, size_t position,
                                   std::vector<StreamEvent>& out) {
  if (!call.is_object()) return;
  const json* index = Find(call, "index");
  const int64_t chunk_index = index != nullptr && index->is_number_integer()
                                  ? index->get<int64_t>()
                                  : static_cast<int64_t>(position);
  const std::string id = StringOf(call, "id");
  const json* function = Find(call, "function");
  const json& fields = function != nullptr ? *function : call;
  int slot = static_cast<int>(tool_calls_.size()) - 1;
  while (slot >= 0 && tool_calls_[slot].chunk_index != chunk_index) --slot;
  if (slot >= 0 && !id.empty() && tool_calls_[slot].id.empty()) tool_calls_[slot].id = id;
  if (slot < 0 || (!id.empty() && tool_calls_[slot].id != id)) {
    slot = static_cast<int>(tool_calls_.size());
    tool_calls_.push_back({.chunk_index = chunk_index, .id = id});
    StreamEvent start = EventOf(StreamEvent::Kind::kToolCallStart, "", slot);
    start.id = id;
    start.name = StringOf(fields, "name");
    out.push_back(std::move(start));
  }
  std::string arguments = StringOf(fields, "arguments");
  if (!arguments.empty()) {
    out.push_back(EventOf(StreamEvent::Kind::kToolCallDelta, std::move(arguments), slot));
  }
}

StreamDecoder::Result StreamDecoder::DecodeError(const json& error, std::vector<StreamEvent>& out) {
  error_message_ = error.is_string() ? error.get<std::string>() : StringOf(error, "message");
  if (error_message_.empty()) error_message_ = "upstream error";
  const json* code = Find(error, "code");
  error_status_ = 0;
  if (code != nullptr && code->is_number_integer()) {
    const int64_t status = code->get<int64_t>();
    if (status >= 100 && status <= 599) error_status_ = static_cast<int>(status);
  }
  StreamEvent event = EventOf(StreamEvent::Kind::kError, error_message_);
  event.status = error_status_;
  out.push_back(std::move(event));
  return Result::kError;
}

void StreamEncoder::Encode(const StreamEvent& event, std::string& out) {
  using Kind = StreamEvent::Kind;
  if (finished_) return;
  if (event.kind == Kind::kStart) {
    id_ = event.id;
    model_ = event.model;
  }
  Start(out);
  switch (event.kind) {
    case Kind::kTextDelta:
    case Kind::kThinkingDelta:
      if (event.text.empty()) return;
      AppendChunk({{event.kind == Kind::kTextDelta ? "content" : "reasoning", event.text}}, nullptr,
                  out);
      return;
    case Kind::kToolCallStart:
    case Kind::kToolCallDelta:
      AppendChunk({{"tool_calls", ordered_json::array({ToolCallDelta(event)})}}, nullptr, out);
      return;
    case Kind::kFinish:
      AppendChunk(ordered_json::object(),
                  event.finish_reason.empty() ? "stop" : event.finish_reason, out);
      return;
    case Kind::kUsage:
      usage_ = event.usage;
      usage_extra_ = event.usage_extra;
      return;
    case Kind::kError:
      AppendError(event, out);
      return;
    case Kind::kStart:
    case Kind::kSignature:
    case Kind::kRedactedThinking:
      return;
  }
}

void StreamEncoder::AppendError(const StreamEvent& event, std::string& out) {
  ordered_json chunk = ChunkHead();
  chunk["error"] = {{"code", event.status != 0 ? event.status : 502}, {"message", event.text}};
  chunk["choices"] = ordered_json::array(
      {{{"index", 0}, {"delta", {{"content", ""}}}, {"finish_reason", "error"}}});
  Emit(chunk, out);
}

void StreamEncoder::Finish(std::string& out) {
  if (finished_) return;
  finished_ = true;
  if (usage_) {
    ordered_json chunk = ChunkHead();
    chunk["choices"] = ordered_json::array();
    chunk["usage"] = internal::EncodeUsage(*usage_, usage_extra_);
    Emit(chunk, out);
  }
  out += "data: [DONE]\n\n";
}

void StreamEncoder::Start(std::string& out) {
  if (started_) return;
  started_ = true;
  AppendChunk({{"role", "assistant"}, {"content", ""}}, nullptr, out);
}

ordered_json StreamEncoder::ChunkHead() const {
  return {{"id", id_},
          {"object", "chat.completion.chunk"},
          {"created", created_ != 0 ? created_ : internal::NowSeconds()},
          {"model", model_}};
}

void StreamEncoder::AppendChunk(ordered_json delta, const ordered_json& finish_reason,
                                std::string& out) {
  if (created_ == 0) created_ = internal::NowSeconds();
  ordered_json chunk = ChunkHead();
  chunk["choices"] = ordered_json::array(
      {{{"index", 0}, {"delta", std::move(delta)}, {"finish_reason", finish_reason}}});
  Emit(chunk, out);
}

}  // namespace gw::dialects::openai_chat

// The events of a Messages stream -> IR stream events (StreamDecoder). The encoder, which shares
// the stop reason and usage encoding with whole responses, is in messages_response.cc.
#include <string>
#include <string_view>

#include "dialects/anthropic/messages_codec.h"

namespace gw::dialects::anthropic {
namespace {

using nlohmann::json;

// obj[key] as a string when it is one.
bool GetString(const json& obj, const char* key, std::string& out) {
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_string()) return false;
  out = it->get<std::string>();
  return true;
}

std::string StringOr(const json& obj, const char* key) {
  std::string s;
  GetString(obj, key, s);
  return s;
}

// The `index` of a content_block_* event.
bool GetIndex(const json& event, int64_t& out) {
  auto it = event.find("index");
  if (it == event.end() || !it->is_number_integer()) return false;
  out = it->get<int64_t>();
  return true;
}

// The HTTP status an Anthropic error type stands for (DIALECTS.md); 0 when unknown.
int StatusOf(std::string_view type) {
  if (type == "invalid_request_error") return 400;
  if (type == "authentication_error") return 401;
  if (type == "permission_error") return 403;
  if (type == "not_found_error") return 404;
  if (type == "request_too_large") return 413;
  if (type == "rate_limit_error") return 429;
  if (type == "api_error") return 500;
  if (type == "overloaded_error") return 529;
  return 0;
}

StreamEvent Text(StreamEvent::Kind kind, std::string text, int index = 0) {
  StreamEvent e;
  e.kind = kind;
  e.text = std::move(text);
  e.index = index;
  return e;
}

}  // namespace

StreamDecoder::Result StreamDecoder::Malformed(std::string message) {
  error_message_ = std::move(message);
  return Result::kMalformed;
}

StreamDecoder::Result StreamDecoder::Decode(std::string_view event_name, std::string_view data,
                                            std::vector<StreamEvent>& out) {
  const json event = json::parse(data, nullptr, false);
  if (event.is_discarded() || !event.is_object()) {
    return Malformed("stream event " + std::string(event_name) + ": data is not a JSON object");
  }
  // The payload's `type` names the event (the `event:` line may be missing).
  std::string type(event_name);
  GetString(event, "type", type);
  if (type == "error") return OnError(event, data, out);
  if (type == "message_start") return OnMessageStart(event, out);
  const bool known = type == "content_block_start" || type == "content_block_delta" ||
                     type == "content_block_stop" || type == "message_delta" ||
                     type == "message_stop";
  if (!known) return Result::kContinue;  // ping, and event types newer than this code
  if (!started_) return Malformed(type + " before message_start");
  if (type == "content_block_start") return OnBlockStart(event, out);
  if (type == "content_block_delta") return OnBlockDelta(event, out);
  if (type == "message_delta") return OnMessageDelta(event, out);
  return type == "message_stop" ? Result::kDone : Result::kContinue;
}

StreamDecoder::Result StreamDecoder::OnMessageStart(const nlohmann::json& event,
                                                    std::vector<StreamEvent>& out) {
  auto message = event.find("message");
  if (message == event.end() || !message->is_object()) {
    return Malformed("message_start: message: expected an object");
  }
  started_ = true;
  StreamEvent start;
  start.kind = StreamEvent::Kind::kStart;
  start.id = StringOr(*message, "id");
  start.model = StringOr(*message, "model");
  out.push_back(std::move(start));
  auto usage = message->find("usage");
  if (usage != message->end() && usage->is_object()) usage_ = *usage;
  return Result::kContinue;
}

// A block may start with content (text, thinking and its signature, a tool call's input, a
// redacted thinking's data): emitted as the first delta. Blocks of other types (server tool
// calls and results, ...) are remembered as kOther and their deltas ignored.
StreamDecoder::Result StreamDecoder::OnBlockStart(const nlohmann::json& event,
                                                  std::vector<StreamEvent>& out) {
  int64_t index = 0;
  auto block = event.find("content_block");
  if (!GetIndex(event, index) || block == event.end() || !block->is_object()) {
    return Malformed("content_block_start: expected an index and a content_block object");
  }
  const std::string type = StringOr(*block, "type");
  Block& b = blocks_[index];
  using Kind = StreamEvent::Kind;
  if (type == "text") {
    b.kind = BlockKind::kText;
    if (std::string text = StringOr(*block, "text"); !text.empty()) {
      out.push_back(Text(Kind::kTextDelta, text));
    }
  } else if (type == "thinking") {
    b.kind = BlockKind::kThinking;
    if (std::string text = StringOr(*block, "thinking"); !text.empty()) {
      out.push_back(Text(Kind::kThinkingDelta, text));
    }
    if (std::string sig = StringOr(*block, "signature"); !sig.empty()) {
      out.push_back(Text(Kind::kSignature, sig));
    }
  } else if (type == "redacted_thinking") {
    b.kind = BlockKind::kRedactedThinking;
    out.push_back(Text(Kind::kRedactedThinking, StringOr(*block, "data")));
  } else if (type == "tool_use") {
    b.kind = BlockKind::kToolUse;
    b.tool_index = next_tool_index_++;
    StreamEvent start = Text(Kind::kToolCallStart, "", b.tool_index);
    start.id = StringOr(*block, "id");
    start.name = StringOr(*block, "name");
    out.push_back(std::move(start));
    auto input = block->find("input");
    if (input != block->end() && input->is_object() && !input->empty()) {
      out.push_back(Text(Kind::kToolCallDelta, input->dump(), b.tool_index));
    }
  } else {
    b.kind = BlockKind::kOther;
  }
  return Result::kContinue;
}

StreamDecoder::Result StreamDecoder::OnBlockDelta(const nlohmann::json& event,
                                                  std::vector<StreamEvent>& out) {
  int64_t index = 0;
  auto delta = event.find("delta");
  if (!GetIndex(event, index) || delta == event.end() || !delta->is_object()) {
    return Malformed("content_block_delta: expected an index and a delta object");
  }
  auto it = blocks_.find(index);
  if (it == blocks_.end()) {
    return Malformed("content_block_delta: block " + std::to_string(index) + " was not started");
  }
  const Block& b = it->second;
  const std::string type = StringOr(*delta, "type");
  using Kind = StreamEvent::Kind;
  struct Rule {
    const char* delta_type;
    const char* field;
    BlockKind block;
    Kind kind;
  };
  static constexpr Rule kRules[] = {
      {"text_delta", "text", BlockKind::kText, Kind::kTextDelta},
      {"thinking_delta", "thinking", BlockKind::kThinking, Kind::kThinkingDelta},
      {"signature_delta", "signature", BlockKind::kThinking, Kind::kSignature},
      {"input_json_delta", "partial_json", BlockKind::kToolUse, Kind::kToolCallDelta},
  };
  if (b.kind == BlockKind::kOther) return Result::kContinue;  // e.g. a server tool's input
  for (const Rule& rule : kRules) {
    if (type != rule.delta_type) continue;
    std::string text;
    if (b.kind != rule.block || !GetString(*delta, rule.field, text)) {
      return Malformed("content_block_delta: unexpected " + type + " for block " +
                       std::to_string(index));
    }
    if (!text.empty()) out.push_back(Text(rule.kind, std::move(text), b.tool_index));
    return Result::kContinue;
  }
  return Result::kContinue;  // citations_delta and newer delta types
}

// stop_reason -> kFinish; the usage counts (cumulative; newer API versions repeat the input and
// cache counts here) override message_start's -> kUsage with the merged counts.
StreamDecoder::Result StreamDecoder::OnMessageDelta(const nlohmann::json& event,
                                                    std::vector<StreamEvent>& out) {
  auto delta = event.find("delta");
  std::string stop_reason;
  if (delta != event.end() && delta->is_object() && GetString(*delta, "stop_reason", stop_reason)) {
    StreamEvent finish;
    finish.kind = StreamEvent::Kind::kFinish;
    finish.finish_reason = std::string(FinishReasonOf(stop_reason));
    finish.native_finish_reason = stop_reason;
    out.push_back(std::move(finish));
  }
  auto usage = event.find("usage");
  if (usage == event.end() || !usage->is_object()) return Result::kContinue;
  for (auto it = usage->begin(); it != usage->end(); ++it) {
    if (!it->is_null()) usage_[it.key()] = *it;
  }
  StreamEvent e;
  e.kind = StreamEvent::Kind::kUsage;
  e.usage = UsageFromAnthropic(usage_);
  out.push_back(std::move(e));
  return Result::kContinue;
}

// {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}} -> kError with the
// HTTP status the type stands for, and error_type() / error_message() / error_raw().
StreamDecoder::Result StreamDecoder::OnError(const nlohmann::json& event, std::string_view data,
                                             std::vector<StreamEvent>& out) {
  error_raw_ = std::string(data);
  auto error = event.find("error");
  if (error != event.end() && error->is_object()) {
    error_type_ = StringOr(*error, "type");
    error_message_ = StringOr(*error, "message");
  }
  if (error_message_.empty()) error_message_ = "upstream stream error";
  StreamEvent e = Text(StreamEvent::Kind::kError, error_message_);
  e.status = StatusOf(error_type_);
  out.push_back(std::move(e));
  return Result::kError;
}

}  // namespace gw::dialects::anthropic

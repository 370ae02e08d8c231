// DecodeResponse / StreamDecoder: the answers of a Responses-native upstream (a whole object, or
// its event stream) into the IR. The contracts are in responses_codec.h.
#include <tuple>
#include <utility>

#include "dialects/openai_chat/chat_internal.h"
#include "dialects/openai_responses/responses_codec.h"

namespace gw::dialects::openai_responses {
namespace {

using nlohmann::json;
using openai_chat::internal::At;
using openai_chat::internal::Errors;
using openai_chat::internal::Find;
using openai_chat::internal::Join;
using openai_chat::internal::MakePart;
using openai_chat::internal::ReadInt;
using openai_chat::internal::ReadString;

// `object[key]` when it is a string, else "".
std::string StringOf(const json& object, const char* key) {
  const json* value = Find(object, key);
  return value != nullptr && value->is_string() ? value->get<std::string>() : std::string();
}

// The `text` members of the objects in array `object[key]`, joined with "\n\n".
std::string JoinedTexts(const json& object, const char* key) {
  std::string joined;
  const json* entries = Find(object, key);
  if (entries == nullptr || !entries->is_array()) return joined;
  for (const json& entry : *entries) {
    const std::string text = StringOf(entry, "text");
    if (text.empty()) continue;
    if (!joined.empty()) joined += "\n\n";
    joined += text;
  }
  return joined;
}

// A reasoning item as DecodeRequest reads it; nothing when it carries neither text nor data.
void AppendReasoning(const json& item, std::vector<Part>& out) {
  std::string text = JoinedTexts(item, "summary");
  if (text.empty()) text = JoinedTexts(item, "content");
  std::string encrypted = StringOf(item, "encrypted_content");
  if (!text.empty()) {
    out.push_back(MakePart(Part::Kind::kThinking, std::move(text)));
    out.back().signature = std::move(encrypted);
  } else if (!encrypted.empty()) {
    out.push_back(MakePart(Part::Kind::kRedactedThinking, std::move(encrypted)));
  }
}

// The normalized finish reason and the native one of a response object.
std::pair<std::string, std::string> FinishOf(const json& response, bool called) {
  const std::string status = StringOf(response, "status");
  if (status == "completed") return {called ? "tool_calls" : "stop", status};
  if (status == "incomplete") {
    const json* details = Find(response, "incomplete_details");
    const std::string reason = details != nullptr ? StringOf(*details, "reason") : "";
    return {reason == "content_filter" ? "content_filter" : "length",
            reason.empty() ? status : reason};
  }
  if (status == "failed" || status == "cancelled") return {"error", status};
  return {"", status};
}

bool DecodeUsage(const json& usage, TokenUsage& out, json& extra, Errors& errors) {
  if (!usage.is_object()) return errors.Fail("usage", "expected an object");
  out = TokenUsage{};
  ReadInt(usage, "input_tokens", "usage", out.prompt_tokens, errors);
  ReadInt(usage, "output_tokens", "usage", out.completion_tokens, errors);
  if (!ReadInt(usage, "total_tokens", "usage", out.total_tokens, errors)) {
    out.total_tokens = AddCounts(out.prompt_tokens, out.completion_tokens);
  }
  if (const json* details = Find(usage, "input_tokens_details")) {
    ReadInt(*details, "cached_tokens", "usage.input_tokens_details", out.cached_tokens, errors);
  }
  if (const json* details = Find(usage, "output_tokens_details")) {
    ReadInt(*details, "reasoning_tokens", "usage.output_tokens_details", out.reasoning_tokens,
            errors);
  }
  // Counts are never negative (as the chat decoder requires).
  const std::pair<int64_t, const char*> counts[] = {
      {out.prompt_tokens, "usage.input_tokens"},
      {out.completion_tokens, "usage.output_tokens"},
      {out.total_tokens, "usage.total_tokens"},
      {out.cached_tokens, "usage.input_tokens_details.cached_tokens"},
      {out.reasoning_tokens, "usage.output_tokens_details.reasoning_tokens"}};
  for (const auto& [count, name] : counts) {
    if (count < 0) return errors.Fail(name, "expected a non-negative integer");
  }
  extra = nullptr;
  for (const auto& [key, value] : usage.items()) {
    if (key == "input_tokens" || key == "output_tokens" || key == "total_tokens" ||
        key == "input_tokens_details" || key == "output_tokens_details") {
      continue;
    }
    extra[key] = value;
  }
  return errors.ok();
}

bool DecodeItem(const json& item, const std::string& path, std::vector<Part>& out, Errors& errors) {
  if (!item.is_object()) return errors.Fail(path, "expected an object");
  const std::string type = StringOf(item, "type");
  if (type == "reasoning") {
    AppendReasoning(item, out);
  } else if (type == "function_call") {
    Part call = MakePart(Part::Kind::kToolCall);
    ReadString(item, "call_id", path, call.id, errors);
    ReadString(item, "name", path, call.name, errors);
    ReadString(item, "arguments", path, call.arguments, errors);
    if (call.arguments.empty()) call.arguments = "{}";
    out.push_back(std::move(call));
  } else if (type == "message") {
    const json* content = Find(item, "content");
    if (content == nullptr || !content->is_array()) {
      return errors.Fail(Join(path, "content"), "expected an array");
    }
    for (const json& part : *content) {
      std::string text = StringOf(part, "text");
      if (text.empty()) text = StringOf(part, "refusal");
      if (!text.empty()) out.push_back(MakePart(Part::Kind::kText, std::move(text)));
    }
  }
  return errors.ok();
}

StreamEvent EventOf(StreamEvent::Kind kind, std::string text = "", int index = 0) {
  StreamEvent event;
  event.kind = kind;
  event.text = std::move(text);
  event.index = index;
  return event;
}

int64_t OutputIndexOf(const json& event) {
  const json* index = Find(event, "output_index");
  return index != nullptr && index->is_number_integer() ? index->get<int64_t>() : -1;
}

}  // namespace

std::string DecodeResponse(const json& body, Response& out) {
  out = Response{};
  if (!body.is_object()) return "body: expected an object";
  Errors errors;
  ReadString(body, "id", "", out.id, errors);
  ReadString(body, "model", "", out.model, errors);
  const json* output = Find(body, "output");
  if (output == nullptr || !output->is_array()) {
    return errors.ok() ? "output: expected an array" : errors.message();
  }
  bool called = false;
  for (size_t i = 0; i < output->size() && errors.ok(); ++i) {
    called = called || StringOf((*output)[i], "type") == "function_call";
    DecodeItem((*output)[i], At("output", i), out.content, errors);
  }
  if (!errors.ok()) return errors.message();
  std::tie(out.finish_reason, out.native_finish_reason) = FinishOf(body, called);
  if (const json* usage = Find(body, "usage")) {
    TokenUsage decoded;
    if (!DecodeUsage(*usage, decoded, out.usage_extra, errors)) return errors.message();
    out.usage = decoded;
  }
  return "";
}

StreamDecoder::Result StreamDecoder::Malformed(std::string message) {
  error_message_ = std::move(message);
  return Result::kMalformed;
}

StreamDecoder::Result StreamDecoder::Decode(std::string_view data, std::vector<StreamEvent>& out) {
  const json event = json::parse(data, nullptr, /*allow_exceptions=*/false);
  if (event.is_discarded() || !event.is_object()) {
    return Malformed("stream event: data is not a JSON object");
  }
  const std::string type = StringOf(event, "type");
  if (type == "error") return OnError(event, out);
  if (type == "response.created") {
    if (started_) return Result::kContinue;
    started_ = true;
    const json* response = Find(event, "response");
    StreamEvent start = EventOf(StreamEvent::Kind::kStart);
    if (response != nullptr) {
      start.id = StringOf(*response, "id");
      start.model = StringOf(*response, "model");
    }
    out.push_back(std::move(start));
    return Result::kContinue;
  }
  if (type.rfind("response.", 0) != 0) return Result::kContinue;  // unknown families
  if (!started_) return Malformed(type + " before response.created");
  const int64_t output_index = OutputIndexOf(event);
  const std::string delta = StringOf(event, "delta");
  if (type == "response.output_text.delta" || type == "response.refusal.delta") {
    if (!delta.empty()) out.push_back(EventOf(StreamEvent::Kind::kTextDelta, delta));
  } else if (type == "response.reasoning_summary_text.delta" ||
             type == "response.reasoning_text.delta") {
    if (!delta.empty()) out.push_back(EventOf(StreamEvent::Kind::kThinkingDelta, delta));
    reasoning_text_[output_index] = reasoning_text_[output_index] || !delta.empty();
  } else if (type == "response.reasoning_summary_part.added") {
    const json* summary_index = Find(event, "summary_index");
    if (summary_index != nullptr && summary_index->is_number_integer() &&
        summary_index->get<int64_t>() > 0) {
      out.push_back(EventOf(StreamEvent::Kind::kThinkingDelta, "\n\n"));
    }
  } else if (type == "response.output_item.added") {
    return OnItemAdded(event, out);
  } else if (type == "response.function_call_arguments.delta" ||
             type == "response.function_call_arguments.done") {
    auto call = calls_.find(output_index);
    if (call == calls_.end()) return Result::kContinue;
    const bool done = type == "response.function_call_arguments.done";
    const std::string arguments = done ? StringOf(event, "arguments") : delta;
    if (arguments.empty() || (done && call->second.got_arguments)) return Result::kContinue;
    call->second.got_arguments = true;
    out.push_back(EventOf(StreamEvent::Kind::kToolCallDelta, arguments, call->second.index));
  } else if (type == "response.output_item.done") {
    return OnItemDone(event, out);
  } else if (type == "response.completed" || type == "response.incomplete") {
    return OnEnd(event, out);
  } else if (type == "response.failed") {
    const json* response = Find(event, "response");
    const json* error = response != nullptr ? Find(*response, "error") : nullptr;
    return OnError(error != nullptr ? *error : json::object(), out);
  }
  return Result::kContinue;
}

StreamDecoder::Result StreamDecoder::OnItemAdded(const json& event, std::vector<StreamEvent>& out) {
  const json* item = Find(event, "item");
  if (item == nullptr || StringOf(*item, "type") != "function_call") return Result::kContinue;
  const int64_t output_index = OutputIndexOf(event);
  if (calls_.contains(output_index)) {
    return Malformed("response.output_item.added for output index " + std::to_string(output_index) +
                     " twice");
  }
  const int index = static_cast<int>(calls_.size());
  Call& call = calls_[output_index];
  call.index = index;
  saw_call_ = true;
  StreamEvent start = EventOf(StreamEvent::Kind::kToolCallStart, "", call.index);
  start.id = StringOf(*item, "call_id");
  start.name = StringOf(*item, "name");
  out.push_back(std::move(start));
  const std::string arguments = StringOf(*item, "arguments");
  if (!arguments.empty()) {
    call.got_arguments = true;
    out.push_back(EventOf(StreamEvent::Kind::kToolCallDelta, arguments, call.index));
  }
  return Result::kContinue;
}

// A reasoning item's encrypted_content is known only when the item is done: the signature of
// its text, or, with no text, a redacted thinking of its own.
StreamDecoder::Result StreamDecoder::OnItemDone(const json& event, std::vector<StreamEvent>& out) {
  const json* item = Find(event, "item");
  if (item == nullptr || StringOf(*item, "type") != "reasoning") return Result::kContinue;
  std::string encrypted = StringOf(*item, "encrypted_content");
  if (encrypted.empty()) return Result::kContinue;
  const bool had_text = reasoning_text_[OutputIndexOf(event)];
  out.push_back(
      EventOf(had_text ? StreamEvent::Kind::kSignature : StreamEvent::Kind::kRedactedThinking,
              std::move(encrypted)));
  return Result::kContinue;
}

StreamDecoder::Result StreamDecoder::OnEnd(const json& event, std::vector<StreamEvent>& out) {
  const json* response = Find(event, "response");
  if (response == nullptr) return Malformed(StringOf(event, "type") + ": response: required");
  StreamEvent finish = EventOf(StreamEvent::Kind::kFinish);
  std::tie(finish.finish_reason, finish.native_finish_reason) = FinishOf(*response, saw_call_);
  out.push_back(std::move(finish));
  if (const json* usage = Find(*response, "usage")) {
    StreamEvent event_usage = EventOf(StreamEvent::Kind::kUsage);
    Errors errors;
    TokenUsage decoded;
    if (!DecodeUsage(*usage, decoded, event_usage.usage_extra, errors)) {
      return Malformed(errors.message());
    }
    event_usage.usage = decoded;
    out.push_back(std::move(event_usage));
  }
  return Result::kDone;
}

// {"code":"rate_limit_exceeded","message":...} -> kError with status 429; other codes 502.
StreamDecoder::Result StreamDecoder::OnError(const json& error, std::vector<StreamEvent>& out) {
  error_message_ = StringOf(error, "message");
  if (error_message_.empty()) error_message_ = "upstream stream error";
  StreamEvent event = EventOf(StreamEvent::Kind::kError, error_message_);
  event.status = StringOf(error, "code") == "rate_limit_exceeded" ? 429 : 502;
  out.push_back(std::move(event));
  return Result::kError;
}

}  // namespace gw::dialects::openai_responses

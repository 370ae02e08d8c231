#include "providers/anthropic/anthropic_facts.h"

#include "base/json/json_writer.h"
#include "dialects/dialect.h"

namespace gw::providers::anthropic {
namespace {

// Generated text is kept as escaped JSON string contents (CompletionFacts::completion_text).
void AddGenerated(std::string_view text, CompletionFacts& facts) {
  if (text.empty()) return;
  facts.completion_chars += static_cast<int64_t>(text.size());
  const size_t mark = facts.completion_text.size();
  json::AppendJsonString(facts.completion_text, text);
  facts.completion_text.erase(mark, 1);  // the opening quote
  facts.completion_text.pop_back();      // the closing quote
}

// The `type` of an event payload, or "" when it has none.
std::string_view TypeOf(const std::vector<json::Member>& members) {
  const json::Member* type = json::FindMember(members, "type");
  if (type == nullptr || type->kind != json::ValueKind::kString) return {};
  return json::StringContents(type->value);
}

}  // namespace

namespace {

// The unescaped text of a string member, or "".
std::string StringOf(const json::Member* member) {
  if (member == nullptr || member->kind != json::ValueKind::kString) return {};
  return json::UnescapeString(json::StringContents(member->value)).value_or(std::string());
}

// Merges the non-null counts of an Anthropic usage object into `into`.
void MergeUsage(std::string_view usage_object, nlohmann::json& into) {
  const nlohmann::json usage = nlohmann::json::parse(usage_object, nullptr, false);
  if (!usage.is_object()) return;
  if (!into.is_object()) into = nlohmann::json::object();
  for (const auto& [key, value] : usage.items()) {
    if (!value.is_null()) into[key] = value;
  }
}

void SetStopReason(const json::Member* stop_reason, CompletionFacts& facts) {
  const std::string native = StringOf(stop_reason);
  if (native.empty()) return;
  facts.finish_reason = std::string(dialects::anthropic::FinishReasonOf(native));
  facts.native_finish_reason = native;
}

}  // namespace

void AddPassthroughFacts(const std::vector<json::Member>& body, CompletionFacts& facts) {
  SetStopReason(json::FindMember(body, "stop_reason"), facts);
  const json::Member* usage = json::FindMember(body, "usage");
  if (usage != nullptr && usage->kind == json::ValueKind::kObject) {
    nlohmann::json merged;
    MergeUsage(usage->value, merged);
    facts.usage = dialects::anthropic::UsageFromAnthropic(merged);
    return;
  }
  const json::Member* content = json::FindMember(body, "content");
  if (content == nullptr || content->kind != json::ValueKind::kArray) return;
  std::vector<json::Element> blocks;
  json::ArrayElements(content->value, blocks);
  std::vector<json::Member> fields;
  for (const json::Element& block : blocks) {
    json::ObjectMembers(block.value, fields);
    for (std::string_view key : {"text", "thinking"}) {
      AddGenerated(StringOf(json::FindMember(fields, key)), facts);
    }
    if (const json::Member* input = json::FindMember(fields, "input")) {
      AddGenerated(input->value, facts);
    }
  }
}

void PassthroughTranslator::AddUsage(std::string_view usage_object) {
  MergeUsage(usage_object, usage_);
  facts_.usage = dialects::anthropic::UsageFromAnthropic(usage_);
}

// A content_block_delta's generated text, for an estimate when no usage comes.
void PassthroughTranslator::AddDelta(std::string_view delta_object) {
  json::ObjectMembers(delta_object, inner_);
  for (std::string_view key : {"text", "thinking", "partial_json"}) {
    AddGenerated(StringOf(json::FindMember(inner_, key)), facts_);
  }
}

EventTranslator::Outcome PassthroughTranslator::Translate(std::string_view payload,
                                                          std::string& out) {
  if (std::optional<json::ScanError> error = json::ScanObject(payload, members_)) {
    error_message_ = "upstream sent invalid JSON in a stream event at byte " +
                     std::to_string(error->offset) + ": " + error->message;
    return Outcome::kMalformed;
  }
  const std::string_view type = TypeOf(members_);
  if (type == "error") {
    const json::Member* error = json::FindMember(members_, "error");
    if (error != nullptr && error->kind == json::ValueKind::kObject) {
      json::ObjectMembers(error->value, inner_);
      error_message_ = StringOf(json::FindMember(inner_, "message"));
    }
    if (error_message_.empty()) error_message_ = "the provider sent an error event";
    error_raw_ = std::string(payload);
    return Outcome::kUpstreamError;
  }
  if (type == "message_stop") {
    saw_done_ = true;
    out += dialects::kMessageStopEvent;
    return Outcome::kDone;
  }
  if (type == "content_block_delta") {
    if (const json::Member* delta = json::FindMember(members_, "delta")) AddDelta(delta->value);
  } else if (type == "message_delta") {
    if (const json::Member* usage = json::FindMember(members_, "usage")) AddUsage(usage->value);
    if (const json::Member* delta = json::FindMember(members_, "delta")) {
      json::ObjectMembers(delta->value, inner_);
      SetStopReason(json::FindMember(inner_, "stop_reason"), facts_);
    }
  } else if (type == "message_start") {
    if (const json::Member* message = json::FindMember(members_, "message")) {
      json::ObjectMembers(message->value, inner_);
      if (const json::Member* usage = json::FindMember(inner_, "usage")) AddUsage(usage->value);
    }
  }
  out += "event: ";
  out += type;
  out += "\ndata: ";
  out += payload;
  out += "\n\n";
  return Outcome::kContinue;
}

EventTranslator::Outcome ToChatTranslator::Translate(std::string_view payload, std::string& out) {
  std::vector<json::Member> members;
  if (json::ScanObject(payload, members)) {
    error_message_ = "upstream sent invalid JSON in a stream event";
    return Outcome::kMalformed;
  }
  events_.clear();
  using Result = dialects::anthropic::StreamDecoder::Result;
  const Result result = decoder_.Decode(TypeOf(members), payload, events_);
  if (result == Result::kError) {
    error_message_ = decoder_.error_message();
    error_raw_ = std::string(payload);
    return Outcome::kUpstreamError;
  }
  if (result == Result::kMalformed) {
    error_message_ = decoder_.error_message();
    return Outcome::kMalformed;
  }
  for (const dialects::StreamEvent& event : events_) encoder_.Encode(event, encoded_);
  if (result == Result::kDone) encoder_.Finish(encoded_);
  return Relay(out);
}

EventTranslator::Outcome ToChatTranslator::Relay(std::string& out) {
  constexpr std::string_view kData = "data: ";
  Outcome outcome = Outcome::kContinue;
  size_t at = 0;
  while (at < encoded_.size()) {
    const size_t end = encoded_.find("\n\n", at);
    if (end == std::string::npos) break;
    std::string_view event(encoded_.data() + at, end - at);
    at = end + 2;
    if (!event.starts_with(kData)) continue;
    event.remove_prefix(kData.size());
    const Outcome result = chat_.Translate(event, out);
    if (result != Outcome::kContinue) outcome = result;
    if (result == Outcome::kMalformed || result == Outcome::kUpstreamError) {
      error_message_ = chat_.error_message();
      break;
    }
  }
  encoded_.erase(0, at);
  return outcome;
}

}  // namespace gw::providers::anthropic

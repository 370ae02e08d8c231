#include "providers/anthropic/anthropic_facts.h"

#include "base/json/json_writer.h"
#include "dialects/dialect.h"

namespace gw::providers::anthropic {
namespace {

using dialects::StreamEvent;

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

void AddFacts(const StreamEvent& event, CompletionFacts& facts) {
  switch (event.kind) {
    case StreamEvent::Kind::kTextDelta:
    case StreamEvent::Kind::kThinkingDelta:
    case StreamEvent::Kind::kToolCallDelta:
      AddGenerated(event.text, facts);
      return;
    case StreamEvent::Kind::kFinish:
      facts.finish_reason = event.finish_reason;
      facts.native_finish_reason = event.native_finish_reason;
      return;
    case StreamEvent::Kind::kUsage:
      if (event.usage) facts.usage = event.usage;
      return;
    default:
      return;
  }
}

void AddFacts(const dialects::Response& response, CompletionFacts& facts) {
  for (const dialects::Part& part : response.content) {
    AddGenerated(part.kind == dialects::Part::Kind::kToolCall ? part.arguments : part.text, facts);
  }
  facts.finish_reason = response.finish_reason;
  facts.native_finish_reason = response.native_finish_reason;
  facts.usage = response.usage;
}

EventTranslator::Outcome PassthroughTranslator::Translate(std::string_view payload,
                                                          std::string& out) {
  if (std::optional<json::ScanError> error = json::ScanObject(payload, members_)) {
    error_message_ = "upstream sent invalid JSON in a stream event at byte " +
                     std::to_string(error->offset) + ": " + error->message;
    return Outcome::kMalformed;
  }
  const std::string_view type = TypeOf(members_);
  events_.clear();
  using Result = dialects::anthropic::StreamDecoder::Result;
  const Result result = decoder_.Decode(type, payload, events_);
  for (const StreamEvent& event : events_) AddFacts(event, facts_);
  if (result == Result::kError) {
    error_message_ = decoder_.error_message();
    error_raw_ = std::string(payload);
    return Outcome::kUpstreamError;
  }
  if (result == Result::kMalformed) {
    error_message_ = decoder_.error_message();
    return Outcome::kMalformed;
  }
  if (result == Result::kDone) {
    saw_done_ = true;
    out += dialects::kMessageStopEvent;
    return Outcome::kDone;
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
  for (const StreamEvent& event : events_) encoder_.Encode(event, encoded_);
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

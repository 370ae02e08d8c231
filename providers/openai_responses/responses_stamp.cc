#include "providers/openai_responses/responses_stamp.h"

namespace gw::providers::openai_responses {
namespace {

using nlohmann::json;
// The rewritten objects keep the upstream's member order.
using ojson = nlohmann::ordered_json;
namespace codec = dialects::openai_responses;

template <typename Json>
std::string Dump(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// Appends `text` as escaped JSON string contents (the form CompletionFacts keeps).
void AddGenerated(std::string_view text, CompletionFacts& facts) {
  if (text.empty()) return;
  const std::string quoted = Dump(json(text));
  facts.completion_text.append(quoted, 1, quoted.size() - 2);
  facts.completion_chars += static_cast<int64_t>(text.size());
}

// A usage object in the Responses shape, for counts the gateway estimated.
ojson ResponsesUsage(const TokenUsage& usage) {
  return {{"input_tokens", usage.prompt_tokens},
          {"input_tokens_details", {{"cached_tokens", usage.cached_tokens}}},
          {"output_tokens", usage.completion_tokens},
          {"output_tokens_details", {{"reasoning_tokens", usage.reasoning_tokens}}},
          {"total_tokens", usage.prompt_tokens + usage.completion_tokens}};
}

// Adds the meter's cost members to `usage` (an object). With no reported usage, estimates it
// (facts.usage, usage_estimated) and sets `usage` to the estimate first.
void PriceUsage(const ResponseStamp& stamp, CompletionFacts& facts, ojson& usage) {
  if (stamp.usage_meter == nullptr) return;
  if (!facts.usage) {
    facts.usage = stamp.usage_meter->Estimate(facts);
    facts.usage_estimated = true;
    usage = ResponsesUsage(*facts.usage);
  }
  std::string members = "{";
  stamp.usage_meter->AppendCostMembers(*facts.usage, facts, members);
  members += '}';
  const ojson cost = ojson::parse(members, nullptr, false);
  if (!cost.is_object() || !usage.is_object()) return;
  for (const auto& [key, value] : cost.items()) usage[key] = value;
}

// Stamps a response object and, for a final one, prices its usage.
void StampObject(const ResponseStamp& stamp, bool final, CompletionFacts& facts, ojson& response) {
  response["id"] = stamp.id;
  response["model"] = stamp.model;
  if (final) {
    ojson& usage = response["usage"];
    PriceUsage(stamp, facts, usage);
  }
}

// The facts of a decoded whole response: usage, finish reasons and the generated text.
void AddFacts(const dialects::Response& response, CompletionFacts& facts) {
  if (response.usage) facts.usage = response.usage;
  facts.finish_reason = response.finish_reason;
  facts.native_finish_reason = response.native_finish_reason;
  for (const dialects::Part& part : response.content) {
    AddGenerated(part.kind == dialects::Part::Kind::kToolCall ? part.arguments : part.text, facts);
  }
}

}  // namespace

std::optional<std::string> StampWholeResponse(std::string_view body, const ResponseStamp& stamp,
                                              CompletionFacts& facts, std::string* error) {
  json parsed = json::parse(body, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    *error = "upstream returned invalid JSON";
    return std::nullopt;
  }
  dialects::Response response;
  std::string problem = codec::DecodeResponse(parsed, response);
  if (!problem.empty()) {
    *error = "upstream returned an invalid Responses object: " + problem;
    return std::nullopt;
  }
  AddFacts(response, facts);
  ojson rewritten = ojson::parse(body);  // valid: parsed above
  StampObject(stamp, /*final=*/true, facts, rewritten);
  return Dump(rewritten);
}

EventTranslator::Outcome StreamStamper::Translate(std::string_view payload, std::string& out) {
  using Result = codec::StreamDecoder::Result;
  using Kind = dialects::StreamEvent::Kind;
  events_.clear();
  const Result result = decoder_.Decode(payload, events_);
  if (result == Result::kMalformed) {
    error_message_ = decoder_.error_message();
    return Outcome::kMalformed;
  }
  if (result == Result::kError) {
    error_message_ = decoder_.error_message();
    error_raw_ = std::string(payload.substr(0, 4096));
    return Outcome::kUpstreamError;
  }
  for (const dialects::StreamEvent& event : events_) {
    switch (event.kind) {
      case Kind::kTextDelta:
      case Kind::kThinkingDelta:
      case Kind::kToolCallDelta:
        AddGenerated(event.text, facts_);
        break;
      case Kind::kFinish:
        facts_.finish_reason = event.finish_reason;
        facts_.native_finish_reason = event.native_finish_reason;
        break;
      case Kind::kUsage:
        if (event.usage) facts_.usage = event.usage;
        break;
      default:
        break;
    }
  }
  // The decoder accepted it, so it is a JSON object with a string `type`.
  ojson parsed = ojson::parse(payload, nullptr, false);
  const std::string type = parsed.value("type", std::string());
  out += "event: ";
  out += type;
  out += "\ndata: ";
  if (parsed.contains("response") && parsed["response"].is_object()) {
    StampObject(stamp_, result == Result::kDone, facts_, parsed["response"]);
    out += Dump(parsed);
  } else {
    out += payload;
  }
  out += "\n\n";
  if (result == Result::kDone) {
    saw_done_ = true;
    return Outcome::kDone;
  }
  return Outcome::kContinue;
}

}  // namespace gw::providers::openai_responses

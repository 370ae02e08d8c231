// Response splicing: top-level members and choice members are copied as spans of the upstream
// text; only the stamp and finish reasons are written fresh.
#include "providers/openai/openai_response.h"

#include "base/json/json_writer.h"
#include "dialects/finish_reason.h"

namespace gw::providers::openai {
namespace {

using json::Element;
using json::Member;
using json::ValueKind;

void AppendSeparator(std::string& out) {
  if (out.back() != '{') out += ',';
}

void AppendMember(std::string& out, std::string_view raw_key, std::string_view value) {
  AppendSeparator(out);
  out += '"';
  out += raw_key;
  out += "\":";
  out += value;
}

std::string StampMember(std::string_view key, std::string_view value) {
  std::string member = "\"";
  member += key;
  member += "\":";
  json::AppendJsonString(member, value);
  return member;
}

// Adds a generated string value to the facts: its size and its (escaped) text.
void AddGeneratedString(const Member* member, CompletionFacts& facts) {
  if (member == nullptr || member->kind != ValueKind::kString) return;
  const std::string_view contents = json::StringContents(member->value);
  facts.completion_chars += static_cast<int64_t>(json::UnescapedSize(contents));
  facts.completion_text += contents;
}

// The unescaped contents of a validated string value.
std::string Unescaped(std::string_view string_value) {
  return json::UnescapeString(json::StringContents(string_value)).value_or(std::string());
}

}  // namespace

ResponseRewriter::ResponseRewriter(const ResponseStamp& stamp, Mode mode)
    : mode_(mode),
      meter_(stamp.usage_meter),
      id_member_(StampMember("id", stamp.id)),
      model_member_(StampMember("model", stamp.model)),
      provider_member_(StampMember("provider", stamp.provider)) {}

void ResponseRewriter::Append(const std::vector<Member>& members, CompletionFacts& facts,
                              std::string& out) {
  const bool has_id = json::FindMember(members, "id") != nullptr;
  const bool has_model = json::FindMember(members, "model") != nullptr;
  const bool has_provider = json::FindMember(members, "provider") != nullptr;
  auto stamp = [&out](const std::string& member) {
    AppendSeparator(out);
    out += member;
  };
  const Member* usage = nullptr;  // with a meter: written last, priced
  out += '{';
  if (!has_id) stamp(id_member_);
  if (!has_model) stamp(model_member_);
  if (!has_model && !has_provider) stamp(provider_member_);
  for (const Member& member : members) {
    if (json::KeyIs(member.raw_key, "id")) {
      stamp(id_member_);
    } else if (json::KeyIs(member.raw_key, "model")) {
      stamp(model_member_);
      if (!has_provider) stamp(provider_member_);
    } else if (json::KeyIs(member.raw_key, "provider")) {
      stamp(provider_member_);
    } else if (member.kind == ValueKind::kArray && json::KeyIs(member.raw_key, "choices")) {
      AppendSeparator(out);
      out += "\"choices\":";
      AppendChoices(member.value, facts, out);
    } else if (json::KeyIs(member.raw_key, "usage") && meter_ != nullptr &&
               !(member.kind == ValueKind::kNull && mode_ == Mode::kStreamChunk)) {
      usage = &member;
    } else {
      if (json::KeyIs(member.raw_key, "usage") && member.kind == ValueKind::kObject) {
        if (std::optional<TokenUsage> parsed = ParseUsage(member.value)) facts.usage = parsed;
      }
      AppendMember(out, member.raw_key, member.value);
    }
  }
  if (meter_ != nullptr) AppendUsage(usage, facts, out);
  out += '}';
}

// With a meter: a valid usage object is copied with our cost members in place of any upstream
// ones; an invalid one is dropped (counted in usage_malformed). A whole response without valid
// usage gets the estimate; a stream gets it at [DONE] (StreamTranslator).
void ResponseRewriter::AppendUsage(const Member* usage, CompletionFacts& facts, std::string& out) {
  if (usage != nullptr && usage->kind != ValueKind::kNull) {
    std::optional<TokenUsage> parsed;
    if (usage->kind == ValueKind::kObject) {
      parsed = ParseUsage(usage->value);
      // Billing needs both counts from the provider: a usage object without them is malformed.
      json::ObjectMembers(usage->value, usage_);
      for (std::string_view required : {"prompt_tokens", "completion_tokens"}) {
        const Member* count = json::FindMember(usage_, required);
        if (count == nullptr || count->kind != ValueKind::kNumber) parsed.reset();
      }
    }
    if (parsed) {
      facts.usage = parsed;
      facts.usage_estimated = false;
      AppendSeparator(out);
      out += "\"usage\":{";
      for (const Member& member : usage_) {
        if (json::KeyIs(member.raw_key, "cost") || json::KeyIs(member.raw_key, "cost_details") ||
            json::KeyIs(member.raw_key, "estimated")) {
          continue;
        }
        AppendMember(out, member.raw_key, member.value);
      }
      AppendSeparator(out);
      meter_->AppendCostMembers(*parsed, facts, out);
      out += '}';
      return;
    }
    facts.usage_malformed = true;
  }
  if (mode_ != Mode::kResponse || (facts.usage && !facts.usage_estimated)) return;
  facts.usage = meter_->Estimate(facts);
  facts.usage_estimated = true;
  AppendSeparator(out);
  out += "\"usage\":";
  meter_->AppendEstimatedUsage(*facts.usage, facts, out);
}

bool ResponseRewriter::AppendEstimatedUsageChunk(std::string_view object, std::string_view created,
                                                 CompletionFacts& facts, std::string& out) {
  if (meter_ == nullptr || facts.usage) return false;
  facts.usage = meter_->Estimate(facts);
  facts.usage_estimated = true;
  out += '{';
  out += id_member_;
  out += ",\"object\":";
  out += object;
  if (!created.empty()) {
    out += ",\"created\":";
    out += created;
  }
  out += ',';
  out += model_member_;
  out += ',';
  out += provider_member_;
  out += ",\"choices\":[],\"usage\":";
  meter_->AppendEstimatedUsage(*facts.usage, facts, out);
  out += '}';
  return true;
}

void ResponseRewriter::AppendChoices(std::string_view choices_array, CompletionFacts& facts,
                                     std::string& out) {
  json::ArrayElements(choices_array, choices_);
  out += '[';
  for (size_t i = 0; i < choices_.size(); ++i) {
    if (i > 0) out += ',';
    if (choices_[i].kind == ValueKind::kObject) {
      AppendChoice(choices_[i].value, i == 0, facts, out);
    } else {
      out += choices_[i].value;
    }
  }
  out += ']';
}

void ResponseRewriter::AppendChoice(std::string_view choice_object, bool first,
                                    CompletionFacts& facts, std::string& out) {
  json::ObjectMembers(choice_object, choice_);
  const Member* finish = json::FindMember(choice_, "finish_reason");
  const bool finish_is_string = finish != nullptr && finish->kind == ValueKind::kString;
  const bool finish_is_null = finish != nullptr && finish->kind == ValueKind::kNull;
  const bool write_native = finish_is_string || (finish_is_null && mode_ == Mode::kResponse);
  if (finish_is_string && (first || mode_ == Mode::kStreamChunk)) {
    facts.native_finish_reason = Unescaped(finish->value);
    facts.finish_reason = dialects::NormalizeFinishReason(facts.native_finish_reason);
  }
  out += '{';
  for (const Member& member : choice_) {
    if (&member == finish && write_native) {
      AppendSeparator(out);
      out += "\"finish_reason\":";
      if (finish_is_string) {
        out += '"';
        out += dialects::NormalizeFinishReason(Unescaped(finish->value));
        out += '"';
      } else {
        out += "null";
      }
      out += ",\"native_finish_reason\":";
      out += finish->value;
      continue;
    }
    if (write_native && json::KeyIs(member.raw_key, "native_finish_reason")) continue;
    if (member.kind == ValueKind::kObject &&
        (json::KeyIs(member.raw_key, "message") || json::KeyIs(member.raw_key, "delta"))) {
      AddGenerated(member.value, facts);
    } else if (member.kind == ValueKind::kString && json::KeyIs(member.raw_key, "text")) {
      AddGeneratedString(&member, facts);
    }
    AppendMember(out, member.raw_key, member.value);
  }
  out += '}';
}

void ResponseRewriter::AddGenerated(std::string_view message_object, CompletionFacts& facts) {
  json::ObjectMembers(message_object, message_);
  for (std::string_view name : {"content", "refusal", "reasoning", "reasoning_content"}) {
    AddGeneratedString(json::FindMember(message_, name), facts);
  }
  if (const Member* call = json::FindMember(message_, "function_call");
      call != nullptr && call->kind == ValueKind::kObject) {
    AddArguments(call->value, facts);
  }
  const Member* tool_calls = json::FindMember(message_, "tool_calls");
  if (tool_calls == nullptr || tool_calls->kind != ValueKind::kArray) return;
  json::ArrayElements(tool_calls->value, calls_);
  for (const Element& element : calls_) {
    if (element.kind != ValueKind::kObject) continue;
    json::ObjectMembers(element.value, call_);
    const Member* function = json::FindMember(call_, "function");
    if (function != nullptr && function->kind == ValueKind::kObject) {
      AddArguments(function->value, facts);
    }
  }
}

void ResponseRewriter::AddArguments(std::string_view function_object, CompletionFacts& facts) {
  json::ObjectMembers(function_object, function_);
  AddGeneratedString(json::FindMember(function_, "arguments"), facts);
}

std::optional<std::string> RewriteResponse(std::string_view upstream_body,
                                           const ResponseStamp& stamp, CompletionFacts& facts,
                                           std::string* error) {
  facts = CompletionFacts();
  std::vector<Member> members;
  if (std::optional<json::ScanError> scan_error = json::ScanObject(upstream_body, members)) {
    const size_t first = upstream_body.find_first_not_of(" \t\r\n");
    if (first != std::string_view::npos && upstream_body[first] != '{') {
      scan_error = json::Validate(upstream_body);
    }
    if (error != nullptr) {
      *error = scan_error ? "upstream returned invalid JSON at byte " +
                                std::to_string(scan_error->offset) + ": " + scan_error->message
                          : "upstream response is not an object";
    }
    return std::nullopt;
  }
  return RewriteScannedResponse(members, upstream_body.size(), stamp, facts);
}

std::string RewriteScannedResponse(const std::vector<json::Member>& members, size_t body_size,
                                   const ResponseStamp& stamp, CompletionFacts& facts) {
  facts = CompletionFacts();
  std::string out;
  out.reserve(body_size + 256);
  ResponseRewriter(stamp, ResponseRewriter::Mode::kResponse).Append(members, facts, out);
  return out;
}

}  // namespace gw::providers::openai

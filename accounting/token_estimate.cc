#include "accounting/token_estimate.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "base/json/json_scan.h"

namespace gw::accounting {
namespace {

using nlohmann::json;

// OpenAI's rule for its chat models (gpt-3.5-turbo-0613 onwards, gpt-4, gpt-4o).
constexpr int64_t kTokensPerMessage = 3;
constexpr int64_t kTokensPerName = 1;
constexpr int64_t kReplyPrimingTokens = 3;

// The body is walked with the zero-copy scanner (base/json) after one validation pass: no DOM is
// built for the messages, which are most of a prompt. Only the pieces counted as compact JSON
// text (tool definitions, tool_use inputs) go through nlohmann, whose dump() is the text
// counted. Within an object, the first of repeated keys counts.

// The tokens of a string value (0 for any other kind).
int64_t CountString(const tokenizer::Tokenizer& tokenizer, gw::json::ValueKind kind,
                    std::string_view value) {
  if (kind != gw::json::ValueKind::kString) return 0;
  const std::string_view raw = gw::json::StringContents(value);
  if (raw.find('\\') == std::string_view::npos) {
    return static_cast<int64_t>(tokenizer.Count(raw));
  }
  const std::optional<std::string> text = gw::json::UnescapeString(raw);
  return text ? static_cast<int64_t>(tokenizer.Count(*text)) : 0;
}

// The tokens of a value as compact JSON (nlohmann's dump(), keys sorted).
int64_t CountAsCompactJson(const tokenizer::Tokenizer& tokenizer, std::string_view value) {
  const json parsed = json::parse(value, nullptr, /*allow_exceptions=*/false);
  return parsed.is_discarded() ? 0 : static_cast<int64_t>(tokenizer.Count(parsed.dump()));
}

std::vector<gw::json::Member> MembersOf(std::string_view object) {
  std::vector<gw::json::Member> members;
  gw::json::ObjectMembers(object, members);
  return members;
}

std::vector<gw::json::Element> ElementsOf(std::string_view array) {
  std::vector<gw::json::Element> elements;
  gw::json::ArrayElements(array, elements);
  return elements;
}

// A message's content: a string, or parts of which the text parts count; in a Messages body
// also thinking text, tool_use inputs (as JSON text) and tool_result contents.
int64_t CountContent(const tokenizer::Tokenizer& tokenizer, gw::json::ValueKind kind,
                     std::string_view content) {
  if (kind == gw::json::ValueKind::kString) return CountString(tokenizer, kind, content);
  if (kind != gw::json::ValueKind::kArray) return 0;
  int64_t tokens = 0;
  for (const gw::json::Element& part : ElementsOf(content)) {
    if (part.kind != gw::json::ValueKind::kObject) continue;
    const std::vector<gw::json::Member> members = MembersOf(part.value);
    if (const gw::json::Member* text = gw::json::FindMember(members, "text")) {
      tokens += CountString(tokenizer, text->kind, text->value);
    }
    if (const gw::json::Member* thinking = gw::json::FindMember(members, "thinking")) {
      tokens += CountString(tokenizer, thinking->kind, thinking->value);
    }
    if (const gw::json::Member* input = gw::json::FindMember(members, "input");
        input != nullptr && input->kind == gw::json::ValueKind::kObject) {
      tokens += CountAsCompactJson(tokenizer, input->value);
    }
    if (const gw::json::Member* result = gw::json::FindMember(members, "content")) {
      tokens += CountContent(tokenizer, result->kind, result->value);
    }
  }
  return tokens;
}

int64_t CountFunctionCall(const tokenizer::Tokenizer& tokenizer, gw::json::ValueKind kind,
                          std::string_view function) {
  if (kind != gw::json::ValueKind::kObject) return 0;
  const std::vector<gw::json::Member> members = MembersOf(function);
  int64_t tokens = 0;
  if (const gw::json::Member* name = gw::json::FindMember(members, "name")) {
    tokens += CountString(tokenizer, name->kind, name->value);
  }
  if (const gw::json::Member* arguments = gw::json::FindMember(members, "arguments")) {
    tokens += CountString(tokenizer, arguments->kind, arguments->value);
  }
  return tokens;
}

int64_t CountMessage(const tokenizer::Tokenizer& tokenizer, const gw::json::Element& message) {
  if (message.kind != gw::json::ValueKind::kObject) return 0;
  int64_t tokens = kTokensPerMessage;
  const std::vector<gw::json::Member> members = MembersOf(message.value);
  auto counted = [&](std::string_view name) { return gw::json::FindMember(members, name); };
  if (const gw::json::Member* content = counted("content")) {
    tokens += CountContent(tokenizer, content->kind, content->value);
  }
  for (std::string_view name : {"role", "tool_call_id"}) {
    if (const gw::json::Member* value = counted(name)) {
      tokens += CountString(tokenizer, value->kind, value->value);
    }
  }
  if (const gw::json::Member* name = counted("name")) {
    tokens += CountString(tokenizer, name->kind, name->value) + kTokensPerName;
  }
  if (const gw::json::Member* call = counted("function_call")) {
    tokens += CountFunctionCall(tokenizer, call->kind, call->value);
  }
  if (const gw::json::Member* calls = counted("tool_calls");
      calls != nullptr && calls->kind == gw::json::ValueKind::kArray) {
    for (const gw::json::Element& call : ElementsOf(calls->value)) {
      if (call.kind != gw::json::ValueKind::kObject) continue;
      const std::vector<gw::json::Member> call_members = MembersOf(call.value);
      if (const gw::json::Member* function = gw::json::FindMember(call_members, "function")) {
        tokens += CountFunctionCall(tokenizer, function->kind, function->value);
      }
    }
  }
  return tokens;
}

// A chat body, or an Anthropic Messages body (its top-level `system` counts as one message).
int64_t CountChat(const tokenizer::Tokenizer& tokenizer,
                  const std::vector<gw::json::Member>& body) {
  int64_t tokens = 0;
  if (const gw::json::Member* system = gw::json::FindMember(body, "system")) {
    tokens += kTokensPerMessage + CountContent(tokenizer, system->kind, system->value);
  }
  if (const gw::json::Member* messages = gw::json::FindMember(body, "messages");
      messages != nullptr && messages->kind == gw::json::ValueKind::kArray) {
    for (const gw::json::Element& message : ElementsOf(messages->value)) {
      tokens += CountMessage(tokenizer, message);
    }
    tokens += kReplyPrimingTokens;
  }
  for (std::string_view key : {"tools", "functions"}) {
    const gw::json::Member* definitions = gw::json::FindMember(body, key);
    if (definitions != nullptr && definitions->kind == gw::json::ValueKind::kArray &&
        !ElementsOf(definitions->value).empty()) {
      tokens += CountAsCompactJson(tokenizer, definitions->value);
    }
  }
  return tokens;
}

int64_t CountLegacyPrompt(const tokenizer::Tokenizer& tokenizer,
                          const std::vector<gw::json::Member>& body) {
  const gw::json::Member* prompt = gw::json::FindMember(body, "prompt");
  if (prompt == nullptr) return 0;
  if (prompt->kind == gw::json::ValueKind::kString) {
    return CountString(tokenizer, prompt->kind, prompt->value);
  }
  int64_t tokens = 0;
  if (prompt->kind == gw::json::ValueKind::kArray) {
    for (const gw::json::Element& item : ElementsOf(prompt->value)) {
      tokens += CountString(tokenizer, item.kind, item.value);
    }
  }
  return tokens;
}

}  // namespace

int64_t CountPromptTokens(const tokenizer::Tokenizer& tokenizer, std::string_view request_body,
                          bool chat) {
  if (gw::json::Validate(request_body)) {  // not JSON: counted as text
    return static_cast<int64_t>(tokenizer.Count(request_body));
  }
  std::vector<gw::json::Member> body;
  gw::json::ObjectMembers(request_body, body);
  const size_t start = request_body.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos || request_body[start] != '{') {
    return static_cast<int64_t>(tokenizer.Count(request_body));
  }
  return chat ? CountChat(tokenizer, body) : CountLegacyPrompt(tokenizer, body);
}

int64_t CountCompletionTokens(const tokenizer::Tokenizer& tokenizer,
                              std::string_view escaped_text) {
  if (escaped_text.empty()) return 0;
  if (escaped_text.find('\\') == std::string_view::npos) {
    return static_cast<int64_t>(tokenizer.Count(escaped_text));
  }
  std::string quoted;
  quoted.reserve(escaped_text.size() + 2);
  quoted += '"';
  quoted += escaped_text;
  quoted += '"';
  const json text = json::parse(quoted, nullptr, /*allow_exceptions=*/false);
  if (!text.is_string()) return static_cast<int64_t>(tokenizer.Count(escaped_text));
  return static_cast<int64_t>(tokenizer.Count(text.get_ref<const std::string&>()));
}

void FillNormalizedCounts(GenerationRecord& record) {
  if (record.tokens_prompt >= 0 && record.tokens_completion >= 0) return;
  const tokenizer::Tokenizer& tokenizer = tokenizer::Tokenizer::Get(kNormalizedEncoding);
  record.tokens_prompt =
      record.prompt_source.empty()
          ? 0
          : CountPromptTokens(tokenizer, record.prompt_source, record.prompt_is_chat);
  record.tokens_completion = CountCompletionTokens(tokenizer, record.completion_source);
  std::string().swap(record.prompt_source);
  std::string().swap(record.completion_source);
}

}  // namespace gw::accounting

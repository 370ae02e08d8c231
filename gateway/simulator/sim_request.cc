#include "gateway/simulator/sim_request.h"

#include <charconv>
#include <vector>

#include "base/json/json_scan.h"

namespace gw::simulator {
namespace {

using json::ValueKind;

// An integer literal ("12", "-3"); fractions and exponents are rejected like OpenAI does.
std::optional<int64_t> ParseInteger(const json::Member& member) {
  if (member.kind != ValueKind::kNumber) return std::nullopt;
  int64_t value = 0;
  const char* end = member.value.data() + member.value.size();
  auto [ptr, ec] = std::from_chars(member.value.data(), end, value);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

std::string MustBe(std::string_view field, std::string_view what) {
  return std::string(field) + " must be " + std::string(what);
}

uint64_t CeilQuarter(uint64_t bytes) { return (bytes + 3) / 4; }

// Bytes of a message `content`: a string, or an array of parts whose `text` strings count.
// `parts` and `part_fields` are scratch space.
uint64_t ContentBytes(const json::Member& content, std::vector<json::Element>& parts,
                      std::vector<json::Member>& part_fields) {
  if (content.kind == ValueKind::kString) return json::StringContents(content.value).size();
  if (content.kind != ValueKind::kArray) return 0;
  uint64_t bytes = 0;
  json::ArrayElements(content.value, parts);
  for (const json::Element& part : parts) {
    json::ObjectMembers(part.value, part_fields);
    const json::Member* text = json::FindMember(part_fields, "text");
    if (text != nullptr && text->kind == ValueKind::kString) {
      bytes += json::StringContents(text->value).size();
    }
  }
  return bytes;
}

std::string ReadMessages(const json::Member* messages, CompletionRequest* out) {
  if (messages == nullptr) return "messages is required";
  if (messages->kind != ValueKind::kArray) return MustBe("messages", "an array");
  std::vector<json::Element> elements;
  std::vector<json::Element> parts;
  std::vector<json::Member> fields;
  std::vector<json::Member> part_fields;
  json::ArrayElements(messages->value, elements);
  uint64_t bytes = 0;
  for (const json::Element& message : elements) {
    if (message.kind != ValueKind::kObject) return MustBe("messages[]", "objects");
    json::ObjectMembers(message.value, fields);
    const json::Member* content = json::FindMember(fields, "content");
    if (content != nullptr) bytes += ContentBytes(*content, parts, part_fields);
  }
  out->prompt_tokens = CeilQuarter(bytes);
  // `fields` still holds the last message's members.
  if (!elements.empty()) {
    const json::Member* role = json::FindMember(fields, "role");
    out->after_tool_result = role != nullptr && role->kind == ValueKind::kString &&
                             json::StringContents(role->value) == "tool";
  }
  return "";
}

// The value span of member `name` unless absent or null.
std::string_view ValueOf(const std::vector<json::Member>& members, std::string_view name) {
  const json::Member* member = json::FindMember(members, name);
  if (member == nullptr || member->kind == ValueKind::kNull) return {};
  return member->value;
}

// `prompt`: a string, an array of strings, an array of token ids, or an array of such arrays.
// Sets the prompt token estimate and returns the number of prompts (0 on a type error).
uint32_t ReadPrompt(const json::Member* prompt, CompletionRequest* out) {
  if (prompt == nullptr || prompt->kind == ValueKind::kNull) return 1;
  if (prompt->kind == ValueKind::kString) {
    out->prompt_tokens = CeilQuarter(json::StringContents(prompt->value).size());
    return 1;
  }
  if (prompt->kind != ValueKind::kArray) return 0;
  std::vector<json::Element> elements;
  std::vector<json::Element> ids;
  json::ArrayElements(prompt->value, elements);
  uint64_t bytes = 0;
  uint64_t tokens = 0;
  uint32_t prompts = 0;
  for (const json::Element& element : elements) {
    if (element.kind == ValueKind::kString) {
      bytes += json::StringContents(element.value).size();
      ++prompts;
    } else if (element.kind == ValueKind::kNumber) {
      ++tokens;  // one prompt made of token ids
      prompts = 1;
    } else if (element.kind == ValueKind::kArray) {
      json::ArrayElements(element.value, ids);
      tokens += ids.size();
      ++prompts;
    } else {
      return 0;
    }
  }
  out->prompt_tokens = CeilQuarter(bytes) + tokens;
  return prompts == 0 ? 1 : prompts;
}

// max_tokens / max_completion_tokens: a non-negative integer or null; the smaller one wins.
std::string ReadMaxTokens(const std::vector<json::Member>& members, CompletionRequest* out) {
  for (std::string_view field : {"max_tokens", "max_completion_tokens"}) {
    const json::Member* member = json::FindMember(members, field);
    if (member == nullptr || member->kind == ValueKind::kNull) continue;
    std::optional<int64_t> value = ParseInteger(*member);
    if (!value || *value < 0) return MustBe(field, "a non-negative integer");
    const uint32_t limit = *value > UINT32_MAX ? UINT32_MAX : static_cast<uint32_t>(*value);
    if (!out->max_tokens || limit < *out->max_tokens) out->max_tokens = limit;
  }
  return "";
}

std::string ReadStreamFlags(const std::vector<json::Member>& members, CompletionRequest* out) {
  const json::Member* stream = json::FindMember(members, "stream");
  if (stream != nullptr && stream->kind != ValueKind::kNull) {
    if (stream->kind != ValueKind::kTrue && stream->kind != ValueKind::kFalse) {
      return MustBe("stream", "a boolean");
    }
    out->stream = stream->kind == ValueKind::kTrue;
  }
  const json::Member* options = json::FindMember(members, "stream_options");
  if (options == nullptr || options->kind == ValueKind::kNull) return "";
  if (options->kind != ValueKind::kObject) return MustBe("stream_options", "an object");
  std::vector<json::Member> fields;
  json::ObjectMembers(options->value, fields);
  const json::Member* include = json::FindMember(fields, "include_usage");
  out->include_usage = include != nullptr && include->kind == ValueKind::kTrue;
  return "";
}

std::string ReadScalars(const std::vector<json::Member>& members, CompletionRequest* out) {
  const json::Member* seed = json::FindMember(members, "seed");
  if (seed != nullptr && seed->kind != ValueKind::kNull) {
    std::optional<int64_t> value = ParseInteger(*seed);
    if (!value) return MustBe("seed", "an integer");
    out->seed = static_cast<uint64_t>(*value);
  }
  const json::Member* n = json::FindMember(members, "n");
  if (n != nullptr && n->kind != ValueKind::kNull) {
    std::optional<int64_t> value = ParseInteger(*n);
    if (!value || *value < 1 || *value > kMaxChoices) {
      return MustBe("n", "an integer from 1 to " + std::to_string(kMaxChoices));
    }
    out->choices = static_cast<uint32_t>(*value);
  }
  return ReadMaxTokens(members, out);
}

}  // namespace

std::string ParseCompletionRequest(std::string_view body, Api api, CompletionRequest* out) {
  std::vector<json::Member> members;
  if (std::optional<json::ScanError> error = json::ScanObject(body, members)) {
    return "invalid JSON body at byte " + std::to_string(error->offset) + ": " + error->message;
  }
  const json::Member* model = json::FindMember(members, "model");
  if (model == nullptr) return "model is required";
  if (model->kind != ValueKind::kString) return MustBe("model", "a string");
  std::optional<std::string> name = json::UnescapeString(json::StringContents(model->value));
  if (!name) return MustBe("model", "a valid string");
  out->model = std::move(*name);
  std::string error = ReadStreamFlags(members, out);
  if (error.empty()) error = ReadScalars(members, out);
  if (!error.empty()) return error;
  if (api == Api::kChat) {
    out->tools = ValueOf(members, "tools");
    out->tool_choice = ValueOf(members, "tool_choice");
    return ReadMessages(json::FindMember(members, "messages"), out);
  }
  const uint32_t prompts = ReadPrompt(json::FindMember(members, "prompt"), out);
  if (prompts == 0) return MustBe("prompt", "a string, an array of strings or of token ids");
  if (uint64_t{prompts} * out->choices > kMaxChoices) {
    return "n times the number of prompts must be at most " + std::to_string(kMaxChoices);
  }
  out->choices *= prompts;
  return "";
}

}  // namespace gw::simulator

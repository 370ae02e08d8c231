#include "gateway/simulator/sim_responses_api_request.h"

#include <charconv>
#include <vector>

#include "base/json/json_scan.h"

namespace gw::simulator {
namespace {

using json::ValueKind;

std::string MustBe(std::string_view field, std::string_view what) {
  return std::string(field) + " must be " + std::string(what);
}

// Scratch vectors reused while walking the input items.
struct Scratch {
  std::vector<json::Element> parts;
  std::vector<json::Member> part_fields;
};

// Bytes of a string value, or of the `text` strings of an array of parts; 0 for anything else.
uint64_t TextBytes(const json::Member* value, Scratch& scratch) {
  if (value == nullptr) return 0;
  if (value->kind == ValueKind::kString) return json::StringContents(value->value).size();
  if (value->kind != ValueKind::kArray) return 0;
  uint64_t bytes = 0;
  json::ArrayElements(value->value, scratch.parts);
  for (const json::Element& part : scratch.parts) {
    json::ObjectMembers(part.value, scratch.part_fields);  // none when not an object
    const json::Member* text = json::FindMember(scratch.part_fields, "text");
    if (text != nullptr && text->kind == ValueKind::kString) {
      bytes += json::StringContents(text->value).size();
    }
  }
  return bytes;
}

// The contents of member `name` when it is a string, else "".
std::string_view StringMember(const std::vector<json::Member>& members, std::string_view name) {
  const json::Member* member = json::FindMember(members, name);
  if (member == nullptr || member->kind != ValueKind::kString) return {};
  return json::StringContents(member->value);
}

// "input[3]" and an optional suffix (".content").
std::string ItemPath(size_t index, std::string_view suffix = {}) {
  std::string path = "input[";
  path += std::to_string(index);
  path += ']';
  path += suffix;
  return path;
}

// `input`: a string, or an array of item objects. Adds its text bytes to *bytes.
std::string ReadInput(const json::Member* input, uint64_t* bytes, ResponsesApiRequest* out) {
  if (input == nullptr || input->kind == ValueKind::kNull) return "";
  if (input->kind == ValueKind::kString) {
    *bytes += json::StringContents(input->value).size();
    return "";
  }
  if (input->kind != ValueKind::kArray) return MustBe("input", "a string or an array");
  std::vector<json::Element> items;
  std::vector<json::Member> fields;
  Scratch scratch;
  json::ArrayElements(input->value, items);
  for (size_t i = 0; i < items.size(); ++i) {
    if (items[i].kind != ValueKind::kObject) return MustBe(ItemPath(i), "an object");
    json::ObjectMembers(items[i].value, fields);
    const std::string_view type = StringMember(fields, "type");
    if (type == "function_call_output") {
      *bytes += TextBytes(json::FindMember(fields, "output"), scratch);
    } else if (type == "function_call") {
      *bytes += TextBytes(json::FindMember(fields, "arguments"), scratch);
    } else if (type == "reasoning") {
      *bytes += TextBytes(json::FindMember(fields, "summary"), scratch);
    } else if (type.empty() || type == "message") {
      const json::Member* content = json::FindMember(fields, "content");
      if (content != nullptr && content->kind != ValueKind::kString &&
          content->kind != ValueKind::kArray) {
        return MustBe(ItemPath(i, ".content"), "a string or an array");
      }
      *bytes += TextBytes(content, scratch);
    }
    if (i + 1 == items.size()) out->after_tool_result = type == "function_call_output";
  }
  return "";
}

// max_output_tokens: a non-negative integer (fractions and exponents rejected) or null.
std::string ReadMaxOutputTokens(const json::Member* member, ResponsesApiRequest* out) {
  if (member == nullptr || member->kind == ValueKind::kNull) return "";
  int64_t value = 0;
  const char* end = member->value.data() + member->value.size();
  auto [ptr, ec] = std::from_chars(member->value.data(), end, value);
  if (member->kind != ValueKind::kNumber || ec != std::errc() || ptr != end || value < 0) {
    return MustBe("max_output_tokens", "a non-negative integer");
  }
  out->max_output_tokens = value > UINT32_MAX ? UINT32_MAX : static_cast<uint32_t>(value);
  return "";
}

// The value span of member `name` unless absent or null; "" = ok, else the 400 message when the
// value's kind is neither `kind` nor `other_kind`.
std::string ReadSpan(const std::vector<json::Member>& members, std::string_view name,
                     ValueKind kind, ValueKind other_kind, std::string_view what,
                     std::string_view* span) {
  const json::Member* member = json::FindMember(members, name);
  if (member == nullptr || member->kind == ValueKind::kNull) return "";
  if (member->kind != kind && member->kind != other_kind) return MustBe(name, what);
  *span = member->value;
  return "";
}

// `include`: an array; records whether it asks for reasoning.encrypted_content.
std::string ReadInclude(const std::vector<json::Member>& members, ResponsesApiRequest* out) {
  std::string_view include;
  std::string error =
      ReadSpan(members, "include", ValueKind::kArray, ValueKind::kArray, "an array", &include);
  if (!error.empty() || include.empty()) return error;
  std::vector<json::Element> elements;
  json::ArrayElements(include, elements);
  for (const json::Element& element : elements) {
    if (element.kind == ValueKind::kString &&
        json::StringContents(element.value) == "reasoning.encrypted_content") {
      out->include_encrypted_reasoning = true;
    }
  }
  return "";
}

std::string ReadFlags(const std::vector<json::Member>& members, ResponsesApiRequest* out) {
  const json::Member* stream = json::FindMember(members, "stream");
  if (stream != nullptr && stream->kind != ValueKind::kNull) {
    if (stream->kind != ValueKind::kTrue && stream->kind != ValueKind::kFalse) {
      return MustBe("stream", "a boolean");
    }
    out->stream = stream->kind == ValueKind::kTrue;
  }
  std::string error = ReadMaxOutputTokens(json::FindMember(members, "max_output_tokens"), out);
  if (error.empty()) {
    error =
        ReadSpan(members, "tools", ValueKind::kArray, ValueKind::kArray, "an array", &out->tools);
  }
  if (error.empty()) {
    error = ReadSpan(members, "tool_choice", ValueKind::kString, ValueKind::kObject,
                     "a string or an object", &out->tool_choice);
  }
  if (error.empty()) error = ReadInclude(members, out);
  return error;
}

}  // namespace

std::string ParseResponsesApiRequest(std::string_view body, ResponsesApiRequest* out) {
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
  std::string error = ReadFlags(members, out);
  if (!error.empty()) return error;
  uint64_t bytes = 0;
  const json::Member* instructions = json::FindMember(members, "instructions");
  if (instructions != nullptr && instructions->kind != ValueKind::kNull) {
    if (instructions->kind != ValueKind::kString) return MustBe("instructions", "a string");
    bytes += json::StringContents(instructions->value).size();
  }
  error = ReadInput(json::FindMember(members, "input"), &bytes, out);
  if (!error.empty()) return error;
  out->prompt_tokens = (bytes + 3) / 4;
  return "";
}

}  // namespace gw::simulator

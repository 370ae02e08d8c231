#include "gateway/simulator/sim_tools.h"

#include <algorithm>

#include "base/json/json_scan.h"
#include "gateway/simulator/sim_text.h"

namespace gw::simulator {
namespace {

using json::ValueKind;

// The word stream of tool inputs (a choice index no chat request uses).
constexpr uint32_t kToolWords = 0xFFFF'FF00u;

// The contents (still escaped) of member `name` when it is a string, else "".
std::string_view StringMember(const std::vector<json::Member>& members, std::string_view name) {
  const json::Member* member = json::FindMember(members, name);
  if (member == nullptr || member->kind != ValueKind::kString) return {};
  return json::StringContents(member->value);
}

// The first type named by a schema's `type` ("string" or ["string","null"]).
std::string_view SchemaType(const std::vector<json::Member>& schema) {
  const json::Member* type = json::FindMember(schema, "type");
  if (type == nullptr) return {};
  if (type->kind == ValueKind::kString) return json::StringContents(type->value);
  if (type->kind != ValueKind::kArray) return {};
  std::vector<json::Element> types;
  json::ArrayElements(type->value, types);
  for (const json::Element& element : types) {
    if (element.kind == ValueKind::kString) return json::StringContents(element.value);
  }
  return {};
}

// The input object for a JSON schema (an object value span; empty = no schema).
std::string InputFor(std::string_view schema_text, uint64_t seed) {
  std::vector<json::Member> schema;
  json::ObjectMembers(schema_text, schema);
  const json::Member* properties = json::FindMember(schema, "properties");
  if (properties == nullptr || properties->kind != ValueKind::kObject) return "{}";
  std::vector<json::Member> members;
  json::ObjectMembers(properties->value, members);
  TokenGenerator words(seed, kToolWords);
  std::vector<json::Member> property;
  std::vector<json::Element> values;
  std::string out = "{";
  for (const json::Member& member : members) {
    if (out.size() > 1) out += ',';
    out += '"';
    out += member.raw_key;
    out += "\":";
    json::ObjectMembers(member.value, property);  // none when the value is not an object
    const json::Member* enumeration = json::FindMember(property, "enum");
    if (enumeration != nullptr && enumeration->kind == ValueKind::kArray) {
      json::ArrayElements(enumeration->value, values);
      if (!values.empty()) {
        out += values.front().value;
        continue;
      }
    }
    const std::string_view type = SchemaType(property);
    std::string_view word = words.Next();
    if (word.starts_with(' ')) word.remove_prefix(1);
    if (type == "string") {
      out += '"';
      out += word;  // plain ASCII
      out += '"';
    } else if (type == "number" || type == "integer") {
      out += '1';
    } else if (type == "boolean") {
      out += "true";
    } else if (type == "array") {
      out += "[]";
    } else {
      out += "{}";
    }
  }
  out += '}';
  return out;
}

// The tool's name and schema spans, from one element of `tools`.
struct ToolSpec {
  std::string_view name;  // escaped contents
  std::string_view schema;
};

ToolSpec ReadTool(ToolDialect dialect, std::string_view tool_text,
                  std::vector<json::Member>& fields) {
  json::ObjectMembers(tool_text, fields);
  if (dialect == ToolDialect::kOpenAiResponses && StringMember(fields, "type") != "function") {
    return {};  // a built-in tool (web_search, file_search, ...): no name to call
  }
  if (dialect == ToolDialect::kOpenAi) {
    const json::Member* function = json::FindMember(fields, "function");
    if (function != nullptr && function->kind == ValueKind::kObject) {
      json::ObjectMembers(function->value, fields);
    }
  }
  ToolSpec spec;
  spec.name = StringMember(fields, "name");
  const json::Member* schema =
      json::FindMember(fields, dialect == ToolDialect::kAnthropic ? "input_schema" : "parameters");
  if (schema != nullptr && schema->kind == ValueKind::kObject) spec.schema = schema->value;
  return spec;
}

// What tool_choice asks: nullopt = no tool; "" = any tool; else the name (escaped contents).
std::optional<std::string_view> ChosenName(ToolDialect dialect, std::string_view tool_choice) {
  if (tool_choice.empty()) return std::string_view();
  if (tool_choice == "\"none\"") return std::nullopt;  // OpenAI's string form
  std::vector<json::Member> fields;
  json::ObjectMembers(tool_choice, fields);
  const std::string_view type = StringMember(fields, "type");
  if (type == "none") return std::nullopt;
  if (dialect == ToolDialect::kAnthropic) {
    return type == "tool" ? StringMember(fields, "name") : std::string_view();
  }
  if (dialect == ToolDialect::kOpenAiResponses) {
    if (tool_choice.front() == '"') return std::string_view();  // "auto", "required"
    if (type == "function") return StringMember(fields, "name");
    if (type == "allowed_tools") return std::string_view();
    return std::nullopt;  // a built-in tool is forced: the simulator runs none, so no call
  }
  const json::Member* function = json::FindMember(fields, "function");
  if (type != "function" || function == nullptr) return std::string_view();
  json::ObjectMembers(function->value, fields);
  return StringMember(fields, "name");
}

}  // namespace

std::optional<ToolCall> PickToolCall(ToolDialect dialect, std::string_view tools,
                                     std::string_view tool_choice, uint64_t seed) {
  if (tools.empty()) return std::nullopt;
  const std::optional<std::string_view> wanted = ChosenName(dialect, tool_choice);
  if (!wanted) return std::nullopt;
  std::vector<json::Element> elements;
  json::ArrayElements(tools, elements);
  std::vector<json::Member> fields;
  std::optional<ToolSpec> chosen;
  for (const json::Element& element : elements) {
    if (element.kind != ValueKind::kObject) continue;
    const ToolSpec spec = ReadTool(dialect, element.value, fields);
    if (spec.name.empty()) continue;
    if (!chosen) chosen = spec;  // the first named tool, unless tool_choice names another
    if (!wanted->empty() && spec.name == *wanted) {
      chosen = spec;
      break;
    }
  }
  if (!chosen) return std::nullopt;
  return ToolCall{std::string(chosen->name), InputFor(chosen->schema, seed)};
}

std::vector<std::string_view> SplitPieces(std::string_view text, size_t max_bytes) {
  std::vector<std::string_view> pieces;
  while (!text.empty()) {
    size_t size = std::min(max_bytes, text.size());
    // Never end a piece before a UTF-8 continuation byte.
    while (size < text.size() && size > 1 &&
           (static_cast<unsigned char>(text[size]) & 0xC0) == 0x80) {
      --size;
    }
    pieces.push_back(text.substr(0, size));
    text.remove_prefix(size);
  }
  return pieces;
}

}  // namespace gw::simulator

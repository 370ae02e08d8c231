// Messages request body -> IR (DecodeRequest). Every type error names its JSON path; fields the IR
// has no place for are accepted and ignored (the Anthropic passthrough path keeps them).
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "dialects/anthropic/messages_codec.h"

namespace gw::dialects::anthropic {
namespace {

using nlohmann::json;

std::string Join(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}
std::string At(const std::string& path, size_t i) { return path + "[" + std::to_string(i) + "]"; }
std::string Quoted(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out.append(1, '"').append(s).append(1, '"');
  return out;
}

Part TextPart(std::string text) {
  Part part;
  part.text = std::move(text);
  return part;
}

// The member `key` of `obj`, or nullptr when absent or null (optional fields may be sent null).
const json* Member(const json& obj, const char* key) {
  auto it = obj.find(key);
  return it == obj.end() || it->is_null() ? nullptr : &*it;
}

// Reads an optional string member; `required` makes absence an error.
std::string ReadString(const json& obj, const char* key, const std::string& path, std::string& out,
                       bool required = false) {
  const json* v = Member(obj, key);
  if (v == nullptr) return required ? Join(path, key) + ": required" : "";
  if (!v->is_string()) return Join(path, key) + ": expected a string";
  out = v->get<std::string>();
  return "";
}

// Reads an integer that fits int64_t (a float such as 1.5 or 1024.0 is not one).
bool AsInt(const json& v, int64_t& out) {
  if (v.is_number_unsigned()) {
    if (v.get<uint64_t>() > uint64_t(std::numeric_limits<int64_t>::max())) return false;
    out = int64_t(v.get<uint64_t>());
    return true;
  }
  if (!v.is_number_integer()) return false;
  out = v.get<int64_t>();
  return true;
}

std::string ReadCacheControl(const json& block, const std::string& path, json& out) {
  const json* v = Member(block, "cache_control");
  if (v == nullptr) return "";
  if (!v->is_object()) return Join(path, "cache_control") + ": expected an object";
  out = *v;
  return "";
}

// A text block: {type:"text", text, cache_control?}; citations are dropped.
std::string DecodeText(const json& block, const std::string& path, Part& part) {
  part.kind = Part::Kind::kText;
  if (auto e = ReadString(block, "text", path, part.text, true); !e.empty()) return e;
  return ReadCacheControl(block, path, part.cache_control);
}

// An image block: a base64 source becomes a data URL, a url source the URL. A `file` source (a
// Files API id) means nothing outside Anthropic.
std::string DecodeImage(const json& block, const std::string& path, Part& part) {
  part.kind = Part::Kind::kImage;
  const std::string src = Join(path, "source");
  const json* source = Member(block, "source");
  if (source == nullptr) return src + ": required";
  if (!source->is_object()) return src + ": expected an object";
  std::string type;
  if (auto e = ReadString(*source, "type", src, type, true); !e.empty()) return e;
  if (type == "base64") {
    std::string media_type, data;
    if (auto e = ReadString(*source, "media_type", src, media_type, true); !e.empty()) return e;
    if (auto e = ReadString(*source, "data", src, data, true); !e.empty()) return e;
    part.image_url = "data:" + media_type + ";base64," + data;
  } else if (type == "url") {
    if (auto e = ReadString(*source, "url", src, part.image_url, true); !e.empty()) return e;
  } else {
    return Join(src, "type") + ": unsupported image source " + Quoted(type);
  }
  return ReadCacheControl(block, path, part.cache_control);
}

// A document block whose source is plain text (`text`, or `content` as a string or text blocks)
// is read as a text part; a PDF (base64 / url / file source) cannot be translated: a 400.
std::string DecodeDocument(const json& block, const std::string& path, Part& part) {
  part.kind = Part::Kind::kText;
  const std::string src = Join(path, "source");
  const json* source = Member(block, "source");
  if (source == nullptr) return src + ": required";
  if (!source->is_object()) return src + ": expected an object";
  std::string type;
  if (auto e = ReadString(*source, "type", src, type, true); !e.empty()) return e;
  if (type == "text") {
    if (auto e = ReadString(*source, "data", src, part.text, true); !e.empty()) return e;
  } else if (type == "content") {
    const json* content = Member(*source, "content");
    const std::string cpath = Join(src, "content");
    if (content != nullptr && content->is_string()) {
      part.text = content->get<std::string>();
    } else if (content != nullptr && content->is_array()) {
      for (size_t i = 0; i < content->size(); ++i) {
        Part text;
        if (!(*content)[i].is_object()) return At(cpath, i) + ": expected an object";
        if (auto e = DecodeText((*content)[i], At(cpath, i), text); !e.empty()) return e;
        part.text += (i > 0 ? "\n\n" : "") + text.text;
      }
    } else {
      return cpath + ": expected a string or an array";
    }
  } else {
    return Join(src, "type") + ": a " + Quoted(type) +
           " document cannot be sent to this model (only text documents can)";
  }
  return ReadCacheControl(block, path, part.cache_control);
}

std::string DecodeToolUse(const json& block, const std::string& path, Part& part) {
  part.kind = Part::Kind::kToolCall;
  if (auto e = ReadString(block, "id", path, part.id, true); !e.empty()) return e;
  if (auto e = ReadString(block, "name", path, part.name, true); !e.empty()) return e;
  const json* input = Member(block, "input");
  if (input != nullptr && !input->is_object()) return Join(path, "input") + ": expected an object";
  part.arguments = input == nullptr ? "{}" : input->dump();
  return ReadCacheControl(block, path, part.cache_control);
}

// tool_result content: a string, or text and image blocks.
std::string DecodeToolResult(const json& block, const std::string& path, Part& part) {
  part.kind = Part::Kind::kToolResult;
  if (auto e = ReadString(block, "tool_use_id", path, part.id, true); !e.empty()) return e;
  if (const json* is_error = Member(block, "is_error")) {
    if (!is_error->is_boolean()) return Join(path, "is_error") + ": expected a boolean";
    part.is_error = is_error->get<bool>();
  }
  const std::string cpath = Join(path, "content");
  const json* content = Member(block, "content");
  if (content != nullptr && content->is_string()) {
    part.content.push_back(TextPart(content->get<std::string>()));
  } else if (content != nullptr && content->is_array()) {
    for (size_t i = 0; i < content->size(); ++i) {
      const json& item = (*content)[i];
      const std::string ipath = At(cpath, i);
      std::string type;
      if (!item.is_object()) return ipath + ": expected an object";
      if (auto e = ReadString(item, "type", ipath, type, true); !e.empty()) return e;
      Part& sub = part.content.emplace_back();
      std::string e = type == "text"    ? DecodeText(item, ipath, sub)
                      : type == "image" ? DecodeImage(item, ipath, sub)
                                        : Join(ipath, "type") + ": unsupported block type " +
                                              Quoted(type) + " in a tool result";
      if (!e.empty()) return e;
    }
  } else if (content != nullptr) {
    return cpath + ": expected a string or an array";
  }
  return ReadCacheControl(block, path, part.cache_control);
}

std::string DecodeThinking(const json& block, const std::string& path, Part& part) {
  part.kind = Part::Kind::kThinking;
  if (auto e = ReadString(block, "thinking", path, part.text, true); !e.empty()) return e;
  return ReadString(block, "signature", path, part.signature);
}

std::string DecodeRedactedThinking(const json& block, const std::string& path, Part& part) {
  part.kind = Part::Kind::kRedactedThinking;
  return ReadString(block, "data", path, part.text, true);
}

// One content block of a user or assistant message. Server-tool blocks (server_tool_use,
// web_search_tool_result, ...), search results, container uploads and unknown types have no IR
// form: a 400 naming the block.
std::string DecodeBlock(const json& block, const std::string& path, Role role, Part& part) {
  if (!block.is_object()) return path + ": expected an object";
  std::string type;
  if (auto e = ReadString(block, "type", path, type, true); !e.empty()) return e;
  const bool user = role == Role::kUser;
  auto only = [&](const char* who) {
    return Join(path, "type") + ": " + Quoted(type) + " blocks are only allowed in " + who +
           " messages";
  };
  if (type == "text") return DecodeText(block, path, part);
  if (type == "image") return DecodeImage(block, path, part);
  if (type == "document") return DecodeDocument(block, path, part);
  if (type == "tool_use") return user ? only("assistant") : DecodeToolUse(block, path, part);
  if (type == "tool_result") return user ? DecodeToolResult(block, path, part) : only("user");
  if (type == "thinking") return user ? only("assistant") : DecodeThinking(block, path, part);
  if (type == "redacted_thinking") {
    return user ? only("assistant") : DecodeRedactedThinking(block, path, part);
  }
  return Join(path, "type") + ": unknown block type " + Quoted(type);
}

// System text: a string, or an array of text blocks (cache_control kept). Appended to `out`.
std::string DecodeSystemContent(const json& system, const std::string& path,
                                std::vector<Part>& out) {
  if (system.is_string()) {
    if (!system.get_ref<const std::string&>().empty()) {
      out.push_back(TextPart(system.get<std::string>()));
    }
    return "";
  }
  if (!system.is_array()) return path + ": expected a string or an array";
  for (size_t i = 0; i < system.size(); ++i) {
    const std::string ipath = At(path, i);
    if (!system[i].is_object()) return ipath + ": expected an object";
    std::string type;
    if (auto e = ReadString(system[i], "type", ipath, type, true); !e.empty()) return e;
    if (type != "text") return Join(ipath, "type") + ": expected \"text\"";
    if (auto e = DecodeText(system[i], ipath, out.emplace_back()); !e.empty()) return e;
  }
  return "";
}

std::string DecodeSystem(const json& body, Request& out) {
  const json* system = Member(body, "system");
  return system == nullptr ? "" : DecodeSystemContent(*system, "system", out.system);
}

// One message. A `role: "system"` message (Claude Code sends them) is appended to the system
// prompt, where the IR keeps system text.
std::string DecodeMessage(const json& m, const std::string& path, Request& out) {
  if (!m.is_object()) return path + ": expected an object";
  std::string role;
  if (auto e = ReadString(m, "role", path, role, true); !e.empty()) return e;
  const std::string cpath = Join(path, "content");
  const json* content = Member(m, "content");
  if (content == nullptr) return cpath + ": required";
  if (role == "system") return DecodeSystemContent(*content, cpath, out.system);
  if (role != "user" && role != "assistant")
    return Join(path, "role") + ": unknown role " + Quoted(role);
  Message& message = out.messages.emplace_back();
  message.role = role == "user" ? Role::kUser : Role::kAssistant;
  if (content->is_string()) {
    message.parts.push_back(TextPart(content->get<std::string>()));
    return "";
  }
  if (!content->is_array()) return cpath + ": expected a string or an array";
  for (size_t i = 0; i < content->size(); ++i) {
    Part& part = message.parts.emplace_back();
    if (auto e = DecodeBlock((*content)[i], At(cpath, i), message.role, part); !e.empty()) {
      return e;
    }
  }
  return "";
}

std::string DecodeMessages(const json& body, Request& out) {
  const json* messages = Member(body, "messages");
  if (messages == nullptr) return "messages: required";
  if (!messages->is_array()) return "messages: expected an array";
  for (size_t i = 0; i < messages->size(); ++i) {
    if (auto e = DecodeMessage((*messages)[i], At("messages", i), out); !e.empty()) return e;
  }
  return "";
}

// Tools. Only custom tools (no `type`, or "custom") are read: Anthropic's server and client tools
// (web_search_20250305, bash_20250124, text_editor_..., computer_..., code_execution_...) run
// inside Anthropic's API or need its tool contract, which a non-Anthropic endpoint cannot honour.
// They are skipped, never failing the request: the client only offered them. `defer_loading`
// and other tool flags are ignored.
std::string DecodeTool(const json& t, const std::string& path, Request& out) {
  if (!t.is_object()) return path + ": expected an object";
  std::string type;
  if (auto e = ReadString(t, "type", path, type); !e.empty()) return e;
  if (!type.empty() && type != "custom") return "";
  Tool tool;
  if (auto e = ReadString(t, "name", path, tool.name, true); !e.empty()) return e;
  if (auto e = ReadString(t, "description", path, tool.description); !e.empty()) return e;
  if (const json* schema = Member(t, "input_schema")) {
    if (!schema->is_object()) return Join(path, "input_schema") + ": expected an object";
    tool.parameters = *schema;
  }
  if (auto e = ReadCacheControl(t, path, tool.cache_control); !e.empty()) return e;
  out.tools.push_back(std::move(tool));
  return "";
}

std::string DecodeTools(const json& body, Request& out) {
  const json* tools = Member(body, "tools");
  if (tools == nullptr) return "";
  if (!tools->is_array()) return "tools: expected an array";
  for (size_t i = 0; i < tools->size(); ++i) {
    if (auto e = DecodeTool((*tools)[i], At("tools", i), out); !e.empty()) return e;
  }
  return "";
}

std::string DecodeToolChoice(const json& body, Request& out) {
  const json* choice = Member(body, "tool_choice");
  if (choice == nullptr) return "";
  if (!choice->is_object()) return "tool_choice: expected an object";
  std::string type;
  ToolChoice tc;
  if (auto e = ReadString(*choice, "type", "tool_choice", type, true); !e.empty()) return e;
  if (type == "auto") {
    tc.mode = ToolChoice::Mode::kAuto;
  } else if (type == "any") {
    tc.mode = ToolChoice::Mode::kRequired;
  } else if (type == "none") {
    tc.mode = ToolChoice::Mode::kNone;
  } else if (type == "tool") {
    tc.mode = ToolChoice::Mode::kNamed;
    if (auto e = ReadString(*choice, "name", "tool_choice", tc.name, true); !e.empty()) return e;
  } else {
    return "tool_choice.type: unknown type " + Quoted(type);
  }
  if (const json* disable = Member(*choice, "disable_parallel_tool_use")) {
    if (!disable->is_boolean()) {
      return "tool_choice.disable_parallel_tool_use: expected a boolean";
    }
    if (disable->get<bool>()) out.parallel_tool_calls = false;
  }
  out.tool_choice = tc;
  return "";
}

// thinking: "enabled" carries a budget; "adaptive" (the model decides how much to think) has no
// budget: it becomes effort "medium", or output_config.effort when the client sent one (low /
// medium / high; xhigh and max read as high); "disabled" is no reasoning.
std::string DecodeThinkingConfig(const json& body, Request& out) {
  const json* thinking = Member(body, "thinking");
  if (thinking == nullptr) return "";
  if (!thinking->is_object()) return "thinking: expected an object";
  std::string type;
  if (auto e = ReadString(*thinking, "type", "thinking", type, true); !e.empty()) return e;
  if (type == "disabled") return "";
  if (type == "enabled") {
    const json* budget = Member(*thinking, "budget_tokens");
    int64_t n = 0;
    if (budget == nullptr) return "thinking.budget_tokens: required";
    if (!AsInt(*budget, n) || n <= 0) return "thinking.budget_tokens: expected a positive integer";
    out.reasoning.emplace().budget_tokens = n;
    return "";
  }
  if (type != "adaptive") return "thinking.type: unknown type " + Quoted(type);
  std::string effort = "medium";
  const json* config = Member(body, "output_config");
  const json* asked =
      config != nullptr && config->is_object() ? Member(*config, "effort") : nullptr;
  if (asked != nullptr && asked->is_string()) {
    const std::string& e = asked->get_ref<const std::string&>();
    if (e == "low" || e == "medium") effort = e;
    if (e == "high" || e == "xhigh" || e == "max") effort = "high";
  }
  out.reasoning.emplace().effort = effort;
  return "";
}

std::string DecodeMetadata(const json& body, Request& out) {
  const json* metadata = Member(body, "metadata");
  if (metadata == nullptr) return "";
  if (!metadata->is_object()) return "metadata: expected an object";
  return ReadString(*metadata, "user_id", "metadata", out.user);
}

std::string DecodeNumber(const json& body, const char* key, std::optional<double>& out) {
  const json* v = Member(body, key);
  if (v == nullptr) return "";
  if (!v->is_number()) return std::string(key) + ": expected a number";
  out = v->get<double>();
  return "";
}

std::string DecodeSampling(const json& body, Request& out) {
  if (auto e = ReadString(body, "model", "", out.model); !e.empty()) return e;
  const json* max_tokens = Member(body, "max_tokens");
  int64_t n = 0;
  if (max_tokens == nullptr) return "max_tokens: required";
  if (!AsInt(*max_tokens, n) || n <= 0) return "max_tokens: expected a positive integer";
  out.max_tokens = n;
  if (auto e = DecodeNumber(body, "temperature", out.temperature); !e.empty()) return e;
  if (auto e = DecodeNumber(body, "top_p", out.top_p); !e.empty()) return e;
  if (const json* top_k = Member(body, "top_k")) {
    if (!AsInt(*top_k, n) || n < 0) return "top_k: expected a non-negative integer";
    out.top_k = n;
  }
  if (const json* stream = Member(body, "stream")) {
    if (!stream->is_boolean()) return "stream: expected a boolean";
    out.stream = stream->get<bool>();
  }
  const json* stops = Member(body, "stop_sequences");
  if (stops == nullptr) return "";
  if (!stops->is_array()) return "stop_sequences: expected an array";
  for (size_t i = 0; i < stops->size(); ++i) {
    if (!(*stops)[i].is_string()) return At("stop_sequences", i) + ": expected a string";
    out.stop.push_back((*stops)[i].get<std::string>());
  }
  return "";
}

}  // namespace

std::string DecodeRequest(const nlohmann::json& body, Request& out) {
  out = Request{};
  if (!body.is_object()) return "body: expected a JSON object";
  using Step = std::string (*)(const json&, Request&);
  // System before messages: role "system" messages append to the top-level system text.
  for (Step step : {DecodeSampling, DecodeSystem, DecodeMessages, DecodeTools, DecodeToolChoice,
                    DecodeThinkingConfig, DecodeMetadata}) {
    if (std::string e = step(body, out); !e.empty()) return e;
  }
  return "";
}

}  // namespace gw::dialects::anthropic

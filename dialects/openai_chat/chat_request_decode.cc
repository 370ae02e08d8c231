// DecodeRequest: a Chat Completions request body into the IR.
//
// Mapping decisions (documented for docs/dialects.md):
// - system and developer messages become IR system parts, in order, wherever they appear.
// - Consecutive messages of one role merge into one IR message (Anthropic requires alternation);
//   tool messages become kToolResult parts of a user message, placed before that message's other
//   parts (Anthropic wants the results first), so a user message after the results joins them.
// - An assistant message with no content, reasoning or tool calls adds nothing.
// - Assistant reasoning: OpenRouter's reasoning_details when present (it keeps signatures), else
//   `reasoning`, else `reasoning_content`; placed before the text.
// - Tools of a type other than "function" are skipped; legacy `functions` / `function_call` are
//   ignored. Content parts other than text, image_url and (assistant) refusal are rejected.
// - reasoning: OpenRouter's {effort, max_tokens, enabled, exclude} wins over OpenAI's
//   reasoning_effort; effort "xhigh" maps to "high"; `exclude` is ignored.
// - max_completion_tokens wins over max_tokens. Unknown members are ignored.
#include <utility>

#include "dialects/openai_chat/chat_codec.h"
#include "dialects/openai_chat/chat_internal.h"

namespace gw::dialects::openai_chat {
namespace {

using internal::At;
using internal::Errors;
using internal::Find;
using internal::Join;
using internal::ReadBool;
using internal::ReadInt;
using internal::ReadNumber;
using internal::ReadString;
using nlohmann::json;

// What a message's content parts may hold.
enum class ContentKind { kSystem, kUser, kAssistant, kTool };

class RequestDecoder {
 public:
  explicit RequestDecoder(Request& out) : out_(out) {}

  std::string Decode(const json& body);

 private:
  bool DecodeMessages(const json& messages);
  bool DecodeMessage(const json& message, const std::string& path);
  bool DecodeContent(const json& message, const std::string& path, ContentKind kind,
                     std::vector<Part>& out);
  bool DecodeContentPart(const json& part, const std::string& path, ContentKind kind,
                         std::vector<Part>& out);
  bool DecodeImage(const json& part, const std::string& path, Part& out);
  bool DecodeAssistant(const json& message, const std::string& path);
  bool DecodeToolCall(const json& call, const std::string& path, std::vector<Part>& out);
  bool DecodeToolMessage(const json& message, const std::string& path);
  bool DecodeTools(const json& tools);
  bool DecodeToolChoice(const json& choice);
  bool DecodeSampling(const json& body);
  bool DecodeStop(const json& body);
  bool DecodeReasoning(const json& body);
  bool SetEffort(const std::string& effort, const std::string& path);

  void Append(Role role, std::vector<Part> parts);
  void AppendToolResult(Part result);

  Request& out_;
  Errors errors_;
};

std::string RequestDecoder::Decode(const json& body) {
  out_ = Request{};
  if (!body.is_object()) return "body: expected an object";
  ReadString(body, "model", "", out_.model, errors_);
  if (!errors_.ok()) return errors_.message();
  const json* messages = Find(body, "messages");
  if (messages == nullptr) return "messages: required";
  if (DecodeMessages(*messages) && DecodeTools(body) && DecodeSampling(body) && DecodeStop(body) &&
      DecodeReasoning(body)) {
    if (const json* choice = Find(body, "tool_choice")) DecodeToolChoice(*choice);
  }
  return errors_.message();
}

bool RequestDecoder::DecodeMessages(const json& messages) {
  if (!messages.is_array()) return errors_.Fail("messages", "expected an array");
  for (size_t i = 0; i < messages.size(); ++i) {
    if (!DecodeMessage(messages[i], At("messages", i))) return false;
  }
  return true;
}

bool RequestDecoder::DecodeMessage(const json& message, const std::string& path) {
  if (!message.is_object()) return errors_.Fail(path, "expected an object");
  std::string role;
  if (!ReadString(message, "role", path, role, errors_)) {
    return errors_.ok() ? errors_.Fail(Join(path, "role"), "required") : false;
  }
  if (role == "system" || role == "developer") {
    return DecodeContent(message, path, ContentKind::kSystem, out_.system);
  }
  if (role == "user") {
    std::vector<Part> parts;
    if (!DecodeContent(message, path, ContentKind::kUser, parts)) return false;
    Append(Role::kUser, std::move(parts));
    return true;
  }
  if (role == "assistant") return DecodeAssistant(message, path);
  if (role == "tool") return DecodeToolMessage(message, path);
  return errors_.Fail(Join(path, "role"), "unknown role \"" + role + "\"");
}

bool RequestDecoder::DecodeContent(const json& message, const std::string& path, ContentKind kind,
                                   std::vector<Part>& out) {
  const json* content = Find(message, "content");
  const std::string content_path = Join(path, "content");
  if (content == nullptr) return true;
  if (content->is_string()) {
    const std::string& text = content->get_ref<const std::string&>();
    if (!text.empty() || kind == ContentKind::kUser)
      out.push_back(internal::MakePart(Part::Kind::kText, text));
    return true;
  }
  if (!content->is_array()) {
    return errors_.Fail(content_path, "expected a string, an array of parts or null");
  }
  for (size_t i = 0; i < content->size(); ++i) {
    if (!DecodeContentPart((*content)[i], At(content_path, i), kind, out)) return false;
  }
  return true;
}

bool RequestDecoder::DecodeContentPart(const json& part, const std::string& path, ContentKind kind,
                                       std::vector<Part>& out) {
  if (!part.is_object()) return errors_.Fail(path, "expected an object");
  std::string type;
  if (!ReadString(part, "type", path, type, errors_)) {
    return errors_.ok() ? errors_.Fail(Join(path, "type"), "required") : false;
  }
  Part decoded;
  if (type == "text" || (type == "refusal" && kind == ContentKind::kAssistant)) {
    if (!ReadString(part, type.c_str(), path, decoded.text, errors_)) {
      return errors_.ok() ? errors_.Fail(Join(path, type), "required") : false;
    }
  } else if (type == "image_url" && (kind == ContentKind::kUser || kind == ContentKind::kTool)) {
    if (!DecodeImage(part, path, decoded)) return false;
  } else {
    return errors_.Fail(Join(path, "type"), "unsupported content part type \"" + type + "\"");
  }
  if (const json* cache_control = Find(part, "cache_control")) {
    if (!cache_control->is_object()) {
      return errors_.Fail(Join(path, "cache_control"), "expected an object");
    }
    decoded.cache_control = *cache_control;
  }
  out.push_back(std::move(decoded));
  return true;
}

bool RequestDecoder::DecodeImage(const json& part, const std::string& path, Part& out) {
  const std::string image_path = Join(path, "image_url");
  const json* image = Find(part, "image_url");
  out.kind = Part::Kind::kImage;
  if (image == nullptr) return errors_.Fail(image_path, "required");
  if (image->is_string()) {
    out.image_url = image->get<std::string>();
    return true;
  }
  if (!image->is_object()) return errors_.Fail(image_path, "expected an object or a string");
  if (!ReadString(*image, "url", image_path, out.image_url, errors_)) {
    return errors_.ok() ? errors_.Fail(Join(image_path, "url"), "required") : false;
  }
  return true;
}

bool RequestDecoder::DecodeAssistant(const json& message, const std::string& path) {
  std::vector<Part> parts;
  if (!internal::DecodeMessageReasoning(message, path, parts, errors_)) return false;
  if (!DecodeContent(message, path, ContentKind::kAssistant, parts)) return false;
  if (const json* calls = Find(message, "tool_calls")) {
    const std::string calls_path = Join(path, "tool_calls");
    if (!calls->is_array()) return errors_.Fail(calls_path, "expected an array");
    for (size_t i = 0; i < calls->size(); ++i) {
      if (!DecodeToolCall((*calls)[i], At(calls_path, i), parts)) return false;
    }
  }
  Append(Role::kAssistant, std::move(parts));
  return true;
}

bool RequestDecoder::DecodeToolCall(const json& call, const std::string& path,
                                    std::vector<Part>& out) {
  if (!call.is_object()) return errors_.Fail(path, "expected an object");
  Part part = internal::MakePart(Part::Kind::kToolCall);
  std::string type = "function";
  ReadString(call, "type", path, type, errors_);
  if (!errors_.ok()) return false;
  if (type != "function") {
    return errors_.Fail(Join(path, "type"), "unsupported tool call type \"" + type + "\"");
  }
  if (!ReadString(call, "id", path, part.id, errors_)) {
    return errors_.ok() ? errors_.Fail(Join(path, "id"), "required") : false;
  }
  const std::string function_path = Join(path, "function");
  const json* function = Find(call, "function");
  if (function == nullptr) return errors_.Fail(function_path, "required");
  if (!function->is_object()) return errors_.Fail(function_path, "expected an object");
  if (!ReadString(*function, "name", function_path, part.name, errors_)) {
    return errors_.ok() ? errors_.Fail(Join(function_path, "name"), "required") : false;
  }
  const json* arguments = Find(*function, "arguments");
  if (arguments != nullptr && arguments->is_object()) {
    part.arguments = arguments->dump();  // some clients send the object itself
  } else if (!ReadString(*function, "arguments", function_path, part.arguments, errors_) &&
             !errors_.ok()) {
    return false;
  }
  if (part.arguments.empty()) part.arguments = "{}";
  out.push_back(std::move(part));
  return true;
}

bool RequestDecoder::DecodeToolMessage(const json& message, const std::string& path) {
  Part result = internal::MakePart(Part::Kind::kToolResult);
  if (!ReadString(message, "tool_call_id", path, result.id, errors_)) {
    return errors_.ok() ? errors_.Fail(Join(path, "tool_call_id"), "required") : false;
  }
  if (!DecodeContent(message, path, ContentKind::kTool, result.content)) return false;
  AppendToolResult(std::move(result));
  return true;
}

void RequestDecoder::Append(Role role, std::vector<Part> parts) {
  if (parts.empty()) return;
  if (out_.messages.empty() || out_.messages.back().role != role) {
    out_.messages.emplace_back().role = role;
  }
  std::vector<Part>& into = out_.messages.back().parts;
  into.insert(into.end(), std::make_move_iterator(parts.begin()),
              std::make_move_iterator(parts.end()));
}

void RequestDecoder::AppendToolResult(Part result) {
  if (out_.messages.empty() || out_.messages.back().role != Role::kUser) {
    out_.messages.emplace_back().role = Role::kUser;
  }
  std::vector<Part>& parts = out_.messages.back().parts;
  auto first_other = parts.begin();
  while (first_other != parts.end() && first_other->kind == Part::Kind::kToolResult) {
    ++first_other;
  }
  parts.insert(first_other, std::move(result));
}

bool RequestDecoder::DecodeTools(const json& body) {
  const json* tools = Find(body, "tools");
  if (tools == nullptr) return true;
  if (!tools->is_array()) return errors_.Fail("tools", "expected an array");
  for (size_t i = 0; i < tools->size(); ++i) {
    const json& tool = (*tools)[i];
    const std::string path = At("tools", i);
    if (!tool.is_object()) return errors_.Fail(path, "expected an object");
    std::string type;
    ReadString(tool, "type", path, type, errors_);
    if (!errors_.ok()) return false;
    if (type != "function") continue;  // built-in tools an IR endpoint cannot run
    const std::string function_path = Join(path, "function");
    const json* function = Find(tool, "function");
    if (function == nullptr) return errors_.Fail(function_path, "required");
    if (!function->is_object()) return errors_.Fail(function_path, "expected an object");
    Tool decoded;
    if (!ReadString(*function, "name", function_path, decoded.name, errors_)) {
      return errors_.ok() ? errors_.Fail(Join(function_path, "name"), "required") : false;
    }
    ReadString(*function, "description", function_path, decoded.description, errors_);
    decoded.parameters = {{"type", "object"}, {"properties", json::object()}};
    if (const json* parameters = Find(*function, "parameters")) {
      if (!parameters->is_object()) {
        return errors_.Fail(Join(function_path, "parameters"), "expected an object");
      }
      decoded.parameters = *parameters;
    }
    if (const json* cache_control = Find(tool, "cache_control")) {
      decoded.cache_control = *cache_control;
    }
    if (!errors_.ok()) return false;
    out_.tools.push_back(std::move(decoded));
  }
  return true;
}

bool RequestDecoder::DecodeToolChoice(const json& choice) {
  ToolChoice decoded;
  if (choice.is_string()) {
    const std::string& mode = choice.get_ref<const std::string&>();
    if (mode == "auto") {
      decoded.mode = ToolChoice::Mode::kAuto;
    } else if (mode == "none") {
      decoded.mode = ToolChoice::Mode::kNone;
    } else if (mode == "required") {
      decoded.mode = ToolChoice::Mode::kRequired;
    } else {
      return errors_.Fail("tool_choice", "unknown value \"" + mode + "\"");
    }
  } else if (choice.is_object()) {
    std::string type;
    ReadString(choice, "type", "tool_choice", type, errors_);
    if (!errors_.ok()) return false;
    if (type != "function") {
      return errors_.Fail("tool_choice.type", "unsupported tool choice type \"" + type + "\"");
    }
    const json* function = Find(choice, "function");
    if (function == nullptr) return errors_.Fail("tool_choice.function", "required");
    if (!function->is_object()) return errors_.Fail("tool_choice.function", "expected an object");
    if (!ReadString(*function, "name", "tool_choice.function", decoded.name, errors_)) {
      return errors_.ok() ? errors_.Fail("tool_choice.function.name", "required") : false;
    }
    decoded.mode = ToolChoice::Mode::kNamed;
  } else {
    return errors_.Fail("tool_choice", "expected a string or an object");
  }
  out_.tool_choice = decoded;
  return true;
}

bool RequestDecoder::DecodeSampling(const json& body) {
  bool flag = false;
  if (ReadBool(body, "parallel_tool_calls", "", flag, errors_)) out_.parallel_tool_calls = flag;
  ReadBool(body, "stream", "", out_.stream, errors_);
  ReadString(body, "user", "", out_.user, errors_);
  int64_t count = 0;
  if (ReadInt(body, "max_tokens", "", count, errors_)) out_.max_tokens = count;
  if (ReadInt(body, "max_completion_tokens", "", count, errors_)) out_.max_tokens = count;
  if (ReadInt(body, "top_k", "", count, errors_)) out_.top_k = count;
  double number = 0;
  if (ReadNumber(body, "temperature", "", number, errors_)) out_.temperature = number;
  if (ReadNumber(body, "top_p", "", number, errors_)) out_.top_p = number;
  if (errors_.ok() && out_.max_tokens && *out_.max_tokens < 1) {
    return errors_.Fail(
        Find(body, "max_completion_tokens") ? "max_completion_tokens" : "max_tokens",
        "expected a positive integer");
  }
  return errors_.ok();
}

bool RequestDecoder::DecodeStop(const json& body) {
  const json* stop = Find(body, "stop");
  if (stop == nullptr) return true;
  if (stop->is_string()) {
    out_.stop.push_back(stop->get<std::string>());
    return true;
  }
  if (!stop->is_array()) return errors_.Fail("stop", "expected a string or an array of strings");
  for (size_t i = 0; i < stop->size(); ++i) {
    if (!(*stop)[i].is_string()) return errors_.Fail(At("stop", i), "expected a string");
    out_.stop.push_back((*stop)[i].get<std::string>());
  }
  return true;
}

bool RequestDecoder::DecodeReasoning(const json& body) {
  const json* reasoning = Find(body, "reasoning");
  if (reasoning == nullptr) {
    std::string effort;
    if (!ReadString(body, "reasoning_effort", "", effort, errors_)) return errors_.ok();
    return SetEffort(effort, "reasoning_effort");
  }
  if (!reasoning->is_object()) return errors_.Fail("reasoning", "expected an object");
  bool enabled = false;
  const bool has_enabled = ReadBool(*reasoning, "enabled", "reasoning", enabled, errors_);
  int64_t budget = 0;
  const bool has_budget = ReadInt(*reasoning, "max_tokens", "reasoning", budget, errors_);
  std::string effort;
  const bool has_effort = ReadString(*reasoning, "effort", "reasoning", effort, errors_);
  bool exclude = false;
  ReadBool(*reasoning, "exclude", "reasoning", exclude, errors_);
  if (!errors_.ok() || (has_enabled && !enabled)) return errors_.ok();
  if (has_budget) {
    if (budget < 0) return errors_.Fail("reasoning.max_tokens", "expected a non-negative integer");
    out_.reasoning.emplace().budget_tokens = budget;
  }
  if (has_effort) return SetEffort(effort, "reasoning.effort");
  if (!has_budget && has_enabled) out_.reasoning.emplace().effort = "medium";
  return true;
}

bool RequestDecoder::SetEffort(const std::string& effort, const std::string& path) {
  std::string mapped = effort == "xhigh" ? "high" : effort;
  if (mapped == "none") {
    out_.reasoning.reset();
    return true;
  }
  if (mapped != "minimal" && mapped != "low" && mapped != "medium" && mapped != "high") {
    return errors_.Fail(path, "unknown effort \"" + effort + "\"");
  }
  if (!out_.reasoning) out_.reasoning = Reasoning{};
  out_.reasoning->effort = std::move(mapped);
  return true;
}

}  // namespace

std::string DecodeRequest(const json& body, Request& out) {
  return RequestDecoder(out).Decode(body);
}

}  // namespace gw::dialects::openai_chat

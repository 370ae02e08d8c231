// DecodeInput / InputItems: Responses items (a request's input, a stored conversation) into IR
// messages and system parts.
//
// Mapping decisions (documented in docs/dialects.md):
// - Items: a message (type "message", or no type with a role); function_call -> a kToolCall
//   part of an assistant message; function_call_output -> a kToolResult part of a user message,
//   placed before that message's other parts; reasoning -> kThinking (the summary texts, else the
//   reasoning_text contents, joined with "\n\n"; encrypted_content as its signature) or, with no
//   text, kRedactedThinking (encrypted_content) of the assistant turn. Consecutive items of one
//   role merge. Output items of a stored response decode the same way (they are these types).
// - system and developer messages become system parts, in order, wherever they appear.
// - Items of built-in tools (web_search_call, local_shell_call and its output, custom_tool_call
//   and its output, mcp_call, ...) are dropped, with their outputs: a translated endpoint never
//   offered those tools, and they carry no text the model needs to continue.
// - Content parts: input_text / output_text -> text (any role); refusal -> text (assistant);
//   input_image with an image_url -> kImage (user messages and tool outputs; `detail` dropped).
//   A file_id or input_file is rejected: the gateway has no file store.
#include <utility>

#include "dialects/openai_chat/chat_internal.h"
#include "dialects/openai_responses/responses_codec.h"
#include "dialects/openai_responses/responses_internal.h"

namespace gw::dialects::openai_responses {
namespace {

using internal::RequireString;
using nlohmann::json;
using openai_chat::internal::At;
using openai_chat::internal::Errors;
using openai_chat::internal::Find;
using openai_chat::internal::Join;
using openai_chat::internal::MakePart;
using openai_chat::internal::ReadString;

// Item types of OpenAI's built-in tools: dropped (see above).
constexpr std::string_view kBuiltInItemTypes[] = {
    "web_search_call",
    "file_search_call",
    "computer_call",
    "computer_call_output",
    "code_interpreter_call",
    "image_generation_call",
    "local_shell_call",
    "local_shell_call_output",
    "shell_call",
    "shell_call_output",
    "apply_patch_call",
    "apply_patch_call_output",
    "mcp_list_tools",
    "mcp_approval_request",
    "mcp_approval_response",
    "mcp_call",
    "custom_tool_call",
    "custom_tool_call_output",
};

bool IsBuiltInItem(std::string_view type) {
  for (std::string_view known : kBuiltInItemTypes) {
    if (type == known) return true;
  }
  return false;
}

// Where content parts come from: what they may hold.
enum class Source { kSystem, kUser, kAssistant, kToolOutput };

// Decodes items into messages and system parts (DecodeInput).
class InputDecoder {
 public:
  InputDecoder(std::vector<Message>& messages, std::vector<Part>& system, Errors& errors)
      : messages_(messages), system_(system), errors_(errors) {}

  bool Decode(const json& items, const std::string& path);

 private:
  bool DecodeItem(const json& item, const std::string& path);
  bool DecodeMessage(const json& item, const std::string& path);
  bool DecodeContent(const json& content, const std::string& path, Source source,
                     std::vector<Part>& out);
  bool DecodePart(const json& part, const std::string& path, Source source, std::vector<Part>& out);
  bool DecodeImage(const json& part, const std::string& path, Part& out);
  bool DecodeFunctionCall(const json& item, const std::string& path);
  bool DecodeFunctionCallOutput(const json& item, const std::string& path);
  bool DecodeReasoning(const json& item, const std::string& path);
  // The `text` members of the array `key` of `item`, joined with "\n\n".
  bool JoinTexts(const json& item, const char* key, const std::string& path, std::string& out);

  void Append(Role role, std::vector<Part> parts);
  void AppendToolResult(Part result);

  std::vector<Message>& messages_;
  std::vector<Part>& system_;
  Errors& errors_;
};

bool InputDecoder::Decode(const json& items, const std::string& path) {
  if (!items.is_array()) return errors_.Fail(path, "expected an array of items");
  for (size_t i = 0; i < items.size(); ++i) {
    if (!DecodeItem(items[i], At(path, i))) return false;
  }
  return true;
}

bool InputDecoder::DecodeItem(const json& item, const std::string& path) {
  if (!item.is_object()) return errors_.Fail(path, "expected an object");
  std::string type;
  if (!ReadString(item, "type", path, type, errors_)) {
    if (!errors_.ok()) return false;
    if (Find(item, "role") == nullptr) return errors_.Fail(Join(path, "type"), "required");
    type = "message";
  }
  if (type == "message") return DecodeMessage(item, path);
  if (type == "function_call") return DecodeFunctionCall(item, path);
  if (type == "function_call_output") return DecodeFunctionCallOutput(item, path);
  if (type == "reasoning") return DecodeReasoning(item, path);
  if (IsBuiltInItem(type)) return true;
  if (type == "item_reference") {
    return errors_.Fail(Join(path, "type"),
                        "item references are not supported; send the item itself");
  }
  return errors_.Fail(Join(path, "type"), "unknown item type \"" + type + "\"");
}

bool InputDecoder::DecodeMessage(const json& item, const std::string& path) {
  std::string role;
  if (!RequireString(item, "role", path, role, errors_)) return false;
  Source source;
  if (role == "system" || role == "developer") {
    source = Source::kSystem;
  } else if (role == "user") {
    source = Source::kUser;
  } else if (role == "assistant") {
    source = Source::kAssistant;
  } else {
    return errors_.Fail(Join(path, "role"), "unknown role \"" + role + "\"");
  }
  const json* content = Find(item, "content");
  if (content == nullptr) return errors_.Fail(Join(path, "content"), "required");
  std::vector<Part> parts;
  if (!DecodeContent(*content, Join(path, "content"), source, parts)) return false;
  if (source == Source::kSystem) {
    system_.insert(system_.end(), std::make_move_iterator(parts.begin()),
                   std::make_move_iterator(parts.end()));
  } else {
    Append(source == Source::kUser ? Role::kUser : Role::kAssistant, std::move(parts));
  }
  return true;
}

bool InputDecoder::DecodeContent(const json& content, const std::string& path, Source source,
                                 std::vector<Part>& out) {
  if (content.is_string()) {
    const std::string& text = content.get_ref<const std::string&>();
    if (!text.empty() || source == Source::kUser) out.push_back(MakePart(Part::Kind::kText, text));
    return true;
  }
  if (!content.is_array()) return errors_.Fail(path, "expected a string or an array of parts");
  for (size_t i = 0; i < content.size(); ++i) {
    if (!DecodePart(content[i], At(path, i), source, out)) return false;
  }
  return true;
}

bool InputDecoder::DecodePart(const json& part, const std::string& path, Source source,
                              std::vector<Part>& out) {
  if (!part.is_object()) return errors_.Fail(path, "expected an object");
  std::string type;
  if (!RequireString(part, "type", path, type, errors_)) return false;
  Part decoded;
  if (type == "input_text" || type == "output_text") {
    if (!RequireString(part, "text", path, decoded.text, errors_)) return false;
  } else if (type == "refusal" && source == Source::kAssistant) {
    if (!RequireString(part, "refusal", path, decoded.text, errors_)) return false;
  } else if (type == "input_image" && (source == Source::kUser || source == Source::kToolOutput)) {
    if (!DecodeImage(part, path, decoded)) return false;
  } else if (type == "input_file") {
    return errors_.Fail(Join(path, "type"),
                        "file inputs are not supported (\"input_file\"); send the text");
  } else {
    return errors_.Fail(Join(path, "type"), "unsupported content part type \"" + type + "\"");
  }
  out.push_back(std::move(decoded));
  return true;
}

bool InputDecoder::DecodeImage(const json& part, const std::string& path, Part& out) {
  out.kind = Part::Kind::kImage;
  if (ReadString(part, "image_url", path, out.image_url, errors_)) return true;
  if (!errors_.ok()) return false;
  if (Find(part, "file_id") != nullptr) {
    return errors_.Fail(Join(path, "file_id"),
                        "file references are not supported; send image_url (an http(s) or "
                        "data: URL)");
  }
  return errors_.Fail(Join(path, "image_url"), "required");
}

bool InputDecoder::DecodeFunctionCall(const json& item, const std::string& path) {
  Part call = MakePart(Part::Kind::kToolCall);
  if (!RequireString(item, "call_id", path, call.id, errors_) ||
      !RequireString(item, "name", path, call.name, errors_)) {
    return false;
  }
  const json* arguments = Find(item, "arguments");
  if (arguments != nullptr && arguments->is_object()) {
    call.arguments = arguments->dump();  // some clients send the object itself
  } else if (!ReadString(item, "arguments", path, call.arguments, errors_) && !errors_.ok()) {
    return false;
  }
  if (call.arguments.empty()) call.arguments = "{}";
  std::vector<Part> parts;
  parts.push_back(std::move(call));
  Append(Role::kAssistant, std::move(parts));
  return true;
}

bool InputDecoder::DecodeFunctionCallOutput(const json& item, const std::string& path) {
  Part result = MakePart(Part::Kind::kToolResult);
  if (!RequireString(item, "call_id", path, result.id, errors_)) return false;
  const json* output = Find(item, "output");
  const std::string output_path = Join(path, "output");
  if (output == nullptr) return errors_.Fail(output_path, "required");
  if (output->is_string()) {
    const std::string& text = output->get_ref<const std::string&>();
    if (!text.empty()) result.content.push_back(MakePart(Part::Kind::kText, text));
  } else if (!output->is_array()) {
    return errors_.Fail(output_path, "expected a string or an array of parts");
  } else if (!DecodeContent(*output, output_path, Source::kToolOutput, result.content)) {
    return false;
  }
  AppendToolResult(std::move(result));
  return true;
}

bool InputDecoder::JoinTexts(const json& item, const char* key, const std::string& path,
                             std::string& out) {
  const json* entries = Find(item, key);
  if (entries == nullptr) return true;
  const std::string entries_path = Join(path, key);
  if (!entries->is_array()) return errors_.Fail(entries_path, "expected an array");
  for (size_t i = 0; i < entries->size(); ++i) {
    const json& entry = (*entries)[i];
    const std::string entry_path = At(entries_path, i);
    if (!entry.is_object()) return errors_.Fail(entry_path, "expected an object");
    std::string text;
    if (!RequireString(entry, "text", entry_path, text, errors_)) return false;
    if (text.empty()) continue;
    if (!out.empty()) out += "\n\n";
    out += text;
  }
  return true;
}

bool InputDecoder::DecodeReasoning(const json& item, const std::string& path) {
  std::string text, encrypted;
  if (!JoinTexts(item, "summary", path, text)) return false;
  if (text.empty() && !JoinTexts(item, "content", path, text)) return false;
  if (!ReadString(item, "encrypted_content", path, encrypted, errors_) && !errors_.ok()) {
    return false;
  }
  std::vector<Part> parts;
  if (!text.empty()) {
    parts.push_back(MakePart(Part::Kind::kThinking, std::move(text)));
    parts.back().signature = std::move(encrypted);
  } else if (!encrypted.empty()) {
    parts.push_back(MakePart(Part::Kind::kRedactedThinking, std::move(encrypted)));
  }
  Append(Role::kAssistant, std::move(parts));
  return true;
}

void InputDecoder::Append(Role role, std::vector<Part> parts) {
  if (parts.empty()) return;
  if (messages_.empty() || messages_.back().role != role) messages_.emplace_back().role = role;
  std::vector<Part>& into = messages_.back().parts;
  into.insert(into.end(), std::make_move_iterator(parts.begin()),
              std::make_move_iterator(parts.end()));
}

void InputDecoder::AppendToolResult(Part result) {
  if (messages_.empty() || messages_.back().role != Role::kUser) {
    messages_.emplace_back().role = Role::kUser;
  }
  std::vector<Part>& parts = messages_.back().parts;
  auto first_other = parts.begin();
  while (first_other != parts.end() && first_other->kind == Part::Kind::kToolResult) {
    ++first_other;
  }
  parts.insert(first_other, std::move(result));
}

}  // namespace

std::string DecodeInput(const json& items, std::string_view path, std::vector<Message>& messages,
                        std::vector<Part>& system) {
  Errors errors;
  InputDecoder(messages, system, errors).Decode(items, std::string(path));
  return errors.message();
}

json InputItems(const json& input) {
  if (input.is_array()) return input;
  if (!input.is_string()) return nullptr;
  return json::array({{{"type", "message"},
                       {"role", "user"},
                       {"content", json::array({{{"type", "input_text"}, {"text", input}}})}}});
}

}  // namespace gw::dialects::openai_responses

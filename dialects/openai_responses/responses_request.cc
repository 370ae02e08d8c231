// DecodeRequest: a Responses request body into the IR (its items are DecodeInput's, in
// responses_input.cc).
//
// Mapping decisions (documented in docs/dialects.md):
// - `instructions` is the first system part; the system and developer items follow.
// - A history (a stored conversation) is decoded before `input`, into the same messages.
// - Tools: type "function" (flat: name, description, parameters; `strict` dropped); every other
//   type is dropped, unless tool_choice forces it (then 400).
// - reasoning.effort -> IR effort ("xhigh" -> "high", "none" -> no reasoning); summary ignored.
// - text.format -> IR response_format (text -> none). max_output_tokens -> max_tokens. user,
//   else safety_identifier -> user. Unknown members are ignored.
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
using openai_chat::internal::ReadBool;
using openai_chat::internal::ReadInt;
using openai_chat::internal::ReadNumber;
using openai_chat::internal::ReadString;

// The request's members other than the items (DecodeRequest).
class RequestDecoder {
 public:
  explicit RequestDecoder(Request& out) : out_(out) {}

  std::string Decode(const json& body, const json& history);

 private:
  bool CheckUnsupported(const json& body);
  // The history, then the input: "" or the error.
  std::string DecodeItems(const json& body, const json& history);
  bool DecodeTools(const json& body);
  bool DecodeToolChoice(const json& choice);
  bool DecodeSampling(const json& body);
  bool DecodeReasoning(const json& body);
  bool DecodeTextFormat(const json& body);

  Request& out_;
  Errors errors_;
};

std::string RequestDecoder::Decode(const json& body, const json& history) {
  out_ = Request{};
  if (!body.is_object()) return "body: expected an object";
  ReadString(body, "model", "", out_.model, errors_);
  std::string instructions;
  if (ReadString(body, "instructions", "", instructions, errors_) && !instructions.empty()) {
    out_.system.push_back(MakePart(Part::Kind::kText, std::move(instructions)));
  }
  if (!errors_.ok() || !CheckUnsupported(body)) return errors_.message();
  if (std::string error = DecodeItems(body, history); !error.empty()) return error;
  if (DecodeTools(body) && DecodeSampling(body) && DecodeReasoning(body) &&
      DecodeTextFormat(body)) {
    if (const json* choice = Find(body, "tool_choice")) DecodeToolChoice(*choice);
  }
  return errors_.message();
}

bool RequestDecoder::CheckUnsupported(const json& body) {
  bool background = false;
  if (ReadBool(body, "background", "", background, errors_) && background) {
    return errors_.Fail("background",
                        "background responses are not supported (they need a job store); send "
                        "background: false");
  }
  if (Find(body, "prompt") != nullptr) {
    return errors_.Fail("prompt",
                        "stored prompt templates are not supported; send the text as input and "
                        "instructions");
  }
  if (Find(body, "conversation") != nullptr) {
    return errors_.Fail("conversation",
                        "conversations are not supported; send the items as input, or use "
                        "previous_response_id");
  }
  return errors_.ok();
}

std::string RequestDecoder::DecodeItems(const json& body, const json& history) {
  if (!history.is_null()) {
    std::string error = DecodeInput(history, "history", out_.messages, out_.system);
    if (!error.empty()) return error;
  }
  const json* input = Find(body, "input");
  if (input == nullptr) return history.is_null() ? "input: required" : "";
  if (input->is_string()) {
    const std::string& text = input->get_ref<const std::string&>();
    Message& message = out_.messages.empty() || out_.messages.back().role != Role::kUser
                           ? out_.messages.emplace_back()
                           : out_.messages.back();
    message.parts.push_back(MakePart(Part::Kind::kText, text));
    return "";
  }
  if (!input->is_array()) return "input: expected a string or an array of items";
  return DecodeInput(*input, "input", out_.messages, out_.system);
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
    if (!RequireString(tool, "type", path, type, errors_)) return false;
    if (type != "function") continue;  // built-in tools a translated endpoint cannot run
    Tool decoded;
    if (!RequireString(tool, "name", path, decoded.name, errors_)) return false;
    ReadString(tool, "description", path, decoded.description, errors_);
    bool strict = false;
    ReadBool(tool, "strict", path, strict, errors_);
    decoded.parameters = {{"type", "object"}, {"properties", json::object()}};
    if (const json* parameters = Find(tool, "parameters")) {
      if (!parameters->is_object())
        return errors_.Fail(Join(path, "parameters"), "expected an object");
      decoded.parameters = *parameters;
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
    if (!RequireString(choice, "type", "tool_choice", type, errors_)) return false;
    if (type == "allowed_tools") {
      return errors_.Fail("tool_choice.type", "unsupported tool choice type \"allowed_tools\"");
    }
    if (type != "function") {
      return errors_.Fail("tool_choice", "forces the \"" + type +
                                             "\" tool, which a translated endpoint cannot run "
                                             "(only function tools are passed on)");
    }
    if (!RequireString(choice, "name", "tool_choice", decoded.name, errors_)) return false;
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
  std::string safety_identifier;
  ReadString(body, "safety_identifier", "", safety_identifier, errors_);
  if (!ReadString(body, "user", "", out_.user, errors_) || out_.user.empty()) {
    out_.user = std::move(safety_identifier);
  }
  int64_t count = 0;
  if (ReadInt(body, "max_output_tokens", "", count, errors_)) {
    if (count < 1) return errors_.Fail("max_output_tokens", "expected a positive integer");
    out_.max_tokens = count;
  }
  double number = 0;
  if (ReadNumber(body, "temperature", "", number, errors_)) out_.temperature = number;
  if (ReadNumber(body, "top_p", "", number, errors_)) out_.top_p = number;
  return errors_.ok();
}

bool RequestDecoder::DecodeReasoning(const json& body) {
  const json* reasoning = Find(body, "reasoning");
  if (reasoning == nullptr) return true;
  if (!reasoning->is_object()) return errors_.Fail("reasoning", "expected an object");
  std::string effort;
  if (!ReadString(*reasoning, "effort", "reasoning", effort, errors_)) return errors_.ok();
  if (effort == "none") return true;
  if (effort == "xhigh") effort = "high";  // as the chat decoder maps it
  if (effort != "minimal" && effort != "low" && effort != "medium" && effort != "high") {
    return errors_.Fail("reasoning.effort", "unknown effort \"" + effort + "\"");
  }
  out_.reasoning.emplace().effort = std::move(effort);
  return true;
}

bool RequestDecoder::DecodeTextFormat(const json& body) {
  const json* text = Find(body, "text");
  if (text == nullptr) return true;
  if (!text->is_object()) return errors_.Fail("text", "expected an object");
  const json* format = Find(*text, "format");
  if (format == nullptr) return true;
  if (!format->is_object()) return errors_.Fail("text.format", "expected an object");
  std::string type;
  if (!RequireString(*format, "type", "text.format", type, errors_)) return false;
  if (type == "text") return true;
  if (type == "json_object") {
    out_.response_format = {{"type", "json_object"}};
    return true;
  }
  if (type != "json_schema") {
    return errors_.Fail("text.format.type", "unknown format type \"" + type + "\"");
  }
  json decoded = {{"type", "json_schema"}};
  std::string name, description;
  bool strict = false;
  if (!RequireString(*format, "name", "text.format", name, errors_)) return false;
  decoded["name"] = name;
  if (ReadString(*format, "description", "text.format", description, errors_)) {
    decoded["description"] = description;
  }
  const json* schema = Find(*format, "schema");
  if (schema == nullptr) return errors_.Fail("text.format.schema", "required");
  if (!schema->is_object()) return errors_.Fail("text.format.schema", "expected an object");
  decoded["schema"] = *schema;
  if (ReadBool(*format, "strict", "text.format", strict, errors_)) decoded["strict"] = strict;
  if (!errors_.ok()) return false;
  out_.response_format = std::move(decoded);
  return true;
}

}  // namespace

std::string DecodeRequest(const json& body, Request& out, const json& history) {
  return RequestDecoder(out).Decode(body, history);
}

}  // namespace gw::dialects::openai_responses

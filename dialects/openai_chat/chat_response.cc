// DecodeResponse / EncodeResponse: a whole chat.completion to and from the IR.
//
// Decode reads choice 0: reasoning (OpenRouter's reasoning_details when present, for their
// signatures; else `reasoning`, else `reasoning_content`) before the text (`content` as a string
// or text parts; a `refusal` becomes text), then tool_calls. finish_reason is normalized (unknown
// reasons mean "stop", the gateway's rule); native_finish_reason is the choice's own when present,
// else the raw finish_reason.
//
// Encode writes one choice and no native_finish_reason: the gateway's ResponseRewriter
// (providers/openai/openai_response.h) replaces any native_finish_reason with the raw value of
// finish_reason anyway. `created` is the current time.
#include <utility>

#include "dialects/finish_reason.h"
#include "dialects/openai_chat/chat_codec.h"
#include "dialects/openai_chat/chat_internal.h"

namespace gw::dialects::openai_chat {
namespace {

using internal::At;
using internal::Errors;
using internal::Find;
using internal::Join;
using internal::ReadString;
using nlohmann::json;
using nlohmann::ordered_json;

bool DecodeText(const json& message, const std::string& path, std::vector<Part>& out,
                Errors& errors) {
  std::string text;
  const json* content = Find(message, "content");
  if (content != nullptr && content->is_array()) {
    for (size_t i = 0; i < content->size(); ++i) {
      const std::string part_path = At(Join(path, "content"), i);
      std::string piece;
      if (!ReadString((*content)[i], "text", part_path, piece, errors) && !errors.ok()) {
        return false;
      }
      text += piece;
    }
  } else if (!ReadString(message, "content", path, text, errors) && !errors.ok()) {
    return false;
  }
  if (text.empty() && !ReadString(message, "refusal", path, text, errors) && !errors.ok()) {
    return false;
  }
  if (!text.empty()) out.push_back(internal::MakePart(Part::Kind::kText, std::move(text)));
  return true;
}

bool DecodeToolCalls(const json& message, const std::string& path, std::vector<Part>& out,
                     Errors& errors) {
  const json* calls = Find(message, "tool_calls");
  if (calls == nullptr) return true;
  const std::string calls_path = Join(path, "tool_calls");
  if (!calls->is_array()) return errors.Fail(calls_path, "expected an array");
  for (size_t i = 0; i < calls->size(); ++i) {
    const json& call = (*calls)[i];
    const std::string call_path = At(calls_path, i);
    if (!call.is_object()) return errors.Fail(call_path, "expected an object");
    Part part = internal::MakePart(Part::Kind::kToolCall);
    ReadString(call, "id", call_path, part.id, errors);
    const json* function = Find(call, "function");
    const std::string function_path = Join(call_path, "function");
    if (function == nullptr || !function->is_object()) {
      return errors.Fail(function_path, "expected an object");
    }
    ReadString(*function, "name", function_path, part.name, errors);
    ReadString(*function, "arguments", function_path, part.arguments, errors);
    if (!errors.ok()) return false;
    if (part.arguments.empty()) part.arguments = "{}";
    out.push_back(std::move(part));
  }
  return true;
}

bool DecodeChoice(const json& choice, Response& out, Errors& errors) {
  const std::string path = "choices[0]";
  if (!choice.is_object()) return errors.Fail(path, "expected an object");
  const json* message = Find(choice, "message");
  if (message == nullptr || !message->is_object()) {
    return errors.Fail(Join(path, "message"), "expected an object");
  }
  const std::string message_path = Join(path, "message");
  if (!internal::DecodeMessageReasoning(*message, message_path, out.content, errors) ||
      !DecodeText(*message, message_path, out.content, errors) ||
      !DecodeToolCalls(*message, message_path, out.content, errors)) {
    return false;
  }
  std::string finish;
  if (ReadString(choice, "finish_reason", path, finish, errors)) {
    out.finish_reason = std::string(NormalizeFinishReason(finish));
    out.native_finish_reason = finish;
    ReadString(choice, "native_finish_reason", path, out.native_finish_reason, errors);
  }
  return errors.ok();
}

ordered_json MessageOf(const Response& response) {
  std::string text, reasoning;
  ordered_json calls = ordered_json::array();
  for (const Part& part : response.content) {
    if (part.kind == Part::Kind::kText) text += part.text;
    if (part.kind == Part::Kind::kThinking) reasoning += part.text;
    if (part.kind == Part::Kind::kToolCall) {
      calls.push_back(
          {{"id", part.id},
           {"type", "function"},
           {"function",
            {{"name", part.name}, {"arguments", part.arguments.empty() ? "{}" : part.arguments}}}});
    }
  }
  ordered_json message = {{"role", "assistant"}};
  message["content"] = text.empty() ? ordered_json(nullptr) : ordered_json(text);
  if (!reasoning.empty()) message["reasoning"] = reasoning;
  if (!calls.empty()) message["tool_calls"] = std::move(calls);
  return message;
}

}  // namespace

std::string DecodeResponse(const json& body, Response& out) {
  out = Response{};
  if (!body.is_object()) return "body: expected an object";
  Errors errors;
  ReadString(body, "id", "", out.id, errors);
  ReadString(body, "model", "", out.model, errors);
  const json* choices = Find(body, "choices");
  if (choices == nullptr || !choices->is_array() || choices->empty()) {
    return errors.ok() ? "choices: expected a non-empty array" : errors.message();
  }
  if (!DecodeChoice((*choices)[0], out, errors)) return errors.message();
  if (const json* usage = Find(body, "usage")) {
    TokenUsage decoded;
    if (!internal::DecodeUsage(*usage, "usage", decoded, out.usage_extra, errors)) {
      return errors.message();
    }
    out.usage = decoded;
  }
  return errors.message();
}

std::string EncodeResponse(const Response& response) {
  ordered_json choice = {{"index", 0}, {"message", MessageOf(response)}};
  choice["finish_reason"] =
      response.finish_reason.empty() ? ordered_json(nullptr) : ordered_json(response.finish_reason);
  ordered_json body = {{"id", response.id},
                       {"object", "chat.completion"},
                       {"created", internal::NowSeconds()},
                       {"model", response.model},
                       {"choices", ordered_json::array({std::move(choice)})}};
  if (response.usage) body["usage"] = internal::EncodeUsage(*response.usage, response.usage_extra);
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace gw::dialects::openai_chat

// EncodeRequest: the IR as a Chat Completions request body.
//
// Mapping decisions (documented for docs/dialects.md):
// - The system parts become one system message: their texts joined with "\n\n", or, when any
//   part has cache_control, text parts carrying it.
// - A user message's kToolResult parts become `tool` messages (text content; a result's images
//   move into the user message that follows, since tool messages carry only text; is_error has
//   no Chat Completions field and is dropped) emitted before the user's other parts.
// - Content is a plain string when it is one text part without cache_control, else parts.
// - Assistant thinking becomes the `reasoning` string (OpenRouter's field; several thinking
//   parts joined with "\n\n"); signatures and redacted thinking are dropped.
// - Tool cache_control is dropped. Reasoning is sent in OpenRouter's shape, what
//   OpenAI-compatible routers accept: {max_tokens} when there is a budget, else {effort}, else
//   {enabled: true}.
// - stream: true adds stream_options {include_usage: true} so the answer carries usage.
// - response_format (set only by the Responses decoder) in chat's json_schema shape.
#include <utility>

#include "dialects/openai_chat/chat_codec.h"
#include "dialects/openai_chat/chat_internal.h"

namespace gw::dialects::openai_chat {
namespace {

using nlohmann::json;

json TextPart(const Part& part) {
  json out = {{"type", "text"}, {"text", part.text}};
  if (!part.cache_control.is_null()) out["cache_control"] = part.cache_control;
  return out;
}

json ImagePart(const Part& part) {
  return {{"type", "image_url"}, {"image_url", {{"url", part.image_url}}}};
}

// Text and image parts as a message's `content`.
json Content(const std::vector<const Part*>& parts) {
  if (parts.size() == 1 && parts[0]->kind == Part::Kind::kText &&
      parts[0]->cache_control.is_null()) {
    return parts[0]->text;
  }
  json content = json::array();
  for (const Part* part : parts) {
    content.push_back(part->kind == Part::Kind::kImage ? ImagePart(*part) : TextPart(*part));
  }
  return content;
}

json SystemMessage(const std::vector<Part>& system) {
  bool cached = false;
  std::string joined;
  for (const Part& part : system) {
    cached = cached || !part.cache_control.is_null();
    if (!joined.empty()) joined += "\n\n";
    joined += part.text;
  }
  if (!cached) return {{"role", "system"}, {"content", joined}};
  json content = json::array();
  for (const Part& part : system) content.push_back(TextPart(part));
  return {{"role", "system"}, {"content", std::move(content)}};
}

// One tool result as a `tool` message; its images go to `images` for the next user message.
json ToolMessage(const Part& result, std::vector<const Part*>& images) {
  std::vector<const Part*> texts;
  for (const Part& part : result.content) {
    (part.kind == Part::Kind::kImage ? images : texts).push_back(&part);
  }
  json content = texts.empty() ? json("") : Content(texts);
  return {{"role", "tool"}, {"tool_call_id", result.id}, {"content", std::move(content)}};
}

void AppendUser(const Message& message, json& messages) {
  std::vector<const Part*> others;
  std::vector<const Part*> images;
  for (const Part& part : message.parts) {
    if (part.kind == Part::Kind::kToolResult) {
      messages.push_back(ToolMessage(part, images));
    } else if (part.kind == Part::Kind::kText || part.kind == Part::Kind::kImage) {
      others.push_back(&part);
    }
  }
  others.insert(others.begin(), images.begin(), images.end());
  if (!others.empty()) messages.push_back({{"role", "user"}, {"content", Content(others)}});
}

json ToolCall(const Part& part) {
  return {{"id", part.id},
          {"type", "function"},
          {"function",
           {{"name", part.name}, {"arguments", part.arguments.empty() ? "{}" : part.arguments}}}};
}

void AppendAssistant(const Message& message, json& messages) {
  std::vector<const Part*> texts;
  std::string reasoning;
  json calls = json::array();
  for (const Part& part : message.parts) {
    if (part.kind == Part::Kind::kText) {
      texts.push_back(&part);
    } else if (part.kind == Part::Kind::kToolCall) {
      calls.push_back(ToolCall(part));
    } else if (part.kind == Part::Kind::kThinking && !part.text.empty()) {
      if (!reasoning.empty()) reasoning += "\n\n";
      reasoning += part.text;
    }
  }
  json out = {{"role", "assistant"}};
  if (!texts.empty()) {
    out["content"] = Content(texts);
  } else {
    out["content"] = calls.empty() ? json("") : json(nullptr);
  }
  if (!reasoning.empty()) out["reasoning"] = std::move(reasoning);
  if (!calls.empty()) out["tool_calls"] = std::move(calls);
  messages.push_back(std::move(out));
}

json Tools(const std::vector<Tool>& tools) {
  json out = json::array();
  for (const Tool& tool : tools) {
    json function = {{"name", tool.name}, {"parameters", tool.parameters}};
    if (!tool.description.empty()) function["description"] = tool.description;
    out.push_back({{"type", "function"}, {"function", std::move(function)}});
  }
  return out;
}

json ToolChoiceOf(const ToolChoice& choice) {
  switch (choice.mode) {
    case ToolChoice::Mode::kAuto:
      return "auto";
    case ToolChoice::Mode::kNone:
      return "none";
    case ToolChoice::Mode::kRequired:
      return "required";
    case ToolChoice::Mode::kNamed:
      return {{"type", "function"}, {"function", {{"name", choice.name}}}};
  }
  return "auto";
}

// The IR's response_format (ir.h: flat, as Responses' text.format) in chat's shape:
// {"type":"json_schema","json_schema":{"name","schema"[,"strict"][,"description"]}}; other
// types ({"type":"json_object"}) as they are.
json ResponseFormatOf(const json& format) {
  auto type = format.find("type");
  if (type == format.end() || *type != "json_schema") return format;
  json schema = json::object();
  for (const char* key : {"name", "description", "schema", "strict"}) {
    if (auto member = format.find(key); member != format.end()) schema[key] = *member;
  }
  return {{"type", "json_schema"}, {"json_schema", std::move(schema)}};
}

json ReasoningOf(const Reasoning& reasoning) {
  if (reasoning.budget_tokens) return {{"max_tokens", *reasoning.budget_tokens}};
  if (!reasoning.effort.empty()) return {{"effort", reasoning.effort}};
  return {{"enabled", true}};
}

void AppendSettings(const Request& request, json& body) {
  if (!request.tools.empty()) body["tools"] = Tools(request.tools);
  if (request.tool_choice) body["tool_choice"] = ToolChoiceOf(*request.tool_choice);
  if (request.parallel_tool_calls) body["parallel_tool_calls"] = *request.parallel_tool_calls;
  if (request.max_tokens) body["max_tokens"] = *request.max_tokens;
  if (request.temperature) body["temperature"] = *request.temperature;
  if (request.top_p) body["top_p"] = *request.top_p;
  if (request.top_k) body["top_k"] = *request.top_k;
  if (!request.stop.empty()) body["stop"] = request.stop;
  if (!request.user.empty()) body["user"] = request.user;
  if (request.reasoning) body["reasoning"] = ReasoningOf(*request.reasoning);
  if (request.response_format.is_object()) {
    body["response_format"] = ResponseFormatOf(request.response_format);
  }
  if (request.stream) {
    body["stream"] = true;
    body["stream_options"] = {{"include_usage", true}};
  }
}

}  // namespace

json EncodeRequest(const Request& request, std::string_view model) {
  json messages = json::array();
  if (!request.system.empty()) messages.push_back(SystemMessage(request.system));
  for (const Message& message : request.messages) {
    if (message.role == Role::kUser) {
      AppendUser(message, messages);
    } else {
      AppendAssistant(message, messages);
    }
  }
  json body = {{"model", model}, {"messages", std::move(messages)}};
  AppendSettings(request, body);
  return body;
}

}  // namespace gw::dialects::openai_chat

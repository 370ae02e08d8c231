// IR -> Messages request body for an Anthropic endpoint (EncodeRequest). The request usually
// comes from a Chat Completions client, so what Anthropic would reject is repaired or dropped
// here (each case commented): empty text, unsigned thinking, sampling parameters or forced tool
// choices that extended thinking forbids.
#include "dialects/anthropic/messages_codec.h"

#include <algorithm>
#include <string>
#include <string_view>

namespace gw::dialects::anthropic {
namespace {

using nlohmann::json;

void AddCacheControl(const nlohmann::json& cache_control, json& block) {
  if (!cache_control.is_null()) block["cache_control"] = cache_control;
}

// A "data:<media type>;base64,<data>" URL becomes a base64 source, anything else a url source.
json ImageBlock(const Part& part) {
  const std::string& url = part.image_url;
  json source;
  const size_t marker = url.find(";base64,");
  if (url.starts_with("data:") && marker != std::string::npos) {
    source = {{"type", "base64"},
              {"media_type", url.substr(5, marker - 5)},
              {"data", url.substr(marker + 8)}};
  } else {
    source = {{"type", "url"}, {"url", url}};
  }
  json block = {{"type", "image"}, {"source", source}};
  AddCacheControl(part.cache_control, block);
  return block;
}

// Tool arguments are JSON text; Anthropic wants an object. Text that is not a JSON object (a
// model's broken arguments) becomes {}: there is no lossless object form for it.
json ToolInput(const std::string& arguments) {
  json input = json::parse(arguments, nullptr, false);
  return input.is_object() ? input : json::object();
}

json ToolResultBlock(const Part& part);

// One IR part as a content block, or null when Anthropic cannot take it: empty text (rejected
// by the API), and thinking without a signature (Anthropic verifies the signature of thinking
// sent back; reasoning from another provider has none).
json Block(const Part& part) {
  json block;
  switch (part.kind) {
    case Part::Kind::kText:
      if (part.text.empty()) return nullptr;
      block = {{"type", "text"}, {"text", part.text}};
      break;
    case Part::Kind::kImage:
      return ImageBlock(part);
    case Part::Kind::kToolCall:
      block = {{"type", "tool_use"},
               {"id", part.id},
               {"name", part.name},
               {"input", ToolInput(part.arguments)}};
      break;
    case Part::Kind::kToolResult:
      return ToolResultBlock(part);
    case Part::Kind::kThinking:
      if (part.signature.empty()) return nullptr;
      return {{"type", "thinking"}, {"thinking", part.text}, {"signature", part.signature}};
    case Part::Kind::kRedactedThinking:
      return {{"type", "redacted_thinking"}, {"data", part.text}};
  }
  AddCacheControl(part.cache_control, block);
  return block;
}

json ToolResultBlock(const Part& part) {
  json block = {{"type", "tool_result"}, {"tool_use_id", part.id}};
  json content = json::array();
  for (const Part& sub : part.content) {
    if (json b = Block(sub); !b.is_null()) content.push_back(std::move(b));
  }
  if (!content.empty()) block["content"] = std::move(content);
  if (part.is_error) block["is_error"] = true;
  AddCacheControl(part.cache_control, block);
  return block;
}

// Messages: consecutive messages of one role are merged (Anthropic would combine them anyway),
// and in a user message the tool_result blocks come first, as the API requires. A message left
// with no content (say, only unsigned thinking) is dropped.
json EncodeMessages(const std::vector<Message>& messages) {
  json out = json::array();
  for (size_t i = 0; i < messages.size();) {
    const Role role = messages[i].role;
    json results = json::array(), others = json::array();
    for (; i < messages.size() && messages[i].role == role; ++i) {
      for (const Part& part : messages[i].parts) {
        json block = Block(part);
        if (block.is_null()) continue;
        (part.kind == Part::Kind::kToolResult ? results : others).push_back(std::move(block));
      }
    }
    for (json& block : others) results.push_back(std::move(block));
    if (results.empty()) continue;
    out.push_back({{"role", role == Role::kUser ? "user" : "assistant"}, {"content", results}});
  }
  return out;
}

// Effort without a budget -> a thinking budget: minimal 1024 (the API's minimum), low 2048,
// medium 8192, high 24576; an unknown effort reads as medium, "none" as no thinking.
std::optional<int64_t> ThinkingBudget(const std::optional<Reasoning>& reasoning) {
  if (!reasoning) return std::nullopt;
  if (reasoning->budget_tokens) return std::max<int64_t>(*reasoning->budget_tokens, 1024);
  const std::string& effort = reasoning->effort;
  if (effort.empty() || effort == "none") return std::nullopt;
  if (effort == "minimal") return 1024;
  if (effort == "low") return 2048;
  if (effort == "high") return 24576;
  return 8192;
}

// Thinking is left off (the request still succeeds, without reasoning) when Anthropic would
// reject it: with a forced tool choice (any / tool), and when the last assistant turn calls a
// tool without starting with a thinking block (its reasoning came from another provider or was
// unsigned), which the API refuses while thinking is on.
bool ThinkingAllowed(const Request& request, const json& messages) {
  if (request.tool_choice && !request.tools.empty() &&
      (request.tool_choice->mode == ToolChoice::Mode::kRequired ||
       request.tool_choice->mode == ToolChoice::Mode::kNamed)) {
    return false;
  }
  for (auto it = messages.rbegin(); it != messages.rend(); ++it) {
    if ((*it)["role"] != "assistant") continue;
    const json& content = (*it)["content"];
    bool calls = std::any_of(content.begin(), content.end(),
                             [](const json& b) { return b["type"] == "tool_use"; });
    const json& first = content.front()["type"];
    return !calls || first == "thinking" || first == "redacted_thinking";
  }
  return true;
}

void EncodeTools(const Request& request, json& body) {
  if (request.tools.empty()) return;  // a tool_choice without tools is meaningless: omitted
  json tools = json::array();
  for (const Tool& tool : request.tools) {
    // Anthropic requires an object schema with `type`; a tool without parameters has none.
    json schema = tool.parameters.is_object() ? tool.parameters : json::object();
    if (!schema.contains("type")) schema["type"] = "object";
    json t = {{"name", tool.name}, {"input_schema", std::move(schema)}};
    if (!tool.description.empty()) t["description"] = tool.description;
    AddCacheControl(tool.cache_control, t);
    tools.push_back(std::move(t));
  }
  body["tools"] = std::move(tools);
  const ToolChoice choice = request.tool_choice.value_or(ToolChoice{});
  json tc;
  switch (choice.mode) {
    case ToolChoice::Mode::kAuto:
      tc = {{"type", "auto"}};
      break;
    case ToolChoice::Mode::kRequired:
      tc = {{"type", "any"}};
      break;
    case ToolChoice::Mode::kNone:
      tc = {{"type", "none"}};
      break;
    case ToolChoice::Mode::kNamed:
      tc = {{"type", "tool"}, {"name", choice.name}};
      break;
  }
  // disable_parallel_tool_use exists on auto / any / tool, not on none.
  const bool serial = request.parallel_tool_calls == false;
  if (serial && choice.mode != ToolChoice::Mode::kNone) tc["disable_parallel_tool_use"] = true;
  if (request.tool_choice || serial) body["tool_choice"] = std::move(tc);
}

// With thinking on, Anthropic rejects temperature and top_k and accepts top_p only within
// [0.95, 1] (extended thinking docs, "feature compatibility"): those are dropped.
void EncodeSampling(const Request& request, bool thinking, json& body) {
  if (request.temperature && !thinking) body["temperature"] = *request.temperature;
  if (request.top_k && !thinking) body["top_k"] = *request.top_k;
  if (request.top_p && (!thinking || *request.top_p >= 0.95)) body["top_p"] = *request.top_p;
  if (!request.stop.empty()) body["stop_sequences"] = request.stop;
  if (!request.user.empty()) body["metadata"] = {{"user_id", request.user}};
}

json EncodeSystem(const std::vector<Part>& system) {
  json blocks = json::array();
  for (const Part& part : system) {
    if (part.text.empty()) continue;
    json block = {{"type", "text"}, {"text", part.text}};
    AddCacheControl(part.cache_control, block);
    blocks.push_back(std::move(block));
  }
  return blocks;
}

}  // namespace

nlohmann::json EncodeRequest(const Request& request, std::string_view upstream_model,
                             int64_t default_max_tokens) {
  json body = {{"model", upstream_model}};
  if (json system = EncodeSystem(request.system); !system.empty()) body["system"] = system;
  body["messages"] = EncodeMessages(request.messages);
  std::optional<int64_t> budget = ThinkingBudget(request.reasoning);
  if (budget && !ThinkingAllowed(request, body["messages"])) budget.reset();
  // The thinking budget counts against max_tokens, which must exceed it.
  int64_t max_tokens = request.max_tokens.value_or(default_max_tokens);
  if (budget && max_tokens <= *budget) max_tokens = *budget + default_max_tokens;
  body["max_tokens"] = max_tokens;
  if (budget) body["thinking"] = {{"type", "enabled"}, {"budget_tokens", *budget}};
  EncodeTools(request, body);
  EncodeSampling(request, budget.has_value(), body);
  body["stream"] = request.stream;
  return body;
}

}  // namespace gw::dialects::anthropic

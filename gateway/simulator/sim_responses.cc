#include "gateway/simulator/sim_responses.h"

#include <charconv>

#include "base/json/json_writer.h"

namespace gw::simulator {
namespace {

using json::AppendJsonString;

void AppendNumber(std::string& out, uint64_t value) {
  char buffer[24];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, end);
}

// `"id":..,"object":..,"created":..,"model":..` (no braces), shared by bodies and chunks.
void AppendIdentity(std::string& out, const ResponseIdentity& identity, std::string_view object) {
  out += "\"id\":";
  AppendJsonString(out, identity.id);
  out += ",\"object\":\"";
  out += object;
  out += "\",\"created\":";
  AppendNumber(out, static_cast<uint64_t>(identity.created));
  out += ",\"model\":";
  AppendJsonString(out, identity.model);
}

void AppendUsageObject(std::string& out, const UsageCounts& usage) {
  if (usage.invalid) {
    out += R"({"prompt_tokens":"unknown","completion_tokens":-1,"total_tokens":-1})";
    return;
  }
  out += "{\"prompt_tokens\":";
  AppendNumber(out, usage.prompt_tokens);
  out += ",\"completion_tokens\":";
  AppendNumber(out, usage.completion_tokens);
  out += ",\"total_tokens\":";
  AppendNumber(out, usage.prompt_tokens + usage.completion_tokens);
  out += ",\"prompt_tokens_details\":{\"cached_tokens\":";
  AppendNumber(out, usage.cached_tokens);
  if (usage.cache_write_tokens > 0) {
    out += ",\"cache_write_tokens\":";
    AppendNumber(out, usage.cache_write_tokens);
  }
  out += "},\"completion_tokens_details\":{\"reasoning_tokens\":";
  AppendNumber(out, usage.reasoning_tokens);
  out += "}}";
}

// `{"id":..,"type":"function","function":{"name":..,"arguments":..}}` without the index.
void AppendToolCall(std::string& out, const ToolCallText& call, std::string_view arguments) {
  out += "\"id\":";
  AppendJsonString(out, call.id);
  out += ",\"type\":\"function\",\"function\":{\"name\":\"";
  out += call.name;
  out += "\",\"arguments\":";
  AppendJsonString(out, arguments);
  out += "}}";
}

void AppendChoice(std::string& out, Api api, uint32_t index, const ChoiceText& choice) {
  if (api == Api::kChat && choice.tool_call != nullptr) {
    out += "{\"index\":";
    AppendNumber(out, index);
    out += ",\"message\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{";
    AppendToolCall(out, *choice.tool_call, choice.tool_call->arguments);
    out += "],\"refusal\":null},\"logprobs\":null,\"finish_reason\":\"";
  } else if (api == Api::kChat) {
    out += "{\"index\":";
    AppendNumber(out, index);
    out += ",\"message\":{\"role\":\"assistant\",\"content\":\"";
    out += choice.text;
    out += "\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":\"";
  } else {
    out += "{\"text\":\"";
    out += choice.text;
    out += "\",\"index\":";
    AppendNumber(out, index);
    out += ",\"logprobs\":null,\"finish_reason\":\"";
  }
  out += choice.finish_reason;
  out += "\"}";
}

}  // namespace

std::string BuildCompletionBody(const ResponseIdentity& identity,
                                std::span<const ChoiceText> choices, const UsageCounts* usage) {
  std::string out;
  size_t text_bytes = 0;
  for (const ChoiceText& choice : choices) text_bytes += choice.text.size();
  out.reserve(320 + identity.model.size() + text_bytes + choices.size() * 96);
  out += '{';
  AppendIdentity(out, identity, identity.api == Api::kChat ? "chat.completion" : "text_completion");
  out += ",\"choices\":[";
  for (uint32_t i = 0; i < choices.size(); ++i) {
    if (i > 0) out += ',';
    AppendChoice(out, identity.api, i, choices[i]);
  }
  out += ']';
  if (usage != nullptr) {
    out += ",\"usage\":";
    AppendUsageObject(out, *usage);
  }
  out += '}';
  return out;
}

ChunkWriter::ChunkWriter(const ResponseIdentity& identity, bool usage_null) : api_(identity.api) {
  head_ = "data: {";
  AppendIdentity(head_, identity,
                 identity.api == Api::kChat ? "chat.completion.chunk" : "text_completion");
  head_ += ",\"choices\":[";
  tail_ = usage_null ? "],\"usage\":null}\n\n" : "]}\n\n";
}

void ChunkWriter::AppendChoiceHead(std::string& out, uint32_t index) const {
  out += head_;
  out += "{\"index\":";
  AppendNumber(out, index);
}

void ChunkWriter::AppendRole(std::string& out, uint32_t index) const {
  if (api_ != Api::kChat) return;
  AppendChoiceHead(out, index);
  out += ",\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}";
  out += ",\"logprobs\":null,\"finish_reason\":null}";
  out += tail_;
}

void ChunkWriter::AppendToken(std::string& out, uint32_t index, std::string_view token) const {
  AppendChoiceHead(out, index);
  out += api_ == Api::kChat ? ",\"delta\":{\"content\":\"" : ",\"text\":\"";
  out += token;
  out += api_ == Api::kChat ? "\"}" : "\"";
  out += ",\"logprobs\":null,\"finish_reason\":null}";
  out += tail_;
}

void ChunkWriter::AppendToolCallStart(std::string& out, uint32_t index,
                                      const ToolCallText& call) const {
  AppendChoiceHead(out, index);
  out += ",\"delta\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,";
  AppendToolCall(out, call, "");
  out += "],\"refusal\":null},\"logprobs\":null,\"finish_reason\":null}";
  out += tail_;
}

void ChunkWriter::AppendToolCallArguments(std::string& out, uint32_t index,
                                          std::string_view piece) const {
  AppendChoiceHead(out, index);
  out += ",\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":";
  AppendJsonString(out, piece);
  out += "}}]},\"logprobs\":null,\"finish_reason\":null}";
  out += tail_;
}

void ChunkWriter::AppendFinish(std::string& out, uint32_t index,
                               std::string_view finish_reason) const {
  AppendChoiceHead(out, index);
  out += api_ == Api::kChat ? ",\"delta\":{}" : ",\"text\":\"\"";
  out += ",\"logprobs\":null,\"finish_reason\":\"";
  out += finish_reason;
  out += "\"}";
  out += tail_;
}

void ChunkWriter::AppendUsage(std::string& out, const UsageCounts& usage) const {
  out += head_;
  out += "],\"usage\":";
  AppendUsageObject(out, usage);
  out += "}\n\n";
}

void ChunkWriter::AppendDone(std::string& out) { out += "data: [DONE]\n\n"; }

void ChunkWriter::AppendMalformed(std::string& out) { out += "data: {\"id\": broken\n\n"; }

std::string ErrorBody(std::string_view message, std::string_view type, std::string_view code) {
  std::string out = "{\"error\":{\"message\":";
  AppendJsonString(out, message);
  out += ",\"type\":";
  AppendJsonString(out, type);
  out += ",\"param\":null,\"code\":";
  if (code.empty()) {
    out += "null";
  } else {
    AppendJsonString(out, code);
  }
  out += "}}";
  return out;
}

std::string SimulatedErrorBody(uint32_t status) {
  std::string_view type = status >= 500 ? "server_error" : "invalid_request_error";
  std::string_view code;
  switch (status) {
    case 401:
      type = "authentication_error";
      code = "invalid_api_key";
      break;
    case 403:
      type = "permission_error";
      break;
    case 404:
      type = "not_found_error";
      code = "model_not_found";
      break;
    case 429:
      type = "rate_limit_error";
      code = "rate_limit_exceeded";
      break;
    case 503:
      code = "service_unavailable";
      break;
    default:
      break;
  }
  return ErrorBody("simulated error: status " + std::to_string(status) + " (gateway-sim)", type,
                   code);
}

void AppendMidStreamError(std::string& out) {
  out += "data: ";
  out += ErrorBody("simulated mid-stream error (gateway-sim)", "server_error", "");
  out += "\n\n";
}

}  // namespace gw::simulator

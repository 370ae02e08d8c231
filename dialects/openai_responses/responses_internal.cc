#include "dialects/openai_responses/responses_internal.h"

#include <utility>

namespace gw::dialects::openai_responses::internal {
namespace {

using nlohmann::json;
using ojson = nlohmann::ordered_json;

}  // namespace

bool RequireString(const json& object, const char* key, const std::string& path, std::string& out,
                   openai_chat::internal::Errors& errors) {
  if (openai_chat::internal::ReadString(object, key, path, out, errors)) return true;
  return errors.ok() ? errors.Fail(openai_chat::internal::Join(path, key), "required") : false;
}

std::string ItemId(std::string_view prefix, std::string_view response_id, size_t index) {
  for (std::string_view known : {"resp_", "gen-"}) {
    if (response_id.substr(0, known.size()) == known) {
      response_id.remove_prefix(known.size());
      break;
    }
  }
  std::string id(prefix);
  id += '_';
  id += response_id;
  id += '_';
  id += std::to_string(index);
  return id;
}

ojson OutputText(const std::string& text) {
  return {{"type", "output_text"},
          {"text", text},
          {"annotations", ojson::array()},
          {"logprobs", ojson::array()}};
}

ojson MessageItem(const std::string& id, std::string_view status, ojson content) {
  return {{"type", "message"},
          {"id", id},
          {"status", status},
          {"role", "assistant"},
          {"content", std::move(content)}};
}

ojson ReasoningItem(const std::string& id, const std::string& summary,
                    const std::string& encrypted_content) {
  ojson parts = ojson::array();
  if (!summary.empty()) parts.push_back({{"type", "summary_text"}, {"text", summary}});
  ojson item = {{"type", "reasoning"}, {"id", id}, {"summary", std::move(parts)}};
  if (!encrypted_content.empty()) item["encrypted_content"] = encrypted_content;
  return item;
}

ojson FunctionCallItem(const std::string& id, std::string_view status, const std::string& call_id,
                       const std::string& name, const std::string& arguments) {
  return {{"type", "function_call"}, {"id", id},     {"status", status},
          {"call_id", call_id},      {"name", name}, {"arguments", arguments}};
}

Outcome OutcomeOf(std::string_view finish_reason) {
  if (finish_reason == "length") {
    return {"incomplete", {{"reason", "max_output_tokens"}}, nullptr};
  }
  if (finish_reason == "content_filter") {
    return {"incomplete", {{"reason", "content_filter"}}, nullptr};
  }
  if (finish_reason == "error") {
    return {"failed", nullptr, ErrorOf(0, "the provider ended the generation with an error")};
  }
  return {"completed", nullptr, nullptr};
}

ojson ErrorOf(int status, const std::string& message) {
  return {{"code", status == 429 ? "rate_limit_exceeded" : "server_error"}, {"message", message}};
}

ojson UsageOf(const std::optional<TokenUsage>& usage, const json& extra) {
  if (!usage) return nullptr;
  const int64_t total = usage->total_tokens != 0
                            ? usage->total_tokens
                            : AddCounts(usage->prompt_tokens, usage->completion_tokens);
  ojson out = {{"input_tokens", usage->prompt_tokens},
               {"input_tokens_details", {{"cached_tokens", usage->cached_tokens}}},
               {"output_tokens", usage->completion_tokens},
               {"output_tokens_details", {{"reasoning_tokens", usage->reasoning_tokens}}},
               {"total_tokens", total}};
  if (extra.is_object()) {
    for (const auto& [key, value] : extra.items()) {
      if (!out.contains(key)) out[key] = value;
    }
  }
  return out;
}

ojson ResponseObject(const std::string& id, const std::string& model,
                     const ResponseContext& context, const Outcome& outcome, ojson output,
                     ojson usage) {
  return {{"id", id},
          {"object", "response"},
          {"created_at", context.created_at},
          {"status", outcome.status},
          {"background", false},
          {"error", outcome.error},
          {"incomplete_details", outcome.incomplete_details},
          {"instructions", context.instructions},
          {"max_output_tokens", context.max_output_tokens},
          {"max_tool_calls", context.max_tool_calls},
          {"model", model},
          {"output", std::move(output)},
          {"parallel_tool_calls", context.parallel_tool_calls},
          {"previous_response_id", context.previous_response_id},
          {"prompt_cache_key", context.prompt_cache_key},
          {"reasoning", context.reasoning},
          {"safety_identifier", context.safety_identifier},
          {"service_tier", context.service_tier},
          {"store", context.store},
          {"temperature", context.temperature},
          {"text", context.text},
          {"tool_choice", context.tool_choice},
          {"tools", context.tools},
          {"top_logprobs", context.top_logprobs},
          {"top_p", context.top_p},
          {"truncation", context.truncation},
          {"usage", std::move(usage)},
          {"user", context.user},
          {"metadata", context.metadata}};
}

std::string Dump(const ojson& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace gw::dialects::openai_responses::internal

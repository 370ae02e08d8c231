// ContextFromRequest and EncodeResponse: a whole IR response as a Responses object.
//
// Mapping decisions (documented in docs/dialects.md):
// - Consecutive text parts make one message item with one output_text part (their texts
//   joined); each thinking part is one reasoning item (its text the one summary_text part, its
//   signature the encrypted_content); each redacted thinking part a reasoning item with an empty
//   summary and the data as encrypted_content; each tool call a function_call item (call_id =
//   the IR id). Items are "completed"; in an incomplete response the last one is "incomplete".
// - Item ids are derived from the response id and the output index (internal::ItemId), so they
//   are stable and unique per response.
// - native_finish_reason has no Responses field and is not written.
#include <utility>

#include "dialects/openai_responses/responses_codec.h"
#include "dialects/openai_responses/responses_internal.h"

namespace gw::dialects::openai_responses {
namespace {

using nlohmann::json;
using ojson = nlohmann::ordered_json;

// body[key] when it satisfies `is`, else `fallback`.
template <typename Is>
json Echo(const json& body, const char* key, Is is, json fallback = nullptr) {
  auto it = body.find(key);
  return it != body.end() && (it.value().*is)() ? *it : fallback;
}

ojson OutputOf(const Response& response, std::string_view status) {
  ojson output = ojson::array();
  std::string text;
  bool in_text = false;
  auto flush_text = [&] {
    if (!in_text) return;
    output.push_back(internal::MessageItem(internal::ItemId("msg", response.id, output.size()),
                                           "completed",
                                           ojson::array({internal::OutputText(text)})));
    text.clear();
    in_text = false;
  };
  for (const Part& part : response.content) {
    if (part.kind == Part::Kind::kText) {
      text += part.text;
      in_text = true;
      continue;
    }
    flush_text();
    const size_t index = output.size();
    if (part.kind == Part::Kind::kThinking) {
      output.push_back(internal::ReasoningItem(internal::ItemId("rs", response.id, index),
                                               part.text, part.signature));
    } else if (part.kind == Part::Kind::kRedactedThinking) {
      output.push_back(
          internal::ReasoningItem(internal::ItemId("rs", response.id, index), "", part.text));
    } else if (part.kind == Part::Kind::kToolCall) {
      output.push_back(internal::FunctionCallItem(internal::ItemId("fc", response.id, index),
                                                  "completed", part.id, part.name,
                                                  part.arguments.empty() ? "{}" : part.arguments));
    }
  }
  flush_text();
  if (status == "incomplete" && !output.empty() && output.back().contains("status")) {
    output.back()["status"] = "incomplete";
  }
  return output;
}

}  // namespace

ResponseContext ContextFromRequest(const json& body, int64_t created_at) {
  ResponseContext context;
  context.created_at = created_at;
  if (!body.is_object()) return context;
  context.instructions = Echo(body, "instructions", &json::is_string);
  context.tools = Echo(body, "tools", &json::is_array, json::array());
  context.tool_choice = Echo(body, "tool_choice", &json::is_object, context.tool_choice);
  context.tool_choice = Echo(body, "tool_choice", &json::is_string, context.tool_choice);
  context.parallel_tool_calls =
      Echo(body, "parallel_tool_calls", &json::is_boolean, true).get<bool>();
  context.max_output_tokens = Echo(body, "max_output_tokens", &json::is_number_integer);
  context.max_tool_calls = Echo(body, "max_tool_calls", &json::is_number_integer);
  context.temperature = Echo(body, "temperature", &json::is_number);
  context.top_p = Echo(body, "top_p", &json::is_number);
  context.top_logprobs = Echo(body, "top_logprobs", &json::is_number_integer);
  context.text = Echo(body, "text", &json::is_object, context.text);
  if (!context.text.contains("format")) context.text["format"] = {{"type", "text"}};
  if (const json reasoning = Echo(body, "reasoning", &json::is_object); !reasoning.is_null()) {
    context.reasoning["effort"] = Echo(reasoning, "effort", &json::is_string);
    context.reasoning["summary"] = Echo(reasoning, "summary", &json::is_string);
  }
  context.metadata = Echo(body, "metadata", &json::is_object, json::object());
  context.store = Echo(body, "store", &json::is_boolean, true).get<bool>();
  context.previous_response_id = Echo(body, "previous_response_id", &json::is_string);
  context.prompt_cache_key = Echo(body, "prompt_cache_key", &json::is_string);
  context.safety_identifier = Echo(body, "safety_identifier", &json::is_string);
  context.service_tier = Echo(body, "service_tier", &json::is_string);
  context.truncation = Echo(body, "truncation", &json::is_string, context.truncation);
  context.user = Echo(body, "user", &json::is_string);
  return context;
}

std::string EncodeResponse(const Response& response, const ResponseContext& context) {
  const internal::Outcome outcome = internal::OutcomeOf(response.finish_reason);
  return internal::Dump(internal::ResponseObject(
      response.id, response.model, context, outcome, OutputOf(response, outcome.status),
      internal::UsageOf(response.usage, response.usage_extra)));
}

}  // namespace gw::dialects::openai_responses

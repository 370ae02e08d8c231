// Whole Responses objects: a chat.completion (as the gateway's adapter rewrote it) for a Responses
// client (gateway/api/responses_translation ChatToResponsesResponse: openai_chat::DecodeResponse
// + openai_responses::EncodeResponse), and a Responses-native upstream's object
// (openai_responses::DecodeResponse) encoded back as a Responses object and as a chat.completion.
// Input: byte 0 picks the direction, the rest is the endpoint's answer.
// Invariants: the encoded object is JSON the server can scan, object "response", status
// completed / incomplete / failed as the finish reason says, output items of known types with
// unique ids; the native decoder reads it back with the same text, thinking, tool calls, finish
// reason and usage; its output items replay as a stored history; decoded usage counts are never
// negative; a chat.completion encoded from a native object decodes again with the same content.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "base/json/json_scan.h"
#include "dialects/openai_chat/chat_codec.h"
#include "dialects/openai_responses/responses_codec.h"
#include "fuzz/fuzz_check.h"
#include "gateway/api/responses_translation.h"

namespace {

namespace openai_chat = gw::dialects::openai_chat;
namespace responses = gw::dialects::openai_responses;
using gw::dialects::Part;
using gw::dialects::Response;
using nlohmann::json;

// What a Codex request echoes.
const responses::ResponseContext& Context() {
  static const responses::ResponseContext context = responses::ContextFromRequest(
      json::parse(R"({"model":"gpt-5-codex","instructions":"Be brief.","store":true,
        "tools":[{"type":"function","name":"shell","parameters":{"type":"object"}},
                 {"type":"web_search"}],
        "tool_choice":"auto","reasoning":{"effort":"medium","summary":"auto"},
        "prompt_cache_key":"k","metadata":{"a":"b"}})"),
      1700000000);
  return context;
}

json ParseValid(const std::string& text) {
  std::vector<gw::json::Member> members;
  FUZZ_CHECK(!gw::json::ScanObject(text, members));  // an object, no duplicate keys
  json parsed = json::parse(text, nullptr, false);
  FUZZ_CHECK(parsed.is_object());
  return parsed;
}

void CheckUsage(const gw::dialects::TokenUsage& usage) {
  FUZZ_CHECK(usage.prompt_tokens >= 0 && usage.completion_tokens >= 0);
  FUZZ_CHECK(usage.total_tokens >= 0 && usage.cached_tokens >= 0);
  FUZZ_CHECK(usage.cache_write_tokens >= 0 && usage.reasoning_tokens >= 0);
}

// The content of a response as it survives any encoding: text and thinking concatenated, the
// tool calls in order.
struct Content {
  std::string text, thinking;
  std::vector<std::string> calls;  // id, name, arguments
  bool operator==(const Content&) const = default;
};

Content ContentOf(const Response& response) {
  Content content;
  for (const Part& part : response.content) {
    if (part.kind == Part::Kind::kText) content.text += part.text;
    if (part.kind == Part::Kind::kThinking) content.thinking += part.text;
    if (part.kind == Part::Kind::kToolCall) {
      content.calls.push_back(part.id + '\0' + part.name + '\0' +
                              (part.arguments.empty() ? "{}" : part.arguments));
    }
  }
  return content;
}

std::string ExpectedStatus(const std::string& finish_reason) {
  if (finish_reason == "length" || finish_reason == "content_filter") return "incomplete";
  if (finish_reason == "error") return "failed";
  return "completed";
}

// `encoded` is EncodeResponse(response, Context()).
void CheckEncoded(const std::string& encoded, const Response& response) {
  const json object = ParseValid(encoded);
  FUZZ_CHECK(object["object"] == "response");
  FUZZ_CHECK(object["id"] == response.id && object["model"] == response.model);
  const std::string status = ExpectedStatus(response.finish_reason);
  FUZZ_CHECK(object["status"] == status);
  FUZZ_CHECK(object["error"].is_null() == (status != "failed"));
  FUZZ_CHECK(object["incomplete_details"].is_null() == (status != "incomplete"));
  FUZZ_CHECK(object["usage"].is_null() == !response.usage.has_value());
  const json& output = object["output"];
  FUZZ_CHECK(output.is_array());
  std::set<std::string> ids;
  for (const json& item : output) {
    FUZZ_CHECK(item.is_object() && item["id"].is_string());
    FUZZ_CHECK(ids.insert(item["id"].get<std::string>()).second);
    const std::string type = item["type"];
    FUZZ_CHECK(type == "message" || type == "reasoning" || type == "function_call");
  }

  // The native decoder reads our own object back.
  Response again;
  FUZZ_CHECK(responses::DecodeResponse(object, again).empty());
  FUZZ_CHECK(ContentOf(again) == ContentOf(response));
  FUZZ_CHECK(again.id == response.id && again.model == response.model);
  const bool called = !ContentOf(response).calls.empty();
  if (status == "completed") {
    FUZZ_CHECK(again.finish_reason == (called ? "tool_calls" : "stop"));
  } else {
    FUZZ_CHECK(again.finish_reason == response.finish_reason);
  }
  FUZZ_CHECK(again.usage.has_value() == response.usage.has_value());
  if (response.usage) {
    const gw::dialects::TokenUsage& in = *response.usage;
    const gw::dialects::TokenUsage& out = *again.usage;
    FUZZ_CHECK(out.prompt_tokens == in.prompt_tokens);
    FUZZ_CHECK(out.completion_tokens == in.completion_tokens);
    FUZZ_CHECK(out.cached_tokens == in.cached_tokens);
    FUZZ_CHECK(out.reasoning_tokens == in.reasoning_tokens);
    if (in.total_tokens != 0) FUZZ_CHECK(out.total_tokens == in.total_tokens);
  }

  // The output items are what a stored response appends to its conversation: a later request
  // with previous_response_id decodes them as history (assistant turns only).
  std::vector<gw::dialects::Message> messages;
  std::vector<Part> system;
  FUZZ_CHECK(responses::DecodeInput(output, "history", messages, system).empty());
  FUZZ_CHECK(system.empty() && messages.size() <= 1);
  size_t calls = 0;
  for (const gw::dialects::Message& message : messages) {
    FUZZ_CHECK(message.role == gw::dialects::Role::kAssistant);
    for (const Part& part : message.parts) calls += part.kind == Part::Kind::kToolCall;
  }
  FUZZ_CHECK(calls == ContentOf(response).calls.size());
}

// A chat endpoint's answer for a Responses client.
void ChatToResponses(std::string_view body) {
  std::string encoded;
  if (!gw::api::ChatToResponsesResponse(body, Context(), encoded).empty()) return;
  Response response;
  FUZZ_CHECK(openai_chat::DecodeResponse(json::parse(body), response).empty());
  if (response.usage) CheckUsage(*response.usage);
  CheckEncoded(encoded, response);
}

// A Responses-native upstream's answer.
void ResponsesNative(std::string_view body) {
  const json parsed = json::parse(body, nullptr, false);
  if (parsed.is_discarded()) return;
  Response response;
  if (!responses::DecodeResponse(parsed, response).empty()) return;
  if (response.usage) CheckUsage(*response.usage);
  CheckEncoded(responses::EncodeResponse(response, Context()), response);

  // For a chat client: the chat codec reads its own encoding back.
  Response chat;
  FUZZ_CHECK(
      openai_chat::DecodeResponse(ParseValid(openai_chat::EncodeResponse(response)), chat).empty());
  FUZZ_CHECK(ContentOf(chat) == ContentOf(response));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const std::string_view body = gw::fuzz::AsText(data + 1, size - 1);
  if (data[0] % 2 == 0) {
    ChatToResponses(body);
  } else {
    ResponsesNative(body);
  }
  return 0;
}

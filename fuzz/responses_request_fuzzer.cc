// The Responses request path (POST /v1/responses on a translated endpoint): a client's body
// through gateway/api/responses_translation ResponsesToChatBody (openai_responses::DecodeRequest,
// ContextFromRequest, InputItems, openai_chat::EncodeRequest), then what the endpoint's adapter
// does with the chat body: the OpenAI one's passthrough rewrite, the Anthropic one's
// openai_chat::DecodeRequest + anthropic::EncodeRequest.
// Input: byte 0 picks how much of an `input` array becomes a stored history (what
// previous_response_id resolves to), the rest is the body; only bodies the gateway's own JSON
// scanner accepts go on, as in the server.
// Invariants: ContextFromRequest never throws and its echo encodes; InputItems is an array or
// null; an accepted body's chat body is a JSON object the server can scan (nesting aside), with
// the upstream model and a messages array of known roles, and the Anthropic adapter's decoder
// accepts it with the same tool calls, tool results, images and tools; a request decodes alike
// whether its first items come as history or as input, and its conversation (history + input
// items, what a stored response keeps) replays as history to the same chat body; the facts the
// server reads from the body (stream, max_output_tokens, user) agree with the decoder's.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "base/json/json_scan.h"
#include "dialects/anthropic/messages_codec.h"
#include "dialects/openai_chat/chat_codec.h"
#include "dialects/openai_responses/responses_codec.h"
#include "fuzz/fuzz_check.h"
#include "gateway/api/inference_request.h"
#include "gateway/api/responses_translation.h"
#include "providers/openai/openai_request.h"

namespace {

namespace anthropic = gw::dialects::anthropic;
namespace openai_chat = gw::dialects::openai_chat;
namespace responses = gw::dialects::openai_responses;
using gw::dialects::Part;
using gw::dialects::Request;
using nlohmann::json;

constexpr std::string_view kModel = "upstream/model";
constexpr int64_t kCreatedAt = 1700000000;

std::string Dump(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

// What a request carries that must survive the trip through chat.
struct Counts {
  size_t tool_calls = 0, tool_results = 0, images = 0, tools = 0;
  bool operator==(const Counts&) const = default;
};

void Count(const std::vector<Part>& parts, Counts& counts) {
  for (const Part& part : parts) {
    if (part.kind == Part::Kind::kToolCall) ++counts.tool_calls;
    if (part.kind == Part::Kind::kToolResult) ++counts.tool_results;
    if (part.kind == Part::Kind::kImage) ++counts.images;
    Count(part.content, counts);
  }
}

Counts CountsOf(const Request& request) {
  Counts counts;
  for (const gw::dialects::Message& message : request.messages) Count(message.parts, counts);
  counts.tools = request.tools.size();
  return counts;
}

// Echoing any body never throws, and the echo encodes as valid JSON.
void CheckContext(const json& body) {
  const responses::ResponseContext context = responses::ContextFromRequest(body, kCreatedAt);
  FUZZ_CHECK(context.created_at == kCreatedAt);
  FUZZ_CHECK(context.tools.is_array() && context.metadata.is_object());
  FUZZ_CHECK(context.text.is_object() && context.text.contains("format"));
  gw::dialects::Response empty;
  empty.finish_reason = "stop";
  FUZZ_CHECK(!gw::json::Validate(responses::EncodeResponse(empty, context)));
}

void CheckInputItems(const json& body) {
  if (!body.contains("input")) return;
  const json& input = body["input"];
  const json items = responses::InputItems(input);
  if (input.is_array()) {
    FUZZ_CHECK(items == input);
  } else if (input.is_string()) {
    FUZZ_CHECK(items.is_array() && items.size() == 1);
    // The stored form of a string input decodes to the same one user text.
    std::vector<gw::dialects::Message> messages;
    std::vector<Part> system;
    FUZZ_CHECK(responses::DecodeInput(items, "input", messages, system).empty());
    FUZZ_CHECK(system.empty() && messages.size() == 1 && messages[0].parts.size() == 1);
    FUZZ_CHECK(messages[0].role == gw::dialects::Role::kUser);
    FUZZ_CHECK(messages[0].parts[0].text == input.get<std::string>());
  } else {
    FUZZ_CHECK(items.is_null());
  }
}

// The chat body every attempt sends, as the endpoints' adapters take it.
void CheckChatBody(const std::string& chat_body, const Request& decoded) {
  std::vector<gw::json::Member> members;
  if (std::optional<gw::json::ScanError> error = gw::json::ScanObject(chat_body, members)) {
    // The server scans it (PrepareResponses) and answers 400 when it cannot: only a body nested
    // to the scanner's limit can grow past it (tool parameters move one level down).
    FUZZ_CHECK(error->message.find("nesting deeper") != std::string::npos);
    return;
  }
  const json chat = json::parse(chat_body, nullptr, false);
  FUZZ_CHECK(chat.is_object());
  FUZZ_CHECK(chat.contains("model") && chat["model"] == kModel);
  FUZZ_CHECK(chat.contains("messages") && chat["messages"].is_array());
  for (const json& message : chat["messages"]) {
    FUZZ_CHECK(message.is_object() && message.contains("role") && message["role"].is_string());
    const std::string role = message["role"];
    FUZZ_CHECK(role == "system" || role == "user" || role == "assistant" || role == "tool");
  }

  // The OpenAI adapter's passthrough rewrite.
  const std::string rewritten =
      gw::providers::openai::RewriteRequestBody(members, "vendor/model", decoded.stream);
  FUZZ_CHECK(!gw::json::ScanObject(rewritten, members));

  // The Anthropic adapter: chat decoded again, encoded as Messages.
  Request again;
  FUZZ_CHECK(openai_chat::DecodeRequest(chat, again).empty());
  FUZZ_CHECK(CountsOf(again) == CountsOf(decoded));
  FUZZ_CHECK(again.stream == decoded.stream && again.max_tokens == decoded.max_tokens);
  const std::string messages = Dump(anthropic::EncodeRequest(again, "claude-model", 4096));
  FUZZ_CHECK(!gw::json::Validate(messages));
}

// The server's own reading of the body (gateway/api/inference_request) agrees with the codec's.
void CheckFacts(std::string_view text, const json& body, const Request& decoded) {
  gw::api::InferenceRequest request;
  if (!gw::api::DecodeInferenceRequest(text, gw::api::InferenceKind::kResponses, request).empty()) {
    return;
  }
  FUZZ_CHECK(request.stream == decoded.stream);
  FUZZ_CHECK(request.user == decoded.user);
  // The limit is max_output_tokens when the body has one (a stray chat max_tokens in a Responses
  // body also sets the server's fact, which the decoder ignores: docs/fuzzing.md).
  if (body.contains("max_output_tokens") && !body["max_output_tokens"].is_null()) {
    FUZZ_CHECK(request.max_tokens == decoded.max_tokens);
  }
}

// The first `split` items of the input array as a stored history, the rest as input (absent
// when none is left and `drop_empty`): decoded exactly like the whole input.
void CheckSplit(const json& body, const std::string& problem, const gw::api::ResponsesTurn& turn,
                size_t split, bool drop_empty) {
  const json& input = body["input"];
  split = std::min(split, input.size());
  json history = json::array();
  json rest = json::array();
  for (size_t i = 0; i < input.size(); ++i) (i < split ? history : rest).push_back(input[i]);
  json split_body = body;
  if (rest.empty() && drop_empty) {
    split_body.erase("input");
  } else {
    split_body["input"] = rest;
  }
  gw::api::ResponsesTurn split_turn;
  const std::string split_problem =
      gw::api::ResponsesToChatBody(Dump(split_body), history, kModel, kCreatedAt, split_turn);
  FUZZ_CHECK(split_problem.empty() == problem.empty());
  if (!problem.empty()) return;
  FUZZ_CHECK(split_turn.chat_body == turn.chat_body);
  FUZZ_CHECK(split_turn.conversation == turn.conversation);
}

// The conversation a stored response keeps, as the history of a request without input (the
// response's own output items are appended in the real store: responses_response checks those).
void CheckReplay(const json& body, const gw::api::ResponsesTurn& turn) {
  json next = body;
  next.erase("input");
  gw::api::ResponsesTurn replay;
  FUZZ_CHECK(gw::api::ResponsesToChatBody(Dump(next), turn.conversation, kModel, kCreatedAt, replay)
                 .empty());
  FUZZ_CHECK(replay.chat_body == turn.chat_body);
  FUZZ_CHECK(replay.conversation == turn.conversation);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const std::string_view text = gw::fuzz::AsText(data + 1, size - 1);
  std::vector<gw::json::Member> members;
  if (gw::json::ScanObject(text, members)) return 0;  // the server answers 400 before this
  const json body = json::parse(text, nullptr, false);
  if (body.is_discarded()) return 0;  // e.g. 1e400, which nlohmann refuses: a 400 as well
  FUZZ_CHECK(body.is_object());

  CheckContext(body);
  CheckInputItems(body);

  Request decoded;
  const std::string decode_problem = responses::DecodeRequest(body, decoded);
  gw::api::ResponsesTurn turn;
  const std::string problem = gw::api::ResponsesToChatBody(text, nullptr, kModel, kCreatedAt, turn);
  FUZZ_CHECK(problem == decode_problem);

  if (body.contains("input") && body["input"].is_array()) {
    CheckSplit(body, problem, turn, data[0] >> 1, data[0] & 1);
  }
  if (!problem.empty()) return 0;

  FUZZ_CHECK(turn.conversation.is_array());
  FUZZ_CHECK(turn.conversation == responses::InputItems(body["input"]));
  CheckChatBody(turn.chat_body, decoded);
  CheckFacts(text, body, decoded);
  CheckReplay(body, turn);
  return 0;
}

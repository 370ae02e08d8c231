// The Anthropic Messages answers: request validation, the message body, the exact stream event
// sequences (text, thinking, tool_use), usage with cache reads and writes, error bodies and
// count_tokens. Pure functions, no sockets.
#include "gateway/simulator/sim_anthropic.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace gw::simulator {
namespace {

using nlohmann::json;

constexpr std::string_view kWeatherTools =
    R"([{"name":"get_weather","description":"d","input_schema":{"type":"object","properties":)"
    R"({"city":{"type":"string"},"days":{"type":"integer"},"metric":{"type":"boolean"},)"
    R"("unit":{"type":"string","enum":["celsius","fahrenheit"]},"tags":{"type":"array"},)"
    R"("extra":{"type":"object"}}}},{"name":"other","input_schema":{"type":"object"}}])";

MessagesPlan Plan(const std::string& body, const SimOptions& options = {}) {
  MessagesRequest request;
  EXPECT_EQ(ParseMessagesRequest(body, MessagesEndpoint::kCreate, &request), "");
  MessagesPlan plan = MakeMessagesPlan(request, SplitModel(request.model).name, options);
  plan.id = "msg_sim_7";
  return plan;
}

struct Event {
  std::string name;
  json data;
};

// Every `event:`/`data:` pair of a whole stream; the event name must match data.type.
std::vector<Event> Events(const MessagesPlan& plan) {
  MessagesStreamComposer composer(plan);
  std::string out;
  composer.AppendOpening(out);
  while (composer.AppendContentChunk(out)) {
  }
  EXPECT_EQ(composer.content_chunks(), plan.ContentDeltas());
  composer.AppendClosing(out);
  std::vector<Event> events;
  size_t start = 0;
  while (start < out.size()) {
    const size_t end = out.find("\n\n", start);
    EXPECT_NE(end, std::string::npos);
    const std::string event = out.substr(start, end - start);
    const size_t newline = event.find('\n');
    EXPECT_EQ(event.rfind("event: ", 0), 0u) << event;
    EXPECT_EQ(event.compare(newline + 1, 6, "data: "), 0) << event;
    Event parsed{event.substr(7, newline - 7), json::parse(event.substr(newline + 7))};
    EXPECT_EQ(parsed.data["type"], parsed.name);
    events.push_back(std::move(parsed));
    start = end + 2;
  }
  return events;
}

std::vector<std::string> Names(const std::vector<Event>& events) {
  std::vector<std::string> names;
  for (const Event& event : events) {
    std::string name = event.name;
    if (name == "content_block_delta") name = event.data["delta"]["type"];
    names.push_back(name);
  }
  return names;
}

std::string ParseError(std::string_view body,
                       MessagesEndpoint endpoint = MessagesEndpoint::kCreate) {
  MessagesRequest request;
  return ParseMessagesRequest(body, endpoint, &request);
}

TEST(SimAnthropicTest, ValidatesLikeAnthropic) {
  EXPECT_EQ(ParseError(R"({"max_tokens":5,"messages":[]})"), "model: Field required");
  EXPECT_EQ(ParseError(R"({"model":3,"max_tokens":5,"messages":[]})"),
            "model: Input should be a valid string");
  EXPECT_EQ(ParseError(R"({"model":"m","messages":[]})"), "max_tokens: Field required");
  EXPECT_EQ(ParseError(R"({"model":"m","max_tokens":"5","messages":[]})"),
            "max_tokens: Input should be a valid integer");
  EXPECT_EQ(ParseError(R"({"model":"m","max_tokens":1.5,"messages":[]})"),
            "max_tokens: Input should be a valid integer");
  EXPECT_EQ(ParseError(R"({"model":"m","max_tokens":0,"messages":[]})"),
            "max_tokens: Input should be greater than or equal to 1");
  EXPECT_EQ(ParseError(R"({"model":"m","max_tokens":5})"), "messages: Field required");
  EXPECT_EQ(ParseError(R"({"model":"m","max_tokens":5,"messages":{}})"),
            "messages: Input should be a valid list");
  EXPECT_EQ(ParseError(R"({"model":"m","max_tokens":5,"messages":[1]})"),
            "messages.0: Input should be a valid dictionary");
  EXPECT_EQ(ParseError(R"({"model":"m","max_tokens":5,"messages":[],"stream":"yes"})"),
            "stream: Input should be a valid boolean");
  EXPECT_EQ(ParseError(R"({"model":)").rfind("invalid JSON body at byte", 0), 0u);
  // count_tokens needs no max_tokens.
  EXPECT_EQ(ParseError(R"({"model":"m","messages":[]})", MessagesEndpoint::kCountTokens), "");
}

TEST(SimAnthropicTest, CountsSystemAndMessageTextAndSeesToolLoops) {
  MessagesRequest request;
  ASSERT_EQ(
      ParseMessagesRequest(
          R"({"model":"m?tokens=2","max_tokens":32000,"stream":true,)"
          R"("system":[{"type":"text","text":"12345678","cache_control":{"type":"ephemeral"}}],)"
          R"("messages":[{"role":"user","content":"abcd"},)"
          R"({"role":"assistant","content":[{"type":"text","text":"efgh"},)"
          R"({"type":"tool_use","id":"t","name":"n","input":{}}]},)"
          R"({"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":"ij"}]}],)"
          R"("thinking":{"type":"adaptive"},"metadata":{"user_id":"{\"a\":1}"}})",
          MessagesEndpoint::kCreate, &request),
      "");
  EXPECT_EQ(request.model, "m?tokens=2");
  EXPECT_TRUE(request.stream);
  EXPECT_EQ(request.max_tokens, 32000u);
  EXPECT_EQ(request.prompt_tokens, 5u);  // ceil((8 + 4 + 4 + 2) / 4)
  EXPECT_TRUE(request.thinking);
  EXPECT_TRUE(request.after_tool_result);
  ASSERT_EQ(
      ParseMessagesRequest(R"({"model":"m","max_tokens":1,"system":"abcde","messages":[)"
                           R"({"role":"user","content":"x"}],"thinking":{"type":"disabled"}})",
                           MessagesEndpoint::kCreate, &request),
      "");
  EXPECT_EQ(request.prompt_tokens, 2u);
  EXPECT_FALSE(request.thinking);
  EXPECT_FALSE(request.after_tool_result);
  EXPECT_EQ(CountTokensBody(request.prompt_tokens), R"({"input_tokens":2})");
}

TEST(SimAnthropicTest, NonStreamMessageBody) {
  SimOptions options;
  options.tokens = 5;
  const MessagesPlan plan = Plan(R"({"model":"claude-x","max_tokens":100,"messages":[)"
                                 R"({"role":"user","content":"0123456789abcdef"}]})",
                                 options);
  const json body = json::parse(BuildMessageBody(plan));
  EXPECT_EQ(body["id"], "msg_sim_7");
  EXPECT_EQ(body["type"], "message");
  EXPECT_EQ(body["role"], "assistant");
  EXPECT_EQ(body["model"], "claude-x");
  ASSERT_EQ(body["content"].size(), 1u);
  EXPECT_EQ(body["content"][0], json({{"type", "text"}, {"text", GenerateText(0, 0, 5)}}));
  EXPECT_EQ(body["stop_reason"], "end_turn");
  EXPECT_TRUE(body["stop_sequence"].is_null());
  EXPECT_EQ(body["usage"], json({{"input_tokens", 4},
                                 {"output_tokens", 5},
                                 {"cache_read_input_tokens", 0},
                                 {"cache_creation_input_tokens", 0}}));
}

TEST(SimAnthropicTest, MaxTokensCutsTheText) {
  const MessagesPlan plan = Plan(R"({"model":"m","max_tokens":3,"messages":[]})");
  EXPECT_EQ(plan.text_tokens, 3u);
  const json body = json::parse(BuildMessageBody(plan));
  EXPECT_EQ(body["stop_reason"], "max_tokens");
  EXPECT_EQ(body["usage"]["output_tokens"], 3);
}

TEST(SimAnthropicTest, InputTokensExcludeCacheReadsAndWrites) {
  SimOptions options;
  options.cached_tokens = 10;
  options.cache_write_tokens = 6;
  const std::string prompt(100, 'a');  // 25 tokens
  MessagesPlan plan = Plan(
      R"({"model":"m","max_tokens":9,"messages":[{"role":"user","content":")" + prompt + "\"}]}",
      options);
  json usage = json::parse(BuildMessageBody(plan))["usage"];
  EXPECT_EQ(usage["input_tokens"], 9);
  EXPECT_EQ(usage["cache_read_input_tokens"], 10);
  EXPECT_EQ(usage["cache_creation_input_tokens"], 6);
  options.cache_write_tokens = 100;  // more than the prompt: never negative
  plan = Plan(R"({"model":"m","max_tokens":9,"messages":[]})", options);
  usage = json::parse(BuildMessageBody(plan))["usage"];
  EXPECT_EQ(usage["input_tokens"], 0);
  const std::vector<Event> events = Events(plan);
  EXPECT_EQ(events[0].data["message"]["usage"], json({{"input_tokens", 0},
                                                      {"cache_creation_input_tokens", 100},
                                                      {"cache_read_input_tokens", 10},
                                                      {"output_tokens", 1}}));
}

TEST(SimAnthropicTest, TextStreamIsAnthropicsExactSequence) {
  SimOptions options;
  options.tokens = 3;
  options.seed = 4;
  const MessagesPlan plan = Plan(R"({"model":"m","max_tokens":50,"messages":[]})", options);
  const std::vector<Event> events = Events(plan);
  EXPECT_EQ(Names(events),
            (std::vector<std::string>{"message_start", "content_block_start", "ping", "text_delta",
                                      "text_delta", "text_delta", "content_block_stop",
                                      "message_delta", "message_stop"}));
  const json& message = events[0].data["message"];
  EXPECT_EQ(message["id"], "msg_sim_7");
  EXPECT_EQ(message["type"], "message");
  EXPECT_EQ(message["role"], "assistant");
  EXPECT_EQ(message["model"], "m");
  EXPECT_EQ(message["content"], json::array());
  EXPECT_TRUE(message["stop_reason"].is_null());
  EXPECT_TRUE(message["stop_sequence"].is_null());
  EXPECT_EQ(message["usage"]["output_tokens"], 1);
  EXPECT_EQ(events[1].data, json::parse(R"({"type":"content_block_start","index":0,)"
                                        R"("content_block":{"type":"text","text":""}})"));
  std::string text;
  for (size_t i = 3; i < 6; ++i) {
    EXPECT_EQ(events[i].data["index"], 0);
    text += events[i].data["delta"]["text"].get<std::string>();
  }
  EXPECT_EQ(text, GenerateText(4, 0, 3));
  EXPECT_EQ(events[6].data, json::parse(R"({"type":"content_block_stop","index":0})"));
  EXPECT_EQ(events[7].data,
            json::parse(R"({"type":"message_delta","delta":{"stop_reason":"end_turn",)"
                        R"("stop_sequence":null},"usage":{"output_tokens":3}})"));
}

TEST(SimAnthropicTest, ThinkingBlockComesFirst) {
  SimOptions options;
  options.tokens = 2;
  const MessagesPlan plan = Plan(R"({"model":"m","max_tokens":5000,"messages":[],)"
                                 R"("thinking":{"type":"enabled","budget_tokens":2048}})",
                                 options);
  EXPECT_EQ(plan.thinking_tokens, kDefaultThinkingTokens);
  const json body = json::parse(BuildMessageBody(plan));
  ASSERT_EQ(body["content"].size(), 2u);
  EXPECT_EQ(body["content"][0]["type"], "thinking");
  EXPECT_FALSE(body["content"][0]["thinking"].get<std::string>().empty());
  EXPECT_EQ(body["content"][0]["signature"], plan.Signature());
  EXPECT_EQ(body["content"][1]["type"], "text");
  EXPECT_EQ(body["usage"]["output_tokens"], kDefaultThinkingTokens + 2);

  options.thinking_tokens = 2;  // the option alone turns thinking on
  const MessagesPlan optioned = Plan(R"({"model":"m","max_tokens":50,"messages":[]})", options);
  const std::vector<Event> events = Events(optioned);
  EXPECT_EQ(Names(events),
            (std::vector<std::string>{
                "message_start", "content_block_start", "ping", "thinking_delta", "thinking_delta",
                "signature_delta", "content_block_stop", "content_block_start", "text_delta",
                "text_delta", "content_block_stop", "message_delta", "message_stop"}));
  EXPECT_EQ(events[1].data["content_block"],
            json({{"type", "thinking"}, {"thinking", ""}, {"signature", ""}}));
  EXPECT_EQ(events[5].data["delta"]["signature"], optioned.Signature());
  EXPECT_EQ(events[7].data["index"], 1);
  EXPECT_EQ(events[8].data["index"], 1);
  EXPECT_EQ(events[11].data["usage"]["output_tokens"], 4);
  const json whole = json::parse(BuildMessageBody(optioned));
  EXPECT_EQ(whole["content"][0]["thinking"],
            events[3].data["delta"]["thinking"].get<std::string>() +
                events[4].data["delta"]["thinking"].get<std::string>());
}

TEST(SimAnthropicTest, ToolUseBlockWithStreamedInput) {
  SimOptions options;
  options.tool_call = true;
  const std::string request =
      R"({"model":"m","max_tokens":50,"messages":[],"tools":)" + std::string(kWeatherTools) + "}";
  const MessagesPlan plan = Plan(request, options);
  ASSERT_TRUE(plan.tool_use);
  const json body = json::parse(BuildMessageBody(plan));
  EXPECT_EQ(body["stop_reason"], "tool_use");
  ASSERT_EQ(body["content"].size(), 1u);
  const json& block = body["content"][0];
  EXPECT_EQ(block["type"], "tool_use");
  EXPECT_EQ(block["id"], "toolu_sim_7");
  EXPECT_EQ(block["name"], "get_weather");
  const json& input = block["input"];
  EXPECT_TRUE(input["city"].is_string());
  EXPECT_EQ(input["days"], 1);
  EXPECT_EQ(input["metric"], true);
  EXPECT_EQ(input["unit"], "celsius");
  EXPECT_EQ(input["tags"], json::array());
  EXPECT_EQ(input["extra"], json::object());

  const std::vector<Event> events = Events(plan);
  const std::vector<std::string> names = Names(events);
  ASSERT_GE(names.size(), 8u);
  EXPECT_EQ(std::vector<std::string>(names.begin(), names.begin() + 4),
            (std::vector<std::string>{"message_start", "content_block_start", "ping",
                                      "input_json_delta"}));
  EXPECT_EQ(events[1].data["content_block"], json({{"type", "tool_use"},
                                                   {"id", "toolu_sim_7"},
                                                   {"name", "get_weather"},
                                                   {"input", json::object()}}));
  EXPECT_EQ(events[3].data["delta"]["partial_json"], "");  // Anthropic's first delta is empty
  std::string partial;
  size_t i = 3;
  for (; names[i] == "input_json_delta"; ++i) {
    EXPECT_EQ(events[i].data["index"], 0);
    partial += events[i].data["delta"]["partial_json"].get<std::string>();
  }
  EXPECT_EQ(json::parse(partial), input);
  EXPECT_EQ(std::vector<std::string>(names.begin() + i, names.end()),
            (std::vector<std::string>{"content_block_stop", "message_delta", "message_stop"}));
  EXPECT_EQ(events[i + 1].data["delta"]["stop_reason"], "tool_use");
  EXPECT_EQ(events[i + 1].data["usage"]["output_tokens"], i - 4);  // one per input piece
}

TEST(SimAnthropicTest, ToolChoiceNamesTheToolAndAToolResultEndsTheLoop) {
  SimOptions options;
  options.tool_call = true;
  const std::string tools = std::string(kWeatherTools);
  MessagesPlan plan = Plan(R"({"model":"m","max_tokens":50,"messages":[],"tools":)" + tools +
                               R"(,"tool_choice":{"type":"tool","name":"other"}})",
                           options);
  ASSERT_TRUE(plan.tool_use);
  EXPECT_EQ(plan.tool_use->name, "other");
  EXPECT_EQ(plan.tool_use->input, "{}");
  plan = Plan(R"({"model":"m","max_tokens":50,"messages":[],"tools":)" + tools +
                  R"(,"tool_choice":{"type":"none"}})",
              options);
  EXPECT_FALSE(plan.tool_use);
  plan = Plan(R"({"model":"m","max_tokens":50,"tools":)" + tools +
                  R"(,"messages":[{"role":"user","content":[{"type":"tool_result",)"
                  R"("tool_use_id":"toolu_sim_1","content":"sunny"}]}]})",
              options);
  EXPECT_FALSE(plan.tool_use);
  EXPECT_EQ(plan.stop_reason, "end_turn");
  options.tool_call = false;
  plan = Plan(R"({"model":"m","max_tokens":50,"messages":[],"tools":)" + tools + "}", options);
  EXPECT_FALSE(plan.tool_use);
}

TEST(SimAnthropicTest, UsageOffAndBadUsage) {
  SimOptions options;
  options.usage = false;
  MessagesPlan plan = Plan(R"({"model":"m","max_tokens":50,"messages":[]})", options);
  EXPECT_FALSE(json::parse(BuildMessageBody(plan)).contains("usage"));
  std::vector<Event> events = Events(plan);
  EXPECT_FALSE(events[0].data["message"].contains("usage"));
  EXPECT_FALSE(events[events.size() - 2].data.contains("usage"));
  options.usage = true;
  options.bad_usage = true;
  plan = Plan(R"({"model":"m","max_tokens":50,"messages":[]})", options);
  EXPECT_EQ(json::parse(BuildMessageBody(plan))["usage"]["input_tokens"], "unknown");
  events = Events(plan);
  EXPECT_EQ(events[events.size() - 2].data["usage"]["output_tokens"], -1);
}

TEST(SimAnthropicTest, MalformedAndStreamErrorEvents) {
  MessagesPlan plan = Plan(R"({"model":"m","max_tokens":50,"messages":[]})");
  plan.malformed = true;
  const std::string body = BuildMessageBody(plan);
  EXPECT_FALSE(json::accept(body));
  MessagesStreamComposer composer(plan);
  std::string out;
  composer.AppendOpening(out);
  EXPECT_NE(out.find("event: ping\ndata: {\"type\": \"ping\"}\n\n"
                     "event: content_block_delta\ndata: {\"type\": broken\n\n"),
            std::string::npos);
  out.clear();
  composer.AppendStreamError(out);
  EXPECT_EQ(out,
            "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
            "\"message\":\"Overloaded\"}}\n\n");
}

TEST(SimAnthropicTest, ErrorBodiesCarryTheTypeOfTheStatus) {
  const std::vector<std::pair<uint32_t, std::string>> cases = {
      {400, "invalid_request_error"},
      {401, "authentication_error"},
      {402, "billing_error"},
      {403, "permission_error"},
      {404, "not_found_error"},
      {413, "request_too_large"},
      {429, "rate_limit_error"},
      {500, "api_error"},
      {503, "api_error"},
      {504, "timeout_error"},
      {529, "overloaded_error"},
      {422, "invalid_request_error"},
  };
  for (const auto& [status, type] : cases) {
    const json body = json::parse(AnthropicSimulatedErrorBody(status));
    EXPECT_EQ(body["type"], "error") << status;
    EXPECT_EQ(body["error"]["type"], type) << status;
    EXPECT_TRUE(body["error"]["message"].is_string()) << status;
    EXPECT_EQ(body.size(), 2u);
    EXPECT_EQ(body["error"].size(), 2u);
  }
  EXPECT_EQ(AnthropicErrorBody("invalid_request_error", "max_tokens: Field required"),
            R"({"type":"error","error":{"type":"invalid_request_error",)"
            R"("message":"max_tokens: Field required"}})");
}

}  // namespace
}  // namespace gw::simulator

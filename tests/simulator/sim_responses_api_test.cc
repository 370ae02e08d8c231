// The OpenAI Responses API answers (POST /v1/responses): request validation and reading, the
// whole response object, the exact stream event sequences (text, reasoning, function call,
// incomplete, failed) with their sequence numbers, usage, faults. Pure functions, no sockets.
#include "gateway/simulator/sim_responses_api.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace gw::simulator {
namespace {

using nlohmann::json;

constexpr std::string_view kTools =
    R"([{"type":"web_search_preview"},{"type":"function","name":"get_weather","description":"d",)"
    R"("parameters":{"type":"object","properties":{"city":{"type":"string"},)"
    R"("days":{"type":"integer"},"unit":{"type":"string","enum":["celsius","fahrenheit"]}}},)"
    R"("strict":true},{"type":"function","name":"noop"}])";

std::string ParseError(std::string_view body) {
  ResponsesApiRequest request;
  return ParseResponsesApiRequest(body, &request);
}

ResponsesApiRequest Parse(std::string_view body) {
  ResponsesApiRequest request;
  EXPECT_EQ(ParseResponsesApiRequest(body, &request), "") << body;
  return request;
}

ResponsesApiPlan Plan(const std::string& body, const SimOptions& options = {}) {
  const ResponsesApiRequest request = Parse(body);
  ResponsesApiPlan plan = MakeResponsesApiPlan(request, SplitModel(request.model).name, options);
  plan.id = "resp_sim-7";
  plan.created_at = 1700000000;
  return plan;
}

struct Event {
  std::string name;
  json data;
};

// Splits `event: <name>\ndata: <json>\n\n` events; the name must match data.type.
std::vector<Event> SplitEvents(const std::string& out) {
  std::vector<Event> events;
  size_t start = 0;
  while (start < out.size()) {
    const size_t end = out.find("\n\n", start);
    EXPECT_NE(end, std::string::npos);
    if (end == std::string::npos) break;
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

// The whole stream of a plan; sequence numbers must count from 0 without gaps.
std::vector<Event> Events(const ResponsesApiPlan& plan) {
  ResponsesApiStreamComposer composer(plan);
  std::string out;
  composer.AppendOpening(out);
  while (composer.AppendContentChunk(out)) {
  }
  EXPECT_EQ(composer.content_chunks(), plan.ContentDeltas());
  composer.AppendClosing(out);
  EXPECT_EQ(out.find("[DONE]"), std::string::npos);
  std::vector<Event> events = SplitEvents(out);
  for (size_t i = 0; i < events.size(); ++i) EXPECT_EQ(events[i].data["sequence_number"], i);
  return events;
}

std::vector<std::string> Names(const std::vector<Event>& events) {
  std::vector<std::string> names;
  for (const Event& event : events) names.push_back(event.name);
  return names;
}

TEST(SimResponsesApiTest, EveryInvalidRequestIsA400Message) {
  EXPECT_EQ(ParseError(R"({"model":)").rfind("invalid JSON body at byte", 0), 0u);
  EXPECT_EQ(ParseError(R"([{"model":"m"}])").rfind("invalid JSON body at byte", 0), 0u);
  EXPECT_EQ(ParseError(R"("m")").rfind("invalid JSON body at byte", 0), 0u);
  EXPECT_EQ(ParseError(R"({"input":"hi"})"), "model is required");
  EXPECT_EQ(ParseError(R"({"model":7,"input":"hi"})"), "model must be a string");
  EXPECT_EQ(ParseError(R"({"model":"m","input":3})"), "input must be a string or an array");
  EXPECT_EQ(ParseError(R"({"model":"m","input":{"role":"user"}})"),
            "input must be a string or an array");
  EXPECT_EQ(ParseError(R"({"model":"m","input":[{"role":"user","content":"a"},"b"]})"),
            "input[1] must be an object");
  EXPECT_EQ(ParseError(R"({"model":"m","input":[{"role":"user","content":5}]})"),
            "input[0].content must be a string or an array");
  EXPECT_EQ(ParseError(R"({"model":"m","input":[{"type":"message","role":"user","content":{}}]})"),
            "input[0].content must be a string or an array");
  EXPECT_EQ(ParseError(R"({"model":"m","instructions":["x"]})"), "instructions must be a string");
  EXPECT_EQ(ParseError(R"({"model":"m","stream":"yes"})"), "stream must be a boolean");
  for (std::string_view bad : {R"("5")", "-1", "1.5", "1e2", "true"}) {
    std::string body = R"({"model":"m","max_output_tokens":)";
    body += bad;
    body += '}';
    EXPECT_EQ(ParseError(body), "max_output_tokens must be a non-negative integer") << bad;
  }
  EXPECT_EQ(ParseError(R"({"model":"m","tools":{"type":"function"}})"), "tools must be an array");
  EXPECT_EQ(ParseError(R"({"model":"m","tool_choice":1})"),
            "tool_choice must be a string or an object");
  EXPECT_EQ(ParseError(R"({"model":"m","include":"reasoning.encrypted_content"})"),
            "include must be an array");
  // null counts as absent; input may be absent (previous_response_id, prompt templates).
  EXPECT_EQ(
      ParseError(R"({"model":"m","input":null,"instructions":null,"stream":null,)"
                 R"("max_output_tokens":null,"tools":null,"tool_choice":null,"include":null})"),
      "");
  EXPECT_EQ(ParseError(R"({"model":"m"})"), "");
}

TEST(SimResponsesApiTest, ReadsModelStreamLimitToolsAndThePromptEstimate) {
  const ResponsesApiRequest request = Parse(
      R"({"model":"gpt-x?tokens=2","stream":true,"max_output_tokens":64,)"
      R"("instructions":"12345678","input":[)"
      R"({"role":"user","content":"abcd"},)"
      R"({"type":"message","role":"assistant","content":[{"type":"output_text","text":"efgh"}]},)"
      R"({"type":"reasoning","id":"rs_1","summary":[{"type":"summary_text","text":"ij"}]},)"
      R"({"type":"function_call","call_id":"c","name":"n","arguments":"{}"},)"
      R"({"type":"function_call_output","call_id":"c","output":"sunny"}],)"
      R"("tools":[{"type":"function","name":"n"}],"tool_choice":"auto",)"
      R"("include":["message.output_text.logprobs","reasoning.encrypted_content"],)"
      R"("reasoning":{"effort":"low"},"store":false,"metadata":{"k":"v"}})");
  EXPECT_EQ(request.model, "gpt-x?tokens=2");
  EXPECT_TRUE(request.stream);
  EXPECT_EQ(request.max_output_tokens, 64u);
  EXPECT_EQ(request.prompt_tokens, 7u);  // ceil((8 + 4 + 4 + 2 + 2 + 5) / 4)
  EXPECT_EQ(request.tools, R"([{"type":"function","name":"n"}])");
  EXPECT_EQ(request.tool_choice, R"("auto")");
  EXPECT_TRUE(request.after_tool_result);
  EXPECT_TRUE(request.include_encrypted_reasoning);

  const ResponsesApiRequest plain = Parse(R"({"model":"m","input":"hello"})");
  EXPECT_FALSE(plain.stream);
  EXPECT_FALSE(plain.max_output_tokens);
  EXPECT_EQ(plain.prompt_tokens, 2u);
  EXPECT_TRUE(plain.tools.empty());
  EXPECT_FALSE(plain.after_tool_result);
  EXPECT_FALSE(plain.include_encrypted_reasoning);
  EXPECT_EQ(Parse(R"({"model":"m","max_output_tokens":99999999999})").max_output_tokens,
            UINT32_MAX);
  // A tool result earlier in the input does not end the loop.
  EXPECT_FALSE(Parse(R"({"model":"m","input":[{"type":"function_call_output","call_id":"c",)"
                     R"("output":"x"},{"role":"user","content":"again"}]})")
                   .after_tool_result);
}

TEST(SimResponsesApiTest, WholeResponseObject) {
  SimOptions options;
  options.tokens = 5;
  options.seed = 3;
  const ResponsesApiPlan plan =
      Plan(R"({"model":"gpt-sim?x=1","input":"0123456789abcdef"})", options);
  const json body = json::parse(BuildResponsesApiBody(plan));
  const json expected = {{"id", "resp_sim-7"},
                         {"object", "response"},
                         {"created_at", 1700000000},
                         {"status", "completed"},
                         {"error", nullptr},
                         {"incomplete_details", nullptr},
                         {"instructions", nullptr},
                         {"model", "gpt-sim"},
                         {"output",
                          {{{"type", "message"},
                            {"id", "msg_sim-7_0"},
                            {"status", "completed"},
                            {"role", "assistant"},
                            {"content",
                             {{{"type", "output_text"},
                               {"annotations", json::array()},
                               {"logprobs", json::array()},
                               {"text", GenerateText(3, 0, 5)}}}}}}},
                         {"parallel_tool_calls", true},
                         {"tool_choice", "auto"},
                         {"tools", json::array()},
                         {"usage",
                          {{"input_tokens", 4},
                           {"input_tokens_details", {{"cached_tokens", 0}}},
                           {"output_tokens", 5},
                           {"output_tokens_details", {{"reasoning_tokens", 0}}},
                           {"total_tokens", 9}}}};
  EXPECT_EQ(body, expected);
}

TEST(SimResponsesApiTest, ModelIsEscaped) {
  const ResponsesApiPlan plan = Plan(R"({"model":"we\"ird\nmodel"})");
  EXPECT_EQ(json::parse(BuildResponsesApiBody(plan))["model"], "we\"ird\nmodel");
  EXPECT_EQ(Events(plan).front().data["response"]["model"], "we\"ird\nmodel");
}

TEST(SimResponsesApiTest, MaxOutputTokensCutsTheTextAsIncomplete) {
  const ResponsesApiPlan plan = Plan(R"({"model":"m","max_output_tokens":3})");
  EXPECT_EQ(plan.text_tokens, 3u);
  EXPECT_TRUE(plan.incomplete);
  const json body = json::parse(BuildResponsesApiBody(plan));
  EXPECT_EQ(body["status"], "incomplete");
  EXPECT_EQ(body["incomplete_details"], json({{"reason", "max_output_tokens"}}));
  EXPECT_EQ(body["output"][0]["status"], "incomplete");
  EXPECT_EQ(body["output"][0]["content"][0]["text"], GenerateText(0, 0, 3));
  EXPECT_EQ(body["usage"]["output_tokens"], 3);
  // A limit at or above the tokens option does not cut.
  EXPECT_EQ(
      json::parse(BuildResponsesApiBody(Plan(R"({"model":"m","max_output_tokens":16})")))["status"],
      "completed");

  const std::vector<Event> events = Events(plan);
  EXPECT_EQ(events.back().name, "response.incomplete");
  EXPECT_EQ(events.back().data["response"], body);
  EXPECT_EQ(events[events.size() - 2].data["item"]["status"], "incomplete");
}

TEST(SimResponsesApiTest, ReasoningItemComesFirst) {
  SimOptions options;
  options.tokens = 2;
  options.thinking_tokens = 3;
  options.reasoning_tokens = 10;
  ResponsesApiPlan plan =
      Plan(R"({"model":"m","include":["reasoning.encrypted_content"]})", options);
  EXPECT_EQ(plan.ContentDeltas(), 5u);
  const json body = json::parse(BuildResponsesApiBody(plan));
  ASSERT_EQ(body["output"].size(), 2u);
  const json& reasoning = body["output"][0];
  EXPECT_EQ(reasoning["type"], "reasoning");
  EXPECT_EQ(reasoning["id"], "rs_sim-7_0");
  EXPECT_EQ(reasoning["summary"], json::parse(R"([{"type":"summary_text","text":")" +
                                              GenerateText(0, 0xFFFFFF01u, 3) + "\"}]"));
  EXPECT_EQ(reasoning["encrypted_content"], plan.EncryptedContent());
  EXPECT_EQ(plan.EncryptedContent().rfind("gAAAAA", 0), 0u);
  EXPECT_EQ(body["output"][1]["id"], "msg_sim-7_1");
  EXPECT_EQ(body["usage"]["output_tokens"], 15);  // 2 text + 10 + 3 reasoning
  EXPECT_EQ(body["usage"]["output_tokens_details"]["reasoning_tokens"], 13);

  const std::vector<Event> events = Events(plan);
  EXPECT_EQ(
      Names(events),
      (std::vector<std::string>{
          "response.created", "response.in_progress", "response.output_item.added",
          "response.reasoning_summary_part.added", "response.reasoning_summary_text.delta",
          "response.reasoning_summary_text.delta", "response.reasoning_summary_text.delta",
          "response.reasoning_summary_text.done", "response.reasoning_summary_part.done",
          "response.output_item.done", "response.output_item.added", "response.content_part.added",
          "response.output_text.delta", "response.output_text.delta", "response.output_text.done",
          "response.content_part.done", "response.output_item.done", "response.completed"}));
  EXPECT_EQ(events[2].data["item"],
            json({{"type", "reasoning"}, {"id", "rs_sim-7_0"}, {"summary", json::array()}}));
  EXPECT_EQ(events[3].data, json({{"type", "response.reasoning_summary_part.added"},
                                  {"sequence_number", 3},
                                  {"item_id", "rs_sim-7_0"},
                                  {"output_index", 0},
                                  {"summary_index", 0},
                                  {"part", {{"type", "summary_text"}, {"text", ""}}}}));
  std::string summary;
  for (size_t i = 4; i < 7; ++i) {
    EXPECT_EQ(events[i].data["item_id"], "rs_sim-7_0");
    EXPECT_EQ(events[i].data["summary_index"], 0);
    summary += events[i].data["delta"].get<std::string>();
  }
  EXPECT_EQ(events[7].data["text"], summary);
  EXPECT_EQ(events[8].data["part"]["text"], summary);
  EXPECT_EQ(events[9].data["item"], reasoning);
  EXPECT_EQ(events[10].data["output_index"], 1);
  EXPECT_EQ(events.back().data["response"], body);

  // reasoning_tokens alone: a reasoning item with an empty summary, as OpenAI answers without
  // reasoning.summary; no summary events, no encrypted_content unless included.
  options.thinking_tokens = 0;
  plan = Plan(R"({"model":"m"})", options);
  EXPECT_EQ(json::parse(BuildResponsesApiBody(plan))["output"][0],
            json({{"type", "reasoning"}, {"id", "rs_sim-7_0"}, {"summary", json::array()}}));
  const std::vector<std::string> names = Names(Events(plan));
  EXPECT_EQ(std::vector<std::string>(names.begin(), names.begin() + 5),
            (std::vector<std::string>{"response.created", "response.in_progress",
                                      "response.output_item.added", "response.output_item.done",
                                      "response.output_item.added"}));
}

TEST(SimResponsesApiTest, TextStreamSequence) {
  SimOptions options;
  options.tokens = 3;
  options.seed = 4;
  const ResponsesApiPlan plan = Plan(R"({"model":"m","stream":true,"input":"abcdefgh"})", options);
  const std::vector<Event> events = Events(plan);
  EXPECT_EQ(
      Names(events),
      (std::vector<std::string>{
          "response.created", "response.in_progress", "response.output_item.added",
          "response.content_part.added", "response.output_text.delta", "response.output_text.delta",
          "response.output_text.delta", "response.output_text.done", "response.content_part.done",
          "response.output_item.done", "response.completed"}));
  for (size_t i : {0, 1}) {
    const json& response = events[i].data["response"];
    EXPECT_EQ(response["id"], "resp_sim-7");
    EXPECT_EQ(response["status"], "in_progress");
    EXPECT_EQ(response["output"], json::array());
    EXPECT_TRUE(response["usage"].is_null());
    EXPECT_TRUE(response["error"].is_null());
  }
  EXPECT_EQ(events[2].data, json({{"type", "response.output_item.added"},
                                  {"sequence_number", 2},
                                  {"output_index", 0},
                                  {"item",
                                   {{"type", "message"},
                                    {"id", "msg_sim-7_0"},
                                    {"status", "in_progress"},
                                    {"role", "assistant"},
                                    {"content", json::array()}}}}));
  EXPECT_EQ(events[3].data["part"], json({{"type", "output_text"},
                                          {"annotations", json::array()},
                                          {"logprobs", json::array()},
                                          {"text", ""}}));
  EXPECT_EQ(events[3].data["item_id"], "msg_sim-7_0");
  EXPECT_EQ(events[3].data["content_index"], 0);
  std::string text;
  for (size_t i = 4; i < 7; ++i) {
    EXPECT_EQ(events[i].data["item_id"], "msg_sim-7_0");
    EXPECT_EQ(events[i].data["output_index"], 0);
    EXPECT_EQ(events[i].data["content_index"], 0);
    text += events[i].data["delta"].get<std::string>();
  }
  EXPECT_EQ(text, GenerateText(4, 0, 3));
  EXPECT_EQ(events[7].data["text"], text);
  EXPECT_EQ(events[8].data["part"]["text"], text);
  EXPECT_EQ(events[9].data["item"]["status"], "completed");
  EXPECT_EQ(events[9].data["item"]["content"][0]["text"], text);
  // The final object is the whole answer's object.
  EXPECT_EQ(events[10].data["response"], json::parse(BuildResponsesApiBody(plan)));
  EXPECT_EQ(events[10].data["response"]["usage"]["input_tokens"], 2);
}

TEST(SimResponsesApiTest, ZeroTokensStillOpensAndClosesTheMessage) {
  SimOptions options;
  options.tokens = 0;
  const ResponsesApiPlan plan = Plan(R"({"model":"m","stream":true})", options);
  EXPECT_EQ(plan.ContentDeltas(), 0u);
  const std::vector<Event> events = Events(plan);
  // created, in_progress, item added, part added, text done, part done, item done, completed.
  EXPECT_EQ(events.size(), 8u);
  EXPECT_EQ(events[4].data["text"], "");
  EXPECT_EQ(events.back().name, "response.completed");
}

TEST(SimResponsesApiTest, FunctionCallItem) {
  SimOptions options;
  options.tool_call = true;
  options.tokens = 50;  // does not apply to a call
  std::string request = R"({"model":"m","max_output_tokens":2,"tools":)";
  request += kTools;
  request += '}';
  const ResponsesApiPlan plan = Plan(request, options);
  ASSERT_TRUE(plan.tool_call);
  EXPECT_EQ(plan.tool_call->name, "get_weather");  // the built-in tool before it is skipped
  EXPECT_FALSE(plan.incomplete);
  const json body = json::parse(BuildResponsesApiBody(plan));
  EXPECT_EQ(body["status"], "completed");
  ASSERT_EQ(body["output"].size(), 1u);
  const json& call = body["output"][0];
  EXPECT_EQ(call["type"], "function_call");
  EXPECT_EQ(call["id"], "fc_sim-7_0");
  EXPECT_EQ(call["call_id"], "call_sim-7");
  EXPECT_EQ(call["name"], "get_weather");
  EXPECT_EQ(call["status"], "completed");
  const json arguments = json::parse(call["arguments"].get<std::string>());
  EXPECT_TRUE(arguments["city"].is_string());
  EXPECT_EQ(arguments["days"], 1);
  EXPECT_EQ(arguments["unit"], "celsius");
  const uint64_t pieces = SplitPieces(plan.tool_call->input, kToolPieceBytes).size();
  EXPECT_EQ(body["usage"]["output_tokens"], pieces);

  const std::vector<Event> events = Events(plan);
  const std::vector<std::string> names = Names(events);
  ASSERT_EQ(names.size(), 3 + pieces + 3);
  EXPECT_EQ(names[2], "response.output_item.added");
  EXPECT_EQ(events[2].data["item"], json({{"type", "function_call"},
                                          {"id", "fc_sim-7_0"},
                                          {"call_id", "call_sim-7"},
                                          {"name", "get_weather"},
                                          {"arguments", ""},
                                          {"status", "in_progress"}}));
  std::string streamed;
  for (size_t i = 3; i < 3 + pieces; ++i) {
    EXPECT_EQ(names[i], "response.function_call_arguments.delta");
    EXPECT_EQ(events[i].data["item_id"], "fc_sim-7_0");
    EXPECT_EQ(events[i].data["output_index"], 0);
    streamed += events[i].data["delta"].get<std::string>();
  }
  EXPECT_EQ(streamed, plan.tool_call->input);
  EXPECT_EQ(names[3 + pieces], "response.function_call_arguments.done");
  EXPECT_EQ(events[3 + pieces].data["arguments"], streamed);
  EXPECT_EQ(events[4 + pieces].data["item"], call);
  EXPECT_EQ(events.back().name, "response.completed");
  EXPECT_EQ(events.back().data["response"], body);
}

TEST(SimResponsesApiTest, ToolChoiceAndToolLoops) {
  SimOptions options;
  options.tool_call = true;
  const std::string tools = std::string(kTools);
  auto called = [&](const std::string& extra) -> std::string {
    const ResponsesApiPlan plan = Plan(R"({"model":"m","tools":)" + tools + extra + "}", options);
    return plan.tool_call ? plan.tool_call->name : "";
  };
  EXPECT_EQ(called(R"(,"tool_choice":{"type":"function","name":"noop"})"), "noop");
  EXPECT_EQ(called(R"(,"tool_choice":"required")"), "get_weather");
  EXPECT_EQ(called(R"(,"tool_choice":"auto")"), "get_weather");
  EXPECT_EQ(called(R"(,"tool_choice":"none")"), "");
  EXPECT_EQ(called(R"(,"tool_choice":{"type":"web_search_preview"})"), "");
  EXPECT_EQ(called(R"(,"tool_choice":{"type":"allowed_tools","mode":"auto","tools":[]})"),
            "get_weather");
  // A chat-shaped tool ({"type":"function","function":{...}}) has no top-level name: no call.
  EXPECT_FALSE(
      Plan(R"({"model":"m","tools":[{"type":"function","function":{"name":"f"}}]})", options)
          .tool_call);
  EXPECT_FALSE(Plan(R"({"model":"m","tools":[{"type":"web_search_preview"}]})", options).tool_call);
  // After a function_call_output the answer is text.
  const ResponsesApiPlan after =
      Plan(R"({"model":"m","tools":)" + tools +
               R"(,"input":[{"type":"function_call","call_id":"call_sim-1","name":"get_weather",)"
               R"("arguments":"{}"},{"type":"function_call_output","call_id":"call_sim-1",)"
               R"("output":"sunny"}]})",
           options);
  EXPECT_FALSE(after.tool_call);
  EXPECT_EQ(json::parse(BuildResponsesApiBody(after))["output"][0]["type"], "message");
  options.tool_call = false;
  EXPECT_EQ(called(""), "");
}

TEST(SimResponsesApiTest, UsageOffBadUsageAndCachedTokens) {
  SimOptions options;
  options.usage = false;
  ResponsesApiPlan plan = Plan(R"({"model":"m"})", options);
  EXPECT_TRUE(json::parse(BuildResponsesApiBody(plan))["usage"].is_null());
  EXPECT_TRUE(Events(plan).back().data["response"]["usage"].is_null());
  options.usage = true;
  options.bad_usage = true;
  plan = Plan(R"({"model":"m"})", options);
  EXPECT_EQ(json::parse(BuildResponsesApiBody(plan))["usage"],
            json::parse(R"({"input_tokens":"unknown","output_tokens":-1,"total_tokens":-1})"));
  options.bad_usage = false;
  options.cached_tokens = 10;
  options.cache_write_tokens = 6;  // OpenAI reports no cache writes: not written
  plan = Plan(R"({"model":"m","input":"abcdefgh"})", options);
  const json usage = json::parse(BuildResponsesApiBody(plan))["usage"];
  EXPECT_EQ(usage["input_tokens"], 10);  // raised to cached_tokens
  EXPECT_EQ(usage["input_tokens_details"], json({{"cached_tokens", 10}}));
  EXPECT_EQ(usage["total_tokens"], 26);
}

TEST(SimResponsesApiTest, MalformedBodyAndEvent) {
  ResponsesApiPlan plan = Plan(R"({"model":"m"})");
  plan.malformed = true;
  EXPECT_FALSE(json::accept(BuildResponsesApiBody(plan)));
  ResponsesApiStreamComposer composer(plan);
  std::string out;
  composer.AppendOpening(out);
  const std::string broken = "event: response.output_text.delta\ndata: {\"type\": broken\n\n";
  const size_t at = out.find(broken);
  ASSERT_NE(at, std::string::npos);
  // Right after response.in_progress; the events around it stay numbered 1, 2.
  EXPECT_EQ(SplitEvents(out.substr(0, at)).back().name, "response.in_progress");
  const std::vector<Event> after = SplitEvents(out.substr(at + broken.size()));
  EXPECT_EQ(after.front().name, "response.output_item.added");
  EXPECT_EQ(after.front().data["sequence_number"], 2);
}

TEST(SimResponsesApiTest, StreamErrorIsResponseFailedWithThePartialOutput) {
  SimOptions options;
  options.tokens = 5;
  options.thinking_tokens = 2;
  const ResponsesApiPlan plan = Plan(R"({"model":"m","stream":true})", options);
  ResponsesApiStreamComposer composer(plan);
  std::string out;
  composer.AppendOpening(out);
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(composer.AppendContentChunk(out));
  composer.AppendStreamError(out);
  const std::vector<Event> events = SplitEvents(out);
  for (size_t i = 0; i < events.size(); ++i) EXPECT_EQ(events[i].data["sequence_number"], i);
  const Event& failed = events.back();
  EXPECT_EQ(failed.name, "response.failed");
  EXPECT_EQ(events[events.size() - 2].name, "response.output_text.delta");
  const json& response = failed.data["response"];
  EXPECT_EQ(response["status"], "failed");
  EXPECT_EQ(response["error"], json({{"code", "server_error"},
                                     {"message", "simulated mid-stream error (gateway-sim)"}}));
  EXPECT_TRUE(response["usage"].is_null());
  ASSERT_EQ(response["output"].size(), 2u);
  EXPECT_EQ(response["output"][0]["summary"][0]["text"], GenerateText(0, 0xFFFFFF01u, 2));
  EXPECT_EQ(response["output"][1]["status"], "incomplete");
  EXPECT_EQ(response["output"][1]["content"][0]["text"], GenerateText(0, 0, 2));

  // An error before any delta: the first item is open and empty.
  ResponsesApiStreamComposer early(plan);
  out.clear();
  early.AppendOpening(out);
  early.AppendStreamError(out);
  const json first = SplitEvents(out).back().data["response"]["output"];
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0],
            json({{"type", "reasoning"}, {"id", "rs_sim-7_0"}, {"summary", json::array()}}));
}

}  // namespace
}  // namespace gw::simulator

// The tool_call option: tool choice, the deterministic input, piece splitting, and the OpenAI
// chat answers (non-stream tool_calls message, streamed tool-call deltas). Pure, no sockets.
#include "gateway/simulator/sim_tools.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "gateway/simulator/sim_plan.h"

namespace gw::simulator {
namespace {

using nlohmann::json;

constexpr std::string_view kOpenAiTools =
    R"([{"type":"function","function":{"name":"get_weather","parameters":{"type":"object",)"
    R"("properties":{"city":{"type":"string"},"days":{"type":["integer","null"]},)"
    R"("unit":{"enum":["c","f"]}},"required":["city"]}}},)"
    R"({"type":"function","function":{"name":"noop"}}])";

TEST(SimToolsTest, PicksTheFirstToolOrTheChosenOne) {
  std::optional<ToolCall> call = PickToolCall(ToolDialect::kOpenAi, kOpenAiTools, "", 3);
  ASSERT_TRUE(call);
  EXPECT_EQ(call->name, "get_weather");
  const json input = json::parse(call->input);
  EXPECT_TRUE(input["city"].is_string());
  EXPECT_FALSE(input["city"].get<std::string>().empty());
  EXPECT_EQ(input["days"], 1);
  EXPECT_EQ(input["unit"], "c");
  EXPECT_EQ(PickToolCall(ToolDialect::kOpenAi, kOpenAiTools, "", 3)->input, call->input);

  call = PickToolCall(ToolDialect::kOpenAi, kOpenAiTools,
                      R"({"type":"function","function":{"name":"noop"}})", 3);
  ASSERT_TRUE(call);
  EXPECT_EQ(call->name, "noop");
  EXPECT_EQ(call->input, "{}");
  EXPECT_EQ(PickToolCall(ToolDialect::kOpenAi, kOpenAiTools, R"("required")", 3)->name,
            "get_weather");
  EXPECT_FALSE(PickToolCall(ToolDialect::kOpenAi, kOpenAiTools, R"("none")", 3));
  EXPECT_FALSE(PickToolCall(ToolDialect::kOpenAi, "", "", 3));
  EXPECT_FALSE(PickToolCall(ToolDialect::kOpenAi, "[]", "", 3));
  EXPECT_FALSE(PickToolCall(ToolDialect::kAnthropic, R"([{"type":"x"}])", "", 3));
  // A tool_choice naming an unknown tool falls back to the first.
  EXPECT_EQ(PickToolCall(ToolDialect::kAnthropic, R"([{"name":"a"},{"name":"b"}])",
                         R"({"type":"tool","name":"zzz"})", 3)
                ->name,
            "a");
}

TEST(SimToolsTest, SplitsWithoutCuttingUtf8) {
  EXPECT_TRUE(SplitPieces("", 8).empty());
  const std::vector<std::string_view> plain = SplitPieces("abcdefghijk", 4);
  EXPECT_EQ(plain, (std::vector<std::string_view>{"abcd", "efgh", "ijk"}));
  const std::string text = "ab\xC3\xA9\xC3\xA9xyz";  // "abééxyz"
  const std::vector<std::string_view> pieces = SplitPieces(text, 4);
  std::string joined;
  for (std::string_view piece : pieces) {
    EXPECT_NE(static_cast<unsigned char>(piece.front()) & 0xC0, 0x80) << piece;
    joined += piece;
  }
  EXPECT_EQ(joined, text);
}

CompletionPlan ToolPlan(std::string_view body, uint32_t choices = 1) {
  CompletionRequest request;
  EXPECT_EQ(ParseCompletionRequest(body, Api::kChat, &request), "");
  request.choices = choices;
  SimOptions options;
  options.tool_call = true;
  CompletionPlan plan = MakePlan(request, Api::kChat, "m", options);
  plan.id = "chatcmpl-sim-12";
  plan.created = 1700000000;
  return plan;
}

const std::string kToolRequest =
    R"({"model":"m","messages":[{"role":"user","content":"hi"}],"tools":)" +
    std::string(kOpenAiTools) + "}";

TEST(SimToolsTest, OpenAiNonStreamToolCall) {
  const CompletionPlan plan = ToolPlan(kToolRequest);
  ASSERT_TRUE(plan.tool_call);
  const json body = json::parse(BuildWholeBody(plan));
  const json& choice = body["choices"][0];
  EXPECT_EQ(choice["finish_reason"], "tool_calls");
  const json& message = choice["message"];
  EXPECT_EQ(message["role"], "assistant");
  EXPECT_TRUE(message["content"].is_null());
  ASSERT_EQ(message["tool_calls"].size(), 1u);
  const json& call = message["tool_calls"][0];
  EXPECT_EQ(call["id"], "call_sim_12");
  EXPECT_EQ(call["type"], "function");
  EXPECT_EQ(call["function"]["name"], "get_weather");
  EXPECT_EQ(json::parse(call["function"]["arguments"].get<std::string>()),
            json::parse(plan.tool_call->input));
  EXPECT_EQ(body["usage"]["completion_tokens"], plan.tokens);
}

TEST(SimToolsTest, OpenAiStreamedToolCallDeltas) {
  const CompletionPlan plan = ToolPlan(kToolRequest);
  StreamComposer composer(plan);
  std::string out;
  composer.AppendOpening(out);
  while (composer.AppendContentChunk(out)) {
  }
  composer.AppendClosing(out);
  std::vector<json> events;
  for (size_t start = 0; start < out.size();) {
    const size_t end = out.find("\n\n", start);
    const std::string data = out.substr(start + 6, end - start - 6);
    if (data != "[DONE]") events.push_back(json::parse(data));
    start = end + 2;
  }
  ASSERT_EQ(events.size(), plan.tokens + 2u);  // start, argument pieces, finish
  const json& first = events[0]["choices"][0]["delta"];
  EXPECT_EQ(first["role"], "assistant");
  EXPECT_TRUE(first["content"].is_null());
  EXPECT_EQ(first["tool_calls"][0], json::parse(R"({"index":0,"id":"call_sim_12",)"
                                                R"("type":"function","function":)"
                                                R"({"name":"get_weather","arguments":""}})"));
  std::string arguments;
  for (size_t i = 1; i + 1 < events.size(); ++i) {
    const json& delta = events[i]["choices"][0]["delta"];
    EXPECT_EQ(delta["tool_calls"][0]["index"], 0);
    EXPECT_FALSE(delta["tool_calls"][0].contains("id"));
    arguments += delta["tool_calls"][0]["function"]["arguments"].get<std::string>();
  }
  EXPECT_EQ(json::parse(arguments), json::parse(plan.tool_call->input));
  EXPECT_EQ(events.back()["choices"][0]["finish_reason"], "tool_calls");
  EXPECT_EQ(events.back()["choices"][0]["delta"], json::object());
}

TEST(SimToolsTest, OpenAiToolResultEndsTheLoopAndNoToolsMeansText) {
  const std::string after_tool =
      R"({"model":"m","messages":[{"role":"user","content":"hi"},{"role":"assistant",)"
      R"("tool_calls":[]},{"role":"tool","tool_call_id":"call_sim_1","content":"ok"}],"tools":)" +
      std::string(kOpenAiTools) + "}";
  CompletionPlan plan = ToolPlan(after_tool);
  EXPECT_FALSE(plan.tool_call);
  EXPECT_EQ(plan.finish_reason, "stop");
  plan = ToolPlan(R"({"model":"m","messages":[]})");
  EXPECT_FALSE(plan.tool_call);
  // Several choices: each calls the tool, with its own id.
  plan = ToolPlan(kToolRequest, 2);
  const json body = json::parse(BuildWholeBody(plan));
  EXPECT_EQ(body["choices"][1]["message"]["tool_calls"][0]["id"], "call_sim_12_1");
}

TEST(SimToolsTest, OpenAiStreamErrorEvent) {
  const CompletionPlan plan = ToolPlan(R"({"model":"m","messages":[]})");
  StreamComposer composer(plan);
  std::string out;
  composer.AppendStreamError(out);
  ASSERT_EQ(out.rfind("data: ", 0), 0u);
  EXPECT_EQ(json::parse(out.substr(6))["error"]["type"], "server_error");
}

}  // namespace
}  // namespace gw::simulator

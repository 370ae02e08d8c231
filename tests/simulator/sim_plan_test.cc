#include "gateway/simulator/sim_plan.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace gw::simulator {
namespace {

using nlohmann::json;

CompletionPlan Plan(Api api, std::string_view body, const SimOptions& options = {}) {
  CompletionRequest request;
  EXPECT_EQ(ParseCompletionRequest(body, api, &request), "");
  CompletionPlan plan = MakePlan(request, api, SplitModel(request.model).name, options);
  plan.id = api == Api::kChat ? "chatcmpl-sim-1" : "cmpl-sim-1";
  plan.created = 1700000000;
  return plan;
}

// Every SSE event of a whole stream; the final "[DONE]" comes back as a string.
std::vector<json> Events(const CompletionPlan& plan) {
  StreamComposer composer(plan);
  std::string out;
  composer.AppendOpening(out);
  while (composer.AppendContentChunk(out)) {
  }
  composer.AppendClosing(out);
  std::vector<json> events;
  size_t start = 0;
  while (start < out.size()) {
    const size_t end = out.find("\n\n", start);
    EXPECT_NE(end, std::string::npos);
    const std::string event = out.substr(start, end - start);
    EXPECT_EQ(event.rfind("data: ", 0), 0u) << event;
    const std::string data = event.substr(6);
    events.push_back(data == "[DONE]" ? json(data) : json::parse(data));
    start = end + 2;
  }
  return events;
}

constexpr std::string_view kChat = R"({"model":"sim-model?tokens=4","messages":[]})";

TEST(SimPlanTest, NonStreamChatCompletionShape) {
  SimOptions options;
  options.tokens = 5;
  options.cached_tokens = 2;
  options.reasoning_tokens = 3;
  const json body = json::parse(BuildWholeBody(Plan(Api::kChat, kChat, options)));
  EXPECT_EQ(body["id"], "chatcmpl-sim-1");
  EXPECT_EQ(body["object"], "chat.completion");
  EXPECT_EQ(body["created"], 1700000000);
  EXPECT_EQ(body["model"], "sim-model");
  ASSERT_EQ(body["choices"].size(), 1u);
  EXPECT_EQ(body["choices"][0]["index"], 0);
  EXPECT_EQ(body["choices"][0]["message"]["role"], "assistant");
  EXPECT_EQ(body["choices"][0]["message"]["content"], GenerateText(0, 0, 5));
  EXPECT_EQ(body["choices"][0]["finish_reason"], "stop");
  const json& usage = body["usage"];
  EXPECT_EQ(usage["prompt_tokens"], 2);  // at least cached_tokens
  EXPECT_EQ(usage["completion_tokens"], 8);
  EXPECT_EQ(usage["total_tokens"], 10);
  EXPECT_EQ(usage["prompt_tokens_details"]["cached_tokens"], 2);
  EXPECT_EQ(usage["completion_tokens_details"]["reasoning_tokens"], 3);
}

TEST(SimPlanTest, MaxTokensCutsWithFinishReasonLength) {
  CompletionPlan plan = Plan(Api::kChat, R"({"model":"m","messages":[],"max_tokens":3})");
  EXPECT_EQ(plan.tokens, 3u);
  EXPECT_EQ(plan.finish_reason, "length");
  const json body = json::parse(BuildWholeBody(plan));
  EXPECT_EQ(body["choices"][0]["finish_reason"], "length");
  EXPECT_EQ(body["usage"]["completion_tokens"], 3);
  plan = Plan(Api::kChat, R"({"model":"m","messages":[],"max_tokens":16})");
  EXPECT_EQ(plan.tokens, 16u);
  EXPECT_EQ(plan.finish_reason, "stop");
}

TEST(SimPlanTest, TheRequestSeedWinsAndFixesTheText) {
  SimOptions options;
  options.seed = 1;
  const CompletionPlan plan = Plan(Api::kChat, R"({"model":"m","messages":[],"seed":99})", options);
  EXPECT_EQ(plan.seed, 99u);
  EXPECT_EQ(BuildWholeBody(plan), BuildWholeBody(plan));
  EXPECT_EQ(json::parse(BuildWholeBody(plan))["choices"][0]["message"]["content"],
            GenerateText(99, 0, 16));
}

TEST(SimPlanTest, UsageOffLeavesItOut) {
  SimOptions options;
  options.usage = false;
  EXPECT_FALSE(json::parse(BuildWholeBody(Plan(Api::kChat, kChat, options))).contains("usage"));
}

TEST(SimPlanTest, MalformedBodyIsTruncated) {
  CompletionPlan plan = Plan(Api::kChat, kChat);
  plan.malformed = true;
  EXPECT_FALSE(json::accept(BuildWholeBody(plan)));
}

TEST(SimPlanTest, LegacyTextCompletionWithSeveralChoices) {
  const json body =
      json::parse(BuildWholeBody(Plan(Api::kCompletions, R"({"model":"m","prompt":"x","n":2})")));
  EXPECT_EQ(body["object"], "text_completion");
  ASSERT_EQ(body["choices"].size(), 2u);
  EXPECT_EQ(body["choices"][1]["index"], 1);
  EXPECT_EQ(body["choices"][0]["text"], GenerateText(0, 0, 16));
  EXPECT_EQ(body["choices"][1]["text"], GenerateText(0, 1, 16));
  EXPECT_EQ(body["usage"]["completion_tokens"], 32);
}

TEST(SimPlanTest, ChatStreamSequenceWithoutUsage) {
  SimOptions options;
  options.tokens = 3;
  const std::vector<json> events = Events(Plan(Api::kChat, kChat, options));
  ASSERT_EQ(events.size(), 6u);  // role, 3 tokens, finish, [DONE]
  EXPECT_EQ(events[0]["object"], "chat.completion.chunk");
  EXPECT_EQ(events[0]["choices"][0]["delta"],
            json({{"role", "assistant"}, {"content", ""}, {"refusal", nullptr}}));
  std::string text;
  for (int i = 1; i <= 3; ++i) {
    EXPECT_EQ(events[i]["id"], "chatcmpl-sim-1");
    EXPECT_EQ(events[i]["model"], "sim-model");
    EXPECT_TRUE(events[i]["choices"][0]["finish_reason"].is_null());
    EXPECT_FALSE(events[i].contains("usage"));
    text += events[i]["choices"][0]["delta"]["content"].get<std::string>();
  }
  EXPECT_EQ(text, GenerateText(0, 0, 3));
  EXPECT_EQ(events[4]["choices"][0]["delta"], json::object());
  EXPECT_EQ(events[4]["choices"][0]["finish_reason"], "stop");
  EXPECT_EQ(events[5], "[DONE]");
}

TEST(SimPlanTest, ChatStreamUsageChunkOnlyWithIncludeUsage) {
  const std::vector<json> events = Events(
      Plan(Api::kChat, R"({"model":"m","messages":[{"role":"user","content":"hi"}],"stream":true,)"
                       R"("stream_options":{"include_usage":true},"max_tokens":2})"));
  ASSERT_EQ(events.size(), 6u);  // role, 2 tokens, finish, usage, [DONE]
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(events[i]["usage"].is_null()) << i;
  EXPECT_EQ(events[3]["choices"][0]["finish_reason"], "length");
  EXPECT_EQ(events[4]["choices"], json::array());
  EXPECT_EQ(events[4]["usage"]["prompt_tokens"], 1);
  EXPECT_EQ(events[4]["usage"]["completion_tokens"], 2);
  EXPECT_EQ(events[4]["usage"]["total_tokens"], 3);
  EXPECT_EQ(events[5], "[DONE]");

  SimOptions no_usage;
  no_usage.usage = false;
  const std::vector<json> quiet = Events(
      Plan(Api::kChat, R"({"model":"m","messages":[],"stream_options":{"include_usage":true}})",
           no_usage));
  for (const json& event : quiet) EXPECT_FALSE(event.is_object() && event.contains("usage"));
}

TEST(SimPlanTest, LegacyStreamHasNoRoleChunk) {
  SimOptions options;
  options.tokens = 2;
  const std::vector<json> events =
      Events(Plan(Api::kCompletions, R"({"model":"m","prompt":"x","n":2})", options));
  ASSERT_EQ(events.size(), 7u);  // 2 positions x 2 choices, 2 finishes, [DONE]
  EXPECT_EQ(events[0]["object"], "text_completion");
  EXPECT_EQ(events[0]["choices"][0]["index"], 0);
  EXPECT_EQ(events[1]["choices"][0]["index"], 1);
  EXPECT_EQ(events[0]["choices"][0]["text"].get<std::string>() +
                events[2]["choices"][0]["text"].get<std::string>(),
            GenerateText(0, 0, 2));
  EXPECT_EQ(events[4]["choices"][0]["text"], "");
  EXPECT_EQ(events[5]["choices"][0]["finish_reason"], "stop");
}

TEST(SimPlanTest, MalformedStreamEmitsOneBrokenEvent) {
  CompletionPlan plan = Plan(Api::kChat, kChat);
  plan.malformed = true;
  StreamComposer composer(plan);
  std::string out;
  composer.AppendOpening(out);
  EXPECT_NE(out.find("\n\ndata: {\"id\": broken\n\n"), std::string::npos);
}

TEST(SimPlanTest, TimingComesFromTheOptions) {
  SimOptions options;
  ASSERT_EQ(ApplyOverrides("ttft_ms=20&tokens_per_second=100&disconnect_after=2", "t", &options),
            "");
  const CompletionPlan plan = Plan(Api::kChat, kChat, options);
  EXPECT_EQ(plan.ttft_us, 20000);
  EXPECT_EQ(plan.interval_us, 10000);
  EXPECT_EQ(plan.disconnect_after, 2);
}

}  // namespace
}  // namespace gw::simulator

#include "providers/openai/openai_response.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

namespace gw::providers::openai {
namespace {

std::string ReadGolden(const std::string& name) {
  std::ifstream file(std::string(GW_SOURCE_DIR) + "/tests/data/providers/" + name,
                     std::ios::binary);
  EXPECT_TRUE(file.good()) << name;
  std::stringstream content;
  content << file.rdbuf();
  return content.str();
}

// Rewrites golden `<name>.json` and checks it equals `<name>.expected.json`, member order
// included; untouched upstream values must also appear byte for byte in the output.
CompletionFacts CheckGolden(const std::string& name, const ResponseStamp& stamp) {
  const std::string upstream = ReadGolden(name + ".json");
  CompletionFacts facts;
  std::string error;
  const std::optional<std::string> out = RewriteResponse(upstream, stamp, facts, &error);
  EXPECT_TRUE(out.has_value()) << error;
  if (!out) return facts;
  const auto ours = nlohmann::ordered_json::parse(*out);
  const auto expected = nlohmann::ordered_json::parse(ReadGolden(name + ".expected.json"));
  EXPECT_EQ(ours, expected) << "ours:     " << ours.dump() << "\nexpected: " << expected.dump();
  std::vector<json::Member> members;
  EXPECT_FALSE(json::ScanObject(upstream, members).has_value());
  for (const json::Member& member : members) {
    if (json::KeyIs(member.raw_key, "usage") || json::KeyIs(member.raw_key, "created")) {
      EXPECT_NE(out->find(member.value), std::string::npos) << member.raw_key;
    }
  }
  return facts;
}

TEST(RewriteResponseTest, OpenAiChatGolden) {
  const CompletionFacts facts =
      CheckGolden("openai_chat_response", {"gen-1741569952-abcdef", "openai/gpt-4.1", "OpenAI"});
  EXPECT_EQ(facts.finish_reason, "stop");
  EXPECT_EQ(facts.native_finish_reason, "stop");
  EXPECT_EQ(facts.completion_chars, 73);
  ASSERT_TRUE(facts.usage.has_value());
  EXPECT_EQ(*facts.usage, (TokenUsage{19, 10, 29, 0, 0, 0}));
}

TEST(RewriteResponseTest, ScannedEntryPointGivesTheSameBytesAndFacts) {
  const std::string upstream = ReadGolden("openai_chat_response.json");
  const ResponseStamp stamp{"gen-1", "openai/gpt-4.1", "OpenAI"};
  CompletionFacts whole_facts;
  const std::optional<std::string> whole = RewriteResponse(upstream, stamp, whole_facts, nullptr);
  ASSERT_TRUE(whole.has_value());
  std::vector<json::Member> members;
  ASSERT_FALSE(json::ScanObject(upstream, members).has_value());
  CompletionFacts scanned_facts;
  EXPECT_EQ(RewriteScannedResponse(members, upstream.size(), stamp, scanned_facts), *whole);
  EXPECT_EQ(scanned_facts.usage, whole_facts.usage);
  EXPECT_EQ(scanned_facts.finish_reason, whole_facts.finish_reason);
  EXPECT_EQ(scanned_facts.native_finish_reason, whole_facts.native_finish_reason);
  EXPECT_EQ(scanned_facts.completion_chars, whole_facts.completion_chars);
}

TEST(RewriteResponseTest, VllmGoldenWithTwoChoices) {
  const CompletionFacts facts = CheckGolden(
      "vllm_chat_response", {"gen-vllm-1", "meta-llama/llama-3.1-8b-instruct", "Local \"vLLM\""});
  EXPECT_EQ(facts.finish_reason, "length");  // choice 0; choice 1 ("eos") is not the fact
  EXPECT_EQ(facts.native_finish_reason, "length");
  EXPECT_EQ(facts.completion_chars, 67);  // content + reasoning_content of both choices
  ASSERT_TRUE(facts.usage.has_value());
  EXPECT_EQ(*facts.usage, (TokenUsage{42, 16, 58, 0, 0, 0}));
}

TEST(RewriteResponseTest, ToolCallsGolden) {
  const CompletionFacts facts = CheckGolden(
      "tool_calls_response", {"gen-tools-42", "anthropic/claude-sonnet-4", "Anthropic"});
  EXPECT_EQ(facts.finish_reason, "tool_calls");
  EXPECT_EQ(facts.native_finish_reason, "tool_use");
  EXPECT_EQ(facts.completion_chars, 49);  // unescaped arguments of both calls
  ASSERT_TRUE(facts.usage.has_value());
  EXPECT_EQ(*facts.usage, (TokenUsage{82, 17, 99, 64, 12, 0}));
}

TEST(RewriteResponseTest, CompletionsGolden) {
  const CompletionFacts facts = CheckGolden(
      "completions_response", {"gen-cmpl-7", "openai/gpt-3.5-turbo-instruct", "OpenAI"});
  EXPECT_EQ(facts.finish_reason, "length");
  EXPECT_EQ(facts.completion_chars, 29);
  ASSERT_TRUE(facts.usage.has_value());
  EXPECT_EQ(facts.usage->total_tokens, 15);
}

TEST(RewriteResponseTest, CopiesUntouchedMembersByteForByte) {
  const std::string upstream =
      R"({"id":"x","choices":[{"index":0,"message":{"content":"a\u00e9  b"},)"
      R"("finish_reason":"stop"}],"extra":{ "k" : [1 , 2.50] },"model":"m"})";
  CompletionFacts facts;
  const std::optional<std::string> out =
      RewriteResponse(upstream, {"gen-1", "pub/m", "P"}, facts, nullptr);
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(*out, R"({"id":"gen-1","choices":[{"index":0,"message":{"content":"a\u00e9  b"},)"
                  R"("finish_reason":"stop","native_finish_reason":"stop"}],)"
                  R"("extra":{ "k" : [1 , 2.50] },"model":"pub/m","provider":"P"})");
  EXPECT_EQ(facts.completion_chars, 6);
  EXPECT_FALSE(facts.usage.has_value());
}

TEST(RewriteResponseTest, AddsMissingStampFirst) {
  CompletionFacts facts;
  const std::optional<std::string> out =
      RewriteResponse(R"( {"choices":[]} )", {"gen-2", "m", "P"}, facts, nullptr);
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(*out, R"({"id":"gen-2","model":"m","provider":"P","choices":[]})");
  EXPECT_EQ(facts.finish_reason, "");
}

TEST(RewriteResponseTest, NullFinishReasonStaysNull) {
  CompletionFacts facts;
  facts.finish_reason = "stale";
  facts.completion_chars = 99;
  const std::optional<std::string> out = RewriteResponse(
      R"({"choices":[{"index":0,"finish_reason":null,"native_finish_reason":"x"},"odd",)"
      R"({"index":1,"finish_reason":"max_tokens"}]})",
      {"g", "m", "P"}, facts, nullptr);
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(*out,
            R"({"id":"g","model":"m","provider":"P","choices":[{"index":0,"finish_reason":null,)"
            R"("native_finish_reason":null},"odd",{"index":1,"finish_reason":"length",)"
            R"("native_finish_reason":"max_tokens"}]})");
  EXPECT_EQ(facts.finish_reason, "");
  EXPECT_EQ(facts.native_finish_reason, "");
  EXPECT_EQ(facts.completion_chars, 0);
}

TEST(RewriteResponseTest, UnescapesTheNativeFinishReasonFact) {
  CompletionFacts facts;
  const std::optional<std::string> out = RewriteResponse(
      R"({"choices":[{"finish_reason":"end\u005fturn"}]})", {"g", "m", "P"}, facts, nullptr);
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(facts.native_finish_reason, "end_turn");
  EXPECT_EQ(facts.finish_reason, "stop");
  EXPECT_NE(out->find(R"("native_finish_reason":"end\u005fturn")"), std::string::npos);
}

TEST(RewriteResponseTest, RejectsMalformedBodies) {
  CompletionFacts facts;
  std::string error;
  EXPECT_FALSE(RewriteResponse(R"({"id":"x",)", {"g", "m", "P"}, facts, &error).has_value());
  EXPECT_EQ(error, "upstream returned invalid JSON at byte 10: unexpected end of input");
  EXPECT_FALSE(RewriteResponse("[1,2]", {"g", "m", "P"}, facts, &error).has_value());
  EXPECT_EQ(error, "upstream response is not an object");
  EXPECT_FALSE(RewriteResponse("<html>502</html>", {"g", "m", "P"}, facts, &error).has_value());
  EXPECT_EQ(error,
            "upstream returned invalid JSON at byte 0: expected a value: unexpected character '<'");
  EXPECT_FALSE(RewriteResponse("", {"g", "m", "P"}, facts, &error).has_value());
  EXPECT_EQ(error, "upstream returned invalid JSON at byte 0: unexpected end of input");
  EXPECT_FALSE(RewriteResponse("{\"a\":\"\xFF\"}", {"g", "m", "P"}, facts, nullptr).has_value());
}

}  // namespace
}  // namespace gw::providers::openai

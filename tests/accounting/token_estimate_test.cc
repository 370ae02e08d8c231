#include "accounting/token_estimate.h"

#include <gtest/gtest.h>

namespace gw::accounting {
namespace {

using tokenizer::Encoding;
using tokenizer::Tokenizer;

const Tokenizer& O200k() { return Tokenizer::Get(Encoding::kO200kBase); }

int64_t Tokens(std::string_view text) { return static_cast<int64_t>(O200k().Count(text)); }

TEST(CountPromptTokensTest, ChatMessagesFollowOpenAisRule) {
  const std::string body = R"({"model":"m","messages":[{"role":"system","content":"Be brief."},)"
                           R"({"role":"user","content":"What is 2+2?","name":"ann"}]})";
  const int64_t expected = 3 + Tokens("system") + Tokens("Be brief.") +  //
                           3 + Tokens("user") + Tokens("What is 2+2?") + Tokens("ann") + 1 +
                           3;  // reply priming
  EXPECT_EQ(CountPromptTokens(O200k(), body, true), expected);
}

TEST(CountPromptTokensTest, ContentPartsCountTheirTextOnly) {
  const std::string body =
      R"({"messages":[{"role":"user","content":[{"type":"text","text":"Describe"},)"
      R"({"type":"image_url","image_url":{"url":"https://x/y.png"}},{"type":"text","text":"this"}]}]})";
  EXPECT_EQ(CountPromptTokens(O200k(), body, true),
            3 + Tokens("user") + Tokens("Describe") + Tokens("this") + 3);
}

TEST(CountPromptTokensTest, ToolCallsToolResultsAndToolDefinitionsCount) {
  const std::string body =
      R"({"messages":[{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function",)"
      R"("function":{"name":"get_weather","arguments":"{\"city\":\"Oslo\"}"}}]},)"
      R"({"role":"tool","tool_call_id":"c1","content":"-3C"}],)"
      R"("tools":[{"type":"function","function":{"name":"get_weather"}}]})";
  const int64_t expected = 3 + Tokens("assistant") + Tokens("get_weather") +
                           Tokens(R"({"city":"Oslo"})") +  //
                           3 + Tokens("tool") + Tokens("c1") + Tokens("-3C") + 3 +
                           Tokens(R"([{"function":{"name":"get_weather"},"type":"function"}])");
  EXPECT_EQ(CountPromptTokens(O200k(), body, true), expected);
}

TEST(CountPromptTokensTest, AnthropicMessagesCountSystemThinkingToolUseAndToolResults) {
  const std::string body =
      R"({"system":[{"type":"text","text":"Be brief."}],"max_tokens":9,"messages":[)"
      R"({"role":"assistant","content":[{"type":"thinking","thinking":"Hmm","signature":"s"},)"
      R"({"type":"tool_use","id":"t1","name":"w","input":{"city":"Oslo"}}]},)"
      R"({"role":"user","content":[{"type":"tool_result","tool_use_id":"t1",)"
      R"("content":[{"type":"text","text":"-3C"}]}]}]})";
  const int64_t expected = 3 + Tokens("Be brief.") +  // system, as one message
                           3 + Tokens("assistant") + Tokens("Hmm") + Tokens(R"({"city":"Oslo"})") +
                           3 + Tokens("user") + Tokens("-3C") + 3;
  EXPECT_EQ(CountPromptTokens(O200k(), body, true), expected);
}

TEST(CountPromptTokensTest, LegacyPromptIsAStringOrAList) {
  EXPECT_EQ(CountPromptTokens(O200k(), R"({"prompt":"Once upon a time"})", false),
            Tokens("Once upon a time"));
  EXPECT_EQ(CountPromptTokens(O200k(), R"({"prompt":["Once","upon"]})", false),
            Tokens("Once") + Tokens("upon"));
  EXPECT_EQ(CountPromptTokens(O200k(), R"({"model":"m"})", false), 0);
}

TEST(CountPromptTokensTest, TextThatIsNotJsonCountsAsText) {
  EXPECT_EQ(CountPromptTokens(O200k(), "not json at all", true), Tokens("not json at all"));
}

TEST(CountCompletionTokensTest, UnescapesJsonStringContents) {
  EXPECT_EQ(CountCompletionTokens(O200k(), ""), 0);
  EXPECT_EQ(CountCompletionTokens(O200k(), "plain words"), Tokens("plain words"));
  EXPECT_EQ(CountCompletionTokens(O200k(), R"(line one\nline \"two\" \u00e9)"),
            Tokens("line one\nline \"two\" \xC3\xA9"));
  // A surrogate pair split across two relayed chunks joins up again.
  EXPECT_EQ(CountCompletionTokens(O200k(), R"(smile \ud83d\ude00)"),
            Tokens("smile \xF0\x9F\x98\x80"));
}

TEST(FillNormalizedCountsTest, CountsWithO200kAndReleasesTheSources) {
  GenerationRecord record;
  record.prompt_source = R"({"messages":[{"role":"user","content":"Hi there"}]})";
  record.completion_source = R"(Hello!\nHow can I help?)";
  FillNormalizedCounts(record);
  EXPECT_EQ(record.tokens_prompt, 3 + Tokens("user") + Tokens("Hi there") + 3);
  EXPECT_EQ(record.tokens_completion, Tokens("Hello!\nHow can I help?"));
  EXPECT_TRUE(record.prompt_source.empty());
  EXPECT_TRUE(record.completion_source.empty());

  record.prompt_source = "changed";
  FillNormalizedCounts(record);  // already counted: unchanged
  EXPECT_EQ(record.tokens_prompt, 3 + Tokens("user") + Tokens("Hi there") + 3);
}

}  // namespace
}  // namespace gw::accounting

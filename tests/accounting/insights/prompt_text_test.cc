#include "accounting/insights/prompt_text.h"

#include <gtest/gtest.h>

#include <string>

namespace gw::accounting::insights {
namespace {

TEST(PromptTextTest, ChatBodyGivesSystemUserTurnsLatestFirstAndTools) {
  const PromptText text = ReadPromptText(R"({"model":"m","messages":[
      {"role":"system","content":"You are terse."},
      {"role":"developer","content":[{"type":"text","text":"Answer in \"French\"."}]},
      {"role":"user","content":"first question"},
      {"role":"assistant","content":"an answer"},
      {"role":"tool","tool_call_id":"c1","content":"tool output"},
      {"role":"user","content":[{"type":"text","text":"second"},{"type":"image_url","image_url":{"url":"x"}},{"type":"text","text":"question \u00e9"}]}],
    "tools":[{"type":"function","function":{"name":"get_weather","parameters":{}}}]})",
                                         true);
  EXPECT_EQ(text.system, "You are terse.\nAnswer in \"French\".");
  EXPECT_EQ(text.user, "second\nquestion \xC3\xA9\nfirst question");
  EXPECT_EQ(text.user.substr(0, text.latest_user_size), "second\nquestion \xC3\xA9");
  EXPECT_EQ(text.tool_names, std::vector<std::string>{"get_weather"});
  EXPECT_EQ(text.message_count, 6);
  EXPECT_TRUE(text.tools_offered);
}

TEST(PromptTextTest, AnthropicBodyReadsTopLevelSystemAndSkipsToolResults) {
  const PromptText text = ReadPromptText(R"({"model":"m","max_tokens":5,
      "system":[{"type":"text","text":"You are Claude Code."}],
      "messages":[{"role":"user","content":[
        {"type":"tool_result","tool_use_id":"t","content":"file contents"},
        {"type":"text","text":"fix the build"}]}],
      "tools":[{"name":"Bash","input_schema":{}},{"name":"Edit","input_schema":{}}]})",
                                         true);
  EXPECT_EQ(text.system, "You are Claude Code.");
  EXPECT_EQ(text.user, "fix the build");
  EXPECT_EQ(text.tool_names, (std::vector<std::string>{"Bash", "Edit"}));
  EXPECT_EQ(text.message_count, 1);
}

TEST(PromptTextTest, LegacyPromptStringOrList) {
  EXPECT_EQ(ReadPromptText(R"({"prompt":"once upon"})", false).user, "once upon");
  EXPECT_EQ(ReadPromptText(R"({"prompt":["a","b"]})", false).user, "a\nb");
  EXPECT_EQ(ReadPromptText(R"({"prompt":"x"})", false).message_count, 0);
}

TEST(PromptTextTest, NoToolsOrAnEmptyListIsNotOffered) {
  EXPECT_FALSE(ReadPromptText(R"({"messages":[],"tools":[]})", true).tools_offered);
  EXPECT_FALSE(ReadPromptText(R"({"messages":[]})", true).tools_offered);
  const PromptText legacy = ReadPromptText(R"({"messages":[],"functions":[{"name":"f"}]})", true);
  EXPECT_TRUE(legacy.tools_offered);
  EXPECT_EQ(legacy.tool_names, std::vector<std::string>{"f"});
}

TEST(PromptTextTest, LongTextIsCutWithinTheLimitAtACharacterBoundary) {
  // "é" is two bytes; an odd limit would split one. Escapes near the cut must not break it.
  std::string long_text;
  for (size_t i = 0; i < kMaxUserTextBytes; ++i) long_text += "\\u00e9";
  const PromptText text =
      ReadPromptText(R"({"messages":[{"role":"user","content":")" + long_text + R"("}]})", true);
  EXPECT_LE(text.user.size(), kMaxUserTextBytes);
  EXPECT_GE(text.user.size(), kMaxUserTextBytes / 6 * 2 - 2);
  EXPECT_EQ(text.user.size() % 2, 0u);
  EXPECT_EQ(text.user.substr(0, 2), "\xC3\xA9");

  const std::string plain(3 * kMaxUserTextBytes, 'a');
  const PromptText many = ReadPromptText(R"({"messages":[{"role":"user","content":")" + plain +
                                             R"("},{"role":"user","content":"latest"}]})",
                                         true);
  EXPECT_EQ(many.user.size(), kMaxUserTextBytes);
  EXPECT_EQ(many.user.substr(0, 7), "latest\n");
}

TEST(PromptTextTest, WhatIsNotAJsonObjectGivesNothing) {
  for (std::string_view body : {"", "[]", "not json", R"({"messages":[)", "  \n"}) {
    const PromptText text = ReadPromptText(body, true);
    EXPECT_TRUE(text.system.empty() && text.user.empty() && text.tool_names.empty()) << body;
    EXPECT_EQ(text.message_count, 0) << body;
  }
}

}  // namespace
}  // namespace gw::accounting::insights

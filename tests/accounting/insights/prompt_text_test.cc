#include "accounting/insights/prompt_text.h"

#include <gtest/gtest.h>

#include <optional>
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
  ASSERT_TRUE(text.latest_user_size.has_value());
  EXPECT_EQ(text.user.substr(0, *text.latest_user_size), "second\nquestion \xC3\xA9");
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

TEST(PromptTextTest, ALatestTurnWithoutTextIsMarkedEmpty) {
  // Anthropic's answer to a tool call: the latest user turn holds only tool results.
  const PromptText text = ReadPromptText(R"({"model":"m","max_tokens":5,"messages":[
      {"role":"user","content":"list the files"},
      {"role":"assistant","content":[{"type":"tool_use","id":"t","name":"Bash","input":{}}]},
      {"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":"a.txt"}]}]})",
                                         true);
  EXPECT_EQ(text.user, "list the files");
  EXPECT_EQ(text.latest_user_size, std::optional<size_t>(0));
  // No user turn: nothing marked.
  EXPECT_EQ(
      ReadPromptText(R"({"messages":[{"role":"system","content":"s"}]})", true).latest_user_size,
      std::nullopt);
}

TEST(PromptTextTest, LegacyPromptStringOrList) {
  EXPECT_EQ(ReadPromptText(R"({"prompt":"once upon"})", false).user, "once upon");
  EXPECT_EQ(ReadPromptText(R"({"prompt":"once upon"})", false).latest_user_size,
            std::optional<size_t>(9));
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

TEST(PromptTextTest, RawMultiByteCharactersAreNotSplitAtTheCut) {
  // Unescaped UTF-8 in the JSON string: after one ASCII byte, the limit falls inside a two-byte
  // "é" (and inside a three-byte "€"), which must be left out whole.
  std::string e_acute = "a";
  for (size_t i = 0; i < kMaxUserTextBytes; ++i) e_acute += "\xC3\xA9";
  const PromptText two =
      ReadPromptText(R"({"messages":[{"role":"user","content":")" + e_acute + R"("}]})", true);
  EXPECT_EQ(two.user.size(), kMaxUserTextBytes - 1);
  EXPECT_EQ(two.user.substr(two.user.size() - 2), "\xC3\xA9");

  std::string euro = "a";
  for (size_t i = 0; i < kMaxUserTextBytes; ++i) euro += "\xE2\x82\xAC";
  const PromptText three =
      ReadPromptText(R"({"messages":[{"role":"user","content":")" + euro + R"("}]})", true);
  EXPECT_EQ(three.user.size(), kMaxUserTextBytes - 2);
  EXPECT_EQ(three.user.substr(three.user.size() - 3), "\xE2\x82\xAC");

  // The same after a previous turn and its "\n" took an odd number of bytes.
  const PromptText after =
      ReadPromptText(R"({"messages":[{"role":"user","content":")" + e_acute.substr(1) + R"("},)" +
                         R"({"role":"user","content":"hi"}]})",
                     true);
  EXPECT_EQ(after.user.size(), kMaxUserTextBytes - 1);  // "hi\n" and 3070 of them
  EXPECT_EQ(after.user.substr(after.user.size() - 2), "\xC3\xA9");
}

TEST(PromptTextTest, WhatIsNotAJsonObjectGivesNothing) {
  for (std::string_view body : {"", "[]", "not json", R"({"messages":[)", "  \n"}) {
    const PromptText text = ReadPromptText(body, true);
    EXPECT_TRUE(text.system.empty() && text.user.empty() && text.tool_names.empty()) << body;
    EXPECT_EQ(text.message_count, 0) << body;
  }
}

TEST(PromptTextTest, AValidatedBodyReadsTheSameWithoutTheValidatingPass) {
  for (const auto& [body, chat] : std::vector<std::pair<std::string, bool>>{
           {R"({"system":"s","messages":[{"role":"user","content":"a"},{"role":"user",
               "content":[{"type":"text","text":"b \u00e9"}]}],"tools":[{"name":"Bash"}]})",
            true},
           {R"(  {"prompt":["x","y"]})", false},
           {R"({"messages":[]})", true},
           {"[1]", true}}) {
    const PromptText checked = ReadPromptText(body, chat);
    const PromptText trusted = ReadValidatedPromptText(body, chat);
    EXPECT_EQ(trusted.system, checked.system) << body;
    EXPECT_EQ(trusted.user, checked.user) << body;
    EXPECT_EQ(trusted.latest_user_size, checked.latest_user_size) << body;
    EXPECT_EQ(trusted.tool_names, checked.tool_names) << body;
    EXPECT_EQ(trusted.message_count, checked.message_count) << body;
  }
}

TEST(PromptTextTest, ALayoutOfAnotherTextReadsNothingOutsideTheBody) {
  PromptLayout layout;
  layout.known = true;
  layout.system = {5, 1000, gw::json::ValueKind::kString};  // past the end of the body
  layout.messages.push_back({PromptRole::kUser, {4000000000u, 10, gw::json::ValueKind::kString}});
  layout.tools = {0, 3, gw::json::ValueKind::kArray};  // not an array's text: no tools
  const PromptText text = ReadPromptTextOfLayout(R"({"a":1})", layout, true);
  EXPECT_EQ(text.system, "");
  EXPECT_EQ(text.user, "");
  EXPECT_EQ(text.message_count, 1);
  EXPECT_FALSE(text.tools_offered);
  // An unknown layout walks the body.
  EXPECT_EQ(ReadPromptTextOfLayout(R"({"prompt":"hi"})", PromptLayout{}, false).user, "hi");
}

}  // namespace
}  // namespace gw::accounting::insights

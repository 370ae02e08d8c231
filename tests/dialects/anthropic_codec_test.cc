// The Anthropic Messages codec (dialects/anthropic/messages_codec.h): requests, responses, usage
// and streams, against golden files under tests/data/dialects/anthropic_*.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "dialects/anthropic/messages_codec.h"
#include "dialects/openai_chat/chat_codec.h"

namespace gw::dialects::anthropic {
namespace {

using nlohmann::json;

std::string DataPath(const std::string& name) {
  return std::string(GW_SOURCE_DIR) + "/tests/data/dialects/" + name;
}

std::string ReadData(const std::string& name) {
  std::ifstream in(DataPath(name), std::ios::binary);
  EXPECT_TRUE(in.good()) << DataPath(name);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// On a golden mismatch the actual text is left in /tmp for review.
void ExpectGolden(const std::string& name, const std::string& actual, const std::string& golden) {
  EXPECT_EQ(actual, golden) << "golden " << name << " differs; actual in /tmp/" << name;
  if (actual != golden) std::ofstream("/tmp/" + name, std::ios::binary) << actual;
}

Part Text(std::string text) {
  Part p;
  p.text = std::move(text);
  return p;
}

Part Image(std::string url) {
  Part p;
  p.kind = Part::Kind::kImage;
  p.image_url = std::move(url);
  return p;
}

Part ToolCall(std::string id, std::string name, std::string arguments) {
  Part p;
  p.kind = Part::Kind::kToolCall;
  p.id = std::move(id);
  p.name = std::move(name);
  p.arguments = std::move(arguments);
  return p;
}

Part ToolResult(std::string id, std::vector<Part> content, bool is_error = false) {
  Part p;
  p.kind = Part::Kind::kToolResult;
  p.id = std::move(id);
  p.content = std::move(content);
  p.is_error = is_error;
  return p;
}

Part Thinking(std::string text, std::string signature) {
  Part p;
  p.kind = Part::Kind::kThinking;
  p.text = std::move(text);
  p.signature = std::move(signature);
  return p;
}

Message Msg(Role role, std::vector<Part> parts) { return Message{role, std::move(parts)}; }

// ---- Request decode

TEST(AnthropicDecodeRequest, ClaudeCodeRequest) {
  const json body = json::parse(ReadData("anthropic_claude_code_request.json"));
  Request r;
  ASSERT_EQ(DecodeRequest(body, r), "");
  EXPECT_EQ(r.model, "claude-sonnet-4-5-20250929");
  EXPECT_EQ(r.max_tokens, 32000);
  EXPECT_TRUE(r.stream);
  EXPECT_EQ(r.temperature, 1.0);
  EXPECT_EQ(r.user, R"({"device_id":"9f2c","account_uuid":"","session_id":"5b1e-77"})");

  // The system array, then the role:"system" message's text.
  ASSERT_EQ(r.system.size(), 3u);
  EXPECT_EQ(r.system[0].text, "You are Claude Code, Anthropic's official CLI for Claude.");
  EXPECT_EQ(r.system[0].cache_control, json({{"type", "ephemeral"}}));
  EXPECT_EQ(r.system[1].cache_control, json({{"type", "ephemeral"}, {"ttl", "1h"}}));
  EXPECT_EQ(r.system[2].text, "The user switched to plan mode.");
  EXPECT_TRUE(r.system[2].cache_control.is_null());

  ASSERT_EQ(r.messages.size(), 5u);
  const std::vector<Role> roles = {Role::kUser, Role::kAssistant, Role::kUser, Role::kAssistant,
                                   Role::kUser};
  for (size_t i = 0; i < roles.size(); ++i) EXPECT_EQ(r.messages[i].role, roles[i]) << i;

  ASSERT_EQ(r.messages[0].parts.size(), 2u);
  EXPECT_EQ(r.messages[0].parts[1].text, "List the files, then read main.cc");
  EXPECT_EQ(r.messages[0].parts[1].cache_control, json({{"type", "ephemeral"}}));

  const auto& a1 = r.messages[1].parts;
  ASSERT_EQ(a1.size(), 3u);
  EXPECT_EQ(a1[0].kind, Part::Kind::kThinking);
  EXPECT_EQ(a1[0].text, "I should list the directory first.");
  EXPECT_EQ(a1[0].signature, "EqQBCkYIBxgCKkBsig==");
  EXPECT_EQ(a1[1].kind, Part::Kind::kText);
  EXPECT_EQ(a1[2].kind, Part::Kind::kToolCall);
  EXPECT_EQ(a1[2].id, "toolu_01A");
  EXPECT_EQ(a1[2].name, "Bash");
  EXPECT_EQ(json::parse(a1[2].arguments), json({{"command", "ls"}, {"description", "List files"}}));

  const auto& u2 = r.messages[2].parts;
  ASSERT_EQ(u2.size(), 2u);
  EXPECT_EQ(u2[0].kind, Part::Kind::kToolResult);
  EXPECT_EQ(u2[0].id, "toolu_01A");
  EXPECT_FALSE(u2[0].is_error);
  ASSERT_EQ(u2[0].content.size(), 1u);
  EXPECT_EQ(u2[0].content[0].text, "main.cc\nREADME.md");
  EXPECT_EQ(u2[1].id, "toolu_01B");
  EXPECT_TRUE(u2[1].is_error);
  ASSERT_EQ(u2[1].content.size(), 1u);
  EXPECT_EQ(u2[1].content[0].text, "permission denied");

  const auto& a3 = r.messages[3].parts;
  ASSERT_EQ(a3.size(), 2u);
  EXPECT_EQ(a3[0].kind, Part::Kind::kRedactedThinking);
  EXPECT_EQ(a3[0].text, "EmwKAhgBEgy3va3pzix/LafPsn4aDFIT");
  EXPECT_EQ(a3[1].arguments, "{}");

  const auto& u4 = r.messages[4].parts;
  ASSERT_EQ(u4.size(), 3u);
  ASSERT_EQ(u4[0].content.size(), 2u);
  EXPECT_EQ(u4[0].content[0].text, "int main() {}");
  EXPECT_EQ(u4[0].content[1].kind, Part::Kind::kImage);
  EXPECT_EQ(u4[0].content[1].image_url, "data:image/png;base64,iVBORw0KGgo=");
  EXPECT_EQ(u4[1].kind, Part::Kind::kImage);
  EXPECT_EQ(u4[1].image_url, "https://example.com/diagram.png");
  EXPECT_EQ(u4[2].kind, Part::Kind::kText);  // a text document reads as text
  EXPECT_EQ(u4[2].text, "notes");

  // The server tool (web_search_20250305) is skipped; defer_loading ignored.
  ASSERT_EQ(r.tools.size(), 3u);
  EXPECT_EQ(r.tools[0].name, "Bash");
  EXPECT_EQ(r.tools[0].description, "Executes a bash command");
  EXPECT_EQ(r.tools[0].parameters, body["tools"][0]["input_schema"]);
  EXPECT_TRUE(r.tools[0].cache_control.is_null());
  EXPECT_EQ(r.tools[1].name, "Read");
  EXPECT_EQ(r.tools[1].cache_control, json({{"type", "ephemeral"}}));
  EXPECT_EQ(r.tools[2].name, "mcp__github__get_issue");

  ASSERT_TRUE(r.tool_choice);
  EXPECT_EQ(r.tool_choice->mode, ToolChoice::Mode::kAuto);
  EXPECT_EQ(r.parallel_tool_calls, false);
  // thinking adaptive + output_config.effort "high".
  ASSERT_TRUE(r.reasoning);
  EXPECT_FALSE(r.reasoning->budget_tokens);
  EXPECT_EQ(r.reasoning->effort, "high");
}

json Minimal() {
  return {{"model", "m"},
          {"max_tokens", 100},
          {"messages", json::array({{{"role", "user"}, {"content", "hi"}}})}};
}

TEST(AnthropicDecodeRequest, MinimalRequest) {
  Request r;
  ASSERT_EQ(DecodeRequest(Minimal(), r), "");
  ASSERT_EQ(r.messages.size(), 1u);
  ASSERT_EQ(r.messages[0].parts.size(), 1u);
  EXPECT_EQ(r.messages[0].parts[0].text, "hi");
  EXPECT_TRUE(r.system.empty());
  EXPECT_FALSE(r.tool_choice);
  EXPECT_FALSE(r.parallel_tool_calls);
  EXPECT_FALSE(r.reasoning);
  EXPECT_FALSE(r.stream);
}

TEST(AnthropicDecodeRequest, SamplingAndSystemString) {
  json body = Minimal();
  body["system"] = "Be terse.";
  body["temperature"] = 0.5;
  body["top_p"] = 0.9;
  body["top_k"] = 40;
  body["stop_sequences"] = {"END", "STOP"};
  Request r;
  ASSERT_EQ(DecodeRequest(body, r), "");
  ASSERT_EQ(r.system.size(), 1u);
  EXPECT_EQ(r.system[0].text, "Be terse.");
  EXPECT_EQ(r.temperature, 0.5);
  EXPECT_EQ(r.top_p, 0.9);
  EXPECT_EQ(r.top_k, 40);
  EXPECT_EQ(r.stop, (std::vector<std::string>{"END", "STOP"}));
}

TEST(AnthropicDecodeRequest, ThinkingAndToolChoiceModes) {
  struct Case {
    json thinking;
    json output_config;
    std::optional<int64_t> budget;
    std::string effort;
    bool reasoning;
  };
  const std::vector<Case> cases = {
      {{{"type", "enabled"}, {"budget_tokens", 5000}}, nullptr, 5000, "", true},
      {{{"type", "adaptive"}}, nullptr, std::nullopt, "medium", true},
      {{{"type", "adaptive"}}, {{"effort", "low"}}, std::nullopt, "low", true},
      {{{"type", "adaptive"}}, {{"effort", "max"}}, std::nullopt, "high", true},
      {{{"type", "adaptive"}}, {{"effort", "bogus"}}, std::nullopt, "medium", true},
      {{{"type", "disabled"}}, nullptr, std::nullopt, "", false},
  };
  for (const Case& c : cases) {
    json body = Minimal();
    body["thinking"] = c.thinking;
    if (!c.output_config.is_null()) body["output_config"] = c.output_config;
    Request r;
    ASSERT_EQ(DecodeRequest(body, r), "") << c.thinking;
    ASSERT_EQ(r.reasoning.has_value(), c.reasoning) << c.thinking;
    if (!c.reasoning) continue;
    EXPECT_EQ(r.reasoning->budget_tokens, c.budget) << c.thinking;
    EXPECT_EQ(r.reasoning->effort, c.effort) << c.thinking << c.output_config;
  }
  const std::vector<std::pair<json, ToolChoice::Mode>> choices = {
      {{{"type", "auto"}}, ToolChoice::Mode::kAuto},
      {{{"type", "any"}}, ToolChoice::Mode::kRequired},
      {{{"type", "none"}}, ToolChoice::Mode::kNone},
      {{{"type", "tool"}, {"name", "Bash"}}, ToolChoice::Mode::kNamed},
  };
  for (const auto& [choice, mode] : choices) {
    json body = Minimal();
    body["tool_choice"] = choice;
    Request r;
    ASSERT_EQ(DecodeRequest(body, r), "") << choice;
    ASSERT_TRUE(r.tool_choice);
    EXPECT_EQ(r.tool_choice->mode, mode) << choice;
    EXPECT_EQ(r.tool_choice->name, mode == ToolChoice::Mode::kNamed ? "Bash" : "");
    EXPECT_FALSE(r.parallel_tool_calls);
  }
}

TEST(AnthropicDecodeRequest, Rejections) {
  // Each case: a patch applied to Minimal() (JSON merge patch), and the expected message.
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"max_tokens": null})", "max_tokens: required"},
      {R"({"max_tokens": "100"})", "max_tokens: expected a positive integer"},
      {R"({"max_tokens": 0})", "max_tokens: expected a positive integer"},
      {R"({"max_tokens": -5})", "max_tokens: expected a positive integer"},
      {R"({"max_tokens": 1.5})", "max_tokens: expected a positive integer"},
      {R"({"model": 7})", "model: expected a string"},
      {R"({"messages": null})", "messages: required"},
      {R"({"messages": {}})", "messages: expected an array"},
      {R"({"messages": ["hi"]})", "messages[0]: expected an object"},
      {R"({"messages": [{"content": "x"}]})", "messages[0].role: required"},
      {R"({"messages": [{"role": "robot", "content": "x"}]})",
       "messages[0].role: unknown role \"robot\""},
      {R"({"messages": [{"role": "user"}]})", "messages[0].content: required"},
      {R"({"messages": [{"role": "user", "content": 5}]})",
       "messages[0].content: expected a string or an array"},
      {R"({"messages": [{"role": "user", "content": [{"type": "foo"}]}]})",
       "messages[0].content[0].type: unknown block type \"foo\""},
      {R"({"messages": [{"role": "user", "content": ["x"]}]})",
       "messages[0].content[0]: expected an object"},
      {R"({"messages": [{"role": "user", "content": [{"text": "x"}]}]})",
       "messages[0].content[0].type: required"},
      {R"({"messages": [{"role": "user", "content": [{"type": "text", "text": 3}]}]})",
       "messages[0].content[0].text: expected a string"},
      {R"({"messages": [{"role": "user", "content": [{"type": "text", "text": "a"},
          {"type": "tool_result", "tool_use_id": 12}]}]})",
       "messages[0].content[1].tool_use_id: expected a string"},
      {R"({"messages": [{"role": "user", "content": [{"type": "tool_result",
          "tool_use_id": "t", "content": [{"type": "text"}]}]}]})",
       "messages[0].content[0].content[0].text: required"},
      {R"({"messages": [{"role": "user", "content": [{"type": "tool_result",
          "tool_use_id": "t", "content": [{"type": "document"}]}]}]})",
       "messages[0].content[0].content[0].type: unsupported block type \"document\" in a tool "
       "result"},
      {R"({"messages": [{"role": "user", "content": [{"type": "tool_result",
          "tool_use_id": "t", "is_error": "yes"}]}]})",
       "messages[0].content[0].is_error: expected a boolean"},
      {R"({"messages": [{"role": "user", "content": [{"type": "tool_use", "id": "a",
          "name": "b", "input": {}}]}]})",
       "messages[0].content[0].type: \"tool_use\" blocks are only allowed in assistant messages"},
      {R"({"messages": [{"role": "assistant", "content": [{"type": "tool_result",
          "tool_use_id": "t"}]}]})",
       "messages[0].content[0].type: \"tool_result\" blocks are only allowed in user messages"},
      {R"({"messages": [{"role": "assistant", "content": [{"type": "tool_use", "id": "a",
          "name": "b", "input": [1]}]}]})",
       "messages[0].content[0].input: expected an object"},
      {R"({"messages": [{"role": "assistant", "content": [{"type": "server_tool_use",
          "id": "a", "name": "web_search", "input": {}}]}]})",
       "messages[0].content[0].type: unknown block type \"server_tool_use\""},
      {R"({"messages": [{"role": "user", "content": [{"type": "image",
          "source": {"type": "file", "file_id": "f"}}]}]})",
       "messages[0].content[0].source.type: unsupported image source \"file\""},
      {R"({"messages": [{"role": "user", "content": [{"type": "image",
          "source": {"type": "base64", "data": "xx"}}]}]})",
       "messages[0].content[0].source.media_type: required"},
      {R"({"messages": [{"role": "user", "content": [{"type": "document",
          "source": {"type": "base64", "media_type": "application/pdf", "data": "xx"}}]}]})",
       "messages[0].content[0].source.type: a \"base64\" document cannot be sent to this model "
       "(only text documents can)"},
      {R"({"messages": [{"role": "system", "content": [{"type": "image"}]}]})",
       "messages[0].content[0].type: expected \"text\""},
      {R"({"system": 5})", "system: expected a string or an array"},
      {R"({"system": [{"type": "text", "text": "a", "cache_control": "x"}]})",
       "system[0].cache_control: expected an object"},
      {R"({"tools": {}})", "tools: expected an array"},
      {R"({"tools": [{"input_schema": {}}]})", "tools[0].name: required"},
      {R"({"tools": [{"type": 5}]})", "tools[0].type: expected a string"},
      {R"({"tools": [{"name": "a"}, {"name": "b", "input_schema": "x"}]})",
       "tools[1].input_schema: expected an object"},
      {R"({"tool_choice": "auto"})", "tool_choice: expected an object"},
      {R"({"tool_choice": {"type": "sometimes"}})", "tool_choice.type: unknown type \"sometimes\""},
      {R"({"tool_choice": {"type": "tool"}})", "tool_choice.name: required"},
      {R"({"tool_choice": {"type": "auto", "disable_parallel_tool_use": 1}})",
       "tool_choice.disable_parallel_tool_use: expected a boolean"},
      {R"({"thinking": {"type": "enabled"}})", "thinking.budget_tokens: required"},
      {R"({"thinking": {"type": "enabled", "budget_tokens": "big"}})",
       "thinking.budget_tokens: expected a positive integer"},
      {R"({"thinking": {"type": "turbo"}})", "thinking.type: unknown type \"turbo\""},
      {R"({"thinking": true})", "thinking: expected an object"},
      {R"({"temperature": "hot"})", "temperature: expected a number"},
      {R"({"top_p": []})", "top_p: expected a number"},
      {R"({"top_k": -1})", "top_k: expected a non-negative integer"},
      {R"({"stop_sequences": "END"})", "stop_sequences: expected an array"},
      {R"({"stop_sequences": ["a", 1]})", "stop_sequences[1]: expected a string"},
      {R"({"stream": "yes"})", "stream: expected a boolean"},
      {R"({"metadata": []})", "metadata: expected an object"},
      {R"({"metadata": {"user_id": 5}})", "metadata.user_id: expected a string"},
  };
  for (const auto& [patch, message] : cases) {
    json body = Minimal();
    body.merge_patch(json::parse(patch));
    Request r;
    EXPECT_EQ(DecodeRequest(body, r), message) << patch;
  }
  Request r;
  EXPECT_EQ(DecodeRequest(json::array(), r), "body: expected a JSON object");
}

TEST(AnthropicDecodeRequest, UnknownTopLevelFieldsAreIgnored) {
  json body = Minimal();
  body["context_management"] = {{"edits", json::array()}};
  body["output_config"] = {{"format", {{"type", "json_schema"}}}};
  body["container"] = "c";
  body["mcp_servers"] = json::array();
  body["service_tier"] = "auto";
  body["future_field"] = {{"x", 1}};
  Request r;
  EXPECT_EQ(DecodeRequest(body, r), "");
}

// ---- Request encode

// A request as a Chat Completions client would produce it: several system parts, images, an
// assistant turn with unsigned reasoning and two tool calls, their results in one user message,
// a follow-up user message, reasoning effort, sampling parameters thinking forbids.
Request ChatDerivedRequest() {
  Request r;
  r.model = "openai/gpt-x";
  r.system = {Text("You are helpful."), Text(""), Text("Answer briefly.")};
  r.system[2].cache_control = {{"type", "ephemeral"}};
  r.messages.push_back(Msg(Role::kUser, {Text("What is in these images? And the weather?"),
                                         Image("data:image/jpeg;base64,/9j/4AAQ"),
                                         Image("https://example.com/cat.png")}));
  r.messages.push_back(
      Msg(Role::kAssistant, {Thinking("unsigned reasoning from another model", ""), Text(""),
                             ToolCall("call_1", "get_weather", R"({"city":"Paris"})"),
                             ToolCall("call_2", "get_time", "")}));
  r.messages.push_back(
      Msg(Role::kUser, {ToolResult("call_1", {Text("18C, sunny")}),
                        ToolResult("call_2", {Text("clock unavailable")}, /*is_error=*/true)}));
  r.messages.push_back(Msg(Role::kUser, {Text("Now summarize.")}));
  r.messages.push_back(
      Msg(Role::kAssistant, {Thinking("Summarizing.", "sig-abc"), Text("A cat; Paris is sunny.")}));
  r.messages.push_back(Msg(Role::kUser, {Text("Thanks!")}));
  Tool weather;
  weather.name = "get_weather";
  weather.description = "Weather for a city";
  weather.parameters = {
      {"type", "object"}, {"properties", {{"city", {{"type", "string"}}}}}, {"required", {"city"}}};
  Tool time;
  time.name = "get_time";
  r.tools = {weather, time};
  r.parallel_tool_calls = false;
  r.max_tokens = 1000;
  r.temperature = 0.2;
  r.top_p = 0.9;
  r.stop = {"END"};
  r.stream = true;
  r.user = "user-42";
  r.reasoning = Reasoning{std::nullopt, "low"};
  return r;
}

TEST(AnthropicEncodeRequest, ChatDerivedRequestMatchesGolden) {
  const json body = EncodeRequest(ChatDerivedRequest(), "claude-sonnet-4-5", 4096);
  const std::string name = "anthropic_encode_request.json";
  const json golden = json::parse(ReadData(name));
  if (body != golden) ExpectGolden(name, body.dump(2) + "\n", golden.dump(2) + "\n");
  // The points the golden encodes, spelled out.
  EXPECT_EQ(body["thinking"], json({{"type", "enabled"}, {"budget_tokens", 2048}}));
  EXPECT_EQ(body["max_tokens"], 2048 + 4096);  // 1000 <= budget: raised to budget + default
  EXPECT_FALSE(body.contains("temperature"));  // forbidden with thinking
  EXPECT_FALSE(body.contains("top_p"));        // only [0.95, 1] allowed with thinking
  EXPECT_EQ(body["messages"].size(), 5u);      // 6 IR messages, two consecutive user ones merged
}

TEST(AnthropicEncodeRequest, EffortBudgets) {
  const std::vector<std::pair<std::string, int64_t>> cases = {
      {"minimal", 1024}, {"low", 2048}, {"medium", 8192}, {"high", 24576}, {"extreme", 8192}};
  for (const auto& [effort, budget] : cases) {
    Request r;
    r.messages.push_back(Msg(Role::kUser, {Text("hi")}));
    r.max_tokens = 64000;
    r.reasoning = Reasoning{std::nullopt, effort};
    const json body = EncodeRequest(r, "m", 4096);
    EXPECT_EQ(body["thinking"]["budget_tokens"], budget) << effort;
    EXPECT_EQ(body["max_tokens"], 64000) << effort;  // already above the budget
  }
  Request r;
  r.messages.push_back(Msg(Role::kUser, {Text("hi")}));
  r.reasoning = Reasoning{500, ""};  // below the API's minimum
  r.temperature = 0.7;
  r.top_k = 5;
  r.top_p = 0.97;
  json body = EncodeRequest(r, "m", 4096);
  EXPECT_EQ(body["thinking"]["budget_tokens"], 1024);
  EXPECT_EQ(body["max_tokens"], 4096);  // the default already exceeds the budget
  EXPECT_FALSE(body.contains("temperature"));
  EXPECT_FALSE(body.contains("top_k"));
  EXPECT_EQ(body["top_p"], 0.97);
  r.reasoning = Reasoning{std::nullopt, "none"};
  body = EncodeRequest(r, "m", 4096);
  EXPECT_FALSE(body.contains("thinking"));
  EXPECT_EQ(body["temperature"], 0.7);
  EXPECT_EQ(body["top_k"], 5);
  EXPECT_EQ(body["max_tokens"], 4096);
}

TEST(AnthropicEncodeRequest, ThinkingLeftOffWhereAnthropicRejectsIt) {
  Request r;
  r.messages.push_back(Msg(Role::kUser, {Text("hi")}));
  r.tools.push_back(Tool{"t", "", json::object(), nullptr});
  r.reasoning = Reasoning{4000, ""};
  r.tool_choice = ToolChoice{ToolChoice::Mode::kRequired, ""};
  EXPECT_FALSE(EncodeRequest(r, "m", 4096).contains("thinking")) << "forced tool use";
  r.tool_choice = ToolChoice{ToolChoice::Mode::kNamed, "t"};
  EXPECT_FALSE(EncodeRequest(r, "m", 4096).contains("thinking")) << "forced tool use";
  r.tool_choice.reset();
  EXPECT_TRUE(EncodeRequest(r, "m", 4096).contains("thinking"));
  // The last assistant turn calls a tool without (signed) thinking first.
  r.messages.push_back(Msg(Role::kAssistant, {ToolCall("c", "t", "{}")}));
  r.messages.push_back(Msg(Role::kUser, {ToolResult("c", {Text("ok")})}));
  EXPECT_FALSE(EncodeRequest(r, "m", 4096).contains("thinking"));
  r.messages[1].parts.insert(r.messages[1].parts.begin(), Thinking("hmm", "sig"));
  EXPECT_TRUE(EncodeRequest(r, "m", 4096).contains("thinking"));
}

TEST(AnthropicEncodeRequest, ToolChoiceMapping) {
  struct Case {
    std::optional<ToolChoice> choice;
    std::optional<bool> parallel;
    json expected;  // null: no tool_choice
  };
  const std::vector<Case> cases = {
      {std::nullopt, std::nullopt, nullptr},
      {std::nullopt, true, nullptr},
      {std::nullopt, false, {{"type", "auto"}, {"disable_parallel_tool_use", true}}},
      {ToolChoice{ToolChoice::Mode::kAuto, ""}, std::nullopt, {{"type", "auto"}}},
      {ToolChoice{ToolChoice::Mode::kRequired, ""}, std::nullopt, {{"type", "any"}}},
      {ToolChoice{ToolChoice::Mode::kNone, ""}, false, {{"type", "none"}}},
      {ToolChoice{ToolChoice::Mode::kNamed, "t"},
       false,
       {{"type", "tool"}, {"name", "t"}, {"disable_parallel_tool_use", true}}},
  };
  for (const Case& c : cases) {
    Request r;
    r.messages.push_back(Msg(Role::kUser, {Text("hi")}));
    r.tools.push_back(Tool{"t", "", {{"type", "object"}}, nullptr});
    r.tool_choice = c.choice;
    r.parallel_tool_calls = c.parallel;
    const json body = EncodeRequest(r, "m", 4096);
    EXPECT_EQ(body.value("tool_choice", json()), c.expected) << c.expected;
    EXPECT_EQ(body["tools"],
              json::array({{{"name", "t"}, {"input_schema", {{"type", "object"}}}}}));
  }
  // No tools: no tools, no tool_choice.
  Request r;
  r.messages.push_back(Msg(Role::kUser, {Text("hi")}));
  r.tool_choice = ToolChoice{ToolChoice::Mode::kNone, ""};
  const json body = EncodeRequest(r, "m", 4096);
  EXPECT_FALSE(body.contains("tools"));
  EXPECT_FALSE(body.contains("tool_choice"));
  EXPECT_FALSE(body.contains("system"));
  EXPECT_FALSE(body.contains("metadata"));
  EXPECT_EQ(body["stream"], false);
  EXPECT_EQ(body["model"], "m");
}

TEST(AnthropicEncodeRequest, ToolResultsFirstAndBrokenArguments) {
  Request r;
  r.messages.push_back(Msg(Role::kAssistant, {ToolCall("c", "t", "{not json")}));
  r.messages.push_back(Msg(Role::kUser, {Text("and also"), ToolResult("c", {})}));
  const json body = EncodeRequest(r, "m", 4096);
  EXPECT_EQ(body["messages"][0]["content"][0]["input"], json::object());
  EXPECT_EQ(body["messages"][1]["content"],
            json::parse(R"([{"type":"tool_result","tool_use_id":"c"},
                            {"type":"text","text":"and also"}])"));
}

TEST(AnthropicEncodeRequest, DecodedClaudeCodeRequestEncodesBack) {
  const json original = json::parse(ReadData("anthropic_claude_code_request.json"));
  Request r;
  ASSERT_EQ(DecodeRequest(original, r), "");
  const json body = EncodeRequest(r, "claude-opus", 4096);
  EXPECT_EQ(body["model"], "claude-opus");
  EXPECT_EQ(body["max_tokens"], 32000);
  EXPECT_EQ(body["system"].size(), 3u);
  EXPECT_EQ(body["system"][1], original["system"][1]);
  // Message 3 of the original (role system) moved to the system prompt: the two user turns
  // around it stay separate only if an assistant turn separates them, which it does.
  ASSERT_EQ(body["messages"].size(), 5u);
  EXPECT_EQ(body["messages"][1], original["messages"][1]);
  // A string tool result is sent back as one text block.
  json results = original["messages"][2];
  results["content"][0]["content"] = {{{"type", "text"}, {"text", "main.cc\nREADME.md"}}};
  EXPECT_EQ(body["messages"][2], results);
  EXPECT_EQ(body["messages"][3], original["messages"][4]);
  EXPECT_EQ(body["messages"][4]["content"][0], original["messages"][5]["content"][0]);
  EXPECT_EQ(body["messages"][4]["content"][2], json({{"type", "text"}, {"text", "notes"}}));
  EXPECT_EQ(body["tools"].size(), 3u);
  EXPECT_EQ(body["tools"][1], json({{"name", "Read"},
                                    {"description", "Reads a file"},
                                    {"input_schema", original["tools"][1]["input_schema"]},
                                    {"cache_control", {{"type", "ephemeral"}}}}));
  EXPECT_EQ(body["thinking"], json({{"type", "enabled"}, {"budget_tokens", 24576}}));
  EXPECT_EQ(body["metadata"], original["metadata"]);
}

// ---- Responses

const char* kResponse = R"({
  "id": "msg_013Zva2CMHLNnXjNJJKqJ2EF",
  "type": "message",
  "role": "assistant",
  "model": "claude-sonnet-4-5-20250929",
  "content": [
    {"type": "thinking", "thinking": "Need the weather.", "signature": "sig=="},
    {"type": "redacted_thinking", "data": "EmwKAhgB"},
    {"type": "text", "text": "Checking."},
    {"type": "tool_use", "id": "toolu_01", "name": "get_weather", "input": {"city": "Paris"}}
  ],
  "stop_reason": "tool_use",
  "stop_sequence": null,
  "usage": {"input_tokens": 10, "cache_creation_input_tokens": 200,
            "cache_read_input_tokens": 3000, "output_tokens": 45}
})";

TEST(AnthropicResponse, DecodeAndEncodeRoundTrip) {
  const json original = json::parse(kResponse);
  Response r;
  ASSERT_EQ(DecodeResponse(original, r), "");
  EXPECT_EQ(r.id, "msg_013Zva2CMHLNnXjNJJKqJ2EF");
  EXPECT_EQ(r.model, "claude-sonnet-4-5-20250929");
  ASSERT_EQ(r.content.size(), 4u);
  EXPECT_EQ(r.content[0].kind, Part::Kind::kThinking);
  EXPECT_EQ(r.content[0].signature, "sig==");
  EXPECT_EQ(r.content[1].kind, Part::Kind::kRedactedThinking);
  EXPECT_EQ(r.content[1].text, "EmwKAhgB");
  EXPECT_EQ(r.content[2].text, "Checking.");
  EXPECT_EQ(r.content[3].kind, Part::Kind::kToolCall);
  EXPECT_EQ(json::parse(r.content[3].arguments), json({{"city", "Paris"}}));
  EXPECT_EQ(r.finish_reason, "tool_calls");
  EXPECT_EQ(r.native_finish_reason, "tool_use");
  ASSERT_TRUE(r.usage);
  EXPECT_EQ(r.usage->prompt_tokens, 3210);
  EXPECT_EQ(r.usage->completion_tokens, 45);
  EXPECT_EQ(json::parse(EncodeResponse(r)), original);
}

TEST(AnthropicResponse, EncodeFromAnotherDialect) {
  Response r;
  r.id = "gen-123";
  r.model = "openai/gpt-x";
  r.content = {Thinking("reasoning without signature", ""), Text("Hi"),
               ToolCall("call_1", "f", "not json")};
  r.finish_reason = "length";
  r.native_finish_reason = "length";
  r.usage = TokenUsage{120, 30, 150, 100, 0, 0};
  r.usage_extra = {{"cost", 0.0012}, {"cost_details", {{"upstream_inference_cost", 0.001}}}};
  const json out = json::parse(EncodeResponse(r));
  const json expected = json::parse(R"({
    "id": "gen-123", "type": "message", "role": "assistant", "model": "openai/gpt-x",
    "content": [
      {"type": "thinking", "thinking": "reasoning without signature", "signature": ""},
      {"type": "text", "text": "Hi"},
      {"type": "tool_use", "id": "call_1", "name": "f", "input": {}}],
    "stop_reason": "max_tokens", "stop_sequence": null,
    "usage": {"input_tokens": 20, "cache_creation_input_tokens": 0,
              "cache_read_input_tokens": 100, "output_tokens": 30,
              "cost": 0.0012, "cost_details": {"upstream_inference_cost": 0.001}}})");
  EXPECT_EQ(out, expected);
}

TEST(AnthropicResponse, StopReasonOfEncodedResponses) {
  // {finish_reason, native_finish_reason, expected stop_reason (null when "")}.
  const std::vector<std::tuple<std::string, std::string, std::string>> cases = {
      {"stop", "stop", "end_turn"},
      {"length", "length", "max_tokens"},
      {"tool_calls", "tool_calls", "tool_use"},
      {"content_filter", "", "refusal"},
      {"error", "error", "end_turn"},
      {"", "", ""},
      {"stop", "stop_sequence", "stop_sequence"},
      {"stop", "pause_turn", "pause_turn"},
      {"length", "model_context_window_exceeded", "model_context_window_exceeded"},
      {"stop", "max_tokens", "end_turn"},  // native disagrees with the normalized: normalized
  };
  for (const auto& [finish, native, stop] : cases) {
    Response r;
    r.finish_reason = finish;
    r.native_finish_reason = native;
    const json out = json::parse(EncodeResponse(r));
    EXPECT_EQ(out["stop_reason"], stop.empty() ? json() : json(stop)) << finish << "/" << native;
    EXPECT_EQ(out["content"], json::array());
    EXPECT_EQ(out["usage"]["output_tokens"], 0);
  }
}

TEST(AnthropicResponse, DecodeSkipsServerToolBlocksAndRejectsBadContent) {
  Response r;
  ASSERT_EQ(DecodeResponse(json::parse(R"({"id":"m","content":[
      {"type":"server_tool_use","id":"s","name":"web_search","input":{}},
      {"type":"web_search_tool_result","tool_use_id":"s","content":[]},
      {"type":"text","text":"Found it."}],"stop_reason":"end_turn"})"),
                           r),
            "");
  ASSERT_EQ(r.content.size(), 1u);
  EXPECT_EQ(r.content[0].text, "Found it.");
  EXPECT_EQ(r.finish_reason, "stop");
  EXPECT_FALSE(r.usage);
  EXPECT_EQ(DecodeResponse(json::parse(R"({"id":"m"})"), r), "content: expected an array");
  EXPECT_EQ(DecodeResponse(json::parse(R"({"content":[1]})"), r), "content[0]: expected an object");
  EXPECT_EQ(DecodeResponse(json::parse("[]"), r), "body: expected a JSON object");
}

TEST(AnthropicResponse, FinishAndStopReasons) {
  const std::vector<std::pair<std::string, std::string>> to_finish = {
      {"end_turn", "stop"},
      {"stop_sequence", "stop"},
      {"max_tokens", "length"},
      {"tool_use", "tool_calls"},
      {"refusal", "content_filter"},
      {"pause_turn", "stop"},
      {"model_context_window_exceeded", "length"},
      {"something_new", "stop"},
      {"", ""},
  };
  for (const auto& [stop, finish] : to_finish) EXPECT_EQ(FinishReasonOf(stop), finish) << stop;
  const std::vector<std::pair<std::string, std::string>> to_stop = {
      {"stop", "end_turn"},          {"length", "max_tokens"}, {"tool_calls", "tool_use"},
      {"content_filter", "refusal"}, {"error", "end_turn"},    {"", ""},
  };
  for (const auto& [finish, stop] : to_stop) EXPECT_EQ(StopReasonOf(finish), stop) << finish;
}

// ---- Usage

TEST(AnthropicUsage, CacheReadsAndWrites) {
  // 12 uncached + 30000 read + 2000 written = 32012 prompt tokens; 89 out.
  const TokenUsage u = UsageFromAnthropic(json::parse(
      R"({"input_tokens":12,"cache_read_input_tokens":30000,"cache_creation_input_tokens":2000,
          "output_tokens":89,"service_tier":"standard"})"));
  EXPECT_EQ(u, (TokenUsage{32012, 89, 32101, 30000, 2000, 0}));
  EXPECT_EQ(UsageToAnthropic(u), json::parse(R"({"input_tokens":12,"cache_read_input_tokens":30000,
                                                 "cache_creation_input_tokens":2000,
                                                 "output_tokens":89})"));
  // Null / missing cache counts are 0.
  EXPECT_EQ(UsageFromAnthropic(json::parse(
                R"({"input_tokens":7,"cache_read_input_tokens":null,"output_tokens":3})")),
            (TokenUsage{7, 3, 10, 0, 0, 0}));
  // Inconsistent counts never give a negative input_tokens.
  EXPECT_EQ(UsageToAnthropic(TokenUsage{10, 1, 11, 20, 5, 0})["input_tokens"], 0);
  // An OpenAI-style usage (prompt includes cached): 1000 prompt, 800 cached -> 200 uncached.
  EXPECT_EQ(UsageToAnthropic(TokenUsage{1000, 50, 1050, 800, 0, 10}),
            json::parse(R"({"input_tokens":200,"cache_read_input_tokens":800,
                            "cache_creation_input_tokens":0,"output_tokens":50})"));
}

// Found by fuzz/anthropic_response_fuzzer.cc: a negative output_tokens passed through as a
// negative completion count (a chat response our own decoder rejects, and a credit in the
// ledger); counts near INT64_MAX overflowed the prompt sum. A count that is not an integer in
// [0, 2^53] reads as 0, like a missing one.
TEST(AnthropicUsage, NegativeFractionalAndHugeCountsReadAsZero) {
  EXPECT_EQ(UsageFromAnthropic(json::parse(
                R"({"input_tokens":10,"output_tokens":-2,"cache_read_input_tokens":3.5,
                    "cache_creation_input_tokens":1})")),
            (TokenUsage{11, 0, 11, 0, 1, 0}));
  EXPECT_EQ(
      UsageFromAnthropic(json::parse(
          R"({"input_tokens":9223372036854775807,"cache_read_input_tokens":9223372036854775807,
                    "output_tokens":18446744073709551615})")),
      (TokenUsage{}));
  EXPECT_EQ(UsageFromAnthropic(json{{"input_tokens", int64_t{-5}}, {"output_tokens", int64_t{7}}}),
            (TokenUsage{0, 7, 7, 0, 0, 0}));

  // The fuzzer's input: the Messages response, as a chat.completion, reads back as one.
  Response r;
  ASSERT_EQ(DecodeResponse(json::parse(R"({"id":"msg_1","type":"message","role":"assistant",
      "model":"claude","content":[{"type":"text","text":"Hi"}],"stop_reason":"end_turn",
      "usage":{"input_tokens":10,"output_tokens":-2}})"),
                           r),
            "");
  Response again;
  EXPECT_EQ(gw::dialects::openai_chat::DecodeResponse(
                json::parse(gw::dialects::openai_chat::EncodeResponse(r)), again),
            "");
}

// ---- Stream decode

// The (event name, data) pairs of an SSE text.
std::vector<std::pair<std::string, std::string>> ParseSse(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> events;
  std::istringstream in(text);
  std::string line, name, data;
  while (std::getline(in, line)) {
    if (line.starts_with("event: ")) name = line.substr(7);
    if (line.starts_with("data: ")) data = line.substr(6);
    if (line.empty() && !data.empty()) {
      events.emplace_back(name, data);
      name.clear();
      data.clear();
    }
  }
  return events;
}

std::string Describe(const StreamEvent& e) {
  using K = StreamEvent::Kind;
  switch (e.kind) {
    case K::kStart:
      return "start " + e.id + " " + e.model;
    case K::kTextDelta:
      return "text " + e.text;
    case K::kThinkingDelta:
      return "thinking " + e.text;
    case K::kSignature:
      return "signature " + e.text;
    case K::kRedactedThinking:
      return "redacted " + e.text;
    case K::kToolCallStart:
      return "tool_start " + std::to_string(e.index) + " " + e.id + " " + e.name;
    case K::kToolCallDelta:
      return "tool_delta " + std::to_string(e.index) + " " + e.text;
    case K::kFinish:
      return "finish " + e.finish_reason + " " + e.native_finish_reason;
    case K::kUsage: {
      const TokenUsage u = e.usage.value_or(TokenUsage{});
      return "usage prompt=" + std::to_string(u.prompt_tokens) +
             " completion=" + std::to_string(u.completion_tokens) +
             " total=" + std::to_string(u.total_tokens) +
             " cached=" + std::to_string(u.cached_tokens) +
             " write=" + std::to_string(u.cache_write_tokens);
    }
    case K::kError:
      return "error " + std::to_string(e.status) + " " + e.text;
  }
  return "?";
}

// Decodes a whole SSE text; the results of each event, and the events described.
std::vector<std::string> DecodeAll(StreamDecoder& decoder, const std::string& sse,
                                   std::vector<StreamDecoder::Result>* results = nullptr) {
  std::vector<StreamEvent> events;
  for (const auto& [name, data] : ParseSse(sse)) {
    auto result = decoder.Decode(name, data, events);
    if (results) results->push_back(result);
  }
  std::vector<std::string> out;
  for (const StreamEvent& e : events) out.push_back(Describe(e));
  return out;
}

TEST(AnthropicStreamDecoder, RecordedStream) {
  StreamDecoder decoder;
  std::vector<StreamDecoder::Result> results;
  const auto events = DecodeAll(decoder, ReadData("anthropic_stream_recorded.sse"), &results);
  const std::vector<std::string> expected = {
      "start msg_01XFDUDYJgAACzvnptvVoYEL claude-sonnet-4-5-20250929",
      "thinking The user wants the weather.",
      "thinking  I'll call the tool.",
      "signature EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds",
      "text Let me check",
      "text  the weather.",
      "tool_start 0 toolu_01T1x1fJ34qAmk2tNTrN7Up6 get_weather",
      "tool_delta 0 {\"location\": \"San Fra",
      "tool_delta 0 ncisco, CA\"}",
      "finish tool_calls tool_use",
      // 12 + 30000 read + 2000 written from message_start; 89 out from message_delta.
      "usage prompt=32012 completion=89 total=32101 cached=30000 write=2000",
  };
  EXPECT_EQ(events, expected);
  ASSERT_EQ(results.size(), 18u);
  for (size_t i = 0; i + 1 < results.size(); ++i) {
    EXPECT_EQ(results[i], StreamDecoder::Result::kContinue) << i;
  }
  EXPECT_EQ(results.back(), StreamDecoder::Result::kDone);
}

TEST(AnthropicStreamDecoder, MessageDeltaCountsOverrideMessageStart) {
  StreamDecoder decoder;
  std::vector<StreamEvent> events;
  decoder.Decode("message_start",
                 R"({"type":"message_start","message":{"id":"m","model":"x",
                    "usage":{"input_tokens":5,"cache_read_input_tokens":0,"output_tokens":1}}})",
                 events);
  decoder.Decode("message_delta",
                 R"({"type":"message_delta","delta":{"stop_reason":"end_turn"},
                    "usage":{"input_tokens":7,"cache_read_input_tokens":100,
                             "cache_creation_input_tokens":null,"output_tokens":20}})",
                 events);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(Describe(events[1]), "finish stop end_turn");
  EXPECT_EQ(Describe(events[2]), "usage prompt=107 completion=20 total=127 cached=100 write=0");
}

TEST(AnthropicStreamDecoder, BlocksOfEveryKind) {
  const std::string sse = R"(event: message_start
data: {"type":"message_start","message":{"id":"m","model":"x","usage":{"input_tokens":1}}}

event: content_block_start
data: {"type":"content_block_start","index":0,"content_block":{"type":"redacted_thinking","data":"ENC"}}

event: content_block_stop
data: {"type":"content_block_stop","index":0}

event: content_block_start
data: {"type":"content_block_start","index":1,"content_block":{"type":"server_tool_use","id":"s","name":"web_search","input":{}}}

event: content_block_delta
data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"q\":1}"}}

event: content_block_start
data: {"type":"content_block_start","index":2,"content_block":{"type":"text","text":"Hi"}}

event: content_block_delta
data: {"type":"content_block_delta","index":2,"delta":{"type":"citations_delta","citation":{}}}

event: brand_new_event
data: {"type":"brand_new_event"}

event: content_block_start
data: {"type":"content_block_start","index":3,"content_block":{"type":"tool_use","id":"a","name":"f","input":{}}}

event: content_block_start
data: {"type":"content_block_start","index":4,"content_block":{"type":"tool_use","id":"b","name":"g","input":{"k":true}}}

event: content_block_delta
data: {"type":"content_block_delta","index":3,"delta":{"type":"input_json_delta","partial_json":"{}"}}

)";
  StreamDecoder decoder;
  const std::vector<std::string> expected = {
      "start m x",        "redacted ENC",     "text Hi",
      "tool_start 0 a f", "tool_start 1 b g", "tool_delta 1 {\"k\":true}",
      "tool_delta 0 {}",
  };
  EXPECT_EQ(DecodeAll(decoder, sse), expected);
}

TEST(AnthropicStreamDecoder, ErrorEvent) {
  StreamDecoder decoder;
  std::vector<StreamEvent> events;
  const std::string data =
      R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})";
  EXPECT_EQ(decoder.Decode("error", data, events), StreamDecoder::Result::kError);
  EXPECT_EQ(decoder.error_type(), "overloaded_error");
  EXPECT_EQ(decoder.error_message(), "Overloaded");
  EXPECT_EQ(decoder.error_raw(), data);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(Describe(events[0]), "error 529 Overloaded");

  StreamDecoder other;
  events.clear();
  EXPECT_EQ(other.Decode("error",
                         R"({"type":"error","error":{"type":"rate_limit_error","message":"slow"}})",
                         events),
            StreamDecoder::Result::kError);
  EXPECT_EQ(events.at(0).status, 429);
}

TEST(AnthropicStreamDecoder, Malformed) {
  const std::string start = R"({"type":"message_start","message":{"id":"m","model":"x"}})";
  const std::string text_block =
      R"({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}})";
  // {events before the bad one..., the bad one}.
  const std::vector<std::vector<std::string>> cases = {
      {"not json"},
      {"[1,2]"},
      {text_block},  // before message_start
      {R"({"type":"message_start","message":"x"})"},
      {start, R"({"type":"content_block_start","content_block":{"type":"text"}})"},
      {start,
       R"({"type":"content_block_delta","index":3,"delta":{"type":"text_delta","text":"a"}})"},
      {start, text_block,
       R"({"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{"}})"},
      {start, text_block,
       R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta"}})"},
  };
  for (const auto& events : cases) {
    StreamDecoder decoder;
    std::vector<StreamEvent> out;
    for (size_t i = 0; i + 1 < events.size(); ++i) {
      ASSERT_EQ(decoder.Decode("", events[i], out), StreamDecoder::Result::kContinue) << events[i];
    }
    EXPECT_EQ(decoder.Decode("", events.back(), out), StreamDecoder::Result::kMalformed)
        << events.back();
    EXPECT_FALSE(decoder.error_message().empty());
  }
}

// ---- Stream encode

StreamEvent Ev(StreamEvent::Kind kind, std::string text = "", int index = 0) {
  StreamEvent e;
  e.kind = kind;
  e.text = std::move(text);
  e.index = index;
  return e;
}

StreamEvent Start(std::string id, std::string model) {
  StreamEvent e = Ev(StreamEvent::Kind::kStart);
  e.id = std::move(id);
  e.model = std::move(model);
  return e;
}

StreamEvent ToolStart(int index, std::string id, std::string name) {
  StreamEvent e = Ev(StreamEvent::Kind::kToolCallStart, "", index);
  e.id = std::move(id);
  e.name = std::move(name);
  return e;
}

StreamEvent Finish(std::string reason, std::string native) {
  StreamEvent e = Ev(StreamEvent::Kind::kFinish);
  e.finish_reason = std::move(reason);
  e.native_finish_reason = std::move(native);
  return e;
}

std::vector<StreamEvent> ChatLikeEvents() {
  using K = StreamEvent::Kind;
  StreamEvent usage = Ev(K::kUsage);
  usage.usage = TokenUsage{100, 20, 120, 40, 10, 5};
  usage.usage_extra = {{"cost", 0.0012}};
  return {Start("gen-123", "openai/gpt-x"),
          Ev(K::kThinkingDelta, "Let me think"),
          Ev(K::kThinkingDelta, " about it."),
          Ev(K::kSignature, "sig-1"),
          Ev(K::kTextDelta, "Hello"),
          Ev(K::kTextDelta, ""),  // nothing to send
          Ev(K::kTextDelta, " world"),
          ToolStart(0, "call_1", "get_weather"),
          Ev(K::kToolCallDelta, "{\"city\":", 0),
          Ev(K::kToolCallDelta, "\"Paris\"}", 0),
          ToolStart(1, "call_2", "get_time"),
          Ev(K::kToolCallDelta, "{}", 1),
          Finish("tool_calls", "tool_calls"),
          usage};
}

TEST(AnthropicStreamEncoder, MatchesGolden) {
  StreamEncoder encoder;
  std::string out;
  for (const StreamEvent& e : ChatLikeEvents()) encoder.Encode(e, out);
  encoder.Finish(out);
  const std::string name = "anthropic_stream_encode.sse";
  ExpectGolden(name, out, ReadData(name));
  // Every event has its `event:` line, naming the payload's type.
  for (const auto& [event, data] : ParseSse(out)) {
    EXPECT_EQ(json::parse(data)["type"], event);
  }
  std::string more;
  encoder.Finish(more);  // a second Finish writes nothing
  EXPECT_EQ(more, "");
}

TEST(AnthropicStreamEncoder, DecoderReadsTheEncoderBack) {
  StreamEncoder encoder;
  std::string sse;
  const std::vector<StreamEvent> in = ChatLikeEvents();
  for (const StreamEvent& e : in) encoder.Encode(e, sse);
  encoder.Finish(sse);
  StreamDecoder decoder;
  std::vector<StreamDecoder::Result> results;
  const auto events = DecodeAll(decoder, sse, &results);
  std::vector<std::string> expected;
  for (const StreamEvent& e : in) {
    if (e.kind == StreamEvent::Kind::kTextDelta && e.text.empty()) continue;
    if (e.kind == StreamEvent::Kind::kFinish) {
      expected.push_back("finish tool_calls tool_use");
    } else if (e.kind == StreamEvent::Kind::kUsage) {
      expected.push_back("usage prompt=100 completion=20 total=120 cached=40 write=10");
    } else {
      expected.push_back(Describe(e));
    }
  }
  EXPECT_EQ(events, expected);
  EXPECT_EQ(results.back(), StreamDecoder::Result::kDone);
}

TEST(AnthropicStreamEncoder, RedactedThinkingSignatureAloneAndNativeStopReason) {
  using K = StreamEvent::Kind;
  StreamEncoder encoder;
  std::string out;
  encoder.Encode(Start("id", "m"), out);
  out.clear();
  encoder.Encode(Ev(K::kTextDelta, "a"), out);
  encoder.Encode(Ev(K::kRedactedThinking, "ENC"), out);
  encoder.Encode(Ev(K::kSignature, "sig"), out);  // opens a thinking block of its own
  encoder.Encode(Finish("stop", "stop_sequence"), out);
  encoder.Finish(out);
  const auto events = ParseSse(out);
  std::vector<std::string> data;
  for (const auto& [name, d] : events) data.push_back(d);
  const std::vector<std::string> expected = {
      R"({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}})",
      R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a"}})",
      R"({"type":"content_block_stop","index":0})",
      R"({"type":"content_block_start","index":1,"content_block":{"type":"redacted_thinking","data":"ENC"}})",
      R"({"type":"content_block_stop","index":1})",
      R"({"type":"content_block_start","index":2,"content_block":{"type":"thinking","thinking":""}})",
      R"({"type":"content_block_delta","index":2,"delta":{"type":"signature_delta","signature":"sig"}})",
      R"({"type":"content_block_stop","index":2})",
      R"({"type":"message_delta","delta":{"stop_reason":"stop_sequence","stop_sequence":null},"usage":{"input_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":0}})",
      R"({"type":"message_stop"})",
  };
  EXPECT_EQ(data, expected);
}

TEST(AnthropicStreamEncoder, ThinkingAfterASignatureStartsANewBlock) {
  using K = StreamEvent::Kind;
  StreamEncoder encoder;
  std::string out;
  encoder.Encode(Start("id", "m"), out);
  for (const StreamEvent& e : {Ev(K::kThinkingDelta, "one"), Ev(K::kSignature, "s1"),
                               Ev(K::kThinkingDelta, "two"), Ev(K::kSignature, "s2")}) {
    encoder.Encode(e, out);
  }
  encoder.Finish(out);
  std::vector<std::string> names;
  for (const auto& [name, data] : ParseSse(out)) {
    const json d = json::parse(data);
    names.push_back(name + (d.contains("index") ? " " + d["index"].dump() : ""));
  }
  const std::vector<std::string> expected = {
      "message_start",         "content_block_start 0", "content_block_delta 0",
      "content_block_delta 0", "content_block_stop 0",  "content_block_start 1",
      "content_block_delta 1", "content_block_delta 1", "content_block_stop 1",
      "message_delta",         "message_stop"};
  EXPECT_EQ(names, expected);
}

TEST(AnthropicStreamEncoder, EventsBeforeStartAreDropped) {
  StreamEncoder encoder;
  std::string out;
  encoder.Encode(Ev(StreamEvent::Kind::kTextDelta, "early"), out);
  encoder.Encode(ToolStart(0, "c", "f"), out);
  encoder.Finish(out);
  EXPECT_EQ(out, "");
}

TEST(AnthropicStreamEncoder, ErrorEndsTheStream) {
  StreamEncoder encoder;
  std::string out;
  encoder.Encode(Start("gen-1", "m"), out);
  encoder.Encode(Ev(StreamEvent::Kind::kTextDelta, "partial"), out);
  out.clear();
  StreamEvent error = Ev(StreamEvent::Kind::kError, "upstream overloaded");
  error.status = 503;
  encoder.Encode(error, out);
  encoder.Encode(Ev(StreamEvent::Kind::kTextDelta, "more"), out);
  encoder.Finish(out);
  EXPECT_EQ(out,
            "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
            "\"message\":\"upstream overloaded\"}}\n\n");
  // And the decoder reads it back.
  StreamDecoder decoder;
  std::vector<StreamDecoder::Result> results;
  EXPECT_EQ(DecodeAll(decoder, out, &results),
            std::vector<std::string>{"error 529 upstream overloaded"});
  EXPECT_EQ(results, std::vector<StreamDecoder::Result>{StreamDecoder::Result::kError});
  EXPECT_EQ(decoder.error_type(), "overloaded_error");
}

TEST(AnthropicStreamEncoder, ErrorTypeOfStatus) {
  const std::vector<std::pair<int, std::string>> cases = {
      {400, "invalid_request_error"},
      {401, "authentication_error"},
      {403, "permission_error"},
      {404, "not_found_error"},
      {413, "request_too_large"},
      {429, "rate_limit_error"},
      {503, "overloaded_error"},
      {529, "overloaded_error"},
      {500, "api_error"},
      {502, "api_error"},
      {0, "api_error"},
  };
  for (const auto& [status, type] : cases) {
    StreamEncoder encoder;  // an error needs no kStart
    std::string out;
    StreamEvent error = Ev(StreamEvent::Kind::kError, "m");
    error.status = status;
    encoder.Encode(error, out);
    const auto events = ParseSse(out);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].first, "error");
    EXPECT_EQ(json::parse(events[0].second)["error"]["type"], type) << status;
  }
}

}  // namespace
}  // namespace gw::dialects::anthropic

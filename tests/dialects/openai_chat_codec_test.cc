#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "dialects/openai_chat/chat_codec.h"

namespace gw::dialects::openai_chat {
namespace {

using nlohmann::json;

std::string ReadData(const std::string& name) {
  std::ifstream in(std::string(GW_SOURCE_DIR) + "/tests/data/dialects/" + name);
  EXPECT_TRUE(in) << name;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

json ReadJson(const std::string& name) { return json::parse(ReadData(name)); }

// `created` is the clock's; goldens hold 0.
std::string ZeroCreated(std::string text) {
  const std::string key = "\"created\":";
  std::string out;
  out.reserve(text.size());
  size_t from = 0;
  for (size_t at = text.find(key); at != std::string::npos; at = text.find(key, from)) {
    const size_t digits = at + key.size();
    size_t end = digits;
    while (end < text.size() && text[end] >= '0' && text[end] <= '9') ++end;
    out.append(text, from, digits - from).push_back('0');
    from = end;
  }
  out.append(text, from, std::string::npos);
  return out;
}

// The IR as JSON, non-default members only, so goldens state the expected IR readably.
json ToJson(const Part& part) {
  static const char* const kKinds[] = {"text",        "image",    "tool_call",
                                       "tool_result", "thinking", "redacted_thinking"};
  json out = {{"kind", kKinds[static_cast<int>(part.kind)]}};
  if (!part.text.empty()) out["text"] = part.text;
  if (!part.image_url.empty()) out["image_url"] = part.image_url;
  if (!part.id.empty()) out["id"] = part.id;
  if (!part.name.empty()) out["name"] = part.name;
  if (!part.arguments.empty()) out["arguments"] = part.arguments;
  if (!part.signature.empty()) out["signature"] = part.signature;
  if (part.is_error) out["is_error"] = true;
  if (part.kind == Part::Kind::kToolResult) out["content"] = json::array();
  for (const Part& inner : part.content) out["content"].push_back(ToJson(inner));
  if (!part.cache_control.is_null()) out["cache_control"] = part.cache_control;
  return out;
}

json ToJson(const std::vector<Part>& parts) {
  json out = json::array();
  for (const Part& part : parts) out.push_back(ToJson(part));
  return out;
}

json ToJson(const TokenUsage& usage) {
  return {{"prompt_tokens", usage.prompt_tokens},
          {"completion_tokens", usage.completion_tokens},
          {"total_tokens", usage.total_tokens},
          {"cached_tokens", usage.cached_tokens},
          {"cache_write_tokens", usage.cache_write_tokens},
          {"reasoning_tokens", usage.reasoning_tokens}};
}

json ToJson(const Request& request) {
  static const char* const kModes[] = {"auto", "none", "required", "named"};
  json out = {{"model", request.model}, {"system", ToJson(request.system)}};
  out["messages"] = json::array();
  for (const Message& message : request.messages) {
    out["messages"].push_back({{"role", message.role == Role::kUser ? "user" : "assistant"},
                               {"parts", ToJson(message.parts)}});
  }
  out["tools"] = json::array();
  for (const Tool& tool : request.tools) {
    json entry = {{"name", tool.name}, {"parameters", tool.parameters}};
    if (!tool.description.empty()) entry["description"] = tool.description;
    if (!tool.cache_control.is_null()) entry["cache_control"] = tool.cache_control;
    out["tools"].push_back(entry);
  }
  if (request.tool_choice) {
    out["tool_choice"] = {{"mode", kModes[static_cast<int>(request.tool_choice->mode)]}};
    if (!request.tool_choice->name.empty()) out["tool_choice"]["name"] = request.tool_choice->name;
  }
  if (request.parallel_tool_calls) out["parallel_tool_calls"] = *request.parallel_tool_calls;
  if (request.max_tokens) out["max_tokens"] = *request.max_tokens;
  if (request.temperature) out["temperature"] = *request.temperature;
  if (request.top_p) out["top_p"] = *request.top_p;
  if (request.top_k) out["top_k"] = *request.top_k;
  if (!request.stop.empty()) out["stop"] = request.stop;
  if (request.stream) out["stream"] = true;
  if (!request.user.empty()) out["user"] = request.user;
  if (request.reasoning) {
    out["reasoning"] = json::object();
    if (request.reasoning->budget_tokens) {
      out["reasoning"]["budget_tokens"] = *request.reasoning->budget_tokens;
    }
    if (!request.reasoning->effort.empty()) out["reasoning"]["effort"] = request.reasoning->effort;
  }
  return out;
}

json ToJson(const Response& response) {
  json out = {{"id", response.id},
              {"model", response.model},
              {"content", ToJson(response.content)},
              {"finish_reason", response.finish_reason},
              {"native_finish_reason", response.native_finish_reason}};
  if (response.usage) out["usage"] = ToJson(*response.usage);
  if (!response.usage_extra.is_null()) out["usage_extra"] = response.usage_extra;
  return out;
}

json ToJson(const StreamEvent& event) {
  static const char* const kKinds[] = {
      "start",           "text_delta",      "thinking_delta", "signature", "redacted_thinking",
      "tool_call_start", "tool_call_delta", "finish",         "usage",     "error"};
  const StreamEvent::Kind kind = event.kind;
  json out = {{"kind", kKinds[static_cast<int>(kind)]}};
  if (kind == StreamEvent::Kind::kToolCallStart || kind == StreamEvent::Kind::kToolCallDelta) {
    out["index"] = event.index;
  }
  if (!event.id.empty()) out["id"] = event.id;
  if (!event.model.empty()) out["model"] = event.model;
  if (!event.text.empty()) out["text"] = event.text;
  if (!event.name.empty()) out["name"] = event.name;
  if (!event.finish_reason.empty()) out["finish_reason"] = event.finish_reason;
  if (!event.native_finish_reason.empty()) out["native_finish_reason"] = event.native_finish_reason;
  if (event.usage) out["usage"] = ToJson(*event.usage);
  if (!event.usage_extra.is_null()) out["usage_extra"] = event.usage_extra;
  if (event.status != 0) out["status"] = event.status;
  return out;
}

json ToJson(const std::vector<StreamEvent>& events) {
  json out = json::array();
  for (const StreamEvent& event : events) out.push_back(ToJson(event));
  return out;
}

Part TextPart(std::string text, json cache_control = nullptr) {
  Part part;
  part.text = std::move(text);
  part.cache_control = std::move(cache_control);
  return part;
}

Part CallPart(std::string id, std::string name, std::string arguments) {
  Part part;
  part.kind = Part::Kind::kToolCall;
  part.id = std::move(id);
  part.name = std::move(name);
  part.arguments = std::move(arguments);
  return part;
}

Part ResultPart(std::string id, std::vector<Part> content, bool is_error = false) {
  Part part;
  part.kind = Part::Kind::kToolResult;
  part.id = std::move(id);
  part.content = std::move(content);
  part.is_error = is_error;
  return part;
}

Part OtherPart(Part::Kind kind, std::string text, std::string extra = "") {
  Part part;
  part.kind = kind;
  part.text = kind == Part::Kind::kImage ? "" : std::move(text);
  part.image_url = kind == Part::Kind::kImage ? std::move(text) : "";
  part.signature = std::move(extra);
  return part;
}

Message MessageOf(Role role, std::vector<Part> parts) {
  Message message;
  message.role = role;
  message.parts = std::move(parts);
  return message;
}

StreamEvent Event(StreamEvent::Kind kind, std::string text = "", int index = 0) {
  StreamEvent event;
  event.kind = kind;
  event.text = std::move(text);
  event.index = index;
  return event;
}

// Decodes `body`, expecting success.
Request Decoded(const json& body) {
  Request request;
  EXPECT_EQ(DecodeRequest(body, request), "") << body.dump();
  return request;
}

json WithUser(json body) {
  body["messages"] = json::array({{{"role", "user"}, {"content", "hi"}}});
  return body;
}

// ---- Request decode ----

TEST(OpenAiChatDecodeRequestTest, RichRequestDecodesToGoldenIr) {
  EXPECT_EQ(ToJson(Decoded(ReadJson("openai_chat_request_rich.json"))),
            ReadJson("openai_chat_request_rich.ir.json"));
}

TEST(OpenAiChatDecodeRequestTest, ToolChoiceForms) {
  const std::vector<std::pair<json, json>> cases = {
      {"auto", {{"mode", "auto"}}},
      {"none", {{"mode", "none"}}},
      {"required", {{"mode", "required"}}},
      {{{"type", "function"}, {"function", {{"name", "f"}}}}, {{"mode", "named"}, {"name", "f"}}},
  };
  for (const auto& [choice, expected] : cases) {
    EXPECT_EQ(ToJson(Decoded(WithUser({{"tool_choice", choice}})))["tool_choice"], expected)
        << choice.dump();
  }
  EXPECT_FALSE(ToJson(Decoded(WithUser({{"tool_choice", nullptr}}))).contains("tool_choice"));
}

TEST(OpenAiChatDecodeRequestTest, StopAsStringOrArray) {
  EXPECT_EQ(Decoded(WithUser({{"stop", "END"}})).stop, std::vector<std::string>{"END"});
  EXPECT_EQ(Decoded(WithUser({{"stop", {"a", "b"}}})).stop, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(Decoded(WithUser({{"stop", nullptr}})).stop.empty());
}

TEST(OpenAiChatDecodeRequestTest, ReasoningForms) {
  const std::vector<std::pair<json, json>> cases = {
      {{{"reasoning", {{"effort", "low"}}}}, {{"effort", "low"}}},
      {{{"reasoning", {{"max_tokens", 2000}}}}, {{"budget_tokens", 2000}}},
      {{{"reasoning", {{"max_tokens", 1000}, {"effort", "high"}}}},
       {{"budget_tokens", 1000}, {"effort", "high"}}},
      {{{"reasoning", {{"enabled", true}}}}, {{"effort", "medium"}}},
      {{{"reasoning", {{"enabled", false}, {"effort", "high"}}}}, nullptr},
      {{{"reasoning", {{"effort", "none"}}}}, nullptr},
      {{{"reasoning", {{"exclude", true}}}}, nullptr},
      {{{"reasoning_effort", "minimal"}}, {{"effort", "minimal"}}},
      {{{"reasoning_effort", "xhigh"}}, {{"effort", "high"}}},
      {{{"reasoning_effort", "none"}}, nullptr},
      {{{"reasoning", {{"effort", "medium"}}}, {"reasoning_effort", "low"}},
       {{"effort", "medium"}}},
      {json::object(), nullptr},
  };
  for (const auto& [body, expected] : cases) {
    const json ir = ToJson(Decoded(WithUser(body)));
    EXPECT_EQ(ir.contains("reasoning") ? ir["reasoning"] : json(nullptr), expected) << body.dump();
  }
}

TEST(OpenAiChatDecodeRequestTest, ReasoningDetailsKeepSignaturesAndEncryptedData) {
  const json body = {{"messages",
                      {{{"role", "user"}, {"content", "q"}},
                       {{"role", "assistant"},
                        {"content", "a"},
                        {"reasoning", "ignored: reasoning_details win"},
                        {"reasoning_details",
                         {{{"type", "reasoning.text"}, {"text", "t"}, {"signature", "s"}},
                          {{"type", "reasoning.encrypted"}, {"data", "opaque"}},
                          {{"type", "reasoning.future"}, {"x", 1}}}}}}}};
  EXPECT_EQ(ToJson(Decoded(body).messages[1].parts),
            json::parse(R"([{"kind":"thinking","text":"t","signature":"s"},
                            {"kind":"redacted_thinking","text":"opaque"},
                            {"kind":"text","text":"a"}])"));
}

TEST(OpenAiChatDecodeRequestTest, MergesSameRoleAndPutsToolResultsFirst) {
  const json body = json::parse(R"({"messages":[
      {"role":"user","content":"one"},
      {"role":"assistant","content":""},
      {"role":"user","content":"two"},
      {"role":"tool","tool_call_id":"c1","content":""},
      {"role":"assistant","content":"x","tool_calls":[
        {"id":"c2","function":{"name":"f","arguments":{"k":1}}}]}]})");
  EXPECT_EQ(ToJson(Decoded(body))["messages"], json::parse(R"([
      {"role":"user","parts":[{"kind":"tool_result","id":"c1","content":[]},
                              {"kind":"text","text":"one"},{"kind":"text","text":"two"}]},
      {"role":"assistant","parts":[{"kind":"text","text":"x"},
        {"kind":"tool_call","id":"c2","name":"f","arguments":"{\"k\":1}"}]}])"));
}

TEST(OpenAiChatDecodeRequestTest, RejectsWithThePath) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"([])", "body: expected an object"},
      {R"({"model":5,"messages":[]})", "model: expected a string"},
      {R"({})", "messages: required"},
      {R"({"messages":{}})", "messages: expected an array"},
      {R"({"messages":[5]})", "messages[0]: expected an object"},
      {R"({"messages":[{"content":"x"}]})", "messages[0].role: required"},
      {R"({"messages":[{"role":1}]})", "messages[0].role: expected a string"},
      {R"({"messages":[{"role":"user","content":"a"},{"role":"robot","content":"b"}]})",
       "messages[1].role: unknown role \"robot\""},
      {R"({"messages":[{"role":"user","content":5}]})",
       "messages[0].content: expected a string, an array of parts or null"},
      {R"({"messages":[{"role":"user","content":[{"text":"a"}]}]})",
       "messages[0].content[0].type: required"},
      {R"({"messages":[{"role":"user","content":[{"type":"text","text":1}]}]})",
       "messages[0].content[0].text: expected a string"},
      {R"({"messages":[{"role":"user","content":[{"type":"text","text":"a"},
          {"type":"input_audio","input_audio":{}}]}]})",
       "messages[0].content[1].type: unsupported content part type \"input_audio\""},
      {R"({"messages":[{"role":"system","content":[{"type":"image_url","image_url":"u"}]}]})",
       "messages[0].content[0].type: unsupported content part type \"image_url\""},
      {R"({"messages":[{"role":"user","content":[{"type":"image_url","image_url":{}}]}]})",
       "messages[0].content[0].image_url.url: required"},
      {R"({"messages":[{"role":"user","content":[{"type":"image_url","image_url":7}]}]})",
       "messages[0].content[0].image_url: expected an object or a string"},
      {R"({"messages":[{"role":"user","content":[{"type":"text","text":"a",
          "cache_control":"yes"}]}]})",
       "messages[0].content[0].cache_control: expected an object"},
      {R"({"messages":[{"role":"assistant","tool_calls":{}}]})",
       "messages[0].tool_calls: expected an array"},
      {R"({"messages":[{"role":"assistant","tool_calls":[{"function":{"name":"f"}}]}]})",
       "messages[0].tool_calls[0].id: required"},
      {R"({"messages":[{"role":"assistant","tool_calls":[{"id":"c","type":"custom"}]}]})",
       "messages[0].tool_calls[0].type: unsupported tool call type \"custom\""},
      {R"({"messages":[{"role":"assistant","tool_calls":[{"id":"c"}]}]})",
       "messages[0].tool_calls[0].function: required"},
      {R"({"messages":[{"role":"assistant","tool_calls":[{"id":"c","function":{"name":2}}]}]})",
       "messages[0].tool_calls[0].function.name: expected a string"},
      {R"({"messages":[{"role":"assistant","tool_calls":[{"id":"c",
          "function":{"name":"f","arguments":5}}]}]})",
       "messages[0].tool_calls[0].function.arguments: expected a string"},
      {R"({"messages":[{"role":"assistant","reasoning":1}]})",
       "messages[0].reasoning: expected a string"},
      {R"({"messages":[{"role":"assistant","reasoning_details":{}}]})",
       "messages[0].reasoning_details: expected an array"},
      {R"({"messages":[{"role":"assistant","reasoning_details":[{"text":"t"}]}]})",
       "messages[0].reasoning_details[0].type: required"},
      {R"({"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"},
          {"role":"tool","content":"r"}]})",
       "messages[2].tool_call_id: required"},
      {R"({"messages":[{"role":"tool","tool_call_id":"c","content":{}}]})",
       "messages[0].content: expected a string, an array of parts or null"},
      {R"({"messages":[],"tools":{}})", "tools: expected an array"},
      {R"({"messages":[],"tools":[1]})", "tools[0]: expected an object"},
      {R"({"messages":[],"tools":[{"type":"function"}]})", "tools[0].function: required"},
      {R"({"messages":[],"tools":[{"type":"function","function":{}}]})",
       "tools[0].function.name: required"},
      {R"({"messages":[],"tools":[{"type":"function","function":{"name":"f","parameters":"x"}}]})",
       "tools[0].function.parameters: expected an object"},
      {R"({"messages":[],"tool_choice":"any"})", "tool_choice: unknown value \"any\""},
      {R"({"messages":[],"tool_choice":3})", "tool_choice: expected a string or an object"},
      {R"({"messages":[],"tool_choice":{"type":"function"}})", "tool_choice.function: required"},
      {R"({"messages":[],"tool_choice":{"type":"function","function":{}}})",
       "tool_choice.function.name: required"},
      {R"({"messages":[],"tool_choice":{"type":"allowed_tools"}})",
       "tool_choice.type: unsupported tool choice type \"allowed_tools\""},
      {R"({"messages":[],"max_tokens":"100"})", "max_tokens: expected an integer"},
      {R"({"messages":[],"max_tokens":0})", "max_tokens: expected a positive integer"},
      {R"({"messages":[],"max_completion_tokens":1.5})",
       "max_completion_tokens: expected an integer"},
      {R"({"messages":[],"temperature":"hot"})", "temperature: expected a number"},
      {R"({"messages":[],"top_p":[]})", "top_p: expected a number"},
      {R"({"messages":[],"top_k":"x"})", "top_k: expected an integer"},
      {R"({"messages":[],"stop":5})", "stop: expected a string or an array of strings"},
      {R"({"messages":[],"stop":["a",1]})", "stop[1]: expected a string"},
      {R"({"messages":[],"stream":"yes"})", "stream: expected a boolean"},
      {R"({"messages":[],"parallel_tool_calls":1})", "parallel_tool_calls: expected a boolean"},
      {R"({"messages":[],"user":5})", "user: expected a string"},
      {R"({"messages":[],"reasoning":"high"})", "reasoning: expected an object"},
      {R"({"messages":[],"reasoning":{"effort":"extreme"}})",
       "reasoning.effort: unknown effort \"extreme\""},
      {R"({"messages":[],"reasoning":{"max_tokens":"a"}})",
       "reasoning.max_tokens: expected an integer"},
      {R"({"messages":[],"reasoning":{"enabled":"yes"}})", "reasoning.enabled: expected a boolean"},
      {R"({"messages":[],"reasoning_effort":"turbo"})",
       "reasoning_effort: unknown effort \"turbo\""},
  };
  for (const auto& [body, message] : cases) {
    Request request;
    EXPECT_EQ(DecodeRequest(json::parse(body), request), message) << body;
  }
}

// ---- Request encode ----

// The IR the Anthropic decoder makes of a Claude Code turn.
Request ClaudeCodeIr() {
  const json ephemeral = {{"type", "ephemeral"}};
  Request request;
  request.system = {
      TextPart("You are Claude Code, Anthropic's official CLI for Claude.", ephemeral),
      TextPart("Environment: linux, cwd /src")};
  request.messages = {
      MessageOf(Role::kUser, {TextPart("<system-reminder>Use the tools.</system-reminder>"),
                              TextPart("Fix the bug in main.cc", ephemeral)}),
      MessageOf(Role::kAssistant,
                {OtherPart(Part::Kind::kThinking, "Let me read the file.", "sig-abc"),
                 TextPart("I'll read it."),
                 CallPart("toolu_01", "Read", "{\"file_path\":\"/src/main.cc\"}"),
                 CallPart("toolu_02", "Grep", "{\"pattern\":\"TODO\"}")}),
      MessageOf(Role::kUser,
                {ResultPart("toolu_01", {TextPart("int main() {}")}),
                 ResultPart("toolu_02", {TextPart("no matches")}, true), TextPart("continue")}),
      MessageOf(Role::kAssistant, {OtherPart(Part::Kind::kRedactedThinking, "opaque"),
                                   CallPart("toolu_03", "Screenshot", "")}),
      MessageOf(
          Role::kUser,
          {ResultPart("toolu_03", {TextPart("Screenshot taken"),
                                   OtherPart(Part::Kind::kImage, "data:image/png;base64,AAAA")}),
           TextPart("Looks right?")}),
      MessageOf(Role::kAssistant, {TextPart("Yes, "), TextPart("it looks right.")}),
      MessageOf(Role::kUser, {TextPart("Thanks")}),
  };
  request.tools = {{"Read", "Reads a file",
                    json::parse(R"({"type":"object","properties":{"file_path":{"type":"string"}},
                                    "required":["file_path"]})"),
                    nullptr},
                   {"Grep", "", json::parse(R"({"type":"object","properties":{"pattern":{
                                               "type":"string"}}})"),
                    ephemeral}};
  request.tool_choice = ToolChoice{};
  request.max_tokens = 32000;
  request.temperature = 1.0;
  request.stream = true;
  request.user = "user_abc_account__session_x";
  request.reasoning = Reasoning{31999, ""};
  return request;
}

TEST(OpenAiChatEncodeRequestTest, ClaudeCodeIrEncodesToGoldenBody) {
  EXPECT_EQ(EncodeRequest(ClaudeCodeIr(), "deepseek/deepseek-chat-v3"),
            ReadJson("openai_chat_request_claude_code.json"));
}

TEST(OpenAiChatEncodeRequestTest, SettingsMapping) {
  Request request;
  request.messages = {MessageOf(Role::kUser, {TextPart("hi")})};
  request.tool_choice = ToolChoice{ToolChoice::Mode::kNamed, "f"};
  request.parallel_tool_calls = false;
  request.top_p = 0.5;
  request.top_k = 20;
  request.stop = {"END"};
  request.reasoning = Reasoning{std::nullopt, "low"};
  EXPECT_EQ(EncodeRequest(request, "m"), json::parse(R"({"model":"m",
      "messages":[{"role":"user","content":"hi"}],
      "tool_choice":{"type":"function","function":{"name":"f"}},"parallel_tool_calls":false,
      "top_p":0.5,"top_k":20,"stop":["END"],"reasoning":{"effort":"low"}})"));
  request.system = {TextPart("a"), TextPart("b")};
  request.reasoning = Reasoning{};
  const json body = EncodeRequest(request, "m");
  EXPECT_EQ(body["messages"][0], json::parse(R"({"role":"system","content":"a\n\nb"})"));
  EXPECT_EQ(body["reasoning"], json::parse(R"({"enabled":true})"));
}

TEST(OpenAiChatEncodeRequestTest, ResponseFormatInChatShape) {
  const std::vector<std::pair<json, json>> cases = {
      {nullptr, nullptr},
      {{{"type", "json_object"}}, {{"type", "json_object"}}},
      {json::parse(R"({"type":"json_schema","name":"a","description":"d",
                       "schema":{"type":"object"},"strict":true})"),
       json::parse(R"({"type":"json_schema","json_schema":{"name":"a","description":"d",
                       "schema":{"type":"object"},"strict":true}})")},
      {json::parse(R"({"type":"json_schema","name":"a","schema":{}})"),
       json::parse(R"({"type":"json_schema","json_schema":{"name":"a","schema":{}}})")},
  };
  for (const auto& [format, expected] : cases) {
    Request request;
    request.messages = {MessageOf(Role::kUser, {TextPart("hi")})};
    request.response_format = format;
    const json body = EncodeRequest(request, "m");
    EXPECT_EQ(body.contains("response_format") ? body["response_format"] : json(nullptr), expected)
        << format.dump();
  }
}

TEST(OpenAiChatEncodeRequestTest, RichRequestSurvivesARoundTrip) {
  const Request first = Decoded(ReadJson("openai_chat_request_rich.json"));
  json body = EncodeRequest(first, first.model);
  EXPECT_EQ(ToJson(Decoded(body)), ToJson(first)) << body.dump(2);
}

// ---- Response decode / encode ----

TEST(OpenAiChatDecodeResponseTest, StampedResponseDecodesToGoldenIr) {
  Response response;
  ASSERT_EQ(DecodeResponse(ReadJson("openai_chat_response_stamped.json"), response), "");
  EXPECT_EQ(ToJson(response), ReadJson("openai_chat_response_stamped.ir.json"));
}

TEST(OpenAiChatDecodeResponseTest, PlainServerResponse) {
  Response response;
  ASSERT_EQ(DecodeResponse(json::parse(R"({"id":"x","model":"m","choices":[{"message":{
      "role":"assistant","content":null,"reasoning_content":"r",
      "tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{}"}}]},
      "finish_reason":"function_call"}]})"),
                           response),
            "");
  EXPECT_EQ(ToJson(response), json::parse(R"({"id":"x","model":"m",
      "content":[{"kind":"thinking","text":"r"},
                 {"kind":"tool_call","id":"c","name":"f","arguments":"{}"}],
      "finish_reason":"tool_calls","native_finish_reason":"function_call"})"));
}

TEST(OpenAiChatDecodeResponseTest, NormalizesFinishReasons) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"stop", "stop"},
      {"length", "length"},
      {"tool_calls", "tool_calls"},
      {"content_filter", "content_filter"},
      {"error", "error"},
      {"end_turn", "stop"},
      {"MAX_TOKENS", "length"},
      {"something_new", "stop"}};
  for (const auto& [raw, normalized] : cases) {
    Response response;
    ASSERT_EQ(
        DecodeResponse({{"choices", {{{"message", {{"content", "a"}}}, {"finish_reason", raw}}}}},
                       response),
        "");
    EXPECT_EQ(response.finish_reason, normalized) << raw;
    EXPECT_EQ(response.native_finish_reason, raw);
  }
}

TEST(OpenAiChatDecodeResponseTest, RejectsMalformedResponses) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"("x")", "body: expected an object"},
      {R"({"id":"x"})", "choices: expected a non-empty array"},
      {R"({"choices":[]})", "choices: expected a non-empty array"},
      {R"({"choices":[{"finish_reason":"stop"}]})", "choices[0].message: expected an object"},
      {R"({"choices":[{"message":{"content":5}}]})",
       "choices[0].message.content: expected a string"},
      {R"({"choices":[{"message":{"tool_calls":[{"id":"c"}]}}]})",
       "choices[0].message.tool_calls[0].function: expected an object"},
      {R"({"choices":[{"message":{}}],"usage":{"prompt_tokens":"3"}})",
       "usage.prompt_tokens: expected an integer"},
      {R"({"choices":[{"message":{}}],"usage":{"prompt_tokens_details":[]}})",
       "usage.prompt_tokens_details: expected an object"},
      // Found by fuzz/anthropic_response_fuzzer.cc: a real count outside int64's range was
      // converted to int64 (undefined behaviour; UBSan aborts).
      {R"({"choices":[{"message":{}}],"usage":{"completion_tokens":1.56111e28}})",
       "usage.completion_tokens: expected an integer"},
      {R"({"choices":[{"message":{}}],"usage":{"prompt_tokens":-9.3e18}})",
       "usage.prompt_tokens: expected an integer"},
  };
  for (const auto& [body, message] : cases) {
    Response response;
    EXPECT_EQ(DecodeResponse(json::parse(body), response), message) << body;
  }
}

TEST(OpenAiChatEncodeResponseTest, EncodesGoldenCompletion) {
  Response response;
  response.id = "msg_01";
  response.model = "claude-sonnet-4-5";
  response.content = {OtherPart(Part::Kind::kThinking, "Let me think.", "sig"),
                      OtherPart(Part::Kind::kRedactedThinking, "opaque"), TextPart("Hello"),
                      TextPart(" world"), CallPart("toolu_1", "search", "{\"q\":\"x\"}")};
  response.finish_reason = "tool_calls";
  response.native_finish_reason = "tool_use";
  response.usage = TokenUsage{1500, 60, 1560, 1000, 400, 0};
  const json encoded = json::parse(ZeroCreated(EncodeResponse(response)));
  EXPECT_EQ(encoded, ReadJson("openai_chat_response_encoded.json")) << encoded.dump(2);
}

TEST(OpenAiChatEncodeResponseTest, NullContentNoUsageAndUsageExtra) {
  Response response;
  response.content = {CallPart("c", "f", "")};
  json encoded = json::parse(EncodeResponse(response));
  EXPECT_EQ(encoded["choices"][0]["message"],
            json::parse(R"({"role":"assistant","content":null,"tool_calls":[
                {"id":"c","type":"function","function":{"name":"f","arguments":"{}"}}]})"));
  EXPECT_TRUE(encoded["choices"][0]["finish_reason"].is_null());
  EXPECT_FALSE(encoded.contains("usage"));
  EXPECT_GT(encoded["created"].get<int64_t>(), 1600000000);

  response.usage = TokenUsage{10, 5, 0, 0, 0, 0};
  response.usage_extra = {{"cost", 0.5}, {"prompt_tokens", 999}};
  encoded = json::parse(EncodeResponse(response));
  EXPECT_EQ(encoded["usage"]["total_tokens"], 15);
  EXPECT_EQ(encoded["usage"]["prompt_tokens"], 10);
  EXPECT_EQ(encoded["usage"]["cost"], 0.5);
}

TEST(OpenAiChatResponseTest, StampedResponseSurvivesARoundTrip) {
  Response first, second;
  ASSERT_EQ(DecodeResponse(ReadJson("openai_chat_response_stamped.json"), first), "");
  ASSERT_EQ(DecodeResponse(json::parse(EncodeResponse(first)), second), "");
  first.content[0].signature.clear();  // the chat dialect has no field for it
  first.native_finish_reason = "tool_calls";
  EXPECT_EQ(ToJson(second), ToJson(first));
}

// ---- Streams ----

// The `data:` payloads of an SSE text (comment lines skipped).
std::vector<std::string> Payloads(const std::string& sse) {
  std::vector<std::string> payloads;
  std::istringstream lines(sse);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("data: ", 0) == 0) payloads.push_back(line.substr(6));
  }
  return payloads;
}

TEST(OpenAiChatStreamDecoderTest, RecordedStreamDecodesToGoldenEvents) {
  StreamDecoder decoder;
  std::vector<StreamEvent> events;
  const std::vector<std::string> payloads = Payloads(ReadData("openai_chat_stream_recorded.sse"));
  ASSERT_EQ(payloads.size(), 12u);
  for (size_t i = 0; i + 1 < payloads.size(); ++i) {
    ASSERT_EQ(decoder.Decode(payloads[i], events), StreamDecoder::Result::kContinue) << i;
  }
  EXPECT_EQ(decoder.Decode(payloads.back(), events), StreamDecoder::Result::kDone);
  EXPECT_EQ(ToJson(events), ReadJson("openai_chat_stream_recorded.events.json"))
      << ToJson(events).dump(2);
}

TEST(OpenAiChatStreamDecoderTest, ReasoningDetailsAndReusedIndexes) {
  StreamDecoder decoder;
  std::vector<StreamEvent> events;
  decoder.Decode(R"({"choices":[{"delta":{"reasoning":"dup","reasoning_details":[
      {"type":"reasoning.text","text":"t"},{"type":"reasoning.text","signature":"s"},
      {"type":"reasoning.encrypted","data":"d"}]}}]})",
                 events);
  decoder.Decode(R"({"choices":[{"delta":{"tool_calls":[
      {"index":0,"id":"a","function":{"name":"f","arguments":"{}"}}]}}]})",
                 events);
  decoder.Decode(R"({"choices":[{"delta":{"tool_calls":[
      {"index":0,"id":"b","function":{"name":"g","arguments":"{}"}}]}}]})",
                 events);
  EXPECT_EQ(ToJson(events), json::parse(R"([{"kind":"start"},
      {"kind":"thinking_delta","text":"t"},{"kind":"signature","text":"s"},
      {"kind":"redacted_thinking","text":"d"},
      {"kind":"tool_call_start","index":0,"id":"a","name":"f"},
      {"kind":"tool_call_delta","index":0,"text":"{}"},
      {"kind":"tool_call_start","index":1,"id":"b","name":"g"},
      {"kind":"tool_call_delta","index":1,"text":"{}"}])"));
}

TEST(OpenAiChatStreamDecoderTest, MidStreamErrorChunk) {
  StreamDecoder decoder;
  std::vector<StreamEvent> events;
  ASSERT_EQ(decoder.Decode(R"({"id":"gen-1","choices":[{"delta":{"content":"par"}}]})", events),
            StreamDecoder::Result::kContinue);
  EXPECT_EQ(decoder.Decode(R"({"id":"gen-1","object":"chat.completion.chunk","provider":"P",
      "error":{"code":502,"message":"upstream closed the connection"},
      "choices":[{"index":0,"delta":{"content":""},"finish_reason":"error"}]})",
                           events),
            StreamDecoder::Result::kError);
  EXPECT_EQ(decoder.error_message(), "upstream closed the connection");
  EXPECT_EQ(decoder.error_status(), 502);
  EXPECT_EQ(ToJson(events).back(), json::parse(R"({"kind":"error",
      "text":"upstream closed the connection","status":502})"));
}

TEST(OpenAiChatStreamDecoderTest, MalformedPayloads) {
  StreamDecoder decoder;
  std::vector<StreamEvent> events;
  EXPECT_EQ(decoder.Decode("{not json", events), StreamDecoder::Result::kMalformed);
  EXPECT_EQ(decoder.error_message(), "chunk is not valid JSON");
  EXPECT_EQ(decoder.Decode("[1]", events), StreamDecoder::Result::kMalformed);
  EXPECT_EQ(decoder.Decode(R"({"choices":[],"usage":{"completion_tokens":-1}})", events),
            StreamDecoder::Result::kMalformed);
  EXPECT_EQ(decoder.error_message(), "usage.completion_tokens: expected a non-negative integer");
  EXPECT_EQ(decoder.Decode(" [DONE]\r", events), StreamDecoder::Result::kDone);
}

TEST(OpenAiChatStreamEncoderTest, EncodesGoldenSse) {
  StreamEncoder encoder;
  std::string out;
  StreamEvent start = Event(StreamEvent::Kind::kStart);
  start.id = "msg_01";
  start.model = "claude-sonnet-4-5";
  StreamEvent call = Event(StreamEvent::Kind::kToolCallStart, "", 0);
  call.id = "toolu_1";
  call.name = "Read";
  StreamEvent finish = Event(StreamEvent::Kind::kFinish);
  finish.finish_reason = "tool_calls";
  finish.native_finish_reason = "tool_use";
  StreamEvent early_usage = Event(StreamEvent::Kind::kUsage);
  early_usage.usage = TokenUsage{20, 1, 21, 5, 3, 0};
  StreamEvent usage = Event(StreamEvent::Kind::kUsage);
  usage.usage = TokenUsage{20, 10, 30, 5, 3, 0};
  for (const StreamEvent& event :
       {start, early_usage, Event(StreamEvent::Kind::kThinkingDelta, "Hmm."),
        Event(StreamEvent::Kind::kSignature, "sig"), Event(StreamEvent::Kind::kTextDelta, ""),
        Event(StreamEvent::Kind::kTextDelta, "Hi"), call,
        Event(StreamEvent::Kind::kToolCallDelta, "{\"file\":", 0),
        Event(StreamEvent::Kind::kToolCallDelta, "\"a.cc\"}", 0), finish, usage}) {
    encoder.Encode(event, out);
  }
  encoder.Finish(out);
  EXPECT_EQ(ZeroCreated(out), ReadData("openai_chat_stream_encoded.sse"));
}

TEST(OpenAiChatStreamEncoderTest, MidStreamErrorChunk) {
  StreamEncoder encoder;
  std::string out;
  StreamEvent start = Event(StreamEvent::Kind::kStart);
  start.id = "gen-1";
  start.model = "m";
  encoder.Encode(start, out);
  out.clear();
  StreamEvent error = Event(StreamEvent::Kind::kError, "overloaded");
  error.status = 529;
  encoder.Encode(error, out);
  encoder.Encode(Event(StreamEvent::Kind::kError, "lost"), out);
  EXPECT_EQ(ZeroCreated(out),
            "data: {\"id\":\"gen-1\",\"object\":\"chat.completion.chunk\",\"created\":0,"
            "\"model\":\"m\",\"error\":{\"code\":529,\"message\":\"overloaded\"},\"choices\":[{"
            "\"index\":0,\"delta\":{\"content\":\"\"},\"finish_reason\":\"error\"}]}\n\n"
            "data: {\"id\":\"gen-1\",\"object\":\"chat.completion.chunk\",\"created\":0,"
            "\"model\":\"m\",\"error\":{\"code\":502,\"message\":\"lost\"},\"choices\":[{"
            "\"index\":0,\"delta\":{\"content\":\"\"},\"finish_reason\":\"error\"}]}\n\n");
}

TEST(OpenAiChatStreamTest, EncodedStreamDecodesBackToTheEvents) {
  StreamDecoder decoder;
  std::vector<StreamEvent> events;
  for (const std::string& payload : Payloads(ReadData("openai_chat_stream_encoded.sse"))) {
    decoder.Decode(payload, events);
  }
  EXPECT_EQ(ToJson(events), json::parse(R"([
      {"kind":"start","id":"msg_01","model":"claude-sonnet-4-5"},
      {"kind":"thinking_delta","text":"Hmm."},{"kind":"text_delta","text":"Hi"},
      {"kind":"tool_call_start","index":0,"id":"toolu_1","name":"Read"},
      {"kind":"tool_call_delta","index":0,"text":"{\"file\":"},
      {"kind":"tool_call_delta","index":0,"text":"\"a.cc\"}"},
      {"kind":"finish","finish_reason":"tool_calls","native_finish_reason":"tool_calls"},
      {"kind":"usage","usage":{"prompt_tokens":20,"completion_tokens":10,"total_tokens":30,
        "cached_tokens":5,"cache_write_tokens":3,"reasoning_tokens":0}}])"));
}

}  // namespace
}  // namespace gw::dialects::openai_chat

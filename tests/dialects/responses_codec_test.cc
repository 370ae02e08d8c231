// The OpenAI Responses codec (dialects/openai_responses/responses_codec.h): request decode,
// response and stream encode, against inline tables and golden files under
// tests/data/dialects/responses_*.
#include "dialects/openai_responses/responses_codec.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "dialects/openai_chat/chat_codec.h"

namespace gw::dialects::openai_responses {
namespace {

using nlohmann::json;

std::string ReadData(const std::string& name) {
  std::ifstream in(std::string(GW_SOURCE_DIR) + "/tests/data/dialects/" + name, std::ios::binary);
  EXPECT_TRUE(in.good()) << name;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

json ReadJson(const std::string& name) { return json::parse(ReadData(name)); }

// On a golden mismatch the actual text is left in /tmp for review.
void ExpectGolden(const std::string& name, const std::string& actual) {
  const std::string golden = ReadData(name);
  EXPECT_EQ(actual, golden) << "golden " << name << " differs; actual in /tmp/" << name;
  if (actual != golden) std::ofstream("/tmp/" + name, std::ios::binary) << actual;
}

// ---- The IR as JSON (non-default members only), so expectations read as data ----

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
  return out;
}

json ToJson(const std::vector<Part>& parts) {
  json out = json::array();
  for (const Part& part : parts) out.push_back(ToJson(part));
  return out;
}

json ToJson(const std::vector<Message>& messages) {
  json out = json::array();
  for (const Message& message : messages) {
    out.push_back({{"role", message.role == Role::kUser ? "user" : "assistant"},
                   {"parts", ToJson(message.parts)}});
  }
  return out;
}

json ToJson(const Request& request) {
  static const char* const kModes[] = {"auto", "none", "required", "named"};
  json out = {{"model", request.model},
              {"system", ToJson(request.system)},
              {"messages", ToJson(request.messages)},
              {"tools", json::array()}};
  for (const Tool& tool : request.tools) {
    json entry = {{"name", tool.name}, {"parameters", tool.parameters}};
    if (!tool.description.empty()) entry["description"] = tool.description;
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
  if (request.stream) out["stream"] = true;
  if (!request.user.empty()) out["user"] = request.user;
  if (request.reasoning) {
    out["reasoning"] = json::object();
    if (!request.reasoning->effort.empty()) out["reasoning"]["effort"] = request.reasoning->effort;
  }
  if (!request.response_format.is_null()) out["response_format"] = request.response_format;
  return out;
}

Request Decoded(const json& body, const json& history = nullptr) {
  Request request;
  EXPECT_EQ(DecodeRequest(body, request, history), "") << body.dump();
  return request;
}

// The body with `input` set.
json WithInput(json input, json body = json::object()) {
  body["input"] = std::move(input);
  return body;
}

Part MakePart(Part::Kind kind, std::string text, std::string signature = "") {
  Part part;
  part.kind = kind;
  part.text = std::move(text);
  part.signature = std::move(signature);
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

StreamEvent Event(StreamEvent::Kind kind, std::string text = "", int index = 0) {
  StreamEvent event;
  event.kind = kind;
  event.text = std::move(text);
  event.index = index;
  return event;
}

// ---- Request decode ----

TEST(ResponsesDecodeRequestTest, CodexRequestDecodesToGoldenIr) {
  EXPECT_EQ(ToJson(Decoded(ReadJson("responses_request_codex.json"))),
            ReadJson("responses_request_codex.ir.json"));
}

// The gateway's path for a Codex turn: Responses -> IR -> the chat body an endpoint gets.
TEST(ResponsesDecodeRequestTest, CodexRequestEncodesToGoldenChatBody) {
  EXPECT_EQ(openai_chat::EncodeRequest(Decoded(ReadJson("responses_request_codex.json")),
                                       "deepseek/deepseek-chat"),
            ReadJson("responses_request_codex.chat.json"));
}

TEST(ResponsesDecodeRequestTest, InputForms) {
  // {input, expected {system, messages}}
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"("hi")",
       R"({"system":[],"messages":[{"role":"user","parts":[{"kind":"text","text":"hi"}]}]})"},
      {R"("")", R"({"system":[],"messages":[{"role":"user","parts":[{"kind":"text"}]}]})"},
      // Messages without a type; consecutive same-role items merge; system/developer anywhere.
      {R"([{"role":"user","content":"a"},{"role":"system","content":"s"},
           {"role":"user","content":[{"type":"input_text","text":"b"}]},
           {"role":"developer","content":[{"type":"input_text","text":"d"}]}])",
       R"({"system":[{"kind":"text","text":"s"},{"kind":"text","text":"d"}],
           "messages":[{"role":"user","parts":[{"kind":"text","text":"a"},
                                               {"kind":"text","text":"b"}]}]})"},
      // Empty assistant and system text add nothing; refusal and output_text are text.
      {R"([{"role":"user","content":"q"},{"type":"message","role":"assistant","content":""},
           {"role":"system","content":""},
           {"role":"assistant","content":[{"type":"refusal","refusal":"no"},
                                          {"type":"output_text","text":"sorry"}]}])",
       R"({"system":[],"messages":[{"role":"user","parts":[{"kind":"text","text":"q"}]},
           {"role":"assistant","parts":[{"kind":"text","text":"no"},
                                        {"kind":"text","text":"sorry"}]}]})"},
      // Calls join the assistant turn (object or missing arguments); outputs become tool
      // results placed before the user's other parts, with text and images.
      {R"([{"type":"message","role":"assistant","content":[{"type":"output_text","text":"x"}]},
           {"type":"function_call","call_id":"c1","name":"f","arguments":{"k":1}},
           {"type":"function_call","call_id":"c2","name":"g"},
           {"role":"user","content":"after"},
           {"type":"function_call_output","call_id":"c1","output":""},
           {"type":"function_call_output","call_id":"c2","output":[
             {"type":"input_text","text":"shot"},
             {"type":"input_image","image_url":"https://x/y.png"}]}])",
       R"({"system":[],"messages":[
           {"role":"assistant","parts":[{"kind":"text","text":"x"},
             {"kind":"tool_call","id":"c1","name":"f","arguments":"{\"k\":1}"},
             {"kind":"tool_call","id":"c2","name":"g","arguments":"{}"}]},
           {"role":"user","parts":[{"kind":"tool_result","id":"c1","content":[]},
             {"kind":"tool_result","id":"c2","content":[{"kind":"text","text":"shot"},
               {"kind":"image","image_url":"https://x/y.png"}]},
             {"kind":"text","text":"after"}]}]})"},
      // Reasoning: summary texts (else reasoning_text contents) joined; encrypted_content is the
      // signature, or redacted thinking when there is no text; an empty item adds nothing.
      {R"([{"role":"user","content":"q"},
           {"type":"reasoning","summary":[{"type":"summary_text","text":"a"},
                                          {"type":"summary_text","text":""},
                                          {"type":"summary_text","text":"b"}],
            "encrypted_content":"sig"},
           {"type":"reasoning","summary":[],"content":[{"type":"reasoning_text","text":"raw"}]},
           {"type":"reasoning","summary":[],"encrypted_content":"opaque"},
           {"type":"reasoning","summary":[]}])",
       R"({"system":[],"messages":[{"role":"user","parts":[{"kind":"text","text":"q"}]},
           {"role":"assistant","parts":[{"kind":"thinking","text":"a\n\nb","signature":"sig"},
             {"kind":"thinking","text":"raw"},
             {"kind":"redacted_thinking","text":"opaque"}]}]})"},
      // Items of built-in tools are dropped with their outputs.
      {R"([{"role":"user","content":"q"},
           {"type":"web_search_call","id":"ws_1","status":"completed","action":{"type":"search"}},
           {"type":"local_shell_call","call_id":"l1","action":{"type":"exec","command":["ls"]}},
           {"type":"local_shell_call_output","call_id":"l1","output":"a.cc"},
           {"type":"custom_tool_call","call_id":"p1","name":"apply_patch","input":"*** Begin"},
           {"type":"custom_tool_call_output","call_id":"p1","output":"done"},
           {"type":"mcp_call","id":"m1","name":"x","server_label":"s","arguments":"{}"},
           {"role":"user","content":"more"}])",
       R"({"system":[],"messages":[{"role":"user","parts":[{"kind":"text","text":"q"},
           {"kind":"text","text":"more"}]}]})"},
  };
  for (const auto& [input, expected] : cases) {
    const json ir = ToJson(Decoded(WithInput(json::parse(input))));
    EXPECT_EQ(json({{"system", ir["system"]}, {"messages", ir["messages"]}}), json::parse(expected))
        << input;
  }
}

TEST(ResponsesDecodeRequestTest, InstructionsComeFirstInTheSystem) {
  const json body = json::parse(R"({"instructions":"rules","input":[
      {"role":"developer","content":"dev"},{"role":"user","content":"q"}]})");
  EXPECT_EQ(ToJson(Decoded(body))["system"],
            json::parse(R"([{"kind":"text","text":"rules"},{"kind":"text","text":"dev"}])"));
  EXPECT_EQ(ToJson(Decoded(WithInput("q", {{"instructions", ""}})))["system"], json::array());
}

TEST(ResponsesDecodeRequestTest, ToolsKeepFunctionsAndDropEveryBuiltInType) {
  json tools = json::array();
  for (const char* type : {"web_search", "web_search_preview", "file_search", "code_interpreter",
                           "namespace", "local_shell", "shell", "custom", "image_generation", "mcp",
                           "computer_use_preview", "apply_patch", "some_future_tool"}) {
    tools.push_back({{"type", type}, {"name", type}});
  }
  tools.push_back(json::parse(R"({"type":"function","name":"f","description":"d","strict":true,
      "parameters":{"type":"object","properties":{"a":{"type":"string"}}}})"));
  tools.push_back(json::parse(R"({"type":"function","name":"g"})"));
  EXPECT_EQ(ToJson(Decoded(WithInput("q", {{"tools", tools}})))["tools"], json::parse(R"([
      {"name":"f","description":"d","parameters":{"type":"object","properties":{
        "a":{"type":"string"}}}},
      {"name":"g","parameters":{"type":"object","properties":{}}}])"));
}

TEST(ResponsesDecodeRequestTest, ToolChoiceForms) {
  const std::vector<std::pair<json, json>> cases = {
      {"auto", {{"mode", "auto"}}},
      {"none", {{"mode", "none"}}},
      {"required", {{"mode", "required"}}},
      {{{"type", "function"}, {"name", "f"}}, {{"mode", "named"}, {"name", "f"}}},
  };
  for (const auto& [choice, expected] : cases) {
    EXPECT_EQ(ToJson(Decoded(WithInput("q", {{"tool_choice", choice}})))["tool_choice"], expected)
        << choice.dump();
  }
  EXPECT_FALSE(ToJson(Decoded(WithInput("q", {{"tool_choice", nullptr}}))).contains("tool_choice"));
}

TEST(ResponsesDecodeRequestTest, ReasoningEfforts) {
  const std::vector<std::pair<json, json>> cases = {
      {{{"effort", "minimal"}}, {{"effort", "minimal"}}},
      {{{"effort", "low"}, {"summary", "auto"}}, {{"effort", "low"}}},
      {{{"effort", "medium"}}, {{"effort", "medium"}}},
      {{{"effort", "high"}}, {{"effort", "high"}}},
      {{{"effort", "xhigh"}}, {{"effort", "high"}}},
      {{{"effort", "none"}}, nullptr},
      {{{"summary", "detailed"}}, nullptr},
      {{{"effort", nullptr}}, nullptr},
  };
  for (const auto& [reasoning, expected] : cases) {
    const json ir = ToJson(Decoded(WithInput("q", {{"reasoning", reasoning}})));
    EXPECT_EQ(ir.contains("reasoning") ? ir["reasoning"] : json(nullptr), expected)
        << reasoning.dump();
  }
}

TEST(ResponsesDecodeRequestTest, TextFormats) {
  const std::vector<std::pair<json, json>> cases = {
      {{{"format", {{"type", "text"}}}}, nullptr},
      {{{"verbosity", "low"}}, nullptr},
      {{{"format", {{"type", "json_object"}}}}, {{"type", "json_object"}}},
      {json::parse(R"({"format":{"type":"json_schema","name":"answer","description":"d",
          "schema":{"type":"object"},"strict":true}})"),
       json::parse(R"({"type":"json_schema","name":"answer","description":"d",
          "schema":{"type":"object"},"strict":true})")},
      {json::parse(R"({"format":{"type":"json_schema","name":"a","schema":{}}})"),
       json::parse(R"({"type":"json_schema","name":"a","schema":{}})")},
  };
  for (const auto& [text, expected] : cases) {
    const json ir = ToJson(Decoded(WithInput("q", {{"text", text}})));
    EXPECT_EQ(ir.contains("response_format") ? ir["response_format"] : json(nullptr), expected)
        << text.dump();
  }
}

TEST(ResponsesDecodeRequestTest, SamplingAndUser) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"max_output_tokens":64})", R"({"max_tokens":64})"},
      {R"({"temperature":0.2,"top_p":0.5})", R"({"temperature":0.2,"top_p":0.5})"},
      {R"({"parallel_tool_calls":false,"stream":true})",
       R"({"parallel_tool_calls":false,"stream":true})"},
      {R"({"user":"u1","safety_identifier":"s1"})", R"({"user":"u1"})"},
      {R"({"user":"","safety_identifier":"s1"})", R"({"user":"s1"})"},
      {R"({"safety_identifier":"s1"})", R"({"user":"s1"})"},
      {R"({"background":false})", R"({})"},
  };
  const json plain = ToJson(Decoded(WithInput("q")));
  for (const auto& [members, changed] : cases) {
    json expected = plain;
    expected.update(json::parse(changed));
    EXPECT_EQ(ToJson(Decoded(WithInput("q", json::parse(members)))), expected) << members;
  }
}

TEST(ResponsesDecodeRequestTest, AcceptsAndIgnoresTheDocumentedMembers) {
  const json ignored = json::parse(R"({"store":true,"include":["reasoning.encrypted_content"],
      "metadata":{"k":"v"},"prompt_cache_key":"p","service_tier":"flex","truncation":"auto",
      "previous_response_id":"resp_1","top_logprobs":3,
      "stream_options":{"include_obfuscation":false},"max_tool_calls":4,"models":["a","b"],
      "provider":{"order":["x"]},"route":"fallback",
      "transforms":[],"usage":{"include":true},"session_id":"s","prompt":null,
      "conversation":null,"future_member":{"x":1}})");
  EXPECT_EQ(ToJson(Decoded(WithInput("q", ignored))), ToJson(Decoded(WithInput("q"))));
}

TEST(ResponsesDecodeRequestTest, HistoryComesFirstAndMergesAcrossTheSeam) {
  // A stored turn: the previous input, then the previous response's output items.
  const json history = json::parse(R"([
      {"type":"message","role":"user","content":[{"type":"input_text","text":"first"}]},
      {"type":"reasoning","id":"rs_1_0","summary":[{"type":"summary_text","text":"t"}]},
      {"type":"function_call","id":"fc_1_1","status":"completed","call_id":"c","name":"f",
       "arguments":"{}"}])");
  const json body = json::parse(R"({"instructions":"now","previous_response_id":"resp_1",
      "input":[{"type":"function_call_output","call_id":"c","output":"r"},
               {"role":"user","content":"next"}]})");
  const json ir = ToJson(Decoded(body, history));
  EXPECT_EQ(ir["system"], json::parse(R"([{"kind":"text","text":"now"}])"));
  EXPECT_EQ(ir["messages"], json::parse(R"([
      {"role":"user","parts":[{"kind":"text","text":"first"}]},
      {"role":"assistant","parts":[{"kind":"thinking","text":"t"},
        {"kind":"tool_call","id":"c","name":"f","arguments":"{}"}]},
      {"role":"user","parts":[
        {"kind":"tool_result","id":"c","content":[{"kind":"text","text":"r"}]},
        {"kind":"text","text":"next"}]}])"));
  // With a history, input may be absent; a string input joins a trailing user turn.
  EXPECT_EQ(ToJson(Decoded(json::object(), history))["messages"].size(), 2u);
  EXPECT_EQ(ToJson(Decoded(WithInput("more"),
                           json::parse(R"([{"role":"user","content":"a"}])")))["messages"],
            json::parse(R"([{"role":"user","parts":[{"kind":"text","text":"a"},
                {"kind":"text","text":"more"}]}])"));
}

TEST(ResponsesDecodeRequestTest, EncodedOutputItemsDecodeBackAsTheAssistantTurn) {
  Response response;
  response.id = "gen-7";
  response.content = {MakePart(Part::Kind::kThinking, "plan", "sig"),
                      MakePart(Part::Kind::kRedactedThinking, "opaque"),
                      MakePart(Part::Kind::kText, "Hel"),
                      MakePart(Part::Kind::kText, "lo"),
                      CallPart("call_1", "f", "{\"a\":1}"),
                      CallPart("call_2", "g", "")};
  const json output = json::parse(EncodeResponse(response, ResponseContext{}))["output"];
  std::vector<Message> messages;
  std::vector<Part> system;
  ASSERT_EQ(DecodeInput(output, "history", messages, system), "");
  EXPECT_TRUE(system.empty());
  EXPECT_EQ(ToJson(messages), json::parse(R"([{"role":"assistant","parts":[
      {"kind":"thinking","text":"plan","signature":"sig"},
      {"kind":"redacted_thinking","text":"opaque"},
      {"kind":"text","text":"Hello"},
      {"kind":"tool_call","id":"call_1","name":"f","arguments":"{\"a\":1}"},
      {"kind":"tool_call","id":"call_2","name":"g","arguments":"{}"}]}])"));
}

TEST(ResponsesDecodeRequestTest, RejectsWithThePath) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"([])", "body: expected an object"},
      {R"({"model":5,"input":"q"})", "model: expected a string"},
      {R"({"instructions":["a"],"input":"q"})", "instructions: expected a string"},
      {R"({})", "input: required"},
      {R"({"input":5})", "input: expected a string or an array of items"},
      {R"({"input":[5]})", "input[0]: expected an object"},
      {R"({"input":[{"content":"x"}]})", "input[0].type: required"},
      {R"({"input":[{"type":7}]})", "input[0].type: expected a string"},
      {R"({"input":["q"]})", "input[0]: expected an object"},
      {R"({"input":[{"role":"user","content":"a"},{"role":"user","content":"b"},{"type":"foo"}]})",
       "input[2].type: unknown item type \"foo\""},
      {R"({"input":[{"type":"compaction","encrypted_content":"x"}]})",
       "input[0].type: unknown item type \"compaction\""},
      {R"({"input":[{"type":"item_reference","id":"msg_1"}]})",
       "input[0].type: item references are not supported; send the item itself"},
      {R"({"input":[{"type":"message","content":"x"}]})", "input[0].role: required"},
      {R"({"input":[{"role":"tool","content":"x"}]})", "input[0].role: unknown role \"tool\""},
      {R"({"input":[{"role":"user"}]})", "input[0].content: required"},
      {R"({"input":[{"role":"user","content":5}]})",
       "input[0].content: expected a string or an array of parts"},
      {R"({"input":[{"role":"user","content":[3]}]})", "input[0].content[0]: expected an object"},
      {R"({"input":[{"role":"user","content":[{"text":"a"}]}]})",
       "input[0].content[0].type: required"},
      {R"({"input":[{"role":"user","content":[{"type":"input_text"}]}]})",
       "input[0].content[0].text: required"},
      {R"({"input":[{"role":"user","content":[{"type":"input_text","text":1}]}]})",
       "input[0].content[0].text: expected a string"},
      {R"({"input":[{"role":"user","content":[{"type":"refusal","refusal":"r"}]}]})",
       "input[0].content[0].type: unsupported content part type \"refusal\""},
      {R"({"input":[{"role":"assistant","content":[{"type":"refusal"}]}]})",
       "input[0].content[0].refusal: required"},
      {R"({"input":[{"role":"user","content":[{"type":"input_audio","input_audio":{}}]}]})",
       "input[0].content[0].type: unsupported content part type \"input_audio\""},
      {R"({"input":[{"role":"system","content":[{"type":"input_image","image_url":"u"}]}]})",
       "input[0].content[0].type: unsupported content part type \"input_image\""},
      {R"({"input":[{"role":"assistant","content":[{"type":"input_image","image_url":"u"}]}]})",
       "input[0].content[0].type: unsupported content part type \"input_image\""},
      {R"({"input":[{"role":"user","content":[{"type":"input_image","file_id":"file-1"}]}]})",
       "input[0].content[0].file_id: file references are not supported; send image_url (an "
       "http(s) or data: URL)"},
      {R"({"input":[{"role":"user","content":[{"type":"input_image","detail":"low"}]}]})",
       "input[0].content[0].image_url: required"},
      {R"({"input":[{"role":"user","content":[{"type":"input_image","image_url":{"url":"u"}}]}]})",
       "input[0].content[0].image_url: expected a string"},
      {R"({"input":[{"role":"user","content":[{"type":"input_file","file_id":"file-1"}]}]})",
       "input[0].content[0].type: file inputs are not supported (\"input_file\"); send the text"},
      {R"({"input":[{"type":"function_call","name":"f","arguments":"{}"}]})",
       "input[0].call_id: required"},
      {R"({"input":[{"type":"function_call","call_id":"c","arguments":"{}"}]})",
       "input[0].name: required"},
      {R"({"input":[{"type":"function_call","call_id":"c","name":"f","arguments":5}]})",
       "input[0].arguments: expected a string"},
      {R"({"input":[{"type":"function_call_output","output":"r"}]})", "input[0].call_id: required"},
      {R"({"input":[{"type":"function_call_output","call_id":"c"}]})", "input[0].output: required"},
      {R"({"input":[{"type":"function_call_output","call_id":"c","output":{"x":1}}]})",
       "input[0].output: expected a string or an array of parts"},
      {R"({"input":[{"type":"function_call_output","call_id":"c","output":[
          {"type":"input_file","file_data":"x"}]}]})",
       "input[0].output[0].type: file inputs are not supported (\"input_file\"); send the text"},
      {R"({"input":[{"type":"reasoning","summary":"s"}]})", "input[0].summary: expected an array"},
      {R"({"input":[{"type":"reasoning","summary":[1]}]})",
       "input[0].summary[0]: expected an object"},
      {R"({"input":[{"type":"reasoning","summary":[{"type":"summary_text"}]}]})",
       "input[0].summary[0].text: required"},
      {R"({"input":[{"type":"reasoning","summary":[],"content":[{"text":2}]}]})",
       "input[0].content[0].text: expected a string"},
      {R"({"input":[{"type":"reasoning","summary":[],"encrypted_content":5}]})",
       "input[0].encrypted_content: expected a string"},
      {R"({"input":"q","background":true})",
       "background: background responses are not supported (they need a job store); send "
       "background: false"},
      {R"({"input":"q","background":"yes"})", "background: expected a boolean"},
      {R"({"input":"q","prompt":{"id":"pmpt_1"}})",
       "prompt: stored prompt templates are not supported; send the text as input and "
       "instructions"},
      {R"({"input":"q","conversation":"conv_1"})",
       "conversation: conversations are not supported; send the items as input, or use "
       "previous_response_id"},
      {R"({"input":"q","tools":{}})", "tools: expected an array"},
      {R"({"input":"q","tools":[1]})", "tools[0]: expected an object"},
      {R"({"input":"q","tools":[{"name":"f"}]})", "tools[0].type: required"},
      {R"({"input":"q","tools":[{"type":"function","function":{"name":"f"}}]})",
       "tools[0].name: required"},
      {R"({"input":"q","tools":[{"type":"function","name":"f","description":1}]})",
       "tools[0].description: expected a string"},
      {R"({"input":"q","tools":[{"type":"function","name":"f","strict":"yes"}]})",
       "tools[0].strict: expected a boolean"},
      {R"({"input":"q","tools":[{"type":"function","name":"f","parameters":"x"}]})",
       "tools[0].parameters: expected an object"},
      {R"({"input":"q","tool_choice":"any"})", "tool_choice: unknown value \"any\""},
      {R"({"input":"q","tool_choice":3})", "tool_choice: expected a string or an object"},
      {R"({"input":"q","tool_choice":{"name":"f"}})", "tool_choice.type: required"},
      {R"({"input":"q","tool_choice":{"type":"function"}})", "tool_choice.name: required"},
      {R"({"input":"q","tool_choice":{"type":"allowed_tools","mode":"auto","tools":[]}})",
       "tool_choice.type: unsupported tool choice type \"allowed_tools\""},
      {R"({"input":"q","tools":[{"type":"web_search"}],"tool_choice":{"type":"web_search"}})",
       "tool_choice: forces the \"web_search\" tool, which a translated endpoint cannot run (only "
       "function tools are passed on)"},
      {R"({"input":"q","tool_choice":{"type":"file_search"}})",
       "tool_choice: forces the \"file_search\" tool, which a translated endpoint cannot run (only "
       "function tools are passed on)"},
      {R"({"input":"q","tool_choice":{"type":"custom","name":"apply_patch"}})",
       "tool_choice: forces the \"custom\" tool, which a translated endpoint cannot run (only "
       "function tools are passed on)"},
      {R"({"input":"q","tool_choice":{"type":"mcp","server_label":"docs"}})",
       "tool_choice: forces the \"mcp\" tool, which a translated endpoint cannot run (only "
       "function tools are passed on)"},
      {R"({"input":"q","max_output_tokens":"100"})", "max_output_tokens: expected an integer"},
      {R"({"input":"q","max_output_tokens":0})", "max_output_tokens: expected a positive integer"},
      {R"({"input":"q","temperature":"hot"})", "temperature: expected a number"},
      {R"({"input":"q","top_p":[]})", "top_p: expected a number"},
      {R"({"input":"q","stream":"yes"})", "stream: expected a boolean"},
      {R"({"input":"q","parallel_tool_calls":1})", "parallel_tool_calls: expected a boolean"},
      {R"({"input":"q","user":5})", "user: expected a string"},
      {R"({"input":"q","safety_identifier":5})", "safety_identifier: expected a string"},
      {R"({"input":"q","reasoning":"high"})", "reasoning: expected an object"},
      {R"({"input":"q","reasoning":{"effort":3}})", "reasoning.effort: expected a string"},
      {R"({"input":"q","reasoning":{"effort":"extreme"}})",
       "reasoning.effort: unknown effort \"extreme\""},
      {R"({"input":"q","text":"json"})", "text: expected an object"},
      {R"({"input":"q","text":{"format":"json"}})", "text.format: expected an object"},
      {R"({"input":"q","text":{"format":{}}})", "text.format.type: required"},
      {R"({"input":"q","text":{"format":{"type":"grammar"}}})",
       "text.format.type: unknown format type \"grammar\""},
      {R"({"input":"q","text":{"format":{"type":"json_schema","schema":{}}}})",
       "text.format.name: required"},
      {R"({"input":"q","text":{"format":{"type":"json_schema","name":"a"}}})",
       "text.format.schema: required"},
      {R"({"input":"q","text":{"format":{"type":"json_schema","name":"a","schema":"s"}}})",
       "text.format.schema: expected an object"},
      {R"({"input":"q","text":{"format":{"type":"json_schema","name":"a","schema":{},
          "strict":"yes"}}})",
       "text.format.strict: expected a boolean"},
      {R"({"input":"q","text":{"format":{"type":"json_schema","name":"a","schema":{},
          "description":1}}})",
       "text.format.description: expected a string"},
  };
  for (const auto& [body, message] : cases) {
    Request request;
    EXPECT_EQ(DecodeRequest(json::parse(body), request), message) << body;
  }
}

TEST(ResponsesDecodeRequestTest, HistoryErrorsNameTheHistory) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({})", "history: expected an array of items"},
      {R"([{"role":"user","content":"a"},{"type":"bar"}])",
       "history[1].type: unknown item type \"bar\""},
  };
  for (const auto& [history, message] : cases) {
    Request request;
    EXPECT_EQ(DecodeRequest(WithInput("q"), request, json::parse(history)), message) << history;
  }
  std::vector<Message> messages;
  std::vector<Part> system;
  EXPECT_EQ(
      DecodeInput(json::parse(R"([{"role":"robot","content":"x"}])"), "stored", messages, system),
      "stored[0].role: unknown role \"robot\"");
}

TEST(ResponsesInputItemsTest, StringsBecomeAUserMessageItem) {
  const std::vector<std::pair<json, json>> cases = {
      {"hi", json::parse(R"([{"type":"message","role":"user",
                             "content":[{"type":"input_text","text":"hi"}]}])")},
      {json::parse(R"([{"role":"user","content":"a"}])"),
       json::parse(R"([{"role":"user","content":"a"}])")},
      {5, nullptr},
      {nullptr, nullptr},
  };
  for (const auto& [input, expected] : cases) EXPECT_EQ(InputItems(input), expected) << input;
  // The item of a string input decodes as the string input does.
  EXPECT_EQ(ToJson(Decoded(WithInput(InputItems("hi")))), ToJson(Decoded(WithInput("hi"))));
}

// ---- Response context and whole responses ----

TEST(ResponsesContextTest, DefaultsWhenTheRequestSentNothing) {
  const ResponseContext context = ContextFromRequest(json::parse(R"({"input":"q"})"), 1700000000);
  EXPECT_EQ(context.created_at, 1700000000);
  const json expected = json::parse(R"({"instructions":null,"tools":[],"tool_choice":"auto",
      "parallel_tool_calls":true,"max_output_tokens":null,"max_tool_calls":null,
      "temperature":null,"top_p":null,"top_logprobs":null,"text":{"format":{"type":"text"}},
      "reasoning":{"effort":null,"summary":null},"metadata":{},"store":true,
      "previous_response_id":null,"prompt_cache_key":null,"safety_identifier":null,
      "service_tier":null,"truncation":"disabled","user":null})");
  const json echoed = json::parse(EncodeResponse(Response{}, context));
  for (const auto& [key, value] : expected.items()) EXPECT_EQ(echoed[key], value) << key;
  EXPECT_EQ(echoed["created_at"], 1700000000);
  // Members of the wrong type are treated as not sent.
  const json wrong = json::parse(R"({"instructions":1,"tools":{},"tool_choice":3,
      "parallel_tool_calls":"no","max_output_tokens":"9","temperature":"hot","text":"x",
      "reasoning":"high","metadata":[],"store":"no","user":7,"truncation":false})");
  const json wrong_echoed =
      json::parse(EncodeResponse(Response{}, ContextFromRequest(wrong, 1700000000)));
  for (const auto& [key, value] : expected.items()) EXPECT_EQ(wrong_echoed[key], value) << key;
}

TEST(ResponsesContextTest, EchoesWhatTheRequestSent) {
  const json body = json::parse(R"({"input":"q","instructions":"be brief",
      "tools":[{"type":"function","name":"f"},{"type":"web_search"}],
      "tool_choice":{"type":"function","name":"f"},"parallel_tool_calls":false,
      "max_output_tokens":100,"max_tool_calls":3,"temperature":0.5,"top_p":0.9,"top_logprobs":2,
      "text":{"verbosity":"low"},"reasoning":{"effort":"high","summary":"auto","x":1},
      "metadata":{"k":"v"},"store":false,"previous_response_id":"resp_0",
      "prompt_cache_key":"pk","safety_identifier":"si","service_tier":"flex",
      "truncation":"auto","user":"u"})");
  const json echoed = json::parse(EncodeResponse(Response{}, ContextFromRequest(body, 5)));
  const json expected = json::parse(R"({"instructions":"be brief",
      "tools":[{"type":"function","name":"f"},{"type":"web_search"}],
      "tool_choice":{"type":"function","name":"f"},"parallel_tool_calls":false,
      "max_output_tokens":100,"max_tool_calls":3,"temperature":0.5,"top_p":0.9,"top_logprobs":2,
      "text":{"verbosity":"low","format":{"type":"text"}},
      "reasoning":{"effort":"high","summary":"auto"},"metadata":{"k":"v"},"store":false,
      "previous_response_id":"resp_0","prompt_cache_key":"pk","safety_identifier":"si",
      "service_tier":"flex","truncation":"auto","user":"u"})");
  for (const auto& [key, value] : expected.items()) EXPECT_EQ(echoed[key], value) << key;
}

Response RichResponse() {
  Response response;
  response.id = "gen-abc";
  response.model = "deepseek/deepseek-chat";
  response.content = {MakePart(Part::Kind::kThinking, "Check the log.", "sig-1"),
                      MakePart(Part::Kind::kRedactedThinking, "opaque"),
                      MakePart(Part::Kind::kText, "The build "),
                      MakePart(Part::Kind::kText, "fails."),
                      CallPart("call_1", "shell", "{\"command\":[\"make\"]}"),
                      CallPart("call_2", "update_plan", "")};
  response.finish_reason = "tool_calls";
  response.native_finish_reason = "tool_calls";
  response.usage = TokenUsage{1200, 350, 1550, 1000, 100, 50};
  response.usage_extra = {
      {"cost", 0.006225}, {"cost_details", {{"upstream", 0.006}}}, {"input_tokens", 1}};
  return response;
}

TEST(ResponsesEncodeResponseTest, EncodesTheWholeObject) {
  const ResponseContext context = ContextFromRequest(
      json::parse(R"({"instructions":"be brief","tools":[{"type":"function","name":"shell"}],
                      "store":false,"reasoning":{"effort":"medium","summary":"auto"}})"),
      1700000000);
  const std::string encoded = EncodeResponse(RichResponse(), context);
  EXPECT_EQ(encoded.find("\"id\":\"gen-abc\",\"object\":\"response\",\"created_at\":1700000000,"
                         "\"status\":\"completed\""),
            1u)
      << "member order: " << encoded;
  EXPECT_EQ(json::parse(encoded), json::parse(R"({
      "id":"gen-abc","object":"response","created_at":1700000000,"status":"completed",
      "background":false,"error":null,"incomplete_details":null,"instructions":"be brief",
      "max_output_tokens":null,"max_tool_calls":null,"model":"deepseek/deepseek-chat",
      "output":[
        {"type":"reasoning","id":"rs_abc_0","summary":[
          {"type":"summary_text","text":"Check the log."}],"encrypted_content":"sig-1"},
        {"type":"reasoning","id":"rs_abc_1","summary":[],"encrypted_content":"opaque"},
        {"type":"message","id":"msg_abc_2","status":"completed","role":"assistant","content":[
          {"type":"output_text","text":"The build fails.","annotations":[],"logprobs":[]}]},
        {"type":"function_call","id":"fc_abc_3","status":"completed","call_id":"call_1",
         "name":"shell","arguments":"{\"command\":[\"make\"]}"},
        {"type":"function_call","id":"fc_abc_4","status":"completed","call_id":"call_2",
         "name":"update_plan","arguments":"{}"}],
      "parallel_tool_calls":true,"previous_response_id":null,"prompt_cache_key":null,
      "reasoning":{"effort":"medium","summary":"auto"},"safety_identifier":null,
      "service_tier":null,"store":false,"temperature":null,"text":{"format":{"type":"text"}},
      "tool_choice":"auto","tools":[{"type":"function","name":"shell"}],"top_logprobs":null,
      "top_p":null,"truncation":"disabled",
      "usage":{"input_tokens":1200,"input_tokens_details":{"cached_tokens":1000},
               "output_tokens":350,"output_tokens_details":{"reasoning_tokens":50},
               "total_tokens":1550,"cost":0.006225,"cost_details":{"upstream":0.006}},
      "user":null,"metadata":{}})"));
}

TEST(ResponsesEncodeResponseTest, StatusFollowsTheFinishReason) {
  struct Case {
    std::string finish_reason;
    std::string status;
    json incomplete_details, error;
    std::string last_item_status;
  };
  const std::vector<Case> cases = {
      {"stop", "completed", nullptr, nullptr, "completed"},
      {"tool_calls", "completed", nullptr, nullptr, "completed"},
      {"", "completed", nullptr, nullptr, "completed"},
      {"length", "incomplete", {{"reason", "max_output_tokens"}}, nullptr, "incomplete"},
      {"content_filter", "incomplete", {{"reason", "content_filter"}}, nullptr, "incomplete"},
      {"error",
       "failed",
       nullptr,
       {{"code", "server_error"}, {"message", "the provider ended the generation with an error"}},
       "completed"},
  };
  for (const Case& c : cases) {
    Response response;
    response.id = "resp_1";
    response.content = {MakePart(Part::Kind::kText, "a"), CallPart("c", "f", "{}"),
                        MakePart(Part::Kind::kText, "b")};
    response.finish_reason = c.finish_reason;
    const json encoded = json::parse(EncodeResponse(response, ResponseContext{}));
    EXPECT_EQ(encoded["status"], c.status) << c.finish_reason;
    EXPECT_EQ(encoded["incomplete_details"], c.incomplete_details) << c.finish_reason;
    EXPECT_EQ(encoded["error"], c.error) << c.finish_reason;
    ASSERT_EQ(encoded["output"].size(), 3u);
    EXPECT_EQ(encoded["output"][0]["status"], "completed");
    EXPECT_EQ(encoded["output"][2]["id"], "msg_1_2");
    EXPECT_EQ(encoded["output"][2]["status"], c.last_item_status) << c.finish_reason;
  }
}

TEST(ResponsesEncodeResponseTest, ItemIdsAndUsage) {
  const std::vector<std::pair<std::string, std::string>> ids = {{"gen-1a2b", "msg_1a2b_0"},
                                                                {"resp_9", "msg_9_0"},
                                                                {"chatcmpl-7", "msg_chatcmpl-7_0"},
                                                                {"", "msg__0"}};
  for (const auto& [id, item_id] : ids) {
    Response response;
    response.id = id;
    response.content = {MakePart(Part::Kind::kText, "x")};
    EXPECT_EQ(json::parse(EncodeResponse(response, {}))["output"][0]["id"], item_id) << id;
  }
  Response response;
  EXPECT_TRUE(json::parse(EncodeResponse(response, {}))["usage"].is_null());
  EXPECT_EQ(json::parse(EncodeResponse(response, {}))["output"], json::array());
  response.usage = TokenUsage{10, 5, 0, 0, 0, 0};  // total 0: the sum
  EXPECT_EQ(json::parse(EncodeResponse(response, {}))["usage"], json::parse(R"({
      "input_tokens":10,"input_tokens_details":{"cached_tokens":0},"output_tokens":5,
      "output_tokens_details":{"reasoning_tokens":0},"total_tokens":15})"));
}

// ---- Streams ----

struct SseEvent {
  std::string name;
  json data;
};

// The events of an SSE text; each must be "event: <name>\ndata: <json>".
std::vector<SseEvent> ParseSse(const std::string& sse) {
  std::vector<SseEvent> events;
  size_t from = 0;
  for (size_t end = sse.find("\n\n"); end != std::string::npos; end = sse.find("\n\n", from)) {
    const std::string block = sse.substr(from, end - from);
    from = end + 2;
    const size_t newline = block.find('\n');
    EXPECT_EQ(block.rfind("event: ", 0), 0u) << block;
    EXPECT_EQ(block.compare(newline + 1, 6, "data: "), 0) << block;
    events.push_back({block.substr(7, newline - 7), json::parse(block.substr(newline + 7))});
  }
  EXPECT_EQ(from, sse.size()) << "trailing bytes";
  return events;
}

StreamEvent StartEvent(std::string id, std::string model) {
  StreamEvent event = Event(StreamEvent::Kind::kStart);
  event.id = std::move(id);
  event.model = std::move(model);
  return event;
}

StreamEvent CallStart(int index, std::string id, std::string name) {
  StreamEvent event = Event(StreamEvent::Kind::kToolCallStart, "", index);
  event.id = std::move(id);
  event.name = std::move(name);
  return event;
}

StreamEvent FinishEvent(std::string reason) {
  StreamEvent event = Event(StreamEvent::Kind::kFinish);
  event.finish_reason = reason;
  event.native_finish_reason = std::move(reason);
  return event;
}

StreamEvent UsageEvent(TokenUsage usage, json extra = nullptr) {
  StreamEvent event = Event(StreamEvent::Kind::kUsage);
  event.usage = usage;
  event.usage_extra = std::move(extra);
  return event;
}

// A translated Codex turn: reasoning, an answer, two calls whose arguments interleave.
std::vector<StreamEvent> CodexTurnEvents() {
  using Kind = StreamEvent::Kind;
  return {StartEvent("gen-abc", "deepseek/deepseek-chat"),
          UsageEvent(TokenUsage{1200, 1, 1201, 0, 0, 0}),
          Event(Kind::kThinkingDelta, "Check "),
          Event(Kind::kThinkingDelta, "the log."),
          Event(Kind::kSignature, "sig-1"),
          Event(Kind::kTextDelta, ""),
          Event(Kind::kTextDelta, "The build "),
          Event(Kind::kTextDelta, "fails."),
          CallStart(0, "call_1", "shell"),
          Event(Kind::kToolCallDelta, "{\"command\":", 0),
          CallStart(1, "call_2", "update_plan"),
          Event(Kind::kToolCallDelta, "[\"make\"]}", 0),
          Event(Kind::kToolCallDelta, "", 1),
          Event(Kind::kToolCallDelta, "{}", 7),
          FinishEvent("tool_calls"),
          UsageEvent(TokenUsage{1200, 350, 1550, 1000, 100, 50},
                     {{"cost", 0.006225}, {"cost_details", {{"upstream", 0.006}}}})};
}

std::string EncodeStream(const std::vector<StreamEvent>& events, const ResponseContext& context) {
  StreamEncoder encoder(context);
  std::string out;
  for (const StreamEvent& event : events) encoder.Encode(event, out);
  encoder.Finish(out);
  encoder.Finish(out);  // idempotent
  return out;
}

TEST(ResponsesStreamEncoderTest, EncodesGoldenSse) {
  const ResponseContext context =
      ContextFromRequest(json::parse(R"({"tools":[{"type":"function","name":"shell"}],
          "store":false,"reasoning":{"summary":"auto"}})"),
                         1700000000);
  ExpectGolden("responses_stream_encoded.sse", EncodeStream(CodexTurnEvents(), context));
}

TEST(ResponsesStreamEncoderTest, EventsAreNumberedAndAgreeWithTheFinalObject) {
  const std::vector<SseEvent> events = ParseSse(EncodeStream(CodexTurnEvents(), {}));
  ASSERT_GE(events.size(), 3u);
  for (size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].data["type"], events[i].name) << i;
    EXPECT_EQ(events[i].data["sequence_number"], i) << i;
  }
  EXPECT_EQ(events[0].name, "response.created");
  EXPECT_EQ(events[1].name, "response.in_progress");
  for (size_t i : {size_t{0}, size_t{1}}) {
    EXPECT_EQ(events[i].data["response"]["status"], "in_progress");
    EXPECT_EQ(events[i].data["response"]["output"], json::array());
    EXPECT_EQ(events[i].data["response"]["id"], "gen-abc");
  }
  const json& completed = events.back().data["response"];
  ASSERT_EQ(events.back().name, "response.completed");
  // What Codex reads: the id, usage.total_tokens, and each item from output_item.done.
  EXPECT_EQ(completed["id"], "gen-abc");
  EXPECT_EQ(completed["usage"]["total_tokens"], 1550);
  size_t done = 0;
  for (const SseEvent& event : events) {
    if (event.name != "response.output_item.done") continue;
    ++done;
    EXPECT_EQ(event.data["item"], completed["output"][event.data["output_index"].get<size_t>()]);
  }
  EXPECT_EQ(done, completed["output"].size());
  // The same content as a whole response encodes to the same object.
  Response response = RichResponse();
  response.content.erase(response.content.begin() + 1);  // the stream has no redacted thinking
  json whole = json::parse(EncodeResponse(response, {}));
  EXPECT_EQ(completed, whole);
}

TEST(ResponsesStreamEncoderTest, IncompleteAndFailedEndings) {
  using Kind = StreamEvent::Kind;
  struct Case {
    std::string finish_reason;
    std::string last_event, status, last_item_status;
  };
  const std::vector<Case> cases = {
      {"length", "response.incomplete", "incomplete", "incomplete"},
      {"content_filter", "response.incomplete", "incomplete", "incomplete"},
      {"error", "response.failed", "failed", "completed"},
      {"stop", "response.completed", "completed", "completed"},
      {"", "response.completed", "completed", "completed"},
  };
  for (const Case& c : cases) {
    const std::vector<SseEvent> events = ParseSse(EncodeStream(
        {StartEvent("gen-1", "m"), Event(Kind::kTextDelta, "a"), FinishEvent(c.finish_reason)},
        {}));
    EXPECT_EQ(events.back().name, c.last_event) << c.finish_reason;
    EXPECT_EQ(events.back().data["response"]["status"], c.status) << c.finish_reason;
    EXPECT_EQ(events.back().data["response"]["output"][0]["status"], c.last_item_status);
    EXPECT_EQ(events[events.size() - 2].data["item"]["status"], c.last_item_status);
    EXPECT_TRUE(events.back().data["response"]["usage"].is_null());
  }
}

TEST(ResponsesStreamEncoderTest, ErrorAfterTheStartFailsTheResponse) {
  using Kind = StreamEvent::Kind;
  StreamEncoder encoder({});
  std::string out;
  for (const StreamEvent& event : {StartEvent("gen-1", "m"), Event(Kind::kTextDelta, "par"),
                                   CallStart(0, "c", "f"), Event(Kind::kToolCallDelta, "{", 0)}) {
    encoder.Encode(event, out);
  }
  const size_t before = ParseSse(out).size();
  StreamEvent error = Event(Kind::kError, "rate limited upstream");
  error.status = 429;
  encoder.Encode(error, out);
  encoder.Encode(Event(Kind::kTextDelta, "more"), out);
  encoder.Encode(Event(Kind::kError, "again"), out);
  encoder.Finish(out);
  const std::vector<SseEvent> events = ParseSse(out);
  ASSERT_EQ(events.size(), before + 1);
  EXPECT_EQ(events.back().name, "response.failed");
  const json& response = events.back().data["response"];
  EXPECT_EQ(response["status"], "failed");
  EXPECT_EQ(response["error"],
            json::parse(R"({"code":"rate_limit_exceeded","message":"rate limited upstream"})"));
  // What the client got so far, its open items "incomplete".
  EXPECT_EQ(response["output"], json::parse(R"([
      {"type":"message","id":"msg_1_0","status":"completed","role":"assistant","content":[
        {"type":"output_text","text":"par","annotations":[],"logprobs":[]}]},
      {"type":"function_call","id":"fc_1_1","status":"incomplete","call_id":"c","name":"f",
       "arguments":"{"}])"));
  // Any other status is a server_error.
  StreamEncoder other({});
  std::string other_out;
  other.Encode(StartEvent("gen-2", "m"), other_out);
  other.Encode(Event(Kind::kError, "boom"), other_out);
  EXPECT_EQ(ParseSse(other_out).back().data["response"]["error"]["code"], "server_error");
}

TEST(ResponsesStreamEncoderTest, BeforeTheStart) {
  using Kind = StreamEvent::Kind;
  // Content before kStart is dropped; Finish without a start writes nothing.
  StreamEncoder quiet({});
  std::string out;
  quiet.Encode(Event(Kind::kTextDelta, "lost"), out);
  quiet.Finish(out);
  EXPECT_EQ(out, "");
  // An error before the start is a bare `error` event, and the end of the stream.
  StreamEncoder encoder({});
  StreamEvent error = Event(Kind::kError, "no capacity");
  error.status = 503;
  encoder.Encode(error, out);
  encoder.Encode(StartEvent("gen-1", "m"), out);
  encoder.Finish(out);
  EXPECT_EQ(out,
            "event: error\ndata: {\"type\":\"error\",\"sequence_number\":0,\"code\":"
            "\"server_error\",\"message\":\"no capacity\",\"param\":null}\n\n");
}

TEST(ResponsesStreamEncoderTest, ReasoningItemsFromSignaturesAndRedactedThinking) {
  using Kind = StreamEvent::Kind;
  const std::vector<SseEvent> events = ParseSse(
      EncodeStream({StartEvent("gen-1", "m"), Event(Kind::kSignature, "lone-sig"),
                    Event(Kind::kThinkingDelta, "a"), Event(Kind::kRedactedThinking, "opaque"),
                    Event(Kind::kThinkingDelta, "b"), Event(Kind::kSignature, "s1"),
                    Event(Kind::kSignature, "s2"), Event(Kind::kThinkingDelta, "c")},
                   {}));
  std::vector<std::string> names;
  for (size_t i = 2; i < events.size(); ++i) names.push_back(events[i].name);
  EXPECT_EQ(names,
            (std::vector<std::string>{
                // A signature with no thinking open: an item of its own, and the
                // thinking after it another.
                "response.output_item.added", "response.output_item.done",
                "response.output_item.added", "response.reasoning_summary_part.added",
                "response.reasoning_summary_text.delta", "response.reasoning_summary_text.done",
                "response.reasoning_summary_part.done", "response.output_item.done",
                // Redacted thinking: added and done at once.
                "response.output_item.added", "response.output_item.done",
                // "b" signed by s1 + s2, then "c" in a new item.
                "response.output_item.added", "response.reasoning_summary_part.added",
                "response.reasoning_summary_text.delta", "response.reasoning_summary_text.done",
                "response.reasoning_summary_part.done", "response.output_item.done",
                "response.output_item.added", "response.reasoning_summary_part.added",
                "response.reasoning_summary_text.delta", "response.reasoning_summary_text.done",
                "response.reasoning_summary_part.done", "response.output_item.done",
                "response.completed"}));
  EXPECT_EQ(events[10].data["item"], json::parse(R"({"type":"reasoning","id":"rs_1_2","summary":[],
                            "encrypted_content":"opaque"})"));
  EXPECT_EQ(events.back().data["response"]["output"], json::parse(R"([
      {"type":"reasoning","id":"rs_1_0","summary":[],"encrypted_content":"lone-sig"},
      {"type":"reasoning","id":"rs_1_1","summary":[{"type":"summary_text","text":"a"}]},
      {"type":"reasoning","id":"rs_1_2","summary":[],"encrypted_content":"opaque"},
      {"type":"reasoning","id":"rs_1_3","summary":[{"type":"summary_text","text":"b"}],
       "encrypted_content":"s1s2"},
      {"type":"reasoning","id":"rs_1_4","summary":[{"type":"summary_text","text":"c"}]}])"));
}

// The gateway's path: a stamped chat stream, decoded by the chat decoder, re-encoded here.
TEST(ResponsesStreamEncoderTest, ChatStreamReencodesForCodex) {
  openai_chat::StreamDecoder decoder;
  std::vector<StreamEvent> ir;
  std::istringstream lines(ReadData("openai_chat_stream_recorded.sse"));
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("data: ", 0) == 0) decoder.Decode(line.substr(6), ir);
  }
  ASSERT_GE(ir.size(), 2u);
  ASSERT_TRUE(ir.back().usage.has_value());
  const std::vector<SseEvent> events = ParseSse(EncodeStream(ir, {}));
  const json& completed = events.back().data["response"];
  ASSERT_EQ(events.back().name, "response.completed");
  EXPECT_EQ(completed["id"], ir.front().id);
  ASSERT_TRUE(completed["usage"].is_object());
  EXPECT_EQ(completed["usage"]["total_tokens"], ir.back().usage->total_tokens);
  for (const SseEvent& event : events) {
    if (event.name == "response.output_item.done") {
      EXPECT_EQ(event.data["item"], completed["output"][event.data["output_index"].get<size_t>()]);
    }
  }
}

// ---- Answers of a Responses-native upstream ----

json ToJson(const TokenUsage& usage) {
  return {usage.prompt_tokens, usage.completion_tokens,  usage.total_tokens,
          usage.cached_tokens, usage.cache_write_tokens, usage.reasoning_tokens};
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

json ToJson(const std::vector<StreamEvent>& events) {
  static const char* const kKinds[] = {
      "start",           "text_delta",      "thinking_delta", "signature", "redacted_thinking",
      "tool_call_start", "tool_call_delta", "finish",         "usage",     "error"};
  json out = json::array();
  for (const StreamEvent& event : events) {
    json entry = {{"kind", kKinds[static_cast<int>(event.kind)]}};
    if (event.kind == StreamEvent::Kind::kToolCallStart ||
        event.kind == StreamEvent::Kind::kToolCallDelta) {
      entry["index"] = event.index;
    }
    if (!event.id.empty()) entry["id"] = event.id;
    if (!event.model.empty()) entry["model"] = event.model;
    if (!event.text.empty()) entry["text"] = event.text;
    if (!event.name.empty()) entry["name"] = event.name;
    if (!event.finish_reason.empty()) entry["finish_reason"] = event.finish_reason;
    if (!event.native_finish_reason.empty()) entry["native"] = event.native_finish_reason;
    if (event.usage) entry["usage"] = ToJson(*event.usage);
    if (!event.usage_extra.is_null()) entry["usage_extra"] = event.usage_extra;
    if (event.status != 0) entry["status"] = event.status;
    out.push_back(std::move(entry));
  }
  return out;
}

TEST(ResponsesDecodeResponseTest, EncodedResponseDecodesBack) {
  Response decoded;
  ASSERT_EQ(DecodeResponse(json::parse(EncodeResponse(RichResponse(), {})), decoded), "");
  // Texts joined in one message, "{}" for the call without arguments, no cache-write count
  // (Responses has none), the status as the native reason; the rest as it was.
  EXPECT_EQ(ToJson(decoded), json::parse(R"({"id":"gen-abc","model":"deepseek/deepseek-chat",
      "content":[{"kind":"thinking","text":"Check the log.","signature":"sig-1"},
        {"kind":"redacted_thinking","text":"opaque"},{"kind":"text","text":"The build fails."},
        {"kind":"tool_call","id":"call_1","name":"shell","arguments":"{\"command\":[\"make\"]}"},
        {"kind":"tool_call","id":"call_2","name":"update_plan","arguments":"{}"}],
      "finish_reason":"tool_calls","native_finish_reason":"completed",
      "usage":[1200,350,1550,1000,0,50],
      "usage_extra":{"cost":0.006225,"cost_details":{"upstream":0.006}}})"));
}

TEST(ResponsesDecodeResponseTest, FinishReasonsAndSkippedItems) {
  // {status, incomplete reason, has a call} -> {finish_reason, native_finish_reason}
  struct Case {
    std::string status, reason;
    bool call;
    std::string finish, native;
  };
  const std::vector<Case> cases = {
      {"completed", "", false, "stop", "completed"},
      {"completed", "", true, "tool_calls", "completed"},
      {"incomplete", "max_output_tokens", true, "length", "max_output_tokens"},
      {"incomplete", "content_filter", false, "content_filter", "content_filter"},
      {"incomplete", "", false, "length", "incomplete"},
      {"failed", "", false, "error", "failed"},
      {"cancelled", "", false, "error", "cancelled"},
      {"in_progress", "", false, "", "in_progress"},
  };
  for (const Case& c : cases) {
    json body = {
        {"status", c.status},
        {"output", json::array({{{"type", "web_search_call"}, {"id", "ws_1"}},
                                {{"type", "message"},
                                 {"content", {{{"type", "refusal"}, {"refusal", "no"}}}}}})}};
    if (!c.reason.empty()) body["incomplete_details"] = {{"reason", c.reason}};
    if (c.call) body["output"].push_back({{"type", "function_call"}, {"call_id", "c"}});
    Response response;
    ASSERT_EQ(DecodeResponse(body, response), "") << c.status;
    EXPECT_EQ(response.finish_reason, c.finish) << c.status << c.reason;
    EXPECT_EQ(response.native_finish_reason, c.native) << c.status << c.reason;
    EXPECT_EQ(ToJson(response.content)[0], json::parse(R"({"kind":"text","text":"no"})"));
    EXPECT_EQ(response.content.size(), c.call ? 2u : 1u);
  }
}

TEST(ResponsesDecodeResponseTest, RejectsMalformedResponses) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"([])", "body: expected an object"},
      {R"({"id":5,"output":[]})", "id: expected a string"},
      {R"({"id":"r"})", "output: expected an array"},
      {R"({"output":[3]})", "output[0]: expected an object"},
      {R"({"output":[{"type":"message","content":"x"}]})", "output[0].content: expected an array"},
      {R"({"output":[{"type":"function_call","call_id":1}]})",
       "output[0].call_id: expected a string"},
      {R"({"output":[],"usage":[]})", "usage: expected an object"},
      {R"({"output":[],"usage":{"input_tokens":"3"}})", "usage.input_tokens: expected an integer"},
      {R"({"output":[],"usage":{"input_tokens":-1}})",
       "usage.input_tokens: expected a non-negative integer"},
      {R"({"output":[],"usage":{"output_tokens_details":{"reasoning_tokens":-2}}})",
       "usage.output_tokens_details.reasoning_tokens: expected a non-negative integer"},
  };
  for (const auto& [body, message] : cases) {
    Response response;
    EXPECT_EQ(DecodeResponse(json::parse(body), response), message) << body;
  }
}

// Decodes every event of an SSE text; the results, in order.
std::vector<StreamDecoder::Result> DecodeSse(StreamDecoder& decoder, const std::string& sse,
                                             std::vector<StreamEvent>& out) {
  std::vector<StreamDecoder::Result> results;
  for (const SseEvent& event : ParseSse(sse))
    results.push_back(decoder.Decode(event.data.dump(), out));
  return results;
}

TEST(ResponsesStreamDecoderTest, EncodedStreamDecodesBackToTheEvents) {
  StreamDecoder decoder;
  std::vector<StreamEvent> events;
  const std::vector<StreamDecoder::Result> results =
      DecodeSse(decoder, EncodeStream(CodexTurnEvents(), {}), events);
  EXPECT_EQ(results.back(), StreamDecoder::Result::kDone);
  EXPECT_EQ(ToJson(events), json::parse(R"([
      {"kind":"start","id":"gen-abc","model":"deepseek/deepseek-chat"},
      {"kind":"thinking_delta","text":"Check "},{"kind":"thinking_delta","text":"the log."},
      {"kind":"signature","text":"sig-1"},
      {"kind":"text_delta","text":"The build "},{"kind":"text_delta","text":"fails."},
      {"kind":"tool_call_start","index":0,"id":"call_1","name":"shell"},
      {"kind":"tool_call_delta","index":0,"text":"{\"command\":"},
      {"kind":"tool_call_start","index":1,"id":"call_2","name":"update_plan"},
      {"kind":"tool_call_delta","index":0,"text":"[\"make\"]}"},
      {"kind":"tool_call_delta","index":1,"text":"{}"},
      {"kind":"finish","finish_reason":"tool_calls","native":"completed"},
      {"kind":"usage","usage":[1200,350,1550,1000,0,50],
       "usage_extra":{"cost":0.006225,"cost_details":{"upstream":0.006}}}])"));
}

TEST(ResponsesStreamDecoderTest, ReasoningPartsRedactedThinkingAndRefusals) {
  StreamDecoder decoder;
  std::vector<StreamEvent> events;
  for (const char* data : {
           R"({"type":"response.created","response":{"id":"resp_1","model":"o3"}})",
           R"({"type":"response.created","response":{"id":"again"}})",
           R"({"type":"response.output_item.added","output_index":0,"item":{"type":"reasoning"}})",
           R"({"type":"response.reasoning_summary_part.added","output_index":0,"summary_index":0})",
           R"({"type":"response.reasoning_summary_text.delta","output_index":0,"delta":"a"})",
           R"({"type":"response.reasoning_summary_part.added","output_index":0,"summary_index":1})",
           R"({"type":"response.reasoning_summary_text.delta","output_index":0,"delta":"b"})",
           R"({"type":"response.output_item.done","output_index":0,
               "item":{"type":"reasoning","encrypted_content":"sig"}})",
           R"({"type":"response.output_item.done","output_index":1,
               "item":{"type":"reasoning","summary":[],"encrypted_content":"opaque"}})",
           R"({"type":"response.output_item.done","output_index":2,"item":{"type":"reasoning"}})",
           R"({"type":"response.refusal.delta","output_index":3,"delta":"no"})",
           R"({"type":"response.output_item.added","output_index":4,
               "item":{"type":"function_call","call_id":"c","name":"f","arguments":"{\"a\":1}"}})",
           R"({"type":"response.function_call_arguments.done","output_index":4,"arguments":"x"})",
           R"({"type":"response.function_call_arguments.delta","output_index":9,"delta":"x"})",
           R"({"type":"response.web_search_call.searching","output_index":5})",
           R"({"type":"keepalive"})",
       }) {
    ASSERT_EQ(decoder.Decode(data, events), StreamDecoder::Result::kContinue) << data;
  }
  EXPECT_EQ(ToJson(events), json::parse(R"([{"kind":"start","id":"resp_1","model":"o3"},
      {"kind":"thinking_delta","text":"a"},{"kind":"thinking_delta","text":"\n\n"},
      {"kind":"thinking_delta","text":"b"},{"kind":"signature","text":"sig"},
      {"kind":"redacted_thinking","text":"opaque"},{"kind":"text_delta","text":"no"},
      {"kind":"tool_call_start","index":0,"id":"c","name":"f"},
      {"kind":"tool_call_delta","index":0,"text":"{\"a\":1}"}])"));
  events.clear();
  EXPECT_EQ(decoder.Decode(R"({"type":"response.incomplete","response":{"status":"incomplete",
      "incomplete_details":{"reason":"max_output_tokens"}}})",
                           events),
            StreamDecoder::Result::kDone);
  EXPECT_EQ(ToJson(events), json::parse(R"([{"kind":"finish","finish_reason":"length",
      "native":"max_output_tokens"}])"));
}

TEST(ResponsesStreamDecoderTest, ErrorsAndMalformedEvents) {
  const std::string created = R"({"type":"response.created","response":{"id":"r"}})";
  struct Case {
    std::string data;
    StreamDecoder::Result result;
    std::string message;
    int status;
  };
  const std::vector<Case> cases = {
      {R"({"type":"response.failed","response":{"status":"failed","error":{
          "code":"rate_limit_exceeded","message":"slow down"}}})",
       StreamDecoder::Result::kError, "slow down", 429},
      {R"({"type":"response.failed","response":{"status":"failed"}})",
       StreamDecoder::Result::kError, "upstream stream error", 502},
      {R"({"type":"error","code":"server_error","message":"boom","param":null})",
       StreamDecoder::Result::kError, "boom", 502},
      {"{not json", StreamDecoder::Result::kMalformed, "stream event: data is not a JSON object",
       0},
      {"[1]", StreamDecoder::Result::kMalformed, "stream event: data is not a JSON object", 0},
      {R"({"type":"response.completed"})", StreamDecoder::Result::kMalformed,
       "response.completed: response: required", 0},
      {R"({"type":"response.completed","response":{"status":"completed","usage":{
          "output_tokens":-1.5}}})",
       StreamDecoder::Result::kMalformed, "usage.output_tokens: expected an integer", 0},
  };
  for (const Case& c : cases) {
    StreamDecoder decoder;
    std::vector<StreamEvent> events;
    ASSERT_EQ(decoder.Decode(created, events), StreamDecoder::Result::kContinue);
    EXPECT_EQ(decoder.Decode(c.data, events), c.result) << c.data;
    EXPECT_EQ(decoder.error_message(), c.message) << c.data;
    if (c.result == StreamDecoder::Result::kError) {
      EXPECT_EQ(events.back().kind, StreamEvent::Kind::kError);
      EXPECT_EQ(events.back().status, c.status);
    }
  }
  StreamDecoder early;
  std::vector<StreamEvent> events;
  EXPECT_EQ(early.Decode(R"({"type":"response.output_text.delta","delta":"x"})", events),
            StreamDecoder::Result::kMalformed);
  EXPECT_EQ(early.error_message(), "response.output_text.delta before response.created");
  EXPECT_TRUE(events.empty());
}

TEST(ResponsesStreamDecoderTest, AnItemAddedTwiceIsMalformed) {
  StreamDecoder decoder;
  std::vector<StreamEvent> events;
  const std::string added =
      R"({"type":"response.output_item.added","output_index":1,"item":{"type":"function_call",)"
      R"("call_id":"c1","name":"f","arguments":""}})";
  ASSERT_EQ(decoder.Decode(R"({"type":"response.created","response":{"id":"r"}})", events),
            StreamDecoder::Result::kContinue);
  ASSERT_EQ(decoder.Decode(added, events), StreamDecoder::Result::kContinue);
  EXPECT_EQ(decoder.Decode(added, events), StreamDecoder::Result::kMalformed);
  EXPECT_EQ(decoder.error_message(), "response.output_item.added for output index 1 twice");
}

TEST(ResponsesDecodeResponseTest, AHugeTotalSaturatesInsteadOfOverflowing) {
  Response response;
  ASSERT_EQ(DecodeResponse(json::parse(R"({"output":[],"usage":{"input_tokens":9223372036854775807,
                                          "output_tokens":1}})"),
                           response),
            "");
  ASSERT_TRUE(response.usage.has_value());
  EXPECT_EQ(response.usage->total_tokens, INT64_MAX);
}

}  // namespace
}  // namespace gw::dialects::openai_responses

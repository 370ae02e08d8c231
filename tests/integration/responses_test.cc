// The OpenAI Responses route (POST /v1/responses, GET/HEAD/DELETE /v1/responses/{id}) through the
// real gateway and real simulators: every rejection with its status and OpenAI-shaped error body,
// whole answers and event streams from an OpenAI-compatible endpoint and from an `api: anthropic`
// one (both reached as chat), function tools and their outputs, stored responses continued with
// previous_response_id, store: false, a foreign key's response, max_output_tokens, upstream
// failures before and after the first event, and the /api/v1 alias. docs/dialects.md is the
// contract; the request's chat translation is checked in what the simulators received.
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tests/integration/cluster.h"

namespace gw::testing {
namespace {

using nlohmann::json;

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The pieces, concatenated (GCC 12 warns falsely on `"literal" + std::string`).
std::string Cat(std::initializer_list<std::string_view> pieces) {
  std::string out;
  for (std::string_view piece : pieces) out.append(piece);
  return out;
}

// A stream's response header (lower-case name), "" when absent.
std::string HeaderOf(const StreamResponse& stream, const std::string& name) {
  const auto it = stream.headers.find(name);
  return it == stream.headers.end() ? std::string() : it->second;
}

// The id of output item `index` of response `id` ("msg", "gen-x" -> "msg_x_0").
std::string ItemId(std::string_view prefix, const std::string& id, size_t index) {
  std::string_view suffix = id;
  if (suffix.starts_with("gen-")) suffix.remove_prefix(4);
  return Cat({prefix, "_", suffix, "_", std::to_string(index)});
}

// The gateway's OpenAI error shape {"error":{"code":<status>,"message":...[,"metadata"]}} with
// `status` on the wire; returns the error object.
json OpenAiError(const HttpResponse& response, int status) {
  EXPECT_EQ(response.status, status) << response.body;
  const json body = json::parse(response.body, nullptr, false);
  EXPECT_TRUE(body.is_object() && body.contains("error")) << response.body;
  if (!body.is_object() || !body.contains("error") || !body["error"].is_object()) {
    return json::object();
  }
  const json& error = body["error"];
  EXPECT_EQ(error.value("code", 0), status) << response.body;
  EXPECT_TRUE(error.contains("message") && error["message"].is_string()) << response.body;
  EXPECT_FALSE(body.contains("type")) << response.body;  // not Anthropic's shape
  return error;
}

std::string ErrorText(const json& error) { return error.value("message", ""); }

struct SseEvent {
  std::string name;  // the `event:` field, "" when absent
  std::string data;
};

// The events of a raw SSE body ("event: x\ndata: {...}\n\n"); comments are skipped.
std::vector<SseEvent> ParseSse(const std::string& body) {
  std::vector<SseEvent> events;
  size_t at = 0;
  while (at < body.size()) {
    size_t end = body.find("\n\n", at);
    if (end == std::string::npos) end = body.size();
    const std::string block = body.substr(at, end - at);
    at = end + 2;
    SseEvent event;
    bool has_data = false;
    size_t line_at = 0;
    while (line_at <= block.size()) {
      size_t line_end = block.find('\n', line_at);
      if (line_end == std::string::npos) line_end = block.size();
      const std::string line = block.substr(line_at, line_end - line_at);
      line_at = line_end + 1;
      if (line.rfind("event: ", 0) == 0) event.name = line.substr(7);
      if (line.rfind("data: ", 0) == 0) {
        event.data = line.substr(6);
        has_data = true;
      }
    }
    if (has_data) events.push_back(std::move(event));
  }
  return events;
}

// The payloads of a Responses stream. Every event is named after its payload's type, and the
// sequence numbers count 0, 1, 2, ... in order.
std::vector<json> ResponseEvents(const StreamResponse& stream) {
  std::vector<json> events;
  for (const SseEvent& event : ParseSse(stream.body)) {
    json data = json::parse(event.data, nullptr, false);
    EXPECT_TRUE(data.is_object()) << event.data;
    if (!data.is_object()) continue;
    EXPECT_EQ(data.value("type", ""), event.name) << event.data;
    EXPECT_TRUE(data.contains("sequence_number") && data["sequence_number"].is_number_integer())
        << event.data;
    if (data.contains("sequence_number") && data["sequence_number"].is_number_integer()) {
      EXPECT_EQ(data["sequence_number"].get<int64_t>(), static_cast<int64_t>(events.size()))
          << event.data;
    }
    events.push_back(std::move(data));
  }
  return events;
}

// The event types, consecutive repeats collapsed (delta x N -> once).
std::vector<std::string> CollapsedTypes(const std::vector<json>& events) {
  std::vector<std::string> types;
  for (const json& event : events) {
    const std::string type = event.value("type", "");
    if (types.empty() || types.back() != type) types.push_back(type);
  }
  return types;
}

std::vector<json> OfType(const std::vector<json>& events, const std::string& type) {
  std::vector<json> out;
  for (const json& event : events) {
    if (event.value("type", "") == type) out.push_back(event);
  }
  return out;
}

// The text of a response's message items.
std::string OutputText(const json& response) {
  std::string text;
  if (!response.contains("output") || !response["output"].is_array()) return text;
  for (const json& item : response["output"]) {
    if (item.value("type", "") != "message") continue;
    for (const json& part : item["content"]) {
      if (part.value("type", "") == "output_text") text += part.value("text", "");
    }
  }
  return text;
}

// The text of a chat or Messages `content`: a string, or the `text` of its blocks / parts.
std::string TextOf(const json& content) {
  if (content.is_string()) return content.get<std::string>();
  std::string text;
  if (!content.is_array()) return text;
  for (const json& block : content) {
    if (block.is_object() && block.contains("text") && block["text"].is_string()) {
      text += block["text"].get<std::string>();
    }
  }
  return text;
}

// The roles of a chat or Messages body's `messages`.
std::vector<std::string> Roles(const json& body) {
  std::vector<std::string> roles;
  for (const json& message : body["messages"]) roles.push_back(message.value("role", ""));
  return roles;
}

std::string ResponsesBody(const std::string& model, const std::string& extra_fields = "") {
  std::string body = R"({"model":")";
  body += model;
  body += R"(","input":"Say hello")";
  if (!extra_fields.empty()) {
    body += ",";
    body += extra_fields;
  }
  body += "}";
  return body;
}

std::string StreamBody(const std::string& model, const std::string& extra_fields = "") {
  std::string extra = R"("stream":true)";
  if (!extra_fields.empty()) {
    extra += ",";
    extra += extra_fields;
  }
  return ResponsesBody(model, extra);
}

// One Responses function tool the simulators can call: get_weather(city: string).
constexpr std::string_view kWeatherTool =
    R"({"type":"function","name":"get_weather","description":"Weather",)"
    R"("parameters":{"type":"object","properties":{"city":{"type":"string"}},)"
    R"("required":["city"]}})";

std::string ToolsField() {
  std::string field = R"("tools":[)";
  field += kWeatherTool;
  field += "]";
  return field;
}

// Prices of the endpoint whose cache usage is checked (USD per 1M tokens).
constexpr std::string_view kCachePrices =
    "{ prompt: 3, completion: 15, cached_read: 0.3, cache_write: 3.75 }";

struct Endpoint {
  std::string provider;
  std::string upstream_model;
  std::string pricing = "{ prompt: 1.5, completion: 2, cached_read: 0.75 }";
};

// A gateway with an Anthropic simulator (`anth`, api: anthropic, base URL without /v1) and an
// OpenAI-compatible one (`oai`, base URL with /v1; `oai-impatient` is the same simulator with a
// 200 ms first-byte timeout).
std::string ResponsesYaml(int anthropic_port, int openai_port,
                          const std::vector<std::pair<std::string, std::vector<Endpoint>>>& models,
                          const std::string& server_extra) {
  std::string yaml = "server:\n  listen: 127.0.0.1:0\n  workers: 2\n";
  yaml += server_extra;
  yaml += "providers:\n";
  yaml += "  - name: anth\n    api: anthropic\n    base_url: http://127.0.0.1:";
  yaml += std::to_string(anthropic_port);
  yaml += "\n    api_key: ${IT_RESPONSES_ANTHROPIC_KEY}\n";
  yaml += "  - name: oai\n    base_url: http://127.0.0.1:";
  yaml += std::to_string(openai_port);
  yaml += "/v1\n";
  yaml += "  - name: oai-impatient\n    base_url: http://127.0.0.1:";
  yaml += std::to_string(openai_port);
  yaml += "/v1\n    timeouts: { first_byte_ms: 200 }\n";
  // The same OpenAI simulator answers /v1/responses natively.
  yaml += "  - name: native\n    api: openai-responses\n    base_url: http://127.0.0.1:";
  yaml += std::to_string(openai_port);
  yaml += "/v1\n";
  yaml += "models:\n";
  for (const auto& [id, endpoints] : models) {
    yaml += Cat({"  - id: ", id, "\n    context_length: 1048576\n    endpoints:\n"});
    for (const Endpoint& endpoint : endpoints) {
      yaml += Cat({"      - provider: ", endpoint.provider, "\n        model: \"",
                   endpoint.upstream_model, "\"\n        pricing: ", endpoint.pricing, "\n"});
    }
  }
  return yaml;
}

constexpr std::string_view kUnknownIdMessageTail =
    "\" (responses are kept when created with store: true, for the ledger's retention, and only "
    "for the key that created them)";

std::string NotFoundMessage(const std::string& id) {
  std::string message = "no response found with id \"";
  message += id;
  message += kUnknownIdMessageTail;
  return message;
}

std::string PreviousNotFoundMessage(const std::string& id) {
  std::string message = "previous_response_id: ";
  message += NotFoundMessage(id);
  return message;
}

class ResponsesTest : public Cluster {
 protected:
  void Start(const std::string& server_extra = "") {
    setenv("IT_RESPONSES_ANTHROPIC_KEY", "sk-ant-upstream", 1);
    anthropic_sim_ = StartSimulator();
    openai_sim_ = StartSimulator();
    port_ = StartGateway(ResponsesYaml(
        anthropic_sim_, openai_sim_,
        {{"it/chat", {{"oai", "sim-model"}}},
         {"it/chat-tools", {{"oai", "sim-model?tool_call=true"}}},
         {"it/chat-usage", {{"oai", "sim-model?cached_tokens=10&reasoning_tokens=4"}}},
         {"it/chat-limited", {{"oai", "sim-model?status=429&error_rate=1"}}},
         {"it/chat-unavailable", {{"oai", "sim-model?status=503&error_rate=1"}}},
         {"it/chat-fault", {{"oai", "sim-model?stream_error_after=2"}}},
         {"it/chat-silent", {{"oai-impatient", "sim-model?ttft_ms=1000"}}},
         {"it/claude", {{"anth", "claude-sim"}}},
         {"it/claude-tools", {{"anth", "claude-sim?tool_call=true"}}},
         {"it/claude-cache",
          {{"anth", "claude-sim?cached_tokens=10&cache_write_tokens=5",
            std::string(kCachePrices)}}},
         {"it/claude-busy", {{"anth", "claude-sim?status=529&error_rate=1"}}},
         {"it/claude-limited", {{"anth", "claude-sim?status=429&error_rate=1"}}},
         {"it/claude-fault", {{"anth", "claude-sim?stream_error_after=2"}}},
         {"it/fallback", {{"anth", "claude-sim?status=529&error_rate=1"}, {"oai", "sim-model"}}},
         {"it/native", {{"native", "sim-native"}}},
         {"it/native-tools", {{"native", "sim-native?tool_call=true"}}},
         {"it/native-usage", {{"native", "sim-native?cached_tokens=10&reasoning_tokens=4"}}},
         {"it/native-limited", {{"native", "sim-native?status=429&error_rate=1"}}},
         {"it/native-fault", {{"native", "sim-native?stream_error_after=2"}}},
         {"it/native-and-chat", {{"native", "sim-native"}, {"oai", "sim-model"}}}},
        server_extra));
  }

  HttpResponse Responses(const std::string& body, const Headers& headers = {}) {
    return Post(port_, "/v1/responses", body, headers);
  }
  StreamResponse ResponsesStream(const std::string& body, const Headers& headers = {}) {
    return PostStream(port_, "/v1/responses", body, headers);
  }
  // A whole 200 answer's Responses object (fails the test otherwise).
  json Created(const std::string& body, const Headers& headers = {}) {
    const HttpResponse response = Responses(body, headers);
    EXPECT_EQ(response.status, 200) << response.body;
    const json parsed = json::parse(response.body, nullptr, false);
    EXPECT_TRUE(parsed.is_object()) << response.body;
    return parsed.is_object() ? parsed : json::object();
  }
  // The message of the error answer to `body`, checked for `status` and the OpenAI shape.
  std::string Rejected(const std::string& body, int status) {
    return ErrorText(OpenAiError(Responses(body), status));
  }
  HttpResponse GetStored(const std::string& id, const Headers& headers = {}) {
    return Get(port_, Cat({"/v1/responses/", id}), headers);
  }
  HttpResponse DeleteStored(const std::string& id, const Headers& headers = {}) {
    return Request(port_, "DELETE", Cat({"/v1/responses/", id}), "", headers);
  }
  json Generation(const std::string& id) {
    const HttpResponse response = Get(port_, Cat({"/v1/generation?id=", id}));
    EXPECT_EQ(response.status, 200) << response.body;
    return response.status == 200 ? response.Json()["data"] : json::object();
  }
  // The body the simulator on `port` received last, parsed.
  json UpstreamBody(int port) {
    const json request = LastUpstreamRequest(port);
    return json::parse(request["body"].get<std::string>());
  }
  void ExpectNothingSentUpstream() {
    EXPECT_EQ(Get(openai_sim_, "/sim/last-request").status, 404);
    EXPECT_EQ(Get(anthropic_sim_, "/sim/last-request").status, 404);
  }

  // A plain text stream of `model`: the exact event sequence, ids, text, the completed object
  // (equal to GET), the usage priced as the generation record.
  void ExpectTextStream(const std::string& model, const std::string& provider);
  // A function call, then the call and its output sent back: the upstream (on `sim`) gets the
  // call and the result, and answers with text. Returns the upstream body of the second turn.
  json ExpectToolTurn(const std::string& model, const std::string& call_id_prefix, int sim);
  // A stream whose upstream fails after two text deltas ends with response.failed.
  void ExpectMidStreamFailure(const std::string& model);

  int anthropic_sim_ = 0;
  int openai_sim_ = 0;
  int port_ = 0;
};

// --- Rejections ---------------------------------------------------------------------------------

TEST_F(ResponsesTest, InvalidJsonAndEmptyBodyAre400InOpenAiShape) {
  Start();
  const HttpResponse bad = Responses(R"({"model": "it/chat", )");
  const std::string message = ErrorText(OpenAiError(bad, 400));
  EXPECT_EQ(message.rfind("request body is not valid JSON: ", 0), 0u) << message;
  EXPECT_EQ(bad.Header("x-generation-id"), "");  // validation 400s get no generation id
  EXPECT_EQ(Rejected("", 400), "request body is empty: expected a JSON object");
  const std::string array = Rejected("[1]", 400);
  EXPECT_TRUE(Contains(array, "not valid JSON") && Contains(array, "not an object")) << array;
  ExpectNothingSentUpstream();
}

TEST_F(ResponsesTest, InputIsRequiredAndANonEmptyStringOrArray) {
  Start();
  EXPECT_EQ(Rejected(R"({"model":"it/chat"})", 400), "input: required field is missing");
  EXPECT_EQ(Rejected(R"({"model":"it/chat","input":null})", 400),
            "input: required field is missing");
  EXPECT_EQ(Rejected(R"({"model":"it/chat","input":""})", 400),
            "input: expected a non-empty string or array");
  EXPECT_EQ(Rejected(R"({"model":"it/chat","input":[]})", 400),
            "input: expected a non-empty string or array");
  for (const std::string bad : {"5", "true", R"({"role":"user","content":"hi"})"}) {
    EXPECT_EQ(Rejected(Cat({R"({"model":"it/chat","input":)", bad, "}"}), 400),
              "input: expected a string or an array of input items")
        << bad;
  }
  EXPECT_EQ(Rejected(R"({"input":"hi"})", 400), "model: required field is missing");
  EXPECT_EQ(Rejected(R"({"model":7,"input":"hi"})", 400), "model: expected a string");
  ExpectNothingSentUpstream();
}

TEST_F(ResponsesTest, CheckedFieldsOfAWrongTypeAre400NamingTheField) {
  Start();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"("instructions":5)", "instructions: expected a string"},
      {R"("instructions":["a"])", "instructions: expected a string"},
      {R"("max_output_tokens":"ten")", "max_output_tokens: expected an integer"},
      {R"("max_output_tokens":1.5)", "max_output_tokens: expected an integer"},
      {R"("max_output_tokens":true)", "max_output_tokens: expected an integer"},
      {R"("max_output_tokens":0)", "max_output_tokens: expected a positive integer"},
      {R"("max_output_tokens":-3)", "max_output_tokens: expected a positive integer"},
      {R"("previous_response_id":5)", "previous_response_id: expected a string"},
      {R"("store":"yes")", "store: expected a boolean"},
      {R"("background":1)", "background: expected a boolean"},
      {R"("text":"plain")", "text: expected an object"},
      {R"("reasoning":"high")", "reasoning: expected an object"},
      {R"("include":"usage")", "include: expected an array of strings"},
      {R"("include":["reasoning.encrypted_content",5])", "include[1]: expected a string"},
      {R"("safety_identifier":5)", "safety_identifier: expected a string"},
      {R"("prompt_cache_key":{})", "prompt_cache_key: expected a string"},
      // Fields the other routes check too.
      {R"("stream":"yes")", "stream: expected a boolean"},
      {R"("tools":{})", "tools: expected an array"},
      {R"("tool_choice":5)", "tool_choice: expected a string or an object"},
      {R"("temperature":"hot")", "temperature: expected a number"},
      {R"("metadata":[])", "metadata: expected an object"},
      {R"("parallel_tool_calls":"no")", "parallel_tool_calls: expected a boolean"},
  };
  for (const auto& [field, message] : cases) {
    EXPECT_EQ(Rejected(ResponsesBody("it/chat", field), 400), message) << field;
  }
  ExpectNothingSentUpstream();
  // null is "not set", as SDKs send it.
  EXPECT_EQ(
      Responses(ResponsesBody("it/chat", R"("instructions":null,"max_output_tokens":null)")).status,
      200);
}

TEST_F(ResponsesTest, MalformedInputItemsAre400NamingThePath) {
  Start();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"([{"type":"bogus_item","text":"x"}])", "input[0].type: unknown item type \"bogus_item\""},
      {R"([{"role":"user","content":"a"},{"type":"bogus_item"}])",
       "input[1].type: unknown item type \"bogus_item\""},
      {R"(["hi"])", "input[0]: expected an object"},
      {R"([{"content":"hi"}])", "input[0].type: required"},
      {R"([{"type":7,"role":"user","content":"hi"}])", "input[0].type: expected a string"},
      {R"([{"role":"wizard","content":"hi"}])", "input[0].role: unknown role \"wizard\""},
      {R"([{"type":"message","content":"hi"}])", "input[0].role: required"},
      {R"([{"role":"user"}])", "input[0].content: required"},
      {R"([{"role":"user","content":5}])",
       "input[0].content: expected a string or an array of parts"},
      {R"([{"role":"user","content":[{"type":"input_audio"}]}])",
       "input[0].content[0].type: unsupported content part type \"input_audio\""},
      {R"([{"role":"user","content":[{"type":"input_file","file_id":"f"}]}])",
       "input[0].content[0].type: file inputs are not supported (\"input_file\"); send the text"},
      {R"([{"role":"user","content":[{"type":"input_image","file_id":"f"}]}])",
       "input[0].content[0].file_id: file references are not supported; send image_url (an "
       "http(s) or data: URL)"},
      {R"([{"type":"item_reference","id":"msg_1"}])",
       "input[0].type: item references are not supported; send the item itself"},
      {R"([{"type":"function_call","name":"f","arguments":"{}"}])", "input[0].call_id: required"},
      {R"([{"type":"function_call_output","call_id":"c"}])", "input[0].output: required"},
      {R"([{"type":"function_call_output","call_id":"c","output":5}])",
       "input[0].output: expected a string or an array of parts"},
  };
  for (const auto& [input, message] : cases) {
    EXPECT_EQ(Rejected(Cat({R"({"model":"it/chat","input":)", input, "}"}), 400), message) << input;
  }
  ExpectNothingSentUpstream();
}

TEST_F(ResponsesTest, UnsupportedFeaturesAre400NamingThem) {
  Start();
  EXPECT_EQ(Rejected(ResponsesBody("it/chat", R"("background":true)"), 400),
            "background: background responses are not supported (they need a job store); send "
            "background: false");
  EXPECT_EQ(Rejected(ResponsesBody("it/chat", R"("prompt":{"id":"pmpt_1"})"), 400),
            "prompt: stored prompt templates are not supported; send the text as input and "
            "instructions");
  EXPECT_EQ(Rejected(ResponsesBody("it/chat", R"("conversation":"conv_1")"), 400),
            "conversation: conversations are not supported; send the items as input, or use "
            "previous_response_id");
  EXPECT_EQ(Rejected(ResponsesBody("it/chat", R"("tool_choice":"sometimes")"), 400),
            "tool_choice: unknown value \"sometimes\"");
  EXPECT_EQ(Rejected(ResponsesBody("it/chat", R"("tool_choice":{"type":"allowed_tools"})"), 400),
            "tool_choice.type: unsupported tool choice type \"allowed_tools\"");
  EXPECT_EQ(Rejected(ResponsesBody("it/chat", R"("reasoning":{"effort":"extreme"})"), 400),
            "reasoning.effort: unknown effort \"extreme\"");
  EXPECT_EQ(Rejected(ResponsesBody("it/chat", R"("text":{"format":{"type":"xml"}})"), 400),
            "text.format.type: unknown format type \"xml\"");
  EXPECT_EQ(
      Rejected(ResponsesBody("it/chat", R"("text":{"format":{"type":"json_schema","name":"x"}})"),
               400),
      "text.format.schema: required");
  ExpectNothingSentUpstream();
  // background: false is fine.
  EXPECT_EQ(Responses(ResponsesBody("it/chat", R"("background":false)")).status, 200);
}

TEST_F(ResponsesTest, BuiltInToolsOfferedAreDroppedButForcingOneIs400) {
  Start();
  std::string tools = R"("tools":[{"type":"web_search"},)";
  tools += kWeatherTool;
  tools += "]";
  std::string forced = tools;
  forced += R"(,"tool_choice":{"type":"web_search"})";
  EXPECT_EQ(Rejected(ResponsesBody("it/chat-tools", forced), 400),
            "tool_choice: forces the \"web_search\" tool, which a translated endpoint cannot run "
            "(only function tools are passed on)");
  ExpectNothingSentUpstream();

  // Offered beside a function, web_search is dropped: only the function reaches the upstream,
  // and the simulator calls it. The response echoes the tools as sent.
  const json called = Created(ResponsesBody("it/chat-tools", tools));
  ASSERT_EQ(called["output"].size(), 1u) << called;
  EXPECT_EQ(called["output"][0]["type"], "function_call");
  EXPECT_EQ(called["output"][0]["name"], "get_weather");
  ASSERT_EQ(called["tools"].size(), 2u) << called;
  EXPECT_EQ(called["tools"][0]["type"], "web_search");
  const json sent = UpstreamBody(openai_sim_);
  ASSERT_EQ(sent["tools"].size(), 1u) << sent;
  EXPECT_EQ(sent["tools"][0]["type"], "function");
  EXPECT_EQ(sent["tools"][0]["function"]["name"], "get_weather");
  EXPECT_EQ(sent["tools"][0]["function"]["parameters"]["properties"]["city"]["type"], "string");
}

TEST_F(ResponsesTest, UnknownModelIs404NamingIt) {
  Start();
  const HttpResponse response = Responses(ResponsesBody("acme/unknown"));
  const json error = OpenAiError(response, 404);
  EXPECT_EQ(ErrorText(error), "model \"acme/unknown\" is not served by this gateway");
  EXPECT_EQ(error["metadata"]["code"], "unknown_model") << error;
  EXPECT_EQ(response.Header("x-generation-id"), "");
  // Streamed, the same 404 before any event.
  const StreamResponse stream = ResponsesStream(StreamBody("acme/unknown"));
  EXPECT_EQ(stream.status, 404) << stream.body;
  const json body = json::parse(stream.body, nullptr, false);
  ASSERT_TRUE(body.is_object()) << stream.body;
  EXPECT_EQ(body["error"]["code"], 404);
  ExpectNothingSentUpstream();
}

TEST_F(ResponsesTest, UnknownPreviousResponseIdIs404AndNothingGoesUpstream) {
  Start();
  const HttpResponse response =
      Responses(ResponsesBody("it/chat", R"("previous_response_id":"resp_unknown")"));
  EXPECT_EQ(ErrorText(OpenAiError(response, 404)), PreviousNotFoundMessage("resp_unknown"));
  const StreamResponse stream =
      ResponsesStream(StreamBody("it/claude", R"("previous_response_id":"resp_unknown")"));
  EXPECT_EQ(stream.status, 404) << stream.body;
  ExpectNothingSentUpstream();
}

TEST_F(ResponsesTest, StoredResponseRoutesAnswer404And405InOpenAiShape) {
  Start();
  EXPECT_EQ(ErrorText(OpenAiError(GetStored("resp_unknown"), 404)),
            NotFoundMessage("resp_unknown"));
  EXPECT_EQ(ErrorText(OpenAiError(DeleteStored("resp_unknown"), 404)),
            NotFoundMessage("resp_unknown"));
  EXPECT_EQ(Request(port_, "HEAD", "/v1/responses/resp_unknown", "").status, 404);

  const HttpResponse put = Request(port_, "PUT", "/v1/responses/x", "{}");
  EXPECT_EQ(ErrorText(OpenAiError(put, 405)),
            "method PUT is not allowed on /v1/responses/x; use GET, HEAD, DELETE");
  EXPECT_EQ(put.Header("allow"), "GET, HEAD, DELETE");
  const HttpResponse post = Post(port_, "/v1/responses/x", ResponsesBody("it/chat"));
  OpenAiError(post, 405);
  EXPECT_EQ(post.Header("allow"), "GET, HEAD, DELETE");

  const HttpResponse get = Get(port_, "/v1/responses");
  EXPECT_EQ(ErrorText(OpenAiError(get, 405)),
            "method GET is not allowed on /v1/responses; use POST");
  EXPECT_EQ(get.Header("allow"), "POST");
  const HttpResponse erase = Request(port_, "DELETE", "/v1/responses", "");
  OpenAiError(erase, 405);
  EXPECT_EQ(erase.Header("allow"), "POST");
  EXPECT_EQ(ErrorText(OpenAiError(Get(port_, "/v1/responses/a/b"), 404)),
            "unknown path \"/v1/responses/a/b\"");
  ExpectNothingSentUpstream();
}

// --- Whole answers ------------------------------------------------------------------------------

TEST_F(ResponsesTest, WholeAnswerFromAnOpenAiEndpoint) {
  Start();
  const HttpResponse response =
      Responses(ResponsesBody("it/chat", R"("instructions":"Be brief","safety_identifier":"u-7")"));
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.Header("content-type"), "application/json");
  const std::string id = response.Header("x-generation-id");
  ASSERT_EQ(id.rfind("gen-", 0), 0u) << id;
  const json body = response.Json();
  EXPECT_EQ(body["id"], id);
  EXPECT_EQ(body["object"], "response");
  EXPECT_EQ(body["status"], "completed");
  EXPECT_EQ(body["model"], "it/chat");
  EXPECT_TRUE(body["error"].is_null()) << body;
  EXPECT_TRUE(body["incomplete_details"].is_null()) << body;
  EXPECT_EQ(body["instructions"], "Be brief");
  EXPECT_EQ(body["safety_identifier"], "u-7");
  EXPECT_EQ(body["store"], true);  // the default
  EXPECT_EQ(body["background"], false);
  EXPECT_TRUE(body["previous_response_id"].is_null()) << body;
  ASSERT_EQ(body["output"].size(), 1u) << body;
  const json& item = body["output"][0];
  EXPECT_EQ(item["type"], "message");
  EXPECT_EQ(item["id"], ItemId("msg", id, 0));
  EXPECT_EQ(item["role"], "assistant");
  EXPECT_EQ(item["status"], "completed");
  ASSERT_EQ(item["content"].size(), 1u) << body;
  EXPECT_EQ(item["content"][0]["type"], "output_text");
  const std::string text = OutputText(body);
  EXPECT_FALSE(text.empty());

  const json& usage = body["usage"];
  EXPECT_GT(usage["input_tokens"].get<int64_t>(), 0) << usage;
  EXPECT_EQ(usage["output_tokens"], 16) << usage;  // the simulator's default answer
  EXPECT_EQ(usage["total_tokens"].get<int64_t>(),
            usage["input_tokens"].get<int64_t>() + usage["output_tokens"].get<int64_t>());
  EXPECT_EQ(usage["input_tokens_details"]["cached_tokens"], 0) << usage;
  EXPECT_EQ(usage["output_tokens_details"]["reasoning_tokens"], 0) << usage;
  ASSERT_TRUE(usage["cost"].is_number()) << usage;
  EXPECT_GT(usage["cost"].get<double>(), 0);

  // What went upstream: a chat body, the instructions as its system message.
  const json upstream = LastUpstreamRequest(openai_sim_);
  EXPECT_EQ(upstream["target"], "/v1/chat/completions");
  const json sent = json::parse(upstream["body"].get<std::string>());
  EXPECT_EQ(sent["model"], "sim-model");
  EXPECT_EQ(sent["messages"], json::parse(R"([{"role":"system","content":"Be brief"},)"
                                          R"({"role":"user","content":"Say hello"}])"))
      << sent;
  EXPECT_EQ(sent["user"], "u-7");
  for (const char* member : {"input", "instructions", "store", "safety_identifier"}) {
    EXPECT_FALSE(sent.contains(member)) << member << ": " << sent;
  }
  EXPECT_EQ(Get(anthropic_sim_, "/sim/last-request").status, 404);

  const json record = Generation(id);
  EXPECT_EQ(record["api"], "responses");
  EXPECT_EQ(record["model"], "it/chat");
  EXPECT_EQ(record["provider_name"], "oai");
  EXPECT_EQ(record["streamed"], false);
  EXPECT_EQ(record["finish_reason"], "stop");
  EXPECT_EQ(record["user"], "u-7");
  EXPECT_EQ(record["native_tokens_prompt"], usage["input_tokens"]);
  EXPECT_EQ(record["native_tokens_completion"], usage["output_tokens"]);
  EXPECT_EQ(record["total_cost"].get<double>(), usage["cost"].get<double>());

  // Stored as created: GET returns the very same bytes; HEAD has its headers.
  const HttpResponse stored = GetStored(id);
  ASSERT_EQ(stored.status, 200) << stored.body;
  EXPECT_EQ(stored.body, response.body);
  const HttpResponse head = Request(port_, "HEAD", Cat({"/v1/responses/", id}), "");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.body, "");
}

TEST_F(ResponsesTest, WholeAnswerFromAnAnthropicEndpoint) {
  Start();
  const HttpResponse response =
      Responses(ResponsesBody("it/claude", R"("instructions":"Be brief")"));
  ASSERT_EQ(response.status, 200) << response.body;
  const std::string id = response.Header("x-generation-id");
  ASSERT_EQ(id.rfind("gen-", 0), 0u) << id;
  const json body = response.Json();
  EXPECT_EQ(body["id"], id);
  EXPECT_EQ(body["object"], "response");
  EXPECT_EQ(body["status"], "completed");
  EXPECT_EQ(body["model"], "it/claude");
  ASSERT_EQ(body["output"].size(), 1u) << body;
  EXPECT_EQ(body["output"][0]["type"], "message");
  EXPECT_EQ(body["output"][0]["status"], "completed");
  EXPECT_FALSE(OutputText(body).empty());
  const json& usage = body["usage"];
  EXPECT_GT(usage["input_tokens"].get<int64_t>(), 0) << usage;
  EXPECT_EQ(usage["output_tokens"], 16) << usage;
  EXPECT_EQ(usage["total_tokens"].get<int64_t>(),
            usage["input_tokens"].get<int64_t>() + usage["output_tokens"].get<int64_t>());

  // A Messages body went upstream, through the Anthropic adapter.
  const json upstream = LastUpstreamRequest(anthropic_sim_);
  EXPECT_EQ(upstream["target"], "/v1/messages");
  EXPECT_EQ(upstream["headers"]["x-api-key"], "sk-ant-upstream");
  const json sent = json::parse(upstream["body"].get<std::string>());
  EXPECT_EQ(sent["model"], "claude-sim");
  EXPECT_EQ(sent["max_tokens"], 4096);
  EXPECT_EQ(TextOf(sent["system"]), "Be brief") << sent;
  EXPECT_EQ(Roles(sent), std::vector<std::string>{"user"}) << sent;
  EXPECT_EQ(TextOf(sent["messages"][0]["content"]), "Say hello") << sent;
  EXPECT_EQ(Get(openai_sim_, "/sim/last-request").status, 404);

  const json record = Generation(id);
  EXPECT_EQ(record["api"], "responses");
  EXPECT_EQ(record["provider_name"], "anth");
  EXPECT_EQ(record["native_tokens_prompt"], usage["input_tokens"]);
  EXPECT_EQ(record["native_tokens_completion"], usage["output_tokens"]);
  EXPECT_EQ(record["total_cost"].get<double>(), usage["cost"].get<double>());
  EXPECT_EQ(GetStored(id).body, response.body);
}

TEST_F(ResponsesTest, CachedAndReasoningTokensFromAnOpenAiEndpoint) {
  Start();
  const json body = Created(ResponsesBody("it/chat-usage"));
  const json& usage = body["usage"];
  EXPECT_EQ(usage["input_tokens_details"]["cached_tokens"], 10) << usage;
  EXPECT_EQ(usage["output_tokens_details"]["reasoning_tokens"], 4) << usage;
  EXPECT_EQ(usage["output_tokens"], 20) << usage;  // 16 words + 4 reasoning tokens
  const json record = Generation(body["id"].get<std::string>());
  EXPECT_EQ(record["native_tokens_cached"], 10);
  EXPECT_EQ(record["native_tokens_reasoning"], 4);
  EXPECT_EQ(record["total_cost"].get<double>(), usage["cost"].get<double>());
}

TEST_F(ResponsesTest, CacheUsageFromAnAnthropicEndpointIsPricedExactly) {
  Start();
  // 80 bytes of prompt: the simulator estimates 20 prompt tokens and reports
  // cache_read_input_tokens 10, cache_creation_input_tokens 5, input_tokens 5, output_tokens 16.
  // Responses counts cache reads and writes in input_tokens: 20.
  //   prompt       5 x  3,000 =  15,000 nano-USD
  //   cached_read 10 x    300 =   3,000
  //   cache_write  5 x  3,750 =  18,750
  //   completion  16 x 15,000 = 240,000
  //   total                     276,750 nano-USD = USD 0.00027675
  std::string body = R"({"model":"it/claude-cache","input":")";
  body += std::string(80, 'x');
  body += R"("})";
  const HttpResponse response = Responses(body);
  ASSERT_EQ(response.status, 200) << response.body;
  const json usage = response.Json()["usage"];
  EXPECT_EQ(usage["input_tokens"], 20) << usage;
  EXPECT_EQ(usage["input_tokens_details"]["cached_tokens"], 10) << usage;
  EXPECT_EQ(usage["output_tokens"], 16) << usage;
  EXPECT_EQ(usage["total_tokens"], 36) << usage;
  EXPECT_DOUBLE_EQ(usage["cost"].get<double>(), 0.00027675);
  const json record = Generation(response.Header("x-generation-id"));
  EXPECT_EQ(record["native_tokens_prompt"], 20);
  EXPECT_EQ(record["native_tokens_cached"], 10);
  EXPECT_EQ(record["native_tokens_cache_write"], 5);
  EXPECT_DOUBLE_EQ(record["total_cost"].get<double>(), 0.00027675);
}

// --- Streams ------------------------------------------------------------------------------------

void ResponsesTest::ExpectTextStream(const std::string& model, const std::string& provider) {
  const json whole = Created(ResponsesBody(model));
  const StreamResponse stream = ResponsesStream(StreamBody(model));
  ASSERT_EQ(stream.status, 200) << stream.body;
  EXPECT_TRUE(stream.complete);
  EXPECT_EQ(HeaderOf(stream, "content-type"), "text/event-stream");
  const std::string id = HeaderOf(stream, "x-generation-id");
  ASSERT_EQ(id.rfind("gen-", 0), 0u) << id;
  const std::vector<json> events = ResponseEvents(stream);
  ASSERT_FALSE(events.empty()) << stream.body;
  EXPECT_EQ(
      CollapsedTypes(events),
      (std::vector<std::string>{
          "response.created", "response.in_progress", "response.output_item.added",
          "response.content_part.added", "response.output_text.delta", "response.output_text.done",
          "response.content_part.done", "response.output_item.done", "response.completed"}))
      << stream.body;

  const json created = events[0]["response"];
  EXPECT_EQ(created["id"], id);
  EXPECT_EQ(created["object"], "response");
  EXPECT_EQ(created["status"], "in_progress");
  EXPECT_EQ(created["model"], model);
  EXPECT_EQ(created["output"], json::array());
  EXPECT_TRUE(created["usage"].is_null()) << created;
  EXPECT_EQ(events[1]["response"]["id"], id);

  const std::vector<json> added = OfType(events, "response.output_item.added");
  ASSERT_EQ(added.size(), 1u);
  const json item_id = added[0]["item"]["id"];
  EXPECT_EQ(added[0]["output_index"], 0);
  EXPECT_EQ(added[0]["item"]["type"], "message");
  EXPECT_EQ(added[0]["item"]["status"], "in_progress");
  const std::vector<json> deltas = OfType(events, "response.output_text.delta");
  EXPECT_EQ(deltas.size(), 16u) << stream.body;  // one per simulator word
  std::string text;
  for (const json& delta : deltas) {
    EXPECT_EQ(delta["item_id"], item_id);
    EXPECT_EQ(delta["output_index"], 0);
    EXPECT_EQ(delta["content_index"], 0);
    text += delta["delta"].get<std::string>();
  }
  EXPECT_EQ(text, OutputText(whole));  // the same words, streamed or not
  EXPECT_EQ(OfType(events, "response.output_text.done")[0]["text"], text);
  EXPECT_EQ(OfType(events, "response.content_part.done")[0]["part"]["text"], text);
  const json done_item = OfType(events, "response.output_item.done")[0]["item"];
  EXPECT_EQ(done_item["id"], item_id);
  EXPECT_EQ(done_item["status"], "completed");

  const json completed = events.back()["response"];
  EXPECT_EQ(completed["id"], id);
  EXPECT_EQ(completed["status"], "completed");
  EXPECT_EQ(completed["model"], model);
  EXPECT_EQ(OutputText(completed), text);
  ASSERT_EQ(completed["output"].size(), 1u) << completed;
  EXPECT_EQ(completed["output"][0], done_item);
  const json& usage = completed["usage"];
  EXPECT_EQ(usage["input_tokens"], whole["usage"]["input_tokens"]) << usage;
  EXPECT_EQ(usage["output_tokens"], 16) << usage;
  EXPECT_EQ(usage["total_tokens"].get<int64_t>(),
            usage["input_tokens"].get<int64_t>() + usage["output_tokens"].get<int64_t>());
  ASSERT_TRUE(usage["cost"].is_number()) << usage;
  EXPECT_GT(usage["cost"].get<double>(), 0);

  const json record = Generation(id);
  EXPECT_EQ(record["api"], "responses");
  EXPECT_EQ(record["streamed"], true);
  EXPECT_EQ(record["provider_name"], provider);
  EXPECT_EQ(record["total_cost"].get<double>(), usage["cost"].get<double>());
  EXPECT_EQ(record["native_tokens_completion"], usage["output_tokens"]);

  // The completed object is what GET returns.
  const HttpResponse stored = GetStored(id);
  ASSERT_EQ(stored.status, 200) << stored.body;
  EXPECT_EQ(stored.Json(), completed);
}

TEST_F(ResponsesTest, StreamFromAnOpenAiEndpoint) {
  Start();
  ExpectTextStream("it/chat", "oai");
  const json sent = UpstreamBody(openai_sim_);
  EXPECT_EQ(sent["stream"], true);
  EXPECT_EQ(sent["stream_options"]["include_usage"], true);
}

TEST_F(ResponsesTest, StreamFromAnAnthropicEndpoint) {
  Start();
  ExpectTextStream("it/claude", "anth");
  const json upstream = LastUpstreamRequest(anthropic_sim_);
  EXPECT_EQ(upstream["target"], "/v1/messages");
  EXPECT_EQ(json::parse(upstream["body"].get<std::string>())["stream"], true);
}

// --- Function tools -----------------------------------------------------------------------------

json ResponsesTest::ExpectToolTurn(const std::string& model, const std::string& call_id_prefix,
                                   int sim) {
  std::string first_body = R"({"model":")";
  first_body += model;
  first_body += R"(","input":[{"role":"user","content":"Weather in Paris?"}],)";
  first_body += ToolsField();
  first_body += "}";
  const json first = Created(first_body);
  EXPECT_EQ(first["status"], "completed");
  EXPECT_EQ(first["output"].size(), 1u) << first;
  if (first["output"].size() != 1u) return json::object();
  const json call = first["output"][0];
  EXPECT_EQ(call["type"], "function_call");
  EXPECT_EQ(call["id"], ItemId("fc", first["id"].get<std::string>(), 0));
  EXPECT_EQ(call["status"], "completed");
  EXPECT_EQ(call["name"], "get_weather");
  const std::string call_id = call.value("call_id", "");
  EXPECT_EQ(call_id.rfind(call_id_prefix, 0), 0u) << call;
  const json arguments = json::parse(call.value("arguments", ""), nullptr, false);
  EXPECT_TRUE(arguments.is_object() && arguments.size() == 1u && arguments["city"].is_string())
      << call;
  EXPECT_EQ(OutputText(first), "");
  EXPECT_EQ(Generation(first["id"].get<std::string>())["finish_reason"], "tool_calls");

  // The whole history back, as a stateless client sends it: the call item as it came, then
  // its output. The simulator ends a tool loop with text.
  json second_request = {
      {"model", model},
      {"input",
       json::array(
           {{{"role", "user"}, {"content", "Weather in Paris?"}},
            call,
            {{"type", "function_call_output"}, {"call_id", call_id}, {"output", "Sunny, 21 C"}}})},
      {"tools", json::array({json::parse(kWeatherTool)})}};
  const json second = Created(second_request.dump());
  EXPECT_EQ(second["status"], "completed");
  EXPECT_EQ(second["output"].size(), 1u) << second;
  EXPECT_FALSE(OutputText(second).empty()) << second;
  return UpstreamBody(sim);
}

TEST_F(ResponsesTest, FunctionCallAndItsOutputThroughAnOpenAiEndpoint) {
  Start();
  const json sent = ExpectToolTurn("it/chat-tools", "call_sim_", openai_sim_);
  // The chat body: the assistant's call, then a tool message with the output.
  ASSERT_EQ(Roles(sent), (std::vector<std::string>{"user", "assistant", "tool"})) << sent;
  const json& assistant = sent["messages"][1];
  ASSERT_EQ(assistant["tool_calls"].size(), 1u) << sent;
  const std::string call_id = assistant["tool_calls"][0]["id"];
  EXPECT_EQ(call_id.rfind("call_sim_", 0), 0u) << sent;
  EXPECT_EQ(assistant["tool_calls"][0]["function"]["name"], "get_weather");
  const json& tool = sent["messages"][2];
  EXPECT_EQ(tool["tool_call_id"], call_id);
  EXPECT_EQ(tool["content"], "Sunny, 21 C");
  ASSERT_EQ(sent["tools"].size(), 1u) << sent;
}

TEST_F(ResponsesTest, FunctionCallAndItsOutputThroughAnAnthropicEndpoint) {
  Start();
  const json sent = ExpectToolTurn("it/claude-tools", "toolu_sim_", anthropic_sim_);
  // The Messages body: a tool_use block, then a user message with the tool_result.
  ASSERT_EQ(Roles(sent), (std::vector<std::string>{"user", "assistant", "user"})) << sent;
  const json& assistant = sent["messages"][1]["content"];
  ASSERT_TRUE(assistant.is_array() && !assistant.empty()) << sent;
  const json& tool_use = assistant.back();
  EXPECT_EQ(tool_use["type"], "tool_use") << sent;
  EXPECT_EQ(tool_use["name"], "get_weather");
  const std::string call_id = tool_use.value("id", "");
  EXPECT_EQ(call_id.rfind("toolu_sim_", 0), 0u) << sent;
  const json& result = sent["messages"][2]["content"];
  ASSERT_TRUE(result.is_array() && !result.empty()) << sent;
  EXPECT_EQ(result[0]["type"], "tool_result") << sent;
  EXPECT_EQ(result[0]["tool_use_id"], call_id);
  EXPECT_EQ(TextOf(result[0]["content"]), "Sunny, 21 C") << sent;
}

TEST_F(ResponsesTest, FunctionCallStream) {
  Start();
  std::string body = R"({"model":"it/chat-tools","stream":true,"input":"Weather in Paris?",)";
  body += ToolsField();
  body += "}";
  const StreamResponse stream = ResponsesStream(body);
  ASSERT_EQ(stream.status, 200) << stream.body;
  const std::vector<json> events = ResponseEvents(stream);
  EXPECT_EQ(CollapsedTypes(events),
            (std::vector<std::string>{
                "response.created", "response.in_progress", "response.output_item.added",
                "response.function_call_arguments.delta", "response.function_call_arguments.done",
                "response.output_item.done", "response.completed"}))
      << stream.body;
  const std::vector<json> added = OfType(events, "response.output_item.added");
  ASSERT_EQ(added.size(), 1u) << stream.body;
  EXPECT_EQ(added[0]["item"]["type"], "function_call");
  EXPECT_EQ(added[0]["item"]["name"], "get_weather");
  EXPECT_EQ(added[0]["item"]["arguments"], "");
  std::string arguments;
  for (const json& delta : OfType(events, "response.function_call_arguments.delta")) {
    EXPECT_EQ(delta["item_id"], added[0]["item"]["id"]);
    arguments += delta["delta"].get<std::string>();
  }
  const json parsed = json::parse(arguments, nullptr, false);
  EXPECT_TRUE(parsed.is_object() && parsed["city"].is_string()) << arguments;
  EXPECT_EQ(OfType(events, "response.function_call_arguments.done")[0]["arguments"], arguments);
  const json done = OfType(events, "response.output_item.done")[0]["item"];
  EXPECT_EQ(done["arguments"], arguments);
  EXPECT_EQ(done["call_id"], added[0]["item"]["call_id"]);
  EXPECT_EQ(done["status"], "completed");
  const json completed = events.back()["response"];
  EXPECT_EQ(completed["status"], "completed");
  ASSERT_EQ(completed["output"].size(), 1u);
  EXPECT_EQ(completed["output"][0], done);
}

// --- Stored conversations -----------------------------------------------------------------------

TEST_F(ResponsesTest, PreviousResponseIdPrependsTheStoredTurnWithoutItsInstructions) {
  Start();
  const json first =
      Created(R"({"model":"it/chat","instructions":"Be brief","input":"First question"})");
  const std::string first_id = first["id"];
  const std::string first_text = OutputText(first);
  ASSERT_FALSE(first_text.empty());

  const std::string second_body = Cat({R"({"model":"it/chat","input":"Second question",)",
                                       R"("previous_response_id":")", first_id, R"("})"});
  const json second = Created(second_body);
  EXPECT_EQ(second["status"], "completed");
  EXPECT_EQ(second["previous_response_id"], first_id);
  EXPECT_TRUE(second["instructions"].is_null()) << second;
  // The upstream got the earlier turn, then the new input; the earlier instructions are not
  // carried over (OpenAI's rule).
  json expected = json::array();
  expected.push_back({{"role", "user"}, {"content", "First question"}});
  expected.push_back({{"role", "assistant"}, {"content", first_text}});
  expected.push_back({{"role", "user"}, {"content", "Second question"}});
  EXPECT_EQ(UpstreamBody(openai_sim_)["messages"], expected);

  // A third turn continues the second (the whole chain), with instructions of its own, streamed.
  const std::string third_body =
      Cat({R"({"model":"it/chat","stream":true,"input":"Third question",)",
           R"("instructions":"Answer in French","previous_response_id":")",
           second["id"].get<std::string>(), R"("})"});
  const StreamResponse third = ResponsesStream(third_body);
  ASSERT_EQ(third.status, 200) << third.body;
  const std::vector<json> events = ResponseEvents(third);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back()["type"], "response.completed") << third.body;
  expected.push_back({{"role", "assistant"}, {"content", OutputText(second)}});
  expected.push_back({{"role", "user"}, {"content", "Third question"}});
  expected.insert(expected.begin(), json{{"role", "system"}, {"content", "Answer in French"}});
  EXPECT_EQ(UpstreamBody(openai_sim_)["messages"], expected);

  // The streamed turn was stored too: a fourth turn continues it.
  const std::string third_id = events.back()["response"]["id"];
  const std::string fourth_body = Cat({R"({"model":"it/claude","input":"Fourth question",)",
                                       R"("previous_response_id":")", third_id, R"("})"});
  const json fourth = Created(fourth_body);
  EXPECT_EQ(fourth["previous_response_id"], third_id);
  const json sent = UpstreamBody(anthropic_sim_);
  EXPECT_EQ(Roles(sent), (std::vector<std::string>{"user", "assistant", "user", "assistant", "user",
                                                   "assistant", "user"}))
      << sent;
  EXPECT_FALSE(sent.contains("system")) << sent;
  EXPECT_EQ(TextOf(sent["messages"][5]["content"]), OutputText(events.back()["response"]));
  EXPECT_EQ(TextOf(sent["messages"][6]["content"]), "Fourth question");
}

TEST_F(ResponsesTest, PreviousResponseIdContinuesAToolTurnWithOnlyTheOutput) {
  Start();
  std::string body = R"({"model":"it/chat-tools","input":"Weather in Paris?",)";
  body += ToolsField();
  body += "}";
  const json call = Created(body);
  ASSERT_EQ(call["output"].size(), 1u) << call;
  const std::string call_id = call["output"][0]["call_id"];
  json next = {
      {"model", "it/chat-tools"},
      {"previous_response_id", call["id"]},
      {"input",
       json::array(
           {{{"type", "function_call_output"}, {"call_id", call_id}, {"output", "Sunny, 21 C"}}})},
      {"tools", json::array({json::parse(kWeatherTool)})}};
  const json answered = Created(next.dump());
  EXPECT_EQ(answered["status"], "completed");
  EXPECT_FALSE(OutputText(answered).empty()) << answered;
  const json sent = UpstreamBody(openai_sim_);
  ASSERT_EQ(Roles(sent), (std::vector<std::string>{"user", "assistant", "tool"})) << sent;
  EXPECT_EQ(sent["messages"][0]["content"], "Weather in Paris?");
  EXPECT_EQ(sent["messages"][1]["tool_calls"][0]["id"], call_id);
  EXPECT_EQ(sent["messages"][1]["tool_calls"][0]["function"]["arguments"],
            call["output"][0]["arguments"]);
  EXPECT_EQ(sent["messages"][2]["tool_call_id"], call_id);
  EXPECT_EQ(sent["messages"][2]["content"], "Sunny, 21 C");
}

TEST_F(ResponsesTest, PreviousResponseIdWithoutInputRepliesToTheStoredConversation) {
  Start();
  const json first = Created(ResponsesBody("it/chat"));
  json next = {{"model", "it/chat"}, {"previous_response_id", first["id"]}};
  const json answered = Created(next.dump());
  EXPECT_EQ(answered["status"], "completed");
  const json sent = UpstreamBody(openai_sim_);
  EXPECT_EQ(Roles(sent), (std::vector<std::string>{"user", "assistant"})) << sent;
  // An unknown id is the 404 it is with an input.
  const std::string unknown =
      Rejected(R"({"model":"it/chat","previous_response_id":"gen-unknown"})", 404);
  EXPECT_TRUE(Contains(unknown, "no response found with id \"gen-unknown\"")) << unknown;
}

TEST_F(ResponsesTest, DeleteMakesAStoredResponseUnknownEverywhere) {
  Start();
  const HttpResponse created = Responses(ResponsesBody("it/chat"));
  ASSERT_EQ(created.status, 200) << created.body;
  const std::string id = created.Json()["id"];
  EXPECT_EQ(GetStored(id).body, created.body);

  const HttpResponse deleted = DeleteStored(id);
  ASSERT_EQ(deleted.status, 200) << deleted.body;
  EXPECT_EQ(deleted.Json(), json({{"id", id}, {"object", "response.deleted"}, {"deleted", true}}));

  EXPECT_EQ(ErrorText(OpenAiError(GetStored(id), 404)), NotFoundMessage(id));
  EXPECT_EQ(ErrorText(OpenAiError(DeleteStored(id), 404)), NotFoundMessage(id));
  const std::string next =
      Cat({R"({"model":"it/chat","input":"more","previous_response_id":")", id, R"("})"});
  EXPECT_EQ(Rejected(next, 404), PreviousNotFoundMessage(id));
  // The usage record stays.
  EXPECT_EQ(Generation(id)["api"], "responses");
}

TEST_F(ResponsesTest, StoreFalseAnswersButKeepsNothing) {
  Start();
  const json created = Created(ResponsesBody("it/chat", R"("store":false)"));
  EXPECT_EQ(created["store"], false);
  EXPECT_EQ(created["status"], "completed");
  const std::string id = created["id"];
  EXPECT_EQ(ErrorText(OpenAiError(GetStored(id), 404)), NotFoundMessage(id));
  const std::string next =
      Cat({R"({"model":"it/chat","input":"more","previous_response_id":")", id, R"("})"});
  EXPECT_EQ(Rejected(next, 404), PreviousNotFoundMessage(id));

  // Streamed alike.
  const StreamResponse stream = ResponsesStream(StreamBody("it/claude", R"("store":false)"));
  ASSERT_EQ(stream.status, 200) << stream.body;
  const std::vector<json> events = ResponseEvents(stream);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back()["type"], "response.completed");
  EXPECT_EQ(events.back()["response"]["store"], false);
  OpenAiError(GetStored(events.back()["response"]["id"].get<std::string>()), 404);
  // The usage is recorded all the same.
  EXPECT_EQ(Generation(id)["api"], "responses");
}

TEST_F(ResponsesTest, AnotherKeysResponseIsReportedLikeAnUnknownOne) {
  setenv("IT_RESPONSES_KEY_1", "responses-key-one", 1);
  setenv("IT_RESPONSES_KEY_2", "responses-key-two", 1);
  Start("  auth:\n    keys: [\"${IT_RESPONSES_KEY_1}\", \"${IT_RESPONSES_KEY_2}\"]\n");
  const Headers owner = {{"Authorization", "Bearer responses-key-one"}};
  const Headers other = {{"Authorization", "Bearer responses-key-two"}};
  OpenAiError(Responses(ResponsesBody("it/chat")), 401);  // no key

  const HttpResponse created = Responses(ResponsesBody("it/chat"), owner);
  ASSERT_EQ(created.status, 200) << created.body;
  const std::string id = created.Json()["id"];

  EXPECT_EQ(ErrorText(OpenAiError(GetStored(id, other), 404)), NotFoundMessage(id));
  EXPECT_EQ(ErrorText(OpenAiError(DeleteStored(id, other), 404)), NotFoundMessage(id));
  const std::string next =
      Cat({R"({"model":"it/chat","input":"more","previous_response_id":")", id, R"("})"});
  EXPECT_EQ(ErrorText(OpenAiError(Responses(next, other), 404)), PreviousNotFoundMessage(id));
  OpenAiError(GetStored(id), 401);  // no key at all

  // The owner still has it, and continues it.
  const HttpResponse mine = GetStored(id, owner);
  ASSERT_EQ(mine.status, 200) << mine.body;
  EXPECT_EQ(mine.body, created.body);
  EXPECT_EQ(Responses(next, owner).status, 200);
  EXPECT_EQ(DeleteStored(id, owner).status, 200);
}

// --- max_output_tokens --------------------------------------------------------------------------

TEST_F(ResponsesTest, MaxOutputTokensCutIsAnIncompleteResponse) {
  Start();
  for (const std::string model : {"it/chat", "it/claude"}) {
    const json cut = Created(ResponsesBody(model, R"("max_output_tokens":4)"));
    EXPECT_EQ(cut["status"], "incomplete") << model << ": " << cut;
    EXPECT_EQ(cut["incomplete_details"], json({{"reason", "max_output_tokens"}})) << cut;
    EXPECT_EQ(cut["max_output_tokens"], 4);
    EXPECT_EQ(cut["usage"]["output_tokens"], 4) << cut;
    ASSERT_EQ(cut["output"].size(), 1u) << cut;
    EXPECT_EQ(cut["output"][0]["status"], "incomplete") << cut;
    const json whole = Created(ResponsesBody(model));
    EXPECT_EQ(whole["status"], "completed");
    EXPECT_EQ(OutputText(whole).rfind(OutputText(cut), 0), 0u)  // a prefix of the whole answer
        << OutputText(cut) << " | " << OutputText(whole);
    const json record = Generation(cut["id"].get<std::string>());
    EXPECT_EQ(record["finish_reason"], "length");

    const StreamResponse stream = ResponsesStream(StreamBody(model, R"("max_output_tokens":4)"));
    ASSERT_EQ(stream.status, 200) << stream.body;
    const std::vector<json> events = ResponseEvents(stream);
    ASSERT_FALSE(events.empty());
    const json& last = events.back();
    EXPECT_EQ(last["type"], "response.incomplete") << stream.body;
    EXPECT_EQ(last["response"]["status"], "incomplete");
    EXPECT_EQ(last["response"]["incomplete_details"], json({{"reason", "max_output_tokens"}}));
    EXPECT_EQ(OutputText(last["response"]), OutputText(cut));
    EXPECT_EQ(OfType(events, "response.completed").size(), 0u);
    EXPECT_EQ(GetStored(last["response"]["id"].get<std::string>()).Json(), last["response"]);
  }
  // The limit went upstream as max_tokens (chat) and max_tokens (Messages).
  Created(ResponsesBody("it/chat", R"("max_output_tokens":7)"));
  EXPECT_EQ(UpstreamBody(openai_sim_)["max_tokens"], 7);
  EXPECT_FALSE(UpstreamBody(openai_sim_).contains("max_output_tokens"));
  Created(ResponsesBody("it/claude", R"("max_output_tokens":7)"));
  EXPECT_EQ(UpstreamBody(anthropic_sim_)["max_tokens"], 7);
}

// --- Upstream failures --------------------------------------------------------------------------

TEST_F(ResponsesTest, Upstream429BeforeTheFirstByteIs429) {
  Start();
  for (const auto& [model, provider] : std::vector<std::pair<std::string, std::string>>{
           {"it/chat-limited", "oai"}, {"it/claude-limited", "anth"}}) {
    const HttpResponse response = Responses(ResponsesBody(model));
    const json error = OpenAiError(response, 429);
    EXPECT_EQ(response.Header("retry-after"), "1") << model;
    const std::string id = response.Header("x-generation-id");
    EXPECT_EQ(id.rfind("gen-", 0), 0u) << id;
    EXPECT_EQ(error["metadata"]["provider_name"], provider) << error;
    EXPECT_TRUE(error["metadata"].contains("raw")) << error;
    const json record = Generation(id);
    EXPECT_EQ(record["api"], "responses");
    EXPECT_EQ(record["http_status"], 429);
    EXPECT_EQ(record["total_cost"].get<double>(), 0.0);
    OpenAiError(GetStored(id), 404);  // nothing stored

    // Streamed: the same HTTP error, no event stream.
    const StreamResponse stream = ResponsesStream(StreamBody(model));
    EXPECT_EQ(stream.status, 429) << stream.body;
    const json body = json::parse(stream.body, nullptr, false);
    ASSERT_TRUE(body.is_object()) << stream.body;
    EXPECT_EQ(body["error"]["code"], 429) << stream.body;
  }
}

TEST_F(ResponsesTest, UnavailableUpstreamBeforeTheFirstByteIsA5xx) {
  Start();
  // An OpenAI-compatible 503 is the gateway's 502 naming it; Anthropic's 529 (overloaded) a 503.
  const json unavailable = OpenAiError(Responses(ResponsesBody("it/chat-unavailable")), 502);
  EXPECT_TRUE(Contains(ErrorText(unavailable), "HTTP 503")) << unavailable;
  EXPECT_EQ(unavailable["metadata"]["provider_name"], "oai");
  const json busy = OpenAiError(Responses(ResponsesBody("it/claude-busy")), 503);
  EXPECT_EQ(busy["metadata"]["provider_name"], "anth");
  ASSERT_TRUE(busy["metadata"].contains("raw")) << busy;
  EXPECT_TRUE(Contains(busy["metadata"]["raw"].get<std::string>(), "overloaded_error")) << busy;
}

void ResponsesTest::ExpectMidStreamFailure(const std::string& model) {
  const StreamResponse stream = ResponsesStream(StreamBody(model));
  ASSERT_EQ(stream.status, 200) << stream.body;
  EXPECT_TRUE(stream.complete);
  const std::vector<json> events = ResponseEvents(stream);
  ASSERT_GE(events.size(), 3u) << stream.body;
  EXPECT_EQ(events.front()["type"], "response.created");
  EXPECT_EQ(OfType(events, "response.output_text.delta").size(), 2u) << stream.body;
  EXPECT_EQ(OfType(events, "response.completed").size(), 0u) << stream.body;
  EXPECT_EQ(OfType(events, "error").size(), 0u) << stream.body;  // response.failed only
  const json& last = events.back();
  ASSERT_EQ(last["type"], "response.failed") << stream.body;
  const json& response = last["response"];
  EXPECT_EQ(response["id"], events.front()["response"]["id"]);
  EXPECT_EQ(response["status"], "failed");
  EXPECT_EQ(response["error"]["code"], "server_error") << last;
  ASSERT_TRUE(response["error"]["message"].is_string()) << last;
  EXPECT_FALSE(response["error"]["message"].get<std::string>().empty());
  const std::string id = HeaderOf(stream, "x-generation-id");
  EXPECT_EQ(response["id"], id);
  const json record = Generation(id);
  EXPECT_EQ(record["api"], "responses");
  EXPECT_EQ(record["finish_reason"], "error");
}

TEST_F(ResponsesTest, MidStreamFailureOfAnOpenAiEndpointEndsWithResponseFailed) {
  Start();
  ExpectMidStreamFailure("it/chat-fault");
}

TEST_F(ResponsesTest, MidStreamFailureOfAnAnthropicEndpointEndsWithResponseFailed) {
  Start();
  ExpectMidStreamFailure("it/claude-fault");
}

TEST_F(ResponsesTest, FailureAfterKeepAlivesButBeforeResponseCreatedIsABareErrorEvent) {
  // Keep-alives commit the 200 while the provider is silent; its first-byte timeout then ends
  // the stream with an `error` event, as no response.created went out.
  Start("  stream_keepalive_ms: 20\n");
  const StreamResponse stream = ResponsesStream(StreamBody("it/chat-silent"));
  ASSERT_EQ(stream.status, 200) << stream.body;
  EXPECT_TRUE(stream.complete);
  EXPECT_GT(stream.comments_before_first_event, 0u) << stream.body;
  const std::vector<json> events = ResponseEvents(stream);
  ASSERT_EQ(events.size(), 1u) << stream.body;
  EXPECT_EQ(events[0]["type"], "error");
  EXPECT_EQ(events[0]["code"], "server_error") << stream.body;
  EXPECT_TRUE(events[0]["param"].is_null()) << stream.body;
  ASSERT_TRUE(events[0]["message"].is_string()) << stream.body;
  EXPECT_FALSE(events[0]["message"].get<std::string>().empty());
}

// --- Failover -----------------------------------------------------------------------------------

TEST_F(ResponsesTest, FailoverFromAnOverloadedAnthropicEndpointToAnOpenAiOne) {
  Start();
  const std::string order = R"("provider":{"order":["anth","oai"]})";
  const HttpResponse response = Responses(ResponsesBody("it/fallback", order));
  ASSERT_EQ(response.status, 200) << response.body;
  const json body = response.Json();
  EXPECT_EQ(body["status"], "completed");
  EXPECT_EQ(body["model"], "it/fallback");
  EXPECT_FALSE(OutputText(body).empty());
  const json record = Generation(body["id"].get<std::string>());
  EXPECT_EQ(record["api"], "responses");
  EXPECT_EQ(record["provider_name"], "oai");
  ASSERT_EQ(record["provider_responses"].size(), 2u) << record;
  EXPECT_EQ(record["provider_responses"][0]["provider_name"], "anth");
  EXPECT_EQ(record["provider_responses"][0]["status"], 529);
  EXPECT_EQ(record["provider_responses"][1]["status"], 200);
  // Both endpoints got the request: a Messages body, then a chat body.
  EXPECT_EQ(LastUpstreamRequest(anthropic_sim_)["target"], "/v1/messages");
  EXPECT_EQ(LastUpstreamRequest(openai_sim_)["target"], "/v1/chat/completions");

  // Streamed: the failed attempt wrote nothing; the stream is the second endpoint's, whole.
  const StreamResponse stream = ResponsesStream(StreamBody("it/fallback", order));
  ASSERT_EQ(stream.status, 200) << stream.body;
  const std::vector<json> events = ResponseEvents(stream);
  ASSERT_FALSE(events.empty()) << stream.body;
  EXPECT_EQ(OfType(events, "response.created").size(), 1u) << stream.body;
  EXPECT_EQ(events.back()["type"], "response.completed") << stream.body;
  EXPECT_EQ(OutputText(events.back()["response"]), OutputText(body));
  EXPECT_EQ(Generation(HeaderOf(stream, "x-generation-id"))["provider_name"], "oai");
}

// --- The /api/v1 alias --------------------------------------------------------------------------

TEST_F(ResponsesTest, ApiV1AliasServesEveryResponsesRoute) {
  Start();
  const HttpResponse created = Post(port_, "/api/v1/responses", ResponsesBody("it/chat"));
  ASSERT_EQ(created.status, 200) << created.body;
  const std::string id = created.Json()["id"];
  EXPECT_EQ(created.Json()["object"], "response");
  const std::string alias = Cat({"/api/v1/responses/", id});
  const HttpResponse got = Get(port_, alias);
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.body, created.body);
  EXPECT_EQ(GetStored(id).body, created.body);  // one store behind both paths

  const StreamResponse stream = PostStream(port_, "/api/v1/responses", StreamBody("it/claude"));
  ASSERT_EQ(stream.status, 200) << stream.body;
  const std::vector<json> events = ResponseEvents(stream);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back()["type"], "response.completed");

  OpenAiError(Post(port_, "/api/v1/responses", R"({"model":"it/chat"})"), 400);
  const HttpResponse wrong = Request(port_, "PUT", alias, "{}");
  OpenAiError(wrong, 405);
  EXPECT_EQ(wrong.Header("allow"), "GET, HEAD, DELETE");
  const HttpResponse deleted = Request(port_, "DELETE", alias, "");
  ASSERT_EQ(deleted.status, 200) << deleted.body;
  EXPECT_EQ(deleted.Json()["deleted"], true);
  OpenAiError(Get(port_, alias), 404);
  OpenAiError(GetStored(id), 404);
}

// --- Native passthrough: an `api: openai-responses` endpoint ------------------------------------

TEST_F(ResponsesTest, NativeWholeAnswerIsStampedPricedAndStored) {
  Start();
  const HttpResponse created = Responses(
      R"({"model":"it/native-usage","input":"Say hello","instructions":"Be brief","provider":{"allow_fallbacks":true}})");
  ASSERT_EQ(created.status, 200) << created.body;
  const json response = created.Json();
  const std::string id = created.Header("x-generation-id");
  EXPECT_EQ(response["id"], id);
  EXPECT_EQ(response["model"], "it/native-usage");
  EXPECT_EQ(response["object"], "response");
  EXPECT_FALSE(OutputText(response).empty()) << response;
  // The upstream got the Responses body itself, with its own model name and without the
  // router's fields.
  const json upstream = LastUpstreamRequest(openai_sim_);
  EXPECT_EQ(upstream["target"], "/v1/responses");
  const json sent = json::parse(upstream["body"].get<std::string>());
  EXPECT_EQ(sent["model"], "sim-native?cached_tokens=10&reasoning_tokens=4");
  EXPECT_EQ(sent["input"], "Say hello");
  EXPECT_EQ(sent["instructions"], "Be brief");
  EXPECT_FALSE(sent.contains("provider"));
  // Usage as the upstream reported it, plus the exact cost of the generation record.
  const json& usage = response["usage"];
  EXPECT_EQ(usage["input_tokens_details"]["cached_tokens"], 10);
  EXPECT_EQ(usage["output_tokens_details"]["reasoning_tokens"], 4);
  const json record = Generation(id);
  EXPECT_EQ(record["api"], "responses");
  EXPECT_EQ(record["provider_name"], "native");
  EXPECT_EQ(record["native_tokens_prompt"], usage["input_tokens"]);
  EXPECT_EQ(record["native_tokens_completion"], usage["output_tokens"]);
  EXPECT_EQ(record["native_tokens_cached"], 10);
  EXPECT_DOUBLE_EQ(usage["cost"].get<double>(), record["total_cost"].get<double>());
  const HttpResponse got = GetStored(id);
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.body, created.body);
}

TEST_F(ResponsesTest, NativeStreamEndsWithThePricedCompletedEventAndIsStored) {
  Start();
  const StreamResponse stream = ResponsesStream(StreamBody("it/native"));
  ASSERT_EQ(stream.status, 200) << stream.body;
  const std::string id = HeaderOf(stream, "x-generation-id");
  const std::vector<json> events = ResponseEvents(stream);
  ASSERT_GE(events.size(), 4u) << stream.body;
  for (size_t i = 0; i < events.size(); ++i) EXPECT_EQ(events[i]["sequence_number"], i);
  EXPECT_EQ(events.front()["type"], "response.created");
  EXPECT_EQ(events.front()["response"]["id"], id);
  EXPECT_EQ(events.front()["response"]["model"], "it/native");
  EXPECT_FALSE(OfType(events, "response.output_text.delta").empty());
  const json& completed = events.back();
  ASSERT_EQ(completed["type"], "response.completed");
  EXPECT_EQ(completed["response"]["id"], id);
  EXPECT_FALSE(OutputText(completed["response"]).empty());
  const json record = Generation(id);
  EXPECT_EQ(record["api"], "responses");
  EXPECT_TRUE(record["streamed"].get<bool>());
  EXPECT_DOUBLE_EQ(completed["response"]["usage"]["cost"].get<double>(),
                   record["total_cost"].get<double>());
  EXPECT_EQ(record["native_tokens_completion"], completed["response"]["usage"]["output_tokens"]);
  const HttpResponse got = GetStored(id);
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.Json(), completed["response"]);
}

TEST_F(ResponsesTest, NativeContinuationSendsTheWholeConversationUpstream) {
  Start();
  const json first = Created(ResponsesBody("it/native"));
  const json next = {
      {"model", "it/native"}, {"previous_response_id", first["id"]}, {"input", "And again"}};
  const json second = Created(next.dump());
  EXPECT_EQ(second["status"], "completed");
  const json sent = UpstreamBody(openai_sim_);
  EXPECT_FALSE(sent.contains("previous_response_id")) << sent;
  ASSERT_TRUE(sent["input"].is_array()) << sent;
  ASSERT_EQ(sent["input"].size(), 3u) << sent;
  EXPECT_EQ(sent["input"][0]["role"], "user");
  EXPECT_EQ(sent["input"][1]["type"], "message");  // the first answer's output item
  EXPECT_EQ(sent["input"][1]["role"], "assistant");
  EXPECT_EQ(sent["input"][2]["content"][0]["text"], "And again");
}

TEST_F(ResponsesTest, NativeFunctionCallComesBackAsItCame) {
  Start();
  std::string body = R"({"model":"it/native-tools","input":"Weather in Paris?",)";
  body += ToolsField();
  body += "}";
  const json call = Created(body);
  ASSERT_EQ(call["output"].size(), 1u) << call;
  EXPECT_EQ(call["output"][0]["type"], "function_call");
  EXPECT_EQ(call["output"][0]["name"], "get_weather");
  EXPECT_EQ(Generation(call["id"].get<std::string>())["finish_reason"], "tool_calls");
}

TEST_F(ResponsesTest, NativeFailuresKeepTheOpenAiShapeAndEndStreamsWithResponseFailed) {
  Start();
  const HttpResponse limited = Responses(ResponsesBody("it/native-limited"));
  OpenAiError(limited, 429);
  const StreamResponse stream = ResponsesStream(StreamBody("it/native-fault"));
  ASSERT_EQ(stream.status, 200) << stream.body;
  const std::vector<json> events = ResponseEvents(stream);
  ASSERT_GE(events.size(), 2u) << stream.body;
  for (size_t i = 0; i < events.size(); ++i) EXPECT_EQ(events[i]["sequence_number"], i);
  const json& failed = events.back();
  EXPECT_EQ(failed["type"], "response.failed");
  EXPECT_EQ(failed["response"]["id"], HeaderOf(stream, "x-generation-id"));
  EXPECT_EQ(failed["response"]["status"], "failed");
  EXPECT_EQ(failed["response"]["error"]["code"], "server_error");
  EXPECT_TRUE(OfType(events, "response.completed").empty());
}

TEST_F(ResponsesTest, ANativeEndpointServesOnlyResponsesRequests) {
  Start();
  // A chat request for a model whose only endpoint is native: a 400 naming the gap.
  const HttpResponse chat = Post(port_, "/v1/chat/completions", ChatBody("it/native"));
  const std::string message = ErrorText(OpenAiError(chat, 400));
  EXPECT_TRUE(Contains(message, "an openai-responses endpoint takes Responses requests"))
      << message;
  // With a chat endpoint beside it, the chat request is served there.
  for (int i = 0; i < 4; ++i) {
    const HttpResponse served = Post(port_, "/v1/chat/completions", ChatBody("it/native-and-chat"));
    ASSERT_EQ(served.status, 200) << served.body;
    EXPECT_EQ(served.Json()["provider"], "oai");
  }
}

}  // namespace
}  // namespace gw::testing

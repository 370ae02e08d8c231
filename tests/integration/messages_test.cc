// The Anthropic Messages route (/v1/messages, /v1/messages/count_tokens) and the `api: anthropic`
// upstream through the real gateway and real simulators: every rejection with its status and
// Anthropic's error body, passthrough answers and streams, upstream failures before and after the
// first byte, failover from an Anthropic endpoint to an OpenAI-compatible one (translated), and
// Chat Completions clients served by an Anthropic endpoint (tool calls, thinking, cache usage
// and its exact cost). docs/dialects.md is the contract.
#include <regex>
#include <string>
#include <vector>

#include "tests/integration/cluster.h"

namespace gw::testing {
namespace {

using nlohmann::json;

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Anthropic's error shape {"type":"error","error":{"type":...,"message":...}} with `status` on
// the wire and the error type `type`; returns the error object.
json AnthropicError(const HttpResponse& response, int status, const std::string& type) {
  EXPECT_EQ(response.status, status) << response.body;
  const json body = json::parse(response.body, nullptr, false);
  EXPECT_TRUE(body.is_object()) << response.body;
  if (!body.is_object()) return json::object();
  EXPECT_EQ(body.value("type", ""), "error") << response.body;
  EXPECT_FALSE(body.contains("code")) << response.body;
  const json error = body.value("error", json::object());
  EXPECT_EQ(error.value("type", ""), type) << response.body;
  EXPECT_TRUE(error.contains("message") && error["message"].is_string()) << response.body;
  return error;
}

std::string ErrorText(const json& error) { return error.value("message", ""); }

// The raw text of the first `"<name>":<number>` in `body`.
std::string RawNumber(const std::string& body, const std::string& name) {
  std::smatch match;
  const std::regex pattern("\"" + name + R"(":([0-9.eE+-]+))");
  if (!std::regex_search(body, match, pattern)) return "";
  return match[1];
}

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

std::string MessagesBody(const std::string& model, bool stream = false,
                         const std::string& extra_fields = "") {
  std::string body = R"({"model":")" + model +
                     R"(","max_tokens":64,"messages":[{"role":"user","content":"Say hello"}])";
  if (stream) body += R"(,"stream":true)";
  if (!extra_fields.empty()) body += "," + extra_fields;
  return body + "}";
}

// One chat tool the simulator can call: get_weather(city: string).
constexpr std::string_view kChatTools =
    R"("tools":[{"type":"function","function":{"name":"get_weather","description":"Weather",)"
    R"("parameters":{"type":"object","properties":{"city":{"type":"string"}},)"
    R"("required":["city"]}}}])";

// Prices of the endpoint whose cache usage is checked (USD per 1M tokens).
constexpr std::string_view kCachePrices =
    "{ prompt: 3, completion: 15, cached_read: 0.3, cache_write: 3.75 }";

struct Endpoint {
  std::string provider;
  std::string upstream_model;
  std::string pricing = "{ prompt: 1.5, completion: 2, cached_read: 0.75 }";
};

// The YAML of a gateway with an Anthropic simulator (`anth`, api: anthropic, base URL without
// /v1) and an OpenAI-compatible one (`oai`, base URL with /v1).
std::string MessagesYaml(int anthropic_port, int openai_port,
                         const std::vector<std::pair<std::string, std::vector<Endpoint>>>& models,
                         const std::string& server_extra = "") {
  std::string yaml = "server:\n  listen: 127.0.0.1:0\n  workers: 2\n" + server_extra;
  yaml += "providers:\n";
  yaml += "  - name: anth\n    api: anthropic\n    base_url: http://127.0.0.1:" +
          std::to_string(anthropic_port) + "\n    api_key: ${IT_ANTHROPIC_UPSTREAM_KEY}\n";
  yaml += "  - name: oai\n    base_url: http://127.0.0.1:" + std::to_string(openai_port) + "/v1\n";
  yaml += "models:\n";
  for (const auto& [id, endpoints] : models) {
    yaml += "  - id: " + id + "\n    context_length: 1048576\n    endpoints:\n";
    for (const Endpoint& endpoint : endpoints) {
      yaml += "      - provider: " + endpoint.provider + "\n        model: \"" +
              endpoint.upstream_model + "\"\n        pricing: " + endpoint.pricing + "\n";
    }
  }
  return yaml;
}

class MessagesTest : public Cluster {
 protected:
  void Start(const std::string& server_extra = "") {
    setenv("IT_ANTHROPIC_UPSTREAM_KEY", "sk-ant-upstream", 1);
    anthropic_sim_ = StartSimulator();
    openai_sim_ = StartSimulator();
    port_ = StartGateway(MessagesYaml(
        anthropic_sim_, openai_sim_,
        {{"it/claude", {{"anth", "claude-sim"}}},
         {"it/claude-tools", {{"anth", "claude-sim?tool_call=true"}}},
         {"it/claude-think", {{"anth", "claude-sim?thinking_tokens=4"}}},
         {"it/claude-cache",
          {{"anth", "claude-sim?cached_tokens=10&cache_write_tokens=5",
            std::string(kCachePrices)}}},
         {"it/claude-busy", {{"anth", "claude-sim?status=529&error_rate=1"}}},
         {"it/claude-limited", {{"anth", "claude-sim?status=429&error_rate=1"}}},
         {"it/claude-fault", {{"anth", "claude-sim?stream_error_after=2"}}},
         {"it/claude-drop", {{"anth", "claude-sim?disconnect_after=2"}}},
         {"it/fallback", {{"anth", "claude-sim?status=529&error_rate=1"}, {"oai", "sim-model"}}}},
        server_extra));
  }
  HttpResponse Messages(const std::string& body, const Headers& headers = {}) {
    return Post(port_, "/v1/messages", body, headers);
  }
  json Rejected(const std::string& body, int status, const std::string& type) {
    return AnthropicError(Messages(body), status, type);
  }

  int anthropic_sim_ = 0;
  int openai_sim_ = 0;
  int port_ = 0;
};

// --- Rejections on /v1/messages -----------------------------------------------------------------

TEST_F(MessagesTest, InvalidJsonAndEmptyBodyAre400InAnthropicShape) {
  Start();
  const HttpResponse bad = Messages(R"({"model": "it/claude", )");
  EXPECT_TRUE(
      Contains(ErrorText(AnthropicError(bad, 400, "invalid_request_error")), "not valid JSON"))
      << bad.body;
  EXPECT_EQ(bad.Header("x-generation-id"), "");  // validation 400s get no generation id
  EXPECT_TRUE(
      Contains(ErrorText(Rejected("", 400, "invalid_request_error")), "request body is empty"));
  EXPECT_TRUE(Contains(ErrorText(Rejected("[1]", 400, "invalid_request_error")), "JSON"));
  EXPECT_EQ(Get(anthropic_sim_, "/sim/last-request").status, 404);  // nothing went upstream
}

TEST_F(MessagesTest, MaxTokensIsRequiredAndAPositiveInteger) {
  Start();
  const std::string messages = R"("messages":[{"role":"user","content":"hi"}])";
  EXPECT_EQ(ErrorText(Rejected(R"({"model":"it/claude",)" + messages + "}", 400,
                               "invalid_request_error")),
            "max_tokens: required field is missing");
  EXPECT_EQ(ErrorText(Rejected(R"({"model":"it/claude","max_tokens":null,)" + messages + "}", 400,
                               "invalid_request_error")),
            "max_tokens: required field is missing");
  for (const std::string bad : {R"("ten")", "1.5", "1e3", "true", "[]"}) {
    EXPECT_EQ(
        ErrorText(Rejected(R"({"model":"it/claude","max_tokens":)" + bad + "," + messages + "}",
                           400, "invalid_request_error")),
        "max_tokens: expected an integer")
        << bad;
  }
  for (const std::string bad : {"0", "-3"}) {
    EXPECT_EQ(
        ErrorText(Rejected(R"({"model":"it/claude","max_tokens":)" + bad + "," + messages + "}",
                           400, "invalid_request_error")),
        "max_tokens: expected a positive integer")
        << bad;
  }
}

TEST_F(MessagesTest, MessagesMustBeANonEmptyArrayOfObjectsWithAStringRole) {
  Start();
  const std::string head = R"({"model":"it/claude","max_tokens":8)";
  EXPECT_EQ(ErrorText(Rejected(head + "}", 400, "invalid_request_error")),
            "messages: required field is missing");
  EXPECT_EQ(ErrorText(Rejected(head + R"(,"messages":"hi"})", 400, "invalid_request_error")),
            "messages: expected an array of messages");
  EXPECT_EQ(
      ErrorText(Rejected(head + R"(,"messages":{"role":"user"}})", 400, "invalid_request_error")),
      "messages: expected an array of messages");
  EXPECT_EQ(ErrorText(Rejected(head + R"(,"messages":[]})", 400, "invalid_request_error")),
            "messages: must contain at least one message");
  EXPECT_EQ(ErrorText(Rejected(head + R"(,"messages":["hi"]})", 400, "invalid_request_error")),
            "messages[0]: expected an object");
  EXPECT_EQ(ErrorText(Rejected(head + R"(,"messages":[{"role":"user","content":"a"},)"
                                      R"({"role":7,"content":"b"}]})",
                               400, "invalid_request_error")),
            "messages[1].role: expected a string");
  EXPECT_EQ(
      ErrorText(Rejected(head + R"(,"messages":[{"content":"b"}]})", 400, "invalid_request_error")),
      "messages[0].role: required field is missing");
  // Messages has no tool role (tool results are user content blocks). `system` is accepted:
  // Claude Code sends it inside `messages` (see the e2e Claude Code shaped request).
  EXPECT_EQ(ErrorText(Rejected(head + R"(,"messages":[{"role":"tool","content":"b"}]})", 400,
                               "invalid_request_error")),
            "messages[0].role: unknown role \"tool\"; expected one of user, assistant, system");
}

TEST_F(MessagesTest, SystemAndOtherMessagesFieldsOfAWrongType) {
  Start();
  for (const std::string bad : {"5", "true", R"({"text":"x"})"}) {
    EXPECT_EQ(ErrorText(Rejected(MessagesBody("it/claude", false, R"("system":)" + bad), 400,
                                 "invalid_request_error")),
              "system: expected a string or an array of content blocks")
        << bad;
  }
  EXPECT_EQ(ErrorText(Rejected(MessagesBody("it/claude", false, R"("stop_sequences":"x")"), 400,
                               "invalid_request_error")),
            "stop_sequences: expected an array of strings");
  EXPECT_EQ(ErrorText(Rejected(MessagesBody("it/claude", false, R"("thinking":"on")"), 400,
                               "invalid_request_error")),
            "thinking: expected an object");
  EXPECT_EQ(ErrorText(Rejected(MessagesBody("it/claude", false, R"("tool_choice":"auto")"), 400,
                               "invalid_request_error")),
            "tool_choice: expected an object");
  EXPECT_EQ(ErrorText(Rejected(MessagesBody("it/claude", false, R"("metadata":{"user_id":7})"), 400,
                               "invalid_request_error")),
            "metadata.user_id: expected a string");
  EXPECT_EQ(ErrorText(Rejected(MessagesBody("it/claude", false, R"("stream":"yes")"), 400,
                               "invalid_request_error")),
            "stream: expected a boolean");
  // A string or an array of blocks is fine.
  EXPECT_EQ(Messages(MessagesBody("it/claude", false, R"("system":"Be brief")")).status, 200);
  EXPECT_EQ(
      Messages(MessagesBody("it/claude", false, R"("system":[{"type":"text","text":"Be brief"}])"))
          .status,
      200);
}

TEST_F(MessagesTest, UnknownModelIs404NotFoundError) {
  Start();
  const json error = Rejected(MessagesBody("acme/unknown"), 404, "not_found_error");
  EXPECT_TRUE(Contains(ErrorText(error), "acme/unknown")) << error;
  EXPECT_EQ(error["metadata"]["code"], "unknown_model");
}

TEST_F(MessagesTest, WrongMethodAndUnknownPathAnswerInAnthropicShape) {
  Start();
  const HttpResponse get = Get(port_, "/v1/messages");
  const json error = AnthropicError(get, 405, "invalid_request_error");
  EXPECT_TRUE(Contains(ErrorText(error), "GET")) << error;
  EXPECT_EQ(get.Header("allow"), "POST");
  AnthropicError(Request(port_, "PUT", "/v1/messages/count_tokens", "{}"), 405,
                 "invalid_request_error");
  AnthropicError(Post(port_, "/v1/messages/batches", "{}"), 404, "not_found_error");
  // Claude Code's query string is ignored; /api/v1 is an alias.
  EXPECT_EQ(Messages(MessagesBody("it/claude")).status, 200);
  EXPECT_EQ(Post(port_, "/v1/messages?beta=true", MessagesBody("it/claude")).status, 200);
  EXPECT_EQ(Post(port_, "/api/v1/messages", MessagesBody("it/claude")).status, 200);
}

TEST_F(MessagesTest, AuthOnMissingOrWrongKeyIs401AuthenticationErrorAndBothHeadersWork) {
  setenv("IT_MESSAGES_GATEWAY_KEY", "gw-messages-key", 1);
  Start("  auth:\n    keys: [\"${IT_MESSAGES_GATEWAY_KEY}\"]\n");
  const HttpResponse missing = Messages(MessagesBody("it/claude"));
  AnthropicError(missing, 401, "authentication_error");
  EXPECT_EQ(missing.Header("www-authenticate"), "Bearer");
  const json wrong = AnthropicError(Messages(MessagesBody("it/claude"), {{"x-api-key", "nope"}}),
                                    401, "authentication_error");
  EXPECT_EQ(ErrorText(wrong), "invalid API key");
  AnthropicError(Messages(MessagesBody("it/claude"), {{"Authorization", "Bearer nope"}}), 401,
                 "authentication_error");
  // Auth is checked before the body: a bad body without a key is still a 401.
  AnthropicError(Messages("{"), 401, "authentication_error");
  AnthropicError(Post(port_, "/v1/messages/count_tokens", MessagesBody("it/claude")), 401,
                 "authentication_error");

  EXPECT_EQ(Messages(MessagesBody("it/claude"), {{"x-api-key", "gw-messages-key"}}).status, 200);
  EXPECT_EQ(
      Messages(MessagesBody("it/claude"), {{"Authorization", "Bearer gw-messages-key"}}).status,
      200);
  // Authorization wins when both are sent.
  AnthropicError(Messages(MessagesBody("it/claude"),
                          {{"Authorization", "Bearer nope"}, {"x-api-key", "gw-messages-key"}}),
                 401, "authentication_error");
  // The client's key is never the provider's: the upstream got the configured one.
  const json upstream = LastUpstreamRequest(anthropic_sim_);
  EXPECT_EQ(upstream["headers"]["x-api-key"], "sk-ant-upstream");
  EXPECT_FALSE(upstream["headers"].contains("authorization")) << upstream;
}

// --- Upstream failures
// ----------------------------------------------------------------------------

TEST_F(MessagesTest, Upstream529BeforeTheFirstByteIs529OverloadedWithTheProvidersText) {
  Start();
  const HttpResponse response = Messages(MessagesBody("it/claude-busy"));
  const json error = AnthropicError(response, 529, "overloaded_error");
  EXPECT_FALSE(response.Header("x-generation-id").empty());
  EXPECT_EQ(error["metadata"]["provider_name"], "anth") << error;
  ASSERT_TRUE(error["metadata"].contains("raw")) << error;
  const json raw = json::parse(error["metadata"]["raw"].get<std::string>(), nullptr, false);
  EXPECT_EQ(raw["type"], "error") << error;
  EXPECT_EQ(raw["error"]["type"], "overloaded_error") << error;
  EXPECT_EQ(raw["error"]["message"], "simulated error: status 529 (gateway-sim)");
  // The same over a chat client: OpenAI's shape, 503.
  const HttpResponse chat = Post(port_, "/v1/chat/completions", ChatBody("it/claude-busy"));
  EXPECT_EQ(chat.status, 503) << chat.body;
  EXPECT_EQ(chat.Json()["error"]["code"], 503);
}

TEST_F(MessagesTest, StreamedRequestToAnOverloadedEndpointIs529BeforeTheFirstByte) {
  Start();
  const StreamResponse stream =
      PostStream(port_, "/v1/messages", MessagesBody("it/claude-busy", true));
  EXPECT_EQ(stream.status, 529) << stream.body;
  const json body = json::parse(stream.body, nullptr, false);
  ASSERT_TRUE(body.is_object()) << stream.body;
  EXPECT_EQ(body["type"], "error");
  EXPECT_EQ(body["error"]["type"], "overloaded_error");
}

TEST_F(MessagesTest, Upstream429Is429RateLimitError) {
  Start();
  const HttpResponse response = Messages(MessagesBody("it/claude-limited"));
  const json error = AnthropicError(response, 429, "rate_limit_error");
  EXPECT_EQ(response.Header("retry-after"), "1");
  ASSERT_TRUE(error["metadata"].contains("raw")) << error;
  EXPECT_TRUE(Contains(error["metadata"]["raw"].get<std::string>(), "rate_limit_error")) << error;
}

TEST_F(MessagesTest, UpstreamErrorEventAfterTheFirstByteEndsTheStreamWithAnErrorEvent) {
  Start();
  const StreamResponse stream =
      PostStream(port_, "/v1/messages", MessagesBody("it/claude-fault", true));
  ASSERT_EQ(stream.status, 200) << stream.body;
  EXPECT_TRUE(stream.complete);
  const std::vector<SseEvent> events = ParseSse(stream.body);
  ASSERT_GE(events.size(), 3u) << stream.body;
  EXPECT_EQ(events.front().name, "message_start");
  int deltas = 0;
  for (const SseEvent& event : events) {
    EXPECT_NE(event.name, "message_stop") << stream.body;
    EXPECT_NE(event.name, "message_delta") << stream.body;
    if (event.name == "content_block_delta") ++deltas;
  }
  EXPECT_EQ(deltas, 2);
  ASSERT_EQ(events.back().name, "error") << stream.body;
  const json error = json::parse(events.back().data);
  EXPECT_EQ(error["type"], "error");
  // The gateway's own event (502 api_error), the upstream's payload in metadata.raw.
  EXPECT_EQ(error["error"]["type"], "api_error") << error;
  ASSERT_TRUE(error["error"]["metadata"].contains("raw")) << error;
  const json raw = json::parse(error["error"]["metadata"]["raw"].get<std::string>());
  EXPECT_EQ(raw["error"]["type"], "overloaded_error");
  EXPECT_EQ(raw["error"]["message"], "Overloaded");
}

TEST_F(MessagesTest, UpstreamDisconnectAfterTheFirstByteEndsTheStreamWithAnErrorEvent) {
  Start();
  const StreamResponse stream =
      PostStream(port_, "/v1/messages", MessagesBody("it/claude-drop", true));
  ASSERT_EQ(stream.status, 200) << stream.body;
  EXPECT_TRUE(stream.complete);
  const std::vector<SseEvent> events = ParseSse(stream.body);
  ASSERT_FALSE(events.empty());
  for (const SseEvent& event : events) EXPECT_NE(event.name, "message_stop") << stream.body;
  ASSERT_EQ(events.back().name, "error") << stream.body;
  const json error = json::parse(events.back().data);
  EXPECT_EQ(error["type"], "error");
  EXPECT_EQ(error["error"]["type"], "api_error") << error;
  EXPECT_FALSE(error["error"]["message"].get<std::string>().empty());
}

TEST_F(MessagesTest, ChatStreamFromAnAnthropicEndpointEndsWithTheMidStreamErrorChunk) {
  Start();
  const StreamResponse stream =
      PostStream(port_, "/v1/chat/completions", ChatBody("it/claude-fault", true));
  ASSERT_EQ(stream.status, 200) << stream.body;
  ASSERT_GE(stream.events.size(), 2u) << stream.body;
  EXPECT_NE(stream.events.back(), "[DONE]");
  const json last = json::parse(stream.events.back());
  EXPECT_EQ(last["error"]["code"], 502) << last;
  EXPECT_EQ(last["choices"][0]["finish_reason"], "error") << last;
  EXPECT_TRUE(Contains(last["error"]["metadata"]["raw"].get<std::string>(), "overloaded_error"))
      << last;
}

// --- Passthrough answers ------------------------------------------------------------------------

TEST_F(MessagesTest, PassthroughAnswerIsTheProvidersBodyAndTheRequestGoesToV1Messages) {
  Start();
  const HttpResponse response =
      Messages(MessagesBody("it/claude", false, R"("provider":{"order":["anth"]})"),
               {{"anthropic-version", "2099-01-01"}, {"anthropic-beta", "tools-2099"}});
  ASSERT_EQ(response.status, 200) << response.body;
  const std::string generation_id = response.Header("x-generation-id");
  EXPECT_EQ(generation_id.rfind("gen-", 0), 0u) << generation_id;
  const json body = response.Json();
  EXPECT_EQ(body["type"], "message");
  EXPECT_EQ(body["id"].get<std::string>().rfind("msg_sim_", 0), 0u) << body;  // untouched
  EXPECT_EQ(body["model"], "claude-sim");
  EXPECT_EQ(body["stop_reason"], "end_turn");
  EXPECT_FALSE(body["usage"].contains("cost"));  // passthrough: cost only in the ledger

  const json upstream = LastUpstreamRequest(anthropic_sim_);
  EXPECT_EQ(upstream["target"], "/v1/messages");
  EXPECT_EQ(upstream["headers"]["anthropic-version"], "2099-01-01");
  EXPECT_EQ(upstream["headers"]["anthropic-beta"], "tools-2099");
  const json sent = json::parse(upstream["body"].get<std::string>());
  EXPECT_EQ(sent["model"], "claude-sim");
  EXPECT_FALSE(sent.contains("provider"));
  EXPECT_EQ(sent["max_tokens"], 64);

  const json record = Get(port_, "/v1/generation?id=" + generation_id).Json()["data"];
  EXPECT_EQ(record["api"], "messages");
  EXPECT_EQ(record["provider_name"], "anth");
  EXPECT_EQ(record["finish_reason"], "stop");
}

TEST_F(MessagesTest, PassthroughStreamEndsWithMessageStop) {
  Start();
  const StreamResponse stream = PostStream(port_, "/v1/messages", MessagesBody("it/claude", true));
  ASSERT_EQ(stream.status, 200) << stream.body;
  EXPECT_TRUE(stream.complete);
  EXPECT_TRUE(stream.body.ends_with("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"))
      << stream.body;
  const std::vector<SseEvent> events = ParseSse(stream.body);
  ASSERT_GE(events.size(), 4u);
  EXPECT_EQ(events.front().name, "message_start");
  for (const SseEvent& event : events) {
    // Every event is named after its payload's type.
    EXPECT_EQ(json::parse(event.data)["type"], event.name) << event.data;
  }
  EXPECT_EQ(LastUpstreamRequest(anthropic_sim_)["headers"]["anthropic-version"], "2023-06-01");
}

// --- count_tokens -------------------------------------------------------------------------------

TEST_F(MessagesTest, CountTokensIsAnsweredLocally) {
  Start();
  const HttpResponse response = Post(
      port_, "/v1/messages/count_tokens",
      R"({"model":"it/claude","system":"Be brief","messages":[{"role":"user","content":"Say hello"}]})");
  ASSERT_EQ(response.status, 200) << response.body;
  const json body = response.Json();
  ASSERT_EQ(body.size(), 1u) << body;
  ASSERT_TRUE(body["input_tokens"].is_number_integer()) << body;
  EXPECT_GT(body["input_tokens"].get<int64_t>(), 0);
  EXPECT_EQ(response.Header("x-generation-id"), "");
  EXPECT_EQ(Get(anthropic_sim_, "/sim/last-request").status, 404);  // never sent upstream

  const json unknown =
      AnthropicError(Post(port_, "/v1/messages/count_tokens",
                          R"({"model":"acme/unknown","messages":[{"role":"user","content":"x"}]})"),
                     404, "not_found_error");
  EXPECT_TRUE(Contains(ErrorText(unknown), "acme/unknown")) << unknown;
  AnthropicError(Post(port_, "/v1/messages/count_tokens", R"({"model":)"), 400,
                 "invalid_request_error");
}

// --- Failover across dialects -------------------------------------------------------------------

TEST_F(MessagesTest, FailoverFromAnOverloadedAnthropicEndpointToATranslatedOpenAiOne) {
  Start();
  const HttpResponse response =
      Messages(MessagesBody("it/fallback", false, R"("provider":{"order":["anth","oai"]})"));
  ASSERT_EQ(response.status, 200) << response.body;
  const std::string generation_id = response.Header("x-generation-id");
  ASSERT_EQ(generation_id.rfind("gen-", 0), 0u) << generation_id;
  // A Messages body, translated from the OpenAI simulator's chat answer: ours id and model.
  const json body = response.Json();
  EXPECT_EQ(body["type"], "message");
  EXPECT_EQ(body["role"], "assistant");
  EXPECT_EQ(body["id"], generation_id);
  EXPECT_EQ(body["model"], "it/fallback");
  ASSERT_FALSE(body["content"].empty()) << body;
  EXPECT_EQ(body["content"][0]["type"], "text");
  EXPECT_FALSE(body["content"][0]["text"].get<std::string>().empty());
  EXPECT_EQ(body["stop_reason"], "end_turn");
  EXPECT_GT(body["usage"]["input_tokens"].get<int64_t>(), 0);
  EXPECT_EQ(body["usage"]["output_tokens"], 16);
  EXPECT_TRUE(body["usage"].contains("cost")) << body;
  // The OpenAI simulator got a chat request.
  EXPECT_EQ(LastUpstreamRequest(openai_sim_)["target"], "/v1/chat/completions");

  const HttpResponse generation = Get(port_, "/v1/generation?id=" + generation_id);
  ASSERT_EQ(generation.status, 200) << generation.body;
  const json record = generation.Json()["data"];
  EXPECT_EQ(record["api"], "messages");
  EXPECT_EQ(record["provider_name"], "oai");
  ASSERT_EQ(record["provider_responses"].size(), 2u) << record;
  EXPECT_EQ(record["provider_responses"][0]["provider_name"], "anth");
  EXPECT_EQ(record["provider_responses"][0]["status"], 529);
  EXPECT_EQ(record["provider_responses"][1]["provider_name"], "oai");
  EXPECT_EQ(record["provider_responses"][1]["status"], 200);
}

// --- Chat Completions clients of an Anthropic endpoint ------------------------------------------

TEST_F(MessagesTest, ChatToolCallFromAnAnthropicEndpoint) {
  Start();
  const HttpResponse response = Post(port_, "/v1/chat/completions",
                                     ChatBody("it/claude-tools", false, std::string(kChatTools)));
  ASSERT_EQ(response.status, 200) << response.body;
  const json body = response.Json();
  EXPECT_EQ(body["id"], response.Header("x-generation-id"));
  EXPECT_EQ(body["model"], "it/claude-tools");
  EXPECT_EQ(body["provider"], "anth");
  const json& choice = body["choices"][0];
  EXPECT_EQ(choice["finish_reason"], "tool_calls");
  // docs/dialects.md section 4: Chat <- Anthropic keeps no native stop reason; the rewriter
  // sets native_finish_reason from the normalized finish_reason.
  EXPECT_EQ(choice["native_finish_reason"], "tool_calls");
  ASSERT_EQ(choice["message"]["tool_calls"].size(), 1u) << body;
  const json& call = choice["message"]["tool_calls"][0];
  EXPECT_EQ(call["id"].get<std::string>().rfind("toolu_sim_", 0), 0u) << call;
  EXPECT_EQ(call["type"], "function");
  EXPECT_EQ(call["function"]["name"], "get_weather");
  ASSERT_TRUE(call["function"]["arguments"].is_string()) << call;
  const json arguments = json::parse(call["function"]["arguments"].get<std::string>());
  ASSERT_TRUE(arguments.is_object()) << call;
  ASSERT_EQ(arguments.size(), 1u) << call;
  EXPECT_TRUE(arguments["city"].is_string()) << call;

  // What went upstream: a Messages body with the tool's schema and the default max_tokens.
  const json upstream = LastUpstreamRequest(anthropic_sim_);
  EXPECT_EQ(upstream["target"], "/v1/messages");
  EXPECT_EQ(upstream["headers"]["anthropic-version"], "2023-06-01");
  EXPECT_EQ(upstream["headers"]["x-api-key"], "sk-ant-upstream");
  const json sent = json::parse(upstream["body"].get<std::string>());
  EXPECT_EQ(sent["model"], "claude-sim?tool_call=true");
  EXPECT_EQ(sent["max_tokens"], 4096);
  ASSERT_EQ(sent["tools"].size(), 1u) << sent;
  EXPECT_EQ(sent["tools"][0]["name"], "get_weather");
  EXPECT_EQ(sent["tools"][0]["input_schema"]["properties"]["city"]["type"], "string");

  const json record = Get(port_, "/v1/generation?id=" + body["id"].get<std::string>()).Json();
  EXPECT_EQ(record["data"]["api"], "chat_completions");
}

TEST_F(MessagesTest, ChatToolCallStreamFromAnAnthropicEndpoint) {
  Start();
  const StreamResponse stream = PostStream(
      port_, "/v1/chat/completions", ChatBody("it/claude-tools", true, std::string(kChatTools)));
  ASSERT_EQ(stream.status, 200) << stream.body;
  ASSERT_GE(stream.events.size(), 4u) << stream.body;
  EXPECT_EQ(stream.events.back(), "[DONE]");
  std::string id, name, arguments, finish_reason, native_finish_reason;
  int usage_chunks = 0;
  for (size_t i = 0; i + 1 < stream.events.size(); ++i) {
    const json chunk = json::parse(stream.events[i]);
    EXPECT_EQ(chunk["object"], "chat.completion.chunk");
    EXPECT_EQ(chunk["model"], "it/claude-tools");
    EXPECT_EQ(chunk["provider"], "anth");
    if (chunk.contains("usage") && chunk["usage"].is_object()) ++usage_chunks;
    if (chunk["choices"].empty()) continue;
    const json& choice = chunk["choices"][0];
    if (choice.contains("finish_reason") && choice["finish_reason"].is_string()) {
      finish_reason = choice["finish_reason"];
      native_finish_reason = choice.value("native_finish_reason", "");
    }
    if (!choice["delta"].contains("tool_calls")) continue;
    const json& call = choice["delta"]["tool_calls"][0];
    EXPECT_EQ(call["index"], 0);
    if (call.contains("id")) {
      EXPECT_TRUE(id.empty()) << "a second call start: " << stream.events[i];
      id = call["id"];
      name = call["function"]["name"];
    }
    arguments += call["function"].value("arguments", "");
  }
  EXPECT_EQ(id.rfind("toolu_sim_", 0), 0u) << stream.body;
  EXPECT_EQ(name, "get_weather");
  const json parsed = json::parse(arguments, nullptr, false);
  ASSERT_TRUE(parsed.is_object()) << arguments;
  EXPECT_TRUE(parsed["city"].is_string()) << arguments;
  EXPECT_EQ(finish_reason, "tool_calls");
  EXPECT_EQ(native_finish_reason, "tool_calls");  // see ChatToolCallFromAnAnthropicEndpoint
  EXPECT_EQ(usage_chunks, 1);
}

TEST_F(MessagesTest, ChatReasoningFromAnthropicThinking) {
  Start();
  const HttpResponse response = Post(port_, "/v1/chat/completions", ChatBody("it/claude-think"));
  ASSERT_EQ(response.status, 200) << response.body;
  const json message = response.Json()["choices"][0]["message"];
  ASSERT_TRUE(message["reasoning"].is_string()) << message;
  EXPECT_FALSE(message["reasoning"].get<std::string>().empty());
  EXPECT_FALSE(message["content"].get<std::string>().empty());
  // 4 thinking words + 16 text words.
  EXPECT_EQ(response.Json()["usage"]["completion_tokens"], 20);

  const StreamResponse stream =
      PostStream(port_, "/v1/chat/completions", ChatBody("it/claude-think", true));
  ASSERT_EQ(stream.status, 200) << stream.body;
  std::string reasoning, content;
  for (const std::string& event : stream.events) {
    if (event == "[DONE]") continue;
    const json chunk = json::parse(event);
    if (chunk["choices"].empty()) continue;
    const json& delta = chunk["choices"][0]["delta"];
    reasoning += delta.value("reasoning", "");
    if (delta.contains("content") && delta["content"].is_string()) {
      content += delta["content"].get<std::string>();
    }
  }
  EXPECT_EQ(reasoning, message["reasoning"]);  // the same seed, the same words
  EXPECT_EQ(content, message["content"]);
  EXPECT_EQ(stream.events.back(), "[DONE]");
}

TEST_F(MessagesTest, ChatCacheUsageFromAnAnthropicEndpointIsPricedExactly) {
  Start();
  // 80 bytes of prompt: the simulator estimates ceil(80 / 4) = 20 prompt tokens and reports
  // cache_read_input_tokens 10, cache_creation_input_tokens 5, input_tokens 20 - 10 - 5 = 5,
  // output_tokens 16 (its default). Chat usage: prompt_tokens = 5 + 10 + 5 = 20.
  const std::string prompt(80, 'x');
  const std::string body =
      R"({"model":"it/claude-cache","messages":[{"role":"user","content":")" + prompt + R"("}]})";
  // Prices (USD per 1M tokens = nano-USD per token x 1000): prompt 3, completion 15,
  // cached_read 0.3, cache_write 3.75 -> 3,000 / 15,000 / 300 / 3,750 nano-USD per token.
  //   prompt      (20 - 10 - 5) x 3,000 =  15,000
  //   cached_read           10 x   300 =   3,000
  //   cache_write            5 x 3,750 =  18,750
  //   completion            16 x 15,000 = 240,000
  //   total                              276,750 nano-USD = USD 0.00027675
  const HttpResponse response = Post(port_, "/v1/chat/completions", body);
  ASSERT_EQ(response.status, 200) << response.body;
  const json usage = response.Json()["usage"];
  EXPECT_EQ(usage["prompt_tokens"], 20) << usage;
  EXPECT_EQ(usage["completion_tokens"], 16) << usage;
  EXPECT_EQ(usage["total_tokens"], 36) << usage;
  EXPECT_EQ(usage["prompt_tokens_details"]["cached_tokens"], 10) << usage;
  EXPECT_EQ(usage["prompt_tokens_details"]["cache_write_tokens"], 5) << usage;
  EXPECT_EQ(RawNumber(response.body, "cost"), "0.00027675") << response.body;
  EXPECT_DOUBLE_EQ(usage["cost_details"]["prompt"].get<double>(), 0.000015);
  EXPECT_DOUBLE_EQ(usage["cost_details"]["input_cache_read"].get<double>(), 0.000003);
  EXPECT_DOUBLE_EQ(usage["cost_details"]["input_cache_write"].get<double>(), 0.00001875);
  EXPECT_DOUBLE_EQ(usage["cost_details"]["completion"].get<double>(), 0.00024);
  EXPECT_FALSE(usage.contains("estimated"));

  const json record =
      Get(port_, "/v1/generation?id=" + response.Json()["id"].get<std::string>()).Json()["data"];
  EXPECT_EQ(record["native_tokens_prompt"], 20);
  EXPECT_EQ(record["native_tokens_cached"], 10);
  EXPECT_EQ(record["native_tokens_cache_write"], 5);
  EXPECT_DOUBLE_EQ(record["total_cost"].get<double>(), 0.00027675);

  // Streamed: the one usage chunk carries the same counts and cost.
  const std::string stream_body =
      R"({"model":"it/claude-cache","stream":true,"messages":[{"role":"user","content":")" +
      prompt + R"("}]})";
  const StreamResponse stream = PostStream(port_, "/v1/chat/completions", stream_body);
  ASSERT_EQ(stream.status, 200) << stream.body;
  ASSERT_GE(stream.events.size(), 2u);
  EXPECT_EQ(stream.events.back(), "[DONE]");
  const std::string& last = stream.events[stream.events.size() - 2];
  const json chunk = json::parse(last);
  EXPECT_EQ(chunk["usage"]["prompt_tokens"], 20) << last;
  EXPECT_EQ(chunk["usage"]["prompt_tokens_details"]["cached_tokens"], 10) << last;
  EXPECT_EQ(chunk["usage"]["prompt_tokens_details"]["cache_write_tokens"], 5) << last;
  EXPECT_EQ(RawNumber(last, "cost"), "0.00027675") << last;
}

TEST_F(MessagesTest, LegacyCompletionsToAnAnthropicOnlyModelIs400NamingWhy) {
  Start();
  const HttpResponse response =
      Post(port_, "/v1/completions", R"({"model":"it/claude","prompt":"Say hello"})");
  EXPECT_EQ(response.status, 400) << response.body;
  const json body = response.Json();
  ASSERT_TRUE(body.contains("error")) << response.body;
  EXPECT_EQ(body["error"]["code"], 400);  // OpenAI's shape on this route
  EXPECT_TRUE(Contains(body["error"]["message"].get<std::string>(),
                       "legacy completions cannot be sent to an Anthropic endpoint"))
      << response.body;
  EXPECT_EQ(Get(anthropic_sim_, "/sim/last-request").status, 404);  // nothing went upstream
}

}  // namespace
}  // namespace gw::testing

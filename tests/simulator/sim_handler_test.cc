// Runs the simulator handler inside a real HttpServer on 127.0.0.1:0 and talks to it with a plain
// synchronous Boost.Beast client: routing, error shapes, overrides, streams, disconnects.
#include "gateway/simulator/sim_handler.h"

#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include "gateway/server/http_server.h"
#include "gateway/simulator/sim_text.h"

namespace gw::simulator {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using nlohmann::json;

struct Reply {
  http::status status = http::status::unknown;
  std::string body;
  std::string retry_after;
  std::string allow;
  bool complete = false;  // false when the server dropped the connection mid-response
  std::string content_type;
  unsigned code = 0;  // the numeric status (529 is not in Beast's enum)
};

class SimHandlerTest : public testing::Test {
 protected:
  void SetUp() override { Start(SimSettings{}); }
  void TearDown() override { server_->Shutdown(std::chrono::milliseconds(100)); }

  void Start(SimSettings settings) {
    if (server_) server_->Shutdown(std::chrono::milliseconds(100));
    config::ServerConfig config;
    config.listen = {"127.0.0.1", 0};
    config.workers = 1;
    config.access_log = false;
    recorder_ = settings.recorder;
    server_ = std::make_unique<server::HttpServer>(
        config, MakeSimHandlerFactory(std::make_shared<const SimSettings>(std::move(settings))),
        "gateway-sim");
    server_->Start();
  }

  Reply Call(http::verb method, std::string target, std::string body = "",
             std::string sim_options = "",
             std::vector<std::pair<std::string, std::string>> headers = {}) {
    asio::io_context io;
    asio::ip::tcp::socket socket(io);
    socket.connect({asio::ip::make_address("127.0.0.1"), server_->port()});
    http::request<http::string_body> request{method, target, 11};
    request.set(http::field::host, "127.0.0.1");
    request.set(http::field::content_type, "application/json");
    if (!sim_options.empty()) request.set("x-sim-options", sim_options);
    for (const auto& [name, value] : headers) request.set(name, value);
    request.body() = std::move(body);
    request.prepare_payload();
    http::write(socket, request);
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    beast::error_code ec;
    http::read(socket, buffer, response, ec);
    return {response.result(),
            response.body(),
            std::string(response["retry-after"]),
            std::string(response["allow"]),
            !ec,
            std::string(response["content-type"]),
            response.result_int()};
  }

  Reply Chat(std::string body, std::string sim_options = "") {
    return Call(http::verb::post, "/v1/chat/completions", std::move(body), std::move(sim_options));
  }

  std::unique_ptr<server::HttpServer> server_;
  std::shared_ptr<RequestRecorder> recorder_;
};

// The `data:` payloads of an SSE body.
std::vector<std::string> DataLines(const std::string& body) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < body.size()) {
    size_t end = body.find("\n\n", start);
    if (end == std::string::npos) end = body.size();
    lines.push_back(body.substr(start + 6, end - start - 6));
    start = end + 2;
  }
  return lines;
}

TEST_F(SimHandlerTest, AnswersAChatCompletion) {
  const Reply reply = Chat(R"({"model":"sim-model?tokens=3","messages":[],"seed":5})");
  ASSERT_EQ(reply.status, http::status::ok);
  const json body = json::parse(reply.body);
  EXPECT_EQ(body["model"], "sim-model");
  EXPECT_EQ(body["id"], "chatcmpl-sim-1");
  EXPECT_EQ(body["choices"][0]["message"]["content"], GenerateText(5, 0, 3));
  EXPECT_EQ(json::parse(Chat(R"({"model":"m","messages":[]})").body)["id"], "chatcmpl-sim-2");
}

TEST_F(SimHandlerTest, RoutesAndRejectsInTheOpenAiErrorShape) {
  EXPECT_EQ(json::parse(Call(http::verb::get, "/health").body)["status"], "ok");
  EXPECT_EQ(json::parse(Call(http::verb::get, "/v1/models").body)["data"][0]["id"], "sim-model");
  const Reply missing = Call(http::verb::get, "/v1/nothing");
  EXPECT_EQ(missing.status, http::status::not_found);
  EXPECT_EQ(json::parse(missing.body)["error"]["type"], "invalid_request_error");
  const Reply wrong = Call(http::verb::get, "/v1/chat/completions");
  EXPECT_EQ(wrong.status, http::status::method_not_allowed);
  EXPECT_EQ(wrong.allow, "POST");
  const Reply bad = Chat(R"({"model":)");
  EXPECT_EQ(bad.status, http::status::bad_request);
  EXPECT_NE(json::parse(bad.body)["error"]["message"].get<std::string>().find("invalid JSON"),
            std::string::npos);
  const Reply option = Chat(R"({"model":"m","messages":[]})", "tokens=many");
  EXPECT_EQ(option.status, http::status::bad_request);
  EXPECT_EQ(json::parse(option.body)["error"]["message"],
            "x-sim-options: option tokens: expected an integer from 0 to 1000000, got \"many\"");
}

TEST_F(SimHandlerTest, InjectsErrorsWithRetryAfterFor429) {
  const Reply limited = Chat(R"({"model":"m?status=429&error_rate=1","messages":[]})");
  EXPECT_EQ(limited.status, http::status::too_many_requests);
  EXPECT_EQ(limited.retry_after, "1");
  EXPECT_EQ(json::parse(limited.body)["error"]["code"], "rate_limit_exceeded");
  // The suffix is applied after the header.
  EXPECT_EQ(Chat(R"({"model":"m?error_rate=0","messages":[]})", "error_rate=1").status,
            http::status::ok);
}

TEST_F(SimHandlerTest, StreamsWithPacingAndUsage) {
  const Reply reply =
      Chat(R"({"model":"m?tokens=3&chunk_interval_ms=1&ttft_ms=1","messages":[],"stream":true,)"
           R"("stream_options":{"include_usage":true}})");
  ASSERT_EQ(reply.status, http::status::ok);
  ASSERT_TRUE(reply.complete);
  const std::vector<std::string> lines = DataLines(reply.body);
  ASSERT_EQ(lines.size(), 7u);  // role, 3 tokens, finish, usage, [DONE]
  EXPECT_EQ(json::parse(lines[5])["usage"]["completion_tokens"], 3);
  EXPECT_EQ(lines[6], "[DONE]");
}

TEST_F(SimHandlerTest, DisconnectsAfterNChunks) {
  const Reply stream = Chat(R"({"model":"m?disconnect_after=2","messages":[],"stream":true})");
  EXPECT_FALSE(stream.complete);
  const Reply whole = Chat(R"({"model":"m?disconnect_after=0","messages":[]})");
  EXPECT_FALSE(whole.complete);
}

TEST_F(SimHandlerTest, RecordsTheLastRequestWhenAsked) {
  EXPECT_EQ(Call(http::verb::get, "/sim/last-request").status, http::status::not_found);
  SimSettings settings;
  settings.recorder = std::make_shared<RequestRecorder>();
  Start(std::move(settings));
  EXPECT_EQ(Call(http::verb::get, "/sim/last-request").status, http::status::not_found);
  const std::string body = R"({"model":"m","messages":[]})";
  ASSERT_EQ(Chat(body, "tokens=1").status, http::status::ok);
  const json last = json::parse(Call(http::verb::get, "/sim/last-request").body);
  EXPECT_EQ(last["method"], "POST");
  EXPECT_EQ(last["target"], "/v1/chat/completions");
  EXPECT_EQ(last["headers"]["x-sim-options"], "tokens=1");
  EXPECT_EQ(last["body"], body);
}

TEST_F(SimHandlerTest, AnswersAnthropicMessages) {
  const Reply reply = Call(http::verb::post, "/v1/messages?beta=true",
                           R"({"model":"claude-x?tokens=2","max_tokens":10,"messages":[]})");
  ASSERT_EQ(reply.status, http::status::ok);
  const json body = json::parse(reply.body);
  EXPECT_EQ(body["id"], "msg_sim_1");
  EXPECT_EQ(body["model"], "claude-x");
  EXPECT_EQ(body["content"][0]["text"], GenerateText(0, 0, 2));
  const Reply invalid = Call(http::verb::post, "/v1/messages", R"({"model":"m","messages":[]})");
  EXPECT_EQ(invalid.status, http::status::bad_request);
  EXPECT_EQ(json::parse(invalid.body),
            json::parse(R"({"type":"error","error":{"type":"invalid_request_error",)"
                        R"("message":"max_tokens: Field required"}})"));
  const Reply wrong = Call(http::verb::get, "/v1/messages");
  EXPECT_EQ(wrong.status, http::status::method_not_allowed);
  EXPECT_EQ(json::parse(wrong.body)["type"], "error");
  const Reply count = Call(http::verb::post, "/v1/messages/count_tokens",
                           R"({"model":"m","system":"abcd","messages":[{"role":"user",)"
                           R"("content":"efgh"}]})");
  ASSERT_EQ(count.status, http::status::ok);
  EXPECT_EQ(json::parse(count.body), json::parse(R"({"input_tokens":2})"));
}

TEST_F(SimHandlerTest, StreamsAnthropicEventsAndInjectsAnthropicErrors) {
  const Reply stream =
      Call(http::verb::post, "/v1/messages",
           R"({"model":"m?tokens=2&chunk_interval_ms=1","max_tokens":10,"stream":true,)"
           R"("messages":[]})");
  ASSERT_EQ(stream.status, http::status::ok);
  EXPECT_EQ(stream.content_type, "text/event-stream");
  EXPECT_EQ(stream.body.rfind("event: message_start\ndata: ", 0), 0u);
  EXPECT_NE(stream.body.find("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"),
            std::string::npos);
  const Reply overloaded = Call(http::verb::post, "/v1/messages",
                                R"({"model":"m?status=529&error_rate=1","max_tokens":10,)"
                                R"("messages":[]})");
  EXPECT_EQ(overloaded.code, 529u);
  EXPECT_EQ(json::parse(overloaded.body)["error"]["type"], "overloaded_error");
  const Reply cut = Call(http::verb::post, "/v1/messages",
                         R"({"model":"m?tokens=5&stream_error_after=2","max_tokens":10,)"
                         R"("stream":true,"messages":[]})");
  ASSERT_TRUE(cut.complete);
  EXPECT_EQ(cut.body.find("message_stop"), std::string::npos);
  const std::string error_event =
      "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
      "\"message\":\"Overloaded\"}}\n\n";
  ASSERT_GE(cut.body.size(), error_event.size());
  EXPECT_EQ(cut.body.substr(cut.body.size() - error_event.size()), error_event);
  const Reply bad_option = Call(http::verb::post, "/v1/messages",
                                R"({"model":"m?tool_call=maybe","max_tokens":10,"messages":[]})");
  EXPECT_EQ(bad_option.status, http::status::bad_request);
  EXPECT_EQ(json::parse(bad_option.body)["error"]["type"], "invalid_request_error");
  const Reply dropped = Call(http::verb::post, "/v1/messages",
                             R"({"model":"m?disconnect_after=1","max_tokens":10,"stream":true,)"
                             R"("messages":[]})");
  EXPECT_FALSE(dropped.complete);
}

TEST_F(SimHandlerTest, RecordsAnthropicHeaders) {
  SimSettings settings;
  settings.recorder = std::make_shared<RequestRecorder>();
  Start(std::move(settings));
  const std::string body = R"({"model":"m","max_tokens":5,"messages":[]})";
  ASSERT_EQ(Call(http::verb::post, "/v1/messages?beta=true", body, "",
                 {{"x-api-key", "sk-ant-x"},
                  {"anthropic-version", "2023-06-01"},
                  {"anthropic-beta", "a-2025,b-2025"}})
                .status,
            http::status::ok);
  const json last = json::parse(Call(http::verb::get, "/sim/last-request").body);
  EXPECT_EQ(last["target"], "/v1/messages?beta=true");
  EXPECT_EQ(last["headers"]["x-api-key"], "sk-ant-x");
  EXPECT_EQ(last["headers"]["anthropic-version"], "2023-06-01");
  EXPECT_EQ(last["headers"]["anthropic-beta"], "a-2025,b-2025");
  EXPECT_EQ(last["body"], body);
}

// `event: <type>\ndata: <json>\n\n` events of a Responses stream: their names, and the JSON.
std::vector<std::pair<std::string, json>> ResponsesEvents(const std::string& body) {
  std::vector<std::pair<std::string, json>> events;
  size_t start = 0;
  while (start < body.size()) {
    const size_t end = body.find("\n\n", start);
    if (end == std::string::npos) break;
    const std::string event = body.substr(start, end - start);
    const size_t newline = event.find('\n');
    events.emplace_back(event.substr(7, newline - 7),
                        json::parse(event.substr(newline + 7), nullptr, false));
    start = end + 2;
  }
  return events;
}

TEST_F(SimHandlerTest, AnswersTheResponsesApi) {
  const Reply reply =
      Call(http::verb::post, "/v1/responses",
           R"({"model":"gpt-sim?tokens=3","input":"hello","max_output_tokens":50})");
  ASSERT_EQ(reply.status, http::status::ok);
  EXPECT_EQ(reply.content_type, "application/json");
  const json body = json::parse(reply.body);
  EXPECT_EQ(body["id"], "resp_sim-1");
  EXPECT_EQ(body["object"], "response");
  EXPECT_EQ(body["status"], "completed");
  EXPECT_EQ(body["model"], "gpt-sim");
  EXPECT_GT(body["created_at"].get<int64_t>(), 1'600'000'000);
  EXPECT_EQ(body["output"][0]["id"], "msg_sim-1_0");
  EXPECT_EQ(body["output"][0]["content"][0]["text"], GenerateText(0, 0, 3));
  EXPECT_EQ(body["usage"]["input_tokens"], 2);
  // The id counter is shared with the other endpoints.
  EXPECT_EQ(json::parse(Chat(R"({"model":"m","messages":[]})").body)["id"], "chatcmpl-sim-2");
}

TEST_F(SimHandlerTest, RejectsBadResponsesRequestsInTheOpenAiShape) {
  for (const auto& [request, message] : std::vector<std::pair<std::string, std::string>>{
           {R"({"input":"x"})", "model is required"},
           {R"({"model":"m","input":7})", "input must be a string or an array"},
           {R"({"model":"m","max_output_tokens":-2})",
            "max_output_tokens must be a non-negative integer"},
           {R"({"model":"m?tokens=x"})",
            "model suffix: option tokens: expected an integer from 0 to 1000000, got \"x\""}}) {
    const Reply bad = Call(http::verb::post, "/v1/responses", request);
    EXPECT_EQ(bad.status, http::status::bad_request) << request;
    const json error = json::parse(bad.body);
    EXPECT_EQ(error["error"]["message"], message);
    EXPECT_EQ(error["error"]["type"], "invalid_request_error");
    EXPECT_TRUE(error["error"]["code"].is_null());
  }
  const Reply not_json = Call(http::verb::post, "/v1/responses", "[]");
  EXPECT_EQ(not_json.status, http::status::bad_request);
  EXPECT_EQ(json::parse(not_json.body)["error"]["type"], "invalid_request_error");
  const Reply wrong = Call(http::verb::get, "/v1/responses");
  EXPECT_EQ(wrong.status, http::status::method_not_allowed);
  EXPECT_EQ(wrong.allow, "POST");
  EXPECT_EQ(json::parse(wrong.body)["error"]["code"], "method_not_allowed");
  const Reply limited = Call(http::verb::post, "/v1/responses",
                             R"({"model":"m?status=429&error_rate=1","input":"x"})");
  EXPECT_EQ(limited.status, http::status::too_many_requests);
  EXPECT_EQ(limited.retry_after, "1");
  EXPECT_EQ(json::parse(limited.body)["error"]["code"], "rate_limit_exceeded");
}

TEST_F(SimHandlerTest, StreamsResponsesEventsWithFaults) {
  const Reply stream = Call(http::verb::post, "/v1/responses",
                            R"({"model":"m?tokens=2&chunk_interval_ms=1&ttft_ms=1","stream":true,)"
                            R"("input":"hi"})");
  ASSERT_EQ(stream.status, http::status::ok);
  ASSERT_TRUE(stream.complete);
  EXPECT_EQ(stream.content_type, "text/event-stream");
  const auto events = ResponsesEvents(stream.body);
  ASSERT_EQ(events.size(), 10u);
  EXPECT_EQ(events.front().first, "response.created");
  EXPECT_EQ(events.back().first, "response.completed");
  for (size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].second["sequence_number"], i);
    EXPECT_EQ(events[i].second["type"], events[i].first);
  }
  EXPECT_EQ(events.back().second["response"]["usage"]["output_tokens"], 2);
  EXPECT_EQ(stream.body.find("[DONE]"), std::string::npos);

  const Reply cut = Call(http::verb::post, "/v1/responses",
                         R"({"model":"m?tokens=5&stream_error_after=2","stream":true})");
  ASSERT_TRUE(cut.complete);
  const auto cut_events = ResponsesEvents(cut.body);
  ASSERT_FALSE(cut_events.empty());
  EXPECT_EQ(cut_events.back().first, "response.failed");
  EXPECT_EQ(cut_events.back().second["response"]["error"]["code"], "server_error");
  EXPECT_EQ(cut.body.find("response.completed"), std::string::npos);

  const Reply dropped =
      Call(http::verb::post, "/v1/responses", R"({"model":"m?disconnect_after=1","stream":true})");
  EXPECT_FALSE(dropped.complete);
  const Reply whole_dropped =
      Call(http::verb::post, "/v1/responses", R"({"model":"m?disconnect_after=0"})");
  EXPECT_FALSE(whole_dropped.complete);
  const Reply malformed = Call(http::verb::post, "/v1/responses", R"({"model":"m?malformed=1"})");
  EXPECT_EQ(malformed.status, http::status::ok);
  EXPECT_FALSE(json::accept(malformed.body));
}

TEST_F(SimHandlerTest, RecordsResponsesRequests) {
  SimSettings settings;
  settings.recorder = std::make_shared<RequestRecorder>();
  Start(std::move(settings));
  const std::string body = R"({"model":"m","input":"x"})";
  ASSERT_EQ(Call(http::verb::post, "/v1/responses", body, "tokens=1").status, http::status::ok);
  const json last = json::parse(Call(http::verb::get, "/sim/last-request").body);
  EXPECT_EQ(last["target"], "/v1/responses");
  EXPECT_EQ(last["headers"]["x-sim-options"], "tokens=1");
  EXPECT_EQ(last["body"], body);
}

}  // namespace
}  // namespace gw::simulator

// HTTP/1.x conformance of the gateway's own server, on raw connections: HEAD answered without
// a body (keep-alive and pipelining stay in sync), HTTP/1.0 clients never get chunked coding or
// 100 (Continue), per-request access log byte counts, large bodies next to pipelined requests.
#include <algorithm>
#include <cctype>
#include <string>

#include "tests/integration/cluster.h"

namespace gw::testing {
namespace {

size_t Count(const std::string& text, const std::string& part) {
  size_t count = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) {
    ++count;
  }
  return count;
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string RawPost(const std::string& version, const std::string& target, const std::string& body,
                    const std::string& extra_headers) {
  return "POST " + target + " " + version + "\r\nHost: x\r\nContent-Type: application/json\r\n" +
         extra_headers + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

class HttpProtocolTest : public Cluster {
 protected:
  void SetUp() override {
    sim_ = StartSimulator();
    port_ = StartGateway(
        GatewayYaml({{"sim", sim_, ""}},
                    {{"it/chat", {{"sim"}}}, {"it/huge", {{"sim", "sim-model?tokens=600000"}}}}));
  }
  int sim_ = 0;
  int port_ = 0;
};

TEST_F(HttpProtocolTest, HeadIsAnsweredLikeGetWithoutABody) {
  RawConnection connection(port_);
  connection.Send(
      "HEAD /health HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const std::string answer = connection.ReadUntilClose();
  EXPECT_EQ(Count(answer, "HTTP/1.1 200 OK\r\n"), 2u) << answer;
  EXPECT_EQ(Count(answer, R"({"status":"ok"})"), 1u) << answer;
  const std::string head_answer = answer.substr(0, answer.find("\r\n\r\n"));
  EXPECT_TRUE(Contains(head_answer, "Content-Length: 15")) << answer;  // the GET body's length
  EXPECT_EQ(answer.rfind(R"({"status":"ok"})"), answer.size() - 15) << answer;
}

TEST_F(HttpProtocolTest, HeadOnReadyAndModelsCarriesTheGetContentLength) {
  for (const std::string target : {"/ready", "/v1/models"}) {
    const std::string get_body = Get(port_, target).body;
    RawConnection connection(port_);
    connection.Send("HEAD " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    const std::string answer = connection.ReadUntilClose();
    EXPECT_EQ(answer.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << answer;
    EXPECT_TRUE(Contains(answer, "Content-Length: " + std::to_string(get_body.size()) + "\r\n"))
        << answer;
    EXPECT_EQ(answer.size(), answer.find("\r\n\r\n") + 4) << "a HEAD answer had a body: " << answer;
  }
}

TEST_F(HttpProtocolTest, HeadOnAPostOnlyPathIs405WithoutABody) {
  RawConnection connection(port_);
  connection.Send(
      "HEAD /v1/chat/completions HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const std::string answer = connection.ReadUntilClose();
  EXPECT_EQ(answer.rfind("HTTP/1.1 405 Method Not Allowed\r\n", 0), 0u) << answer;
  EXPECT_TRUE(Contains(answer, "Allow: POST\r\n")) << answer;
  EXPECT_FALSE(Contains(answer, "\"error\"")) << answer;
  EXPECT_EQ(Count(answer, "HTTP/1.1 200 OK\r\n"), 1u) << answer;
}

TEST_F(HttpProtocolTest, WrongMethodOnAGetPathNamesGetAndHead) {
  const HttpResponse response = Request(port_, "DELETE", "/health", "");
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(response.Header("allow"), "GET, HEAD");
}

TEST_F(HttpProtocolTest, Http10StreamIsNotChunkedAndEndsByClosing) {
  RawConnection connection(port_);
  // Even with keep-alive asked for: without chunked coding only the close can end the stream.
  connection.Send(RawPost("HTTP/1.0", "/v1/chat/completions", ChatBody("it/chat", true),
                          "Connection: keep-alive\r\n"));
  const std::string answer = connection.ReadUntilClose();
  EXPECT_TRUE(connection.PeerClosed());
  const size_t head_end = answer.find("\r\n\r\n");
  ASSERT_NE(head_end, std::string::npos) << answer;
  const std::string head = Lower(answer.substr(0, head_end));
  const std::string body = answer.substr(head_end + 4);
  EXPECT_EQ(head.rfind("http/1.1 200 ok\r\n", 0), 0u) << head;
  EXPECT_FALSE(Contains(head, "transfer-encoding")) << head;
  EXPECT_TRUE(Contains(head, "connection: close")) << head;
  EXPECT_TRUE(Contains(head, "content-type: text/event-stream")) << head;
  // Chunk framing would start with a hex size line and end with "0\r\n\r\n".
  EXPECT_EQ(body.rfind("data: {", 0), 0u) << body;
  const std::string done = "data: [DONE]\n\n";
  ASSERT_GE(body.size(), done.size()) << body;
  EXPECT_EQ(body.substr(body.size() - done.size()), done) << body;
  EXPECT_FALSE(Contains(body, "\r\n")) << body;
}

TEST_F(HttpProtocolTest, Http10ExpectContinueIsIgnored) {
  RawConnection connection(port_);
  connection.Send(
      RawPost("HTTP/1.0", "/v1/chat/completions", ChatBody("it/chat"), "Expect: 100-continue\r\n"));
  const std::string answer = connection.ReadUntilClose();
  EXPECT_TRUE(connection.PeerClosed());
  EXPECT_EQ(answer.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << answer;
  EXPECT_FALSE(Contains(answer, "100 Continue")) << answer;
  EXPECT_TRUE(Contains(answer, "Connection: close\r\n")) << answer;
  EXPECT_TRUE(Contains(answer, "\"chat.completion\"")) << answer;
}

TEST_F(HttpProtocolTest, Http10KeepAliveIsConfirmedAndKept) {
  RawConnection connection(port_);
  connection.Send("GET /health HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  const std::string first = connection.ReadUntil(R"({"status":"ok"})");
  EXPECT_TRUE(Contains(first, "Connection: keep-alive\r\n")) << first;
  connection.Send("GET /health HTTP/1.0\r\n\r\n");  // no keep-alive: the server closes
  const std::string both = connection.ReadUntilClose();
  EXPECT_TRUE(connection.PeerClosed());
  EXPECT_EQ(Count(both, R"({"status":"ok"})"), 2u) << both;
}

TEST_F(HttpProtocolTest, AccessLogBytesInCountOnlyTheirOwnRequest) {
  RawConnection connection(port_);
  connection.Send("GET /health HTTP/1.1\r\nHost: x\r\nX-Pad: " + std::string(1000, 'p') +
                  "\r\n\r\n");
  connection.ReadUntil(R"({"status":"ok"})");
  connection.Send("HELLO THERE\r\n\r\n");  // a malformed second request on the same connection
  EXPECT_TRUE(Contains(connection.ReadUntilClose(), "HTTP/1.1 400"));
  auto first = gateway().WaitForLine(
      [](const std::string& l) { return Contains(l, R"("path":"/health","status":200)"); });
  auto second =
      gateway().WaitForLine([](const std::string& l) { return Contains(l, R"("status":400)"); });
  ASSERT_TRUE(first.has_value());
  ASSERT_TRUE(second.has_value());
  EXPECT_GT(nlohmann::json::parse(*first)["bytes_in"].get<size_t>(), 1000u) << *first;
  EXPECT_LT(nlohmann::json::parse(*second)["bytes_in"].get<size_t>(), 100u) << *second;
}

TEST_F(HttpProtocolTest, LargeBodyWithAPipelinedRequestBehindIt) {
  const std::string pad(300 * 1024, 'p');
  const std::string body = ChatBody("it/chat", false, R"("custom_pad":")" + pad + "\"");
  RawConnection connection(port_);
  connection.Send(RawPost("HTTP/1.1", "/v1/chat/completions", body, "") +
                  "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const std::string answer = connection.ReadUntilClose();
  EXPECT_EQ(Count(answer, "HTTP/1.1 200 OK\r\n"), 2u) << answer.substr(0, 2000);
  EXPECT_TRUE(Contains(answer, R"({"status":"ok"})"));
  const auto upstream = nlohmann::json::parse(LastUpstreamRequest(sim_)["body"].get<std::string>());
  EXPECT_EQ(upstream["custom_pad"], pad);
}

// A response of several MB does not fit the socket buffers at once: the inline write stops
// part-way and the rest goes out asynchronously, with the framing of the next answer intact.
TEST_F(HttpProtocolTest, ResponseLargerThanTheSocketBuffersArrivesWhole) {
  RawConnection connection(port_);
  connection.Send(RawPost("HTTP/1.1", "/v1/chat/completions", ChatBody("it/huge"), "") +
                  "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const std::string answer = connection.ReadUntilClose();
  EXPECT_EQ(Count(answer, "HTTP/1.1 200 OK\r\n"), 2u) << answer.substr(0, 500);
  const size_t body_start = answer.find("\r\n\r\n") + 4;
  const size_t body_end = answer.find("HTTP/1.1 200 OK\r\n", body_start);
  ASSERT_NE(body_end, std::string::npos);
  const std::string body = answer.substr(body_start, body_end - body_start);
  EXPECT_GT(body.size(), 3u << 20);
  EXPECT_TRUE(
      Contains(answer.substr(0, body_start), "Content-Length: " + std::to_string(body.size())));
  const auto completion = nlohmann::json::parse(body);
  EXPECT_EQ(completion["usage"]["completion_tokens"], 600000);
  EXPECT_TRUE(answer.ends_with(R"({"status":"ok"})"));
}

TEST_F(HttpProtocolTest, LargeBodyThenAnotherRequestOnTheIdleConnection) {
  const std::string pad(300 * 1024, 'p');
  RawConnection connection(port_);
  connection.Send(RawPost("HTTP/1.1", "/v1/chat/completions",
                          ChatBody("it/chat", false, R"("custom_pad":")" + pad + "\""), ""));
  EXPECT_TRUE(Contains(connection.ReadUntil(R"("completion_tokens")"), "HTTP/1.1 200 OK\r\n"));
  connection.Send(
      RawPost("HTTP/1.1", "/v1/chat/completions", ChatBody("it/chat"), "Connection: close\r\n"));
  const std::string answer = connection.ReadUntilClose();
  EXPECT_EQ(Count(answer, "HTTP/1.1 200 OK\r\n"), 2u) << answer;
  const auto upstream = nlohmann::json::parse(LastUpstreamRequest(sim_)["body"].get<std::string>());
  EXPECT_FALSE(upstream.contains("custom_pad"));
}

}  // namespace
}  // namespace gw::testing

// Every bad input and every upstream failure gets the right status and an OpenAI-shaped error
// body whose message names the problem.
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "tests/integration/cluster.h"

namespace gw::testing {
namespace {

// Asserts the API.md error shape and returns the message.
std::string ErrorMessage(const HttpResponse& response, int status) {
  EXPECT_EQ(response.status, status) << response.body;
  const auto body = nlohmann::json::parse(response.body, nullptr, false);
  EXPECT_TRUE(body.is_object() && body.contains("error")) << response.body;
  if (!body.is_object() || !body.contains("error")) return {};
  EXPECT_EQ(body["error"]["code"], status);
  return body["error"]["message"].get<std::string>();
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class ErrorsTest : public Cluster {
 protected:
  void SetUp() override {
    sim_ = StartSimulator();
    port_ = StartGateway(GatewayYaml(
        {{"sim", sim_, ""},
         {"sim-slow", sim_, "    timeouts: { first_byte_ms: 200 }\n"},
         {"down", ClosedPort(), ""}},
        {{"it/chat", {{"sim"}}},
         {"it/down", {{"down"}}},
         {"it/slow", {{"sim-slow", "sim-model?ttft_ms=5000"}}},
         {"it/garbled", {{"sim", "sim-model?malformed=1"}}},
         {"it/limited", {{"sim", "sim-model?status=429&error_rate=1"}}},
         {"it/rejects", {{"sim", "sim-model?status=400&error_rate=1"}}},
         {"it/broken", {{"sim", "sim-model?status=503&error_rate=1"}}}},
        "  max_body_bytes: 4096\n  max_header_bytes: 2048\n  timeouts: { header_ms: 300 }\n"));
  }
  HttpResponse Chat(const std::string& body) { return Post(port_, "/v1/chat/completions", body); }
  int sim_ = 0;
  int port_ = 0;
};

TEST_F(ErrorsTest, MalformedJson) {
  EXPECT_TRUE(Contains(ErrorMessage(Chat(R"({"model": "it/chat", )"), 400), "not valid JSON"));
}

TEST_F(ErrorsTest, InvalidUtf8IsRejectedNotForwarded) {
  const std::string body =
      "{\"model\":\"it/chat\",\"messages\":[{\"role\":\"user\","
      "\"content\":\"caf\xC3\x28\"}]}";
  EXPECT_TRUE(Contains(ErrorMessage(Chat(body), 400), "UTF-8"));
  EXPECT_EQ(Get(sim_, "/sim/last-request").status, 404);  // nothing reached the provider
}

TEST_F(ErrorsTest, MissingOrEmptyMessages) {
  EXPECT_TRUE(Contains(ErrorMessage(Chat(R"({"model":"it/chat"})"), 400), "messages"));
  EXPECT_TRUE(
      Contains(ErrorMessage(Chat(R"({"model":"it/chat","messages":[]})"), 400), "messages"));
  EXPECT_TRUE(
      Contains(ErrorMessage(Chat(R"({"model":"it/chat","messages":[{"content":"x"}]})"), 400),
               "messages[0].role"));
}

TEST_F(ErrorsTest, UnknownRoleIs400NamingIt) {
  const HttpResponse response =
      Chat(R"({"model":"it/chat","messages":[{"role":"wizard","content":"x"}]})");
  EXPECT_TRUE(Contains(ErrorMessage(response, 400), "messages[0].role: unknown role \"wizard\""));
  EXPECT_EQ(Get(sim_, "/sim/last-request").status, 404);  // nothing reached the provider
}

TEST_F(ErrorsTest, MissingPromptForCompletions) {
  HttpResponse response = Post(port_, "/v1/completions", R"({"model":"it/chat"})");
  EXPECT_TRUE(Contains(ErrorMessage(response, 400), "prompt"));
}

TEST_F(ErrorsTest, MissingModel) {
  EXPECT_TRUE(Contains(ErrorMessage(Chat(R"({"messages":[{"role":"user","content":"x"}]})"), 400),
                       "model"));
}

TEST_F(ErrorsTest, UnknownModelIsNamed) {
  EXPECT_TRUE(Contains(ErrorMessage(Chat(ChatBody("acme/unknown")), 404), "acme/unknown"));
}

TEST_F(ErrorsTest, WrongTypesNameTheField) {
  EXPECT_TRUE(
      Contains(ErrorMessage(Chat(ChatBody("it/chat", false, R"("temperature":"hot")")), 400),
               "temperature"));
  EXPECT_TRUE(
      Contains(ErrorMessage(Chat(ChatBody("it/chat", false, R"("stream":"yes")")), 400), "stream"));
  EXPECT_TRUE(Contains(ErrorMessage(Chat(ChatBody("it/chat", false, R"("max_tokens":2.5)")), 400),
                       "max_tokens"));
  EXPECT_TRUE(
      Contains(ErrorMessage(Chat(R"({"model":7,"messages":[{"role":"user","content":"x"}]})"), 400),
               "model"));
}

TEST_F(ErrorsTest, BodyOverTheLimit) {
  const std::string big = ChatBody("it/chat", false, "\"pad\":\"" + std::string(8000, 'x') + "\"");
  EXPECT_TRUE(Contains(ErrorMessage(Chat(big), 413), "4096"));
}

TEST_F(ErrorsTest, HeaderOverTheLimit) {
  HttpResponse response =
      Post(port_, "/v1/chat/completions", ChatBody("it/chat"), {{"X-Big", std::string(4000, 'h')}});
  EXPECT_TRUE(Contains(ErrorMessage(response, 431), "header"));
}

TEST_F(ErrorsTest, ManySmallHeadersCountAgainstTheTotalLimit) {
  // Each field is small; together they pass the fixture's 2,048-byte limit on the whole head.
  std::vector<std::pair<std::string, std::string>> over;
  for (int i = 0; i < 40; ++i)
    over.emplace_back("X-Small-" + std::to_string(i), std::string(50, 'h'));
  EXPECT_EQ(ErrorMessage(Post(port_, "/v1/chat/completions", ChatBody("it/chat"), over), 431),
            "request header exceeds the limit of 2048 bytes");
  // Half of them fit.
  over.resize(20);
  EXPECT_EQ(Post(port_, "/v1/chat/completions", ChatBody("it/chat"), over).status, 200);
}

TEST_F(ErrorsTest, UnknownTransferEncodingIs400AndTheBodyIsNeverARequest) {
  // Without the check, Beast reads these bodies as empty and the bytes after the head as the
  // next request on the connection: the smuggled GET would be answered.
  const std::string smuggled = "GET /health HTTP/1.1\r\nHost: x\r\n\r\n";
  for (const std::string coding : {"xchunked", "gzip", "identity", "chunked, identity"}) {
    RawConnection client(port_);
    client.Send("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: " + coding +
                "\r\n\r\n" + smuggled);
    const std::string answer = client.ReadUntilClose();
    EXPECT_EQ(answer.rfind("HTTP/1.1 400 ", 0), 0u) << coding << ": " << answer;
    EXPECT_TRUE(Contains(answer, "Transfer-Encoding")) << answer;
    EXPECT_EQ(answer.find("HTTP/1.1 ", 1), std::string::npos) << "a second answer: " << answer;
    EXPECT_FALSE(Contains(answer, R"({"status":"ok"})")) << answer;
  }
}

TEST_F(ErrorsTest, ACodingBeforeChunkedIs501AndClosesTheConnection) {
  RawConnection client(port_);
  client.Send(
      "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
      "5\r\nhello\r\n0\r\n\r\n");
  const std::string answer = client.ReadUntilClose();
  EXPECT_EQ(answer.rfind("HTTP/1.1 501 ", 0), 0u) << answer;
  EXPECT_TRUE(Contains(answer, "gzip")) << answer;
  EXPECT_EQ(answer.find("HTTP/1.1 ", 1), std::string::npos) << answer;
}

TEST_F(ErrorsTest, ChunkedRequestBodyIsStillAccepted) {
  const std::string body = ChatBody("it/chat");
  char size[32];
  std::snprintf(size, sizeof size, "%zx", body.size());
  RawConnection client(port_);
  client.Send(
      "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
      "Transfer-Encoding: chunked\r\n\r\n" +
      std::string(size) + "\r\n" + body + "\r\n0\r\n\r\n");
  const std::string answer = client.ReadUntilClose();
  EXPECT_EQ(answer.rfind("HTTP/1.1 200 ", 0), 0u) << answer;
}

TEST_F(ErrorsTest, UnknownPathAndWrongMethod) {
  EXPECT_TRUE(Contains(ErrorMessage(Get(port_, "/v1/nowhere"), 404), "/v1/nowhere"));
  HttpResponse wrong = Get(port_, "/v1/chat/completions");
  EXPECT_TRUE(Contains(ErrorMessage(wrong, 405), "POST"));
  EXPECT_EQ(wrong.Header("allow"), "POST");
}

TEST_F(ErrorsTest, UnknownPathIsRefusedBeforeTheBodyIsRead) {
  RawConnection client(port_);
  // (Under this fixture's 4 KiB body limit, which would refuse it with a 413 otherwise.)
  client.Send("POST /v1/elsewhere HTTP/1.1\r\nHost: x\r\nContent-Length: 3000\r\n\r\n");
  const std::string answer = client.ReadUntil("\r\n\r\n");
  EXPECT_EQ(answer.rfind("HTTP/1.1 404", 0), 0u) << answer;
  EXPECT_TRUE(client.PeerClosed());  // the unread body cannot be followed by another request
}

TEST_F(ErrorsTest, UpstreamRefusingConnectionsIsA502NamingTheProvider) {
  HttpResponse response = Chat(ChatBody("it/down"));
  EXPECT_TRUE(Contains(ErrorMessage(response, 502), "\"down\""));
  EXPECT_EQ(response.Json()["error"]["metadata"]["provider_name"], "down");
  EXPECT_EQ(response.Header("x-generation-id").rfind("gen-", 0), 0u);
}

TEST_F(ErrorsTest, UpstreamSilentPastFirstByteTimeoutIs408) {
  EXPECT_TRUE(Contains(ErrorMessage(Chat(ChatBody("it/slow")), 408), "first byte"));
}

TEST_F(ErrorsTest, UpstreamMalformedJsonIs502WithTheRawText) {
  HttpResponse response = Chat(ChatBody("it/garbled"));
  EXPECT_TRUE(Contains(ErrorMessage(response, 502), "malformed"));
  EXPECT_FALSE(response.Json()["error"]["metadata"]["raw"].get<std::string>().empty());
}

TEST_F(ErrorsTest, UpstreamRateLimitPassesThroughWithItsOwnMessage) {
  HttpResponse response = Chat(ChatBody("it/limited"));
  ErrorMessage(response, 429);
  const auto metadata = response.Json()["error"]["metadata"];
  EXPECT_EQ(metadata["provider_name"], "sim");
  EXPECT_TRUE(Contains(metadata["raw"].get<std::string>(), "error"));
}

TEST_F(ErrorsTest, UpstreamRejectingTheRequestIs400WithItsReason) {
  HttpResponse response = Chat(ChatBody("it/rejects"));
  EXPECT_TRUE(Contains(ErrorMessage(response, 400), "HTTP 400"));
}

TEST_F(ErrorsTest, UpstreamServerErrorIs502) {
  EXPECT_TRUE(Contains(ErrorMessage(Chat(ChatBody("it/broken")), 502), "HTTP 503"));
}

TEST_F(ErrorsTest, SlowClientThatNeverFinishesItsHeadersIsClosed) {
  RawConnection connection(port_);
  connection.Send("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n");
  EXPECT_TRUE(connection.PeerClosed());
}

TEST_F(ErrorsTest, GarbageInsteadOfHttpIs400) {
  RawConnection connection(port_);
  connection.Send("HELLO THERE\r\n\r\n");
  const std::string answer = connection.ReadUntilClose();
  EXPECT_EQ(answer.rfind("HTTP/1.1 400", 0), 0u) << answer;
  EXPECT_TRUE(Contains(answer, "malformed HTTP request"));
}

}  // namespace
}  // namespace gw::testing

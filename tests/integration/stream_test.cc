// Streaming through the gateway: SSE relayed chunk by chunk with our id/model/provider, usage
// and [DONE] preserved, keep-alive comments while the provider thinks, in-band errors after the
// first byte, and a client hanging up cancels the upstream request.
#include "tests/integration/cluster.h"

namespace gw::testing {
namespace {

nlohmann::json ParseEvent(const std::string& event) { return nlohmann::json::parse(event); }

class StreamTest : public Cluster {
 protected:
  void SetUp() override {
    sim_ = StartSimulator({"--access-log"});
    port_ = StartGateway(GatewayYaml(
        {{"sim", sim_, ""},
         {"sim-impatient", sim_, "    timeouts: { idle_ms: 100 }\n"},
         {"sim-ttft-limit", sim_, "    timeouts: { first_byte_ms: 200 }\n"}},
        {{"it/chat", {{"sim"}}},
         {"it/thinking", {{"sim", "sim-model?ttft_ms=400"}}},
         {"it/drops", {{"sim", "sim-model?disconnect_after=3"}}},
         {"it/garbled", {{"sim", "sim-model?malformed=1"}}},
         {"it/unavailable", {{"sim", "sim-model?status=503&error_rate=1"}}},
         {"it/long", {{"sim", "sim-model?chunk_interval_ms=40&tokens=200"}}},
         {"it/stalls", {{"sim-impatient", "sim-model?chunk_interval_ms=1000&tokens=3"}}},
         {"it/prefill", {{"sim", "sim-model?early_head=1&ttft_ms=400"}}},
         {"it/slow-first-token",
          {{"sim-ttft-limit", "sim-model?early_head=1&ttft_ms=3000"}, {"sim", "sim-model"}}}},
        "  stream_keepalive_ms: 50\n"));
  }
  int sim_ = 0;
  int port_ = 0;
};

TEST_F(StreamTest, ChunksAreStampedAndUsageAndDoneArePreserved) {
  const auto stream =
      PostStream(port_, "/v1/chat/completions", ChatBody("it/chat", true, R"("seed":7)"));
  ASSERT_EQ(stream.status, 200);
  EXPECT_EQ(stream.headers.at("content-type"), "text/event-stream");
  ASSERT_TRUE(stream.complete);
  ASSERT_GE(stream.events.size(), 4u);
  EXPECT_EQ(stream.events.back(), "[DONE]");
  const std::string id = stream.headers.at("x-generation-id");
  std::string text;
  for (size_t i = 0; i + 1 < stream.events.size(); ++i) {
    const auto chunk = ParseEvent(stream.events[i]);
    EXPECT_EQ(chunk["id"], id);
    EXPECT_EQ(chunk["model"], "it/chat");
    EXPECT_EQ(chunk["provider"], "sim");
    EXPECT_EQ(chunk["object"], "chat.completion.chunk");
    if (!chunk["choices"].empty() && chunk["choices"][0]["delta"].contains("content")) {
      text += chunk["choices"][0]["delta"]["content"].get<std::string>();
    }
  }
  const auto usage_chunk = ParseEvent(stream.events[stream.events.size() - 2]);
  EXPECT_TRUE(usage_chunk["choices"].empty());
  EXPECT_GT(usage_chunk["usage"]["completion_tokens"].get<int>(), 0);
  // The same seed without streaming yields the same text: nothing was lost or reordered.
  const auto whole =
      Post(port_, "/v1/chat/completions", ChatBody("it/chat", false, R"("seed":7)")).Json();
  EXPECT_EQ(text, whole["choices"][0]["message"]["content"]);
}

TEST_F(StreamTest, KeepAliveCommentsWhileWaitingForTheFirstToken) {
  const auto stream = PostStream(port_, "/v1/chat/completions", ChatBody("it/thinking", true));
  ASSERT_EQ(stream.status, 200);
  EXPECT_GE(stream.comments_before_first_event, 1u);
  EXPECT_EQ(stream.comments.front(), "PROCESSING");
  EXPECT_EQ(stream.events.back(), "[DONE]");
}

TEST_F(StreamTest, KeepAlivesContinueWhenTheProviderSendsItsHeadBeforeTheFirstToken) {
  // vLLM and TGI answer with a 200 head at once and the first token after the prefill.
  const auto stream = PostStream(port_, "/v1/chat/completions", ChatBody("it/prefill", true));
  ASSERT_EQ(stream.status, 200);
  EXPECT_GE(stream.comments_before_first_event, 3u);
  EXPECT_EQ(stream.events.back(), "[DONE]");
}

TEST_F(StreamTest, FirstTokenTimeoutFailsOverToTheNextEndpoint) {
  // provider.order puts the endpoint that misses its first-token deadline first.
  const auto stream = PostStream(
      port_, "/v1/chat/completions",
      ChatBody("it/slow-first-token", true, R"("provider":{"order":["sim-ttft-limit"]})"));
  ASSERT_EQ(stream.status, 200);
  EXPECT_GE(stream.comments_before_first_event, 1u);
  EXPECT_EQ(stream.events.back(), "[DONE]");
  EXPECT_EQ(ParseEvent(stream.events.front())["provider"], "sim");
}

TEST_F(StreamTest, UpstreamDisconnectMidStreamEndsWithAnErrorChunk) {
  const auto stream = PostStream(port_, "/v1/chat/completions", ChatBody("it/drops", true));
  ASSERT_EQ(stream.status, 200);
  ASSERT_FALSE(stream.events.empty());
  EXPECT_NE(stream.events.back(), "[DONE]");
  const auto last = ParseEvent(stream.events.back());
  EXPECT_EQ(last["error"]["code"], 502);
  EXPECT_EQ(last["choices"][0]["finish_reason"], "error");
  EXPECT_EQ(last["provider"], "sim");
  EXPECT_EQ(last["id"], stream.headers.at("x-generation-id"));
  EXPECT_TRUE(stream.complete);  // the HTTP response itself ends cleanly
}

TEST_F(StreamTest, MalformedUpstreamChunkEndsWithAnErrorChunk) {
  const auto stream = PostStream(port_, "/v1/chat/completions", ChatBody("it/garbled", true));
  ASSERT_EQ(stream.status, 200);
  const auto last = ParseEvent(stream.events.back());
  EXPECT_EQ(last["error"]["code"], 502);
  EXPECT_NE(last["error"]["message"].get<std::string>().find("malformed"), std::string::npos);
  EXPECT_EQ(last["choices"][0]["finish_reason"], "error");
}

TEST_F(StreamTest, StallBetweenChunksPastTheIdleTimeoutEndsWithA408Chunk) {
  const auto stream = PostStream(port_, "/v1/chat/completions", ChatBody("it/stalls", true));
  ASSERT_EQ(stream.status, 200);
  const auto last = ParseEvent(stream.events.back());
  EXPECT_EQ(last["error"]["code"], 408);
  EXPECT_NE(last["error"]["message"].get<std::string>().find("idle"), std::string::npos);
  EXPECT_EQ(last["choices"][0]["finish_reason"], "error");
}

TEST_F(StreamTest, FailureBeforeTheFirstByteKeepsARealStatus) {
  const auto stream = PostStream(port_, "/v1/chat/completions", ChatBody("it/unavailable", true));
  EXPECT_EQ(stream.status, 502);
  EXPECT_NE(stream.body.find("HTTP 503"), std::string::npos);
}

TEST_F(StreamTest, ClientHangingUpCancelsTheUpstreamRequest) {
  const auto stream =
      PostStream(port_, "/v1/chat/completions", ChatBody("it/long", true), {}, size_t{3});
  ASSERT_EQ(stream.status, 200);
  EXPECT_FALSE(stream.complete);
  // The gateway logs the cut request, and the simulator sees its stream broken off long before
  // its 200 tokens were sent (its access log marks the response incomplete).
  auto gateway_line = gateway().WaitForLine(
      [](const std::string& l) { return l.find("\"completed\":false") != std::string::npos; });
  ASSERT_TRUE(gateway_line.has_value());
  auto upstream_line = simulators_.front()->WaitForLine(
      [](const std::string& l) { return l.find("\"completed\":false") != std::string::npos; });
  ASSERT_TRUE(upstream_line.has_value());
  // And the gateway keeps serving.
  EXPECT_EQ(Post(port_, "/v1/chat/completions", ChatBody("it/chat")).status, 200);
}

TEST_F(StreamTest, LegacyCompletionsStream) {
  const auto stream =
      PostStream(port_, "/v1/completions", R"({"model":"it/chat","prompt":"Once","stream":true})");
  ASSERT_EQ(stream.status, 200);
  EXPECT_EQ(stream.events.back(), "[DONE]");
  const auto first = ParseEvent(stream.events.front());
  EXPECT_EQ(first["model"], "it/chat");
  EXPECT_EQ(first["object"], "text_completion");
}

}  // namespace
}  // namespace gw::testing

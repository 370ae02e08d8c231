// Failover through the real gateway: an upstream 503 falls back transparently (non-stream, and
// stream before the first byte), a failure after the first byte does not, an endpoint's own
// first-token timeout moves on, and routing.retry_statuses decides which other statuses do.
#include "tests/integration/cluster.h"

namespace gw::testing {
namespace {

class FailoverTest : public Cluster {
 protected:
  // Provider "bad" serves each model's first endpoint (a separate simulator), "good" the
  // second; requests put "bad" first with provider.order.
  void Start(const std::string& routing_block = "") {
    bad_sim_ = StartSimulator();
    good_sim_ = StartSimulator();
    const std::string slow_first_token = "        first_token_timeout_ms: 300\n";
    port_ = StartGateway(GatewayYaml(
        {{"bad", bad_sim_, ""}, {"good", good_sim_, ""}},
        {{"it/unavailable", {{"bad", "sim-model?error_rate=1&status=503"}, {"good"}}},
         {"it/teapot", {{"bad", "sim-model?error_rate=1&status=418"}, {"good"}}},
         {"it/drops", {{"bad", "sim-model?disconnect_after=2&tokens=8"}, {"good"}}},
         {"it/slow",
          {{"bad", "sim-model?ttft_ms=5000", "{ prompt: 1, completion: 1 }", slow_first_token},
           {"good"}}}},
        routing_block));
  }
  std::string BadFirst(const std::string& model, bool stream) {
    return ChatBody(model, stream, R"("provider":{"order":["bad"]})");
  }
  bool GoodSimulatorWasAsked() { return Get(good_sim_, "/sim/last-request").status == 200; }

  int bad_sim_ = 0;
  int good_sim_ = 0;
  int port_ = 0;
};

TEST_F(FailoverTest, A503FallsBackTransparently) {
  Start();
  const HttpResponse response =
      Post(port_, "/v1/chat/completions", BadFirst("it/unavailable", false),
           {{"X-Gateway-Metadata", "enabled"}});
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.Json()["provider"], "good");
  EXPECT_EQ(response.Json()["model"], "it/unavailable");
  const auto metadata = nlohmann::json::parse(response.Header("x-gateway-metadata"));
  ASSERT_EQ(metadata["attempts"].size(), 2u);
  EXPECT_EQ(metadata["attempts"][0]["provider"], "bad");
  EXPECT_EQ(metadata["attempts"][0]["status"], 503);
  EXPECT_EQ(metadata["attempts"][1]["provider"], "good");
  EXPECT_EQ(metadata["attempts"][1]["status"], 200);
}

TEST_F(FailoverTest, A503BeforeTheFirstByteOfAStreamFallsBackTransparently) {
  Start();
  const auto stream = PostStream(port_, "/v1/chat/completions", BadFirst("it/unavailable", true));
  ASSERT_EQ(stream.status, 200) << stream.body;
  ASSERT_FALSE(stream.events.empty());
  EXPECT_EQ(stream.events.back(), "[DONE]");
  for (size_t i = 0; i + 1 < stream.events.size(); ++i) {
    const auto event = nlohmann::json::parse(stream.events[i]);
    EXPECT_EQ(event["provider"], "good") << stream.events[i];
    EXPECT_FALSE(event.contains("error")) << stream.events[i];
  }
}

TEST_F(FailoverTest, AFailureAfterTheFirstByteEndsWithAnErrorChunkAndNoFallback) {
  Start();
  const auto stream = PostStream(port_, "/v1/chat/completions", BadFirst("it/drops", true));
  ASSERT_EQ(stream.status, 200);
  ASSERT_GE(stream.events.size(), 2u);
  EXPECT_NE(stream.events.back(), "[DONE]");
  const auto last = nlohmann::json::parse(stream.events.back());
  EXPECT_EQ(last["error"]["code"], 502);
  EXPECT_EQ(last["choices"][0]["finish_reason"], "error");
  EXPECT_EQ(last["provider"], "bad");
  EXPECT_EQ(nlohmann::json::parse(stream.events.front())["provider"], "bad");
  EXPECT_FALSE(GoodSimulatorWasAsked());  // content was out: no second endpoint
}

TEST_F(FailoverTest, AnEndpointsFirstTokenTimeoutMovesOnToTheNext) {
  Start();
  const auto stream = PostStream(port_, "/v1/chat/completions", BadFirst("it/slow", true));
  ASSERT_EQ(stream.status, 200) << stream.body;
  EXPECT_EQ(stream.events.back(), "[DONE]");
  // The endpoint's 300 ms limit, not the provider's 60 s: had the gateway waited for the bad
  // simulator's first token (5 s), "bad" would have served the stream. Which endpoint served is
  // the behaviour; how long it took is not asserted.
  EXPECT_EQ(nlohmann::json::parse(stream.events.front())["provider"], "good");
}

TEST_F(FailoverTest, OtherStatusesFailOverOnlyWhenListedInRetryStatuses) {
  Start();
  HttpResponse response = Post(port_, "/v1/chat/completions", BadFirst("it/teapot", false));
  EXPECT_EQ(response.status, 502) << response.body;  // not a failover status by default
  EXPECT_NE(response.Json()["error"]["message"].get<std::string>().find("HTTP 418"),
            std::string::npos);
  EXPECT_FALSE(GoodSimulatorWasAsked());
}

TEST_F(FailoverTest, RetryStatusesAddStatusesThatFailOver) {
  Start("routing:\n  retry_statuses: [418]\n");
  const HttpResponse response = Post(port_, "/v1/chat/completions", BadFirst("it/teapot", false));
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.Json()["provider"], "good");
}

}  // namespace
}  // namespace gw::testing

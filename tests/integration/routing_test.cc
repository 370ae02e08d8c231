// Routing through the real gateway: the price-weighted default, :floor, provider preferences
// decoded from the request, and the errors when nothing fits (status, reasons per endpoint).
#include <map>

#include "tests/integration/cluster.h"

namespace gw::testing {
namespace {

class RoutingTest : public Cluster {
 protected:
  void SetUp() override {
    sim_ = StartSimulator();
    port_ = StartGateway(GatewayYaml({{"cheap", sim_, ""}, {"dear", sim_, ""}},
                                     {{"it/priced",
                                       {{"cheap", "sim-model", "{ prompt: 1, completion: 1 }"},
                                        {"dear", "sim-model", "{ prompt: 3, completion: 3 }"}}}}));
  }
  HttpResponse Chat(const std::string& extra, const std::string& model = "it/priced") {
    return Post(port_, "/v1/chat/completions", ChatBody(model, false, extra));
  }
  int sim_ = 0;
  int port_ = 0;
};

TEST_F(RoutingTest, DefaultPolicyPrefersTheCheaperEndpointByInverseSquarePrice) {
  std::map<std::string, int> served;
  constexpr int kRequests = 300;
  for (int i = 0; i < kRequests; ++i) {
    const HttpResponse response = Chat("");
    ASSERT_EQ(response.status, 200) << response.body;
    ++served[response.Json()["provider"].get<std::string>()];
  }
  // 1/1^2 against 1/3^2: "cheap" serves 90% (binomial sd 1.7% over 300 requests).
  EXPECT_GT(served["cheap"], kRequests * 80 / 100);
  EXPECT_GT(served["dear"], 0);
}

TEST_F(RoutingTest, FloorAlwaysPicksTheCheapest) {
  for (int i = 0; i < 30; ++i) {
    const HttpResponse response = Chat("", "it/priced:floor");
    ASSERT_EQ(response.status, 200) << response.body;
    EXPECT_EQ(response.Json()["provider"], "cheap");
    EXPECT_EQ(response.Json()["model"], "it/priced");
  }
}

TEST_F(RoutingTest, ProviderOrderIsFollowed) {
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(Chat(R"("provider":{"order":["dear"]})").Json()["provider"], "dear");
  }
}

TEST_F(RoutingTest, NothingFitsThePreferencesIs404WithEveryEndpointAndItsReason) {
  // The client's own constraints: a retry cannot help, so not a 503 (which SDKs retry).
  const HttpResponse response =
      Chat(R"("provider":{"ignore":["cheap"],"max_price":{"completion":2}})");
  ASSERT_EQ(response.status, 404) << response.body;
  const auto error = response.Json()["error"];
  EXPECT_EQ(error["code"], 404);
  const std::string message = error["message"];
  EXPECT_NE(message.find("cheap for it/priced (ignored: provider.ignore lists it)"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("dear for it/priced (max_price: completion price $3/M is above "
                         "provider.max_price.completion $2/M)"),
            std::string::npos)
      << message;
  const auto metadata = error["metadata"];
  EXPECT_EQ(metadata["code"], "no_endpoint_matches_request");
  EXPECT_EQ(metadata["requested_models"], nlohmann::json::array({"it/priced"}));
  ASSERT_EQ(metadata["excluded_by"].size(), 2u);
  EXPECT_EQ(metadata["excluded_by"][0]["provider"], "cheap");
  EXPECT_EQ(metadata["excluded_by"][0]["reason"], "ignored");
  EXPECT_EQ(metadata["excluded_by"][1]["provider"], "dear");
  EXPECT_EQ(metadata["excluded_by"][1]["reason"], "max_price");
  EXPECT_EQ(Get(sim_, "/sim/last-request").status, 404);  // nothing went upstream
}

TEST_F(RoutingTest, OnlyAProviderThatDoesNotServeTheModelIs404NamingWhatExcludedWhat) {
  const HttpResponse response = Chat(R"("provider":{"only":["elsewhere"]})");
  ASSERT_EQ(response.status, 404) << response.body;
  const std::string message = response.Json()["error"]["message"];
  EXPECT_EQ(message.rfind("no endpoint matches the request's provider preferences", 0), 0u)
      << message;
  EXPECT_NE(message.find("cheap for it/priced (not_in_only: provider.only does not list it)"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("dear for it/priced (not_in_only"), std::string::npos) << message;
  EXPECT_EQ(response.Header("retry-after"), "");
  EXPECT_EQ(Get(sim_, "/sim/last-request").status, 404);  // nothing went upstream
}

TEST_F(RoutingTest, ARequestLargerThanEveryContextIs400) {
  const HttpResponse response = Chat(R"("max_tokens":2000000)");
  ASSERT_EQ(response.status, 400) << response.body;
  EXPECT_EQ(response.Json()["error"]["metadata"]["code"], "request_too_large");
  EXPECT_EQ(response.Json()["error"]["metadata"]["excluded_by"][0]["reason"], "context_length");
}

TEST_F(RoutingTest, UnknownVariantIs404) {
  const HttpResponse response = Chat("", "it/priced:turbo");
  ASSERT_EQ(response.status, 404) << response.body;
  EXPECT_EQ(response.Json()["error"]["metadata"]["unknown_models"],
            nlohmann::json::array({"it/priced:turbo"}));
}

TEST_F(RoutingTest, BadPreferencesAre400NamingTheField) {
  const HttpResponse response = Chat(R"("provider":{"sort":"fastest"})");
  ASSERT_EQ(response.status, 400) << response.body;
  EXPECT_EQ(response.Json()["error"]["message"],
            "provider.sort: expected one of price, throughput, latency, got \"fastest\"");
  EXPECT_EQ(Get(sim_, "/sim/last-request").status, 404);
}

TEST_F(RoutingTest, GatewayMetadataOnRequest) {
  const Headers ask{{"X-Gateway-Metadata", "enabled"}};
  const HttpResponse response =
      Post(port_, "/v1/chat/completions", ChatBody("it/priced:floor", false, ""), ask);
  ASSERT_EQ(response.status, 200) << response.body;
  const auto metadata = nlohmann::json::parse(response.Header("x-gateway-metadata"));
  EXPECT_EQ(metadata["strategy"], "sort_price");
  ASSERT_EQ(metadata["candidates"].size(), 2u);
  EXPECT_EQ(metadata["candidates"][0]["provider"], "cheap");
  EXPECT_EQ(metadata["candidates"][1]["provider"], "dear");
  ASSERT_EQ(metadata["attempts"].size(), 1u);
  EXPECT_EQ(metadata["attempts"][0]["provider"], "cheap");
  EXPECT_EQ(metadata["attempts"][0]["model"], "it/priced");
  EXPECT_EQ(metadata["attempts"][0]["status"], 200);
  EXPECT_GT(metadata["attempts"][0]["latency_ms"].get<double>(), 0);
  EXPECT_FALSE(metadata["attempts"][0].contains("error"));

  const auto stream =
      PostStream(port_, "/v1/chat/completions",
                 ChatBody("it/priced", true, R"("provider":{"ignore":["dear"]})"), ask);
  ASSERT_EQ(stream.status, 200);
  const auto streamed = nlohmann::json::parse(stream.headers.at("x-gateway-metadata"));
  EXPECT_EQ(streamed["strategy"], "price_weighted");
  EXPECT_EQ(streamed["serving"]["provider"], "cheap");
  EXPECT_EQ(streamed["excluded"][0]["provider"], "dear");
  EXPECT_EQ(streamed["excluded"][0]["reason"], "ignored");

  EXPECT_EQ(Post(port_, "/v1/chat/completions", ChatBody("it/priced")).Header("x-gateway-metadata"),
            "");
}

TEST_F(RoutingTest, PreferencesAreNotForwarded) {
  ASSERT_EQ(Chat(R"("provider":{"sort":"price"})").status, 200);
  const auto upstream = nlohmann::json::parse(LastUpstreamRequest(sim_)["body"].get<std::string>());
  EXPECT_FALSE(upstream.contains("provider"));
}

}  // namespace
}  // namespace gw::testing

namespace gw::testing {
namespace {

// routing.max_attempts and routing.total_timeout_ms bound the failover.
class RoutingLimitsTest : public Cluster {
 protected:
  void Start(const std::string& routing_block) {
    sim_ = StartSimulator();
    const std::string failing = "sim-model?status=503&error_rate=1";
    const std::string slow = "sim-model?ttft_ms=5000";
    // The block lands at column 0 after the server block: a top-level `routing:`.
    port_ = StartGateway(
        GatewayYaml({{"p1", sim_, ""}, {"p2", sim_, ""}, {"p3", sim_, ""}},
                    {{"it/broken", {{"p1", failing}, {"p2", failing}, {"p3", failing}}},
                     {"it/slow", {{"p1", slow}, {"p2", slow}}}},
                    routing_block));
  }
  int sim_ = 0;
  int port_ = 0;
};

TEST_F(RoutingLimitsTest, MaxAttemptsBoundsTheFailover) {
  Start("routing:\n  max_attempts: 2\n");
  const HttpResponse response = Post(port_, "/v1/chat/completions", ChatBody("it/broken"),
                                     {{"X-Gateway-Metadata", "enabled"}});
  ASSERT_EQ(response.status, 502) << response.body;
  EXPECT_EQ(response.Json()["error"]["metadata"]["attempts"].size(), 2u) << response.body;
  const auto metadata = nlohmann::json::parse(response.Header("x-gateway-metadata"));
  ASSERT_EQ(metadata["attempts"].size(), 2u);
  EXPECT_EQ(metadata["attempts"][0]["status"], 503);
  EXPECT_NE(metadata["attempts"][0]["error"].get<std::string>().find("HTTP 503"),
            std::string::npos);
  EXPECT_EQ(metadata["candidates"].size(), 3u);
}

TEST_F(RoutingLimitsTest, TotalTimeoutEndsTheRequestAcrossAttempts) {
  Start("routing:\n  total_timeout_ms: 300\n");
  const HttpResponse response = Post(port_, "/v1/chat/completions", ChatBody("it/slow"));
  // A 408, not the simulator's answer after its 5 s first token: the request's own deadline
  // ended it (the status is the behaviour; the time taken is not asserted).
  ASSERT_EQ(response.status, 408) << response.body;
  // One attempt ran into the request's deadline; no second one was started after it.
  EXPECT_FALSE(response.Json()["error"]["metadata"].contains("attempts")) << response.body;
}

}  // namespace
}  // namespace gw::testing

// Live endpoint health through the real gateway: an endpoint that fails is detected as in
// outage and skipped, probed again after its cooldown and back in service once it answers;
// GET /v1/models/{id}/endpoints publishes the measurements; :nitro converges on the fastest
// endpoint once measured; a session sticks to its endpoint.
#include <map>
#include <set>

#include "tests/integration/cluster.h"
#include "tests/integration/wait_until.h"

namespace gw::testing {
namespace {

class HealthTest : public Cluster {
 protected:
  nlohmann::json Endpoints(const std::string& model) {
    const HttpResponse response = Get(port_, "/v1/models/" + model + "/endpoints");
    EXPECT_EQ(response.status, 200) << response.body;
    return response.Json()["data"]["endpoints"];
  }
  // The published row of `provider` in `model`'s endpoints.
  nlohmann::json Row(const std::string& model, const std::string& provider) {
    for (const auto& row : Endpoints(model)) {
      if (row["provider_name"] == provider) return row;
    }
    ADD_FAILURE() << "no endpoint of " << provider;
    return {};
  }
  // Polls the endpoints API until `provider`'s status is `status` (false after WaitUntil's
  // safety limit). The gateway publishes health about once a second: this waits for a state,
  // not for a time.
  bool WaitForStatus(const std::string& model, const std::string& provider,
                     const std::string& status) {
    return WaitUntil([&] { return Row(model, provider)["status_name"] == status; });
  }
  std::string ServedBy(const std::string& body, const Headers& headers = {}) {
    const HttpResponse response = Post(port_, "/v1/chat/completions", body, headers);
    EXPECT_EQ(response.status, 200) << response.body;
    return response.Json().value("provider", "");
  }

  int port_ = 0;
};

TEST_F(HealthTest, AFailingEndpointIsSkippedAndProbedAgainAfterItsCooldown) {
  const int sim = StartSimulator();
  const int flaky_port = ClosedPort();  // refuses connections until a simulator starts there
  port_ =
      StartGateway(GatewayYaml({{"flaky", flaky_port, ""}, {"good", sim, ""}},
                               {{"it/h",
                                 {{"flaky", "sim-model", "{ prompt: 1, completion: 1 }"},
                                  {"good", "sim-model", "{ prompt: 3, completion: 3 }"}}}},
                               "routing:\n  health:\n    cooldown_s: 4\n    probe_percent: 100\n"));
  const std::string floor = ChatBody("it/h:floor");  // flaky, the cheapest, first while stable
  EXPECT_EQ(Row("it/h", "flaky")["status_name"], "ok");
  // Each request fails on flaky and falls back: the client sees only successes.
  for (int i = 0; i < 6; ++i) EXPECT_EQ(ServedBy(floor), "good");
  ASSERT_TRUE(WaitForStatus("it/h", "flaky", "outage"));
  const nlohmann::json row = Row("it/h", "flaky");
  EXPECT_EQ(row["status"], -2);
  EXPECT_EQ(row["uptime_last_30m"], 0.0);

  // In outage: tried last, so the request goes to good without touching flaky.
  const HttpResponse skipped =
      Post(port_, "/v1/chat/completions", floor, {{"X-Gateway-Metadata", "enabled"}});
  ASSERT_EQ(skipped.status, 200);
  const auto metadata = nlohmann::json::parse(skipped.Header("x-gateway-metadata"));
  ASSERT_EQ(metadata["candidates"].size(), 2u);
  EXPECT_EQ(metadata["candidates"][0]["provider"], "good");
  EXPECT_EQ(metadata["candidates"][1]["provider"], "flaky");
  EXPECT_EQ(metadata["candidates"][1]["status"], "outage");
  EXPECT_EQ(metadata["attempts"].size(), 1u);

  // The provider comes back; after the cooldown real traffic probes it and it serves again.
  StartSimulatorAt(flaky_port);
  ASSERT_TRUE(WaitForStatus("it/h", "flaky", "half_open"));
  EXPECT_EQ(ServedBy(floor), "flaky");  // the probe (probe_percent: 100)
  ASSERT_TRUE(WaitForStatus("it/h", "flaky", "ok"));
  for (int i = 0; i < 5; ++i) EXPECT_EQ(ServedBy(floor), "flaky");
}

TEST_F(HealthTest, OutagePolicyExcludeNamesTheOutageInTheError) {
  port_ = StartGateway(
      GatewayYaml({{"down", ClosedPort(), ""}}, {{"it/down", {{"down"}}}},
                  "routing:\n  health:\n    outage_min_requests: 3\n    outage_policy: exclude\n"));
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(Post(port_, "/v1/chat/completions", ChatBody("it/down")).status, 502);
  }
  ASSERT_TRUE(WaitForStatus("it/down", "down", "outage"));
  const HttpResponse response = Post(port_, "/v1/chat/completions", ChatBody("it/down"));
  ASSERT_EQ(response.status, 503) << response.body;
  const auto error = response.Json()["error"];
  EXPECT_NE(error["message"].get<std::string>().find("outage"), std::string::npos);
  EXPECT_EQ(error["metadata"]["excluded_by"][0]["reason"], "outage") << response.body;
}

TEST_F(HealthTest, EndpointsApiPublishesWhatWasMeasured) {
  const int sim = StartSimulator();
  port_ = StartGateway(GatewayYaml({{"p1", sim, ""}, {"p2", sim, ""}},
                                   {{"it/measured",
                                     {{"p1", "sim-model?ttft_ms=40&tokens=10&tokens_per_second=500",
                                       "{ prompt: 1, completion: 2 }"},
                                      {"p2", "sim-model", "{ prompt: 5, completion: 5 }"}}}}));
  const nlohmann::json fresh = Row("it/measured", "p1");
  EXPECT_EQ(fresh["status"], 0);
  EXPECT_TRUE(fresh["uptime_last_30m"].is_null());
  EXPECT_TRUE(fresh["latency_last_30m"].is_null());
  EXPECT_EQ(fresh["pricing"]["prompt"], "0.000001");
  EXPECT_EQ(fresh["pricing"]["completion"], "0.000002");

  for (int i = 0; i < 5; ++i) {
    const auto stream =
        PostStream(port_, "/v1/chat/completions", ChatBody("it/measured:floor", true));
    ASSERT_EQ(stream.status, 200);
  }
  nlohmann::json row;
  WaitUntil([&] {
    row = Row("it/measured", "p1");
    return row["requests_last_30m"] == 5;
  });
  ASSERT_EQ(row["requests_last_30m"], 5) << row.dump();
  EXPECT_EQ(row["uptime_last_30m"], 100.0);
  EXPECT_EQ(row["uptime_last_5m"], 100.0);
  EXPECT_EQ(row["status_name"], "ok");
  // 40 ms to the first token: no first token can come sooner (the lower bound is behaviour;
  // 35 allows for the histogram's bucket resolution).
  // The upper bound is a safety net against a unit mistake (microseconds would read 40000),
  // generous enough for the sanitizer build on a loaded machine; it does not time the gateway.
  const double latency_p50 = row["latency_last_30m"]["p50"];
  EXPECT_GT(latency_p50, 35);
  EXPECT_LT(latency_p50, 4000);
  // Measured, and a rate (the comparison of two rates is NitroConverges... below).
  const double throughput_p50 = row["throughput_last_30m"]["p50"];
  EXPECT_GT(throughput_p50, 0);
  EXPECT_LE(row["latency_last_30m"]["p50"], row["latency_last_30m"]["p99"]);
  EXPECT_TRUE(Row("it/measured", "p2")["uptime_last_30m"].is_null());  // never used

  const HttpResponse alias = Get(port_, "/api/v1/models/it/measured/endpoints");
  EXPECT_EQ(alias.status, 200);
  const HttpResponse unknown = Get(port_, "/v1/models/it/nope/endpoints");
  ASSERT_EQ(unknown.status, 404);
  EXPECT_NE(unknown.Json()["error"]["message"].get<std::string>().find("it/nope"),
            std::string::npos);
}

TEST_F(HealthTest, NitroConvergesOnTheFastestEndpointOnceMeasured) {
  const int sim = StartSimulator();
  // The slow one is listed first: before any measurement it is tried first.
  port_ = StartGateway(GatewayYaml({{"slow", sim, ""}, {"fast", sim, ""}},
                                   {{"it/speed",
                                     {{"slow", "sim-model?tokens=12&tokens_per_second=60"},
                                      {"fast", "sim-model?tokens=12&tokens_per_second=3000"}}}}));
  // One request per try, spaced by WaitUntil's backoff: until the measurements are published
  // (about once a second) the order is the configured one.
  std::set<std::string> seen;
  int fast_in_a_row = 0;
  WaitUntil(
      [&] {
        const std::string provider = ServedBy(ChatBody("it/speed:nitro"));
        seen.insert(provider);
        fast_in_a_row = provider == "fast" ? fast_in_a_row + 1 : 0;
        return fast_in_a_row == 10;
      },
      std::chrono::seconds(60));
  EXPECT_EQ(fast_in_a_row, 10);
  EXPECT_TRUE(seen.count("slow"));  // the warm-up measured it
  // The last requests reach the published numbers with the next fold.
  nlohmann::json slow, fast;
  WaitUntil([&] {
    slow = Row("it/speed", "slow")["throughput_last_30m"];
    fast = Row("it/speed", "fast")["throughput_last_30m"];
    return !slow.is_null() && !fast.is_null();
  });
  ASSERT_FALSE(slow.is_null());
  ASSERT_FALSE(fast.is_null());
  EXPECT_GT(fast["p50"].get<double>(), slow["p50"].get<double>() * 3);
}

TEST_F(HealthTest, ASessionSticksToItsEndpoint) {
  const int sim = StartSimulator();
  // Equal prices: without a session the gateway draws 50/50 with its own, randomly seeded,
  // generator, which a test cannot seed. So nothing here depends on that draw: each session's
  // first request is pinned to an endpoint with `provider.only` (the gateway remembers
  // whichever endpoint served it), and what is asserted afterwards is what the gateway says it
  // did: the metadata's "sticky": true (the session's endpoint was put first) and the provider
  // that served. Half the sessions are pinned to each endpoint, so both are shown sticking.
  port_ = StartGateway(
      GatewayYaml({{"p1", sim, ""}, {"p2", sim, ""}}, {{"it/sticky", {{"p1"}, {"p2"}}}}));
  const Headers ask_metadata = {{"X-Gateway-Metadata", "enabled"}};
  for (int session = 0; session < 4; ++session) {
    const std::string id = "session-" + std::to_string(session);
    const std::string pinned = session % 2 == 0 ? "p1" : "p2";
    const std::string session_field = R"("session_id":")" + id + "\"";
    const std::string first_body =
        ChatBody("it/sticky", false, session_field + R"(,"provider":{"only":[")" + pinned + "\"]}");
    ASSERT_EQ(ServedBy(first_body), pinned) << id;
    const std::string body = ChatBody("it/sticky", false, session_field);
    for (int i = 0; i < 3; ++i) {
      const HttpResponse response = Post(port_, "/v1/chat/completions", body, ask_metadata);
      ASSERT_EQ(response.status, 200) << response.body;
      EXPECT_EQ(response.Json()["provider"], pinned) << id;
      EXPECT_EQ(nlohmann::json::parse(response.Header("x-gateway-metadata"))["sticky"], true) << id;
    }
    // The x-session-id header is the same key.
    Headers by_header = ask_metadata;
    by_header.emplace_back("x-session-id", id);
    const HttpResponse response =
        Post(port_, "/v1/chat/completions", ChatBody("it/sticky"), by_header);
    ASSERT_EQ(response.status, 200) << response.body;
    EXPECT_EQ(response.Json()["provider"], pinned) << id;
    EXPECT_EQ(nlohmann::json::parse(response.Header("x-gateway-metadata"))["sticky"], true) << id;
  }
  // Without a session nothing is sticky.
  const HttpResponse plain =
      Post(port_, "/v1/chat/completions", ChatBody("it/sticky"), ask_metadata);
  ASSERT_EQ(plain.status, 200);
  EXPECT_EQ(nlohmann::json::parse(plain.Header("x-gateway-metadata"))["sticky"], false);
}

}  // namespace
}  // namespace gw::testing

// The gateway's pool of upstream keep-alive connections against a server that closes them: a
// pooled connection that the provider has closed since its last answer (a stale connection) is
// never a failure the client or the health tracker sees. Whether the gateway notices the close
// when it takes the connection from the pool, or when the request written on it gets no answer
// (then it retries once on a fresh connection: providers/http/upstream_client.h), the request is
// served by the same endpoint in one attempt.
#include "tests/common/prometheus_text.h"
#include "tests/integration/cluster.h"
#include "tests/integration/wait_until.h"

namespace gw::testing {
namespace {

using nlohmann::json;

class UpstreamPoolTest : public Cluster {
 protected:
  double Metric(const std::string& series) {
    return ParsePrometheusText(Get(port_, "/metrics").body).Value(series);
  }
  // The published row of `provider` in `model`'s endpoints (null if absent).
  json Row(const std::string& model, const std::string& provider) {
    // Named: a range-for over a member of a temporary would dangle.
    const json answer = Get(port_, "/v1/models/" + model + "/endpoints").Json();
    for (const json& row : answer["data"]["endpoints"]) {
      if (row["provider_name"] == provider) return row;
    }
    return json();
  }

  int port_ = 0;
};

TEST_F(UpstreamPoolTest, AStalePooledConnectionIsReplacedWithoutFailoverOrHealthPenalty) {
  const int sim = StartSimulator();
  ChildProcess& simulator = *simulators_.back();
  // Two models on one provider, so one pool: "closing" makes the simulator close the connection
  // right after its answer (docs/simulator.md, close_after_response); "pooled" keeps it open.
  // A backup endpoint on another provider would take over if the gateway failed over.
  const int backup = StartSimulator();
  std::string yaml = GatewayYaml({{"sim", sim, ""}, {"backup", backup, ""}},
                                 {{"it/closing", {{"sim", "sim-model?close_after_response=true"}}},
                                  {"it/pooled", {{"sim", "sim-model"}, {"backup"}}}});
  // One worker, so one pool: every request meets the connection the previous one left.
  const std::string two_workers = "  workers: 2\n";
  yaml.replace(yaml.find(two_workers), two_workers.size(), "  workers: 1\n");
  port_ = StartGateway(yaml);
  const Headers metadata = {{"X-Gateway-Metadata", "enabled"}};
  const std::string pooled = ChatBody("it/pooled", false, R"("provider":{"order":["sim"]})");

  ASSERT_EQ(Post(port_, "/v1/chat/completions", ChatBody("it/closing")).status, 200);
  // The simulator has closed the connection the gateway pooled (its line comes after the close).
  ASSERT_TRUE(simulator
                  .WaitForLine([](const std::string& line) {
                    return line.find("\"event\":\"connection_closed\"") != std::string::npos;
                  })
                  .has_value());

  const HttpResponse after_close = Post(port_, "/v1/chat/completions", pooled, metadata);
  ASSERT_EQ(after_close.status, 200) << after_close.body;
  EXPECT_EQ(after_close.Json()["provider"], "sim");
  const json attempts = json::parse(after_close.Header("x-gateway-metadata"))["attempts"];
  ASSERT_EQ(attempts.size(), 1u) << attempts;  // no failover
  EXPECT_EQ(attempts[0]["provider"], "sim");
  EXPECT_EQ(attempts[0]["status"], 200);
  // The stale connection did not serve: the gateway opened a second one.
  EXPECT_EQ(Metric(R"(gateway_upstream_connections_opened_total{provider="sim"})"), 2);

  // The pool works as before: the next request reuses the connection just opened.
  const double reused = Metric(R"(gateway_upstream_connections_reused_total{provider="sim"})");
  ASSERT_EQ(Post(port_, "/v1/chat/completions", pooled).status, 200);
  EXPECT_EQ(Metric(R"(gateway_upstream_connections_reused_total{provider="sim"})"), reused + 1);
  EXPECT_EQ(Metric(R"(gateway_upstream_connections_opened_total{provider="sim"})"), 2);

  // No health penalty: both requests count as successes of the endpoint.
  json row;
  ASSERT_TRUE(WaitUntil([&] {
    row = Row("it/pooled", "sim");
    return !row.is_null() && row["requests_last_30m"] == 2;
  })) << Get(port_, "/v1/models/it/pooled/endpoints").body;
  EXPECT_EQ(row["status_name"], "ok");
  EXPECT_EQ(row["uptime_last_30m"], 100.0);
  EXPECT_EQ(Get(backup, "/sim/last-request").status, 404);  // the backup was never asked
}

}  // namespace
}  // namespace gw::testing

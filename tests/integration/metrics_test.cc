// GET /metrics on the real gateway: the page parses under the exposition-format rules (our
// strict reader and Prometheus' own promtool), and its counters, histograms and gauges match
// the traffic the test sent.
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <fstream>

#include "tests/common/prometheus_text.h"
#include "tests/integration/cluster.h"

namespace gw::testing {
namespace {

// One worker: a request's metrics are recorded right after its last byte is written, and with
// a single io_context that happens before the next request (the scrape) is handled.
std::string OneWorker(std::string yaml) {
  const size_t at = yaml.find("workers: 2");
  yaml.replace(at, 10, "workers: 1");
  return yaml;
}

struct CommandResult {
  int exit_code = -1;
  std::string output;
};

// Runs `command` through the shell with `input` on stdin; returns its exit code and output.
CommandResult RunWithInput(const std::string& command, const std::string& input) {
  const std::string path = ::testing::TempDir() + "metrics_page.txt";
  std::ofstream(path) << input;
  CommandResult result;
  FILE* pipe = popen((command + " < " + path + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> chunk;
  size_t n = 0;
  while ((n = fread(chunk.data(), 1, chunk.size(), pipe)) > 0)
    result.output.append(chunk.data(), n);
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

// it/fallback with its unreachable endpoint tried first.
std::string FallbackBody() {
  return ChatBody("it/fallback", false, R"("provider":{"order":["down","sim"]})");
}

class MetricsTest : public Cluster {
 protected:
  void Start(const std::string& server_extra) {
    sim_ = StartSimulator();
    port_ = StartGateway(OneWorker(
        GatewayYaml({{"sim", sim_, ""}, {"down", ClosedPort(), ""}},
                    {{"it/chat", {{"sim"}}}, {"it/fallback", {{"down"}, {"sim"}}}}, server_extra)));
  }
  PrometheusPage Scrape() {
    const HttpResponse response = Get(port_, "/metrics");
    EXPECT_EQ(response.status, 200) << response.body;
    EXPECT_EQ(response.Header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
    page_text_ = response.body;
    PrometheusPage page = ParsePrometheusText(response.body);
    for (const std::string& problem : page.problems) ADD_FAILURE() << problem;
    return page;
  }
  int sim_ = 0;
  int port_ = 0;
  std::string page_text_;
};

TEST_F(MetricsTest, CountsRequestsAttemptsAndLatencies) {
  Start("  access_log: false\n");
  ASSERT_EQ(Post(port_, "/v1/chat/completions", ChatBody("it/chat")).status, 200);
  ASSERT_EQ(Post(port_, "/v1/chat/completions", ChatBody("it/chat")).status, 200);
  ASSERT_TRUE(PostStream(port_, "/v1/chat/completions", ChatBody("it/chat", true)).complete);
  ASSERT_EQ(Post(port_, "/v1/chat/completions", FallbackBody()).status, 200);
  ASSERT_EQ(Post(port_, "/v1/chat/completions", ChatBody("it/missing")).status, 404);
  ASSERT_EQ(Post(port_, "/v1/chat/completions", "{").status, 400);
  ASSERT_EQ(Get(port_, "/no/such/path").status, 404);

  const PrometheusPage page = Scrape();
  EXPECT_EQ(page.Value("gateway_requests_total{endpoint=\"chat_completions\",model=\"it/chat\","
                       "provider=\"sim\",status=\"200\"}"),
            3);
  EXPECT_EQ(page.Value("gateway_requests_total{endpoint=\"chat_completions\",model=\"it/fallback\","
                       "provider=\"sim\",status=\"200\"}"),
            1);
  // Requests that reached no provider carry no model label (it would be raw client input).
  EXPECT_EQ(page.Value("gateway_requests_total{endpoint=\"chat_completions\",model=\"\","
                       "provider=\"\",status=\"404\"}"),
            1);
  EXPECT_EQ(page.Value("gateway_requests_total{endpoint=\"chat_completions\",model=\"\","
                       "provider=\"\",status=\"400\"}"),
            1);
  EXPECT_EQ(
      page.Value(
          "gateway_requests_total{endpoint=\"other\",model=\"\",provider=\"\",status=\"404\"}"),
      1);
  EXPECT_EQ(page.Value("gateway_upstream_attempts_total{provider=\"sim\",result=\"ok\"}"), 4);
  EXPECT_EQ(
      page.Value("gateway_upstream_attempts_total{provider=\"down\",result=\"connect_failed\"}"),
      1);
  EXPECT_EQ(
      page.Value("gateway_request_duration_seconds_count{model=\"it/chat\",provider=\"sim\"}"), 3);
  EXPECT_GT(page.Value("gateway_request_duration_seconds_sum{model=\"it/chat\",provider=\"sim\"}"),
            0);
  EXPECT_EQ(
      page.Value("gateway_time_to_first_token_seconds_count{model=\"it/chat\",provider=\"sim\"}"),
      1);
  EXPECT_EQ(page.Value("gateway_overhead_seconds_count"), 4);
  // The gateway's own share of a request is a part of the whole.
  EXPECT_GT(page.Value("gateway_overhead_seconds_sum"), 0);
  EXPECT_LT(
      page.Value("gateway_overhead_seconds_sum"),
      page.Value("gateway_request_duration_seconds_sum{model=\"it/chat\",provider=\"sim\"}") +
          page.Value(
              "gateway_request_duration_seconds_sum{model=\"it/fallback\",provider=\"sim\"}"));
  EXPECT_EQ(page.Value("gateway_requests_in_flight"), 1);  // the scrape itself
  // Four answers came over keep-alive connections that are back in the pool now.
  EXPECT_GE(page.Value("gateway_upstream_connections{provider=\"sim\",state=\"idle\"}"), 1);
  EXPECT_EQ(page.Value("gateway_upstream_connections{provider=\"sim\",state=\"busy\"}"), 0);
  EXPECT_EQ(page.Value("gateway_upstream_connections{provider=\"down\",state=\"idle\"}"), 0);
  EXPECT_EQ(page.Value("gateway_upstream_connections_opened_total{provider=\"sim\"}") +
                page.Value("gateway_upstream_connections_reused_total{provider=\"sim\"}"),
            4);
  EXPECT_GT(page.Value("process_resident_memory_bytes"), 0);
  EXPECT_EQ(page.Value("gateway_build_info{version=\"" + std::string(GW_VERSION) + "\"}"), 1);
}

TEST_F(MetricsTest, PromtoolAcceptsThePage) {
  Start("  access_log: false\n");
  ASSERT_EQ(Post(port_, "/v1/chat/completions", FallbackBody()).status, 200);
  ASSERT_TRUE(PostStream(port_, "/v1/chat/completions", ChatBody("it/chat", true)).complete);
  Scrape();
  // promtool is Prometheus' own checker (Debian package prometheus, installed by
  // scripts/install-deps.sh): format errors and naming-convention lint both fail it.
  const CommandResult check = RunWithInput("promtool check metrics", page_text_);
  EXPECT_EQ(check.exit_code, 0) << check.output;
  EXPECT_EQ(check.output, "");
}

TEST_F(MetricsTest, NeedsNoKeyByDefaultEvenWhenInferenceDoes) {
  setenv("IT_METRICS_KEY", "sk-metrics-test", 1);
  Start("  auth:\n    keys: [\"${IT_METRICS_KEY}\"]\n");
  EXPECT_EQ(Post(port_, "/v1/chat/completions", ChatBody("it/chat")).status, 401);
  EXPECT_EQ(Get(port_, "/metrics").status, 200);
}

TEST_F(MetricsTest, RequireKeyRefusesScrapesWithoutAValidKey) {
  setenv("IT_METRICS_KEY", "sk-metrics-test", 1);
  Start("  auth:\n    keys: [\"${IT_METRICS_KEY}\"]\n  metrics: { require_key: true }\n");
  const HttpResponse refused = Get(port_, "/metrics");
  EXPECT_EQ(refused.status, 401);
  EXPECT_EQ(refused.Json()["error"]["code"], 401);
  const HttpResponse wrong = Get(port_, "/metrics", {{"Authorization", "Bearer sk-wrong"}});
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(Get(port_, "/metrics", {{"Authorization", "Bearer sk-metrics-test"}}).status, 200);
}

TEST_F(MetricsTest, DisabledMetricsIsAnUnknownPath) {
  Start("  metrics: { enabled: false }\n");
  const HttpResponse response = Get(port_, "/metrics");
  EXPECT_EQ(response.status, 404);
  EXPECT_NE(response.Json()["error"]["message"].get<std::string>().find("/metrics"),
            std::string::npos);
}

}  // namespace
}  // namespace gw::testing

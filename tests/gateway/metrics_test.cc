#include <gtest/gtest.h>

#include "gateway/metrics/gateway_metrics.h"
#include "gateway/metrics/prometheus_writer.h"
#include "tests/common/prometheus_text.h"

namespace gw::metrics {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;
using testing::ParsePrometheusText;

constexpr std::chrono::nanoseconds kBounds[] = {milliseconds(1), milliseconds(10)};

TEST(DurationHistogramTest, CountsEachValueInTheFirstBucketThatHoldsIt) {
  DurationHistogram histogram(kBounds);
  histogram.Observe(microseconds(500));
  histogram.Observe(milliseconds(1));  // upper bounds are inclusive
  histogram.Observe(milliseconds(5));
  histogram.Observe(milliseconds(50));
  EXPECT_EQ(histogram.counts(), (std::vector<uint64_t>{2, 1, 1}));
  EXPECT_EQ(histogram.count(), 4u);
  EXPECT_EQ(histogram.sum_ns(), 56'500'000);
}

TEST(PrometheusWriterTest, HistogramIsCumulativeWithSumInSeconds) {
  DurationHistogram histogram(kBounds);
  histogram.Observe(microseconds(500));
  histogram.Observe(milliseconds(5));
  histogram.Observe(milliseconds(50));
  PrometheusWriter out;
  out.Family("t_seconds", "histogram", "Test.");
  out.Histogram("t_seconds", {{"model", "m"}}, histogram);
  EXPECT_EQ(out.text(),
            "# HELP t_seconds Test.\n"
            "# TYPE t_seconds histogram\n"
            "t_seconds_bucket{model=\"m\",le=\"0.001\"} 1\n"
            "t_seconds_bucket{model=\"m\",le=\"0.01\"} 2\n"
            "t_seconds_bucket{model=\"m\",le=\"+Inf\"} 3\n"
            "t_seconds_sum{model=\"m\"} 0.0555\n"
            "t_seconds_count{model=\"m\"} 3\n");
  const auto page = ParsePrometheusText(out.text());
  EXPECT_TRUE(page.problems.empty()) << page.problems.front();
}

TEST(PrometheusWriterTest, EscapesLabelValuesAndHelpText) {
  PrometheusWriter out;
  out.Family("t_total", "counter", "Back\\slash and\nnewline.");
  out.Sample("t_total", {{"model", "a\"b\\c\nd"}}, uint64_t{7});
  EXPECT_EQ(out.text(),
            "# HELP t_total Back\\\\slash and\\nnewline.\n"
            "# TYPE t_total counter\n"
            "t_total{model=\"a\\\"b\\\\c\\nd\"} 7\n");
  const auto page = ParsePrometheusText(out.text());
  ASSERT_TRUE(page.problems.empty()) << page.problems.front();
  EXPECT_EQ(page.Value("t_total{model=\"a\"b\\c\nd\"}"), 7);
}

TEST(PrometheusTextParserTest, RejectsWhatAScraperWouldReject) {
  // The parser guards the tests below: make sure it can fail.
  EXPECT_FALSE(ParsePrometheusText("x_total 1\n").problems.empty());  // no TYPE
  EXPECT_FALSE(ParsePrometheusText("# HELP h H.\n# TYPE h histogram\n"
                                   "h_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\n"
                                   "h_sum 1\nh_count 1\n")
                   .problems.empty());  // not cumulative
  EXPECT_FALSE(ParsePrometheusText("# HELP g G.\n# TYPE g gauge\ng{a=\"x} 1\n").problems.empty());
}

RequestSample Inference(std::string_view provider, int status, milliseconds total) {
  RequestSample sample;
  sample.endpoint = "chat_completions";
  sample.model = "m/one";
  sample.provider = provider;
  sample.status = status;
  sample.total = total;
  sample.overhead = microseconds(80);
  return sample;
}

TEST(GatewayMetricsTest, FoldsTheWorkersIntoOnePage) {
  GatewayMetrics metrics({"p1", "p2"});
  WorkerMetrics& first = metrics.AddWorker();
  WorkerMetrics& second = metrics.AddWorker();
  first.RecordRequest(Inference("p1", 200, milliseconds(20)));
  second.RecordRequest(Inference("p1", 200, milliseconds(200)));
  RequestSample streamed = Inference("p2", 200, milliseconds(3));
  streamed.time_to_first_token = milliseconds(2);
  second.RecordRequest(streamed);
  RequestSample refused;
  refused.endpoint = "chat_completions";
  refused.status = 400;
  refused.total = microseconds(30);
  first.RecordRequest(refused);
  first.RecordAttempt("p1", "ok");
  second.RecordAttempt("p1", "ok");
  second.RecordAttempt("p2", "connect_failed");
  first.RequestBegan();
  second.RequestBegan();
  second.RequestEnded();
  providers::AddRelaxed<int64_t>(first.pools().at("p1").idle, 3);
  providers::AddRelaxed<int64_t>(second.pools().at("p1").idle, 1);

  const auto page = ParsePrometheusText(metrics.Render());
  ASSERT_TRUE(page.problems.empty()) << page.problems.front();
  EXPECT_EQ(page.Value("gateway_requests_total{endpoint=\"chat_completions\",model=\"m/one\","
                       "provider=\"p1\",status=\"200\"}"),
            2);
  EXPECT_EQ(page.Value("gateway_requests_total{endpoint=\"chat_completions\",model=\"\","
                       "provider=\"\",status=\"400\"}"),
            1);
  EXPECT_EQ(page.Value("gateway_request_duration_seconds_count{model=\"m/one\",provider=\"p1\"}"),
            2);
  EXPECT_EQ(page.Value("gateway_request_duration_seconds_bucket{model=\"m/one\",provider=\"p1\","
                       "le=\"0.025\"}"),
            1);
  EXPECT_DOUBLE_EQ(
      page.Value("gateway_request_duration_seconds_sum{model=\"m/one\",provider=\"p1\"}"), 0.22);
  // Only streamed requests have a time to first token.
  EXPECT_FALSE(
      page.Has("gateway_time_to_first_token_seconds_count{model=\"m/one\",provider=\"p1\"}"));
  EXPECT_EQ(
      page.Value("gateway_time_to_first_token_seconds_count{model=\"m/one\",provider=\"p2\"}"), 1);
  // The refused request never reached a provider: no overhead sample for it.
  EXPECT_EQ(page.Value("gateway_overhead_seconds_count"), 3);
  EXPECT_EQ(page.Value("gateway_overhead_seconds_bucket{le=\"0.0001\"}"), 3);
  EXPECT_EQ(page.Value("gateway_upstream_attempts_total{provider=\"p1\",result=\"ok\"}"), 2);
  EXPECT_EQ(
      page.Value("gateway_upstream_attempts_total{provider=\"p2\",result=\"connect_failed\"}"), 1);
  EXPECT_EQ(page.Value("gateway_requests_in_flight"), 1);
  EXPECT_EQ(page.Value("gateway_upstream_connections{provider=\"p1\",state=\"idle\"}"), 4);
  EXPECT_EQ(page.Value("gateway_upstream_connections{provider=\"p2\",state=\"busy\"}"), 0);
  EXPECT_TRUE(page.Has("process_resident_memory_bytes"));
  EXPECT_EQ(page.types.at("gateway_overhead_seconds"), "histogram");
}

TEST(GatewayMetricsTest, CollectorsAddTheirFamilies) {
  GatewayMetrics metrics({});
  metrics.AddCollector([](PrometheusWriter& out) {
    out.Family("extra_queue_depth", "gauge", "Test.");
    out.Sample("extra_queue_depth", {}, int64_t{5});
  });
  const auto page = ParsePrometheusText(metrics.Render());
  ASSERT_TRUE(page.problems.empty()) << page.problems.front();
  EXPECT_EQ(page.Value("extra_queue_depth"), 5);
}

}  // namespace
}  // namespace gw::metrics

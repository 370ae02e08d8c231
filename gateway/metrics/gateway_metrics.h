// The gateway's metrics, served as GET /metrics. Each worker records into its own WorkerMetrics
// (its thread only; an uncontended mutex lets the page be rendered from any thread); the page
// folds all workers together. Families and labels are listed in docs/architecture.md
// ("Metrics"). Label values come from the catalogue and fixed sets, never from raw client input,
// so the number of series stays bounded.
#pragma once

#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "gateway/metrics/duration_histogram.h"
#include "gateway/metrics/prometheus_writer.h"
#include "providers/http/pool_stats.h"

namespace gw::metrics {

// One answered request, as the metrics see it.
struct RequestSample {
  std::string_view endpoint;  // a fixed name: "chat_completions", "models", "other", ...
  std::string_view model;     // catalogue id; empty when no provider was attempted
  std::string_view provider;  // empty when no provider was attempted
  int status = 0;
  std::chrono::nanoseconds total{};  // first request byte to last response byte
  // Streams that relayed content: request start to the first content event.
  std::optional<std::chrono::nanoseconds> time_to_first_token;
  // Requests that reached a provider: total minus request upload minus provider waiting.
  std::optional<std::chrono::nanoseconds> overhead;
};

class WorkerMetrics {
 public:
  // `providers`: the names the connection gauges are kept for.
  explicit WorkerMetrics(const std::vector<std::string>& providers);

  void RecordRequest(const RequestSample& sample);
  // One upstream attempt; `result` is "ok" or a providers::Errc name.
  void RecordAttempt(std::string_view provider, std::string_view result);

  // Requests read and not yet answered (any endpoint).
  void RequestBegan() { providers::AddRelaxed<int64_t>(in_flight_, 1); }
  void RequestEnded() { providers::AddRelaxed<int64_t>(in_flight_, -1); }

  // The worker's UpstreamClient writes its connection gauges here.
  providers::PoolStatsTable& pools() { return pools_; }

 private:
  friend class GatewayMetrics;

  struct RequestSeries {
    std::string endpoint, model, provider, status;
    uint64_t count = 0;
  };
  struct LatencySeries {
    LatencySeries(std::string_view model_id, std::string_view provider_name);
    std::string model, provider;
    DurationHistogram total;
    DurationHistogram time_to_first_token;
  };
  struct AttemptSeries {
    std::string provider, result;
    uint64_t count = 0;
  };

  // Builds the lookup key of a label set in key_ (reused: no allocation once warm).
  const std::string& Key(std::initializer_list<std::string_view> parts);

  std::mutex mutex_;  // guards everything below except the atomics and pools_
  std::unordered_map<std::string, RequestSeries> requests_;
  std::unordered_map<std::string, LatencySeries> latency_;
  std::unordered_map<std::string, AttemptSeries> attempts_;
  DurationHistogram overhead_;
  std::string key_;
  std::atomic<int64_t> in_flight_{0};
  providers::PoolStatsTable pools_;
};

class GatewayMetrics {
 public:
  // `providers`: the configured provider names (for the connection gauges).
  explicit GatewayMetrics(std::vector<std::string> providers) : providers_(std::move(providers)) {}

  // A new worker's metrics. Call before the workers run (from the handler factory); the
  // reference stays valid for the lifetime of this object.
  WorkerMetrics& AddWorker();

  // Extra families from other modules (e.g. the accounting queue), written after the gateway's
  // own. Register before the workers run; called on the rendering thread.
  void AddCollector(std::function<void(PrometheusWriter&)> collector);

  // The whole page. Any thread.
  std::string Render();

 private:
  std::vector<std::string> providers_;
  std::deque<WorkerMetrics> workers_;
  std::vector<std::function<void(PrometheusWriter&)>> collectors_;
};

}  // namespace gw::metrics

#include "gateway/metrics/gateway_metrics.h"

#include <charconv>
#include <map>

#include "gateway/metrics/process_metrics.h"

#ifndef GW_VERSION
#define GW_VERSION "dev"
#endif

namespace gw::metrics {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;
using std::chrono::nanoseconds;
using std::chrono::seconds;

// Whole requests and time to first token: 1 ms to 5 min (long generations).
constexpr nanoseconds kLatencyBounds[] = {milliseconds(1),    milliseconds(2) + microseconds(500),
                                          milliseconds(5),    milliseconds(10),
                                          milliseconds(25),   milliseconds(50),
                                          milliseconds(100),  milliseconds(250),
                                          milliseconds(500),  seconds(1),
                                          milliseconds(2500), seconds(5),
                                          seconds(10),        seconds(30),
                                          seconds(60),        seconds(120),
                                          seconds(300)};
// The gateway's own time per request: 25 µs to 100 ms.
constexpr nanoseconds kOverheadBounds[] = {microseconds(25),
                                           microseconds(50),
                                           microseconds(100),
                                           microseconds(250),
                                           microseconds(500),
                                           milliseconds(1),
                                           milliseconds(2) + microseconds(500),
                                           milliseconds(5),
                                           milliseconds(10),
                                           milliseconds(25),
                                           milliseconds(50),
                                           milliseconds(100)};

template <class Series>
Series& FindOrAdd(std::unordered_map<std::string, Series>& map, const std::string& key,
                  auto&&... make_args) {
  auto it = map.find(key);
  if (it == map.end()) {
    it = map.try_emplace(key, std::forward<decltype(make_args)>(make_args)...).first;
  }
  return it->second;
}

}  // namespace

WorkerMetrics::LatencySeries::LatencySeries(std::string_view model_id,
                                            std::string_view provider_name)
    : model(model_id),
      provider(provider_name),
      total(kLatencyBounds),
      time_to_first_token(kLatencyBounds) {}

WorkerMetrics::WorkerMetrics(const std::vector<std::string>& providers)
    : overhead_(kOverheadBounds) {
  for (const std::string& provider : providers) pools_[provider];
}

const std::string& WorkerMetrics::Key(std::initializer_list<std::string_view> parts) {
  key_.clear();
  for (const std::string_view part : parts) key_.append(part).push_back('\0');
  return key_;
}

void WorkerMetrics::RecordRequest(const RequestSample& sample) {
  char status_text[12];
  const auto [end, ec] =
      std::to_chars(status_text, status_text + sizeof status_text, sample.status);
  const std::string_view status(status_text, static_cast<size_t>(end - status_text));
  const std::lock_guard lock(mutex_);
  RequestSeries& series =
      FindOrAdd(requests_, Key({sample.endpoint, sample.model, sample.provider, status}));
  if (series.count++ == 0) {
    series.endpoint = sample.endpoint;
    series.model = sample.model;
    series.provider = sample.provider;
    series.status = status;
  }
  if (sample.provider.empty()) return;
  LatencySeries& latency =
      FindOrAdd(latency_, Key({sample.model, sample.provider}), sample.model, sample.provider);
  latency.total.Observe(sample.total);
  if (sample.time_to_first_token) latency.time_to_first_token.Observe(*sample.time_to_first_token);
  if (sample.overhead) overhead_.Observe(*sample.overhead);
}

void WorkerMetrics::RecordAttempt(std::string_view provider, std::string_view result) {
  const std::lock_guard lock(mutex_);
  AttemptSeries& series = FindOrAdd(attempts_, Key({provider, result}));
  if (series.count++ == 0) {
    series.provider = provider;
    series.result = result;
  }
}

WorkerMetrics& GatewayMetrics::AddWorker() { return workers_.emplace_back(providers_); }

void GatewayMetrics::AddCollector(std::function<void(PrometheusWriter&)> collector) {
  collectors_.push_back(std::move(collector));
}

std::string GatewayMetrics::Render() {
  // Fold the workers, sorted by label values so that the page is stable between scrapes.
  std::map<std::string, WorkerMetrics::RequestSeries> requests;
  std::map<std::string, WorkerMetrics::LatencySeries> latency;
  std::map<std::string, WorkerMetrics::AttemptSeries> attempts;
  DurationHistogram overhead(kOverheadBounds);
  int64_t in_flight = 0;
  struct PoolTotals {
    int64_t idle = 0, busy = 0;
    uint64_t opened = 0, reused = 0;
  };
  std::map<std::string, PoolTotals> pools;
  for (WorkerMetrics& worker : workers_) {
    {
      const std::lock_guard lock(worker.mutex_);
      for (const auto& [key, series] : worker.requests_) {
        auto [it, added] = requests.try_emplace(key, series);
        if (!added) it->second.count += series.count;
      }
      for (const auto& [key, series] : worker.latency_) {
        auto [it, added] = latency.try_emplace(key, series);
        if (!added) {
          it->second.total.Add(series.total);
          it->second.time_to_first_token.Add(series.time_to_first_token);
        }
      }
      for (const auto& [key, series] : worker.attempts_) {
        auto [it, added] = attempts.try_emplace(key, series);
        if (!added) it->second.count += series.count;
      }
      overhead.Add(worker.overhead_);
    }
    in_flight += worker.in_flight_.load(std::memory_order_relaxed);
    for (const auto& [name, stats] : worker.pools_) {
      PoolTotals& totals = pools[name];
      totals.idle += stats.idle.load(std::memory_order_relaxed);
      totals.busy += stats.busy.load(std::memory_order_relaxed);
      totals.opened += stats.opened.load(std::memory_order_relaxed);
      totals.reused += stats.reused.load(std::memory_order_relaxed);
    }
  }

  PrometheusWriter out;
  out.Family("gateway_build_info", "gauge", "Always 1; the version label names the build.");
  out.Sample("gateway_build_info", {{"version", GW_VERSION}}, uint64_t{1});

  out.Family("gateway_requests_total", "counter",
             "Answered requests by endpoint, served model, provider and HTTP status (model and "
             "provider are empty when no provider was attempted).");
  for (const auto& [key, s] : requests) {
    out.Sample("gateway_requests_total",
               {{"endpoint", s.endpoint},
                {"model", s.model},
                {"provider", s.provider},
                {"status", s.status}},
               s.count);
  }
  out.Family("gateway_requests_in_flight", "gauge", "Requests read and not yet answered.");
  out.Sample("gateway_requests_in_flight", {}, in_flight);

  out.Family("gateway_request_duration_seconds", "histogram",
             "Inference requests that reached a provider: first request byte to last response "
             "byte, by model and provider.");
  for (const auto& [key, s] : latency) {
    out.Histogram("gateway_request_duration_seconds",
                  {{"model", s.model}, {"provider", s.provider}}, s.total);
  }
  out.Family("gateway_time_to_first_token_seconds", "histogram",
             "Streamed requests: request start to the first content event sent to the client.");
  for (const auto& [key, s] : latency) {
    if (s.time_to_first_token.count() == 0) continue;
    out.Histogram("gateway_time_to_first_token_seconds",
                  {{"model", s.model}, {"provider", s.provider}}, s.time_to_first_token);
  }
  out.Family("gateway_overhead_seconds", "histogram",
             "The gateway's own time per inference request that reached a provider: from the "
             "request read whole to the last response byte, minus the time spent waiting on "
             "providers.");
  out.Histogram("gateway_overhead_seconds", {}, overhead);

  out.Family("gateway_upstream_attempts_total", "counter",
             "Attempts sent to providers, by provider and result (ok, or why the attempt failed).");
  for (const auto& [key, s] : attempts) {
    out.Sample("gateway_upstream_attempts_total", {{"provider", s.provider}, {"result", s.result}},
               s.count);
  }
  out.Family("gateway_upstream_connections", "gauge",
             "Open upstream connections by provider and state (idle in the pool, or busy).");
  for (const auto& [name, totals] : pools) {
    out.Sample("gateway_upstream_connections", {{"provider", name}, {"state", "idle"}},
               totals.idle);
    out.Sample("gateway_upstream_connections", {{"provider", name}, {"state", "busy"}},
               totals.busy);
  }
  out.Family("gateway_upstream_connections_opened_total", "counter",
             "Upstream connections established (TCP and TLS), by provider.");
  for (const auto& [name, totals] : pools) {
    out.Sample("gateway_upstream_connections_opened_total", {{"provider", name}}, totals.opened);
  }
  out.Family("gateway_upstream_connections_reused_total", "counter",
             "Upstream requests sent on a pooled keep-alive connection, by provider.");
  for (const auto& [name, totals] : pools) {
    out.Sample("gateway_upstream_connections_reused_total", {{"provider", name}}, totals.reused);
  }
  for (const auto& collector : collectors_) collector(out);
  WriteProcessMetrics(out);
  return out.Take();
}

}  // namespace gw::metrics

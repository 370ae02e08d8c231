// Builds a page in the Prometheus text exposition format (version 0.0.4): for each metric
// family a `# HELP` and a `# TYPE` line, then its samples; label values escaped; histograms as
// cumulative `_bucket{le=...}` series ending with +Inf, then `_sum` and `_count`.
// A plain value type, used by one thread at a time.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include "gateway/metrics/duration_histogram.h"

namespace gw::metrics {

using Label = std::pair<std::string_view, std::string_view>;  // name, value
using Labels = std::initializer_list<Label>;

// The Content-Type of the page.
inline constexpr std::string_view kPrometheusContentType =
    "text/plain; version=0.0.4; charset=utf-8";

class PrometheusWriter {
 public:
  // Starts a family: `type` is "counter", "gauge" or "histogram". Samples of the family follow.
  void Family(std::string_view name, std::string_view type, std::string_view help);

  // One sample line; `name` is the family name (plus _bucket/_sum/_count for histograms).
  void Sample(std::string_view name, Labels labels, uint64_t value);
  void Sample(std::string_view name, Labels labels, int64_t value);
  void Sample(std::string_view name, Labels labels, double value);

  // The _bucket, _sum (seconds) and _count series of one histogram of the current family.
  void Histogram(std::string_view name, Labels labels, const DurationHistogram& histogram);

  const std::string& text() const { return text_; }
  std::string Take() { return std::move(text_); }

 private:
  void BeginSample(std::string_view name, Labels labels, const Label* extra);
  std::string text_;
};

}  // namespace gw::metrics

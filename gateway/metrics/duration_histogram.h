// A Prometheus-style histogram of durations with fixed bucket bounds: counts per bucket (not
// cumulative; the writer accumulates), the number of observations and their exact sum in
// nanoseconds. Plain integers: the owner decides about locking (WorkerMetrics holds a mutex).
#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <vector>

namespace gw::metrics {

class DurationHistogram {
 public:
  // `upper_bounds` in ascending order; an implicit +Inf bucket follows the last one.
  explicit DurationHistogram(std::span<const std::chrono::nanoseconds> upper_bounds)
      : bounds_(upper_bounds), counts_(upper_bounds.size() + 1, 0) {}

  void Observe(std::chrono::nanoseconds value) {
    size_t bucket = 0;
    while (bucket < bounds_.size() && value > bounds_[bucket]) ++bucket;
    ++counts_[bucket];
    ++count_;
    sum_ns_ += value.count();
  }

  // Adds another histogram with the same bounds (folding the workers' histograms).
  void Add(const DurationHistogram& other) {
    for (size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
    count_ += other.count_;
    sum_ns_ += other.sum_ns_;
  }

  std::span<const std::chrono::nanoseconds> bounds() const { return bounds_; }
  // counts()[i] observations fell in (bounds()[i-1], bounds()[i]]; the last entry is +Inf's.
  const std::vector<uint64_t>& counts() const { return counts_; }
  uint64_t count() const { return count_; }
  int64_t sum_ns() const { return sum_ns_; }

 private:
  std::span<const std::chrono::nanoseconds> bounds_;
  std::vector<uint64_t> counts_;
  uint64_t count_ = 0;
  int64_t sum_ns_ = 0;
};

}  // namespace gw::metrics

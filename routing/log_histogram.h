// A fixed-size histogram with logarithmic bins between `min` and `max`: constant memory per
// window slot, mergeable by adding counts, percentiles within half a bin (about 3.6% for 96 bins
// over six decades). Values outside the range land in the first or last bin.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>

namespace gw::routing {

class LogHistogram {
 public:
  static constexpr int kBins = 96;

  LogHistogram() { counts_.fill(0); }

  void Add(double value, double min, double max) {
    ++counts_[static_cast<size_t>(Bin(value, min, max))];
    ++total_;
  }
  void Merge(const LogHistogram& other) {
    for (int i = 0; i < kBins; ++i) counts_[i] += other.counts_[i];
    total_ += other.total_;
  }
  void Clear() {
    counts_.fill(0);
    total_ = 0;
  }
  uint64_t total() const { return total_; }

  // The value below which `fraction` (0..1) of the samples lie: the geometric middle of the bin
  // holding that rank. 0 when empty.
  double Percentile(double fraction, double min, double max) const {
    if (total_ == 0) return 0;
    const auto rank = static_cast<uint64_t>(std::ceil(fraction * static_cast<double>(total_)));
    uint64_t seen = 0;
    for (int i = 0; i < kBins; ++i) {
      seen += counts_[static_cast<size_t>(i)];
      if (seen >= std::max<uint64_t>(rank, 1)) return BinMiddle(i, min, max);
    }
    return BinMiddle(kBins - 1, min, max);
  }

 private:
  static int Bin(double value, double min, double max) {
    if (!(value > min)) return 0;
    const double position = std::log(value / min) / std::log(max / min) * kBins;
    return std::clamp(static_cast<int>(position), 0, kBins - 1);
  }
  static double BinMiddle(int bin, double min, double max) {
    return min * std::pow(max / min, (bin + 0.5) / kBins);
  }

  std::array<uint32_t, kBins> counts_;
  uint64_t total_ = 0;
};

}  // namespace gw::routing

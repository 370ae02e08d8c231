// The deterministic random draws of the demo traffic (demo_traffic_model.h, demo_chat_body.h):
// splitmix64, whose results, unlike the standard distributions', are the same with every
// standard library. Plain values; each user owns its generator.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <span>

namespace gw::demo {

inline uint64_t SplitMix(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// A seed derived from two numbers (a seed and what it is for).
inline uint64_t Mix(uint64_t a, uint64_t b) {
  uint64_t state = a ^ (b * 0xD1B54A32D192ED03ull);
  return SplitMix(state);
}

class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() { return SplitMix(state_); }
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }  // [0, 1)
  uint64_t Below(uint64_t n) { return n == 0 ? 0 : Next() % n; }
  double LogUniform(double lo, double hi) { return lo * std::pow(hi / lo, Uniform()); }
  // An index drawn with probability weights[i] / sum; weights.size() - 1 if all are 0.
  size_t Pick(std::span<const double> weights) {
    const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
    double target = Uniform() * total;
    for (size_t i = 0; i < weights.size(); ++i) {
      if (target < weights[i]) return i;
      target -= weights[i];
    }
    return weights.size() - 1;
  }
  // One of `items`, uniformly; `items` must not be empty.
  template <typename T>
  const T& Choose(std::span<const T> items) {
    return items[Below(items.size())];
  }

 private:
  uint64_t state_;
};

}  // namespace gw::demo

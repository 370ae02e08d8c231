#include "gateway/generation_id.h"

#include <chrono>
#include <cstdio>
#include <random>

namespace gw {

GenerationIdGenerator::GenerationIdGenerator() {
  std::random_device entropy;
  prefix_ = entropy();
  counter_ = entropy();
}

std::string GenerationIdGenerator::Next() {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  char buffer[48];
  const int n = std::snprintf(buffer, sizeof buffer, "gen-%013lld-%08x%08x",
                              static_cast<long long>(ms), prefix_, counter_++);
  return std::string(buffer, static_cast<size_t>(n));
}

}  // namespace gw

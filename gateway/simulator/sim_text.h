// The simulator's deterministic text: "tokens" are words from a fixed built-in list, chosen by a
// splitmix64 PRNG, so the same seed always yields the same completion. Also the PRNG the
// handler uses for error/malformed draws. Plain values; each instance belongs to one thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace gw::simulator {

// splitmix64: tiny, fast, and good enough for load-testing choices. Not for security.
class SimRng {
 public:
  explicit SimRng(uint64_t seed) : state_(seed) {}
  uint64_t Next();
  // Uniform in [0, 1).
  double NextUnit();
  // True with probability `p` (p <= 0 never draws, so a zero rate costs nothing and leaves the
  // sequence untouched; p >= 1 always true without drawing).
  bool Chance(double p);

 private:
  uint64_t state_;
};

// Yields the words of one choice. Choice 0 of seed S is the same text whatever n was asked.
class TokenGenerator {
 public:
  TokenGenerator(uint64_t seed, uint32_t choice_index);
  // The next token: a word, with a leading space except for the first token.
  std::string_view Next();

 private:
  SimRng rng_;
  bool first_ = true;
};

// The first `count` tokens of choice `choice_index` for `seed`, concatenated.
std::string GenerateText(uint64_t seed, uint32_t choice_index, uint32_t count);

}  // namespace gw::simulator

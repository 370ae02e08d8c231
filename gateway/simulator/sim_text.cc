#include "gateway/simulator/sim_text.h"

#include <array>

namespace gw::simulator {
namespace {

// 128 words (a power of two, so a choice is a shift), each with its leading space so a token is
// a view into this table with no copying. Plain ASCII: no JSON escaping is ever needed.
constexpr std::array<std::string_view, 128> kWords{{
    " the",     " of",      " and",     " to",      " a",        " in",      " is",
    " it",      " that",    " for",     " on",      " with",     " as",      " was",
    " at",      " by",      " this",    " from",    " or",       " be",      " are",
    " an",      " not",     " but",     " which",   " have",     " one",     " all",
    " were",    " their",   " there",   " been",    " model",    " token",   " stream",
    " request", " answer",  " router",  " gateway", " latency",  " quick",   " brown",
    " fox",     " jumps",   " over",    " lazy",    " dog",      " river",   " mountain",
    " valley",  " forest",  " ocean",   " cloud",   " light",    " shadow",  " stone",
    " garden",  " window",  " door",    " road",    " city",     " village", " market",
    " bridge",  " morning", " evening", " winter",  " summer",   " spring",  " autumn",
    " music",   " story",   " number",  " letter",  " signal",   " packet",  " socket",
    " buffer",  " thread",  " queue",   " simple",  " careful",  " bright",  " quiet",
    " gentle",  " steady",  " rapid",   " ancient", " modern",   " small",   " large",
    " early",   " late",    " warm",    " cold",    " green",    " builds",  " carries",
    " finds",   " keeps",   " makes",   " moves",   " opens",    " reads",   " sends",
    " shows",   " takes",   " turns",   " waits",   " writes",   " learns",  " grows",
    " always",  " often",   " never",   " again",   " together", " slowly",  " really",
    " almost",  " perhaps", " however", " because", " between",  " through", " under",
    " after",   " before",
}};

}  // namespace

uint64_t SimRng::Next() {
  uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

double SimRng::NextUnit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

bool SimRng::Chance(double p) {
  if (p <= 0) return false;
  if (p >= 1) return true;
  return NextUnit() < p;
}

TokenGenerator::TokenGenerator(uint64_t seed, uint32_t choice_index)
    : rng_(seed + uint64_t{choice_index} * 0xD1B54A32D192ED03ull) {}

std::string_view TokenGenerator::Next() {
  const std::string_view word = kWords[rng_.Next() >> 57];
  if (!first_) return word;
  first_ = false;
  return word.substr(1);
}

std::string GenerateText(uint64_t seed, uint32_t choice_index, uint32_t count) {
  TokenGenerator generator(seed, choice_index);
  std::string text;
  text.reserve(size_t{count} * 8);
  for (uint32_t i = 0; i < count; ++i) text += generator.Next();
  return text;
}

}  // namespace gw::simulator

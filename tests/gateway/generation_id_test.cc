#include "gateway/generation_id.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <regex>
#include <set>
#include <string>
#include <unordered_set>
#include <vector>

namespace gw {
namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The unix-ms timestamp embedded in a well-formed id.
int64_t EmbeddedMs(const std::string& id) { return std::stoll(id.substr(4, 13)); }

TEST(GenerationIdTest, HasTheDocumentedFormat) {
  const std::regex format("gen-[0-9]{13}-[0-9a-f]{16}");
  GenerationIdGenerator generator;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = generator.Next();
    ASSERT_TRUE(std::regex_match(id, format)) << id;
    ASSERT_EQ(id.size(), 4u + 13u + 1u + 16u);
  }
}

TEST(GenerationIdTest, EmbedsTheCreationTimeInMilliseconds) {
  GenerationIdGenerator generator;
  const int64_t before = NowMs();
  const std::string id = generator.Next();
  const int64_t after = NowMs();
  EXPECT_GE(EmbeddedMs(id), before);
  EXPECT_LE(EmbeddedMs(id), after);
}

TEST(GenerationIdTest, OneGeneratorNeverRepeatsAnId) {
  constexpr int kCount = 100'000;
  GenerationIdGenerator generator;
  std::unordered_set<std::string> seen;
  seen.reserve(kCount);
  for (int i = 0; i < kCount; ++i) {
    const std::string id = generator.Next();
    ASSERT_TRUE(seen.insert(id).second) << "duplicate " << id << " after " << i << " ids";
  }
}

// Plain string order follows creation order whenever two ids were made in different
// milliseconds, whichever generators made them. Within one millisecond no order is promised.
TEST(GenerationIdTest, SortsByCreationTimeAcrossMilliseconds) {
  std::array<GenerationIdGenerator, 4> generators;
  std::vector<std::string> ids;  // in creation order
  std::set<int64_t> milliseconds;
  for (int i = 0; i < 200'000 && (ids.size() < 20'000 || milliseconds.size() < 3); ++i) {
    ids.push_back(generators[i % generators.size()].Next());
    milliseconds.insert(EmbeddedMs(ids.back()));
  }
  ASSERT_GE(milliseconds.size(), 2u) << "all ids fell in one millisecond; nothing to compare";

  // Every id must sort after every id of every earlier millisecond.
  std::string max_of_earlier_ms;  // "" sorts before any id
  std::string max_of_current_ms;
  int64_t current_ms = EmbeddedMs(ids.front());
  size_t comparisons = 0;
  for (const std::string& id : ids) {
    const int64_t ms = EmbeddedMs(id);
    ASSERT_GE(ms, current_ms) << "the system clock went backwards";
    if (ms != current_ms) {
      max_of_earlier_ms = std::max(max_of_earlier_ms, max_of_current_ms);
      max_of_current_ms.clear();
      current_ms = ms;
    }
    if (!max_of_earlier_ms.empty()) {
      ASSERT_LT(max_of_earlier_ms, id);
      ++comparisons;
    }
    max_of_current_ms = std::max(max_of_current_ms, id);
  }
  EXPECT_GT(comparisons, 0u);
}

}  // namespace
}  // namespace gw

// The text form of a length histogram (length_histogram.h): what is written reads back the same,
// pairs add up in any order, and every malformed text is refused.
#include "accounting/ledger/length_histogram.h"

#include <gtest/gtest.h>

namespace gw::accounting {
namespace {

TEST(LengthHistogramTest, WritesTheNonEmptyBucketsInOrderAndReadsThemBack) {
  const LengthCounts counts = {1, 0, 0, 4, 0, 12};
  EXPECT_EQ(FormatLengthHistogram(counts), "0:1 3:4 5:12");
  LengthCounts read;
  ASSERT_TRUE(AddLengthHistogram(FormatLengthHistogram(counts), read));
  EXPECT_EQ(read, counts);
  EXPECT_EQ(FormatLengthHistogram({0, 0}), "");
  EXPECT_EQ(FormatLengthHistogram({}), "");
  EXPECT_EQ(FormatLengthHistogram({0, 9'000'000'000}), "1:9000000000");
}

TEST(LengthHistogramTest, AddsToWhatIsThereInAnyOrder) {
  LengthCounts counts = {2};
  ASSERT_TRUE(AddLengthHistogram("7:1 0:3 7:2", counts));
  EXPECT_EQ(counts, (LengthCounts{5, 0, 0, 0, 0, 0, 0, 3}));
  ASSERT_TRUE(AddLengthHistogram("", counts));  // an empty histogram adds nothing
  EXPECT_EQ(counts.size(), 8u);
}

TEST(LengthHistogramTest, RefusesMalformedText) {
  for (const char* text : {"x", "3", "3:", ":3", "3:4 ", " 3:4", "3:4  5:6", "3:4,5:6", "-1:4",
                           "1025:1", "3:x", "3:4x", "99999999999999999999:1"}) {
    LengthCounts counts;
    EXPECT_FALSE(AddLengthHistogram(text, counts)) << text;
  }
}

}  // namespace
}  // namespace gw::accounting

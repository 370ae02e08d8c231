#include "gateway/simulator/sim_text.h"

#include <gtest/gtest.h>

namespace gw::simulator {
namespace {

TEST(SimTextTest, SameSeedSameText) {
  EXPECT_EQ(GenerateText(7, 0, 50), GenerateText(7, 0, 50));
  EXPECT_NE(GenerateText(7, 0, 50), GenerateText(8, 0, 50));
  EXPECT_NE(GenerateText(7, 0, 50), GenerateText(7, 1, 50));
}

TEST(SimTextTest, ShorterOutputIsAPrefix) {
  const std::string longer = GenerateText(3, 0, 20);
  EXPECT_EQ(longer.rfind(GenerateText(3, 0, 5), 0), 0u);
}

TEST(SimTextTest, TokensAreWordsWithALeadingSpaceExceptTheFirst) {
  TokenGenerator generator(11, 0);
  const std::string_view first = generator.Next();
  ASSERT_FALSE(first.empty());
  EXPECT_NE(first.front(), ' ');
  for (int i = 0; i < 100; ++i) {
    const std::string_view token = generator.Next();
    ASSERT_GE(token.size(), 2u);
    EXPECT_EQ(token.front(), ' ');
    EXPECT_EQ(token.find_first_of("\"\\ ", 1), std::string_view::npos) << token;
  }
  EXPECT_EQ(GenerateText(11, 0, 0), "");
}

TEST(SimRngTest, ChanceIsDeterministicAndHonoursTheBounds) {
  SimRng a(5);
  SimRng b(5);
  int hits = 0;
  for (int i = 0; i < 10000; ++i) {
    const bool hit = a.Chance(0.3);
    EXPECT_EQ(hit, b.Chance(0.3));
    hits += hit ? 1 : 0;
  }
  EXPECT_GT(hits, 2700);
  EXPECT_LT(hits, 3300);
  EXPECT_FALSE(a.Chance(0));
  EXPECT_TRUE(a.Chance(1));
}

}  // namespace
}  // namespace gw::simulator

#include "gateway/api/query_string.h"

#include <gtest/gtest.h>

namespace gw::api {
namespace {

std::vector<std::pair<std::string, std::string>> Pairs(std::string_view target) {
  std::vector<std::pair<std::string, std::string>> pairs;
  const std::optional<std::vector<QueryParameter>> parameters = ParseQueryString(target);
  EXPECT_TRUE(parameters.has_value()) << target;
  if (!parameters) return pairs;
  for (const QueryParameter& parameter : *parameters) {
    pairs.emplace_back(parameter.name, parameter.value);
  }
  return pairs;
}

TEST(ParseQueryStringTest, DecodesNamesAndValuesInOrder) {
  using P = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(Pairs("/v1/activity"), P{});
  EXPECT_EQ(Pairs("/v1/activity?"), P{});
  EXPECT_EQ(Pairs("/v1/generation?id=gen-1"), (P{{"id", "gen-1"}}));
  EXPECT_EQ(Pairs("/x?model=openai%2Fgpt-4o&app=My+App&&flag&empty="),
            (P{{"model", "openai/gpt-4o"}, {"app", "My App"}, {"flag", ""}, {"empty", ""}}));
  EXPECT_EQ(Pairs("/x?caf%C3%A9=%e2%82%AC"), (P{{"caf\xC3\xA9", "\xE2\x82\xAC"}}));
}

TEST(ParseQueryStringTest, MalformedEscapesAreRejected) {
  EXPECT_FALSE(ParseQueryString("/x?a=%").has_value());
  EXPECT_FALSE(ParseQueryString("/x?a=%4").has_value());
  EXPECT_FALSE(ParseQueryString("/x?a=%zz").has_value());
  EXPECT_FALSE(ParseQueryString("/x?%g1=b").has_value());
}

}  // namespace
}  // namespace gw::api

#include "dialects/dialect.h"

#include <gtest/gtest.h>

namespace gw::dialects {
namespace {

TEST(DialectTest, NamesAndFamilies) {
  EXPECT_EQ(DialectName(Dialect::kChatCompletions), "chat_completions");
  EXPECT_EQ(DialectName(Dialect::kCompletions), "completions");
  EXPECT_EQ(DialectName(Dialect::kAnthropicMessages), "messages");
  EXPECT_EQ(DialectName(Dialect::kResponses), "responses");
  EXPECT_EQ(FamilyOf(Dialect::kChatCompletions), ApiFamily::kOpenAi);
  EXPECT_EQ(FamilyOf(Dialect::kCompletions), ApiFamily::kOpenAi);
  EXPECT_EQ(FamilyOf(Dialect::kAnthropicMessages), ApiFamily::kAnthropic);
  EXPECT_EQ(FamilyOf(Dialect::kResponses), ApiFamily::kOpenAi);
}

}  // namespace
}  // namespace gw::dialects

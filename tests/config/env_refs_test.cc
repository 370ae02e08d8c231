#include "config/env_refs.h"

#include <gtest/gtest.h>

#include "tests/config/config_test_util.h"

namespace gw::config {
namespace {

using testing::FakeEnv;

TEST(EnvRefsTest, ValidatesVariableNames) {
  for (const char* name : {"A", "_", "OPENAI_API_KEY", "key2", "_x_1"}) {
    EXPECT_TRUE(IsValidEnvVarName(name)) << name;
  }
  for (const char* name : {"", "1A", "A-B", "A B", "A.B", "$A", "ÄB"}) {
    EXPECT_FALSE(IsValidEnvVarName(name)) << name;
  }
}

TEST(EnvRefsTest, WholeEnvRefAcceptsExactlyOneReference) {
  EXPECT_EQ(WholeEnvRef("${OPENAI_API_KEY}"), "OPENAI_API_KEY");
  EXPECT_EQ(WholeEnvRef("${A_1}"), "A_1");
  for (const char* text :
       {"", "$A", "${}", "${1A}", " ${A}", "${A} ", "x${A}", "${A}x", "${A}${B}", "{A}", "${A"}) {
    EXPECT_EQ(WholeEnvRef(text), std::nullopt) << text;
  }
}

TEST(EnvRefsTest, ResolveNamesTheVariableNotTheValue) {
  const EnvLookup env = FakeEnv({{"SET", "s3cret"}, {"EMPTY", ""}});
  EXPECT_EQ(ResolveEnvVar("SET", env).value, "s3cret");
  EXPECT_EQ(ResolveEnvVar("SET", env).error, "");
  EXPECT_EQ(ResolveEnvVar("UNSET", env).error, "environment variable UNSET is not set");
  EXPECT_EQ(ResolveEnvVar("EMPTY", env).error, "environment variable EMPTY is empty");
  EXPECT_EQ(ResolveEnvVar("X", EnvLookup()).error, "environment variable X is not set");
}

TEST(EnvRefsTest, ExpandSubstitutesEveryReference) {
  const EnvLookup env = FakeEnv({{"TOKEN", "abc"}, {"ORG", "org-1"}});
  const EnvExpansion expanded = ExpandEnvRefs("Bearer ${TOKEN} for ${ORG}/${TOKEN}", env);
  EXPECT_EQ(expanded.error, "");
  EXPECT_EQ(expanded.text, "Bearer abc for org-1/abc");
  EXPECT_TRUE(expanded.used_env);
}

TEST(EnvRefsTest, ExpandKeepsLiteralDollars) {
  const EnvExpansion expanded = ExpandEnvRefs("$5 off, $HOME, {x}, $", FakeEnv());
  EXPECT_EQ(expanded.error, "");
  EXPECT_EQ(expanded.text, "$5 off, $HOME, {x}, $");
  EXPECT_FALSE(expanded.used_env);
}

TEST(EnvRefsTest, ExpandReportsBadReferences) {
  const EnvLookup env = FakeEnv({{"SECRET", "do-not-print"}, {"EMPTY", ""}});
  EXPECT_EQ(ExpandEnvRefs("a ${MISSING} b", env).error, "environment variable MISSING is not set");
  EXPECT_EQ(ExpandEnvRefs("${SECRET}${EMPTY}", env).error, "environment variable EMPTY is empty");
  EXPECT_EQ(ExpandEnvRefs("x ${SECRET", env).error, "unterminated ${ reference (write ${NAME})");
  EXPECT_EQ(ExpandEnvRefs("${1X}", env).error,
            "invalid environment variable name in ${...} (use letters, digits and _)");
  EXPECT_EQ(ExpandEnvRefs("${}", env).error,
            "invalid environment variable name in ${...} (use letters, digits and _)");
}

}  // namespace
}  // namespace gw::config

#include "gateway/usage_command.h"

#include <gtest/gtest.h>

namespace gw {
namespace {

TEST(ParseUsageCommandTest, ReadsEveryOptionInBothSpellings) {
  UsageCommandOptions options;
  EXPECT_EQ(ParseUsageCommand({"--config", "gw.yaml", "--from=2026-11-01", "--to", "2026-11-30",
                               "--by", "author", "--format=csv"},
                              &options),
            "");
  EXPECT_EQ(options.config_file, "gw.yaml");
  EXPECT_EQ(options.from, "2026-11-01");
  EXPECT_EQ(options.to, "2026-11-30");
  EXPECT_EQ(options.by, "author");
  EXPECT_EQ(options.format, "csv");
}

TEST(ParseUsageCommandTest, DefaultsToAModelTable) {
  UsageCommandOptions options;
  EXPECT_EQ(ParseUsageCommand({"-c", "gw.yaml"}, &options), "");
  EXPECT_EQ(options.by, "model");
  EXPECT_EQ(options.format, "table");
  EXPECT_FALSE(options.from.has_value());
}

TEST(ParseUsageCommandTest, RejectionsNameTheArgument) {
  UsageCommandOptions options;
  EXPECT_EQ(ParseUsageCommand({}, &options), "usage needs --config FILE");
  EXPECT_EQ(ParseUsageCommand({"--config"}, &options), "--config needs a value");
  EXPECT_EQ(ParseUsageCommand({"--config", "a", "--by", "colour"}, &options),
            "--by: expected one of model, provider, author, app, key, user, day; got \"colour\"");
  EXPECT_EQ(ParseUsageCommand({"--config", "a", "--format", "xml"}, &options),
            "--format: expected table, csv or json; got \"xml\"");
  EXPECT_EQ(ParseUsageCommand({"--config", "a", "--since", "x"}, &options),
            "unknown option \"--since\"");
}

}  // namespace
}  // namespace gw

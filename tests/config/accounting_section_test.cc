// The `accounting` block: defaults, every key, paths relative to the config file, and every
// rejection with its position.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "config/loader.h"
#include "tests/config/config_test_util.h"

namespace gw::config {
namespace {

using testing::FakeEnv;
using testing::kValidCatalogue;

LoadResult Parse(std::string_view accounting_block) {
  return ParseConfig(std::string(accounting_block) + std::string(kValidCatalogue), FakeEnv());
}

std::vector<std::string> Errors(std::string_view accounting_block) {
  std::vector<std::string> lines;
  for (const ConfigError& error : Parse(accounting_block).errors) {
    lines.push_back(error.ToString());
  }
  return lines;
}

TEST(AccountingSectionTest, Defaults) {
  const LoadResult result = Parse("");
  ASSERT_TRUE(result.config.has_value());
  const AccountingConfig& accounting = result.config->accounting;
  EXPECT_EQ(accounting.data_dir, "data");
  EXPECT_EQ(accounting.database, "");
  EXPECT_EQ(accounting.DatabasePath(), "data/ledger.sqlite3");
  EXPECT_EQ(accounting.queue_capacity, 100000u);
  EXPECT_EQ(accounting.flush_interval_ms, 100u);
  EXPECT_EQ(accounting.max_batch, 8192u);
  EXPECT_EQ(accounting.retention_days, 90u);
  EXPECT_EQ(accounting.durability, AccountingDurability::kCommit);
}

TEST(AccountingSectionTest, EveryKey) {
  const LoadResult result = Parse(
      "accounting:\n"
      "  data_dir: /var/lib/gateway/\n"
      "  queue_capacity: 5000\n"
      "  flush_interval_ms: 250\n"
      "  max_batch: 100\n"
      "  retention_days: 0\n"
      "  durability: async\n");
  ASSERT_TRUE(result.config.has_value());
  const AccountingConfig& accounting = result.config->accounting;
  EXPECT_EQ(accounting.DatabasePath(), "/var/lib/gateway/ledger.sqlite3");
  EXPECT_EQ(accounting.queue_capacity, 5000u);
  EXPECT_EQ(accounting.flush_interval_ms, 250u);
  EXPECT_EQ(accounting.max_batch, 100u);
  EXPECT_EQ(accounting.retention_days, 0u);  // keep raw records forever
  EXPECT_EQ(accounting.durability, AccountingDurability::kAsync);

  const LoadResult explicit_file = Parse("accounting:\n  database: /srv/usage.db\n");
  ASSERT_TRUE(explicit_file.config.has_value());
  EXPECT_EQ(explicit_file.config->accounting.DatabasePath(), "/srv/usage.db");
}

TEST(AccountingSectionTest, RelativePathsAreRelativeToTheConfigFile) {
  const std::filesystem::path dir =
      std::filesystem::path(::testing::TempDir()) / "accounting-section-test";
  std::filesystem::create_directories(dir);
  const std::filesystem::path file = dir / "gateway.yaml";
  std::ofstream(file) << "accounting:\n  data_dir: state\n" << kValidCatalogue;
  LoadResult result = LoadConfigFile(file.string(), FakeEnv());
  ASSERT_TRUE(result.config.has_value());
  EXPECT_EQ(result.config->accounting.DatabasePath(), (dir / "state/ledger.sqlite3").string());

  std::ofstream(file) << "accounting:\n  database: ../usage.db\n" << kValidCatalogue;
  result = LoadConfigFile(file.string(), FakeEnv());
  ASSERT_TRUE(result.config.has_value());
  EXPECT_EQ(result.config->accounting.DatabasePath(),
            (dir.parent_path() / "usage.db").lexically_normal().string());

  std::ofstream(file) << "accounting:\n  database: /abs/usage.db\n" << kValidCatalogue;
  result = LoadConfigFile(file.string(), FakeEnv());
  ASSERT_TRUE(result.config.has_value());
  EXPECT_EQ(result.config->accounting.DatabasePath(), "/abs/usage.db");
}

TEST(AccountingSectionTest, Rejections) {
  EXPECT_EQ(Errors("accounting:\n"
                   "  data_dir: \"\"\n"
                   "  queue_capacity: 0\n"
                   "  flush_interval_ms: 60001\n"
                   "  max_batch: -1\n"
                   "  retention_days: forever\n"
                   "  colour: blue\n"
                   "  durability: fsync\n"),
            (std::vector<std::string>{
                "accounting.data_dir: must not be empty (line 2, column 13)",
                "accounting.queue_capacity: must be at least 1 (line 3, column 19)",
                "accounting.flush_interval_ms: must be at most 60000 (line 4, column 22)",
                "accounting.max_batch: must not be negative (line 5, column 14)",
                "accounting.retention_days: expected an unsigned integer, got \"forever\" (line 6, "
                "column 19)",
                "accounting.colour: unknown key; expected one of: data_dir, database, "
                "queue_capacity, flush_interval_ms, max_batch, retention_days, durability (line 7, "
                "column 3)",
                "accounting.durability: unknown value \"fsync\"; expected one of: commit, async "
                "(line 8, column 15)",
            }));
  EXPECT_EQ(Errors("accounting:\n  durability: [commit]\n").size(), 1u);
}

}  // namespace
}  // namespace gw::config

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
                "queue_capacity, flush_interval_ms, max_batch, retention_days, durability, "
                "keys_database, keys_store, limits, store (line 7, column 3)",
                "accounting.durability: unknown value \"fsync\"; expected one of: commit, async "
                "(line 8, column 15)",
            }));
  EXPECT_EQ(Errors("accounting:\n  durability: [commit]\n").size(), 1u);
}

// Scale-out (docs/scale-out.md): the redis block, the limits store and the shared key table.
TEST(AccountingSectionTest, ScaleOutDefaultsShareNothing) {
  const LoadResult result = Parse("");
  ASSERT_TRUE(result.config.has_value());
  EXPECT_FALSE(result.config->redis.has_value());
  const LimitsConfig& limits = result.config->accounting.limits;
  EXPECT_EQ(limits.store, LimitsStore::kMemory);
  EXPECT_FALSE(limits.fail_open);
  EXPECT_EQ(limits.reservation_ttl_s, 900u);
  EXPECT_EQ(result.config->accounting.keys_database, "");
  EXPECT_TRUE(result.config->routing.health.share);
}

TEST(AccountingSectionTest, ScaleOutEveryKey) {
  const LoadResult result = ParseConfig(
      "redis:\n"
      "  url: ${GW_REDIS_URL}\n"
      "  timeout_ms: 40\n"
      "  prefix: \"prod:\"\n"
      "accounting:\n"
      "  keys_database: /srv/gw/keys.sqlite3\n"
      "  limits:\n"
      "    store: redis\n"
      "    on_failure: open\n"
      "    reservation_ttl_s: 60\n"
      "routing:\n"
      "  health:\n"
      "    share: false\n" +
          std::string(kValidCatalogue),
      FakeEnv({{"GW_REDIS_URL", "redis://:pw@10.0.0.9:6380/1"}}));
  ASSERT_TRUE(result.config.has_value()) << testing::ErrorsText(result);
  ASSERT_TRUE(result.config->redis.has_value());
  EXPECT_EQ(result.config->redis->url.value, "redis://:pw@10.0.0.9:6380/1");
  EXPECT_EQ(result.config->redis->url.env_var, "GW_REDIS_URL");
  EXPECT_EQ(result.config->redis->timeout_ms, 40u);
  EXPECT_EQ(result.config->redis->prefix, "prod:");
  const AccountingConfig& accounting = result.config->accounting;
  EXPECT_EQ(accounting.keys_database, "/srv/gw/keys.sqlite3");
  EXPECT_EQ(accounting.limits.store, LimitsStore::kRedis);
  EXPECT_TRUE(accounting.limits.fail_open);
  EXPECT_EQ(accounting.limits.reservation_ttl_s, 60u);
  EXPECT_FALSE(result.config->routing.health.share);
}

TEST(AccountingSectionTest, ScaleOutRejections) {
  EXPECT_EQ(Errors("accounting:\n"
                   "  keys_database: \"\"\n"
                   "  limits:\n"
                   "    store: etcd\n"
                   "    on_failure: maybe\n"
                   "    reservation_ttl_s: 0\n"
                   "    redis_url: x\n"),
            (std::vector<std::string>{
                "accounting.keys_database: must not be empty (line 2, column 18)",
                "accounting.limits.store: unknown value \"etcd\"; expected one of: memory, redis "
                "(line 4, column 12)",
                "accounting.limits.on_failure: unknown value \"maybe\"; expected one of: closed, "
                "open (line 5, column 17)",
                "accounting.limits.reservation_ttl_s: must be at least 1 (line 6, column 24)",
                "accounting.limits.redis_url: unknown key; expected one of: store, on_failure, "
                "reservation_ttl_s (line 7, column 5)",
            }));
  // A shared store needs the server.
  const std::vector<std::string> no_server = Errors("accounting:\n  limits:\n    store: redis\n");
  ASSERT_EQ(no_server.size(), 1u);
  EXPECT_NE(no_server[0].find("limits.store redis needs a top-level redis block"),
            std::string::npos)
      << no_server[0];
  // The URL is a secret: an environment reference, set, and never a literal.
  EXPECT_EQ(Errors("redis:\n  url: redis://:hunter2@host\n"),
            (std::vector<std::string>{
                "redis.url: must be a ${ENV_VAR} reference such as ${OPENAI_API_KEY}; secrets "
                "must not be written into the config file (line 2, column 8)"}));
  EXPECT_EQ(Errors("redis:\n  url: ${GW_REDIS_URL}\n"),
            (std::vector<std::string>{
                "redis.url: environment variable GW_REDIS_URL is not set (line 2, column 8)"}));
  EXPECT_EQ(Errors("redis:\n  timeout_ms: 10\n").size(), 1u);  // url is required
  EXPECT_EQ(Errors("redis:\n  url: ${X}\n  timeout_ms: 0\n  db: 2\n").size(), 3u);
  EXPECT_EQ(Errors("routing:\n  health:\n    share: sometimes\n").size(), 1u);
}

// The shared ledger (docs/scale-out.md): accounting.store and the postgres block.
TEST(AccountingSectionTest, TheLedgerIsLocalByDefault) {
  const LoadResult result = Parse("");
  ASSERT_TRUE(result.config.has_value());
  EXPECT_EQ(result.config->accounting.store, LedgerStore::kSqlite);
  EXPECT_FALSE(result.config->postgres.has_value());
}

TEST(AccountingSectionTest, PostgresEveryKey) {
  const LoadResult result = ParseConfig(
      "postgres:\n"
      "  url: ${GW_POSTGRES_URL}\n"
      "  connect_timeout_ms: 500\n"
      "  ship_interval_ms: 50\n"
      "  batch: 200\n"
      "  instance: gw-eu-1\n"
      "accounting:\n"
      "  store: postgres\n" +
          std::string(kValidCatalogue),
      FakeEnv({{"GW_POSTGRES_URL", "postgresql://gw:pw@db:5432/gateway"}}));
  ASSERT_TRUE(result.config.has_value()) << testing::ErrorsText(result);
  EXPECT_EQ(result.config->accounting.store, LedgerStore::kPostgres);
  ASSERT_TRUE(result.config->postgres.has_value());
  const PostgresConfig& postgres = *result.config->postgres;
  EXPECT_EQ(postgres.url.value, "postgresql://gw:pw@db:5432/gateway");
  EXPECT_EQ(postgres.url.env_var, "GW_POSTGRES_URL");
  EXPECT_EQ(postgres.connect_timeout_ms, 500u);
  EXPECT_EQ(postgres.ship_interval_ms, 50u);
  EXPECT_EQ(postgres.batch, 200u);
  EXPECT_EQ(postgres.instance, "gw-eu-1");
  // The defaults.
  const LoadResult defaults =
      ParseConfig("postgres:\n  url: ${U}\n" + std::string(kValidCatalogue), FakeEnv({{"U", "x"}}));
  ASSERT_TRUE(defaults.config.has_value()) << testing::ErrorsText(defaults);
  EXPECT_EQ(defaults.config->postgres->connect_timeout_ms, 2000u);
  EXPECT_EQ(defaults.config->postgres->ship_interval_ms, 200u);
  EXPECT_EQ(defaults.config->postgres->batch, 5000u);
  EXPECT_EQ(defaults.config->postgres->instance, "");
  EXPECT_EQ(defaults.config->accounting.store, LedgerStore::kSqlite);  // a block alone: unused
}

TEST(AccountingSectionTest, PostgresRejections) {
  EXPECT_EQ(Errors("accounting:\n  store: mysql\n"),
            (std::vector<std::string>{"accounting.store: unknown value \"mysql\"; expected one "
                                      "of: sqlite, postgres (line 2, column 10)"}));
  const std::vector<std::string> no_server = Errors("accounting:\n  store: postgres\n");
  ASSERT_EQ(no_server.size(), 1u);
  EXPECT_NE(no_server[0].find("store postgres needs a top-level postgres block"), std::string::npos)
      << no_server[0];
  EXPECT_EQ(Errors("postgres:\n  url: postgresql://gw:hunter2@db/gw\n"),
            (std::vector<std::string>{
                "postgres.url: must be a ${ENV_VAR} reference such as ${OPENAI_API_KEY}; "
                "secrets must not be written into the config file (line 2, column 8)"}));
  EXPECT_EQ(Errors("postgres:\n  url: ${GW_POSTGRES_URL}\n"),
            (std::vector<std::string>{"postgres.url: environment variable GW_POSTGRES_URL is "
                                      "not set (line 2, column 8)"}));
  EXPECT_EQ(Errors("postgres:\n  batch: 10\n").size(), 1u);  // url is required
  EXPECT_EQ(Errors("postgres:\n  url: ${X}\n  batch: 0\n  ship_interval_ms: 0\n"
                   "  connect_timeout_ms: 0\n  database: gw\n")
                .size(),
            5u);
}

// Where the key table lives: keys_store, never implied by store (an existing deployment that
// moves its ledger to PostgreSQL keeps its keys where they are).
TEST(AccountingSectionTest, TheKeysStayInSqliteUnlessKeysStoreSaysPostgres) {
  const auto keys_store = [](const std::string& accounting) -> std::optional<LedgerStore> {
    const LoadResult result = ParseConfig(
        "postgres:\n  url: ${U}\naccounting:\n" + accounting + std::string(kValidCatalogue),
        FakeEnv({{"U", "postgresql:///gw"}}));
    if (!result.config) return std::nullopt;
    return result.config->accounting.keys_store;
  };
  EXPECT_EQ(keys_store("  durability: commit\n"), LedgerStore::kSqlite);
  EXPECT_EQ(keys_store("  store: postgres\n"), LedgerStore::kSqlite);
  EXPECT_EQ(keys_store("  store: postgres\n  keys_database: k.sqlite3\n"), LedgerStore::kSqlite);
  EXPECT_EQ(keys_store("  store: postgres\n  keys_store: postgres\n"), LedgerStore::kPostgres);
  EXPECT_EQ(keys_store("  keys_store: postgres\n"), LedgerStore::kPostgres);
  EXPECT_EQ(keys_store("  keys_store: sqlite\n  keys_database: k.sqlite3\n"), LedgerStore::kSqlite);
}

TEST(AccountingSectionTest, KeysStoreRejections) {
  EXPECT_EQ(Errors("accounting:\n  keys_store: redis\n"),
            (std::vector<std::string>{"accounting.keys_store: unknown value \"redis\"; expected "
                                      "one of: sqlite, postgres (line 2, column 15)"}));
  const std::vector<std::string> no_server = Errors("accounting:\n  keys_store: postgres\n");
  ASSERT_EQ(no_server.size(), 1u);
  EXPECT_NE(no_server[0].find("keys_store postgres needs a top-level postgres block"),
            std::string::npos)
      << no_server[0];
  // A key file named while the keys are in PostgreSQL.
  const LoadResult result = ParseConfig(
      "postgres:\n  url: ${U}\naccounting:\n  keys_store: postgres\n"
      "  keys_database: keys.sqlite3\n" +
          std::string(kValidCatalogue),
      FakeEnv({{"U", "postgresql:///gw"}}));
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_NE(result.errors[0].ToString().find("keys_database names the SQLite key table's file, "
                                             "but keys_store postgres keeps the keys in "
                                             "PostgreSQL"),
            std::string::npos)
      << result.errors[0].ToString();
}

}  // namespace
}  // namespace gw::config

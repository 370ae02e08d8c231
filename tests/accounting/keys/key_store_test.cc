#include "accounting/keys/key_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "accounting/ledger/ledger_error.h"
#include "tests/accounting/keys/key_table_contract.h"

namespace gw::accounting::keys {
namespace {

using testing::FullKey;

std::string FreshPath(const std::string& name) {
  const std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) /
                                    ("key_store_test_" + name + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return (dir / "ledger-keys.sqlite3").string();
}

TEST(KeyStoreTest, KeysRoundTripWithEveryFieldAndSurviveAReopen) {
  const std::string path = FreshPath("round_trip");
  ApiKey plain;
  plain.hash = std::string(64, 'a');
  plain.name = "plain";
  plain.created_at_ms = 1'800'000'000'000;  // newer than FullKey's
  {
    KeyStore store(path);
    EXPECT_TRUE(store.List().empty());
    EXPECT_TRUE(store.Insert(FullKey(std::string(64, 'f'))));
    EXPECT_TRUE(store.Insert(plain));
    EXPECT_FALSE(store.Insert(plain));  // the hash is taken
  }
  KeyStore reopened(path);
  const std::vector<ApiKey> keys = reopened.List();
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys[0], FullKey(std::string(64, 'f')));  // oldest first
  EXPECT_EQ(keys[1], plain);
  EXPECT_EQ(reopened.Get(plain.hash), plain);
  EXPECT_FALSE(reopened.Get(std::string(64, 'b')));
}

TEST(KeyStoreTest, ModifyAndDeleteAnswerWhetherTheKeyExisted) {
  KeyStore store(FreshPath("update"));
  ApiKey key = FullKey(std::string(64, 'c'));
  const auto replace_with_key = [&key](ApiKey& stored) {
    stored = key;
    return std::string();
  };
  EXPECT_FALSE(store.Modify(key.hash, replace_with_key).key);
  ASSERT_TRUE(store.Insert(key));
  key.disabled = false;
  key.limit_nano.reset();
  key.model_limits.clear();
  EXPECT_TRUE(store.Modify(key.hash, replace_with_key).key);
  EXPECT_EQ(store.Get(key.hash), key);
  EXPECT_TRUE(store.Delete(key.hash));
  EXPECT_FALSE(store.Delete(key.hash));
  EXPECT_FALSE(store.Get(key.hash));
}

// The gateway notices the CLI's changes through Version(): it moves on a commit by either
// connection and stays put otherwise.
TEST(KeyStoreTest, VersionMovesWhenAnyConnectionCommits) {
  const std::string path = FreshPath("version");
  KeyStore gateway(path);
  KeyStore cli(path);
  const int64_t start = gateway.Version();
  EXPECT_EQ(gateway.Version(), start);
  ASSERT_TRUE(cli.Insert(FullKey(std::string(64, 'd'))));
  const int64_t after_cli = gateway.Version();
  EXPECT_NE(after_cli, start);
  ASSERT_TRUE(gateway.Delete(std::string(64, 'd')));
  EXPECT_NE(gateway.Version(), after_cli);
  EXPECT_TRUE(gateway.List().empty());
}

// Modify applies the change to the row as it is when written: an edit made since the caller's
// last read (another connection: the CLI, another process) survives.
TEST(KeyStoreTest, ModifyKeepsAnEditMadeSinceTheLastRead) {
  const std::string path = FreshPath("modify");
  KeyStore api(path);
  KeyStore cli(path);
  ApiKey key = FullKey(std::string(64, '1'));
  ASSERT_TRUE(api.Insert(key));
  const std::optional<ApiKey> stale = api.Get(key.hash);
  ASSERT_TRUE(stale);
  ASSERT_TRUE(cli.Modify(key.hash,
                         [](ApiKey& k) {
                           k.limit_nano = 7;
                           return std::string();
                         })
                  .key);
  const KeyStore::Modified renamed = api.Modify(key.hash, [](ApiKey& k) {
    k.name = "renamed";
    return std::string();
  });
  ASSERT_TRUE(renamed.key);
  EXPECT_EQ(renamed.key->limit_nano, 7);
  const std::optional<ApiKey> stored = cli.Get(key.hash);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->name, "renamed");
  EXPECT_EQ(stored->limit_nano, 7);
}

TEST(KeyStoreTest, ModifyWritesNothingWhenRefusedOrWhenTheKeyIsMissing) {
  KeyStore store(FreshPath("modify_refused"));
  const ApiKey key = FullKey(std::string(64, '2'));
  ASSERT_TRUE(store.Insert(key));
  const int64_t version = store.Version();
  const KeyStore::Modified refused = store.Modify(key.hash, [](ApiKey& k) {
    k.name = "not written";
    return std::string("limit: expected a number");
  });
  EXPECT_FALSE(refused.key);
  EXPECT_EQ(refused.problem, "limit: expected a number");
  EXPECT_EQ(store.Get(key.hash), key);
  EXPECT_EQ(store.Version(), version);
  bool applied = false;
  const KeyStore::Modified missing = store.Modify(std::string(64, '3'), [&applied](ApiKey&) {
    applied = true;
    return std::string();
  });
  EXPECT_FALSE(missing.key);
  EXPECT_TRUE(missing.problem.empty());
  EXPECT_FALSE(applied);
}

// Read-modify-write from many threads over two connections (two processes' worth of locking):
// every increment lands.
TEST(KeyStoreTest, ConcurrentModifiesLoseNoUpdate) {
  const std::string path = FreshPath("modify_race");
  KeyStore first(path);
  KeyStore second(path);
  testing::ExpectConcurrentModifiesLoseNoUpdate(first, second, 8, 25);
}

// A row whose policy cannot be read would otherwise run without its lists and rate limits.
TEST(KeyStoreTest, AKeyWhosePolicyCannotBeReadIsDisabled) {
  const std::string path = FreshPath("bad_policy");
  KeyStore store(path);
  ApiKey key = FullKey(std::string(64, 'e'));
  key.disabled = false;
  ASSERT_TRUE(store.Insert(key));
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE api_keys SET policy = '{\"allowed_models\": [' ", nullptr,
                         nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  const std::optional<ApiKey> read = store.Get(key.hash);
  ASSERT_TRUE(read);
  EXPECT_TRUE(read->disabled);
  EXPECT_EQ(read->limit_nano, key.limit_nano);  // the columns are still read
}

// Valid JSON with a member of the wrong type (a hand edit): the key is disabled, and the others
// still load (List does not throw).
TEST(KeyStoreTest, APolicyMemberOfTheWrongTypeDisablesOnlyThatKey) {
  const std::string path = FreshPath("policy_types");
  KeyStore store(path);
  ApiKey good = FullKey(std::string(64, '1'));
  good.disabled = false;
  ASSERT_TRUE(store.Insert(good));
  for (const char* policy : {R"({"rate_limit":{"requests_per_minute":null}})",
                             R"({"user_rate_limit":{"tokens_per_minute":"many"}})",
                             R"({"model_rate_limits":[{"model":"m","requests_per_minute":[]}]})"}) {
    ApiKey bad = FullKey(std::string(64, '2'));
    bad.disabled = false;
    store.Delete(bad.hash);
    ASSERT_TRUE(store.Insert(bad));
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db, "UPDATE api_keys SET policy = ?1 WHERE hash = ?2", -1, &stmt,
                                 nullptr),
              SQLITE_OK);
    sqlite3_bind_text(stmt, 1, policy, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 2, bad.hash.c_str(), -1, SQLITE_TRANSIENT);
    EXPECT_EQ(sqlite3_step(stmt), SQLITE_DONE);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    std::vector<ApiKey> listed;
    ASSERT_NO_THROW(listed = store.List()) << policy;
    ASSERT_EQ(listed.size(), 2u);
    EXPECT_TRUE(store.Get(bad.hash)->disabled) << policy;
    EXPECT_FALSE(store.Get(good.hash)->disabled) << policy;
  }
}

TEST(KeyStoreTest, AnUnopenablePathIsALedgerErrorNamingIt) {
  const std::string path = FreshPath("unopenable");
  std::filesystem::create_directories(path);  // a directory where the file should be
  try {
    KeyStore store(path);
    FAIL() << "opened a directory";
  } catch (const LedgerError& error) {
    EXPECT_NE(std::string(error.what()).find(path), std::string::npos) << error.what();
  }
}

TEST(KeyStoreTest, ThePathSitsBesideTheLedger) {
  EXPECT_EQ(KeyStorePathFor("data/ledger.sqlite3"), "data/ledger-keys.sqlite3");
  EXPECT_EQ(KeyStorePathFor("/var/lib/gw/usage.db"), "/var/lib/gw/usage.db-keys.sqlite3");
}

}  // namespace
}  // namespace gw::accounting::keys

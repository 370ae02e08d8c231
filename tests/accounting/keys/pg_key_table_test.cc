// The key table in a real PostgreSQL server (Debian's, started by the test in a scratch
// directory, postgres_server.h): keys round-trip with every field as the SQLite table keeps
// them, concurrent edits from two instances lose nothing, every change (by any instance, or by
// hand) moves the version other instances poll, and an unreachable server is an error naming it.
#include "accounting/keys/postgres/pg_key_table.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "accounting/keys/key_store.h"
#include "accounting/ledger/ledger_error.h"
#include "accounting/ledger/postgres/pg_connection.h"
#include "tests/accounting/keys/key_table_contract.h"
#include "tests/common/postgres_server.h"
#include "tests/integration/wait_until.h"

namespace gw::accounting::keys {
namespace {

using namespace std::chrono_literals;
using testing::FullKey;

ApiKey PlainKey(const std::string& hash, int64_t created_at_ms) {
  ApiKey key;
  key.hash = hash;
  key.name = "plain";
  key.label = "sk-gw-v1-000...000";
  key.created_at_ms = created_at_ms;
  key.updated_at_ms = created_at_ms;
  return key;
}

class PgKeyTableTest : public ::testing::Test {
 protected:
  // Runs `sql` on the server; "" or the error.
  std::string Exec(const std::string& sql) const {
    std::string error;
    auto connection = postgres::PgConnection::Connect(server_.url(), 5s, &error);
    if (connection) connection->Exec(sql, &error);
    return error;
  }

  // The first value of `sql` on the server, as text; "(error: ...)" on failure.
  std::string Query(const std::string& sql) const {
    std::string error;
    auto connection = postgres::PgConnection::Connect(server_.url(), 5s, &error);
    postgres::PgRows rows;
    if (!connection || !connection->Query(sql, {}, &rows, &error)) return "(error: " + error + ")";
    return rows.rows.empty() ? "(none)" : rows.rows[0][0];
  }

  gw::testing::PostgresServer server_;
};

TEST_F(PgKeyTableTest, KeysRoundTripWithEveryFieldAsTheSqliteTableKeepsThem) {
  PgKeyTable table(server_.url(), 5s);
  const ApiKey full = FullKey(std::string(64, 'f'));
  const ApiKey plain = PlainKey(std::string(64, 'a'), 1'600'000'000'000);  // no limit, no expiry
  ASSERT_TRUE(table.Insert(full));
  ASSERT_TRUE(table.Insert(plain));
  EXPECT_FALSE(table.Insert(full)) << "a second key with the same hash";
  EXPECT_EQ(table.Get(full.hash), full);
  EXPECT_EQ(table.Get(plain.hash), plain);
  EXPECT_FALSE(table.Get(std::string(64, '0')));
  // Oldest first, as the SQLite table lists them.
  const std::vector<ApiKey> listed = table.List();
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0], plain);
  EXPECT_EQ(listed[1], full);
  // Another instance's table reads the same rows.
  PgKeyTable other(server_.url(), 5s);
  EXPECT_EQ(other.List(), listed);
  EXPECT_TRUE(other.Delete(full.hash));
  EXPECT_FALSE(other.Delete(full.hash));
  EXPECT_FALSE(table.Get(full.hash));
  EXPECT_EQ(table.describe().rfind("postgresql ", 0), 0u) << table.describe();
}

TEST_F(PgKeyTableTest, ModifyWritesWhatApplyChangedAndNothingWhenItRefuses) {
  PgKeyTable table(server_.url(), 5s);
  ApiKey key = FullKey(std::string(64, 'b'));
  ASSERT_TRUE(table.Insert(key));
  const KeyTable::Modified renamed = table.Modify(key.hash, [](ApiKey& k) {
    k.name = "renamed";
    k.limit_nano.reset();
    k.expires_at_ms.reset();
    return std::string();
  });
  ASSERT_TRUE(renamed.key);
  EXPECT_EQ(renamed.key->name, "renamed");
  EXPECT_EQ(table.Get(key.hash), *renamed.key);
  EXPECT_FALSE(table.Get(key.hash)->limit_nano);
  const KeyTable::Modified refused = table.Modify(key.hash, [](ApiKey& k) {
    k.name = "not written";
    return std::string("limit: must not be negative");
  });
  EXPECT_FALSE(refused.key);
  EXPECT_EQ(refused.problem, "limit: must not be negative");
  EXPECT_EQ(table.Get(key.hash)->name, "renamed");
  bool applied = false;
  const KeyTable::Modified missing = table.Modify(std::string(64, '3'), [&applied](ApiKey&) {
    applied = true;
    return std::string();
  });
  EXPECT_FALSE(missing.key);
  EXPECT_FALSE(applied);
  // An exception from `apply` rolls back: no session is left inside a transaction (holding the
  // row), and the connection is usable.
  EXPECT_THROW(
      table.Modify(key.hash, [](ApiKey&) -> std::string { throw std::runtime_error("apply"); }),
      std::runtime_error);
  EXPECT_EQ(Query("SELECT count(*) FROM pg_stat_activity WHERE state LIKE 'idle in transaction%'"),
            "0");
  EXPECT_EQ(table.Get(key.hash)->name, "renamed");
}

// Read-modify-write from many threads over two instances' connections: every increment lands.
TEST_F(PgKeyTableTest, ConcurrentModifiesFromTwoInstancesLoseNoUpdate) {
  PgKeyTable first(server_.url(), 5s);
  PgKeyTable second(server_.url(), 5s);
  testing::ExpectConcurrentModifiesLoseNoUpdate(first, second, 6, 20);
}

TEST_F(PgKeyTableTest, EveryCommittedChangeMovesTheVersionOtherInstancesPoll) {
  PgKeyTable table(server_.url(), 5s);
  PgKeyTable other(server_.url(), 5s);
  int64_t version = other.Version();
  const auto moved = [&] {
    const int64_t now = other.Version();
    const bool changed = now != version;
    version = now;
    return changed;
  };
  EXPECT_FALSE(moved());
  ApiKey key = PlainKey(std::string(64, 'c'), 1);
  ASSERT_TRUE(table.Insert(key));
  EXPECT_TRUE(moved()) << "insert";
  table.Modify(key.hash, [](ApiKey& k) {
    k.disabled = true;
    return std::string();
  });
  EXPECT_TRUE(moved()) << "modify";
  table.Modify(key.hash, [](ApiKey&) { return std::string("refused"); });
  EXPECT_FALSE(moved()) << "a refused modify writes nothing";
  ASSERT_EQ(Exec("UPDATE api_keys SET name = 'by hand'"), "");
  EXPECT_TRUE(moved()) << "an edit in psql";
  EXPECT_EQ(other.Get(key.hash)->name, "by hand");
  EXPECT_TRUE(table.Delete(key.hash));
  EXPECT_TRUE(moved()) << "delete";
}

// The gateway's policy JSON is the SQLite table's: a row PostgreSQL holds reads back as the
// same key the SQLite table gives for it, including a damaged policy (the key is disabled).
TEST_F(PgKeyTableTest, AKeyWhosePolicyCannotBeReadIsDisabled) {
  PgKeyTable table(server_.url(), 5s);
  ApiKey key = FullKey(std::string(64, 'e'));
  key.disabled = false;
  ASSERT_TRUE(table.Insert(key));
  ASSERT_EQ(Exec("UPDATE api_keys SET policy = '{\"allowed_models\": ['"), "");
  const std::optional<ApiKey> read = table.Get(key.hash);
  ASSERT_TRUE(read);
  EXPECT_TRUE(read->disabled);
  EXPECT_EQ(read->limit_nano, key.limit_nano);
}

// The grants docs/scale-out.md lists for a role without CREATE are enough to manage keys (the
// version trigger updates api_keys_version with the caller's rights).
TEST_F(PgKeyTableTest, ARoleWithTheDocumentedGrantsManagesKeys) {
  {
    PgKeyTable owner(server_.url(), 5s);
    owner.Version();  // migrates as the owner
  }
  ASSERT_EQ(Exec("CREATE ROLE keys LOGIN; REVOKE CREATE ON SCHEMA public FROM PUBLIC; "
                 "GRANT SELECT ON gw_schema_migrations TO keys; "
                 "GRANT SELECT, INSERT, UPDATE, DELETE ON api_keys TO keys; "
                 "GRANT SELECT, UPDATE ON api_keys_version TO keys"),
            "");
  PgKeyTable limited(
      "postgresql://keys@/postgres?host=" + server_.url().substr(server_.url().find("host=") + 5),
      5s);
  const int64_t before = limited.Version();
  ApiKey key = PlainKey(std::string(64, '9'), 1);
  ASSERT_TRUE(limited.Insert(key));
  ASSERT_TRUE(limited
                  .Modify(key.hash,
                          [](ApiKey& k) {
                            k.name = "changed";
                            return std::string();
                          })
                  .key);
  EXPECT_TRUE(limited.Delete(key.hash));
  EXPECT_EQ(limited.Version(), before + 3);
}

TEST_F(PgKeyTableTest, AnUnreachableServerIsALedgerErrorNamingItAndTheTableRecovers) {
  PgKeyTable table(server_.url(), 5s);
  ASSERT_TRUE(table.Insert(PlainKey(std::string(64, 'd'), 1)));
  server_.Stop();
  try {
    table.List();
    FAIL() << "listed keys while the server is down";
  } catch (const LedgerError& error) {
    EXPECT_NE(std::string(error.what()).find("the shared key table: postgresql"), std::string::npos)
        << error.what();
  }
  EXPECT_THROW(table.Version(), LedgerError);
  server_.Start();
  // Connects again after at most a second of failing fast.
  std::vector<ApiKey> listed;
  EXPECT_TRUE(gw::testing::WaitUntil([&] {
    try {
      listed = table.List();
      return true;
    } catch (const LedgerError&) {
      return false;
    }
  }));
  ASSERT_EQ(listed.size(), 1u);

  PgKeyTable nowhere("postgresql://gw:s3cret-pw@/postgres?host=/nonexistent-dir", 2s);
  EXPECT_EQ(nowhere.describe(), "postgresql /nonexistent-dir/postgres");
  try {
    nowhere.Get(std::string(64, 'd'));
    FAIL() << "no error";
  } catch (const LedgerError& error) {
    EXPECT_NE(std::string(error.what()).find("/nonexistent-dir"), std::string::npos);
    EXPECT_EQ(std::string(error.what()).find("s3cret-pw"), std::string::npos);
  }
}

}  // namespace
}  // namespace gw::accounting::keys

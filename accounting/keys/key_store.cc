#include "accounting/keys/key_store.h"

#include "accounting/keys/key_policy.h"
#include "accounting/ledger/ledger_error.h"
#include "accounting/ledger/sqlite_db.h"

namespace gw::accounting::keys {
namespace {

constexpr int kBusyTimeoutMs = 5000;

// `policy` holds what is enforced per request besides the columns (lists and rate limits), as
// JSON, so that a new kind of rule needs no schema migration.
constexpr std::string_view kSchema = R"sql(
PRAGMA journal_mode = WAL;
PRAGMA synchronous = FULL;
CREATE TABLE IF NOT EXISTS api_keys (
  hash TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  label TEXT NOT NULL,
  disabled INTEGER NOT NULL,
  limit_nano INTEGER,
  limit_reset TEXT NOT NULL,
  expires_at_ms INTEGER,
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL,
  policy TEXT NOT NULL
) WITHOUT ROWID;
)sql";

constexpr std::string_view kColumns =
    "hash, name, label, disabled, limit_nano, limit_reset, expires_at_ms, created_at_ms, "
    "updated_at_ms, policy";

ApiKey ReadKey(const sqlite::Stmt& row) {
  ApiKey key;
  key.hash = row.Text(0);
  key.name = row.Text(1);
  key.label = row.Text(2);
  key.disabled = row.Int(3) != 0;
  if (!row.IsNull(4)) key.limit_nano = row.Int(4);
  key.limit_reset = ParseLimitReset(row.Text(5)).value_or(LimitReset::kNone);
  if (!row.IsNull(6)) key.expires_at_ms = row.Int(6);
  key.created_at_ms = row.Int(7);
  key.updated_at_ms = row.Int(8);
  ReadPolicy(row.Text(9), key);
  return key;
}

// Resets a statement when the scope ends, whatever the path.
struct ResetOnExit {
  sqlite::Stmt& statement;
  ~ResetOnExit() { statement.Reset(); }
};

}  // namespace

std::string KeyStorePathFor(const std::string& ledger_path) {
  // data/ledger.sqlite3 -> data/ledger-keys.sqlite3 (as the response store's file).
  constexpr std::string_view kSuffix = ".sqlite3";
  std::string_view stem = ledger_path;
  if (stem.ends_with(kSuffix)) stem.remove_suffix(kSuffix.size());
  return std::string(stem) + "-keys.sqlite3";
}

std::string KeyStorePathFor(const config::AccountingConfig& accounting) {
  return accounting.keys_database.empty() ? KeyStorePathFor(accounting.DatabasePath())
                                          : accounting.keys_database;
}

KeyStore::KeyStore(const std::string& path) : path_(path) {
  int rc = SQLITE_OK;
  db_ = std::make_unique<sqlite::Db>(sqlite::OpenConnection(
      path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, &rc));
  sqlite::Failure failure;
  if (rc == SQLITE_OK) sqlite3_busy_timeout(db_->get(), kBusyTimeoutMs);
  if (rc != SQLITE_OK || !db_->Exec(kSchema, &failure)) {
    const std::string message = rc != SQLITE_OK ? db_->LastFailure().message : failure.message;
    throw LedgerError("cannot open the key table \"" + path + "\": " + message);
  }
  const std::string columns(kColumns);
  list_ = std::make_unique<sqlite::Stmt>(
      db_->get(), "SELECT " + columns + " FROM api_keys ORDER BY created_at_ms, hash");
  get_ = std::make_unique<sqlite::Stmt>(db_->get(),
                                        "SELECT " + columns + " FROM api_keys WHERE hash = ?1");
  insert_ = std::make_unique<sqlite::Stmt>(
      db_->get(), "INSERT OR IGNORE INTO api_keys (" + columns +
                      ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
  update_ = std::make_unique<sqlite::Stmt>(
      db_->get(),
      "UPDATE api_keys SET name = ?2, label = ?3, disabled = ?4, limit_nano = ?5, "
      "limit_reset = ?6, expires_at_ms = ?7, created_at_ms = ?8, updated_at_ms = ?9, "
      "policy = ?10 WHERE hash = ?1");
  delete_ = std::make_unique<sqlite::Stmt>(db_->get(), "DELETE FROM api_keys WHERE hash = ?1");
  data_version_ = std::make_unique<sqlite::Stmt>(db_->get(), "PRAGMA data_version");
}

KeyStore::~KeyStore() = default;

std::vector<ApiKey> KeyStore::List() {
  const std::lock_guard lock(mu_);
  const ResetOnExit reset{*list_};
  std::vector<ApiKey> keys;
  int rc = SQLITE_ROW;
  while ((rc = list_->Step()) == SQLITE_ROW) keys.push_back(ReadKey(*list_));
  if (rc != SQLITE_DONE) {
    throw LedgerError("key table " + path_ + ": " + db_->LastFailure().message);
  }
  return keys;
}

std::optional<ApiKey> KeyStore::Get(std::string_view hash) {
  const std::lock_guard lock(mu_);
  return GetLocked(hash);
}

std::optional<ApiKey> KeyStore::GetLocked(std::string_view hash) {
  const ResetOnExit reset{*get_};
  get_->Bind(1, hash);
  const int rc = get_->Step();
  if (rc == SQLITE_ROW) return ReadKey(*get_);
  if (rc != SQLITE_DONE) {
    throw LedgerError("key table " + path_ + ": " + db_->LastFailure().message);
  }
  return std::nullopt;
}

KeyStore::Modified KeyStore::Modify(std::string_view hash,
                                    const std::function<std::string(ApiKey&)>& apply) {
  const std::lock_guard lock(mu_);
  // IMMEDIATE takes the write lock before the read: another process's edit waits (busy
  // timeout) instead of interleaving between this read and this write.
  ExecLocked("BEGIN IMMEDIATE");
  Modified result;
  try {
    std::optional<ApiKey> key = GetLocked(hash);
    if (key) result.problem = apply(*key);
    if (key && result.problem.empty()) {
      Write(*update_, *key);
      result.key = std::move(key);
    }
    ExecLocked(result.key ? "COMMIT" : "ROLLBACK");
  } catch (...) {
    sqlite::Failure ignored;
    db_->Exec("ROLLBACK", &ignored);
    throw;
  }
  if (result.key) ++own_writes_;
  return result;
}

void KeyStore::ExecLocked(const char* sql) {
  sqlite::Failure failure;
  if (!db_->Exec(sql, &failure)) throw LedgerError("key table " + path_ + ": " + failure.message);
}

void KeyStore::Write(sqlite::Stmt& statement, const ApiKey& key) {
  const ResetOnExit reset{statement};
  const std::string reset_name(LimitResetName(key.limit_reset));
  const std::string policy = PolicyJson(key);
  statement.Bind(1, key.hash);
  statement.Bind(2, key.name);
  statement.Bind(3, key.label);
  statement.Bind(4, int64_t{key.disabled ? 1 : 0});
  if (key.limit_nano) {
    statement.Bind(5, *key.limit_nano);
  } else {
    statement.BindNull(5);
  }
  statement.Bind(6, reset_name);
  if (key.expires_at_ms) {
    statement.Bind(7, *key.expires_at_ms);
  } else {
    statement.BindNull(7);
  }
  statement.Bind(8, key.created_at_ms);
  statement.Bind(9, key.updated_at_ms);
  statement.Bind(10, policy);
  if (statement.Step() != SQLITE_DONE) {
    throw LedgerError("key table " + path_ + ": " + db_->LastFailure().message);
  }
}

bool KeyStore::Insert(const ApiKey& key) {
  const std::lock_guard lock(mu_);
  Write(*insert_, key);
  const bool inserted = sqlite3_changes(db_->get()) > 0;
  if (inserted) ++own_writes_;
  return inserted;
}

bool KeyStore::Delete(std::string_view hash) {
  const std::lock_guard lock(mu_);
  const ResetOnExit reset{*delete_};
  delete_->Bind(1, hash);
  if (delete_->Step() != SQLITE_DONE) {
    throw LedgerError("key table " + path_ + ": " + db_->LastFailure().message);
  }
  const bool deleted = sqlite3_changes(db_->get()) > 0;
  if (deleted) ++own_writes_;
  return deleted;
}

int64_t KeyStore::Version() {
  const std::lock_guard lock(mu_);
  const ResetOnExit reset{*data_version_};
  if (data_version_->Step() != SQLITE_ROW) {
    throw LedgerError("key table " + path_ + ": " + db_->LastFailure().message);
  }
  return data_version_->Int(0) + own_writes_;
}

}  // namespace gw::accounting::keys

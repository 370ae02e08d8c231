// The key table (docs/keys.md): managed API keys in one SQLite file beside the ledger
// (`<ledger>-keys.sqlite3`, WAL, synchronous=FULL: a key the API or the CLI created survives a
// power loss). The gateway and the `gateway keys` CLI open the same file; a running gateway sees
// what the CLI changed through Version(). Only hashes of secrets are stored (api_key.h).
//
// Thread-safe: one connection guarded by mu_. Calls are short statements on the primary key or a
// scan of the (small) table; the request path never calls them (it reads the KeyRegistry's
// in-memory copy).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "accounting/keys/api_key.h"
#include "config/config.h"

namespace gw::accounting {
namespace sqlite {
class Db;
class Stmt;
}  // namespace sqlite
}  // namespace gw::accounting

namespace gw::accounting::keys {

// The key table's file for a ledger at `ledger_path`.
std::string KeyStorePathFor(const std::string& ledger_path);
// The key table's file of a configuration: accounting.keys_database, else beside its ledger.
std::string KeyStorePathFor(const config::AccountingConfig& accounting);

class KeyStore {
 public:
  // Opens (creating if needed) the table at `path`. Throws LedgerError naming the file.
  explicit KeyStore(const std::string& path);
  ~KeyStore();
  KeyStore(const KeyStore&) = delete;
  KeyStore& operator=(const KeyStore&) = delete;

  // Every key, oldest first. Throw LedgerError on a database failure (as do the others).
  std::vector<ApiKey> List();
  std::optional<ApiKey> Get(std::string_view hash);
  // Adds `key`; false when a key with its hash exists.
  bool Insert(const ApiKey& key);
  // Reads the key, lets `apply` change it and writes it back in one IMMEDIATE transaction, so
  // that concurrent edits (two API calls, the API and the CLI, two processes) cannot lose one
  // another's fields. `apply` returns "" to write the change, or a problem that cancels it.
  struct Modified {
    std::optional<ApiKey> key;  // the key as written; empty: no such key, or `problem`
    std::string problem;        // what `apply` refused
  };
  Modified Modify(std::string_view hash, const std::function<std::string(ApiKey&)>& apply);
  bool Delete(std::string_view hash);
  // Changes whenever a change to the table was committed, by this connection or by another
  // process (SQLite's data_version plus this connection's own writes).
  int64_t Version();

  const std::string& path() const { return path_; }

 private:
  void Write(sqlite::Stmt& statement, const ApiKey& key);  // binds every column, steps
  std::optional<ApiKey> GetLocked(std::string_view hash);  // mu_ held
  void ExecLocked(const char* sql);                        // mu_ held; throws LedgerError

  std::string path_;
  std::mutex mu_;  // guards db_, the statements and own_writes_
  std::unique_ptr<sqlite::Db> db_;
  std::unique_ptr<sqlite::Stmt> list_, get_, insert_, update_, delete_, data_version_;
  int64_t own_writes_ = 0;
};

}  // namespace gw::accounting::keys

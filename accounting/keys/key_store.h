// The key table in SQLite (docs/keys.md; the interface is key_table.h): managed API keys in one
// SQLite file beside the ledger
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
#include "accounting/keys/key_table.h"
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

class KeyStore : public KeyTable {
 public:
  // Opens (creating if needed) the table at `path`. Throws LedgerError naming the file.
  explicit KeyStore(const std::string& path);
  ~KeyStore() override;
  KeyStore(const KeyStore&) = delete;
  KeyStore& operator=(const KeyStore&) = delete;

  std::vector<ApiKey> List() override;
  std::optional<ApiKey> Get(std::string_view hash) override;
  bool Insert(const ApiKey& key) override;
  // One IMMEDIATE transaction: another process's edit waits (busy timeout).
  Modified Modify(std::string_view hash, const std::function<std::string(ApiKey&)>& apply) override;
  bool Delete(std::string_view hash) override;
  // SQLite's data_version plus this connection's own writes.
  int64_t Version() override;
  std::string describe() const override { return path_; }

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

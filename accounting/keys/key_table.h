// The key table's interface (docs/keys.md): where managed API keys are kept. Two
// implementations: KeyStore (key_store.h), a SQLite file beside the ledger, shared by the
// processes of one machine; and postgres::PgKeyTable (postgres/pg_key_table.h), a table in the
// shared PostgreSQL database, shared by every instance (accounting.keys_store: postgres,
// docs/scale-out.md). The request path never calls them: it reads the KeyRegistry's in-memory
// copy, which polls Version(). Implementations are thread-safe and throw LedgerError, naming the
// file or the server, on a failure.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "accounting/keys/api_key.h"

namespace gw::accounting::keys {

class KeyTable {
 public:
  virtual ~KeyTable() = default;

  // Every key, oldest first (then by hash).
  virtual std::vector<ApiKey> List() = 0;
  virtual std::optional<ApiKey> Get(std::string_view hash) = 0;
  // Adds `key`; false when a key with its hash exists.
  virtual bool Insert(const ApiKey& key) = 0;
  // Reads the key, lets `apply` change it and writes it back in one transaction that holds the
  // row (or the file) from the read to the write, so that concurrent edits (two API calls, the
  // API and the CLI, two processes or instances) cannot lose one another's fields. `apply`
  // returns "" to write the change, or a problem that cancels it.
  struct Modified {
    std::optional<ApiKey> key;  // the key as written; empty: no such key, or `problem`
    std::string problem;        // what `apply` refused
  };
  virtual Modified Modify(std::string_view hash,
                          const std::function<std::string(ApiKey&)>& apply) = 0;
  virtual bool Delete(std::string_view hash) = 0;
  // Changes whenever a change to the table was committed, by this process or by another.
  virtual int64_t Version() = 0;
  // Where the table is, for messages: a file path, or "postgresql host:port/db".
  virtual std::string describe() const = 0;
};

}  // namespace gw::accounting::keys

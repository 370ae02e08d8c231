// The key table in the shared PostgreSQL database (accounting.keys_store: postgres,
// docs/scale-out.md): every instance, on any machine, serves the same managed keys. The table
// has the columns of the SQLite one (key_store.h) and comes with the ledger's schema (version 3,
// pg_schema.cc; applied on connect when missing). Version() reads a counter that a trigger bumps
// on every committed change, so each instance's KeyRegistry sees a change made on any instance,
// by the CLI, or by hand, within its poll interval. Modify holds the row (SELECT ... FOR UPDATE)
// from the read to the write.
//
// While PostgreSQL is unreachable calls throw LedgerError naming it (the management API answers
// 503); the request path keeps serving the keys the registry last read. Thread-safe: one
// PgSession (pg_session.h), calls serialized.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "accounting/keys/key_table.h"

namespace gw::accounting::postgres {
class PgSession;
}  // namespace gw::accounting::postgres

namespace gw::accounting::keys {

class PgKeyTable : public KeyTable {
 public:
  // Connects on first use (no I/O here). `url`: a libpq connection string.
  PgKeyTable(std::string url, std::chrono::milliseconds connect_timeout);
  ~PgKeyTable() override;

  std::vector<ApiKey> List() override;
  std::optional<ApiKey> Get(std::string_view hash) override;
  bool Insert(const ApiKey& key) override;
  Modified Modify(std::string_view hash, const std::function<std::string(ApiKey&)>& apply) override;
  bool Delete(std::string_view hash) override;
  int64_t Version() override;
  std::string describe() const override { return describe_; }

 private:
  std::unique_ptr<postgres::PgSession> session_;
  std::string describe_;
};

}  // namespace gw::accounting::keys

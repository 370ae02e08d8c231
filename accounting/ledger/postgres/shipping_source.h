// The local side of shipping records to PostgreSQL (pg_shipper.h): this instance's SQLite
// ledger, read past the watermark postgres_shipping.through_rowid in rowid order (the ledger's
// single writer commits rowids in increasing order), as COPY text, and the watermark moved once
// a batch is in PostgreSQL. Its own connection; used by the shipping thread only.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "accounting/ledger/sqlite_db.h"
#include "accounting/ledger/usage_reports.h"

namespace gw::accounting::postgres {

struct ShippingBatch {
  std::string copy_text;  // rows in COPY text format, the columns of columns()
  size_t rows = 0;
  int64_t through_rowid = 0;  // the last row's rowid
};

class ShippingSource {
 public:
  // Opens `ledger_path` (throws LedgerError naming it when it cannot be opened or migrated).
  ShippingSource(const std::string& ledger_path, std::chrono::milliseconds busy_timeout);

  // The generations table's columns, in table order.
  const std::vector<std::string>& columns() const { return columns_; }

  // At most `limit` rows past the watermark; rows == 0 when there are none.
  bool Read(size_t limit, ShippingBatch* batch, sqlite::Failure* failure);
  // Records that the rows through `rowid` are in PostgreSQL.
  bool Advance(int64_t rowid, sqlite::Failure* failure);
  // Rows past the watermark (the largest rowid minus the watermark: exact while retention has
  // deleted nothing above the watermark, which it never does when shipping).
  bool Backlog(int64_t* backlog, sqlite::Failure* failure);

 private:
  std::string path_;
  sqlite::Db db_;
  sqlite::Stmt watermark_, read_, advance_, max_rowid_;
  std::vector<std::string> columns_;
  int64_t through_ = 0;  // the stored watermark
};

// This instance's spend of `key` (only `user`'s when not empty) in records created on or after
// `from_day` (epoch day) and not shipped yet: what the shared ledger does not have yet. Throws
// LedgerError.
int64_t UnshippedSpend(LedgerReader& reader, std::string_view key, std::string_view user,
                       int64_t from_day);

}  // namespace gw::accounting::postgres

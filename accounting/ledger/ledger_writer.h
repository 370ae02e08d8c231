// The ledger's write side on its own connection: one transaction per batch (raw rows plus the
// rollups of the rows actually inserted), and the retention deletes. Owned and used by the
// ledger's consumer thread only.
#pragma once

#include <cstdint>
#include <deque>
#include <string>

#include "accounting/generation_record.h"
#include "accounting/ledger/insights_rollups.h"
#include "accounting/ledger/rollups.h"
#include "accounting/ledger/sqlite_db.h"

namespace gw::accounting {

class LedgerWriter {
 public:
  explicit LedgerWriter(sqlite::Db db);

  // Writes records[first, first + count) and their rollups in one transaction. On failure
  // everything is rolled back and *failure says why. *duplicates counts records whose id was
  // already stored (skipped, not added to the rollups).
  bool WriteBatch(const std::deque<GenerationRecord>& records, size_t first, size_t count,
                  uint64_t* duplicates, sqlite::Failure* failure);

  // Deletes at most `limit` raw records created before `cutoff_ms` (one transaction).
  bool DeleteOlderThan(int64_t cutoff_ms, int64_t limit, int64_t* deleted,
                       sqlite::Failure* failure);

  sqlite3* db() const { return db_.get(); }

 private:
  bool Run(sqlite::Stmt& stmt, sqlite::Failure* failure);
  void RollbackIfOpen();

  sqlite::Db db_;
  sqlite::Stmt begin_, commit_, rollback_, insert_, retention_;
  RollupWriter rollup_writer_;
  RollupBatch rollups_;
  InsightsWriter insights_writer_;
  InsightsBatch insights_;
  std::string attempts_json_;
};

}  // namespace gw::accounting

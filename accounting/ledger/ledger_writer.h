// The ledger's write side on its own connection: one transaction per batch (raw rows plus the
// rollups of the rows actually inserted), and the retention deletes. Owned and used by the
// ledger's consumer thread only.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "accounting/generation_record.h"
#include "accounting/ledger/insights_rollups.h"
#include "accounting/ledger/rollups.h"
#include "accounting/ledger/sqlite_db.h"

namespace gw::accounting {

class LedgerWriter {
 public:
  // `keep_unshipped`: retention never deletes a record not yet shipped to PostgreSQL
  // (postgres_shipping.through_rowid; accounting.store: postgres), nor the last one shipped:
  // SQLite gives a new row the largest rowid + 1, so keeping that row keeps every new record
  // above the watermark.
  LedgerWriter(sqlite::Db db, bool keep_unshipped);

  // Writes records[first, first + count) and their rollups in one transaction. On failure
  // everything is rolled back and *failure says why. *duplicates counts records whose id was
  // already stored (skipped, not added to the rollups).
  bool WriteBatch(const std::deque<GenerationRecord>& records, size_t first, size_t count,
                  uint64_t* duplicates, sqlite::Failure* failure);

  // The insights rollups (insights_rollups.h) of the records committed since the last flush:
  // WriteBatch adds each committed batch's inserted records to them in memory; FlushInsights
  // adds them to their tables in a transaction of its own that also moves the watermark
  // (insights_state.through_rowid) past the last of those records, so each record is counted
  // exactly once. RecoverInsights, before the first batch, counts the raw rows past the watermark
  // (the records of a process that died between a commit and its insights flush) and flushes;
  // until it succeeded, committed batches are left to its scan. False with *failure when the
  // database failed; what was pending stays pending (call again).
  bool FlushInsights(sqlite::Failure* failure);
  bool RecoverInsights(sqlite::Failure* failure);
  bool insights_pending() const { return insights_through_ > insights_flushed_; }

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
  sqlite::Stmt insights_watermark_, insights_advance_, insights_unflushed_;
  InsightsBatch insights_;           // the records committed after insights_flushed_
  int64_t insights_through_ = 0;     // rowid of the last of them
  int64_t insights_flushed_ = 0;     // the watermark as stored
  bool insights_recovered_ = false;  // RecoverInsights succeeded: WriteBatch adds to insights_
  std::vector<size_t> inserted_;     // the records of the batch being written that were inserted
  std::string attempts_json_;
};

}  // namespace gw::accounting

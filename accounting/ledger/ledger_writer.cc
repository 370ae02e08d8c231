#include "accounting/ledger/ledger_writer.h"

#include <utility>

#include "accounting/ledger/generation_row.h"

namespace gw::accounting {

LedgerWriter::LedgerWriter(sqlite::Db db)
    : db_(std::move(db)),
      begin_(db_.get(), "BEGIN IMMEDIATE"),
      commit_(db_.get(), "COMMIT"),
      rollback_(db_.get(), "ROLLBACK"),
      insert_(db_.get(), kInsertGenerationSql),
      retention_(db_.get(),
                 "DELETE FROM generations WHERE rowid IN (SELECT rowid FROM generations "
                 "WHERE created_at_ms < ?1 LIMIT ?2)"),
      rollup_writer_(db_.get()),
      insights_writer_(db_.get()) {}

bool LedgerWriter::Run(sqlite::Stmt& stmt, sqlite::Failure* failure) {
  const int rc = stmt.Step();
  if (rc == SQLITE_DONE) {
    stmt.Reset();
    return true;
  }
  failure->code = sqlite3_extended_errcode(db_.get());
  failure->message = sqlite3_errmsg(db_.get());
  stmt.Reset();
  return false;
}

void LedgerWriter::RollbackIfOpen() {
  if (sqlite3_get_autocommit(db_.get()) == 0) {
    rollback_.Step();
    rollback_.Reset();
  }
}

bool LedgerWriter::WriteBatch(const std::deque<GenerationRecord>& records, size_t first,
                              size_t count, uint64_t* duplicates, sqlite::Failure* failure) {
  *duplicates = 0;
  rollups_.Clear();
  insights_.Clear();
  if (!Run(begin_, failure)) return false;
  for (size_t i = first; i < first + count; ++i) {
    const GenerationRecord& record = records[i];
    BindGeneration(insert_, record, &attempts_json_);
    if (!Run(insert_, failure)) {
      RollbackIfOpen();
      return false;
    }
    if (sqlite3_changes(db_.get()) == 1) {
      rollups_.Add(record);
      insights_.Add(record);
    } else {
      ++*duplicates;
    }
  }
  if (!rollup_writer_.Write(rollups_, failure) || !insights_writer_.Write(insights_, failure) ||
      !Run(commit_, failure)) {
    RollbackIfOpen();
    rollups_.Clear();
    insights_.Clear();
    return false;
  }
  rollups_.Clear();
  insights_.Clear();
  return true;
}

bool LedgerWriter::DeleteOlderThan(int64_t cutoff_ms, int64_t limit, int64_t* deleted,
                                   sqlite::Failure* failure) {
  retention_.Bind(1, cutoff_ms);
  retention_.Bind(2, limit);
  if (!Run(retention_, failure)) return false;
  *deleted = sqlite3_changes(db_.get());
  return true;
}

}  // namespace gw::accounting

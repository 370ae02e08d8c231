#include "accounting/ledger/ledger_writer.h"

#include <utility>

#include "accounting/ledger/generation_row.h"

namespace gw::accounting {

LedgerWriter::LedgerWriter(sqlite::Db db, bool keep_unshipped)
    : db_(std::move(db)),
      begin_(db_.get(), "BEGIN IMMEDIATE"),
      commit_(db_.get(), "COMMIT"),
      rollback_(db_.get(), "ROLLBACK"),
      insert_(db_.get(), kInsertGenerationSql),
      retention_(db_.get(),
                 keep_unshipped
                     ? "DELETE FROM generations WHERE rowid IN (SELECT rowid FROM generations "
                       "WHERE created_at_ms < ?1 AND rowid < (SELECT through_rowid FROM "
                       "postgres_shipping WHERE id = 1) LIMIT ?2)"
                     : "DELETE FROM generations WHERE rowid IN (SELECT rowid FROM generations "
                       "WHERE created_at_ms < ?1 LIMIT ?2)"),
      rollup_writer_(db_.get()),
      insights_writer_(db_.get()),
      insights_watermark_(db_.get(), "SELECT through_rowid FROM insights_state WHERE id = 1"),
      insights_advance_(db_.get(), "UPDATE insights_state SET through_rowid = ?1 WHERE id = 1"),
      insights_unflushed_(
          db_.get(),
          "SELECT rowid, created_at_ms, model, author, model_origin, "
          "model_open_weights, model_parameters_m, model_reasoning, category, "
          "language, native_prompt, native_completion, native_reasoning, "
          "tools_offered, tool_called, cost_total, api_key_id, user, app, provider, "
          "http_status FROM generations WHERE rowid > ?1 ORDER BY rowid") {}

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
  inserted_.clear();
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
      inserted_.push_back(i);
    } else {
      ++*duplicates;
    }
  }
  const int64_t last_rowid = sqlite3_last_insert_rowid(db_.get());
  if (!rollup_writer_.Write(rollups_, failure) || !Run(commit_, failure)) {
    RollbackIfOpen();
    rollups_.Clear();
    return false;
  }
  rollups_.Clear();
  // Until RecoverInsights succeeded, its scan past the watermark will count these rows.
  if (insights_recovered_) {
    for (const size_t i : inserted_) insights_.Add(records[i]);
    if (!inserted_.empty()) insights_through_ = last_rowid;
  }
  return true;
}

bool LedgerWriter::FlushInsights(sqlite::Failure* failure) {
  if (!insights_pending()) return true;
  if (!Run(begin_, failure)) return false;
  insights_advance_.Bind(1, insights_through_);
  if (!insights_writer_.Write(insights_, failure) || !Run(insights_advance_, failure) ||
      !Run(commit_, failure)) {
    RollbackIfOpen();
    return false;
  }
  insights_.Clear();
  insights_flushed_ = insights_through_;
  return true;
}

bool LedgerWriter::RecoverInsights(sqlite::Failure* failure) {
  const auto failed = [&] {
    failure->code = sqlite3_extended_errcode(db_.get());
    failure->message = sqlite3_errmsg(db_.get());
    insights_.Clear();  // the rows past the watermark are read again by the next attempt
    insights_through_ = insights_flushed_;
    return false;
  };
  int rc = insights_watermark_.Step();
  if (rc == SQLITE_ROW) insights_flushed_ = insights_watermark_.Int(0);
  insights_watermark_.Reset();
  if (rc != SQLITE_ROW) return failed();
  insights_.Clear();
  insights_through_ = insights_flushed_;
  insights_unflushed_.Bind(1, insights_flushed_);
  GenerationRecord r;
  while ((rc = insights_unflushed_.Step()) == SQLITE_ROW) {
    const sqlite::Stmt& row = insights_unflushed_;
    insights_through_ = row.Int(0);
    r.created_at_ms = row.Int(1);
    r.model = row.Text(2);
    r.author = row.Text(3);
    r.model_origin = row.Text(4);
    r.model_open_weights = row.Int(5) != 0;
    r.model_parameters_m = row.Int(6);
    r.model_reasoning = row.Int(7) != 0;
    r.category = row.Text(8);
    r.language = row.Text(9);
    r.native.prompt = row.Int(10);
    r.native.completion = row.Int(11);
    r.native.reasoning = row.Int(12);
    r.tools_offered = row.Int(13) != 0;
    r.tool_called = row.Int(14) != 0;
    r.cost.total = row.Int(15);
    r.api_key_id = row.Text(16);
    r.user = row.Text(17);
    r.app = row.Text(18);
    r.provider = row.Text(19);
    r.http_status = static_cast<int>(row.Int(20));
    insights_.Add(r);
  }
  insights_unflushed_.Reset();
  if (rc != SQLITE_DONE) return failed();
  insights_recovered_ = true;
  return FlushInsights(failure);
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

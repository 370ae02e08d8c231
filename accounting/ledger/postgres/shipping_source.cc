#include "accounting/ledger/postgres/shipping_source.h"

#include <charconv>

#include "accounting/ledger/postgres/pg_connection.h"
#include "accounting/ledger/rollups.h"
#include "accounting/ledger/schema.h"

namespace gw::accounting::postgres {
namespace {

bool StepFailed(sqlite3* db, sqlite::Stmt& stmt, sqlite::Failure* failure) {
  failure->code = sqlite3_extended_errcode(db);
  failure->message = sqlite3_errmsg(db);
  stmt.Reset();
  return false;
}

void AppendInteger(int64_t value, std::string* out) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  out->append(digits, end);
}

}  // namespace

ShippingSource::ShippingSource(const std::string& ledger_path,
                               std::chrono::milliseconds busy_timeout)
    : path_(ledger_path),
      db_(OpenLedgerForWriting(ledger_path, busy_timeout)),
      watermark_(db_.get(), "SELECT through_rowid FROM postgres_shipping WHERE id = 1"),
      read_(db_.get(), "SELECT rowid, * FROM generations WHERE rowid > ?1 ORDER BY rowid LIMIT ?2"),
      advance_(db_.get(), "UPDATE postgres_shipping SET through_rowid = ?1 WHERE id = 1"),
      max_rowid_(db_.get(), "SELECT IFNULL(MAX(rowid), 0) FROM generations") {
  const int count = sqlite3_column_count(read_.get());
  for (int c = 1; c < count; ++c) columns_.emplace_back(sqlite3_column_name(read_.get(), c));
  if (watermark_.Step() == SQLITE_ROW) through_ = watermark_.Int(0);
  watermark_.Reset();
}

bool ShippingSource::Read(size_t limit, ShippingBatch* batch, sqlite::Failure* failure) {
  // Rows past the watermark get rowids above it only while a row at or above it exists
  // (retention keeps the last shipped row). Should the table have lost them anyway (emptied by
  // hand), new rows reuse low rowids: ship everything again from the start, each record is
  // skipped by id if PostgreSQL has it.
  if (max_rowid_.Step() != SQLITE_ROW) return StepFailed(db_.get(), max_rowid_, failure);
  const int64_t max_rowid = max_rowid_.Int(0);
  max_rowid_.Reset();
  if (max_rowid < through_ && !Advance(0, failure)) return false;
  batch->rows = 0;
  batch->through_rowid = through_;
  read_.Bind(1, through_);
  read_.Bind(2, static_cast<int64_t>(limit));
  const int columns = static_cast<int>(columns_.size());
  int rc;
  while ((rc = read_.Step()) == SQLITE_ROW) {
    batch->through_rowid = read_.Int(0);
    for (int c = 1; c <= columns; ++c) {
      if (c > 1) batch->copy_text.push_back('\t');
      switch (sqlite3_column_type(read_.get(), c)) {
        case SQLITE_INTEGER:
          AppendInteger(read_.Int(c), &batch->copy_text);
          break;
        case SQLITE_NULL:
          batch->copy_text.append("\\N");
          break;
        default:  // TEXT (and what SQLite would convert to it)
          AppendCopyText(read_.TextView(c), &batch->copy_text);
      }
    }
    batch->copy_text.push_back('\n');
    ++batch->rows;
  }
  if (rc != SQLITE_DONE) return StepFailed(db_.get(), read_, failure);
  read_.Reset();
  return true;
}

bool ShippingSource::Advance(int64_t rowid, sqlite::Failure* failure) {
  advance_.Bind(1, rowid);
  if (advance_.Step() != SQLITE_DONE) return StepFailed(db_.get(), advance_, failure);
  advance_.Reset();
  through_ = rowid;
  return true;
}

bool ShippingSource::Backlog(int64_t* backlog, sqlite::Failure* failure) {
  if (max_rowid_.Step() != SQLITE_ROW) return StepFailed(db_.get(), max_rowid_, failure);
  *backlog = std::max<int64_t>(0, max_rowid_.Int(0) - through_);
  max_rowid_.Reset();
  return true;
}

int64_t UnshippedSpend(LedgerReader& reader, std::string_view key, std::string_view user,
                       int64_t from_day) {
  int64_t spent = 0;
  reader.ForEachRow(
      "SELECT IFNULL(SUM(cost_total), 0) FROM generations WHERE rowid > (SELECT through_rowid "
      "FROM postgres_shipping WHERE id = 1) AND api_key_id = ?1 AND (?2 = '' OR user = ?2) AND "
      "created_at_ms >= ?3",
      {key, user, from_day * kMsPerDay}, [&spent](const sqlite::Stmt& row) { spent = row.Int(0); });
  return spent;
}

}  // namespace gw::accounting::postgres

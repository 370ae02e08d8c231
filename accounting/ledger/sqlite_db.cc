#include "accounting/ledger/sqlite_db.h"

#include <string>

#include "accounting/ledger/ledger_error.h"

namespace gw::accounting::sqlite {

Stmt::Stmt(sqlite3* db, std::string_view sql) {
  const int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
  if (rc != SQLITE_OK) {
    throw LedgerError("usage ledger: cannot prepare statement (" + std::string(sqlite3_errmsg(db)) +
                      "): " + std::string(sql.substr(0, 80)));
  }
}

Stmt::Stmt(Stmt&& other) noexcept : stmt_(other.stmt_) { other.stmt_ = nullptr; }

Stmt& Stmt::operator=(Stmt&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    stmt_ = other.stmt_;
    other.stmt_ = nullptr;
  }
  return *this;
}

Stmt::~Stmt() { sqlite3_finalize(stmt_); }

std::string Stmt::Text(int column) const { return std::string(TextView(column)); }

std::string_view Stmt::TextView(int column) const {
  const auto* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return {};
  return std::string_view(reinterpret_cast<const char*>(text),
                          static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

Db& Db::operator=(Db&& other) noexcept {
  if (this != &other) {
    sqlite3_close_v2(db_);
    db_ = other.db_;
    other.db_ = nullptr;
  }
  return *this;
}

Db::~Db() { sqlite3_close_v2(db_); }

bool Db::Exec(std::string_view sql, Failure* failure) {
  const std::string text(sql);
  char* message = nullptr;
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
  if (rc == SQLITE_OK) return true;
  if (failure != nullptr) {
    failure->code = rc;
    failure->message = message != nullptr ? message : sqlite3_errstr(rc);
  }
  sqlite3_free(message);
  return false;
}

Failure Db::LastFailure() const {
  Failure failure;
  failure.code = sqlite3_extended_errcode(db_);
  failure.message = sqlite3_errmsg(db_);
  return failure;
}

Db OpenConnection(const std::string& path, int flags, int* rc) {
  sqlite3* raw = nullptr;
  *rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  return Db(raw);
}

}  // namespace gw::accounting::sqlite

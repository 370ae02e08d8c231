// Thin RAII wrappers over the SQLite C API used by the ledger: a connection (Db) and a reusable
// prepared statement (Stmt). Each object belongs to one thread at a time (the ledger's consumer,
// or a reader guarded by its owner's mutex).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace gw::accounting::sqlite {

// A failed SQLite call: the result code and SQLite's own message.
struct Failure {
  int code = SQLITE_OK;
  std::string message;
};

class Stmt {
 public:
  Stmt() = default;
  Stmt(sqlite3* db, std::string_view sql);  // throws LedgerError on a prepare failure
  Stmt(Stmt&& other) noexcept;
  Stmt& operator=(Stmt&& other) noexcept;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt();

  // Bind by 1-based index. Text is copied only when `transient` (SQLite's SQLITE_TRANSIENT);
  // by default the caller keeps the text alive until the statement is stepped.
  void Bind(int index, int64_t value) { sqlite3_bind_int64(stmt_, index, value); }
  void Bind(int index, std::string_view text) {
    sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
  }
  void BindNull(int index) { sqlite3_bind_null(stmt_, index); }

  int Step() { return sqlite3_step(stmt_); }  // SQLITE_ROW, SQLITE_DONE or an error code
  void Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

  int64_t Int(int column) const { return sqlite3_column_int64(stmt_, column); }
  std::string Text(int column) const;
  // The same text without a copy; valid until the statement steps, resets or is finalized.
  std::string_view TextView(int column) const;
  bool IsNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

  sqlite3_stmt* get() const { return stmt_; }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

class Db {
 public:
  Db() = default;
  explicit Db(sqlite3* db) : db_(db) {}
  Db(Db&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  Db& operator=(Db&& other) noexcept;
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  ~Db();

  sqlite3* get() const { return db_; }
  // Runs `sql` (one or more statements); returns false and fills *failure on error.
  bool Exec(std::string_view sql, Failure* failure);
  // The current error of this connection.
  Failure LastFailure() const;

 private:
  sqlite3* db_ = nullptr;
};

// Opens `path` with `flags` (SQLITE_OPEN_*); the connection is returned even on failure so the
// caller can read the message; *rc receives the result.
Db OpenConnection(const std::string& path, int flags, int* rc);

}  // namespace gw::accounting::sqlite

#include "gateway/responses/response_store.h"

#include <stdexcept>

namespace gw::responses {
namespace {

constexpr int kPrunePeriod = 1000;  // Puts between two prunes
constexpr int kBusyTimeoutMs = 5000;

constexpr const char* kSchema =
    "PRAGMA journal_mode = WAL;"
    "PRAGMA synchronous = NORMAL;"
    "CREATE TABLE IF NOT EXISTS responses ("
    "  id TEXT PRIMARY KEY,"
    "  key_id TEXT NOT NULL,"
    "  created_at_ms INTEGER NOT NULL,"
    "  response TEXT NOT NULL,"
    "  items TEXT NOT NULL"
    ") WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS responses_created ON responses (created_at_ms);";

std::string Text(sqlite3_stmt* stmt, int column) {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, column));
  return text == nullptr
             ? std::string()
             : std::string(text, static_cast<size_t>(sqlite3_column_bytes(stmt, column)));
}

void BindText(sqlite3_stmt* stmt, int index, std::string_view text) {
  sqlite3_bind_text(stmt, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
}

// Resets a statement (and its bindings) when the scope ends, whatever the path.
struct ResetOnExit {
  sqlite3_stmt* stmt;
  ~ResetOnExit() {
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
  }
};

}  // namespace

ResponseStore::ResponseStore(const std::string& path, uint32_t retention_days)
    : retention_days_(retention_days) {
  const int rc =
      sqlite3_open_v2(path.c_str(), &db_,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  // Another process may be creating the schema of the same file: wait for it, as for writes.
  if (rc == SQLITE_OK) sqlite3_busy_timeout(db_, kBusyTimeoutMs);
  char* error = nullptr;
  if (rc != SQLITE_OK || sqlite3_exec(db_, kSchema, nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error != nullptr ? error : sqlite3_errmsg(db_);
    sqlite3_free(error);
    sqlite3_close(db_);
    db_ = nullptr;
    throw std::runtime_error("cannot open the response store \"" + path + "\": " + message);
  }
  put_ = Prepare(
      "INSERT OR REPLACE INTO responses (id, key_id, created_at_ms, response, items) "
      "VALUES (?1, ?2, ?3, ?4, ?5)");
  get_ = Prepare(
      "SELECT key_id, created_at_ms, response, items FROM responses WHERE id = ?1 AND key_id = "
      "?2 AND created_at_ms >= ?3");
  delete_ = Prepare("DELETE FROM responses WHERE id = ?1 AND key_id = ?2");
  prune_ = Prepare("DELETE FROM responses WHERE created_at_ms < ?1");
  Prune(std::chrono::system_clock::now());
}

ResponseStore::~ResponseStore() {
  for (sqlite3_stmt* stmt : {put_, get_, delete_, prune_}) sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

sqlite3_stmt* ResponseStore::Prepare(const char* sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK) {
    std::string message = sqlite3_errmsg(db_);
    sqlite3_close(db_);
    db_ = nullptr;
    throw std::runtime_error("response store: " + message);
  }
  return stmt;
}

std::string ResponseStore::Put(const StoredResponse& response) {
  bool prune_now = false;
  {
    std::lock_guard lock(mutex_);
    ResetOnExit reset{put_};
    BindText(put_, 1, response.id);
    BindText(put_, 2, response.key_id);
    sqlite3_bind_int64(put_, 3, response.created_at_ms);
    BindText(put_, 4, response.response_json);
    BindText(put_, 5, response.items_json);
    if (sqlite3_step(put_) != SQLITE_DONE) return sqlite3_errmsg(db_);
    prune_now = ++puts_since_prune_ >= kPrunePeriod;
  }
  if (prune_now) Prune(std::chrono::system_clock::now());
  return {};
}

std::optional<StoredResponse> ResponseStore::Get(std::string_view id, std::string_view key_id) {
  const int64_t oldest_ms =
      retention_days_ == 0
          ? 0
          : std::chrono::duration_cast<std::chrono::milliseconds>(
                (std::chrono::system_clock::now() - std::chrono::days(retention_days_))
                    .time_since_epoch())
                .count();
  std::lock_guard lock(mutex_);
  ResetOnExit reset{get_};
  BindText(get_, 1, id);
  BindText(get_, 2, key_id);
  sqlite3_bind_int64(get_, 3, oldest_ms);
  if (sqlite3_step(get_) != SQLITE_ROW) return std::nullopt;
  return StoredResponse{.id = std::string(id),
                        .key_id = Text(get_, 0),
                        .created_at_ms = sqlite3_column_int64(get_, 1),
                        .response_json = Text(get_, 2),
                        .items_json = Text(get_, 3)};
}

bool ResponseStore::Delete(std::string_view id, std::string_view key_id) {
  std::lock_guard lock(mutex_);
  ResetOnExit reset{delete_};
  BindText(delete_, 1, id);
  BindText(delete_, 2, key_id);
  return sqlite3_step(delete_) == SQLITE_DONE && sqlite3_changes(db_) > 0;
}

void ResponseStore::Prune(std::chrono::system_clock::time_point now) {
  if (retention_days_ == 0) return;
  const int64_t cutoff_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                (now - std::chrono::days(retention_days_)).time_since_epoch())
                                .count();
  std::lock_guard lock(mutex_);
  ResetOnExit reset{prune_};
  sqlite3_bind_int64(prune_, 1, cutoff_ms);
  sqlite3_step(prune_);
  puts_since_prune_ = 0;
}

}  // namespace gw::responses

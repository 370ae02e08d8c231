// The conversation state of the Responses API (POST /v1/responses with `store`): each stored
// response keeps the response object (for GET /v1/responses/{id}) and the conversation up to and
// including it as Responses input items (for a later request's `previous_response_id`).
//
// One SQLite file (`<ledger>-responses.sqlite3` beside the ledger, WAL, synchronous=NORMAL: a
// commit is not fsynced, so a power loss may forget the last stored responses, never corrupt the
// file; a usage record is what must survive, and it lives in the ledger). Rows older than the
// ledger's retention are deleted. A response is visible only to the key that created it ("" when
// auth is off): another key's id is "not found", exactly like an unknown one.
//
// Thread-safe: one connection, guarded by mutex_. Every call is one short statement on an
// indexed primary key (tens of microseconds), made on a worker thread: acceptable next to an
// upstream call, and only requests that use stored state pay it.
#pragma once

#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace gw::responses {

struct StoredResponse {
  std::string id;
  std::string key_id;
  int64_t created_at_ms = 0;
  std::string response_json;  // the response object as the client received it
  std::string items_json;     // a JSON array: every input and output item of the conversation
};

class ResponseStore {
 public:
  // Opens (creating if needed) the store at `path`; retention_days 0 keeps rows forever.
  // Throws std::runtime_error naming the file and SQLite's message when it cannot.
  ResponseStore(const std::string& path, uint32_t retention_days);
  ~ResponseStore();
  ResponseStore(const ResponseStore&) = delete;
  ResponseStore& operator=(const ResponseStore&) = delete;

  // Stores (or replaces) a response. Returns "" or SQLite's message.
  std::string Put(const StoredResponse& response);
  // The response `id` if `key_id` created it and it was not deleted or expired.
  std::optional<StoredResponse> Get(std::string_view id, std::string_view key_id);
  // Deletes it; false when Get would not have found it.
  bool Delete(std::string_view id, std::string_view key_id);
  // Deletes rows older than the retention (also done on open and every 1,000 Puts).
  void Prune(std::chrono::system_clock::time_point now);

 private:
  sqlite3_stmt* Prepare(const char* sql);

  const uint32_t retention_days_;
  std::mutex mutex_;  // guards db_, the statements and puts_since_prune_
  sqlite3* db_ = nullptr;
  sqlite3_stmt* put_ = nullptr;
  sqlite3_stmt* get_ = nullptr;
  sqlite3_stmt* delete_ = nullptr;
  sqlite3_stmt* prune_ = nullptr;
  int puts_since_prune_ = 0;
};

}  // namespace gw::responses

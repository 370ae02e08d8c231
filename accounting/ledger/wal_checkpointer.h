// Moves WAL checkpoints off the ledger's consumer thread: the writer connection's automatic
// checkpoint is turned off, a WAL hook on it wakes this thread when the WAL holds
// `wal_pages` pages, and the thread copies them into the database with a PASSIVE checkpoint on
// its own connection (never blocking the writer or readers). Owned by the Ledger.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "accounting/ledger/sqlite_db.h"

namespace gw::accounting {

class WalCheckpointer {
 public:
  // Opens its own connection to `path`; throws LedgerError like the ledger's Open.
  WalCheckpointer(const std::string& path, int wal_pages,
                  std::function<void(std::string_view error)> on_error);
  ~WalCheckpointer();  // Stop()

  // Installs the WAL hook on `writer` (the consumer's connection) and starts the thread.
  void Attach(sqlite3* writer);
  // Runs a last checkpoint and joins the thread. Idempotent.
  void Stop();

  uint64_t checkpoints() const { return checkpoints_.load(); }
  uint64_t errors() const { return errors_.load(); }

 private:
  static int OnCommit(void* self, sqlite3* db, const char* name, int wal_pages);
  void Run();
  void Checkpoint();

  sqlite::Db db_;
  int wal_pages_;
  std::function<void(std::string_view)> on_error_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool requested_ = false;
  bool stopping_ = false;
  std::thread thread_;
  std::atomic<uint64_t> checkpoints_{0};
  std::atomic<uint64_t> errors_{0};
};

}  // namespace gw::accounting

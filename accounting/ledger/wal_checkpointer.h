// Keeps the ledger's WAL bounded. The writer connection's automatic checkpoint is turned off; a
// WAL hook on it wakes this thread when the WAL holds `wal_pages` pages, and the thread copies
// them into the database with a PASSIVE checkpoint on its own connection (never blocking the
// writer or readers). When the writer keeps committing, such a checkpoint can never catch up
// with the last frames (SQLite restarts the WAL from its start only once every frame was copied
// back), so the consumer calls CheckpointIfBehind() between batches: past kBehindFactor times
// `wal_pages` it runs a TRUNCATE checkpoint on the writer connection itself, where no write runs
// concurrently, which restarts the WAL.
// Owned by the Ledger.
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
  // The WAL size, in multiples of `wal_pages`, at which the consumer checkpoints itself.
  static constexpr int kBehindFactor = 2;

  // Opens its own connection to `path` (a ledger already in WAL mode); throws LedgerError like
  // the ledger's Open.
  // `on_checkpoint` (may be empty) is called after every checkpoint that ran, on the thread
  // that ran it.
  WalCheckpointer(const std::string& path, int wal_pages,
                  std::function<void(std::string_view error)> on_error,
                  std::function<void()> on_checkpoint = {});
  ~WalCheckpointer();  // Stop()

  // Installs the WAL hook on `writer` (the consumer's connection) and starts the thread.
  void Attach(sqlite3* writer);
  // Consumer thread, between transactions on `writer`: a TRUNCATE checkpoint on the writer's own
  // connection when the WAL has reached kBehindFactor * wal_pages pages (the thread fell behind
  // or could not restart the WAL). May wait up to the writer's busy timeout for readers.
  void CheckpointIfBehind(sqlite3* writer);
  // Runs a last checkpoint and joins the thread. Idempotent.
  void Stop();

  // Checkpoints that copied WAL frames into the database (the thread's and the writer's).
  uint64_t checkpoints() const { return checkpoints_.load(); }
  uint64_t writer_checkpoints() const { return writer_checkpoints_.load(); }
  uint64_t errors() const { return errors_.load(); }
  // Pages in the WAL after the last commit (0 after a restart of the WAL).
  int wal_pages() const { return last_wal_pages_.load(std::memory_order_relaxed); }

 private:
  static int OnCommit(void* self, sqlite3* db, const char* name, int wal_pages);
  void Run();
  // A checkpoint of `mode` (SQLITE_CHECKPOINT_*) on `db`; true if it ran.
  bool Checkpoint(sqlite3* db, int mode);

  sqlite::Db db_;
  int wal_pages_;
  std::function<void(std::string_view)> on_error_;
  std::function<void()> on_checkpoint_;
  std::mutex checkpoint_mu_;  // held by a checkpoint in progress (the thread's or the writer's)
  std::mutex mu_;             // guards requested_, stopping_
  std::condition_variable cv_;
  bool requested_ = false;
  bool stopping_ = false;
  std::thread thread_;
  std::atomic<int> last_wal_pages_{0};
  std::atomic<uint64_t> checkpoints_{0};
  std::atomic<uint64_t> writer_checkpoints_{0};
  std::atomic<uint64_t> errors_{0};
};

}  // namespace gw::accounting

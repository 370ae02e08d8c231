#include "accounting/ledger/wal_checkpointer.h"

#include "accounting/ledger/ledger_error.h"
#include "accounting/ledger/schema.h"
#include "accounting/ledger/thread_priority.h"

namespace gw::accounting {

WalCheckpointer::WalCheckpointer(const std::string& path, int wal_pages,
                                 std::function<void(std::string_view)> on_error,
                                 std::function<void()> on_checkpoint)
    : wal_pages_(wal_pages),
      on_error_(std::move(on_error)),
      on_checkpoint_(std::move(on_checkpoint)) {
  int rc = SQLITE_OK;
  db_ = sqlite::OpenConnection(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, &rc);
  if (rc != SQLITE_OK) throw LedgerError(DescribeLedgerFailure(path, db_.LastFailure()));
  sqlite3_busy_timeout(db_.get(), 1000);
  // A connection learns that the file is in WAL mode (and opens the WAL) only when it first
  // reads the database. Until then sqlite3_wal_checkpoint_v2() returns SQLITE_OK and does
  // nothing (*pnLog = -1): the checkpointer of earlier versions never checkpointed at all, and
  // the WAL grew by ~750 bytes a request until a clean shutdown (issue 14). Verified against
  // SQLite 3.40.1: a fresh connection's PASSIVE checkpoint reports log=-1 ckpt=-1 round after
  // round, the same call after one SELECT copies every frame. One read now opens the WAL for
  // the life of the connection.
  sqlite::Failure failure;
  if (!db_.Exec("SELECT count(*) FROM sqlite_schema", &failure)) {
    throw LedgerError(DescribeLedgerFailure(path, failure));
  }
}

WalCheckpointer::~WalCheckpointer() { Stop(); }

void WalCheckpointer::Attach(sqlite3* writer) {
  sqlite3_wal_autocheckpoint(writer, 0);
  sqlite3_wal_hook(writer, &WalCheckpointer::OnCommit, this);
  thread_ = std::thread([this] { Run(); });
}

int WalCheckpointer::OnCommit(void* self, sqlite3*, const char*, int wal_pages) {
  auto* checkpointer = static_cast<WalCheckpointer*>(self);
  checkpointer->last_wal_pages_.store(wal_pages, std::memory_order_relaxed);
  if (wal_pages >= checkpointer->wal_pages_) {
    {
      std::lock_guard lock(checkpointer->mu_);
      checkpointer->requested_ = true;
    }
    checkpointer->cv_.notify_one();
  }
  return SQLITE_OK;
}

void WalCheckpointer::Run() {
  // Background when the process can raise it again (the consumer's rule), else nice 10.
  if (!CanLeaveBackgroundPriority() ||
      !SetThreadPriority(CurrentThreadId(), ThreadPriority::kBackground)) {
    SetThreadPriority(CurrentThreadId(), ThreadPriority::kLow);
  }
  std::unique_lock lock(mu_);
  while (true) {
    cv_.wait(lock, [&] { return requested_ || stopping_; });
    if (stopping_) return;
    requested_ = false;
    lock.unlock();
    Checkpoint(db_.get(), SQLITE_CHECKPOINT_PASSIVE);
    lock.lock();
  }
}

void WalCheckpointer::CheckpointIfBehind(sqlite3* writer) {
  if (last_wal_pages_.load(std::memory_order_relaxed) < kBehindFactor * wal_pages_) return;
  // Measured (40,000 records committed back to back): the thread's PASSIVE checkpoints copied
  // every frame they saw, yet the WAL grew to 59 MB. Each ran while the writer was committing,
  // so each writer transaction began before the WAL was fully copied back and could not
  // restart it. Here, after the thread's checkpoint in progress (checkpoint_mu_), TRUNCATE
  // waits for readers (busy handler), copies the rest, restarts the WAL inside the call and
  // truncates the file; between transactions nothing is added meanwhile.
  if (Checkpoint(writer, SQLITE_CHECKPOINT_TRUNCATE)) {
    writer_checkpoints_.fetch_add(1);
    last_wal_pages_.store(0, std::memory_order_relaxed);
  }
}

bool WalCheckpointer::Checkpoint(sqlite3* db, int mode) {
  int log_frames = 0;
  int copied_frames = 0;
  int rc = SQLITE_OK;
  {
    // SQLite takes the checkpoint lock without a busy handler: a second checkpoint meanwhile
    // fails at once with SQLITE_BUSY. The two of this process take turns here instead.
    std::lock_guard turn(checkpoint_mu_);
    rc = sqlite3_wal_checkpoint_v2(db, nullptr, mode, &log_frames, &copied_frames);
  }
  if (rc == SQLITE_OK && log_frames >= 0) {
    checkpoints_.fetch_add(1);
    if (on_checkpoint_) on_checkpoint_();
    return true;
  }
  // A busy checkpoint (the other one is running) is retried at the next commit; anything else
  // is worth a log line (it only makes the WAL grow: records are safe in it).
  if (rc == SQLITE_BUSY) return false;
  if (errors_.fetch_add(1) == 0 && on_error_) {
    on_error_(rc == SQLITE_OK ? "the checkpoint connection does not see the WAL"
                              : sqlite3_errmsg(db));
  }
  return false;
}

void WalCheckpointer::Stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  cv_.notify_one();
  if (thread_.joinable()) {
    thread_.join();
    Checkpoint(db_.get(), SQLITE_CHECKPOINT_PASSIVE);
  }
}

}  // namespace gw::accounting

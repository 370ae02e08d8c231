#include "accounting/ledger/wal_checkpointer.h"

#include "accounting/ledger/ledger_error.h"
#include "accounting/ledger/schema.h"
#include "accounting/ledger/thread_priority.h"

namespace gw::accounting {

WalCheckpointer::WalCheckpointer(const std::string& path, int wal_pages,
                                 std::function<void(std::string_view)> on_error)
    : wal_pages_(wal_pages), on_error_(std::move(on_error)) {
  int rc = SQLITE_OK;
  db_ = sqlite::OpenConnection(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, &rc);
  if (rc != SQLITE_OK) throw LedgerError(DescribeLedgerFailure(path, db_.LastFailure()));
  sqlite3_busy_timeout(db_.get(), 1000);
}

WalCheckpointer::~WalCheckpointer() { Stop(); }

void WalCheckpointer::Attach(sqlite3* writer) {
  sqlite3_wal_autocheckpoint(writer, 0);
  sqlite3_wal_hook(writer, &WalCheckpointer::OnCommit, this);
  thread_ = std::thread([this] { Run(); });
}

int WalCheckpointer::OnCommit(void* self, sqlite3*, const char*, int wal_pages) {
  auto* checkpointer = static_cast<WalCheckpointer*>(self);
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
    Checkpoint();
    lock.lock();
  }
}

void WalCheckpointer::Checkpoint() {
  const int rc =
      sqlite3_wal_checkpoint_v2(db_.get(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  if (rc == SQLITE_OK) {
    checkpoints_.fetch_add(1);
    return;
  }
  // A busy checkpoint is retried at the next commit; anything else is worth a log line (it
  // only makes the WAL grow: records are safe in it).
  if (rc != SQLITE_BUSY && errors_.fetch_add(1) == 0 && on_error_) {
    on_error_(sqlite3_errmsg(db_.get()));
  }
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
    Checkpoint();
  }
}

}  // namespace gw::accounting

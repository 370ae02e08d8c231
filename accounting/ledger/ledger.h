// The usage ledger: the durable store of GenerationRecords (SQLite, WAL) with its rollups.
// Many producer threads Push() records; one consumer thread (Start) batches them into the
// database, one transaction per batch with the rollups. A producer may ask to be told when its
// record is committed (group commit: every record that arrived while the previous batch was
// being written goes into the next one). Admit() is the admission control of new requests.
// Every public member is thread-safe. See docs/ledger.md.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "accounting/generation_record.h"
#include "accounting/ledger/ledger_error.h"

struct sqlite3;

namespace gw::accounting {

namespace sqlite {
class Db;
class Stmt;
}  // namespace sqlite
class LedgerWriter;
class WalCheckpointer;

struct LedgerOptions {
  std::string path;                // SQLite file; parent directory created if missing
  size_t queue_capacity = 100000;  // Admit() refuses while this many records wait to be written
  std::chrono::milliseconds flush_interval{100};  // queued records are written at least this often
  size_t max_batch = 8192;                        // records per transaction at most
  uint32_t retention_days = 90;  // raw records older than this are deleted (rollups kept); 0 = keep
  // Called on the consumer thread before each record is written (the gateway fills the
  // normalized counts and clears prompt_source/completion_source here). May be empty.
  std::function<void(GenerationRecord&)> prepare;
  // Receives one JSON object (no newline) per event: write failures, recovery, retention, loss
  // at stop. Empty: the line goes to stderr.
  std::function<void(std::string_view)> log;
  std::chrono::milliseconds busy_timeout{2000};    // waiting for another process's lock
  std::chrono::milliseconds retry_interval{1000};  // between attempts while the database fails
  std::chrono::milliseconds stop_timeout{10000};   // Stop() retries a failing database this long
  size_t recent_capacity = 2048;                   // written records Find() serves from memory
  std::chrono::seconds recent_window{300};         // ... for at most this long
  size_t retention_chunk = 10000;                  // raw rows deleted per retention transaction
  std::chrono::minutes retention_period{60};       // retention runs at Start and this often
  // The insights rollups are flushed this often (in a transaction of their own, off the path
  // of the commits answers wait for; LedgerWriter::FlushInsights) and at Stop.
  std::chrono::milliseconds insights_flush_interval{1000};
  int checkpoint_wal_pages = 4096;  // a background thread checkpoints the WAL at this size
  // synchronous=FULL: every commit fsyncs the WAL, so a committed batch survives a power loss
  // (NORMAL, the default: it survives a crash of the process; a power loss may roll back the
  // transactions since the last checkpoint). The gateway's `accounting.durability: commit`.
  bool sync_every_commit = false;
  // Called on the consumer thread with the writer connection before every write transaction:
  // a hook for tests (PRAGMA max_page_count to provoke SQLITE_FULL) and diagnostics. May be empty.
  std::function<void(sqlite3*)> before_write;
  // The consumer (and checkpoint) threads run at background priority, the consumer raised to
  // normal while at least queue_capacity / 8 records wait (thread_priority.h); false: normal.
  bool background_priority = true;
  // Retention keeps the records not yet shipped to the shared PostgreSQL ledger (the local file
  // is their buffer while PostgreSQL is unreachable; postgres/pg_shipper.h).
  bool keep_unshipped = false;
};

class Ledger {
 public:
  struct Stats {
    uint64_t pushed = 0;              // records handed to Push
    uint64_t written = 0;             // records committed to the database
    uint64_t duplicates = 0;          // records whose id was already stored (not counted twice)
    uint64_t batches = 0;             // committed transactions
    uint64_t write_errors = 0;        // failed batch transactions (each retried)
    uint64_t retention_deleted = 0;   // raw records deleted by retention
    uint64_t retention_passes = 0;    // completed retention passes
    uint64_t checkpoints = 0;         // WAL checkpoints that ran (background + writer's own)
    uint64_t writer_checkpoints = 0;  // ... of them on the writer's connection (thread behind)
    int wal_pages = 0;                // pages in the WAL after the last commit
    uint64_t durable_waiters = 0;     // Push callbacks completed with durable = true
    uint64_t lost = 0;       // records never written: Stop() gave up on a failing database (or a
                             // Push after Stop); should stay 0
    size_t queue_depth = 0;  // records pushed and not yet written
    size_t recent_size = 0;  // written records held in memory for Find
    bool failing = false;    // the database refuses writes; Admit() is false
    double last_batch_ms = 0;
    double max_batch_ms = 0;
    double batch_ms_total = 0;  // sum over committed batches (for an average)
  };

  // Opens (creating, or upgrading the schema of) the ledger. Throws LedgerError naming the file
  // for a corrupt file, a lock held by another process beyond busy_timeout, a schema newer than
  // this binary knows, or an unwritable path.
  static std::unique_ptr<Ledger> Open(LedgerOptions options);

  ~Ledger();  // Stop()
  Ledger(const Ledger&) = delete;
  Ledger& operator=(const Ledger&) = delete;

  void Start();  // starts the consumer thread (once)

  // Admission of a NEW request: false while queue_capacity records wait or the database fails.
  // Lock-free.
  bool Admit() const {
    return !failing_.load(std::memory_order_relaxed) &&
           depth_.load(std::memory_order_relaxed) < options_.queue_capacity;
  }
  // Why Admit() is false, in one sentence for a user; "" when it is true.
  std::string RefusalReason() const;

  // Called once per record pushed with it, on the consumer thread (or on the pushing thread
  // after Stop): true once the transaction holding the record has committed; false when that
  // transaction failed (the record stays queued and is retried as usual, so it is written once
  // the database recovers) or the ledger gave up at Stop (Stats::lost). Must be quick and must
  // not call into the ledger (it runs with no lock held, but holds up the next batch).
  using DurableCallback = std::function<void(bool durable)>;

  // Queues `record` (never drops it, even above capacity). Findable when Push returns. With
  // `on_durable`, the consumer is woken at once rather than at the next flush_interval.
  void Push(GenerationRecord record, DurableCallback on_durable = {});

  // A record by id: queued, recently written (memory), or stored (database).
  std::optional<GenerationRecord> Find(std::string_view id) const;

  // Waits until every record pushed before the call is written and a retention pass in progress
  // has finished; false on timeout (e.g. while the database fails).
  bool Flush(std::chrono::milliseconds timeout);

  // Waits until `predicate(GetStats())` holds (checked after every consumer step); false on
  // timeout.
  bool WaitFor(const std::function<bool(const Stats&)>& predicate,
               std::chrono::milliseconds timeout) const;

  // Writes every queued record and stops the consumer. Idempotent. If the database keeps
  // failing for stop_timeout, the remaining records are counted in Stats::lost and logged.
  void Stop();

  Stats GetStats() const;
  const std::string& path() const { return options_.path; }

 private:
  explicit Ledger(LedgerOptions options);

  enum class Take { kWork, kWorkStopping, kIdle, kDone };
  void Run();                   // the consumer thread
  void RelaxPriority();         // consumer thread: back to background once drained
  size_t UrgentDepth() const;   // the backlog that raises the consumer to normal priority
  Take TakePending(bool wait);  // pending_ -> records_, after waiting up to flush_interval
  void GiveUp();                // Stop() ran out of time on a failing database
  bool RetentionDue() const;
  bool WriteOneBatch();  // the first max_batch unwritten records of records_
  size_t Unwritten() const { return records_.size() - written_; }  // consumer thread
  void PrepareFront(size_t count);  // runs options_.prepare on unprepared records
  void Committed(size_t count, uint64_t duplicates, double ms);
  // Consumer thread: calls (and drops) the callbacks of the records taken before `end`.
  void CompleteWaiters(uint64_t end, bool durable);
  void Failed(const std::string& message);
  void RetentionStep();
  // Consumer thread: when insights_flush_interval has passed since the last step, or now when
  // `force`: recovers the insights until that succeeded once (LedgerWriter::RecoverInsights),
  // then flushes what is pending. A failure is logged and tried again at the next step.
  void InsightsStep(bool force);
  void EvictRecentLocked();
  void Log(std::string_view event, const std::vector<std::pair<std::string, std::string>>& fields,
           const std::vector<std::pair<std::string, int64_t>>& numbers = {}) const;
  Stats SnapshotLocked() const;

  LedgerOptions options_;
  std::unique_ptr<LedgerWriter> writer_;  // consumer thread only
  std::unique_ptr<WalCheckpointer> checkpointer_;

  mutable std::mutex reader_mu_;  // guards reader_ (Find's database lookups)
  std::unique_ptr<sqlite::Db> reader_;
  std::unique_ptr<sqlite::Stmt> reader_find_;

  // A Push callback and the sequence number of its record: the records ever moved from
  // pending_ to records_ are numbered 0, 1, 2, ... in order (taken_).
  struct Waiter {
    uint64_t sequence;
    DurableCallback on_durable;
  };

  mutable std::mutex queue_mu_;  // guards pending_, pending_waiters_, stopping_, flush_requested_
  std::condition_variable queue_cv_;
  std::deque<GenerationRecord> pending_;  // pushed, not yet taken by the consumer
  // Callbacks of records in pending_; `sequence` is the record's index in pending_ until taken.
  std::deque<Waiter> pending_waiters_;
  bool stopping_ = false;
  bool flush_requested_ = false;
  bool consumer_done_ = false;  // the consumer has exited: Push can no longer queue

  // Guards records_: the records the consumer took, oldest first: [0, written_) are committed
  // and kept for Find (at most recent_capacity, for recent_window), [written_, end) are being
  // prepared/written. Lock order: queue_mu_ before records_mu_. The consumer is the only
  // thread that changes records_, so it reads them without the lock.
  mutable std::mutex records_mu_;
  std::deque<GenerationRecord> records_;
  size_t written_ = 0;
  size_t prepared_ = 0;  // records_[written_, written_ + prepared_) went through prepare
  std::deque<std::pair<std::chrono::steady_clock::time_point, size_t>> written_batches_;
  // Consumer thread only: records taken into records_ so far, records committed so far (both
  // since Start), and the callbacks of taken records not yet committed, oldest first.
  uint64_t taken_ = 0;
  uint64_t committed_ = 0;
  std::deque<Waiter> waiters_;

  std::atomic<size_t> depth_{0};
  std::atomic<bool> failing_{false};
  std::atomic<uint64_t> pushed_{0};

  mutable std::mutex state_mu_;  // guards stats_, failure_message_, processed_, retention
  mutable std::condition_variable state_cv_;
  Stats stats_;
  std::string failure_message_;
  uint64_t processed_ = 0;  // records taken out of the queue and committed (or duplicates)
  bool retention_running_ = false;
  int64_t retention_cutoff_ms_ = 0;  // of the pass in progress
  uint64_t retention_pass_deleted_ = 0;
  std::chrono::steady_clock::time_point next_retention_{};

  std::mutex lifecycle_mu_;  // Start/Stop
  std::thread thread_;
  std::atomic<pid_t> consumer_tid_{0};
  std::atomic<bool> background_allowed_{false};  // the consumer may go back and forth
  std::atomic<bool> urgent_{false};              // the consumer runs at normal priority
  bool stopping_seen_ = false;                   // consumer thread: Stop() was called
  // Consumer thread: when the insights are next flushed; whether they were recovered.
  std::chrono::steady_clock::time_point next_insights_flush_{};
  bool insights_recovered_ = false;
  bool started_ = false;
  bool stopped_ = false;
};

}  // namespace gw::accounting

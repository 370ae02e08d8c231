#include "accounting/ledger/ledger.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <iterator>

#include "accounting/ledger/generation_row.h"
#include "accounting/ledger/json_text.h"
#include "accounting/ledger/ledger_writer.h"
#include "accounting/ledger/schema.h"
#include "accounting/ledger/sqlite_db.h"
#include "accounting/ledger/thread_priority.h"
#include "accounting/ledger/utc_time.h"
#include "accounting/ledger/wal_checkpointer.h"

namespace gw::accounting {
namespace {

using Clock = std::chrono::steady_clock;

double MsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

void WriteToStderr(std::string_view line) {
  std::string text(line);
  text.push_back('\n');
  std::string_view rest = text;
  while (!rest.empty()) {
    const ssize_t n = ::write(STDERR_FILENO, rest.data(), rest.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // stderr closed: logging must never take the gateway down
    rest.remove_prefix(static_cast<size_t>(n));
  }
}

}  // namespace

std::unique_ptr<Ledger> Ledger::Open(LedgerOptions options) {
  if (options.path.empty()) throw LedgerError("usage ledger: no path configured");
  options.max_batch = std::max<size_t>(options.max_batch, 1);
  options.retention_chunk = std::max<size_t>(options.retention_chunk, 1);
  std::unique_ptr<Ledger> ledger(new Ledger(std::move(options)));
  return ledger;
}

Ledger::Ledger(LedgerOptions options) : options_(std::move(options)) {
  writer_ = std::make_unique<LedgerWriter>(
      OpenLedgerForWriting(options_.path, options_.busy_timeout), options_.keep_unshipped);
  if (options_.sync_every_commit) {
    // WAL mode, synchronous=FULL: the WAL is fsynced at every commit, so a transaction is on
    // stable storage when COMMIT returns (NORMAL syncs the WAL only at checkpoints: a commit
    // survives a crash of the process, as the OS holds the written frames, but not a power
    // loss). https://www.sqlite.org/pragma.html#pragma_synchronous
    char* message = nullptr;
    if (sqlite3_exec(writer_->db(), "PRAGMA synchronous = FULL", nullptr, nullptr, &message) !=
        SQLITE_OK) {
      sqlite::Failure failure{SQLITE_ERROR, message != nullptr ? message : "unknown error"};
      sqlite3_free(message);
      throw LedgerError(DescribeLedgerFailure(options_.path, failure));
    }
  }
  reader_ =
      std::make_unique<sqlite::Db>(OpenLedgerForReading(options_.path, options_.busy_timeout));
  reader_find_ = std::make_unique<sqlite::Stmt>(reader_->get(), kSelectGenerationByIdSql);
  checkpointer_ = std::make_unique<WalCheckpointer>(
      options_.path, options_.checkpoint_wal_pages,
      [this](std::string_view error) {
        Log("ledger_checkpoint_failed", {{"error", std::string(error)}});
      },
      [this] {
        // Stats::checkpoints changed: wake WaitFor (the lock orders this after its check).
        { std::lock_guard lock(state_mu_); }
        state_cv_.notify_all();
      });
  checkpointer_->Attach(writer_->db());
}

Ledger::~Ledger() { Stop(); }

void Ledger::Start() {
  std::lock_guard lock(lifecycle_mu_);
  if (started_ || stopped_) return;
  started_ = true;
  {
    std::lock_guard state(state_mu_);
    retention_running_ = options_.retention_days > 0;  // the first pass runs at start
  }
  thread_ = std::thread([this] { Run(); });
}

std::string Ledger::RefusalReason() const {
  if (failing_.load()) {
    std::lock_guard lock(state_mu_);
    return failure_message_;
  }
  const size_t depth = depth_.load();
  if (depth >= options_.queue_capacity) {
    return "usage ledger " + options_.path + " is behind: " + std::to_string(depth) +
           " records are waiting to be written (limit " + std::to_string(options_.queue_capacity) +
           "); new requests are refused until it catches up";
  }
  return "";
}

void Ledger::Push(GenerationRecord record, DurableCallback on_durable) {
  const size_t depth = depth_.fetch_add(1, std::memory_order_relaxed) + 1;
  // A large backlog: the consumer needs its share of the CPU now (RelaxPriority undoes it).
  if (depth >= UrgentDepth() && background_allowed_.load(std::memory_order_relaxed) &&
      !urgent_.exchange(true, std::memory_order_relaxed)) {
    SetThreadPriority(consumer_tid_.load(), ThreadPriority::kNormal);
  }
  pushed_.fetch_add(1, std::memory_order_relaxed);
  const bool waited_for = static_cast<bool>(on_durable);
  size_t size = 0;
  {
    std::lock_guard lock(queue_mu_);
    if (!consumer_done_) {
      pending_.push_back(std::move(record));
      size = pending_.size();
      if (waited_for) pending_waiters_.push_back({size - 1, std::move(on_durable)});
    }
  }
  if (size == 0) {  // after Stop: nobody will write it
    if (on_durable) on_durable(false);
    depth_.fetch_sub(1, std::memory_order_relaxed);
    {
      std::lock_guard lock(state_mu_);
      ++stats_.lost;
    }
    Log("ledger_push_after_stop", {{"id", record.id}});
    return;
  }
  // Someone waits for this record: the consumer writes it now (with whatever else waits)
  // rather than at the next flush_interval.
  if (size == options_.max_batch || waited_for) queue_cv_.notify_one();
}

std::optional<GenerationRecord> Ledger::Find(std::string_view id) const {
  {
    std::lock_guard lock(queue_mu_);
    for (auto it = pending_.rbegin(); it != pending_.rend(); ++it) {
      if (it->id == id) return *it;
    }
  }
  {
    // A linear scan (newest first) of at most recent_capacity + the records being written:
    // cheaper overall than indexing every record for a lookup that few requests make.
    std::lock_guard lock(records_mu_);
    for (auto it = records_.rbegin(); it != records_.rend(); ++it) {
      if (it->id == id) return *it;
    }
  }
  std::lock_guard lock(reader_mu_);
  sqlite::Stmt& stmt = *reader_find_;
  stmt.Bind(1, id);
  std::optional<GenerationRecord> found;
  if (stmt.Step() == SQLITE_ROW) found = ReadGeneration(stmt);
  stmt.Reset();
  return found;
}

bool Ledger::Flush(std::chrono::milliseconds timeout) {
  const uint64_t target = pushed_.load();
  {
    std::lock_guard lock(queue_mu_);
    flush_requested_ = true;
  }
  queue_cv_.notify_one();
  std::unique_lock lock(state_mu_);
  return state_cv_.wait_for(
      lock, timeout, [&] { return processed_ + stats_.lost >= target && !retention_running_; });
}

bool Ledger::WaitFor(const std::function<bool(const Stats&)>& predicate,
                     std::chrono::milliseconds timeout) const {
  std::unique_lock lock(state_mu_);
  return state_cv_.wait_for(lock, timeout, [&] { return predicate(SnapshotLocked()); });
}

void Ledger::Stop() {
  std::lock_guard lifecycle(lifecycle_mu_);
  if (stopped_) return;
  stopped_ = true;
  if (!started_) {
    // Never started: write what was pushed on this thread.
    started_ = true;
    thread_ = std::thread([this] { Run(); });
  }
  {
    std::lock_guard lock(queue_mu_);
    stopping_ = true;
  }
  queue_cv_.notify_one();
  thread_.join();
  checkpointer_->Stop();
}

Ledger::Stats Ledger::GetStats() const {
  std::lock_guard lock(state_mu_);
  return SnapshotLocked();
}

Ledger::Stats Ledger::SnapshotLocked() const {
  Stats stats = stats_;
  stats.pushed = pushed_.load();
  stats.queue_depth = depth_.load();
  stats.failing = failing_.load();
  stats.checkpoints = checkpointer_->checkpoints();
  stats.writer_checkpoints = checkpointer_->writer_checkpoints();
  stats.wal_pages = checkpointer_->wal_pages();
  return stats;
}

Ledger::Take Ledger::TakePending(bool wait) {
  std::unique_lock lock(queue_mu_);
  if (wait && Unwritten() == 0) {
    queue_cv_.wait_for(lock, options_.flush_interval, [&] {
      return stopping_ || flush_requested_ || !pending_waiters_.empty() ||
             pending_.size() >= options_.max_batch;
    });
  }
  flush_requested_ = false;
  if (!pending_.empty()) {
    for (Waiter& waiter : pending_waiters_) {
      waiters_.push_back({taken_ + waiter.sequence, std::move(waiter.on_durable)});
    }
    pending_waiters_.clear();
    taken_ += pending_.size();
    std::lock_guard records_lock(records_mu_);
    for (GenerationRecord& record : pending_) records_.push_back(std::move(record));
    pending_.clear();
  }
  if (Unwritten() > 0) return stopping_ ? Take::kWorkStopping : Take::kWork;
  if (stopping_) {
    consumer_done_ = true;  // under queue_mu_: a later Push sees it and does not queue
    return Take::kDone;
  }
  return Take::kIdle;
}

// The consumer at background priority while its backlog is small (thread_priority.h); Push
// raises it to normal when the backlog reaches UrgentDepth(), and this lowers it again once
// half of that is left. Consumer thread.
void Ledger::RelaxPriority() {
  if (!background_allowed_.load(std::memory_order_relaxed) || stopping_seen_) return;
  if (!urgent_.load(std::memory_order_relaxed)) return;
  if (depth_.load(std::memory_order_relaxed) >= UrgentDepth() / 2) return;
  urgent_.store(false, std::memory_order_relaxed);
  SetThreadPriority(consumer_tid_.load(), ThreadPriority::kBackground);
}

size_t Ledger::UrgentDepth() const { return std::max<size_t>(options_.queue_capacity / 8, 1); }

void Ledger::Run() {
  consumer_tid_.store(CurrentThreadId());
  if (options_.background_priority) {
    if (CanLeaveBackgroundPriority()) {
      SetThreadPriority(CurrentThreadId(), ThreadPriority::kBackground);
      background_allowed_.store(true);
    } else {
      SetThreadPriority(CurrentThreadId(), ThreadPriority::kLow);
    }
  }
  std::optional<Clock::time_point> stop_deadline;
  InsightsStep(/*force=*/true);  // recovery, before the first batch
  while (true) {
    const bool retention_due = RetentionDue();
    if (retention_due) RetentionStep();
    InsightsStep(/*force=*/false);
    const Take take = TakePending(/*wait=*/!retention_due);
    if (take == Take::kDone) {
      InsightsStep(/*force=*/true);
      break;
    }
    if (take == Take::kIdle) continue;
    if (take == Take::kWorkStopping && !stop_deadline) {
      stop_deadline = Clock::now() + options_.stop_timeout;
      stopping_seen_ = true;  // shutdown: write everything at full speed
      if (background_allowed_.load()) {
        SetThreadPriority(CurrentThreadId(), ThreadPriority::kNormal);
      }
    }
    bool ok = true;
    while (ok && Unwritten() > 0) ok = WriteOneBatch();
    RelaxPriority();
    if (ok) continue;
    if (stop_deadline && Clock::now() >= *stop_deadline) {
      GiveUp();
      break;
    }
    std::unique_lock lock(queue_mu_);
    const bool stop_seen = stop_deadline.has_value();
    queue_cv_.wait_for(lock, options_.retry_interval, [&] { return stopping_ && !stop_seen; });
  }
}

void Ledger::GiveUp() {
  size_t lost = 0;
  {
    std::lock_guard lock(queue_mu_);
    std::lock_guard records_lock(records_mu_);
    lost = Unwritten() + pending_.size();
    records_.resize(written_);
    pending_.clear();
    prepared_ = 0;
    consumer_done_ = true;
    for (Waiter& waiter : pending_waiters_) waiters_.push_back(std::move(waiter));
    pending_waiters_.clear();
  }
  for (Waiter& waiter : waiters_) waiter.on_durable(false);
  waiters_.clear();
  depth_.fetch_sub(lost);
  {
    std::lock_guard lock(state_mu_);
    stats_.lost += lost;
  }
  state_cv_.notify_all();
  Log("ledger_records_lost",
      {{"reason", "the database still failed when the stop timeout ran out"}},
      {{"records", static_cast<int64_t>(lost)}});
}

void Ledger::InsightsStep(bool force) {
  if (!force && Clock::now() < next_insights_flush_) return;
  next_insights_flush_ = Clock::now() + options_.insights_flush_interval;
  sqlite::Failure failure;
  bool ok = insights_recovered_ || (insights_recovered_ = writer_->RecoverInsights(&failure));
  if (ok && writer_->insights_pending()) ok = writer_->FlushInsights(&failure);
  if (!ok) {
    Log("ledger_insights_failed", {{"error", DescribeLedgerFailure(options_.path, failure)}});
  }
}

bool Ledger::RetentionDue() const {
  return options_.retention_days > 0 && (retention_running_ || Clock::now() >= next_retention_);
}

void Ledger::RetentionStep() {
  if (!retention_running_ || retention_cutoff_ms_ == 0) {
    std::lock_guard lock(state_mu_);
    retention_running_ = true;
    retention_cutoff_ms_ = NowEpochMs() - static_cast<int64_t>(options_.retention_days) * kMsPerDay;
  }
  int64_t deleted = 0;
  sqlite::Failure failure;
  const bool ok = writer_->DeleteOlderThan(
      retention_cutoff_ms_, static_cast<int64_t>(options_.retention_chunk), &deleted, &failure);
  const bool done = !ok || deleted < static_cast<int64_t>(options_.retention_chunk);
  uint64_t pass_total = 0;
  {
    std::lock_guard lock(state_mu_);
    stats_.retention_deleted += static_cast<uint64_t>(deleted);
    retention_pass_deleted_ += static_cast<uint64_t>(deleted);
    if (done) {
      retention_running_ = false;
      retention_cutoff_ms_ = 0;
      pass_total = retention_pass_deleted_;
      retention_pass_deleted_ = 0;
      if (ok) stats_.retention_passes += 1;
      next_retention_ = Clock::now() +
                        (ok ? std::chrono::duration_cast<Clock::duration>(options_.retention_period)
                            : std::chrono::duration_cast<Clock::duration>(std::chrono::minutes(1)));
    }
  }
  state_cv_.notify_all();
  if (!ok) {
    Log("ledger_retention_failed", {{"error", DescribeLedgerFailure(options_.path, failure)}});
  } else if (done && pass_total > 0) {
    Log("ledger_retention", {},
        {{"deleted", static_cast<int64_t>(pass_total)},
         {"retention_days", int64_t{options_.retention_days}}});
  }
}

void Ledger::Log(std::string_view event,
                 const std::vector<std::pair<std::string, std::string>>& fields,
                 const std::vector<std::pair<std::string, int64_t>>& numbers) const {
  JsonWriter w;
  w.BeginObject()
      .Member("time", FormatIsoUtc(NowEpochMs()))
      .Member("component", "usage_ledger")
      .Member("event", event)
      .Member("path", options_.path);
  for (const auto& [key, value] : fields) w.Member(key, value);
  for (const auto& [key, value] : numbers) w.Member(key, value);
  w.EndObject();
  if (options_.log) {
    options_.log(w.text());
  } else {
    WriteToStderr(w.text());
  }
}

void Ledger::PrepareFront(size_t count) {
  if (!options_.prepare) {
    prepared_ = std::max(prepared_, count);
    return;
  }
  for (; prepared_ < count; ++prepared_) {
    std::lock_guard lock(records_mu_);  // Find may be reading this record
    GenerationRecord& record = records_[written_ + prepared_];
    options_.prepare(record);
    // Freed, not just emptied: written records stay in memory a while for Find.
    std::string().swap(record.prompt_source);
    std::string().swap(record.completion_source);
  }
}

bool Ledger::WriteOneBatch() {
  const size_t count = std::min(Unwritten(), options_.max_batch);
  PrepareFront(count);
  if (options_.before_write) options_.before_write(writer_->db());
  const auto start = Clock::now();
  uint64_t duplicates = 0;
  sqlite::Failure failure;
  if (!writer_->WriteBatch(records_, written_, count, &duplicates, &failure)) {
    Failed("usage ledger " + options_.path + " cannot be written: " + failure.message);
    // Their answers go out as they would without durability; the records stay queued.
    CompleteWaiters(committed_ + count, false);
    return false;
  }
  Committed(count, duplicates, MsSince(start));
  committed_ += count;
  CompleteWaiters(committed_, true);
  checkpointer_->CheckpointIfBehind(writer_->db());
  return true;
}

void Ledger::CompleteWaiters(uint64_t end, bool durable) {
  size_t count = 0;
  while (count < waiters_.size() && waiters_[count].sequence < end) ++count;
  if (count == 0) return;
  if (durable) {  // counted first: whoever a callback wakes sees the count
    {
      std::lock_guard lock(state_mu_);
      stats_.durable_waiters += count;
    }
    state_cv_.notify_all();
  }
  // Taken out first: a callback is called once, even if the record's batch is retried.
  std::vector<Waiter> done(
      std::make_move_iterator(waiters_.begin()),
      std::make_move_iterator(waiters_.begin() + static_cast<ptrdiff_t>(count)));
  waiters_.erase(waiters_.begin(), waiters_.begin() + static_cast<ptrdiff_t>(count));
  for (Waiter& waiter : done) waiter.on_durable(durable);
}

void Ledger::Committed(size_t count, uint64_t duplicates, double ms) {
  size_t recent = 0;
  {
    std::lock_guard lock(records_mu_);
    written_ += count;
    prepared_ -= count;
    written_batches_.emplace_back(Clock::now(), count);
    EvictRecentLocked();
    recent = written_;
  }
  depth_.fetch_sub(count, std::memory_order_relaxed);
  // As in Failed: the line first, then the state that waiters observe.
  const bool recovered = failing_.load();
  if (recovered) Log("ledger_recovered", {}, {{"records_waiting", int64_t(depth_.load())}});
  {
    std::lock_guard lock(state_mu_);
    stats_.written += count - duplicates;
    stats_.duplicates += duplicates;
    stats_.batches += 1;
    stats_.last_batch_ms = ms;
    stats_.max_batch_ms = std::max(stats_.max_batch_ms, ms);
    stats_.batch_ms_total += ms;
    stats_.recent_size = recent;
    processed_ += count;
    if (recovered) {
      failing_.store(false);
      failure_message_.clear();
    }
  }
  state_cv_.notify_all();
}

// The log line goes out before the state is published, so whoever sees `failing` (a waiting
// test, /metrics) also finds the line. Consumer thread: the only writer of failing_.
void Ledger::Failed(const std::string& message) {
  if (!failing_.load()) {
    Log("ledger_write_failed", {{"error", message}}, {{"records_waiting", int64_t(depth_.load())}});
  }
  {
    std::lock_guard lock(state_mu_);
    stats_.write_errors += 1;
    failure_message_ = message + "; new requests are refused until it recovers";
    failing_.store(true);
  }
  state_cv_.notify_all();
}

void Ledger::EvictRecentLocked() {
  const auto oldest = Clock::now() - options_.recent_window;
  while (!written_batches_.empty() &&
         (written_ > options_.recent_capacity || written_batches_.front().first < oldest)) {
    auto& [time, count] = written_batches_.front();
    const size_t drop =
        time < oldest ? count : std::min(count, written_ - options_.recent_capacity);
    records_.erase(records_.begin(), records_.begin() + static_cast<std::ptrdiff_t>(drop));
    written_ -= drop;
    count -= drop;
    if (count == 0) written_batches_.pop_front();
  }
}

}  // namespace gw::accounting

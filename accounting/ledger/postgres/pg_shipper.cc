#include "accounting/ledger/postgres/pg_shipper.h"

#include <iostream>

#include "accounting/ledger/postgres/pg_connection.h"
#include "accounting/ledger/postgres/pg_schema.h"
#include "accounting/ledger/postgres/shipping_source.h"
#include "accounting/ledger/rollups.h"
#include "accounting/ledger/thread_priority.h"

namespace gw::accounting::postgres {
namespace {

// The columns the shared daily rollup sums, as RollupSums::Add does (rollups.h): normalized
// counts still at -1 add nothing.
constexpr std::string_view kRollupSums =
    "count(*), sum(native_prompt), sum(native_completion), sum(native_reasoning), "
    "sum(native_cached), sum(native_cache_write), sum(greatest(tokens_prompt, 0)), "
    "sum(greatest(tokens_completion, 0)), sum(cost_total), sum(cancelled), sum(estimated)";

std::string JoinQuoted(const std::vector<std::string>& names) {
  std::string joined;
  for (const auto& name : names) {
    if (!joined.empty()) joined += ", ";
    joined += QuoteIdentifier(name);
  }
  return joined;
}

// A CTE `name` that adds the rows of `inserted` to the full-key rollup `table`, bucketed by
// `bucket` (created_at_ms divided by `bucket_ms`), in key order: two instances updating the
// same rollup rows take their locks in the same order, so they cannot deadlock.
std::string RollupCte(std::string_view name, std::string_view table, std::string_view bucket,
                      int64_t bucket_ms) {
  constexpr std::string_view kSums[] = {
      "requests",      "prompt_tokens",      "completion_tokens", "reasoning_tokens",
      "cached_tokens", "cache_write_tokens", "tokens_prompt",     "tokens_completion",
      "cost_nano",     "cancelled",          "estimated"};
  std::string sql = std::string(name) + " AS (INSERT INTO " + std::string(table) + " AS u (" +
                    std::string(bucket) + ", model, provider, author, app, api_key_id, \"user\"";
  for (std::string_view sum : kSums) sql += ", " + std::string(sum);
  sql += ") SELECT created_at_ms / " + std::to_string(bucket_ms) +
         ", model, provider, author, app, api_key_id, \"user\", " + std::string(kRollupSums) +
         " FROM inserted GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7 "
         "ON CONFLICT (api_key_id, " +
         std::string(bucket) + ", model, provider, author, app, \"user\") DO UPDATE SET ";
  bool first = true;
  for (std::string_view sum : kSums) {
    if (!first) sql += ", ";
    first = false;
    sql += std::string(sum) + " = u." + std::string(sum) + " + excluded." + std::string(sum);
  }
  return sql + " RETURNING 1)";
}

// One statement: inserts the staged rows PostgreSQL does not have yet, adds exactly those to
// usage_daily and usage_hourly, and returns how many it inserted. $1: the instance name.
std::string InsertSql(const std::vector<std::string>& columns) {
  const std::string list = JoinQuoted(columns);
  return "WITH inserted AS (INSERT INTO generations (" + list + ", instance) SELECT " + list +
         ", $1 FROM gw_staging ON CONFLICT (id) DO NOTHING RETURNING "
         "created_at_ms, model, provider, author, app, api_key_id, \"user\", "
         "native_prompt, native_completion, native_reasoning, native_cached, "
         "native_cache_write, tokens_prompt, tokens_completion, cost_total, "
         "cancelled, estimated), " +
         RollupCte("daily", "usage_daily", "day", kMsPerDay) + ", " +
         RollupCte("hourly", "usage_hourly", "hour", kMsPerHour) + " SELECT count(*) FROM inserted";
}

}  // namespace

PostgresShipper::PostgresShipper(ShipperOptions options)
    : options_(std::move(options)),
      source_(std::make_unique<ShippingSource>(options_.ledger_path, options_.busy_timeout)) {
  insert_sql_ = InsertSql(source_->columns());
  copy_sql_ = "COPY gw_staging (" + JoinQuoted(source_->columns()) + ") FROM STDIN";
  int64_t backlog = 0;
  sqlite::Failure ignored;
  if (source_->Backlog(&backlog, &ignored)) stats_.backlog = backlog;
}

PostgresShipper::~PostgresShipper() { Stop(); }

void PostgresShipper::Start() {
  std::lock_guard lifecycle(lifecycle_mu_);
  if (started_) return;
  started_ = true;
  thread_ = std::thread([this] { Run(); });
}

void PostgresShipper::Stop() {
  std::lock_guard lifecycle(lifecycle_mu_);
  if (stopped_) return;
  stopped_ = true;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void PostgresShipper::Wake() {
  {
    std::lock_guard lock(mu_);
    wake_ = true;
  }
  cv_.notify_all();
}

PostgresShipper::Stats PostgresShipper::GetStats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

bool PostgresShipper::WaitFor(const std::function<bool(const Stats&)>& predicate,
                              std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, timeout, [&] { return predicate(stats_); });
}

void PostgresShipper::Log(const std::string& line) const {
  if (options_.log) {
    options_.log(line);
  } else {
    std::cerr << line << '\n';
  }
}

bool PostgresShipper::EnsureConnected(std::string* error) {
  if (connection_ && connection_->ok()) return true;
  connection_.reset();
  auto connection = PgConnection::Connect(options_.url, options_.connect_timeout, error);
  if (!connection) return false;
  // The staging table lives as long as the session; ON COMMIT DELETE ROWS empties it after
  // every batch, so a batch never sees another's rows.
  if (!MigrateToLatest(*connection, error) ||
      !connection->Exec("CREATE TEMP TABLE IF NOT EXISTS gw_staging "
                        "(LIKE generations INCLUDING DEFAULTS) ON COMMIT DELETE ROWS",
                        error)) {
    return false;
  }
  connection_ = std::move(connection);
  return true;
}

bool PostgresShipper::Step(std::string* error) {
  if (!EnsureConnected(error)) return false;
  ShippingBatch batch;
  sqlite::Failure failure;
  if (!source_->Read(options_.batch, &batch, &failure)) {
    *error = "usage ledger " + options_.ledger_path + ": " + failure.message;
    return false;
  }
  if (batch.rows == 0) {
    Succeeded(0, 0, 0, false);
    return true;
  }
  PgRows inserted;
  const bool shipped = connection_->Exec("BEGIN", error) &&
                       connection_->CopyIn(copy_sql_, batch.copy_text, error) &&
                       connection_->Query(insert_sql_, {options_.instance}, &inserted, error) &&
                       connection_->Exec("COMMIT", error);
  if (!shipped) {
    std::string ignored;
    if (connection_->ok()) connection_->Exec("ROLLBACK", &ignored);
    return false;
  }
  const uint64_t count = std::stoull(inserted.rows.at(0).at(0));
  // If this fails the batch is shipped again later and its records are skipped by id.
  if (!source_->Advance(batch.through_rowid, &failure)) {
    *error = "usage ledger " + options_.ledger_path +
             ": cannot record the shipped position: " + failure.message;
    return false;
  }
  int64_t backlog = 0;
  source_->Backlog(&backlog, &failure);
  Succeeded(count, batch.rows - count, backlog, true);
  return true;
}

void PostgresShipper::Succeeded(uint64_t inserted, uint64_t duplicates, int64_t backlog,
                                bool shipped) {
  if (outage_logged_) {
    outage_logged_ = false;
    Log("postgres ledger: shipping to " + connection_->describe() + " works again");
  }
  {
    std::lock_guard lock(mu_);
    stats_.connected = true;
    stats_.last_error.clear();
    if (shipped) {
      stats_.shipped += inserted;
      stats_.duplicates += duplicates;
      ++stats_.batches;
      stats_.backlog = backlog;
    } else {
      stats_.backlog = 0;
    }
  }
  cv_.notify_all();
}

void PostgresShipper::Failed(const std::string& error) {
  if (connection_ && !connection_->ok()) connection_.reset();
  int64_t backlog = -1;
  sqlite::Failure ignored;
  source_->Backlog(&backlog, &ignored);
  if (!outage_logged_) {
    outage_logged_ = true;
    Log("postgres ledger: cannot ship records: " + error + "; they wait in " +
        options_.ledger_path + " and are shipped when this is fixed");
  }
  {
    std::lock_guard lock(mu_);
    ++stats_.errors;
    stats_.connected = connection_ != nullptr;
    stats_.last_error = error;
    if (backlog >= 0) stats_.backlog = backlog;
  }
  cv_.notify_all();
}

void PostgresShipper::Run() {
  // Shipping is never urgent (the records are safe in the file): nice 10 keeps it from taking
  // a core from the request workers while still getting a share under load (thread_priority.h).
  SetThreadPriority(CurrentThreadId(), ThreadPriority::kLow);
  std::chrono::steady_clock::time_point give_up{};
  for (;;) {
    std::string error;
    const bool ok = Step(&error);
    if (!ok) Failed(error);
    std::unique_lock lock(mu_);
    const bool more = ok && stats_.backlog > 0;
    if (stopping_) {
      if (give_up == std::chrono::steady_clock::time_point{}) {
        give_up = std::chrono::steady_clock::now() + options_.stop_timeout;
      }
      // A failure while stopping ends it at once: the records are safe in the local file.
      if (!more || std::chrono::steady_clock::now() >= give_up) break;
      continue;
    }
    if (more) continue;  // a full batch: the next one at once
    cv_.wait_for(lock, ok ? options_.interval : options_.retry_interval,
                 [this] { return stopping_ || wake_; });
    wake_ = false;
  }
  const Stats stats = GetStats();
  if (stats.backlog > 0) {
    Log("postgres ledger: stopped with " + std::to_string(stats.backlog) +
        " records not yet shipped; they stay in " + options_.ledger_path +
        " and are shipped at the next start");
  }
}

}  // namespace gw::accounting::postgres

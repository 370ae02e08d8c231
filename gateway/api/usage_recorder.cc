#include "gateway/api/usage_recorder.h"

#include <boost/asio/async_result.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>

#include "accounting/request_insights.h"
#include "accounting/token_estimate.h"

namespace gw::api {

namespace {

namespace asio = boost::asio;

int64_t SourceBytes(const accounting::GenerationRecord& record) {
  return static_cast<int64_t>(record.prompt_source.size() + record.completion_source.size());
}

// Pushes `record` with a durability callback and completes `token` with its bool. The callback
// runs on the ledger's consumer thread; it posts the completion to the waiting coroutine's own
// executor. Until then a work guard keeps that io_context running (a worker that shuts down
// waits for the answers it still has to finish; the ledger completes every callback within a
// batch write, also when the write fails, see Ledger::Push).
template <typename CompletionToken>
auto PushAndAwaitDurable(accounting::Ledger& ledger, accounting::GenerationRecord& record,
                         CompletionToken&& token) {
  return asio::async_initiate<CompletionToken, void(bool)>(
      [&ledger, &record](auto handler) {
        using Handler = decltype(handler);
        auto work = asio::make_work_guard(asio::get_associated_executor(handler));
        // Ledger::DurableCallback is a std::function (copyable); the handler is move-only.
        auto shared = std::make_shared<Handler>(std::move(handler));
        ledger.Push(std::move(record), [shared, work](bool durable) mutable {
          asio::post(work.get_executor(),
                     [shared, durable]() mutable { std::move (*shared)(durable); });
          work.reset();  // the posted completion now keeps the io_context running
        });
      },
      token);
}

}  // namespace

bool UsageRecorder::Admit(std::string* reason) {
  const bool text_backlog =
      queued_source_bytes_.load(std::memory_order_relaxed) >= kMaxQueuedSourceBytes;
  if (!text_backlog && ledger_->Admit()) return true;
  refused_.fetch_add(1, std::memory_order_relaxed);
  if (reason != nullptr) {
    // The client learns what happened; the file and the database error are in the log.
    *reason = ledger_->GetStats().failing
                  ? "usage accounting is failing: the usage ledger cannot be written; new "
                    "requests are refused until it recovers"
                  : "usage accounting is behind: too many usage records are waiting to be "
                    "written; new requests are refused until it catches up";
  }
  return false;
}

void UsageRecorder::Count(const accounting::GenerationRecord& record) {
  if (record.estimated) estimated_.fetch_add(1, std::memory_order_relaxed);
  if (record.cancelled) cancelled_.fetch_add(1, std::memory_order_relaxed);
  cost_nano_usd_.fetch_add(static_cast<uint64_t>(record.cost.total), std::memory_order_relaxed);
  queued_source_bytes_.fetch_add(SourceBytes(record), std::memory_order_relaxed);
}

asio::awaitable<bool> UsageRecorder::Record(accounting::GenerationRecord record) {
  Count(record);
  if (durability_ == Durability::kAsync) {
    ledger_->Push(std::move(record));
    co_return false;
  }
  const bool durable = co_await PushAndAwaitDurable(*ledger_, record, asio::use_awaitable);
  if (!durable) not_durable_.fetch_add(1, std::memory_order_relaxed);
  co_return durable;
}

void UsageRecorder::Prepare(accounting::GenerationRecord& record) {
  const int64_t bytes = SourceBytes(record);
  accounting::FillRequestInsights(record);
  accounting::FillNormalizedCounts(record);
  queued_source_bytes_.fetch_sub(bytes, std::memory_order_relaxed);
}

std::optional<accounting::GenerationRecord> UsageRecorder::Find(std::string_view id) const {
  std::optional<accounting::GenerationRecord> record = ledger_->Find(id);
  // Still queued: the consumer has not counted it yet, so count now (the sources are there).
  if (record && (!record->prompt_source.empty() || record->tokens_prompt < 0)) {
    accounting::FillRequestInsights(*record);
    accounting::FillNormalizedCounts(*record);
  }
  return record;
}

void UsageRecorder::Collect(metrics::PrometheusWriter& writer) const {
  const accounting::Ledger::Stats stats = ledger_->GetStats();
  writer.Family("gateway_ledger_records_written_total", "counter",
                "Usage records written to the ledger.");
  writer.Sample("gateway_ledger_records_written_total", {}, static_cast<uint64_t>(stats.written));
  writer.Family("gateway_ledger_batches_total", "counter",
                "Ledger transactions (batches of records) committed.");
  writer.Sample("gateway_ledger_batches_total", {}, static_cast<uint64_t>(stats.batches));
  writer.Family("gateway_ledger_write_errors_total", "counter",
                "Ledger batches that failed to write (kept in memory and retried).");
  writer.Sample("gateway_ledger_write_errors_total", {}, static_cast<uint64_t>(stats.write_errors));
  writer.Family("gateway_ledger_checkpoints_total", "counter",
                "WAL checkpoints that copied the ledger's WAL back into its database file.");
  writer.Sample("gateway_ledger_checkpoints_total", {}, stats.checkpoints);
  writer.Family("gateway_ledger_wal_pages", "gauge",
                "Pages in the ledger's WAL after the last commit (bounded by the checkpoints).");
  writer.Sample("gateway_ledger_wal_pages", {}, static_cast<uint64_t>(stats.wal_pages));
  writer.Family("gateway_ledger_answers_not_durable_total", "counter",
                "Answers finished before their usage record was committed because the ledger "
                "failed to write it (accounting.durability: commit; the record is retried).");
  writer.Sample("gateway_ledger_answers_not_durable_total", {},
                not_durable_.load(std::memory_order_relaxed));
  writer.Family("gateway_ledger_queue_depth", "gauge",
                "Usage records waiting to be written to the ledger.");
  writer.Sample("gateway_ledger_queue_depth", {}, static_cast<uint64_t>(stats.queue_depth));
  writer.Family("gateway_ledger_failing", "gauge",
                "1 while the ledger cannot be written (new requests get 503).");
  writer.Sample("gateway_ledger_failing", {}, static_cast<uint64_t>(stats.failing ? 1 : 0));
  writer.Family("gateway_accounting_queued_text_bytes", "gauge",
                "Prompt and completion text held by queued records until they are counted.");
  writer.Sample("gateway_accounting_queued_text_bytes", {},
                queued_source_bytes_.load(std::memory_order_relaxed));
  writer.Family("gateway_accounting_refused_requests_total", "counter",
                "Inference requests refused with 503 because usage could not be recorded.");
  writer.Sample("gateway_accounting_refused_requests_total", {},
                refused_.load(std::memory_order_relaxed));
  writer.Family("gateway_usage_malformed_total", "counter",
                "Provider usage objects that could not be read and were treated as absent.");
  writer.Sample("gateway_usage_malformed_total", {},
                malformed_usage_.load(std::memory_order_relaxed));
  writer.Family("gateway_usage_estimated_total", "counter",
                "Requests whose token counts were estimated locally (no usage from the provider).");
  writer.Sample("gateway_usage_estimated_total", {}, estimated_.load(std::memory_order_relaxed));
  writer.Family("gateway_usage_cancelled_total", "counter",
                "Requests the client abandoned before the answer was complete.");
  writer.Sample("gateway_usage_cancelled_total", {}, cancelled_.load(std::memory_order_relaxed));
  writer.Family("gateway_usage_cost_nano_usd_total", "counter",
                "Cost of the requests recorded since start, in nano-USD (1e-9 USD).");
  writer.Sample("gateway_usage_cost_nano_usd_total", {},
                cost_nano_usd_.load(std::memory_order_relaxed));
}

}  // namespace gw::api

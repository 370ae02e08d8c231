// The gateway's side of usage accounting: admission control for new inference requests, the
// hand-off of each finished request's record to the ledger, the counters of what was estimated
// or malformed, and the accounting families of /metrics. Shared by every worker (thread-safe:
// the ledger's own locking plus atomics); owned by GatewayApp.
#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "accounting/generation_record.h"
#include "accounting/ledger/ledger.h"
#include "gateway/metrics/prometheus_writer.h"

namespace gw::api {

// When an answer's end may go out (config `accounting.durability`, docs/architecture.md).
enum class Durability {
  kCommit,  // after the ledger committed (and fsynced) the request's record
  kAsync,   // at once; the record is written within flush_interval
};

class UsageRecorder {
 public:
  // Records carry their prompt (and, for models whose tokenizer is not the normalized one,
  // completion) text until the accounting consumer has read them; new requests are refused
  // while this many bytes of such text wait, so a backlog of large prompts cannot exhaust memory.
  static constexpr int64_t kMaxQueuedSourceBytes = 256ll << 20;

  explicit UsageRecorder(Durability durability = Durability::kCommit) : durability_(durability) {}
  // The ledger records go to; before any other call.
  void Attach(accounting::Ledger& ledger) { ledger_ = &ledger; }
  // The ledger's `prepare` step on its consumer thread: the insights read from the prompt
  // (accounting::FillRequestInsights) and the normalized counts of a record that still needs
  // them (accounting::FillNormalizedCounts), releasing its text.
  void Prepare(accounting::GenerationRecord& record);

  // Whether a new inference request may start; when not, *reason says why (for the 503) and
  // the refusal is counted. Never blocks.
  bool Admit(std::string* reason);
  // Queues the record of a finished request (never dropped; see accounting::Ledger::Push) and,
  // under Durability::kCommit, completes once the ledger's transaction holding it committed:
  // true then. False at once under kAsync, and when that transaction failed (the ledger is
  // failing: the record stays queued and is retried; the answer goes out as under kAsync and is
  // counted in gateway_ledger_answers_not_durable_total). Suspends the calling coroutine only;
  // it resumes on its own executor (the worker's io_context), never blocking the thread.
  boost::asio::awaitable<bool> Record(accounting::GenerationRecord record);
  // A record by id, with its insights and normalized counts filled in if the ledger has not
  // prepared it yet.
  std::optional<accounting::GenerationRecord> Find(std::string_view id) const;

  // A provider sent a usage object that could not be read (it was treated as absent).
  void CountMalformedUsage() { malformed_usage_.fetch_add(1, std::memory_order_relaxed); }

  // The accounting families of /metrics.
  void Collect(metrics::PrometheusWriter& writer) const;

 private:
  void Count(const accounting::GenerationRecord& record);

  Durability durability_;
  accounting::Ledger* ledger_ = nullptr;
  std::atomic<uint64_t> not_durable_{0};
  std::atomic<int64_t> queued_source_bytes_{0};
  std::atomic<uint64_t> refused_{0};
  std::atomic<uint64_t> malformed_usage_{0};
  std::atomic<uint64_t> estimated_{0};
  std::atomic<uint64_t> cancelled_{0};
  std::atomic<uint64_t> cost_nano_usd_{0};
};

}  // namespace gw::api

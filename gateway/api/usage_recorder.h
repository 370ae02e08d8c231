// The gateway's side of usage accounting: admission control for new inference requests, the
// hand-off of each finished request's record to the ledger, the counters of what was estimated
// or malformed, and the accounting families of /metrics. Shared by every worker (thread-safe:
// the ledger's own locking plus atomics); owned by GatewayApp.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "accounting/generation_record.h"
#include "accounting/ledger/ledger.h"
#include "gateway/metrics/prometheus_writer.h"

namespace gw::api {

class UsageRecorder {
 public:
  explicit UsageRecorder(accounting::Ledger& ledger) : ledger_(ledger) {}

  // Whether a new inference request may start; when not, *reason says why (for the 503) and
  // the refusal is counted. Never blocks.
  bool Admit(std::string* reason);
  // Queues the record of a finished request (never dropped; see accounting::Ledger::Push).
  void Record(accounting::GenerationRecord record);
  // A record by id, with its normalized counts filled in if the ledger has not counted it yet.
  std::optional<accounting::GenerationRecord> Find(std::string_view id) const;

  // A provider sent a usage object that could not be read (it was treated as absent).
  void CountMalformedUsage() { malformed_usage_.fetch_add(1, std::memory_order_relaxed); }

  // The accounting families of /metrics.
  void Collect(metrics::PrometheusWriter& writer) const;

 private:
  accounting::Ledger& ledger_;
  std::atomic<uint64_t> refused_{0};
  std::atomic<uint64_t> malformed_usage_{0};
  std::atomic<uint64_t> estimated_{0};
  std::atomic<uint64_t> cancelled_{0};
  std::atomic<uint64_t> cost_nano_usd_{0};
};

}  // namespace gw::api

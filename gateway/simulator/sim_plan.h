// What one simulated completion will do, decided up front from the request and its options
// (length, finish reason, usage, faults, timing), and the pure producers of its bytes: the whole
// body, or the SSE stream event by event. The handler only adds timers and I/O. Pure; a plan
// and its StreamComposer belong to one request.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/simulator/sim_options.h"
#include "gateway/simulator/sim_request.h"
#include "gateway/simulator/sim_responses.h"
#include "gateway/simulator/sim_text.h"

namespace gw::simulator {

struct CompletionPlan {
  Api api = Api::kChat;
  std::string id;       // "chatcmpl-sim-<n>" / "cmpl-sim-<n>"
  int64_t created = 0;  // unix seconds
  std::string model;    // the requested model without its "?overrides" suffix
  bool stream = false;
  uint64_t seed = 0;  // the request's seed, else the seed option
  uint32_t choices = 1;
  uint32_t tokens = 0;                      // per choice: min(tokens option, max_tokens)
  std::string_view finish_reason = "stop";  // "length" when max_tokens cut the output
  bool report_usage = true;                 // usage option; the stream also needs include_usage
  bool include_usage = false;               // stream_options.include_usage
  UsageCounts usage;
  bool malformed = false;         // drawn by the handler from the malformed rate
  int64_t disconnect_after = -1;  // content chunks before the connection drops; -1 = never
  int64_t ttft_us = 0;
  bool early_head = false;  // stream: head at once, first token after ttft_us
  int64_t interval_us = 0;  // between two content tokens

  ResponseIdentity Identity() const { return {api, id, created, model}; }
};

// Builds the plan for a parsed request under the final options; id/created/malformed are the
// handler's to fill (they need a counter, the clock and a PRNG).
// prompt_tokens is at least cached_tokens, so the reported usage stays consistent.
CompletionPlan MakePlan(const CompletionRequest& request, Api api, std::string_view model_name,
                        const SimOptions& options);

// The whole non-streamed body (malformed: its first half, as a provider dying mid-write would).
std::string BuildWholeBody(const CompletionPlan& plan);

// Produces a streamed answer in order: Opening, then ContentChunk until none is left, then
// Closing. Content chunks go token position by token position, choice 0..n-1 within one.
class StreamComposer {
 public:
  explicit StreamComposer(const CompletionPlan& plan);

  // The chat role chunk of every choice (none for legacy), then the malformed event if planned.
  void AppendOpening(std::string& out) const;
  // Appends the next content chunk; false (and nothing appended) when all were produced.
  bool AppendContentChunk(std::string& out);
  bool has_more() const { return produced_ < uint64_t{plan_.tokens} * plan_.choices; }
  // Content chunks produced so far.
  uint64_t content_chunks() const { return produced_; }
  // The token position of the next content chunk (all choices share positions).
  uint32_t next_position() const { return static_cast<uint32_t>(produced_ / plan_.choices); }
  // Finish chunks, the usage chunk when include_usage and usage reporting are on, [DONE].
  void AppendClosing(std::string& out) const;

 private:
  const CompletionPlan& plan_;
  ChunkWriter writer_;
  std::vector<TokenGenerator> generators_;  // one per choice
  uint64_t produced_ = 0;
};

}  // namespace gw::simulator

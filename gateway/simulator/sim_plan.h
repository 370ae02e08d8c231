// What one simulated completion will do, decided up front from the request and its options
// (length, finish reason, usage, faults, timing), and the pure producers of its bytes: the whole
// body, or the SSE stream event by event. The handler only adds timers and I/O. Pure; a plan
// and its StreamComposer belong to one request.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/simulator/sim_options.h"
#include "gateway/simulator/sim_request.h"
#include "gateway/simulator/sim_responses.h"
#include "gateway/simulator/sim_text.h"
#include "gateway/simulator/sim_tools.h"

namespace gw::simulator {

// When a streamed or whole answer's bytes go out, and its stream faults; shared by the OpenAI
// chat/completions, the OpenAI Responses and the Anthropic answers.
struct StreamTiming {
  int64_t ttft_us = 0;
  int64_t interval_us = 0;          // between two content chunks
  bool early_head = false;          // stream: head at once, first chunk after ttft_us
  int64_t disconnect_after = -1;    // content chunks before the connection drops; -1 = never
  int64_t stream_error_after = -1;  // content chunks before the in-stream error; -1 = never
};

// A streamed answer as the handler drives it: Opening, then ContentChunk until none is left
// (with pauses between token positions when paced), then Closing; or, on the stream_error_after
// fault, the dialect's in-stream error event instead of Closing. Every Append may change the
// source (a Responses stream numbers all its events).
class StreamSource {
 public:
  virtual ~StreamSource() = default;
  virtual void AppendOpening(std::string& out) = 0;
  // Appends the next content chunk; false (and nothing appended) when all were produced.
  virtual bool AppendContentChunk(std::string& out) = 0;
  virtual bool has_more() const = 0;
  // Content chunks produced so far (what disconnect_after and stream_error_after count).
  virtual uint64_t content_chunks() const = 0;
  // The token position of the next content chunk (pacing waits before each new position).
  virtual uint32_t next_position() const = 0;
  // True when the next content chunk starts a new token position.
  virtual bool at_new_position() const = 0;
  virtual void AppendClosing(std::string& out) = 0;
  virtual void AppendStreamError(std::string& out) = 0;
};

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
  int64_t stream_error_after = -1;
  // The tool_call option (chat, when the request offers a tool and its last message is not a
  // tool result): each choice answers with this call; tokens is then its argument piece count.
  std::optional<ToolCall> tool_call;

  ResponseIdentity Identity() const { return {api, id, created, model}; }
  StreamTiming Timing() const {
    return {ttft_us, interval_us, early_head, disconnect_after, stream_error_after};
  }
  // "call_sim_<n>" for choice 0 (n from the response id), "call_sim_<n>_<i>" for the others.
  std::string ToolCallId(uint32_t choice) const;
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
class StreamComposer final : public StreamSource {
 public:
  explicit StreamComposer(const CompletionPlan& plan);

  // The chat role chunk of every choice (none for legacy) - with a tool call, the call's first
  // chunk instead - then the malformed event if planned.
  void AppendOpening(std::string& out) override;
  // Appends the next content chunk (a token, or a piece of tool-call arguments); false (and
  // nothing appended) when all were produced.
  bool AppendContentChunk(std::string& out) override;
  bool has_more() const override { return produced_ < uint64_t{plan_.tokens} * plan_.choices; }
  // Content chunks produced so far.
  uint64_t content_chunks() const override { return produced_; }
  // The token position of the next content chunk (all choices share positions).
  uint32_t next_position() const override {
    return static_cast<uint32_t>(produced_ / plan_.choices);
  }
  bool at_new_position() const override { return produced_ % plan_.choices == 0; }
  // Finish chunks, the usage chunk when include_usage and usage reporting are on, [DONE].
  void AppendClosing(std::string& out) override;
  // `data: {"error":{...}}` (and no [DONE]).
  void AppendStreamError(std::string& out) override;

 private:
  const CompletionPlan& plan_;
  ChunkWriter writer_;
  std::vector<TokenGenerator> generators_;  // one per choice
  std::vector<std::string_view> pieces_;    // tool-call arguments, when plan_.tool_call
  uint64_t produced_ = 0;
};

}  // namespace gw::simulator

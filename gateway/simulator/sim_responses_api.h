// The simulator's answers in the OpenAI Responses API format (POST /v1/responses): what one
// request will do (a reasoning item, then a message or a function_call item, status, usage,
// faults, timing), the whole `response` object, and the SSE stream event by event
// (response.created, response.in_progress, the items' added / delta / done events,
// response.completed or response.incomplete; response.failed on the stream_error_after fault).
// Built by string appends; pure; a plan and its composer belong to one request.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/simulator/sim_options.h"
#include "gateway/simulator/sim_plan.h"
#include "gateway/simulator/sim_responses_api_request.h"
#include "gateway/simulator/sim_text.h"
#include "gateway/simulator/sim_tools.h"

namespace gw::simulator {

// The output items an answer can hold, in this order: reasoning, then message or function_call.
enum class ResponsesItemKind { kReasoning, kMessage, kFunctionCall };

struct ResponsesApiPlan {
  std::string id;          // "resp_sim-<n>"
  int64_t created_at = 0;  // unix seconds
  std::string model;       // the requested model without its "?overrides" suffix
  bool stream = false;
  uint64_t seed = 0;  // the seed option (the Responses API has no seed field)
  // A reasoning item comes first when reasoning_tokens (below) > 0; its summary has
  // summary_words words (the thinking_tokens option; 0 = an empty summary, as OpenAI answers
  // without reasoning.summary).
  bool reasoning = false;
  uint32_t summary_words = 0;
  bool encrypted_reasoning = false;   // the request's include asks for encrypted_content
  uint32_t text_tokens = 0;           // min(tokens option, max_output_tokens)
  std::optional<ToolCall> tool_call;  // a function_call item instead of the message
  bool incomplete = false;            // max_output_tokens cut the text: status "incomplete"
  bool report_usage = true;
  bool bad_usage = false;
  uint64_t input_tokens = 0;      // the prompt estimate, raised to cached_tokens
  uint64_t cached_tokens = 0;     // input_tokens_details.cached_tokens
  uint64_t reasoning_tokens = 0;  // reasoning_tokens + thinking_tokens options
  uint64_t output_tokens = 0;     // text tokens (or argument pieces) + reasoning_tokens
  bool malformed = false;         // drawn by the handler
  StreamTiming timing;

  // "msg_sim-<n>_<index>" for prefix "msg" (the response id without its "resp_").
  std::string ItemId(std::string_view prefix, uint32_t index) const;
  // "call_sim-<n>".
  std::string CallId() const;
  // The reasoning item's encrypted_content: a deterministic base64-looking string.
  std::string EncryptedContent() const;
  // Content deltas of the whole stream (what pacing and the stream faults count): summary text
  // deltas, output text deltas, function call argument deltas.
  uint64_t ContentDeltas() const;
};

// Builds the plan; id, created_at and malformed are the handler's to fill. With tool_call on, a
// function tool offered and the input not ending with a function_call_output, the answer is a
// function_call item.
ResponsesApiPlan MakeResponsesApiPlan(const ResponsesApiRequest& request,
                                      std::string_view model_name, const SimOptions& options);

// The whole `response` object (malformed: its first half).
std::string BuildResponsesApiBody(const ResponsesApiPlan& plan);

// The stream as StreamSource: every event is `event: <type>\ndata: {"type":"<type>",
// "sequence_number":N,...}\n\n` with N counting from 0. A content chunk is one
// response.reasoning_summary_text.delta, response.output_text.delta or
// response.function_call_arguments.delta event; item starts and ends go with the deltas.
class ResponsesApiStreamComposer final : public StreamSource {
 public:
  explicit ResponsesApiStreamComposer(const ResponsesApiPlan& plan);

  // response.created, response.in_progress (then the malformed event), the first item's start.
  void AppendOpening(std::string& out) override;
  bool AppendContentChunk(std::string& out) override;
  bool has_more() const override { return produced_ < total_; }
  uint64_t content_chunks() const override { return produced_; }
  uint32_t next_position() const override { return static_cast<uint32_t>(produced_); }
  bool at_new_position() const override { return true; }
  // The remaining item ends (and starts), then response.completed or response.incomplete.
  void AppendClosing(std::string& out) override;
  // response.failed: the object with status "failed", error {"code":"server_error","message"},
  // the output so far (the open item "incomplete" with what it got), usage null.
  void AppendStreamError(std::string& out) override;

 private:
  struct Item {
    ResponsesItemKind kind;
    uint64_t deltas;   // content deltas the item streams
    std::string id;    // "rs_sim-7_0", "msg_sim-7_1", "fc_sim-7_1"
    std::string text;  // what its deltas carried so far (summary, text or arguments)
  };
  // `event: <type>\ndata: {"type":"<type>","sequence_number":N` (the caller closes the object).
  void AppendEventHead(std::string& out, std::string_view type);
  // `,"item_id":..,"output_index":N`.
  void AppendItemRef(std::string& out, uint32_t index) const;
  void AppendItemStart(std::string& out, uint32_t index);
  void AppendItemEnd(std::string& out, uint32_t index);
  void AppendDelta(std::string& out);
  // The response object in `status`: "in_progress" (no output, usage null), "completed" /
  // "incomplete" (every item, usage), "failed" (the items up to the open one, which is
  // "incomplete", usage null).
  void AppendResponse(std::string& out, std::string_view status) const;

  const ResponsesApiPlan& plan_;
  std::vector<Item> items_;
  std::vector<std::string_view> pieces_;  // function call arguments
  TokenGenerator summary_words_;
  TokenGenerator text_words_;
  uint64_t sequence_ = 0;
  uint64_t total_ = 0;
  uint64_t produced_ = 0;
  uint32_t item_ = 0;     // the item of the next delta
  uint64_t in_item_ = 0;  // deltas of item_ already produced
};

}  // namespace gw::simulator

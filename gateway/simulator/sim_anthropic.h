// The simulator's answers in Anthropic's Messages format: what one /v1/messages request will do
// (a thinking block, text or a tool_use block, stop reason, usage, faults, timing), the whole
// `message` body, the SSE stream event by event (message_start, content_block_start, ping,
// content_block_delta..., content_block_stop, message_delta, message_stop), error bodies and
// the count_tokens answer. Built by string appends; pure; a plan and its composer belong to one
// request.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/simulator/sim_anthropic_request.h"
#include "gateway/simulator/sim_options.h"
#include "gateway/simulator/sim_plan.h"
#include "gateway/simulator/sim_text.h"
#include "gateway/simulator/sim_tools.h"

namespace gw::simulator {

// Thinking words when the request asks for thinking and the thinking_tokens option is 0.
inline constexpr uint32_t kDefaultThinkingTokens = 8;

struct MessagesPlan {
  std::string id;     // "msg_sim_<n>"
  std::string model;  // the requested model without its "?overrides" suffix
  bool stream = false;
  uint64_t seed = 0;                          // the seed option
  uint32_t thinking_tokens = 0;               // words of the thinking block; 0 = no block
  uint32_t text_tokens = 0;                   // min(tokens option, max_tokens)
  std::optional<ToolCall> tool_use;           // a tool_use block instead of the text block
  std::string_view stop_reason = "end_turn";  // "max_tokens" when cut, "tool_use"
  bool report_usage = true;
  bool bad_usage = false;
  uint64_t input_tokens = 0;  // prompt estimate minus cache reads and writes, >= 0
  uint64_t cache_read_input_tokens = 0;
  uint64_t cache_creation_input_tokens = 0;
  uint64_t output_tokens = 0;  // thinking + text words, or tool input pieces
  bool malformed = false;      // drawn by the handler
  StreamTiming timing;

  // "toolu_sim_<n>", n from the message id.
  std::string ToolUseId() const;
  // The thinking block's signature: a deterministic base64-looking string.
  std::string Signature() const;
  // Content deltas of the whole stream (what pacing and the stream faults count).
  uint64_t ContentDeltas() const;
};

// Builds the plan; id and malformed are the handler's to fill. A thinking block comes first when
// the request enables thinking or thinking_tokens > 0. With tool_call on, a named tool offered
// and the last message not a tool_result turn, the answer is a tool_use block.
MessagesPlan MakeMessagesPlan(const MessagesRequest& request, std::string_view model_name,
                              const SimOptions& options);

// The whole `message` body (malformed: its first half).
std::string BuildMessageBody(const MessagesPlan& plan);

// The stream as StreamSource: a content chunk is one content_block_delta event (thinking_delta,
// signature_delta, text_delta or input_json_delta); block starts and stops go with the deltas.
class MessagesStreamComposer final : public StreamSource {
 public:
  explicit MessagesStreamComposer(const MessagesPlan& plan);

  // message_start, content_block_start of the first block, ping (then the malformed event).
  void AppendOpening(std::string& out) override;
  bool AppendContentChunk(std::string& out) override;
  bool has_more() const override { return produced_ < total_; }
  uint64_t content_chunks() const override { return produced_; }
  uint32_t next_position() const override { return static_cast<uint32_t>(produced_); }
  bool at_new_position() const override { return true; }
  // The remaining block stops (and starts), message_delta, message_stop.
  void AppendClosing(std::string& out) override;
  // event: error, {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}.
  void AppendStreamError(std::string& out) override;

 private:
  enum class BlockKind { kThinking, kText, kToolUse };
  struct Block {
    BlockKind kind;
    uint64_t deltas;
  };
  void AppendBlockStart(std::string& out, uint32_t index) const;
  void AppendDelta(std::string& out);

  const MessagesPlan& plan_;
  std::vector<Block> blocks_;
  std::string signature_;
  std::vector<std::string_view> pieces_;  // tool input
  TokenGenerator thinking_words_;
  TokenGenerator text_words_;
  uint64_t total_ = 0;
  uint64_t produced_ = 0;
  uint32_t block_ = 0;     // the block of the next delta
  uint64_t in_block_ = 0;  // deltas of block_ already produced
};

// {"type":"error","error":{"type":..,"message":..}}.
std::string AnthropicErrorBody(std::string_view type, std::string_view message);
// The error type Anthropic uses for a status: 400 invalid_request_error, 401
// authentication_error, 402 billing_error, 403 permission_error, 404 not_found_error, 413
// request_too_large, 429 rate_limit_error, 504 timeout_error, 529 overloaded_error; other 4xx
// invalid_request_error, other 5xx api_error.
std::string_view AnthropicErrorType(uint32_t status);
// The body of an injected error with this status.
std::string AnthropicSimulatedErrorBody(uint32_t status);
// POST /v1/messages/count_tokens: {"input_tokens":N}.
std::string CountTokensBody(uint64_t input_tokens);

}  // namespace gw::simulator

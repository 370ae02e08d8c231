#include "gateway/simulator/sim_anthropic.h"

#include <algorithm>
#include <charconv>

#include "base/json/json_writer.h"

namespace gw::simulator {
namespace {

using json::AppendJsonString;

// The word stream of thinking blocks (a choice index no chat request uses).
constexpr uint32_t kThinkingWords = 0xFFFF'FF01u;
constexpr size_t kSignatureChars = 86;  // then "=="

void AppendNumber(std::string& out, uint64_t value) {
  char buffer[24];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, end);
}

// The number after the last '-' or '_' of an id ("msg_sim_12" -> "12").
std::string_view IdNumber(std::string_view id) {
  const size_t cut = id.find_last_of("-_");
  return cut == std::string_view::npos ? id : id.substr(cut + 1);
}

void AppendUsage(std::string& out, const MessagesPlan& plan, uint64_t output_tokens) {
  if (plan.bad_usage) {
    out += R"({"input_tokens":"unknown","output_tokens":-1})";
    return;
  }
  out += "{\"input_tokens\":";
  AppendNumber(out, plan.input_tokens);
  out += ",\"cache_creation_input_tokens\":";
  AppendNumber(out, plan.cache_creation_input_tokens);
  out += ",\"cache_read_input_tokens\":";
  AppendNumber(out, plan.cache_read_input_tokens);
  out += ",\"output_tokens\":";
  AppendNumber(out, output_tokens);
  out += '}';
}

// `event: <name>\ndata: ` (the caller appends the JSON and "\n\n").
void AppendEventHead(std::string& out, std::string_view name) {
  out += "event: ";
  out += name;
  out += "\ndata: ";
}

void AppendBlockStop(std::string& out, uint32_t index) {
  AppendEventHead(out, "content_block_stop");
  out += "{\"type\":\"content_block_stop\",\"index\":";
  AppendNumber(out, index);
  out += "}\n\n";
}

}  // namespace

std::string MessagesPlan::ToolUseId() const { return "toolu_sim_" + std::string(IdNumber(id)); }

std::string MessagesPlan::Signature() const {
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  SimRng rng(seed ^ (0x5349474E41545552ull + thinking_tokens));
  std::string out;
  out.reserve(kSignatureChars + 2);
  for (size_t i = 0; i < kSignatureChars; ++i) out += kAlphabet[rng.Next() >> 58];
  out += "==";
  return out;
}

uint64_t MessagesPlan::ContentDeltas() const {
  const uint64_t thinking = thinking_tokens > 0 ? uint64_t{thinking_tokens} + 1 : 0;
  if (tool_use) return thinking + 1 + SplitPieces(tool_use->input, kToolPieceBytes).size();
  return thinking + text_tokens;
}

MessagesPlan MakeMessagesPlan(const MessagesRequest& request, std::string_view model_name,
                              const SimOptions& options) {
  MessagesPlan plan;
  plan.model = std::string(model_name);
  plan.stream = request.stream;
  plan.seed = options.seed;
  plan.thinking_tokens = options.thinking_tokens > 0 ? options.thinking_tokens
                         : request.thinking          ? kDefaultThinkingTokens
                                                     : 0;
  if (options.tool_call && !request.after_tool_result) {
    plan.tool_use =
        PickToolCall(ToolDialect::kAnthropic, request.tools, request.tool_choice, plan.seed);
  }
  uint64_t answer_tokens = 0;
  if (plan.tool_use) {
    plan.stop_reason = "tool_use";
    answer_tokens = SplitPieces(plan.tool_use->input, kToolPieceBytes).size();
  } else {
    plan.text_tokens = std::min(options.tokens, request.max_tokens);
    if (request.max_tokens < options.tokens) plan.stop_reason = "max_tokens";
    answer_tokens = plan.text_tokens;
  }
  plan.report_usage = options.usage;
  plan.bad_usage = options.bad_usage;
  plan.cache_read_input_tokens = options.cached_tokens;
  plan.cache_creation_input_tokens = options.cache_write_tokens;
  const uint64_t cached = uint64_t{options.cached_tokens} + options.cache_write_tokens;
  plan.input_tokens = request.prompt_tokens > cached ? request.prompt_tokens - cached : 0;
  plan.output_tokens = plan.thinking_tokens + answer_tokens;
  plan.timing = {int64_t{options.ttft_ms} * 1000, options.TokenIntervalUs(), options.early_head,
                 options.disconnect_after, options.stream_error_after};
  return plan;
}

std::string BuildMessageBody(const MessagesPlan& plan) {
  std::string out = "{\"id\":";
  AppendJsonString(out, plan.id);
  out += ",\"type\":\"message\",\"role\":\"assistant\",\"model\":";
  AppendJsonString(out, plan.model);
  out += ",\"content\":[";
  if (plan.thinking_tokens > 0) {
    out += "{\"type\":\"thinking\",\"thinking\":\"";
    out += GenerateText(plan.seed, kThinkingWords, plan.thinking_tokens);
    out += "\",\"signature\":\"";
    out += plan.Signature();
    out += "\"},";
  }
  if (plan.tool_use) {
    out += "{\"type\":\"tool_use\",\"id\":\"";
    out += plan.ToolUseId();
    out += "\",\"name\":\"";
    out += plan.tool_use->name;
    out += "\",\"input\":";
    out += plan.tool_use->input;
    out += '}';
  } else {
    out += "{\"type\":\"text\",\"text\":\"";
    out += GenerateText(plan.seed, 0, plan.text_tokens);
    out += "\"}";
  }
  out += "],\"stop_reason\":\"";
  out += plan.stop_reason;
  out += "\",\"stop_sequence\":null";
  if (plan.report_usage) {
    out += ",\"usage\":";
    AppendUsage(out, plan, plan.output_tokens);
  }
  out += '}';
  if (plan.malformed) out.resize(out.size() / 2);
  return out;
}

MessagesStreamComposer::MessagesStreamComposer(const MessagesPlan& plan)
    : plan_(plan), thinking_words_(plan.seed, kThinkingWords), text_words_(plan.seed, 0) {
  if (plan.thinking_tokens > 0) {
    blocks_.push_back({BlockKind::kThinking, uint64_t{plan.thinking_tokens} + 1});
    signature_ = plan.Signature();
  }
  if (plan.tool_use) {
    pieces_ = SplitPieces(plan.tool_use->input, kToolPieceBytes);
    blocks_.push_back({BlockKind::kToolUse, 1 + pieces_.size()});  // first: partial_json ""
  } else {
    blocks_.push_back({BlockKind::kText, plan.text_tokens});
  }
  for (const Block& block : blocks_) total_ += block.deltas;
}

void MessagesStreamComposer::AppendBlockStart(std::string& out, uint32_t index) const {
  AppendEventHead(out, "content_block_start");
  out += "{\"type\":\"content_block_start\",\"index\":";
  AppendNumber(out, index);
  switch (blocks_[index].kind) {
    case BlockKind::kThinking:
      out += R"(,"content_block":{"type":"thinking","thinking":"","signature":""}})";
      break;
    case BlockKind::kText:
      out += R"(,"content_block":{"type":"text","text":""}})";
      break;
    case BlockKind::kToolUse:
      out += R"(,"content_block":{"type":"tool_use","id":")";
      out += plan_.ToolUseId();
      out += "\",\"name\":\"";
      out += plan_.tool_use->name;
      out += "\",\"input\":{}}}";
      break;
  }
  out += "\n\n";
}

void MessagesStreamComposer::AppendOpening(std::string& out) {
  AppendEventHead(out, "message_start");
  out += "{\"type\":\"message_start\",\"message\":{\"id\":";
  AppendJsonString(out, plan_.id);
  out += ",\"type\":\"message\",\"role\":\"assistant\",\"model\":";
  AppendJsonString(out, plan_.model);
  out += ",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null";
  if (plan_.report_usage) {
    out += ",\"usage\":";
    AppendUsage(out, plan_, 1);
  }
  out += "}}\n\n";
  AppendBlockStart(out, 0);
  AppendEventHead(out, "ping");
  out += "{\"type\": \"ping\"}\n\n";  // sic: Anthropic's ping has the space
  if (plan_.malformed) out += "event: content_block_delta\ndata: {\"type\": broken\n\n";
}

void MessagesStreamComposer::AppendDelta(std::string& out) {
  AppendEventHead(out, "content_block_delta");
  out += "{\"type\":\"content_block_delta\",\"index\":";
  AppendNumber(out, block_);
  switch (blocks_[block_].kind) {
    case BlockKind::kThinking:
      if (in_block_ < plan_.thinking_tokens) {
        out += R"(,"delta":{"type":"thinking_delta","thinking":")";
        out += thinking_words_.Next();
      } else {
        out += R"(,"delta":{"type":"signature_delta","signature":")";
        out += signature_;
      }
      out += "\"}}";
      break;
    case BlockKind::kText:
      out += R"(,"delta":{"type":"text_delta","text":")";
      out += text_words_.Next();
      out += "\"}}";
      break;
    case BlockKind::kToolUse:
      out += R"(,"delta":{"type":"input_json_delta","partial_json":)";
      AppendJsonString(out, in_block_ == 0 ? std::string_view() : pieces_[in_block_ - 1]);
      out += "}}";
      break;
  }
  out += "\n\n";
}

bool MessagesStreamComposer::AppendContentChunk(std::string& out) {
  if (!has_more()) return false;
  while (in_block_ == blocks_[block_].deltas) {  // a later block has deltas left
    AppendBlockStop(out, block_);
    ++block_;
    in_block_ = 0;
    AppendBlockStart(out, block_);
  }
  AppendDelta(out);
  ++in_block_;
  ++produced_;
  return true;
}

void MessagesStreamComposer::AppendClosing(std::string& out) {
  AppendBlockStop(out, block_);
  for (uint32_t index = block_ + 1; index < blocks_.size(); ++index) {
    AppendBlockStart(out, index);
    AppendBlockStop(out, index);
  }
  AppendEventHead(out, "message_delta");
  out += "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"";
  out += plan_.stop_reason;
  out += "\",\"stop_sequence\":null}";
  if (plan_.report_usage) {
    out += plan_.bad_usage ? ",\"usage\":{\"output_tokens\":-1" : ",\"usage\":{\"output_tokens\":";
    if (!plan_.bad_usage) AppendNumber(out, plan_.output_tokens);
    out += '}';
  }
  out += "}\n\n";
  AppendEventHead(out, "message_stop");
  out += "{\"type\":\"message_stop\"}\n\n";
}

void MessagesStreamComposer::AppendStreamError(std::string& out) {
  AppendEventHead(out, "error");
  out += AnthropicErrorBody("overloaded_error", "Overloaded");
  out += "\n\n";
}

std::string AnthropicErrorBody(std::string_view type, std::string_view message) {
  std::string out = "{\"type\":\"error\",\"error\":{\"type\":";
  AppendJsonString(out, type);
  out += ",\"message\":";
  AppendJsonString(out, message);
  out += "}}";
  return out;
}

std::string_view AnthropicErrorType(uint32_t status) {
  switch (status) {
    case 401:
      return "authentication_error";
    case 402:
      return "billing_error";
    case 403:
      return "permission_error";
    case 404:
      return "not_found_error";
    case 413:
      return "request_too_large";
    case 429:
      return "rate_limit_error";
    case 504:
      return "timeout_error";
    case 529:
      return "overloaded_error";
    default:
      return status >= 500 ? "api_error" : "invalid_request_error";
  }
}

std::string AnthropicSimulatedErrorBody(uint32_t status) {
  return AnthropicErrorBody(AnthropicErrorType(status),
                            "simulated error: status " + std::to_string(status) + " (gateway-sim)");
}

std::string CountTokensBody(uint64_t input_tokens) {
  std::string out = "{\"input_tokens\":";
  AppendNumber(out, input_tokens);
  out += '}';
  return out;
}

}  // namespace gw::simulator

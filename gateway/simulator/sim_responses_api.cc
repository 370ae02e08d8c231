#include "gateway/simulator/sim_responses_api.h"

#include <algorithm>
#include <charconv>

#include "base/json/json_writer.h"

namespace gw::simulator {
namespace {

using json::AppendJsonString;

// The word stream of reasoning summaries: the one Anthropic thinking blocks use, so the same
// seed and thinking_tokens give the same reasoning text on both APIs.
constexpr uint32_t kSummaryWords = 0xFFFF'FF01u;
constexpr size_t kEncryptedChars = 120;
constexpr std::string_view kStreamErrorMessage = "simulated mid-stream error (gateway-sim)";

void AppendNumber(std::string& out, uint64_t value) {
  char buffer[24];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, end);
}

// "resp_sim-7" -> "sim-7".
std::string_view IdSuffix(std::string_view id) {
  if (id.starts_with("resp_")) id.remove_prefix(5);
  return id;
}

void AppendUsage(std::string& out, const ResponsesApiPlan& plan) {
  if (plan.bad_usage) {
    out += R"({"input_tokens":"unknown","output_tokens":-1,"total_tokens":-1})";
    return;
  }
  out += "{\"input_tokens\":";
  AppendNumber(out, plan.input_tokens);
  out += ",\"input_tokens_details\":{\"cached_tokens\":";
  AppendNumber(out, plan.cached_tokens);
  out += "},\"output_tokens\":";
  AppendNumber(out, plan.output_tokens);
  out += ",\"output_tokens_details\":{\"reasoning_tokens\":";
  AppendNumber(out, plan.reasoning_tokens);
  out += "},\"total_tokens\":";
  AppendNumber(out, plan.input_tokens + plan.output_tokens);
  out += '}';
}

// `{"id":..,...,"output":[` of a response object in `status`.
void AppendResponseHead(std::string& out, const ResponsesApiPlan& plan, std::string_view status) {
  out += "{\"id\":";
  AppendJsonString(out, plan.id);
  out += ",\"object\":\"response\",\"created_at\":";
  AppendNumber(out, static_cast<uint64_t>(plan.created_at));
  out += ",\"status\":\"";
  out += status;
  out += "\",\"error\":";
  if (status == "failed") {
    out += "{\"code\":\"server_error\",\"message\":";
    AppendJsonString(out, kStreamErrorMessage);
    out += '}';
  } else {
    out += "null";
  }
  out += status == "incomplete" ? R"(,"incomplete_details":{"reason":"max_output_tokens"})"
                                : R"(,"incomplete_details":null)";
  out += ",\"instructions\":null,\"model\":";
  AppendJsonString(out, plan.model);
  out += ",\"output\":[";
}

// `],...,"usage":..}` closing the object AppendResponseHead opened.
void AppendResponseTail(std::string& out, const ResponsesApiPlan& plan, bool usage) {
  out += R"(],"parallel_tool_calls":true,"tool_choice":"auto","tools":[],"usage":)";
  if (usage && plan.report_usage) {
    AppendUsage(out, plan);
  } else {
    out += "null";
  }
  out += '}';
}

// `{"type":"output_text","annotations":[],"logprobs":[],"text":"<text>"}` (sim_text words).
void AppendOutputText(std::string& out, std::string_view text) {
  out += R"({"type":"output_text","annotations":[],"logprobs":[],"text":")";
  out += text;
  out += "\"}";
}

// `{"type":"summary_text","text":"<text>"}` (sim_text words).
void AppendSummaryText(std::string& out, std::string_view text) {
  out += R"({"type":"summary_text","text":")";
  out += text;
  out += "\"}";
}

// One output item. `added`: the form of response.output_item.added (no content yet); else the
// item with `text` (the summary, the message text or the arguments) and `status`.
void AppendItem(std::string& out, const ResponsesApiPlan& plan, ResponsesItemKind kind,
                std::string_view id, bool added, std::string_view status, std::string_view text) {
  switch (kind) {
    case ResponsesItemKind::kReasoning:
      out += "{\"type\":\"reasoning\",\"id\":\"";
      out += id;
      out += "\",\"summary\":[";
      if (!added && !text.empty()) AppendSummaryText(out, text);
      out += ']';
      if (!added && plan.encrypted_reasoning) {
        out += ",\"encrypted_content\":\"";
        out += plan.EncryptedContent();
        out += '"';
      }
      out += '}';
      return;
    case ResponsesItemKind::kMessage:
      out += "{\"type\":\"message\",\"id\":\"";
      out += id;
      out += "\",\"status\":\"";
      out += added ? "in_progress" : status;
      out += "\",\"role\":\"assistant\",\"content\":[";
      if (!added) AppendOutputText(out, text);
      out += "]}";
      return;
    case ResponsesItemKind::kFunctionCall:
      out += "{\"type\":\"function_call\",\"id\":\"";
      out += id;
      out += "\",\"call_id\":\"";
      out += plan.CallId();
      out += "\",\"name\":\"";
      out += plan.tool_call->name;  // escaped as in the request
      out += "\",\"arguments\":";
      AppendJsonString(out, added ? std::string_view() : text);
      out += ",\"status\":\"";
      out += added ? "in_progress" : status;
      out += "\"}";
      return;
  }
}

// The status of a finished item: the message of a cut answer is "incomplete".
std::string_view DoneStatus(const ResponsesApiPlan& plan, ResponsesItemKind kind) {
  return kind == ResponsesItemKind::kMessage && plan.incomplete ? "incomplete" : "completed";
}

std::string_view FinalStatus(const ResponsesApiPlan& plan) {
  return plan.incomplete ? "incomplete" : "completed";
}

}  // namespace

std::string ResponsesApiPlan::ItemId(std::string_view prefix, uint32_t index) const {
  std::string out(prefix);
  out += '_';
  out += IdSuffix(id);
  out += '_';
  AppendNumber(out, index);
  return out;
}

std::string ResponsesApiPlan::CallId() const {
  std::string out = "call_";
  out += IdSuffix(id);
  return out;
}

std::string ResponsesApiPlan::EncryptedContent() const {
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  SimRng rng(seed ^ (0x454E435259505445ull + summary_words));
  std::string out = "gAAAAA";  // OpenAI's encrypted reasoning is a Fernet token
  out.reserve(out.size() + kEncryptedChars + 1);
  for (size_t i = 0; i < kEncryptedChars; ++i) out += kAlphabet[rng.Next() >> 58];
  out += '=';
  return out;
}

uint64_t ResponsesApiPlan::ContentDeltas() const {
  const uint64_t answer =
      tool_call ? SplitPieces(tool_call->input, kToolPieceBytes).size() : text_tokens;
  return uint64_t{summary_words} + answer;
}

ResponsesApiPlan MakeResponsesApiPlan(const ResponsesApiRequest& request,
                                      std::string_view model_name, const SimOptions& options) {
  ResponsesApiPlan plan;
  plan.model = std::string(model_name);
  plan.stream = request.stream;
  plan.seed = options.seed;
  plan.reasoning_tokens = uint64_t{options.reasoning_tokens} + options.thinking_tokens;
  plan.reasoning = plan.reasoning_tokens > 0;
  plan.summary_words = options.thinking_tokens;
  plan.encrypted_reasoning = request.include_encrypted_reasoning;
  if (options.tool_call && !request.after_tool_result) {
    plan.tool_call =
        PickToolCall(ToolDialect::kOpenAiResponses, request.tools, request.tool_choice, plan.seed);
  }
  uint64_t answer_tokens = 0;
  if (plan.tool_call) {
    answer_tokens = SplitPieces(plan.tool_call->input, kToolPieceBytes).size();
  } else {
    plan.text_tokens = options.tokens;
    if (request.max_output_tokens && *request.max_output_tokens < options.tokens) {
      plan.text_tokens = *request.max_output_tokens;
      plan.incomplete = true;
    }
    answer_tokens = plan.text_tokens;
  }
  plan.report_usage = options.usage;
  plan.bad_usage = options.bad_usage;
  plan.cached_tokens = options.cached_tokens;
  plan.input_tokens = std::max<uint64_t>(request.prompt_tokens, options.cached_tokens);
  plan.output_tokens = answer_tokens + plan.reasoning_tokens;
  plan.timing = {int64_t{options.ttft_ms} * 1000, options.TokenIntervalUs(), options.early_head,
                 options.disconnect_after, options.stream_error_after};
  return plan;
}

std::string BuildResponsesApiBody(const ResponsesApiPlan& plan) {
  std::string out;
  out.reserve(640 + plan.model.size() + size_t{plan.text_tokens + plan.summary_words} * 8);
  const std::string_view status = FinalStatus(plan);
  AppendResponseHead(out, plan, status);
  uint32_t index = 0;
  if (plan.reasoning) {
    const std::string summary = GenerateText(plan.seed, kSummaryWords, plan.summary_words);
    AppendItem(out, plan, ResponsesItemKind::kReasoning, plan.ItemId("rs", index), false,
               "completed", summary);
    out += ',';
    ++index;
  }
  if (plan.tool_call) {
    AppendItem(out, plan, ResponsesItemKind::kFunctionCall, plan.ItemId("fc", index), false,
               "completed", plan.tool_call->input);
  } else {
    const std::string text = GenerateText(plan.seed, 0, plan.text_tokens);
    AppendItem(out, plan, ResponsesItemKind::kMessage, plan.ItemId("msg", index), false,
               DoneStatus(plan, ResponsesItemKind::kMessage), text);
  }
  AppendResponseTail(out, plan, true);
  if (plan.malformed) out.resize(out.size() / 2);
  return out;
}

ResponsesApiStreamComposer::ResponsesApiStreamComposer(const ResponsesApiPlan& plan)
    : plan_(plan), summary_words_(plan.seed, kSummaryWords), text_words_(plan.seed, 0) {
  if (plan.reasoning) {
    const auto index = static_cast<uint32_t>(items_.size());
    items_.push_back({ResponsesItemKind::kReasoning, plan.summary_words, plan.ItemId("rs", index),
                      std::string()});
  }
  const auto index = static_cast<uint32_t>(items_.size());
  if (plan.tool_call) {
    pieces_ = SplitPieces(plan.tool_call->input, kToolPieceBytes);
    items_.push_back({ResponsesItemKind::kFunctionCall, pieces_.size(), plan.ItemId("fc", index),
                      std::string()});
  } else {
    items_.push_back(
        {ResponsesItemKind::kMessage, plan.text_tokens, plan.ItemId("msg", index), std::string()});
  }
  for (const Item& item : items_) total_ += item.deltas;
}

void ResponsesApiStreamComposer::AppendEventHead(std::string& out, std::string_view type) {
  out += "event: ";
  out += type;
  out += "\ndata: {\"type\":\"";
  out += type;
  out += "\",\"sequence_number\":";
  AppendNumber(out, sequence_++);
}

void ResponsesApiStreamComposer::AppendItemRef(std::string& out, uint32_t index) const {
  out += ",\"item_id\":\"";
  out += items_[index].id;
  out += "\",\"output_index\":";
  AppendNumber(out, index);
}

void ResponsesApiStreamComposer::AppendResponse(std::string& out, std::string_view status) const {
  AppendResponseHead(out, plan_, status);
  if (status != "in_progress") {
    const bool failed = status == "failed";
    const uint32_t end = failed ? item_ + 1 : static_cast<uint32_t>(items_.size());
    for (uint32_t i = 0; i < end; ++i) {
      if (i > 0) out += ',';
      const Item& item = items_[i];
      const std::string_view item_status =
          failed && i == item_ ? "incomplete" : DoneStatus(plan_, item.kind);
      AppendItem(out, plan_, item.kind, item.id, false, item_status, item.text);
    }
  }
  AppendResponseTail(out, plan_, status == "completed" || status == "incomplete");
}

void ResponsesApiStreamComposer::AppendItemStart(std::string& out, uint32_t index) {
  const Item& item = items_[index];
  AppendEventHead(out, "response.output_item.added");
  out += ",\"output_index\":";
  AppendNumber(out, index);
  out += ",\"item\":";
  AppendItem(out, plan_, item.kind, item.id, true, "", "");
  out += "}\n\n";
  if (item.kind == ResponsesItemKind::kMessage) {
    AppendEventHead(out, "response.content_part.added");
    AppendItemRef(out, index);
    out += ",\"content_index\":0,\"part\":";
    AppendOutputText(out, "");
    out += "}\n\n";
  } else if (item.kind == ResponsesItemKind::kReasoning && item.deltas > 0) {
    AppendEventHead(out, "response.reasoning_summary_part.added");
    AppendItemRef(out, index);
    out += ",\"summary_index\":0,\"part\":";
    AppendSummaryText(out, "");
    out += "}\n\n";
  }
}

void ResponsesApiStreamComposer::AppendItemEnd(std::string& out, uint32_t index) {
  const Item& item = items_[index];
  switch (item.kind) {
    case ResponsesItemKind::kMessage:
      AppendEventHead(out, "response.output_text.done");
      AppendItemRef(out, index);
      out += ",\"content_index\":0,\"text\":\"";
      out += item.text;
      out += "\",\"logprobs\":[]}\n\n";
      AppendEventHead(out, "response.content_part.done");
      AppendItemRef(out, index);
      out += ",\"content_index\":0,\"part\":";
      AppendOutputText(out, item.text);
      out += "}\n\n";
      break;
    case ResponsesItemKind::kReasoning:
      if (item.deltas == 0) break;  // an empty summary has no parts
      AppendEventHead(out, "response.reasoning_summary_text.done");
      AppendItemRef(out, index);
      out += ",\"summary_index\":0,\"text\":\"";
      out += item.text;
      out += "\"}\n\n";
      AppendEventHead(out, "response.reasoning_summary_part.done");
      AppendItemRef(out, index);
      out += ",\"summary_index\":0,\"part\":";
      AppendSummaryText(out, item.text);
      out += "}\n\n";
      break;
    case ResponsesItemKind::kFunctionCall:
      AppendEventHead(out, "response.function_call_arguments.done");
      AppendItemRef(out, index);
      out += ",\"arguments\":";
      AppendJsonString(out, item.text);
      out += "}\n\n";
      break;
  }
  AppendEventHead(out, "response.output_item.done");
  out += ",\"output_index\":";
  AppendNumber(out, index);
  out += ",\"item\":";
  AppendItem(out, plan_, item.kind, item.id, false, DoneStatus(plan_, item.kind), item.text);
  out += "}\n\n";
}

void ResponsesApiStreamComposer::AppendOpening(std::string& out) {
  AppendEventHead(out, "response.created");
  out += ",\"response\":";
  AppendResponse(out, "in_progress");
  out += "}\n\n";
  AppendEventHead(out, "response.in_progress");
  out += ",\"response\":";
  AppendResponse(out, "in_progress");
  out += "}\n\n";
  if (plan_.malformed) out += "event: response.output_text.delta\ndata: {\"type\": broken\n\n";
  AppendItemStart(out, 0);
}

void ResponsesApiStreamComposer::AppendDelta(std::string& out) {
  Item& item = items_[item_];
  std::string_view delta;
  switch (item.kind) {
    case ResponsesItemKind::kReasoning:
      delta = summary_words_.Next();
      AppendEventHead(out, "response.reasoning_summary_text.delta");
      AppendItemRef(out, item_);
      out += ",\"summary_index\":0,\"delta\":\"";
      out += delta;
      out += "\"}\n\n";
      break;
    case ResponsesItemKind::kMessage:
      delta = text_words_.Next();
      AppendEventHead(out, "response.output_text.delta");
      AppendItemRef(out, item_);
      out += ",\"content_index\":0,\"delta\":\"";
      out += delta;
      out += "\",\"logprobs\":[]}\n\n";
      break;
    case ResponsesItemKind::kFunctionCall:
      delta = pieces_[in_item_];
      AppendEventHead(out, "response.function_call_arguments.delta");
      AppendItemRef(out, item_);
      out += ",\"delta\":";
      AppendJsonString(out, delta);
      out += "}\n\n";
      break;
  }
  item.text += delta;
}

bool ResponsesApiStreamComposer::AppendContentChunk(std::string& out) {
  if (!has_more()) return false;
  while (in_item_ == items_[item_].deltas) {  // a later item has deltas left
    AppendItemEnd(out, item_);
    ++item_;
    in_item_ = 0;
    AppendItemStart(out, item_);
  }
  AppendDelta(out);
  ++in_item_;
  ++produced_;
  return true;
}

void ResponsesApiStreamComposer::AppendClosing(std::string& out) {
  AppendItemEnd(out, item_);
  for (uint32_t index = item_ + 1; index < items_.size(); ++index) {
    AppendItemStart(out, index);
    AppendItemEnd(out, index);
  }
  const std::string_view status = FinalStatus(plan_);
  AppendEventHead(out, plan_.incomplete ? "response.incomplete" : "response.completed");
  out += ",\"response\":";
  AppendResponse(out, status);
  out += "}\n\n";
}

void ResponsesApiStreamComposer::AppendStreamError(std::string& out) {
  AppendEventHead(out, "response.failed");
  out += ",\"response\":";
  AppendResponse(out, "failed");
  out += "}\n\n";
}

}  // namespace gw::simulator

#include "gateway/simulator/sim_plan.h"

#include <algorithm>

namespace gw::simulator {

CompletionPlan MakePlan(const CompletionRequest& request, Api api, std::string_view model_name,
                        const SimOptions& options) {
  CompletionPlan plan;
  plan.api = api;
  plan.model = std::string(model_name);
  plan.stream = request.stream;
  plan.seed = request.seed.value_or(options.seed);
  plan.choices = request.choices;
  plan.tokens = options.tokens;
  if (request.max_tokens && *request.max_tokens < options.tokens) {
    plan.tokens = *request.max_tokens;
    plan.finish_reason = "length";
  }
  plan.report_usage = options.usage;
  plan.include_usage = request.include_usage;
  // Chat usage: cache writes are part of the prompt (OpenRouter's cache_write_tokens), and
  // thinking_tokens (no reasoning text on this path) count as reasoning tokens.
  const uint64_t cache_tokens = uint64_t{options.cached_tokens} + options.cache_write_tokens;
  plan.usage.prompt_tokens = std::max<uint64_t>(request.prompt_tokens, cache_tokens);
  plan.usage.cached_tokens = options.cached_tokens;
  plan.usage.cache_write_tokens = options.cache_write_tokens;
  plan.usage.invalid = options.bad_usage;
  plan.usage.reasoning_tokens = uint64_t{options.reasoning_tokens} + options.thinking_tokens;
  plan.usage.completion_tokens = uint64_t{plan.tokens} * plan.choices + plan.usage.reasoning_tokens;
  plan.disconnect_after = options.disconnect_after;
  plan.ttft_us = int64_t{options.ttft_ms} * 1000;
  plan.early_head = options.early_head;
  plan.interval_us = options.TokenIntervalUs();
  plan.stream_error_after = options.stream_error_after;
  if (options.tool_call && api == Api::kChat && !request.after_tool_result) {
    plan.tool_call =
        PickToolCall(ToolDialect::kOpenAi, request.tools, request.tool_choice, plan.seed);
  }
  if (plan.tool_call) {
    plan.tokens = static_cast<uint32_t>(SplitPieces(plan.tool_call->input, kToolPieceBytes).size());
    plan.finish_reason = "tool_calls";
    plan.usage.completion_tokens =
        uint64_t{plan.tokens} * plan.choices + plan.usage.reasoning_tokens;
  }
  return plan;
}

std::string CompletionPlan::ToolCallId(uint32_t choice) const {
  const std::string_view number = std::string_view(id).substr(id.rfind('-') + 1);  // npos+1 = 0
  std::string out = "call_sim_";
  out += number;
  if (choice > 0) {
    out += '_';
    out += std::to_string(choice);
  }
  return out;
}

std::string BuildWholeBody(const CompletionPlan& plan) {
  std::vector<std::string> texts;
  std::vector<ChoiceText> choices;
  std::vector<ToolCallText> calls;
  texts.reserve(plan.choices);
  choices.reserve(plan.choices);
  calls.reserve(plan.choices);
  for (uint32_t i = 0; i < plan.choices; ++i) {
    if (plan.tool_call) {
      texts.push_back(plan.ToolCallId(i));
      calls.push_back({texts.back(), plan.tool_call->name, plan.tool_call->input});
      choices.push_back({"", plan.finish_reason, &calls.back()});
    } else {
      texts.push_back(GenerateText(plan.seed, i, plan.tokens));
      choices.push_back({texts.back(), plan.finish_reason});
    }
  }
  std::string body =
      BuildCompletionBody(plan.Identity(), choices, plan.report_usage ? &plan.usage : nullptr);
  if (plan.malformed) body.resize(body.size() / 2);
  return body;
}

StreamComposer::StreamComposer(const CompletionPlan& plan)
    : plan_(plan), writer_(plan.Identity(), plan.include_usage && plan.report_usage) {
  generators_.reserve(plan.choices);
  for (uint32_t i = 0; i < plan.choices; ++i) generators_.emplace_back(plan.seed, i);
  if (plan.tool_call) pieces_ = SplitPieces(plan.tool_call->input, kToolPieceBytes);
}

void StreamComposer::AppendOpening(std::string& out) {
  for (uint32_t i = 0; i < plan_.choices; ++i) {
    if (plan_.tool_call) {
      const std::string id = plan_.ToolCallId(i);
      writer_.AppendToolCallStart(out, i, {id, plan_.tool_call->name, ""});
    } else {
      writer_.AppendRole(out, i);
    }
  }
  if (plan_.malformed) ChunkWriter::AppendMalformed(out);
}

bool StreamComposer::AppendContentChunk(std::string& out) {
  if (!has_more()) return false;
  const uint32_t choice = static_cast<uint32_t>(produced_ % plan_.choices);
  if (plan_.tool_call) {
    writer_.AppendToolCallArguments(out, choice, pieces_[next_position()]);
  } else {
    writer_.AppendToken(out, choice, generators_[choice].Next());
  }
  ++produced_;
  return true;
}

void StreamComposer::AppendClosing(std::string& out) {
  for (uint32_t i = 0; i < plan_.choices; ++i) writer_.AppendFinish(out, i, plan_.finish_reason);
  if (plan_.include_usage && plan_.report_usage) writer_.AppendUsage(out, plan_.usage);
  ChunkWriter::AppendDone(out);
}

void StreamComposer::AppendStreamError(std::string& out) { AppendMidStreamError(out); }

}  // namespace gw::simulator

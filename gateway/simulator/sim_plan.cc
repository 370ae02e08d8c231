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
  plan.usage.prompt_tokens = std::max<uint64_t>(request.prompt_tokens, options.cached_tokens);
  plan.usage.cached_tokens = options.cached_tokens;
  plan.usage.invalid = options.bad_usage;
  plan.usage.reasoning_tokens = options.reasoning_tokens;
  plan.usage.completion_tokens =
      uint64_t{plan.tokens} * plan.choices + uint64_t{options.reasoning_tokens};
  plan.disconnect_after = options.disconnect_after;
  plan.ttft_us = int64_t{options.ttft_ms} * 1000;
  plan.early_head = options.early_head;
  plan.interval_us = options.TokenIntervalUs();
  return plan;
}

std::string BuildWholeBody(const CompletionPlan& plan) {
  std::vector<std::string> texts;
  std::vector<ChoiceText> choices;
  texts.reserve(plan.choices);
  choices.reserve(plan.choices);
  for (uint32_t i = 0; i < plan.choices; ++i) {
    texts.push_back(GenerateText(plan.seed, i, plan.tokens));
    choices.push_back({texts.back(), plan.finish_reason});
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
}

void StreamComposer::AppendOpening(std::string& out) const {
  for (uint32_t i = 0; i < plan_.choices; ++i) writer_.AppendRole(out, i);
  if (plan_.malformed) ChunkWriter::AppendMalformed(out);
}

bool StreamComposer::AppendContentChunk(std::string& out) {
  if (!has_more()) return false;
  const uint32_t choice = static_cast<uint32_t>(produced_ % plan_.choices);
  writer_.AppendToken(out, choice, generators_[choice].Next());
  ++produced_;
  return true;
}

void StreamComposer::AppendClosing(std::string& out) const {
  for (uint32_t i = 0; i < plan_.choices; ++i) writer_.AppendFinish(out, i, plan_.finish_reason);
  if (plan_.include_usage && plan_.report_usage) writer_.AppendUsage(out, plan_.usage);
  ChunkWriter::AppendDone(out);
}

}  // namespace gw::simulator

// The applications of the demo traffic (docs/demo-traffic.md): who sends it, how much, with
// which prompts, languages and tools, and which models they favour. Static data read by the
// traffic model (demo_traffic_model.h) and the body builder (demo_chat_body.h); any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "config/task_category.h"
#include "gateway/demo_prompts.h"

namespace gw::demo {

// One kind of request an app sends: its category (and topic), how often, and its prompt size
// when it differs from the app's.
struct AppTask {
  config::TaskCategory category = config::TaskCategory::kOther;
  double weight = 1;
  Topic topic = Topic::kGeneral;
  uint32_t prompt_min = 0, prompt_max = 0;  // prompt tokens (log-uniform); 0 = the app's
};

struct AppLanguage {
  Language language = Language::kEnglish;
  double weight = 1;
};

// Where a request's text beyond its own words goes, to reach the planned prompt size (the
// results of tool calls always take it when the conversation has some).
enum class Padding : uint8_t {
  kPasted,         // pasted after the latest request (code, passages); else earlier turns
  kSystemContext,  // retrieved passages appended to the system prompt (retrieval apps)
  kHistory,        // earlier turns of the conversation (chats)
};

// One application sending traffic (the X-Title / HTTP-Referer headers the rankings group by).
struct DemoApp {
  std::string title;    // X-Title; "" = unattributed traffic (no app headers at all)
  std::string referer;  // HTTP-Referer
  double share = 0;     // base share of the day's requests
  double weekday = 1;   // volume factor Monday-Friday
  double weekend = 1;   // volume factor Saturday-Sunday
  uint32_t prompt_min = 0, prompt_max = 0;  // prompt tokens (log-uniform)
  uint32_t answer_min = 0, answer_max = 0;  // max_tokens (log-uniform)
  double stream_probability = 0;
  double price_preference = 0;         // > 0 favours expensive models, < 0 cheap ones
  double open_weights_preference = 0;  // > 0 favours open-weight models, < 0 proprietary ones
  double reasoning_preference = 0;     // > 0 favours reasoning models
  std::vector<std::string> users;
  std::vector<std::string_view> system_prompts;  // one per request, drawn; "" = none
  std::vector<AppTask> tasks;                    // the kinds of request, drawn by weight
  std::vector<AppLanguage> languages;            // drawn by weight among those the task has text in
  Padding padding = Padding::kPasted;
  ToolKit tools = ToolKit::kNone;
  double tools_probability = 0;               // share of the requests that offer the tools
  double tool_result_probability = 0;         // of those, the share that end with a tool's result
  uint32_t history_min = 0, history_max = 0;  // earlier user-assistant exchanges (uniform)
};

// The apps of the demo, in a fixed order (DemoRequest::app indexes it). The last one is the
// unattributed traffic. An app with a single task declares its category in
// config/examples/demo.yaml or leaves it to the classifier; both give the same category.
const std::vector<DemoApp>& DemoApps();

}  // namespace gw::demo

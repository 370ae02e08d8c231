// The traffic model of `gateway demo-traffic`: weeks of realistic, backdated requests (which
// model, which app, which user, when, what kind of prompt in which language, how long a prompt
// and an answer, with or without tools) planned up front from a seed. Pure and deterministic:
// the same models and options always give the same plan, on any machine. Used by
// demo_traffic_command.cc; any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "config/config.h"
#include "config/task_category.h"
#include "gateway/demo_apps.h"
#include "gateway/demo_prompts.h"

namespace gw::demo {

// What the model needs to know about one configured model.
struct DemoModel {
  std::string id;
  uint32_t context_length = 0;  // 0 = unknown (prompts are not clamped)
  int64_t created = 0;          // unix seconds; the newest becomes the trending newcomer
  int64_t price = 0;  // cheapest endpoint's prompt + completion price; premium apps favour high
  bool open_weights = false;  // apps lean towards or away from open-weight models
  bool reasoning = false;     // and towards or away from reasoning ones
};

// The models of `config`, in its order, for PlanDemoTraffic.
std::vector<DemoModel> DemoModelsOf(const config::Config& config);

struct TrafficOptions {
  uint32_t weeks = 12;
  uint32_t requests_per_day = 300;  // mean over the whole span: total = weeks * 7 * this
  uint64_t seed = 1;
  int64_t end_day = 0;       // UTC epoch day of the last day (inclusive)
  int64_t not_after_ms = 0;  // no request at or after this time (e.g. now); 0 = no cap
};

struct DemoRequest {
  int64_t created_at_ms = 0;  // the backdated arrival time (X-Gateway-Demo-Time)
  uint32_t model = 0;         // index into the models given to PlanDemoTraffic
  uint32_t app = 0;           // index into DemoApps()
  // The planned prompt size as the simulator counts it (content bytes / 4); a body whose own
  // words are longer is that much longer (demo_chat_body.h).
  uint32_t prompt_tokens = 0;
  uint32_t max_tokens = 0;
  bool stream = false;
  uint64_t text_seed = 0;
  std::string user;  // the body's `user`; "" = none
  // What the prompt is: its task, the language it is written in, the earlier exchanges of its
  // conversation (at least; more when the size needs them), and its tools.
  config::TaskCategory category = config::TaskCategory::kOther;
  Topic topic = Topic::kGeneral;
  Language language = Language::kEnglish;
  uint8_t history = 0;
  bool tools = false;             // offers the app's tools
  bool tool_result_last = false;  // ends with a tool's result: the answer is text, not a call
};

inline constexpr uint32_t kNoModel = 0xFFFFFFFF;

struct TrafficPlan {
  int64_t first_day = 0;  // UTC epoch days, inclusive
  int64_t last_day = 0;
  uint32_t trending_model = kNoModel;  // no traffic before trending_start_day, then a steep rise
  int64_t trending_start_day = 0;
  uint32_t declining_model = kNoModel;  // loses most of its share over the span
  uint32_t rising_model = kNoModel;     // gains steadily
  std::vector<DemoRequest> requests;    // chronological
};

// Plans options.weeks * 7 * options.requests_per_day requests over the weeks * 7 days ending on
// options.end_day: every model and app is used; the daily volume grows over the span, dips at
// weekends and follows a daily curve (UTC); each app has its own tasks, languages, tools, model
// mix, users, prompt and answer sizes and share of streams. `models` must not be empty.
TrafficPlan PlanDemoTraffic(const std::vector<DemoModel>& models, const TrafficOptions& options);

}  // namespace gw::demo

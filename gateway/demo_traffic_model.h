// The traffic model of `gateway demo-traffic`: weeks of realistic, backdated requests (which
// model, which app, which user, when, how long a prompt and an answer) planned up front from a
// seed, plus the chat body of each. Pure and deterministic: the same models and options always
// give the same plan, on any machine. Used by demo_traffic_command.cc; any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gw::demo {

// What the model needs to know about one configured model.
struct DemoModel {
  std::string id;
  uint32_t context_length = 0;  // 0 = unknown (prompts are not clamped)
  int64_t created = 0;          // unix seconds; the newest becomes the trending newcomer
  int64_t price = 0;  // cheapest endpoint's prompt + completion price; premium apps favour high
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
  double price_preference = 0;  // > 0 favours expensive models, < 0 cheap ones
  std::vector<std::string> users;
  std::string system_prompt;
};

// The apps of the demo, in a fixed order (DemoRequest::app indexes it). The last one is the
// unattributed traffic.
const std::vector<DemoApp>& DemoApps();

struct TrafficOptions {
  uint32_t weeks = 12;
  uint32_t requests_per_day = 300;  // mean over the whole span: total = weeks * 7 * this
  uint64_t seed = 1;
  int64_t end_day = 0;       // UTC epoch day of the last day (inclusive)
  int64_t not_after_ms = 0;  // no request at or after this time (e.g. now); 0 = no cap
};

struct DemoRequest {
  int64_t created_at_ms = 0;   // the backdated arrival time (X-Gateway-Demo-Time)
  uint32_t model = 0;          // index into the models given to PlanDemoTraffic
  uint32_t app = 0;            // index into DemoApps()
  uint32_t prompt_tokens = 0;  // prompt size as the simulator counts it (content bytes / 4)
  uint32_t max_tokens = 0;
  bool stream = false;
  uint64_t text_seed = 0;
  std::string user;  // the body's `user`; "" = none
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
// weekends and follows a daily curve (UTC); each app has its own model mix, users, prompt and
// answer sizes and share of streams. `models` must not be empty.
TrafficPlan PlanDemoTraffic(const std::vector<DemoModel>& models, const TrafficOptions& options);

// The JSON body of `request` for POST /v1/chat/completions with the public model id `model`:
// a system and a user message whose contents total about request.prompt_tokens * 4 bytes.
std::string BuildDemoChatBody(const DemoRequest& request, std::string_view model);

}  // namespace gw::demo

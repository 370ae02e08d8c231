#include "gateway/demo_traffic_model.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numeric>

#include "gateway/demo_random.h"

namespace gw::demo {
namespace {

constexpr int64_t kDayMs = 86'400'000;
constexpr int64_t kHourMs = 3'600'000;

// Requests per UTC hour, relative: quiet nights, a European morning, a long American afternoon.
constexpr std::array<double, 24> kHourly = {1.0, 0.9, 0.8, 0.8, 0.9, 1.2, 1.7, 2.4,
                                            3.1, 3.6, 3.9, 4.0, 4.2, 4.8, 5.4, 5.7,
                                            5.6, 5.1, 4.4, 3.6, 2.8, 2.1, 1.6, 1.2};

bool IsWeekend(int64_t epoch_day) {
  const int64_t monday_based = ((epoch_day + 3) % 7 + 7) % 7;  // 1970-01-01 was a Thursday
  return monday_based >= 5;
}

// Milliseconds of UTC hour `hour` of `day` that fall before `not_after_ms` (0 = no cap).
int64_t HourOverlap(int64_t day, int hour, int64_t not_after_ms) {
  const int64_t start = day * kDayMs + hour * kHourMs;
  const int64_t end = not_after_ms > 0 ? std::min(start + kHourMs, not_after_ms) : start + kHourMs;
  return std::max<int64_t>(0, end - start);
}

// The part of a day's usual traffic that falls before the cap (1 for a whole day).
double DayFraction(int64_t day, int64_t not_after_ms) {
  double within = 0;
  for (int hour = 0; hour < 24; ++hour) {
    within += kHourly[hour] * static_cast<double>(HourOverlap(day, hour, not_after_ms)) / kHourMs;
  }
  return within / std::accumulate(kHourly.begin(), kHourly.end(), 0.0);
}

int64_t PickTime(int64_t day, int64_t not_after_ms, Rng& rng) {
  std::vector<double> weights(24);
  for (int hour = 0; hour < 24; ++hour) {
    weights[hour] = kHourly[hour] * static_cast<double>(HourOverlap(day, hour, not_after_ms));
  }
  const int hour = static_cast<int>(rng.Pick(weights));
  const int64_t overlap = std::max<int64_t>(1, HourOverlap(day, hour, not_after_ms));
  return day * kDayMs + hour * kHourMs + static_cast<int64_t>(rng.Below(overlap));
}

// Splits `total` over the weights, proportionally, rounding by the largest remainders: the
// counts always add up to `total` exactly.
std::vector<uint64_t> Apportion(uint64_t total, const std::vector<double>& weights) {
  const double sum = std::accumulate(weights.begin(), weights.end(), 0.0);
  std::vector<uint64_t> counts(weights.size(), 0);
  if (sum <= 0 || weights.empty()) return counts;
  std::vector<std::pair<double, size_t>> remainders;
  uint64_t given = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    const double exact = static_cast<double>(total) * weights[i] / sum;
    counts[i] = static_cast<uint64_t>(std::floor(exact));
    given += counts[i];
    remainders.emplace_back(exact - std::floor(exact), i);
  }
  std::stable_sort(remainders.begin(), remainders.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (size_t i = 0; given < total; ++i, ++given) ++counts[remainders[i % weights.size()].second];
  return counts;
}

// Index of the model with the newest (or oldest) `created` among those not yet taken; ties go
// to the later (earlier) one in the config.
uint32_t PickByCreated(const std::vector<DemoModel>& models, const std::vector<bool>& taken,
                       bool newest) {
  uint32_t best = kNoModel;
  for (uint32_t i = 0; i < models.size(); ++i) {
    if (taken[i]) continue;
    if (best == kNoModel || (newest ? models[i].created >= models[best].created
                                    : models[i].created < models[best].created)) {
      best = i;
    }
  }
  return best;
}

struct Roles {
  uint32_t trending = kNoModel, declining = kNoModel, rising = kNoModel;
};

Roles PickRoles(const std::vector<DemoModel>& models) {
  Roles roles;
  std::vector<bool> taken(models.size(), false);
  const auto take = [&taken](uint32_t index) {
    if (index != kNoModel) taken[index] = true;
    return index;
  };
  if (models.size() >= 2) roles.trending = take(PickByCreated(models, taken, true));
  if (models.size() >= 3) roles.declining = take(PickByCreated(models, taken, false));
  if (models.size() >= 4) roles.rising = take(PickByCreated(models, taken, true));
  return roles;
}

// How much of its usual traffic a model gets on `day` (the trend lines of the charts).
double TimeFactor(const TrafficPlan& plan, uint32_t model, int64_t day) {
  const int64_t span = plan.last_day - plan.first_day;
  const double progress = span > 0 ? static_cast<double>(day - plan.first_day) / span : 1.0;
  if (model == plan.trending_model) {
    if (day < plan.trending_start_day) return 0;
    const double ramp = static_cast<double>(day - plan.trending_start_day + 1) /
                        static_cast<double>(plan.last_day - plan.trending_start_day + 1);
    return 0.1 + 2.3 * std::pow(ramp, 1.2);
  }
  if (model == plan.declining_model) return 1.7 - 1.45 * progress;
  if (model == plan.rising_model) return 0.45 + 1.4 * progress;
  return 1.0;
}

// affinity[app][model]: how much each app likes each model, before the trends.
std::vector<std::vector<double>> Affinities(const std::vector<DemoModel>& models,
                                            const TrafficPlan& plan, uint64_t seed) {
  const std::vector<DemoApp>& apps = DemoApps();
  const size_t n = models.size();
  // Rank of each model by price, 0 = cheapest, scaled to 0..1.
  std::vector<uint32_t> by_price(n);
  std::iota(by_price.begin(), by_price.end(), 0u);
  std::stable_sort(by_price.begin(), by_price.end(),
                   [&models](uint32_t a, uint32_t b) { return models[a].price < models[b].price; });
  std::vector<double> tier(n, 0.5);
  for (size_t rank = 0; rank < n && n > 1; ++rank) tier[by_price[rank]] = double(rank) / (n - 1);

  std::vector<std::vector<double>> affinity(apps.size(), std::vector<double>(n, 0));
  for (size_t a = 0; a < apps.size(); ++a) {
    Rng rng(Mix(seed, 0xA5500000ull + a));
    for (size_t m = 0; m < n; ++m) {
      // Popularity falls with the position in the config; the trending model is as popular as
      // the first once it is out.
      const double popularity =
          m == plan.trending_model ? 1.0 : 1.0 / std::pow(static_cast<double>(m + 1), 0.6);
      const double leaning =
          apps[a].price_preference * (tier[m] - 0.5) * 2.5 +
          apps[a].open_weights_preference * (models[m].open_weights ? 0.5 : -0.5) +
          apps[a].reasoning_preference * (models[m].reasoning ? 0.5 : -0.5);
      affinity[a][m] = popularity * std::exp(leaning) * (0.6 + 0.8 * rng.Uniform());
    }
    // Attributed apps skip about a quarter of the models: half of those they like less than
    // the median (never the special ones), keeping at least three. Unattributed traffic uses
    // every model.
    if (apps[a].title.empty()) continue;
    std::vector<double> sorted = affinity[a];
    std::nth_element(sorted.begin(), sorted.begin() + n / 2, sorted.end());
    const double median = sorted[n / 2];
    size_t kept = n;
    for (size_t m = 0; m < n; ++m) {
      const bool special =
          m == plan.trending_model || m == plan.declining_model || m == plan.rising_model;
      if (!special && kept > 3 && affinity[a][m] < median && rng.Uniform() < 0.5) {
        affinity[a][m] = 0;
        --kept;
      }
    }
  }
  return affinity;
}

uint32_t LogUniformCount(Rng& rng, uint32_t lo, uint32_t hi) {
  lo = std::max(1u, lo);
  return static_cast<uint32_t>(std::lround(rng.LogUniform(lo, std::max(lo, hi))));
}

// The language of a request of `task`: one of the app's, drawn by weight among those the task
// has text in; else English; else the one its text is in (kNone for "hi" and "test").
Language PickLanguage(const DemoApp& app, const AppTask& task, Rng& rng) {
  std::vector<double> weights;
  for (const AppLanguage& language : app.languages) {
    const bool written = FindTopicText(task.category, task.topic, language.language) != nullptr;
    weights.push_back(written ? language.weight : 0);
  }
  const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
  const size_t pick = rng.Pick(weights);
  if (total > 0) return app.languages[pick].language;
  if (FindTopicText(task.category, task.topic, Language::kEnglish)) return Language::kEnglish;
  for (const TopicText& text : AllTopicTexts()) {
    if (text.category == task.category && text.topic == task.topic) return text.language;
  }
  return Language::kEnglish;
}

void FillRequest(const std::vector<DemoModel>& models, const DemoApp& app, Rng& rng,
                 DemoRequest& request) {
  std::vector<double> task_weights;
  for (const AppTask& task : app.tasks) task_weights.push_back(task.weight);
  const AppTask& task = app.tasks[rng.Pick(task_weights)];
  request.category = task.category;
  request.topic = task.topic;
  request.language = PickLanguage(app, task, rng);
  request.history =
      static_cast<uint8_t>(app.history_min + rng.Below(std::max(app.history_min, app.history_max) -
                                                       app.history_min + 1));
  request.tools = app.tools != ToolKit::kNone && rng.Uniform() < app.tools_probability;
  request.tool_result_last = request.tools && rng.Uniform() < app.tool_result_probability;

  request.max_tokens = LogUniformCount(rng, app.answer_min, app.answer_max);
  request.prompt_tokens = task.prompt_max > 0
                              ? LogUniformCount(rng, task.prompt_min, task.prompt_max)
                              : LogUniformCount(rng, app.prompt_min, app.prompt_max);
  // Keep within the model's context with room to spare (the gateway estimates the prompt from
  // the body's size, JSON included).
  const uint32_t context = models[request.model].context_length;
  if (context > 0) {
    request.max_tokens = std::min(request.max_tokens, std::max(1u, context / 4));
    const int64_t room = static_cast<int64_t>(context) * 6 / 10 - request.max_tokens;
    request.prompt_tokens = static_cast<uint32_t>(
        std::clamp<int64_t>(request.prompt_tokens, 1, std::max<int64_t>(room, 8)));
  }
  request.stream = rng.Uniform() < app.stream_probability;
  // Users follow a rough power law: the first of an app's users sends the most. A fifth of
  // the requests name no user.
  if (!app.users.empty() && rng.Uniform() >= 0.2) {
    std::vector<double> weights;
    for (size_t i = 0; i < app.users.size(); ++i) weights.push_back(1.0 / (i + 1));
    request.user = app.users[rng.Pick(weights)];
  }
  request.text_seed = rng.Next();
}

}  // namespace

std::vector<DemoModel> DemoModelsOf(const config::Config& config) {
  std::vector<DemoModel> models;
  for (const config::ModelConfig& model : config.models) {
    DemoModel demo_model;
    demo_model.id = model.id;
    demo_model.created = model.created;
    demo_model.open_weights = model.open_weights;
    demo_model.reasoning = model.reasoning;
    demo_model.price = std::numeric_limits<int64_t>::max();
    for (const config::EndpointConfig& endpoint : model.endpoints) {
      const uint32_t context =
          endpoint.context_length != 0 ? endpoint.context_length : model.context_length;
      demo_model.context_length = std::max(demo_model.context_length, context);
      demo_model.price =
          std::min(demo_model.price, endpoint.pricing.prompt + endpoint.pricing.completion);
    }
    models.push_back(std::move(demo_model));
  }
  return models;
}

TrafficPlan PlanDemoTraffic(const std::vector<DemoModel>& models, const TrafficOptions& options) {
  TrafficPlan plan;
  const int64_t days = static_cast<int64_t>(options.weeks) * 7;
  plan.last_day = options.end_day;
  plan.first_day = options.end_day - days + 1;
  if (models.empty() || days <= 0) return plan;
  const Roles roles = PickRoles(models);
  plan.trending_model = roles.trending;
  plan.declining_model = roles.declining;
  plan.rising_model = roles.rising;
  plan.trending_start_day = plan.first_day + days / 2;
  const std::vector<DemoApp>& apps = DemoApps();
  const std::vector<std::vector<double>> affinity = Affinities(models, plan, options.seed);

  // The day's volume: 2.2x growth over the span, the weekend dip (the apps' own weekday and
  // weekend factors, weighted by their shares), +-12% noise, and a partial last day.
  double weekday_volume = 0, weekend_volume = 0;
  for (const DemoApp& app : apps) {
    weekday_volume += app.share * app.weekday;
    weekend_volume += app.share * app.weekend;
  }
  std::vector<double> day_weights;
  for (int64_t day = plan.first_day; day <= plan.last_day; ++day) {
    const double progress = days > 1 ? double(day - plan.first_day) / double(days - 1) : 1.0;
    Rng rng(Mix(options.seed, 0xDA700000ull + static_cast<uint64_t>(day)));
    day_weights.push_back(std::pow(2.2, progress) *
                          (IsWeekend(day) ? weekend_volume : weekday_volume) *
                          (0.88 + 0.24 * rng.Uniform()) * DayFraction(day, options.not_after_ms));
  }
  const std::vector<uint64_t> per_day =
      Apportion(static_cast<uint64_t>(days) * options.requests_per_day, day_weights);

  for (int64_t day = plan.first_day; day <= plan.last_day; ++day) {
    Rng rng(Mix(options.seed, static_cast<uint64_t>(day)));
    std::vector<double> app_weights;
    for (const DemoApp& app : apps) {
      app_weights.push_back(app.share * (IsWeekend(day) ? app.weekend : app.weekday));
    }
    std::vector<std::vector<double>> model_weights(apps.size());
    for (size_t a = 0; a < apps.size(); ++a) {
      for (uint32_t m = 0; m < models.size(); ++m) {
        model_weights[a].push_back(affinity[a][m] * TimeFactor(plan, m, day));
      }
    }
    for (uint64_t k = 0; k < per_day[day - plan.first_day]; ++k) {
      DemoRequest request;
      request.app = static_cast<uint32_t>(rng.Pick(app_weights));
      request.model = static_cast<uint32_t>(rng.Pick(model_weights[request.app]));
      request.created_at_ms = PickTime(day, options.not_after_ms, rng);
      FillRequest(models, apps[request.app], rng, request);
      plan.requests.push_back(std::move(request));
    }
  }
  std::stable_sort(
      plan.requests.begin(), plan.requests.end(),
      [](const DemoRequest& a, const DemoRequest& b) { return a.created_at_ms < b.created_at_ms; });
  return plan;
}

}  // namespace gw::demo

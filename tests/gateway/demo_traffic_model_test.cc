#include "gateway/demo_traffic_model.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "accounting/ledger/insights_reports.h"
#include "accounting/ledger/utc_time.h"
#include "gateway/demo_chat_body.h"
#include "tests/gateway/demo_yaml.h"

namespace gw::demo {
namespace {

constexpr int64_t kDayMs = 86'400'000;

using testing::DemoYamlModels;

TrafficOptions Options(uint64_t seed = 1) {
  TrafficOptions options;
  options.seed = seed;
  options.end_day = *accounting::ParseDay("2026-03-15");  // a Sunday
  return options;
}

int64_t Day(const DemoRequest& request) { return request.created_at_ms / kDayMs; }
bool IsWeekend(int64_t day) { return (day + 3) % 7 >= 5; }

TEST(DemoTrafficModelTest, IsDeterministicForASeed) {
  const TrafficPlan a = PlanDemoTraffic(DemoYamlModels(), Options(7));
  const TrafficPlan b = PlanDemoTraffic(DemoYamlModels(), Options(7));
  ASSERT_EQ(a.requests.size(), b.requests.size());
  for (size_t i = 0; i < a.requests.size(); ++i) {
    const DemoRequest& x = a.requests[i];
    const DemoRequest& y = b.requests[i];
    ASSERT_EQ(x.created_at_ms, y.created_at_ms) << i;
    ASSERT_EQ(x.model, y.model) << i;
    ASSERT_EQ(x.app, y.app) << i;
    ASSERT_EQ(x.user, y.user) << i;
    ASSERT_EQ(x.prompt_tokens, y.prompt_tokens) << i;
    ASSERT_EQ(x.max_tokens, y.max_tokens) << i;
    ASSERT_EQ(x.stream, y.stream) << i;
    ASSERT_EQ(BuildDemoChatBody(x, "m"), BuildDemoChatBody(y, "m")) << i;
  }
  const TrafficPlan other = PlanDemoTraffic(DemoYamlModels(), Options(8));
  size_t same_time = 0;
  for (size_t i = 0; i < other.requests.size() && i < a.requests.size(); ++i) {
    if (other.requests[i].created_at_ms == a.requests[i].created_at_ms) ++same_time;
  }
  EXPECT_LT(same_time, a.requests.size() / 10) << "another seed, another plan";
}

TEST(DemoTrafficModelTest, SendsTheConfiguredVolumeOverEveryDay) {
  const TrafficOptions options = Options();
  const TrafficPlan plan = PlanDemoTraffic(DemoYamlModels(), options);
  EXPECT_EQ(plan.requests.size(), 12u * 7u * 300u);
  EXPECT_EQ(plan.last_day, options.end_day);
  EXPECT_EQ(plan.first_day, options.end_day - 83);
  std::set<int64_t> days;
  for (size_t i = 0; i < plan.requests.size(); ++i) {
    const int64_t day = Day(plan.requests[i]);
    ASSERT_GE(day, plan.first_day);
    ASSERT_LE(day, plan.last_day);
    if (i > 0) {
      ASSERT_LE(plan.requests[i - 1].created_at_ms, plan.requests[i].created_at_ms);
    }
    days.insert(day);
  }
  EXPECT_EQ(days.size(), 84u);

  TrafficOptions small = Options();
  small.weeks = 3;
  small.requests_per_day = 20;
  EXPECT_EQ(PlanDemoTraffic(DemoYamlModels(), small).requests.size(), 3u * 7u * 20u);
}

TEST(DemoTrafficModelTest, NothingAfterTheCapAndTheVolumeStillExact) {
  TrafficOptions options = Options();
  options.not_after_ms = options.end_day * kDayMs + 9 * 3'600'000 + 123;  // 09:00 on the last day
  const TrafficPlan plan = PlanDemoTraffic(DemoYamlModels(), options);
  EXPECT_EQ(plan.requests.size(), 12u * 7u * 300u);
  size_t last_day = 0;
  for (const DemoRequest& request : plan.requests) {
    ASSERT_LT(request.created_at_ms, options.not_after_ms);
    if (Day(request) == options.end_day) ++last_day;
  }
  // 9 quiet hours of a day: some traffic, but well under a whole day's.
  EXPECT_GT(last_day, 0u);
  EXPECT_LT(last_day, 150u);
}

TEST(DemoTrafficModelTest, UsesEveryModelAndAppAndSeveralUsers) {
  const std::vector<DemoModel> models = DemoYamlModels();
  const TrafficPlan plan = PlanDemoTraffic(models, Options());
  std::map<uint32_t, size_t> per_model, per_app;
  std::set<std::string> users;
  size_t streams = 0;
  for (const DemoRequest& request : plan.requests) {
    ++per_model[request.model];
    ++per_app[request.app];
    if (!request.user.empty()) users.insert(request.user);
    if (request.stream) ++streams;
  }
  EXPECT_EQ(per_model.size(), models.size());
  for (const auto& [model, count] : per_model) EXPECT_GE(count, 200u) << models[model].id;
  EXPECT_EQ(per_app.size(), DemoApps().size());
  EXPECT_GE(DemoApps().size(), 7u);
  EXPECT_TRUE(DemoApps().back().title.empty()) << "the last app is the unattributed traffic";
  EXPECT_GE(users.size(), 15u);
  EXPECT_GT(streams, plan.requests.size() / 10);
  EXPECT_LT(streams, plan.requests.size() * 7 / 10);
}

TEST(DemoTrafficModelTest, WeekendsAreQuieterAndTrafficGrows) {
  const TrafficPlan plan = PlanDemoTraffic(DemoYamlModels(), Options());
  std::map<int64_t, size_t> per_day;
  for (const DemoRequest& request : plan.requests) ++per_day[Day(request)];
  double weekday = 0, weekend = 0;
  size_t weekdays = 0, weekends = 0;
  for (const auto& [day, count] : per_day) {
    if (IsWeekend(day)) {
      weekend += count;
      ++weekends;
    } else {
      weekday += count;
      ++weekdays;
    }
  }
  ASSERT_EQ(weekends, 24u);
  EXPECT_LT(weekend / weekends, 0.8 * weekday / weekdays);

  size_t first_week = 0, last_week = 0;
  for (const auto& [day, count] : per_day) {
    if (day < plan.first_day + 7) first_week += count;
    if (day > plan.last_day - 7) last_week += count;
  }
  EXPECT_GT(last_week, first_week * 3 / 2);
}

TEST(DemoTrafficModelTest, TheNewestModelTrendsAndTheOldestDeclines) {
  const std::vector<DemoModel> models = DemoYamlModels();
  const TrafficPlan plan = PlanDemoTraffic(models, Options());
  ASSERT_NE(plan.trending_model, kNoModel);
  EXPECT_EQ(models[plan.trending_model].id, "deepseek/deepseek-r1");
  EXPECT_EQ(models[plan.declining_model].id, "google/gemma-2-9b-it");
  EXPECT_EQ(models[plan.rising_model].id, "deepseek/deepseek-chat");
  EXPECT_EQ(plan.trending_start_day, plan.first_day + 42);

  // Requests per model in each week.
  std::map<uint32_t, std::vector<size_t>> weekly;
  std::vector<size_t> week_totals(12, 0);
  for (const DemoRequest& request : plan.requests) {
    auto& weeks = weekly[request.model];
    weeks.resize(12, 0);
    const int64_t week = (Day(request) - plan.first_day) / 7;
    ++weeks[week];
    ++week_totals[week];
    if (request.model == plan.trending_model) {
      ASSERT_GE(Day(request), plan.trending_start_day) << "the newcomer starts mid-way";
    }
  }
  const std::vector<size_t>& trending = weekly[plan.trending_model];
  EXPECT_GT(trending[6], 0u);
  EXPECT_GT(trending[11], trending[6] * 4) << "a steep rise";
  // By the last week it is one of the top three models.
  size_t above = 0;
  for (const auto& [model, weeks] : weekly) {
    if (model != plan.trending_model && weeks[11] > trending[11]) ++above;
  }
  EXPECT_LT(above, 3u);

  const auto share = [&](uint32_t model, int week) {
    return static_cast<double>(weekly[model][week]) / week_totals[week];
  };
  EXPECT_GT(share(plan.declining_model, 0), 3 * share(plan.declining_model, 11));
  EXPECT_GT(share(plan.rising_model, 11), 1.5 * share(plan.rising_model, 0));
}

TEST(DemoTrafficModelTest, AppsHaveTheirOwnMixAndSizes) {
  const std::vector<DemoModel> models = DemoYamlModels();
  const TrafficPlan plan = PlanDemoTraffic(models, Options());
  std::map<std::string, double> price_sum, prompt_sum, answer_sum;
  std::map<std::string, size_t> count;
  for (const DemoRequest& request : plan.requests) {
    const std::string& app = DemoApps()[request.app].title;
    price_sum[app] += static_cast<double>(models[request.model].price);
    prompt_sum[app] += request.prompt_tokens;
    answer_sum[app] += request.max_tokens;
    ++count[app];
    EXPECT_LE(request.prompt_tokens + request.max_tokens, models[request.model].context_length);
  }
  const auto mean = [&](std::map<std::string, double>& sums, const std::string& app) {
    return sums[app] / count[app];
  };
  EXPECT_GT(mean(price_sum, "CodePilot"), 1.5 * mean(price_sum, "Docs Search"));
  EXPECT_GT(mean(prompt_sum, "CodePilot"), 3 * mean(prompt_sum, "Sales Email Writer"));
  EXPECT_GT(mean(answer_sum, "StoryForge"), 3 * mean(answer_sum, "Docs Search"));
}

TEST(DemoTrafficModelTest, WorksWithFewModels) {
  const std::vector<DemoModel> one = {{"solo/model", 0, 0, 1, false, false}};
  const TrafficPlan plan = PlanDemoTraffic(one, Options());
  EXPECT_EQ(plan.requests.size(), 12u * 7u * 300u);
  EXPECT_EQ(plan.trending_model, kNoModel);
  const std::vector<DemoModel> two = {{"a/x", 0, 0, 1, false, false}, {"b/y", 0, 0, 2, true, true}};
  const TrafficPlan pair = PlanDemoTraffic(two, Options());
  std::set<uint32_t> used;
  for (const DemoRequest& request : pair.requests) used.insert(request.model);
  EXPECT_EQ(used.size(), 2u);
}

// Message contents as the simulator counts them (JSON escapes included).
size_t ContentBytes(const nlohmann::json& body) {
  size_t bytes = 0;
  for (const nlohmann::json& message : body["messages"]) {
    if (message["content"].is_string()) bytes += message["content"].dump().size() - 2;
  }
  return bytes;
}

TEST(DemoTrafficModelTest, BodiesAreChatRequestsOfThePlannedSize) {
  const std::vector<DemoModel> models = DemoYamlModels();
  const TrafficPlan plan = PlanDemoTraffic(models, Options());
  double planned = 0, sent = 0;
  size_t exact = 0, checked = 0;
  for (size_t i = 0; i < plan.requests.size(); i += 7) {
    const DemoRequest& request = plan.requests[i];
    const nlohmann::json body =
        nlohmann::json::parse(BuildDemoChatBody(request, "openai/gpt-4o-mini"));
    EXPECT_EQ(body["model"], "openai/gpt-4o-mini");
    EXPECT_EQ(body["max_tokens"], request.max_tokens);
    EXPECT_EQ(body.value("stream", false), request.stream);
    EXPECT_EQ(body.value("user", std::string()), request.user);
    EXPECT_EQ(body.contains("tools"), request.tools);
    ASSERT_GE(body["messages"].size(), 1u);
    // The simulator counts ceil(bytes / 4) prompt tokens: the planned number, or more when the
    // conversation's own words are longer.
    const size_t tokens = (ContentBytes(body) + 3) / 4;
    EXPECT_GE(tokens, request.prompt_tokens) << i;
    if (tokens == request.prompt_tokens) ++exact;
    planned += request.prompt_tokens;
    sent += static_cast<double>(tokens);
    ++checked;
  }
  EXPECT_GT(exact, checked * 6 / 10);
  EXPECT_LT(sent, planned * 1.15) << "own words rarely exceed the plan by much";
}

// The mix docs/demo-traffic.md documents ("The mix"), measured on the bodies of a whole plan
// over the demo config: tokens are prompt (as the simulator counts it) + max_tokens.
TEST(DemoTrafficModelTest, TheMixIsTheDocumentedOne) {
  const config::Config config = testing::DemoYamlConfig();
  const std::vector<DemoModel> models = DemoModelsOf(config);
  for (uint64_t seed : {1u, 2u}) {
    const TrafficPlan plan = PlanDemoTraffic(models, Options(seed));
    std::map<std::string, double> category_tokens, open_category_tokens, class_tokens, size_tokens,
        prompt_sum, prompt_count;
    std::map<std::string, double> language_requests;
    double tokens = 0, open_tokens = 0, tools = 0, calls = 0, tool_results = 0, multi_turn = 0,
           reasoning = 0;
    double requests = 0;
    for (size_t i = 0; i < plan.requests.size(); i += 3) {  // a third: the shares hold
      const DemoRequest& request = plan.requests[i];
      ++requests;
      const nlohmann::json body =
          nlohmann::json::parse(BuildDemoChatBody(request, models[request.model].id));
      const double prompt = static_cast<double>((ContentBytes(body) + 3) / 4);
      const double total = prompt + request.max_tokens;
      const config::ModelConfig& model = config.models[request.model];
      const std::string category(config::TaskCategoryName(request.category));
      tokens += total;
      category_tokens[category] += total;
      prompt_sum[category] += prompt;
      ++prompt_count[category];
      class_tokens[std::string(
          accounting::ModelClassOf(model.open_weights, model.origin_country))] += total;
      size_tokens[std::string(accounting::SizeClassOf(model.parameters_m))] += total;
      if (model.open_weights) {
        open_tokens += total;
        open_category_tokens[category] += total;
      }
      ++language_requests[std::string(LanguageCode(request.language))];
      tools += request.tools;
      calls += request.tools && !request.tool_result_last;
      multi_turn += body["messages"].size() > 2;
      for (const nlohmann::json& message : body["messages"]) {
        if (message["role"] == "tool") {
          ++tool_results;
          break;
        }
      }
      reasoning += model.reasoning;
    }
    const auto share = [](double part, double whole) { return 100 * part / whole; };
    SCOPED_TRACE("seed " + std::to_string(seed));

    // Programming: about half of the tokens, with prompts about 3x longer than the rest.
    EXPECT_GT(share(category_tokens["programming"], tokens), 44);
    EXPECT_LT(share(category_tokens["programming"], tokens), 56);
    double other_prompts = 0, other_count = 0;
    for (const auto& [category, sum] : prompt_sum) {
      if (category == "programming") continue;
      other_prompts += sum;
      other_count += prompt_count[category];
    }
    const double ratio =
        (prompt_sum["programming"] / prompt_count["programming"]) / (other_prompts / other_count);
    EXPECT_GT(ratio, 2.5);
    EXPECT_LT(ratio, 4);
    // Every category; roleplay the largest use of open-weight models and second overall.
    EXPECT_EQ(category_tokens.size(), config::kTaskCategoryCount);
    std::vector<std::pair<double, std::string>> open_ranked, ranked;
    for (const auto& [category, sum] : open_category_tokens)
      open_ranked.emplace_back(sum, category);
    for (const auto& [category, sum] : category_tokens) ranked.emplace_back(sum, category);
    std::sort(open_ranked.rbegin(), open_ranked.rend());
    std::sort(ranked.rbegin(), ranked.rend());
    EXPECT_EQ(open_ranked[0].second, "roleplay");
    EXPECT_EQ(ranked[1].second, "roleplay");
    EXPECT_GT(share(open_category_tokens["roleplay"], open_tokens), 25);

    // Mostly English, a tail of eight languages, a little with no language to tell.
    EXPECT_GT(share(language_requests["en"], requests), 75);
    EXPECT_LT(share(language_requests["en"], requests), 88);
    for (const char* language : {"zh", "es", "ru", "de", "fr", "ja", "pt", "ko"}) {
      EXPECT_GT(share(language_requests[language], requests), 0.4) << language;
      EXPECT_LT(share(language_requests[language], requests), 6) << language;
    }
    EXPECT_LT(share(language_requests[""], requests), 3);

    // Tools offered by about a quarter of the requests, about half of those calling one;
    // conversations of several turns, some carrying tool results.
    EXPECT_GT(share(tools, requests), 18);
    EXPECT_LT(share(tools, requests), 30);
    EXPECT_GT(share(calls, requests), 9);
    EXPECT_LT(share(calls, requests), 18);
    EXPECT_GT(share(tool_results, requests), 10);
    EXPECT_GT(share(multi_turn, requests), 50);

    // Reasoning models, and proprietary and open-weight models of every class and size.
    EXPECT_GT(share(reasoning, requests), 8);
    EXPECT_LT(share(reasoning, requests), 25);
    EXPECT_GT(share(class_tokens["proprietary"], tokens), 50);
    EXPECT_LT(share(class_tokens["proprietary"], tokens), 75);
    EXPECT_GT(share(class_tokens["open_weights_china"], tokens), 5);
    EXPECT_GT(share(class_tokens["open_weights_rest_of_world"], tokens), 10);
    for (const char* size : {"small", "medium", "large"}) {
      EXPECT_GT(share(size_tokens[size], tokens), 3) << size;
    }
  }
}

// The apps config/examples/demo.yaml declares are the demo's, with the category they send; the
// demo models cover every class and size, and reasoning ones.
TEST(DemoTrafficModelTest, TheDemoConfigDeclaresTheAppsAndDescribesTheModels) {
  const config::Config config = testing::DemoYamlConfig();
  ASSERT_GE(config.apps.size(), 5u);
  for (const config::AppConfig& declared : config.apps) {
    const auto app = std::find_if(DemoApps().begin(), DemoApps().end(),
                                  [&](const DemoApp& a) { return a.title == declared.name; });
    ASSERT_NE(app, DemoApps().end()) << declared.name;
    ASSERT_TRUE(declared.category.has_value()) << declared.name;
    ASSERT_EQ(app->tasks.size(), 1u) << declared.name;
    EXPECT_EQ(app->tasks[0].category, *declared.category) << declared.name;
  }
  EXPECT_LT(config.apps.size(), DemoApps().size() - 2) << "some apps rely on the classifier";
  std::set<std::string> origins, classes, sizes;
  size_t reasoning = 0;
  for (const config::ModelConfig& model : config.models) {
    EXPECT_FALSE(model.origin_country.empty()) << model.id;
    origins.insert(model.origin_country);
    classes.insert(std::string(accounting::ModelClassOf(model.open_weights, model.origin_country)));
    sizes.insert(std::string(accounting::SizeClassOf(model.parameters_m)));
    if (model.reasoning) ++reasoning;
    if (model.open_weights) {
      EXPECT_GT(model.parameters_m, 0) << model.id;
    }
  }
  EXPECT_GE(origins.size(), 3u);
  EXPECT_EQ(classes.size(), 3u);
  EXPECT_TRUE(sizes.contains("small") && sizes.contains("medium") && sizes.contains("large"));
  EXPECT_GE(reasoning, 2u);
}

}  // namespace
}  // namespace gw::demo

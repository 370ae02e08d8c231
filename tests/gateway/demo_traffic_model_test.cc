#include "gateway/demo_traffic_model.h"

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "accounting/ledger/utc_time.h"

namespace gw::demo {
namespace {

constexpr int64_t kDayMs = 86'400'000;

// The models of config/examples/demo.yaml: id, context, created, cheapest prompt + completion
// price (nano-USD per 1M tokens).
std::vector<DemoModel> DemoYamlModels() {
  return {
      {"openai/gpt-4o-mini", 128000, 1721260800, 750'000'000},
      {"anthropic/claude-3.5-haiku", 200000, 1730678400, 4'800'000'000},
      {"meta-llama/llama-3.1-8b-instruct", 131072, 1721692800, 70'000'000},
      {"meta-llama/llama-3.1-70b-instruct", 131072, 1721692800, 420'000'000},
      {"mistralai/mistral-small", 32768, 1726790400, 720'000'000},
      {"deepseek/deepseek-chat", 65536, 1735171200, 420'000'000},
      {"qwen/qwen-2.5-72b-instruct", 131072, 1726704000, 750'000'000},
      {"google/gemma-2-9b-it", 8192, 1719532800, 90'000'000},
  };
}

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
  EXPECT_EQ(models[plan.trending_model].id, "deepseek/deepseek-chat");
  EXPECT_EQ(models[plan.declining_model].id, "google/gemma-2-9b-it");
  EXPECT_EQ(models[plan.rising_model].id, "anthropic/claude-3.5-haiku");
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
  const std::vector<DemoModel> one = {{"solo/model", 0, 0, 1}};
  const TrafficPlan plan = PlanDemoTraffic(one, Options());
  EXPECT_EQ(plan.requests.size(), 12u * 7u * 300u);
  EXPECT_EQ(plan.trending_model, kNoModel);
  const std::vector<DemoModel> two = {{"a/x", 0, 0, 1}, {"b/y", 0, 0, 2}};
  const TrafficPlan pair = PlanDemoTraffic(two, Options());
  std::set<uint32_t> used;
  for (const DemoRequest& request : pair.requests) used.insert(request.model);
  EXPECT_EQ(used.size(), 2u);
}

TEST(DemoTrafficModelTest, BodiesAreChatRequestsOfThePlannedSize) {
  const TrafficPlan plan = PlanDemoTraffic(DemoYamlModels(), Options());
  for (size_t i = 0; i < plan.requests.size(); i += 97) {
    const DemoRequest& request = plan.requests[i];
    const nlohmann::json body =
        nlohmann::json::parse(BuildDemoChatBody(request, "openai/gpt-4o-mini"));
    EXPECT_EQ(body["model"], "openai/gpt-4o-mini");
    EXPECT_EQ(body["max_tokens"], request.max_tokens);
    EXPECT_EQ(body.value("stream", false), request.stream);
    EXPECT_EQ(body.value("user", std::string()), request.user);
    ASSERT_EQ(body["messages"].size(), 2u);
    const size_t bytes = body["messages"][0]["content"].get<std::string>().size() +
                         body["messages"][1]["content"].get<std::string>().size();
    // The simulator counts ceil(bytes / 4) prompt tokens.
    if (request.prompt_tokens * 4 > body["messages"][0]["content"].get<std::string>().size()) {
      EXPECT_EQ((bytes + 3) / 4, request.prompt_tokens) << i;
    }
  }
}

}  // namespace
}  // namespace gw::demo

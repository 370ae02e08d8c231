// `gateway demo-traffic` as a real process against a real (slow) simulator: the backdated
// history it writes, read back from the ledger read-only; --if-empty; an unreachable provider;
// flag rejections.
#include <filesystem>
#include <map>
#include <regex>
#include <set>

#include "accounting/ledger/insights_reports.h"
#include "accounting/ledger/usage_reports.h"
#include "accounting/ledger/utc_time.h"
#include "tests/integration/cluster.h"

namespace gw::testing {
namespace {

class DemoTrafficTest : public Cluster {
 protected:
  // A config of four models on two providers, both `sim_port`, with a fresh ledger.
  std::string WriteConfig(int sim_port) {
    const std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    ledger_ = WriteTempFile(name + ".sqlite3", "");
    std::filesystem::remove(ledger_);
    std::string yaml =
        GatewayYaml({{"sim-a", sim_port, ""}, {"sim-b", sim_port, ""}},
                    {{"acme/alpha", {{"sim-a", "alpha"}}},
                     {"acme/beta", {{"sim-b", "beta"}, {"sim-a", "beta-2?reasoning_tokens=50"}}},
                     {"other/gamma", {{"sim-b", "gamma"}}},
                     {"other/delta", {{"sim-a", "delta"}}}});
    yaml += "accounting:\n  database: " + ledger_ + "\n";
    return WriteTempFile(name + ".yaml", yaml);
  }

  std::unique_ptr<accounting::LedgerReader> Reader() {
    return accounting::LedgerReader::Open(ledger_);
  }

  std::vector<accounting::UsageRow> Rows(accounting::UsageDimension by) {
    return Reader()->GroupedSum(by, accounting::DayRange{0, 10'000'000}, {});
  }

  int64_t Records() {
    int64_t requests = 0;
    for (const auto& row : Rows(accounting::UsageDimension::kModel)) requests += row.requests;
    return requests;
  }

  std::string ledger_;
};

// The first number captured by `pattern` in `text`, or -1.
int64_t Number(const std::string& text, const std::string& pattern) {
  std::smatch match;
  if (!std::regex_search(text, match, std::regex(pattern))) return -1;
  return std::stoll(match[1]);
}

TEST_F(DemoTrafficTest, FillsTheLedgerWithBackdatedHistoryOnce) {
  // One second to the first token: without the command's per-request overrides, 420 requests
  // 16 at a time would take 27 s or more.
  const int sim = StartSimulator({"--ttft-ms", "1000", "--tokens-per-second", "20"});
  const std::string config = WriteConfig(sim);
  const int64_t today = accounting::NowEpochMs() / 86'400'000;
  const int64_t end = today - 2;
  const std::string args = "demo-traffic --config " + config +
                           " --weeks 3 --requests-per-day 20 --seed 5 --end " +
                           accounting::FormatDay(end);

  const auto [status, output] = RunGateway(args);
  ASSERT_EQ(status, 0) << output;
  // The simulator's delays were overridden by the command's upstream header (what the
  // simulator received, rather than how long the run took).
  const std::string upstream_headers = LastUpstreamRequest(sim)["headers"].dump();
  EXPECT_NE(upstream_headers.find("ttft_ms=0&tokens_per_second=0"), std::string::npos)
      << upstream_headers;
  EXPECT_NE(upstream_headers.find("tool_call=true"), std::string::npos) << upstream_headers;
  const int64_t sent = Number(output, R"(sent (\d+) requests \((\d+) ok, 0 failed\))");
  EXPECT_EQ(sent, 3 * 7 * 20) << output;
  EXPECT_EQ(Number(output, R"(now holds \d+ records \(\+(\d+)\))"), sent) << output;
  EXPECT_NE(output.find(ledger_), std::string::npos) << output;

  EXPECT_EQ(Records(), sent);
  std::set<int64_t> days;
  const auto day_rows = Rows(accounting::UsageDimension::kDay);
  for (const auto& row : day_rows) days.insert(*accounting::ParseDay(row.name));
  EXPECT_EQ(days.size(), 21u) << "one row per day of the three weeks";
  EXPECT_EQ(*days.begin(), end - 20);
  EXPECT_EQ(*days.rbegin(), end);

  std::set<std::string> models;
  for (const auto& row : Rows(accounting::UsageDimension::kModel)) {
    models.insert(row.name);
    EXPECT_GT(row.completion_tokens, row.requests) << row.name << ": answers of max_tokens";
  }
  EXPECT_EQ(models,
            (std::set<std::string>{"acme/alpha", "acme/beta", "other/gamma", "other/delta"}));
  std::set<std::string> apps, users, providers;
  for (const auto& row : Rows(accounting::UsageDimension::kApp)) {
    if (!row.name.empty()) apps.insert(row.name);
  }
  for (const auto& row : Rows(accounting::UsageDimension::kUser)) {
    if (!row.name.empty()) users.insert(row.name);
  }
  for (const auto& row : Rows(accounting::UsageDimension::kProvider)) providers.insert(row.name);
  EXPECT_GE(apps.size(), 5u);
  EXPECT_TRUE(apps.contains("CodePilot"));
  EXPECT_GE(users.size(), 8u);
  EXPECT_EQ(providers, (std::set<std::string>{"sim-a", "sim-b"}));

  // What the insights read: the prompts' categories and languages as the classifier and the
  // detector found them (this config declares no app), tools offered and called, reasoning.
  std::unique_ptr<accounting::LedgerReader> reader = Reader();
  const accounting::WeekRange weeks = accounting::LastWeeks(today, 5);
  std::map<std::string, int64_t> category_tokens;
  for (const auto& row : accounting::InsightsCategories(*reader, weeks, false)) {
    category_tokens[row.name] = row.totals.Tokens();
  }
  EXPECT_GE(category_tokens.size(), 10u);
  EXPECT_FALSE(category_tokens.contains("")) << "every record has a category";
  for (const auto& [category, tokens] : category_tokens) {
    EXPECT_LE(tokens, category_tokens["programming"]) << category << " outweighs programming";
  }
  EXPECT_GT(category_tokens["roleplay"], 0);
  std::set<std::string> languages;
  for (const auto& row : accounting::InsightsLanguages(*reader, weeks)) languages.insert(row.name);
  EXPECT_TRUE(languages.contains("en"));
  EXPECT_GE(languages.size(), 4u) << "English and a tail of other languages";
  accounting::InsightTotals totals;
  for (const auto& week : accounting::InsightsWeekly(*reader, weeks)) totals.Add(week.totals);
  EXPECT_EQ(totals.requests, sent);
  EXPECT_GT(totals.tools_offered, sent / 8);
  EXPECT_GT(totals.tool_calls, 0) << "the simulator calls a tool when the request ends on a user";
  EXPECT_LT(totals.tool_calls, totals.tools_offered) << "and answers a tool's result with text";
  EXPECT_GT(totals.reasoning_tokens, 0) << "beta-2's answers reason";

  // Again with --if-empty: nothing is added.
  const auto [again_status, again_output] = RunGateway(args + " --if-empty");
  EXPECT_EQ(again_status, 0) << again_output;
  EXPECT_NE(again_output.find("nothing to do"), std::string::npos) << again_output;
  EXPECT_EQ(Records(), sent);
  // Without --if-empty or --append, a ledger with records is refused, untouched.
  const auto [refused_status, refused_output] = RunGateway(args);
  EXPECT_EQ(refused_status, 1) << refused_output;
  EXPECT_NE(refused_output.find("already holds " + std::to_string(sent) +
                                " records; demo traffic would mix invented"),
            std::string::npos)
      << refused_output;
  EXPECT_EQ(Records(), sent);
}

TEST_F(DemoTrafficTest, RefusesToStartWhenAProviderIsDown) {
  const std::string config = WriteConfig(ClosedPort());
  const auto [status, output] = RunGateway("demo-traffic --config " + config + " --weeks 1");
  EXPECT_EQ(status, 1) << output;
  EXPECT_NE(output.find("is not reachable"), std::string::npos) << output;
  EXPECT_NE(output.find("sim-"), std::string::npos) << output;
  EXPECT_FALSE(std::filesystem::exists(ledger_)) << "no failed requests in the ledger";
}

TEST_F(DemoTrafficTest, RejectsBadFlagsNamingThem) {
  const std::string config = WriteTempFile("demo-traffic-flags.yaml", "server: {}\n");
  const auto unknown = RunGateway("demo-traffic --config " + config + " --colour red");
  EXPECT_EQ(unknown.first, 2) << unknown.second;
  EXPECT_NE(unknown.second.find("unknown option \"--colour\""), std::string::npos)
      << unknown.second;
  const auto weeks = RunGateway("demo-traffic --config " + config + " --weeks many");
  EXPECT_EQ(weeks.first, 2) << weeks.second;
  EXPECT_NE(weeks.second.find("--weeks: expected a whole number"), std::string::npos)
      << weeks.second;
  const auto zero = RunGateway("demo-traffic --config " + config + " --requests-per-day=0");
  EXPECT_EQ(zero.first, 2) << zero.second;
  EXPECT_NE(zero.second.find("--requests-per-day"), std::string::npos) << zero.second;
  const auto end = RunGateway("demo-traffic --config " + config + " --end 2026-13-01");
  EXPECT_EQ(end.first, 2) << end.second;
  EXPECT_NE(end.second.find("--end"), std::string::npos) << end.second;
  const auto missing = RunGateway("demo-traffic --weeks 2");
  EXPECT_EQ(missing.first, 2) << missing.second;
  EXPECT_NE(missing.second.find("needs --config FILE"), std::string::npos) << missing.second;
  const auto no_value = RunGateway("demo-traffic --config");
  EXPECT_EQ(no_value.first, 2) << no_value.second;
  EXPECT_NE(no_value.second.find("--config needs a value"), std::string::npos) << no_value.second;
}

}  // namespace
}  // namespace gw::testing

// GET /v1/rankings and /v1/rankings/timeseries as HTTP answers over a real ledger: the JSON
// shape of docs/rankings.md, exact costs, the empty ledger, and every rejected parameter.
#include "gateway/api/rankings_api.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "accounting/ledger/ledger.h"
#include "accounting/ledger/utc_time.h"
#include "tests/accounting/ledger/ledger_test_util.h"

namespace gw::api {
namespace {

using nlohmann::json;
namespace testing_util = accounting::testing;

constexpr int64_t kToday = 20530;  // 2026-03-18, a Wednesday
const RankingsCaller kAdmin{true, "admin-1"};

class RankingsApiTest : public ::testing::Test {
 protected:
  // Two models this week, one of them also last week; an app on one of them.
  void Fill(bool with_records) {
    options_ = testing_util::QuietOptions(testing_util::FreshDir());
    auto ledger = accounting::Ledger::Open(options_);
    ledger->Start();
    const struct {
      int64_t day;
      const char* model;
      const char* app;
      int64_t prompt, cost;
    } rows[] = {{kToday, "openai/gpt-4o", "Chat", 900, 1'234'567'891},
                {kToday - 1, "meta/llama-3", "", 200, 7},
                {kToday - 7, "openai/gpt-4o", "Chat", 400, 5}};
    int n = 0;
    for (const auto& row : rows) {
      if (!with_records) break;
      testing_util::RecordSpec spec;
      spec.id = "gen-" + std::to_string(n++);
      spec.created_at_ms = row.day * testing_util::kDayMs + 1000;
      spec.model = row.model;
      spec.provider = "sim";
      spec.app = row.app;
      spec.prompt = row.prompt;
      spec.completion = 100;
      spec.cost = row.cost;
      ledger->Push(testing_util::MakeRecord(spec));
    }
    ledger->Stop();
    reader_ = accounting::LedgerReader::Open(options_.path,
                                             [] { return kToday * testing_util::kDayMs + 7; });
  }

  json Ok(const UsageAnswer& answer) {
    EXPECT_EQ(answer.status, 200) << answer.body;
    EXPECT_EQ(answer.content_type, "application/json");
    return json::parse(answer.body);
  }

  void ExpectRejected(std::string_view target, std::string_view message) {
    SCOPED_TRACE(target);
    const UsageAnswer answer = target.starts_with("/v1/rankings/timeseries")
                                   ? TimeseriesAnswer(target, kAdmin, *reader_)
                                   : RankingsAnswer(target, kAdmin, *reader_);
    EXPECT_EQ(answer.status, 400);
    EXPECT_EQ(answer.error, message);
    const json body = json::parse(answer.body);
    EXPECT_EQ(body["error"]["message"], message);
    EXPECT_EQ(body["error"]["code"], 400);
  }

  accounting::LedgerOptions options_;
  std::unique_ptr<accounting::LedgerReader> reader_;
};

TEST_F(RankingsApiTest, LeaderboardJsonFollowsTheContract) {
  Fill(true);
  const UsageAnswer answer = RankingsAnswer("/v1/rankings?limit=1", kAdmin, *reader_);
  const json body = Ok(answer);
  EXPECT_EQ(body["object"], "rankings");
  EXPECT_EQ(body["by"], "model");
  EXPECT_EQ(body["period"], "week");
  EXPECT_EQ(body["order"], "tokens");
  EXPECT_EQ(body["from"], "2026-03-16");
  EXPECT_EQ(body["to"], "2026-03-18");
  EXPECT_EQ(body["complete"], false);
  // Cut like for like: last Monday-Wednesday, its Wednesday up to the end of the hour now
  // in progress (the clock reads 00:00 today).
  EXPECT_EQ(
      body["previous"],
      json({{"from", "2026-03-09"}, {"to", "2026-03-11"}, {"until", "2026-03-11T01:00:00.000Z"}}));
  EXPECT_EQ(body["totals"]["tokens"], 1300);
  EXPECT_EQ(body["totals"]["previous_tokens"], 500);
  EXPECT_EQ(body["totals"]["change"], 160.0);
  ASSERT_EQ(body["data"].size(), 2u);
  const json& first = body["data"][0];
  EXPECT_EQ(first["rank"], 1);
  EXPECT_EQ(first["name"], "openai/gpt-4o");
  EXPECT_EQ(first["author"], "openai");
  EXPECT_EQ(first["tokens"], 1000);
  EXPECT_EQ(first["prompt_tokens"], 900);
  EXPECT_EQ(first["completion_tokens"], 100);
  EXPECT_EQ(first["reasoning_tokens"], 50);
  EXPECT_EQ(first["requests"], 1);
  EXPECT_EQ(first["previous_tokens"], 500);
  EXPECT_EQ(first["change"], 100.0);
  EXPECT_EQ(first["share"], 76.92);
  EXPECT_TRUE(first["trend"].is_number());
  EXPECT_FALSE(first.contains("other"));
  // The cost is the exact decimal, not a double's rounding.
  EXPECT_NE(answer.body.find("\"cost\":1.234567891,"), std::string::npos) << answer.body;
  const json& other = body["data"][1];
  EXPECT_TRUE(other["rank"].is_null());
  EXPECT_EQ(other["other"], true);
  EXPECT_EQ(other["name"], "other");
  EXPECT_EQ(other["tokens"], 300);
  EXPECT_TRUE(other["change"].is_null());  // llama-3 had nothing last Monday-Wednesday
  EXPECT_FALSE(other.contains("author"));
}

TEST_F(RankingsApiTest, AppsWithoutAttributionHaveAnEmptyName) {
  Fill(true);
  const json body =
      Ok(RankingsAnswer("/v1/rankings?by=app&period=day&at=2026-03-17", kAdmin, *reader_));
  EXPECT_EQ(body["complete"], true);
  EXPECT_FALSE(body["previous"].contains("until"));  // a complete period compares whole days
  ASSERT_EQ(body["data"].size(), 1u);
  EXPECT_EQ(body["data"][0]["name"], "");
  EXPECT_FALSE(body["data"][0].contains("author"));
}

TEST_F(RankingsApiTest, TimeseriesJsonFollowsTheContract) {
  Fill(true);
  const UsageAnswer answer =
      TimeseriesAnswer("/v1/rankings/timeseries?buckets=2&top=1&metric=cost", kAdmin, *reader_);
  const json body = Ok(answer);
  EXPECT_EQ(body["object"], "rankings.timeseries");
  EXPECT_EQ(body["metric"], "cost");
  ASSERT_EQ(body["buckets"].size(), 2u);
  EXPECT_EQ(body["buckets"][0]["from"], "2026-03-09");
  EXPECT_EQ(body["buckets"][0]["to"], "2026-03-15");
  EXPECT_EQ(body["buckets"][1]["to"], "2026-03-18");
  EXPECT_EQ(body["buckets"][0]["complete"], true);
  EXPECT_EQ(body["buckets"][1]["complete"], false);  // this week, still running
  ASSERT_EQ(body["series"].size(), 2u);
  EXPECT_EQ(body["series"][0]["name"], "openai/gpt-4o");
  EXPECT_NE(answer.body.find("\"values\":[0.000000005,1.234567891]"), std::string::npos)
      << "cost values are exact USD: " << answer.body;
  EXPECT_EQ(body["series"][1]["other"], true);
  const json tokens = Ok(TimeseriesAnswer("/v1/rankings/timeseries?buckets=2", kAdmin, *reader_));
  EXPECT_EQ(tokens["series"][0]["values"], json::array({500, 1000}));
  EXPECT_EQ(tokens["buckets"][1]["total"], 1300);
}

TEST_F(RankingsApiTest, AnEmptyLedgerAnswersEmptyRows) {
  Fill(false);
  const json body = Ok(RankingsAnswer("/v1/rankings?period=month", kAdmin, *reader_));
  EXPECT_EQ(body["data"], json::array());
  EXPECT_EQ(body["totals"]["tokens"], 0);
  EXPECT_TRUE(body["totals"]["change"].is_null());
  const json series = Ok(TimeseriesAnswer("/v1/rankings/timeseries", kAdmin, *reader_));
  EXPECT_EQ(series["series"], json::array());
  EXPECT_EQ(series["buckets"].size(), 12u);
}

TEST_F(RankingsApiTest, EveryBadParameterIsA400NamingIt) {
  Fill(false);
  ExpectRejected("/v1/rankings?by=day",
                 "by: expected one of model, author, provider, app, key, user, got \"day\"");
  ExpectRejected("/v1/rankings?period=year",
                 "period: expected one of day, week, month, got \"year\"");
  ExpectRejected("/v1/rankings?at=2026-02-30",
                 "at: expected a date YYYY-MM-DD, got \"2026-02-30\"");
  ExpectRejected("/v1/rankings?limit=0", "limit: expected an integer from 1 to 1000, got \"0\"");
  ExpectRejected("/v1/rankings?limit=ten",
                 "limit: expected an integer from 1 to 1000, got \"ten\"");
  ExpectRejected("/v1/rankings?limit=", "limit: expected an integer from 1 to 1000, got \"\"");
  ExpectRejected("/v1/rankings?order=alpha",
                 "order: expected one of tokens, cost, requests, trending, got \"alpha\"");
  ExpectRejected("/v1/rankings?by=model&by=app", "parameter \"by\" is given twice");
  ExpectRejected("/v1/rankings?top=3",
                 "unknown parameter \"top\"; allowed: by, period, at, limit, order, key, user, "
                 "model, provider, app");
  ExpectRejected("/v1/rankings?by=%zz", "the query string has a malformed %-escape");
  ExpectRejected("/v1/rankings/timeseries?buckets=367",
                 "buckets: expected an integer from 1 to 366, got \"367\"");
  ExpectRejected("/v1/rankings/timeseries?top=51",
                 "top: expected an integer from 1 to 50, got \"51\"");
  ExpectRejected("/v1/rankings/timeseries?metric=share",
                 "metric: expected one of tokens, cost, requests, got \"share\"");
  ExpectRejected("/v1/rankings/timeseries?limit=3",
                 "unknown parameter \"limit\"; allowed: by, period, at, buckets, top, metric, key, "
                 "user, model, provider, app");
}

TEST_F(RankingsApiTest, KeysAndUsersAreForAdminsAndTheFutureIsRefused) {
  Fill(true);
  const RankingsCaller plain{false, "key-1"};
  const RankingsCaller anonymous{false, ""};  // a public policy's caller without a key
  const struct {
    std::string_view target;
    const RankingsCaller& caller;
    std::string_view message;
  } refusals[] = {
      {"/v1/rankings?by=key", plain,
       "by=key: rankings of keys and users are readable by admin keys only"},
      {"/v1/rankings/timeseries?by=user", anonymous,
       "by=user: rankings of keys and users are readable by admin keys only"},
      {"/v1/rankings?user=alice", plain, "user: filtering by user is for admin keys only"},
      {"/v1/rankings/timeseries?key=key-2", plain,
       "key: a key can filter only by its own id (this key is key-1)"},
      {"/v1/rankings?key=key-2", anonymous,
       "key: a key can filter only by its own id (this key is none)"},
  };
  for (const auto& refusal : refusals) {
    SCOPED_TRACE(refusal.target);
    const UsageAnswer answer = refusal.target.starts_with("/v1/rankings/timeseries")
                                   ? TimeseriesAnswer(refusal.target, refusal.caller, *reader_)
                                   : RankingsAnswer(refusal.target, refusal.caller, *reader_);
    EXPECT_EQ(answer.status, 403);
    EXPECT_EQ(json::parse(answer.body)["error"]["message"], refusal.message);
  }
  EXPECT_EQ(RankingsAnswer("/v1/rankings?key=key-1", plain, *reader_).status, 200);
  EXPECT_EQ(RankingsAnswer("/v1/rankings?by=app", anonymous, *reader_).status, 200);
  EXPECT_EQ(RankingsAnswer("/v1/rankings?by=user", kAdmin, *reader_).status, 200);
  ExpectRejected("/v1/rankings?at=2026-03-19", "at: 2026-03-19 is after today (2026-03-18, UTC)");
  ExpectRejected("/v1/rankings/timeseries?at=2030-01-01",
                 "at: 2030-01-01 is after today (2026-03-18, UTC)");
  EXPECT_EQ(RankingsAnswer("/v1/rankings?at=2026-03-18", plain, *reader_).status, 200);
}

}  // namespace
}  // namespace gw::api

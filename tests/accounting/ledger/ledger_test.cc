// Ledger: write and find, batching, flush on Stop, admission, many producers.
#include "accounting/ledger/ledger.h"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include "accounting/ledger/usage_reports.h"
#include "tests/accounting/ledger/ledger_test_util.h"

namespace gw::accounting {
namespace {

using namespace std::chrono_literals;
using testing::FreshDir;
using testing::MakeRecord;
using testing::QueryInt;
using testing::RecordSpec;

LedgerOptions Options(const std::string& dir) { return testing::QuietOptions(dir); }

void ExpectSameRecord(const GenerationRecord& a, const GenerationRecord& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.created_at_ms, b.created_at_ms);
  EXPECT_EQ(a.api_key_id, b.api_key_id);
  EXPECT_EQ(a.user, b.user);
  EXPECT_EQ(a.http_referer, b.http_referer);
  EXPECT_EQ(a.app_title, b.app_title);
  EXPECT_EQ(a.app, b.app);
  EXPECT_EQ(a.model_requested, b.model_requested);
  EXPECT_EQ(a.api, b.api);
  EXPECT_EQ(a.model, b.model);
  EXPECT_EQ(a.author, b.author);
  EXPECT_EQ(a.provider, b.provider);
  EXPECT_EQ(a.endpoint, b.endpoint);
  EXPECT_EQ(a.streamed, b.streamed);
  EXPECT_EQ(a.cancelled, b.cancelled);
  EXPECT_EQ(a.estimated, b.estimated);
  EXPECT_EQ(a.http_status, b.http_status);
  EXPECT_EQ(a.finish_reason, b.finish_reason);
  EXPECT_EQ(a.native_finish_reason, b.native_finish_reason);
  EXPECT_EQ(a.latency_ms, b.latency_ms);
  EXPECT_EQ(a.time_to_first_token_ms, b.time_to_first_token_ms);
  EXPECT_EQ(a.generation_time_ms, b.generation_time_ms);
  EXPECT_EQ(a.native, b.native);
  EXPECT_EQ(a.tokens_prompt, b.tokens_prompt);
  EXPECT_EQ(a.tokens_completion, b.tokens_completion);
  EXPECT_EQ(a.cost, b.cost);
  EXPECT_EQ(a.attempts, b.attempts);
  EXPECT_EQ(a.message_count, b.message_count);
  EXPECT_EQ(a.tools_offered, b.tools_offered);
  EXPECT_EQ(a.tool_called, b.tool_called);
  EXPECT_EQ(a.language, b.language);
  EXPECT_EQ(a.category, b.category);
  EXPECT_EQ(a.model_origin, b.model_origin);
  EXPECT_EQ(a.model_open_weights, b.model_open_weights);
  EXPECT_EQ(a.model_parameters_m, b.model_parameters_m);
  EXPECT_EQ(a.model_reasoning, b.model_reasoning);
}

GenerationRecord UnusualRecord() {
  GenerationRecord r = MakeRecord("gen-unusual");
  r.api_key_id = "key-7f3a";
  r.api = "messages";
  r.user = "user \"quoted\", with comma\nand newline \xE2\x9C\x93";
  r.http_referer = "https://app.example/?a=1&b=2";
  r.app_title = "App \xC3\xA9t\xC3\xA9";
  r.app = r.app_title;
  r.model_requested = "openai/gpt-4o-mini:free";
  r.cancelled = true;
  r.estimated = true;
  r.http_status = 200;
  r.time_to_first_token_ms = -1;
  r.tokens_prompt = 123;
  r.tokens_completion = -1;
  r.cost = Cost{1, 2, 3, 4, 5, 6, 21};
  r.native = TokenCounts{1000, 500, 200, 100, 50};
  r.attempts.push_back(AttemptEntry{"x/y", "p\"q", 0, 30000, "timeout \\ after 30 s"});
  r.message_count = 41;
  r.tools_offered = true;
  r.tool_called = true;
  r.language = "pt";
  r.category = "creative_writing";
  r.model_origin = "CN";
  r.model_open_weights = true;
  r.model_parameters_m = 671'000;
  r.model_reasoning = true;
  return r;
}

TEST(LedgerTest, FindsARecordTheMomentPushReturns) {
  auto ledger = Ledger::Open(Options(FreshDir()));
  ledger->Push(UnusualRecord());  // not started: the record is only queued
  auto found = ledger->Find("gen-unusual");
  ASSERT_TRUE(found.has_value());
  ExpectSameRecord(*found, UnusualRecord());
  EXPECT_FALSE(ledger->Find("gen-missing").has_value());

  ledger->Start();
  ASSERT_TRUE(ledger->Flush(10s));
  found = ledger->Find("gen-unusual");  // written: from the recent map
  ASSERT_TRUE(found.has_value());
  ExpectSameRecord(*found, UnusualRecord());
}

TEST(LedgerTest, FindsEveryFieldFromTheDatabaseAfterStopAndReopen) {
  const auto options = Options(FreshDir());
  {
    auto ledger = Ledger::Open(options);
    ledger->Start();
    ledger->Push(UnusualRecord());
    ledger->Push(MakeRecord("gen-plain"));
    ledger->Stop();
    EXPECT_EQ(ledger->GetStats().written, 2u);
  }
  auto reopened = Ledger::Open(options);
  auto found = reopened->Find("gen-unusual");
  ASSERT_TRUE(found.has_value());
  ExpectSameRecord(*found, UnusualRecord());
  EXPECT_FALSE(reopened->Find("gen-nope").has_value());

  auto reader = LedgerReader::Open(options.path);
  auto read = reader->FindGeneration("gen-plain");
  ASSERT_TRUE(read.has_value());
  ExpectSameRecord(*read, MakeRecord("gen-plain"));
  EXPECT_FALSE(reader->FindGeneration("gen-nope").has_value());
}

TEST(LedgerTest, WritesAtMostMaxBatchRecordsPerTransaction) {
  auto options = Options(FreshDir());
  options.max_batch = 100;
  options.flush_interval = std::chrono::hours(1);
  auto ledger = Ledger::Open(options);
  for (int i = 0; i < 1000; ++i) ledger->Push(MakeRecord("gen-" + std::to_string(i)));
  ledger->Start();  // a full batch is waiting: no need to wait for the interval
  ASSERT_TRUE(ledger->WaitFor([](const Ledger::Stats& s) { return s.written == 1000; }, 10s));
  const auto stats = ledger->GetStats();
  EXPECT_EQ(stats.batches, 10u);
  EXPECT_EQ(stats.queue_depth, 0u);
  EXPECT_GT(stats.batch_ms_total, 0.0);
}

TEST(LedgerTest, WritesAPartialBatchAfterTheFlushInterval) {
  auto options = Options(FreshDir());
  options.flush_interval = 20ms;
  auto ledger = Ledger::Open(options);
  ledger->Start();
  for (int i = 0; i < 5; ++i) ledger->Push(MakeRecord("gen-" + std::to_string(i)));
  EXPECT_TRUE(ledger->WaitFor([](const Ledger::Stats& s) { return s.written == 5; }, 10s));
}

TEST(LedgerTest, StopWritesEveryQueuedRecord) {
  auto options = Options(FreshDir());
  options.flush_interval = std::chrono::hours(1);
  options.max_batch = 1000;
  {
    auto ledger = Ledger::Open(options);
    ledger->Start();
    for (int i = 0; i < 10'500; ++i) ledger->Push(MakeRecord("gen-" + std::to_string(i)));
    ledger->Stop();
    ledger->Stop();  // idempotent
    EXPECT_EQ(ledger->GetStats().written, 10'500u);
  }
  EXPECT_EQ(QueryInt(options.path, "SELECT COUNT(*) FROM generations"), 10'500);
  EXPECT_EQ(QueryInt(options.path, "SELECT SUM(requests) FROM usage_daily"), 10'500);
}

TEST(LedgerTest, DestructorOfANeverStartedLedgerWritesTheQueue) {
  const auto options = Options(FreshDir());
  {
    auto ledger = Ledger::Open(options);
    ledger->Push(MakeRecord("gen-a"));
  }
  EXPECT_EQ(QueryInt(options.path, "SELECT COUNT(*) FROM generations"), 1);
}

TEST(LedgerTest, ManyProducersEveryRecordWrittenOnce) {
  auto options = Options(FreshDir());
  options.max_batch = 512;
  options.flush_interval = 5ms;
  auto ledger = Ledger::Open(options);
  ledger->Start();
  constexpr int kThreads = 8;
  constexpr int kPerThread = 5000;
  std::atomic<int> not_found{0};
  std::vector<std::thread> producers;
  for (int t = 0; t < kThreads; ++t) {
    producers.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const std::string id = "gen-" + std::to_string(t) + "-" + std::to_string(i);
        ledger->Push(MakeRecord(id));
        if (i % 250 == 0 && !ledger->Find(id)) ++not_found;
      }
    });
  }
  for (auto& producer : producers) producer.join();
  ledger->Stop();
  EXPECT_EQ(not_found.load(), 0);
  const auto stats = ledger->GetStats();
  EXPECT_EQ(stats.pushed, uint64_t{kThreads * kPerThread});
  EXPECT_EQ(stats.written, uint64_t{kThreads * kPerThread});
  EXPECT_EQ(stats.lost, 0u);
  EXPECT_EQ(QueryInt(options.path, "SELECT COUNT(DISTINCT id) FROM generations"),
            kThreads * kPerThread);
  EXPECT_EQ(QueryInt(options.path, "SELECT SUM(requests) FROM usage_hourly"),
            kThreads * kPerThread);
  EXPECT_EQ(QueryInt(options.path, "SELECT SUM(cost_nano) FROM usage_daily_model"),
            int64_t{kThreads} * kPerThread * 1'500);
}

TEST(LedgerTest, ADuplicateIdIsStoredAndCountedOnce) {
  const auto options = Options(FreshDir());
  auto ledger = Ledger::Open(options);
  ledger->Start();
  ledger->Push(MakeRecord("gen-dup"));
  ledger->Push(MakeRecord("gen-dup"));
  ASSERT_TRUE(ledger->Flush(10s));
  ledger->Push(MakeRecord("gen-dup"));  // in a later batch too
  ledger->Stop();
  EXPECT_EQ(ledger->GetStats().written, 1u);
  EXPECT_EQ(ledger->GetStats().duplicates, 2u);
  EXPECT_EQ(QueryInt(options.path, "SELECT SUM(requests) FROM usage_daily"), 1);
}

TEST(LedgerTest, PrepareFillsNormalizedCountsOnTheConsumerThread) {
  auto options = Options(FreshDir());
  std::atomic<int> calls{0};
  const auto test_thread = std::this_thread::get_id();
  options.prepare = [&](GenerationRecord& r) {
    EXPECT_NE(std::this_thread::get_id(), test_thread);
    EXPECT_EQ(r.prompt_source, "{\"messages\":[]}");
    r.tokens_prompt = 7;
    r.tokens_completion = 3;
    ++calls;
  };
  auto ledger = Ledger::Open(options);
  ledger->Start();
  for (int i = 0; i < 3; ++i) {
    GenerationRecord r = MakeRecord("gen-" + std::to_string(i));
    r.prompt_source = "{\"messages\":[]}";
    r.completion_source = "hello";
    ledger->Push(std::move(r));
  }
  ASSERT_TRUE(ledger->Flush(10s));
  const auto found = ledger->Find("gen-1");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->tokens_prompt, 7);
  EXPECT_EQ(found->tokens_completion, 3);
  EXPECT_TRUE(found->prompt_source.empty());
  EXPECT_TRUE(found->completion_source.empty());
  ledger->Stop();
  EXPECT_EQ(calls.load(), 3);
  EXPECT_EQ(QueryInt(options.path, "SELECT SUM(tokens_prompt) FROM usage_daily"), 21);
  EXPECT_EQ(QueryInt(options.path, "SELECT SUM(tokens_completion) FROM usage_hourly"), 9);
}

TEST(LedgerTest, AdmitRefusesNewRequestsWhileTheQueueIsFull) {
  auto options = Options(FreshDir());
  options.queue_capacity = 10;
  auto ledger = Ledger::Open(options);
  EXPECT_TRUE(ledger->Admit());
  EXPECT_EQ(ledger->RefusalReason(), "");
  for (int i = 0; i < 12; ++i) ledger->Push(MakeRecord("gen-" + std::to_string(i)));
  EXPECT_FALSE(ledger->Admit());
  EXPECT_EQ(ledger->RefusalReason(),
            "usage ledger " + options.path +
                " is behind: 12 records are waiting to be written (limit 10); new requests are "
                "refused until it catches up");
  EXPECT_EQ(ledger->GetStats().queue_depth, 12u);  // admitted records are never dropped
  ledger->Start();
  ASSERT_TRUE(ledger->Flush(10s));
  EXPECT_TRUE(ledger->Admit());
  EXPECT_EQ(ledger->GetStats().written, 12u);
}

TEST(LedgerTest, APushAfterStopIsCountedAsLost) {
  auto options = Options(FreshDir());
  std::vector<std::string> lines;
  options.log = [&](std::string_view line) { lines.emplace_back(line); };
  auto ledger = Ledger::Open(options);
  ledger->Start();
  ledger->Stop();
  ledger->Push(MakeRecord("gen-late"));
  EXPECT_EQ(ledger->GetStats().lost, 1u);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("\"event\":\"ledger_push_after_stop\""), std::string::npos);
}

}  // namespace
}  // namespace gw::accounting

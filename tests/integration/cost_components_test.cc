// Cache-write and reasoning tokens priced end to end: the simulator reports them in its usage
// object, the gateway prices each component at the endpoint's own price, and the same exact cost
// appears in the response, in GET /v1/generation and in the activity report (docs/accounting.md
// "Cost").
#include <regex>

#include "tests/integration/cluster.h"
#include "tests/integration/wait_until.h"

namespace gw::testing {
namespace {

using nlohmann::json;

// USD per 1M tokens = nano-USD per token.
constexpr int64_t kPrompt = 3'000;       // prompt: 3
constexpr int64_t kCompletion = 15'000;  // completion: 15
constexpr int64_t kCachedRead = 300;     // cached_read: 0.3
constexpr int64_t kCacheWrite = 3'750;   // cache_write: 3.75
constexpr int64_t kReasoning = 10'000;   // reasoning: 10
constexpr const char* kPrices =
    "{ prompt: 3, completion: 15, cached_read: 0.3, cache_write: 3.75, reasoning: 10 }";

// The simulator's usage (docs/simulator.md): prompt_tokens = ceil(content bytes / 4), so the
// 64-byte message below is 16 prompt tokens, of which 2 cached and 4 written to the cache;
// completion_tokens = 5 tokens of text + 3 reasoning tokens = 8.
constexpr const char* kModel =
    "sim-model?tokens=5&cached_tokens=2&cache_write_tokens=4&reasoning_tokens=3";
constexpr int64_t kPromptTokens = 16, kCached = 2, kCacheWritten = 4;
constexpr int64_t kCompletionTokens = 8, kReasoningTokens = 3;

// By hand, per docs/accounting.md:
//   prompt       (16 - 2 - 4) x 3,000  =  30,000
//   cached read   2 x 300              =     600
//   cache write   4 x 3,750            =  15,000
//   completion   (8 - 3) x 15,000      =  75,000
//   reasoning     3 x 10,000           =  30,000
//   total                                 150,600 nano-USD = $0.0001506
constexpr int64_t kExpectedNano = 150'600;
constexpr const char* kExpectedUsd = "0.0001506";
static_assert((kPromptTokens - kCached - kCacheWritten) * kPrompt + kCached * kCachedRead +
                  kCacheWritten * kCacheWrite +
                  (kCompletionTokens - kReasoningTokens) * kCompletion +
                  kReasoningTokens * kReasoning ==
              kExpectedNano);

std::string Body(bool stream) {
  const std::string content(64, 'a');  // 64 bytes: 16 prompt tokens
  std::string body =
      R"({"model":"it/priced","messages":[{"role":"user","content":")" + content + R"("}])";
  if (stream) body += R"(,"stream":true)";
  return body + "}";
}

// The raw text of the first `"<name>":<number>` in `text` (the exact decimal, not a double).
std::string RawNumber(const std::string& text, const std::string& name) {
  std::smatch match;
  if (!std::regex_search(text, match, std::regex("\"" + name + R"(":([0-9.eE+-]+))"))) return "";
  return match[1];
}

class CostComponentsTest : public Cluster {
 protected:
  void SetUp() override {
    const int sim = StartSimulator();
    port_ =
        StartGateway(GatewayYaml({{"sim", sim, ""}}, {{"it/priced", {{"sim", kModel, kPrices}}}}));
  }

  // Checks one usage object (of the response, or of the final stream chunk: `raw_text`).
  void ExpectPricedUsage(const json& usage, const std::string& raw_text) {
    EXPECT_EQ(usage["prompt_tokens"], kPromptTokens) << usage;
    EXPECT_EQ(usage["completion_tokens"], kCompletionTokens) << usage;
    EXPECT_EQ(usage["prompt_tokens_details"]["cached_tokens"], kCached) << usage;
    EXPECT_EQ(usage["prompt_tokens_details"]["cache_write_tokens"], kCacheWritten) << usage;
    EXPECT_EQ(usage["completion_tokens_details"]["reasoning_tokens"], kReasoningTokens) << usage;
    EXPECT_EQ(RawNumber(raw_text, "cost"), kExpectedUsd) << raw_text;
    const json details = usage["cost_details"];
    EXPECT_DOUBLE_EQ(details["input_cache_write"].get<double>(),
                     kCacheWritten * kCacheWrite * 1e-9);
    EXPECT_DOUBLE_EQ(details["internal_reasoning"].get<double>(),
                     kReasoningTokens * kReasoning * 1e-9);
    EXPECT_DOUBLE_EQ(details["input_cache_read"].get<double>(), kCached * kCachedRead * 1e-9);
    EXPECT_FALSE(usage.contains("estimated"));
  }

  // GET /v1/generation?id=: the record's native counts and exact total.
  void ExpectRecorded(const std::string& id) {
    std::string target = "/v1/generation?id=";
    target += id;
    const HttpResponse response = Get(port_, target);
    ASSERT_EQ(response.status, 200) << response.body;
    const json record = response.Json()["data"];
    EXPECT_EQ(record["native_tokens_prompt"], kPromptTokens);
    EXPECT_EQ(record["native_tokens_completion"], kCompletionTokens);
    EXPECT_EQ(record["native_tokens_cached"], kCached);
    EXPECT_EQ(record["native_tokens_cache_write"], kCacheWritten);
    EXPECT_EQ(record["native_tokens_reasoning"], kReasoningTokens);
    EXPECT_EQ(RawNumber(response.body, "total_cost"), kExpectedUsd) << response.body;
  }

  int port_ = 0;
};

TEST_F(CostComponentsTest, CacheWriteAndReasoningArePricedInTheResponseRecordAndActivity) {
  const HttpResponse response = Post(port_, "/v1/chat/completions", Body(false));
  ASSERT_EQ(response.status, 200) << response.body;
  ExpectPricedUsage(response.Json()["usage"], response.body);
  ExpectRecorded(response.Json()["id"]);

  const StreamResponse stream = PostStream(port_, "/v1/chat/completions", Body(true));
  ASSERT_EQ(stream.status, 200) << stream.body;
  ASSERT_GE(stream.events.size(), 2u);
  ASSERT_EQ(stream.events.back(), "[DONE]");
  const std::string& last = stream.events[stream.events.size() - 2];
  ExpectPricedUsage(json::parse(last)["usage"], last);
  ExpectRecorded(json::parse(last)["id"]);

  // The daily rollup (what reports read): both requests, their tokens and their exact sum.
  json rows;
  std::string raw;
  ASSERT_TRUE(WaitUntil([&] {
    raw = Get(port_, "/v1/activity").body;
    rows = json::parse(raw)["data"];
    return rows.size() == 1 && rows[0]["requests"] == 2;
  })) << raw;
  EXPECT_EQ(rows[0]["model"], "it/priced");
  EXPECT_EQ(rows[0]["prompt_tokens"], 2 * kPromptTokens);
  EXPECT_EQ(rows[0]["completion_tokens"], 2 * kCompletionTokens);
  EXPECT_EQ(rows[0]["cached_tokens"], 2 * kCached);
  EXPECT_EQ(rows[0]["reasoning_tokens"], 2 * kReasoningTokens);
  EXPECT_EQ(RawNumber(raw, "usage"), "0.0003012") << raw;  // 2 x 150,600 nano-USD
  const HttpResponse csv = Get(port_, "/v1/activity?format=csv");
  EXPECT_NE(csv.body.find(",it/priced,sim,2,"), std::string::npos) << csv.body;
  EXPECT_NE(csv.body.find("0.0003012"), std::string::npos) << csv.body;
}

}  // namespace
}  // namespace gw::testing

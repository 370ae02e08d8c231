// Usage accounting through the real gateway and simulator: exact cost in responses and in the
// final stream chunk, generation records readable the moment the answer ends, estimates when the
// provider reports no usage, cancelled streams, every attempt recorded, activity (JSON and CSV),
// admission control, the SIGTERM flush, the `gateway usage` CLI and a corrupt ledger at start.
#include <regex>

#include "tests/integration/cluster.h"
#include "tests/integration/wait_until.h"

namespace gw::testing {
namespace {

using nlohmann::json;

// nano-USD as the exact decimal the gateway prints ("0.000249").
std::string Usd(int64_t nano) {
  std::string fraction = std::to_string(nano % 1'000'000'000);
  fraction = std::string(9 - fraction.size(), '0') + fraction;
  while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
  std::string text = std::to_string(nano / 1'000'000'000);
  if (!fraction.empty()) {
    text += '.';
    text += fraction;
  }
  return text;
}

std::string GenerationTarget(const std::string& id) {
  std::string target = "/v1/generation?id=";
  target += id;
  return target;
}

// The raw text of the first `"<name>":<number>` in `body`.
std::string RawNumber(const std::string& body, const std::string& name) {
  std::smatch match;
  const std::regex pattern("\"" + name + R"(":([0-9.eE+-]+))");
  if (!std::regex_search(body, match, pattern)) return "";
  return match[1];
}
std::string RawCost(const std::string& body) { return RawNumber(body, "cost"); }
std::string RawTotalCost(const std::string& body) { return RawNumber(body, "total_cost"); }

class AccountingTest : public Cluster {
 protected:
  // Prices (USD per 1M tokens): prompt 3, completion 15, cached 0.3 = 3,000 / 15,000 / 300
  // nano-USD per token.
  static constexpr int64_t kPrompt = 3'000, kCompletion = 15'000, kCached = 300;

  void Start(const std::string& accounting_block = "") {
    sim_ = StartSimulator();
    const std::string prices = "{ prompt: 3, completion: 15, cached_read: 0.3 }";
    yaml_ = GatewayYaml({{"sim", sim_, ""}, {"backup", sim_, ""}},
                        {{"it/chat", {{"sim", "sim-model?cached_tokens=2&tokens=5", prices}}},
                         {"it/silent", {{"sim", "sim-model?usage=false&tokens=5", prices}}},
                         {"it/slow", {{"sim", "sim-model?tokens=200&chunk_interval_ms=5", prices}}},
                         {"it/faulty", {{"sim", "sim-model?bad_usage=true&tokens=5", prices}}},
                         {"it/flaky",
                          {{"sim", "sim-model?error_rate=1&status=503", prices},
                           {"backup", "sim-model", prices}}}});
    yaml_ += accounting_block;
    port_ = StartGateway(yaml_);
  }

  json Generation(const std::string& id) {
    const HttpResponse response = Get(port_, GenerationTarget(id));
    EXPECT_EQ(response.status, 200) << response.body;
    return response.status == 200 ? response.Json()["data"] : json();
  }

  // Polls GET /v1/generation until the record of `id` exists (a client that hung up: the gateway
  // notices on its next write) and returns its data; null after the deadline (a failure).
  json WaitForGeneration(const std::string& id) {
    HttpResponse response;
    if (WaitUntil([&] {
          response = Get(port_, GenerationTarget(id));
          return response.status == 200;
        })) {
      return response.Json()["data"];
    }
    ADD_FAILURE() << "no record of " << id << ": " << response.body;
    return json();
  }

  // Polls GET /v1/activity until its rows count `requests` requests (rollups are written with
  // each ledger batch, every flush_interval_ms).
  json WaitForActivity(int64_t requests, const std::string& query = "") {
    std::string target = "/v1/activity";
    target += query;
    json rows;
    const bool counted = WaitUntil([&] {
      rows = Get(port_, target).Json()["data"];
      int64_t total = 0;
      for (const json& row : rows) total += row["requests"].get<int64_t>();
      return total >= requests;
    });
    if (!counted) ADD_FAILURE() << "activity never reached " << requests << " requests: " << rows;
    return rows;
  }

  int sim_ = 0;
  int port_ = 0;
  std::string yaml_;
};

TEST_F(AccountingTest, ResponseUsageCarriesTheExactCost) {
  Start();
  const HttpResponse response = Post(port_, "/v1/chat/completions", ChatBody("it/chat"));
  ASSERT_EQ(response.status, 200) << response.body;
  const json usage = response.Json()["usage"];
  const int64_t prompt = usage["prompt_tokens"], completion = usage["completion_tokens"];
  const int64_t cached = usage["prompt_tokens_details"]["cached_tokens"];
  ASSERT_EQ(cached, 2);
  ASSERT_EQ(completion, 5);
  const int64_t expected =
      (prompt - cached) * kPrompt + cached * kCached + completion * kCompletion;
  EXPECT_EQ(RawCost(response.body), Usd(expected)) << response.body;
  EXPECT_EQ(RawCost(usage["cost_details"].dump()), "");  // details carry no nested "cost"
  EXPECT_DOUBLE_EQ(usage["cost_details"]["input_cache_read"].get<double>(), cached * 300e-9);
  EXPECT_FALSE(usage.contains("estimated"));
}

TEST_F(AccountingTest, GenerationIsReadableTheMomentTheResponseEnds) {
  Start();
  const HttpResponse response =
      Post(port_, "/v1/chat/completions", ChatBody("it/chat", false, R"("user":"ada")"),
           {{"HTTP-Referer", "https://app.example"}, {"X-Title", "Example App"}});
  ASSERT_EQ(response.status, 200);
  const json body = response.Json();
  const json record = Generation(body["id"]);  // no wait, no retry
  EXPECT_EQ(record["id"], body["id"]);
  EXPECT_EQ(record["model"], "it/chat");
  EXPECT_EQ(record["provider_name"], "sim");
  EXPECT_EQ(record["streamed"], false);
  EXPECT_EQ(record["cancelled"], false);
  EXPECT_EQ(record["estimated"], false);
  EXPECT_EQ(record["finish_reason"], "stop");
  EXPECT_EQ(record["user"], "ada");
  EXPECT_EQ(record["http_referer"], "https://app.example");
  EXPECT_EQ(record["app_title"], "Example App");
  EXPECT_EQ(record["native_tokens_prompt"], body["usage"]["prompt_tokens"]);
  EXPECT_EQ(record["native_tokens_completion"], 5);
  EXPECT_EQ(record["native_tokens_cached"], 2);
  EXPECT_GT(record["tokens_prompt"].get<int64_t>(), 0);  // normalized (o200k_base)
  EXPECT_GT(record["tokens_completion"].get<int64_t>(), 0);
  EXPECT_EQ(RawTotalCost(Get(port_, GenerationTarget(body["id"])).body), RawCost(response.body));
  ASSERT_EQ(record["provider_responses"].size(), 1u);
  EXPECT_EQ(record["provider_responses"][0]["status"], 200);
}

TEST_F(AccountingTest, StreamEndsWithOneUsageChunkWithItsCostAndIsRecordedBeforeDone) {
  Start();
  const StreamResponse stream =
      PostStream(port_, "/v1/chat/completions", ChatBody("it/chat", true));
  ASSERT_EQ(stream.status, 200);
  ASSERT_GE(stream.events.size(), 3u);
  ASSERT_EQ(stream.events.back(), "[DONE]");
  int usage_chunks = 0;
  for (const std::string& event : stream.events) {
    if (event != "[DONE]" && json::parse(event)["usage"].is_object()) ++usage_chunks;
  }
  EXPECT_EQ(usage_chunks, 1);
  const std::string& last = stream.events[stream.events.size() - 2];
  const json chunk = json::parse(last);
  EXPECT_EQ(chunk["choices"], json::array());
  const json usage = chunk["usage"];
  const int64_t expected = (usage["prompt_tokens"].get<int64_t>() - 2) * kPrompt + 2 * kCached +
                           usage["completion_tokens"].get<int64_t>() * kCompletion;
  EXPECT_EQ(RawCost(last), Usd(expected)) << last;
  const json record = Generation(chunk["id"]);
  EXPECT_EQ(record["streamed"], true);
  EXPECT_EQ(RawTotalCost(Get(port_, GenerationTarget(chunk["id"])).body), Usd(expected));
  EXPECT_TRUE(record["time_to_first_token"].is_number());
}

TEST_F(AccountingTest, MissingProviderUsageIsEstimatedAndMarked) {
  Start();
  const HttpResponse response = Post(port_, "/v1/chat/completions", ChatBody("it/silent"));
  ASSERT_EQ(response.status, 200);
  const json usage = response.Json()["usage"];
  EXPECT_EQ(usage["estimated"], true);
  EXPECT_GT(usage["prompt_tokens"].get<int64_t>(), 0);
  EXPECT_GT(usage["completion_tokens"].get<int64_t>(), 0);
  EXPECT_EQ(RawCost(response.body), Usd(usage["prompt_tokens"].get<int64_t>() * kPrompt +
                                        usage["completion_tokens"].get<int64_t>() * kCompletion));
  EXPECT_EQ(Generation(response.Json()["id"])["estimated"], true);

  const StreamResponse stream =
      PostStream(port_, "/v1/chat/completions", ChatBody("it/silent", true));
  ASSERT_GE(stream.events.size(), 2u);
  const json chunk = json::parse(stream.events[stream.events.size() - 2]);
  EXPECT_EQ(chunk["usage"]["estimated"], true);
  EXPECT_EQ(chunk["choices"], json::array());
}

TEST_F(AccountingTest, MalformedProviderUsageIsEstimatedLoggedAndCounted) {
  Start();
  const HttpResponse response = Post(port_, "/v1/chat/completions", ChatBody("it/faulty"));
  ASSERT_EQ(response.status, 200) << response.body;
  const json usage = response.Json()["usage"];
  EXPECT_EQ(usage["estimated"], true);  // the provider's invalid counts never reach the client
  EXPECT_GT(usage["prompt_tokens"].get<int64_t>(), 0);
  EXPECT_GT(usage["completion_tokens"].get<int64_t>(), 0);
  EXPECT_EQ(RawCost(response.body), Usd(usage["prompt_tokens"].get<int64_t>() * kPrompt +
                                        usage["completion_tokens"].get<int64_t>() * kCompletion));
  const std::string id = response.Json()["id"];
  EXPECT_EQ(Generation(id)["estimated"], true);

  const StreamResponse stream =
      PostStream(port_, "/v1/chat/completions", ChatBody("it/faulty", true));
  ASSERT_GE(stream.events.size(), 2u);
  int usage_chunks = 0;
  for (const std::string& event : stream.events) {
    if (event != "[DONE]" && json::parse(event)["usage"].is_object()) ++usage_chunks;
  }
  EXPECT_EQ(usage_chunks, 1);  // the invalid one dropped, ours added
  EXPECT_EQ(json::parse(stream.events[stream.events.size() - 2])["usage"]["estimated"], true);

  EXPECT_NE(Get(port_, "/metrics").body.find("gateway_usage_malformed_total 2"), std::string::npos);
  EXPECT_TRUE(gateway()
                  .WaitForLine([&id](const std::string& line) {
                    return line.find("\"event\":\"malformed_usage\"") != std::string::npos &&
                           line.find(id) != std::string::npos;
                  })
                  .has_value());
}

TEST_F(AccountingTest, AClientThatHangsUpIsChargedForWhatWasGeneratedAndMarkedCancelled) {
  Start();
  const StreamResponse stream =
      PostStream(port_, "/v1/chat/completions", ChatBody("it/slow", true), {}, size_t{5});
  ASSERT_FALSE(stream.events.empty());
  const std::string id = json::parse(stream.events.front())["id"];
  const json record = WaitForGeneration(id);
  ASSERT_FALSE(record.is_null());
  EXPECT_EQ(record["cancelled"], true);
  EXPECT_EQ(record["estimated"], true);
  const int64_t completion = record["native_tokens_completion"];
  EXPECT_GT(completion, 0);
  EXPECT_LT(completion, 200);
  EXPECT_GT(record["total_cost"].get<double>(), 0);
}

TEST_F(AccountingTest, EveryAttemptIsRecorded) {
  Start();
  const HttpResponse response =
      Post(port_, "/v1/chat/completions",
           ChatBody("it/flaky", false, R"("provider":{"order":["sim"]})"));
  ASSERT_EQ(response.status, 200) << response.body;
  const json record = Generation(response.Json()["id"]);
  EXPECT_EQ(record["provider_name"], "backup");
  ASSERT_EQ(record["provider_responses"].size(), 2u);
  EXPECT_EQ(record["provider_responses"][0]["provider_name"], "sim");
  EXPECT_EQ(record["provider_responses"][0]["status"], 503);
  EXPECT_EQ(record["provider_responses"][1]["provider_name"], "backup");
  EXPECT_EQ(record["provider_responses"][1]["status"], 200);
}

TEST_F(AccountingTest, GenerationLookupErrors) {
  Start();
  EXPECT_EQ(Get(port_, "/v1/generation").status, 400);
  EXPECT_EQ(Get(port_, "/v1/generation?id=").status, 400);
  EXPECT_EQ(Get(port_, "/v1/generation?id=gen-1&colour=red").status, 400);
  const HttpResponse unknown = Get(port_, "/v1/generation?id=gen-nope");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.Json()["error"]["code"], 404);
  EXPECT_NE(unknown.Json()["error"]["message"].get<std::string>().find("gen-nope"),
            std::string::npos);
  EXPECT_EQ(Get(port_, "/api/v1/generation?id=gen-nope").status, 404);
}

TEST_F(AccountingTest, ActivityRowsByDayModelAndProviderAsJsonAndCsv) {
  Start();
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(
        Post(port_, "/v1/chat/completions", ChatBody("it/chat", false, R"("user":"u1")")).status,
        200);
  }
  ASSERT_EQ(Post(port_, "/v1/chat/completions", ChatBody("it/silent")).status, 200);
  const json rows = WaitForActivity(4);
  ASSERT_EQ(rows.size(), 2u) << rows;
  std::map<std::string, json> by_model;
  for (const json& row : rows) by_model[row["model"]] = row;
  EXPECT_EQ(by_model["it/chat"]["requests"], 3);
  EXPECT_EQ(by_model["it/chat"]["provider_name"], "sim");
  EXPECT_EQ(by_model["it/chat"]["completion_tokens"], 15);
  EXPECT_EQ(by_model["it/chat"]["cached_tokens"], 6);
  EXPECT_EQ(by_model["it/silent"]["requests"], 1);

  const json filtered = WaitForActivity(3, "?user=u1");
  ASSERT_EQ(filtered.size(), 1u);
  EXPECT_EQ(filtered[0]["model"], "it/chat");

  const HttpResponse csv = Get(port_, "/v1/activity?format=csv&model=it/chat");
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.Header("content-type").rfind("text/csv", 0), 0u);
  EXPECT_NE(csv.Header("content-disposition").find("attachment"), std::string::npos);
  EXPECT_EQ(csv.body.rfind("date,model,provider_name,requests,", 0), 0u) << csv.body;
  EXPECT_NE(csv.body.find(",it/chat,sim,3,"), std::string::npos) << csv.body;

  EXPECT_EQ(Get(port_, "/v1/activity?from=2026-02-30").status, 400);
  EXPECT_EQ(Get(port_, "/v1/activity?from=2026-05-02&to=2026-05-01").status, 400);
  EXPECT_EQ(Get(port_, "/v1/activity?format=xml").status, 400);
  EXPECT_EQ(Get(port_, "/v1/activity?group=model").status, 400);
}

TEST_F(AccountingTest, AFullQueueRefusesNewRequestsAndSigtermFlushesEverything) {
  // One record may wait and batches are written once a minute (no retention pass at start,
  // which would write at once): the second request finds the queue full. SIGTERM must still
  // write the queued record. `durability: async`: under `commit` the first answer would wait
  // for its record to be written, leaving the queue empty.
  const std::string database = WriteTempFile("admission.sqlite3", "");
  std::filesystem::remove(database);
  Start(std::string("accounting:\n  database: ") + database +
        "\n  queue_capacity: 1\n  flush_interval_ms: 60000\n  retention_days: 0\n"
        "  durability: async\n");
  const HttpResponse first = Post(port_, "/v1/chat/completions", ChatBody("it/chat"));
  ASSERT_EQ(first.status, 200);
  const HttpResponse second = Post(port_, "/v1/chat/completions", ChatBody("it/chat"));
  EXPECT_EQ(second.status, 503) << second.body;
  const std::string refusal = second.Json()["error"]["message"];
  EXPECT_NE(refusal.find("usage accounting is behind"), std::string::npos) << refusal;
  EXPECT_EQ(second.Header("retry-after"), "1");
  const std::string metrics = Get(port_, "/metrics").body;
  EXPECT_NE(metrics.find("gateway_accounting_refused_requests_total 1"), std::string::npos);
  EXPECT_NE(metrics.find("gateway_ledger_queue_depth 1"), std::string::npos);

  gateway().Signal(SIGTERM);
  ASSERT_EQ(gateway().WaitForExit(), 0);
  gateway_.reset();
  const std::string config = WriteTempFile("admission-cli.yaml", yaml_);  // names `database`
  const auto [status, output] =
      RunGateway(std::string("usage --config ") + config + " --format csv");
  EXPECT_EQ(status, 0) << output;
  EXPECT_NE(output.find("it/chat,1,"), std::string::npos) << output;
  EXPECT_NE(output.find("total,1,"), std::string::npos) << output;
}

TEST_F(AccountingTest, UsageCommandPrintsATableWithTotals) {
  Start();
  ASSERT_EQ(Post(port_, "/v1/chat/completions", ChatBody("it/chat")).status, 200);
  ASSERT_EQ(Post(port_, "/v1/chat/completions", ChatBody("it/silent")).status, 200);
  WaitForActivity(2);
  const std::string config = WriteTempFile(
      "usage-cli.yaml", yaml_ + std::string("accounting:\n  database: ") + ledger_path() + "\n");
  const auto [status, table] =
      RunGateway(std::string("usage --config ") + config + " --by provider");
  EXPECT_EQ(status, 0) << table;
  EXPECT_NE(table.find("provider"), std::string::npos) << table;
  EXPECT_NE(table.find("total"), std::string::npos) << table;
  EXPECT_NE(table.find("sim"), std::string::npos) << table;
  const auto [json_status, report] =
      RunGateway(std::string("usage --config ") + config + " --format json");
  ASSERT_EQ(json_status, 0) << report;
  EXPECT_EQ(json::parse(report)["totals"]["requests"], 2);

  const auto [bad_status, bad] =
      RunGateway(std::string("usage --config ") + config + " --by colour");
  EXPECT_EQ(bad_status, 2);
  EXPECT_NE(bad.find("--by"), std::string::npos) << bad;
  const auto [date_status, date] =
      RunGateway(std::string("usage --config ") + config + " --from yesterday");
  EXPECT_EQ(date_status, 1);
  EXPECT_NE(date.find("from"), std::string::npos) << date;
}

TEST_F(AccountingTest, ACorruptLedgerStopsStartUpWithAnErrorNamingTheFile) {
  const int sim = StartSimulator();
  const std::string database = WriteTempFile("corrupt.sqlite3", std::string(8192, 'x'));
  const std::string config =
      WriteTempFile("corrupt.yaml", GatewayYaml({{"sim", sim, ""}}, {{"it/chat", {{"sim"}}}}) +
                                        std::string("accounting:\n  database: ") + database + "\n");
  const auto [status, output] = RunGateway(std::string("serve --config ") + config);
  EXPECT_EQ(status, 1) << output;
  EXPECT_NE(output.find(database), std::string::npos) << output;
}

}  // namespace
}  // namespace gw::testing

namespace gw::testing {
namespace {

TEST_F(AccountingTest, RecordsNameTheCallersKeyAndActivityFiltersByIt) {
  setenv("IT_ACCOUNTING_KEY_1", "first-key", 1);
  setenv("IT_ACCOUNTING_KEY_2", "second-key", 1);
  const int sim = StartSimulator();
  port_ = StartGateway(
      GatewayYaml({{"sim", sim, ""}}, {{"it/chat", {{"sim"}}}},
                  "  auth:\n    keys: [\"${IT_ACCOUNTING_KEY_1}\", \"${IT_ACCOUNTING_KEY_2}\"]\n"));
  const Headers second = {{"Authorization", "Bearer second-key"}};
  const HttpResponse response = Post(port_, "/v1/chat/completions", ChatBody("it/chat"), second);
  ASSERT_EQ(response.status, 200);
  const HttpResponse record =
      Get(port_, GenerationTarget(response.Json()["id"].get<std::string>()), second);
  ASSERT_EQ(record.status, 200) << record.body;
  EXPECT_EQ(record.Json()["data"]["api_key_id"], "key-2");
  EXPECT_EQ(Get(port_, "/v1/generation?id=x").status, 401);  // usage is not public
  // Another key cannot read it, nor ask for key-2's activity.
  const Headers first = {{"Authorization", "Bearer first-key"}};
  EXPECT_EQ(Get(port_, GenerationTarget(response.Json()["id"].get<std::string>()), first).status,
            404);
  EXPECT_EQ(Get(port_, "/v1/activity?key=key-2", first).status, 403);
  ASSERT_EQ(Post(port_, "/v1/chat/completions", ChatBody("it/chat"),
                 {{"Authorization", "Bearer first-key"}})
                .status,
            200);
  json rows;
  WaitUntil([&] {
    rows = Get(port_, "/v1/activity?key=key-2", second).Json()["data"];
    return !rows.empty();
  });
  ASSERT_EQ(rows.size(), 1u) << rows;
  EXPECT_EQ(rows[0]["requests"], 1);
}

TEST_F(AccountingTest, AClientGoneDuringKeepAlivesIsRecordedCancelledAndFree) {
  const int sim = StartSimulator();
  port_ = StartGateway(GatewayYaml({{"sim", sim, ""}},
                                   {{"it/slow-start", {{"sim", "sim-model?ttft_ms=3000"}}}},
                                   "  stream_keepalive_ms: 20\n"));
  const std::string body = ChatBody("it/slow-start", true);
  auto connection = std::make_unique<RawConnection>(port_);
  connection->Send(
      "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: "
      "application/json\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body);
  const std::string head = connection->ReadUntil(": PROCESSING");
  std::smatch match;
  ASSERT_TRUE(std::regex_search(head, match, std::regex("X-Generation-Id: (gen-[0-9a-f-]+)")))
      << head;
  const std::string id = match[1];
  connection.reset();  // hang up while the provider is still silent
  const json record = WaitForGeneration(id);
  ASSERT_FALSE(record.is_null());
  EXPECT_EQ(record["cancelled"], true);
  EXPECT_EQ(record["native_tokens_completion"], 0);
  EXPECT_EQ(record["total_cost"], 0);
}

}  // namespace
}  // namespace gw::testing

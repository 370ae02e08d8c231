// Managed keys through the real gateway (docs/keys.md): the management API and its rejections,
// the 401/402/403/429 of the request path, GET /v1/key and /v1/credits, the `gateway keys` CLI
// against a running gateway, and 64 clients racing for a budget that affords exactly N requests.
#include <atomic>
#include <fstream>
#include <iterator>
#include <thread>

#include "accounting/keys/key_store.h"
#include "tests/integration/cluster.h"
#include "tests/integration/wait_until.h"

namespace gw::testing {
namespace {

using nlohmann::json;

constexpr char kAdminSecret[] = "it-keys-admin-secret";
constexpr char kBootSecret[] = "it-keys-plain-secret";

struct CreatedKey {
  std::string hash;
  std::string secret;
};

class KeysTest : public Cluster {
 protected:
  // Prices: prompt free, completion 1 USD per 1M tokens (1,000 nano-USD per token), so a
  // request with max_tokens 10 reserves exactly 10,000 nano-USD and costs exactly that when the
  // simulator answers 10 tokens.
  void Start() {
    setenv("IT_KEYS_ADMIN", kAdminSecret, 1);
    setenv("IT_KEYS_PLAIN", kBootSecret, 1);
    const int sim = StartSimulator();
    const std::string prices = "{ prompt: 0, completion: 1 }";
    port_ = StartGateway(GatewayYaml(
        {{"sim", sim, ""}, {"other", sim, ""}},
        {{"it/chat", {{"sim", "sim-model?tokens=10", prices}}},
         {"it/other", {{"other", "sim-model?tokens=10", prices}}}},
        "  auth:\n    keys: [\"${IT_KEYS_PLAIN}\"]\n    admin_keys: [\"${IT_KEYS_ADMIN}\"]\n"));
  }

  HttpResponse Manage(const std::string& method, const std::string& target,
                      const std::string& body = "") {
    return Request(port_, method, target, body, Bearer(kAdminSecret));
  }

  CreatedKey Create(const json& fields) {
    const HttpResponse created = Manage("POST", "/v1/keys", fields.dump());
    EXPECT_EQ(created.status, 201) << created.body;
    if (created.status != 201) return {};
    return {created.Json()["data"]["hash"], created.Json()["key"]};
  }

  HttpResponse Chat(const std::string& secret, const std::string& model = "it/chat",
                    const std::string& extra = "\"max_tokens\":10") {
    return Post(port_, "/v1/chat/completions", ChatBody(model, false, extra), Bearer(secret));
  }

  std::string ErrorMessage(const HttpResponse& response) {
    return response.Json()["error"]["message"].get<std::string>();
  }

  int port_ = 0;
};

TEST_F(KeysTest, AnAdminCreatesListsUpdatesAndDeletesKeys) {
  Start();
  const HttpResponse created = Manage(
      "POST", "/api/v1/keys",
      R"({"name":"search team","limit":25,"limit_reset":"monthly","expires_at":"2099-01-01T00:00:00Z"})");
  ASSERT_EQ(created.status, 201) << created.body;
  const json data = created.Json()["data"];
  const std::string secret = created.Json()["key"];
  const std::string hash = data["hash"];
  EXPECT_TRUE(secret.starts_with("sk-gw-v1-"));
  EXPECT_EQ(hash.size(), 64u);
  EXPECT_EQ(data["name"], "search team");
  EXPECT_EQ(data["limit"], 25);
  EXPECT_EQ(data["limit_remaining"], 25);
  EXPECT_EQ(data["limit_reset"], "monthly");
  EXPECT_EQ(data["expires_at"], "2099-01-01T00:00:00.000Z");
  EXPECT_EQ(data["usage"], 0);
  EXPECT_EQ(data["disabled"], false);
  EXPECT_EQ(created.body.find(secret), created.body.rfind(secret));  // once, as "key"

  // The secret is not stored: no listing or read shows it again.
  const HttpResponse listed = Manage("GET", "/v1/keys");
  ASSERT_EQ(listed.status, 200) << listed.body;
  ASSERT_EQ(listed.Json()["data"].size(), 1u);
  EXPECT_EQ(listed.Json()["data"][0]["hash"], hash);
  EXPECT_EQ(listed.body.find(secret.substr(12)), std::string::npos);
  EXPECT_EQ(Manage("GET", "/v1/keys/" + hash).Json()["data"]["label"], data["label"]);

  // The key works at once.
  ASSERT_EQ(Chat(secret).status, 200);
  const HttpResponse patched = Manage("PATCH", "/v1/keys/" + hash, R"({"disabled":true})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.Json()["data"]["disabled"], true);
  EXPECT_EQ(patched.Json()["data"]["name"], "search team");  // the rest unchanged
  const HttpResponse refused = Chat(secret);
  EXPECT_EQ(refused.status, 401);
  EXPECT_EQ(ErrorMessage(refused),
            "this API key (" + data["label"].get<std::string>() + ") is disabled");
  EXPECT_EQ(Manage("GET", "/v1/keys?include_disabled=false").Json()["data"].size(), 0u);
  EXPECT_EQ(Manage("GET", "/v1/keys?offset=1").Json()["data"].size(), 0u);

  const HttpResponse deleted = Manage("DELETE", "/v1/keys/" + hash);
  ASSERT_EQ(deleted.status, 200);
  EXPECT_EQ(deleted.Json(), json::parse(R"({"deleted":true})"));
  EXPECT_EQ(Manage("GET", "/v1/keys/" + hash).status, 404);
  EXPECT_EQ(ErrorMessage(Chat(secret)), "invalid API key");
}

TEST_F(KeysTest, MalformedManagementRequestsAreRefusedSayingWhy) {
  Start();
  const CreatedKey key = Create({{"name", "k"}});
  const std::vector<std::tuple<std::string, std::string, std::string, int, std::string>> cases = {
      {"POST", "/v1/keys", "{", 400, "not valid JSON"},
      {"POST", "/v1/keys", "[]", 400, "must be a JSON object"},
      {"POST", "/v1/keys", R"({"limit":5})", 400, "name: required"},
      {"POST", "/v1/keys", R"({"name":"a","limit":-5})", 400, "limit: expected an amount"},
      {"POST", "/v1/keys", R"({"name":"a","limit_reset":"hourly"})", 400, "limit_reset"},
      {"POST", "/v1/keys", R"({"name":"a","expires_at":"2001-01-01T00:00:00Z"})", 400,
       "is in the past"},
      {"POST", "/v1/keys", R"({"name":"a","scopes":["x"]})", 400, "unknown field \\\"scopes\\\""},
      {"PATCH", "/v1/keys/" + key.hash, R"({"rate_limit":{"requests_per_minute":"many"}})", 400,
       "rate_limit.requests_per_minute"},
      {"GET", "/v1/keys?offset=-1", "", 400, "offset"},
      {"GET", "/v1/keys?include_disabled=maybe", "", 400, "include_disabled"},
      {"GET", "/v1/keys?colour=red", "", 400, "colour"},
      {"GET", "/v1/keys/" + std::string(64, '0'), "", 404, "no key with hash"},
      {"PUT", "/v1/keys", "{}", 405, "use GET, HEAD, POST"},
      {"POST", "/v1/keys/" + key.hash, "{}", 405, "use GET, HEAD, PATCH, DELETE"},
  };
  for (const auto& [method, target, body, status, message] : cases) {
    SCOPED_TRACE(method + " " + target + " " + body);
    const HttpResponse response = Manage(method, target, body);
    EXPECT_EQ(response.status, status) << response.body;
    EXPECT_NE(response.body.find(message), std::string::npos) << response.body;
  }
  // Nothing was created by the refused requests.
  EXPECT_EQ(Manage("GET", "/v1/keys").Json()["data"].size(), 1u);
}

TEST_F(KeysTest, OnlyAdminKeysMayCallTheManagementApi) {
  Start();
  const CreatedKey managed = Create({{"name", "k"}});
  for (const std::string& secret : {managed.secret, std::string(kBootSecret)}) {
    const HttpResponse listed = Request(port_, "GET", "/v1/keys", "", Bearer(secret));
    EXPECT_EQ(listed.status, 403) << listed.body;
    EXPECT_EQ(Request(port_, "POST", "/v1/keys", R"({"name":"x"})", Bearer(secret)).status, 403);
    EXPECT_EQ(Request(port_, "DELETE", "/v1/keys/" + managed.hash, "", Bearer(secret)).status, 403);
  }
  EXPECT_EQ(Request(port_, "GET", "/v1/keys", "").status, 401);
  EXPECT_EQ(Manage("GET", "/v1/keys").Json()["data"].size(), 1u);
}

TEST_F(KeysTest, AnExpiredKeyIsRefused) {
  Start();
  // Written to the key table as the CLI would (the API refuses an expiry in the past).
  accounting::keys::KeyStore store(accounting::keys::KeyStorePathFor(ledger_path()));
  const CreatedKey live = Create({{"name", "soon expired"}});
  std::optional<accounting::keys::ApiKey> stored = store.Get(live.hash);
  ASSERT_TRUE(stored);
  stored->expires_at_ms = 1'000;  // 1970
  ASSERT_TRUE(store
                  .Modify(stored->hash,
                          [&stored](accounting::keys::ApiKey& row) {
                            row = *stored;
                            return std::string();
                          })
                  .key);
  HttpResponse refused;
  ASSERT_TRUE(WaitUntil([&] {  // the gateway rereads the table within a second
    refused = Chat(live.secret);
    return refused.status == 401;
  })) << refused.body;
  EXPECT_EQ(ErrorMessage(refused),
            "this API key (" + stored->label + ") expired at 1970-01-01T00:00:01.000Z");
}

TEST_F(KeysTest, AKeyMayUseOnlyItsAllowedModelsAndProviders) {
  Start();
  const CreatedKey only_chat = Create({{"name", "a"}, {"allowed_models", {"it/chat"}}});
  EXPECT_EQ(Chat(only_chat.secret).status, 200);
  EXPECT_EQ(Chat(only_chat.secret, "it/chat:floor").status, 200);  // a variant of an allowed model
  const HttpResponse refused = Chat(only_chat.secret, "it/other");
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_NE(ErrorMessage(refused).find("may not use model \"it/other\""), std::string::npos);
  // A fallback the key may use is taken instead.
  EXPECT_EQ(Chat(only_chat.secret, "it/other", R"("models":["it/chat"],"max_tokens":10)").status,
            200);
  const CreatedKey no_other = Create({{"name", "b"}, {"denied_providers", {"other"}}});
  const HttpResponse by_provider = Chat(no_other.secret, "it/other");
  EXPECT_EQ(by_provider.status, 403) << by_provider.body;
  EXPECT_NE(ErrorMessage(by_provider).find("provider \"other\""), std::string::npos);
}

TEST_F(KeysTest, ARateLimitAnswers429WithRetryAfterAndTheLimitHeaders) {
  Start();
  const CreatedKey key = Create({{"name", "slow"}, {"rate_limit", {{"requests_per_minute", 2}}}});
  ASSERT_EQ(Chat(key.secret).status, 200);
  ASSERT_EQ(Chat(key.secret).status, 200);
  const HttpResponse limited = Chat(key.secret);
  ASSERT_EQ(limited.status, 429) << limited.body;
  EXPECT_EQ(limited.Json()["error"]["code"], 429);
  EXPECT_NE(ErrorMessage(limited).find("2 requests per minute"), std::string::npos);
  const int retry_after = std::stoi(limited.Header("retry-after"));
  EXPECT_GT(retry_after, 0);
  EXPECT_LE(retry_after, 30);  // one request refills in 60 s / 2
  EXPECT_EQ(limited.Header("x-ratelimit-limit"), "2");
  EXPECT_EQ(limited.Header("x-ratelimit-remaining"), "0");
  EXPECT_GT(std::stoll(limited.Header("x-ratelimit-reset")), 1'700'000'000'000);  // epoch ms
  // The management API shows the headroom: none left.
  const json headroom =
      Manage("GET", "/v1/keys/" + key.hash).Json()["data"]["rate_limit_remaining"];
  EXPECT_EQ(headroom["requests_per_minute"], 0) << headroom;
  EXPECT_TRUE(headroom["tokens_per_minute"].is_null()) << headroom;
  // Another key is not affected; nor is a per-user limit shared between users.
  const CreatedKey per_user =
      Create({{"name", "users"}, {"user_rate_limit", {{"requests_per_minute", 1}}}});
  const std::string alice = R"("user":"alice","max_tokens":10)";
  const std::string bob = R"("user":"bob","max_tokens":10)";
  EXPECT_EQ(Chat(per_user.secret, "it/chat", alice).status, 200);
  EXPECT_EQ(Chat(per_user.secret, "it/chat", alice).status, 429);
  EXPECT_EQ(Chat(per_user.secret, "it/chat", bob).status, 200);
}

TEST_F(KeysTest, ARequestTheBudgetCannotAffordIs402AndFitsWithASmallerMaxTokens) {
  Start();
  // 0.000015 USD = 15,000 nano: one request of max_tokens 10 (10,000), not two.
  const CreatedKey key = Create({{"name", "small"}, {"limit", 0.000015}});
  ASSERT_EQ(Chat(key.secret).status, 200);
  const HttpResponse refused = Chat(key.secret);
  ASSERT_EQ(refused.status, 402) << refused.body;
  EXPECT_EQ(refused.Json()["error"]["code"], 402);
  EXPECT_NE(ErrorMessage(refused).find("can cost up to $0.00001 "), std::string::npos)
      << refused.body;
  EXPECT_NE(ErrorMessage(refused).find("has $0.000005 left of its limit of $0.000015"),
            std::string::npos)
      << refused.body;
  // What it can afford: 5 tokens.
  EXPECT_EQ(Chat(key.secret, "it/chat", R"("max_tokens":5)").status, 200);
  EXPECT_EQ(Chat(key.secret, "it/chat", R"("max_tokens":1)").status, 402);
  // A per-user budget refuses one user and not the next.
  const CreatedKey users = Create({{"name", "users"}, {"user_limit", 0.00001}});
  EXPECT_EQ(Chat(users.secret, "it/chat", R"("user":"alice","max_tokens":10)").status, 200);
  const HttpResponse alice = Chat(users.secret, "it/chat", R"("user":"alice","max_tokens":10)");
  EXPECT_EQ(alice.status, 402);
  EXPECT_NE(ErrorMessage(alice).find("user \"alice\""), std::string::npos) << alice.body;
  EXPECT_EQ(Chat(users.secret, "it/chat", R"("user":"bob","max_tokens":10)").status, 200);
}

TEST_F(KeysTest, KeyAndCreditsReportLimitRemainderAndUsage) {
  Start();
  const CreatedKey key = Create({{"name", "reporting"}, {"limit", 1}, {"limit_reset", "daily"}});
  ASSERT_EQ(Chat(key.secret).status, 200);
  json data;
  ASSERT_TRUE(WaitUntil([&] {  // usage comes from the ledger's rollups, written in batches
    data = Get(port_, "/v1/key", Bearer(key.secret)).Json()["data"];
    return data["usage"] == 0.00001;
  })) << data;
  EXPECT_EQ(data["label"].get<std::string>().substr(0, 9), "sk-gw-v1-");
  EXPECT_EQ(data["limit"], 1);
  EXPECT_EQ(data["limit_remaining"], 0.99999);
  EXPECT_EQ(data["limit_reset"], "daily");
  EXPECT_EQ(data["usage_daily"], 0.00001);
  EXPECT_EQ(data["usage_weekly"], 0.00001);
  EXPECT_EQ(data["usage_monthly"], 0.00001);
  EXPECT_EQ(data["is_free_tier"], false);
  const json credits = Get(port_, "/api/v1/credits", Bearer(key.secret)).Json()["data"];
  EXPECT_EQ(credits["total_credits"], 1);
  EXPECT_EQ(credits["total_usage"], 0.00001);
  // The admin sees the totals over every key.
  Create({{"name", "second"}, {"limit", 2.5}});
  const json all = Get(port_, "/v1/credits", Bearer(kAdminSecret)).Json()["data"];
  EXPECT_EQ(all["total_credits"], 3.5);
  EXPECT_EQ(all["total_usage"], 0.00001);
  // A config key has no limit.
  const json plain = Get(port_, "/v1/key", Bearer(kBootSecret)).Json()["data"];
  EXPECT_TRUE(plain["limit"].is_null());
}

// 64 clients race for a budget that affords exactly 5 requests at their reservation (each
// costs exactly its reservation): exactly 5 succeed, the rest get 402, and the ledger's total
// for the key is the limit, never more.
TEST_F(KeysTest, ConcurrentClientsNeverOverspendABudget) {
  Start();
  const CreatedKey key = Create({{"name", "raced"}, {"limit", 0.00005}});
  std::atomic<int> ok{0}, payment_required{0}, other{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> clients;
  for (int i = 0; i < 64; ++i) {
    clients.emplace_back([&, i] {
      while (!go.load()) std::this_thread::yield();
      int status = 0;
      if (i % 2 == 0) {
        status = Chat(key.secret).status;
      } else {
        status = PostStream(port_, "/v1/chat/completions",
                            ChatBody("it/chat", true, "\"max_tokens\":10"), Bearer(key.secret))
                     .status;
      }
      (status == 200 ? ok : status == 402 ? payment_required : other)++;
    });
  }
  go = true;
  for (std::thread& client : clients) client.join();
  EXPECT_EQ(ok.load(), 5);
  EXPECT_EQ(payment_required.load(), 59);
  EXPECT_EQ(other.load(), 0);
  json data;
  ASSERT_TRUE(WaitUntil([&] {
    data = Get(port_, "/v1/key", Bearer(key.secret)).Json()["data"];
    return data["usage"] == 0.00005;
  })) << data;
  EXPECT_EQ(data["limit_remaining"], 0);
  // The budget survives a restart: spend is rebuilt from the ledger.
  gateway_->Signal(SIGTERM);
  ASSERT_EQ(gateway_->WaitForExit(), 0);
  std::ifstream config(config_path());
  port_ = StartGateway(std::string(std::istreambuf_iterator<char>(config), {}));
  EXPECT_EQ(Chat(key.secret).status, 402);
}

TEST_F(KeysTest, TheCliManagesKeysOfARunningGateway) {
  Start();
  const auto [status, output] =
      RunGateway("keys create --config " + config_path() +
                 " --name 'from cli' --limit 0.00001 --reset weekly --rpm 100");
  ASSERT_EQ(status, 0) << output;
  const size_t brace = output.find('{');
  ASSERT_NE(brace, std::string::npos) << output;
  const json created = json::parse(output.substr(brace));
  const std::string secret = created["key"];
  const std::string hash = created["data"]["hash"];
  EXPECT_EQ(created["data"]["limit_reset"], "weekly");
  EXPECT_EQ(created["data"]["rate_limit"]["requests_per_minute"], 100);
  HttpResponse answered;
  ASSERT_TRUE(WaitUntil([&] {  // the gateway rereads the table within a second
    answered = Chat(secret);
    return answered.status == 200;
  })) << answered.body;
  EXPECT_EQ(Chat(secret).status, 402);  // the CLI's limit holds

  const auto [listed_status, listed] = RunGateway("keys list --config " + config_path());
  EXPECT_EQ(listed_status, 0) << listed;
  EXPECT_NE(listed.find("from cli"), std::string::npos) << listed;
  // A flag given alone changes only its half of the rate limit.
  const auto [tpm_status, tpm_updated] =
      RunGateway("keys update " + hash + " --config " + config_path() + " --tpm 5000");
  ASSERT_EQ(tpm_status, 0) << tpm_updated;
  const json with_tpm = json::parse(tpm_updated.substr(tpm_updated.find('{')));
  EXPECT_EQ(with_tpm["data"]["rate_limit"]["requests_per_minute"], 100) << tpm_updated;
  EXPECT_EQ(with_tpm["data"]["rate_limit"]["tokens_per_minute"], 5000) << tpm_updated;
  const auto [updated_status, updated] =
      RunGateway("keys update " + hash + " --config " + config_path() + " --disable");
  ASSERT_EQ(updated_status, 0) << updated;
  ASSERT_TRUE(WaitUntil([&] { return Chat(secret).status == 401; }));
  const auto [bad_status, bad] =
      RunGateway("keys update " + hash + " --config " + config_path() + " --limit lots");
  EXPECT_EQ(bad_status, 1);
  EXPECT_NE(bad.find("--limit: expected an amount in USD"), std::string::npos) << bad;
  const auto [deleted_status, deleted] =
      RunGateway("keys delete " + hash + " --config " + config_path());
  EXPECT_EQ(deleted_status, 0) << deleted;
  const auto [missing_status, missing] =
      RunGateway("keys show " + hash + " --config " + config_path());
  EXPECT_EQ(missing_status, 1);
  EXPECT_NE(missing.find("no key with hash"), std::string::npos) << missing;
}

}  // namespace
}  // namespace gw::testing

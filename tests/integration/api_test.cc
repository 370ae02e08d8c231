// The gateway's happy paths through real processes: answers stamped with our id, model and
// provider; what is forwarded upstream; legacy completions; model list; auth; fallbacks.
#include <cstdlib>

#include "tests/integration/cluster.h"

namespace gw::testing {
namespace {

class ApiTest : public Cluster {
 protected:
  void SetUp() override {
    setenv("IT_PROVIDER_KEY", "sk-upstream-secret", 1);
    sim_ = StartSimulator();
    port_ = StartGateway(GatewayYaml(
        {{"sim-a", sim_, "    api_key: ${IT_PROVIDER_KEY}\n"},
         {"sim-bad", sim_, ""},
         {"sim-b", sim_, ""}},
        {{"it/chat", {{"sim-a", "sim-model"}}},
         {"it/flaky", {{"sim-bad", "sim-model?status=500&error_rate=1"}, {"sim-b", "other"}}}}));
  }
  int sim_ = 0;
  int port_ = 0;
};

TEST_F(ApiTest, ChatCompletionIsStampedWithGenerationIdModelAndProvider) {
  HttpResponse response = Post(port_, "/v1/chat/completions", ChatBody("it/chat"));
  ASSERT_EQ(response.status, 200) << response.body;
  const auto body = response.Json();
  const std::string id = response.Header("x-generation-id");
  EXPECT_EQ(id.rfind("gen-", 0), 0u);
  EXPECT_EQ(body["id"], id);
  EXPECT_EQ(body["model"], "it/chat");
  EXPECT_EQ(body["provider"], "sim-a");
  EXPECT_EQ(body["object"], "chat.completion");
  EXPECT_FALSE(body["choices"][0]["message"]["content"].get<std::string>().empty());
  EXPECT_EQ(body["choices"][0]["finish_reason"], "stop");
  EXPECT_EQ(body["choices"][0]["native_finish_reason"], "stop");
  EXPECT_GT(body["usage"]["completion_tokens"].get<int>(), 0);
}

TEST_F(ApiTest, GenerationIdsAreUniquePerRequest) {
  const auto first = Post(port_, "/v1/chat/completions", ChatBody("it/chat")).Json();
  const auto second = Post(port_, "/v1/chat/completions", ChatBody("it/chat")).Json();
  EXPECT_NE(first["id"], second["id"]);
}

TEST_F(ApiTest, UpstreamGetsItsModelNameTheKeyAndNoRouterFields) {
  const std::string extra =
      R"("temperature":0.25,"models":["it/chat"],"provider":{"order":["sim-a"]},)"
      R"("route":"fallback","transforms":[],"usage":{"include":true},"session_id":"s1",)"
      R"("user":"alice","custom_field":{"kept":[1,2]})";
  ASSERT_EQ(Post(port_, "/v1/chat/completions", ChatBody("it/chat", false, extra)).status, 200);
  const auto upstream = LastUpstreamRequest(sim_);
  EXPECT_EQ(upstream["target"], "/v1/chat/completions");
  EXPECT_EQ(upstream["headers"]["authorization"], "Bearer sk-upstream-secret");
  const auto body = nlohmann::json::parse(upstream["body"].get<std::string>());
  EXPECT_EQ(body["model"], "sim-model");
  EXPECT_EQ(body["temperature"], 0.25);
  EXPECT_EQ(body["user"], "alice");
  EXPECT_EQ(body["custom_field"]["kept"], nlohmann::json::array({1, 2}));
  for (const char* field : {"models", "provider", "route", "transforms", "usage", "session_id"}) {
    EXPECT_FALSE(body.contains(field)) << field << " was forwarded";
  }
}

TEST_F(ApiTest, StreamingAsksTheUpstreamForUsageAndKeepsOtherStreamOptions) {
  const auto stream = PostStream(port_, "/v1/chat/completions",
                                 ChatBody("it/chat", true, R"("stream_options":{"x":1})"));
  ASSERT_EQ(stream.status, 200);
  const auto body = nlohmann::json::parse(LastUpstreamRequest(sim_)["body"].get<std::string>());
  EXPECT_EQ(body["stream_options"]["include_usage"], true);
  EXPECT_EQ(body["stream_options"]["x"], 1);
}

TEST_F(ApiTest, LegacyCompletionsAreServed) {
  HttpResponse response =
      Post(port_, "/v1/completions", R"({"model":"it/chat","prompt":"Once","max_tokens":3})");
  ASSERT_EQ(response.status, 200) << response.body;
  const auto body = response.Json();
  EXPECT_EQ(body["object"], "text_completion");
  EXPECT_EQ(body["model"], "it/chat");
  EXPECT_EQ(body["provider"], "sim-a");
  EXPECT_EQ(body["choices"][0]["finish_reason"], "length");
  EXPECT_EQ(body["usage"]["completion_tokens"], 3);
  EXPECT_EQ(LastUpstreamRequest(sim_)["target"], "/v1/completions");
}

TEST_F(ApiTest, ModelListShowsTheCatalogueWithExactPrices) {
  HttpResponse response = Get(port_, "/v1/models");
  ASSERT_EQ(response.status, 200);
  const auto body = response.Json();
  EXPECT_EQ(body["object"], "list");
  ASSERT_EQ(body["data"].size(), 2u);
  const auto& model = body["data"][0];
  EXPECT_EQ(model["id"], "it/chat");
  EXPECT_EQ(model["object"], "model");
  EXPECT_EQ(model["owned_by"], "it");
  EXPECT_EQ(model["context_length"], 1048576);
  EXPECT_EQ(model["pricing"]["prompt"], "0.0000015");
  EXPECT_EQ(model["pricing"]["completion"], "0.000002");
  EXPECT_EQ(model["pricing"]["input_cache_read"], "0.00000075");
  // No cache_write price configured: none is shown.
  EXPECT_FALSE(model["pricing"].contains("input_cache_write")) << model["pricing"];
}

TEST_F(ApiTest, OneModelIsServedByIdWithTheSlashEncodedOrNot) {
  // What client.models.retrieve("it/chat") calls: the Python SDK sends the slash as it is, the
  // Node SDK percent-encodes it.
  const auto listed = Get(port_, "/v1/models").Json()["data"][0];
  for (const std::string path :
       {"/v1/models/it/chat", "/v1/models/it%2Fchat", "/v1/models/it%2fchat",
        "/api/v1/models/it/chat", "/v1/models/it/chat/"}) {
    const HttpResponse response = Get(port_, path);
    ASSERT_EQ(response.status, 200) << path << ": " << response.body;
    EXPECT_EQ(response.Json(), listed) << path;
  }
  EXPECT_EQ(Get(port_, "/v1/models/it%2Fchat/endpoints").Json()["data"]["id"], "it/chat");
}

TEST_F(ApiTest, AnUnknownOrMalformedModelIdIsNamed) {
  const HttpResponse unknown = Get(port_, "/v1/models/acme/nothing");
  ASSERT_EQ(unknown.status, 404) << unknown.body;
  EXPECT_EQ(unknown.Json()["error"]["message"],
            "unknown model \"acme/nothing\"; GET /v1/models lists the models");
  const HttpResponse malformed = Get(port_, "/v1/models/it%2");
  ASSERT_EQ(malformed.status, 400) << malformed.body;
  EXPECT_NE(malformed.Json()["error"]["message"].get<std::string>().find("it%2"),
            std::string::npos);
  EXPECT_EQ(Post(port_, "/v1/models/it/chat", "{}").status, 405);
}

TEST_F(ApiTest, HealthAndReadiness) {
  EXPECT_EQ(Get(port_, "/health").status, 200);
  EXPECT_EQ(Get(port_, "/ready").Json()["status"], "ready");
}

TEST_F(ApiTest, ApiV1AliasServesTheSameEndpoints) {
  EXPECT_EQ(Post(port_, "/api/v1/chat/completions", ChatBody("it/chat")).status, 200);
  EXPECT_EQ(Get(port_, "/api/v1/models").Json()["data"].size(), 2u);
}

TEST_F(ApiTest, FailingEndpointFallsBackToTheNextOne) {
  // Sorting by price (equal prices keep configuration order) makes the failing endpoint first.
  HttpResponse response = Post(port_, "/v1/chat/completions",
                               ChatBody("it/flaky", false, R"("provider":{"sort":"price"})"));
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.Json()["provider"], "sim-b");
  EXPECT_EQ(nlohmann::json::parse(LastUpstreamRequest(sim_)["body"].get<std::string>())["model"],
            "other");
}

TEST_F(ApiTest, ModelsListFallsBackToTheNextModel) {
  HttpResponse response = Post(port_, "/v1/chat/completions",
                               R"({"models":["missing/model","it/chat"],)"
                               R"("messages":[{"role":"user","content":"hi"}]})");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.Json()["model"], "it/chat");
}

TEST_F(ApiTest, AccessLogLineDescribesTheRequest) {
  const auto body = Post(port_, "/v1/chat/completions", ChatBody("it/chat")).Json();
  const std::string id = body["id"];
  auto line =
      gateway().WaitForLine([&](const std::string& l) { return l.find(id) != std::string::npos; });
  ASSERT_TRUE(line.has_value());
  const auto entry = nlohmann::json::parse(*line);
  EXPECT_EQ(entry["method"], "POST");
  EXPECT_EQ(entry["path"], "/v1/chat/completions");
  EXPECT_EQ(entry["status"], 200);
  EXPECT_EQ(entry["model"], "it/chat");
  EXPECT_EQ(entry["provider"], "sim-a");
  EXPECT_GT(entry["bytes_out"].get<int>(), 0);
  EXPECT_TRUE(entry.contains("latency_ms"));
}

class AuthTest : public Cluster {};

TEST_F(AuthTest, BearerKeysAreRequiredWhenConfigured) {
  setenv("IT_GATEWAY_KEY", "gw-key-123", 1);
  const int sim = StartSimulator();
  const int port = StartGateway(GatewayYaml({{"sim", sim, ""}}, {{"it/chat", {{"sim"}}}},
                                            "  auth:\n    keys: [\"${IT_GATEWAY_KEY}\"]\n"));
  HttpResponse missing = Post(port, "/v1/chat/completions", ChatBody("it/chat"));
  EXPECT_EQ(missing.status, 401);
  EXPECT_EQ(missing.Json()["error"]["code"], 401);
  EXPECT_NE(missing.Json()["error"]["message"].get<std::string>().find("Authorization"),
            std::string::npos);
  HttpResponse wrong =
      Post(port, "/v1/chat/completions", ChatBody("it/chat"), {{"Authorization", "Bearer nope"}});
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(wrong.Json()["error"]["message"], "invalid API key");
  EXPECT_EQ(Get(port, "/v1/models").status, 401);
  EXPECT_EQ(Post(port, "/v1/chat/completions", ChatBody("it/chat"),
                 {{"Authorization", "Bearer gw-key-123"}})
                .status,
            200);
  EXPECT_EQ(Get(port, "/health").status, 200);  // probes need no key
}

TEST_F(AuthTest, AnUnauthenticatedUploadIsRefusedBeforeItsBodyIsRead) {
  setenv("IT_GATEWAY_KEY", "gw-key-123", 1);
  const int sim = StartSimulator();
  const int port = StartGateway(GatewayYaml({{"sim", sim, ""}}, {{"it/chat", {{"sim"}}}},
                                            "  auth:\n    keys: [\"${IT_GATEWAY_KEY}\"]\n"));
  RawConnection client(port);
  client.Send(
      "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: 10000000\r\nExpect: 100-continue\r\n\r\n");
  const std::string answer = client.ReadUntil("\r\n\r\n");
  EXPECT_EQ(answer.rfind("HTTP/1.1 401", 0), 0u) << answer;  // no "100 Continue" first
  EXPECT_TRUE(client.PeerClosed());
}

}  // namespace
}  // namespace gw::testing

// ParseConfig on valid input: defaults, every field, and the lookups on Config.
#include "config/loader.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/config/config_test_util.h"

namespace gw::config {
namespace {

using testing::ErrorsText;
using testing::FakeEnv;
using testing::kValidCatalogue;

Config ParseValid(std::string_view yaml, const EnvLookup& env = FakeEnv()) {
  LoadResult result = ParseConfig(yaml, env);
  EXPECT_TRUE(result.errors.empty()) << ErrorsText(result);
  EXPECT_TRUE(result.config.has_value());
  return result.config.value_or(Config{});
}

TEST(ParseConfigTest, MinimalConfigGetsEveryDefault) {
  const Config config = ParseValid(kValidCatalogue);

  const ServerConfig& server = config.server;
  EXPECT_EQ(server.listen.host, "127.0.0.1");
  EXPECT_EQ(server.listen.port, 8080);
  EXPECT_EQ(server.workers, 0u);
  EXPECT_EQ(server.max_header_bytes, 16384u);
  EXPECT_EQ(server.max_body_bytes, 16777216u);
  EXPECT_EQ(server.stream_keepalive_ms, 5000u);
  EXPECT_TRUE(server.access_log);
  EXPECT_TRUE(server.metrics.enabled);
  EXPECT_FALSE(server.metrics.require_key);
  EXPECT_EQ(server.timeouts.idle_ms, 60000u);
  EXPECT_EQ(server.timeouts.header_ms, 10000u);
  EXPECT_EQ(server.timeouts.body_ms, 60000u);
  EXPECT_EQ(server.timeouts.write_ms, 30000u);
  EXPECT_EQ(server.timeouts.shutdown_grace_ms, 10000u);
  EXPECT_FALSE(server.tls.has_value());
  EXPECT_TRUE(server.auth_keys.empty());
  EXPECT_TRUE(server.admin_keys.empty());
  EXPECT_EQ(server.rankings_access, RankingsAccess::kAnyKey);

  ASSERT_EQ(config.providers.size(), 1u);
  const ProviderConfig& provider = config.providers[0];
  EXPECT_EQ(provider.name, "p");
  EXPECT_EQ(provider.kind, ProviderKind::kOpenAi);
  EXPECT_FALSE(provider.base_url.tls);
  EXPECT_EQ(provider.base_url.host, "127.0.0.1");
  EXPECT_EQ(provider.base_url.port, 9000);
  EXPECT_EQ(provider.base_url.path_prefix, "/v1");
  EXPECT_FALSE(provider.api_key.has_value());
  EXPECT_TRUE(provider.headers.empty());
  EXPECT_TRUE(provider.tls_verify);
  EXPECT_EQ(provider.max_idle_connections, 64u);
  EXPECT_EQ(provider.timeouts.connect_ms, 5000u);
  EXPECT_EQ(provider.timeouts.first_byte_ms, 60000u);
  EXPECT_EQ(provider.timeouts.idle_ms, 60000u);
  EXPECT_EQ(provider.timeouts.total_ms, 600000u);

  ASSERT_EQ(config.models.size(), 1u);
  const ModelConfig& model = config.models[0];
  EXPECT_EQ(model.id, "m");
  EXPECT_EQ(model.name, "m");
  EXPECT_EQ(model.description, "");
  EXPECT_EQ(model.created, 0);
  EXPECT_EQ(model.context_length, 1000u);
  EXPECT_EQ(model.author, "m");  // no '/': the whole id
  EXPECT_FALSE(model.open_weights);
  EXPECT_EQ(model.origin_country, "");
  EXPECT_EQ(model.parameters_m, 0);
  EXPECT_FALSE(model.reasoning);
  EXPECT_EQ(model.tokenizer, "o200k_base");
  EXPECT_EQ(model.modality, "text->text");

  ASSERT_EQ(model.endpoints.size(), 1u);
  const EndpointConfig& endpoint = model.endpoints[0];
  EXPECT_EQ(endpoint.provider, "p");
  EXPECT_EQ(endpoint.upstream_model, "up");
  EXPECT_EQ(endpoint.pricing.prompt, 0);
  EXPECT_EQ(endpoint.pricing.completion, 0);
  EXPECT_FALSE(endpoint.pricing.cached_read.has_value());  // billed as prompt
  EXPECT_FALSE(endpoint.pricing.cache_write.has_value());
  EXPECT_FALSE(endpoint.pricing.reasoning.has_value());
  EXPECT_EQ(endpoint.pricing.request, 0);
  EXPECT_EQ(endpoint.context_length, 0u);
  EXPECT_EQ(endpoint.max_completion_tokens, 0u);
  EXPECT_EQ(endpoint.quantization, "");
  EXPECT_TRUE(endpoint.supported_parameters.empty());
  EXPECT_TRUE(endpoint.collects_data);
  EXPECT_FALSE(endpoint.zdr);
  EXPECT_EQ(endpoint.throughput_hint, 0u);
  EXPECT_EQ(endpoint.latency_hint_ms, 0u);
}

constexpr std::string_view kEveryField = R"(server:
  listen: "[::1]:0"
  workers: 4
  max_header_bytes: 8192
  max_body_bytes: 1048576
  stream_keepalive_ms: 0
  access_log: false
  timeouts: { idle_ms: 1, header_ms: 2, body_ms: 3, write_ms: 4, shutdown_grace_ms: 0 }
  tls: { cert_file: CERT, key_file: KEY }
  auth:
    keys: ["${GATEWAY_KEY}", "${OTHER_KEY}"]
providers:
  - name: open.ai_1-x
    kind: openai
    base_url: https://api.example.com:8443/openai/v1/
    api_key: ${OPENAI_API_KEY}
    headers: { X-Custom: value, X-Org: "org ${ORG_ID}" }
    tls_verify: false
    max_idle_connections: 0
    timeouts: { connect_ms: 11, first_byte_ms: 12, idle_ms: 13, total_ms: 14 }
  - name: second
    base_url: http://10.0.0.2/
  - name: claude
    api: anthropic
    base_url: https://api.anthropic.com
    anthropic_version: "2024-01-01"
models:
  - id: meta-llama/llama-3.1-8b-instruct
    name: "Meta: Llama 3.1 8B Instruct"
    description: "An 8B model."
    created: 1721692800
    context_length: 131072
    author: meta
    open_weights: true
    origin_country: US
    parameters_b: 8.03
    reasoning: true
    tokenizer: cl100k_base
    modality: "text+image->text"
    endpoints:
      - provider: open.ai_1-x
        model: llama-3.1-8b
        pricing:
          prompt: 0.15
          completion: 0.60
          cached_read: 0.075
          cache_write: 1.25
          reasoning: 2.5
          request: 0.0004
        context_length: 128000
        max_completion_tokens: 16384
        quantization: fp8
        supported_parameters: [temperature, top_p, stream]
        data_collection: deny
        zdr: true
        throughput_hint: 95
        latency_hint_ms: 350
        first_token_timeout_ms: 2500
      - provider: second
        model: other
        pricing: { reasoning: 0 }
apps:
  - { name: Cline, category: programming }
  - name: "https://chat.example/"
)";

TEST(ParseConfigTest, ReadsEveryField) {
  std::string yaml(kEveryField);
  const std::string cert = GW_SOURCE_DIR "/config/config.h";
  const std::string key = GW_SOURCE_DIR "/config/loader.h";
  yaml.replace(yaml.find("CERT"), 4, cert);
  yaml.replace(yaml.find("KEY }"), 3, key);
  const Config config = ParseValid(yaml, FakeEnv({{"GATEWAY_KEY", "gk-1"},
                                                  {"OTHER_KEY", "gk-2"},
                                                  {"OPENAI_API_KEY", "sk-test"},
                                                  {"ORG_ID", "42"}}));

  const ServerConfig& server = config.server;
  EXPECT_EQ(server.listen.host, "::1");
  EXPECT_EQ(server.listen.port, 0);
  EXPECT_EQ(server.workers, 4u);
  EXPECT_EQ(server.max_header_bytes, 8192u);
  EXPECT_EQ(server.max_body_bytes, 1048576u);
  EXPECT_EQ(server.stream_keepalive_ms, 0u);
  EXPECT_FALSE(server.access_log);
  EXPECT_EQ(server.timeouts.idle_ms, 1u);
  EXPECT_EQ(server.timeouts.header_ms, 2u);
  EXPECT_EQ(server.timeouts.body_ms, 3u);
  EXPECT_EQ(server.timeouts.write_ms, 4u);
  EXPECT_EQ(server.timeouts.shutdown_grace_ms, 0u);
  ASSERT_TRUE(server.tls.has_value());
  EXPECT_EQ(server.tls->cert_file, cert);
  EXPECT_EQ(server.tls->key_file, key);
  ASSERT_EQ(server.auth_keys.size(), 2u);
  EXPECT_EQ(server.auth_keys[0].value, "gk-1");
  EXPECT_EQ(server.auth_keys[0].env_var, "GATEWAY_KEY");
  EXPECT_EQ(server.auth_keys[1].value, "gk-2");
  EXPECT_EQ(server.auth_keys[1].env_var, "OTHER_KEY");

  ASSERT_EQ(config.providers.size(), 3u);
  EXPECT_EQ(config.providers[1].kind, ProviderKind::kOpenAi);
  EXPECT_EQ(config.providers[1].anthropic_version, "2023-06-01");
  EXPECT_EQ(config.providers[2].kind, ProviderKind::kAnthropic);
  EXPECT_EQ(config.providers[2].anthropic_version, "2024-01-01");
  EXPECT_EQ(config.providers[2].base_url.path_prefix, "");
  const ProviderConfig& provider = config.providers[0];
  EXPECT_EQ(provider.name, "open.ai_1-x");
  EXPECT_TRUE(provider.base_url.tls);
  EXPECT_EQ(provider.base_url.host, "api.example.com");
  EXPECT_EQ(provider.base_url.port, 8443);
  EXPECT_EQ(provider.base_url.path_prefix, "/openai/v1");
  ASSERT_TRUE(provider.api_key.has_value());
  EXPECT_EQ(provider.api_key->value, "sk-test");
  EXPECT_EQ(provider.api_key->env_var, "OPENAI_API_KEY");
  using Header = std::pair<std::string, std::string>;
  EXPECT_EQ(provider.headers, (std::vector<Header>{{"X-Custom", "value"}, {"X-Org", "org 42"}}));
  EXPECT_FALSE(provider.tls_verify);
  EXPECT_EQ(provider.max_idle_connections, 0u);
  EXPECT_EQ(provider.timeouts.connect_ms, 11u);
  EXPECT_EQ(provider.timeouts.first_byte_ms, 12u);
  EXPECT_EQ(provider.timeouts.idle_ms, 13u);
  EXPECT_EQ(provider.timeouts.total_ms, 14u);
  EXPECT_EQ(config.providers[1].base_url.port, 80);
  EXPECT_EQ(config.providers[1].base_url.path_prefix, "");

  ASSERT_EQ(config.models.size(), 1u);
  const ModelConfig& model = config.models[0];
  EXPECT_EQ(model.id, "meta-llama/llama-3.1-8b-instruct");
  EXPECT_EQ(model.name, "Meta: Llama 3.1 8B Instruct");
  EXPECT_EQ(model.description, "An 8B model.");
  EXPECT_EQ(model.created, 1721692800);
  EXPECT_EQ(model.context_length, 131072u);
  EXPECT_EQ(model.author, "meta");
  EXPECT_TRUE(model.open_weights);
  EXPECT_EQ(model.origin_country, "US");
  EXPECT_EQ(model.parameters_m, 8'030);
  EXPECT_TRUE(model.reasoning);
  EXPECT_EQ(model.tokenizer, "cl100k_base");
  EXPECT_EQ(model.modality, "text+image->text");

  ASSERT_EQ(model.endpoints.size(), 2u);
  const EndpointConfig& endpoint = model.endpoints[0];
  EXPECT_EQ(endpoint.provider, "open.ai_1-x");
  EXPECT_EQ(endpoint.upstream_model, "llama-3.1-8b");
  EXPECT_EQ(endpoint.pricing.prompt, 150'000'000);
  EXPECT_EQ(endpoint.pricing.completion, 600'000'000);
  EXPECT_EQ(endpoint.pricing.cached_read, 75'000'000);
  EXPECT_EQ(endpoint.pricing.cache_write, 1'250'000'000);
  EXPECT_EQ(endpoint.pricing.reasoning, 2'500'000'000);
  EXPECT_EQ(endpoint.pricing.request, 400'000);
  EXPECT_EQ(endpoint.context_length, 128000u);
  EXPECT_EQ(endpoint.max_completion_tokens, 16384u);
  EXPECT_EQ(endpoint.quantization, "fp8");
  EXPECT_EQ(endpoint.supported_parameters,
            (std::vector<std::string>{"temperature", "top_p", "stream"}));
  EXPECT_FALSE(endpoint.collects_data);
  EXPECT_TRUE(endpoint.zdr);
  EXPECT_EQ(endpoint.throughput_hint, 95u);
  EXPECT_EQ(endpoint.latency_hint_ms, 350u);
  EXPECT_EQ(endpoint.first_token_timeout_ms, 2500u);
  EXPECT_EQ(model.endpoints[1].first_token_timeout_ms, 0u);  // the provider's first_byte_ms
  EXPECT_EQ(model.endpoints[1].pricing.reasoning, 0);        // explicitly free, not "as completion"

  ASSERT_EQ(config.apps.size(), 2u);
  EXPECT_EQ(config.apps[0].name, "Cline");
  EXPECT_EQ(config.apps[0].category, TaskCategory::kProgramming);
  EXPECT_EQ(config.apps[1].name, "https://chat.example/");
  EXPECT_EQ(config.apps[1].category, std::nullopt);
}

TEST(ParseConfigTest, AuthorDefaultsToThePartBeforeTheSlash) {
  std::string yaml(kValidCatalogue);
  yaml.replace(yaml.find("id: m"), 5, "id: mistralai/mistral-small");
  const Config config = ParseValid(yaml);
  EXPECT_EQ(config.models[0].author, "mistralai");
  EXPECT_EQ(config.models[0].name, "mistralai/mistral-small");
}

TEST(ParseConfigTest, EmptyOptionalBlocksMeanDefaults) {
  const Config config =
      ParseValid("server:\n  timeouts:\n  auth:\n" + std::string(kValidCatalogue));
  EXPECT_EQ(config.server.listen.port, 8080);
  EXPECT_EQ(config.server.timeouts.idle_ms, 60000u);
  EXPECT_TRUE(config.server.auth_keys.empty());
}

TEST(ParseConfigTest, AcceptsYamlBooleanSpellingsOfTheCoreSchema) {
  for (const char* spelling : {"true", "True", "TRUE"}) {
    const Config config = ParseValid("server: { access_log: " + std::string(spelling) + " }\n" +
                                     std::string(kValidCatalogue));
    EXPECT_TRUE(config.server.access_log) << spelling;
  }
  for (const char* spelling : {"false", "False", "FALSE"}) {
    const Config config = ParseValid("server: { access_log: " + std::string(spelling) + " }\n" +
                                     std::string(kValidCatalogue));
    EXPECT_FALSE(config.server.access_log) << spelling;
  }
}

TEST(ParseConfigTest, RoutingDefaults) {
  Config config = ParseValid(std::string(kValidCatalogue));
  EXPECT_EQ(config.routing.sort, "");
  EXPECT_EQ(config.routing.max_attempts, 5u);
  EXPECT_EQ(config.routing.total_timeout_ms, 0u);
  config = ParseValid("routing: { sort: latency, max_attempts: 2, total_timeout_ms: 90000 }\n" +
                      std::string(kValidCatalogue));
  EXPECT_EQ(config.routing.sort, "latency");
  EXPECT_EQ(config.routing.max_attempts, 2u);
  EXPECT_EQ(config.routing.total_timeout_ms, 90000u);
}

TEST(ParseConfigTest, RoutingHealthRetriesAndSessions) {
  Config config = ParseValid(std::string(kValidCatalogue));
  EXPECT_EQ(config.routing.retry_statuses, (std::vector<uint16_t>{401, 402, 403, 404, 408, 409}));
  EXPECT_EQ(config.routing.session_idle_timeout_s, 600u);
  EXPECT_EQ(config.routing.health.outage_window_s, 30u);
  EXPECT_EQ(config.routing.health.outage_policy, OutagePolicy::kFallback);
  config = ParseValid(R"(routing:
  retry_statuses: [404, 451]
  session_idle_timeout_s: 60
  health:
    outage_window_s: 10
    outage_min_requests: 3
    outage_error_percent: 25
    cooldown_s: 5
    max_cooldown_s: 40
    probe_percent: 50
    outage_policy: exclude
)" + std::string(kValidCatalogue));
  EXPECT_EQ(config.routing.retry_statuses, (std::vector<uint16_t>{404, 451}));
  EXPECT_EQ(config.routing.session_idle_timeout_s, 60u);
  const HealthConfig& health = config.routing.health;
  EXPECT_EQ(health.outage_window_s, 10u);
  EXPECT_EQ(health.outage_min_requests, 3u);
  EXPECT_EQ(health.outage_error_percent, 25u);
  EXPECT_EQ(health.cooldown_s, 5u);
  EXPECT_EQ(health.max_cooldown_s, 40u);
  EXPECT_EQ(health.probe_percent, 50u);
  EXPECT_EQ(health.outage_policy, OutagePolicy::kExclude);
  // An empty list: only 429 and 5xx fail over.
  config = ParseValid("routing: { retry_statuses: [] }\n" + std::string(kValidCatalogue));
  EXPECT_TRUE(config.routing.retry_statuses.empty());
}

TEST(ParseConfigTest, MetricsEndpointSettings) {
  const Config config = ParseValid("server: { metrics: { enabled: false, require_key: true } }\n" +
                                   std::string(kValidCatalogue));
  EXPECT_FALSE(config.server.metrics.enabled);
  EXPECT_TRUE(config.server.metrics.require_key);
}

TEST(ParseConfigTest, NumbersAtTheTopOfTheirRange) {
  const Config config = ParseValid(R"(server:
  listen: "h:65535"
  workers: 1024
  max_header_bytes: 4294967295
  max_body_bytes: 18446744073709551615
providers:
  - { name: p, base_url: "http://h:65535" }
models:
  - id: m
    created: 9223372036854775807
    context_length: 4294967295
    endpoints: [{ provider: p, model: u, pricing: { prompt: 9223372036.854775807 } }]
)");
  EXPECT_EQ(config.server.listen.port, 65535);
  EXPECT_EQ(config.server.workers, 1024u);
  EXPECT_EQ(config.server.max_header_bytes, 4294967295u);
  EXPECT_EQ(config.server.max_body_bytes, 18446744073709551615u);
  EXPECT_EQ(config.providers[0].base_url.port, 65535);
  EXPECT_EQ(config.models[0].created, 9223372036854775807);
  EXPECT_EQ(config.models[0].context_length, 4294967295u);
  EXPECT_EQ(config.models[0].endpoints[0].pricing.prompt, 9223372036854775807);
}

TEST(ConfigTest, FindProviderAndFindModel) {
  const Config config = ParseValid(R"(providers:
  - { name: a, base_url: "http://h:1" }
  - { name: b, base_url: "http://h:2" }
models:
  - { id: x/one, context_length: 10, endpoints: [{ provider: a, model: u }] }
  - { id: x/two, context_length: 20, endpoints: [{ provider: b, model: u }] }
)");
  ASSERT_NE(config.FindProvider("b"), nullptr);
  EXPECT_EQ(config.FindProvider("b")->base_url.port, 2);
  EXPECT_EQ(config.FindProvider("c"), nullptr);
  ASSERT_NE(config.FindModel("x/two"), nullptr);
  EXPECT_EQ(config.FindModel("x/two")->context_length, 20u);
  EXPECT_EQ(config.FindModel("x"), nullptr);
}

}  // namespace
}  // namespace gw::config

// ParseConfig on invalid providers and models blocks: each rule with its exact path, message,
// line and column.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "config/loader.h"
#include "tests/config/config_test_util.h"

namespace gw::config {
namespace {

using testing::FakeEnv;
using Lines = std::vector<std::string>;

Lines Errors(std::string_view yaml) {
  const LoadResult result = ParseConfig(yaml, FakeEnv({{"KEY", "k"}}));
  EXPECT_FALSE(result.config.has_value()) << "config must be unset when there are errors";
  Lines lines;
  for (const ConfigError& error : result.errors) lines.push_back(error.ToString());
  return lines;
}

// One provider `p` (lines 1-3) and a model block whose single endpoint is `endpoint` (an
// inline map placed at line 9, column 9).
std::string WithEndpoint(std::string_view endpoint) {
  return R"(providers:
  - name: p
    base_url: http://h
models:
  - id: m
    context_length: 1000
    endpoints:
      - provider: p
        )" +
         std::string(endpoint) + "\n";
}

TEST(CatalogueErrorsTest, UnknownProviderIsReportedAsDocumented) {
  const LoadResult result =
      LoadConfigFile(GW_SOURCE_DIR "/tests/data/config/unknown_provider.yaml", FakeEnv());
  ASSERT_EQ(result.errors.size(), 1u);
  const ConfigError& error = result.errors[0];
  EXPECT_EQ(error.path, "models[2].endpoints[0].provider");
  EXPECT_EQ(error.message, "unknown provider \"acme\"");
  EXPECT_EQ(error.line, 41);
  EXPECT_EQ(error.column, 19);
  EXPECT_EQ(error.ToString(),
            "models[2].endpoints[0].provider: unknown provider \"acme\" (line 41, column 19)");
  EXPECT_FALSE(result.config.has_value());
}

TEST(CatalogueErrorsTest, DuplicateNamesAndIds) {
  EXPECT_EQ(
      Errors(R"(providers:
  - { name: p, base_url: "http://a" }
  - { name: p, base_url: "http://b" }
models:
  - { id: m, context_length: 1, endpoints: [{ provider: p, model: u }] }
  - { id: m, context_length: 1, endpoints: [{ provider: p, model: u }] }
)"),
      (Lines{"providers[1].name: duplicate provider name \"p\" (first defined at "
             "providers[0].name) (line 3, column 13)",
             "models[1].id: duplicate model id \"m\" (first defined at models[0].id) (line 6, "
             "column 11)"}));
}

TEST(CatalogueErrorsTest, EmptyListsAndWrongShapes) {
  EXPECT_EQ(Errors("providers: []\nmodels: []\n"),
            (Lines{"providers: at least one provider is required (line 1, column 12)",
                   "models: at least one model is required (line 2, column 9)"}));
  EXPECT_EQ(Errors("providers:\nmodels: {}\n"),
            (Lines{"providers: expected a list, got nothing (line 1, column 1)",
                   "models: expected a list, got a map (line 2, column 9)"}));
  EXPECT_EQ(Errors("providers: [{ name: p, base_url: \"http://h\" }]\n"
                   "models: [{ id: m, context_length: 5, endpoints: [] }]\n"),
            Lines{"models[0].endpoints: at least one endpoint is required (line 2, column 49)"});
  EXPECT_EQ(Errors("providers: [p]\nmodels: [{ id: m, context_length: 5, endpoints: [u] }]\n"),
            (Lines{"providers[0]: expected a map, got \"p\" (line 1, column 13)",
                   "models[0].endpoints[0]: expected a map, got \"u\" (line 2, column 50)"}));
}

// A broken providers block must not make every endpoint report an unknown provider as well.
TEST(CatalogueErrorsTest, NoUnknownProviderNoiseWhenProvidersIsUnusable) {
  EXPECT_EQ(
      Errors("providers: { p: {} }\n"
             "models: [{ id: m, context_length: 5, endpoints: [{ provider: p, model: u }] }]"),
      Lines{"providers: expected a list, got a map (line 1, column 12)"});
}

TEST(CatalogueErrorsTest, RequiredKeysAreReportedAtTheirMap) {
  EXPECT_EQ(Errors(R"(providers:
  - kind: openai
models:
  - name: nameless
    endpoints:
      - { pricing: { prompt: 1 } }
)"),
            (Lines{"providers[0].name: required key is missing (line 2, column 5)",
                   "providers[0].base_url: required key is missing (line 2, column 5)",
                   "models[0].id: required key is missing (line 4, column 5)",
                   "models[0].context_length: required key is missing (line 4, column 5)",
                   "models[0].endpoints[0].provider: required key is missing (line 6, column 9)",
                   "models[0].endpoints[0].model: required key is missing (line 6, column 9)"}));
}

TEST(CatalogueErrorsTest, ProviderFields) {
  EXPECT_EQ(
      Errors(R"(providers:
  - name: "my provider"
    api: gemini
    base_url: ftp://h
    tls_verify: "no"
    max_idle_connections: -3
    timeouts: { connect_ms: 0, total_ms: 1.5 }
models:
  - { id: m, context_length: 1, endpoints: [{ provider: my provider, model: u }] }
)"),
      (Lines{
          "providers[0].name: must be non-empty and use only letters, digits, '.', '_' and "
          "'-' (line 2, column 11)",
          "providers[0].api: unknown api \"gemini\"; expected \"openai\" (any "
          "OpenAI-compatible API), \"anthropic\" (Anthropic's Messages API) or "
          "\"openai-responses\" (OpenAI's Responses API, for Responses requests only) (line 3, "
          "column 10)",
          "providers[0].base_url: scheme must be http or https (line 4, column 15)",
          "providers[0].tls_verify: expected true or false, got a quoted string (line 5, "
          "column 17)",
          "providers[0].max_idle_connections: must not be negative (line 6, column 27)",
          "providers[0].timeouts.connect_ms: must be at least 1 (line 7, column 29)",
          "providers[0].timeouts.total_ms: expected an unsigned integer, got \"1.5\" (line "
          "7, column 42)",
      }));
}

TEST(CatalogueErrorsTest, ApiAndAnthropicVersion) {
  EXPECT_EQ(Errors(R"(providers:
  - name: a
    api: anthropic
    kind: openai
    base_url: https://h
    anthropic_version: ""
  - name: o
    base_url: https://h
    anthropic_version: "2023-06-01"
    api_key: ${KEY}
    headers: { x-api-key: k }
models:
  - { id: m, context_length: 1, endpoints: [{ provider: a, model: u }] }
)"),
            (Lines{
                "providers[0].kind: set either api or its older name kind, not both (line 4, "
                "column 11)",
                "providers[0].anthropic_version: must not be empty (line 6, column 24)",
                "providers[1].anthropic_version: only an api: anthropic provider sends "
                "anthropic-version (line 9, column 24)",
                "providers[1].headers.x-api-key: conflicts with api_key, which already sets the "
                "key header (line 11, column 27)",
            }));
}

TEST(CatalogueErrorsTest, HeaderRules) {
  EXPECT_EQ(Errors(R"(providers:
  - name: p
    base_url: http://h
    api_key: ${KEY}
    headers:
      "Bad Name": x
      Host: example.com
      authorization: Bearer other
      X-Org: a
      x-org: b
      X-List: [1]
models:
  - { id: m, context_length: 1, endpoints: [{ provider: p, model: u }] }
)"),
            (Lines{
                "providers[0].headers.Bad Name: invalid header name (RFC 9110 token characters "
                "only) (line 6, column 19)",
                "providers[0].headers.Host: header is managed by the gateway and cannot be "
                "configured (line 7, column 13)",
                "providers[0].headers.authorization: conflicts with api_key, which already sets "
                "the key header (line 8, column 22)",
                "providers[0].headers.x-org: duplicate header (names are case-insensitive) (line "
                "10, column 14)",
                "providers[0].headers.X-List: expected a string, got a list (line 11, column 15)",
            }));
}

TEST(CatalogueErrorsTest, ModelIdRules) {
  EXPECT_EQ(Errors(R"(providers: [{ name: p, base_url: "http://h" }]
models:
  - { id: "openai/gpt-4o:floor", context_length: 1, endpoints: [{ provider: p, model: u }] }
  - { id: "my model", context_length: 1, endpoints: [{ provider: p, model: u }] }
  - { id: "", context_length: 1, endpoints: [{ provider: p, model: u }] }
)"),
            (Lines{"models[0].id: must not contain ':' (suffixes such as :floor are reserved for "
                   "routing variants) (line 3, column 11)",
                   "models[1].id: must not contain whitespace or control characters (line 4, "
                   "column 11)",
                   "models[2].id: must not be empty (line 5, column 11)"}));
}

TEST(CatalogueErrorsTest, ModelFields) {
  EXPECT_EQ(Errors(R"(providers: [{ name: p, base_url: "http://h" }]
models:
  - id: m
    context_length: 0
    created: -5
    open_weights: yes
    origin_country: usa
    tokenizer: llama3
    description: [a]
    endpoints: [{ provider: p, model: u }]
)"),
            (Lines{
                "models[0].context_length: must be at least 1 (line 4, column 21)",
                "models[0].created: must not be negative (line 5, column 14)",
                "models[0].open_weights: expected true or false, got \"yes\" (line 6, column 19)",
                "models[0].origin_country: expected an ISO 3166-1 alpha-2 code such as US, or "
                "\"\" (line 7, column 21)",
                "models[0].tokenizer: unknown value \"llama3\"; expected one of: o200k_base, "
                "cl100k_base (line 8, column 16)",
                "models[0].description: expected a string, got a list (line 9, column 18)",
            }));
}

TEST(CatalogueErrorsTest, InsightAttributes) {
  for (const char* count : {"0", "-8", "eight", "1.2345", "[8]", "2000000"}) {
    EXPECT_EQ(Errors(std::string(R"(providers: [{ name: p, base_url: "http://h" }]
models:
  - { id: m, context_length: 1, parameters_b: )") +
                     count + R"(, endpoints: [{ provider: p, model: u }] }
)"),
              Lines{std::string("models[0].parameters_b: expected the parameter count in "
                                "billions, a number above 0 with at most 3 decimals such as 8 or "
                                "1.5, got \"") +
                    (std::string(count) == "[8]" ? "" : count) + "\" (line 3, column 47)"})
        << count;
  }
  EXPECT_EQ(
      Errors(R"(providers: [{ name: p, base_url: "http://h" }]
models: [{ id: m, context_length: 1, reasoning: maybe, endpoints: [{ provider: p, model: u }] }]
)"),
      Lines{"models[0].reasoning: expected true or false, got \"maybe\" (line 2, column 49)"});
}

TEST(CatalogueErrorsTest, Apps) {
  EXPECT_EQ(Errors(R"(providers: [{ name: p, base_url: "http://h" }]
models: [{ id: m, context_length: 1, endpoints: [{ provider: p, model: u }] }]
apps:
  - { name: Cline, category: coding }
  - { name: Cline }
  - { category: roleplay }
  - { name: "", colour: red }
)"),
            (Lines{"apps[0].category: unknown category \"coding\"; expected one of: programming, "
                   "roleplay, translation, general_qa, productivity, education, "
                   "creative_writing, marketing, science, technology, health, finance, legal, "
                   "academia, trivia, other (line 4, column 30)",
                   "apps[1].name: duplicate app \"Cline\" (first defined at apps[0].name) (line "
                   "5, column 13)",
                   "apps[2].name: required key is missing (line 6, column 5)",
                   "apps[3].name: must not be empty (line 7, column 13)",
                   "apps[3].colour: unknown key; expected one of: name, category (line 7, column "
                   "17)"}));
  EXPECT_EQ(Errors(R"(providers: [{ name: p, base_url: "http://h" }]
models: [{ id: m, context_length: 1, endpoints: [{ provider: p, model: u }] }]
apps: { name: x }
)"),
            Lines{"apps: expected a list, got a map (line 3, column 7)"});
}

TEST(CatalogueErrorsTest, EndpointLimitsFitTheModel) {
  EXPECT_EQ(Errors(WithEndpoint("model: u\n        context_length: 1001")),
            Lines{"models[0].endpoints[0].context_length: must be at most the model's "
                  "context_length (1000) (line 10, column 25)"});
  EXPECT_EQ(Errors(WithEndpoint("model: u\n        context_length: 500\n"
                                "        max_completion_tokens: 501")),
            Lines{"models[0].endpoints[0].max_completion_tokens: must be at most the context "
                  "length (500) (line 11, column 32)"});
  EXPECT_EQ(Errors(WithEndpoint("model: u\n        max_completion_tokens: 1001")),
            Lines{"models[0].endpoints[0].max_completion_tokens: must be at most the context "
                  "length (1000) (line 10, column 32)"});
}

TEST(CatalogueErrorsTest, EndpointFields) {
  EXPECT_EQ(Errors(WithEndpoint(R"(model: ""
        quantization: q4_k_m
        supported_parameters: [temperature, "", temperature, {a: b}]
      - provider: p
        model: again)")),
            (Lines{
                "models[0].endpoints[0].model: must not be empty (line 9, column 16)",
                "models[0].endpoints[0].quantization: unknown value \"q4_k_m\"; expected one of: "
                "int4, int8, fp4, fp6, fp8, fp16, bf16, fp32, unknown (line 10, column 23)",
                "models[0].endpoints[0].supported_parameters[1]: must not be empty (line 11, "
                "column 45)",
                "models[0].endpoints[0].supported_parameters[2]: duplicate parameter "
                "\"temperature\" (line 11, column 49)",
                "models[0].endpoints[0].supported_parameters[3]: expected a string, got a map "
                "(line 11, column 62)",
                "models[0].endpoints[1].provider: provider \"p\" already serves this model (at "
                "models[0].endpoints[0].provider); give each provider one endpoint per model "
                "(line 12, column 19)",
            }));
}

TEST(CatalogueErrorsTest, PriceRules) {
  EXPECT_EQ(Errors(WithEndpoint(R"(model: u
        pricing:
          prompt: -0.15
          completion: 1e-3
          cached_read: 0.0000000001
          cache_write: "0.15"
          reasoning: 9999999999
          request: [0])")),
            (Lines{
                "models[0].endpoints[0].pricing.prompt: must not be negative (line 11, column 19)",
                "models[0].endpoints[0].pricing.completion: expected a non-negative decimal "
                "number such as 0.15, got \"1e-3\" (line 12, column 23)",
                "models[0].endpoints[0].pricing.cached_read: has more than 9 decimal places; "
                "prices are exact to the nano-dollar (line 13, column 24)",
                "models[0].endpoints[0].pricing.cache_write: expected a non-negative decimal "
                "number such as 0.15, got a quoted string (line 14, column 24)",
                "models[0].endpoints[0].pricing.reasoning: is too large (line 15, column 22)",
                "models[0].endpoints[0].pricing.request: expected a non-negative decimal number "
                "such as 0.15, got a list (line 16, column 20)",
            }));
}

TEST(CatalogueErrorsTest, EveryProblemInTheFileIsReportedInDocumentOrder) {
  const Lines errors = Errors(R"(server:
  listen: nowhere
  workers: many
providers:
  - name: p
    base_url: http://h
    bogus: 1
models:
  - id: a:b
    context_length: -1
    endpoints:
      - provider: nobody
        model: u
  - id: ok
    context_length: 10
    endpoints: []
)");
  EXPECT_EQ(errors, (Lines{
                        "server.listen: port is missing (write host:port, e.g. 127.0.0.1:8080) "
                        "(line 2, column 11)",
                        "server.workers: expected an unsigned integer, got \"many\" (line 3, "
                        "column 12)",
                        "providers[0].bogus: unknown key; expected one of: name, api, kind, "
                        "base_url, api_key, headers, anthropic_version, tls_verify, "
                        "max_idle_connections, timeouts (line 7, column 5)",
                        "models[0].id: must not contain ':' (suffixes such as :floor are "
                        "reserved for routing variants) (line 9, column 9)",
                        "models[0].context_length: must not be negative (line 10, column 21)",
                        "models[0].endpoints[0].provider: unknown provider \"nobody\" (line 12, "
                        "column 19)",
                        "models[1].endpoints: at least one endpoint is required (line 16, column "
                        "16)",
                    }));
}

}  // namespace
}  // namespace gw::config

// ParseConfig on invalid input: every kind of problem, with its exact path, message, line and
// column, and all problems of a file reported together.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "config/loader.h"
#include "tests/config/config_test_util.h"

namespace gw::config {
namespace {

using testing::ErrorsText;
using testing::FakeEnv;
using testing::kValidCatalogue;
using Lines = std::vector<std::string>;

// The errors as "path: message (line L, column C)" strings: one comparison checks all four.
Lines Errors(std::string_view yaml, const EnvLookup& env = FakeEnv()) {
  const LoadResult result = ParseConfig(yaml, env);
  EXPECT_FALSE(result.config.has_value()) << "config must be unset when there are errors";
  Lines lines;
  for (const ConfigError& error : result.errors) lines.push_back(error.ToString());
  return lines;
}

// `server_block` followed by a valid catalogue: errors in it keep their own line numbers.
Lines ServerErrors(std::string_view server_block) {
  return Errors(std::string(server_block) + std::string(kValidCatalogue));
}

TEST(ConfigErrorTest, ToStringFormats) {
  EXPECT_EQ((ConfigError{"a.b", "bad", 3, 7}).ToString(), "a.b: bad (line 3, column 7)");
  EXPECT_EQ((ConfigError{"", "bad", 3, 7}).ToString(), "bad (line 3, column 7)");
  EXPECT_EQ((ConfigError{"a", "bad", 0, 0}).ToString(), "a: bad");
}

TEST(ParseConfigErrorsTest, YamlSyntaxErrorIsOneLocatedError) {
  EXPECT_EQ(Errors("providers: [a, b\nmodels: []\n"),
            Lines{"invalid YAML: end of sequence flow not found (line 2, column 7)"});
  EXPECT_EQ(Errors("providers: *nowhere\n"),
            Lines{"invalid YAML: the referenced anchor is not defined (line 1, column 12)"});
}

TEST(ParseConfigErrorsTest, AnUnclosedQuoteIsASyntaxErrorAtTheQuote) {
  // yaml-cpp itself takes the rest of the file as the scalar's value.
  EXPECT_EQ(ServerErrors("server:\n  listen: \"127.0.0.1:8080\n"),
            Lines{"invalid YAML: unclosed quote: the \" opened here is never closed (line 2, "
                  "column 11)"});
  EXPECT_EQ(ServerErrors("server:\n  listen: '127.0.0.1:8080\n"),
            Lines{"invalid YAML: unclosed quote: the ' opened here is never closed (line 2, "
                  "column 11)"});
  EXPECT_EQ(Errors(std::string(kValidCatalogue) + "\"server:\n"),
            Lines{"invalid YAML: unclosed quote: the \" opened here is never closed (line 10, "
                  "column 1)"});
}

TEST(ParseConfigErrorsTest, ClosedQuotesWithEscapesAreFine) {
  // An escaped quote inside, a doubled single quote, a quoted key, a multi-line quoted value.
  const std::string server =
      "server:\n  listen: \"127.0.0.1:8080\"\n  \"max_body_bytes\": 4096\n"
      "  access_log: 'it''s'\n";
  const LoadResult result = ParseConfig(server + std::string(kValidCatalogue), FakeEnv());
  for (const ConfigError& error : result.errors) {
    EXPECT_EQ(error.message.find("unclosed quote"), std::string::npos) << error.ToString();
  }
}

TEST(ParseConfigErrorsTest, OnlyOneDocumentIsAllowed) {
  EXPECT_EQ(Errors(std::string(kValidCatalogue) + "---\nserver: {}\n"),
            // Located at the separator itself.
            Lines{"only one YAML document is allowed (remove the \"---\" separator) (line 10, "
                  "column 1)"});
}

TEST(ParseConfigErrorsTest, AStrayCommaIsALocatedErrorNotAHang) {
  // yaml-cpp 0.7's parser never consumes a `,` at the start of a block line; reading documents
  // until it reports the last one (YAML::LoadAll) looped forever on these.
  EXPECT_EQ(Errors(",\na: b\n"), Lines{"invalid YAML: unexpected \",\" (line 1, column 1)"});
  // After a map, yaml-cpp reports the comma itself.
  EXPECT_EQ(Errors(std::string(kValidCatalogue) + ",\n"),
            Lines{"invalid YAML: end of map not found (line 10, column 1)"});
}

TEST(ParseConfigErrorsTest, EmptyOrNonMapDocument) {
  EXPECT_EQ(Errors(""),
            Lines{"the configuration is empty; it needs at least providers and models"});
  EXPECT_EQ(Errors("# only a comment\n"),
            Lines{"the configuration is empty; it needs at least providers and models"});
  EXPECT_EQ(Errors("hello"), Lines{"expected a map, got \"hello\" (line 1, column 1)"});
  EXPECT_EQ(Errors("server: {}\n"), (Lines{"providers: required key is missing (line 1, column 1)",
                                           "models: required key is missing (line 1, column 1)"}));
}

TEST(ParseConfigErrorsTest, UnknownKeysAreErrorsWithHints) {
  EXPECT_EQ(ServerErrors("server:\n  listn: \"127.0.0.1:8080\"\n"),
            Lines{"server.listn: unknown key; did you mean \"listen\"? (line 2, column 3)"});
  EXPECT_EQ(ServerErrors("server:\n  timeouts: { idle_ms: 5, frobnicate: 1 }\n"),
            Lines{"server.timeouts.frobnicate: unknown key; expected one of: idle_ms, header_ms, "
                  "body_ms, write_ms, shutdown_grace_ms (line 2, column 27)"});
  EXPECT_EQ(Errors("modles: []\n" + std::string(kValidCatalogue)),
            Lines{"modles: unknown key; did you mean \"models\"? (line 1, column 1)"});
}

TEST(ParseConfigErrorsTest, UnknownKeysInsideListItems) {
  EXPECT_EQ(
      Errors(R"(providers:
  - name: p
    base_url: http://h
    api-key: x
models:
  - id: m
    context_length: 1
    endpoints:
      - { provider: p, model: u, pricing: { prompt: 1, completoin: 2 } }
)"),
      (Lines{"providers[0].api-key: unknown key; did you mean \"api_key\"? (line 4, column 5)",
             "models[0].endpoints[0].pricing.completoin: unknown key; did you mean "
             "\"completion\"? (line 9, column 56)"}));
}

TEST(ParseConfigErrorsTest, DuplicateKeys) {
  EXPECT_EQ(ServerErrors("server:\n  workers: 1\n  workers: 2\n"),
            Lines{"server.workers: duplicate key (line 3, column 3)"});
}

TEST(ParseConfigErrorsTest, WrongTypesNameTheExpectedType) {
  EXPECT_EQ(ServerErrors(R"(server:
  workers: "4"
  max_header_bytes: 16k
  max_body_bytes: -1
  stream_keepalive_ms: 4294967296
  access_log: yes
  timeouts: [1, 2]
  listen: { host: x }
)"),
            (Lines{
                "server.workers: expected an unsigned integer, got a quoted string (line 2, "
                "column 12)",
                "server.max_header_bytes: expected an unsigned integer, got \"16k\" (line 3, "
                "column 21)",
                "server.max_body_bytes: must not be negative (line 4, column 19)",
                "server.stream_keepalive_ms: must be at most 4294967295 (line 5, column 24)",
                "server.access_log: expected true or false, got \"yes\" (line 6, column 15)",
                "server.timeouts: expected a map, got a list (line 7, column 13)",
                "server.listen: expected a string, got a map (line 8, column 11)",
            }));
}

TEST(ParseConfigErrorsTest, RoutingBlockIsChecked) {
  EXPECT_EQ(ServerErrors("routing:\n  sort: fastest\n  max_attempts: 0\n  retries: 3\n"),
            (Lines{
                "routing.sort: unknown value \"fastest\"; expected one of: price, throughput, "
                "latency (line 2, column 9)",
                "routing.max_attempts: must be at least 1 (line 3, column 17)",
                "routing.retries: unknown key; expected one of: sort, max_attempts, "
                "total_timeout_ms, retry_statuses, session_idle_timeout_s, health (line 4, "
                "column 3)",
            }));
}

TEST(ParseConfigErrorsTest, RoutingHealthAndRetriesAreChecked) {
  EXPECT_EQ(ServerErrors("routing:\n  retry_statuses: [429, 200, x]\n"
                         "  session_idle_timeout_s: 0\n"
                         "  health:\n    outage_error_percent: 150\n    outage_window_s: 500\n"
                         "    cooldown_s: 60\n    max_cooldown_s: 30\n    outage_policy: drop\n"
                         "    probe: 1\n"),
            (Lines{
                "routing.retry_statuses[1]: must be at least 400 (line 2, column 25)",
                "routing.retry_statuses[2]: expected an unsigned integer, got \"x\" (line 2, "
                "column 30)",
                "routing.session_idle_timeout_s: must be at least 1 (line 3, column 27)",
                "routing.health: max_cooldown_s (30) is below cooldown_s (60) (line 5, column 5)",
                "routing.health.outage_error_percent: must be at most 100 (line 5, column 27)",
                "routing.health.outage_window_s: must be at most 120 (line 6, column 22)",
                "routing.health.outage_policy: unknown value \"drop\"; expected one of: "
                "fallback, exclude (line 9, column 20)",
                "routing.health.probe: unknown key; expected one of: outage_window_s, "
                "outage_min_requests, outage_error_percent, cooldown_s, max_cooldown_s, "
                "probe_percent, outage_policy, share (line 10, column 5)",
            }));
}

TEST(ParseConfigErrorsTest, MetricsKeysAreChecked) {
  EXPECT_EQ(ServerErrors("server:\n  metrics: { enabeld: true, require_key: sometimes }\n"),
            (Lines{
                "server.metrics.enabeld: unknown key; did you mean \"enabled\"? (line 2, column "
                "14)",
                "server.metrics.require_key: expected true or false, got \"sometimes\" (line 2, "
                "column 42)",
            }));
}

TEST(ParseConfigErrorsTest, EmptyValuePointsAtItsKey) {
  EXPECT_EQ(ServerErrors("server:\n  workers:\n  access_log: true\n"),
            Lines{"server.workers: expected an unsigned integer, got nothing (line 2, column 3)"});
}

TEST(ParseConfigErrorsTest, ServerLimits) {
  EXPECT_EQ(ServerErrors(R"(server:
  listen: "127.0.0.1:70000"
  workers: 1025
  max_header_bytes: 1023
  max_body_bytes: 0
  timeouts: { idle_ms: 0 }
)"),
            (Lines{
                "server.listen: port must be a number from 0 to 65535 (line 2, column 11)",
                "server.workers: must be at most 1024 (line 3, column 12)",
                "server.max_header_bytes: must be at least 1024 (line 4, column 21)",
                "server.max_body_bytes: must be at least 1 (line 5, column 19)",
                "server.timeouts.idle_ms: must be at least 1 (line 6, column 24)",
            }));
  EXPECT_EQ(ServerErrors("server: { listen: \"::1:8080\" }\n"),
            Lines{"server.listen: an IPv6 address must be written in brackets, e.g. [::1]:8080 "
                  "(line 1, column 19)"});
}

TEST(ParseConfigErrorsTest, TlsNeedsBothReadableFiles) {
  EXPECT_EQ(ServerErrors("server:\n  tls: { cert_file: /nonexistent/cert.pem }\n"),
            (Lines{"server.tls.key_file: required key is missing (line 2, column 8)",
                   "server.tls.cert_file: file \"/nonexistent/cert.pem\" does not exist (line 2, "
                   "column 21)"}));
  // cert_file is a directory; key_file is empty. Columns depend on the source path length.
  const std::string dir = GW_SOURCE_DIR;
  const std::string key_column = std::to_string(21 + dir.size() + 12);
  EXPECT_EQ(
      ServerErrors("server:\n  tls: { cert_file: " + dir + ", key_file: \"\" }\n"),
      (Lines{"server.tls.cert_file: \"" + dir + "\" is not a regular file (line 2, column 21)",
             "server.tls.key_file: must not be empty (line 2, column " + key_column + ")"}));
}

TEST(ParseConfigErrorsTest, AuthKeysMustBeEnvReferences) {
  const LoadResult result = ParseConfig(R"(server:
  auth:
    keys: ["${GATEWAY_KEY}", "hunter2-literal", "${MISSING_KEY}"]
)" + std::string(kValidCatalogue),
                                        FakeEnv({{"GATEWAY_KEY", "gk"}}));
  EXPECT_EQ(
      ErrorsText(result),
      "server.auth.keys[1]: must be a ${ENV_VAR} reference such as ${OPENAI_API_KEY}; "
      "secrets must not be written into the config file (line 3, column 30)\n"
      "server.auth.keys[2]: environment variable MISSING_KEY is not set (line 3, column 49)\n");
  EXPECT_EQ(ErrorsText(result).find("hunter2"), std::string::npos);
}

TEST(ParseConfigErrorsTest, AdminKeysAndTheRankingsReadPolicy) {
  const auto env = FakeEnv({{"USER_KEY", "uk"}, {"ADMIN_KEY", "ak"}});
  const LoadResult ok = ParseConfig(R"(server:
  auth:
    keys: ["${USER_KEY}"]
    admin_keys: ["${ADMIN_KEY}"]
    rankings: admin
)" + std::string(kValidCatalogue),
                                    env);
  ASSERT_EQ(ErrorsText(ok), "");
  ASSERT_EQ(ok.config->server.admin_keys.size(), 1u);
  EXPECT_EQ(ok.config->server.admin_keys[0].value, "ak");
  EXPECT_EQ(ok.config->server.rankings_access, RankingsAccess::kAdmin);
  for (const auto& [text, access] : {std::pair{"public", RankingsAccess::kPublic},
                                     std::pair{"any_key", RankingsAccess::kAnyKey}}) {
    const LoadResult parsed = ParseConfig(
        "server:\n  auth:\n    keys: [\"${USER_KEY}\"]\n    rankings: " + std::string(text) + "\n" +
            std::string(kValidCatalogue),
        env);
    ASSERT_EQ(ErrorsText(parsed), "");
    EXPECT_EQ(parsed.config->server.rankings_access, access);
  }

  EXPECT_EQ(ErrorsText(ParseConfig(R"(server:
  auth:
    keys: ["${USER_KEY}"]
    rankings: admin
)" + std::string(kValidCatalogue),
                                   env)),
            "server.auth.rankings: \"admin\" needs at least one key in server.auth.admin_keys "
            "(line 4, column 15)\n");
  EXPECT_EQ(ErrorsText(ParseConfig(R"(server:
  auth:
    rankings: everyone
    admin_keys: ["plain-secret"]
)" + std::string(kValidCatalogue),
                                   env)),
            "server.auth.rankings: unknown value \"everyone\"; expected one of: public, any_key, "
            "admin (line 3, column 15)\n"
            "server.auth.admin_keys[0]: must be a ${ENV_VAR} reference such as "
            "${OPENAI_API_KEY}; secrets must not be written into the config file (line 4, "
            "column 18)\n");
}

TEST(ParseConfigErrorsTest, AKeyIsEitherAnAdminKeyOrNot) {
  EXPECT_EQ(ErrorsText(ParseConfig(R"(server:
  auth:
    keys: ["${USER_KEY}"]
    admin_keys: ["${SAME_KEY}"]
)" + std::string(kValidCatalogue),
                                   FakeEnv({{"USER_KEY", "k"}, {"SAME_KEY", "k"}}))),
            "server.auth.admin_keys: admin_keys[0] (${SAME_KEY}) is also keys[0] (${USER_KEY}): "
            "a key is either an admin key or not (line 4, column 17)\n");
  // An unset variable is one error, not also "admin needs a key".
  EXPECT_EQ(ErrorsText(ParseConfig(R"(server:
  auth:
    admin_keys: ["${UNSET_ADMIN_KEY}"]
    rankings: admin
)" + std::string(kValidCatalogue),
                                   FakeEnv())),
            "server.auth.admin_keys[0]: environment variable UNSET_ADMIN_KEY is not set (line 3, "
            "column 18)\n");
}

}  // namespace
}  // namespace gw::config

// ${ENV_VAR} handling in ParseConfig: where references are required, how missing variables are
// reported, and that no secret value ever reaches an error message.
#include <gtest/gtest.h>

#include <string>

#include "config/loader.h"
#include "tests/config/config_test_util.h"

namespace gw::config {
namespace {

using testing::ErrorsText;
using testing::FakeEnv;

std::string ProviderYaml(std::string_view provider_lines) {
  return "providers:\n  - name: p\n    base_url: https://h/v1\n" + std::string(provider_lines) +
         "models: [{ id: m, context_length: 1, endpoints: [{ provider: p, model: u }] }]\n";
}

TEST(SecretsTest, ApiKeyIsResolvedFromTheEnvironment) {
  const LoadResult result = ParseConfig(ProviderYaml("    api_key: ${OPENAI_API_KEY}\n"),
                                        FakeEnv({{"OPENAI_API_KEY", "sk-abc"}}));
  ASSERT_TRUE(result.config.has_value()) << ErrorsText(result);
  const std::optional<Secret>& key = result.config->providers[0].api_key;
  ASSERT_TRUE(key.has_value());
  EXPECT_EQ(key->value, "sk-abc");
  EXPECT_EQ(key->env_var, "OPENAI_API_KEY");
}

TEST(SecretsTest, MissingVariableIsNamed) {
  const LoadResult result =
      ParseConfig(ProviderYaml("    api_key: ${OPENAI_API_KEY}\n"), FakeEnv());
  EXPECT_EQ(ErrorsText(result),
            "providers[0].api_key: environment variable OPENAI_API_KEY is not set (line 4, "
            "column 14)\n");
  EXPECT_FALSE(result.config.has_value());
}

TEST(SecretsTest, EmptyVariableIsAnError) {
  const LoadResult result = ParseConfig(ProviderYaml("    api_key: ${OPENAI_API_KEY}\n"),
                                        FakeEnv({{"OPENAI_API_KEY", ""}}));
  EXPECT_EQ(ErrorsText(result),
            "providers[0].api_key: environment variable OPENAI_API_KEY is empty (line 4, column "
            "14)\n");
}

TEST(SecretsTest, LiteralKeyIsRejectedWithoutRepeatingIt) {
  for (const char* literal : {"sk-live-0123456789abcdef", "\"sk-live-0123456789abcdef\"",
                              "prefix-${OPENAI_API_KEY}", "$OPENAI_API_KEY"}) {
    const LoadResult result =
        ParseConfig(ProviderYaml("    api_key: " + std::string(literal) + "\n"),
                    FakeEnv({{"OPENAI_API_KEY", "sk-abc"}}));
    EXPECT_EQ(ErrorsText(result),
              "providers[0].api_key: must be a ${ENV_VAR} reference such as ${OPENAI_API_KEY}; "
              "secrets must not be written into the config file (line 4, column 14)\n")
        << literal;
    EXPECT_EQ(ErrorsText(result).find("0123456789abcdef"), std::string::npos);
    EXPECT_EQ(ErrorsText(result).find("prefix"), std::string::npos);
  }
}

TEST(SecretsTest, HeaderValuesExpandReferences) {
  const LoadResult result = ParseConfig(ProviderYaml("    headers:\n"
                                                     "      X-Api-Key: ${VENDOR_KEY}\n"
                                                     "      X-Title: \"cost $5 / ${APP}\"\n"),
                                        FakeEnv({{"VENDOR_KEY", "vk-1"}, {"APP", "demo"}}));
  ASSERT_TRUE(result.config.has_value()) << ErrorsText(result);
  using Header = std::pair<std::string, std::string>;
  EXPECT_EQ(result.config->providers[0].headers,
            (std::vector<Header>{{"X-Api-Key", "vk-1"}, {"X-Title", "cost $5 / demo"}}));
}

TEST(SecretsTest, HeaderReferenceProblems) {
  const LoadResult result = ParseConfig(ProviderYaml("    headers:\n"
                                                     "      X-A: ${UNSET_VAR}\n"
                                                     "      X-B: \"${BROKEN\"\n"
                                                     "      X-C: \"line\\r\\nInjected: 1\"\n"),
                                        FakeEnv());
  EXPECT_EQ(ErrorsText(result),
            "providers[0].headers.X-A: environment variable UNSET_VAR is not set (line 5, column "
            "12)\n"
            "providers[0].headers.X-B: unterminated ${ reference (write ${NAME}) (line 6, column "
            "12)\n"
            "providers[0].headers.X-C: value must not contain line breaks (line 7, column 12)\n");
}

// Every message produced while secrets are in play is checked for every secret value.
TEST(SecretsTest, SecretValuesNeverAppearInMessages) {
  const std::map<std::string, std::string, std::less<>> secrets = {
      {"GATEWAY_KEY", "gw-secret-value-1"},
      {"OPENAI_API_KEY", "sk-secret-value-2"},
      {"MULTILINE", "secret-value-3\r\nX-Evil: 1"},
  };
  const LoadResult result = ParseConfig(R"(server:
  workers: lots
  auth: { keys: ["${GATEWAY_KEY}", "${NOT_SET}", literal-secret-value-4] }
providers:
  - name: p
    base_url: https://h/v1
    api_key: ${OPENAI_API_KEY}
    headers:
      Authorization: "Bearer ${OPENAI_API_KEY}"
      X-Multi: "${MULTILINE}"
      X-Missing: "${GATEWAY_KEY}-${ALSO_NOT_SET}"
  - name: p
    base_url: "https://user:secret-value-5@h/v1"
    api_key: secret-value-6
models: [{ id: "m:x", context_length: 1, endpoints: [{ provider: q, model: u }] }]
)",
                                        FakeEnv(secrets));
  const std::string text = ErrorsText(result);
  EXPECT_EQ(result.errors.size(), 11u) << text;
  for (const char* value : {"secret-value-1", "secret-value-2", "secret-value-3", "secret-value-4",
                            "secret-value-5", "secret-value-6"}) {
    EXPECT_EQ(text.find(value), std::string::npos) << value << " leaked:\n" << text;
  }
  EXPECT_NE(text.find("environment variable NOT_SET is not set"), std::string::npos) << text;
  EXPECT_NE(text.find("environment variable ALSO_NOT_SET is not set"), std::string::npos) << text;
  EXPECT_NE(text.find("providers[0].headers.X-Multi: value must not contain line breaks (after "
                      "${ENV_VAR} substitution)"),
            std::string::npos)
      << text;
}

}  // namespace
}  // namespace gw::config

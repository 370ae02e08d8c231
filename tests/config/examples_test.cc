// The shipped example configs and the annotated example in docs/configuration.md must load, and
// LoadConfigFile must report file problems as one position-less error.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "config/loader.h"
#include "tests/config/config_test_util.h"

namespace gw::config {
namespace {

using testing::ErrorsText;
using testing::FakeEnv;

const std::string kSourceDir = GW_SOURCE_DIR;

// Every variable any example or the documentation refers to.
EnvLookup ExampleEnv() {
  return FakeEnv({{"OPENAI_API_KEY", "sk-openai"},
                  {"DEEPSEEK_API_KEY", "sk-deepseek"},
                  {"GROQ_API_KEY", "gsk-groq"},
                  {"TOGETHER_API_KEY", "tg-together"},
                  {"GATEWAY_KEY", "gw-key"},
                  {"GATEWAY_KEY_2", "gw-key-2"},
                  {"GATEWAY_ADMIN_KEY", "gw-admin-key"},
                  {"OPENAI_ORG_ID", "org-example"}});
}

Config LoadExample(const std::string& name) {
  LoadResult result = LoadConfigFile(kSourceDir + "/config/examples/" + name, ExampleEnv());
  EXPECT_TRUE(result.errors.empty()) << name << ":\n" << ErrorsText(result);
  EXPECT_TRUE(result.config.has_value()) << name;
  return result.config.value_or(Config{});
}

TEST(ExamplesTest, MinimalLoads) {
  const Config config = LoadExample("minimal.yaml");
  ASSERT_EQ(config.providers.size(), 1u);
  ASSERT_TRUE(config.providers[0].api_key.has_value());
  EXPECT_EQ(config.providers[0].api_key->env_var, "OPENAI_API_KEY");
  EXPECT_EQ(config.providers[0].api_key->value, "sk-openai");
  ASSERT_EQ(config.models.size(), 1u);
  EXPECT_EQ(config.models[0].endpoints[0].pricing.prompt, 150'000'000);
}

TEST(ExamplesTest, DemoLoadsAndUsesOnlyTheSimulators) {
  const Config config = LoadExample("demo.yaml");
  EXPECT_EQ(config.server.listen.host, "127.0.0.1");
  EXPECT_EQ(config.server.listen.port, 8080);
  EXPECT_TRUE(config.server.auth_keys.empty());
  ASSERT_EQ(config.providers.size(), 4u);
  const uint16_t ports[] = {9101, 9102, 9103};
  const char* names[] = {"sim-swift", "sim-budget", "sim-steady"};
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(config.providers[i].name, names[i]);
    EXPECT_EQ(config.providers[i].base_url.host, "127.0.0.1");
    EXPECT_EQ(config.providers[i].base_url.port, ports[i]);
    EXPECT_EQ(config.providers[i].base_url.path_prefix, "/v1");
    EXPECT_FALSE(config.providers[i].api_key.has_value());
    EXPECT_EQ(config.providers[i].kind, ProviderKind::kOpenAi);
  }
  const ProviderConfig& anthropic = config.providers[3];
  EXPECT_EQ(anthropic.name, "sim-anthropic");
  EXPECT_EQ(anthropic.kind, ProviderKind::kAnthropic);
  EXPECT_EQ(anthropic.base_url.port, 9104);
  EXPECT_EQ(anthropic.base_url.path_prefix, "");
  EXPECT_EQ(config.models.size(), 11u);
  size_t multi_endpoint_models = 0;
  for (const ModelConfig& model : config.models) {
    if (model.endpoints.size() >= 2) ++multi_endpoint_models;
  }
  EXPECT_GE(multi_endpoint_models, 5u);
  const ModelConfig* llama = config.FindModel("meta-llama/llama-3.1-8b-instruct");
  ASSERT_NE(llama, nullptr);
  EXPECT_EQ(llama->endpoints.size(), 3u);
  EXPECT_EQ(llama->author, "meta-llama");
}

TEST(ExamplesTest, MultiProviderLoads) {
  const Config config = LoadExample("multi-provider.yaml");
  EXPECT_EQ(config.providers.size(), 6u);
  ASSERT_EQ(config.server.auth_keys.size(), 1u);
  EXPECT_EQ(config.server.auth_keys[0].env_var, "GATEWAY_KEY");
  const ModelConfig* llama = config.FindModel("meta-llama/llama-3.1-8b-instruct");
  ASSERT_NE(llama, nullptr);
  EXPECT_EQ(llama->endpoints.size(), 4u);
  const ProviderConfig* groq = config.FindProvider("groq");
  ASSERT_NE(groq, nullptr);
  EXPECT_EQ(groq->base_url.path_prefix, "/openai/v1");
}

TEST(ExamplesTest, MultiProviderNamesEveryMissingKey) {
  const LoadResult result =
      LoadConfigFile(kSourceDir + "/config/examples/multi-provider.yaml", FakeEnv());
  const std::string text = ErrorsText(result);
  for (const char* var :
       {"GATEWAY_KEY", "OPENAI_API_KEY", "DEEPSEEK_API_KEY", "GROQ_API_KEY", "TOGETHER_API_KEY"}) {
    EXPECT_NE(text.find("environment variable " + std::string(var) + " is not set"),
              std::string::npos)
        << var;
  }
  EXPECT_EQ(result.errors.size(), 5u) << text;
}

// docs/configuration.md holds one annotated example between these markers; it must stay valid.
TEST(ExamplesTest, DocumentationExampleLoads) {
  std::ifstream in(kSourceDir + "/docs/configuration.md");
  ASSERT_TRUE(in.is_open());
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string doc = buffer.str();
  const std::string begin_marker = "<!-- full-example -->\n```yaml\n";
  const size_t begin = doc.find(begin_marker);
  ASSERT_NE(begin, std::string::npos);
  const size_t start = begin + begin_marker.size();
  const size_t end = doc.find("```", start);
  ASSERT_NE(end, std::string::npos);
  const LoadResult result = ParseConfig(doc.substr(start, end - start), ExampleEnv());
  EXPECT_TRUE(result.config.has_value()) << ErrorsText(result);
}

TEST(LoadConfigFileTest, MissingFileIsOneErrorNamingIt) {
  const LoadResult result = LoadConfigFile("/nonexistent/gateway.yaml", FakeEnv());
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].ToString(),
            "cannot read config file \"/nonexistent/gateway.yaml\": No such file or directory");
  EXPECT_EQ(result.errors[0].line, 0);
  EXPECT_EQ(result.errors[0].column, 0);
  EXPECT_FALSE(result.config.has_value());
}

TEST(LoadConfigFileTest, DirectoryIsOneErrorNamingIt) {
  const LoadResult result = LoadConfigFile(kSourceDir + "/config", FakeEnv());
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].ToString(),
            "cannot read config file \"" + kSourceDir + "/config\": is a directory");
}

}  // namespace
}  // namespace gw::config

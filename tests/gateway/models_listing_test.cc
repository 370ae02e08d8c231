#include "gateway/api/models_listing.h"

#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "config/config.h"
#include "routing/snapshot.h"

namespace gw::api {
namespace {

using nlohmann::json;

config::ProviderConfig Provider(std::string name) {
  config::ProviderConfig provider;
  provider.name = std::move(name);
  return provider;
}

config::EndpointConfig Endpoint(std::string provider, std::string upstream_model) {
  config::EndpointConfig endpoint;
  endpoint.provider = std::move(provider);
  endpoint.upstream_model = std::move(upstream_model);
  return endpoint;
}

// Prices are nano-USD per 1M tokens: USD 0.15/M = 150'000'000.
config::Config TwoModelCatalogue() {
  config::Config config;
  config.providers.push_back(Provider("openai"));
  config.providers.push_back(Provider("groq"));

  config::ModelConfig& mini = config.models.emplace_back();
  mini.id = "openai/gpt-4o-mini";
  mini.name = "OpenAI: GPT-4o mini";
  mini.description = "Small and fast.";
  mini.created = 1721260800;
  mini.context_length = 128000;
  mini.author = "openai";
  config::EndpointConfig& first = mini.endpoints.emplace_back(Endpoint("openai", "gpt-4o-mini"));
  first.pricing.prompt = 150'000'000;
  first.pricing.completion = 600'000'000;
  first.pricing.cached_read = 75'000'000;
  first.max_completion_tokens = 16384;
  first.supported_parameters = {"temperature", "tools", "max_tokens"};
  config::EndpointConfig& second = mini.endpoints.emplace_back(Endpoint("groq", "gpt-4o-mini"));
  second.pricing.prompt = 1;
  second.pricing.completion = 2;
  second.context_length = 32000;
  second.max_completion_tokens = 4096;
  second.supported_parameters = {"tools", "seed", "temperature", "top_k"};

  config::ModelConfig& llama = config.models.emplace_back();
  llama.id = "meta-llama/llama-3.1-8b-instruct";
  llama.name = "Meta: Llama 3.1 8B Instruct";
  llama.created = 1721692800;
  llama.context_length = 131072;
  llama.author = "meta-llama";
  llama.tokenizer = "cl100k_base";
  config::EndpointConfig& only =
      llama.endpoints.emplace_back(Endpoint("groq", "llama-3.1-8b-instant"));
  only.pricing.prompt = 20'000'000;
  only.pricing.completion = 50'000'000;
  only.pricing.cache_write = 1'250'000'000;
  only.pricing.reasoning = 2'000'000'000;
  only.pricing.request = 1'000'000;
  only.context_length = 8192;
  return config;
}

json Listing(config::Config config) {
  const routing::Snapshot snapshot(std::make_shared<const config::Config>(std::move(config)));
  return json::parse(BuildModelsListing(snapshot));
}

TEST(BuildModelsListingTest, IsAListOfEveryModelInConfigOrder) {
  const json listing = Listing(TwoModelCatalogue());
  EXPECT_EQ(listing["object"], "list");
  ASSERT_TRUE(listing["data"].is_array());
  ASSERT_EQ(listing["data"].size(), 2u);
  EXPECT_EQ(listing["data"][0]["id"], "openai/gpt-4o-mini");
  EXPECT_EQ(listing["data"][1]["id"], "meta-llama/llama-3.1-8b-instruct");
}

TEST(BuildModelsListingTest, AnEmptyCatalogueIsAnEmptyList) {
  EXPECT_EQ(Listing(config::Config{}), json::parse(R"({"object":"list","data":[]})"));
}

TEST(BuildModelsListingTest, DescribesEachModel) {
  const json mini = Listing(TwoModelCatalogue())["data"][0];
  EXPECT_EQ(mini["id"], "openai/gpt-4o-mini");
  EXPECT_EQ(mini["object"], "model");
  EXPECT_EQ(mini["created"], 1721260800);
  EXPECT_EQ(mini["owned_by"], "openai");
  EXPECT_EQ(mini["name"], "OpenAI: GPT-4o mini");
  EXPECT_EQ(mini["description"], "Small and fast.");
  EXPECT_EQ(mini["context_length"], 128000);
  EXPECT_EQ(mini["architecture"], json::parse(R"({"tokenizer":"o200k_base",
                                                  "modality":"text->text"})"));

  const json llama = Listing(TwoModelCatalogue())["data"][1];
  EXPECT_EQ(llama["owned_by"], "meta-llama");
  EXPECT_EQ(llama["name"], "Meta: Llama 3.1 8B Instruct");
  EXPECT_EQ(llama["description"], "");
  EXPECT_EQ(llama["context_length"], 131072);
  EXPECT_EQ(llama["architecture"]["tokenizer"], "cl100k_base");
}

TEST(BuildModelsListingTest, PricesAreExactUsdPerTokenStringsFromTheFirstEndpoint) {
  const json mini = Listing(TwoModelCatalogue())["data"][0];
  EXPECT_EQ(mini["pricing"], json::parse(R"({
      "prompt": "0.00000015",
      "completion": "0.0000006",
      "request": "0",
      "input_cache_read": "0.000000075",
      "internal_reasoning": "0.0000006"})"));
  // No cache_write price configured: none is listed (not the prompt price it falls back to).
}

TEST(BuildModelsListingTest, PricesReasoningAndRequestsWhenConfigured) {
  const json llama = Listing(TwoModelCatalogue())["data"][1];
  EXPECT_EQ(llama["pricing"], json::parse(R"({
      "prompt": "0.00000002",
      "completion": "0.00000005",
      "request": "0.001",
      "input_cache_write": "0.00000125",
      "internal_reasoning": "0.000002"})"));
}

TEST(BuildModelsListingTest, KeepsSubNanoPerTokenPricesExact) {
  config::Config config = TwoModelCatalogue();
  // USD 0.000001 per 1M tokens = 1e-12 USD per token; USD 12.345678/M.
  config.models[0].endpoints[0].pricing.prompt = 1'000;
  config.models[0].endpoints[0].pricing.completion = 12'345'678'000;
  const json pricing = Listing(config)["data"][0]["pricing"];
  EXPECT_EQ(pricing["prompt"], "0.000000000001");
  EXPECT_EQ(pricing["completion"], "0.000012345678");
}

TEST(BuildModelsListingTest, TopProviderIsTheFirstEndpoint) {
  const json listing = Listing(TwoModelCatalogue());
  // The first endpoint has no context length of its own: the model's applies.
  EXPECT_EQ(listing["data"][0]["top_provider"],
            json::parse(R"({"context_length":128000,"max_completion_tokens":16384})"));
  // No completion limit is null; the endpoint's own context length wins.
  EXPECT_EQ(listing["data"][1]["top_provider"],
            json::parse(R"({"context_length":8192,"max_completion_tokens":null})"));
}

TEST(BuildModelsListingTest, MergesSupportedParametersWithoutDuplicates) {
  const json listing = Listing(TwoModelCatalogue());
  EXPECT_EQ(listing["data"][0]["supported_parameters"],
            json::parse(R"(["temperature","tools","max_tokens","seed","top_k"])"));
  EXPECT_EQ(listing["data"][1]["supported_parameters"], json::array());
}

}  // namespace
}  // namespace gw::api

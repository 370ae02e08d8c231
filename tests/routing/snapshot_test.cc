#include "routing/snapshot.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>

#include "config/config.h"
#include "tests/routing/catalogue_builders.h"

namespace gw::routing {
namespace {

using test_catalogue::Provider;

// One provider and one model with a single endpoint on it.
std::shared_ptr<const config::Config> Catalogue(std::string model_id, std::string provider) {
  auto config = std::make_shared<config::Config>();
  config->providers.push_back(Provider(provider));
  config::ModelConfig& model = config->models.emplace_back();
  model.id = std::move(model_id);
  config::EndpointConfig& endpoint = model.endpoints.emplace_back();
  endpoint.provider = std::move(provider);
  endpoint.upstream_model = "up";
  return config;
}

TEST(SnapshotTest, FindsModelsAndProvidersByExactName) {
  auto config = std::make_shared<config::Config>();
  config->providers.push_back(Provider("openai"));
  config->providers.push_back(Provider("groq"));
  for (const char* id : {"openai/gpt-4o-mini", "meta-llama/llama-3.1-8b-instruct"}) {
    config::ModelConfig model;
    model.id = id;
    config->models.push_back(model);
  }
  const Snapshot snapshot(config);

  EXPECT_EQ(&snapshot.config(), config.get());
  EXPECT_EQ(snapshot.FindModel("openai/gpt-4o-mini"), &config->models[0]);
  EXPECT_EQ(snapshot.FindModel("meta-llama/llama-3.1-8b-instruct"), &config->models[1]);
  EXPECT_EQ(snapshot.FindProvider("openai"), &config->providers[0]);
  EXPECT_EQ(snapshot.FindProvider("groq"), &config->providers[1]);

  EXPECT_EQ(snapshot.FindModel("openai/gpt-4o"), nullptr);
  EXPECT_EQ(snapshot.FindModel("OPENAI/GPT-4O-MINI"), nullptr);
  EXPECT_EQ(snapshot.FindModel(""), nullptr);
  EXPECT_EQ(snapshot.FindProvider("Groq"), nullptr);
  EXPECT_EQ(snapshot.FindProvider("openai/gpt-4o-mini"), nullptr);
  EXPECT_EQ(snapshot.FindModel("groq"), nullptr);
}

TEST(SnapshotTest, AgreesWithTheConfigsOwnLookups) {
  const auto config = Catalogue("m", "p");
  const Snapshot snapshot(config);
  EXPECT_EQ(snapshot.FindModel("m"), config->FindModel("m"));
  EXPECT_EQ(snapshot.FindProvider("p"), config->FindProvider("p"));
}

TEST(SnapshotTest, KeepsItsConfigAlive) {
  auto config = Catalogue("m", "p");
  const std::weak_ptr<const config::Config> watch = config;
  auto snapshot = std::make_shared<const Snapshot>(std::move(config));
  EXPECT_FALSE(watch.expired());
  ASSERT_NE(snapshot->FindModel("m"), nullptr);
  EXPECT_EQ(snapshot->FindModel("m")->endpoints[0].upstream_model, "up");
  EXPECT_EQ(snapshot->FindProvider("p")->name, "p");
  snapshot.reset();
  EXPECT_TRUE(watch.expired());
}

TEST(SnapshotTest, LooksUpWithAKeyThatIsNotNulTerminated) {
  const Snapshot snapshot(Catalogue("m", "p"));
  const std::string text = "mp";
  EXPECT_NE(snapshot.FindModel(std::string_view(text).substr(0, 1)), nullptr);
  EXPECT_NE(snapshot.FindProvider(std::string_view(text).substr(1, 1)), nullptr);
}

TEST(SnapshotHolderTest, LoadReturnsTheInitialSnapshot) {
  auto initial = std::make_shared<const Snapshot>(Catalogue("old", "p"));
  const SnapshotHolder holder(initial);
  EXPECT_EQ(holder.Load(), initial);
}

TEST(SnapshotHolderTest, StoreSwapsInANewSnapshotAndReadersKeepTheirs) {
  auto initial = std::make_shared<const Snapshot>(Catalogue("old", "p"));
  const std::weak_ptr<const Snapshot> watch_initial = initial;
  SnapshotHolder holder(std::move(initial));

  std::shared_ptr<const Snapshot> reader = holder.Load();
  holder.Store(std::make_shared<const Snapshot>(Catalogue("new", "q")));

  const std::shared_ptr<const Snapshot> current = holder.Load();
  EXPECT_NE(current, reader);
  EXPECT_NE(current->FindModel("new"), nullptr);
  EXPECT_EQ(current->FindModel("old"), nullptr);
  EXPECT_NE(current->FindProvider("q"), nullptr);

  // The request that loaded the old snapshot still sees it, whole.
  ASSERT_FALSE(watch_initial.expired());
  EXPECT_NE(reader->FindModel("old"), nullptr);
  EXPECT_EQ(reader->FindModel("new"), nullptr);
  EXPECT_EQ(reader->FindModel("old")->endpoints[0].provider, "p");

  // It is freed when its last reader lets go.
  reader.reset();
  EXPECT_TRUE(watch_initial.expired());
}

TEST(SnapshotHolderTest, EachStoreReplacesThePrevious) {
  SnapshotHolder holder(std::make_shared<const Snapshot>(Catalogue("v1", "p")));
  for (const char* id : {"v2", "v3", "v4"}) {
    auto next = std::make_shared<const Snapshot>(Catalogue(id, "p"));
    const Snapshot* expected = next.get();
    holder.Store(std::move(next));
    EXPECT_EQ(holder.Load().get(), expected);
    EXPECT_NE(holder.Load()->FindModel(id), nullptr);
  }
  EXPECT_EQ(holder.Load()->FindModel("v1"), nullptr);
}

}  // namespace
}  // namespace gw::routing

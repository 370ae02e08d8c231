#include "routing/plan.h"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "config/config.h"
#include "routing/snapshot.h"
#include "tests/routing/catalogue_builders.h"

namespace gw::routing {
namespace {

using test_catalogue::Model;
using test_catalogue::Provider;

// Providers p1..p3; models a (p1, p2), b (p3, p1), c (p2).
std::shared_ptr<const Snapshot> Catalogue() {
  auto config = std::make_shared<config::Config>();
  for (const char* name : {"p1", "p2", "p3"}) config->providers.push_back(Provider(name));
  config->models.push_back(Model("a", {{"p1", "a-on-p1"}, {"p2", "a-on-p2"}}));
  config->models.push_back(Model("b", {{"p3", "b-on-p3"}, {"p1", "b-on-p1"}}));
  config->models.push_back(Model("c", {{"p2", "c-on-p2"}}));
  return std::make_shared<const Snapshot>(std::move(config));
}

// These tests are about which endpoints a plan lists; sorting by price with equal (zero) prices
// keeps configuration order, so the randomized default policy does not shuffle them
// (policies_test.cc covers the policies).
class PlanTest : public ::testing::Test {
 protected:
  RoutePlan PlanFor(std::string_view model, const std::vector<std::string>* fallbacks = nullptr) {
    RequestFacts facts;
    facts.model = model;
    facts.fallback_models = fallbacks;
    facts.preferences = &by_price_;
    return Plan(*snapshot_, facts, now_, rng_);
  }

  // "model@provider:upstream_model" for each attempt, checking that its pointers agree.
  std::vector<std::string> Describe(const RoutePlan& plan) {
    std::vector<std::string> out;
    for (const Attempt& attempt : plan.attempts) {
      EXPECT_NE(attempt.model, nullptr);
      EXPECT_NE(attempt.endpoint, nullptr);
      EXPECT_NE(attempt.provider, nullptr);
      if (!attempt.model || !attempt.endpoint || !attempt.provider) continue;
      EXPECT_EQ(attempt.model, snapshot_->FindModel(attempt.model->id));
      EXPECT_GE(attempt.endpoint, attempt.model->endpoints.data());
      EXPECT_LT(attempt.endpoint,
                attempt.model->endpoints.data() + attempt.model->endpoints.size());
      EXPECT_EQ(attempt.provider, snapshot_->FindProvider(attempt.endpoint->provider));
      out.push_back(attempt.model->id + "@" + attempt.provider->name + ":" +
                    attempt.endpoint->upstream_model);
    }
    return out;
  }

  static ProviderPreferences ByPrice() {
    ProviderPreferences preferences;
    preferences.sort = SortBy::kPrice;
    return preferences;
  }
  ProviderPreferences by_price_ = ByPrice();
  std::shared_ptr<const Snapshot> snapshot_ = Catalogue();
  std::chrono::system_clock::time_point now_{std::chrono::seconds(1'700'000'000)};
  std::mt19937_64 rng_{42};
};

using Names = std::vector<std::string>;

TEST_F(PlanTest, ListsTheModelsEndpointsInConfigOrder) {
  const RoutePlan plan = PlanFor("b");
  EXPECT_EQ(plan.error, PlanError::kNone);
  EXPECT_TRUE(plan.unknown_models.empty());
  EXPECT_EQ(Describe(plan), (Names{"b@p3:b-on-p3", "b@p1:b-on-p1"}));
}

TEST_F(PlanTest, PointsIntoTheSnapshot) {
  const RoutePlan plan = PlanFor("a");
  ASSERT_EQ(plan.attempts.size(), 2u);
  const config::ModelConfig* a = snapshot_->FindModel("a");
  EXPECT_EQ(plan.attempts[0].model, a);
  EXPECT_EQ(plan.attempts[0].endpoint, &a->endpoints[0]);
  EXPECT_EQ(plan.attempts[0].provider, snapshot_->FindProvider("p1"));
  EXPECT_EQ(plan.attempts[1].endpoint, &a->endpoints[1]);
  EXPECT_EQ(plan.attempts[1].provider, snapshot_->FindProvider("p2"));
}

TEST_F(PlanTest, AnUnknownModelIsAnError) {
  const RoutePlan plan = PlanFor("nope/none");
  EXPECT_EQ(plan.error, PlanError::kUnknownModel);
  EXPECT_TRUE(plan.attempts.empty());
  EXPECT_EQ(plan.unknown_models, (Names{"nope/none"}));
}

TEST_F(PlanTest, ModelIdsAreMatchedExactly) {
  for (std::string_view id : {"A", "a ", " a", "b/a"}) {
    SCOPED_TRACE(id);
    const RoutePlan plan = PlanFor(id);
    EXPECT_EQ(plan.error, PlanError::kUnknownModel);
    EXPECT_EQ(plan.unknown_models, (Names{std::string(id)}));
  }
}

TEST_F(PlanTest, FallbackModelsAppendTheirEndpointsInOrder) {
  const Names fallbacks = {"c", "b"};
  const RoutePlan plan = PlanFor("a", &fallbacks);
  EXPECT_EQ(plan.error, PlanError::kNone);
  EXPECT_TRUE(plan.unknown_models.empty());
  EXPECT_EQ(Describe(plan), (Names{"a@p1:a-on-p1", "a@p2:a-on-p2", "c@p2:c-on-p2", "b@p3:b-on-p3",
                                   "b@p1:b-on-p1"}));
}

TEST_F(PlanTest, EachModelContributesOnce) {
  // What the decoder produces when `model` is absent: the model is models[0].
  const Names fallbacks = {"b", "a", "b", "a", "c", "c"};
  const RoutePlan plan = PlanFor("b", &fallbacks);
  EXPECT_EQ(plan.error, PlanError::kNone);
  EXPECT_EQ(Describe(plan), (Names{"b@p3:b-on-p3", "b@p1:b-on-p1", "a@p1:a-on-p1", "a@p2:a-on-p2",
                                   "c@p2:c-on-p2"}));
}

TEST_F(PlanTest, AnEmptyFallbackListIsLikeNone) {
  const Names none;
  EXPECT_EQ(Describe(PlanFor("c", &none)), Describe(PlanFor("c")));
}

TEST_F(PlanTest, UnknownFallbacksAreListedButNotFatal) {
  const Names fallbacks = {"ghost", "c", "phantom"};
  const RoutePlan plan = PlanFor("a", &fallbacks);
  EXPECT_EQ(plan.error, PlanError::kNone);
  EXPECT_EQ(plan.unknown_models, (Names{"ghost", "phantom"}));
  EXPECT_EQ(Describe(plan), (Names{"a@p1:a-on-p1", "a@p2:a-on-p2", "c@p2:c-on-p2"}));
}

TEST_F(PlanTest, AnUnknownPrimaryFallsBackToAKnownModel) {
  const Names fallbacks = {"c"};
  const RoutePlan plan = PlanFor("ghost", &fallbacks);
  EXPECT_EQ(plan.error, PlanError::kNone);
  EXPECT_EQ(plan.unknown_models, (Names{"ghost"}));
  EXPECT_EQ(Describe(plan), (Names{"c@p2:c-on-p2"}));
}

TEST_F(PlanTest, NoKnownModelAtAllIsAnErrorListingEachOnce) {
  const Names fallbacks = {"y", "x", "z", "y"};
  const RoutePlan plan = PlanFor("x", &fallbacks);
  EXPECT_EQ(plan.error, PlanError::kUnknownModel);
  EXPECT_TRUE(plan.attempts.empty());
  EXPECT_EQ(plan.unknown_models, (Names{"x", "y", "z"}));
}

TEST_F(PlanTest, ReadsOnlyTheSnapshotItIsGiven) {
  auto other = std::make_shared<config::Config>();
  other->providers.push_back(Provider("p9"));
  other->models.push_back(Model("a", {{"p9", "a-on-p9"}}));
  const Snapshot reloaded(std::move(other));
  RequestFacts facts;
  facts.model = "a";
  const RoutePlan plan = Plan(reloaded, facts, now_, rng_);
  ASSERT_EQ(plan.attempts.size(), 1u);
  EXPECT_EQ(plan.attempts[0].provider->name, "p9");
  EXPECT_EQ(plan.attempts[0].endpoint->upstream_model, "a-on-p9");
  EXPECT_EQ(Describe(PlanFor("a")), (Names{"a@p1:a-on-p1", "a@p2:a-on-p2"}));
}

}  // namespace
}  // namespace gw::routing

// Hop 4 of the data path: the routing decision as a pure function. Given the snapshot and the
// facts of one request, it returns the ordered endpoints to try, or why none can serve it.
// No I/O, no globals; time and randomness are parameters so tests are tables of facts and plans.
#pragma once

#include <chrono>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "routing/snapshot.h"

namespace gw::routing {

struct RequestFacts {
  std::string_view model;                                     // the requested model id
  const std::vector<std::string>* fallback_models = nullptr;  // `models: [...]`, may be null
};

struct Attempt {
  const config::ModelConfig* model = nullptr;
  const config::EndpointConfig* endpoint = nullptr;
  const config::ProviderConfig* provider = nullptr;
};

enum class PlanError {
  kNone,
  kUnknownModel,  // no requested model is in the catalogue (404)
};

struct RoutePlan {
  std::vector<Attempt> attempts;  // in the order to try them
  PlanError error = PlanError::kNone;
  std::vector<std::string> unknown_models;  // the requested ids the catalogue lacks
};

// Current policy: each requested model (the model, then the `models` fallbacks, without
// duplicates) contributes its endpoints in configuration order. Price-weighted balancing,
// sorts, provider preferences and health are the routing issue's; the signature is final.
RoutePlan Plan(const Snapshot& snapshot, const RequestFacts& facts,
               std::chrono::system_clock::time_point now, std::mt19937_64& rng);

}  // namespace gw::routing

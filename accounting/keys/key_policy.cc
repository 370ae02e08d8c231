#include "accounting/keys/key_policy.h"

#include <nlohmann/json.hpp>

namespace gw::accounting::keys {
namespace {

nlohmann::json RateLimitJson(const RateLimit& limit) {
  return {{"requests_per_minute", limit.requests_per_minute},
          {"tokens_per_minute", limit.tokens_per_minute}};
}

RateLimit RateLimitOf(const nlohmann::json& json) {
  RateLimit limit;
  if (!json.is_object()) return limit;
  limit.requests_per_minute = json.value("requests_per_minute", 0u);
  limit.tokens_per_minute = json.value("tokens_per_minute", uint64_t{0});
  return limit;
}

// Sets the members from `policy`; throws nlohmann::json::exception for a member of the wrong
// type (a number where a list should be, null for a limit).
void ReadPolicyMembers(const nlohmann::json& policy, ApiKey& key) {
  auto strings = [&policy](const char* name) {
    std::vector<std::string> values;
    const auto found = policy.find(name);
    if (found == policy.end() || !found->is_array()) return values;
    for (const nlohmann::json& value : *found) {
      if (value.is_string()) values.push_back(value.get<std::string>());
    }
    return values;
  };
  key.allowed_models = strings("allowed_models");
  key.denied_models = strings("denied_models");
  key.allowed_providers = strings("allowed_providers");
  key.denied_providers = strings("denied_providers");
  if (policy.contains("rate_limit")) key.rate_limit = RateLimitOf(policy["rate_limit"]);
  if (policy.contains("user_rate_limit")) {
    key.user_rate_limit = RateLimitOf(policy["user_rate_limit"]);
  }
  const auto model_limits = policy.find("model_rate_limits");
  if (model_limits != policy.end() && model_limits->is_array()) {
    for (const nlohmann::json& entry : *model_limits) {
      if (!entry.is_object() || !entry.contains("model") || !entry["model"].is_string()) continue;
      key.model_limits.push_back({entry["model"].get<std::string>(), RateLimitOf(entry)});
    }
  }
  const auto user_limit = policy.find("user_limit_nano");
  if (user_limit != policy.end() && user_limit->is_number_integer()) {
    key.user_limit_nano = user_limit->get<int64_t>();
  }
}

}  // namespace

std::string PolicyJson(const ApiKey& key) {
  nlohmann::json model_limits = nlohmann::json::array();
  for (const ModelRateLimit& limit : key.model_limits) {
    nlohmann::json entry = RateLimitJson(limit.limit);
    entry["model"] = limit.model;
    model_limits.push_back(std::move(entry));
  }
  nlohmann::json policy = {{"allowed_models", key.allowed_models},
                           {"denied_models", key.denied_models},
                           {"allowed_providers", key.allowed_providers},
                           {"denied_providers", key.denied_providers},
                           {"rate_limit", RateLimitJson(key.rate_limit)},
                           {"model_rate_limits", std::move(model_limits)},
                           {"user_rate_limit", RateLimitJson(key.user_rate_limit)}};
  if (key.user_limit_nano) policy["user_limit_nano"] = *key.user_limit_nano;
  return policy.dump();
}

void ReadPolicy(std::string_view text, ApiKey& key) {
  const nlohmann::json policy = nlohmann::json::parse(text, nullptr, false);
  // Written only by the gateway, so a policy that is not an object, or has a member of the wrong
  // type, is a damaged row (a hand edit, a disk error). Its limits and lists are unknown: the
  // key is refused rather than run without them (and the other keys still load).
  if (!policy.is_object()) {
    key.disabled = true;
    return;
  }
  try {
    ReadPolicyMembers(policy, key);
  } catch (const nlohmann::json::exception&) {
    key.disabled = true;
  }
}

}  // namespace gw::accounting::keys

#include "accounting/keys/key_limits.h"

#include <string>

namespace gw::accounting::keys {
namespace {

// Bucket names: "<hash>\n<scope>\n<unit>", unit "rpm" or "tpm".
void AddScopes(const std::string& prefix, const RateLimit& limit, RateScope::Holder holder,
               std::vector<RateScope>& out) {
  if (limit.requests_per_minute != 0)
    out.push_back({prefix + "\nrpm", limit.requests_per_minute, false, holder});
  if (limit.tokens_per_minute != 0)
    out.push_back({prefix + "\ntpm", limit.tokens_per_minute, true, holder});
}

}  // namespace

BudgetHolder BudgetHolderOf(const ApiKey& key, std::string_view user) {
  BudgetHolder holder;
  holder.key = key.hash;
  holder.user = std::string(user);
  holder.key_limit_nano = key.limit_nano;
  holder.user_limit_nano = key.user_limit_nano;
  holder.reset = key.limit_reset;
  return holder;
}

std::vector<RateScope> RateScopesOf(const ApiKey& key, std::string_view model,
                                    std::string_view user) {
  std::vector<RateScope> scopes;
  AddScopes(key.hash + "\nkey", key.rate_limit, RateScope::Holder::kKey, scopes);
  if (const RateLimit* model_limit = key.ModelLimit(model)) {
    AddScopes(key.hash + "\nmodel:" + std::string(model), *model_limit, RateScope::Holder::kModel,
              scopes);
  }
  if (!user.empty())
    AddScopes(key.hash + "\nuser:" + std::string(user), key.user_rate_limit,
              RateScope::Holder::kUser, scopes);
  return scopes;
}

std::string RateScopeDescription(const RateScope& scope, std::string_view model,
                                 std::string_view user) {
  const std::string unit = scope.tokens ? "tokens per minute" : "requests per minute";
  std::string who = "this key";
  if (scope.holder == RateScope::Holder::kModel) {
    who = "this key's limit for model \"" + std::string(model) + "\"";
  } else if (scope.holder == RateScope::Holder::kUser) {
    who = "this key's limit per user (user \"" + std::string(user) + "\")";
  }
  return who + ": " + std::to_string(scope.per_minute) + " " + unit;
}

}  // namespace gw::accounting::keys

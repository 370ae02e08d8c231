// A managed API key (docs/keys.md): what the key table stores and the request path enforces.
// The secret itself is never stored: `hash` (the lowercase hex SHA-256 of the secret) is the
// key's id in the management API, in the ledger's api_key_id and in reports. Amounts are
// nano-USD (1 USD = 1'000'000'000) as everywhere in accounting. Plain value type.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "accounting/keys/limit_reset.h"

namespace gw::accounting::keys {

// Requests and tokens per minute; 0 = unlimited.
struct RateLimit {
  uint32_t requests_per_minute = 0;
  uint64_t tokens_per_minute = 0;

  bool unlimited() const { return requests_per_minute == 0 && tokens_per_minute == 0; }
  bool operator==(const RateLimit&) const = default;
};

// A rate limit that applies to one model (its public id) only, on top of the key's.
struct ModelRateLimit {
  std::string model;
  RateLimit limit;

  bool operator==(const ModelRateLimit&) const = default;
};

struct ApiKey {
  std::string hash;   // hex SHA-256 of the secret (64 characters)
  std::string name;   // the admin's name for it
  std::string label;  // the secret masked for display: "sk-gw-v1-1a2...9f0"
  bool disabled = false;
  std::optional<int64_t> limit_nano;  // credit limit per period; nullopt = unlimited
  LimitReset limit_reset = LimitReset::kNone;
  std::optional<int64_t> expires_at_ms;  // refused from this instant on
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
  // Model ids and provider names. An empty allow list allows all; a deny list wins.
  std::vector<std::string> allowed_models;
  std::vector<std::string> denied_models;
  std::vector<std::string> allowed_providers;
  std::vector<std::string> denied_providers;
  RateLimit rate_limit;                      // the whole key
  std::vector<ModelRateLimit> model_limits;  // per model
  // Per end user (the request's `user`), within this key: a credit limit over the key's
  // period, and a rate limit. Requests without `user` share the key's budget only.
  std::optional<int64_t> user_limit_nano;
  RateLimit user_rate_limit;

  bool operator==(const ApiKey&) const = default;

  bool AllowsModel(std::string_view model) const;
  bool AllowsProvider(std::string_view provider) const;
  bool ExpiredAt(int64_t now_ms) const { return expires_at_ms && now_ms >= *expires_at_ms; }
  // The per-model rate limit of `model`, or nullptr.
  const RateLimit* ModelLimit(std::string_view model) const;
};

}  // namespace gw::accounting::keys

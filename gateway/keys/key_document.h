// Managed keys as the management API and the CLI read and write them (docs/keys.md, API.md
// "Keys, credits, limits"): a new secret, the JSON fields a create or update may carry (checked,
// with a message naming the problem), and the key object the API answers (the leader's shape,
// amounts in USD as exact decimal numbers). Pure; any thread.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "accounting/keys/api_key.h"

namespace gw::keys {

// A freshly generated key: the secret (shown once) and what is stored of it.
struct NewKeySecret {
  std::string secret;  // "sk-gw-v1-" + 64 hex digits (256 random bits)
  std::string hash;    // hex SHA-256 of the secret
  std::string label;   // "sk-gw-v1-1a2...9f0"
};
NewKeySecret GenerateKeySecret();

// Applies the fields of `body` (a JSON object) to `key`: name, disabled, limit (USD or null),
// limit_reset (daily|weekly|monthly|none|null), expires_at (ISO 8601 or null), allowed_models,
// denied_models, allowed_providers, denied_providers (arrays of strings), rate_limit and
// user_rate_limit ({requests_per_minute, tokens_per_minute}), model_rate_limits ([{model,
// requests_per_minute, tokens_per_minute}]), user_limit (USD or null). `creating`: name is
// required. Returns "" or a message naming the field and the problem (a 400); `key` is then
// unchanged.
std::string ApplyKeyFields(const nlohmann::json& body, bool creating, int64_t now_ms,
                           accounting::keys::ApiKey& key);

// What a key has spent (nano-USD): in all and in the current UTC day, week (from Monday) and
// month.
struct KeyUsage {
  int64_t total = 0;
  int64_t daily = 0;
  int64_t weekly = 0;
  int64_t monthly = 0;
};

// The key object: hash, name, label, disabled, limit, limit_remaining, limit_reset, usage,
// usage_daily, usage_weekly, usage_monthly, created_at, updated_at, expires_at, and the policy
// fields ApplyKeyFields takes. `remaining_nano`: what the key can still spend in its period
// (nullopt without a limit).
std::string KeyObjectJson(const accounting::keys::ApiKey& key, const KeyUsage& usage,
                          std::optional<int64_t> remaining_nano);

// "2026-12-31T00:00:00Z", "2026-12-31T00:00:00.5+01:00", "2026-12-31" (midnight UTC): epoch ms.
std::optional<int64_t> ParseIsoInstantMs(std::string_view text);

// A USD amount of the API (a JSON number >= 0) in nano-USD; nullopt when it is not one or has
// more than 9 decimals.
std::optional<int64_t> UsdOfJson(const nlohmann::json& value);

}  // namespace gw::keys

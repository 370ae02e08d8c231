// The key endpoints (docs/keys.md, API.md "Keys, credits, limits"): GET /v1/key (the calling
// key), GET /v1/credits, and the management API of admin keys: GET/POST /v1/keys, GET/PATCH/
// DELETE /v1/keys/{hash}. Pure functions of the request and the key state, so they are tested
// without a server; the caller checked that a management call comes from an admin key.
// Worker thread.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "accounting/keys/key_limits.h"
#include "accounting/ledger/usage_reports.h"
#include "gateway/api/usage_api.h"
#include "gateway/keys/key_document.h"
#include "gateway/keys/key_registry.h"

namespace gw::api {

struct KeysContext {
  keys::KeyRegistry* registry = nullptr;          // required
  accounting::keys::KeyLimits* limits = nullptr;  // required
  accounting::UsageSource* reader = nullptr;      // usage; null: the ledger cannot be read (503)
  std::function<int64_t()> now_ms;                // the clock
};

// Who calls: the key id (a managed key's hash, a config key's "key-N"/"admin-N", "" when
// anonymous) and, for a managed key, the key.
struct KeysCaller {
  std::string key_id;
  bool admin = false;
  keys::ApiKeyPtr managed;
};

// GET /v1/key: {"data": {<key object> ..., "is_free_tier": false}}. A config key answers with
// its id as hash, name and label, and no limit.
UsageAnswer KeyInfoAnswer(const KeysCaller& caller, const KeysContext& context);

// GET /v1/credits: {"data": {"total_credits", "total_usage"}} in USD: for an admin, the sum of
// the managed keys' limits and the usage of every key; for a key, its limit (0 without one)
// and its usage (both over all time).
UsageAnswer CreditsAnswer(const KeysCaller& caller, const KeysContext& context);

// The management API. `method` is GET, POST, PATCH or DELETE; `hash` is "" for /v1/keys.
// 400 names a malformed body or field; 404 an unknown hash; 405 a method the path does not
// take.
UsageAnswer ManageKeysAnswer(std::string_view method, std::string_view hash,
                             std::string_view target, std::string_view body,
                             const KeysContext& context);

// The key usage of `key_id` (nano-USD) from the ledger's rollups; throws LedgerError.
keys::KeyUsage KeyUsageOf(accounting::UsageSource& reader, const std::string& key_id,
                          int64_t today);

}  // namespace gw::api

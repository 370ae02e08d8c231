// The `policy` column of the key table (SQLite and PostgreSQL alike, key_table.h): what a key
// enforces besides its columns (model and provider lists, rate limits, the per-user limits) as
// one JSON object, so that a new kind of rule needs no schema migration. Pure functions.
#pragma once

#include <string>
#include <string_view>

#include "accounting/keys/api_key.h"

namespace gw::accounting::keys {

// The policy members of `key` as JSON text.
std::string PolicyJson(const ApiKey& key);
// Sets the policy members of `key` from `text`. Text that is not a JSON object (a hand edit, a
// disk error: only the gateway writes it) disables the key: its limits and lists are unknown,
// so it is refused rather than run without them.
void ReadPolicy(std::string_view text, ApiKey& key);

}  // namespace gw::accounting::keys

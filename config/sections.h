// The schema of each top-level block of a config file (server, routing, providers, models): its
// keys, their types, defaults and constraints. Internal to config/, called by loader.cc on one
// thread while loading; every problem goes to the Diagnostics and reading continues.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "config/config.h"
#include "config/loader.h"
#include "config/yaml_reader.h"

namespace gw::config::internal {

void ReadServer(const Field& field, const EnvLookup& env, Diagnostics& diag, ServerConfig* out);

// Returns the provider names read (even from otherwise invalid entries, so a model that names a
// broken provider is not reported twice), or nullopt when `field` is not a usable list.
std::optional<std::set<std::string>> ReadProviders(const Field& field, const EnvLookup& env,
                                                   Diagnostics& diag,
                                                   std::vector<ProviderConfig>* out);

// `provider_names` from ReadProviders; nullptr skips the "unknown provider" check, which
// would only repeat an error already reported about the providers block.
void ReadModels(const Field& field, const std::set<std::string>* provider_names, Diagnostics& diag,
                std::vector<ModelConfig>* out);

void ReadRouting(const Field& field, Diagnostics& diag, RoutingConfig* out);

void ReadAccounting(const Field& field, Diagnostics& diag, AccountingConfig* out);
// The `redis` block (docs/scale-out.md), in accounting_section.cc beside its main user.
void ReadRedis(const Field& field, const EnvLookup& env, Diagnostics& diag, RedisConfig* out);
// The `postgres` block (docs/scale-out.md), in accounting_section.cc beside its main user.
void ReadPostgres(const Field& field, const EnvLookup& env, Diagnostics& diag, PostgresConfig* out);

// The `apps` list: [{name, category}].
void ReadApps(const Field& field, Diagnostics& diag, std::vector<AppConfig>* out);

// A model's own `routing` block ({sort}).
void ReadModelRouting(const Field& field, Diagnostics& diag, std::string* sort);

}  // namespace gw::config::internal

// Turns YAML text into a validated Config, collecting every problem instead of stopping at the
// first. Called at start-up (and by `gateway check-config`); never on the data path.
// Pure apart from the injected environment lookup, so it is safe from any thread.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"

namespace gw::config {

// One problem, located: `models[2].endpoints[0].provider: unknown provider "acme"` at line 41,
// column 19 (both 1-based; 0 when the problem has no single place, e.g. a missing file).
// Messages never contain secret values.
struct ConfigError {
  std::string path;
  std::string message;
  int line = 0;
  int column = 0;

  // "path: message (line L, column C)"
  std::string ToString() const;
};

struct LoadResult {
  std::optional<Config> config;  // set only when errors is empty
  std::vector<ConfigError> errors;
};

// Looks an environment variable up; nullopt when unset. Injected so tests need no real env.
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;

// The process environment (getenv).
EnvLookup ProcessEnv();

LoadResult ParseConfig(std::string_view yaml_text, const EnvLookup& env);
LoadResult LoadConfigFile(const std::string& path, const EnvLookup& env);

}  // namespace gw::config

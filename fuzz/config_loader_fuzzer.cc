// config/loader: YAML text into a validated Config (yaml-cpp underneath, then every section's
// checks). Invariants: no exception escapes ParseConfig; a config comes back exactly when there
// are no errors, and every error names where it is.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "config/loader.h"
#include "fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view yaml = gw::fuzz::AsText(data, size);
  // ${VAR} references: names starting with "UNSET" are missing, the others have a value.
  const gw::config::EnvLookup env = [](std::string_view name) -> std::optional<std::string> {
    if (name.starts_with("UNSET")) return std::nullopt;
    return "sk-fuzz-" + std::string(name);
  };
  const gw::config::LoadResult result = gw::config::ParseConfig(yaml, env);
  FUZZ_CHECK(result.config.has_value() == result.errors.empty());
  for (const gw::config::ConfigError& error : result.errors) {
    FUZZ_CHECK(!error.message.empty());
    FUZZ_CHECK(error.line >= 0 && error.column >= 0);
    FUZZ_CHECK(!error.ToString().empty());
  }
  return 0;
}

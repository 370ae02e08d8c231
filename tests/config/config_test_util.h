// Helpers shared by the config tests: a fake environment and readable error dumps.
// Test-only; single-threaded.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "config/loader.h"

namespace gw::config::testing {

// An EnvLookup backed by a fixed map, so tests never read or write the real environment.
inline EnvLookup FakeEnv(std::map<std::string, std::string, std::less<>> vars = {}) {
  return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
    const auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

// Every error's ToString(), one per line: what a failing assertion should show.
inline std::string ErrorsText(const LoadResult& result) {
  std::string text;
  for (const ConfigError& error : result.errors) text += error.ToString() + "\n";
  return text;
}

// A valid providers + models tail (lines 1-9 when used alone) for tests about other blocks.
inline constexpr std::string_view kValidCatalogue = R"(providers:
  - name: p
    base_url: http://127.0.0.1:9000/v1
models:
  - id: m
    context_length: 1000
    endpoints:
      - provider: p
        model: up
)";

}  // namespace gw::config::testing

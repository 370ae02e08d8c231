// ${ENV_VAR} references: how secrets reach a config without being written in it. The loader
// resolves them through an injected EnvLookup. Pure functions; any thread. Error messages name
// the variable, never its value.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "config/loader.h"

namespace gw::config {

// [A-Za-z_][A-Za-z0-9_]*, the portable shell variable name.
bool IsValidEnvVarName(std::string_view name);

// NAME when `text` is exactly "${NAME}" with a valid NAME, else nullopt.
std::optional<std::string_view> WholeEnvRef(std::string_view text);

struct EnvValue {
  std::string value;  // meaningful only when error is empty
  std::string error;  // "environment variable NAME is not set" / "... is empty"
};

// Looks NAME up; an unset or empty variable is an error (an empty key is never intended).
EnvValue ResolveEnvVar(std::string_view name, const EnvLookup& env);

struct EnvExpansion {
  std::string text;       // the expanded text; meaningful only when error is empty
  std::string error;      // first problem found; names a variable, never a value
  bool used_env = false;  // at least one ${NAME} was substituted, so text is secret
};

// Replaces every ${NAME} in `text` with the variable's value. A '$' not followed by '{' is
// literal; every "${" must open a valid, closed reference to a set, non-empty variable.
EnvExpansion ExpandEnvRefs(std::string_view text, const EnvLookup& env);

}  // namespace gw::config

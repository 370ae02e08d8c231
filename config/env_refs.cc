#include "config/env_refs.h"

namespace gw::config {
namespace {

bool IsNameStart(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9'); }

}  // namespace

bool IsValidEnvVarName(std::string_view name) {
  if (name.empty() || !IsNameStart(name.front())) return false;
  for (char c : name) {
    if (!IsNameChar(c)) return false;
  }
  return true;
}

std::optional<std::string_view> WholeEnvRef(std::string_view text) {
  if (text.size() < 4 || !text.starts_with("${") || !text.ends_with('}')) return std::nullopt;
  const std::string_view name = text.substr(2, text.size() - 3);
  if (!IsValidEnvVarName(name)) return std::nullopt;
  return name;
}

EnvValue ResolveEnvVar(std::string_view name, const EnvLookup& env) {
  const std::string prefix = "environment variable " + std::string(name);
  std::optional<std::string> value = env ? env(name) : std::nullopt;
  if (!value) return {.value = {}, .error = prefix + " is not set"};
  if (value->empty()) return {.value = {}, .error = prefix + " is empty"};
  return {.value = std::move(*value), .error = {}};
}

EnvExpansion ExpandEnvRefs(std::string_view text, const EnvLookup& env) {
  EnvExpansion result;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t open = text.find("${", pos);
    if (open == std::string_view::npos) {
      result.text.append(text.substr(pos));
      break;
    }
    result.text.append(text.substr(pos, open - pos));
    const size_t close = text.find('}', open + 2);
    if (close == std::string_view::npos) {
      result.error = "unterminated ${ reference (write ${NAME})";
      return result;
    }
    const std::string_view name = text.substr(open + 2, close - open - 2);
    if (!IsValidEnvVarName(name)) {
      result.error = "invalid environment variable name in ${...} (use letters, digits and _)";
      return result;
    }
    EnvValue resolved = ResolveEnvVar(name, env);
    if (!resolved.error.empty()) {
      result.error = std::move(resolved.error);
      return result;
    }
    result.text.append(resolved.value);
    result.used_env = true;
    pos = close + 1;
  }
  return result;
}

}  // namespace gw::config

// The query string of a request target ("/v1/activity?from=2026-11-01&format=csv"), decoded:
// percent-escapes and '+' (a space in forms) are decoded in names and values. Pure; any thread.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gw::api {

struct QueryParameter {
  std::string name;
  std::string value;
};

// The parameters in order; nullopt when an escape is malformed ("%4", "%zz") — a 400.
std::optional<std::vector<QueryParameter>> ParseQueryString(std::string_view target);

// ParseQueryString for an endpoint's strict rules: each name at most once and only from
// `allowed`. On a problem returns nullopt and sets *problem to a message for a 400 that names
// the parameter (and the allowed ones).
std::optional<std::vector<QueryParameter>> ReadParameters(
    std::string_view target, std::initializer_list<std::string_view> allowed, std::string* problem);

// A part of a request path with its percent-escapes decoded ("openai%2Fgpt-4o" ->
// "openai/gpt-4o"; '+' stays '+' in a path); nullopt when an escape is malformed.
std::optional<std::string> DecodePathPart(std::string_view part);

// "a, b, c"
std::string JoinNames(std::initializer_list<std::string_view> names);

}  // namespace gw::api

// The query string of a request target ("/v1/activity?from=2026-11-01&format=csv"), decoded:
// percent-escapes and '+' (a space in forms) are decoded in names and values. Pure; any thread.
#pragma once

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

}  // namespace gw::api

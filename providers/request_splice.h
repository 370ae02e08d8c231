// The passthrough rewrite of a client's request body, shared by every adapter: the router's own
// fields dropped, `model` replaced by the endpoint's upstream name, every other member copied
// byte for byte in its order (so nothing the client sent is lost: thinking signatures, beta
// fields). Pure functions over validated members; any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/json/json_scan.h"

namespace gw::providers {

// Fields only the router understands; removed before forwarding: models, provider, route,
// transforms, usage, session_id. `raw_key` is a key as it stands between its quotes (escapes
// are understood, so a plain name works too).
bool IsRouterOnlyField(std::string_view raw_key);

// Appends `"key":value` (with a comma unless `out` ends with '{').
void AppendMember(std::string& out, const json::Member& member);
// Appends `"model":"<upstream_model>"` (with a comma unless `out` ends with '{').
void AppendModel(std::string& out, std::string_view upstream_model);

// The body with `model` replaced in place (added first if absent) and router-only fields
// dropped; members joined compactly ("key":value,...), whitespace inside values kept.
std::string SpliceRequestBody(const std::vector<json::Member>& members,
                              std::string_view upstream_model);

}  // namespace gw::providers

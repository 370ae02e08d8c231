// Decodes the request's `provider` object (API.md, "Inference") into routing preferences,
// validating every field so that a typo or a wrong type is a 400 naming it, never a silently
// ignored preference. Pure; any thread.
#pragma once

#include <string>
#include <string_view>

#include "routing/preferences.h"

namespace gw::api {

// `value` is the validated JSON text of the `provider` member (an object, or null for none).
// Returns an empty string on success, else the problem ("provider.sort: expected one of price,
// throughput, latency, got \"fast\"").
std::string DecodeProviderPreferences(std::string_view value, routing::ProviderPreferences& out);

}  // namespace gw::api

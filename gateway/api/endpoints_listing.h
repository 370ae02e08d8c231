// GET /v1/models/{author}/{slug}/endpoints: one row per provider endpoint of a model, with what
// the gateway measured about it over the last 30 minutes (API.md). Pure; any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "routing/snapshot.h"

namespace gw::api {

// {"data":{id, name, created, description, architecture{tokenizer, modality},
//  endpoints:[{name, model_name, provider_name, tag, context_length, max_prompt_tokens,
//  max_completion_tokens, pricing, quantization, supported_parameters, status, status_name,
//  uptime_last_5m, uptime_last_30m (percent or null), requests_last_30m,
//  latency_last_30m{p50,p75,p90,p99} (ms to first token, or null),
//  throughput_last_30m{p50,p75,p90,p99} (tokens/s, or null)}]}}.
// nullopt when the catalogue has no model `model_id`.
std::optional<std::string> BuildEndpointsListing(const routing::Snapshot& snapshot,
                                                 std::string_view model_id);

}  // namespace gw::api

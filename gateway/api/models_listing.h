// GET /v1/models: the catalogue in the shape of API.md (OpenRouter's model objects, which are a
// superset of OpenAI's {id, object, created, owned_by}). Built once per snapshot, then served
// as bytes. Pure; any thread.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "routing/snapshot.h"

namespace gw::api {

// {"object":"list","data":[{id, object:"model", created, owned_by, name, description,
//  context_length, pricing{prompt, completion, request, internal_reasoning, and
//  input_cache_read / input_cache_write where configured} (USD per token as exact decimal
//  strings, from the model's first endpoint), architecture{tokenizer, modality},
//  top_provider{context_length, max_completion_tokens}, supported_parameters[]}]}
std::string BuildModelsListing(const routing::Snapshot& snapshot);

// GET /v1/models/{author}/{slug} (what `client.models.retrieve` calls): the one model object of
// the listing, by exact id; nullopt when the catalogue has no such model.
std::optional<std::string> BuildModelObject(const routing::Snapshot& snapshot, std::string_view id);

// The `pricing` object of a model or endpoint: USD per token (per request for `request`) as
// exact decimal strings. The cache prices appear only when configured.
nlohmann::json PricingJson(const config::Pricing& pricing);

}  // namespace gw::api

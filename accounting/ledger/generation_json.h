// The `data` object of GET /v1/generation (API.md "Usage records and reports") for one record,
// as JSON text: USD amounts are exact decimal numbers built from integer nano-USD (nlohmann's
// number_float would round them through double). Pure; any thread.
#pragma once

#include <string>

#include "accounting/generation_record.h"

namespace gw::accounting {

// {"id","model","provider_name","created_at" (ISO 8601 UTC),"streamed","cancelled",
//  "finish_reason","native_finish_reason","latency","generation_time","time_to_first_token"
//  (null when unknown),"tokens_prompt","tokens_completion" (null until counted),
//  "native_tokens_prompt","native_tokens_completion","native_tokens_reasoning",
//  "native_tokens_cached","native_tokens_cache_write","total_cost","usage","cost_details"{...},
//  "estimated","app_id","http_referer","app_title","user","api_key_id","api","model_requested",
//  "endpoint","http_status","provider_responses":[{"provider_name","model","status","latency",
//  "error"}]}
std::string GenerationJson(const GenerationRecord& record);

}  // namespace gw::accounting

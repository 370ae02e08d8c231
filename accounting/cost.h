// What a request costs: token counts times the serving endpoint's prices, in integer nano-USD,
// never through binary floating point. Pure functions; any thread. docs/accounting.md gives the
// rules with a worked example.
#pragma once

#include <string>
#include <string_view>

#include "accounting/generation_record.h"
#include "accounting/ledger/json_text.h"  // UsdNumber: nano-USD as an exact JSON number
#include "config/config.h"

namespace gw::accounting {

// The billing rule of API.md: no charge when the completion has zero tokens and no finish
// reason (nothing was generated), or when it finished with `error`. A client that went away
// mid-stream is charged for what was generated (tokens > 0, no finish reason).
bool IsChargeable(int64_t completion_tokens, std::string_view finish_reason);

// Prices `counts` at `pricing`:
// - prompt: (prompt - cached - cache_write) at `prompt`, cached at `cached_read`, cache_write at
//   `cache_write` (an unset cache price bills those tokens as prompt); the details are clamped so
//   that cached + cache_write <= prompt when a provider reports more.
// - completion: (completion - reasoning) at `completion` and reasoning at `reasoning` when the
//   endpoint prices reasoning separately, else all of it at `completion`.
// - request: the flat per-request price.
// Prices are nano-USD per 1M tokens, so tokens x price is exact in femto-USD (1e-15); each
// component is rounded half up to the nano-USD (exact whenever a price has at most 6 decimals
// per 1M tokens, i.e. every real price list), and total is the sum of the rounded components.
Cost PriceUsage(const config::Pricing& pricing, const TokenCounts& counts);

// IsChargeable, then PriceUsage; a non-chargeable request costs nothing (Cost{}).
Cost PriceRequest(const config::Pricing& pricing, const TokenCounts& counts,
                  std::string_view finish_reason);

// The most a request of `prompt_tokens` and at most `completion_tokens` can cost at `pricing`,
// in nano-USD: every prompt token at the higher of the prompt and cache-write prices, every
// completion token at the higher of the completion and reasoning prices, plus the per-request
// price. What a key's budget reserves before a request goes upstream (docs/keys.md).
int64_t WorstCaseCost(const config::Pricing& pricing, int64_t prompt_tokens,
                      int64_t completion_tokens);

// The members accounting adds inside a usage object (without a leading comma):
// "cost":0.0012345,"cost_details":{"prompt":...,"completion":...,"input_cache_read":...,
// "input_cache_write":...,"internal_reasoning":...,"request":...}
void AppendCostMembers(const Cost& cost, std::string& out);

// A whole OpenAI usage object for counts the gateway produced itself (the provider gave none):
// {"prompt_tokens":..,"completion_tokens":..,"total_tokens":..,"prompt_tokens_details":{
// "cached_tokens":..,"cache_write_tokens":..},"completion_tokens_details":{"reasoning_tokens":..},
// <cost members>,"estimated":true}
void AppendEstimatedUsageObject(const TokenCounts& counts, const Cost& cost, std::string& out);

}  // namespace gw::accounting

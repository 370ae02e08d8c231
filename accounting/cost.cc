#include "accounting/cost.h"

#include <algorithm>
#include <cstdint>

namespace gw::accounting {
namespace {

// Femto-USD per nano-USD: a price in nano-USD per 1M tokens is femto-USD per token.
constexpr __int128 kFemtoPerNano = 1'000'000;

// Costs saturate here (9.2 billion USD): absurd reported counts (up to 2^53 tokens each, see
// providers/usage.h) must not overflow the sums below.
constexpr int64_t kMaxNanoUsd = INT64_MAX / 8;

// tokens x (nano-USD per 1M tokens), rounded half up to the nano-USD, at most kMaxNanoUsd.
int64_t TokenCost(int64_t tokens, int64_t price_per_million) {
  if (tokens <= 0 || price_per_million <= 0) return 0;
  const __int128 femto = static_cast<__int128>(tokens) * price_per_million;
  const __int128 nano = (femto + kFemtoPerNano / 2) / kFemtoPerNano;
  return nano > kMaxNanoUsd ? kMaxNanoUsd : static_cast<int64_t>(nano);
}

void AppendUsd(std::string& out, std::string_view name, int64_t nano_usd) {
  out += '"';
  out += name;
  out += "\":";
  out += UsdNumber(nano_usd);
}

}  // namespace

bool IsChargeable(int64_t completion_tokens, std::string_view finish_reason) {
  if (finish_reason == "error") return false;
  return completion_tokens > 0 || !finish_reason.empty();
}

Cost PriceUsage(const config::Pricing& pricing, const TokenCounts& counts) {
  const int64_t prompt = std::max<int64_t>(counts.prompt, 0);
  const int64_t cached = std::clamp<int64_t>(counts.cached, 0, prompt);
  const int64_t cache_write = std::clamp<int64_t>(counts.cache_write, 0, prompt - cached);
  const int64_t completion = std::max<int64_t>(counts.completion, 0);
  const int64_t reasoning =
      pricing.reasoning ? std::clamp<int64_t>(counts.reasoning, 0, completion) : 0;

  Cost cost;
  cost.prompt = TokenCost(prompt - cached - cache_write, pricing.prompt);
  cost.cached_read = TokenCost(cached, pricing.cached_read.value_or(pricing.prompt));
  cost.cache_write = TokenCost(cache_write, pricing.cache_write.value_or(pricing.prompt));
  cost.completion = TokenCost(completion - reasoning, pricing.completion);
  cost.reasoning = TokenCost(reasoning, pricing.reasoning.value_or(0));
  cost.request = std::min<int64_t>(pricing.request, kMaxNanoUsd);
  // Six terms of at most kMaxNanoUsd = INT64_MAX / 8 each: no overflow.
  cost.total = cost.prompt + cost.cached_read + cost.cache_write + cost.completion +
               cost.reasoning + cost.request;
  return cost;
}

Cost PriceRequest(const config::Pricing& pricing, const TokenCounts& counts,
                  std::string_view finish_reason) {
  if (!IsChargeable(counts.completion, finish_reason)) return Cost{};
  return PriceUsage(pricing, counts);
}

void AppendCostMembers(const Cost& cost, std::string& out) {
  AppendUsd(out, "cost", cost.total);
  out += ",\"cost_details\":{";
  AppendUsd(out, "prompt", cost.prompt);
  out += ',';
  AppendUsd(out, "completion", cost.completion);
  out += ',';
  AppendUsd(out, "input_cache_read", cost.cached_read);
  out += ',';
  AppendUsd(out, "input_cache_write", cost.cache_write);
  out += ',';
  AppendUsd(out, "internal_reasoning", cost.reasoning);
  out += ',';
  AppendUsd(out, "request", cost.request);
  out += '}';
}

void AppendEstimatedUsageObject(const TokenCounts& counts, const Cost& cost, std::string& out) {
  const auto count = [&out](std::string_view name, int64_t value, char after) {
    out += '"';
    out += name;
    out += "\":";
    out += std::to_string(value);
    out += after;
  };
  out += '{';
  count("prompt_tokens", counts.prompt, ',');
  count("completion_tokens", counts.completion, ',');
  count("total_tokens", counts.prompt + counts.completion, ',');
  out += "\"prompt_tokens_details\":{";
  count("cached_tokens", counts.cached, ',');
  count("cache_write_tokens", counts.cache_write, '}');
  out += ",\"completion_tokens_details\":{";
  count("reasoning_tokens", counts.reasoning, '}');
  out += ',';
  AppendCostMembers(cost, out);
  out += ",\"estimated\":true}";
}

int64_t WorstCaseCost(const config::Pricing& pricing, int64_t prompt_tokens,
                      int64_t completion_tokens) {
  TokenCounts plain;
  plain.prompt = prompt_tokens;
  plain.completion = completion_tokens;
  TokenCounts special = plain;  // all prompt tokens written to the cache, all completion reasoning
  special.cache_write = prompt_tokens;
  special.reasoning = completion_tokens;
  const Cost a = PriceUsage(pricing, plain);
  const Cost b = PriceUsage(pricing, special);
  return std::max(a.prompt, b.cache_write) + std::max(a.completion, b.completion + b.reasoning) +
         a.request;
}

}  // namespace gw::accounting

// What a managed key's limits do to one inference request (docs/keys.md), in the order they
// apply: the models it may use (403) and the rate limits (429 with Retry-After and
// X-RateLimit-*) when the request arrives, the models and providers of each attempt, the
// reservation of the worst-case cost against the
// key's and the end user's budgets before each attempt (402 when no endpoint is affordable),
// and the settlement to the exact cost when the usage record is built (or the release of the
// reservation when the request ends without one). One per request; worker thread.
#pragma once

#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "accounting/keys/key_limits.h"
#include "config/config.h"
#include "gateway/keys/key_registry.h"
#include "gateway/server/responder.h"
#include "routing/plan.h"

namespace gw::api {

// An answer that refuses the request: its status, message and headers.
struct KeyRefusal {
  int status = 0;
  std::string message;
  server::HeaderList headers;
};

class KeyGate {
 public:
  // `limits` must outlive the gate; `key` is the caller's managed key; `model` the requested one
  // (a :floor/:nitro/:free variant counts as its model).
  KeyGate(accounting::keys::KeyLimits& limits, keys::ApiKeyPtr key, std::string user,
          std::string model);
  ~KeyGate();  // releases a reservation not settled
  KeyGate(const KeyGate&) = delete;
  KeyGate& operator=(const KeyGate&) = delete;

  // Takes the request from the key's, the model's and the user's rate limits; a 429 refusal
  // when one of them has no room (nothing is taken then).
  std::optional<KeyRefusal> AdmitRequest(int64_t now_ms);
  // A 403 when the key may use neither the requested model nor any of `fallbacks`.
  std::optional<KeyRefusal> CheckModels(const std::vector<std::string>& fallbacks) const;
  // Whether Reserve needs the prompt's token count: the key or the user has a credit limit.
  // Without one, every reservation is of zero (the budget only keeps the key's spend).
  bool NeedsPromptTokens() const;
  // Whether the key may use the attempt's model and provider (remembered for the 403).
  bool Allows(const routing::Attempt& attempt);
  // Reserves the attempt's worst-case cost (accounting::WorstCaseCost of `prompt_tokens` and
  // the completion bound: the smaller of `max_tokens` and the endpoint's max_completion_tokens,
  // else its context length) in place of the previous attempt's reservation. False when the
  // budget cannot afford it (remembered for the 402) or cannot be loaded (the 503).
  bool Reserve(const routing::Attempt& attempt, int64_t prompt_tokens,
               std::optional<int64_t> max_tokens, int64_t now_ms);
  // The refusal for a request no endpoint was tried for because of the key: 503 (the budget
  // could not be loaded from the ledger), 402 (no endpoint affordable) or 403 (none allowed);
  // nullopt when the key stopped none.
  std::optional<KeyRefusal> NothingTried() const;
  // Settles the reservation to the request's exact cost, dated by its arrival, and takes its
  // tokens from the token rate limits.
  void Settle(int64_t cost_nano, int64_t arrived_ms, uint64_t tokens, int64_t now_ms);

 private:
  accounting::keys::KeyLimits& limits_;
  keys::ApiKeyPtr key_;
  std::string user_;
  std::string model_;
  std::vector<accounting::keys::RateScope> scopes_;
  accounting::keys::Reservation reservation_;
  // Why attempts were skipped: the first forbidden model/provider, the cheapest refusal.
  std::string forbidden_;
  std::optional<KeyRefusal> unaffordable_;
  std::optional<KeyRefusal> unavailable_;  // 503: the budget could not be loaded

  bool Unavailable(const std::exception& failure);  // remembers the 503; false
  int64_t unaffordable_amount_ = 0;
};

}  // namespace gw::api

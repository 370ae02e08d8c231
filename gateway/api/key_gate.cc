#include "gateway/api/key_gate.h"

#include <algorithm>

#include "accounting/cost.h"
#include "accounting/ledger/json_text.h"
#include "accounting/ledger/utc_time.h"

namespace gw::api {
namespace {

using accounting::keys::LimitReset;

std::string Usd(int64_t nano) {
  std::string text = "$";
  text += accounting::UsdNumber(nano);
  return text;
}

// Seconds for Retry-After: whole, rounded up, at least 1.
std::string RetryAfterSeconds(int64_t ms) {
  return std::to_string(std::max<int64_t>(1, (ms + 999) / 1000));
}

std::string PeriodPhrase(LimitReset reset) {
  switch (reset) {
    case LimitReset::kDaily:
      return " per day (it resets at 00:00 UTC)";
    case LimitReset::kWeekly:
      return " per week (it resets on Mondays at 00:00 UTC)";
    case LimitReset::kMonthly:
      return " per month (it resets on the 1st at 00:00 UTC)";
    case LimitReset::kNone:
      break;
  }
  return "";
}

}  // namespace

KeyGate::KeyGate(accounting::keys::KeyLimits& limits, keys::ApiKeyPtr key, std::string user,
                 std::string model)
    : limits_(limits),
      key_(std::move(key)),
      user_(std::move(user)),
      model_(routing::ModelIdOf(model)) {
  scopes_ = accounting::keys::RateScopesOf(*key_, model_, user_);
}

KeyGate::~KeyGate() {
  if (reservation_.active) {
    const int64_t now = accounting::NowEpochMs();
    limits_.Settle(reservation_, 0, now, now);
  }
}

std::optional<KeyRefusal> KeyGate::AdmitRequest(int64_t now_ms) {
  if (scopes_.empty()) return std::nullopt;
  accounting::keys::RateDecision decision;
  try {
    decision = limits_.AdmitRequest(scopes_, now_ms);
  } catch (const accounting::keys::LimitsUnavailable& failure) {
    return KeyRefusal{
        503,
        "the rate limits of this API key cannot be checked: " + std::string(failure.what()),
        {}};
  }
  if (decision.ok) return std::nullopt;
  const accounting::keys::RateScope& scope = scopes_[decision.refused_scope];
  KeyRefusal refusal;
  refusal.status = 429;
  refusal.message =
      "rate limit exceeded: " + accounting::keys::RateScopeDescription(scope, model_, user_) +
      "; retry in " + RetryAfterSeconds(decision.retry_after_ms) + " s";
  refusal.headers = {{"Retry-After", RetryAfterSeconds(decision.retry_after_ms)},
                     {"X-RateLimit-Limit", std::to_string(decision.limit)},
                     {"X-RateLimit-Remaining", std::to_string(decision.remaining)},
                     {"X-RateLimit-Reset", std::to_string(decision.reset_ms)}};
  return refusal;
}

std::optional<KeyRefusal> KeyGate::CheckModels(const std::vector<std::string>& fallbacks) const {
  if (key_->AllowsModel(model_)) return std::nullopt;
  for (const std::string& fallback : fallbacks) {
    if (key_->AllowsModel(routing::ModelIdOf(fallback))) return std::nullopt;
  }
  return KeyRefusal{403,
                    "this API key (" + key_->label + ") may not use model \"" + model_ +
                        "\" (its allowed_models / denied_models)",
                    {}};
}

bool KeyGate::Allows(const routing::Attempt& attempt) {
  if (!key_->AllowsModel(attempt.model->id)) {
    if (forbidden_.empty()) forbidden_ = "model \"" + attempt.model->id + "\"";
    return false;
  }
  if (!key_->AllowsProvider(attempt.provider->name)) {
    if (forbidden_.empty()) forbidden_ = "provider \"" + attempt.provider->name + "\"";
    return false;
  }
  return true;
}

bool KeyGate::NeedsPromptTokens() const {
  return key_->limit_nano.has_value() || (key_->user_limit_nano.has_value() && !user_.empty());
}

bool KeyGate::Reserve(const routing::Attempt& attempt, int64_t prompt_tokens,
                      std::optional<int64_t> max_tokens, int64_t now_ms) {
  if (!NeedsPromptTokens()) {
    // Nothing to check: a reservation of zero keeps the key's account loaded and current. When
    // the budget store cannot be reached, a key without a credit limit is served all the same:
    // there is nothing to refuse (the store counted and logged the failure; this request's cost
    // is then missing from the shared spend, which only a limit added later would read).
    if (reservation_.active) return true;
    try {
      reservation_ =
          limits_.Reserve(accounting::keys::BudgetHolderOf(*key_, user_), 0, now_ms).reservation;
    } catch (const std::exception&) {  // (see above)
    }
    return true;
  }
  // The completion bound: the smallest of max_tokens and the endpoint's completion limit, else
  // its context length.
  int64_t completion = attempt.endpoint->context_length != 0 ? attempt.endpoint->context_length
                                                             : attempt.model->context_length;
  if (attempt.endpoint->max_completion_tokens != 0) {
    completion = attempt.endpoint->max_completion_tokens;
  }
  if (max_tokens) completion = std::min(completion, *max_tokens);
  const int64_t amount =
      accounting::WorstCaseCost(attempt.endpoint->pricing, prompt_tokens, completion);
  if (reservation_.active) limits_.Settle(reservation_, 0, now_ms, now_ms);
  accounting::keys::ReserveOutcome outcome;
  try {
    outcome = limits_.Reserve(accounting::keys::BudgetHolderOf(*key_, user_), amount, now_ms);
  } catch (const std::exception& failure) {
    return Unavailable(failure);
  }
  if (outcome.ok) {
    reservation_ = outcome.reservation;
    return true;
  }
  // The 402 names the cheapest endpoint refused: the one a smaller max_tokens fits soonest.
  if (unaffordable_ && amount >= unaffordable_amount_) return false;
  unaffordable_amount_ = amount;
  const std::string budget = outcome.by_user ? "the budget of user \"" + user_ + "\" on this key"
                                             : "this API key (" + key_->label + ")";
  const std::optional<int64_t> limit = outcome.by_user ? key_->user_limit_nano : key_->limit_nano;
  KeyRefusal refusal;
  refusal.status = 402;
  refusal.message = "insufficient credit: this request can cost up to " + Usd(amount) + " (" +
                    std::to_string(prompt_tokens) + " prompt tokens + up to " +
                    std::to_string(completion) + " completion tokens at " + attempt.provider->name +
                    "'s prices for " + attempt.model->id + ") and " + budget + " has " +
                    Usd(outcome.affordable_nano) + " left of its limit of " +
                    Usd(limit.value_or(0)) + PeriodPhrase(key_->limit_reset) +
                    "; lower max_tokens or raise the limit";
  unaffordable_ = std::move(refusal);
  return false;
}

bool KeyGate::Unavailable(const std::exception& failure) {
  const bool shared = dynamic_cast<const accounting::keys::LimitsUnavailable*>(&failure) != nullptr;
  unavailable_ = KeyRefusal{
      503,
      "the budget of this API key cannot be checked: " +
          (shared ? std::string(failure.what())
                  : "the usage ledger cannot be read (" + std::string(failure.what()) + ")"),
      {}};
  return false;
}

std::optional<KeyRefusal> KeyGate::NothingTried() const {
  if (unavailable_) return unavailable_;
  if (unaffordable_) return unaffordable_;
  if (!forbidden_.empty()) {
    return KeyRefusal{403,
                      "this API key (" + key_->label + ") may not use " + forbidden_ +
                          ", nor any other endpoint the request could be routed to (the key's "
                          "allowed/denied models and providers)",
                      {}};
  }
  return std::nullopt;
}

void KeyGate::Settle(int64_t cost_nano, int64_t arrived_ms, uint64_t tokens, int64_t now_ms) {
  if (reservation_.active) limits_.Settle(reservation_, cost_nano, arrived_ms, now_ms);
  if (!scopes_.empty()) limits_.ChargeTokens(scopes_, tokens, now_ms);
}

}  // namespace gw::api

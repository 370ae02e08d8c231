#include "accounting/keys/rate_buckets.h"

#include <algorithm>

namespace gw::accounting::keys {

RateBuckets::Bucket& RateBuckets::Refilled(const RateScope& scope, int64_t now_ms) {
  const int64_t full = static_cast<int64_t>(scope.per_minute) * kUnitsPerItem;
  auto [found, created] = buckets_.try_emplace(scope.bucket);
  Bucket& bucket = found->second;
  if (created || bucket.per_minute != scope.per_minute) {
    // New, or its limit changed: a full bucket of the new size.
    bucket.level = full;
    bucket.per_minute = scope.per_minute;
    bucket.at_ms = now_ms;
    return bucket;
  }
  if (now_ms > bucket.at_ms) {
    bucket.level = LevelAt(bucket, now_ms);
    bucket.at_ms = now_ms;
  }
  return bucket;
}

int64_t RateBuckets::LevelAt(const Bucket& bucket, int64_t now_ms) {
  const int64_t full = static_cast<int64_t>(bucket.per_minute) * kUnitsPerItem;
  const int64_t rate = static_cast<int64_t>(bucket.per_minute);  // units per ms
  const int64_t elapsed = std::max<int64_t>(0, now_ms - bucket.at_ms);
  if (rate == 0 || elapsed >= (full - bucket.level) / rate + 1) return full;
  return std::min(full, bucket.level + elapsed * rate);  // elapsed * rate <= full - level + rate
}

RateDecision RateBuckets::Describe(const Bucket& bucket, int64_t now_ms) {
  RateDecision decision;
  const int64_t full = static_cast<int64_t>(bucket.per_minute) * kUnitsPerItem;
  const int64_t rate = std::max<int64_t>(1, static_cast<int64_t>(bucket.per_minute));  // units/ms
  decision.limit = bucket.per_minute;
  decision.remaining = bucket.level <= 0 ? 0 : static_cast<uint64_t>(bucket.level / kUnitsPerItem);
  decision.reset_ms = now_ms + (full - bucket.level + rate - 1) / rate;
  return decision;
}

RateDecision RateBuckets::Admit(std::span<const RateScope> scopes, int64_t now_ms) {
  const std::lock_guard lock(mu_);
  for (size_t i = 0; i < scopes.size(); ++i) {
    const RateScope& scope = scopes[i];
    if (scope.per_minute == 0) continue;
    const Bucket& bucket = Refilled(scope, now_ms);
    // A request needs one whole request; a token bucket needs to be above zero.
    const int64_t needed = scope.tokens ? 1 : kUnitsPerItem;
    if (bucket.level >= needed) continue;
    RateDecision refused = Describe(bucket, now_ms);
    refused.ok = false;
    refused.refused_scope = i;
    const int64_t rate = static_cast<int64_t>(scope.per_minute);
    refused.retry_after_ms = (needed - bucket.level + rate - 1) / rate;
    return refused;
  }
  RateDecision admitted;
  bool described = false;
  for (const RateScope& scope : scopes) {
    if (scope.per_minute == 0 || scope.tokens) continue;
    Bucket& bucket = Refilled(scope, now_ms);
    bucket.level -= kUnitsPerItem;
    const RateDecision here = Describe(bucket, now_ms);
    if (!described || here.remaining < admitted.remaining) admitted = here;
    described = true;
  }
  admitted.ok = true;
  return admitted;
}

void RateBuckets::Charge(std::span<const RateScope> scopes, uint64_t tokens, int64_t now_ms) {
  if (tokens == 0) return;
  const std::lock_guard lock(mu_);
  // A bucket may go below zero by at most one request's tokens; clamped so no count overflows.
  const int64_t units =
      static_cast<int64_t>(std::min<uint64_t>(tokens, uint64_t{1} << 40)) * kUnitsPerItem;
  for (const RateScope& scope : scopes) {
    if (scope.per_minute == 0 || !scope.tokens) continue;
    Refilled(scope, now_ms).level -= units;
  }
}

uint64_t RateBuckets::Remaining(const RateScope& scope, int64_t now_ms) {
  const std::lock_guard lock(mu_);
  const auto found = buckets_.find(scope.bucket);
  if (found == buckets_.end() || found->second.per_minute != scope.per_minute) {
    return scope.per_minute;
  }
  const int64_t level = LevelAt(found->second, now_ms);
  return level <= 0 ? 0 : static_cast<uint64_t>(level / kUnitsPerItem);
}

void RateBuckets::Sweep(int64_t now_ms) {
  const std::lock_guard lock(mu_);
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    const Bucket& bucket = it->second;
    const int64_t full = static_cast<int64_t>(bucket.per_minute) * kUnitsPerItem;
    it = LevelAt(bucket, now_ms) >= full ? buckets_.erase(it) : std::next(it);
  }
}

size_t RateBuckets::size() {
  const std::lock_guard lock(mu_);
  return buckets_.size();
}

}  // namespace gw::accounting::keys

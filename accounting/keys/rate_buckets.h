// Rate limits as token buckets (docs/keys.md): a limit of R per minute is a bucket of R that
// refills continuously at R per minute, so a client may burst up to R and then gets one more
// every 60/R seconds; exact on one node (integer arithmetic: one unit is 1/60000 of a request
// or token, the bucket refills R units per millisecond).
//
// Requests are taken when a request is admitted. Tokens are known only when a request ends:
// a request is admitted while its token bucket is not empty, and its tokens are taken after it
// (the bucket may go below zero, and then refuses requests until it has refilled past zero).
//
// Buckets are named by the caller (a key, a key's model, a key's user). Thread-safe: one mutex
// guards every bucket.
#pragma once

#include <cstdint>
#include <mutex>
#include <span>
#include <string>
#include <unordered_map>

namespace gw::accounting::keys {

// One limit to check: a bucket name and the limit per minute of requests or tokens.
struct RateScope {
  enum class Holder { kKey, kModel, kUser };  // whose limit it is (for messages)

  std::string bucket;  // unique per limit and unit, e.g. "<hash>\nrpm"
  uint64_t per_minute = 0;
  bool tokens = false;  // a token limit (admits while not empty) rather than a request limit
  Holder holder = Holder::kKey;
};

struct RateDecision {
  bool ok = true;
  // Refused: the scope that refused (its index in the span) and the headers' values.
  size_t refused_scope = 0;
  uint64_t limit = 0;          // X-RateLimit-Limit
  uint64_t remaining = 0;      // X-RateLimit-Remaining (after this request when ok)
  int64_t reset_ms = 0;        // X-RateLimit-Reset: epoch ms when the bucket is full again
  int64_t retry_after_ms = 0;  // refused: when one more request would be admitted
};

class RateBuckets {
 public:
  // Admits a request when every scope has room: takes one from each request bucket (none when
  // refused). The decision describes the refusing scope, or when ok the tightest request scope.
  RateDecision Admit(std::span<const RateScope> scopes, int64_t now_ms);
  // Takes `tokens` from each token scope (after the request).
  void Charge(std::span<const RateScope> scopes, uint64_t tokens, int64_t now_ms);
  // What `scope`'s bucket holds now, in whole requests or tokens (0 when it is below one); a
  // bucket never used is full. Takes nothing.
  uint64_t Remaining(const RateScope& scope, int64_t now_ms);
  // Forgets buckets that are full (their state equals a new bucket's), so buckets of users
  // seen once do not accumulate.
  void Sweep(int64_t now_ms);
  size_t size();

 private:
  struct Bucket {
    int64_t level = 0;  // units (1/60000); full = per_minute * 60000
    int64_t at_ms = 0;  // when `level` was computed
    uint64_t per_minute = 0;
  };
  static constexpr int64_t kUnitsPerItem = 60000;  // units of one request or token

  // The bucket's level refilled to `now_ms` (a new bucket is full).
  Bucket& Refilled(const RateScope& scope, int64_t now_ms);
  // The level `bucket` has refilled to at `now_ms` (without changing it).
  static int64_t LevelAt(const Bucket& bucket, int64_t now_ms);
  static RateDecision Describe(const Bucket& bucket, int64_t now_ms);

  std::mutex mu_;  // guards buckets_
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace gw::accounting::keys

// Token counts in the one dialect-neutral convention that providers report into and accounting
// prices (DIALECTS.md, "Usage is dialect-neutral"). Plain value type; any thread.
#pragma once

#include <cstdint>

namespace gw::dialects {

// `prompt_tokens` includes the cached (read) and cache-write tokens, `completion_tokens` includes
// the reasoning tokens. OpenAI's usage is already so; Anthropic's `input_tokens` excludes both
// cache counts, and its codec adds them back. Absent details are 0.
struct TokenUsage {
  int64_t prompt_tokens = 0, completion_tokens = 0, total_tokens = 0;
  int64_t cached_tokens = 0;       // prompt tokens read from the provider's cache
  int64_t cache_write_tokens = 0;  // prompt tokens written to the provider's cache
  int64_t reasoning_tokens = 0;    // completion tokens spent reasoning

  bool operator==(const TokenUsage&) const = default;
};

// a + b for token counts an upstream reported, saturating instead of overflowing (a count near
// INT64_MAX is absurd but must not be undefined behaviour).
inline int64_t AddCounts(int64_t a, int64_t b) {
  int64_t sum = 0;
  if (__builtin_add_overflow(a, b, &sum)) return a < 0 ? INT64_MIN : INT64_MAX;
  return sum;
}

}  // namespace gw::dialects
